//! Baselines: `scan-secrets baseline` records the current findings; `--baseline` hides them
//! wherever they move; `--update-baseline` adds new ones and drops stale ones.

use crate::common::{env_with, github_token, stripe_env, summary, TestRepo, GH, STRIPE};

const FILE: &str = ".scan-secrets-baseline.json";

fn entries(repo: &TestRepo, file: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(repo.path().join(file)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    v["findings"].as_array().unwrap().clone()
}

/// One field of every entry of the baseline `file`, sorted.
fn field(repo: &TestRepo, file: &str, key: &str) -> Vec<String> {
    let mut out: Vec<String> = entries(repo, file)
        .iter()
        .map(|e| e[key].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn baseline_round_trip_reports_only_new_secrets() {
    let repo = TestRepo::dir();
    let token = github_token("ghp_", 300);
    let stripe = stripe_env(301);
    repo.write(
        "app/settings.env",
        &format!("{}{}", env_with(&token), stripe),
    );

    let out = repo.cmd().arg("baseline").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 2 baseline entries"));
    let text = std::fs::read_to_string(repo.path().join(FILE)).unwrap();
    assert!(
        !text.contains(&token) && !text.contains(&stripe[18..]),
        "no secret in clear"
    );
    let mut expected = vec![GH.to_string(), STRIPE.to_string()];
    expected.sort();
    assert_eq!(field(&repo, FILE, "rule"), expected);

    // Rescan: nothing.
    let (findings, code) = repo.scan_json(&["--baseline", FILE]);
    assert_eq!((findings.len(), code), (0, 0));

    // Lines moved, file renamed: still nothing.
    std::fs::remove_file(repo.path().join("app/settings.env")).unwrap();
    repo.write(
        "config/prod.env",
        &format!("# moved\n\n{}DEBUG=0\n{}", stripe, env_with(&token)),
    );
    let (findings, code) = repo.scan_json(&["--baseline", FILE]);
    assert_eq!((findings.len(), code), (0, 0));

    // A new secret: only it is reported.
    let new = github_token("ghp_", 302);
    repo.write("config/dev.env", &env_with(&new));
    let (findings, code) = repo.scan_json(&["--baseline", FILE]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![(GH.to_string(), "config/dev.env".to_string(), 1, 14)]
    );

    // The human summary says how many the baseline hid.
    let out = repo
        .cmd()
        .args(["--baseline", FILE, "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("2 in the baseline"), "{stdout}");
}

#[test]
fn stale_entries_are_reported_and_update_baseline_rewrites_the_file() {
    let repo = TestRepo::dir();
    let old = github_token("ghp_", 310);
    repo.write("a.env", &env_with(&old));
    repo.write("b.env", &stripe_env(311));
    let out = repo.cmd().arg("baseline").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(entries(&repo, FILE).len(), 2);

    // The Stripe key is gone, a new token is there.
    std::fs::remove_file(repo.path().join("b.env")).unwrap();
    let new = github_token("ghp_", 312);
    repo.write("c.env", &env_with(&new));
    let out = repo
        .cmd()
        .args(["--baseline", FILE, "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 baseline entry no longer found"),
        "{stdout}"
    );

    let out = repo
        .cmd()
        .args(["--baseline", FILE, "--update-baseline", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 added, 1 dropped, 2 in all"));
    assert_eq!(field(&repo, FILE, "file"), vec!["a.env", "c.env"]);
    let (findings, code) = repo.scan_json(&["--baseline", FILE]);
    assert_eq!((findings.len(), code), (0, 0));
}

#[test]
fn baseline_from_the_config_file_and_bad_baselines() {
    let repo = TestRepo::dir();
    repo.write("a.env", &env_with(&github_token("ghp_", 320)));
    let out = repo
        .cmd()
        .args(["baseline", "-o", "accepted.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    repo.write(".scan-secrets.toml", "baseline = \"accepted.json\"\n");
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!((findings.len(), code), (0, 0));

    // A missing or malformed baseline is an error, never a silent pass.
    let out = repo
        .cmd()
        .args(["--baseline", "nope.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.json"));
    repo.write("bad.json", "{\"version\": 9, \"findings\": []}");
    let out = repo
        .cmd()
        .args(["--baseline", "bad.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("version 9"));
    // --update-baseline needs to know which file.
    std::fs::remove_file(repo.path().join(".scan-secrets.toml")).unwrap();
    let out = repo.cmd().arg("--update-baseline").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--update-baseline needs a baseline"));
}

#[test]
fn baseline_applies_to_history_and_staged_scans() {
    let repo = TestRepo::new();
    let token = github_token("ghp_", 330);
    repo.write("a.env", &env_with(&token));
    repo.commit_all("add");
    let out = repo
        .cmd()
        .args(["baseline", "--history", "-o", "base.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (findings, code) = repo.scan_json(&["--history", "--baseline", "base.json"]);
    assert_eq!((findings.len(), code), (0, 0));
    // The same secret staged in another file is already known; a new one is not.
    repo.write("b.env", &env_with(&token));
    repo.stage("b.env");
    let (findings, code) = repo.scan_json(&["--staged", "--baseline", "base.json"]);
    assert_eq!((findings.len(), code), (0, 0));
    repo.write("c.env", &env_with(&github_token("ghp_", 331)));
    repo.stage("c.env");
    let (findings, code) = repo.scan_json(&["--staged", "--baseline", "base.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![(GH.to_string(), "c.env".to_string(), 1, 14)]
    );
}

#[test]
fn the_baseline_itself_is_never_scanned() {
    // Its lines (`"rule":"generic-password","file":...`) read like an assignment to a
    // password-named key; scanning it would report the baseline as a leak.
    let repo = TestRepo::new();
    repo.write("db.yml", "password: kT7vQ2mX9pLr\n");
    repo.write("audit/README", "known findings\n");
    for file in [FILE, "audit/known.json"] {
        let out = repo
            .cmd()
            .args(["baseline", "-o", file, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(field(&repo, file, "rule"), vec!["generic-password"]);
        let (findings, code) = repo.scan_json(&["--baseline", file, "."]);
        assert_eq!((summary(&findings), code), (vec![], 0), "{file}");
        let (_, code) = repo.scan_json(&["--baseline", file, "--update-baseline", "."]);
        assert_eq!(code, 0);
        assert_eq!(field(&repo, file, "rule"), vec!["generic-password"]);
    }
    // Committed, it is not a finding of a history scan either.
    std::fs::remove_dir_all(repo.path().join("audit")).unwrap();
    repo.commit_all("baseline");
    let (findings, code) = repo.scan_json(&["--history", "--baseline", FILE]);
    assert_eq!((summary(&findings), code), (vec![], 0));
}
