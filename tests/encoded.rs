//! Secrets hidden in base64 (Kubernetes `Secret` data, `.dockerconfigjson`, basic-auth
//! headers) and percent-encoded tokens: found by what they decode to, reported at the encoded
//! token, fingerprinted like the plain secret.

use crate::common::{base64, fake, rows, summary, TestRepo, ALNUM, URLSAFE};

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn openai_key(seed: u64) -> String {
    fake("sk-proj-", URLSAFE, 74, seed) + "T3BlbkFJ" + &fake("", URLSAFE, 74, seed + 1)
}

#[test]
fn kubernetes_secret_data_is_decoded_and_reported_at_the_token() {
    let repo = TestRepo::dir();
    let key = openai_key(1);
    let stripe = fake("sk_live_", ALNUM, 99, 3);
    let auth = base64(&format!("deploy:{}", fake("", ALNUM, 20, 4)));
    let docker = base64(&format!(
        "{{\"auths\":{{\"registry.example.com\":{{\"auth\":\"{auth}\"}}}}}}"
    ));
    let encoded_key = base64(&key);
    repo.write(
        "k8s/secret.yaml",
        &format!(
            "apiVersion: v1\nkind: Secret\ntype: Opaque\ndata:\n  OPENAI_API_KEY: {encoded_key}\n  billing: {}\n  note: {}\n---\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {docker}\n",
            base64(&format!("STRIPE_KEY={stripe}")),
            base64("just a plain sentence, nothing secret in it"),
        ),
    );
    // The same key in clear elsewhere: one secret, two places, one fingerprint.
    repo.write("app/config.py", &format!("OPENAI = \"{key}\"\n"));
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("openai-project-key", "app/config.py", 1, 11),
            ("openai-project-key", "k8s/secret.yaml", 5, 19),
            ("stripe-secret-key", "k8s/secret.yaml", 6, 12),
            ("generic-secret", "k8s/secret.yaml", 12, 22),
        ])
    );
    let encoded = &findings[1];
    assert_eq!(encoded["encoding"], "base64");
    // The location spans the whole encoded token.
    assert_eq!(encoded["end_column"], 19 + encoded_key.len() as u64);
    assert_eq!(encoded["fingerprint"], findings[0]["fingerprint"]);
    assert!(findings[0].get("encoding").is_none());
    // What is shown is the decoded value, redacted.
    assert!(encoded["secret"].as_str().unwrap().starts_with("sk-proj-"));
    // The docker config's `auth` (itself base64) is found inside the decoded JSON.
    assert!(findings[3]["secret"]
        .as_str()
        .unwrap()
        .starts_with(&auth[..10]));

    let out = repo.cmd().arg("k8s").output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("(decoded from base64)"), "{stdout}");
    assert!(!stdout.contains(&key[10..]), "{stdout}");
}

#[test]
fn decoded_values_still_pass_the_filters() {
    let repo = TestRepo::dir();
    let placeholder = format!("sk-proj-{}", "X".repeat(60));
    let key = openai_key(11);
    repo.write(
        "deploy/values.yaml",
        &format!(
            "a: {}\nb: {}  # scan-secrets:allow\nc: {}\n",
            base64(&format!("OPENAI_API_KEY={placeholder}")),
            base64(&format!("OPENAI_API_KEY={key}")),
            base64(&format!("password = \"{}\"", "${DB_PASSWORD}")),
        ),
    );
    let out = repo
        .cmd()
        .args(["--show-suppressed", "deploy"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("No secrets found"), "{stdout}");
    assert!(stdout.contains("1 inline marker"), "{stdout}");
}

#[test]
fn basic_auth_and_percent_encoded_credentials() {
    let repo = TestRepo::dir();
    let password = fake("", ALNUM, 16, 21);
    let url = format!("https://admin:{password}@db.example.com/app");
    repo.write(
        "deploy/ci.sh",
        &format!(
            "curl -H \"Authorization: Basic {}\" https://ci.example.com\ncurl -H \"Authorization: Basic {}\" https://ci.example.com\nexport CALLBACK={}\n",
            base64(&format!("deploy:{password}")),
            base64("user:password"),
            percent(&url),
        ),
    );
    let (findings, code) = repo.scan_json(&["deploy"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("generic-basic-auth", "deploy/ci.sh", 1, 31),
            ("generic-credential-url", "deploy/ci.sh", 3, 17),
        ])
    );
    assert_eq!(findings[1]["encoding"], "percent");
}

#[test]
fn encoded_secrets_in_staged_changes_and_history() {
    let repo = TestRepo::new();
    repo.write("README.md", "hi\n");
    let first = repo.commit_all("initial");
    let key = openai_key(31);
    repo.write(
        "k8s/secret.yaml",
        &format!("data:\n  KEY: {}\n", base64(&key)),
    );
    repo.stage("k8s/secret.yaml");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("openai-project-key", "k8s/secret.yaml", 2, 8)])
    );
    let added = repo.commit("add secret");
    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["commit"], added.as_str());
    assert_eq!(findings[0]["encoding"], "base64");
    let (findings, _) = repo.scan_json(&["--range", &format!("{first}..HEAD")]);
    assert_eq!(summary(&findings).len(), 1);
}
