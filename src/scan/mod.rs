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

mod lines;
pub use lines::LineCounter;

/// What the filters made of some candidates.
#[derive(Default)]
struct Found {
    findings: Vec<Finding>,
    suppressed: Tally,
    /// Range scans: findings hidden only by an inline marker on a line the change adds,
    /// listed for review as suppressed by this change.
    marked: Vec<Finding>,
}

/// Shared by the worker threads.
type Collected = Mutex<Found>;

fn collect(collected: &Collected, found: Found) {
    if !found.findings.is_empty() || found.suppressed.total() > 0 {
        let mut c = collected.lock().unwrap_or_else(|p| p.into_inner());
        c.findings.extend(found.findings);
        c.suppressed.merge(&found.suppressed);
        c.marked.extend(found.marked);
    }
}

pub fn run(settings: &Settings) -> Result<Report, Error> {
    let start = Instant::now();
    let matcher = match settings.mode {
        Mode::Staged(_) | Mode::Stdin => Matcher::for_small_inputs(settings.rules.clone()),
        _ => Matcher::new(settings.rules.clone()),
    }?;
    let collected: Collected = Mutex::default();
    let handle = |chunk: Chunk| {
        let (findings, suppressed) = scan_chunk(&matcher, &settings.allow, &chunk);
        let found = Found {
            findings,
            suppressed,
            marked: Vec::new(),
        };
        collect(&collected, found);
    };
    // A change under review: what an inline marker it adds hides is listed.
    let review = settings.review.is_some();
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
            notes.append(&mut plan.notes);
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
                    let mut found = Found::default();
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
                        let at = At {
                            origin: Origin::Commit {
                                commit: place.commit.clone(),
                                path: place.path.clone(),
                            },
                            rel_path: Some(&place.path),
                            added: added.as_deref(),
                            review,
                        };
                        findings_for(&matcher, cands, blob.text, &at, &settings.allow, &mut found);
                    }
                    collect(&collected, found);
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
    let Found {
        mut findings,
        mut suppressed,
        mut marked,
    } = collected.into_inner().unwrap_or_else(|p| p.into_inner());
    // `[allow] commits`: findings a history or range scan attributes to those commits.
    let before = findings.len();
    let allowed = |f: &Finding| {
        f.origin
            .commit()
            .is_some_and(|c| settings.allow.commit_allowed(&c.id))
    };
    findings.retain(|f| !allowed(f));
    suppressed.add(Reason::AllowCommit, (before - findings.len()) as u64);
    marked.retain(|f| !allowed(f));
    if commits.is_some() {
        findings = first_occurrences(findings);
        marked = first_occurrences(marked);
    }
    match &settings.mode {
        // What a pre-push or pre-receive hook reports is by definition not pushed yet (no
        // ref reaches it): the hook stops it.
        Mode::History(_, history::Selection::PrePush(_) | history::Selection::PreReceive(_)) => {}
        Mode::History(dir, _) => {
            crate::exposure::assess(dir, parents.as_ref(), &mut findings);
        }
        _ => {}
    }
    problems.extend(stats.take_problems());
    let order = |a: &Finding, b: &Finding| {
        (&a.origin, a.location, a.rule).cmp(&(&b.origin, b.location, b.rule))
    };
    findings.sort_by(order);
    marked.sort_by(order);
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
        marked,
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
/// baseline (fingerprints and rule ids, which generic rules misread as assignments). In a
/// change under review, the change's own config file is not scanned either (it is reviewed).
fn is_own_config(settings: &Settings, rel_path: Option<&str>) -> bool {
    let Some(rel) = rel_path else { return false };
    ((settings.config_path.is_some() || settings.review.is_some())
        && rel == crate::config::CONFIG_FILE)
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
    let at = At {
        origin: chunk.origin.clone(),
        rel_path: chunk.rel_path.as_deref(),
        added: chunk.added.as_deref(),
        review: false,
    };
    let mut found = Found::default();
    findings_for(matcher, &cands, &chunk.text, &at, allow, &mut found);
    (found.findings, found.suppressed)
}

/// Where one text's candidates are judged.
struct At<'a> {
    origin: Origin,
    rel_path: Option<&'a str>,
    /// Only candidates touching these ranges count (all when `None`).
    added: Option<&'a [Range<usize>]>,
    /// A change under review: a candidate that only an inline marker on an added line hides
    /// goes to `Found::marked`.
    review: bool,
}

/// Turns one text's candidates into findings at `at`: only those touching its added lines
/// (when given), minus the filtered ones (counted as suppressed), added to `out`.
fn findings_for(
    matcher: &Matcher,
    cands: &[Candidate],
    text: &[u8],
    at: &At,
    allow: &Allowlist,
    out: &mut Found,
) {
    let rel_path = at.rel_path;
    // A finding about a whole file (empty secret) counts wherever the file changed.
    let added = at.added.map(|ranges| Cover::new(ranges.iter()));
    let is_added = |r: &Range<usize>| added.as_ref().is_none_or(|a| a.hits(r));
    let cands: Vec<&Candidate> = cands
        .iter()
        .filter(|c| c.secret.is_empty() || is_added(&c.secret))
        .collect();
    if rel_path.is_some_and(|p| allow.path_allowed(p)) {
        out.suppressed.add(Reason::AllowPath, cands.len() as u64);
        return;
    }
    let rules = matcher.rules();
    let mut lines = LineCounter::new(text);
    for c in cands {
        let rule = &rules.rules[c.rule];
        // A match inside an encoded token is judged in its decoded context, and by the
        // original line's inline marker or one in that context.
        let (inner_text, inner) = c.innermost(text);
        let marker = filter::marker_at(text, c, allow);
        let marked = marker.is_some()
            || (c.decoded.is_some() && filter::inline(inner_text, inner, allow).is_some());
        if marked {
            out.suppressed.add(Reason::Inline, 1);
            // Listed for review when the marker is on a line the change adds and nothing
            // else would hide the candidate.
            let listed = at.review
                && marker.is_none_or(|m| is_added(&(m..m + 1)))
                && filter::check_unmarked(rule, inner, inner_text, rel_path, allow).is_none();
            if !listed {
                continue;
            }
        } else if let Some(reason) =
            filter::check_unmarked(rule, inner, inner_text, rel_path, allow)
        {
            out.suppressed.add(reason, 1);
            continue;
        }
        let confidence = filter::context::grade(rule, inner, inner_text, rel_path);
        if confidence < allow.min_confidence {
            if !marked {
                out.suppressed.add(Reason::LowConfidence, 1);
            }
            continue;
        }
        let secret = c.value(text).to_vec();
        let (line, column) = lines.position(c.secret.start);
        let (end_line, end_column) = lines.position_from(line, c.secret.end);
        // A whole file is known by its path: a baseline entry for `.env` is not one for
        // every `.env`.
        let fingerprint = if secret.is_empty() {
            fingerprint(&rule.id, at.origin.path().as_bytes())
        } else {
            fingerprint(&rule.id, &secret)
        };
        let finding = Finding {
            rule: c.rule,
            origin: at.origin.clone(),
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
            hint: (!marked && c.decoded.is_none() && crate::fix::applies_to(&at.origin))
                .then(|| {
                    let path = rel_path.unwrap_or(at.origin.path());
                    let env = &rules.provider_of(rule).env_var;
                    crate::fix::hint(path, text, &c.secret, env).map(Box::new)
                })
                .flatten(),
            confidence,
            more_occurrences: 0,
        };
        match marked {
            true => out.marked.push(finding),
            false => out.findings.push(finding),
        }
    }
}
