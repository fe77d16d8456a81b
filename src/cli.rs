//! Command-line definition (clap derive). Only shapes and help text live here; `config` turns a
//! parsed `Cli` into `Settings` before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Find API keys and credentials in files, staged changes and git history, and learn how to
/// rotate them.
///
/// Exit status: 0 nothing found, 1 findings, 2 error.
#[derive(Debug, Parser)]
#[command(name = "scan-secrets", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in rules.
    Rules(RulesArgs),
    /// Print the rotation guide of a provider, or of all with `--all` (no argument: list
    /// providers).
    Rotate(RotateArgs),
    /// Install a git hook that runs the scan (an existing hook is kept and run first).
    Install(HookArgs),
    /// Remove the hook `install` wrote and put back the hook it chained.
    Uninstall(HookArgs),
    /// Record the current findings in a baseline file (-o, default
    /// .scan-secrets-baseline.json); scans with --baseline then report only new ones.
    Baseline(BaselineArgs),
    /// Configuration tools: `config check` validates a config file.
    Config(ConfigArgs),
    /// Plan the removal of leaked values from history: write a replacements file for
    /// `git filter-repo --replace-text` (mode 0600, never printed) and print the commands to
    /// rewrite, verify and force-push. Scans the full history unless given other mode flags.
    PurgePlan(PurgePlanArgs),
    /// Replace staged secrets written as string literals in source files by a read of an
    /// environment variable, in the working files (with a backup under .git/scan-secrets);
    /// stages nothing: you review and `git add` the edits.
    Fix(FixArgs),
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Fix what `scan-secrets --staged` reports (the only mode: fixes are applied to the
    /// working files of staged changes).
    #[arg(long, required = true)]
    pub staged: bool,
    /// A directory of the repository (default: the current directory).
    #[arg(value_name = "REPO")]
    pub repo: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct PurgePlanArgs {
    /// What each leaked value becomes: `***REMOVED***`, or a reference to the provider's
    /// environment variable (`${OPENAI_API_KEY}`) where it has a plain one.
    #[arg(long, value_enum, default_value = "removed")]
    pub replace_with: ReplaceWith,
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReplaceWith {
    Removed,
    Env,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: ConfigAction,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Load the config (as a scan would), check every key, glob, regex, rule and example,
    /// and say what it sets up. Exit 0 when valid, 2 with the reason otherwise.
    Check {
        /// Config file (default: .scan-secrets.toml in DIR).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// The directory a scan would start in (default: .).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub scan: ScanArgs,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// Which hook: pre-commit runs `scan-secrets --staged`, pre-push `scan-secrets --pre-push`,
    /// pre-receive (on a server, in the repository that receives pushes)
    /// `scan-secrets --pre-receive`.
    #[arg(long, value_enum, default_value = "pre-commit")]
    pub hook: HookKind,
    /// The repository (default: the one containing the current directory).
    #[arg(value_name = "REPO")]
    pub repo: Option<PathBuf>,
    /// Instead of a repository: the hooks of git's template directory (`init.templateDir`,
    /// set to ~/.git-templates if unset), copied into every repository `git init` or
    /// `git clone` creates from now on.
    #[arg(long, conflicts_with = "repo")]
    pub global: bool,
    /// Instead of a repository's hooks directory: DIR, for servers that run hooks from
    /// their own place (GitLab's custom_hooks/pre-receive.d, Gitea's hooks/pre-receive.d).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["repo", "global"])]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HookKind {
    PreCommit,
    PrePush,
    PreReceive,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: ListFormat,

    /// Only the rules of this provider (id or name, e.g. `openai`; see `scan-secrets rotate`).
    #[arg(long)]
    pub provider: Option<String>,

    /// Only the rules whose id, description, provider or keywords contain TEXT
    /// (case-insensitive).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Provider id or name, e.g. `openai` (see `scan-secrets rotate`).
    #[arg(conflicts_with = "all")]
    pub provider: Option<String>,

    /// Print the guide of every provider (with `--format markdown`: one docs page, a heading
    /// per provider).
    #[arg(long)]
    pub all: bool,

    /// Output format of the guides.
    #[arg(long, value_enum, default_value = "text")]
    pub format: GuideFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GuideFormat {
    /// Plain text, as printed after a scan's findings.
    Text,
    /// Markdown, as in SARIF help and job summaries.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
    /// The README's provider table: one row per provider.
    Markdown,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Scan standard input instead of files.
    #[arg(long, conflicts_with_all = ["paths", "staged", "history", "pre_push"])]
    pub stdin: bool,

    /// Scan the staged changes of the repository at PATH (default: .): what `git commit`
    /// would record, added lines only. For pre-commit hooks.
    #[arg(long, conflicts_with_all = ["history", "pre_push", "since", "range"])]
    pub staged: bool,

    /// Scan every commit reachable from any ref of the repository at PATH (default: .).
    #[arg(long)]
    pub history: bool,

    /// Only commits reachable from HEAD and not from REV (implies --history; added lines only).
    #[arg(long, value_name = "REV", conflicts_with_all = ["range", "pre_push"])]
    pub since: Option<String>,

    /// Only commits in A..B: reachable from B, not from A (implies --history; added lines only).
    #[arg(long, value_name = "A..B", conflicts_with = "pre_push")]
    pub range: Option<String>,

    /// Read git's pre-push hook input on stdin and scan the commits being pushed.
    #[arg(long)]
    pub pre_push: bool,

    /// Server side: read git's pre-receive hook input on stdin, in the repository receiving
    /// a push, and scan the pushed commits that no existing ref reaches (exit 1 refuses the
    /// push). The configuration is the server's own (--config, or .scan-secrets.toml in the
    /// git directory), never a file from the pushed commits.
    #[arg(long, conflicts_with_all = ["stdin", "staged", "history", "since", "range", "pre_push"])]
    pub pre_receive: bool,

    /// Stop a scan that takes longer than DURATION (`4s`, `500ms`, `2m`; a plain number is
    /// seconds). Default with --pre-receive: 4s, since GitHub Enterprise Server stops
    /// pre-receive hooks at 5s; otherwise none.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<std::time::Duration>,

    /// What a scan stopped by --timeout does: `reject` (exit 2: a hook refuses the commit or
    /// push) or `accept` (exit 0, saying that the scan did not finish). [default: reject]
    #[arg(long, value_enum, value_name = "WHAT")]
    pub on_timeout: Option<OnTimeout>,

    /// Working-tree scans: also enter submodules (directories with a `.git` file), which are
    /// skipped by default like any other repository's files.
    #[arg(long, conflicts_with_all = ["stdin", "staged", "history", "since", "range", "pre_push", "pre_receive"])]
    pub recurse_submodules: bool,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Do not report findings listed in this baseline file (see `scan-secrets baseline`);
    /// overrides `baseline` in the config file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Rewrite the baseline with this scan's findings: new ones are added, ones no longer
    /// found are dropped. Needs --baseline or `baseline` in the config file.
    #[arg(long)]
    pub update_baseline: bool,

    /// Report findings of this confidence or higher: `low` adds weak passwords written in free
    /// text (`pw: hunter2` in a note); `high` keeps only checksummed keys and random values in
    /// credential contexts. Overrides `confidence` in the config file. [default: medium]
    #[arg(long, value_name = "LEVEL", value_parser = ["low", "medium", "high"])]
    pub confidence: Option<String>,

    /// Also honour other scanners' inline markers: `gitleaks:allow`, `pragma: allowlist
    /// secret` (detect-secrets), `trufflehog:ignore`, `kingfisher:ignore`.
    #[arg(long)]
    pub accept_foreign_markers: bool,

    /// Config file (default: .scan-secrets.toml in the scanned directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print secrets in clear instead of redacted (never in SARIF or baselines). In CI
    /// (CI=true or GITHUB_ACTIONS=true) it must be `--show-secrets=force`: build logs are
    /// read by many and kept for months.
    #[arg(long, value_name = "force", num_args = 0..=1, require_equals = true,
          default_missing_value = "yes", value_parser = ["yes", "force"])]
    pub show_secrets: Option<String>,

    /// Skip files larger than SIZE (bytes, or with a K/M/G suffix: 10M, 512KiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// Worker threads (default: number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// When to use colours (NO_COLOR in the environment also turns them off).
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorChoice,

    /// Same as --color never.
    #[arg(long, hide = true)]
    pub no_color: bool,

    /// Human output: after the summary, count the suppressed candidates by reason
    /// (placeholder, lockfile, allowlist, ...).
    #[arg(long)]
    pub show_suppressed: bool,

    /// Human output: findings only, no rotation guides and no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by secret, with rotation guides (for people).
    Human,
    /// One JSON array of findings.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnTimeout {
    Reject,
    Accept,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Parses `10M`, `10MiB`, `512k`, `1G` or a plain byte count.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (examples: 1048576, 512K, 10M, 1G)"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("{s:?}: unknown size unit {unit:?} (use K, M or G)")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("{s:?} is too large"))
}

/// Parses `4s`, `500ms`, `2m`, `1.5s` or a plain number of seconds.
pub fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (examples: 4s, 500ms, 2m)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" | "min" => n * 60.0,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (use ms, s or m)")),
    };
    std::time::Duration::try_from_secs_f64(secs)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("{s:?}: the duration must be above zero"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        use std::time::Duration;
        assert_eq!(parse_duration("4s"), Ok(Duration::from_secs(4)));
        assert_eq!(parse_duration("4"), Ok(Duration::from_secs(4)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("4h").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("10X").is_err());
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
