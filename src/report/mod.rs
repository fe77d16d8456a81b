//! Reporters format a sorted `Report`; they compute nothing.

pub mod human;
pub mod json;
pub mod rotation;
pub mod sarif;

pub use human::plural;

use std::io::Write;

use crate::cli::Format;
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
