//! scan-secrets: find credentials before they leave the machine, and say how to rotate them.
//!
//! ```text
//!  source ──► chunks ──► matcher ──► candidates ──► filters ──► findings ──► reporter
//!  (worktree,  (bytes +   (keyword     (rule, span,   (allowlist,  (fingerprint, (human, json,
//!   stdin)      origin)    prefilter,   secret)        inline,      redaction)    jsonl)
//!                          regex, gates)               placeholders)
//! ```
//!
//! Sources never look at rules, the matcher never looks at paths or config, filters never
//! re-run regexes over whole files, and reporters only format a sorted `Report`.

pub mod baseline;
pub mod cli;
pub mod commands;
pub mod config;
pub mod decode;
pub mod entropy;
pub mod error;
pub mod exit;
pub mod exposure;
pub mod filter;
pub mod finding;
pub mod fix;
pub mod hook;
pub mod lint;
pub mod matcher;
pub mod purge;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;

use std::io::Write;

use cli::{Cli, Command};
use error::Error;
use exit::Status;

/// Runs the command line and returns the exit status; errors are returned for `main` to print.
pub fn run(cli: Cli) -> Result<Status, Error> {
    match cli.command {
        Some(Command::Rules(args)) => commands::rules(args),
        Some(Command::Rotate(args)) => commands::rotate(args),
        Some(Command::Install(args)) => hook::install(args),
        Some(Command::Uninstall(args)) => hook::uninstall(args),
        Some(Command::Baseline(args)) => baseline_command(args.scan),
        Some(Command::Config(args)) => commands::config(args),
        Some(Command::PurgePlan(args)) => purge::plan(args),
        Some(Command::Fix(args)) => fix::fix_staged(args),
        None => scan_command(cli.scan),
    }
}

/// `scan-secrets baseline`: scan, then write every finding's fingerprint to the baseline file.
fn baseline_command(mut args: cli::ScanArgs) -> Result<Status, Error> {
    let output = args.output.take();
    args.baseline = None;
    args.update_baseline = false;
    let mut settings = config::Settings::resolve(args)?;
    // The new baseline records everything found, whatever an older one says.
    settings.baseline = None;
    let path = output.unwrap_or_else(|| settings.root.join(baseline::DEFAULT_FILE));
    let report = scan::run(&settings)?;
    let file = baseline::Baseline::of(&path, &report.findings, &settings.rules);
    file.save()?;
    eprintln!(
        "scan-secrets: wrote {} to {}",
        report::plural(file.entries.len() as u64, "baseline entry"),
        path.display()
    );
    Ok(if report.errors > 0 {
        Status::Error
    } else {
        Status::Clean
    })
}

fn scan_command(args: cli::ScanArgs) -> Result<Status, Error> {
    let settings = config::Settings::resolve(args)?;
    let mut report = scan::run(&settings)?;
    if let Some(path) = &settings.baseline {
        apply_baseline(&settings, path, &mut report)?;
    }
    let view = report::View {
        rules: &settings.rules,
        show_secrets: settings.show_secrets,
        color: settings.color,
        quiet: settings.quiet,
        show_suppressed: settings.show_suppressed,
    };
    let mut out: Box<dyn Write> = match &settings.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| Error::io(path, e))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    report::write(&report, settings.format, &view, &mut out).map_err(Error::Output)?;
    Ok(Status::of_scan(report.findings.len(), report.errors))
}

/// Drops the findings the baseline lists (after rewriting it first, with
/// `--update-baseline`), and records the counts for the summary.
pub(crate) fn apply_baseline(
    settings: &config::Settings,
    path: &std::path::Path,
    report: &mut scan::Report,
) -> Result<(), Error> {
    let baseline = if settings.update_baseline {
        let old = match path.exists() {
            true => baseline::Baseline::load(path)?,
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
        baseline::Baseline::load(path)?
    };
    let applied = baseline.apply(&mut report.findings);
    report.baselined = applied.matched;
    report.stale_baseline = applied.stale;
    Ok(())
}
