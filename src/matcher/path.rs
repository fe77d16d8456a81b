//! Path rules (sensitive files such as `.env` or `id_rsa`): which apply to a path, and their
//! candidates.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind};

use super::{Candidate, Matcher};
use crate::entropy;
use crate::rules::RuleSet;

/// The path rules a path can match, found in one pass over the path: every glob of a rule
/// needs a literal in the path (`rules::PathRule::literals`), so one automaton of all the
/// literals rules most of them out before a glob runs. A history scan asks once per blob.
pub(super) struct PathFilter {
    /// The literals, ASCII case-insensitive; `None` when no rule has one.
    literals: Option<AhoCorasick>,
    /// Per literal, the rules it stands for.
    owners: Vec<Vec<usize>>,
    /// Rules with a glob without a literal: always tried.
    always: Vec<usize>,
}

impl PathFilter {
    pub(super) fn new(rules: &RuleSet, path_rules: &[usize]) -> Self {
        let mut literals: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for &i in path_rules {
            let Some(paths) = &rules.rules[i].paths else {
                continue;
            };
            for literal in paths.literals() {
                if literal.is_empty() {
                    always.push(i);
                    continue;
                }
                match literals.iter().position(|l| l == literal) {
                    Some(j) => owners[j].push(i),
                    None => {
                        literals.push(literal);
                        owners.push(vec![i]);
                    }
                }
            }
        }
        // A few dozen short literals over a short path: the NFA builds fastest.
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(&literals);
        let literals = match automaton {
            Ok(ac) if !literals.is_empty() => Some(ac),
            Ok(_) => None,
            // Too many custom path rules for an automaton: try every rule on every path.
            Err(_) => {
                always = path_rules.to_vec();
                None
            }
        };
        PathFilter {
            literals,
            owners,
            always,
        }
    }

    /// The path rules worth trying on `path`, in rule order, each once.
    pub(super) fn rules_for(&self, path: &str) -> Vec<usize> {
        let mut found = self.always.clone();
        if let Some(ac) = &self.literals {
            for m in ac.find_overlapping_iter(path) {
                found.extend_from_slice(&self.owners[m.pattern().as_usize()]);
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

impl Matcher {
    /// The path rules' candidates for a file at `path` (relative to the scan root). `text` is
    /// `None` when the content was not read (binary, over the size limit): only rules without a
    /// content condition apply then. A candidate about the file as a whole has an empty
    /// `secret` at offset 0 (one per rule and file); a rule whose regex has a `secret` group
    /// gives one candidate per match that passes its gates, at the value. Content conditions
    /// are looked for in `only` (whole lines, in order) when given: history counts a later
    /// version of a file by its new lines.
    pub fn scan_path(
        &self,
        path: &str,
        text: Option<&[u8]>,
        only: Option<&[Range<usize>]>,
    ) -> Vec<Candidate> {
        let mut out = Vec::new();
        let all = 0..text.map_or(0, <[u8]>::len);
        let windows = only.unwrap_or(std::slice::from_ref(&all));
        let filter = self
            .path_filter
            .get_or_init(|| PathFilter::new(&self.rules, &self.path_rules));
        for i in filter.rules_for(path) {
            let rule = &self.rules.rules[i];
            if !rule.paths.as_ref().is_some_and(|p| p.matches(path)) {
                continue;
            }
            let candidate = |secret: Range<usize>, span: Range<usize>, entropy: f64| Candidate {
                rule: i,
                secret,
                span,
                entropy,
                confidence: rule.confidence,
                decoded: None,
            };
            let (re, text) = match (rule.regex(), text) {
                (None, _) => {
                    out.push(candidate(0..0, 0..0, 0.0));
                    continue;
                }
                (Some(_), None) => continue,
                (Some(re), Some(text)) => (re, text),
            };
            let groups = rule.secret_groups();
            if groups.is_empty() {
                let first = windows
                    .iter()
                    .find_map(|w| re.find_at(&text[..w.end], w.start));
                if let Some(m) = first {
                    out.push(candidate(0..0, m.range(), 0.0));
                }
                continue;
            }
            let matches = windows.iter().flat_map(|w| {
                let hay = &text[..w.end];
                let mut at = w.start;
                std::iter::from_fn(move || {
                    let caps = re.captures_at(hay, at)?;
                    let whole = caps.get(0)?;
                    at = if whole.is_empty() {
                        whole.end() + 1
                    } else {
                        whole.end()
                    };
                    (at <= hay.len()).then_some(caps)
                })
            });
            for caps in matches {
                let secret = groups.iter().find_map(|&g| caps.get(g));
                let (Some(whole), Some(secret)) = (caps.get(0), secret) else {
                    continue;
                };
                let value = secret.as_bytes();
                let entropy = entropy::shannon(value);
                if value.is_empty()
                    || rule.min_entropy.is_some_and(|min| entropy < min)
                    || (rule.random && !entropy::looks_random(value))
                {
                    continue;
                }
                out.push(candidate(secret.range(), whole.range(), entropy));
            }
        }
        out
    }
}
