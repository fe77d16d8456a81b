//! The orchestrator: sources → matcher → filters → findings, in parallel, then sorted into a
//! `Report` for the reporters.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::{Mode, Settings};
use crate::error::Error;
use crate::filter::{self, allowlist::Allowlist, Reason, Tally};
use crate::finding::{fingerprint, Finding, Location, Origin};
use crate::matcher::{Candidate, Cover, Matcher};
use crate::report::Report;
use crate::rules::{Context, RuleSet};
use crate::source::history;
use crate::source::{self, Chunk, Stats};

/// Findings and the suppressed count, shared by the worker threads.
type Collected = Mutex<(Vec<Finding>, Tally)>;

fn collect(collected: &Collected, found: Vec<Finding>, suppressed: Tally) {
    if !found.is_empty() || suppressed.total() > 0 {
        let mut c = collected.lock().unwrap_or_else(|p| p.into_inner());
        c.0.extend(found);
        c.1.merge(&suppressed);
    }
}

pub fn run(settings: &Settings) -> Result<Report, Error> {
    let start = Instant::now();
    let matcher = match settings.mode {
        Mode::Staged(_) | Mode::Stdin => Matcher::for_small_inputs(settings.rules.clone()),
        _ => Matcher::new(settings.rules.clone()),
    }?;
    let collected: Collected = Mutex::new((Vec::new(), Tally::default()));
    let handle = |chunk: Chunk| {
        let (found, suppressed) = scan_chunk(&matcher, &settings.allow, &chunk);
        collect(&collected, found, suppressed);
    };
    let stats = Stats::default();
    let mut commits = None;
    let mut parents = None;
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    match &settings.mode {
        Mode::Files(paths) => {
            let options = source::worktree::Options {
                root: &settings.root,
                threads: settings.threads,
                max_file_size: settings.max_file_size,
                recurse_submodules: settings.recurse_submodules,
                own_files: [&settings.config_path, &settings.baseline]
                    .into_iter()
                    .flatten()
                    .map(|p| p.as_path())
                    .collect(),
                own_names: &[crate::filter::baseline::DEFAULT_FILE],
            };
            source::worktree::walk(paths, &options, &stats, handle)
        }
        Mode::Stdin => {
            let chunk = source::stdin::read()?;
            stats.files.store(1, Ordering::Relaxed);
            stats
                .bytes
                .store(chunk.text.len() as u64, Ordering::Relaxed);
            handle(chunk);
        }
        Mode::Staged(dir) => {
            let staged = source::staged::collect(dir, settings.max_file_size)?;
            notes.extend(staged.notes);
            stats
                .skipped_large
                .store(staged.skipped_large, Ordering::Relaxed);
            stats
                .skipped_binary
                .store(staged.skipped_binary, Ordering::Relaxed);
            for chunk in staged.chunks {
                if is_own_config(settings, chunk.rel_path.as_deref()) {
                    continue;
                }
                if !chunk.unread {
                    stats.files.fetch_add(1, Ordering::Relaxed);
                    stats
                        .bytes
                        .fetch_add(chunk.text.len() as u64, Ordering::Relaxed);
                }
                handle(chunk);
            }
        }
        Mode::History(dir, selection) => {
            let mut plan = history::plan(dir, selection, settings.threads)?;
            parents = plan.parents.take();
            if plan.shallow {
                notes.push(
                    "this is a shallow clone; commits before its shallow boundary are not scanned (run `git fetch --unshallow` to scan everything)".into(),
                );
            }
            commits = Some(plan.commits);
            problems = std::mem::take(&mut plan.problems);
            history::for_each_blob(
                &plan,
                settings.max_file_size,
                settings.threads,
                &stats,
                |blob| {
                    // Search only where some place has lines that count.
                    let only = union(&blob.added);
                    let cands = match &only {
                        _ if blob.unread => Vec::new(),
                        Some(ranges) if ranges.is_empty() => Vec::new(),
                        _ => matcher.scan_in(blob.text, only.as_deref()),
                    };
                    let text = (!blob.unread).then_some(blob.text);
                    let mut found = Vec::new();
                    let mut suppressed = Tally::default();
                    let mut spans: Vec<Range<usize>> = Vec::new();
                    for (place, added) in blob.places.iter().zip(&blob.added) {
                        if is_own_config(settings, Some(&place.path)) {
                            continue;
                        }
                        let by_path = matcher.scan_path(&place.path, text, added.as_deref());
                        spans.extend(by_path.iter().map(|c| c.span.clone()));
                        if cands.is_empty() && by_path.is_empty() {
                            continue;
                        }
                        let all;
                        let cands = if by_path.is_empty() {
                            &cands
                        } else {
                            all = merge_candidates(matcher.rules(), &cands, by_path);
                            &all
                        };
                        let origin = Origin::Commit {
                            commit: place.commit.clone(),
                            path: place.path.clone(),
                        };
                        let (f, s) = findings_for(
                            &matcher,
                            cands,
                            blob.text,
                            origin,
                            Some(&place.path),
                            added.as_deref(),
                            &settings.allow,
                        );
                        found.extend(f);
                        suppressed.merge(&s);
                    }
                    collect(&collected, found, suppressed);
                    // Where candidates were, whatever the filters said at these places: the
                    // same lines in a later version (maybe at another path) are searched again.
                    spans.extend(
                        cands.iter().map(|c| {
                            c.span.start.min(c.secret.start)..c.span.end.max(c.secret.end)
                        }),
                    );
                    spans
                },
            )?;
        }
    }
    let (mut findings, mut suppressed) = collected.into_inner().unwrap_or_else(|p| p.into_inner());
    // `[allow] commits`: findings a history or range scan attributes to those commits.
    let before = findings.len();
    findings.retain(|f| {
        f.origin
            .commit()
            .is_none_or(|c| !settings.allow.commit_allowed(&c.id))
    });
    suppressed.add(Reason::AllowCommit, (before - findings.len()) as u64);
    if commits.is_some() {
        findings = first_occurrences(findings);
    }
    match &settings.mode {
        // What a pre-push hook reports is by definition not pushed yet: the hook stops it.
        Mode::History(_, history::Selection::PrePush) => {}
        Mode::History(dir, _) => {
            crate::exposure::assess(dir, parents.as_ref(), &mut findings);
        }
        _ => {}
    }
    problems.extend(stats.take_problems());
    findings.sort_by(|a, b| (&a.origin, a.location, a.rule).cmp(&(&b.origin, b.location, b.rule)));
    Ok(Report {
        findings,
        files: stats.files.into_inner(),
        bytes: stats.bytes.into_inner(),
        skipped_large: stats.skipped_large.into_inner(),
        skipped_binary: stats.skipped_binary.into_inner(),
        suppressed,
        problems,
        notes,
        elapsed: start.elapsed(),
        max_file_size: settings.max_file_size,
        commits,
        baselined: 0,
        stale_baseline: 0,
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    })
}

/// The union of the places' counted ranges; `None` when one place counts the whole text.
fn union(added: &[Option<Vec<Range<usize>>>]) -> Option<Vec<Range<usize>>> {
    let mut all: Vec<Range<usize>> = Vec::new();
    for a in added {
        all.extend(a.as_ref()?.iter().cloned());
    }
    Some(source::merge_ranges(all))
}

/// The config file in use is not scanned (it may hold allowlisted values on purpose), nor a
/// baseline (fingerprints and rule ids, which generic rules misread as assignments).
fn is_own_config(settings: &Settings, rel_path: Option<&str>) -> bool {
    let Some(rel) = rel_path else { return false };
    (settings.config_path.is_some() && rel == crate::config::CONFIG_FILE)
        || rel.rsplit('/').next() == Some(crate::filter::baseline::DEFAULT_FILE)
        || settings.baseline.as_ref().is_some_and(|b| {
            b.strip_prefix(&settings.root)
                .is_ok_and(|r| r.to_string_lossy().replace('\\', "/") == rel)
        })
}

/// History reports each (rule, secret, path) once, at its earliest commit (then lowest line);
/// the other occurrences are counted in `more_occurrences`.
fn first_occurrences(findings: Vec<Finding>) -> Vec<Finding> {
    let mut best: HashMap<(usize, String, String), (Finding, usize)> = HashMap::new();
    for f in findings {
        let key = (f.rule, f.fingerprint.clone(), f.origin.path().to_string());
        match best.get_mut(&key) {
            Some((kept, count)) => {
                *count += 1;
                if (f.origin.commit(), f.location) < (kept.origin.commit(), kept.location) {
                    *kept = f;
                }
            }
            None => {
                best.insert(key, (f, 0));
            }
        }
    }
    best.into_values()
        .map(|(mut f, more)| {
            f.more_occurrences = more;
            f
        })
        .collect()
}

/// Content candidates plus path-rule ones, in text order. A path rule's match on a value that
/// a content rule already matched is dropped (the content rule knows more: a name, a format).
fn merge_candidates(
    rules: &RuleSet,
    cands: &[Candidate],
    by_path: Vec<Candidate>,
) -> Vec<Candidate> {
    // A content rule is more specific than a path rule, except a free-text (`loose`) one: the
    // path rule knows the file's syntax (`password` on its own line of a .netrc).
    let strong = |c: &Candidate| {
        let rule = &rules.rules[c.rule];
        !(rule.generic && rule.context == Context::Loose)
    };
    let content = Cover::new(cands.iter().filter(|c| strong(c)).map(|c| &c.secret));
    let by_path: Vec<Candidate> = by_path
        .into_iter()
        .filter(|p| p.secret.is_empty() || !content.hits(&p.secret))
        .collect();
    let taken = Cover::new(by_path.iter().map(|p| &p.secret).filter(|s| !s.is_empty()));
    let mut all: Vec<Candidate> = cands
        .iter()
        .filter(|c| strong(c) || !taken.hits(&c.secret))
        .cloned()
        .collect();
    all.extend(by_path);
    all.sort_by_key(|c| c.secret.start);
    all
}

/// Matches one chunk and applies the filters; returns the findings and the suppressed count.
pub fn scan_chunk(matcher: &Matcher, allow: &Allowlist, chunk: &Chunk) -> (Vec<Finding>, Tally) {
    let mut cands = if chunk.unread {
        Vec::new()
    } else {
        matcher.scan_in(&chunk.text, chunk.added.as_deref())
    };
    if let Some(path) = &chunk.rel_path {
        // A staged change to a sensitive file counts whatever lines it touches.
        let by_path = matcher.scan_path(path, (!chunk.unread).then_some(&chunk.text[..]), None);
        if !by_path.is_empty() {
            cands = merge_candidates(matcher.rules(), &cands, by_path);
        }
    }
    if cands.is_empty() {
        return (Vec::new(), Tally::default());
    }
    findings_for(
        matcher,
        &cands,
        &chunk.text,
        chunk.origin.clone(),
        chunk.rel_path.as_deref(),
        chunk.added.as_deref(),
        allow,
    )
}

/// Turns one text's candidates into findings at `origin`: only those touching `added` lines
/// (when given), minus the filtered ones (counted as suppressed).
fn findings_for(
    matcher: &Matcher,
    cands: &[Candidate],
    text: &[u8],
    origin: Origin,
    rel_path: Option<&str>,
    added: Option<&[Range<usize>]>,
    allow: &Allowlist,
) -> (Vec<Finding>, Tally) {
    // A finding about a whole file (empty secret) counts wherever the file changed.
    let added = added.map(|ranges| Cover::new(ranges.iter()));
    let touches_added =
        |c: &&Candidate| c.secret.is_empty() || added.as_ref().is_none_or(|a| a.hits(&c.secret));
    let cands: Vec<&Candidate> = cands.iter().filter(touches_added).collect();
    let mut suppressed = Tally::default();
    if rel_path.is_some_and(|p| allow.path_allowed(p)) {
        suppressed.add(Reason::AllowPath, cands.len() as u64);
        return (Vec::new(), suppressed);
    }
    let rules = matcher.rules();
    let mut lines = LineCounter::new(text);
    let mut out = Vec::new();
    for c in cands {
        let rule = &rules.rules[c.rule];
        // A match inside an encoded token is judged in its decoded context, and by the
        // original line's inline marker.
        let (inner_text, inner) = c.innermost(text);
        let verdict = match c.decoded {
            Some(_) => filter::inline(text, c, allow)
                .or_else(|| filter::check(rule, inner, inner_text, rel_path, allow)),
            None => filter::check(rule, c, text, rel_path, allow),
        };
        if let Some(reason) = verdict {
            suppressed.add(reason, 1);
            continue;
        }
        let confidence = filter::context::grade(rule, inner, inner_text, rel_path);
        if confidence < allow.min_confidence {
            suppressed.add(Reason::LowConfidence, 1);
            continue;
        }
        let secret = c.value(text).to_vec();
        let (line, column) = lines.position(c.secret.start);
        let (end_line, end_column) = lines.position_from(line, c.secret.end);
        // A whole file is known by its path: a baseline entry for `.env` is not one for
        // every `.env`.
        let fingerprint = if secret.is_empty() {
            fingerprint(&rule.id, origin.path().as_bytes())
        } else {
            fingerprint(&rule.id, &secret)
        };
        out.push(Finding {
            rule: c.rule,
            origin: origin.clone(),
            location: Location {
                line,
                column,
                end_line,
                end_column,
            },
            fingerprint,
            secret,
            entropy: c.entropy,
            encoding: c.decoded.as_ref().map(|d| d.encoding),
            token: c.decoded.as_ref().map(|_| text[c.secret.clone()].to_vec()),
            exposure: None,
            hint: (c.decoded.is_none() && crate::fix::applies_to(&origin))
                .then(|| {
                    let path = rel_path.unwrap_or(origin.path());
                    let env = &rules.provider_of(rule).env_var;
                    crate::fix::hint(path, text, &c.secret, env).map(Box::new)
                })
                .flatten(),
            confidence,
            more_occurrences: 0,
        });
    }
    (out, suppressed)
}

/// Turns byte offsets (visited in increasing order) into 1-based line and column numbers,
/// counting columns in characters.
pub struct LineCounter<'a> {
    text: &'a [u8],
    /// Offset and number of the line last reached.
    line_start: usize,
    line: usize,
    /// The last offset placed on that line and its column: counting resumes there, so that
    /// many matches on one long line (a minified file) cost one pass, not one pass each.
    mark: usize,
    mark_col: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            line_start: 0,
            line: 1,
            mark: 0,
            mark_col: 1,
        }
    }

    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.mark {
            if offset < self.line_start {
                self.line_start = 0;
                self.line = 1;
            }
            self.mark = self.line_start;
            self.mark_col = 1;
        }
        let seg = &self.text[self.mark..offset];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.line_start = self.mark + last + 1;
                self.mark_col = 1 + chars(&self.text[self.line_start..offset]);
            }
            None => self.mark_col += chars(seg),
        }
        self.mark = offset;
        (self.line, self.mark_col)
    }

    /// Position of an end offset at or after the last `position`, without moving the counter
    /// (the next start may be earlier).
    fn position_from(&self, line: usize, offset: usize) -> (usize, usize) {
        let seg = &self.text[self.mark..offset];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => (
                line + memchr::memchr_iter(b'\n', seg).count(),
                1 + chars(&seg[last + 1..]),
            ),
            None => (line, self.mark_col + chars(seg)),
        }
    }
}

/// Characters in UTF-8 `bytes` (continuation bytes are not counted).
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::LineCounter;

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncdé f\n\nxyz".as_bytes();
        let mut lc = LineCounter::new(text);
        assert_eq!(lc.position(0), (1, 1));
        assert_eq!(lc.position(4), (2, 2));
        // 'f' comes after the two-byte é: column counts characters.
        let f = text.iter().position(|&b| b == b'f').unwrap();
        assert_eq!(lc.position(f), (2, 5));
        assert_eq!(lc.position(text.len() - 1), (4, 3));
        assert_eq!(lc.position(1), (1, 2));
        // Ends: on the same line, and across lines.
        assert_eq!(lc.position(3), (2, 1));
        assert_eq!(lc.position_from(2, f + 1), (2, 6));
        assert_eq!(lc.position_from(2, text.len()), (4, 4));
        // Back on the same line, then forward again.
        assert_eq!(lc.position(f), (2, 5));
        assert_eq!(lc.position(4), (2, 2));
        assert_eq!(lc.position(f), (2, 5));
    }

    #[test]
    fn many_positions_on_one_line_agree_with_counting_from_scratch() {
        let text = "é-abc ".repeat(500);
        let bytes = text.as_bytes();
        let mut lc = LineCounter::new(bytes);
        for (offset, _) in text.char_indices().step_by(7) {
            let expected = 1 + text[..offset].chars().count();
            assert_eq!(lc.position(offset), (1, expected));
        }
    }
}
