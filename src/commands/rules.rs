//! `scan-secrets rules`: the rules and providers in use, as a table, JSON or the README's list.

use std::collections::HashSet;
use std::io::Write;

use crate::cli::{ListFormat, RulesArgs};
use crate::error::Error;
use crate::exit::Status;
use crate::rules::{Rule, RuleSet};
use crate::text::plural;

/// How a rule tells a credential from a look-alike, as `scan-secrets rules` shows it.
fn check_of(rule: &Rule) -> &'static str {
    if rule.checksum.is_some() {
        "checksum"
    } else if rule.paths.is_some() {
        "path"
    } else if rule.generic {
        "context"
    } else if rule.named {
        "name"
    } else {
        "format"
    }
}

pub fn rules(args: RulesArgs) -> Result<Status, Error> {
    let set = RuleSet::builtin()?;
    let provider = match &args.provider {
        None => None,
        Some(name) => Some(set.find_provider(name).ok_or_else(|| {
            Error::Usage(format!(
                "unknown provider {name:?} (`scan-secrets rotate` lists them)"
            ))
        })?),
    };
    let search = args.search.as_deref().map(str::to_ascii_lowercase);
    let selected: Vec<&Rule> = set
        .rules
        .iter()
        .filter(|r| provider.is_none_or(|p| set.provider_of(r).id == p.id))
        .filter(|r| {
            search.as_deref().is_none_or(|text| {
                let p = set.provider_of(r);
                [&r.id, &r.description, &p.id, &p.name]
                    .into_iter()
                    .chain(r.keywords.iter())
                    .any(|field| field.to_ascii_lowercase().contains(text))
            })
        })
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Human => {
            for r in &selected {
                let p = set.provider_of(r);
                writeln!(
                    out,
                    "{:<40} {:<16} {:<8} {}",
                    r.id,
                    p.name,
                    check_of(r),
                    r.description
                )
                .map_err(Error::Output)?;
            }
            let providers: HashSet<usize> = selected.iter().map(|r| r.provider).collect();
            writeln!(
                out,
                "{} from {}",
                plural(selected.len() as u64, "rule"),
                plural(providers.len() as u64, "provider")
            )
            .map_err(Error::Output)?;
        }
        ListFormat::Json => {
            let items: Vec<_> = selected
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "provider": set.provider_of(r).id,
                        "description": r.description,
                        "keywords": r.keywords,
                        "paths": r.paths.as_ref().map(|p| &p.globs),
                        "confidence": r.confidence.as_str(),
                        "check": check_of(r),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items).map_err(|e| Error::Output(e.into()))?;
            writeln!(out).map_err(Error::Output)?;
        }
        ListFormat::Markdown => {
            write!(out, "{}", provider_table(&set, &selected)).map_err(Error::Output)?;
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(Status::Clean)
}

/// The README's table of providers: name, id, rule count and the checks their rules use.
fn provider_table(set: &RuleSet, rules: &[&Rule]) -> String {
    // Per provider: its rules' count and checks.
    let mut counts: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); set.providers.len()];
    for r in rules {
        let (n, checks) = &mut counts[r.provider];
        *n += 1;
        checks.push(check_of(r));
    }
    let mut rows: Vec<(String, &str, usize, Vec<&str>)> = Vec::new();
    for (p, (n, mut checks)) in set.providers.iter().zip(counts) {
        if n == 0 {
            continue;
        }
        checks.sort_unstable();
        checks.dedup();
        rows.push((p.name.replace('|', "/"), &p.id, n, checks));
    }
    rows.sort_by_key(|r| r.0.to_ascii_lowercase());
    let mut out = String::from("| Provider | id | Rules | Checks |\n|---|---|---:|---|\n");
    for (name, id, n, checks) in rows {
        out.push_str(&format!(
            "| {name} | `{id}` | {n} | {} |\n",
            checks.join(", ")
        ));
    }
    out
}
