//! The labeled syntax corpus (`tests/data/generic`): credentials written in SQL, command lines,
//! connection strings, HTTP headers, credential files, markup and code, and free text, next to
//! hard negatives in the same syntaxes. The real binary scans it; every family must keep its
//! recall and no unlabeled or negative line may be reported. `bench/syntax_corpus.py` prints
//! the same score with the list of misses.

use std::collections::{BTreeMap, BTreeSet};

use assert_cmd::Command;

use crate::common::repo_root;

/// `(file, line) -> (label, family)` from `LABELS.tsv`.
fn labels() -> BTreeMap<(String, u64), (String, String)> {
    let path = repo_root().join("tests/data/generic/LABELS.tsv");
    let text = std::fs::read_to_string(path).expect("LABELS.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let line = cols[1].parse().expect("line number");
            (
                (cols[0].to_string(), line),
                (cols[2].to_string(), cols[3].to_string()),
            )
        })
        .collect()
}

/// The `(file, line)` of every finding with a value (a sensitive-file finding has none).
fn findings() -> BTreeSet<(String, u64)> {
    let out = Command::cargo_bin("scan-secrets")
        .expect("binary built")
        .current_dir(repo_root().join("tests/data/generic/files"))
        .args(["--format", "json", "--config", "/dev/null", "."])
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("run scan-secrets");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON findings");
    all.iter()
        .filter(|f| f["secret"].as_str().is_some_and(|s| !s.is_empty()))
        .map(|f| {
            let file = f["file"].as_str().unwrap().trim_start_matches("./");
            (file.to_string(), f["line"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn every_syntax_family_is_found_without_false_positives() {
    let labels = labels();
    let found = findings();
    let mut per_family: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for ((file, line), (label, family)) in &labels {
        if label != "secret" {
            continue;
        }
        let entry = per_family.entry(family).or_default();
        entry.1 += 1;
        if found.contains(&(file.clone(), *line)) {
            entry.0 += 1;
        } else {
            missed.push(format!("{file}:{line}"));
        }
    }
    let false_positives: Vec<_> = found
        .iter()
        .filter(|key| {
            labels
                .get(*key)
                .is_none_or(|(label, _)| label == "nonsecret")
        })
        .collect();
    assert!(
        false_positives.is_empty(),
        "false positives: {false_positives:?}"
    );
    assert_eq!(per_family.len(), 7, "{per_family:?}");
    for (family, (tp, total)) in &per_family {
        assert!(
            *tp * 100 >= *total * 95,
            "{family}: {tp}/{total}; missed {missed:?}"
        );
    }
    let tp: usize = per_family.values().map(|v| v.0).sum();
    let total: usize = per_family.values().map(|v| v.1).sum();
    assert!(tp * 100 >= total * 98, "{tp}/{total}; missed {missed:?}");
}
