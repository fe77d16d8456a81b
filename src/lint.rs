//! The pattern lint: every rule's examples through the whole pipeline, the rule-set conventions
//! and the completeness of every rotation guide. Run by the pattern tests on the embedded rules
//! and by `examples/check_patterns.rs` on pattern files being written (without a rebuild).

use std::collections::HashSet;
use std::sync::Arc;

use crate::filter::allowlist::Allowlist;
use crate::finding::Origin;
use crate::matcher::Matcher;
use crate::rules::file::SwitchPattern;
use crate::rules::{split_example, Rule, RuleSet};
use crate::scan::scan_chunk;
use crate::source::Chunk;

/// The ids of the rules reported on `text` (scanned at `path`, for path rules).
pub fn rule_ids(matcher: &Matcher, path: Option<&str>, text: &str) -> Vec<String> {
    let chunk = Chunk {
        origin: Origin::Stdin,
        rel_path: path.map(String::from),
        text: text.as_bytes().to_vec(),
        added: None,
        unread: false,
    };
    let (found, _) = scan_chunk(matcher, &Allowlist::default(), &chunk);
    found
        .iter()
        .map(|f| matcher.rules().rules[f.rule].id.to_string())
        .collect()
}

/// Each example of the selected rules must yield exactly its rule (a path rule's example may
/// yield others too), and no negative example may yield it.
pub fn example_problems(set: &Arc<RuleSet>, select: impl Fn(&Rule) -> bool) -> Vec<String> {
    let matcher = match Matcher::new(set.clone()) {
        Ok(matcher) => matcher,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = Vec::new();
    for rule in set.rules.iter().filter(|r| select(r)) {
        if !rule.regex_src.is_empty() && rule.regex().is_none() {
            problems.push(format!("{}: regex does not compile", rule.id));
            continue;
        }
        for ex in rule.examples.iter() {
            let (path, text) = split_example(rule, ex);
            let got = rule_ids(&matcher, path, text);
            // A sensitive file's content may rightly hold other findings too.
            let exact = path.is_none() && got.iter().any(|id| *id != rule.id);
            if !got.iter().any(|id| *id == rule.id) || exact {
                problems.push(format!("{}: example {ex:?} gave {got:?}", rule.id));
            }
        }
        for ex in rule.negative_examples.iter() {
            let (path, text) = split_example(rule, ex);
            let got = rule_ids(&matcher, path, text);
            if got.iter().any(|id| *id == rule.id) {
                problems.push(format!("{}: negative example {ex:?} was reported", rule.id));
            }
        }
    }
    problems
}

/// Conventions of the rule set: unique kebab-case ids that start with the provider's id, two
/// examples and two negative examples per rule, a keyword in every example, a `secret` group
/// wherever there are groups.
pub fn rule_problems(set: &RuleSet) -> Vec<String> {
    let mut ids = HashSet::new();
    let mut problems = Vec::new();
    for rule in &set.rules {
        let provider = set.provider_of(rule);
        if !ids.insert(rule.id.clone()) {
            problems.push(format!("duplicate id {}", rule.id));
        }
        let kebab = rule
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !kebab || !(rule.id == provider.id || rule.id.starts_with(&format!("{}-", provider.id)))
        {
            problems.push(format!(
                "{}: id must be kebab-case and start with `{}-`",
                rule.id, provider.id
            ));
        }
        if rule.examples.len() < 2 || rule.negative_examples.len() < 2 {
            problems.push(format!(
                "{}: needs at least 2 examples and 2 negative examples",
                rule.id
            ));
        }
        for ex in rule.examples.iter().filter(|_| rule.paths.is_none()) {
            let lower = ex.to_ascii_lowercase();
            if !rule
                .keywords
                .iter()
                .any(|k| lower.contains(&k.to_ascii_lowercase()))
            {
                problems.push(format!(
                    "{}: example {ex:?} contains none of its keywords",
                    rule.id
                ));
            }
        }
        if let Some(Err(e)) = rule.paths.as_ref().map(|p| p.check()) {
            problems.push(format!("{}: {e}", rule.id));
        }
        if let Some(re) = rule.regex() {
            if re.captures_len() > 1 && !re.capture_names().any(|n| n == Some("secret")) {
                problems.push(format!(
                    "{}: has capture groups but none named `secret`",
                    rule.id
                ));
            }
        }
    }
    problems
}

/// Every provider a rule reports has a complete rotation guide: name, env var, https revoke
/// and docs URLs, two steps or more, abuse check, damage limit and switch-over.
pub fn guide_problems(set: &RuleSet) -> Vec<String> {
    let used: HashSet<&str> = set.rules.iter().map(|r| &*set.provider_of(r).id).collect();
    let mut problems = Vec::new();
    for p in set.providers.iter().filter(|p| used.contains(&*p.id)) {
        let r = &p.rotation;
        let mut bad = |what: &str| problems.push(format!("provider {}: {what}", p.id));
        if p.name.trim().is_empty() {
            bad("empty name");
        }
        if p.env_var.trim().is_empty() {
            bad("empty env_var");
        }
        if !r.revoke_url.starts_with("https://") {
            bad("revoke_url must be https");
        }
        if !r
            .docs_url
            .as_ref()
            .is_some_and(|d| d.starts_with("https://"))
        {
            bad("docs_url must be set, and https");
        }
        if r.steps.len() < 2 || r.steps.iter().any(|s| s.trim().is_empty()) {
            bad("needs at least 2 non-empty steps");
        }
        for (field, text) in [
            ("abuse_check", &r.abuse_check),
            ("limit_damage", &r.limit_damage),
            ("zero_downtime.how", &r.zero_downtime.how),
        ] {
            if text.trim().len() < 20 {
                bad(&format!("{field} is empty or too short"));
            }
        }
        if !SwitchPattern::ALL.contains(&r.zero_downtime.pattern) {
            bad("zero_downtime.pattern outside the allowed set");
        }
        if let Some(api) = &r.revocation_api {
            if !api.contains("https://") {
                bad("revocation_api must name its https endpoint");
            }
        }
        let texts = r
            .steps
            .iter()
            .chain([&r.abuse_check, &r.limit_damage, &r.zero_downtime.how])
            .chain(r.revocation_api.iter());
        for text in texts {
            if text.contains("http://") {
                bad(&format!("plain http URL in {text:?}"));
            }
        }
    }
    problems
}
