//! Crafted packs whose headers lie about sizes (issue 14): a history scan must report the
//! object, go on with the others, end with exit 2, and never allocate what a header declares.
//!
//! Each repository has two files in one commit: `config.py` with a synthetic token, and
//! `notes.txt`, about 100 bytes, whose blob is only in a pack written here by hand (git's own
//! tools refuse such packs), with its index. Everything else stays loose.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{github_token, TestRepo, GH};

/// What the crafted header declares: 1.5 GiB.
const LIE: u64 = 1_610_612_736;

/// Peak resident memory allowed to a scan of these tiny repositories.
const MAX_RSS: u64 = 200 << 20;

const BLOB: u8 = 3;
const OFS_DELTA: u8 = 6;

#[derive(Clone, Copy, PartialEq)]
enum Lie {
    /// The blob itself, stored whole, declares `LIE` bytes.
    Blob,
    /// The blob is a delta whose entry header declares `LIE` bytes of delta instructions.
    DeltaEntry,
    /// The blob is a delta whose delta header declares a `LIE`-byte result.
    DeltaResult,
    /// The blob is an honest delta on a base whose entry header declares `LIE` bytes.
    Base,
}

fn notes() -> Vec<u8> {
    b"Meeting notes: the release moves to Thursday; nobody objected; the changelog is ready.\n"
        .to_vec()
}

/// A zlib stream of stored (uncompressed) blocks.
fn zlib(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = gix::zlib::stream::deflate::Write::new(Vec::new(), gix::zlib::Compression::NONE);
    z.write_all(data).unwrap();
    z.flush().unwrap();
    z.into_inner()
}

/// A pack entry header: type and size.
fn entry_header(kind: u8, mut size: u64) -> Vec<u8> {
    let mut out = vec![(kind << 4) | (size & 0x0f) as u8];
    size >>= 4;
    while size > 0 {
        *out.last_mut().unwrap() |= 0x80;
        out.push((size & 0x7f) as u8);
        size >>= 7;
    }
    out
}

/// An ofs-delta's distance back to its base.
fn ofs(mut distance: u64) -> Vec<u8> {
    let mut out = vec![(distance & 0x7f) as u8];
    distance >>= 7;
    while distance > 0 {
        distance -= 1;
        out.insert(0, 0x80 | (distance & 0x7f) as u8);
        distance >>= 7;
    }
    out
}

/// A delta header's size: little-endian base 128.
fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n & 0x7f) as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A delta that rebuilds `target` from `base_len` bytes with inserts only; its header declares
/// a result of `declared` bytes.
fn delta(base_len: usize, target: &[u8], declared: u64) -> Vec<u8> {
    let mut out = Vec::new();
    varint(base_len as u64, &mut out);
    varint(declared, &mut out);
    for chunk in target.chunks(127) {
        out.push(chunk.len() as u8);
        out.extend_from_slice(chunk);
    }
    out
}

fn sha1(bytes: &[u8]) -> Vec<u8> {
    let mut h = gix::hash::hasher(gix::hash::Kind::Sha1);
    h.update(bytes);
    h.try_finalize().unwrap().as_bytes().to_vec()
}

fn hex_id(hex: &str) -> Vec<u8> {
    (0..40)
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Writes `entries` (object id, raw entry bytes), in that order, as a pack and its version 2
/// index into `repo`'s object store.
fn write_pack(repo: &TestRepo, entries: &[(Vec<u8>, Vec<u8>)]) {
    let mut pack = b"PACK".to_vec();
    pack.extend_from_slice(&2u32.to_be_bytes());
    pack.extend_from_slice(&(entries.len() as u32).to_be_bytes());
    let mut rows = Vec::new();
    for (id, raw) in entries {
        rows.push((id.clone(), crc32fast::hash(raw), pack.len() as u32));
        pack.extend_from_slice(raw);
    }
    let checksum = sha1(&pack);
    pack.extend_from_slice(&checksum);
    rows.sort();
    let mut idx = vec![0xff, b't', b'O', b'c', 0, 0, 0, 2];
    for byte in 0..=255u8 {
        let n = rows.iter().filter(|(id, _, _)| id[0] <= byte).count() as u32;
        idx.extend_from_slice(&n.to_be_bytes());
    }
    for (id, _, _) in &rows {
        idx.extend_from_slice(id);
    }
    for (_, crc, _) in &rows {
        idx.extend_from_slice(&crc.to_be_bytes());
    }
    for (_, _, offset) in &rows {
        idx.extend_from_slice(&offset.to_be_bytes());
    }
    idx.extend_from_slice(&checksum);
    let idx_sum = sha1(&idx);
    idx.extend_from_slice(&idx_sum);
    let name: String = checksum.iter().map(|b| format!("{b:02x}")).collect();
    let dir = repo.path().join(".git/objects/pack");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("pack-{name}.pack")), pack).unwrap();
    std::fs::write(dir.join(format!("pack-{name}.idx")), idx).unwrap();
}

/// A repository whose `notes.txt` blob is stored as `lie` describes.
fn crafted(lie: Lie) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "config.py",
        &format!("TOKEN = \"{}\"\n", github_token("ghp_", 1401)),
    );
    repo.write_bytes("notes.txt", &notes());
    repo.commit_all("two files");
    let id = repo
        .git(&["rev-parse", "HEAD:notes.txt"])
        .trim()
        .to_string();
    std::fs::remove_file(
        repo.path()
            .join(".git/objects")
            .join(&id[..2])
            .join(&id[2..]),
    )
    .unwrap();
    let target = notes();
    // A delta base: another text, in the pack only.
    let base = b"Meeting notes: the release moves to Friday.\n".to_vec();
    let base_id = {
        let path = repo.dir.path().join("base.tmp");
        std::fs::write(&path, &base).unwrap();
        let hex = repo.git(&["hash-object", "base.tmp"]);
        std::fs::remove_file(path).unwrap();
        hex_id(hex.trim())
    };
    let whole = |size: u64, data: &[u8]| [entry_header(BLOB, size), zlib(data)].concat();
    let on_base = |entry_size: Option<u64>, declared: u64, base_raw: &[u8]| {
        let d = delta(base.len(), &target, declared);
        let size = entry_size.unwrap_or(d.len() as u64);
        [
            entry_header(OFS_DELTA, size),
            ofs(base_raw.len() as u64),
            zlib(&d),
        ]
        .concat()
    };
    let entries = match lie {
        Lie::Blob => vec![(hex_id(&id), whole(LIE, &target))],
        Lie::DeltaEntry | Lie::DeltaResult | Lie::Base => {
            let base_raw = if lie == Lie::Base {
                whole(LIE, &base)
            } else {
                whole(base.len() as u64, &base)
            };
            let delta_raw = match lie {
                Lie::DeltaEntry => on_base(Some(LIE), target.len() as u64, &base_raw),
                Lie::DeltaResult => on_base(None, LIE, &base_raw),
                _ => on_base(None, target.len() as u64, &base_raw),
            };
            vec![(base_id, base_raw), (hex_id(&id), delta_raw)]
        }
    };
    write_pack(&repo, &entries);
    repo
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory of the scan, in bytes (`None` where not measured).
    max_rss: Option<u64>,
}

/// Runs the binary on `repo` with `args` and `SCAN_SECRETS_HISTORY_ORDER=order`, measuring
/// its own peak RSS (`wait4`, not `RUSAGE_CHILDREN`: tests run in parallel in this process).
fn run(repo: &TestRepo, args: &[&str], order: &str) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (out_dir.path().join("out"), out_dir.path().join("err"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scan-secrets"));
    cmd.args(args)
        .current_dir(repo.path())
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env("SCAN_SECRETS_HISTORY_ORDER", order)
        .env("HOME", repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap());
    let child = cmd.spawn().expect("binary runs");
    let (code, max_rss) = wait(child);
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    Run {
        code,
        stdout: read(&out_path),
        stderr: read(&err_path),
        max_rss,
    }
}

#[cfg(unix)]
fn wait(child: std::process::Child) -> (Option<i32>, Option<u64>) {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain FFI calls on this test's own child, with valid out-pointers; the `Child`
    // is dropped without being waited on again.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4: {}", std::io::Error::last_os_error());
    drop(child);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    // Kilobytes on Linux, bytes on macOS.
    let unit = if cfg!(target_os = "macos") { 1 } else { 1024 };
    (code, Some(usage.ru_maxrss as u64 * unit))
}

#[cfg(not(unix))]
fn wait(mut child: std::process::Child) -> (Option<i32>, Option<u64>) {
    eprintln!("peak RSS not measured: wait4 is Unix-only (the exit status and findings are)");
    (child.wait().unwrap().code(), None)
}

/// Exit 2, the lying object reported on stderr (with every string of `expect`), the token in
/// the other file still found, and the scan's peak RSS under `MAX_RSS`; in both history
/// orders.
fn check(lie: Lie, args: &[&str], expect: &[&str]) {
    let repo = crafted(lie);
    for order in ["path", "pack"] {
        let mut all = vec!["--history", "--format", "json"];
        all.extend_from_slice(args);
        let r = run(&repo, &all, order);
        let label = format!("{order} order, stderr:\n{}", r.stderr);
        // Shown with --nocapture.
        eprintln!(
            "{order}: exit {:?}, peak RSS {:?} bytes; {}",
            r.code, r.max_rss, r.stderr
        );
        assert_eq!(r.code, Some(2), "{label}");
        assert!(!r.stderr.contains("panic"), "{label}");
        assert!(r.stderr.contains("notes.txt"), "{label}");
        for e in expect {
            assert!(r.stderr.contains(e), "expected {e:?}; {label}");
        }
        let findings: Vec<serde_json::Value> = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}; {label}", r.stdout));
        assert!(
            findings
                .iter()
                .any(|f| f["rule"] == GH && f["file"] == "config.py"),
            "token in config.py not found: {findings:?}; {label}"
        );
        if let Some(rss) = r.max_rss {
            assert!(rss < MAX_RSS, "peak RSS {} MiB; {label}", rss >> 20);
        }
    }
}

#[test]
fn blob_declaring_1_5_gib_is_an_error_without_the_allocation() {
    // Over the default --max-file-size the blob is skipped on its header alone (nothing to
    // allocate); with a limit above the lie it is read, and found to lie.
    check(
        Lie::Blob,
        &["--max-file-size", "2G"],
        &["declares 1610612736 bytes"],
    );
}

#[test]
fn delta_declaring_1_5_gib_of_instructions_is_an_error_without_the_allocation() {
    check(Lie::DeltaEntry, &[], &["declares 1610612736 bytes"]);
}

#[test]
fn delta_declaring_a_1_5_gib_result_is_an_error_without_the_allocation() {
    check(
        Lie::DeltaResult,
        &["--max-file-size", "2G"],
        &["1610612736"],
    );
}

#[test]
fn delta_base_declaring_1_5_gib_is_an_error_without_the_allocation() {
    check(Lie::Base, &[], &["declares 1610612736 bytes"]);
}
