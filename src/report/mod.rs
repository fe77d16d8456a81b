//! Reporters format a sorted `Report`; they compute nothing.

mod advice;
pub mod human;
pub mod json;
pub mod remote;
pub mod rotation;
pub mod sarif;

use std::io::Write;
use std::time::Duration;

use crate::cli::Format;
use crate::filter::Tally;
use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::source::history::RefUpdate;

/// Everything the reporters need; they compute nothing themselves.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by origin (path, or commit date then path), then position.
    pub findings: Vec<Finding>,
    /// Files, or blobs for git scans.
    pub files: u64,
    pub bytes: u64,
    pub skipped_large: u64,
    pub skipped_binary: u64,
    pub suppressed: Tally,
    /// Files, objects or refs that could not be read, one message each; any makes the exit
    /// status 2. Printed by `print_notes`.
    pub problems: Vec<String>,
    /// What the user should know about the scan's coverage (a shallow clone, conflicted
    /// paths). Printed by `print_notes`.
    pub notes: Vec<String>,
    pub elapsed: Duration,
    pub max_file_size: u64,
    /// History and range scans: how many commits were selected.
    pub commits: Option<usize>,
    /// Range, `--since` and pre-push scans: findings not reported only because of an inline
    /// marker on a line the scanned commits add, listed for review as suppressed by this
    /// change. Sorted like `findings`.
    pub marked: Vec<Finding>,
    /// Findings not reported because the baseline lists them.
    pub baselined: u64,
    /// Baseline entries that nothing in this scan matched.
    pub stale_baseline: u64,
    /// When the scan ran (seconds since the epoch), for "committed 3 days ago".
    pub now: i64,
}

impl Report {
    /// How many problems the scan met (the exit status is 2 when any).
    pub fn errors(&self) -> u64 {
        self.problems.len() as u64
    }
}

/// Prints the scan's notes and problems to stderr, before the report itself (the
/// human summary refers to them as "see above"). Control characters are neutralised.
pub fn print_notes(report: &Report) {
    let mut err = std::io::stderr().lock();
    for note in &report.notes {
        let _ = writeln!(err, "scan-secrets: note: {}", crate::text::sanitize(note));
    }
    for problem in &report.problems {
        let _ = writeln!(err, "scan-secrets: {}", crate::text::sanitize(problem));
    }
}

/// How the reporters present values.
pub struct View<'a> {
    pub rules: &'a RuleSet,
    pub show_secrets: bool,
    pub color: bool,
    pub quiet: bool,
    pub show_suppressed: bool,
    /// Where the secrets are: the human text's advice fits it (JSON and SARIF do not change).
    pub moment: Moment<'a>,
}

/// Where the secrets found are, which decides what the human output advises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment<'a> {
    /// Files on disk (committed or not: unknown): the full rotation guide.
    Files,
    /// Staged, not committed yet.
    Staged,
    /// In commits: local only or pushed, per finding (its exposure).
    Commits,
    /// In commits a pre-push hook is about to push: local only.
    PrePush,
    /// In a push the server refuses (pre-receive): never stored there.
    Refused(&'a [RefUpdate]),
}

impl View<'_> {
    /// The secret as printed: redacted unless `--show-secrets`, control characters neutralised.
    pub fn secret(&self, secret: &[u8]) -> String {
        if self.show_secrets {
            crate::text::sanitize(&String::from_utf8_lossy(secret))
        } else {
            crate::finding::redact(secret)
        }
    }
}

/// For a path rule's finding (a sensitive file): how to keep the file out of git.
pub fn file_advice(rules: &RuleSet, finding: &Finding) -> Option<String> {
    rules.rules[finding.rule].paths.as_ref()?;
    let path = crate::text::sanitize(finding.origin.path());
    let name = path.rsplit('/').next().unwrap_or(&path);
    Some(format!(
        "add {} to .gitignore, then stop tracking the file: git rm --cached -- {}",
        crate::text::shell_quote(name),
        crate::text::shell_quote(&path)
    ))
}

pub fn write(
    report: &Report,
    format: Format,
    view: &View,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => match view.moment {
            Moment::Refused(updates) => remote::write(report, view, updates, out),
            _ => human::write(report, view, out),
        },
        Format::Json => json::write(report, view, out, false),
        Format::Jsonl => json::write(report, view, out, true),
        Format::Sarif => sarif::write(report, view, out),
    }
}
