//! Sensitive files (path rules): committing `.env`, key files, key stores or Terraform state is
//! a finding of its own, even when the file is binary or too large to search, with advice to
//! keep the path out of git. Templates (`.env.example`) and files without credentials are not.

use crate::common::{fake, history_summary, rows, summary, TestRepo, HEX};

/// A few binary bytes (a NUL in the first 8 KiB makes a file binary).
const BINARY: &[u8] = b"\x30\x82\x0a\x00\x02\x01\x03\x30\x82\x09\xc6\x06\x09\x2a\x86\x00";

fn plant(repo: &TestRepo) {
    repo.write(
        ".env",
        "# local settings\nDEBUG=1\nDB_PASSWORD=kT7vQ2mX9pLr\n",
    );
    repo.write(".env.example", "DEBUG=1\nDB_PASSWORD=changeme\n");
    repo.write(".env.production", "PORT=8080\nLOG_LEVEL=info\n");
    repo.write_bytes("certs/client.p12", BINARY);
    repo.write("infra/terraform.tfstate", &"{\"version\": 4}\n".repeat(200));
    repo.write("config/master.key", &format!("{}\n", fake("", HEX, 32, 7)));
    repo.write(".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
    repo.write(
        ".ssh/id_ed25519.pub",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 user@host\n",
    );
    // Test suites keep such files as fixtures on purpose.
    repo.write("tests/fixtures/.env", "API_TOKEN=local-dev-token\n");
}

#[test]
fn sensitive_files_in_the_working_tree() {
    let repo = TestRepo::dir();
    plant(&repo);
    // The state file is over the size limit and the key store is binary: both are still
    // reported by their paths.
    let (findings, code) = repo.scan_json(&["--max-file-size", "1KiB", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("file-dotenv", ".env", 1, 1),
            ("generic-password", ".env", 3, 13),
            ("file-pkcs12", "certs/client.p12", 1, 1),
            ("rails-master-key", "config/master.key", 1, 1),
            ("file-terraform-state", "infra/terraform.tfstate", 1, 1),
        ])
    );
    let env = &findings[0];
    assert_eq!(env["secret"], "", "a whole file has no value");
    assert_eq!(
        env["advice"],
        "add '.env' to .gitignore, then stop tracking the file: git rm --cached -- '.env'"
    );
    // A path rule with a `secret` group points at the value, redacted.
    let master = &findings[3];
    assert_eq!(master["end_column"], 33);
    assert!(master["secret"].as_str().unwrap().contains('…'));

    let out = repo
        .cmd()
        .args(["--max-file-size", "1KiB", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(
            "  fix     add 'client.p12' to .gitignore, then stop tracking the file: git rm --cached -- 'certs/client.p12'"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("How to rotate: Sensitive file"), "{stdout}");
    // Skipped files are still counted as skipped.
    assert!(stdout.contains("skipped 1 binary file"), "{stdout}");

    let out = repo
        .cmd()
        .args(["--max-file-size", "1KiB", "--show-suppressed", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("Suppressed: 1 placeholder or example, 1 test or docs file."),
        "{stdout}"
    );
}

#[test]
fn sensitive_files_follow_the_config() {
    let repo = TestRepo::dir();
    plant(&repo);
    repo.write(
        ".scan-secrets.toml",
        "disable = [\"file-terraform-state\"]\n\n[allow.rule.file-pkcs12]\npaths = [\"certs/**\"]\n",
    );
    let (findings, code) = repo.scan_json(&["--max-file-size", "1KiB", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("file-dotenv", ".env", 1, 1),
            ("generic-password", ".env", 3, 13),
            ("rails-master-key", "config/master.key", 1, 1),
        ])
    );

    // A baseline keeps a known .env quiet, but not another .env elsewhere.
    let out = repo.cmd().args(["baseline", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (findings, code) = repo.scan_json(&["--baseline", ".scan-secrets-baseline.json", "."]);
    assert_eq!((findings.len(), code), (0, 0));
    repo.write("api/.env", "API_TOKEN=local-dev-token\n");
    let (findings, code) = repo.scan_json(&["--baseline", ".scan-secrets-baseline.json", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("file-dotenv", "api/.env", 1, 1)])
    );
}

#[test]
fn staged_sensitive_files_block_the_commit() {
    let repo = TestRepo::new();
    repo.write(".env", "DEBUG=1\nAPI_TOKEN=abc123def456\n");
    repo.write("README.md", "hello\n");
    repo.commit_all("initial");

    // A binary key store is reported although its content is never searched.
    repo.write_bytes("android/release.jks", BINARY);
    repo.write_bytes("android/debug.keystore", BINARY);
    repo.stage("android");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("file-java-keystore", "android/release.jks", 1, 1)])
    );
    assert_eq!(findings[0]["source"], "staged");
    repo.commit("keys");

    // A change to a tracked .env is reported, whichever lines it touches.
    repo.write(".env", "DEBUG=1\nAPI_TOKEN=abc123def456\nPORT=8081\n");
    repo.stage(".env");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[("file-dotenv", ".env", 1, 1)]));

    // Untracking it (git rm --cached) stages a deletion: nothing to report.
    repo.git(&["rm", "-q", "--cached", ".env"]);
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!((findings.len(), code), (0, 0));
}

#[test]
fn sensitive_files_in_history_are_reported_once_at_their_first_commit() {
    let repo = TestRepo::new();
    repo.write("app.py", "print('hi')\n");
    repo.commit_all_at("initial", "2024-05-01T10:00:00Z");
    repo.write(".env", "SECRET_KEY=abc123def456\n");
    repo.write_bytes("certs/client.pfx", BINARY);
    let added = repo.commit_all_at("add settings", "2024-05-02T10:00:00Z");
    repo.write(".env", "SECRET_KEY=abc123def456\nPORT=1\n");
    repo.commit_all_at("port", "2024-05-03T10:00:00Z");
    // Deleted later: still in history.
    std::fs::remove_file(repo.path().join(".env")).unwrap();
    std::fs::remove_file(repo.path().join("certs/client.pfx")).unwrap();
    repo.commit_all_at("remove secrets", "2024-05-04T10:00:00Z");

    let expected = |rule: &str, file: &str, column: u64| {
        (rule.to_string(), file.to_string(), 1, column, added.clone())
    };
    let check = |order: &str| {
        let (findings, code) =
            repo.scan_json_env(&["--history"], &[("SCAN_SECRETS_HISTORY_ORDER", order)]);
        assert_eq!(code, 1, "{order}");
        assert_eq!(
            history_summary(&findings),
            vec![
                expected("file-dotenv", ".env", 1),
                expected("generic-secret", ".env", 12),
                expected("file-pkcs12", "certs/client.pfx", 1)
            ],
            "{order}"
        );
        // The second version adds `PORT=1` only: path order looks for the content condition
        // in new lines (the file counts once); pack order also rereads the lines where the
        // delta base had candidates (README: more_occurrences may count more there).
        let more = findings[0]["more_occurrences"].as_u64().unwrap();
        assert_eq!(more, u64::from(order == "pack"), "{order}");
    };
    check("path");
    repo.git(&["gc", "-q"]);
    check("path");
    check("pack");

    // A range that only touches other files reports nothing.
    repo.write("app.py", "print('bye')\n");
    repo.commit_all_at("bye", "2024-05-05T10:00:00Z");
    let (findings, code) = repo.scan_json(&["--since", "HEAD~1"]);
    assert_eq!((findings.len(), code), (0, 0));
}

#[test]
fn sarif_explains_a_sensitive_file() {
    let repo = TestRepo::dir();
    repo.write_bytes(
        "deploy/id_rsa",
        b"-----BEGIN OPENSSH PRIVATE KEY-----\n\0\0\n",
    );
    let out = repo
        .cmd()
        .args(["--format", "sarif", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "file-ssh-private-key");
    let text = result["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with("SSH private key file committed: add 'id_rsa' to .gitignore"),
        "{text}"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
}

#[test]
fn custom_path_rules_are_checked_and_applied() {
    let repo = TestRepo::dir();
    let config = |examples: &str| {
        format!(
            "[[rule]]\nid = \"acme-secrets-file\"\ndescription = \"ACME secrets file\"\npaths = [\"*.secret.json\"]\nnot_paths = [\"sample.secret.json\"]\nregex = '''\"key\"'''\nexamples = [{examples}]\nnegative_examples = [\"sample.secret.json\\n{{\\\"key\\\": 1}}\"]\n"
        )
    };
    repo.write(
        ".scan-secrets.toml",
        &config("\"config/app.secret.json\\n{\\\"key\\\": 1}\""),
    );
    repo.write("config/app.secret.json", "{\"key\": \"abc\"}\n");
    repo.write("config/other.secret.json", "{\"name\": \"abc\"}\n");
    repo.write("sample.secret.json", "{\"key\": \"abc\"}\n");
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("acme-secrets-file", "config/app.secret.json", 1, 1)])
    );

    // An example at a path the rule does not cover is a config error.
    repo.write(
        ".scan-secrets.toml",
        &config("\"config/app.json\\n{\\\"key\\\": 1}\""),
    );
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("rule acme-secrets-file") && stderr.contains("is not matched"),
        "{stderr}"
    );
}
