//! Exposure triage: a history finding says whether its commit was pushed (reachable from a
//! remote-tracking ref), released (in a tag), and whether the secret is still at HEAD; human
//! output puts the most exposed first.

use crate::common::{github_token, TestRepo};

/// A repository with `origin` (a local bare repository) and four secrets: pushed and tagged,
/// pushed then deleted, only in a tag, and only in a local commit.
fn exposed_repo() -> (TestRepo, [String; 4]) {
    let repo = TestRepo::new();
    let origin = repo.path().join("origin.git");
    repo.git(&["init", "-q", "--bare", origin.to_str().unwrap()]);
    repo.git(&["remote", "add", "origin", origin.to_str().unwrap()]);
    repo.write(".gitignore", "origin.git/\n");
    let keys = [0, 1, 2, 3].map(|i| github_token("ghp_", 700 + i));

    repo.write("released.txt", &format!("{}\n", keys[0]));
    let released = repo.commit_all_at("released", "2024-05-01T10:00:00Z");
    repo.git(&["tag", "v0.9"]);
    repo.write("deleted.txt", &format!("{}\n", keys[1]));
    repo.commit_all_at("deleted later", "2024-05-02T10:00:00Z");
    repo.git(&["rm", "-q", "deleted.txt"]);
    repo.commit_all_at("remove it", "2024-05-03T10:00:00Z");
    repo.git(&["push", "-q", "origin", "main", "v0.9"]);

    // A commit only a tag holds.
    repo.git(&["checkout", "-q", "-b", "hotfix"]);
    repo.write("hotfix.txt", &format!("{}\n", keys[2]));
    repo.commit_all_at("hotfix", "2024-05-04T10:00:00Z");
    repo.git(&["tag", "v1.0-hotfix"]);
    repo.git(&["checkout", "-q", "main"]);
    repo.git(&["branch", "-q", "-D", "hotfix"]);

    // Local only.
    repo.write("local.txt", &format!("{}\n", keys[3]));
    repo.commit_all_at("local", "2024-05-05T10:00:00Z");
    let _ = released;
    (repo, keys)
}

#[test]
fn history_findings_say_how_far_the_secret_went() {
    let (repo, _) = exposed_repo();
    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    let by_file = |file: &str| {
        findings
            .iter()
            .find(|f| f["file"] == file)
            .unwrap_or_else(|| panic!("no finding in {file}: {findings:?}"))["exposure"]
            .clone()
    };
    let released = by_file("released.txt");
    assert_eq!(released["pushed"], true);
    assert_eq!(released["remote_ref"], "origin/main");
    assert_eq!(released["tag"], "v0.9");
    assert_eq!(released["at_head"], true);
    let verdict = released["verdict"].as_str().unwrap();
    assert!(
        verdict.starts_with("pushed to origin/main and released in tag v0.9 (committed ")
            && verdict.ends_with(" ago): public; rotate now"),
        "{verdict}"
    );

    let deleted = by_file("deleted.txt");
    assert_eq!(
        (deleted["pushed"].clone(), deleted["at_head"].clone()),
        (true.into(), false.into())
    );
    assert!(deleted["verdict"]
        .as_str()
        .unwrap()
        .ends_with("rotate now; no longer at HEAD, but deleted is not safe: it stays in history"));

    let hotfix = by_file("hotfix.txt");
    assert_eq!(hotfix["pushed"], false);
    assert_eq!(hotfix["tag"], "v1.0-hotfix");
    assert_eq!(hotfix["at_head"], false);

    let local = by_file("local.txt");
    assert_eq!(local["pushed"], false);
    assert_eq!(local["tag"], serde_json::Value::Null);
    let commit = local_commit(&repo);
    assert_eq!(
        local["verdict"],
        format!("only in local commit {commit}, not pushed: amend or rebase it out, then rotate if it ever left this machine")
    );
}

fn local_commit(repo: &TestRepo) -> String {
    repo.head()[..7].to_string()
}

#[test]
fn human_output_puts_the_most_exposed_first() {
    let (repo, _) = exposed_repo();
    let out = repo.cmd().arg("--history").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{text}"))
    };
    let order = [
        at("at      released.txt:1:1"),
        at("at      deleted.txt:1:1"),
        at("at      hotfix.txt:1:1"),
        at("at      local.txt:1:1"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("  exposed pushed to origin/main and released in tag v0.9"));
    assert!(text.contains(&format!(
        "  exposed only in local commit {}",
        local_commit(&repo)
    )));

    // Once pushed, the local one is exposed too.
    repo.git(&["push", "-q", "origin", "main"]);
    let (findings, _) = repo.scan_json(&["--history"]);
    let local = findings.iter().find(|f| f["file"] == "local.txt").unwrap();
    assert_eq!(local["exposure"]["remote_ref"], "origin/main");
}

#[test]
fn working_tree_and_staged_findings_have_no_exposure() {
    let (repo, _) = exposed_repo();
    let (findings, _) = repo.scan_json(&["."]);
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f.get("exposure").is_none()));
}
