//! Baselines: the fingerprints of findings a team has accepted (or will fix later), so that a
//! scan reports only what is new.
//!
//! The file is JSON, one entry per line, sorted by fingerprint, so that it diffs and merges
//! well:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"fingerprint": "v1:…", "rule": "github-pat-classic", "file": "config.py"}
//!   ]
//! }
//! ```
//!
//! An entry matches a finding by fingerprint alone (rule + secret hash), so moving lines or
//! renaming a file keeps it matched. `file` is only there for people reading the file. No
//! secret is ever written, only its hash.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::finding::Finding;
use crate::rules::RuleSet;

/// The file `scan-secrets baseline` writes when no `-o` is given.
pub const DEFAULT_FILE: &str = ".scan-secrets-baseline.json";

const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Debug, Default, Clone)]
pub struct Baseline {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
}

/// What applying a baseline to a report did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    /// Findings suppressed because the baseline lists them.
    pub matched: u64,
    /// Baseline entries that no finding of this scan matched.
    pub stale: u64,
}

impl Baseline {
    /// Reads a baseline; a missing file is an error (a typo must not silently pass).
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::parse(path, &text)
    }

    /// Parses the text of a baseline read from `path` (named in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Self, Error> {
        let bad = |message: String| Error::Config {
            path: Some(path.to_path_buf()),
            message: format!("not a scan-secrets baseline: {message}"),
        };
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if file.version != VERSION {
            return Err(bad(format!(
                "version {} (this scan-secrets reads version {VERSION})",
                file.version
            )));
        }
        if let Some(e) = file
            .findings
            .iter()
            .find(|e| !e.fingerprint.starts_with("v1:"))
        {
            return Err(bad(format!(
                "fingerprint {:?} is not a v1 fingerprint",
                e.fingerprint
            )));
        }
        Ok(Baseline {
            path: path.to_path_buf(),
            entries: file.findings,
        })
    }

    /// The baseline of `findings`: one entry per fingerprint (with its first file).
    pub fn of(path: &Path, findings: &[Finding], rules: &RuleSet) -> Self {
        let mut by_fingerprint: BTreeMap<&str, Entry> = BTreeMap::new();
        for f in findings {
            by_fingerprint
                .entry(&f.fingerprint)
                .or_insert_with(|| Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule: rules.rules[f.rule].id.to_string(),
                    file: f.origin.path().to_string(),
                });
        }
        Baseline {
            path: path.to_path_buf(),
            entries: by_fingerprint.into_values().collect(),
        }
    }

    /// Removes the findings the baseline lists from `findings`.
    pub fn apply(&self, findings: &mut Vec<Finding>) -> Applied {
        let known: HashSet<&str> = self
            .entries
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let seen: HashSet<String> = findings.iter().map(|f| f.fingerprint.clone()).collect();
        let before = findings.len();
        findings.retain(|f| !known.contains(f.fingerprint.as_str()));
        Applied {
            matched: (before - findings.len()) as u64,
            stale: known.iter().filter(|fp| !seen.contains(**fp)).count() as u64,
        }
    }

    /// Writes the file (sorted, one entry per line, trailing newline).
    pub fn save(&self) -> Result<(), Error> {
        let mut entries = self.entries.clone();
        entries.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        let mut text = format!("{{\n  \"version\": {VERSION},\n  \"findings\": [");
        for (i, e) in entries.iter().enumerate() {
            let line =
                serde_json::to_string(e).map_err(|e| Error::Output(std::io::Error::other(e)))?;
            text.push_str(if i == 0 { "\n    " } else { ",\n    " });
            text.push_str(&line);
        }
        text.push_str(if entries.is_empty() {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        });
        std::fs::write(&self.path, text).map_err(|e| Error::io(&self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_then_load_round_trips_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let entry = |fp: &str, file: &str| Entry {
            fingerprint: fp.into(),
            rule: "r".into(),
            file: file.into(),
        };
        let b = Baseline {
            path: path.clone(),
            entries: vec![entry("v1:bb", "x"), entry("v1:aa", "y \"quoted\"")],
        };
        b.save().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.find("v1:aa").unwrap() < text.find("v1:bb").unwrap());
        assert_eq!(text.lines().count(), 7);
        let back = Baseline::load(&path).unwrap();
        assert_eq!(
            back.entries,
            vec![entry("v1:aa", "y \"quoted\""), entry("v1:bb", "x")]
        );
        std::fs::write(&path, "{\"version\": 2, \"findings\": []}").unwrap();
        assert!(Baseline::load(&path).is_err());
    }

    #[test]
    fn parse_checks_version_and_fingerprints() {
        let path = Path::new("b.json");
        let entry = r#"{"fingerprint": "v1:aa", "rule": "r", "file": "f"}"#;
        let ok = format!("{{\"version\": 1, \"findings\": [{entry}]}}");
        assert_eq!(Baseline::parse(path, &ok).unwrap().entries.len(), 1);
        for bad in [
            "".to_string(),
            "{\"version\": 1}".into(),
            ok.replace("v1:aa", "v2:aa"),
            ok.replace("\"file\"", "\"path\""),
        ] {
            assert!(Baseline::parse(path, &bad).is_err(), "{bad}");
        }
    }
}
