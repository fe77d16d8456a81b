//! Working-tree scans through the real binary: planted keys are found with the right rule,
//! line and column; placeholders, ignored, binary and oversized files are not.

use crate::common::{fake, github_token, rows, summary, TestRepo, ALNUM, HEX, UPPER32, URLSAFE};

#[test]
fn planted_keys_of_major_providers() {
    let repo = TestRepo::new();
    let openai = fake("sk-proj-", URLSAFE, 74, 1) + "T3BlbkFJ" + &fake("", URLSAFE, 74, 2);
    let anthropic = fake("sk-ant-api03-", URLSAFE, 93, 3) + "AA";
    let stripe = fake("sk_live_", ALNUM, 99, 4);
    let aws_id = fake("AKIA", UPPER32, 16, 5);
    let aws_secret = fake("", ALNUM, 40, 6);
    let ghp = github_token("ghp_", 7);
    let slack = format!(
        "xoxb-{}-{}-{}",
        fake("", "0123456789", 12, 8),
        fake("", "0123456789", 13, 9),
        fake("", ALNUM, 24, 10)
    );
    let google = fake("AIza", URLSAFE, 35, 11);
    let npm = github_token("npm_", 12);
    repo.write(
        "app/config.py",
        &format!("import os\n\nOPENAI_KEY = \"{openai}\"\nclaude = '{anthropic}'\n"),
    );
    repo.write("billing.env", &format!("STRIPE_SECRET_KEY={stripe}\n"));
    repo.write(
        "deploy/aws.ini",
        &format!("[default]\naws_access_key_id = {aws_id}\naws_secret_access_key = {aws_secret}\n"),
    );
    repo.write(
        "ci.yml",
        &format!("env:\n  GH_TOKEN: {ghp}\n  SLACK: {slack}\n"),
    );
    repo.write("web/maps.js", &format!("const key = \"{google}\";\n"));
    repo.write(
        ".npmrc",
        &format!("//registry.npmjs.org/:_authToken={npm}\n"),
    );
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("file-npmrc-auth", ".npmrc", 1, 1),
            ("npm-access-token", ".npmrc", 1, 34),
            ("openai-project-key", "app/config.py", 3, 15),
            ("anthropic-api-key", "app/config.py", 4, 11),
            ("stripe-secret-key", "billing.env", 1, 19),
            ("github-pat-classic", "ci.yml", 2, 13),
            ("slack-bot-token", "ci.yml", 3, 10),
            ("aws-access-key-id", "deploy/aws.ini", 2, 21),
            ("aws-secret-access-key", "deploy/aws.ini", 3, 25),
            ("google-api-key", "web/maps.js", 1, 14),
        ])
    );
    // Checksummed formats are high confidence, other provider formats medium.
    let conf =
        |rule: &str| findings.iter().find(|f| f["rule"] == rule).unwrap()["confidence"].clone();
    assert_eq!(conf("github-pat-classic"), "high");
    assert_eq!(conf("npm-access-token"), "high");
    assert_eq!(conf("openai-project-key"), "medium");
}

#[test]
fn placeholders_and_documented_examples_are_not_reported() {
    let repo = TestRepo::new();
    repo.write(
        "README.md",
        "Set OPENAI_API_KEY=sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n\
         aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n\
         aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
         password: changeme\n\
         api_key: <your-key>\n\
         token: ${GITHUB_TOKEN}\n\
         secret: {{ vault_secret }}\n\
         stripe_key: sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n",
    );
    repo.write(
        "app.js",
        "const apiKey = process.env.OPENAI_API_KEY;\nconst password = config.password;\n",
    );
    repo.write(
        "app.py",
        "token = os.environ[\"TOKEN\"]\nsecret = get_secret()\n",
    );
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(summary(&findings), vec![]);
    assert_eq!(code, 0);
}

#[test]
fn gitignored_binary_and_large_files_are_skipped() {
    let repo = TestRepo::new();
    let key = github_token("ghp_", 21);
    repo.write(".gitignore", "secrets/\n");
    repo.write("secrets/token.txt", &format!("{key}\n"));
    let mut bin = format!("{key}\n").into_bytes();
    bin.insert(0, 0);
    repo.write_bytes("blob.bin", &bin);
    repo.write("big.txt", &format!("{key}\n{}", "x".repeat(2048)));
    repo.write("small.txt", &format!("t={key}\n"));
    let out = repo
        .cmd()
        .args([".", "--max-file-size", "1K", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("small.txt:1:3"), "{stdout}");
    assert!(!stdout.contains("secrets/token.txt"), "{stdout}");
    assert!(!stdout.contains("blob.bin"), "{stdout}");
    assert!(!stdout.contains("big.txt:"), "{stdout}");
    assert!(
        stdout.contains("skipped 1 file over 1 KiB (--max-file-size)"),
        "{stdout}"
    );
    assert!(stdout.contains("skipped 1 binary file"), "{stdout}");
}

#[test]
fn dot_git_is_never_scanned_but_dotfiles_are() {
    let repo = TestRepo::new();
    let key = github_token("ghp_", 31);
    std::fs::write(repo.path().join(".git/description"), format!("{key}\n")).unwrap();
    repo.write(".env", &format!("GITHUB_TOKEN={key}\n"));
    let (findings, _) = repo.scan_json(&[]);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("file-dotenv", ".env", 1, 1),
            ("github-pat-classic", ".env", 1, 14)
        ])
    );
}

#[test]
fn stdin_is_scanned() {
    let repo = TestRepo::dir();
    let key = fake("sk_live_", ALNUM, 32, 41);
    let out = repo
        .cmd()
        .args(["--stdin", "--format", "jsonl"])
        .write_stdin(format!("line one\nstripe = \"{key}\"\n"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rule"], "stripe-secret-key");
    assert_eq!(v["file"], "<stdin>");
    assert_eq!(v["source"], "stdin");
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(2), Some(11))
    );
}

#[test]
fn generic_assignments_are_graded_by_their_value() {
    let repo = TestRepo::dir();
    let hex = fake("", HEX, 32, 51);
    repo.write(
        "settings.yml",
        &format!("db:\n  password: Tr0ub4dor&3\n  api_key: {hex}\n  api_key_id: {hex}\n"),
    );
    let (findings, _) = repo.scan_json(&["."]);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("generic-password", "settings.yml", 2, 13),
            ("generic-secret", "settings.yml", 3, 12),
        ])
    );
    // A password in a credential context is medium; a random value there is high.
    let grades: Vec<&str> = findings
        .iter()
        .map(|f| f["confidence"].as_str().unwrap())
        .collect();
    assert_eq!(grades, ["medium", "high"]);
}

#[test]
fn generated_files_silence_generic_matches_but_not_provider_keys() {
    let repo = TestRepo::dir();
    let generic = "api_secret = \"q8Zr2LmX0vTn5KpW7yHc3JdB6sFa1GeQ\"\n";
    for path in [
        "app.py",
        "Cargo.lock",
        "web/package-lock.json",
        "vendor/lib/x.py",
        "dist/app.min.js",
        "dist/app.js.map",
    ] {
        repo.write(path, generic);
    }
    let token = github_token("ghp_", 440);
    repo.write("yarn.lock", &format!("token {token}\n"));
    let (findings, code) = repo.scan_json(&[]);
    assert_eq!(code, 1);
    let mut places: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["file"].as_str().unwrap().into(),
            )
        })
        .collect();
    places.sort();
    assert_eq!(places.len(), 2, "{places:?}");
    assert_eq!(places[0].1, "app.py");
    assert_eq!(places[1], ("github-pat-classic".into(), "yarn.lock".into()));

    let out = repo
        .cmd()
        .args(["--show-suppressed", "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Suppressed: 5 lockfile, bundle or vendored file."),
        "{stdout}"
    );
}

#[test]
fn random_values_in_env_files_are_reported_whatever_their_name() {
    let repo = TestRepo::dir();
    let value = fake("", ALNUM, 40, 61);
    let named = fake("", ALNUM, 32, 62);
    repo.write(
        "deploy/config.env",
        &format!("APP_NAME=my-application-name-here\nmimi={value}\nCLIENT_SECRET={named}\n"),
    );
    // Not an environment file: an unnamed value is not reported.
    repo.write("deploy/settings.py", &format!("mimi = \"{value}\"\n"));
    let (findings, code) = repo.scan_json(&["deploy"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("generic-env-value", "deploy/config.env", 2, 6),
            ("generic-secret", "deploy/config.env", 3, 15),
        ])
    );
}

#[test]
fn thousands_of_keys_on_one_long_line() {
    // A minified bundle is one line: each finding must be placed without re-reading the line.
    let repo = TestRepo::dir();
    let keys: Vec<String> = (0..5000)
        .map(|i| fake("sk_live_", ALNUM, 40, 900 + i))
        .collect();
    let line = keys.join(" ; ");
    repo.write("dist/app.js", &format!("{line}\n"));
    let (findings, code) = repo.scan_json(&["dist"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 5000);
    let last = &findings[4999];
    assert_eq!(last["line"], 1);
    assert_eq!(last["column"], (4999 * (48 + 3) + 1) as u64);
    assert_eq!(last["end_column"], (5000 * (48 + 3) - 3 + 1) as u64);
}

#[test]
fn a_keyword_starting_inside_another_keyword_hit_still_runs_its_rule() {
    // The keyword search does not overlap: in `xzone_key`, the hit on `xzone_` (0..6) hides
    // `e_key` (4..9). The hidden keyword is checked on the text after the hit.
    let repo = TestRepo::dir();
    repo.write(
        ".scan-secrets.toml",
        r#"
[[rule]]
id = "acme-zone"
description = "ACME zone marker"
keywords = ["xzone_"]
regex = '''xzone_marker_(?P<secret>[0-9]{12})'''
examples = ["xzone_marker_123456789012"]
negative_examples = ["xzone_marker_12"]

[[rule]]
id = "acme-key"
description = "ACME key"
keywords = ["e_key"]
regex = '''e_key\s*=\s*'(?P<secret>[A-Za-z0-9]{20})''''
examples = ["e_key = 'Ab3dE5gH7jK9mN1pQ3sT'"]
negative_examples = ["e_key = 'short'"]
"#,
    );
    repo.write(
        "settings.py",
        "xzone_key = 'Zq8vLm3xWp7tRk2nYc5b'\nxzone_other = 1\n",
    );
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("acme-key", "settings.py", 1, 14)])
    );
}
