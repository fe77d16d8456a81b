//! The GitHub Action's script (`.github/scan-secrets-action.sh`), run with bash in temporary
//! repositories with a simulated runner environment (event payload, summary and output files).

use std::path::Path;
use std::process::Command;

use crate::common::*;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    output: String,
    sarif: Option<serde_json::Value>,
}

/// Runs the action script in `dir` for `event` with `payload`, with extra `env` (INPUT_*).
fn run_action(dir: &Path, event: &str, payload: &serde_json::Value, env: &[(&str, &str)]) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let event_path = tmp.path().join("event.json");
    std::fs::write(&event_path, payload.to_string()).unwrap();
    let summary = tmp.path().join("summary.md");
    let output = tmp.path().join("output.txt");
    let sarif = tmp.path().join("out.sarif");
    let script = repo_root().join(".github/scan-secrets-action.sh");
    let mut c = shell("bash");
    c.arg(&script)
        .current_dir(dir)
        .env("GITHUB_EVENT_NAME", event)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("SCAN_SECRETS", assert_cmd::cargo::cargo_bin("scan-secrets"))
        .env("INPUT_SARIF", &sarif)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("bash runs");
    let sarif = std::fs::read(&sarif)
        .ok()
        .map(|b| serde_json::from_slice(&b).expect("SARIF is valid JSON"));
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        output: std::fs::read_to_string(&output).unwrap_or_default(),
        sarif,
    }
}

impl Run {
    fn results(&self) -> usize {
        self.sarif.as_ref().expect("SARIF written")["runs"][0]["results"]
            .as_array()
            .unwrap()
            .len()
    }

    fn findings(&self) -> &str {
        self.output
            .lines()
            .find_map(|l| l.strip_prefix("findings="))
            .unwrap_or_else(|| panic!("no findings output: {self:?}"))
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}\n--- summary\n{}\n--- output\n{}",
            self.code, self.stdout, self.stderr, self.summary, self.output
        )
    }
}

fn pr_payload(base: &str, head: &str) -> serde_json::Value {
    serde_json::json!({
        "pull_request": {"base": {"sha": base}, "head": {"sha": head}},
        "repository": {"default_branch": "main"}
    })
}

/// A repository with a clean first commit and a second one adding a GitHub token to
/// `config.env`; returns (repo, base, head).
fn repo_with_secret_added() -> (TestRepo, String, String) {
    let repo = TestRepo::new();
    repo.write("README.txt", "hello\n");
    let base = repo.commit_all_at("initial", &day(1));
    repo.write("config.env", &env_with(&github_token("ghp_", 41)));
    let head = repo.commit_all_at("add config", &day(2));
    (repo, base, head)
}

fn run_pr_with_secret(env: &[(&str, &str)]) -> Run {
    let (repo, base, head) = repo_with_secret_added();
    run_action(repo.path(), "pull_request", &pr_payload(&base, &head), env)
}

#[test]
fn pull_request_with_a_secret_fails_with_sarif_summary_annotation_and_outputs() {
    let r = run_pr_with_secret(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.results(), 1, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(r.output.lines().any(|l| l.starts_with("sarif=")), "{r:?}");
    assert!(r.summary.contains(GH), "{r:?}");
    assert!(r.summary.contains("config.env:1"), "{r:?}");
    assert!(r.summary.contains("How to rotate"), "{r:?}");
    assert!(
        r.summary.contains("https://github.com/settings/tokens"),
        "{r:?}"
    );
    let annotation = r
        .stdout
        .lines()
        .find(|l| l.starts_with("::error file="))
        .unwrap_or_else(|| panic!("no annotation: {r:?}"));
    assert!(
        annotation.starts_with("::error file=config.env,line=1,col=14,title=github-pat-classic::"),
        "{annotation}"
    );
    // Redacted: the token itself never reaches the log or the summary.
    let token = github_token("ghp_", 41);
    assert!(
        !r.stdout.contains(&token) && !r.summary.contains(&token),
        "{r:?}"
    );
}

#[test]
fn python3_fallback_gives_the_same_outputs_as_jq() {
    let r = run_pr_with_secret(&[("SCAN_SECRETS_JSON_TOOL", "python3")]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(
        r.summary.contains(GH) && r.summary.contains("How to rotate"),
        "{r:?}"
    );
    assert!(
        r.stdout
            .contains("::error file=config.env,line=1,col=14,title=github-pat-classic::"),
        "{r:?}"
    );
}

#[test]
fn fail_on_findings_false_passes_but_reports() {
    let r = run_pr_with_secret(&[("INPUT_FAIL_ON_FINDINGS", "false")]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(r.stdout.contains("::error file=config.env"), "{r:?}");
}

#[test]
fn pull_request_without_secrets_passes() {
    let repo = TestRepo::new();
    repo.write("README.txt", "hello\n");
    let base = repo.commit_all_at("initial", &day(1));
    repo.write("app.py", "print('hi')\n");
    let head = repo.commit_all_at("code", &day(2));
    let r = run_action(repo.path(), "pull_request", &pr_payload(&base, &head), &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.findings(), "0", "{r:?}");
    assert_eq!(r.results(), 0, "{r:?}");
    assert!(!r.stdout.contains("::error"), "{r:?}");
}

#[test]
fn push_scans_before_to_after() {
    let (repo, base, head) = repo_with_secret_added();
    let payload = serde_json::json!({
        "before": base, "after": head, "created": false,
        "repository": {"default_branch": "main"}
    });
    let r = run_action(repo.path(), "push", &payload, &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(
        r.stdout.contains(&format!("--range {base}..{head}")),
        "{r:?}"
    );
}

#[test]
fn push_of_a_new_branch_scans_only_the_commits_not_on_the_default_branch() {
    // main has an old secret (already reported when it was pushed); the new branch adds another.
    let origin = TestRepo::dir();
    git_in(origin.path(), &["init", "-q", "--bare", "-b", "main"], &[]);
    let repo = TestRepo::new();
    repo.write("old.env", &env_with(&github_token("ghp_", 7)));
    repo.commit_all_at("old secret on main", &day(1));
    let url = format!("file://{}", origin.path().display());
    repo.git(&["remote", "add", "origin", &url]);
    repo.git(&["push", "-q", "origin", "main"]);
    repo.git(&["fetch", "-q", "origin"]);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("new.env", &stripe_env(3));
    let after = repo.commit_all_at("feature work", &day(2));
    let payload = serde_json::json!({
        "before": ZERO_ID, "after": after, "created": true,
        "repository": {"default_branch": "main"}
    });
    let r = run_action(repo.path(), "push", &payload, &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(r.stdout.contains("--since origin/main"), "{r:?}");
    assert!(r.stdout.contains("::error file=new.env"), "{r:?}");
    assert!(!r.stdout.contains("old.env"), "{r:?}");
    assert!(
        r.summary.contains(STRIPE) && !r.summary.contains(GH),
        "{r:?}"
    );
}

#[test]
fn schedule_scans_the_whole_history_including_deleted_secrets() {
    let (repo, _base, added) = repo_with_secret_added();
    std::fs::remove_file(repo.path().join("config.env")).unwrap();
    repo.commit_all_at("remove the token", &day(3));
    let r = run_action(repo.path(), "schedule", &serde_json::json!({}), &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(r.stdout.contains("scan-secrets --history"), "{r:?}");
    // The summary names the commit that added the secret.
    assert!(r.summary.contains(&added[..7]), "{r:?}");
}

#[test]
fn shallow_clone_without_the_base_commit_is_an_error_that_asks_for_fetch_depth_0() {
    let (repo, base, head) = repo_with_secret_added();
    let clones = TestRepo::dir();
    let url = format!("file://{}", repo.path().display());
    git_in(
        clones.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
        &[],
    );
    let shallow = clones.path().join("shallow");
    let r = run_action(&shallow, "pull_request", &pr_payload(&base, &head), &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.contains("::error"), "{r:?}");
    assert!(r.stdout.contains("fetch-depth: 0"), "{r:?}");
    assert!(!r.output.contains("findings="), "{r:?}");
}

#[test]
fn an_empty_range_is_an_error_not_a_pass() {
    let (repo, _base, head) = repo_with_secret_added();
    let r = run_action(repo.path(), "pull_request", &pr_payload(&head, &head), &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(!r.output.contains("findings="), "{r:?}");
}

#[test]
fn an_unknown_commit_in_a_full_clone_is_an_error() {
    let (repo, base, _head) = repo_with_secret_added();
    let missing = "1234567890123456789012345678901234567890";
    let r = run_action(
        repo.path(),
        "pull_request",
        &pr_payload(&base, missing),
        &[],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stdout.contains(missing), "{r:?}");
}

#[test]
fn a_bad_flag_in_args_propagates_the_error() {
    let (repo, base, head) = repo_with_secret_added();
    let r = run_action(
        repo.path(),
        "pull_request",
        &pr_payload(&base, &head),
        &[("INPUT_ARGS", "--no-such-flag")],
    );
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn mode_history_is_forced_on_a_pull_request() {
    let (repo, base, head) = repo_with_secret_added();
    let r = run_action(
        repo.path(),
        "pull_request",
        &pr_payload(&base, &head),
        &[("INPUT_MODE", "history")],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.contains("scan-secrets --history"), "{r:?}");
}

#[test]
fn a_malformed_event_payload_is_an_error_with_either_json_tool() {
    let (repo, _base, _head) = repo_with_secret_added();
    for tool in ["jq", "python3"] {
        if tool == "jq" && Command::new("jq").arg("--version").output().is_err() {
            continue;
        }
        let r = run_action(
            repo.path(),
            "pull_request",
            &serde_json::json!("not an object"),
            &[("SCAN_SECRETS_JSON_TOOL", tool)],
        );
        assert_eq!(r.code, 2, "{tool}: {r:?}");
        assert!(r.stdout.contains("::error"), "{tool}: {r:?}");
    }
}

#[test]
fn a_pull_request_that_changes_its_own_config_is_flagged_and_still_fails() {
    let repo = TestRepo::new();
    repo.write("README.txt", "hello\n");
    let base = repo.commit_all_at("initial", &day(1));
    // The change adds a key, a config that turns its rule off, and a second key behind an
    // inline marker.
    let marked = fake("sk_live_", ALNUM, 32, 52);
    repo.write("pay.env", &stripe_env(51));
    repo.write(".scan-secrets.toml", "disable = [\"stripe-secret-key\"]\n");
    repo.write(
        "marked.env",
        &format!("STRIPE_SECRET_KEY={marked} # scan-secrets:allow\n"),
    );
    let head = repo.commit_all_at("payments", &day(2));
    let short = &base[..7];

    let r = run_action(repo.path(), "pull_request", &pr_payload(&base, &head), &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(r.findings(), "1", "{r:?}");
    assert!(
        r.stdout
            .contains("::error file=pay.env,line=1,col=19,title=stripe-secret-key::"),
        "{r:?}"
    );
    let warning = format!(
        "::warning file=.scan-secrets.toml,title=scan-secrets%3A configuration changed::This change modifies .scan-secrets.toml (added), which configures its own secret scan; the scan uses the defaults: commit {short}, outside the change, has none. Review it: a change cannot silence its own scan."
    );
    assert!(r.stdout.lines().any(|l| l == warning), "{r:?}");
    assert!(
        r.summary.contains(&format!("**This change modifies its scan's configuration:** `.scan-secrets.toml` (added); the scan uses the defaults: commit {short}, outside the change, has none.")),
        "{r:?}"
    );
    let listed: Vec<&str> = r.summary.lines().filter(|l| l.starts_with("- ")).collect();
    let key = fake("sk_live_", ALNUM, 32, 51);
    let redact = |k: &str| format!("{}…{}", &k[..10], &k[k.len() - 2..]);
    assert_eq!(
        listed,
        [
            format!("- stripe-secret-key at pay.env:1 (commit {}) {}: its .scan-secrets.toml turns the rule off; reported", &head[..7], redact(&key)),
            format!("- stripe-secret-key at marked.env:1 (commit {}) {}: an inline marker on a line it adds; not reported", &head[..7], redact(&marked)),
        ],
        "{r:?}"
    );
    for secret in [&key, &marked] {
        assert!(
            !r.stdout.contains(secret.as_str())
                && !r.stderr.contains(secret.as_str())
                && !r.summary.contains(secret.as_str()),
            "{r:?}"
        );
    }
}

#[test]
fn a_pull_request_that_leaves_the_config_alone_has_no_warning() {
    let r = run_pr_with_secret(&[]);
    assert!(!r.stdout.contains("::warning"), "{r:?}");
    assert!(!r.summary.contains("Suppressed by this change"), "{r:?}");
}
