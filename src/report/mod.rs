//! Reporters format a sorted `Report`; they compute nothing.

pub mod human;
pub mod json;
pub mod rotation;
pub mod sarif;

pub use human::plural;

use std::io::Write;

use crate::cli::Format;
use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::scan::Report;

/// How the reporters present values.
pub struct View<'a> {
    pub rules: &'a RuleSet,
    pub show_secrets: bool,
    pub color: bool,
    pub quiet: bool,
    pub show_suppressed: bool,
}

impl View<'_> {
    /// The secret as printed: redacted unless `--show-secrets`, control characters neutralised.
    pub fn secret(&self, secret: &[u8]) -> String {
        if self.show_secrets {
            crate::finding::sanitize(&String::from_utf8_lossy(secret))
        } else {
            crate::finding::redact(secret)
        }
    }
}

/// For a path rule's finding (a sensitive file): how to keep the file out of git.
pub fn file_advice(rules: &RuleSet, finding: &Finding) -> Option<String> {
    rules.rules[finding.rule].paths.as_ref()?;
    let path = crate::finding::sanitize(finding.origin.path());
    let name = path.rsplit('/').next().unwrap_or(&path);
    Some(format!(
        "add {} to .gitignore, then stop tracking the file: git rm --cached -- {}",
        crate::hook::shell_quote(name),
        crate::hook::shell_quote(&path)
    ))
}

pub fn write(
    report: &Report,
    format: Format,
    view: &View,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(report, view, out),
        Format::Json => json::write(report, view, out, false),
        Format::Jsonl => json::write(report, view, out, true),
        Format::Sarif => sarif::write(report, view, out),
    }
}
