//! `--pre-receive` through real pushes: a bare repository with the hook installed by
//! `scan-secrets install --hook pre-receive`, and `git push` from a clone over the local
//! transport. Each test checks the push's result, the server's refs and the `remote:` lines.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{fake, git_command, git_in, platform, stripe_env, TestRepo, ALNUM};

/// A bare repository (`server.git` in its own temporary directory) and a clone that pushes to
/// it as `origin`; `main` with one clean commit is pushed before the hook is installed.
struct Push {
    client: TestRepo,
    _dir: TestRepo,
    server: PathBuf,
}

impl Push {
    fn new() -> Push {
        let dir = TestRepo::dir();
        let server = dir.path().join("server.git");
        git_in(
            dir.path(),
            &["init", "-q", "--bare", "-b", "main", "server.git"],
            &[],
        );
        let client = TestRepo::new();
        client.git(&["remote", "add", "origin", server.to_str().unwrap()]);
        client.write("README", "hello\n");
        client.commit_all("first");
        let p = Push {
            client,
            _dir: dir,
            server,
        };
        assert!(p.push(&["origin", "main"]).status.success());
        p
    }

    /// Installs the hook; `config` (if any) is written as the server's .scan-secrets.toml.
    fn install(&self, config: Option<&str>) -> &Self {
        let out = self
            .client
            .cmd()
            .args(["install", "--hook", "pre-receive"])
            .arg(&self.server)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        if let Some(config) = config {
            std::fs::write(self.server.join(".scan-secrets.toml"), config).unwrap();
        }
        self
    }

    fn push(&self, args: &[&str]) -> Output {
        self.push_env(args, &[])
    }

    /// A push with `env` added, which git hands to the server's hooks (as GitLab sets
    /// `GL_USERNAME` for them).
    fn push_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut all = vec!["push"];
        all.extend_from_slice(args);
        git_command(self.client.path(), &all, env)
            .output()
            .expect("git push runs")
    }

    /// The server's value of `rev`, or `None` when it has no such ref.
    fn server_rev(&self, rev: &str) -> Option<String> {
        let out = git_command(&self.server, &["rev-parse", "--verify", "-q", rev], &[])
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    fn commit_file(&self, path: &str, content: &str, msg: &str) -> String {
        self.client.write(path, content);
        self.client.commit_all(msg)
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The hook's lines as the pusher sees them, without git's `remote: ` prefix and padding.
fn remote_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("remote: "))
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn refused(p: &Push, out: &Output, branch: &str, before: Option<&str>) -> Vec<String> {
    let t = text(out);
    assert!(!out.status.success(), "push went through: {t}");
    assert!(t.contains("pre-receive hook declined"), "{t}");
    assert_eq!(p.server_rev(branch).as_deref(), before, "{t}");
    remote_lines(out)
}

fn short(id: &str) -> &str {
    &id[..7]
}

/// Commits `path` with a Stripe key and pushes main: the push must be refused, naming
/// `path:1` in that commit.
fn push_leak(p: &Push, path: &str, seed: u64) {
    let before = p.server_rev("main");
    let leak = p.commit_file(path, &stripe_env(seed), "payments");
    let out = p.push(&["origin", "main"]);
    let lines = refused(p, &out, "main", before.as_deref());
    let place = format!("{path}:1  commit {}", short(&leak));
    assert!(lines.iter().any(|l| l.contains(&place)), "{lines:?}");
}

#[test]
fn secret_in_the_last_of_several_commits_is_refused_with_what_to_do() {
    let p = Push::new();
    p.install(None);
    let before = p.server_rev("main");
    p.commit_file("a.txt", "one\n", "one");
    p.commit_file("b.txt", "two\n", "two");
    let leak = p.commit_file("config/pay.env", &stripe_env(1), "add payments");
    let out = p.push(&["origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    let key = fake("sk_live_", ALNUM, 32, 1);
    assert!(!text(&out).contains(&key), "secret printed in clear");
    let server_main = before.unwrap();
    assert_eq!(
        lines,
        [
            "scan-secrets: push refused: 1 secret in the pushed commits".to_string(),
            format!("  stripe-secret-key (Stripe)  {}…{}", &key[..10], &key[38..]),
            format!("    config/pay.env:1  commit {} \"add payments\"", short(&leak)),
            "The secret is not stored on this server: the push was refused before anything was kept.".into(),
            format!("  1. Take it out of your local commits (the server's main is at {}):", short(&server_main)),
            format!("       git rebase -i {}", short(&server_main)),
            "     mark each commit above `edit`; at each stop remove the secret, git commit --amend, git rebase --continue.".into(),
            "  2. Read it from the environment instead (STRIPE_SECRET_KEY), then push again.".into(),
            "  3. Rotate it only if it left your machine some other way (a chat, a CI log, an AI tool): scan-secrets rotate stripe".into(),
        ]
    );
}

#[test]
fn secret_added_then_removed_in_the_same_push_is_still_refused() {
    // The server would store the commit that has it.
    let p = Push::new();
    p.install(None);
    let before = p.server_rev("main");
    let leak = p.commit_file("app.env", &stripe_env(2), "add key");
    p.commit_file(
        "app.env",
        "STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}\n",
        "use env",
    );
    let out = p.push(&["origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("app.env:1  commit {}", short(&leak)))),
        "{lines:?}"
    );
}

#[test]
fn objects_kept_as_a_pack_in_quarantine_are_read() {
    // receive.unpackLimit = 1: the push's objects stay one pack in the quarantine directory
    // (as for any push of 100 objects or more), not loose objects.
    let p = Push::new();
    p.install(None);
    git_in(&p.server, &["config", "receive.unpackLimit", "1"], &[]);
    push_leak(&p, "pay.env", 8);
    // Refused: nothing of the push was kept.
    let objects = git_in(&p.server, &["count-objects", "-v"], &[]);
    assert!(objects.contains("packs: 0"), "{objects}");
}

#[test]
fn hook_in_a_pre_receive_d_directory_run_by_a_dispatcher() {
    // Gitea (hooks/pre-receive.d) and GitLab (custom_hooks/pre-receive.d) run every hook in
    // such a directory with the push's input: `install --dir` writes ours there.
    let p = Push::new();
    let dir = p.server.join("hooks").join("pre-receive.d");
    let out = p
        .client
        .cmd()
        .args(["install", "--hook", "pre-receive", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let dispatcher = p.server.join("hooks").join("pre-receive");
    std::fs::write(
        &dispatcher,
        "#!/bin/sh\ninput=$(cat)\nfor h in \"$(dirname \"$0\")\"/pre-receive.d/*; do\n    printf '%s\\n' \"$input\" | \"$h\" || exit $?\ndone\n",
    )
    .unwrap();
    platform::make_executable(&dispatcher);
    push_leak(&p, "pay.env", 9);
    p.client.git(&["reset", "-q", "--hard", "HEAD~1"]);
    let clean = p.commit_file("a.txt", "one\n", "one");
    let out = p.push(&["origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(clean));
}

#[test]
fn a_push_cannot_silence_its_own_scan_with_a_config_it_brings() {
    // The server reads only its own configuration; the pushed one is reviewed, not obeyed.
    let p = Push::new();
    p.install(None);
    let before = p.server_rev("main");
    p.client
        .write(".scan-secrets.toml", "[allow]\npaths = [\"pay.env\"]\n");
    let leak = p.commit_file("pay.env", &stripe_env(10), "payments, allowed");
    let out = p.push(&["origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    let place = format!("pay.env:1  commit {}", short(&leak));
    assert!(lines.iter().any(|l| l.contains(&place)), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("change .scan-secrets.toml (added)")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("suppressed by this change")),
        "{lines:?}"
    );
}

#[test]
fn the_servers_own_allowlist_and_baseline_apply() {
    let p = Push::new();
    p.install(Some("[allow]\npaths = [\"fixtures/**\"]\n"));
    let head = p.commit_file("fixtures/pay.env", &stripe_env(11), "fixture");
    let out = p.push(&["origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(head));
    // A baseline the server keeps (written by `scan-secrets baseline`): the key it lists goes
    // through at another path, a new key does not.
    let out = p
        .client
        .cmd()
        .args(["baseline", "--history", "-o"])
        .arg(p.server.join("known.json"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    std::fs::write(
        p.server.join(".scan-secrets.toml"),
        "baseline = \"known.json\"\n",
    )
    .unwrap();
    let head = p.commit_file("app.env", &stripe_env(11), "same key elsewhere");
    let out = p.push(&["origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(head.clone()));
    push_leak(&p, "other.env", 12);
}

#[test]
fn a_push_of_several_refs_is_refused_whole_when_one_adds_a_secret() {
    let p = Push::new();
    p.install(None);
    let before = p.server_rev("main");
    p.client.git(&["checkout", "-q", "-b", "clean"]);
    p.commit_file("a.txt", "one\n", "clean work");
    p.client.git(&["checkout", "-q", "main"]);
    let leak = p.commit_file("pay.env", &stripe_env(13), "payments");
    p.client.git(&["tag", "v2"]);
    let out = p.push(&["origin", "main", "clean", "v2"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert_eq!(p.server_rev("clean"), None);
    assert_eq!(p.server_rev("refs/tags/v2"), None);
    let place = format!("pay.env:1  commit {}", short(&leak));
    // One finding, though two refs reach its commit.
    assert_eq!(
        lines.iter().filter(|l| l.contains(&place)).count(),
        1,
        "{lines:?}"
    );
}

#[test]
fn clean_push_goes_through() {
    let p = Push::new();
    p.install(None);
    p.commit_file("a.txt", "one\n", "one");
    let head = p.commit_file("b.txt", "two\n", "two");
    let out = p.push(&["origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(head));
    assert_eq!(
        remote_lines(&out),
        ["scan-secrets: no secrets in 2 new commits pushed (2 blobs scanned)"]
    );
}

#[test]
fn branch_deletion_and_tag_of_existing_commits_scan_nothing() {
    // A secret the server already has (pushed before the hook existed): a new branch or a
    // lightweight tag at that commit brings nothing new, and deleting a branch pushes no
    // commits.
    let p = Push::new();
    let old = p.commit_file("old.env", &stripe_env(3), "old key");
    assert!(p.push(&["origin", "main"]).status.success());
    p.install(None);
    p.client.git(&["branch", "topic", &old]);
    p.client.git(&["tag", "v0", &old]);
    let out = p.push(&["origin", "topic", "v0"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("topic"), Some(old.clone()));
    assert_eq!(
        remote_lines(&out),
        ["scan-secrets: no secrets in 0 new commits pushed (0 blobs scanned)"]
    );
    let out = p.push(&["origin", "--delete", "topic"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("topic"), None);
}

#[test]
fn annotated_tag_of_a_new_commit_is_scanned() {
    let p = Push::new();
    p.install(None);
    p.client.git(&["checkout", "-q", "-b", "release"]);
    let leak = p.commit_file("deploy.env", &stripe_env(4), "release config");
    p.client.git(&["checkout", "-q", "main"]);
    p.client.git(&["tag", "-a", "-m", "release 1", "v1", &leak]);
    let out = p.push(&["origin", "v1"]);
    let lines = refused(&p, &out, "refs/tags/v1", None);
    assert!(
        lines
            .iter()
            .any(|l| l.contains(&format!("deploy.env:1  commit {}", short(&leak)))),
        "{lines:?}"
    );
}

#[test]
fn force_push_scans_only_commits_the_server_has_never_seen() {
    let p = Push::new();
    p.install(None);
    let clean = p.commit_file("a.txt", "one\n", "one");
    assert!(p.push(&["origin", "main"]).status.success());
    // Rewrite the last commit so that it adds a key, and force it over the server's.
    p.client.write("a.txt", &format!("one\n{}", stripe_env(5)));
    p.client
        .git(&["commit", "-q", "-a", "--amend", "-m", "one, amended"]);
    let out = p.push(&["--force", "origin", "main"]);
    let lines = refused(&p, &out, "main", Some(&clean));
    assert!(
        lines.iter().any(|l| l.contains("a.txt:2  commit")),
        "{lines:?}"
    );
    // Rewritten again without the key: the force-push goes through.
    p.client.write("a.txt", "one, reworded\n");
    p.client
        .git(&["commit", "-q", "-a", "--amend", "-m", "one, fixed"]);
    let fixed = p.client.head();
    let out = p.push(&["--force", "origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(fixed));
}

const BYPASS: &str = "[pre_receive]\nallow_bypass = true\naudit_log = \"bypass.jsonl\"\n";

#[test]
fn bypass_with_a_reason_is_let_through_and_logged_without_the_secret() {
    let p = Push::new();
    p.install(Some(BYPASS));
    git_in(
        &p.server,
        &["config", "receive.advertisePushOptions", "true"],
        &[],
    );
    let leak = p.commit_file("fixture.env", &stripe_env(6), "test fixture");
    let out = p.push_env(
        &["-o", "scan-secrets.skip=revoked test key", "origin", "main"],
        &[("GL_USERNAME", "ann")],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(leak.clone()));
    let lines = remote_lines(&out);
    assert!(
        lines.iter().any(
            |l| l.starts_with("scan-secrets: push accepted: bypass by ann ")
                && l.ends_with("(\"revoked test key\"), logged for the server's administrators")
        ),
        "{lines:?}"
    );
    let log = std::fs::read_to_string(p.server.join("bypass.jsonl")).unwrap();
    assert!(!log.contains(&fake("sk_live_", ALNUM, 32, 6)), "{log}");
    let entries: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 1, "{log}");
    let e = &entries[0];
    assert_eq!(e["reason"], "revoked test key");
    assert_eq!(e["commits"], serde_json::json!([leak]));
    assert_eq!(e["rules"], serde_json::json!(["stripe-secret-key"]));
    assert_eq!(e["refs"][0]["ref"], "refs/heads/main");
    assert_eq!(e["refs"][0]["new"], leak.as_str());
    assert!(e["fingerprints"][0].as_str().unwrap().starts_with("v1:"));
    assert!(e["time"].as_str().unwrap().ends_with('Z'));
    assert_eq!(e["pusher"], "ann");
}

#[test]
fn bypass_is_ignored_when_the_server_does_not_allow_it_or_no_reason_is_given() {
    let p = Push::new();
    p.install(None);
    git_in(
        &p.server,
        &["config", "receive.advertisePushOptions", "true"],
        &[],
    );
    let before = p.server_rev("main");
    p.commit_file("fixture.env", &stripe_env(7), "test fixture");
    let out = p.push(&["-o", "scan-secrets.skip=trust me", "origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert!(
        lines.contains(&"scan-secrets: push option scan-secrets.skip ignored: this server does not allow bypass ([pre_receive] allow_bypass)".to_string()),
        "{lines:?}"
    );
    // Allowed, but without a reason: refused, and nothing logged.
    std::fs::write(p.server.join(".scan-secrets.toml"), BYPASS).unwrap();
    let out = p.push(&["-o", "scan-secrets.skip", "origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert!(
        lines.iter().any(|l| l.contains("needs a reason")),
        "{lines:?}"
    );
    assert!(!p.server.join("bypass.jsonl").exists());
}

#[test]
fn bypass_config_without_an_audit_log_is_an_error() {
    let p = Push::new();
    p.install(Some("[pre_receive]\nallow_bypass = true\n"));
    p.commit_file("a.txt", "one\n", "one");
    let before = p.server_rev("main");
    let out = p.push(&["origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert!(
        lines
            .iter()
            .any(|l| l.contains("allow_bypass = true needs audit_log")),
        "{lines:?}"
    );
}

/// A push whose scan cannot finish in 1 ms: a 4 MiB text file (a debug build scans some
/// MB/s; the budget starts after the rules are loaded).
fn slow_push(p: &Push) -> Output {
    let line = "let value = compute(alpha, beta, gamma); // a plain line of code\n";
    p.commit_file("big.rs", &line.repeat((4 << 20) / line.len()), "big file");
    p.push(&["origin", "main"])
}

#[test]
fn timeout_refuses_by_default_and_accepts_when_configured() {
    let p = Push::new();
    p.install(Some("[pre_receive]\ntimeout = \"1ms\"\n"));
    let before = p.server_rev("main");
    let out = slow_push(&p);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert!(
        lines.iter().any(|l| l.starts_with("scan-secrets: the scan did not finish within 0.001s: push refused (on_timeout = reject)")),
        "{lines:?}"
    );

    std::fs::write(
        p.server.join(".scan-secrets.toml"),
        "[pre_receive]\ntimeout = \"1ms\"\non_timeout = \"accept\"\n",
    )
    .unwrap();
    let out = p.push(&["origin", "main"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(p.server_rev("main"), Some(p.client.head()));
    assert!(
        remote_lines(&out)
            .iter()
            .any(|l| l.contains("push accepted WITHOUT a complete scan")),
        "{}",
        text(&out)
    );
}

#[test]
fn corrupt_object_refuses_the_push_with_a_clear_message() {
    // The server's copy of a file the push changes is corrupt: the scan cannot tell which
    // lines are new, so it fails (exit 2) and the push is refused.
    let p = Push::new();
    let blob = p.client.git(&["rev-parse", "HEAD:README"]);
    let blob = blob.trim();
    p.install(None);
    let loose = p.server.join("objects").join(&blob[..2]).join(&blob[2..]);
    corrupt(&loose);
    let before = p.server_rev("main");
    p.commit_file("README", "hello\nworld\n", "more");
    let out = p.push(&["origin", "main"]);
    let lines = refused(&p, &out, "main", before.as_deref());
    assert!(
        lines.iter().any(|l| l.contains(blob)),
        "the message names the object: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("push refused by scan-secrets: the scan failed (exit 2")),
        "{lines:?}"
    );
}

/// Overwrites a loose object with bytes that are not zlib data (keeping it writable).
fn corrupt(path: &Path) {
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(path, perms).unwrap();
    std::fs::write(path, b"this is not a zlib stream").unwrap();
}
