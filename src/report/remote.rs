//! Human output of a pre-receive scan, which git shows the pusher as `remote:` lines: no
//! colour, short lines, one block per finding (rule, redacted secret, file:line, commit), then
//! what to do now that the server has refused the push: the secret was never stored there, so
//! rewriting the local commits is enough unless the key left the machine another way.

use std::io::Write;

use super::{Report, View};
use crate::finding::Finding;
use crate::source::history::{short_ref, RefUpdate};
use crate::text::{plural, sanitize};

pub fn write(
    report: &Report,
    view: &View,
    updates: &[RefUpdate],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if report.findings.is_empty() {
        if !view.quiet {
            writeln!(
                out,
                "scan-secrets: no secrets in {} pushed ({} scanned)",
                plural(report.commits.unwrap_or(0) as u64, "new commit"),
                plural(report.files, "blob")
            )?;
        }
        return out.flush();
    }
    writeln!(
        out,
        "scan-secrets: push refused: {} in the pushed commits",
        plural(report.findings.len() as u64, "secret")
    )?;
    for f in &report.findings {
        let rule = &view.rules.rules[f.rule];
        let provider = view.rules.provider_of(rule);
        let secret = view.secret(&f.secret);
        writeln!(
            out,
            "  {} ({})  {secret}",
            rule.id,
            sanitize(&provider.name)
        )?;
        let mut place = format!("    {}:{}", sanitize(f.origin.path()), f.location.line);
        if let Some(c) = f.origin.commit() {
            place.push_str(&format!(
                "  commit {} {:?}",
                c.short_id(),
                sanitize(&c.subject)
            ));
        }
        writeln!(out, "{place}")?;
    }
    if view.quiet {
        return out.flush();
    }
    writeln!(
        out,
        "The secret is not stored on this server: the push was refused before anything was kept."
    )?;
    let (base, what) = rebase_base(updates, &report.findings);
    writeln!(out, "  1. Take it out of your local commits ({what}):")?;
    writeln!(out, "       git rebase -i {base}")?;
    writeln!(
        out,
        "     mark each commit above `edit`; at each stop remove the secret, git commit --amend, git rebase --continue."
    )?;
    let mut envs: Vec<&str> = Vec::new();
    let mut providers: Vec<&str> = Vec::new();
    for f in &report.findings {
        let p = view.rules.provider_of(&view.rules.rules[f.rule]);
        if !envs.contains(&&*p.env_var) {
            envs.push(&p.env_var);
        }
        if !providers.contains(&&*p.id) {
            providers.push(&p.id);
        }
    }
    writeln!(
        out,
        "  2. Read it from the environment instead ({}), then push again.",
        sanitize(&envs.join(", "))
    )?;
    writeln!(
        out,
        "  3. Rotate it only if it left your machine some other way (a chat, a CI log, an AI tool): {}",
        providers
            .iter()
            .map(|p| format!("scan-secrets rotate {p}"))
            .collect::<Vec<_>>()
            .join("; ")
    )?;
    out.flush()
}

/// What to rebase onto, and what that is: the server's tip of the one branch pushed, when
/// there is one; else the parent of the earliest commit with a finding.
fn rebase_base(updates: &[RefUpdate], findings: &[Finding]) -> (String, String) {
    let branches: Vec<&RefUpdate> = updates
        .iter()
        .filter(|u| !u.new.is_null() && u.name.starts_with("refs/heads/"))
        .collect();
    if let [one] = branches[..] {
        if !one.old.is_null() {
            let id = one.old.to_string();
            let what = format!("the server's {} is at {}", short_ref(&one.name), &id[..7]);
            return (id[..7].to_string(), sanitize(&what));
        }
    }
    let earliest = findings
        .iter()
        .filter_map(|f| f.origin.commit())
        .min_by_key(|c| c.time);
    match earliest {
        Some(c) => (
            format!("{}~1", c.short_id()),
            format!("the earliest is {}", c.short_id()),
        ),
        None => ("<the server's branch>".into(), "on your branch".into()),
    }
}
