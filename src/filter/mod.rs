//! Filters: decide which candidates become findings. They look at the candidate's value, its
//! line and the chunk's path; they never re-run rule regexes over whole files.

pub mod allowlist;
pub mod baseline;
pub mod context;
pub mod defaults;
mod names;
pub mod paths;
pub mod placeholder;

use std::ops::Range;

use crate::matcher::Candidate;
use crate::rules::Rule;

/// Why a candidate was not reported (kept for `--show-suppressed` and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The path matches `[allow] paths`.
    AllowPath,
    /// The value matches `[allow] regexes`.
    AllowRegex,
    /// The line carries `scan-secrets:allow` (or, with `--accept-foreign-markers`, another
    /// scanner's marker).
    Inline,
    /// The value contains an `[allow] stopwords` word.
    Stopword,
    /// A placeholder, template expression, documented example or test value.
    Placeholder,
    /// A generic match whose value is code (a variable, a call, an env lookup), not a literal.
    Reference,
    /// A generic match in a test file, where such values are fixtures (provider formats are
    /// still reported there); a sensitive file in a test suite. Documentation is not skipped:
    /// weak values there are graded `low` instead.
    TestOrDocs,
    /// A generic match in generated or third-party content: a lockfile, a source map, a
    /// minified bundle, a vendored directory (provider formats are still reported there).
    Generated,
    /// A history finding attributed to a commit of `[allow] commits`.
    AllowCommit,
    /// A finding graded below `--confidence` (a weak password in free text, by default).
    LowConfidence,
}

impl Reason {
    pub const ALL: [Reason; 10] = [
        Reason::AllowPath,
        Reason::AllowRegex,
        Reason::Inline,
        Reason::Stopword,
        Reason::Placeholder,
        Reason::Reference,
        Reason::TestOrDocs,
        Reason::Generated,
        Reason::AllowCommit,
        Reason::LowConfidence,
    ];

    /// How the summary names it.
    pub fn label(self) -> &'static str {
        match self {
            Reason::AllowPath => "allowlisted path",
            Reason::AllowRegex => "allowlisted value",
            Reason::Inline => "inline marker",
            Reason::Stopword => "stopword",
            Reason::Placeholder => "placeholder or example",
            Reason::Reference => "code reference",
            Reason::TestOrDocs => "test or docs file",
            Reason::Generated => "lockfile, bundle or vendored file",
            Reason::AllowCommit => "allowlisted commit",
            Reason::LowConfidence => "below --confidence",
        }
    }
}

/// Suppressed candidates counted by reason.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally(pub [u64; Reason::ALL.len()]);

impl Tally {
    pub fn add(&mut self, reason: Reason, n: u64) {
        self.0[reason as usize] += n;
    }
    pub fn merge(&mut self, other: &Tally) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
    /// `(label, count)` of the reasons with a count.
    pub fn nonzero(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        Reason::ALL
            .iter()
            .zip(self.0)
            .filter(|(_, n)| *n > 0)
            .map(|(r, n)| (r.label(), n))
    }
}

/// The inline marker that suppresses findings on its line.
pub const INLINE_MARKER: &[u8] = b"scan-secrets:allow";

/// Other scanners' inline markers, honoured with `--accept-foreign-markers`.
pub const FOREIGN_MARKERS: [&[u8]; 4] = [
    b"gitleaks:allow",
    b"pragma: allowlist secret",
    b"trufflehog:ignore",
    b"kingfisher:ignore",
];

/// How far from a match its line is looked at (inline markers, the name before a value): a
/// minified file is one line of megabytes, and each match must cost the same on it.
const LINE_CONTEXT: usize = 1024;

/// The byte range of the line(s) holding `span`, at most `LINE_CONTEXT` bytes on each side.
/// Line breaks a match begins with (a rule's leading boundary) are not part of it: the line of
/// `\nPASSWORD=...` is the one of `PASSWORD`, not the comment above it.
pub fn lines_of(text: &[u8], span: &Range<usize>) -> Range<usize> {
    let breaks = text[span.clone()]
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .count();
    let first = span.start + breaks;
    let lo = first.saturating_sub(LINE_CONTEXT);
    let start = memchr::memrchr(b'\n', &text[lo..first]).map_or(lo, |i| lo + i + 1);
    let hi = (span.end + LINE_CONTEXT).min(text.len());
    let end = memchr::memchr(b'\n', &text[span.end..hi]).map_or(hi, |i| span.end + i);
    start..end
}

/// `Inline` when the candidate's line carries an inline marker.
pub fn inline(text: &[u8], cand: &Candidate, allow: &allowlist::Allowlist) -> Option<Reason> {
    marker_at(text, cand, allow).map(|_| Reason::Inline)
}

/// The offset in `text` of the inline marker on the candidate's line, if it has one.
pub fn marker_at(text: &[u8], cand: &Candidate, allow: &allowlist::Allowlist) -> Option<usize> {
    let lines = lines_of(text, &cand.span);
    let line = &text[lines.clone()];
    let at = memchr::memmem::find(line, INLINE_MARKER).or_else(|| {
        FOREIGN_MARKERS
            .iter()
            .filter(|_| allow.foreign_markers)
            .find_map(|m| memchr::memmem::find(line, m))
    })?;
    Some(lines.start + at)
}

/// Decides one candidate; `None` means it is reported.
pub fn check(
    rule: &Rule,
    cand: &Candidate,
    text: &[u8],
    path: Option<&str>,
    allow: &allowlist::Allowlist,
) -> Option<Reason> {
    inline(text, cand, allow).or_else(|| check_unmarked(rule, cand, text, path, allow))
}

/// `check` without the inline marker: what else would hide the candidate (for a range
/// scan, which lists what a marker the change adds hides).
pub fn check_unmarked(
    rule: &Rule,
    cand: &Candidate,
    text: &[u8],
    path: Option<&str>,
    allow: &allowlist::Allowlist,
) -> Option<Reason> {
    let value = &text[cand.secret.clone()];
    if let Some(reason) = allow.hides(&rule.id, path, value) {
        return Some(reason);
    }
    if value.is_empty() {
        // A path rule's finding about a file as a whole: there is no value to judge. In a test
        // suite such files are fixtures on purpose (TLS test keys, sample .env files); key
        // material inside them is still reported by the content rules.
        return path
            .is_some_and(paths::is_test_path)
            .then_some(Reason::TestOrDocs);
    }
    let lower = String::from_utf8_lossy(value).to_ascii_lowercase();
    if placeholder::is_placeholder(&lower, value)
        || defaults::default_credentials(text, cand, value, &lower)
    {
        return Some(Reason::Placeholder);
    }
    if !rule.generic {
        return None;
    }
    // Generic matches in tests are fixtures; provider formats are reported everywhere.
    if let Some(p) = path {
        if paths::is_test_path(p) {
            return Some(Reason::TestOrDocs);
        }
        if paths::is_generated_path(p) {
            return Some(Reason::Generated);
        }
    }
    context::check(rule, value, &lower, text, cand, path)
}
