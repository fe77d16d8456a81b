//! Sources turn "where" into chunks of bytes with an origin. They never look at rules.

pub mod stdin;
pub mod worktree;

use crate::finding::Origin;

/// Bytes to scan and where they came from.
pub struct Chunk {
    pub origin: Origin,
    /// The path relative to the scan root with `/` separators, for `[allow] paths`.
    pub rel_path: Option<String>,
    pub text: Vec<u8>,
}

/// Git's test: a NUL byte in the first 8 KiB means binary.
pub fn is_binary(text: &[u8]) -> bool {
    memchr::memchr(0, &text[..text.len().min(8192)]).is_some()
}
