//! `--pre-push`: reads git's pre-push lines on stdin and scans exactly the commits being pushed.

use crate::common::{
    day, env_with, github_token, history_rows as rows, history_summary, stripe_env, TestRepo, GH,
    STRIPE, ZERO_ID,
};

/// A work repository whose `origin` is a bare repository that already has `main` (one commit
/// with a secret, so that scanning it would show); returns (work, origin, pushed main id).
fn pushed_repo() -> (TestRepo, TestRepo, String) {
    let origin = TestRepo::dir();
    origin.git(&["init", "-q", "--bare", "-b", "main"]);
    let repo = TestRepo::new();
    repo.write("old.env", &env_with(&github_token("ghp_", 301)));
    let pushed = repo.commit_all_at("already pushed", &day(1));
    repo.git(&["remote", "add", "origin", origin.path().to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    assert_eq!(repo.rev("refs/remotes/origin/main"), pushed);
    (repo, origin, pushed)
}

#[test]
fn new_branch_scans_only_commits_not_on_any_remote_tracking_ref() {
    let (repo, _origin, _) = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.env", &stripe_env(302));
    let tip = repo.commit_all_at("feature", &day(2));
    let stdin = format!("refs/heads/feature {tip} refs/heads/feature {ZERO_ID}\n");

    let (findings, code) = repo.scan_json_stdin(&["--pre-push"], &stdin);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(STRIPE, "feature.env", 1, 19, &tip)])
    );
    assert_eq!(findings[0]["source"], "history");
    assert_eq!(findings[0]["message"], "feature");
    assert_eq!(findings[0]["date"], "2024-05-02T10:00:00Z");
}

#[test]
fn first_push_without_remote_refs_scans_every_commit_of_the_branch() {
    let repo = TestRepo::new();
    repo.write("a.env", &env_with(&github_token("ghp_", 303)));
    let c1 = repo.commit_all_at("a", &day(1));
    repo.write("b.env", &stripe_env(304));
    let c2 = repo.commit_all_at("b", &day(2));
    let stdin = format!("refs/heads/main {c2} refs/heads/main {ZERO_ID}\n");

    let (findings, code) = repo.scan_json_stdin(&["--pre-push"], &stdin);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "a.env", 1, 14, &c1), (STRIPE, "b.env", 1, 19, &c2)])
    );
}

#[test]
fn update_scans_only_old_to_new() {
    let (repo, _origin, _) = pushed_repo();
    repo.write("second.env", &env_with(&github_token("ghp_", 305)));
    let old = repo.commit_all_at("second", &day(2));
    repo.write("third.env", &stripe_env(306));
    let new = repo.commit_all_at("third", &day(3));
    // origin/main is still at the first commit: the remote sha on stdin (`old`), not the
    // remote-tracking refs, bounds an update.
    let stdin = format!("refs/heads/main {new} refs/heads/main {old}\n");

    let (findings, code) = repo.scan_json_stdin(&["--pre-push", "."], &stdin);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(STRIPE, "third.env", 1, 19, &new)])
    );
}

#[test]
fn two_refs_pushed_at_once_are_both_scanned() {
    let (repo, _origin, pushed) = pushed_repo();
    repo.write("main.env", &env_with(&github_token("ghp_", 307)));
    let main_tip = repo.commit_all_at("main work", &day(2));
    repo.git(&["checkout", "-q", "-b", "topic", &pushed]);
    repo.write("topic.env", &stripe_env(308));
    let topic_tip = repo.commit_all_at("topic work", &day(3));
    let stdin = format!(
        "refs/heads/main {main_tip} refs/heads/main {pushed}\n\
         refs/heads/topic {topic_tip} refs/heads/topic {ZERO_ID}\n"
    );

    let (findings, code) = repo.scan_json_stdin(&["--pre-push"], &stdin);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[
            (GH, "main.env", 1, 14, &main_tip),
            (STRIPE, "topic.env", 1, 19, &topic_tip),
        ])
    );
}

#[test]
fn delete_scans_nothing() {
    let (repo, _origin, _) = pushed_repo();
    repo.git(&["checkout", "-q", "-b", "gone"]);
    repo.write("gone.env", &stripe_env(309));
    let gone = repo.commit_all_at("gone", &day(2));
    let stdin = format!("(delete) {ZERO_ID} refs/heads/gone {gone}\n");

    let (findings, code) = repo.scan_json_stdin(&["--pre-push"], &stdin);
    assert_eq!(findings.len(), 0, "{findings:?}");
    assert_eq!(code, 0);
}

#[test]
fn empty_stdin_scans_nothing() {
    let (repo, _origin, _) = pushed_repo();
    repo.write("unpushed.env", &stripe_env(310));
    repo.commit_all_at("unpushed", &day(2));

    let (findings, code) = repo.scan_json_stdin(&["--pre-push"], "");
    assert_eq!(findings.len(), 0, "{findings:?}");
    assert_eq!(code, 0);
}
