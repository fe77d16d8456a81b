//! The bad input matrix (issue 6): odd encodings, odd files, odd trees and damaged
//! repositories, each through the real binary with its exit code and message. Already covered
//! elsewhere: binary and oversized files (worktree.rs), a corrupt pack, bare and shallow clones
//! (history.rs), a submodule entry in the index and `--staged` outside a repository
//! (staged.rs).

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use crate::common::{self, fake, platform, rows, summary, TestRepo, ALNUM, STRIPE};

pub(crate) fn stripe(seed: u64) -> String {
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
pub(crate) fn run(
    cmd: &mut assert_cmd::Command,
    args: &[&str],
) -> (Vec<serde_json::Value>, i32, String) {
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
pub(crate) fn human(repo: &TestRepo, args: &[&str]) -> (String, i32, String) {
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
#[cfg_attr(
    windows,
    ignore = "symlinks need administrator rights or developer mode on Windows"
)]
fn symlinks_are_not_followed_in_the_tree_so_loops_cannot_hang() {
    let outside = TestRepo::dir();
    outside.write("outside.py", &format!("k = \"{}\"\n", stripe(61)));
    let repo = TestRepo::dir();
    repo.write("a/b/inside.py", &format!("k = \"{}\"\n", stripe(62)));
    let link = |target: &Path, at: &str| platform::symlink(target, &repo.path().join(at));
    link(Path::new("."), "self");
    link(Path::new("../.."), "a/b/up");
    link(Path::new("loop2"), "loop1");
    link(Path::new("loop1"), "loop2");
    link(&outside.path().join("outside.py"), "a/outside-file.py");
    link(outside.path(), "outside-dir");
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
#[cfg_attr(windows, ignore = "FIFOs and device files (mkfifo, mknod) are Unix")]
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
#[cfg_attr(windows, ignore = "Unix permission bits: Windows has no mode 000")]
fn unreadable_files_and_directories_are_reported_and_the_scan_goes_on() {
    let repo = TestRepo::dir();
    let mode = |rel: &str, m: u32| platform::set_mode(&repo.path().join(rel), m);
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
#[cfg_attr(
    windows,
    ignore = "symlinks need administrator rights or developer mode on Windows"
)]
fn file_gone_before_it_is_read_is_an_error_naming_it() {
    // A file deleted between the listing and the read cannot be timed in a test; a dangling
    // symlink named on the command line takes the same path (listed, then `open` fails with
    // "not found"). Inside the tree, a dangling symlink is a symlink: never followed, no
    // error.
    let repo = TestRepo::dir();
    repo.write("app.py", &format!("k = \"{}\"\n", stripe(81)));
    platform::symlink(Path::new("deleted.py"), &repo.path().join("gone.py"));
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
#[cfg_attr(
    windows,
    ignore = "Windows file names are UTF-16: no name is invalid UTF-8 bytes"
)]
fn non_utf8_file_names_are_reported_lossily() {
    let repo = TestRepo::new();
    let name = platform::file_name(b"caf\xe9-\xff.py");
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
