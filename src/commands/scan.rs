//! A scan (no subcommand) and `scan-secrets baseline`: resolve the settings, run the scan,
//! apply or write the baseline, and hand the report to a reporter.

use std::io::Write;

use crate::cli;
use crate::config;
use crate::error::Error;
use crate::exit::Status;
use crate::filter::baseline;
use crate::report;
use crate::scan;
use crate::source::history::Selection;

/// Prints the settings' warnings, runs the scan they describe, applies the baseline, reviews
/// the change under review (a range scan), then prints the notes and problems: once, here,
/// for every command that scans.
pub(crate) fn run(settings: &config::Settings) -> Result<report::Report, Error> {
    for warning in &settings.warnings {
        eprintln!("scan-secrets: warning: {warning}");
    }
    let mut report = scan::run(settings)?;
    if let Some(path) = &settings.baseline {
        if let Err(e) = apply_baseline(settings, path, &mut report) {
            report::print_notes(&report);
            return Err(e);
        }
    }
    if let Some(review) = &settings.review {
        let notes = review.notes(&report, &settings.rules);
        report.notes.extend(notes);
    }
    report::print_notes(&report);
    Ok(report)
}

/// `scan-secrets baseline`: scan, then write every finding's fingerprint to the baseline file.
pub fn baseline(mut args: cli::ScanArgs) -> Result<Status, Error> {
    let output = args.output.take();
    args.baseline = None;
    args.update_baseline = false;
    let mut settings = config::Settings::resolve(args)?;
    // The new baseline records everything found, whatever an older one says.
    settings.baseline = None;
    let path = output.unwrap_or_else(|| settings.root.join(baseline::DEFAULT_FILE));
    let report = run(&settings)?;
    let file = baseline::Baseline::of(&path, &report.findings, &settings.rules);
    file.save()?;
    eprintln!(
        "scan-secrets: wrote {} to {}",
        crate::text::plural(file.entries.len() as u64, "baseline entry"),
        path.display()
    );
    // Findings are recorded, not reported: only problems change the status.
    Ok(Status::of_scan(0, report.errors()))
}

pub fn scan(args: cli::ScanArgs) -> Result<Status, Error> {
    let settings = config::Settings::resolve(args)?;
    let updates = match &settings.mode {
        config::Mode::History(_, Selection::PreReceive(updates)) => Some(updates.as_slice()),
        _ => None,
    };
    if let Some(timeout) = settings.timeout {
        super::receive::watchdog(timeout, updates.is_some());
    }
    let report = run(&settings)?;
    let view = report::View {
        rules: &settings.rules,
        show_secrets: settings.show_secrets,
        color: settings.color,
        quiet: settings.quiet,
        show_suppressed: settings.show_suppressed,
        moment: match (&settings.mode, updates) {
            (_, Some(updates)) => report::Moment::Refused(updates),
            (config::Mode::Staged(_), _) => report::Moment::Staged,
            (config::Mode::History(_, Selection::PrePush(_)), _) => report::Moment::PrePush,
            (config::Mode::History(..), _) => report::Moment::Commits,
            _ => report::Moment::Files,
        },
    };
    let mut out: Box<dyn Write> = match &settings.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| Error::io(path, e))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    report::write(&report, settings.format, &view, &mut out).map_err(Error::Output)?;
    drop(out);
    let status = Status::of_scan(report.findings.len(), report.errors());
    match updates {
        Some(updates) => super::receive::settle(&settings, updates, &report, status),
        None => Ok(status),
    }
}

/// Drops the findings the baseline lists (after rewriting it first, with
/// `--update-baseline`), and records the counts for the summary. The baseline is the one read
/// at the base of a change under review, else the file at `path`.
fn apply_baseline(
    settings: &config::Settings,
    path: &std::path::Path,
    report: &mut report::Report,
) -> Result<(), Error> {
    let load = || match &settings.baseline_at_base {
        Some(b) => Ok(b.clone()),
        None => baseline::Baseline::load(path),
    };
    let baseline = if settings.update_baseline {
        let old = match settings.baseline_at_base.is_some() || path.exists() {
            true => load()?,
            false => baseline::Baseline::default(),
        };
        let new = baseline::Baseline::of(path, &report.findings, &settings.rules);
        new.save()?;
        let known = |b: &baseline::Baseline, e: &baseline::Entry| {
            b.entries.iter().any(|o| o.fingerprint == e.fingerprint)
        };
        eprintln!(
            "scan-secrets: updated {}: {} added, {} dropped, {} in all",
            path.display(),
            new.entries.iter().filter(|e| !known(&old, e)).count(),
            old.entries.iter().filter(|e| !known(&new, e)).count(),
            new.entries.len()
        );
        new
    } else {
        load()?
    };
    let applied = baseline.apply(&mut report.findings);
    report.baselined = applied.matched;
    report.stale_baseline = applied.stale;
    Ok(())
}
