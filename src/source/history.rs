//! `--history`, `--since`, `--range`, `--pre-push`: blobs of commits, each unique blob read
//! once, with the places (path, commit) it was introduced at.
//!
//! Full history: walk the commits of every ref (branches, tags, remote-tracking refs, stash)
//! oldest first and their trees, visiting each (tree, path) once, to learn for every blob the
//! first commit that introduced it at each path. No blob content is read for that. Then read
//! each unique blob once, in parallel, grouped by path so that consecutive versions of a file
//! (which git stores as delta chains) hit the object cache.
//!
//! Ranges: few commits, so diff each commit's tree against its parents and keep the blobs
//! that are new at their path, with the parent's blob to compute the added lines from.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use gix::bstr::ByteSlice;
use gix::objs::FindExt;
use gix::ObjectId;

use super::git::{self, git_err, CommitData, CommitInfo};
use super::{is_binary, Stats};
use crate::error::Error;

/// Which commits to take.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Everything reachable from any ref.
    All,
    /// Commits reachable from HEAD and not from REV.
    Since(String),
    /// `A..B`: reachable from B and not from A.
    Range(String, String),
    /// git's pre-push hook input, read from stdin.
    PrePush,
}

/// Where a blob was introduced.
#[derive(Debug, Clone)]
pub struct Place {
    pub path: String,
    pub commit: Arc<CommitInfo>,
    /// For ranges: the parent's blob at this path; only lines added relative to it count.
    pub old: Option<ObjectId>,
}

/// One blob and every place it was introduced at.
pub struct Version {
    pub blob: ObjectId,
    pub places: Vec<Place>,
}

/// Work for one thread: blobs to read in order.
pub enum Job {
    /// Successive versions of one path (full history). The first version counts whole; each
    /// later one only by its lines that the previous version did not have, so the bulk of a
    /// long history (unchanged lines) is hashed but never searched.
    Chain(Vec<Version>),
    /// One blob introduced by commits of a range; each place counts the lines added relative
    /// to its parent's blob (`Place::old`).
    Diff(Version),
}

impl Job {
    fn versions(&self) -> &[Version] {
        match self {
            Job::Chain(v) => v,
            Job::Diff(v) => std::slice::from_ref(v),
        }
    }
}

/// A blob's content with its places; `added[i]` is `Some(ranges)` for places that only count
/// added lines.
pub struct BlobChunk<'a> {
    pub text: Vec<u8>,
    pub places: &'a [Place],
    pub added: Vec<Option<Vec<Range<usize>>>>,
}

pub struct Plan {
    repo: gix::ThreadSafeRepository,
    pub jobs: Vec<Job>,
    pub commits: usize,
    pub shallow: bool,
}

pub fn plan(dir: &Path, selection: &Selection, threads: usize) -> Result<Plan, Error> {
    let repo = git::discover(dir)?;
    let shallow = repo.is_shallow().unwrap_or(false);
    let (commits, jobs) = match selection {
        Selection::All => {
            let tips = all_ref_tips(&repo)?;
            let commits = walk(&repo, &tips, &[])?;
            let jobs = first_introductions(&repo, &commits, threads)?;
            (commits.len(), jobs)
        }
        Selection::Since(rev) => {
            let head = repo
                .head_id()
                .map_err(|e| git_err("--since needs a HEAD commit", e))?
                .detach();
            let hidden = resolve(&repo, rev)?;
            range_jobs(&repo, &[head], &[hidden], &format!("{rev}..HEAD"))?
        }
        Selection::Range(a, b) => {
            let hidden = resolve(&repo, a)?;
            let tip = resolve(&repo, b)?;
            range_jobs(&repo, &[tip], &[hidden], &format!("{a}..{b}"))?
        }
        Selection::PrePush => pre_push_jobs(&repo)?,
    };
    Ok(Plan {
        repo: repo.into_sync(),
        jobs,
        commits,
        shallow,
    })
}

/// The commit a revision names (tags peeled).
fn resolve(repo: &gix::Repository, rev: &str) -> Result<ObjectId, Error> {
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| Error::Git(format!("cannot resolve revision {rev:?}: {e}")))?;
    let commit = id
        .object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| Error::Git(format!("revision {rev:?} does not name a commit: {e}")))?;
    Ok(commit.id)
}

/// Every ref peeled to a commit: branches, tags, remote-tracking refs, the stash.
fn all_ref_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>, Error> {
    let mut tips = Vec::new();
    let refs = repo
        .references()
        .map_err(|e| git_err("cannot read refs", e))?;
    for r in refs.all().map_err(|e| git_err("cannot read refs", e))? {
        let Ok(mut r) = r else { continue };
        // A ref to a tree or blob, or a dangling ref, has no history to scan.
        if let Ok(commit) = r.peel_to_commit() {
            tips.push(commit.id);
        }
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    tips.sort_unstable();
    tips.dedup();
    Ok(tips)
}

/// Commits reachable from `tips` and not from `hidden`, parents before children.
fn walk(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &[ObjectId],
) -> Result<Vec<CommitData>, Error> {
    if tips.is_empty() {
        return Ok(Vec::new());
    }
    let walk = repo
        .rev_walk(tips.iter().copied())
        .with_hidden(hidden.iter().copied())
        .all()
        .map_err(|e| git_err("cannot walk the commit graph", e))?;
    let mut buf = Vec::new();
    let mut commits = Vec::new();
    for info in walk {
        let info = info.map_err(|e| git_err("cannot walk the commit graph", e))?;
        commits.push(git::read_commit(repo, info.id, &mut buf)?);
    }
    Ok(topo_order(commits))
}

/// Orders commits parents-first (by generation within the set), then by time.
fn topo_order(commits: Vec<CommitData>) -> Vec<CommitData> {
    let index: HashMap<ObjectId, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (oid_of(c), i))
        .collect();
    let mut generation = vec![0u32; commits.len()];
    let mut done = vec![false; commits.len()];
    for start in 0..commits.len() {
        let mut stack = vec![(start, false)];
        while let Some((i, expanded)) = stack.pop() {
            if done[i] {
                continue;
            }
            if expanded {
                generation[i] = commits[i]
                    .parents
                    .iter()
                    .filter_map(|p| index.get(p))
                    .map(|&p| generation[p] + 1)
                    .max()
                    .unwrap_or(0);
                done[i] = true;
            } else {
                stack.push((i, true));
                for p in &commits[i].parents {
                    if let Some(&pi) = index.get(p) {
                        if !done[pi] {
                            stack.push((pi, false));
                        }
                    }
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..commits.len()).collect();
    order.sort_by_key(|&i| (generation[i], commits[i].info.time));
    let mut slots: Vec<Option<CommitData>> = commits.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn oid_of(c: &CommitData) -> ObjectId {
    ObjectId::from_hex(c.info.id.as_bytes()).expect("commit ids are hex")
}

/// For every path reachable from `commits` (oldest first), the successive blobs it held, each
/// at the first commit that had it there. Each (tree, path) is visited once; no blob content
/// is read.
///
/// The commits are split into consecutive slices walked on `threads` threads (each slice
/// re-reads only the trees its first commit shares with the slice before), then the per-path
/// chains are concatenated in commit order.
fn first_introductions(
    repo: &gix::Repository,
    commits: &[CommitData],
    threads: usize,
) -> Result<Vec<Job>, Error> {
    let per = commits.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Vec<(String, Vec<Version>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = commits
            .chunks(per)
            .map(|slice| {
                let repo = repo.clone();
                scope.spawn(move || path_versions(&repo, slice))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut chains: Vec<Vec<Version>> = Vec::new();
    let mut chain_of: HashMap<String, usize> = HashMap::new();
    let mut seen: HashSet<(ObjectId, usize)> = HashSet::new();
    for part in parts {
        for (path, versions) in part {
            let chain = *chain_of.entry(path).or_insert_with(|| {
                chains.push(Vec::new());
                chains.len() - 1
            });
            for v in versions {
                if seen.insert((v.blob, chain)) {
                    chains[chain].push(v);
                }
            }
        }
    }
    // A chain is read in order by one thread, so a few very long ones (a changelog with
    // thousands of versions) would leave the other cores idle at the end. Cut them into
    // segments; each segment's first version is searched whole, which costs one full read
    // per segment and reports nothing new (findings keep their earliest commit).
    let mut jobs: Vec<Job> = Vec::new();
    for mut chain in chains {
        while chain.len() > MAX_SEGMENT {
            let rest = chain.split_off(MAX_SEGMENT);
            jobs.push(Job::Chain(chain));
            chain = rest;
        }
        jobs.push(Job::Chain(chain));
    }
    // Longest first, so that no thread is left with a long one at the end.
    jobs.sort_by_key(|j| std::cmp::Reverse(j.versions().len()));
    Ok(jobs)
}

/// Versions per chain segment (see `first_introductions`).
const MAX_SEGMENT: usize = 64;

/// The successive blobs of every path in `commits` (oldest first), in order of first sight.
fn path_versions(repo: &gix::Repository, commits: &[CommitData]) -> Vec<(String, Vec<Version>)> {
    // Paths are identified by a hash built entry by entry, so that the millions of tree
    // entries of a long history cost no allocation; strings are made only for new paths.
    let mut seen_trees: FastSet<(ObjectId, u64)> = FastSet::default();
    let mut chains: Vec<(String, Vec<Version>)> = Vec::new();
    let mut chain_of: FastMap<u64, usize> = FastMap::default();
    let mut seen_versions: FastSet<(ObjectId, usize)> = FastSet::default();
    let mut buf = Vec::new();
    for commit in commits {
        let mut stack = vec![(commit.tree, String::new(), 0u64)];
        while let Some((tree, prefix, prefix_hash)) = stack.pop() {
            if !seen_trees.insert((tree, prefix_hash)) {
                continue;
            }
            // A missing tree (shallow boundary, partial clone) ends this branch of the walk.
            let Ok(entries) = repo.objects.find_tree_iter(&tree, &mut buf) else {
                continue;
            };
            for entry in entries {
                let Ok(entry) = entry else { break };
                let hash = path_hash(prefix_hash, entry.filename);
                let join = || {
                    let name = entry.filename.to_str_lossy();
                    if prefix.is_empty() {
                        name.into_owned()
                    } else {
                        format!("{prefix}/{name}")
                    }
                };
                if entry.mode.is_tree() {
                    let oid = entry.oid.to_owned();
                    if !seen_trees.contains(&(oid, hash)) {
                        stack.push((oid, join(), hash));
                    }
                } else if entry.mode.is_blob() {
                    let chain = *chain_of.entry(hash).or_insert_with(|| {
                        chains.push((join(), Vec::new()));
                        chains.len() - 1
                    });
                    let oid = entry.oid.to_owned();
                    if seen_versions.insert((oid, chain)) {
                        let (path, versions) = &mut chains[chain];
                        versions.push(Version {
                            blob: oid,
                            places: vec![Place {
                                path: path.clone(),
                                commit: commit.info.clone(),
                                old: None,
                            }],
                        });
                    }
                }
            }
        }
    }
    chains
}

/// Hash of `prefix/name` from the prefix's hash (0 for the root).
fn path_hash(prefix: u64, name: &[u8]) -> u64 {
    let mut h = prefix.rotate_left(5) ^ 0x9e37_79b9_7f4a_7c15;
    for &b in name {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 29)
}

type FastSet<T> = HashSet<T, std::hash::BuildHasherDefault<FxHasher>>;
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

/// A small multiplicative hasher for keys that are object ids and path hashes (already
/// random-looking); SipHash's DoS resistance buys nothing here and costs a lot.
#[derive(Default)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Jobs for the blobs the commits of `tips` minus `hidden` introduced.
fn range_jobs(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &[ObjectId],
    what: &str,
) -> Result<(usize, Vec<Job>), Error> {
    let commits = walk(repo, tips, hidden)?;
    if commits.is_empty() {
        return Err(Error::Git(format!(
            "the range {what} is empty: it selects no commits, so nothing would be scanned (check the revisions; in CI, fetch enough history, e.g. actions/checkout with fetch-depth: 0)"
        )));
    }
    Ok((commits.len(), introduced_by(repo, &commits)?))
}

/// The (path, blob) pairs each commit introduced relative to its parents (for a merge: new
/// relative to every parent), with the first parent's blob for the line diff.
fn introduced_by(repo: &gix::Repository, commits: &[CommitData]) -> Result<Vec<Job>, Error> {
    let mut by_blob: HashMap<ObjectId, Vec<Place>> = HashMap::new();
    let mut buf = Vec::new();
    for commit in commits {
        let parent_trees: Vec<ObjectId> = commit
            .parents
            .iter()
            .filter_map(|p| git::read_commit(repo, *p, &mut buf).ok().map(|c| c.tree))
            .collect();
        let mut changes = Vec::new();
        git::diff_trees(
            repo,
            parent_trees.first().copied(),
            commit.tree,
            &mut changes,
        )?;
        for other in parent_trees.iter().skip(1) {
            let mut vs_other = Vec::new();
            git::diff_trees(repo, Some(*other), commit.tree, &mut vs_other)?;
            let keep: HashSet<_> = vs_other.iter().map(|c| (c.path.clone(), c.new)).collect();
            changes.retain(|c| keep.contains(&(c.path.clone(), c.new)));
        }
        for change in changes {
            by_blob.entry(change.new).or_default().push(Place {
                path: change.path.to_str_lossy().into_owned(),
                commit: commit.info.clone(),
                old: change.old,
            });
        }
    }
    Ok(by_blob
        .into_iter()
        .map(|(blob, places)| Job::Diff(Version { blob, places }))
        .collect())
}

/// git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>` per line.
fn pre_push_jobs(repo: &gix::Repository) -> Result<(usize, Vec<Job>), Error> {
    let stdin = std::io::stdin();
    let mut tips = Vec::new();
    let mut hidden = Vec::new();
    let mut new_branch = false;
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| Error::io("<stdin>", e))?;
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let [_, local, _, remote] = fields[..] else {
            return Err(Error::Usage(format!(
                "--pre-push: expected `<local ref> <local sha> <remote ref> <remote sha>` on stdin, got {:?}",
                crate::finding::sanitize(&line)
            )));
        };
        let parse = |s: &str| {
            ObjectId::from_hex(s.as_bytes())
                .map_err(|_| Error::Usage(format!("--pre-push: {s:?} is not an object id")))
        };
        let (local, remote) = (parse(local)?, parse(remote)?);
        if local.is_null() {
            continue; // deleting a remote branch pushes no commits
        }
        tips.push(local);
        if remote.is_null() {
            new_branch = true;
        } else if repo.find_header(remote).is_ok() {
            hidden.push(remote);
        } else {
            // The remote tip is unknown here (someone else pushed): fall back to what we know
            // the remote has.
            new_branch = true;
        }
    }
    if new_branch {
        hidden.extend(remote_tracking_tips(repo)?);
    }
    let commits = walk(repo, &tips, &hidden)?;
    Ok((commits.len(), introduced_by(repo, &commits)?))
}

fn remote_tracking_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>, Error> {
    let refs = repo
        .references()
        .map_err(|e| git_err("cannot read refs", e))?;
    let iter = refs
        .remote_branches()
        .map_err(|e| git_err("cannot read remote-tracking refs", e))?;
    Ok(iter
        .filter_map(Result::ok)
        .filter_map(|mut r| r.peel_to_commit().ok().map(|c| c.id))
        .collect())
}

/// Reads every job's blobs, jobs in parallel and each job's versions in order, and hands each
/// blob to `visit` with the ranges that count for each place. Blobs over `max_size` (checked
/// on the header) and binary blobs are skipped; unreadable ones are reported and counted.
pub fn for_each_blob<F>(
    plan: &Plan,
    max_size: u64,
    threads: usize,
    stats: &Stats,
    visit: F,
) -> Result<(), Error>
where
    F: Fn(BlobChunk<'_>) + Sync,
{
    let progress = progress_bar(plan.jobs.iter().map(|j| j.versions().len() as u64).sum());
    // Dynamic scheduling, one job at a time, with one repository handle (and pack cache) per
    // thread for the whole run: chains vary wildly in cost, and a static split left one
    // core working alone for most of the scan.
    let next = AtomicU64::new(0);
    let work = |repo: &mut gix::Repository, buf: &mut Vec<u8>, job: &Job| {
        // Chains: line hashes of the previous readable version, and of this one.
        let mut previous: Option<LineSet> = None;
        let mut current = LineSet::default();
        for version in job.versions() {
            progress.inc(1);
            let text = match git::read_blob(repo, version.blob, max_size, buf) {
                Ok(Some(t)) => t,
                Ok(None) => {
                    stats.skipped_large.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                Err(e) => {
                    stats.errors.fetch_add(1, Ordering::Relaxed);
                    eprintln!(
                        "scan-secrets: {e} (at {}); continuing",
                        version.places[0].path
                    );
                    continue;
                }
            };
            if is_binary(&text) {
                stats.skipped_binary.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            stats.files.fetch_add(1, Ordering::Relaxed);
            stats.bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
            let added = match job {
                Job::Chain(_) => {
                    let fresh = new_lines(&text, previous.as_ref(), &mut current);
                    // This version is the next one's predecessor; reuse the old set.
                    let spare = previous.take().unwrap_or_default();
                    previous = Some(std::mem::replace(&mut current, spare));
                    vec![fresh]
                }
                Job::Diff(_) => version
                    .places
                    .iter()
                    .map(|p| {
                        let old = p
                            .old
                            .and_then(|o| git::read_blob(repo, o, u64::MAX, buf).ok().flatten())
                            .unwrap_or_default();
                        Some(git::added_ranges(&old, &text))
                    })
                    .collect(),
            };
            if added.iter().all(|a| a.as_ref().is_some_and(Vec::is_empty)) {
                continue;
            }
            visit(BlobChunk {
                text,
                places: &version.places,
                added,
            });
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let mut repo = plan.repo.to_thread_local();
                repo.object_cache_size(0);
                git::limit_pack_cache(&mut repo);
                let mut buf = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(job) = plan.jobs.get(i) else { break };
                    work(&mut repo, &mut buf, job);
                }
            });
        }
    });
    progress.finish_and_clear();
    Ok(())
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (CI logs, pipes).
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "scanning history {bar:30} {pos}/{len} blobs {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Hashes of a version's lines.
type LineSet = HashSet<u64, std::hash::BuildHasherDefault<IdentityHasher>>;

/// The byte ranges of `text`'s lines that `previous` does not contain (`None` when there is no
/// previous version: everything counts), and `text`'s own line set.
/// `lines` is cleared and refilled (its allocation is reused from version to version).
fn new_lines(
    text: &[u8],
    previous: Option<&LineSet>,
    lines: &mut LineSet,
) -> Option<Vec<Range<usize>>> {
    lines.clear();
    lines.reserve(memchr::memchr_iter(b'\n', text).count() + 1);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i + 1);
        let h = line_hash(&text[start..end]);
        lines.insert(h);
        if previous.is_some_and(|p| !p.contains(&h)) {
            match ranges.last_mut() {
                Some(last) if last.end == start => last.end = end,
                _ => ranges.push(start..end),
            }
        }
        start = end;
    }
    previous.map(|_| ranges)
}

/// A fast 64-bit hash of one line (FNV-style over 8-byte words); a collision only costs a
/// missed "new line" with probability about 2^-64 per pair of lines.
fn line_hash(line: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ line.len() as u64;
    let mut chunks = line.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 31)
}

/// The line hashes are already mixed: use them as they are.
#[derive(Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_lines_against_previous_version() {
        let mut set = LineSet::default();
        assert!(new_lines(b"a\nb\nc\n", None, &mut set).is_none());
        let mut next = LineSet::default();
        let ranges = new_lines(b"a\nX\nb\nc\nY", Some(&set), &mut next);
        assert_eq!(ranges, Some(vec![2..4, 8..9]));
        assert_eq!(next.len(), 5);
    }
}
