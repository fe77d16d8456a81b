//! Findings: a candidate that survived the filters, placed in its source and fingerprinted.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::rules::Confidence;
use crate::text::sanitize;

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

/// Metadata of the commit a history finding is attributed to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitInfo {
    /// Author time, seconds since the epoch (first, so that sorting is chronological).
    pub time: i64,
    pub id: String,
    /// `Name <email>`.
    pub author: String,
    /// First line of the message.
    pub subject: String,
}

impl CommitInfo {
    /// The author time as RFC 3339 in UTC (`2024-05-01T10:00:00Z`).
    pub fn date(&self) -> String {
        jiff::Timestamp::from_second(self.time)
            .map_or_else(|_| self.time.to_string(), |t| t.to_string())
    }

    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(7)]
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
    pub hint: Option<Box<Hint>>,
    /// History and range findings: how far the introducing commit has travelled.
    pub exposure: Option<Box<Exposure>>,
}

/// How to read the secret from the environment instead of writing it down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The variable to read (`OPENAI_API_KEY`).
    pub env_var: String,
    /// The expression that replaces the literal, quotes included.
    pub expr: String,
    /// The finding's line with the literal replaced.
    pub line: String,
    /// What the file must import or declare for `expr`, if anything.
    pub needs: Option<&'static str>,
    /// The literal as written (quotes included), and where on the line: what `fix` replaces.
    pub literal: std::ops::Range<usize>,
    pub original_line: String,
}

/// How exposed one finding is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// The first remote-tracking ref (`origin/main`) whose history holds the commit.
    pub remote_ref: Option<String>,
    /// The oldest tag (`v1.2.0`) whose history holds it.
    pub tag: Option<String>,
    /// The secret is still in the file at HEAD (same path).
    pub at_head: bool,
}

impl Exposure {
    pub fn pushed(&self) -> bool {
        self.remote_ref.is_some()
    }

    /// Sort key, most exposed first: pushed and tagged, pushed, tagged only, local only.
    pub fn rank(&self) -> u8 {
        match (self.pushed(), self.tag.is_some()) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        }
    }

    /// One line for a person at 2 AM: where the secret is and what to do first.
    pub fn verdict(&self, commit_short: &str, commit_time: i64, now: i64) -> String {
        let age = crate::text::age(now - commit_time);
        let mut v = match (&self.remote_ref, &self.tag) {
            (Some(r), Some(t)) => format!(
                "pushed to {r} and released in tag {t} (committed {age}): public; rotate now"
            ),
            (Some(r), None) => format!("pushed to {r} (committed {age}): rotate now"),
            (None, Some(t)) => format!(
                "in tag {t}, on no remote-tracking branch (committed {age}): if the tag was pushed it is public; rotate"
            ),
            (None, None) => format!(
                "only in local commit {commit_short}, not pushed: amend or rebase it out, then rotate if it ever left this machine"
            ),
        };
        if !self.at_head {
            v.push_str("; no longer at HEAD, but deleted is not safe: it stays in history");
        }
        v
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let date = |time| {
            CommitInfo {
                time,
                id: String::new(),
                author: String::new(),
                subject: String::new(),
            }
            .date()
        };
        assert_eq!(date(0), "1970-01-01T00:00:00Z");
        assert_eq!(date(1_714_557_600), "2024-05-01T10:00:00Z");
        assert_eq!(date(951_825_600), "2000-02-29T12:00:00Z");
        // Beyond what RFC 3339 can write: the seconds, never a panic.
        assert_eq!(date(i64::MAX), i64::MAX.to_string());
    }

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
    fn verdicts_and_ranks() {
        let e = |remote: Option<&str>, tag: Option<&str>, at_head| Exposure {
            remote_ref: remote.map(String::from),
            tag: tag.map(String::from),
            at_head,
        };
        let now = 10 * 86_400;
        let pushed = e(Some("origin/main"), None, true);
        assert_eq!(
            pushed.verdict("abc1234", now - 3 * 86_400, now),
            "pushed to origin/main (committed 3 days ago): rotate now"
        );
        let local = e(None, None, false);
        assert_eq!(
            local.verdict("abc1234", now, now),
            "only in local commit abc1234, not pushed: amend or rebase it out, then rotate if it ever left this machine; no longer at HEAD, but deleted is not safe: it stays in history"
        );
        let mut all = [
            local.clone(),
            e(None, Some("v1"), true),
            pushed.clone(),
            e(Some("o/x"), Some("v1"), true),
        ];
        all.sort_by_key(Exposure::rank);
        assert_eq!(all[0].rank(), 0);
        assert_eq!(all[3], local);
    }
}
