//! The bad input matrix (issue 6), continued: damaged or unusual repositories (a ref to a missing
//! object, merge conflicts, submodules, a directory that is not a repository) and sheer size
//! (100,000 files in one commit, a large SQL dump in linear time).

use crate::common::{self, fake, github_token, rows, summary, TestRepo, ALNUM, GH, STRIPE};
use crate::hostile::{human, run, stripe};
use std::time::Duration;

#[test]
fn ref_to_a_missing_object_is_reported_and_the_other_refs_are_scanned() {
    let repo = TestRepo::new();
    repo.write(
        "config.py",
        &format!("TOKEN = \"{}\"\n", github_token("ghp_", 91)),
    );
    let head = repo.commit_all("add config");
    let missing = "0123456789abcdef0123456789abcdef01234567";
    repo.write(".git/refs/heads/broken", &format!("{missing}\n"));
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--history"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        common::history_summary(&findings),
        common::history_rows(&[(GH, "config.py", 1, 10, &head)])
    );
    assert_eq!(
        stderr,
        format!(
            "scan-secrets: ref refs/heads/broken points to {missing}, which is not in the repository; continuing without it\n"
        )
    );
    // A ref file that is not a ref at all: the same.
    repo.write(".git/refs/heads/garbage", "not an object id\n");
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--history"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(findings.len(), 1);
    assert!(
        stderr.contains(
            "scan-secrets: cannot read a ref: The reference at \"refs/heads/garbage\" could not be decoded; continuing\n"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

#[test]
fn staged_and_history_on_a_directory_that_is_not_a_repository_name_it() {
    let dir = TestRepo::dir();
    dir.write("plain/config.py", &format!("k = \"{}\"\n", stripe(101)));
    for mode in ["--staged", "--history"] {
        let out = dir
            .cmd()
            .env("GIT_CEILING_DIRECTORIES", dir.path())
            .args([mode, "plain"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{mode}: {stderr}");
        assert!(
            stderr.starts_with("scan-secrets: error: plain: not a git repository"),
            "{mode}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{mode}");
    }
}

#[test]
fn staged_scan_during_a_merge_conflict_names_the_conflicted_paths() {
    let repo = TestRepo::new();
    repo.write("app.py", "value = 1\n");
    repo.commit_all("base");
    repo.git(&["checkout", "-q", "-b", "other"]);
    repo.write("app.py", &format!("value = \"{}\"\n", stripe(111)));
    repo.commit_all("other side");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("app.py", "value = 2\n");
    repo.commit_all("main side");
    let merge = common::git_command(repo.path(), &["merge", "-q", "other"], &[])
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge conflicts");
    assert!(repo.git(&["ls-files", "-u"]).contains("app.py"));
    repo.write("new.py", &format!("key = \"{}\"\n", stripe(112)));
    repo.stage("new.py");
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[(STRIPE, "new.py", 1, 8)]));
    assert_eq!(
        stderr,
        "scan-secrets: note: 1 conflicted path is not scanned until resolved and staged: app.py\n"
    );
    // Resolved (keeping the key) and staged: scanned like any staged change.
    repo.write("app.py", &format!("value = \"{}\"\n", stripe(111)));
    repo.stage("app.py");
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--staged"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, "app.py", 1, 10), (STRIPE, "new.py", 1, 8)])
    );
}

#[test]
fn submodules_in_the_working_tree_are_entered_only_with_recurse_submodules() {
    let lib = TestRepo::new();
    lib.write("lib.py", &format!("k = \"{}\"\n", stripe(141)));
    lib.commit_all("lib");
    let repo = TestRepo::new();
    repo.write("app.py", &format!("k = \"{}\"\n", stripe(142)));
    repo.commit_all("app");
    repo.add_submodule(&lib, "vendor/lib");
    assert!(repo.path().join("vendor/lib/.git").is_file());
    let (findings, code, stderr) = run(&mut repo.cmd(), &[]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(summary(&findings), rows(&[(STRIPE, "app.py", 1, 6)]));

    let (findings, code, _) = run(&mut repo.cmd(), &["--recurse-submodules"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            (STRIPE, "app.py", 1, 6),
            (STRIPE, "vendor/lib/lib.py", 1, 6)
        ])
    );
    // Named on the command line, a submodule is scanned: the user asked for it.
    let (findings, _, _) = run(&mut repo.cmd(), &["vendor/lib"]);
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, "vendor/lib/lib.py", 1, 6)])
    );
    // The flag is for working-tree scans only.
    let out = repo
        .cmd()
        .args(["--staged", "--recurse-submodules"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}

#[test]
fn hundred_thousand_files_in_one_commit() {
    const N: usize = 100_000;
    let repo = TestRepo::new();
    // One shared blob, 100k index entries in one directory, written in one go.
    let blob = common::git_stdin(
        repo.path(),
        &["hash-object", "-w", "--stdin"],
        b"print('hello')\n",
    );
    let blob = blob.trim();
    let mut list = String::with_capacity(N * 70);
    for i in 0..N {
        list.push_str(&format!("100644 {blob}\tfiles/f{i:06}.py\n"));
    }
    common::git_stdin(
        repo.path(),
        &["update-index", "--index-info"],
        list.as_bytes(),
    );
    let first = repo.commit("100k files");
    // The files on disk for the working-tree scan, and a second commit changing one of them
    // (a diff of two 100k-entry trees).
    repo.git(&["checkout-index", "-a"]);
    let key = stripe(151);
    repo.write("files/f054321.py", &format!("k = \"{key}\"\n"));
    repo.stage("files/f054321.py");
    let second = repo.commit("one key");
    assert_ne!(first, second);

    let (findings, code, stderr) = run(&mut repo.cmd(), &["--history"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        common::history_summary(&findings),
        common::history_rows(&[(STRIPE, "files/f054321.py", 1, 6, &second)])
    );
    let (findings, code, _) = run(&mut repo.cmd(), &["--since", &first]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, "files/f054321.py", 1, 6)])
    );
    let (stdout, code, stderr) = human(&repo, &[]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert!(stdout.contains("files/f054321.py:1:6"), "{stdout}");
    assert!(stdout.contains(" in 100000 files ("), "{stdout}");
}

#[test]
fn a_large_sql_dump_is_scanned_in_linear_time() {
    // A mysqldump: extended INSERT lines of about 1 MB, every row a keyword hit for the SQL and
    // free-text password rules (`password reset ...`), 10 MB in all, then one real statement.
    let repo = TestRepo::dir();
    let mut dump = String::from("-- MySQL dump 10.13\n");
    let mut row = 0u64;
    for _ in 0..10 {
        dump.push_str("INSERT INTO `audit` (`id`,`event`,`detail`) VALUES ");
        for i in 0..12_500 {
            row += 1;
            if i > 0 {
                dump.push(',');
            }
            dump.push_str(&format!(
                "({row},'password reset','password reset requested by user{row} from 10.0.{}.{}')",
                row % 250,
                row % 200
            ));
        }
        dump.push_str(";\n");
    }
    let pw = fake("", ALNUM, 20, 152);
    dump.push_str(&format!(
        "ALTER USER 'reporting'@'%' IDENTIFIED BY '{pw}';\n"
    ));
    assert!(dump.len() > 10_000_000, "{}", dump.len());
    repo.write("backup/dump.sql", &dump);
    let (findings, code, stderr) = run(
        repo.cmd().timeout(Duration::from_secs(120)),
        &["--max-file-size", "64M"],
    );
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        summary(&findings),
        rows(&[("generic-sql-password", "backup/dump.sql", 12, 43)])
    );
}
