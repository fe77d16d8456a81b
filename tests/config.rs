//! `.scan-secrets.toml`: allowlisted paths and values, inline markers, disabled rules, errors.

use crate::common::{fake, github_token, summary, TestRepo, ALNUM};

#[test]
fn allow_paths_regexes_and_inline_marker() {
    let repo = TestRepo::new();
    let a = github_token("ghp_", 1);
    let b = github_token("ghp_", 2);
    let c = fake("sk_live_", ALNUM, 30, 3);
    let d = github_token("ghp_", 4);
    repo.write(
        ".scan-secrets.toml",
        &format!(
            "[allow]\npaths = [\"fixtures\"]\nregexes = [\"^{}$\"]\n",
            &c
        ),
    );
    repo.write("fixtures/tokens.txt", &format!("{a}\n"));
    repo.write("src/stripe.txt", &format!("key = {c}\n"));
    repo.write(
        "src/inline.txt",
        &format!("token = {b} # scan-secrets:allow\n"),
    );
    repo.write("src/real.txt", &format!("token = {d}\n"));
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![(
            "github-pat-classic".to_string(),
            "src/real.txt".to_string(),
            1,
            9
        )]
    );
}

#[test]
fn disable_rule_and_custom_rule() {
    let repo = TestRepo::dir();
    repo.write(
        ".scan-secrets.toml",
        r#"disable = ["generic-password"]

[[rule]]
id = "acme-token"
description = "ACME internal token"
keywords = ["acme_"]
regex = '''acme_[a-z0-9]{16}'''
examples = ["acme_0123abcd4567efgh"]
negative_examples = ["acme_short"]
"#,
    );
    repo.write(
        "a.env",
        "DB_PASSWORD=Tr0ub4dor&3\nX=acme_k2j4h6g8f0d2s4a6\n",
    );
    let (findings, _) = repo.scan_json(&["."]);
    assert_eq!(
        summary(&findings),
        vec![("acme-token".to_string(), "a.env".to_string(), 2, 3)]
    );
}

#[test]
fn explicit_config_flag() {
    let repo = TestRepo::dir();
    repo.write("conf/custom.toml", "[allow]\npaths = [\"*.txt\"]\n");
    repo.write("x.txt", &format!("{}\n", github_token("ghp_", 5)));
    let (findings, code) = repo.scan_json(&[".", "--config", "conf/custom.toml"]);
    assert_eq!((findings.len(), code), (0, 0));
}

#[test]
fn bad_config_names_the_key_and_exits_2() {
    let repo = TestRepo::dir();
    repo.write(".scan-secrets.toml", "[allow]\npath = [\"x\"]\n");
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(".scan-secrets.toml"), "{err}");
    assert!(err.contains("unknown field `path`"), "{err}");

    repo.write(".scan-secrets.toml", "disable = [\"no-such-rule\"]\n");
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule \"no-such-rule\""));

    repo.write(".scan-secrets.toml", "[allow]\nregexes = [\"(unclosed\"]\n");
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("allow.regexes: bad regex"));

    repo.write(".scan-secrets.toml", "[[rule]]\nid = \"x-rule\"\ndescription = \"d\"\nkeywords = [\"xyz\"]\nregex = \"(\"\nexamples = []\nnegative_examples = []\n");
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rule x-rule: bad regex"));
}
