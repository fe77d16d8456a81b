//! Findings: a candidate that survived the filters, placed in its source and fingerprinted.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::source::git::CommitInfo;

use crate::rules::Confidence;

/// Where a chunk came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// A file of the working tree; the path as the user will want to open it.
    File {
        path: String,
    },
    Stdin,
    /// A blob in the index, by its path in the repository.
    Staged {
        path: String,
    },
    /// A blob introduced by a commit at this path (commit first: history sorts by date).
    Commit {
        commit: Arc<CommitInfo>,
        path: String,
    },
}

impl Origin {
    pub fn path(&self) -> &str {
        match self {
            Origin::File { path } | Origin::Staged { path } | Origin::Commit { path, .. } => path,
            Origin::Stdin => "<stdin>",
        }
    }

    pub fn source(&self) -> &'static str {
        match self {
            Origin::File { .. } => "file",
            Origin::Stdin => "stdin",
            Origin::Staged { .. } => "staged",
            Origin::Commit { .. } => "history",
        }
    }

    pub fn commit(&self) -> Option<&CommitInfo> {
        match self {
            Origin::Commit { commit, .. } => Some(commit),
            _ => None,
        }
    }
}

/// 1-based line and column (columns count Unicode scalar values) of the start and end of the
/// secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Debug, Clone)]
pub struct Finding {
    /// Index into the scan's `RuleSet::rules`.
    pub rule: usize,
    pub origin: Origin,
    pub location: Location,
    /// The raw secret. Only ever printed through `redact` unless `--show-secrets`.
    pub secret: Vec<u8>,
    pub fingerprint: String,
    pub entropy: f64,
    pub confidence: Confidence,
    /// History: further occurrences of the same (rule, secret, path) not reported separately.
    pub more_occurrences: usize,
    /// The secret was found decoded from this encoding; `location` is the encoded token.
    pub encoding: Option<crate::decode::Encoding>,
    /// For a decoded secret: the encoded token as it is in the file (what a purge replaces).
    pub token: Option<Vec<u8>>,
    /// Working-tree and staged findings in source code: how to read it from the environment.
    pub hint: Option<Box<crate::fix::Hint>>,
    /// History and range findings: how far the introducing commit has travelled.
    pub exposure: Option<Box<crate::exposure::Exposure>>,
}

/// Versioned, content-based fingerprint: `v1:` + the first 16 bytes of SHA-256 over
/// (rule id, NUL, secret), in hex. Never the secret, never a line number, so it survives edits
/// that move the line and can key baselines and SARIF `partialFingerprints`.
pub fn fingerprint(rule_id: &str, secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(secret);
    let digest = h.finalize();
    let mut out = String::with_capacity(3 + 32);
    out.push_str("v1:");
    for b in &digest[..16] {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The most characters `redact` ever reveals (prefix + suffix).
pub const MAX_REVEALED: usize = 12;

/// `sk-proj-Ab…Yz`: enough to recognise the key, never enough to use it. Reveals at most
/// `MAX_REVEALED` characters and never more than half of the value.
pub fn redact(secret: &[u8]) -> String {
    if secret.is_empty() {
        // A sensitive file reported as a whole has no value.
        return String::new();
    }
    let text = String::from_utf8_lossy(secret);
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let (head, tail) = match n {
        0..=7 => (0, 0),
        8..=15 => (2, 0),
        16..=31 => (4, 2),
        _ => (10, 2),
    };
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[n - tail..].iter().collect();
    sanitize(&format!("{head}…{tail}"))
}

/// Replaces control characters (terminal escapes included) so that file names and matched text
/// cannot rewrite the user's terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_versioned() {
        let a = fingerprint("openai-project-key", b"sk-proj-abc");
        assert!(a.starts_with("v1:"));
        assert_eq!(a.len(), 35);
        assert_eq!(a, fingerprint("openai-project-key", b"sk-proj-abc"));
        assert_ne!(a, fingerprint("openai-admin-key", b"sk-proj-abc"));
        assert_ne!(a, fingerprint("openai-project-key", b"sk-proj-abd"));
    }

    #[test]
    fn redaction_reveals_little() {
        assert_eq!(redact(b""), "");
        assert_eq!(redact(b"hunter2"), "…");
        assert_eq!(redact(b"admin123"), "ad…");
        assert_eq!(
            redact(b"sk-proj-AbcdefghijklmnopqrstuvwxyzYz"),
            "sk-proj-Ab…Yz"
        );
        for len in 0..200 {
            let s = "x".repeat(len);
            let shown = redact(s.as_bytes()).chars().filter(|&c| c == 'x').count();
            assert!(shown <= MAX_REVEALED && shown * 4 <= len.max(1) * 2);
        }
    }

    #[test]
    fn sanitize_neutralises_escapes() {
        assert_eq!(sanitize("a\x1b[31mb\n"), "a\u{FFFD}[31mb\u{FFFD}");
    }
}
