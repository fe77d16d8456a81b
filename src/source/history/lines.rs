//! Which lines of a version are new: against the previous version of the path (common
//! prefix and suffix, then line hashes), keeping lines that held candidates in the base.

use std::collections::HashSet;
use std::ops::Range;

/// Hashes of a version's lines.
pub(super) type LineSet = HashSet<u64, std::hash::BuildHasherDefault<IdentityHasher>>;

/// Values by path hash (see `introduce::path_hash`).
pub(super) type PathMap<V> =
    std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<IdentityHasher>>;

/// The lines of a blob that hold candidates: their byte ranges and their hashes (sorted).
#[derive(Default, Clone)]
pub(super) struct CandidateLines {
    ranges: Vec<Range<usize>>,
    hashes: Vec<u64>,
}

impl CandidateLines {
    /// The lines of `text` that `spans` touch.
    pub(super) fn under(text: &[u8], spans: &[Range<usize>]) -> Self {
        let mut out = CandidateLines::default();
        for span in spans {
            let start = memchr::memrchr(b'\n', &text[..span.start]).map_or(0, |i| i + 1);
            let from = span.end.max(start);
            let end = memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |i| from + i + 1);
            for r in split_lines(&text[start..end]) {
                out.hashes
                    .push(line_hash(&text[start + r.start..start + r.end]));
                out.ranges.push(start + r.start..start + r.end);
            }
        }
        out.hashes.sort_unstable();
        out.hashes.dedup();
        out
    }
}

/// The byte ranges of `text`'s lines that `previous` does not have, and of its lines that
/// were candidate lines (`kept`) in `previous`; `None` when there is no previous version
/// (everything counts). `lines` is scratch space.
///
/// Lines in the common prefix and suffix of the two versions (whole lines only) are old
/// without hashing: a version usually differs from its delta base by a few lines, and
/// comparing bytes is much cheaper than hashing every line. In between, a line is new when no
/// line of the previous version's middle part has its hash. (A line moved from the prefix into
/// the middle counts as new: that only costs a search.)
pub(super) fn new_lines(
    text: &[u8],
    previous: Option<&[u8]>,
    lines: &mut LineSet,
    kept: &CandidateLines,
) -> Option<Vec<Range<usize>>> {
    let prev = previous?;
    let prefix = common_prefix(text, prev);
    let start = memchr::memrchr(b'\n', &text[..prefix]).map_or(0, |i| i + 1);
    let room = (text.len() - start).min(prev.len() - start);
    let suffix = common_suffix(&text[text.len() - room..], &prev[prev.len() - room..]);
    // The suffix's first whole line starts after the first newline inside it.
    let tail = text.len() - suffix;
    let end = match memchr::memchr(b'\n', &text[tail..]) {
        Some(i) if suffix > 0 => tail + i + 1,
        _ => text.len(),
    };
    let prev_end = prev.len() - (text.len() - end);
    // Candidate lines of the prefix and the suffix are at known places.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for r in &kept.ranges {
        if r.end <= start {
            ranges.push(r.clone());
        } else if r.start >= prev_end {
            ranges.push(r.start - prev_end + end..r.end - prev_end + end);
        }
    }
    let (middle, prev_middle) = (&text[start..end], &prev[start..prev_end]);
    if prev_middle.is_empty() {
        if !middle.is_empty() {
            ranges.push(start..end);
        }
    } else if !middle.is_empty() {
        lines.clear();
        lines.extend(split_lines(prev_middle).map(|r| line_hash(&prev_middle[r])));
        for r in split_lines(middle) {
            let h = line_hash(&middle[r.clone()]);
            if lines.contains(&h) && kept.hashes.binary_search(&h).is_err() {
                continue;
            }
            ranges.push(start + r.start..start + r.end);
        }
    }
    Some(crate::source::merge_ranges(ranges))
}

/// The ranges of `text`'s lines, each with its newline.
pub(super) fn split_lines(text: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i + 1);
        let r = start..end;
        start = end;
        Some(r)
    })
}

/// Length of the longest common prefix of `a` and `b` (compared in blocks).
pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the longest common suffix of `a` and `b` (compared in blocks).
pub(super) fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
}

/// A fast 64-bit hash of one line (FNV-style over 8-byte words); a collision only costs a
/// missed "new line" with probability about 2^-64 per pair of lines.
pub(super) fn line_hash(line: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ line.len() as u64;
    let mut chunks = line.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 31)
}

/// Line and path hashes are already mixed: used as they are (like gix's hasher for ids).
#[derive(Default)]
pub(super) struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn new_lines_against_previous_version() {
        let mut set = LineSet::default();
        let none = CandidateLines::default();
        let prev: &[u8] = b"a\nb\nc\n";
        assert!(new_lines(prev, None, &mut set, &none).is_none());
        let ranges = new_lines(b"a\nX\nb\nc\nY", Some(prev), &mut set, &none);
        assert_eq!(ranges, Some(vec![2..4, 8..9]));
        // Unchanged, pure insertion, pure deletion, change in the last line without newline.
        assert_eq!(new_lines(prev, Some(prev), &mut set, &none), Some(vec![]));
        assert_eq!(
            new_lines(b"a\nb\nN\nc\n", Some(prev), &mut set, &none),
            Some(vec![4..6])
        );
        assert_eq!(
            new_lines(b"a\nc\n", Some(prev), &mut set, &none),
            Some(vec![])
        );
        assert_eq!(
            new_lines(b"a\nb\ncc", Some(prev), &mut set, &none),
            Some(vec![4..6])
        );
        // A line whose end changed is new even though its start is common.
        assert_eq!(
            new_lines(b"a\nbb\nc\n", Some(prev), &mut set, &none),
            Some(vec![2..5])
        );
        // Repeated lines: the suffix must start on a line boundary in both versions.
        let prev: &[u8] = b"x\nkey=1\nkey=1\n";
        assert_eq!(
            new_lines(b"x\nkey=2\nkey=1\n", Some(prev), &mut set, &none),
            Some(vec![2..8])
        );
        assert_eq!(new_lines(b"", Some(prev), &mut set, &none), Some(vec![]));
        assert_eq!(
            new_lines(prev, Some(b""), &mut set, &none),
            Some(vec![0..prev.len()])
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn candidate_lines_of_the_base_are_searched_again() {
        let mut set = LineSet::default();
        let base: &[u8] = b"k=SECRET\nx\ny\nz\nk2=SECRET2\n";
        let kept = CandidateLines::under(base, &[2..8, 18..25]);
        assert_eq!(kept.ranges, vec![0..9, 15..26]);
        // Prefix and suffix lines keep their place; the new line is there too.
        let text: &[u8] = b"k=SECRET\nx\nNEW\nz\nk2=SECRET2\n";
        assert_eq!(
            new_lines(text, Some(base), &mut set, &kept),
            Some(vec![0..9, 11..15, 17..28])
        );
        // A candidate line that moved into the changed middle is found by its hash.
        let text: &[u8] = b"y\nk=SECRET\nx\n";
        assert_eq!(
            new_lines(text, Some(base), &mut set, &kept),
            Some(vec![2..11])
        );
    }
}
