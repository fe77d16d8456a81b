//! Sources turn "where" into chunks of bytes with an origin. They never look at rules.

pub mod git;
pub mod history;
pub mod pack;
pub mod quarantine;
pub mod staged;
pub mod stdin;
pub mod worktree;

use std::ops::Range;
use std::sync::atomic::AtomicU64;
use std::sync::Mutex;

use crate::finding::Origin;

/// Bytes to scan and where they came from.
pub struct Chunk {
    pub origin: Origin,
    /// The path relative to the scan root with `/` separators, for `[allow] paths`.
    pub rel_path: Option<String>,
    pub text: Vec<u8>,
    /// Byte ranges of added lines (staged changes, commit ranges): only findings that touch
    /// them are reported. `None`: the whole chunk counts.
    pub added: Option<Vec<Range<usize>>>,
    /// The content was not read (binary, or over the size limit) and `text` is empty: only
    /// path rules (sensitive files) apply.
    pub unread: bool,
}

/// Git's test: a NUL byte in the first 8 KiB means binary.
pub fn is_binary(text: &[u8]) -> bool {
    memchr::memchr(0, &text[..text.len().min(8192)]).is_some()
}

/// A file's bytes as text to scan, or `None` for binary content. UTF-16 text with a byte
/// order mark (LE or BE) is decoded to UTF-8 first (without the mark, so that line 1 column 1
/// is its first character); other bytes are scanned as they are (UTF-8, Latin-1, ...).
/// The binary test runs on the decoded text.
pub fn to_text(raw: Vec<u8>) -> Option<Vec<u8>> {
    let text = decode_utf16_bom(&raw).unwrap_or(raw);
    (!is_binary(&text)).then_some(text)
}

/// UTF-16 text that starts with a byte order mark, decoded to UTF-8 without the mark;
/// unpaired surrogates and an odd last byte become U+FFFD. `None`: no UTF-16 BOM.
pub fn decode_utf16_bom(raw: &[u8]) -> Option<Vec<u8>> {
    let from: fn([u8; 2]) -> u16 = match raw {
        [0xFF, 0xFE, ..] => u16::from_le_bytes,
        [0xFE, 0xFF, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let body = &raw[2..];
    let units = body.chunks_exact(2).map(|c| from([c[0], c[1]]));
    let mut out = String::with_capacity(body.len() / 2 + 3);
    out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
    if body.len() % 2 == 1 {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    Some(out.into_bytes())
}

/// Counters the summary line reports, shared by every source's worker threads (`files`
/// counts blobs for git scans), and the problems met on the way.
#[derive(Debug, Default)]
pub struct Stats {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub skipped_large: AtomicU64,
    pub skipped_binary: AtomicU64,
    problems: Mutex<Vec<String>>,
}

impl Stats {
    /// Records a file or object that could not be read: the scan goes on without it, the
    /// reporter prints `message` and the exit status becomes 2.
    pub fn problem(&self, message: String) {
        self.problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(message);
    }

    /// Every problem recorded, in the order they were met.
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut self.problems.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// `ranges` sorted, with overlapping or touching ranges joined.
pub fn merge_ranges(mut ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    ranges.sort_unstable_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The seed inputs of fuzz target `target` (`fuzz/seeds/<target>/`), for the unit tests that
/// replay them on stable.
#[cfg(test)]
pub(crate) fn fuzz_seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    assert!(seeds.len() >= 3, "fuzz/seeds/{target} holds the seeds");
    seeds
}

#[cfg(test)]
mod tests {
    use super::{decode_utf16_bom, to_text};

    fn utf16(s: &str, le: bool) -> Vec<u8> {
        let mut out = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in s.encode_utf16() {
            out.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf16_with_a_bom_is_decoded() {
        let s = "a=\u{e9}\u{1F600}\r\nb\n";
        assert_eq!(to_text(utf16(s, true)).unwrap(), s.as_bytes());
        assert_eq!(to_text(utf16(s, false)).unwrap(), s.as_bytes());
        // An unpaired surrogate and an odd last byte.
        let bad = [0xFF, 0xFE, 0x00, 0xD8, b'x', 0, 7];
        assert_eq!(
            decode_utf16_bom(&bad).unwrap(),
            "\u{FFFD}x\u{FFFD}".as_bytes()
        );
        // A NUL character is binary, decoded or not; UTF-8 and Latin-1 pass through.
        assert_eq!(to_text(utf16("a\0b", true)), None);
        assert_eq!(to_text(b"caf\xe9\n".to_vec()).unwrap(), b"caf\xe9\n");
        assert_eq!(to_text(vec![0xFF]).unwrap(), vec![0xFF]);
    }
}
