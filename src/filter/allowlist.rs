//! `[allow]` from the config: path globs (relative to the scan root) and regexes on the value.

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::Regex;

use super::Reason;
use crate::error::Error;
use crate::rules::Confidence;

#[derive(Debug, Default)]
pub struct Allowlist {
    paths: Option<GlobSet>,
    /// How many `paths` globs the config gave (for `config check`).
    path_count: usize,
    regexes: Vec<Regex>,
    /// Lowercase.
    stopwords: Vec<Vec<u8>>,
    /// Lowercase hex prefixes of commit ids.
    commits: Vec<String>,
    /// Honour other scanners' inline markers too (`--accept-foreign-markers`).
    pub foreign_markers: bool,
    /// `[allow.rule.<id>]`, by rule id.
    pub per_rule: std::collections::HashMap<String, Allowlist>,
    /// Findings graded below it are counted, not reported (`--confidence`).
    pub min_confidence: Confidence,
}

impl Allowlist {
    /// `origin` names the config file in errors.
    pub fn new(origin: &str, paths: &[String], regexes: &[String]) -> Result<Self, Error> {
        let err = |message: String| Error::Config {
            path: Some(origin.into()),
            message,
        };
        let globs = if paths.is_empty() {
            None
        } else {
            let mut b = GlobSetBuilder::new();
            for p in paths {
                let glob =
                    Glob::new(p).map_err(|e| err(format!("allow.paths: bad glob {p:?}: {e}")))?;
                b.add(glob);
                // `dir/` or `dir` also covers everything below it.
                let below = format!("{}/**", p.trim_end_matches('/'));
                if let Ok(g) = Glob::new(&below) {
                    b.add(g);
                }
            }
            Some(b.build().map_err(|e| err(format!("allow.paths: {e}")))?)
        };
        let regexes = regexes
            .iter()
            .map(|r| {
                regex::bytes::RegexBuilder::new(r)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| err(format!("allow.regexes: bad regex {r:?}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        Ok(Allowlist {
            paths: globs,
            path_count: paths.len(),
            regexes,
            ..Allowlist::default()
        })
    }

    pub fn set_stopwords(&mut self, words: &[String]) {
        self.stopwords = words
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase().into_bytes())
            .collect();
    }

    /// `origin` names the config file in errors: an entry must be 7 to 64 hex digits.
    pub fn set_commits(&mut self, origin: &str, commits: &[String]) -> Result<(), Error> {
        for c in commits {
            if !(7..=64).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Error::Config {
                    path: Some(origin.into()),
                    message: format!(
                        "allow.commits: {c:?} is not a commit id (7 to 64 hex digits)"
                    ),
                });
            }
        }
        self.commits = commits.iter().map(|c| c.to_ascii_lowercase()).collect();
        Ok(())
    }

    /// What is allowed, for `config check`: `2 path globs, 1 regex, 0 stopwords, 0 commits`.
    pub fn describe(&self) -> String {
        let n = |k: usize, what: &str| crate::text::plural(k as u64, what);
        format!(
            "{}, {}, {}, {}",
            n(self.path_count, "path glob"),
            n(self.regexes.len(), "regex"),
            n(self.stopwords.len(), "stopword"),
            n(self.commits.len(), "commit")
        )
    }

    /// The value contains a configured stopword.
    pub fn stopword_in(&self, value: &[u8]) -> bool {
        self.stopwords.iter().any(|w| {
            value
                .windows(w.len())
                .any(|win| win.eq_ignore_ascii_case(w))
        })
    }

    /// The commit `id` (full hex id) is allowlisted.
    pub fn commit_allowed(&self, id: &str) -> bool {
        self.commits.iter().any(|c| id.starts_with(c.as_str()))
    }

    /// `rel` is the path relative to the scan root, with `/` separators.
    pub fn path_allowed(&self, rel: &str) -> bool {
        self.paths.as_ref().is_some_and(|g| g.is_match(rel))
    }

    pub fn value_allowed(&self, value: &[u8]) -> bool {
        self.regexes.iter().any(|r| r.is_match(value))
    }

    /// What of these allowlists hides a value of rule `rule` at `path` (paths of
    /// `[allow.rule.<id>]`; regexes and stopwords of `[allow]` and `[allow.rule.<id>]`), or
    /// `None`. `[allow] paths` is for the caller, which skips such files whole. An empty value
    /// (a file reported as a whole) is judged by its path only.
    pub fn hides(&self, rule: &str, path: Option<&str>, value: &[u8]) -> Option<Reason> {
        let own = self.per_rule.get(rule);
        if own.is_some_and(|own| path.is_some_and(|p| own.path_allowed(p))) {
            return Some(Reason::AllowPath);
        }
        if value.is_empty() {
            return None;
        }
        [Some(self), own].into_iter().flatten().find_map(|a| {
            if a.value_allowed(value) {
                Some(Reason::AllowRegex)
            } else if a.stopword_in(value) {
                Some(Reason::Stopword)
            } else {
                None
            }
        })
    }
}
