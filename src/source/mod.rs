//! Sources turn "where" into chunks of bytes with an origin. They never look at rules.

pub mod git;
pub mod history;
pub mod pack;
pub mod staged;
pub mod stdin;
pub mod worktree;

use std::ops::Range;
use std::sync::atomic::AtomicU64;

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

/// Counters the summary line reports, shared by every source's worker threads (`files`
/// counts blobs for git scans).
#[derive(Debug, Default)]
pub struct Stats {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub skipped_large: AtomicU64,
    pub skipped_binary: AtomicU64,
    pub errors: AtomicU64,
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
