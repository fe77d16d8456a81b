//! scan-secrets: find credentials before they leave the machine, and say how to rotate them.
//!
//! ```text
//!  source ──► chunks ──► matcher ──► candidates ──► filters ──► findings ──► reporter
//!  (worktree,  (bytes +   (keyword     (rule, span,   (allowlist,  (fingerprint, (human, json,
//!   staged,     origin)    prefilter,   secret)        inline,      redaction,    sarif)
//!   history,               regex, gates)               placeholders, exposure,
//!   stdin)                                             baseline)     env hint)
//! ```
//!
//! Sources never look at rules, the matcher never looks at paths or config, filters never
//! re-run regexes over whole files, and reporters only format a sorted `Report`.
//!
//! Modules are layered, and each uses only the layers below it (`tests/layers.rs` checks it):
//!
//! | layer | modules | job |
//! |---|---|---|
//! | commands | `commands/` | one file per subcommand: what `main` runs through `run` |
//! | utilities | `lint` | checks of the pattern files (tests, `examples/`) |
//! | orchestration | `scan` | runs sources → matcher → filters in parallel, builds the `Report` |
//! | settings | `config` | flags + `.scan-secrets.toml` → `Settings` |
//! | reporters | `report/` | the `Report`, its formats, rotation guides |
//! | annotations | `exposure`, `fix` | how far a commit travelled; the env-var rewrite of a line |
//! | filters | `filter/` | allowlists, placeholders, context, baseline |
//! | matching, sources | `matcher/`, `source/` | candidates in bytes; bytes from files and git |
//! | data | `finding` | findings, origins, commits, exposure and hints as plain data |
//! | rules | `rules/` | the rule set and pattern files |
//! | leaves | `cli`, `decode`, `entropy`, `error`, `exit`, `text` | no crate imports |

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
pub mod lint;
pub mod matcher;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod text;

use cli::{Cli, Command};
use error::Error;
use exit::Status;

/// Runs the command line and returns the exit status; errors are returned for `main` to print.
pub fn run(cli: Cli) -> Result<Status, Error> {
    let status = dispatch(cli);
    // The private object store of a push being received, if one was made.
    source::quarantine::release();
    status
}

fn dispatch(cli: Cli) -> Result<Status, Error> {
    match cli.command {
        Some(Command::Rules(args)) => commands::rules::rules(args),
        Some(Command::Rotate(args)) => commands::rotate::rotate(args),
        Some(Command::Install(args)) => commands::install::install(args),
        Some(Command::Uninstall(args)) => commands::install::uninstall(args),
        Some(Command::Baseline(args)) => commands::scan::baseline(args.scan),
        Some(Command::Config(args)) => commands::config::config(args),
        Some(Command::PurgePlan(args)) => commands::purge::plan(args),
        Some(Command::Fix(args)) => commands::fix::fix_staged(args),
        None => commands::scan::scan(cli.scan),
    }
}
