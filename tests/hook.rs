//! `install` / `uninstall`: the hooks are written where git looks for them, chain an existing
//! hook, and block commits and pushes that add a secret, through real `git` runs.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use crate::common::{env_with, git_command, git_in, github_token, platform, TestRepo, GH};

/// Runs `git` in `dir` with the isolated identity of `TestRepo::git`, plus `env`, without
/// asserting success.
fn git_run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = git_command(dir, args, &[]);
    // An outer SCAN_SECRETS_SKIP must not leak in; a test may still set it through `env`.
    c.env_remove("SCAN_SECRETS_SKIP");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("git runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `scan-secrets <args>` in `dir`; asserts the exit code; returns stdout + stderr.
fn run(repo: &TestRepo, dir: &Path, args: &[&str], code: i32) -> String {
    let out = repo.cmd().current_dir(dir).args(args).output().unwrap();
    let t = text(&out);
    assert_eq!(out.status.code(), Some(code), "scan-secrets {args:?}: {t}");
    t
}

fn install(repo: &TestRepo, args: &[&str]) -> String {
    let mut a = vec!["install"];
    a.extend_from_slice(args);
    run(repo, repo.path(), &a, 0)
}

fn hook_path(repo: &TestRepo, name: &str) -> PathBuf {
    repo.path().join(".git").join("hooks").join(name)
}

fn chained(repo: &TestRepo, name: &str) -> PathBuf {
    hook_path(repo, &format!("{name}.scan-secrets-chained"))
}

fn write_exec(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    platform::make_executable(path);
}

fn stage_secret(repo: &TestRepo, seed: u64) {
    repo.write(".env", &env_with(&github_token("ghp_", seed)));
    repo.stage(".env");
}

fn commit(dir: &Path, env: &[(&str, &str)]) -> Output {
    git_run(dir, &["commit", "-q", "-m", "change"], env)
}

#[test]
fn pre_commit_blocks_a_secret_and_lets_clean_commits_through() {
    let repo = TestRepo::new();
    let out = install(&repo, &[]);
    let hook = hook_path(&repo, "pre-commit");
    assert!(
        out.contains(&format!("installed pre-commit hook at {}", hook.display())),
        "{out}"
    );
    let body = std::fs::read_to_string(&hook).unwrap();
    assert!(body.contains("# scan-secrets hook v1"));
    assert!(body.contains("SCAN_SECRETS_BIN='"));
    if cfg!(unix) {
        assert_eq!(platform::mode(&hook) & 0o777, 0o755);
    }

    repo.write("README", "hello\n").stage("README");
    let ok = commit(repo.path(), &[]);
    assert!(ok.status.success(), "{}", text(&ok));

    stage_secret(&repo, 1);
    let blocked = commit(repo.path(), &[]);
    let t = text(&blocked);
    assert!(!blocked.status.success(), "{t}");
    assert!(t.contains(GH), "{t}");
    assert!(t.contains("commit blocked by scan-secrets"), "{t}");
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn binary_under_a_path_with_spaces_and_quotes_runs_from_the_hook() {
    // Like C:\Program Files\ on Windows: the hook records the path quoted for sh.
    let repo = TestRepo::new();
    let place = TestRepo::dir();
    let dir = place.path().join("Program Files").join("it's here");
    std::fs::create_dir_all(&dir).unwrap();
    let built = assert_cmd::cargo::cargo_bin("scan-secrets");
    let bin = dir.join(built.file_name().unwrap());
    std::fs::copy(&built, &bin).unwrap();
    let out = assert_cmd::Command::new(&bin)
        .arg("install")
        .current_dir(repo.path())
        .env("HOME", repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let body = std::fs::read_to_string(hook_path(&repo, "pre-commit")).unwrap();
    assert!(body.contains("Program Files/it'\\''s here/"), "{body}");

    stage_secret(&repo, 3);
    // Not found on PATH: only the recorded path can have run the scan.
    let path = std::env::var("PATH").unwrap_or_default();
    assert!(std::env::split_paths(&path).all(|d| !d.join(built.file_name().unwrap()).exists()));
    let blocked = commit(repo.path(), &[]);
    let t = text(&blocked);
    assert!(!blocked.status.success(), "{t}");
    assert!(
        t.contains(GH) && t.contains("commit blocked by scan-secrets"),
        "{t}"
    );
}

#[test]
fn crlf_checkout_is_scanned_with_the_right_lines() {
    // core.autocrlf=true, as Git for Windows installs it: CRLF in the work tree, LF in the
    // index. The hook scans what is staged and reports the line the user sees.
    let repo = TestRepo::new();
    repo.git(&["config", "core.autocrlf", "true"]);
    install(&repo, &[]);
    let token = github_token("ghp_", 4);
    repo.write(
        "app.cfg",
        &format!("# settings\r\nDEBUG=1\r\nGITHUB_TOKEN={token}\r\n"),
    );
    repo.stage("app.cfg");
    let blocked = commit(repo.path(), &[]);
    let t = text(&blocked);
    assert!(!blocked.status.success(), "{t}");
    assert!(t.contains("app.cfg:3:14"), "{t}");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        crate::common::summary(&findings),
        crate::common::rows(&[(GH, "app.cfg", 3, 14)])
    );
    assert_eq!(findings[0]["end_column"], 14 + token.len() as u64);
}

#[test]
fn skip_variable_lets_a_secret_through() {
    let repo = TestRepo::new();
    install(&repo, &[]);
    stage_secret(&repo, 2);
    let out = commit(repo.path(), &[("SCAN_SECRETS_SKIP", "1")]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("SCAN_SECRETS_SKIP"), "{}", text(&out));
}

#[test]
fn existing_hook_is_chained_and_runs_first() {
    let repo = TestRepo::new();
    let marker = repo.path().join("hook-ran");
    let original = format!("#!/bin/sh\ntouch '{}'\nexit 0\n", marker.display());
    write_exec(&hook_path(&repo, "pre-commit"), &original);
    let out = install(&repo, &[]);
    assert!(out.contains("existing hook kept as"), "{out}");
    assert_eq!(
        std::fs::read_to_string(chained(&repo, "pre-commit")).unwrap(),
        original
    );

    stage_secret(&repo, 3);
    let blocked = commit(repo.path(), &[]);
    assert!(!blocked.status.success(), "{}", text(&blocked));
    assert!(text(&blocked).contains(GH), "{}", text(&blocked));
    assert!(marker.exists(), "the chained hook did not run");
}

#[test]
fn failing_chained_hook_blocks_a_clean_commit() {
    let repo = TestRepo::new();
    write_exec(
        &hook_path(&repo, "pre-commit"),
        "#!/bin/sh\necho 'old hook says no' >&2\nexit 1\n",
    );
    install(&repo, &[]);
    repo.write("README", "hello\n").stage("README");
    let out = commit(repo.path(), &[]);
    assert!(!out.status.success());
    assert!(text(&out).contains("old hook says no"), "{}", text(&out));
}

#[test]
fn install_twice_is_idempotent() {
    let repo = TestRepo::new();
    write_exec(&hook_path(&repo, "pre-commit"), "#!/bin/sh\nexit 0\n");
    install(&repo, &[]);
    let first = std::fs::read(hook_path(&repo, "pre-commit")).unwrap();
    let again = install(&repo, &[]);
    assert!(again.contains("updated pre-commit hook"), "{again}");
    assert_eq!(
        std::fs::read(hook_path(&repo, "pre-commit")).unwrap(),
        first
    );
    let hooks: Vec<String> = std::fs::read_dir(repo.path().join(".git/hooks"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("scan-secrets"))
        .collect();
    assert_eq!(hooks, vec!["pre-commit.scan-secrets-chained".to_string()]);
}

#[test]
fn uninstall_restores_the_original_hook_byte_for_byte() {
    let repo = TestRepo::new();
    let original = "#!/bin/sh\n# my own hook\r\nexit 0\n\n";
    let hook = hook_path(&repo, "pre-commit");
    write_exec(&hook, original);
    install(&repo, &[]);
    let out = run(&repo, repo.path(), &["uninstall"], 0);
    assert!(out.contains("restored"), "{out}");
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), original);
    assert!(!chained(&repo, "pre-commit").exists());
    if cfg!(unix) {
        assert_eq!(platform::mode(&hook) & 0o777, 0o755);
    }

    // Without a chained hook, uninstall just removes ours.
    let plain = TestRepo::new();
    install(&plain, &[]);
    run(&plain, plain.path(), &["uninstall"], 0);
    assert!(!hook_path(&plain, "pre-commit").exists());
}

#[test]
fn uninstall_refuses_a_foreign_hook() {
    let repo = TestRepo::new();
    let hook = hook_path(&repo, "pre-commit");
    write_exec(&hook, "#!/bin/sh\nexit 0\n");
    let out = run(&repo, repo.path(), &["uninstall"], 2);
    assert!(out.contains("not a scan-secrets hook"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\nexit 0\n"
    );
}

#[test]
fn not_a_repository_is_an_error() {
    let dir = TestRepo::dir();
    let out = run(&dir, dir.path(), &["install"], 2);
    assert!(out.contains("not a git repository"), "{out}");
}

#[test]
fn core_hooks_path_is_honoured() {
    let repo = TestRepo::new();
    repo.git(&["config", "core.hooksPath", ".githooks"]);
    install(&repo, &[]);
    assert!(repo.path().join(".githooks/pre-commit").exists());
    assert!(!hook_path(&repo, "pre-commit").exists());
    stage_secret(&repo, 4);
    let out = commit(repo.path(), &[]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(GH), "{}", text(&out));
}

#[test]
fn linked_worktree_shares_the_common_hook() {
    let repo = TestRepo::new();
    repo.write("README", "hello\n");
    repo.commit_all("first");
    let outer = TestRepo::dir();
    let wt = outer.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "feature",
        wt.to_str().unwrap(),
    ]);
    // Installed from inside the linked worktree: the hook still goes to the common dir.
    run(&repo, &wt, &["install"], 0);
    assert!(hook_path(&repo, "pre-commit").exists());

    std::fs::write(wt.join(".env"), env_with(&github_token("ghp_", 5))).unwrap();
    git_in(&wt, &["add", ".env"], &[]);
    let out = commit(&wt, &[]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(GH), "{}", text(&out));
}

#[test]
#[cfg_attr(
    windows,
    ignore = "builds a Unix PATH (':'-separated, /usr/bin and /bin)"
)]
fn missing_binary_fails_closed() {
    let repo = TestRepo::new();
    install(&repo, &[]);
    let hook = hook_path(&repo, "pre-commit");
    let body = std::fs::read_to_string(&hook).unwrap();
    let edited: String = body
        .lines()
        .map(|l| {
            if l.starts_with("SCAN_SECRETS_BIN=") {
                "SCAN_SECRETS_BIN='/nonexistent/scan-secrets'".to_string()
            } else {
                l.to_string()
            }
        })
        .map(|l| l + "\n")
        .collect();
    assert_ne!(edited, body);
    std::fs::write(&hook, edited).unwrap();

    // A PATH with git and the shell tools, but no scan-secrets.
    let git = StdCommand::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let git_dir = PathBuf::from(String::from_utf8_lossy(&git.stdout).trim())
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:/usr/bin:/bin", git_dir.display());
    for d in std::env::split_paths(&path) {
        assert!(
            !d.join("scan-secrets").exists(),
            "{} has scan-secrets",
            d.display()
        );
    }

    repo.write("README", "hello\n").stage("README");
    let out = commit(repo.path(), &[("PATH", &path)]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("scan-secrets not found"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("--no-verify"), "{}", text(&out));
}

#[test]
fn pre_push_hook_rejects_a_pushed_secret() {
    let repo = TestRepo::new();
    let origin = TestRepo::dir();
    git_in(origin.path(), &["init", "-q", "--bare", "-b", "main"], &[]);
    repo.git(&["remote", "add", "origin", origin.path().to_str().unwrap()]);
    repo.write("README", "hello\n");
    repo.commit_all("first");
    let out = install(&repo, &["--hook", "pre-push"]);
    assert!(out.contains("installed pre-push hook"), "{out}");
    assert!(hook_path(&repo, "pre-push").exists());
    assert!(!hook_path(&repo, "pre-commit").exists());

    let clean = git_run(repo.path(), &["push", "-q", "origin", "main"], &[]);
    assert!(clean.status.success(), "{}", text(&clean));

    repo.write(".env", &env_with(&github_token("ghp_", 6)));
    repo.commit_all("add config");
    let out = git_run(repo.path(), &["push", "-q", "origin", "main"], &[]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(GH), "{}", text(&out));
    assert!(
        text(&out).contains("push blocked by scan-secrets"),
        "{}",
        text(&out)
    );
    let remote = git_in(origin.path(), &["rev-parse", "main"], &[]);
    assert_ne!(remote.trim(), repo.head());
}

#[test]
fn pre_push_chained_hook_gets_the_same_stdin() {
    let repo = TestRepo::new();
    let origin = TestRepo::dir();
    git_in(origin.path(), &["init", "-q", "--bare", "-b", "main"], &[]);
    repo.git(&["remote", "add", "origin", origin.path().to_str().unwrap()]);
    repo.write("README", "hello\n");
    repo.commit_all("first");
    let seen = repo.path().join("seen");
    write_exec(
        &hook_path(&repo, "pre-push"),
        &format!(
            "#!/bin/sh\necho \"$1\" >'{0}'\ncat >>'{0}'\n",
            seen.display()
        ),
    );
    install(&repo, &["--hook", "pre-push"]);
    let out = git_run(repo.path(), &["push", "-q", "origin", "main"], &[]);
    assert!(out.status.success(), "{}", text(&out));
    let got = std::fs::read_to_string(&seen).unwrap();
    assert!(got.starts_with("origin\nrefs/heads/main "), "{got}");
    assert!(got.contains(&repo.head()), "{got}");
}

#[test]
fn global_install_uses_the_template_directory() {
    let home = TestRepo::dir();
    let config = home.path().join("gitconfig");
    let env = |c: &mut assert_cmd::Command| {
        c.current_dir(home.path())
            .env("HOME", home.path())
            .env("GIT_CONFIG_GLOBAL", &config);
    };
    let mut c = home.cmd();
    env(&mut c);
    let out = c.args(["install", "--global"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let templates = home.path().join(".git-templates");
    let hook = templates.join("hooks/pre-commit");
    assert!(hook.exists(), "{}", text(&out));
    let cfg = std::fs::read_to_string(&config).unwrap();
    assert!(cfg.contains("templateDir"), "{cfg}");

    // A new repository gets the hook, and it blocks a secret.
    let config_s = config.to_str().unwrap();
    let repo_dir = home.path().join("new");
    std::fs::create_dir(&repo_dir).unwrap();
    let init = git_run(
        &repo_dir,
        &["init", "-q", "-b", "main"],
        &[("GIT_CONFIG_GLOBAL", config_s)],
    );
    assert!(init.status.success(), "{}", text(&init));
    assert!(repo_dir.join(".git/hooks/pre-commit").exists());
    std::fs::write(repo_dir.join(".env"), env_with(&github_token("ghp_", 8))).unwrap();
    git_in(&repo_dir, &["add", ".env"], &[]);
    let blocked = commit(&repo_dir, &[("GIT_CONFIG_GLOBAL", config_s)]);
    assert!(!blocked.status.success(), "{}", text(&blocked));

    let mut c = home.cmd();
    env(&mut c);
    let out = c.args(["uninstall", "--global"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(!hook.exists());
}

#[test]
fn commit_dash_a_and_commit_with_paths_are_scanned() {
    let repo = TestRepo::new();
    repo.write(".env", "hello\n");
    repo.commit_all("first");
    install(&repo, &[]);
    repo.write(".env", &env_with(&github_token("ghp_", 9)));
    for args in [
        &["commit", "-q", "-a", "-m", "all"][..],
        &["commit", "-q", "-m", "paths", "--", ".env"][..],
    ] {
        let out = git_run(repo.path(), args, &[]);
        assert!(!out.status.success(), "{args:?}: {}", text(&out));
        assert!(text(&out).contains(GH), "{args:?}: {}", text(&out));
    }
    assert_eq!(repo.git(&["rev-list", "--count", "HEAD"]).trim(), "1");
}
