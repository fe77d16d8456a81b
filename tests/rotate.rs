//! `scan-secrets rotate`: one guide, every guide, text and Markdown (issue 7).

use scan_secrets::rules::RuleSet;

use crate::common::TestRepo;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = TestRepo::dir().cmd().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn all_as_markdown_has_a_heading_per_provider() {
    let (code, text, err) = run(&["rotate", "--all", "--format", "markdown"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.starts_with("# Rotation guides\n"), "{text}");
    let set = RuleSet::builtin().unwrap();
    for p in &set.providers {
        let heading = format!("\n## {} (`{}`)\n", p.name, p.id);
        assert!(text.contains(&heading), "missing {heading:?}");
    }
    assert_eq!(
        text.matches("\n## ").count(),
        set.providers.len(),
        "one heading per provider"
    );
    // Every guide shows the structured fields.
    for label in [
        "- **Env var:** ",
        "- **Zero-downtime switch:** ",
        "- **Check for abuse:** ",
        "- **Limit the damage of a future leak:** ",
    ] {
        assert_eq!(text.matches(label).count(), set.providers.len(), "{label}");
    }
    assert!(
        text.contains("- `roll-with-expiry`: "),
        "legend of the patterns"
    );
    assert!(text.contains("**Revocation API:** POST https://api.github.com/credentials/revoke"));
    // Said once at the top, not once per provider.
    assert_eq!(text.matches("Deleting the line does not remove").count(), 1);
    // Placeholders such as <user> are escaped outside code spans.
    assert!(
        !text.contains("IAM, Users, <user>"),
        "unescaped HTML-like text"
    );
}

#[test]
fn all_as_text_prints_every_guide() {
    let (code, text, _) = run(&["rotate", "--all"]);
    assert_eq!(code, Some(0));
    let set = RuleSet::builtin().unwrap();
    assert_eq!(text.matches("How to rotate: ").count(), set.providers.len());
    assert_eq!(
        text.matches("  Limit the damage of a future leak: ")
            .count(),
        set.providers.len()
    );
}

#[test]
fn github_guide_names_the_revocation_api() {
    let (code, text, _) = run(&["rotate", "github"]);
    assert_eq!(code, Some(0));
    assert!(text.starts_with("How to rotate: GitHub\n"), "{text}");
    assert!(
        text.contains("\n  Revocation API: POST https://api.github.com/credentials/revoke"),
        "{text}"
    );
    assert!(
        text.contains("\n  Zero-downtime switch: immediate revoke"),
        "{text}"
    );
    assert!(text.contains("\n  Limit the damage of a future leak: Use fine-grained"));
    assert!(text.contains("\n  Env var: GITHUB_TOKEN\n"), "{text}");
}

#[test]
fn one_provider_as_markdown() {
    let (code, text, _) = run(&["rotate", "stripe", "--format", "markdown"]);
    assert_eq!(code, Some(0));
    assert!(text.starts_with("## Stripe (`stripe`)\n"), "{text}");
    assert!(text.contains("- **Zero-downtime switch:** `roll-with-expiry`: "));
    assert!(text.contains("- **Env var:** `STRIPE_SECRET_KEY`"));
    assert!(text.contains("restricted keys (rk_live_)"));
    assert!(!text.contains("Revocation API"), "Stripe has none");
}

#[test]
fn all_and_a_provider_conflict() {
    let (code, _, err) = run(&["rotate", "--all", "github"]);
    assert_eq!(code, Some(2), "{err}");
}

/// Issue 13: the coverage the README promises.
#[test]
fn rules_cover_600_rules_from_250_providers() {
    let (code, text, _) = run(&["rules", "--format", "json"]);
    assert_eq!(code, Some(0));
    let rules: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let providers: std::collections::HashSet<&str> = rules
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    assert!(rules.len() >= 600, "{} rules", rules.len());
    assert!(providers.len() >= 250, "{} providers", providers.len());
    for r in &rules {
        let check = r["check"].as_str().unwrap();
        assert!(
            ["checksum", "path", "context", "name", "format"].contains(&check),
            "{r}"
        );
    }
}

#[test]
fn rules_filter_by_provider_and_text() {
    let set = RuleSet::builtin().unwrap();
    let gitlab = set
        .rules
        .iter()
        .filter(|r| set.provider_of(r).id == "gitlab")
        .count();
    let (code, text, _) = run(&["rules", "--provider", "GitLab"]);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), gitlab + 1, "{text}");
    assert!(
        lines[..gitlab].iter().all(|l| l.starts_with("gitlab-")),
        "{text}"
    );
    assert_eq!(lines[gitlab], format!("{gitlab} rules from 1 provider"));
    // A key without a marker is found next to its provider's name: check `name`.
    let (_, text, _) = run(&["rules", "--provider", "vultr", "--search", "api key"]);
    assert!(text.starts_with("vultr-api-key "), "{text}");
    assert!(text.contains(" name "), "{text}");
    let (_, text, _) = run(&["rules", "--provider", "datadog", "--search", "application"]);
    assert!(text.starts_with("datadog-app-key "), "{text}");
    assert!(text.ends_with("2 rules from 1 provider\n"), "{text}");
    let (_, text, _) = run(&["rules", "--search", "github-crc32-never-a-word"]);
    assert_eq!(text, "0 rules from 0 providers\n");
    let (_, text, _) = run(&["rules", "--search", "ghp_"]);
    assert!(
        text.contains("github-pat-classic ") && text.contains(" checksum "),
        "{text}"
    );
    let (code, _, err) = run(&["rules", "--provider", "no-such-provider"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown provider \"no-such-provider\""),
        "{err}"
    );
}

/// The README's provider table is `scan-secrets rules --format markdown`, kept in sync.
#[test]
fn readme_provider_table_is_generated() {
    let (code, table, _) = run(&["rules", "--format", "markdown"]);
    assert_eq!(code, Some(0));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = "<!-- providers: scan-secrets rules --format markdown -->\n";
    let section = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once("<!-- /providers -->"))
        .map(|(table, _)| table)
        .expect("README has the provider table markers");
    assert!(
        section == table,
        "README's provider table is stale: regenerate it with `scan-secrets rules --format markdown`"
    );
}
