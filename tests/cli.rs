//! Exit codes, error messages and the non-scanning subcommands.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::{github_token, TestRepo};

#[test]
fn exit_codes_clean_findings_error() {
    let repo = TestRepo::dir();
    repo.write("a.txt", "nothing to see\n");
    repo.cmd().arg(".").assert().code(0);
    repo.write("b.txt", &format!("{}\n", github_token("ghp_", 1)));
    repo.cmd().arg(".").assert().code(1);
    let out = repo.cmd().arg("does-not-exist").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "scan-secrets: error: does-not-exist: no such file or directory\n"
    );
}

#[test]
fn timeout_stops_any_scan_and_says_which_way_it_went() {
    // 8 MiB of text: far more than 1 ms of work, even for a release build.
    let repo = TestRepo::dir();
    let line = "let value = compute(alpha, beta, gamma); // a plain line of code\n";
    repo.write("big.rs", &line.repeat((8 << 20) / line.len()));
    let out = repo.cmd().args([".", "--timeout", "1ms"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "scan-secrets: the scan did not finish within 0.001s: stopped (--on-timeout reject)\n"
    );
    let out = repo
        .cmd()
        .args([".", "--timeout", "1ms", "--on-timeout", "accept"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOT everything was scanned"));
    // Time enough: the scan ends as usual.
    repo.cmd().args([".", "--timeout", "5m"]).assert().code(0);
    let bad = repo
        .cmd()
        .args([".", "--timeout", "soon"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn bad_flag_is_a_usage_error_with_exit_2() {
    let repo = TestRepo::dir();
    let out = repo.cmd().args(["--format", "xml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'xml' for '--format"));
    let out = repo
        .cmd()
        .args(["--max-file-size", "ten"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a size"));
}

#[test]
fn broken_pipe_exits_quietly() {
    let repo = TestRepo::dir();
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!("k{i} = {}\n", github_token("ghp_", i)));
    }
    repo.write("many.txt", &text);
    let bin = assert_cmd::cargo::cargo_bin("scan-secrets");
    let mut child = Command::new(bin)
        .args([".", "--format", "jsonl"])
        .current_dir(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{:?}",
        out.status
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn rules_lists_every_rule() {
    let out = TestRepo::dir()
        .cmd()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"openai-project-key"));
    assert!(ids.contains(&"github-pat-classic"));
    assert!(ids.contains(&"generic-password"));
    assert!(ids.len() >= 100, "{}", ids.len());
}

#[test]
fn rotate_prints_one_guide_or_the_list() {
    let repo = TestRepo::dir();
    let out = repo.cmd().args(["rotate", "openai"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("How to rotate: OpenAI\n"), "{text}");
    assert!(text.contains("Revoke: https://platform.openai.com/api-keys"));
    assert!(text.contains("OPENAI_API_KEY"));
    assert!(text.contains("git history"));
    let list = repo.cmd().arg("rotate").output().unwrap();
    assert!(String::from_utf8(list.stdout).unwrap().lines().count() >= 45);
    let bad = repo.cmd().args(["rotate", "nosuch"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown provider \"nosuch\""));
}

/// Runs `program args` under `strace -f -e trace=%network` in `dir` and returns the exit code
/// and the traced network calls.
fn network_calls(dir: &std::path::Path, program: &str, args: &[&str]) -> (Option<i32>, String) {
    let trace = dir.join("strace.out");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(&trace)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("strace is installed (the no-network test needs it)");
    let calls = std::fs::read_to_string(&trace).unwrap_or_default();
    std::fs::remove_file(&trace).ok();
    (status.code(), calls)
}

#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "strace is Linux-only")]
fn scans_make_no_network_calls() {
    let repo = TestRepo::new();
    repo.write("a.txt", "nothing\n");
    repo.commit_all("one");
    repo.write("b.txt", &format!("{}\n", github_token("ghp_", 5)));
    repo.commit_all("two");
    repo.write("c.txt", &format!("{}\n", github_token("ghp_", 6)));
    repo.stage("c.txt");
    // The tracing works: git reaching for a server is caught.
    let (_, calls) = network_calls(
        repo.path(),
        "git",
        &["ls-remote", "http://127.0.0.1:9/nothing.git"],
    );
    assert!(
        calls.contains("connect("),
        "strace saw no network call: {calls:?}"
    );

    let bin = assert_cmd::cargo::cargo_bin("scan-secrets");
    let bin = bin.to_str().unwrap();
    for args in [
        &["."][..],
        &["--staged"],
        &["--history"],
        &["--since", "HEAD~1"],
        &["--history", "--format", "sarif"],
    ] {
        let (code, calls) = network_calls(repo.path(), bin, args);
        assert_eq!(code, Some(1), "{args:?}");
        assert_eq!(calls, "", "{args:?} made network calls");
    }
}
