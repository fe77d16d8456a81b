//! `install.sh` against fake releases served on loopback: the happy path, a checksum that does
//! not match (refused), a release without this platform's binary or no release at all (exit 3,
//! for callers to build from source), and an unknown platform.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::common::{platform, repo_root, shell};

const TARGET: &str = "x86_64-unknown-linux-musl";

/// Serves the files under `root` over HTTP on 127.0.0.1 (404 for anything else) until the
/// test process ends; returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            if BufReader::new(&stream).read_line(&mut request).is_err() {
                continue;
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let file = root.join(path.trim_start_matches('/'));
            let response = match std::fs::read(&file) {
                Ok(body) if !path.contains("..") => {
                    let mut r = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    r.extend(body);
                    r
                }
                _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    format!("http://{addr}/releases/download")
}

/// A release `v<version>` under `root`: an archive with a `scan-secrets` script that prints
/// `marker`, and SHA256SUMS (its hash replaced by `lie` when given).
fn release(root: &Path, version: &str, target: &str, marker: &str, lie: Option<&str>) {
    let dir = root.join("releases/download").join(format!("v{version}"));
    let stage = root
        .join("stage")
        .join(format!("scan-secrets-{version}-{target}"));
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let exe = stage.join("scan-secrets");
    std::fs::write(&exe, format!("#!/bin/sh\necho {marker}\n")).unwrap();
    let asset = format!("scan-secrets-{version}-{target}.tar.gz");
    let status = Command::new("tar")
        .arg("-czf")
        .arg(dir.join(&asset))
        .arg("-C")
        .arg(stage.parent().unwrap())
        .arg(stage.file_name().unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let hash = match lie {
        Some(h) => h.to_string(),
        None => format!(
            "{:x}",
            Sha256::digest(std::fs::read(dir.join(&asset)).unwrap())
        ),
    };
    let other = "0".repeat(64);
    std::fs::write(
        dir.join("SHA256SUMS"),
        format!("{other}  scan-secrets-{version}-aarch64-apple-darwin.tar.gz\n{hash}  {asset}\n"),
    )
    .unwrap();
}

struct Run {
    code: i32,
    stderr: String,
    installed: PathBuf,
}

fn install(base: &str, version: &str, platform: &str) -> Run {
    let to = tempfile::tempdir().unwrap().keep();
    let out = shell("sh")
        .arg(repo_root().join("install.sh"))
        .args(["--version", version, "--to"])
        .arg(&to)
        .env("SCAN_SECRETS_BASE_URL", base)
        .env("SCAN_SECRETS_PLATFORM", platform)
        .env("HOME", &to)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        installed: to.join("scan-secrets"),
    }
}

#[test]
fn installs_the_verified_binary_for_this_platform() {
    let root = tempfile::tempdir().unwrap();
    release(root.path(), "1.2.3", TARGET, "fake-1.2.3", None);
    let base = serve(root.path().to_path_buf());
    let run = install(&base, "v1.2.3", "Linux x86_64");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = Command::new(&run.installed).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "fake-1.2.3");
}

#[test]
fn a_checksum_mismatch_is_refused_and_nothing_is_installed() {
    let root = tempfile::tempdir().unwrap();
    release(
        root.path(),
        "1.2.3",
        TARGET,
        "tampered",
        Some(&"ab".repeat(32)),
    );
    let base = serve(root.path().to_path_buf());
    let run = install(&base, "1.2.3", "Linux x86_64");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("checksum mismatch") && run.stderr.contains("refusing to install"),
        "{}",
        run.stderr
    );
    assert!(!run.installed.exists());
}

#[test]
fn a_missing_asset_or_release_is_exit_3_for_a_source_build() {
    let root = tempfile::tempdir().unwrap();
    release(root.path(), "1.2.3", "x86_64-apple-darwin", "mac", None);
    let base = serve(root.path().to_path_buf());
    let run = install(&base, "1.2.3", "Linux x86_64");
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("no binary for {TARGET}")),
        "{}",
        run.stderr
    );
    let run = install(&base, "9.9.9", "Linux x86_64");
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("no release 9.9.9"), "{}", run.stderr);
    assert!(!run.installed.exists());
}

#[test]
fn an_unknown_platform_is_a_clear_error() {
    let run = install("http://127.0.0.1:9/none", "1.2.3", "Plan9 mips");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no prebuilt scan-secrets for Plan9 mips"),
        "{}",
        run.stderr
    );
}

/// Runs the Action's install step (`.github/scan-secrets-install.sh`) with a fake `cargo` on
/// PATH that records its arguments; returns (exit code, stdout + stderr, cargo's arguments or
/// "" when it was not run, the installed binary's path).
fn action_install(base: &str, version: &str, action_ref: &str) -> (i32, String, String, PathBuf) {
    let tmp = tempfile::tempdir().unwrap().keep();
    let fake_bin = tmp.join("fake-bin");
    std::fs::create_dir_all(&fake_bin).unwrap();
    let log = tmp.join("cargo.log");
    let cargo = fake_bin.join("cargo");
    std::fs::write(
        &cargo,
        format!("#!/bin/sh\necho \"$*\" > '{}'\n", log.display()),
    )
    .unwrap();
    platform::make_executable(&cargo);
    let root = tmp.join("root");
    let out = shell("bash")
        .arg(repo_root().join(".github/scan-secrets-install.sh"))
        .env("INPUT_VERSION", version)
        .env("ACTION_REF", action_ref)
        .env("ACTION_REPO", "example/scan-secrets")
        .env("ROOT", &root)
        .env("GITHUB_ACTION_PATH", repo_root())
        .env("SCAN_SECRETS_BASE_URL", base)
        .env("SCAN_SECRETS_PLATFORM", "Linux x86_64")
        .env(
            "PATH",
            format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap()),
        )
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let cargo_args = std::fs::read_to_string(&log).unwrap_or_default();
    (
        out.status.code().unwrap_or(-1),
        text,
        cargo_args,
        root.join("bin/scan-secrets"),
    )
}

#[test]
fn the_action_installs_its_tags_release_and_builds_only_without_one() {
    let root = tempfile::tempdir().unwrap();
    release(root.path(), "1.2.3", TARGET, "from-release", None);
    release(
        root.path(),
        "6.6.6",
        TARGET,
        "tampered",
        Some(&"cd".repeat(32)),
    );
    let base = serve(root.path().to_path_buf());

    // The action's own tag: the release binary, no build.
    let (code, log, cargo, bin) = action_install(&base, "", "v1.2.3");
    assert_eq!(code, 0, "{log}");
    assert_eq!(cargo, "");
    let out = Command::new(&bin).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "from-release");

    // A checksum mismatch fails the step, with no build to hide it.
    let (code, log, cargo, bin) = action_install(&base, "6.6.6", "v1.2.3");
    assert_eq!(code, 2, "{log}");
    assert!(log.contains("checksum mismatch"), "{log}");
    assert!(log.contains("not falling back"), "{log}");
    assert_eq!(cargo, "");
    assert!(!bin.exists());

    // No release for that version: built from the tag, and the log says so.
    let (code, log, cargo, _) = action_install(&base, "2.0.0", "v1.2.3");
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("::notice::no prebuilt scan-secrets 2.0.0"),
        "{log}"
    );
    assert!(
        cargo.starts_with("install --git https://github.com/example/scan-secrets --tag v2.0.0"),
        "{cargo}"
    );

    // A branch: the action's own checkout is built.
    let (code, log, cargo, _) = action_install(&base, "", "main");
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("is not a release version"), "{log}");
    assert!(cargo.starts_with("install --path "), "{cargo}");
}
