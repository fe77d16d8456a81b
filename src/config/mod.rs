//! `.scan-secrets.toml` and the command line, merged into one resolved `Settings` before any
//! scanning starts. No other stage reads `Cli`.
//!
//! ```toml
//! disable = ["generic-password"]      # rule ids to turn off
//! confidence = "medium"               # lowest confidence reported: low | medium | high
//! [allow]
//! paths = ["tests/fixtures/**"]       # globs, relative to the scanned directory
//! regexes = ["^sk_test_"]             # on the secret value
//! [limits]
//! max_file_size = "10M"
//! [[rule]]                            # custom rules, pattern schema of patterns/*.toml
//! id = "acme-token" ...
//! ```

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::cli::{ColorChoice, Format, ScanArgs};
use crate::error::Error;
use crate::filter::allowlist::Allowlist;
use crate::filter::baseline::Baseline;
use crate::rules::file::RuleSpec;
use crate::rules::{Confidence, RuleSet};
use crate::source::history::{self, Selection};

mod check;
mod outside;
mod review;

pub use check::check_str;
use check::{check, check_examples, Checked};
use outside::{repo_config, ConfigFrom, RepoConfig};
pub use review::Review;

pub const CONFIG_FILE: &str = ".scan-secrets.toml";
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub allow: AllowSection,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
    /// Baseline file, relative to the config file's directory.
    pub baseline: Option<PathBuf>,
    /// `false`: only the `[[rule]]`s of this file, no built-in rules.
    pub extend: Option<bool>,
    /// The lowest confidence reported: `low`, `medium` (default) or `high`.
    pub confidence: Option<String>,
    /// `[pre_receive]`: the server's settings for `--pre-receive`.
    #[serde(default)]
    pub pre_receive: ReceiveSection,
}

/// `[pre_receive]` of a server's config: the time budget and the audited bypass.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiveSection {
    /// Like `--timeout` (which wins), for every scan this config applies to.
    pub timeout: Option<String>,
    /// Like `--on-timeout` (which wins).
    pub on_timeout: Option<crate::cli::OnTimeout>,
    /// Honour `git push -o scan-secrets.skip="<reason>"`; needs `audit_log`.
    #[serde(default)]
    pub allow_bypass: bool,
    /// JSON-lines file each bypass is appended to (relative to the config file's directory).
    pub audit_log: Option<PathBuf>,
}

/// A time budget: after `after`, the scan stops and the command exits, accepting (0) or
/// rejecting (2).
#[derive(Debug, Clone, Copy)]
pub struct Timeout {
    pub after: std::time::Duration,
    pub accept: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowSection {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Words that make a value not a secret when it contains them (case-insensitive).
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Commits (full ids or prefixes of at least 7 hex digits) whose findings are not
    /// reported by history and range scans.
    #[serde(default)]
    pub commits: Vec<String>,
    /// Allowlists that apply to one rule only: `[allow.rule.<id>]`.
    #[serde(default)]
    pub rule: std::collections::BTreeMap<String, RuleAllow>,
}

/// `[allow.rule.<id>]`: like `[allow]`, for findings of that rule only.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleAllow {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub regexes: Vec<String>,
    #[serde(default)]
    pub stopwords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Bytes, or a string with a unit (`"10M"`).
    pub max_file_size: Option<toml::Value>,
}

/// What to scan.
#[derive(Debug, Clone)]
pub enum Mode {
    Files(Vec<PathBuf>),
    Stdin,
    /// The staged changes of the repository containing this directory.
    Staged(PathBuf),
    /// Commits of the repository containing this directory.
    History(PathBuf, Selection),
}

/// Everything a scan needs, resolved.
pub struct Settings {
    pub mode: Mode,
    /// The directory config and relative paths are anchored at.
    pub root: PathBuf,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub show_secrets: bool,
    pub max_file_size: u64,
    /// Working-tree scans enter submodules (`--recurse-submodules`).
    pub recurse_submodules: bool,
    pub threads: usize,
    pub color: bool,
    pub quiet: bool,
    pub show_suppressed: bool,
    pub rules: Arc<RuleSet>,
    pub allow: Allowlist,
    /// The config file in use, never scanned itself.
    pub config_path: Option<PathBuf>,
    /// Findings listed in this baseline are not reported (`--baseline` or config).
    pub baseline: Option<PathBuf>,
    /// The baseline as read at the base of a change under review (a range scan), used
    /// instead of the file at `baseline`.
    pub baseline_at_base: Option<Baseline>,
    pub update_baseline: bool,
    /// What the user should be warned about before the scan (`--show-secrets=force` in CI),
    /// printed by the command that scans.
    pub warnings: Vec<String>,
    /// `--timeout` / `[pre_receive] timeout` (4s by default with `--pre-receive`).
    pub timeout: Option<Timeout>,
    /// Where bypasses are logged, when the server allows `-o scan-secrets.skip=<reason>`.
    pub bypass_log: Option<PathBuf>,
    /// Range, `--since` and pre-push scans: the change under review, what it does to its own
    /// configuration and what that would hide.
    pub review: Option<Review>,
}

impl Settings {
    pub fn resolve(args: ScanArgs) -> Result<Self, Error> {
        let git_dir = || -> Result<PathBuf, Error> {
            match args.paths.as_slice() {
                [] => Ok(PathBuf::from(".")),
                [one] => Ok(one.clone()),
                _ => Err(Error::Usage(
                    "--staged, --history and --pre-push take at most one PATH: the repository"
                        .into(),
                )),
            }
        };
        let selection = if let Some(range) = &args.range {
            let (a, b) = range
                .split_once("..")
                .filter(|(a, b)| !a.is_empty() && !b.is_empty() && !b.starts_with('.'))
                .ok_or_else(|| {
                    Error::Usage(format!("--range {range:?}: expected A..B (two revisions)"))
                })?;
            Some(Selection::Range(a.to_string(), b.to_string()))
        } else if let Some(rev) = &args.since {
            Some(Selection::Since(rev.clone()))
        } else if args.pre_push {
            Some(Selection::PrePush(history::read_pre_push(
                std::io::stdin().lock(),
            )?))
        } else if args.pre_receive {
            let input =
                std::io::read_to_string(std::io::stdin()).map_err(|e| Error::io("<stdin>", e))?;
            Some(Selection::PreReceive(
                crate::source::history::parse_pre_receive(&input)?,
            ))
        } else if args.history {
            Some(Selection::All)
        } else {
            None
        };
        let mode = if args.stdin {
            Mode::Stdin
        } else if args.staged {
            Mode::Staged(git_dir()?)
        } else if let Some(selection) = selection {
            Mode::History(git_dir()?, selection)
        } else if args.paths.is_empty() {
            Mode::Files(vec![PathBuf::from(".")])
        } else {
            Mode::Files(args.paths.clone())
        };
        for p in match &mode {
            Mode::Files(p) => p.as_slice(),
            Mode::Staged(p) | Mode::History(p, _) => std::slice::from_ref(p),
            Mode::Stdin => &[],
        } {
            if std::fs::symlink_metadata(p).is_err() {
                return Err(Error::Usage(format!(
                    "{}: no such file or directory",
                    p.display()
                )));
            }
        }
        let root = match &mode {
            Mode::Files(paths) if paths[0].is_dir() => paths[0].clone(),
            Mode::Files(paths) => paths[0]
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            Mode::Stdin => PathBuf::from("."),
            // The repository's top level (where .scan-secrets.toml lives), or the git dir.
            Mode::Staged(dir) | Mode::History(dir, _) => match crate::source::git::discover(dir) {
                Ok(repo) => repo
                    .workdir()
                    .map_or_else(|| repo.git_dir().to_path_buf(), Path::to_path_buf),
                Err(_) => dir.clone(),
            },
        };
        // A change under review (a range, --since, a push) is judged by the configuration
        // at its base, not by its own.
        let sides = match &mode {
            Mode::History(dir, selection) => history::sides(dir, selection)?,
            _ => None,
        };
        // A server judges a push by its own files only (the git directory's, or --config):
        // the push is still reviewed, for what its own configuration would hide.
        let on_server = matches!(&mode, Mode::History(_, Selection::PreReceive(_)));
        let from = match &sides {
            Some(s) if !on_server => ConfigFrom::Base(s),
            _ => ConfigFrom::Disk,
        };
        let RepoConfig {
            config,
            path: config_path,
            origin,
            baseline,
            baseline_at_base,
            review,
        } = repo_config(
            &root,
            from,
            sides.as_ref(),
            args.config.as_deref(),
            args.baseline.as_deref(),
        )?;

        let Checked {
            rules,
            custom,
            mut allow,
            max_file_size: config_size,
        } = check(
            &origin,
            config_path.as_ref().map(|_| Path::new(&origin)),
            &config,
            args.accept_foreign_markers,
        )?;
        if let Some(level) = args.confidence.as_deref() {
            allow.min_confidence = Confidence::parse(level).unwrap_or_default();
        }
        let max_file_size = args
            .max_file_size
            .or(config_size)
            .unwrap_or(DEFAULT_MAX_FILE_SIZE);

        let color = !args.no_color
            && match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::env::var("TERM").map_or(true, |t| t != "dumb")
                }
            };
        if args.update_baseline && baseline.is_none() {
            return Err(Error::Usage(
                "--update-baseline needs a baseline: --baseline FILE, or `baseline = \"FILE\"` in the config file".into(),
            ));
        }
        let threads = match args.threads {
            Some(0) => return Err(Error::Usage("--threads must be at least 1".into())),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let rules = Arc::new(rules);
        if !custom.is_empty() {
            check_examples(&origin, &rules, &custom)?;
        }
        let mut warnings = Vec::new();
        let (timeout, bypass_log) = receive_settings(&args, &config, config_path.as_deref())?;
        Ok(Settings {
            mode,
            root,
            format: args.format,
            output: args.output,
            show_secrets: show_secrets(args.show_secrets.as_deref(), &mut warnings)?,
            max_file_size,
            recurse_submodules: args.recurse_submodules,
            threads,
            color,
            quiet: args.quiet,
            show_suppressed: args.show_suppressed,
            rules,
            allow,
            config_path,
            baseline,
            baseline_at_base,
            update_baseline: args.update_baseline,
            review,
            warnings,
            timeout,
            bypass_log,
        })
    }
}

/// The time budget and the bypass log, from the command line and `[pre_receive]`.
fn receive_settings(
    args: &ScanArgs,
    config: &ConfigFile,
    config_path: Option<&Path>,
) -> Result<(Option<Timeout>, Option<PathBuf>), Error> {
    let section = &config.pre_receive;
    let invalid = |message: String| Error::Config {
        path: config_path.map(Path::to_path_buf),
        message,
    };
    let configured = match &section.timeout {
        Some(t) => Some(
            crate::cli::parse_duration(t)
                .map_err(|e| invalid(format!("[pre_receive] timeout: {e}")))?,
        ),
        None => None,
    };
    let after = args.timeout.or(configured).or(args
        .pre_receive
        .then_some(std::time::Duration::from_secs(4)));
    let on_timeout = args.on_timeout.or(section.on_timeout);
    let timeout = after.map(|after| Timeout {
        after,
        accept: on_timeout == Some(crate::cli::OnTimeout::Accept),
    });
    let bypass_log = match (section.allow_bypass, &section.audit_log) {
        (false, _) => None,
        (true, None) => return Err(invalid(
            "[pre_receive] allow_bypass = true needs audit_log = \"FILE\": every bypass is logged"
                .into(),
        )),
        (true, Some(log)) => {
            let dir = config_path.and_then(Path::parent).unwrap_or(Path::new("."));
            Some(dir.join(log))
        }
    };
    Ok((timeout, bypass_log))
}

/// Whether secrets are printed in clear. In CI the plain flag is refused: the value would land
/// in a build log that many people can read and that is kept for months.
fn show_secrets(flag: Option<&str>, warnings: &mut Vec<String>) -> Result<bool, Error> {
    let in_ci = ["CI", "GITHUB_ACTIONS"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1"));
    match flag {
        None => Ok(false),
        Some("force") if in_ci => {
            warnings.push(
                "--show-secrets=force in CI: secrets will be written to the build log in clear"
                    .into(),
            );
            Ok(true)
        }
        Some(_) if in_ci => Err(Error::Usage(
            "--show-secrets would write secrets into the CI build log in clear; use --show-secrets=force if that is really intended".into(),
        )),
        Some(_) => Ok(true),
    }
}

fn load_config(path: &Path) -> Result<ConfigFile, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_config(&text, Some(path))
}

fn parse_config(text: &str, path: Option<&Path>) -> Result<ConfigFile, Error> {
    toml::from_str(text).map_err(|e| Error::Config {
        path: path.map(Path::to_path_buf),
        message: e.to_string().trim_end().replace('\n', "\n  "),
    })
}
