//! Confidence levels: a weak password in free text is `low` and hidden by default, shown with
//! `--confidence low`; `--confidence high` keeps only random or checksummed values; the config
//! key `confidence` sets the same level and the command line overrides it.

use crate::common::{fake, github_token, rows, summary, TestRepo, ALNUM, GH, URLSAFE};

/// A note with a weak password (low), a password in a config file (medium), a random token in
/// free text (high) and a checksummed GitHub token (high).
fn repo() -> TestRepo {
    let repo = TestRepo::dir();
    repo.write(
        "notes/oncall.txt",
        "Sat 09:40  staging box creds, pw: summer2024\n",
    );
    repo.write("config/db.env", "DB_PASSWORD=Tr0ub4dor&3\n");
    repo.write(
        "notes/handover.txt",
        &format!(
            "the api key is {} for the reporting job\n",
            fake("", ALNUM, 32, 81)
        ),
    );
    repo.write(
        "deploy.sh",
        &format!("export GH_TOKEN={}\n", github_token("ghp_", 82)),
    );
    repo
}

const MEDIUM: (&str, &str, u64, u64) = ("generic-password", "config/db.env", 1, 13);
const TEXT_KEY: (&str, &str, u64, u64) = ("generic-text-key", "notes/handover.txt", 1, 16);
const GITHUB: (&str, &str, u64, u64) = (GH, "deploy.sh", 1, 17);
const WEAK: (&str, &str, u64, u64) = ("generic-text-password", "notes/oncall.txt", 1, 35);

fn grades(findings: &[serde_json::Value]) -> Vec<&str> {
    findings
        .iter()
        .map(|f| f["confidence"].as_str().unwrap())
        .collect()
}

#[test]
fn default_hides_low_confidence_findings_and_counts_them() {
    let repo = repo();
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[MEDIUM, GITHUB, TEXT_KEY]));
    assert_eq!(grades(&findings), ["medium", "high", "high"]);
    let out = repo
        .cmd()
        .args(["--show-suppressed", "--color", "never", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 below --confidence"), "{stdout}");
}

#[test]
fn confidence_low_shows_weak_passwords_and_high_keeps_random_ones() {
    let repo = repo();
    let (findings, code) = repo.scan_json(&["--confidence", "low", "."]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[MEDIUM, GITHUB, TEXT_KEY, WEAK]));
    assert_eq!(grades(&findings), ["medium", "high", "high", "low"]);

    let (findings, code) = repo.scan_json(&["--confidence", "high", "."]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[GITHUB, TEXT_KEY]));
}

#[test]
fn the_config_key_sets_the_level_and_the_flag_overrides_it() {
    let repo = repo();
    repo.write(".scan-secrets.toml", "confidence = \"high\"\n");
    let (findings, _) = repo.scan_json(&["."]);
    assert_eq!(summary(&findings), rows(&[GITHUB, TEXT_KEY]));
    let (findings, _) = repo.scan_json(&["--confidence", "low", "."]);
    assert_eq!(summary(&findings), rows(&[MEDIUM, GITHUB, TEXT_KEY, WEAK]));

    repo.write(".scan-secrets.toml", "confidence = \"certain\"\n");
    let out = repo.cmd().arg(".").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("confidence = \"certain\": expected \"low\", \"medium\" or \"high\""),
        "{err}"
    );
    let out = repo
        .cmd()
        .args(["--confidence", "certain", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_firebase_web_config_api_key_is_low_and_a_bare_google_key_is_not() {
    let repo = TestRepo::dir();
    let web = fake("AIza", URLSAFE, 35, 83);
    let server = fake("AIza", URLSAFE, 35, 84);
    repo.write(
        "web/firebase.js",
        &format!(
            "const firebaseConfig = {{\n  apiKey: \"{web}\",\n  authDomain: \"demo-app.firebaseapp.com\",\n  projectId: \"demo-app\",\n}};\n"
        ),
    );
    repo.write(
        "server/maps.py",
        &format!("GOOGLE_API_KEY = \"{server}\"\n"),
    );
    let google = |file, line, col| ("google-api-key", file, line, col);
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[google("server/maps.py", 1, 19)]));
    let (findings, _) = repo.scan_json(&["--confidence", "low", "."]);
    assert_eq!(
        summary(&findings),
        rows(&[
            google("server/maps.py", 1, 19),
            google("web/firebase.js", 2, 12)
        ])
    );
    assert_eq!(grades(&findings), ["medium", "low"]);
}
