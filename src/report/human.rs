//! Human output: findings grouped by secret, each with its places; then one rotation guide per
//! provider found; then a summary line. Colours only when asked for or on a terminal.

use std::collections::HashMap;
use std::io::Write;

use owo_colors::OwoColorize;

use super::Report;
use super::{advice, rotation, Moment, View};
use crate::finding::{CommitInfo, Finding};
use crate::rules::Confidence;
use crate::text::{human_bytes, plural, sanitize};

pub fn write(report: &Report, view: &View, out: &mut dyn Write) -> std::io::Result<()> {
    let paint = Paint(view.color);
    // Group occurrences by fingerprint, in order of first appearance.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        match index.get(f.fingerprint.as_str()) {
            Some(&g) => groups[g].1.push(i),
            None => {
                index.insert(&f.fingerprint, groups.len());
                groups.push((&f.fingerprint, vec![i]));
            }
        }
    }
    // Most exposed first (pushed and released, pushed, tagged, local only); otherwise in
    // order of appearance.
    let rank = |members: &Vec<usize>| {
        members
            .iter()
            .filter_map(|&i| report.findings[i].exposure.as_ref().map(|e| e.rank()))
            .min()
            .unwrap_or(0)
    };
    groups.sort_by_key(|(_, members)| rank(members));
    let mut providers: Vec<usize> = Vec::new();
    for (_, members) in &groups {
        let first = &report.findings[members[0]];
        let rule = &view.rules.rules[first.rule];
        let provider = view.rules.provider_of(rule);
        if !providers.contains(&rule.provider) {
            providers.push(rule.provider);
        }
        let conf = match first.confidence {
            Confidence::High => paint.red_bold("high confidence"),
            Confidence::Medium => paint.red("medium confidence"),
            Confidence::Low => paint.yellow("low confidence"),
        };
        writeln!(
            out,
            "{} {}  {}",
            paint.bold(&format!("{}:", provider.name)),
            paint.bold(&sanitize(&rule.description)),
            paint.dim(&format!("[{}] {conf}", rule.id)),
        )?;
        if !first.secret.is_empty() {
            let encoded = match first.encoding {
                Some(e) => paint.dim(&format!("  (decoded from {})", e.as_str())),
                None => String::new(),
            };
            writeln!(
                out,
                "  secret  {}{encoded}",
                paint.cyan(&view.secret(&first.secret))
            )?;
        }
        for &i in members {
            let f = &report.findings[i];
            let mut place = format!(
                "  at      {}:{}:{}",
                paint.magenta(&sanitize(f.origin.path())),
                f.location.line,
                f.location.column
            );
            if let Some(c) = f.origin.commit() {
                let date = c.date();
                place.push_str(&paint.dim(&format!(
                    "  (commit {}, {}{})",
                    c.short_id(),
                    date.get(..10).unwrap_or(&date),
                    match f.more_occurrences {
                        0 => String::new(),
                        n => format!(", {n} more"),
                    }
                )));
            }
            writeln!(out, "{place}")?;
            if let (Some(e), Some(c)) = (&f.exposure, f.origin.commit()) {
                let verdict = sanitize(&e.verdict(c.short_id(), c.time, report.now));
                let verdict = if e.pushed() || e.tag.is_some() {
                    paint.red(&verdict)
                } else {
                    paint.yellow(&verdict)
                };
                writeln!(out, "  exposed {verdict}")?;
            }
        }
        if let Some(advice) = super::file_advice(view.rules, first) {
            writeln!(out, "  fix     {advice}")?;
        }
        if let Some(h) = &first.hint {
            let needs = h.needs.map(|n| format!(" ({n})")).unwrap_or_default();
            writeln!(
                out,
                "  fix     {}{needs}  {}",
                paint.green(&sanitize(&h.line)),
                paint.dim(&format!(
                    "read it from {}; `scan-secrets fix --staged` edits staged files",
                    h.env_var
                ))
            )?;
        }
        writeln!(out)?;
    }
    if !view.quiet {
        for &p in &providers {
            let provider = &view.rules.providers[p];
            let (title, text) = match where_(report, view, p) {
                Where::Staged => (
                    format!("What to do: {} (not committed yet)", provider.name),
                    advice::staged(provider, "  "),
                ),
                Where::Local(earliest) => (
                    format!("What to do: {} (in local commits only)", provider.name),
                    advice::local(provider, earliest, "  "),
                ),
                Where::Exposed => (
                    format!("How to rotate: {}", provider.name),
                    rotation::render(provider, "  "),
                ),
            };
            writeln!(out, "{}", paint.bold(&title))?;
            write!(out, "{text}")?;
            writeln!(out)?;
        }
        summary(report, groups.len(), &paint, out)?;
        if view.show_suppressed {
            let by_reason: Vec<String> = report
                .suppressed
                .nonzero()
                .map(|(label, n)| format!("{n} {label}"))
                .collect();
            if !by_reason.is_empty() {
                writeln!(out, "Suppressed: {}.", by_reason.join(", "))?;
            }
        }
    }
    out.flush()
}

/// Where one provider's secrets are, as far as the advice goes.
enum Where<'a> {
    Staged,
    /// Only in commits that no remote-tracking ref or tag reaches; the earliest of them.
    Local(&'a CommitInfo),
    /// Pushed, tagged, or not known (files on disk): rotate.
    Exposed,
}

fn where_<'a>(report: &'a Report, view: &View, provider: usize) -> Where<'a> {
    let mine = || {
        report
            .findings
            .iter()
            .filter(move |f| view.rules.rules[f.rule].provider == provider)
    };
    let local = |f: &Finding| match view.moment {
        Moment::PrePush => true,
        Moment::Commits => f.exposure.as_ref().is_some_and(|e| e.rank() == 3),
        _ => false,
    };
    match view.moment {
        Moment::Staged => Where::Staged,
        Moment::PrePush | Moment::Commits if mine().all(local) => mine()
            .filter_map(|f| f.origin.commit())
            .min_by_key(|c| c.time)
            .map_or(Where::Exposed, Where::Local),
        _ => Where::Exposed,
    }
}

fn summary(
    report: &Report,
    secrets: usize,
    paint: &Paint,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let size = human_bytes(report.bytes);
    // `3 files (1.2 KiB)` or, for git history, `18 commits (183 blobs, 1.2 MiB)`.
    let scanned = match report.commits {
        Some(n) => format!(
            "{} ({}, {size})",
            plural(n as u64, "commit"),
            plural(report.files, "blob")
        ),
        None => format!("{} ({size})", plural(report.files, "file")),
    };
    let secs = report.elapsed.as_secs_f64();
    let line = if report.findings.is_empty() {
        paint.green(&format!("No secrets found in {scanned} in {secs:.2}s."))
    } else {
        paint.red_bold(&format!(
            "Found {} in {} in {scanned} in {secs:.2}s.",
            plural(secrets as u64, "secret"),
            plural(report.findings.len() as u64, "place"),
        ))
    };
    write!(out, "{line}")?;
    let mut notes = Vec::new();
    if report.skipped_large > 0 {
        notes.push(format!(
            "skipped {} over {} (--max-file-size)",
            plural(report.skipped_large, "file"),
            human_bytes(report.max_file_size)
        ));
    }
    if report.skipped_binary > 0 {
        notes.push(format!(
            "skipped {}",
            plural(report.skipped_binary, "binary file")
        ));
    }
    if report.suppressed.total() > 0 {
        notes.push(format!("{} suppressed", report.suppressed.total()));
    }
    if report.baselined > 0 {
        notes.push(format!("{} in the baseline", report.baselined));
    }
    if report.stale_baseline > 0 {
        notes.push(format!(
            "{} no longer found (--update-baseline drops them)",
            plural(report.stale_baseline, "baseline entry")
        ));
    }
    if report.errors() > 0 {
        notes.push(format!("{} (see above)", plural(report.errors(), "error")));
    }
    if !notes.is_empty() {
        write!(out, " {}", paint.dim(&format!("({})", notes.join("; "))))?;
    }
    writeln!(out)
}

/// Applies colours only when enabled.
struct Paint(bool);

impl Paint {
    fn apply(&self, s: &str, f: impl Fn(&str) -> String) -> String {
        if self.0 {
            f(s)
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.apply(s, |s| s.bold().to_string())
    }
    fn dim(&self, s: &str) -> String {
        self.apply(s, |s| s.dimmed().to_string())
    }
    fn red(&self, s: &str) -> String {
        self.apply(s, |s| s.red().to_string())
    }
    fn red_bold(&self, s: &str) -> String {
        self.apply(s, |s| s.red().bold().to_string())
    }
    fn yellow(&self, s: &str) -> String {
        self.apply(s, |s| s.yellow().to_string())
    }
    fn green(&self, s: &str) -> String {
        self.apply(s, |s| s.green().to_string())
    }
    fn cyan(&self, s: &str) -> String {
        self.apply(s, |s| s.cyan().to_string())
    }
    fn magenta(&self, s: &str) -> String {
        self.apply(s, |s| s.magenta().to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::text::human_bytes;

    #[test]
    fn sizes() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(10 << 20), "10 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}
