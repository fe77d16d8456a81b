//! Every builtin rule's examples through the whole pipeline (prefilter, regex, entropy and
//! checksum gates, overlap resolution, placeholder suppression), plus a lint of the rule set.

use std::sync::Arc;

use scan_secrets::lint;
use scan_secrets::rules::file::{PatternFile, SwitchPattern};
use scan_secrets::rules::RuleSet;

fn assert_none(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_example_through_the_pipeline() {
    let set = Arc::new(RuleSet::builtin_with_examples().expect("builtin patterns load"));
    assert_none(lint::example_problems(&set, |_| true));
}

#[test]
fn rule_set_lint() {
    assert_none(lint::rule_problems(
        &RuleSet::builtin_with_examples().unwrap(),
    ));
}

/// Issue 7: every provider a builtin rule reports has a complete, exact rotation guide.
#[test]
fn every_provider_has_a_complete_guide() {
    let set = RuleSet::builtin().expect("builtin patterns load");
    let github = set.find_provider("github").unwrap();
    assert!(
        github
            .rotation
            .revocation_api
            .as_deref()
            .is_some_and(|a| a.contains("https://api.github.com/credentials/revoke")),
        "GitHub's guide must name the credential revocation API"
    );
    assert_none(lint::guide_problems(&set));
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
    let mut embedded: Vec<String> = RuleSet::builtin_files().map(String::from).collect();
    embedded.sort();
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
