//! Every builtin rule's examples through the whole pipeline (prefilter, regex, entropy and
//! checksum gates, overlap resolution, placeholder suppression), plus a lint of the rule set.

use std::collections::HashSet;
use std::sync::Arc;

use scan_secrets::filter::allowlist::Allowlist;
use scan_secrets::finding::Origin;
use scan_secrets::matcher::Matcher;
use scan_secrets::rules::file::{PatternFile, SwitchPattern};
use scan_secrets::rules::{split_example, RuleSet};
use scan_secrets::scan::scan_chunk;
use scan_secrets::source::Chunk;

fn rule_ids(matcher: &Matcher, path: Option<&str>, text: &str) -> Vec<String> {
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
        .map(|f| matcher.rules().rules[f.rule].id.clone())
        .collect()
}

#[test]
fn every_example_through_the_pipeline() {
    let set = Arc::new(RuleSet::builtin().expect("builtin patterns load"));
    let matcher = Matcher::new(set.clone());
    let mut problems = Vec::new();
    for rule in &set.rules {
        if !rule.regex_src.is_empty() && rule.regex().is_none() {
            problems.push(format!("{}: regex does not compile", rule.id));
            continue;
        }
        for ex in &rule.examples {
            let (path, text) = split_example(rule, ex);
            let got = rule_ids(&matcher, path, text);
            // A sensitive file's content may rightly hold other findings too.
            let exact = path.is_none() && got.iter().any(|id| id != &rule.id);
            if !got.contains(&rule.id) || exact {
                problems.push(format!("{}: example {ex:?} gave {got:?}", rule.id));
            }
        }
        for ex in &rule.negative_examples {
            let (path, text) = split_example(rule, ex);
            let got = rule_ids(&matcher, path, text);
            if got.contains(&rule.id) {
                problems.push(format!("{}: negative example {ex:?} was reported", rule.id));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn rule_set_lint() {
    let set = RuleSet::builtin().expect("builtin patterns load");
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
        if let Some(re) = rule.regex() {
            if re.captures_len() > 1 && !re.capture_names().any(|n| n == Some("secret")) {
                problems.push(format!(
                    "{}: has capture groups but none named `secret`",
                    rule.id
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Issue 7: every provider a builtin rule reports has a complete, exact rotation guide.
#[test]
fn every_provider_has_a_complete_guide() {
    let set = RuleSet::builtin().expect("builtin patterns load");
    let used: HashSet<&str> = set
        .rules
        .iter()
        .map(|r| set.provider_of(r).id.as_str())
        .collect();
    let mut problems = Vec::new();
    for p in set
        .providers
        .iter()
        .filter(|p| used.contains(p.id.as_str()))
    {
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
        if r.docs_url
            .as_ref()
            .is_some_and(|d| !d.starts_with("https://"))
        {
            bad("docs_url must be https");
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
    let github = set.find_provider("github").unwrap();
    assert!(
        github
            .rotation
            .revocation_api
            .as_deref()
            .is_some_and(|a| a.contains("https://api.github.com/credentials/revoke")),
        "GitHub's guide must name the credential revocation API"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The allowed zero-downtime patterns are spelled in the pattern files as `as_str` says.
#[test]
fn switch_patterns_parse_from_their_spelling() {
    for pattern in SwitchPattern::ALL {
        let toml = format!(
            "[provider]\nid = \"x\"\nname = \"X\"\nenv_var = \"X_KEY\"\n[provider.rotation]\nrevoke_url = \"https://x.example\"\nsteps = [\"a\", \"b\"]\nabuse_check = \"logs\"\nlimit_damage = \"scopes\"\n[provider.rotation.zero_downtime]\npattern = \"{}\"\nhow = \"so\"\n",
            pattern.as_str()
        );
        let file: PatternFile = toml::from_str(&toml).unwrap();
        assert_eq!(
            file.provider.rotation.unwrap().zero_downtime.pattern,
            pattern
        );
    }
    let bad = "[provider]\nid = \"x\"\nname = \"X\"\nenv_var = \"X_KEY\"\n[provider.rotation]\nrevoke_url = \"https://x.example\"\nsteps = [\"a\", \"b\"]\nabuse_check = \"logs\"\nlimit_damage = \"scopes\"\n[provider.rotation.zero_downtime]\npattern = \"rotate-whenever\"\nhow = \"so\"\n";
    assert!(toml::from_str::<PatternFile>(bad).is_err());
}

#[test]
fn every_file_is_loaded() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("patterns");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = RuleSet::builtin_files().map(String::from).collect();
    assert_eq!(
        on_disk, embedded,
        "patterns/ and the embedded list differ: rebuild"
    );
    let set = RuleSet::builtin().unwrap();
    for name in &embedded {
        // `<id>.toml`, or `<id>-<part>.toml` continuing provider `<id>`'s rules.
        let stem = name.trim_end_matches(".toml");
        assert!(
            set.providers
                .iter()
                .any(|p| p.id == stem || stem.starts_with(&format!("{}-", p.id))),
            "{name}: provider id must equal the file stem (or its start, for a continuation)"
        );
    }
    assert!(
        set.providers.len() >= 45,
        "only {} providers",
        set.providers.len()
    );
}
