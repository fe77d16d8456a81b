//! `--history`: every commit reachable from any ref (branches, tags, remote-tracking refs,
//! stash), each finding attributed to the earliest commit that introduced its blob at its path;
//! `--since` / `--range` restrict the scan to the lines those commits added.

use crate::common::{
    day, env_with, git_in, github_token, history_rows as rows, history_summary, stripe_env,
    TestRepo, GH, STRIPE,
};

/// `TOKEN = "<ghp>"` on line 3: the token is at column 10.
pub(crate) fn config_with(token: &str) -> String {
    format!("import os\nDEBUG = False\nTOKEN = \"{token}\"\n")
}

fn more(f: &serde_json::Value) -> u64 {
    // An absent field is read as 0 here; `repeated_secret...` checks the field itself.
    f.get("more_occurrences")
        .map(|v| v.as_u64().expect("more_occurrences is an integer"))
        .unwrap_or(0)
}

#[test]
fn secret_added_then_removed_is_attributed_to_the_commit_that_added_it() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all_at("initial", &day(1));
    repo.write("config.py", &config_with(&github_token("ghp_", 201)));
    repo.git(&["add", "-A"]);
    let d2 = day(2);
    repo.git_env(
        &["commit", "-q", "-m", "add config", "-m", "with a body line"],
        &[("GIT_AUTHOR_DATE", &d2), ("GIT_COMMITTER_DATE", &d2)],
    );
    let added = repo.head();
    repo.write("README.md", "# demo\n\nmore\n");
    repo.commit_all_at("docs", &day(3));
    repo.write("Makefile", "all:\n\ttrue\n");
    repo.commit_all_at("build", &day(4));
    repo.write("config.py", "import os\nDEBUG = False\n");
    repo.commit_all_at("remove the token", &day(5));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "config.py", 3, 10, &added)])
    );
    let f = &findings[0];
    assert_eq!(f["source"], "history");
    assert_eq!(f["author"], "Test Author <author@example.com>");
    assert_eq!(f["date"], "2024-05-02T10:00:00Z");
    assert_eq!(f["message"], "add config");
    assert_eq!(more(f), 0);
}

#[test]
fn human_output_shows_the_short_commit_and_the_date() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all_at("initial", &day(1));
    repo.write("config.py", &config_with(&github_token("ghp_", 202)));
    let added = repo.commit_all_at("add config", &day(2));
    let out = repo
        .cmd()
        .args(["--history", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let at = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("at"))
        .unwrap_or_else(|| panic!("no `at` line: {stdout}"));
    let rest = at
        .trim_start()
        .strip_prefix("at")
        .unwrap()
        .trim_start()
        .strip_prefix("config.py:3:10  (commit ")
        .unwrap_or_else(|| panic!("unexpected `at` line: {at:?}"));
    let (short, tail) = rest.split_once(", ").unwrap();
    assert!(
        short.len() >= 7 && added.starts_with(short),
        "short id {short:?} is not a prefix of {added}"
    );
    assert_eq!(tail, "2024-05-02)");
}

#[test]
fn secret_only_on_a_side_branch_is_found() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all_at("initial", &day(1));
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("side.env", &env_with(&github_token("ghp_", 203)));
    let side = repo.commit_all_at("side work", &day(2));
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.txt", "main work\n");
    repo.commit_all_at("main work", &day(3));
    assert!(!repo.path().join("side.env").exists());

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "side.env", 1, 14, &side)])
    );
}

#[test]
fn secret_only_in_a_tag_is_found() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all_at("initial", &day(1));
    repo.git(&["checkout", "-q", "--detach"]);
    repo.write("release.env", &env_with(&github_token("ghp_", 204)));
    let tagged = repo.commit_all_at("release build", &day(2));
    repo.git(&["tag", "t1"]);
    repo.git(&["checkout", "-q", "main"]);
    assert_eq!(repo.git(&["branch", "--contains", &tagged]), "");

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "release.env", 1, 14, &tagged)])
    );
}

#[test]
fn secret_only_on_a_remote_tracking_branch_is_found() {
    let src = TestRepo::new();
    src.write("README.md", "# demo\n");
    src.commit_all_at("initial", &day(1));
    src.git(&["checkout", "-q", "-b", "feature"]);
    src.write("feature.env", &env_with(&github_token("ghp_", 205)));
    let feature = src.commit_all_at("feature", &day(2));
    src.git(&["checkout", "-q", "main"]);

    let dst = TestRepo::dir();
    dst.git(&["clone", "-q", src.path().to_str().unwrap(), "clone"]);
    let clone = dst.path().join("clone");
    // Only `main` is a local branch; `feature` is `origin/feature`.
    assert_eq!(
        git_in(&clone, &["branch", "--format=%(refname:short)"], &[]),
        "main\n"
    );
    let (findings, code) = dst.scan_json_in(&clone, &["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "feature.env", 1, 14, &feature)])
    );
}

#[test]
fn renamed_file_gives_one_finding_per_path() {
    let repo = TestRepo::new();
    repo.write("a.py", &config_with(&github_token("ghp_", 206)));
    let first = repo.commit_all_at("add a", &day(1));
    repo.git(&["mv", "a.py", "b.py"]);
    let renamed = repo.commit_all_at("rename to b", &day(2));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "a.py", 3, 10, &first), (GH, "b.py", 3, 10, &renamed)])
    );
    assert_eq!(findings[0]["fingerprint"], findings[1]["fingerprint"]);
}

#[test]
fn merge_commits_attribute_branch_work_to_the_branch_and_merge_work_to_the_merge() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all_at("initial", &day(1));
    repo.git(&["checkout", "-q", "-b", "feat"]);
    repo.write("feat.env", &env_with(&github_token("ghp_", 207)));
    let feat = repo.commit_all_at("feature", &day(2));
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.txt", "main work\n");
    repo.commit_all_at("main work", &day(3));
    // A merge that also brings a file of its own (an "evil merge").
    repo.git(&["merge", "-q", "--no-ff", "--no-commit", "feat"]);
    repo.write("merge.env", &stripe_env(208));
    let merge = repo.commit_all_at("merge feat", &day(4));
    assert_eq!(
        repo.git(&["rev-list", "--parents", "-n1", "HEAD"])
            .split(' ')
            .count(),
        3
    );

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[
            (GH, "feat.env", 1, 14, &feat),
            (STRIPE, "merge.env", 1, 19, &merge),
        ])
    );
}

#[test]
fn bare_clone_is_scanned() {
    let src = TestRepo::new();
    src.write("README.md", "# demo\n");
    src.commit_all_at("initial", &day(1));
    src.write("config.py", &config_with(&github_token("ghp_", 209)));
    let added = src.commit_all_at("add config", &day(2));

    let dst = TestRepo::dir();
    dst.git(&[
        "clone",
        "-q",
        "--bare",
        src.path().to_str().unwrap(),
        "bare.git",
    ]);
    let (findings, code) = dst.scan_json(&["--history", "bare.git"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "config.py", 3, 10, &added)])
    );
    assert_eq!(findings[0]["message"], "add config");
}

#[test]
fn shallow_clone_is_scanned_as_far_as_it_goes_with_a_note() {
    let src = TestRepo::new();
    src.write("old.env", &env_with(&github_token("ghp_", 210)));
    src.write("a.env", &stripe_env(211));
    src.commit_all_at("old and a", &day(1));
    src.git(&["rm", "-q", "old.env"]);
    src.commit_all_at("remove old", &day(2));
    src.write("b.env", &env_with(&github_token("ghp_", 212)));
    let tip = src.commit_all_at("add b", &day(3));

    let dst = TestRepo::dir();
    let url = format!("file://{}", src.path().display());
    dst.git(&["clone", "-q", "--depth", "1", &url, "shallow"]);
    let clone = dst.path().join("shallow");
    assert!(clone.join(".git/shallow").exists());

    let out = dst
        .cmd()
        .current_dir(&clone)
        .args(["--history", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("shallow"),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Only the tip is there: what it holds is attributed to it; `old.env` is out of reach.
    assert_eq!(
        history_summary(v.as_array().unwrap()),
        rows(&[(STRIPE, "a.env", 1, 19, &tip), (GH, "b.env", 1, 14, &tip)])
    );
}

#[test]
fn same_secret_in_two_files_gives_two_findings() {
    let repo = TestRepo::new();
    let key = github_token("ghp_", 213);
    repo.write("a.env", &env_with(&key));
    repo.write("b.py", &config_with(&key));
    let c = repo.commit_all_at("two copies", &day(1));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "a.env", 1, 14, &c), (GH, "b.py", 3, 10, &c)])
    );
    assert_eq!(findings[0]["fingerprint"], findings[1]["fingerprint"]);
}

#[test]
fn repeated_secret_in_one_file_is_one_finding_with_more_occurrences() {
    let repo = TestRepo::new();
    let key = github_token("ghp_", 214);
    repo.write(
        "rep.py",
        &format!("TOKEN = \"{key}\"\nTOKEN = \"{key}\"\nTOKEN = \"{key}\"\n"),
    );
    let c = repo.commit_all_at("three times", &day(1));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "rep.py", 1, 10, &c)])
    );
    assert_eq!(findings[0]["more_occurrences"].as_u64(), Some(2));
}

#[test]
fn findings_are_sorted_by_commit_date_then_path_then_line() {
    let repo = TestRepo::new();
    repo.write("b.env", &env_with(&github_token("ghp_", 215)));
    let c1 = repo.commit_all_at("b", &day(1));
    repo.write("c.env", &env_with(&github_token("ghp_", 216)));
    repo.write(
        "a.env",
        &format!(
            "{}{}",
            env_with(&github_token("ghp_", 217)),
            stripe_env(218)
        ),
    );
    let c2 = repo.commit_all_at("a and c", &day(2));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[
            (GH, "b.env", 1, 14, &c1),
            (GH, "a.env", 1, 14, &c2),
            (STRIPE, "a.env", 2, 19, &c2),
            (GH, "c.env", 1, 14, &c2),
        ])
    );
}

#[test]
fn secret_in_the_stash_is_found() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all_at("initial", &day(1));
    repo.write("wip.env", &env_with(&github_token("ghp_", 219)));
    repo.stage("wip.env");
    repo.git(&["stash", "-q"]);
    assert!(!repo.path().join("wip.env").exists());
    // The stash's work-tree commit and its index commit (its second parent) both hold the
    // file; the index commit, an ancestor of the other, introduced it.
    let stash = repo.rev("stash@{0}");
    let index = repo.rev("stash@{0}^2");

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    let got = history_summary(&findings);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (&got[0].0[..], &got[0].1[..], got[0].2, got[0].3),
        (GH, "wip.env", 1, 14)
    );
    assert!(
        got[0].4 == index || got[0].4 == stash,
        "attributed to {} (index commit {index}, stash {stash})",
        got[0].4
    );
}

#[test]
fn date_is_the_author_date_in_utc() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 227)));
    repo.git(&["add", "-A"]);
    repo.git_env(
        &["commit", "-q", "-m", "offset dates"],
        &[
            ("GIT_AUTHOR_DATE", "2024-05-02T12:30:00+02:00"),
            ("GIT_COMMITTER_DATE", "2024-06-01T00:00:00Z"),
        ],
    );
    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["date"], "2024-05-02T10:30:00Z");
}

#[test]
fn secret_deleted_and_added_again_is_reported_once_at_its_first_commit() {
    let repo = TestRepo::new();
    let key = github_token("ghp_", 228);
    repo.write("config.py", &config_with(&key));
    let first = repo.commit_all_at("add", &day(1));
    repo.git(&["rm", "-q", "config.py"]);
    repo.commit_all_at("delete", &day(2));
    // Back, in a different blob (one more line above it).
    repo.write("config.py", &format!("# again\n{}", config_with(&key)));
    repo.commit_all_at("add again", &day(3));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "config.py", 3, 10, &first)])
    );
}

#[test]
fn history_outside_a_repository_is_an_error() {
    let dir = TestRepo::dir();
    dir.write("config.py", &config_with(&github_token("ghp_", 231)));
    let out = dir
        .cmd()
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["--history", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}
