//! What a scan does around its report on a server (`--pre-receive`) or under a time budget:
//! the watchdog that ends a scan at `--timeout`, and the audited bypass
//! (`git push -o scan-secrets.skip="<reason>"`).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use crate::config::{Settings, Timeout};
use crate::error::Error;
use crate::exit::Status;
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::history::RefUpdate;
use crate::text::sanitize;

/// The push option that asks for a bypass, as `scan-secrets.skip=<reason>`.
pub const SKIP_OPTION: &str = "scan-secrets.skip";

/// Ends the process when `timeout.after` has passed and the scan is still running: exit 0
/// (`accept`) or 2 (`reject`), with one line that says which. `pushing`: the words fit a
/// pre-receive hook.
pub fn watchdog(timeout: Timeout, pushing: bool) {
    std::thread::spawn(move || {
        std::thread::sleep(timeout.after);
        crate::source::quarantine::release();
        let secs = timeout.after.as_secs_f64();
        let (what, code) = match (timeout.accept, pushing) {
            (true, true) => ("push accepted WITHOUT a complete scan (on_timeout = accept)", 0),
            (false, true) => ("push refused (on_timeout = reject); ask the server's administrator to raise the timeout, or push fewer commits at a time", 2),
            (true, false) => ("stopped; exiting 0 as --on-timeout accept asks: NOT everything was scanned", 0),
            (false, false) => ("stopped (--on-timeout reject)", 2),
        };
        // stdout is not flushed: the report may hold its lock, and a half report is no loss.
        eprintln!("scan-secrets: the scan did not finish within {secs}s: {what}");
        std::process::exit(code);
    });
}

/// git's push options (`git push -o ...`), from `GIT_PUSH_OPTION_COUNT` and
/// `GIT_PUSH_OPTION_<n>`; none when the server does not advertise them.
fn push_options() -> Vec<String> {
    let count = std::env::var("GIT_PUSH_OPTION_COUNT")
        .ok()
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0);
    (0..count)
        .filter_map(|i| std::env::var(format!("GIT_PUSH_OPTION_{i}")).ok())
        .collect()
}

/// Characters of a bypass reason kept (in the log and the message).
const MAX_REASON: usize = 500;

/// The reason given with `-o scan-secrets.skip=<reason>` (empty when none was written, cut
/// at `MAX_REASON` characters), if the option was given.
fn skip_reason(options: &[String]) -> Option<String> {
    options.iter().find_map(|o| {
        if o == SKIP_OPTION {
            return Some(String::new());
        }
        o.strip_prefix(SKIP_OPTION)
            .and_then(|rest| rest.strip_prefix('='))
            .map(|r| r.trim().chars().take(MAX_REASON).collect())
    })
}

/// The status of a pre-receive scan whose report is printed: a push with findings goes
/// through only when the server allows bypass, the pusher asked for it with a reason, and
/// the bypass is logged.
pub fn settle(
    settings: &Settings,
    updates: &[RefUpdate],
    report: &Report,
    status: Status,
) -> Result<Status, Error> {
    let Some(reason) = skip_reason(&push_options()) else {
        return Ok(status);
    };
    let say = |line: &str| eprintln!("scan-secrets: {line}");
    let Some(log) = &settings.bypass_log else {
        say(&format!(
            "push option {SKIP_OPTION} ignored: this server does not allow bypass ([pre_receive] allow_bypass)"
        ));
        return Ok(status);
    };
    if status != Status::Findings {
        if status == Status::Clean {
            say(&format!("push option {SKIP_OPTION}: nothing to bypass"));
        }
        return Ok(status);
    }
    if reason.is_empty() {
        say(&format!(
            "push option {SKIP_OPTION} needs a reason: git push -o {SKIP_OPTION}=\"<why this is safe>\""
        ));
        return Ok(status);
    }
    append_audit(log, &audit_line(&settings.rules, updates, report, &reason))?;
    say(&format!(
        "push accepted: bypass by {} ({:?}), logged for the server's administrators",
        sanitize(&pusher()),
        sanitize(&reason)
    ));
    Ok(Status::Clean)
}

/// Who pushed, as the server knows it: GitLab, Gitea/Forgejo, GitHub Enterprise Server, a
/// web server's authenticated user, or the account the hook runs as (SSH).
fn pusher() -> String {
    [
        "GL_USERNAME",
        "GITEA_PUSHER_NAME",
        "GITHUB_USER_LOGIN",
        "REMOTE_USER",
        "USER",
        "USERNAME",
    ]
    .iter()
    .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    .unwrap_or_else(|| "unknown".into())
}

/// One JSON line for the audit log: never a secret, only what identifies the findings.
fn audit_line(rules: &RuleSet, updates: &[RefUpdate], report: &Report, reason: &str) -> String {
    // Each list sorted, each value once.
    let findings = || report.findings.iter();
    let commits: BTreeSet<&str> = findings()
        .filter_map(|f| f.origin.commit().map(|c| c.id.as_str()))
        .collect();
    let rule_ids: BTreeSet<&str> = findings().map(|f| &*rules.rules[f.rule].id).collect();
    let fingerprints: BTreeSet<&str> = findings().map(|f| f.fingerprint.as_str()).collect();
    let line = serde_json::json!({
        "time": jiff::Timestamp::now().to_string(),
        "pusher": pusher(),
        "repository": std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
        "refs": updates.iter().map(|u| serde_json::json!({
            "ref": u.name, "old": u.old.to_string(), "new": u.new.to_string(),
        })).collect::<Vec<_>>(),
        "commits": commits,
        "rules": rule_ids,
        "fingerprints": fingerprints,
        "reason": reason,
    });
    line.to_string()
}

/// Appends one line; an audit log that cannot be written refuses the bypass (exit 2).
fn append_audit(path: &Path, line: &str) -> Result<(), Error> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    // One write of the whole line: concurrent pushes append whole lines.
    file.write_all(format!("{line}\n").as_bytes())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::skip_reason;

    #[test]
    fn skip_option_and_its_reason() {
        let o = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(skip_reason(&o(&[])), None);
        assert_eq!(skip_reason(&o(&["ci.skip"])), None);
        assert_eq!(skip_reason(&o(&["scan-secrets.skipper=x"])), None);
        assert_eq!(skip_reason(&o(&["scan-secrets.skip"])), Some(String::new()));
        assert_eq!(
            skip_reason(&o(&["x", "scan-secrets.skip= test key, revoked "])),
            Some("test key, revoked".into())
        );
        let long = format!("scan-secrets.skip={}", "é".repeat(2000));
        assert_eq!(skip_reason(&[long]).unwrap().chars().count(), 500);
    }
}
