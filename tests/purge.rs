//! `scan-secrets purge-plan`: the replacements file (0600, never printed) and the printed
//! commands, run end to end with git filter-repo on a mirror clone.

use std::process::Command;

use crate::common::{base64, fake, git_in, github_token, platform, TestRepo, ALNUM};

/// `<dir>/app`: a repository whose origin is `<dir>/origin.git`, with a key in a file that
/// was deleted later, a base64-encoded key, and a committed `.env`, all pushed.
fn leaky(repo: &TestRepo) -> [String; 2] {
    let app = repo.path().join("app");
    let origin = repo.path().join("origin.git");
    std::fs::create_dir(&app).unwrap();
    git_in(repo.path(), &["init", "-q", "--bare", "origin.git"], &[]);
    git_in(&app, &["init", "-q", "-b", "main"], &[]);
    git_in(
        &app,
        &["remote", "add", "origin", origin.to_str().unwrap()],
        &[],
    );
    let stripe = fake("sk_live_", ALNUM, 40, 77);
    let gh = github_token("ghp_", 78);
    std::fs::write(app.join("pay.py"), format!("KEY = \"{stripe}\"\n")).unwrap();
    let b64 = base64(&format!("GITHUB_TOKEN={gh}"));
    std::fs::write(app.join("secret.yaml"), format!("data:\n  T: {b64}\n")).unwrap();
    std::fs::write(app.join(".env"), "API_TOKEN=local-dev-token\n").unwrap();
    std::fs::write(app.join("README.md"), "hello\n").unwrap();
    git_in(&app, &["add", "-A"], &[]);
    git_in(&app, &["commit", "-q", "-m", "add"], &[]);
    git_in(&app, &["rm", "-q", "pay.py"], &[]);
    git_in(&app, &["commit", "-q", "-m", "remove"], &[]);
    git_in(&app, &["push", "-q", "origin", "main"], &[]);
    [stripe, gh]
}

#[test]
fn the_plan_is_private_and_prints_no_secret() {
    let repo = TestRepo::dir();
    let keys = leaky(&repo);
    let out = repo
        .cmd()
        .current_dir(repo.path().join("app"))
        .arg("purge-plan")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    for k in &keys {
        assert!(!stdout.contains(k.as_str()) && !stderr.contains(k.as_str()));
    }
    // Next to the repository, not inside it.
    let file = repo.path().join("app.replacements.txt");
    // Owner-only on Unix (Windows has no mode bits: the file gets its directory's ACL).
    if cfg!(unix) {
        assert_eq!(platform::mode(&file) & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains(&format!("literal:{}==>***REMOVED***", keys[0])));
    // The encoded token is what is in the file, so that is what is replaced.
    let token = base64(&format!("GITHUB_TOKEN={}", keys[1]));
    assert!(text.contains(&format!("literal:{token}==>***REMOVED***")));
    assert!(stdout.contains("Purge plan: 2 leaked values from 3 findings written to"));
    assert!(stdout.contains("git filter-repo --force --invert-paths --path '.env'"));
    assert!(stdout.contains("Rotate every leaked credential first"));
    assert!(stdout.contains("git push --force --mirror origin"));

    // --replace-with env: the provider's variable.
    let out = repo
        .cmd()
        .current_dir(repo.path().join("app"))
        .args(["purge-plan", "--replace-with", "env", "-o", "../plan.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(repo.path().join("plan.txt")).unwrap();
    assert!(text.contains("==>${STRIPE_SECRET_KEY}"), "{text}");
    assert!(text.contains("==>${GITHUB_TOKEN}"), "{text}");

    // Not for working-tree scans.
    let out = repo
        .cmd()
        .current_dir(repo.path().join("app"))
        .args(["purge-plan", "--staged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[ignore = "needs git-filter-repo (pip install git-filter-repo); run with cargo test -- --ignored, as .ci/run does"]
fn running_the_printed_commands_leaves_a_clean_history() {
    let installed = Command::new("git")
        .args(["filter-repo", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        installed,
        "git filter-repo is not installed: pip install git-filter-repo"
    );
    let repo = TestRepo::dir();
    leaky(&repo);
    let out = repo
        .cmd()
        .current_dir(repo.path().join("app"))
        .arg("purge-plan")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The printed commands, in order, as a user would paste them.
    let script: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("git ") || l.starts_with("cd "))
        .collect();
    assert_eq!(script.len(), 6, "{stdout}");
    let status = Command::new("sh")
        .arg("-ec")
        .arg(script.join("\n"))
        .current_dir(repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success());
    // The rewritten mirror and the server it was pushed to are clean.
    for dir in ["purge.git", "origin.git"] {
        let out = repo
            .cmd()
            .current_dir(repo.path().join(dir))
            .args(["--history", "--format", "json"])
            .output()
            .unwrap();
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((findings.len(), out.status.code()), (0, Some(0)), "{dir}");
    }
    // What was not secret is still there.
    let readme = git_in(
        &repo.path().join("origin.git"),
        &["show", "main:README.md"],
        &[],
    );
    assert_eq!(readme, "hello\n");
}
