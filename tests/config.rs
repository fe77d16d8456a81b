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
        &format!("disable = [\"generic-password\"]\n{ACME_RULE}"),
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
    // A rule whose automaton would be huge (and slow to build and run) is refused at load.
    repo.write(
        ".scan-secrets.toml",
        "[[rule]]\nid = \"x-rule\"\ndescription = \"d\"\nkeywords = [\"xyz\"]\nregex = 'xyz(?:[a-z0-9]{1,50}x){500}'\nexamples = []\nnegative_examples = []\n",
    );
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("rule x-rule: bad regex: Compiled regex exceeds size limit of 1048576 bytes"),
        "{err}"
    );
}

#[test]
fn foreign_markers_count_only_with_the_flag() {
    let repo = TestRepo::dir();
    let markers = [
        "# gitleaks:allow",
        "# pragma: allowlist secret",
        "// trufflehog:ignore",
        "# kingfisher:ignore",
    ];
    for (i, m) in markers.iter().enumerate() {
        let token = github_token("ghp_", 400 + i as u64);
        repo.write(&format!("f{i}.py"), &format!("token = \"{token}\"  {m}\n"));
    }
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!((findings.len(), code), (4, 1));
    let (findings, code) = repo.scan_json(&["--accept-foreign-markers"]);
    assert_eq!((findings.len(), code), (0, 0));
}

#[test]
fn allow_stopwords_and_commits() {
    let repo = TestRepo::new();
    // A value holding a stopword (any case) is not reported; others are.
    let sample = format!(
        "sk_live_{}ZEBRA{}",
        fake("", ALNUM, 12, 1),
        fake("", ALNUM, 12, 2)
    );
    let real = github_token("ghp_", 410);
    repo.write(
        "a.env",
        &format!("STRIPE_SECRET_KEY={sample}\nGITHUB_TOKEN={real}\n"),
    );
    let (findings, _) = repo.scan_json(&[]);
    assert_eq!(findings.len(), 2, "without the stopword both are reported");
    repo.write(".scan-secrets.toml", "[allow]\nstopwords = [\"zebra\"]\n");
    let excused = repo.commit_all("add keys");
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![("github-pat-classic".to_string(), "a.env".to_string(), 2, 14)]
    );

    // A commit on the allowlist: its findings are not reported by history scans.
    let later = github_token("ghp_", 411);
    repo.write("b.env", &format!("GITHUB_TOKEN={later}\n"));
    repo.commit_all("another");
    repo.write(
        ".scan-secrets.toml",
        &format!(
            "[allow]\nstopwords = [\"zebra\"]\ncommits = [\"{}\"]\n",
            &excused[..10]
        ),
    );
    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![("github-pat-classic".to_string(), "b.env".to_string(), 1, 14)]
    );
    repo.write(".scan-secrets.toml", "[allow]\ncommits = [\"xyz\"]\n");
    let out = repo.cmd().arg("--history").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("allow.commits"));
}

const ACME_RULE: &str = r#"
[[rule]]
id = "acme-token"
description = "ACME internal token"
keywords = ["acme_"]
regex = '''acme_[a-z0-9]{16}'''
examples = ["acme_0123abcd4567efgh"]
negative_examples = ["acme_short"]
"#;

#[test]
fn extend_false_uses_only_the_custom_rules() {
    let repo = TestRepo::dir();
    repo.write(
        ".scan-secrets.toml",
        &format!("extend = false\n{ACME_RULE}"),
    );
    repo.write(
        "a.env",
        &format!(
            "GITHUB_TOKEN={}\nX=acme_k2j4h6g8f0d2s4a6\n",
            github_token("ghp_", 420)
        ),
    );
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![("acme-token".to_string(), "a.env".to_string(), 2, 3)]
    );
    repo.write(".scan-secrets.toml", "extend = false\n");
    let out = repo.cmd().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("extend = false"));
}

#[test]
fn custom_rule_examples_are_checked_at_load() {
    let repo = TestRepo::dir();
    // The positive example is too short for the regex: the rule is wrong, say so.
    repo.write(
        ".scan-secrets.toml",
        &ACME_RULE.replace("acme_0123abcd4567efgh", "acme_0123"),
    );
    let out = repo.cmd().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("acme-token") && stderr.contains("example \"acme_0123\" is not matched"),
        "{stderr}"
    );
    repo.write(
        ".scan-secrets.toml",
        &ACME_RULE.replace("acme_short", "acme_aaaabbbbccccdddd"),
    );
    let out = repo.cmd().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("negative example"));
}

#[test]
fn config_check_explains_a_valid_config_and_rejects_a_bad_one() {
    let repo = TestRepo::dir();
    repo.write(
        ".scan-secrets.toml",
        &format!("[allow]\npaths = [\"fixtures\"]\nregexes = [\"^x$\", \"^y$\"]\n{ACME_RULE}"),
    );
    let out = repo.cmd().args(["config", "check"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(".scan-secrets.toml: valid"), "{stdout}");
    assert!(stdout.contains("(1 custom, examples checked)"), "{stdout}");
    assert!(
        stdout.contains("allow: 1 path glob, 2 regexes, 0 stopwords, 0 commits"),
        "{stdout}"
    );

    repo.write("bad.toml", "[allow]\nregexes = [\"(unclosed\"]\n");
    let out = repo
        .cmd()
        .args(["config", "check", "--config", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("allow.regexes: bad regex"));

    let empty = TestRepo::dir();
    let out = empty.cmd().args(["config", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no config file"));
}

#[test]
fn per_rule_allowlists_apply_to_their_rule_only() {
    let repo = TestRepo::dir();
    repo.write(
        ".scan-secrets.toml",
        "[allow.rule.github-pat-classic]\npaths = [\"fixtures\"]\n\n\
         [allow.rule.stripe-secret-key]\nstopwords = [\"zebra\"]\n",
    );
    let gh = github_token("ghp_", 430);
    let zebra = format!(
        "sk_live_{}ZEBRA{}",
        fake("", ALNUM, 12, 4),
        fake("", ALNUM, 12, 5)
    );
    let stripe = fake("sk_live_", ALNUM, 30, 6);
    repo.write(
        "fixtures/keys.env",
        &format!("GITHUB_TOKEN={gh}\nSTRIPE_SECRET_KEY={stripe}\nSTRIPE_KEY={zebra}\n"),
    );
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![(
            "stripe-secret-key".to_string(),
            "fixtures/keys.env".to_string(),
            2,
            19
        )]
    );
    repo.write(
        ".scan-secrets.toml",
        "[allow.rule.no-such-rule]\npaths = [\"x\"]\n",
    );
    let out = repo.cmd().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[allow.rule.no-such-rule]"));
}

/// A custom rule may read the lines after its keyword (`lines_after`): the value sits under
/// its name. Beyond the limit, or on a `multiline` rule, the key is an error naming the rule.
#[test]
fn custom_rule_reads_the_lines_after_its_keyword() {
    let rule = |lines_after: &str| {
        format!(
            "[[rule]]\nid = \"acme-pair\"\ndescription = \"ACME key under its label\"\n\
             keywords = [\"acme_label\"]\n\
             regex = '''acme_label:[ \\t]*\\n(?:[^\\n]*\\n)?[ \\t]*value:[ \\t]*(?P<secret>[a-z0-9]{{16}})'''\n\
             {lines_after}\n\
             examples = [\"acme_label:\\nvalue: k2j4h6g8f0d2s4a6\", \"acme_label:\\n# note\\nvalue: z9y8x7w6v5u4t3s2\"]\n\
             negative_examples = [\"acme_label:\\nvalue: short\", \"value: k2j4h6g8f0d2s4a6\"]\n"
        )
    };
    let repo = TestRepo::dir();
    repo.write(".scan-secrets.toml", &rule("lines_after = 2"));
    repo.write(
        "keys.yaml",
        "acme_label:\n  # rotated\n  value: q1w2e3r4t5y6u7i8\nacme_label:\n\n\n  value: a1s2d3f4g5h6j7k8\n",
    );
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!(code, 1);
    // The second value is three lines below its keyword: out of reach.
    assert_eq!(
        summary(&findings),
        vec![("acme-pair".to_string(), "keys.yaml".to_string(), 3, 10)]
    );

    for bad in ["lines_after = 9", "lines_after = 1\nmultiline = true"] {
        repo.write(".scan-secrets.toml", &rule(bad));
        let out = repo.cmd().output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("acme-pair") && stderr.contains("`lines_after` is at most 8"),
            "{bad}: {stderr}"
        );
    }
}
