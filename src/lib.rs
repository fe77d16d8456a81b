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

pub mod cli;
pub mod commands;
pub mod config;
pub mod entropy;
pub mod error;
pub mod exit;
pub mod filter;
pub mod finding;
pub mod hook;
pub mod matcher;
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
        None => scan_command(cli.scan),
    }
}

fn scan_command(args: cli::ScanArgs) -> Result<Status, Error> {
    let settings = config::Settings::resolve(args)?;
    let report = scan::run(&settings)?;
    let view = report::View {
        rules: &settings.rules,
        show_secrets: settings.show_secrets,
        color: settings.color,
        quiet: settings.quiet,
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
