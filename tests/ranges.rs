//! `--since` and `--range`: only the lines the selected commits added, attributed to them; bad
//! or empty ranges are errors.
use crate::common::{
    day, env_with, fake, github_token, history_rows as rows, history_summary, stripe_env, TestRepo,
    GH, HEX, STRIPE,
};
use crate::history::config_with;

#[test]
fn since_scans_only_lines_added_after_the_revision() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 220)));
    let base = repo.commit_all_at("old key", &day(1));
    repo.git(&["tag", "v1"]);
    // A new blob of config.py that still holds the old key, on a line not added here.
    repo.write(
        "config.py",
        &format!(
            "{}VERBOSE = True\n",
            config_with(&github_token("ghp_", 220))
        ),
    );
    repo.commit_all_at("verbose", &day(2));
    repo.write("pay.env", &stripe_env(221));
    let new = repo.commit_all_at("payments", &day(3));

    for rev in ["v1", base.as_str()] {
        let (findings, code) = repo.scan_json(&["--history", "--since", rev]);
        assert_eq!(code, 1, "--since {rev}");
        assert_eq!(
            history_summary(&findings),
            rows(&[(STRIPE, "pay.env", 1, 19, &new)]),
            "--since {rev}"
        );
    }
}

#[test]
fn range_scans_only_lines_added_by_its_commits() {
    let repo = TestRepo::new();
    repo.write("a.py", &config_with(&github_token("ghp_", 222)));
    let c1 = repo.commit_all_at("a", &day(1));
    // c2 adds a line to a.py (the key there predates the range) and a new key in b.env.
    repo.write(
        "a.py",
        &format!(
            "{}VERBOSE = True\n",
            config_with(&github_token("ghp_", 222))
        ),
    );
    repo.write("b.env", &env_with(&github_token("ghp_", 223)));
    let c2 = repo.commit_all_at("b", &day(2));
    repo.write("c.env", &stripe_env(224));
    let c3 = repo.commit_all_at("c", &day(3));
    repo.write("d.env", &env_with(&github_token("ghp_", 225)));
    repo.commit_all_at("d", &day(4));

    let range = format!("{c1}..{c3}");
    let (findings, code) = repo.scan_json(&["--history", "--range", &range]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "b.env", 1, 14, &c2), (STRIPE, "c.env", 1, 19, &c3)])
    );
    // With a REPO argument, run from elsewhere.
    let elsewhere = TestRepo::dir();
    let (findings, _) = elsewhere.scan_json(&[
        "--history",
        "--range",
        &range,
        repo.path().to_str().unwrap(),
    ]);
    assert_eq!(findings.len(), 2);
}

/// `--history --format json ARGS`, which must fail with exit 2; returns stderr.
fn error(repo: &TestRepo, args: &[&str]) -> String {
    let out = repo
        .cmd()
        .args(["--history", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unknown_since_revision_is_an_error_naming_it() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    let err = error(&repo, &["--since", "nosuchrev"]);
    assert!(err.contains("nosuchrev"), "{err}");
}

#[test]
fn unknown_range_revision_is_an_error_naming_it() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    let err = error(&repo, &["--range", "main..nosuchrev"]);
    assert!(err.contains("nosuchrev"), "{err}");
}

#[test]
fn empty_range_is_an_error() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 226)));
    repo.commit_all("initial");
    let err = error(&repo, &["--range", "main..main"]).to_lowercase();
    assert!(err.contains("empty"), "{err}");
}

/// `--since REV` means `REV..HEAD`: the work of the checked-out branch. Other branches are
/// not this push's or pull request's commits (a CI clone with full history has them all).
#[test]
fn since_covers_the_commits_of_head_only() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    let base = repo.commit_all_at("initial", &day(1));
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("side.env", &env_with(&github_token("ghp_", 229)));
    repo.commit_all_at("side", &day(2));
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.env", &stripe_env(230));
    let main = repo.commit_all_at("main", &day(3));

    let (findings, code) = repo.scan_json(&["--history", "--since", &base]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(STRIPE, "main.env", 1, 19, &main)])
    );
    // Nothing new on HEAD since itself: an empty range is an error, never a silent pass.
    let out = repo
        .cmd()
        .args(["--history", "--since", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty"));
}

#[test]
fn private_key_added_in_a_range_commit_is_found() {
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let repo = TestRepo::new();
    repo.write("deploy.txt", "host = example.org\n");
    let c1 = repo.commit_all_at("initial", &day(1));
    let mut pem = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for i in 0..20 {
        pem += &fake("", B64, 64, 240 + i);
        pem.push('\n');
    }
    pem += "-----END RSA PRIVATE KEY-----\n";
    repo.write("deploy.txt", &format!("host = example.org\n{pem}"));
    let c2 = repo.commit_all_at("key", &day(2));

    let range = format!("{c1}..{c2}");
    let (findings, code) = repo.scan_json(&["--history", "--range", &range]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[("privatekey-rsa", "deploy.txt", 2, 1, &c2)])
    );
    assert_eq!(findings[0]["end_line"].as_u64(), Some(23));
}

#[test]
fn multiline_key_under_an_unchanged_header_is_found() {
    // Rotating the key of an Alertmanager receiver changes only its line; the
    // `pagerduty_configs:` header the rule needs sits above, unchanged.
    let repo = TestRepo::new();
    let config = |key: &str| {
        format!("receivers:\n  - name: on-call\n    pagerduty_configs:\n      - routing_key: {key}\n        severity: critical\n")
    };
    repo.write("alertmanager.yml", &config("<routing-key>"));
    repo.commit_all_at("receiver", &day(1));
    repo.write("alertmanager.yml", &config(&fake("", HEX, 32, 77)));
    let c2 = repo.commit_all_at("key", &day(2));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[("pagerduty-alertmanager-key", "alertmanager.yml", 4, 22, &c2)])
    );
}
