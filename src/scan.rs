//! The orchestrator: sources → matcher → filters → findings, in parallel, then sorted into a
//! `Report` for the reporters.

use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::{Mode, Settings};
use crate::error::Error;
use crate::filter::{self, allowlist::Allowlist};
use crate::finding::{fingerprint, Finding, Location};
use crate::matcher::Matcher;
use crate::source::{self, worktree::WalkStats, Chunk};

/// Everything the reporters need; they compute nothing themselves.
#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by path, then position.
    pub findings: Vec<Finding>,
    pub files: u64,
    pub bytes: u64,
    pub skipped_large: u64,
    pub skipped_binary: u64,
    pub suppressed: u64,
    /// Per-file errors already printed to stderr; any makes the exit status 2.
    pub errors: u64,
    pub elapsed: Duration,
    pub max_file_size: u64,
}

pub fn run(settings: &Settings) -> Result<Report, Error> {
    let start = Instant::now();
    let matcher = Matcher::new(settings.rules.clone());
    let collected = Mutex::new((Vec::new(), 0u64));
    let handle = |chunk: Chunk| {
        let (found, suppressed) = scan_chunk(&matcher, &settings.allow, &chunk);
        if !found.is_empty() || suppressed > 0 {
            let mut c = collected.lock().unwrap_or_else(|p| p.into_inner());
            c.0.extend(found);
            c.1 += suppressed;
        }
    };
    let stats = WalkStats::default();
    match &settings.mode {
        Mode::Files(paths) => source::worktree::walk(paths, settings, &stats, handle),
        Mode::Stdin => {
            let chunk = source::stdin::read()?;
            stats.files.store(1, Ordering::Relaxed);
            stats
                .bytes
                .store(chunk.text.len() as u64, Ordering::Relaxed);
            handle(chunk);
        }
    }
    let (mut findings, suppressed) = collected.into_inner().unwrap_or_else(|p| p.into_inner());
    findings.sort_by(|a, b| (&a.origin, a.location, a.rule).cmp(&(&b.origin, b.location, b.rule)));
    Ok(Report {
        findings,
        files: stats.files.into_inner(),
        bytes: stats.bytes.into_inner(),
        skipped_large: stats.skipped_large.into_inner(),
        skipped_binary: stats.skipped_binary.into_inner(),
        suppressed,
        errors: stats.errors.into_inner(),
        elapsed: start.elapsed(),
        max_file_size: settings.max_file_size,
    })
}

/// Matches one chunk and applies the filters; returns the findings and the suppressed count.
pub fn scan_chunk(matcher: &Matcher, allow: &Allowlist, chunk: &Chunk) -> (Vec<Finding>, u64) {
    let cands = matcher.scan(&chunk.text);
    if cands.is_empty() {
        return (Vec::new(), 0);
    }
    if chunk
        .rel_path
        .as_deref()
        .is_some_and(|p| allow.path_allowed(p))
    {
        return (Vec::new(), cands.len() as u64);
    }
    let rules = matcher.rules();
    let mut lines = LineCounter::new(&chunk.text);
    let mut out = Vec::new();
    let mut suppressed = 0;
    for c in cands {
        let rule = &rules.rules[c.rule];
        if filter::check(rule, &c, &chunk.text, chunk.rel_path.as_deref(), allow).is_some() {
            suppressed += 1;
            continue;
        }
        let secret = chunk.text[c.secret.clone()].to_vec();
        let (line, column) = lines.position(c.secret.start);
        let (end_line, end_column) = lines.position_from(line, c.secret.end);
        out.push(Finding {
            rule: c.rule,
            origin: chunk.origin.clone(),
            location: Location {
                line,
                column,
                end_line,
                end_column,
            },
            fingerprint: fingerprint(&rule.id, &secret),
            secret,
            entropy: c.entropy,
            confidence: c.confidence,
        });
    }
    (out, suppressed)
}

/// Turns byte offsets (visited in increasing order) into 1-based line and column numbers,
/// counting columns in characters.
pub struct LineCounter<'a> {
    text: &'a [u8],
    /// Offset and number of the line last reached.
    line_start: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            line_start: 0,
            line: 1,
        }
    }

    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.line_start {
            self.line_start = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &self.text[self.line_start..offset]).count();
        if let Some(i) = memchr::memrchr(b'\n', &self.text[self.line_start..offset]) {
            self.line_start += i + 1;
        }
        let col = self.text[self.line_start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (self.line, col)
    }

    /// Position of an end offset without moving the counter (the next start may be earlier).
    fn position_from(&self, line: usize, offset: usize) -> (usize, usize) {
        let seg = &self.text[self.line_start..offset];
        let extra = memchr::memchr_iter(b'\n', seg).count();
        let start =
            memchr::memrchr(b'\n', seg).map_or(self.line_start, |i| self.line_start + i + 1);
        let col = self.text[start..offset]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count()
            + 1;
        (line + extra, col)
    }
}

#[cfg(test)]
mod tests {
    use super::LineCounter;

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncdé f\n\nxyz".as_bytes();
        let mut lc = LineCounter::new(text);
        assert_eq!(lc.position(0), (1, 1));
        assert_eq!(lc.position(4), (2, 2));
        // 'f' comes after the two-byte é: column counts characters.
        let f = text.iter().position(|&b| b == b'f').unwrap();
        assert_eq!(lc.position(f), (2, 5));
        assert_eq!(lc.position(text.len() - 1), (4, 3));
        assert_eq!(lc.position(1), (1, 2));
    }
}
