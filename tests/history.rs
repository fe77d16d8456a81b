//! `--history`: every commit reachable from any ref (branches, tags, remote-tracking refs,
//! stash), each finding attributed to the earliest commit that introduced its blob at its path;
//! `--since` / `--range` restrict the scan to the lines those commits added.

use crate::common::{
    self, day, env_with, fake, git_in, github_token, history_rows as rows, history_summary,
    stripe_env, TestRepo, GH, HEX, STRIPE,
};

/// `TOKEN = "<ghp>"` on line 3: the token is at column 10.
fn config_with(token: &str) -> String {
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
fn since_scans_only_lines_added_after_the_revision() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 220)));
    let base = repo.commit_all_at("old key", &day(1));
    repo.git(&["tag", "v1"]);
    // A new blob of config.py that still holds the old key, on a line not added here.
    repo.write(
        "config.py",
        &format!(
            "{}VERBOSE = True\n",
            config_with(&github_token("ghp_", 220))
        ),
    );
    repo.commit_all_at("verbose", &day(2));
    repo.write("pay.env", &stripe_env(221));
    let new = repo.commit_all_at("payments", &day(3));

    for rev in ["v1", base.as_str()] {
        let (findings, code) = repo.scan_json(&["--history", "--since", rev]);
        assert_eq!(code, 1, "--since {rev}");
        assert_eq!(
            history_summary(&findings),
            rows(&[(STRIPE, "pay.env", 1, 19, &new)]),
            "--since {rev}"
        );
    }
}

#[test]
fn range_scans_only_lines_added_by_its_commits() {
    let repo = TestRepo::new();
    repo.write("a.py", &config_with(&github_token("ghp_", 222)));
    let c1 = repo.commit_all_at("a", &day(1));
    // c2 adds a line to a.py (the key there predates the range) and a new key in b.env.
    repo.write(
        "a.py",
        &format!(
            "{}VERBOSE = True\n",
            config_with(&github_token("ghp_", 222))
        ),
    );
    repo.write("b.env", &env_with(&github_token("ghp_", 223)));
    let c2 = repo.commit_all_at("b", &day(2));
    repo.write("c.env", &stripe_env(224));
    let c3 = repo.commit_all_at("c", &day(3));
    repo.write("d.env", &env_with(&github_token("ghp_", 225)));
    repo.commit_all_at("d", &day(4));

    let range = format!("{c1}..{c3}");
    let (findings, code) = repo.scan_json(&["--history", "--range", &range]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "b.env", 1, 14, &c2), (STRIPE, "c.env", 1, 19, &c3)])
    );
    // With a REPO argument, run from elsewhere.
    let elsewhere = TestRepo::dir();
    let (findings, _) = elsewhere.scan_json(&[
        "--history",
        "--range",
        &range,
        repo.path().to_str().unwrap(),
    ]);
    assert_eq!(findings.len(), 2);
}

#[test]
fn unknown_since_revision_is_an_error_naming_it() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    let out = repo
        .cmd()
        .args(["--history", "--since", "nosuchrev", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nosuchrev"), "{err}");
}

#[test]
fn unknown_range_revision_is_an_error_naming_it() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    let out = repo
        .cmd()
        .args([
            "--history",
            "--range",
            "main..nosuchrev",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nosuchrev"), "{err}");
}

#[test]
fn empty_range_is_an_error() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 226)));
    repo.commit_all("initial");
    let out = repo
        .cmd()
        .args(["--history", "--range", "main..main", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(err.contains("empty"), "{err}");
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

/// `--since REV` means `REV..HEAD`: the work of the checked-out branch. Other branches are
/// not this push's or pull request's commits (a CI clone with full history has them all).
#[test]
fn since_covers_the_commits_of_head_only() {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    let base = repo.commit_all_at("initial", &day(1));
    repo.git(&["checkout", "-q", "-b", "side"]);
    repo.write("side.env", &env_with(&github_token("ghp_", 229)));
    repo.commit_all_at("side", &day(2));
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.env", &stripe_env(230));
    let main = repo.commit_all_at("main", &day(3));

    let (findings, code) = repo.scan_json(&["--history", "--since", &base]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[(STRIPE, "main.env", 1, 19, &main)])
    );
    // Nothing new on HEAD since itself: an empty range is an error, never a silent pass.
    let out = repo
        .cmd()
        .args(["--history", "--since", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty"));
}

#[test]
fn private_key_added_in_a_range_commit_is_found() {
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let repo = TestRepo::new();
    repo.write("deploy.txt", "host = example.org\n");
    let c1 = repo.commit_all_at("initial", &day(1));
    let mut pem = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for i in 0..20 {
        pem += &fake("", B64, 64, 240 + i);
        pem.push('\n');
    }
    pem += "-----END RSA PRIVATE KEY-----\n";
    repo.write("deploy.txt", &format!("host = example.org\n{pem}"));
    let c2 = repo.commit_all_at("key", &day(2));

    let range = format!("{c1}..{c2}");
    let (findings, code) = repo.scan_json(&["--history", "--range", &range]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[("privatekey-rsa", "deploy.txt", 2, 1, &c2)])
    );
    assert_eq!(findings[0]["end_line"].as_u64(), Some(23));
}

#[test]
fn multiline_key_under_an_unchanged_header_is_found() {
    // Rotating the key of an Alertmanager receiver changes only its line; the
    // `pagerduty_configs:` header the rule needs sits above, unchanged.
    let repo = TestRepo::new();
    let config = |key: &str| {
        format!("receivers:\n  - name: on-call\n    pagerduty_configs:\n      - routing_key: {key}\n        severity: critical\n")
    };
    repo.write("alertmanager.yml", &config("<routing-key>"));
    repo.commit_all_at("receiver", &day(1));
    repo.write("alertmanager.yml", &config(&fake("", HEX, 32, 77)));
    let c2 = repo.commit_all_at("key", &day(2));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&findings),
        rows(&[("pagerduty-alertmanager-key", "alertmanager.yml", 4, 22, &c2)])
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

/// `n` lines of filler for file `tag`, similar from file to file so that git deltifies them.
fn filler(tag: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("value_{i} = compute({i}, \"{tag}\")  # keep in sync with the table\n"))
        .collect()
}

/// Findings without `more_occurrences`, which counts differently in the two read orders.
fn without_counts(findings: &[serde_json::Value]) -> Vec<serde_json::Value> {
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.as_object_mut().unwrap().remove("more_occurrences");
            f
        })
        .collect()
}

#[test]
fn packed_history_reads_the_same_in_path_order_and_pack_order() {
    let repo = TestRepo::new();
    let token = github_token("ghp_", 230);
    for f in 0..3 {
        repo.write(&format!("src/f{f}.py"), &filler(&format!("f{f}"), 60));
    }
    repo.commit_all_at("initial", &day(1));
    repo.write(
        "src/f1.py",
        &format!(
            "{}TOKEN = \"{token}\"\n{}",
            filler("f1", 30),
            filler("f1b", 30)
        ),
    );
    let added = repo.commit_all_at("add token", &day(2));
    let f1 = format!(
        "{}TOKEN = \"{token}\"\n{}",
        filler("f1", 35),
        filler("f1b", 30)
    );
    repo.write("src/f1.py", &f1);
    repo.commit_all_at("more lines", &day(3));
    repo.write("docs/copy.py", &f1);
    let copied = repo.commit_all_at("copy", &day(4));
    repo.write("src/f1.py", &filler("f1", 70));
    repo.write("docs/copy.py", &filler("f1", 70));
    repo.commit_all_at("remove token", &day(5));
    repo.write(
        "src/f2.py",
        &format!("{}{}\n", filler("f2", 61), stripe_env(231)),
    );
    let stripe = repo.commit_all_at("stripe", &day(6));
    for i in 7..12 {
        repo.write("src/f0.py", &filler("f0", 60 + i as usize));
        repo.commit_all_at("churn", &day(i));
    }

    let (loose, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    assert_eq!(
        history_summary(&loose),
        rows(&[
            (GH, "src/f1.py", 31, 10, &added),
            (GH, "docs/copy.py", 36, 10, &copied),
            (STRIPE, "src/f2.py", 62, 19, &stripe),
        ])
    );

    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    let packs = std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .count();
    assert!(packs >= 2, "repack wrote a pack and its index");
    for order in ["path", "pack", "auto"] {
        let (packed, code) =
            repo.scan_json_env(&["--history"], &[("SCAN_SECRETS_HISTORY_ORDER", order)]);
        assert_eq!(code, 1, "order {order}");
        assert_eq!(
            without_counts(&packed),
            without_counts(&loose),
            "order {order}"
        );
    }

    // Packed history plus loose objects on top: both are read.
    repo.write(
        "src/f0.py",
        &format!("{}{}\n", filler("f0", 72), stripe_env(233)),
    );
    let on_top = repo.commit_all_at("loose", &day(12));
    for order in ["path", "pack"] {
        let (mixed, _) =
            repo.scan_json_env(&["--history"], &[("SCAN_SECRETS_HISTORY_ORDER", order)]);
        assert_eq!(mixed.len(), loose.len() + 1, "order {order}");
        assert_eq!(
            history_summary(&mixed).last().unwrap(),
            &(STRIPE.into(), "src/f0.py".into(), 73, 19, on_top.clone()),
            "order {order}"
        );
    }
}

#[test]
fn fast_import_history_is_read_in_pack_order_with_the_right_commits() {
    // git fast-import deltifies each blob against the one written before it, whatever its
    // path: the pack-order read is the one made for that.
    let repo = TestRepo::new();
    let token = github_token("ghp_", 232);
    let mut stream = String::new();
    let data = |s: &str| format!("data {}\n{s}\n", s.len());
    for i in 1..=12u32 {
        let file = format!("src/f{}.py", i % 3);
        let mut text = filler(&format!("f{}", i % 3), 50 + i as usize);
        if i == 5 {
            text.push_str(&format!("TOKEN = \"{token}\"\n"));
        }
        stream.push_str(&format!("commit refs/heads/main\nmark :{i}\n"));
        stream.push_str(&format!(
            "committer Test <t@example.com> {} +0000\n",
            1_714_557_600 + i * 86_400
        ));
        stream.push_str(&data(&format!("commit {i}")));
        if i > 1 {
            stream.push_str(&format!("from :{}\n", i - 1));
        }
        stream.push_str(&format!("M 100644 inline {file}\n"));
        stream.push_str(&data(&text));
    }
    // (Without the unpack limit, fast-import would leave so few objects loose.)
    let args = ["-c", "fastimport.unpackLimit=1", "fast-import", "--quiet"];
    let mut child = common::git_command(repo.path(), &args, &[])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
    }
    assert!(child.wait().unwrap().success());
    let packs = std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .count();
    assert!(packs >= 2, "fast-import wrote a pack and its index");
    let commit = |i: u32| repo.rev(&format!("main~{}", 12 - i));

    let (findings, code) = repo.scan_json(&["--history"]);
    assert_eq!(code, 1);
    // Commit 5 writes f2 with the token; commit 8 (f2 again) drops it; f2 is never written
    // with the token otherwise.
    assert_eq!(
        history_summary(&findings),
        rows(&[(GH, "src/f2.py", 56, 10, &commit(5))])
    );
    let (by_path, _) =
        repo.scan_json_env(&["--history"], &[("SCAN_SECRETS_HISTORY_ORDER", "path")]);
    assert_eq!(without_counts(&by_path), without_counts(&findings));
}

#[test]
fn corrupt_pack_is_reported_with_exit_2_never_a_panic() {
    let repo = TestRepo::new();
    for i in 0..6u32 {
        for f in 0..3 {
            repo.write(
                &format!("src/f{f}.py"),
                &filler(&format!("f{f}"), 40 + i as usize),
            );
        }
        repo.commit_all_at("work", &day(i + 1));
    }
    repo.git(&["repack", "-adq"]);
    let pack = std::fs::read_dir(repo.path().join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap();
    let mut bytes = std::fs::read(&pack).unwrap();
    // Damage the compressed data of many objects (past the header, before the trailer).
    let n = bytes.len();
    for i in (64..n - 40).step_by(97) {
        bytes[i] ^= 0x5a;
    }
    let mut perms = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack, perms).unwrap();
    std::fs::write(&pack, bytes).unwrap();
    for order in ["path", "pack"] {
        let out = repo
            .cmd()
            .args(["--history", "--format", "json"])
            .env("SCAN_SECRETS_HISTORY_ORDER", order)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "order {order}: {stderr}");
        assert!(!stderr.contains("panic"), "order {order}: {stderr}");
        assert!(stderr.contains("scan-secrets:"), "order {order}: {stderr}");
    }
}
