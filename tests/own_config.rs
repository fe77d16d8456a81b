//! A change cannot silence its own scan: range, `--since` and pre-push scans read
//! `.scan-secrets.toml` and the baseline at the change's base, say when the change modifies
//! them, and list what the change's own configuration, baseline or inline markers would hide
//! as "suppressed by this change".

use crate::common::{
    day, fake, history_rows as rows, history_summary, stripe_env, TestRepo, ALNUM, STRIPE, ZERO_ID,
};

/// The Stripe key `stripe_env(seed)` holds, and how the scanner redacts it.
fn stripe_key(seed: u64) -> (String, String) {
    let key = fake("sk_live_", ALNUM, 32, seed);
    let redacted = format!("{}…{}", &key[..10], &key[key.len() - 2..]);
    (key, redacted)
}

struct Scan {
    findings: Vec<serde_json::Value>,
    code: i32,
    stderr: String,
}

/// A JSON scan with `args` (and `stdin`), whatever its exit code.
fn scan(repo: &TestRepo, args: &[&str], stdin: Option<&str>) -> Scan {
    let mut c = repo.cmd();
    c.args(["--format", "json"]).args(args);
    if let Some(s) = stdin {
        c.write_stdin(s.to_string());
    }
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let findings = match serde_json::from_slice::<serde_json::Value>(&out.stdout) {
        Ok(v) => v.as_array().unwrap().clone(),
        Err(_) => Vec::new(),
    };
    Scan {
        findings,
        code: out.status.code().unwrap(),
        stderr,
    }
}

impl Scan {
    /// The `scan-secrets: note: ` lines of stderr, without the prefix.
    fn notes(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("scan-secrets: note: "))
            .collect()
    }
}

/// Scans with `args` and checks that the key of `pay.env`, added at `tip`, is reported alone
/// (exit 1).
fn reports_key(repo: &TestRepo, args: &[&str], stdin: Option<&str>, tip: &str) -> Scan {
    let s = scan(repo, args, stdin);
    assert_eq!(s.code, 1, "{args:?}: {}", s.stderr);
    assert_eq!(
        history_summary(&s.findings),
        rows(&[(STRIPE, "pay.env", 1, 19, tip)]),
        "{args:?}"
    );
    s
}

/// A repository with a clean first commit; returns it and that commit.
fn repo_with_base(config: Option<&str>) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    if let Some(c) = config {
        repo.write(".scan-secrets.toml", c);
    }
    let base = repo.commit_all_at("initial", &day(1));
    (repo, base)
}

/// Adds `pay.env` with a Stripe key (seed) and `files`, in one commit; returns its id.
fn add_key_with(repo: &TestRepo, seed: u64, files: &[(&str, &str)]) -> String {
    repo.write("pay.env", &stripe_env(seed));
    for (path, text) in files {
        repo.write(path, text);
    }
    repo.commit_all_at("payments", &day(2))
}

const DISABLE: &str = "disable = [\"stripe-secret-key\"]\n";
const ALLOW_PAY: &str = "[allow]\npaths = [\"pay.env\"]\n";

#[test]
fn a_config_added_by_the_range_does_not_silence_it() {
    let (repo, base) = repo_with_base(None);
    let head = add_key_with(&repo, 401, &[(".scan-secrets.toml", DISABLE)]);
    let (key, redacted) = stripe_key(401);

    let s = reports_key(&repo, &["--range", &format!("{base}..{head}")], None, &head);
    assert_eq!(
        s.notes(),
        [
            format!("the scanned commits change .scan-secrets.toml (added); the scan uses the defaults: commit {}, outside the change, has none", &base[..7]),
            "1 finding suppressed by this change, listed for review: 1 reported, as a change's own configuration and baseline do not apply to its own scan".into(),
            format!("suppressed by this change: stripe-secret-key at pay.env:1 (commit {}) {redacted}: its .scan-secrets.toml turns the rule off; reported", &head[..7]),
        ]
    );
    assert!(!s.stderr.contains(&key), "{}", s.stderr);
    // The working tree is still scanned with the file on disk, as before.
    let (findings, _) = repo.scan_json(&[]);
    assert!(findings.iter().all(|f| f["rule"] != STRIPE), "{findings:?}");
}

#[test]
fn a_baseline_entry_added_by_the_range_does_not_silence_it() {
    let config = "baseline = \".scan-secrets-baseline.json\"\n";
    let repo = TestRepo::new();
    repo.write("README.md", "# demo\n");
    repo.write(".scan-secrets.toml", config);
    repo.cmd().args(["baseline"]).assert().success();
    let base = repo.commit_all_at("initial, empty baseline", &day(1));
    // The change adds the key and records it in the baseline.
    repo.write("pay.env", &stripe_env(402));
    repo.cmd().args(["baseline"]).assert().success();
    let head = repo.commit_all_at("payments", &day(2));
    let (_, redacted) = stripe_key(402);
    // A working-tree scan honours the baseline on disk.
    assert_eq!(repo.scan_json(&[]), (vec![], 0));

    let s = reports_key(&repo, &["--range", &format!("{base}..{head}")], None, &head);
    let short = &base[..7];
    assert_eq!(
        s.notes(),
        [
            format!("the scanned commits change .scan-secrets-baseline.json (modified); the scan uses .scan-secrets-baseline.json at commit {short}"),
            "1 finding suppressed by this change, listed for review: 1 reported, as a change's own configuration and baseline do not apply to its own scan".into(),
            format!("suppressed by this change: stripe-secret-key at pay.env:1 (commit {}) {redacted}: listed in its baseline .scan-secrets-baseline.json; reported", &head[..7]),
        ]
    );
}

#[test]
fn an_allow_path_added_by_the_range_does_not_silence_it() {
    let (repo, base) = repo_with_base(Some("[allow]\npaths = [\"docs\"]\n"));
    let allow = "[allow]\npaths = [\"docs\", \"pay.env\"]\n";
    let head = add_key_with(&repo, 403, &[(".scan-secrets.toml", allow)]);
    let (_, redacted) = stripe_key(403);

    let s = reports_key(&repo, &["--range", &format!("{base}..{head}")], None, &head);
    assert_eq!(
        s.notes()[0],
        format!("the scanned commits change .scan-secrets.toml (modified); the scan uses it as it is at commit {}, outside the change", &base[..7])
    );
    assert_eq!(
        s.notes()[2],
        format!("suppressed by this change: stripe-secret-key at pay.env:1 (commit {}) {redacted}: allowlisted path in its .scan-secrets.toml; reported", &head[..7])
    );
}

#[test]
fn an_inline_marker_added_by_the_range_hides_the_finding_but_lists_it() {
    let (repo, base) = repo_with_base(None);
    let (key, redacted) = stripe_key(404);
    repo.write(
        "pay.env",
        &format!("STRIPE_SECRET_KEY={key} # scan-secrets:allow\n"),
    );
    let head = repo.commit_all_at("payments, marked", &day(2));

    let s = scan(&repo, &["--range", &format!("{base}..{head}")], None);
    assert_eq!((s.findings.len(), s.code), (0, 0), "{}", s.stderr);
    assert_eq!(
        s.notes(),
        [
            "1 finding suppressed by this change, listed for review: 1 not reported, hidden by inline markers it adds".to_string(),
            format!("suppressed by this change: stripe-secret-key at pay.env:1 (commit {}) {redacted}: an inline marker on a line it adds; not reported", &head[..7]),
        ]
    );
    assert!(!s.stderr.contains(&key), "{}", s.stderr);
    // A staged scan of the same line is quiet, as before: it reviews no change.
    repo.write(
        "other.env",
        &format!("STRIPE_SECRET_KEY={key} # scan-secrets:allow\n"),
    );
    repo.stage("other.env");
    let s = scan(&repo, &["--staged"], None);
    assert_eq!((s.findings.len(), s.code), (0, 0), "{}", s.stderr);
    assert!(s.notes().is_empty(), "{}", s.stderr);
}

#[test]
fn config_on_the_command_line_still_wins() {
    let (repo, base) = repo_with_base(None);
    let head = add_key_with(&repo, 405, &[(".scan-secrets.toml", DISABLE)]);
    let outside = TestRepo::dir();
    outside.write("ci.toml", ALLOW_PAY);
    let ci = outside.path().join("ci.toml");
    let ci = ci.to_str().unwrap();

    let s = scan(
        &repo,
        &["--range", &format!("{base}..{head}"), "--config", ci],
        None,
    );
    assert_eq!((s.findings.len(), s.code), (0, 0), "{}", s.stderr);
    assert_eq!(
        s.notes(),
        [format!(
            "the scanned commits change .scan-secrets.toml (added); the scan uses --config {ci}"
        )]
    );
}

#[test]
fn the_config_at_the_base_is_honoured_and_cannot_be_undone_by_the_change() {
    let (repo, base) = repo_with_base(Some(ALLOW_PAY));
    repo.write("pay.env", &stripe_env(406));
    let quiet = repo.commit_all_at("payments", &day(2));
    let s = scan(&repo, &["--range", &format!("{base}..{quiet}")], None);
    assert_eq!((s.findings.len(), s.code), (0, 0), "{}", s.stderr);
    assert!(s.notes().is_empty(), "{}", s.stderr);

    // Taking the path off the allowlist inside the change does not apply to the change
    // either.
    repo.write(".scan-secrets.toml", "[allow]\npaths = []\n");
    let head = repo.commit_all_at("enable stripe", &day(3));
    let s = scan(&repo, &["--range", &format!("{base}..{head}")], None);
    assert_eq!((s.findings.len(), s.code), (0, 0), "{}", s.stderr);
    assert_eq!(
        s.notes(),
        [format!("the scanned commits change .scan-secrets.toml (modified); the scan uses it as it is at commit {}, outside the change", &base[..7])]
    );
}

#[test]
fn since_reads_the_config_at_the_merge_base() {
    let (repo, _) = repo_with_base(None);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let head = add_key_with(&repo, 407, &[(".scan-secrets.toml", DISABLE)]);
    // main moves on after the fork: the merge base is still the first commit.
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.txt", "later\n");
    repo.commit_all_at("later on main", &day(3));
    repo.git(&["checkout", "-q", "feature"]);

    let s = reports_key(&repo, &["--since", "main"], None, &head);
    assert!(
        s.notes()[0].starts_with("the scanned commits change .scan-secrets.toml (added)"),
        "{}",
        s.stderr
    );
}

/// A work repository whose `origin` (a bare repository) has `main` with `config`.
fn pushed_repo(config: Option<&str>) -> (TestRepo, TestRepo, String) {
    let origin = TestRepo::dir();
    origin.git(&["init", "-q", "--bare", "-b", "main"]);
    let (repo, pushed) = repo_with_base(config);
    repo.git(&["remote", "add", "origin", origin.path().to_str().unwrap()]);
    repo.git(&["push", "-q", "origin", "main"]);
    (repo, origin, pushed)
}

#[test]
fn pre_push_reads_the_config_on_the_remote_side() {
    let (repo, _origin, pushed) = pushed_repo(None);
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let tip = add_key_with(&repo, 408, &[(".scan-secrets.toml", DISABLE)]);

    // A new branch: its base is where it leaves the remote-tracking refs.
    let new = format!("refs/heads/feature {tip} refs/heads/feature {ZERO_ID}\n");
    // An update: its base is the remote's commit.
    let update = format!("refs/heads/main {tip} refs/heads/main {pushed}\n");
    for stdin in [new, update] {
        let s = reports_key(&repo, &["--pre-push"], Some(&stdin), &tip);
        assert_eq!(
            s.notes()[0],
            format!("the scanned commits change .scan-secrets.toml (added); the scan uses the defaults: commit {}, outside the change, has none", &pushed[..7]),
            "{stdin}"
        );
    }
}

#[test]
fn a_first_push_uses_no_repository_config() {
    let repo = TestRepo::new();
    repo.write(".scan-secrets.toml", DISABLE);
    repo.write("pay.env", &stripe_env(409));
    let tip = repo.commit_all_at("everything at once", &day(1));
    let stdin = format!("refs/heads/main {tip} refs/heads/main {ZERO_ID}\n");

    let s = reports_key(&repo, &["--pre-push"], Some(&stdin), &tip);
    assert_eq!(
        s.notes()[0],
        "the scanned commits change .scan-secrets.toml (added); the scan uses the defaults: no commit outside the change has one"
    );
}

#[test]
fn an_invalid_config_in_the_change_is_a_note_and_one_at_the_base_an_error() {
    let (repo, base) = repo_with_base(None);
    let head = add_key_with(&repo, 410, &[(".scan-secrets.toml", "disable = [\n")]);
    let s = scan(&repo, &["--range", &format!("{base}..{head}")], None);
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert!(
        s.notes()[0].starts_with("the .scan-secrets.toml of the scanned commits is not valid"),
        "{}",
        s.stderr
    );

    // The base's own configuration is broken: an error naming it and the commit.
    let (repo, base) = repo_with_base(Some("disable = [\"no-such-rule\"]\n"));
    let head = add_key_with(&repo, 411, &[]);
    let s = scan(&repo, &["--range", &format!("{base}..{head}")], None);
    assert_eq!(s.code, 2, "{}", s.stderr);
    assert!(
        s.stderr
            .contains(&format!(".scan-secrets.toml at commit {}", &base[..7])),
        "{}",
        s.stderr
    );
}
