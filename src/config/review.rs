//! What a change under review does to its own scan's configuration. Notes say when the
//! scanned commits change `.scan-secrets.toml` or a baseline file; then the findings that the
//! change's own configuration, baseline or inline markers would hide are listed as
//! "suppressed by this change", so that a reviewer sees them. The configuration and baseline
//! in use come from outside the change (`outside`), so what the change's own would hide is
//! reported; what an inline marker it adds hides is not (a developer can still mark a false
//! positive), but it is listed too. Secrets are always redacted there.

use std::collections::HashSet;
use std::path::Path;

use super::outside::repo_relative;
use super::{check, parse_config, ConfigFile, CONFIG_FILE};
use crate::error::Error;
use crate::filter::allowlist::Allowlist;
use crate::filter::baseline::{self, Baseline};
use crate::filter::Reason;
use crate::finding::{redact, Finding};
use crate::report::Report;
use crate::rules::RuleSet;
use crate::source::history::Sides;
use crate::text::plural;

/// What the scan uses instead of the change's own files.
pub(super) struct Used<'a> {
    /// Where its configuration comes from, as the notes say it.
    pub config: String,
    /// Where its baseline comes from.
    pub baseline: String,
    /// The configuration is the repository's (no `--config`): the change's own is reviewed.
    pub own_config: bool,
    /// So is the baseline (no `--config`, no `--baseline`).
    pub own_baseline: bool,
    /// The baseline the configuration in use names, relative to the repository root.
    pub base_baseline: Option<&'a str>,
}

/// A change's review: its notes, and what its own files would hide.
pub struct Review {
    notes: Vec<String>,
    /// The change's own configuration (at its tip), when it changes the one in use.
    own: Option<Own>,
    /// The change's own baseline (at its tip): its path and fingerprints.
    own_baseline: Option<(String, HashSet<String>)>,
}

/// A configuration's rules in use and allowlists.
struct Own {
    rules: HashSet<String>,
    allow: Allowlist,
}

/// How notes name the change's own configuration file.
const OWN: &str = ".scan-secrets.toml of the scanned commits";

impl Review {
    pub(super) fn new(sides: &Sides, used: &Used) -> Result<Review, Error> {
        let mut notes = sides.notes.clone();
        let config_change = sides.change_of(CONFIG_FILE)?;
        let tip = match sides.at_tip(CONFIG_FILE)? {
            None => Ok(ConfigFile::default()),
            Some(bytes) => String::from_utf8(bytes)
                .map_err(|_| Error::Config {
                    path: Some(OWN.into()),
                    message: "not UTF-8 text".into(),
                })
                .and_then(|text| parse_config(&text, Some(Path::new(OWN)))),
        };
        // Built (rules and all) only when the change modifies it.
        let checked = config_change.map(|_| {
            tip.as_ref()
                .map_err(|e| e.to_string())
                .and_then(|c| check(OWN, Some(Path::new(OWN)), c, false).map_err(|e| e.to_string()))
        });
        let mut own = None;
        match checked {
            Some(Ok(c)) if used.own_config => {
                own = Some(Own {
                    rules: c.rules.rules.iter().map(|r| r.id.to_string()).collect(),
                    allow: c.allow,
                })
            }
            Some(Err(e)) => notes.push(format!(
                "the {OWN} is not valid, so a scan of their work tree stops: {e}"
            )),
            _ => {}
        }

        // The baseline the change's configuration names, as at its tip.
        let tip_baseline = tip
            .as_ref()
            .ok()
            .and_then(|c| c.baseline.as_deref())
            .and_then(repo_relative);
        let mut own_baseline = None;
        if let (true, Some(rel)) = (used.own_baseline, &tip_baseline) {
            if let Some(bytes) = sides.at_tip(rel)? {
                let shown = format!("{rel} of the scanned commits");
                let text = String::from_utf8_lossy(&bytes);
                match Baseline::parse(Path::new(&shown), &text) {
                    Ok(b) => {
                        let prints = b.entries.into_iter().map(|e| e.fingerprint).collect();
                        own_baseline = Some((rel.clone(), prints));
                    }
                    Err(e) => notes.push(format!("{e}")),
                }
            }
        }

        let mut files = vec![CONFIG_FILE, baseline::DEFAULT_FILE];
        files.extend(used.base_baseline);
        files.extend(tip_baseline.as_deref());
        let mut seen = HashSet::new();
        for file in files.into_iter().filter(|f| seen.insert(*f)) {
            let change = match file {
                CONFIG_FILE => config_change,
                _ => sides.change_of(file)?,
            };
            if let Some(change) = change {
                let how = match file {
                    CONFIG_FILE => &used.config,
                    _ => &used.baseline,
                };
                notes.push(format!(
                    "the scanned commits change {file} ({}); {how}",
                    change.as_str()
                ));
            }
        }
        Ok(Review {
            notes,
            own,
            own_baseline,
        })
    }

    /// The notes for a scan's report: the files the change modifies, then the findings its own
    /// configuration or baseline would hide (reported) and those an inline marker it adds
    /// hides (not reported), one a line.
    pub fn notes(&self, report: &Report, rules: &RuleSet) -> Vec<String> {
        let mut notes = self.notes.clone();
        let reported: Vec<String> = report
            .findings
            .iter()
            .filter_map(|f| Some(listed(f, rules, &self.hides(f, rules)?, "reported")))
            .collect();
        let marked = report.marked.iter().map(|f| {
            listed(
                f,
                rules,
                "an inline marker on a line it adds",
                "not reported",
            )
        });
        let mut counts = Vec::new();
        if !reported.is_empty() {
            counts.push(format!(
                "{} reported, as a change's own configuration and baseline do not apply to its own scan",
                reported.len()
            ));
        }
        if !report.marked.is_empty() {
            counts.push(format!(
                "{} not reported, hidden by inline markers it adds",
                report.marked.len()
            ));
        }
        if !counts.is_empty() {
            let n = (reported.len() + report.marked.len()) as u64;
            notes.push(format!(
                "{} suppressed by this change, listed for review: {}",
                plural(n, "finding"),
                counts.join("; ")
            ));
        }
        notes.extend(reported);
        notes.extend(marked);
        notes
    }

    /// What of the change's own configuration or baseline would hide `f`.
    fn hides(&self, f: &Finding, rules: &RuleSet) -> Option<String> {
        if let Some((path, prints)) = &self.own_baseline {
            if prints.contains(&f.fingerprint) {
                return Some(format!("listed in its baseline {path}"));
            }
        }
        let own = self.own.as_ref()?;
        let id = &*rules.rules[f.rule].id;
        if !own.rules.contains(id) {
            return Some(format!("its {CONFIG_FILE} turns the rule off"));
        }
        let path = f.origin.path();
        let reason = match own.allow.path_allowed(path) {
            true => Some(Reason::AllowPath),
            false => own.allow.hides(id, Some(path), &f.secret),
        };
        let reason = reason
            .or_else(|| {
                let commit = f.origin.commit()?;
                own.allow
                    .commit_allowed(&commit.id)
                    .then_some(Reason::AllowCommit)
            })
            .or_else(|| (f.confidence < own.allow.min_confidence).then_some(Reason::LowConfidence));
        Some(match reason? {
            Reason::LowConfidence => format!("below the confidence its {CONFIG_FILE} sets"),
            r => format!("{} in its {CONFIG_FILE}", r.label()),
        })
    }
}

/// One finding as listed: rule, place, commit and redacted secret, why, and whether it is
/// reported.
fn listed(f: &Finding, rules: &RuleSet, why: &str, outcome: &str) -> String {
    let commit = f
        .origin
        .commit()
        .map(|c| format!(" (commit {})", c.short_id()))
        .unwrap_or_default();
    let secret = redact(&f.secret);
    let secret = match secret.is_empty() {
        true => secret,
        false => format!(" {secret}"),
    };
    format!(
        "suppressed by this change: {} at {}:{}{commit}{secret}: {why}; {outcome}",
        rules.rules[f.rule].id,
        f.origin.path(),
        f.location.line
    )
}
