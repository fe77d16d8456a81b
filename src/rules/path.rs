//! Path rules: the globs of a sensitive-file rule, compiled on first use, with a literal per
//! glob that a path must contain to be worth matching.

use std::sync::OnceLock;

use super::file::{Text, Texts};

/// The paths a path rule applies to.
#[derive(Debug)]
pub struct PathRule {
    /// `paths` and `not_paths` as written, for listings.
    pub globs: Texts,
    not_globs: Texts,
    /// Per glob of `paths`, a literal every matching path contains (lower case; empty when the
    /// glob has alternatives): a path that contains none cannot match, and the glob sets,
    /// which cost a regex build each, are compiled only when one is found (see `matches`).
    literals: Vec<String>,
    sets: OnceLock<(globset::GlobSet, globset::GlobSet)>,
}

fn glob_set(globs: &[Text]) -> Result<globset::GlobSet, String> {
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        // Like .gitignore: a glob without `/` matches the name in any directory.
        let full = if g.contains('/') {
            g.trim_start_matches('/').to_string()
        } else {
            format!("**/{g}")
        };
        let glob = globset::GlobBuilder::new(&full)
            .literal_separator(true)
            .case_insensitive(true)
            .build()
            .map_err(|e| format!("bad path glob {g:?}: {e}"))?;
        b.add(glob);
    }
    b.build().map_err(|e| e.to_string())
}

impl PathRule {
    /// `eager` compiles the globs now, so that a bad one is reported at load (custom rules).
    pub(super) fn new(paths: &Texts, not_paths: &Texts, eager: bool) -> Result<Self, String> {
        let literals = paths
            .iter()
            .map(|g| {
                if g.contains(['{', '[', '\\']) {
                    return String::new();
                }
                g.split(['*', '?', '/'])
                    .max_by_key(|piece| piece.len())
                    .unwrap_or("")
                    .to_ascii_lowercase()
            })
            .collect();
        let rule = PathRule {
            globs: paths.clone(),
            not_globs: not_paths.clone(),
            literals,
            sets: OnceLock::new(),
        };
        if eager {
            let _ = rule.sets.set((glob_set(paths)?, glob_set(not_paths)?));
        }
        Ok(rule)
    }

    /// Whether every glob compiles (the builtin ones compile on first use; the lint checks).
    pub fn check(&self) -> Result<(), String> {
        glob_set(&self.globs)
            .and(glob_set(&self.not_globs))
            .map(|_| ())
    }

    /// Per glob of `paths`, a literal every path it matches contains (lower case; empty when
    /// the glob has alternatives): a path that contains none of them cannot match.
    pub fn literals(&self) -> &[String] {
        &self.literals
    }

    /// Whether a file at `path` (relative, `/`-separated) is one this rule is about, by its
    /// globs. The matcher asks only about paths that hold one of `literals` (its `PathFilter`
    /// checks all rules' literals in one pass), so the glob sets compile only then.
    pub fn matches(&self, path: &str) -> bool {
        let (include, exclude) = self.sets.get_or_init(|| {
            let set =
                |globs: &[Text]| glob_set(globs).unwrap_or_else(|_| globset::GlobSet::empty());
            (set(&self.globs), set(&self.not_globs))
        });
        include.is_match(path) && !exclude.is_match(path)
    }
}
