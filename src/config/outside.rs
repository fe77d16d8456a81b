//! Where a scan's `.scan-secrets.toml` and baseline come from. A change must not silence its
//! own scan: range, `--since` and pre-push scans read them as they are at the change's base
//! (`history::sides`: the merge base of a range, the remote side of a push), never from the
//! working tree or the scanned commits. Working-tree, staged and full-history scans read the
//! files on disk. `--config` and `--baseline` are the operator's choice and are read from
//! disk in every mode.

use std::path::{Component, Path, PathBuf};

use super::review::{Review, Used};
use super::{load_config, parse_config, ConfigFile, CONFIG_FILE};
use crate::error::Error;
use crate::filter::baseline::Baseline;
use crate::source::history::Sides;

/// Where the repository's own configuration files are read from.
pub(super) enum ConfigFrom<'a> {
    /// The files under the scan root (working-tree, staged and full-history scans; a server's
    /// own files for a hook that runs there).
    Disk,
    /// The files as they are at the base of the change.
    Base(&'a Sides),
}

/// The repository's configuration for a scan.
pub(super) struct RepoConfig {
    pub config: ConfigFile,
    /// The config file in use, as `Settings::config_path`; for one read at a commit, where it
    /// is in the work tree.
    pub path: Option<PathBuf>,
    /// How errors name the config file (`.scan-secrets.toml at commit 1a2b3c4`).
    pub origin: String,
    pub baseline: Option<PathBuf>,
    /// The baseline as read at the base commit, used instead of the file at `baseline`.
    pub baseline_at_base: Option<Baseline>,
    /// A change under review: notes on what it does to these files, and what its own
    /// configuration, baseline and inline markers would hide.
    pub review: Option<Review>,
}

/// The configuration and baseline for a scan rooted at `root`: `--config` and `--baseline`
/// when given, else the repository's, read `from` the disk or the base of the change. With a
/// `change` (range, `--since`, pre-push; a pre-receive hook would pass its pushed change and
/// `ConfigFrom::Disk`, the server's own files), what the change does to these files is
/// reviewed. This is the one place that decides it, for every mode.
pub(super) fn repo_config(
    root: &Path,
    from: ConfigFrom,
    change: Option<&Sides>,
    config_flag: Option<&Path>,
    baseline_flag: Option<&Path>,
) -> Result<RepoConfig, Error> {
    let base = change.and_then(Sides::base_short);
    let at_base = |what: &str| match &base {
        Some(b) => format!("{what} at commit {b}"),
        None => what.to_string(),
    };
    let on_disk = root.join(CONFIG_FILE);
    let (config, path, origin, config_used) = match (config_flag, &from) {
        (Some(p), _) => (
            load_config(p)?,
            Some(p.to_path_buf()),
            p.display().to_string(),
            format!("the scan uses --config {}", p.display()),
        ),
        (None, ConfigFrom::Disk) => {
            let used = format!("the scan uses {}", on_disk.display());
            match on_disk.is_file() {
                true => (
                    load_config(&on_disk)?,
                    Some(on_disk.clone()),
                    on_disk.display().to_string(),
                    used,
                ),
                false => (
                    ConfigFile::default(),
                    None,
                    CONFIG_FILE.into(),
                    format!(
                        "the scan uses the defaults ({} does not exist)",
                        on_disk.display()
                    ),
                ),
            }
        }
        (None, ConfigFrom::Base(sides)) => {
            let origin = at_base(&on_disk.display().to_string());
            match (sides.at_base(CONFIG_FILE)?, &base) {
                (Some(bytes), Some(b)) => (
                    parse_config(&utf8(bytes, &origin)?, Some(Path::new(&origin)))?,
                    Some(on_disk.clone()),
                    origin,
                    format!("the scan uses it as it is at commit {b}, outside the change"),
                ),
                (_, Some(b)) => (
                    ConfigFile::default(),
                    None,
                    origin,
                    format!("the scan uses the defaults: commit {b}, outside the change, has none"),
                ),
                (_, None) => (
                    ConfigFile::default(),
                    None,
                    origin,
                    "the scan uses the defaults: no commit outside the change has one".into(),
                ),
            }
        }
    };

    // The baseline: --baseline, else the one the config names (relative to its directory).
    let config_dir = match (config_flag, &path) {
        (Some(_), Some(p)) => p.parent().unwrap_or(Path::new(".")).to_path_buf(),
        _ => root.to_path_buf(),
    };
    let named = config.baseline.as_ref();
    let mut baseline = baseline_flag
        .map(Path::to_path_buf)
        .or_else(|| named.map(|b| config_dir.join(b)));
    let mut baseline_at_base = None;
    let mut base_baseline_rel = None;
    if let (None, None, ConfigFrom::Base(sides), Some(name)) =
        (baseline_flag, config_flag, &from, named)
    {
        // Inside the repository: as it is at the base too. Outside: not part of any change.
        if let Some(rel) = repo_relative(name) {
            let shown = at_base(&rel);
            let bytes = sides.at_base(&rel)?.ok_or_else(|| Error::Config {
                path: Some(origin.clone().into()),
                message: format!("baseline = {rel:?}: not in that commit"),
            })?;
            baseline_at_base = Some(Baseline::parse(Path::new(&shown), &utf8(bytes, &shown)?)?);
            baseline = Some(root.join(&rel));
            base_baseline_rel = Some(rel);
        }
    }
    let baseline_used = match (baseline_flag, &baseline, &base_baseline_rel) {
        (Some(p), _, _) => format!("the scan uses --baseline {}", p.display()),
        (None, _, Some(rel)) => format!("the scan uses {}", at_base(rel)),
        (None, Some(p), None) => format!("the scan uses {}", p.display()),
        (None, None, None) => {
            "the scan uses no baseline (the configuration in use names none)".into()
        }
    };

    let review = match change {
        Some(sides) => Some(Review::new(
            sides,
            &Used {
                config: config_used,
                baseline: baseline_used,
                own_config: config_flag.is_none(),
                own_baseline: config_flag.is_none() && baseline_flag.is_none(),
                base_baseline: base_baseline_rel.as_deref(),
            },
        )?),
        None => None,
    };
    Ok(RepoConfig {
        config,
        path,
        origin,
        baseline,
        baseline_at_base,
        review,
    })
}

/// The text of a file read at a commit; `what` names it in the error.
fn utf8(bytes: Vec<u8>, what: &str) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|_| Error::Config {
        path: Some(what.into()),
        message: "not UTF-8 text".into(),
    })
}

/// `path` (relative to the repository root) as a `/`-separated path inside the repository,
/// or `None` when it is absolute or leaves the repository.
pub(super) fn repo_relative(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?.to_string()),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::repo_relative;
    use std::path::Path;

    #[test]
    fn paths_inside_the_repository() {
        let rel = |p: &str| repo_relative(Path::new(p));
        assert_eq!(rel("b.json").as_deref(), Some("b.json"));
        assert_eq!(rel("./ci/../sec/b.json").as_deref(), Some("sec/b.json"));
        assert_eq!(rel("../b.json"), None);
        assert_eq!(rel("/etc/b.json"), None);
        assert_eq!(rel("."), None);
    }
}
