//! `[allow]` from the config: path globs (relative to the scan root) and regexes on the value.

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::Regex;

use crate::error::Error;

#[derive(Debug, Default)]
pub struct Allowlist {
    paths: Option<GlobSet>,
    regexes: Vec<Regex>,
}

impl Allowlist {
    /// `origin` names the config file in errors.
    pub fn new(origin: &str, paths: &[String], regexes: &[String]) -> Result<Self, Error> {
        let err = |message: String| Error::Config {
            path: Some(origin.into()),
            message,
        };
        let paths = if paths.is_empty() {
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
        Ok(Allowlist { paths, regexes })
    }

    /// `rel` is the path relative to the scan root, with `/` separators.
    pub fn path_allowed(&self, rel: &str) -> bool {
        self.paths.as_ref().is_some_and(|g| g.is_match(rel))
    }

    pub fn value_allowed(&self, value: &[u8]) -> bool {
        self.regexes.iter().any(|r| r.is_match(value))
    }
}
