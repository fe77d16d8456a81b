//! `scan-secrets purge-plan`: the leaked values of a history scan, written to a replacements
//! file for `git filter-repo --replace-text` (mode 0600, never printed), and the commands to
//! rewrite, verify and publish the cleaned history, with the warnings that matter.
//!
//! Sensitive files reported as a whole (`.env`, `id_rsa`) are removed from history with
//! `--invert-paths` instead of having their content rewritten.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{PurgePlanArgs, ReplaceWith};
use crate::config::Settings;
use crate::error::Error;
use crate::exit::Status;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::text::sanitize;

/// What a replaced value becomes by default.
const REMOVED: &str = "***REMOVED***";

/// GitHub's guide to purging history, cached views and pull-request refs.
const GITHUB_GUIDE: &str = "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository";

pub fn plan(args: PurgePlanArgs) -> Result<Status, Error> {
    let mut scan_args = args.scan;
    let output = scan_args.output.take();
    if !(scan_args.history || scan_args.since.is_some() || scan_args.range.is_some()) {
        if scan_args.staged || scan_args.stdin || scan_args.pre_push || !scan_args.paths.is_empty()
        {
            return Err(Error::Usage(
                "purge-plan rewrites history: use it with --history (the default), --since or --range"
                    .into(),
            ));
        }
        scan_args.history = true;
    }
    let settings = Settings::resolve(scan_args)?;
    let report = super::scan::run(&settings)?;
    let plan = Plan::of(&report, &settings.rules, args.replace_with);
    let mut out = std::io::stdout().lock();
    if plan.lines.is_empty() && plan.files.is_empty() {
        writeln!(out, "Nothing to purge: the scan found no leaked value.")
            .map_err(Error::Output)?;
        return Ok(Status::of_scan(0, report.errors()));
    }
    let path = output.unwrap_or_else(|| default_output(&settings.root));
    if !plan.lines.is_empty() {
        write_private(&path, &plan.lines)?;
    }
    let remote = origin_url(&settings.root);
    write!(
        out,
        "{}",
        plan.instructions(&path, remote.as_deref(), report.findings.len())
    )
    .map_err(Error::Output)?;
    Ok(Status::of_scan(report.findings.len(), report.errors()))
}

/// The replacements and the files to drop.
struct Plan {
    /// Lines of the replacements file, sorted and distinct.
    lines: BTreeSet<String>,
    /// Paths of sensitive files reported as a whole.
    files: BTreeSet<String>,
}

impl Plan {
    fn of(report: &Report, rules: &RuleSet, with: ReplaceWith) -> Self {
        let mut lines = BTreeSet::new();
        let mut files = BTreeSet::new();
        for f in &report.findings {
            if f.secret.is_empty() {
                files.insert(f.origin.path().to_string());
                continue;
            }
            let provider = rules.provider_of(&rules.rules[f.rule]);
            let replacement = match with {
                ReplaceWith::Env if crate::fix::is_env_name(&provider.env_var) => {
                    format!("${{{}}}", provider.env_var)
                }
                _ => REMOVED.to_string(),
            };
            // A secret found decoded is replaced where it is: its encoded token.
            let value = f.token.as_deref().unwrap_or(&f.secret);
            lines.insert(replacement_line(value, &replacement));
        }
        Plan { lines, files }
    }

    fn instructions(&self, file: &Path, remote: Option<&str>, findings: usize) -> String {
        let file_q = quote(&file.display().to_string());
        let remote = remote.map_or_else(|| "<your remote URL>".to_string(), quote);
        let mut s = String::new();
        let values = crate::text::plural(self.lines.len() as u64, "leaked value");
        if self.lines.is_empty() {
            s.push_str(&format!(
                "Purge plan: {} to remove from history ({}).\n\n",
                crate::text::plural(self.files.len() as u64, "sensitive file"),
                crate::text::plural(findings as u64, "finding"),
            ));
        } else {
            s.push_str(&format!(
                "Purge plan: {values} from {} written to {} (mode 0600; it holds the secrets in clear: keep it out of git and delete it when done).\n\n",
                crate::text::plural(findings as u64, "finding"),
                sanitize(&file.display().to_string()),
            ));
        }
        s.push_str("Before you start\n");
        s.push_str("  1. Rotate every leaked credential first (`scan-secrets --history` prints a guide per provider). Rewriting history does not un-leak a key: clones, forks, CI caches and mirrors keep the old commits.\n");
        s.push_str("  2. Tell everyone who has a clone: after the rewrite they must re-clone (or reset hard to the new branches) and never push their old branches back.\n\n");
        s.push_str("Rewrite, in a fresh mirror clone (not your working copy)\n");
        s.push_str(&format!("  git clone --mirror {remote} purge.git\n"));
        s.push_str("  cd purge.git\n");
        if !self.lines.is_empty() {
            s.push_str(&format!("  git filter-repo --replace-text {file_q}\n"));
        }
        if !self.files.is_empty() {
            let paths: Vec<String> = self
                .files
                .iter()
                .map(|p| format!("--path {}", quote(p)))
                .collect();
            s.push_str(&format!(
                "  git filter-repo --force --invert-paths {}\n",
                paths.join(" ")
            ));
        }
        s.push_str("\nVerify: this must report none of the purged values\n");
        s.push_str("  scan-secrets --history .\n\n");
        s.push_str("Publish: rewrites every branch and tag on the server (filter-repo removed the remote so that nothing is pushed by accident)\n");
        s.push_str(&format!("  git remote add origin {remote}\n"));
        s.push_str("  git push --force --mirror origin\n\n");
        s.push_str("After\n");
        s.push_str(&format!("  - GitHub keeps cached views and pull-request refs (refs/pull/*) of the old commits: ask GitHub Support to remove them ({GITHUB_GUIDE}). Other hosts have their own procedure.\n"));
        s.push_str("  - Forks keep the old history; ask their owners to delete or re-fork them.\n");
        if !self.lines.is_empty() {
            s.push_str(&format!("  - Delete the replacements file: rm {file_q}\n"));
        }
        s
    }
}

/// A `git filter-repo --replace-text` line: `literal:VALUE==>REPLACEMENT`, or a regex (Python
/// syntax) matching exactly the value when it spans lines or holds `==>`.
fn replacement_line(value: &[u8], replacement: &str) -> String {
    let text = String::from_utf8_lossy(value);
    if !text.contains('\n') && !text.contains("==>") && !text.contains('\r') {
        return format!("literal:{text}==>{replacement}");
    }
    let mut re = String::from("regex:");
    for line in text.split('\n').enumerate() {
        if line.0 > 0 {
            re.push_str("\\r?\\n");
        }
        for c in line.1.trim_end_matches('\r').chars() {
            if !c.is_ascii_alphanumeric() && c != '_' && c.is_ascii() {
                re.push('\\');
            }
            re.push(c);
        }
    }
    format!("{re}==>{replacement}")
}

/// Single-quoted for a POSIX shell, control characters neutralised.
fn quote(s: &str) -> String {
    crate::text::shell_quote(&sanitize(s))
}

/// Next to the repository, never inside its work tree, so it cannot be committed by mistake.
fn default_output(root: &Path) -> PathBuf {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let name = root
        .file_name()
        .map_or_else(|| "repository".into(), |n| n.to_string_lossy().into_owned());
    let name = name.trim_end_matches(".git");
    root.parent()
        .unwrap_or(&root)
        .join(format!("{name}.replacements.txt"))
}

/// Writes `lines` to a file only its owner can read, replacing an older one.
/// (On Windows the file inherits the folder's access list, the user's own on a checkout.)
fn write_private(path: &Path, lines: &BTreeSet<String>) -> Result<(), Error> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| Error::io(path, e))?;
    // An older file keeps its mode on open: tighten it before writing a secret into it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(path, e))?;
    }
    let mut text = String::new();
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

/// The URL of `origin` (or the only remote), for the clone command.
fn origin_url(root: &Path) -> Option<String> {
    let repo = gix::discover(root).ok()?;
    let remote = repo.find_remote("origin").ok().or_else(|| {
        repo.find_default_remote(gix::remote::Direction::Fetch)?
            .ok()
    })?;
    let url = remote.url(gix::remote::Direction::Fetch)?;
    Some(url.to_bstring().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_lines() {
        assert_eq!(
            replacement_line(b"sk_live_abc", REMOVED),
            "literal:sk_live_abc==>***REMOVED***"
        );
        assert_eq!(
            replacement_line(b"-----BEGIN X-----\r\nab+c\n-----END X-----", "R"),
            "regex:\\-\\-\\-\\-\\-BEGIN\\ X\\-\\-\\-\\-\\-\\r?\\nab\\+c\\r?\\n\\-\\-\\-\\-\\-END\\ X\\-\\-\\-\\-\\-==>R"
        );
        assert_eq!(replacement_line(b"a==>b", "R"), "regex:a\\=\\=\\>b==>R");
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("it's"), "'it'\\''s'");
    }
}
