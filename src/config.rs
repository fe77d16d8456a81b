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
use crate::rules::file::RuleSpec;
use crate::rules::{Confidence, RuleSet};
use crate::source::history::Selection;

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
    pub update_baseline: bool,
    /// What the user should be warned about before the scan (`--show-secrets=force` in CI),
    /// printed by the command that scans.
    pub warnings: Vec<String>,
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
            Some(Selection::PrePush)
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
            Mode::Staged(dir) | Mode::History(dir, _) => match gix::discover(dir) {
                Ok(repo) => repo
                    .workdir()
                    .map_or_else(|| repo.git_dir().to_path_buf(), Path::to_path_buf),
                Err(_) => dir.clone(),
            },
        };
        let config_path = match &args.config {
            Some(p) => Some(p.clone()),
            None => Some(root.join(CONFIG_FILE)).filter(|p| p.is_file()),
        };
        let config = match &config_path {
            Some(p) => load_config(p)?,
            None => ConfigFile::default(),
        };
        let origin = config_path
            .as_ref()
            .map_or_else(|| CONFIG_FILE.to_string(), |p| p.display().to_string());

        let Checked {
            rules,
            custom,
            mut allow,
            max_file_size: config_size,
        } = check(
            &origin,
            config_path.as_deref(),
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
        let baseline = args.baseline.clone().or_else(|| {
            let dir = config_path
                .as_deref()
                .and_then(Path::parent)
                .unwrap_or(Path::new("."));
            config.baseline.as_ref().map(|b| dir.join(b))
        });
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
            update_baseline: args.update_baseline,
            warnings,
        })
    }
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

/// Runs each custom rule's examples through the matcher: a positive example it does not
/// find, or a negative one it finds, is a config error (the rule does not do what its author
/// says).
fn check_examples(origin: &str, set: &Arc<RuleSet>, custom: &[String]) -> Result<(), Error> {
    let matcher = crate::matcher::Matcher::for_small_inputs(set.clone())?;
    for rule in set
        .rules
        .iter()
        .filter(|r| custom.iter().any(|c| *c == r.id))
    {
        let index = set.rules.iter().position(|r| r.id == rule.id);
        let found = |example: &str| {
            let (path, text) = crate::rules::split_example(rule, example);
            let mut cands = matcher.scan(text.as_bytes());
            if let Some(path) = path {
                cands.extend(matcher.scan_path(path, Some(text.as_bytes()), None));
            }
            cands.iter().any(|c| Some(c.rule) == index)
        };
        let err = |message: String| Error::Pattern {
            origin: format!("{origin}: rule {}", rule.id),
            message,
        };
        if let Some(e) = rule.examples.iter().find(|e| !found(e)) {
            return Err(err(format!(
                "example {e:?} is not matched (check the regex, the keywords and min_entropy)"
            )));
        }
        if let Some(e) = rule.negative_examples.iter().find(|e| found(e)) {
            return Err(err(format!("negative example {e:?} is matched")));
        }
    }
    Ok(())
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

/// What the config file resolves to, before the command line is merged in.
struct Checked {
    rules: RuleSet,
    /// Ids of the config's own `[[rule]]`s, whose examples `check_examples` runs.
    custom: Vec<String>,
    allow: Allowlist,
    max_file_size: Option<u64>,
}

/// Validates a parsed config and builds its rule set and allowlists (everything but the
/// examples check, which needs the final rule set).
fn check(
    origin: &str,
    config_path: Option<&Path>,
    config: &ConfigFile,
    foreign_markers: bool,
) -> Result<Checked, Error> {
    let extend = config.extend.unwrap_or(true);
    if !extend && config.rules.is_empty() {
        return Err(Error::Config {
            path: config_path.map(Path::to_path_buf),
            message: "extend = false uses only this file's [[rule]]s, and it has none".into(),
        });
    }
    let mut rules = if extend {
        RuleSet::builtin()?
    } else {
        RuleSet::default()
    };
    let custom: Vec<String> = config.rules.iter().map(|r| r.id.to_string()).collect();
    if !config.rules.is_empty() {
        rules.add_custom(origin, config.rules.clone())?;
    }
    rules.disable(&config.disable).map_err(|e| match e {
        Error::Config { message, .. } => Error::Config {
            path: config_path.map(Path::to_path_buf),
            message,
        },
        e => e,
    })?;
    let mut allow = Allowlist::new(origin, &config.allow.paths, &config.allow.regexes)?;
    allow.set_stopwords(&config.allow.stopwords);
    allow.set_commits(origin, &config.allow.commits)?;
    allow.foreign_markers = foreign_markers;
    if let Some(level) = &config.confidence {
        allow.min_confidence = Confidence::parse(level).ok_or_else(|| Error::Config {
            path: config_path.map(Path::to_path_buf),
            message: format!("confidence = {level:?}: expected \"low\", \"medium\" or \"high\""),
        })?;
    }
    for (id, spec) in &config.allow.rule {
        if !rules.rules.iter().any(|r| &r.id == id) {
            return Err(Error::Config {
                path: config_path.map(Path::to_path_buf),
                message: format!(
                    "[allow.rule.{id}]: no rule {id:?} is in use (see `scan-secrets rules`)"
                ),
            });
        }
        let mut one = Allowlist::new(origin, &spec.paths, &spec.regexes).map_err(|e| match e {
            Error::Config { path, message } => Error::Config {
                path,
                message: message.replacen("allow.", &format!("allow.rule.{id}."), 1),
            },
            e => e,
        })?;
        one.set_stopwords(&spec.stopwords);
        allow.per_rule.insert(id.clone(), one);
    }

    let config_size = match &config.limits.max_file_size {
        None => None,
        Some(toml::Value::Integer(n)) if *n >= 0 => Some(*n as u64),
        Some(toml::Value::String(s)) => {
            Some(crate::cli::parse_size(s).map_err(|m| Error::Config {
                path: config_path.map(Path::to_path_buf),
                message: format!("limits.max_file_size: {m}"),
            })?)
        }
        Some(v) => {
            return Err(Error::Config {
                path: config_path.map(Path::to_path_buf),
                message: format!(
                    "limits.max_file_size: expected bytes or a size like \"10M\", found a {}",
                    v.type_str()
                ),
            })
        }
    };
    Ok(Checked {
        rules,
        custom,
        allow,
        max_file_size: config_size,
    })
}

/// Parses and validates the text of a `.scan-secrets.toml` the way a scan does (rules,
/// `disable`, allowlists, limits, custom rules' examples), without reading any file: for
/// `scan-secrets` fuzzing and tests.
pub fn check_str(text: &str) -> Result<(), Error> {
    let config = parse_config(text, None)?;
    let checked = check(CONFIG_FILE, None, &config, false)?;
    if !checked.custom.is_empty() {
        check_examples(CONFIG_FILE, &Arc::new(checked.rules), &checked.custom)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_str_validates_like_a_scan() {
        assert!(check_str("").is_ok());
        assert!(check_str("[allow]\npaths = [\"tests/**\"]\nregexes = [\"^sk_test_\"]\n").is_ok());
        let rule = "[[rule]]\nid = \"acme-token\"\ndescription = \"d\"\nkeywords = [\"acme_\"]\nregex = '''acme_[a-z0-9]{16}'''\nnegative_examples = []\n";
        check_str(&format!("{rule}examples = [\"acme_0123abcd4567efgh\"]\n")).unwrap();
        for bad in [
            "[allow]\npath = [\"x\"]\n".to_string(),
            "disable = [\"no-such-rule\"]\n".into(),
            "[allow]\nregexes = [\"(unclosed\"]\n".into(),
            "[allow]\ncommits = [\"xyz\"]\n".into(),
            "[allow.rule.no-such-rule]\n".into(),
            "[limits]\nmax_file_size = \"10X\"\n".into(),
            "extend = false\n".into(),
            format!("{rule}examples = [\"acme_short\"]\n"),
        ] {
            assert!(check_str(&bad).is_err(), "{bad}");
        }
    }
}
