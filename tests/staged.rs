//! `--staged`: only the lines added in the index (compared with HEAD) are scanned, from the
//! staged blobs rather than the files on disk; paths are relative to the repository root.

use crate::common::{fake, github_token, rows, summary, TestRepo, ALNUM};

/// `TOKEN = "<ghp>"` on line 3: a GitHub token at column 10.
fn config_with(token: &str) -> String {
    format!("import os\nDEBUG = False\nTOKEN = \"{token}\"\n")
}

const CLEAN_CONFIG: &str = "import os\nDEBUG = False\n";

/// A repository with one clean commit, so that HEAD exists.
fn repo_with_commit() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("config.py", CLEAN_CONFIG);
    repo.write("README.md", "# demo\n");
    repo.commit_all("initial");
    repo
}

/// A synthetic PKCS#1 PEM block: header, 20 lines of 64 base64 characters, footer.
fn pem(seed: u64) -> String {
    const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for i in 0..20 {
        s += &fake("", B64, 64, seed + i);
        s.push('\n');
    }
    s + "-----END RSA PRIVATE KEY-----\n"
}

#[test]
fn staged_secret_is_found_at_its_line_and_column() {
    let repo = repo_with_commit();
    repo.write("config.py", &config_with(&github_token("ghp_", 101)));
    repo.stage("config.py");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("github-pat-classic", "config.py", 3, 10)])
    );
    assert_eq!(findings[0]["source"], "staged");
    assert_eq!(findings[0]["confidence"], "high");
    assert_eq!(findings[0]["end_line"].as_u64(), Some(3));
    assert_eq!(findings[0]["end_column"].as_u64(), Some(50));
}

#[test]
fn staged_secret_removed_from_the_working_file_is_still_found() {
    let repo = repo_with_commit();
    repo.write("config.py", &config_with(&github_token("ghp_", 102)));
    repo.stage("config.py");
    // The file on disk no longer has the secret (nor line 3); the index does.
    repo.write("config.py", CLEAN_CONFIG);
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("github-pat-classic", "config.py", 3, 10)])
    );
}

#[test]
fn secret_only_in_the_working_file_is_not_reported() {
    let repo = repo_with_commit();
    // Something clean is staged...
    repo.write("notes.txt", "nothing to see\n");
    repo.stage("notes.txt");
    // ...and the secret is on disk only, in a tracked file and in an untracked one.
    let key = github_token("ghp_", 103);
    repo.write("config.py", &config_with(&key));
    repo.write("new.env", &format!("GITHUB_TOKEN={key}\n"));
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(summary(&findings), rows(&[]));
    assert_eq!(code, 0);
}

#[test]
fn committed_secret_is_not_reported_when_another_line_is_staged() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 104)));
    repo.commit_all("with key");
    // Lines added around the committed secret; the secret line itself is unchanged.
    repo.write(
        "config.py",
        &format!(
            "# settings\n{}VERBOSE = True\n",
            config_with(&github_token("ghp_", 104))
        ),
    );
    repo.stage("config.py");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(summary(&findings), rows(&[]));
    assert_eq!(code, 0);
}

#[test]
fn multi_line_private_key_added_in_a_hunk_is_found() {
    let repo = TestRepo::new();
    repo.write("deploy.txt", "host = example.org\n");
    repo.commit_all("initial");
    repo.write("deploy.txt", &format!("host = example.org\n{}", pem(200)));
    repo.stage("deploy.txt");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("privatekey-rsa", "deploy.txt", 2, 1)])
    );
    assert_eq!(findings[0]["end_line"].as_u64(), Some(23));
    assert_eq!(findings[0]["end_column"].as_u64(), Some(30));
}

#[test]
fn renamed_file_with_a_committed_secret_is_not_reported() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 105)));
    repo.commit_all("with key");
    repo.git(&["mv", "config.py", "settings.py"]);
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(summary(&findings), rows(&[]));
    assert_eq!(code, 0);
}

#[test]
fn mode_change_only_is_not_reported() {
    let repo = TestRepo::new();
    repo.write("run.sh", &format!("TOKEN={}\n", github_token("ghp_", 106)));
    repo.commit_all("with key");
    repo.git(&["update-index", "--chmod=+x", "run.sh"]);
    assert!(repo
        .git(&["diff", "--cached", "--summary"])
        .contains("mode change"));
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(summary(&findings), rows(&[]));
    assert_eq!(code, 0);
}

#[test]
fn staged_deletion_is_not_reported() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 107)));
    repo.write("README.md", "# demo\n");
    repo.commit_all("with key");
    repo.git(&["rm", "-q", "config.py"]);
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(summary(&findings), rows(&[]));
    assert_eq!(code, 0);
}

#[test]
fn staged_binary_file_is_not_reported() {
    let repo = repo_with_commit();
    let mut bin = format!("TOKEN={}\n", github_token("ghp_", 108)).into_bytes();
    bin.insert(0, 0);
    repo.write_bytes("blob.bin", &bin);
    repo.stage("blob.bin");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(summary(&findings), rows(&[]));
    assert_eq!(code, 0);
}

#[test]
fn unborn_branch_everything_staged_is_new() {
    let repo = TestRepo::new();
    repo.write("config.py", &config_with(&github_token("ghp_", 109)));
    repo.write(
        "pay.env",
        &format!("STRIPE_SECRET_KEY={}\n", fake("sk_live_", ALNUM, 32, 110)),
    );
    repo.stage("config.py").stage("pay.env");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("github-pat-classic", "config.py", 3, 10),
            ("stripe-secret-key", "pay.env", 1, 19),
        ])
    );
    assert!(findings.iter().all(|f| f["source"] == "staged"));
}

#[test]
fn intent_to_add_entry_is_not_an_error() {
    let repo = repo_with_commit();
    // `git add -N`: the index holds an empty blob for it; the secret is on disk only.
    repo.write("later.py", &config_with(&github_token("ghp_", 111)));
    repo.git(&["add", "-N", "later.py"]);
    repo.write(
        "pay.env",
        &format!("STRIPE_SECRET_KEY={}\n", fake("sk_live_", ALNUM, 32, 112)),
    );
    repo.stage("pay.env");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("stripe-secret-key", "pay.env", 1, 19)])
    );
}

#[test]
fn run_from_a_subdirectory_paths_are_relative_to_the_root() {
    let repo = repo_with_commit();
    let key = github_token("ghp_", 113);
    repo.write("src/app/config.py", &config_with(&key));
    repo.write("top.env", &format!("GITHUB_TOKEN={key}\n"));
    repo.git(&["add", "-A"]);
    let (findings, code) = repo.scan_json_in(&repo.path().join("src/app"), &["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[
            ("github-pat-classic", "src/app/config.py", 3, 10),
            ("github-pat-classic", "top.env", 1, 14),
        ])
    );
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = TestRepo::dir();
    dir.write("config.py", &config_with(&github_token("ghp_", 114)));
    let out = dir
        .cmd()
        // Never discover a repository above the temporary directory.
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["--staged", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(err.contains("not a git repository"), "{err}");
}

#[test]
fn submodule_entry_in_the_index_is_not_an_error() {
    let lib = TestRepo::new();
    lib.write("lib.py", "def f():\n    return 1\n");
    lib.commit_all("lib");
    let repo = repo_with_commit();
    repo.add_submodule(&lib, "sub");
    assert!(repo.git(&["ls-files", "-s", "sub"]).starts_with("160000 "));
    repo.write("config.py", &config_with(&github_token("ghp_", 115)));
    repo.stage("config.py");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("github-pat-classic", "config.py", 3, 10)])
    );
}

#[test]
fn edited_line_holding_a_committed_secret_counts_as_added() {
    let repo = TestRepo::new();
    let key = github_token("ghp_", 116);
    repo.write("config.py", &config_with(&key));
    repo.commit_all("with key");
    // Same secret, but its line changed: the diff adds that line.
    repo.write(
        "config.py",
        &format!("import os\nDEBUG = False\nTOKEN  = \"{key}\"\n"),
    );
    repo.stage("config.py");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("github-pat-classic", "config.py", 3, 11)])
    );
}

/// A changed `value:` under an unchanged `- name: DB_PASSWORD` is found: the keyword is on a
/// line the change did not touch, so a scan of changed lines also looks a few lines above
/// each change. The unchanged pair above it is not reported again.
#[test]
fn staged_value_under_an_unchanged_name_is_found() {
    let repo = TestRepo::new();
    let deployment = |cache: &str, db: &str| {
        format!(
            "env:\n  - name: CACHE_PASSWORD\n    value: \"{cache}\"\n  - name: LOG_LEVEL\n    value: info\n  - name: DB_PASSWORD\n    value: {db}\n"
        )
    };
    repo.write("deploy.yaml", &deployment("Wq8!zKp3vN7tLr", "\"\""));
    repo.commit_all("initial");
    repo.write(
        "deploy.yaml",
        &deployment("Wq8!zKp3vN7tLr", "Hq7vTz2Lx9RwPk4e"),
    );
    repo.stage("deploy.yaml");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        rows(&[("generic-name-value-password", "deploy.yaml", 7, 12)])
    );
}
