//! Output formats: JSON schema, JSON Lines, redaction, --show-secrets, human layout, colours.

use crate::common::{fake, TestRepo, ALNUM};

fn repo_with_key() -> (TestRepo, String) {
    let repo = TestRepo::dir();
    let key = fake("sk_live_", ALNUM, 32, 9);
    repo.write(
        "pay.env",
        &format!("STRIPE_SECRET_KEY={key}\nOTHER=1\nAGAIN={key}\n"),
    );
    (repo, key)
}

#[test]
fn json_schema_and_redaction() {
    let (repo, key) = repo_with_key();
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 2);
    let f = &findings[0];
    let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "column",
            "confidence",
            "description",
            "end_column",
            "end_line",
            "entropy",
            "file",
            "fingerprint",
            "line",
            "provider",
            "rotation",
            "rule",
            "secret",
            "source"
        ]
    );
    assert_eq!(f["provider"], "stripe");
    assert_eq!(f["source"], "file");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(19))
    );
    assert_eq!(f["end_column"].as_u64(), Some(19 + key.len() as u64));
    let shown = f["secret"].as_str().unwrap();
    assert_eq!(shown, format!("{}…{}", &key[..10], &key[key.len() - 2..]));
    assert!(f["fingerprint"].as_str().unwrap().starts_with("v1:"));
    // Same secret, same fingerprint, wherever it sits.
    assert_eq!(findings[0]["fingerprint"], findings[1]["fingerprint"]);
    assert!(f["rotation"]["revoke_url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert_eq!(f["rotation"]["env_var"], "STRIPE_SECRET_KEY");
    // Issue 7: the structured guide fields (only ever added to, never removed).
    assert_eq!(f["rotation"]["zero_downtime"], "roll-with-expiry");
    for field in [
        "abuse_check",
        "limit_damage",
        "zero_downtime_how",
        "docs_url",
    ] {
        assert!(
            !f["rotation"][field].as_str().unwrap_or("").is_empty(),
            "rotation.{field}"
        );
    }
    assert!(
        f["rotation"].get("revocation_api").is_none(),
        "absent when the provider has none"
    );
    let raw = repo
        .cmd()
        .args([".", "--format", "json"])
        .output()
        .unwrap()
        .stdout;
    assert!(
        !String::from_utf8(raw).unwrap().contains(&key),
        "secret leaked in JSON"
    );
}

#[test]
fn show_secrets_reveals_values() {
    let (repo, key) = repo_with_key();
    let (findings, _) = repo.scan_json(&[".", "--show-secrets"]);
    assert_eq!(findings[0]["secret"], key.as_str());
}

#[test]
fn show_secrets_in_ci_needs_force() {
    let (repo, key) = repo_with_key();
    for ci in [("CI", "true"), ("GITHUB_ACTIONS", "true")] {
        let out = repo
            .cmd()
            .env(ci.0, ci.1)
            .args([".", "--show-secrets"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{ci:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stdout.contains(&key) && !stderr.contains(&key));
        assert!(stderr.contains("--show-secrets=force"), "{stderr}");

        let out = repo
            .cmd()
            .env(ci.0, ci.1)
            .args([".", "--format", "json", "--show-secrets=force"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{ci:?}");
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(findings[0]["secret"], key.as_str());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("warning: --show-secrets=force in CI"),
            "{stderr}"
        );
    }
    // Redacted by default in CI too.
    let out = repo.cmd().env("CI", "true").arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8(out.stdout).unwrap().contains(&key));
}

#[test]
fn jsonl_is_one_object_per_line() {
    let (repo, _) = repo_with_key();
    let out = repo
        .cmd()
        .args([".", "--format", "jsonl"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    for l in lines {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert_eq!(v["rule"], "stripe-secret-key");
    }
}

#[test]
fn human_output_groups_by_secret_then_guides_then_summary() {
    let (repo, key) = repo_with_key();
    let out = repo.cmd().args([".", "--color", "never"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains(&key), "secret leaked in human output");
    let redacted = format!("{}…{}", &key[..10], &key[key.len() - 2..]);
    let expected_head = format!(
        "Stripe: Stripe live-mode secret API key  [stripe-secret-key] medium confidence\n  secret  {redacted}\n  at      pay.env:1:19\n  at      pay.env:3:7\n\nHow to rotate: Stripe\n"
    );
    assert!(text.starts_with(&expected_head), "{text}");
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("Found 1 secret in 2 places in 1 file ("),
        "{last}"
    );
    assert!(!text.contains('\x1b'), "colour codes with --color never");
    let coloured = repo
        .cmd()
        .args([".", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8(coloured.stdout).unwrap().contains('\x1b'));
}

#[test]
fn no_color_env_and_quiet() {
    let (repo, _) = repo_with_key();
    let out = repo
        .cmd()
        .args([".", "--quiet"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'));
    assert!(!text.contains("How to rotate"));
    assert!(!text.contains("Found 1 secret"));
}

#[test]
fn terminal_escapes_in_file_names_are_neutralised() {
    let repo = TestRepo::dir();
    let key = fake("sk_live_", ALNUM, 32, 19);
    repo.write("evil\x1b[2Jname.txt", &format!("k={key}\n"));
    let out = repo.cmd().args([".", "--color", "never"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.contains("evil\u{FFFD}[2Jname.txt:1:3"));
}

#[test]
fn output_file_flag() {
    let (repo, _) = repo_with_key();
    let out = repo
        .cmd()
        .args([".", "--format", "json", "-o", "report.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn sarif_is_valid_and_complete() {
    let (repo, key) = repo_with_key();
    repo.write("nested dir/app.py", &format!("STRIPE = \"{key}\"\n"));
    let out = repo
        .cmd()
        .args([".", "--format", "sarif", "--show-secrets"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains(&key),
        "SARIF must never hold a secret in clear"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();

    let schema_path = crate::common::repo_root().join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the OASIS schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");

    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1, "one descriptor per rule that fired");
    assert_eq!(rules[0]["id"], "stripe-secret-key");
    assert!(rules[0]["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("https://dashboard.stripe.com/apikeys"));
    assert!(rules[0]["properties"]["security-severity"].is_string());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["nested%20dir/app.py", "pay.env", "pay.env"]);
    let first = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(first["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(first["region"]["startLine"], 1);
    assert_eq!(first["region"]["startColumn"], 19);
    assert_eq!(first["region"]["endColumn"], 19 + key.len() as u64);
    // The same key has the same fingerprint everywhere: alerts survive line moves.
    let fp: Vec<&serde_json::Value> = results
        .iter()
        .map(|r| &r["partialFingerprints"]["secretFingerprint/v1"])
        .collect();
    assert!(fp[0].as_str().unwrap().starts_with("v1:"));
    assert!(fp.iter().all(|f| *f == fp[0]));
}
