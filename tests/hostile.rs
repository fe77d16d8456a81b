//! The bad input matrix (issue 6): odd encodings, odd files, odd trees and damaged
//! repositories, each through the real binary with its exit code and message. Already covered
//! elsewhere: binary and oversized files (worktree.rs), a corrupt pack, bare and shallow clones
//! (history.rs), a submodule entry in the index and `--staged` outside a repository
//! (staged.rs).

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use crate::common::{self, fake, github_token, rows, summary, TestRepo, ALNUM, GH, STRIPE};

fn stripe(seed: u64) -> String {
    fake("sk_live_", ALNUM, 32, seed)
}

/// `text` as UTF-16 with a byte order mark.
fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend(if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

/// Runs `cmd` with a JSON report; returns the findings, the exit code and stderr. Unlike
/// `scan_json`, an exit code of 2 is expected here.
fn run(cmd: &mut assert_cmd::Command, args: &[&str]) -> (Vec<serde_json::Value>, i32, String) {
    let out = cmd.args(["--format", "json"]).args(args).output().unwrap();
    parse(out)
}

fn parse(out: Output) -> (Vec<serde_json::Value>, i32, String) {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out
        .status
        .code()
        .expect("exited (not killed by the timeout)");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (v.as_array().unwrap().clone(), code, stderr)
}

/// The human report, without colours.
fn human(repo: &TestRepo, args: &[&str]) -> (String, i32, String) {
    let out = repo
        .cmd()
        .args(["--color", "never"])
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().expect("exited"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_decoded_and_scanned() {
    let repo = TestRepo::new();
    // Line and column are those of the decoded text, in characters: the BOM is not one, and
    // the key (two UTF-16 units) is one.
    let text = |seed| format!("# caf\u{e9}\r\n\u{1F511} stripe = \"{}\"\r\n", stripe(seed));
    repo.write_bytes("win/le.yml", &utf16(&text(1), true));
    repo.write_bytes("win/be.yml", &utf16(&text(2), false));
    // Without a BOM, UTF-16 is not recognised: its NUL bytes make it binary.
    let no_bom = utf16(&text(3), true)[2..].to_vec();
    repo.write_bytes("win/nobom.yml", &no_bom);
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--show-secrets"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, "win/be.yml", 2, 13), (STRIPE, "win/le.yml", 2, 13)])
    );
    assert_eq!(findings[0]["secret"], stripe(2));
    assert_eq!(findings[1]["secret"], stripe(1));
    assert_eq!(findings[1]["end_column"].as_u64(), Some(13 + 40));

    // The same in staged changes: a UTF-16 file edited, only the added line counts.
    repo.commit_all("windows files");
    let mut edited = text(1);
    edited.push_str(&format!("other = \"{}\"\r\n", stripe(4)));
    repo.write_bytes("win/le.yml", &utf16(&edited, true));
    repo.stage("win/le.yml");
    let (findings, code, _) = run(&mut repo.cmd(), &["--staged", "--show-secrets"]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[(STRIPE, "win/le.yml", 3, 10)]));
    assert_eq!(findings[0]["secret"], stripe(4));

    // And on standard input.
    let out = repo
        .cmd()
        .args(["--stdin", "--format", "json"])
        .write_stdin(utf16(&text(5), false))
        .output()
        .unwrap();
    let (findings, code, _) = parse(out);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[(STRIPE, "<stdin>", 2, 13)]));
}

#[test]
fn non_utf8_file_contents_are_scanned_as_bytes() {
    let repo = TestRepo::dir();
    // Latin-1 and broken UTF-8: each byte that does not continue a UTF-8 sequence counts as
    // one column.
    let mut bytes = b"caf\xe9 cr\xe8me \xff\xfe\n\xe9t\xe9 stripe = \"".to_vec();
    bytes.extend(stripe(11).as_bytes());
    bytes.extend(b"\" \xc3\n");
    repo.write_bytes("latin1.py", &bytes);
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--show-secrets"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(summary(&findings), rows(&[(STRIPE, "latin1.py", 2, 15)]));
    assert_eq!(findings[0]["secret"], stripe(11));
}

#[test]
fn crlf_line_endings_give_the_right_position_and_keep_the_cr_out() {
    let repo = TestRepo::dir();
    let key = stripe(21);
    repo.write(
        "settings.yml",
        &format!("db:\r\n  password: Tr0ub4dor&3\r\n  stripe: {key}\r\n"),
    );
    let (findings, code, _) = run(&mut repo.cmd(), &["--show-secrets"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("generic-password", "settings.yml", 2, 13),
            (STRIPE, "settings.yml", 3, 11),
        ])
    );
    assert_eq!(findings[0]["secret"], "Tr0ub4dor&3");
    assert_eq!(findings[0]["end_column"].as_u64(), Some(24));
    assert_eq!(findings[1]["secret"], key.as_str());
    assert_eq!(findings[1]["end_line"].as_u64(), Some(3));
    assert_eq!(findings[1]["end_column"].as_u64(), Some(11 + 40));
}

#[test]
fn sparse_2_gib_file_is_skipped_by_size_and_counted() {
    let repo = TestRepo::dir();
    let file = std::fs::File::create(repo.path().join("huge.log")).unwrap();
    // A hole: no disk space, no read.
    file.set_len(2 << 30).unwrap();
    repo.write("app.py", &format!("key = \"{}\"\n", stripe(31)));
    let (stdout, code, stderr) = human(&repo, &[]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert!(stdout.contains("app.py:1:8"), "{stdout}");
    assert!(!stdout.contains("huge.log"), "{stdout}");
    assert!(
        stdout.contains("skipped 1 file over 10 MiB (--max-file-size)"),
        "{stdout}"
    );
}

#[test]
fn one_50_mb_line_with_a_token_at_its_end_is_found() {
    let repo = TestRepo::dir();
    let filler = "lorem ipsum dolor sit amet ".repeat(50_000_000 / 27);
    let key = stripe(41);
    repo.write("minified.txt", &format!("{filler}stripe={key}\n"));
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--max-file-size", "64M"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let column = filler.len() as u64 + "stripe=".len() as u64 + 1;
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, "minified.txt", 1, column)])
    );
}

#[test]
fn deeply_nested_directories_are_walked() {
    let repo = TestRepo::dir();
    let deep = "d/".repeat(300);
    repo.write(
        &format!("{deep}deep.py"),
        &format!("k = \"{}\"\n", stripe(51)),
    );
    let (findings, code, stderr) = run(&mut repo.cmd(), &[]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, &format!("{deep}deep.py"), 1, 6)])
    );
}

#[test]
fn symlinks_are_not_followed_in_the_tree_so_loops_cannot_hang() {
    let outside = TestRepo::dir();
    outside.write("outside.py", &format!("k = \"{}\"\n", stripe(61)));
    let repo = TestRepo::dir();
    repo.write("a/b/inside.py", &format!("k = \"{}\"\n", stripe(62)));
    let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, repo.path().join(at));
    link(Path::new("."), "self").unwrap();
    link(Path::new("../.."), "a/b/up").unwrap();
    link(Path::new("loop2"), "loop1").unwrap();
    link(Path::new("loop1"), "loop2").unwrap();
    link(&outside.path().join("outside.py"), "a/outside-file.py").unwrap();
    link(outside.path(), "outside-dir").unwrap();
    let (findings, code, stderr) = run(repo.cmd().timeout(Duration::from_secs(60)), &[]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(summary(&findings), rows(&[(STRIPE, "a/b/inside.py", 1, 6)]));
    // A symlink named on the command line is followed, like any path the user names.
    let (findings, code, _) = run(&mut repo.cmd(), &["a/outside-file.py"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[(STRIPE, "a/outside-file.py", 1, 6)])
    );
}

#[test]
fn fifos_and_device_files_are_never_opened() {
    let repo = TestRepo::dir();
    repo.write("ok.txt", "nothing to see\n");
    let mkfifo = std::process::Command::new("mkfifo")
        .arg(repo.path().join("pipe"))
        .status()
        .unwrap();
    assert!(mkfifo.success());
    // A character device like /dev/zero (needs CAP_MKNOD; without it only the FIFO is
    // tested): opened, it would read as an endless file and be counted as too large.
    let _ = std::process::Command::new("mknod")
        .arg(repo.path().join("zero"))
        .args(["c", "1", "5"])
        .stderr(std::process::Stdio::null())
        .status();
    // Opening the FIFO would block forever (nobody writes to it): the timeout turns a hang
    // into a failure.
    let (stdout, code, stderr) = human(&repo, &[]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(
        stdout.starts_with("No secrets found in 1 file ("),
        "{stdout}"
    );
    assert!(!stdout.contains("skipped"), "{stdout}");
}

/// Runs the binary as `nobody` when the tests run as root (root reads chmod-000 files).
fn as_unprivileged(repo: &TestRepo, args: &[&str]) -> (Vec<serde_json::Value>, i32, String) {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    let bin = assert_cmd::cargo::cargo_bin("scan-secrets");
    let mut cmd = if is_root {
        let mut c = assert_cmd::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        assert_cmd::Command::new(&bin)
    };
    cmd.current_dir(repo.path())
        .env("HOME", repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS");
    run(&mut cmd, args)
}

#[test]
fn unreadable_files_and_directories_are_reported_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::dir();
    let mode = |rel: &str, m: u32| {
        std::fs::set_permissions(repo.path().join(rel), std::fs::Permissions::from_mode(m)).unwrap()
    };
    // The temporary directory itself is private to its owner.
    mode(".", 0o755);
    repo.write("app.py", &format!("k = \"{}\"\n", stripe(71)));
    repo.write("locked.py", &format!("k = \"{}\"\n", stripe(72)));
    repo.write("private/inner.py", &format!("k = \"{}\"\n", stripe(73)));
    mode("locked.py", 0o000);
    mode("private", 0o000);
    let (findings, code, stderr) = as_unprivileged(&repo, &[]);
    mode("private", 0o755);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(summary(&findings), rows(&[(STRIPE, "app.py", 1, 6)]));
    let mut lines: Vec<&str> = stderr.lines().collect();
    lines.sort();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert_eq!(
        lines[0],
        "scan-secrets: locked.py: Permission denied (os error 13)"
    );
    assert_eq!(
        lines[1],
        "scan-secrets: private: Permission denied (os error 13)"
    );
}

#[test]
fn file_gone_before_it_is_read_is_an_error_naming_it() {
    // A file deleted between the listing and the read cannot be timed in a test; a dangling
    // symlink named on the command line takes the same path (listed, then `open` fails with
    // "not found"). Inside the tree, a dangling symlink is a symlink: never followed, no
    // error.
    let repo = TestRepo::dir();
    repo.write("app.py", &format!("k = \"{}\"\n", stripe(81)));
    std::os::unix::fs::symlink("deleted.py", repo.path().join("gone.py")).unwrap();
    let (findings, code, stderr) = run(&mut repo.cmd(), &["."]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(summary(&findings), rows(&[(STRIPE, "app.py", 1, 6)]));

    let (findings, code, stderr) = run(&mut repo.cmd(), &["app.py", "gone.py"]);
    assert_eq!(code, 2);
    assert_eq!(summary(&findings), rows(&[(STRIPE, "app.py", 1, 6)]));
    assert_eq!(
        stderr,
        "scan-secrets: gone.py: No such file or directory (os error 2)\n"
    );
}

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
fn non_utf8_file_names_are_reported_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let repo = TestRepo::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\xff.py");
    std::fs::write(repo.path().join(name), format!("k = \"{}\"\n", stripe(121))).unwrap();
    let lossy = "caf\u{FFFD}-\u{FFFD}.py";
    let (findings, code, stderr) = run(&mut repo.cmd(), &[]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(summary(&findings), rows(&[(STRIPE, lossy, 1, 6)]));

    repo.git(&["add", "-A"]);
    let (findings, code, _) = run(&mut repo.cmd(), &["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(summary(&findings), rows(&[(STRIPE, lossy, 1, 6)]));

    let head = repo.commit("odd name");
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--history"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        common::history_summary(&findings),
        common::history_rows(&[(STRIPE, lossy, 1, 6, &head)])
    );
}

#[test]
fn git_lfs_pointer_files_are_not_secrets() {
    let repo = TestRepo::new();
    let pointer = |hex_seed: u64, size: u64| {
        format!(
            "version https://git-lfs.github.com/spec/v1\noid sha256:{}\nsize {size}\n",
            fake("", common::HEX, 64, hex_seed)
        )
    };
    repo.write(
        ".gitattributes",
        "*.bin filter=lfs diff=lfs merge=lfs -text\n",
    );
    repo.write("model.bin", &pointer(131, 104_857_600));
    repo.write("assets/secret-key.bin", &pointer(132, 2048));
    repo.write("credentials.bin", &pointer(133, 99));
    let (findings, code, stderr) = run(&mut repo.cmd(), &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(summary(&findings), vec![]);
    repo.git(&["add", "-A"]);
    let (findings, code, _) = run(&mut repo.cmd(), &["--staged"]);
    assert_eq!((code, findings.len()), (0, 0));
    repo.commit("lfs");
    let (findings, code, stderr) = run(&mut repo.cmd(), &["--history"]);
    assert_eq!((code, stderr.as_str(), findings.len()), (0, "", 0));
}

#[test]
fn submodules_in_the_working_tree_are_entered_only_with_recurse_submodules() {
    let lib = TestRepo::new();
    lib.write("lib.py", &format!("k = \"{}\"\n", stripe(141)));
    lib.commit_all("lib");
    let repo = TestRepo::new();
    repo.write("app.py", &format!("k = \"{}\"\n", stripe(142)));
    repo.commit_all("app");
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        lib.path().to_str().unwrap(),
        "vendor/lib",
    ]);
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
    let blob = {
        let mut c = common::git_command(repo.path(), &["hash-object", "-w", "--stdin"], &[]);
        let mut child = c
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"print('hello')\n")
            .unwrap();
        let out = child.wait_with_output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let mut list = String::with_capacity(N * 70);
    for i in 0..N {
        list.push_str(&format!("100644 {blob}\tfiles/f{i:06}.py\n"));
    }
    let mut child = common::git_command(repo.path(), &["update-index", "--index-info"], &[])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(list.as_bytes())
            .unwrap();
    }
    assert!(child.wait().unwrap().success());
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
