//! The matcher: one pass of the keyword prefilter (`prefilter`) over the bytes, then each hit
//! rule's regex on a bounded window around the hit, then the per-rule gates (entropy,
//! randomness, checksum), then overlap resolution.
//!
//! It sees only bytes and the compiled `RuleSet`, never config or output; path rules (sensitive
//! files) also see the file's path, through `scan_path`.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

mod candidate;
mod keywords;
mod path;
mod prefilter;

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use candidate::resolve_overlaps;
pub use candidate::{Candidate, Cover, Decoded};
use path::PathFilter;
use prefilter::Prefilter;

use crate::decode;
use crate::entropy;
use crate::error::Error;
use crate::rules::{Rule, RuleSet};

/// How far before a keyword a single-line rule's window starts (it stops earlier at a newline).
const BACK: usize = 512;
/// How far after a keyword a single-line rule's window ends (it stops earlier at a newline).
const FORWARD: usize = 1024;
/// How far after a keyword a multi-line rule (PEM blocks) may match.
const FORWARD_MULTILINE: usize = 64 * 1024;
/// Layers of encoding looked through: a base64 `.dockerconfigjson` whose `auth` is base64.
const MAX_DECODE_DEPTH: usize = 2;

pub struct Matcher {
    rules: Arc<RuleSet>,
    prefilter: Prefilter,
    /// For each prefilter pattern, the rules that own that keyword or a keyword inside it.
    owners: Table<usize>,
    /// The prefilter patterns (lower-case).
    keywords: Table<u8>,
    /// For each pattern, the longer patterns that may start inside a hit on it, with their
    /// offset in the hit (`_auth` then `auth_key` at 1 in `SECURE_AUTH_KEY`): the search does
    /// not overlap, so each is checked against the text after the hit.
    starting_inside: Table<(usize, usize)>,
    /// The keywords of multi-line rules (PEM armour and the like) with their rules, and
    /// their distinct leading bytes as written (`-----BEGIN`). When only some lines of a text
    /// count, a PEM block whose unchanged header sits above the changed body must still be
    /// found; one pass of a few literals over the whole text is far cheaper than the full
    /// keyword automaton.
    multiline: Vec<(Vec<u8>, Vec<usize>)>,
    /// `(anchor, offset)`: a piece of a multi-line keyword as written and where it starts in
    /// the keyword, chosen where its leading bytes are least common in source text (the
    /// automaton's SIMD search keys on them; `clie` of `client_secret` would stop on every
    /// `client`).
    anchors: Vec<(Vec<u8>, usize)>,
    /// The automaton of `anchors`, built on first use: only a scan of changed lines needs it.
    multiline_anchors: OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// The largest `lines_after` of any rule: a scan of changed lines also searches that many
    /// lines above each change for keywords, so that a changed `value:` under an unchanged
    /// `- name: DB_PASSWORD` is found.
    lines_before_changes: u8,
    /// The path rules (`paths = [...]`), by index.
    path_rules: Vec<usize>,
    /// Which path rules a path can match, built on first use.
    path_filter: OnceLock<PathFilter>,
}

impl Matcher {
    /// A matcher tuned for large inputs (working trees, histories): the keyword automaton is
    /// a DFA, about 3x faster per byte than an NFA but a millisecond or two to build. An error
    /// only when custom rules bring more keywords than an automaton can hold.
    pub fn new(rules: Arc<RuleSet>) -> Result<Self, Error> {
        Self::build(rules, AhoCorasickKind::DFA)
    }

    /// A matcher for a few small inputs (a staged change): cheap to build.
    pub fn for_small_inputs(rules: Arc<RuleSet>) -> Result<Self, Error> {
        Self::build(rules, AhoCorasickKind::ContiguousNFA)
    }

    fn build(rules: Arc<RuleSet>, kind: AhoCorasickKind) -> Result<Self, Error> {
        let (prefilter, keywords, owners, starting_inside) = match Self::as_built_prefilter(&rules)
        {
            Some(built) => built,
            None => Self::computed_prefilter(&rules, kind)?,
        };
        let mut multiline: Vec<(Vec<u8>, Vec<usize>)> = Vec::new();
        let mut anchors: Vec<(Vec<u8>, usize)> = Vec::new();
        for (i, rule) in rules.rules.iter().enumerate().filter(|(_, r)| r.multiline) {
            for kw in rule.keywords.iter() {
                let kw = kw.as_bytes();
                let offset = rarest_window(kw);
                let anchor = (kw[offset..kw.len().min(offset + 10)].to_vec(), offset);
                if !anchors.contains(&anchor) {
                    anchors.push(anchor);
                }
                let kw = kw.to_ascii_lowercase();
                match multiline.iter_mut().find(|(k, _)| *k == kw) {
                    Some((_, owners)) => owners.push(i),
                    None => multiline.push((kw, vec![i])),
                }
            }
        }
        let lines_before_changes = rules.rules.iter().map(|r| r.lines_after).max().unwrap_or(0);
        let path_rules = (0..rules.rules.len())
            .filter(|&i| rules.rules[i].paths.is_some())
            .collect();
        Ok(Matcher {
            rules,
            prefilter,
            owners,
            keywords,
            starting_inside,
            multiline,
            anchors,
            multiline_anchors: OnceLock::new(),
            lines_before_changes,
            path_rules,
            path_filter: OnceLock::new(),
        })
    }

    /// The prebuilt prefilter with the owners build.rs computed, for the builtin rule set as
    /// loaded (no rule disabled or added): nothing to compute at start-up.
    fn as_built_prefilter(rules: &RuleSet) -> Option<Built> {
        if !rules.is_as_built() || rules.rules.len() != prefilter::RULE_COUNT {
            return None;
        }
        Self::with_builtin_keywords(Cow::Borrowed(prefilter::OWNERS))
    }

    /// The prefilter and owners of any other rule set (some rules disabled, custom rules).
    fn computed_prefilter(rules: &RuleSet, kind: AhoCorasickKind) -> Result<Built, Error> {
        // Each rule's keywords, lower-case.
        let rule_keywords: Vec<(usize, Vec<u8>)> = rules
            .rules
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                r.keywords
                    .iter()
                    .map(move |k| (i, k.to_ascii_lowercase().into_bytes()))
            })
            .collect();
        let pairs = rule_keywords.iter().map(|(r, k)| (*r, k.as_slice()));
        // The prebuilt DFA serves whenever every keyword is a builtin one (no custom rule
        // brings its own).
        match keywords::owners(prefilter::KEYWORDS, prefilter::CONTAINED, pairs)
            .and_then(|owners| Self::with_builtin_keywords(owned_table(owners)))
        {
            Some(built) => Ok(built),
            None => Self::runtime_prefilter(&rule_keywords, kind),
        }
    }

    /// The prebuilt DFA over the builtin keywords, with the given owners of each keyword.
    fn with_builtin_keywords(owners: Table<usize>) -> Option<Built> {
        let dfa = prefilter::builtin_dfa()?;
        Some((
            Prefilter::Builtin(Box::new(dfa)),
            Cow::Borrowed(prefilter::KEYWORDS),
            owners,
            Cow::Borrowed(prefilter::STARTING_INSIDE),
        ))
    }

    /// An Aho-Corasick prefilter built now, for a rule set with keywords of its own.
    fn runtime_prefilter(
        rule_keywords: &[(usize, Vec<u8>)],
        kind: AhoCorasickKind,
    ) -> Result<Built, Error> {
        let mut keywords: Vec<Vec<u8>> = rule_keywords.iter().map(|(_, k)| k.clone()).collect();
        keywords::order(&mut keywords);
        // The search is non-overlapping (much faster than overlapping search), so a hit on a
        // keyword must also stand for every keyword it can hide: one contained in it (`_auth`
        // hides `auth`) always, one starting inside it (`_auth` hides `auth_key` in
        // `SECURE_AUTH_KEY`) when the text after the hit completes it (`hits_at`).
        let (contained, starting) = keywords::hidden(&keywords);
        let pairs = rule_keywords.iter().map(|(r, k)| (*r, k.as_slice()));
        let owners = keywords::owners(&keywords, &contained, pairs)
            .expect("every rule keyword is in the list made of them");
        // The keywords come from a repository's own config (attacker-controlled in a scan of
        // a pull request): too many for a DFA falls back to an NFA, too many for that is an
        // error, never a panic.
        let automaton = |kind| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(kind)
                .build(&keywords)
        };
        let ac = automaton(Some(kind))
            .or_else(|_| automaton(None))
            .map_err(|e| Error::Config {
                path: None,
                message: format!("the rules' keywords do not fit in a keyword automaton: {e}"),
            })?;
        Ok((
            Prefilter::Built(ac),
            owned_table(keywords),
            owned_table(owners),
            owned_table(starting),
        ))
    }

    /// The automaton of the multi-line rules' anchors; `None` without multi-line rules.
    fn anchors(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.multiline_anchors
            .get_or_init(|| {
                // Leftmost-first: the match kind whose prefilter is a SIMD (Teddy) search.
                // Custom multi-line rules add anchors; an automaton too large to build would
                // only lose the unchanged-header case, never the scan.
                (!self.anchors.is_empty())
                    .then(|| {
                        AhoCorasickBuilder::new()
                            .match_kind(MatchKind::LeftmostFirst)
                            .build(self.anchors.iter().map(|(a, _)| a))
                            .ok()
                    })
                    .flatten()
            })
            .as_ref()
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// All candidates in `text` (encoded tokens included), sorted by position, overlaps
    /// resolved.
    pub fn scan(&self, text: &[u8]) -> Vec<Candidate> {
        self.scan_in(text, None)
    }

    fn scan_plain(&self, text: &[u8]) -> Vec<Candidate> {
        let all = 0..text.len();
        let found = self.prefilter.find_in(text, std::slice::from_ref(&all));
        let hits = found.into_iter().flat_map(|m| self.hits_at(text, m));
        self.run(text, hits, None)
    }

    /// A prefilter match as keyword hits: its own, then those of the longer keywords that
    /// start inside it and that the text completes.
    fn hits_at<'a>(
        &'a self,
        text: &'a [u8],
        (i, start, end): (usize, usize, usize),
    ) -> impl Iterator<Item = (&'a [usize], usize, usize)> + 'a {
        let own = (&*self.owners[i], start, end);
        // A longer keyword starting inside the hit agrees with it up to `end` (that is how
        // it was chosen), so the text from `end` on decides; the byte at `end` rules most of
        // them out without a loop.
        let next = text.get(end).map(u8::to_ascii_lowercase);
        std::iter::once(own).chain(self.starting_inside[i].iter().filter_map(move |&(k, j)| {
            let kw: &[u8] = &self.keywords[j];
            let at = start + k;
            let rest = &kw[end - at..];
            (rest.first() == next.as_ref()
                && text
                    .get(end..at + kw.len())
                    .is_some_and(|t| t.eq_ignore_ascii_case(rest)))
            .then(|| (&*self.owners[j], at, at + kw.len()))
        }))
    }

    /// Adds to `cands` the matches inside the encoded tokens of `text` (within `only`), each
    /// placed at its token. The decoded content explains an encoded value better than a
    /// generic guess about the token, so it replaces such a guess; a provider match on the
    /// token itself stays and wins.
    fn with_decoded(
        &self,
        text: &[u8],
        only: Option<&[Range<usize>]>,
        mut cands: Vec<Candidate>,
        depth: usize,
        budget: &mut usize,
    ) -> Vec<Candidate> {
        if depth >= MAX_DECODE_DEPTH || *budget == 0 {
            return cands;
        }
        let mut found = Vec::new();
        for seg in decode::segments(text, only, budget) {
            let inner = self.scan_plain(&seg.bytes);
            let inner = self.with_decoded(&seg.bytes, None, inner, depth + 1, budget);
            if inner.is_empty() {
                continue;
            }
            let shared: Arc<[u8]> = seg.bytes.into();
            for c in inner {
                found.push(Candidate {
                    rule: c.rule,
                    secret: seg.span.clone(),
                    span: seg.span.clone(),
                    entropy: c.entropy,
                    confidence: c.confidence,
                    decoded: Some(Arc::new(Decoded {
                        encoding: seg.encoding,
                        text: shared.clone(),
                        inner: c,
                    })),
                });
            }
        }
        if found.is_empty() {
            return cands;
        }
        let generic = |c: &Candidate| self.rules.rules[c.rule].generic;
        let provider = Cover::new(cands.iter().filter(|c| !generic(c)).map(|c| &c.secret));
        found.retain(|d| !provider.hits(&d.secret));
        let decoded = Cover::new(found.iter().map(|d| &d.secret));
        cands.retain(|c| !generic(c) || !decoded.hits(&c.secret));
        cands.extend(found);
        cands.sort_by_key(|c| (c.secret.start, c.secret.end));
        cands
    }

    /// Like `scan`, but looks for keywords only inside `only` (byte ranges of whole lines, in
    /// order): the cheap way to scan what changed in a new version of a file. Regex windows
    /// still see the surrounding text, multi-line rules are looked for in the whole text, and
    /// only candidates touching `only` are kept.
    pub fn scan_in(&self, text: &[u8], only: Option<&[Range<usize>]>) -> Vec<Candidate> {
        let cands = match only {
            None => self.scan_plain(text),
            Some(ranges) => self.scan_plain_in(text, ranges),
        };
        let mut budget = decode::MAX_DECODED;
        self.with_decoded(text, only, cands, 0, &mut budget)
    }

    fn scan_plain_in(&self, text: &[u8], ranges: &[Range<usize>]) -> Vec<Candidate> {
        let widened;
        let searched = if self.lines_before_changes == 0 {
            ranges
        } else {
            widened = lines_above(text, ranges, self.lines_before_changes);
            &widened[..]
        };
        let found = self.prefilter.find_in(text, searched);
        let mut hits: Vec<(&[usize], usize, usize)> = found
            .into_iter()
            .flat_map(|m| self.hits_at(text, m))
            .collect();
        for anchor in self.anchors().iter().flat_map(|a| a.find_iter(text)) {
            let Some(at) = anchor.start().checked_sub(self.anchors[anchor.pattern()].1) else {
                continue;
            };
            for (kw, owners) in &self.multiline {
                let end = at + kw.len();
                if end <= text.len() && text[at..end].eq_ignore_ascii_case(kw) {
                    hits.push((owners, at, end));
                }
            }
        }
        hits.sort_by_key(|&(_, start, _)| start);
        let only = Cover::new(ranges.iter());
        let context = (self.lines_before_changes > 0).then_some(&only);
        let mut cands = self.run(text, hits.into_iter(), context);
        cands.retain(|c| only.hits(&c.secret));
        cands
    }

    /// Runs the owning rules of each keyword hit (in text order) on their windows.
    fn run<'a>(
        &self,
        text: &[u8],
        hits: impl Iterator<Item = (&'a [usize], usize, usize)>,
        changed: Option<&Cover>,
    ) -> Vec<Candidate> {
        // Per rule: merged windows, in order of appearance.
        let mut windows: Vec<(usize, Range<usize>)> = Vec::new();
        let mut last_window: Vec<Option<usize>> = Vec::new();
        for (owners, start, end) in hits {
            // A keyword in the lines searched above a change (`changed` is the change) serves
            // only the rules that read the lines after it; the others would find nothing
            // that is kept, at the cost of running (and compiling) their regexes.
            let above = changed.is_some_and(|c| !c.hits(&(start..end)));
            for &rule_idx in owners {
                let rule = &self.rules.rules[rule_idx];
                if above && rule.lines_after == 0 && !rule.multiline {
                    continue;
                }
                let win = window(text, start, end, rule);
                if last_window.len() <= rule_idx {
                    last_window.resize(self.rules.rules.len(), None);
                }
                match last_window[rule_idx] {
                    Some(w) if windows[w].1.end >= win.start => {
                        let merged = &mut windows[w].1;
                        merged.end = merged.end.max(win.end);
                    }
                    _ => {
                        last_window[rule_idx] = Some(windows.len());
                        windows.push((rule_idx, win));
                    }
                }
            }
        }
        let mut out = Vec::new();
        let mut rejected = Vec::new();
        for (rule_idx, win) in windows {
            self.run_rule(text, rule_idx, win, &mut out, &mut rejected);
        }
        if !rejected.is_empty() {
            // A provider format that failed its own gate (bad checksum, too little entropy) is
            // not a secret; a generic rule must not report the same value instead.
            let rejected = Cover::new(rejected.iter());
            out.retain(|c| !self.rules.rules[c.rule].generic || !rejected.hits(&c.secret));
        }
        resolve_overlaps(&self.rules, out)
    }

    fn run_rule(
        &self,
        text: &[u8],
        rule_idx: usize,
        win: Range<usize>,
        out: &mut Vec<Candidate>,
        rejected: &mut Vec<Range<usize>>,
    ) {
        let rule = &self.rules.rules[rule_idx];
        let Some(re) = rule.regex() else { return };
        let groups = rule.secret_groups();
        let hay = &text[..win.end];
        let mut locs = re.capture_locations();
        let mut at = win.start;
        while at <= hay.len() {
            let Some(m) = re.captures_read_at(&mut locs, hay, at) else {
                break;
            };
            at = if m.end() > m.start() {
                m.end()
            } else {
                m.end() + 1
            };
            let secret = match groups.iter().find_map(|&g| locs.get(g)) {
                Some((s, e)) => s..e,
                None if !groups.is_empty() => continue,
                None => m.start()..m.end(),
            };
            if secret.is_empty() {
                continue;
            }
            if let Some(next_line) = past_its_lines(text, m.start(), secret.end, rule) {
                // The windows of keyword hits on neighbouring lines merge, so a single-line
                // rule's `\s*` could reach into the next line (`password:` above
                // `description: ...`): not a match; look again from the next line.
                at = next_line;
                continue;
            }
            let value = &text[secret.clone()];
            let h = entropy::shannon(value);
            let confidence = match rule.checksum {
                Some(c) if c.verify(value) => Some(c.confidence(rule.confidence)),
                Some(_) => None,
                None => Some(rule.confidence),
            };
            let passed = confidence.is_some()
                && !rule.min_entropy.is_some_and(|min| h < min)
                && (!rule.random || entropy::looks_random(value));
            let Some(confidence) = confidence.filter(|_| passed) else {
                if !rule.generic {
                    rejected.push(secret);
                }
                continue;
            };
            out.push(Candidate {
                rule: rule_idx,
                secret,
                span: m.start()..m.end(),
                entropy: h,
                confidence,
                decoded: None,
            });
        }
    }
}

/// The prefilter, its keywords, each keyword's owners and the keywords starting inside each.
type Built = (Prefilter, Table<u8>, Table<usize>, Table<(usize, usize)>);

/// A list per prefilter keyword: borrowed from the binary for the builtin rules (build.rs
/// computed it), owned when computed at start-up.
type Table<T> = Cow<'static, [Cow<'static, [T]>]>;

fn owned_table<T: Clone>(lists: Vec<Vec<T>>) -> Table<T> {
    Cow::Owned(lists.into_iter().map(Cow::Owned).collect())
}

/// Where in `kw` the 4-byte window whose bytes are least common in source text starts: common
/// lower-case letters and spaces score highest, upper-case letters, digits and rare
/// punctuation lowest; ties go to the earliest window.
fn rarest_window(kw: &[u8]) -> usize {
    let common = |b: &u8| match b {
        b' ' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' | b'l' | b'c' => 4,
        b'a'..=b'z' | b'\t' => 3,
        b'_' | b'.' | b'-' | b'/' | b'(' | b')' | b'"' | b'=' | b':' | b',' => 2,
        _ => 1,
    };
    (0..kw.len().saturating_sub(3).max(1))
        .min_by_key(|&i| kw[i..kw.len().min(i + 4)].iter().map(common).sum::<u32>())
        .unwrap_or(0)
}

/// `ranges` (ordered, disjoint), each also covering the `n` lines above it, merged where they
/// meet.
fn lines_above(text: &[u8], ranges: &[Range<usize>], n: u8) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        let mut start = r.start;
        for _ in 0..n {
            if start == 0 {
                break;
            }
            // `start` is at a line's first byte: step over the newline before it to the
            // start of the line above.
            start = memchr::memrchr(b'\n', &text[..start - 1]).map_or(0, |i| i + 1);
        }
        match out.last_mut() {
            Some(last) if last.end >= start => last.end = last.end.max(r.end),
            _ => out.push(start..r.end),
        }
    }
    out
}

/// Where the line after a match's first line starts, when the match (up to the end of its
/// value) runs over more lines than its rule reads: one, plus `lines_after`. A newline the
/// match starts with (a rule's `(?:^|[^a-z0-9_])` boundary) does not count.
fn past_its_lines(text: &[u8], start: usize, value_end: usize, rule: &Rule) -> Option<usize> {
    if rule.multiline {
        return None;
    }
    let from = if text.get(start) == Some(&b'\n') {
        start + 1
    } else {
        start
    };
    let span = text.get(from..value_end)?;
    let mut newlines = memchr::memchr_iter(b'\n', span);
    let first = newlines.next()?;
    (newlines.count() >= usize::from(rule.lines_after)).then_some(from + first + 1)
}

/// The region a rule's regex sees for a keyword hit at `start..end`.
fn window(text: &[u8], start: usize, end: usize, rule: &Rule) -> Range<usize> {
    let back_limit = start.saturating_sub(BACK);
    // Start at the newline itself, so that a rule's `(?:^|[^a-z0-9_])` boundary can match it
    // (`^` only matches at the start of the whole text).
    let from = match memchr::memrchr(b'\n', &text[back_limit..start]) {
        Some(i) => back_limit + i,
        None => back_limit,
    };
    if rule.multiline {
        return from..(end + FORWARD_MULTILINE).min(text.len());
    }
    // The end of the line from `at` on, at most FORWARD bytes away.
    let line_end = |at: usize| {
        let limit = (at + FORWARD).min(text.len());
        memchr::memchr(b'\n', &text[at..limit]).map_or(limit, |i| at + i)
    };
    let mut to = line_end(end);
    for _ in 0..rule.lines_after {
        if to >= text.len() {
            break;
        }
        to = line_end(to + 1); // over the newline
    }
    from..to
}

#[cfg(test)]
mod tests {
    use super::{AhoCorasickKind, Matcher};

    /// The owners build.rs computed for the builtin rules are those computed at start-up.
    #[test]
    fn owners_computed_at_build_time_are_those_computed_now() {
        let set = crate::rules::RuleSet::builtin().unwrap();
        let (_, k1, o1, s1) = Matcher::as_built_prefilter(&set).expect("as built");
        let (_, k2, o2, s2) = Matcher::computed_prefilter(&set, AhoCorasickKind::DFA).unwrap();
        assert_eq!(k1, k2);
        assert_eq!(o1, o2);
        assert_eq!(s1, s2);
    }
}
