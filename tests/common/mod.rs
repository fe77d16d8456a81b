//! Test helpers: temporary directories and git repositories driven through the real binary.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

pub mod platform;

/// A temporary directory, optionally a git repository with an isolated configuration.
pub struct TestRepo {
    pub dir: TempDir,
}

impl TestRepo {
    /// A plain temporary directory.
    pub fn dir() -> Self {
        TestRepo {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A fresh `git init` with a fixed identity and no user or system config.
    pub fn new() -> Self {
        let repo = Self::dir();
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, &[])
    }

    /// The real binary, run in this directory, with colours and CI detection neutralised.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("scan-secrets").expect("binary built");
        c.current_dir(self.path())
            .env_remove("NO_COLOR")
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        c
    }

    /// Runs a JSON scan with `args` and returns the parsed findings and the exit code.
    pub fn scan_json(&self, args: &[&str]) -> (Vec<serde_json::Value>, i32) {
        run_json(self.cmd(), args, None)
    }
}

/// Expected `summary` rows.
#[allow(dead_code)]
pub fn rows(v: &[(&str, &str, u64, u64)]) -> Vec<(String, String, u64, u64)> {
    v.iter()
        .map(|(r, f, l, c)| (r.to_string(), f.to_string(), *l, *c))
        .collect()
}

/// `(rule, file, line, column)` of each finding, for exact assertions.
pub fn summary(findings: &[serde_json::Value]) -> Vec<(String, String, u64, u64)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[allow(dead_code)]
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A synthetic token: `prefix` + `len` characters of `alphabet`, deterministic in `seed`.
/// Tests build their secrets at run time so that no token-shaped literal sits in the sources.
pub fn fake(prefix: &str, alphabet: &str, len: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = String::from(prefix);
    for _ in 0..len {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push(chars[((x >> 33) % chars.len() as u64) as usize]);
    }
    out
}

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
pub const HEX: &str = "0123456789abcdef";
pub const UPPER32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A GitHub-format token (`ghp_`, `npm_`, ...) with a valid CRC32 checksum.
pub fn github_token(prefix: &str, seed: u64) -> String {
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let body = fake("", ALNUM, 30, seed);
    let mut n = crc32fast::hash(body.as_bytes());
    let mut check = [b'0'; 6];
    for slot in check.iter_mut().rev() {
        *slot = B62[(n % 62) as usize];
        n /= 62;
    }
    format!("{prefix}{body}{}", std::str::from_utf8(&check).unwrap())
}

/// 40 zeros: the id git's pre-push hook gives for "no such ref" (a new branch, a delete).
#[allow(dead_code)]
pub const ZERO_ID: &str = "0000000000000000000000000000000000000000";

/// Runs `git` in `dir` with the same isolated configuration and identity as `TestRepo::git`,
/// plus `env` (e.g. `GIT_AUTHOR_DATE`); panics if it fails; returns its stdout.
pub fn git_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = git_command(dir, args, env).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Like `git_in`, with `input` on git's stdin (`fast-import`, `update-index --index-info`,
/// `hash-object --stdin`).
pub fn git_stdin(dir: &Path, args: &[&str], input: &[u8]) -> String {
    use std::io::Write;
    let mut child = git_command(dir, args, &[])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `sh` or `bash`. On Windows, Git for Windows' own (next to the `git` on PATH), because
/// Windows looks in System32 before PATH, and `C:\Windows\System32\bash.exe` is WSL's.
pub fn shell(name: &str) -> StdCommand {
    if cfg!(windows) {
        let exec = StdCommand::new("git").arg("--exec-path").output();
        // <root>/mingw64/libexec/git-core -> <root>/bin/<name>.exe
        if let Ok(out) = exec {
            let exec_path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            if let Some(root) = exec_path.ancestors().nth(3) {
                let exe = root.join("bin").join(format!("{name}.exe"));
                if exe.is_file() {
                    return StdCommand::new(exe);
                }
            }
        }
    }
    StdCommand::new(name)
}

/// `git ARGS` in `dir` with no user or system config, `HOME` in `dir`, a fixed identity and
/// date, then `env` on top (e.g. another `GIT_AUTHOR_DATE`).
pub fn git_command(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> StdCommand {
    let mut c = StdCommand::new("git");
    c.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .env("GIT_AUTHOR_DATE", "2024-05-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-05-01T10:00:00Z");
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

impl TestRepo {
    /// `git` with extra environment variables (e.g. a commit date).
    pub fn git_env(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        git_in(self.path(), args, env)
    }

    /// `git add -- path`.
    pub fn stage(&self, path: &str) -> &Self {
        self.git(&["add", "--", path]);
        self
    }

    /// Commits the index as it is (allowing an empty commit); returns the new HEAD id.
    pub fn commit(&self, msg: &str) -> String {
        self.git(&["commit", "-q", "--allow-empty", "-m", msg]);
        self.head()
    }

    /// `git add -A`, then commits; returns the new HEAD id.
    pub fn commit_all(&self, msg: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit(msg)
    }

    /// `git add -A`, then commits with author and committer date `date`
    /// (e.g. `2024-05-02T10:00:00Z`); returns the new HEAD id.
    pub fn commit_all_at(&self, msg: &str, date: &str) -> String {
        self.git(&["add", "-A"]);
        self.git_env(
            &["commit", "-q", "--allow-empty", "-m", msg],
            &[("GIT_AUTHOR_DATE", date), ("GIT_COMMITTER_DATE", date)],
        );
        self.head()
    }

    /// `git submodule add` of the local repository `other` at `path` (file transport allowed
    /// for this one command).
    pub fn add_submodule(&self, other: &TestRepo, path: &str) {
        self.git(&[
            "-c",
            "protocol.file.allow=always",
            "submodule",
            "add",
            "-q",
            other.path().to_str().unwrap(),
            path,
        ]);
    }

    /// The full id of HEAD.
    pub fn head(&self) -> String {
        self.rev("HEAD")
    }

    /// The full id `rev` resolves to.
    pub fn rev(&self, rev: &str) -> String {
        self.git(&["rev-parse", "--verify", "-q", rev])
            .trim()
            .to_string()
    }

    /// Like `scan_json`, with the binary run in `dir` instead of this directory.
    pub fn scan_json_in(&self, dir: &Path, args: &[&str]) -> (Vec<serde_json::Value>, i32) {
        let mut c = self.cmd();
        c.current_dir(dir);
        run_json(c, args, None)
    }

    /// Like `scan_json`, with extra environment variables.
    pub fn scan_json_env(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> (Vec<serde_json::Value>, i32) {
        let mut c = self.cmd();
        for (k, v) in env {
            c.env(k, v);
        }
        run_json(c, args, None)
    }

    /// Like `scan_json`, with `stdin` fed to the binary.
    pub fn scan_json_stdin(&self, args: &[&str], stdin: &str) -> (Vec<serde_json::Value>, i32) {
        run_json(self.cmd(), args, Some(stdin))
    }
}

fn run_json(mut c: Command, args: &[&str], stdin: Option<&str>) -> (Vec<serde_json::Value>, i32) {
    c.args(["--format", "json"]).args(args);
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    let out = c.output().unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code != 2,
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (v.as_array().unwrap().clone(), code)
}

/// `(rule, file, line, column, commit)` of each history finding, for exact assertions.
#[allow(dead_code)]
pub fn history_summary(findings: &[serde_json::Value]) -> Vec<(String, String, u64, u64, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["commit"].as_str().unwrap_or("<no commit>").to_string(),
            )
        })
        .collect()
}

/// Rule ids the git-mode tests plant.
pub const GH: &str = "github-pat-classic";
pub const STRIPE: &str = "stripe-secret-key";

/// Expected `(rule, file, line, column, commit)` rows, compared with `history_summary`.
#[allow(dead_code)]
pub fn history_rows(v: &[(&str, &str, u64, u64, &str)]) -> Vec<(String, String, u64, u64, String)> {
    v.iter()
        .map(|(r, f, l, c, id)| (r.to_string(), f.to_string(), *l, *c, id.to_string()))
        .collect()
}

/// `GITHUB_TOKEN=<token>` on line 1: the token is at column 14.
#[allow(dead_code)]
pub fn env_with(token: &str) -> String {
    format!("GITHUB_TOKEN={token}\n")
}

/// `STRIPE_SECRET_KEY=<sk_live_...>` on line 1: the key is at column 19.
#[allow(dead_code)]
pub fn stripe_env(seed: u64) -> String {
    format!("STRIPE_SECRET_KEY={}\n", fake("sk_live_", ALNUM, 32, seed))
}

/// `2024-05-<d>T10:00:00Z`, a commit date.
#[allow(dead_code)]
pub fn day(d: u32) -> String {
    format!("2024-05-{d:02}T10:00:00Z")
}

/// Standard base64 with padding, for fixtures built at run time.
#[allow(dead_code)]
pub fn base64(s: &str) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in s.as_bytes().chunks(3) {
        let n = chunk.iter().fold(0u32, |a, &b| a << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
        for k in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}
