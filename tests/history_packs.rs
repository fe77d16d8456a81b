//! `--history` read from packs: path order and pack order give the same findings, fast-import
//! histories are attributed right, and a corrupt pack is a per-object error (exit 2).
use crate::common::{
    self, day, github_token, history_rows as rows, history_summary, stripe_env, TestRepo, GH,
    STRIPE,
};

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
    common::git_stdin(repo.path(), &args, stream.as_bytes());
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
