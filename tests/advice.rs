//! What the human output advises depends on where the secret is: staged only, in local
//! commits only, pushed (or files on disk, where git cannot tell). The JSON and SARIF fields do
//! not change. (A push refused by a server: tests/pre_receive.rs.)

use crate::common::{git_in, stripe_env, TestRepo, ZERO_ID};

const HISTORY_NOTE: &str = "it stays in git history and in every clone";

fn human(repo: &TestRepo, args: &[&str], stdin: Option<&str>) -> String {
    let mut cmd = repo.cmd();
    cmd.args(args);
    if let Some(input) = stdin {
        cmd.write_stdin(input);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The block after the findings: from its title to the blank line that ends it.
fn advice(out: &str, title: &str) -> Vec<String> {
    let start = out
        .find(title)
        .unwrap_or_else(|| panic!("no {title:?} in:\n{out}"));
    out[start..]
        .lines()
        .take_while(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn leaky_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("README", "hello\n");
    repo.commit_all("first");
    repo.write("pay.cfg", &stripe_env(1));
    repo
}

#[test]
fn staged_secret_is_fixed_in_the_file_with_no_history_rewrite() {
    let repo = leaky_repo();
    repo.stage("pay.cfg");
    let out = human(&repo, &["--staged"], None);
    assert_eq!(
        advice(&out, "What to do: Stripe"),
        [
            "What to do: Stripe (not committed yet)",
            "  1. Remove it from the file and read it from the environment instead (STRIPE_SECRET_KEY); stage the file again.",
            "  2. No history to rewrite: it is in no commit yet.",
            "  3. Rotate it only if it was shared some other way (pasted into a chat or an AI tool, sent by mail): scan-secrets rotate stripe",
        ]
    );
    assert!(
        !out.contains("How to rotate") && !out.contains(HISTORY_NOTE),
        "{out}"
    );
}

fn local_advice(id: &str, subject: &str) -> Vec<String> {
    let short = &id[..7];
    vec![
        "What to do: Stripe (in local commits only)".to_string(),
        format!("  1. Take it out of your commits before you push them; the earliest with it is {short} (\"{subject}\")."),
        "     If that is your last commit: remove it from the file, git add it, then git commit --amend".into(),
        format!("     Otherwise: git rebase -i {short}~1 (--root for a first commit), mark it `edit`, remove it, git commit --amend, git rebase --continue"),
        "  2. Read it from the environment instead (STRIPE_SECRET_KEY).".into(),
        "  3. Rotating it is recommended but less urgent: it has not left this machine through git. Guide: scan-secrets rotate stripe".into(),
    ]
}

#[test]
fn secret_in_local_commits_only_is_rewritten_with_the_exact_commands() {
    let repo = leaky_repo();
    let leak = repo.commit_all("add payments");
    repo.write("other.txt", "more\n");
    repo.commit_all("later");
    let out = human(&repo, &["--history"], None);
    assert_eq!(
        advice(&out, "What to do: Stripe"),
        local_advice(&leak, "add payments")
    );
    assert!(!out.contains(HISTORY_NOTE), "{out}");

    // What a pre-push hook is about to push is local by definition.
    let input = format!(
        "refs/heads/main {} refs/heads/main {ZERO_ID}\n",
        repo.head()
    );
    let out = human(&repo, &["--pre-push"], Some(&input));
    assert_eq!(
        advice(&out, "What to do: Stripe"),
        local_advice(&leak, "add payments")
    );
}

#[test]
fn pushed_secret_and_files_on_disk_get_the_full_rotation_guide() {
    let repo = leaky_repo();
    repo.commit_all("add payments");
    let origin = TestRepo::dir();
    git_in(origin.path(), &["init", "-q", "--bare", "-b", "main"], &[]);
    repo.git(&["remote", "add", "origin", origin.path().to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    for args in [&["--history"][..], &[][..]] {
        let out = human(&repo, args, None);
        let guide = advice(&out, "How to rotate: Stripe");
        assert!(
            guide.iter().any(|l| l.contains(HISTORY_NOTE)),
            "{args:?}: {guide:?}"
        );
        assert!(!out.contains("What to do:"), "{args:?}: {out}");
    }
}

#[test]
fn json_is_the_same_wherever_the_secret_is() {
    let repo = leaky_repo();
    repo.stage("pay.cfg");
    let (staged, _) = repo.scan_json(&["--staged"]);
    repo.commit("add payments");
    let (committed, _) = repo.scan_json(&["--history"]);
    assert_eq!(staged.len(), 1);
    assert_eq!(committed.len(), 1);
    assert_eq!(staged[0]["rotation"], committed[0]["rotation"]);
    assert_eq!(staged[0]["rotation"]["env_var"], "STRIPE_SECRET_KEY");
}
