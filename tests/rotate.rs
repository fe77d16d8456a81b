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
