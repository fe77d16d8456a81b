//! `--history`, `--since`, `--range`, `--pre-push`: blobs of commits, each unique blob read
//! once, with the places (path, commit) it was introduced at.
//!
//! Full history: read the commits of every ref (branches, tags, remote-tracking refs, stash)
//! and diff each commit's tree against its first parent's, newest commit first, to learn for
//! every path the blobs it held and the first commit that had each. No blob content is read
//! for that. Then read the blobs in parallel, in path order or pack order (see `Jobs`, chosen
//! by `deltas_follow_paths`), searching only the lines a version adds to the one before it
//! (path order) or to its delta base (pack order).
//!
//! Objects come from `pack::Reader`, which keeps the delta bases it decodes, so walking
//! history decodes most objects about once.
//!
//! Ranges: few commits, so diff each commit's tree against its parents and keep the blobs
//! that are new at their path, with the parent's blob to compute the added lines from.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use gix::bstr::ByteSlice;
use gix::ObjectId;

use super::git::{self, git_err, CommitData, CommitInfo};
use super::pack::{Packs, Reader};
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

/// The blobs to read.
pub enum Jobs {
    /// Full history, read path by path: segments of the successive versions of one path. The
    /// first version of a segment counts whole; each later one only by the lines the previous
    /// version lacks, so the bulk of a long history (unchanged lines) is never searched. Best
    /// when the pack stores each file's versions as deltas of each other (`git gc`, clones).
    Chains(Vec<Vec<Version>>),
    /// Full history, read in pack order: every blob once, with every (path, first commit) it
    /// had. A blob stored as a delta counts only by the lines its delta base lacks, plus the
    /// lines where the base had candidates. Best when deltas follow the order objects were
    /// written in rather than paths (`git fast-import`, which many converters use).
    Whole(Vec<Version>),
    /// Blobs introduced by the commits of a range; each place counts the lines added relative
    /// to its parent's blob (`Place::old`).
    Diff(Vec<Version>),
}

/// A blob's content with its places; `added[i]` is `Some(ranges)` for places that only count
/// added lines.
pub struct BlobChunk<'a> {
    pub text: &'a [u8],
    pub places: &'a [Place],
    pub added: Vec<Option<Vec<Range<usize>>>>,
    /// The blob is binary or over the size limit and `text` is empty: only path rules apply.
    pub unread: bool,
}

impl<'a> BlobChunk<'a> {
    fn unread(places: &'a [Place]) -> Self {
        BlobChunk {
            text: &[],
            places,
            added: vec![None; places.len()],
            unread: true,
        }
    }
}

pub struct Plan {
    repo: gix::ThreadSafeRepository,
    packs: Packs,
    pub jobs: Jobs,
    pub commits: usize,
    pub shallow: bool,
    /// Objects that could not be read while planning (already reported on stderr).
    pub errors: u64,
    /// Full history: every commit walked and its parents, for exposure triage afterwards.
    pub parents: Option<Parents>,
}

/// Commits and their parents, as walked for a full-history plan.
pub type Parents = FastMap<ObjectId, Vec<ObjectId>>;

pub fn plan(dir: &Path, selection: &Selection, threads: usize) -> Result<Plan, Error> {
    let repo = git::discover(dir)?;
    let packs = Packs::open(&repo);
    let shallow = repo.is_shallow().unwrap_or(false);
    let mut errors = 0;
    let mut parents = None;
    let (commits, jobs) = match selection {
        Selection::All => {
            let (tips, broken) = all_ref_tips(&repo)?;
            errors += broken;
            let (commits, unreadable) = walk_all(&repo, &packs, &tips)?;
            errors += unreadable;
            let (jobs, unreadable) = first_introductions(&repo, &packs, &commits, threads)?;
            errors += unreadable;
            parents = Some(commits.iter().map(|c| (c.id, c.parents.clone())).collect());
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
    // The trees and commits read for the plan are not read again.
    packs.release_pages();
    Ok(Plan {
        repo: repo.into_sync(),
        packs,
        jobs,
        commits,
        shallow,
        errors,
        parents,
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

/// Every ref peeled to a commit: branches, tags, remote-tracking refs, the stash; and how
/// many refs are broken (unreadable, or naming an object the repository does not have: what
/// they pointed to is not scanned), each reported on stderr.
fn all_ref_tips(repo: &gix::Repository) -> Result<(Vec<ObjectId>, u64), Error> {
    let mut tips = Vec::new();
    let mut broken = 0;
    let refs = repo
        .references()
        .map_err(|e| git_err("cannot read refs", e))?;
    for r in refs.all().map_err(|e| git_err("cannot read refs", e))? {
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                broken += 1;
                eprintln!("scan-secrets: cannot read a ref: {e}; continuing");
                continue;
            }
        };
        let direct = r.target().try_id().map(|id| id.to_owned());
        match r.peel_to_commit() {
            Ok(commit) => tips.push(commit.id),
            // A ref to a tree or blob, or a dangling symbolic ref, has no history to scan; an
            // object that cannot be read is reported by the walk.
            Err(_) => match direct.map(|id| (id, repo.find_header(id))) {
                Some((id, Ok(h))) if h.kind() == gix::objs::Kind::Commit => tips.push(id),
                Some((id, Err(_))) if !repo.has_object(id) => {
                    broken += 1;
                    eprintln!(
                        "scan-secrets: ref {} points to {id}, which is not in the repository; continuing without it",
                        crate::finding::sanitize(&r.name().as_bstr().to_str_lossy())
                    );
                }
                Some((id, Err(_))) => tips.push(id),
                _ => {}
            },
        }
    }
    if let Ok(head) = repo.head_id() {
        tips.push(head.detach());
    }
    tips.sort_unstable();
    tips.dedup();
    Ok((tips, broken))
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

/// Every commit reachable from `tips`, parents before children, and how many could not be
/// read. Commits that are missing (beyond a shallow clone's boundary) end the walk there;
/// unreadable ones (a corrupt pack) are reported on stderr and end it too.
fn walk_all(
    repo: &gix::Repository,
    packs: &Packs,
    tips: &[ObjectId],
) -> Result<(Vec<CommitData>, u64), Error> {
    let mut errors = 0;
    let mut reader = packs.reader(repo.clone(), COMMIT_CACHE_BYTES);
    let mut seen: FastSet<ObjectId> = FastSet::default();
    let mut queue: Vec<ObjectId> = tips.to_vec();
    let mut buf = Vec::new();
    let mut commits = Vec::new();
    while let Some(id) = queue.pop() {
        if !seen.insert(id) {
            continue;
        }
        let commit = match reader.find(&id, &mut buf) {
            Ok(Some(gix::objs::Kind::Commit)) => git::parse_commit(id, &buf),
            // A tip that is not a commit (a ref that gix could not peel) or a missing parent.
            Ok(_) => continue,
            Err(e) => Err(e),
        };
        let commit = match commit {
            Ok(c) => c,
            Err(e) => {
                errors += 1;
                eprintln!("scan-secrets: commit {id}: {e}; its history is not scanned; continuing");
                continue;
            }
        };
        queue.extend(commit.parents.iter().filter(|p| !seen.contains(*p)));
        commits.push(commit);
    }
    Ok((topo_order(commits), errors))
}

/// Decoded objects kept while walking commits (commits are rarely deltified).
const COMMIT_CACHE_BYTES: usize = 4 << 20;

/// Walks the history of each of `tips` in turn, never visiting a commit twice across tips,
/// and calls `visit(tip index, commit)`; stops when `visit` returns false. Parents come from
/// `known` (a full-history plan's walk) when it has the commit, else from the pack reader.
/// Unreadable or missing commits end their branch of the walk silently (the scan that needed
/// them has reported them).
pub fn walk_from_each(
    repo: &gix::Repository,
    known: Option<&Parents>,
    tips: &[ObjectId],
    mut visit: impl FnMut(usize, ObjectId) -> bool,
) {
    let packs = Packs::open(repo);
    let mut reader = packs.reader(repo.clone(), COMMIT_CACHE_BYTES);
    let mut seen: FastSet<ObjectId> = FastSet::default();
    let mut buf = Vec::new();
    for (i, tip) in tips.iter().enumerate() {
        let mut stack = vec![*tip];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if !visit(i, id) {
                return;
            }
            if let Some(parents) = known.and_then(|k| k.get(&id)) {
                stack.extend(parents.iter().filter(|p| !seen.contains(*p)));
            } else if let Ok(Some(gix::objs::Kind::Commit)) = reader.find(&id, &mut buf) {
                if let Ok(commit) = git::parse_commit(id, &buf) {
                    stack.extend(commit.parents.iter().filter(|p| !seen.contains(*p)));
                }
            }
        }
    }
}

/// Orders commits parents-first (by generation within the set), then by time.
fn topo_order(commits: Vec<CommitData>) -> Vec<CommitData> {
    let index: HashMap<ObjectId, usize> =
        commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
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

/// For every path reachable from `commits` (oldest first), the successive blobs it held, each
/// at the first commit that had it there. No blob content is read for that.
///
/// Each commit's tree is diffed against its first parent's: entries whose bytes are equal in
/// both (the vast majority: one commit changes a few files) are skipped without hashing or
/// lookups, and only changed subtrees are entered. A blob new at a path relative to the first
/// parent is recorded with the commit's index; the earliest record of each (path, blob) is the
/// first commit that had it (that commit's first parent, being earlier, did not).
///
/// Commits are walked newest first: git deltifies older versions of a tree against newer
/// ones, so in that order each tree is one delta away from one just decoded (in the pack
/// cache), where oldest-first order would re-inflate whole delta chains. The commits are split
/// into consecutive slices walked on `threads` threads.
fn first_introductions(
    repo: &gix::Repository,
    packs: &Packs,
    commits: &[CommitData],
    threads: usize,
) -> Result<(Jobs, u64), Error> {
    let tree_of: FastMap<ObjectId, ObjectId> = commits.iter().map(|c| (c.id, c.tree)).collect();
    let order = descent_order(commits);
    let per = order.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<PathRecords> = std::thread::scope(|scope| {
        let handles: Vec<_> = order
            .chunks(per)
            .map(|slice| {
                let repo = repo.clone();
                let tree_of = &tree_of;
                scope.spawn(move || {
                    let mut reader = packs.reader(repo, TREE_CACHE_BYTES);
                    path_records(&mut reader, commits, slice, tree_of)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    // Per path: (commit index, blob) records from all slices, earliest first, one per blob.
    let mut chain_of: HashMap<String, usize> = HashMap::new();
    let mut chains: Vec<(String, Vec<(u32, ObjectId)>)> = Vec::new();
    let errors = parts.iter().map(|p| p.errors).sum();
    for part in parts {
        for (path, records) in part.paths.into_iter().zip(part.records) {
            let i = *chain_of.entry(path).or_insert_with_key(|path| {
                chains.push((path.clone(), Vec::new()));
                chains.len() - 1
            });
            chains[i].1.extend(records);
        }
    }
    drop(chain_of);
    // Per path, its versions: one per blob, at the first commit that had it there.
    let mut seen: FastSet<ObjectId> = FastSet::default();
    let chains: Vec<Vec<Version>> = chains
        .into_iter()
        .map(|(path, mut records)| {
            records.sort_unstable_by_key(|&(commit, _)| commit);
            seen.clear();
            records
                .into_iter()
                .filter(|&(_, blob)| seen.insert(blob))
                .map(|(commit, blob)| Version {
                    blob,
                    places: vec![Place {
                        path: path.clone(),
                        commit: commits[commit as usize].info.clone(),
                        old: None,
                    }],
                })
                .collect()
        })
        .collect();
    // The order can be forced, to compare the two (tests, benchmarks, troubleshooting).
    let by_path = match std::env::var(ORDER_VAR).as_deref() {
        Ok("path") => true,
        Ok("pack") => false,
        _ => deltas_follow_paths(packs, &chains),
    };
    if by_path {
        Ok((Jobs::Chains(segments(chains)), errors))
    } else {
        Ok((Jobs::Whole(by_blob(chains)), errors))
    }
}

/// Forces the full-history read order: `path` (`Jobs::Chains`) or `pack` (`Jobs::Whole`).
const ORDER_VAR: &str = "SCAN_SECRETS_HISTORY_ORDER";

/// Whether the packs mostly store a file's versions as deltas of its other versions: true for
/// packs written by `git gc`/`repack` and servers (they sort objects by path before picking
/// delta bases), false for `git fast-import`, whose deltas chain objects in the order they
/// were written. Decided on a sample of the versions, from pack entry headers only.
fn deltas_follow_paths(packs: &Packs, chains: &[Vec<Version>]) -> bool {
    let mut path_at: FastMap<(usize, u64), usize> = FastMap::default();
    for (i, chain) in chains.iter().enumerate() {
        for v in chain {
            if let Some(at) = packs.locate(&v.blob) {
                path_at.insert(at, i);
            }
        }
    }
    let (mut same, mut other) = (0u32, 0u32);
    let every = (path_at.len() / 2000).max(1);
    for (&at, &path) in path_at.iter().step_by(every) {
        match packs.delta_base(at).map(|base| path_at.get(&base)) {
            Some(Some(&p)) if p == path => same += 1,
            Some(_) => other += 1,
            None => {}
        }
    }
    same >= other
}

/// Cuts long chains into segments, longest first. A chain is read in order by one thread, so
/// a few very long ones (a changelog with thousands of versions) would leave the other cores
/// idle at the end; each segment's first version is searched whole, which costs one full
/// read per segment and reports nothing new (findings keep their earliest commit).
fn segments(chains: Vec<Vec<Version>>) -> Vec<Vec<Version>> {
    let mut out = Vec::new();
    for mut chain in chains {
        while chain.len() > MAX_SEGMENT {
            let rest = chain.split_off(MAX_SEGMENT);
            out.push(chain);
            chain = rest;
        }
        out.push(chain);
    }
    out.sort_by_key(|c| std::cmp::Reverse(c.len()));
    out
}

/// Versions per chain segment (see `segments`).
const MAX_SEGMENT: usize = 64;

/// Every blob once, with the places of all its paths, earliest first.
fn by_blob(chains: Vec<Vec<Version>>) -> Vec<Version> {
    let mut places_of: FastMap<ObjectId, Vec<Place>> = FastMap::default();
    for version in chains.into_iter().flatten() {
        places_of
            .entry(version.blob)
            .or_default()
            .extend(version.places);
    }
    places_of
        .into_iter()
        .map(|(blob, mut places)| {
            places.sort_by(|a, b| (&a.commit, &a.path).cmp(&(&b.commit, &b.path)));
            Version { blob, places }
        })
        .collect()
}

/// What one slice of commits introduced: `records[i]` lists the (commit index, blob) pairs new
/// at `paths[i]`.
#[derive(Default)]
struct PathRecords {
    paths: Vec<String>,
    records: Vec<Vec<(u32, ObjectId)>>,
    /// Trees that could not be read.
    errors: u64,
}

/// The (path, blob) pairs each commit of `commits` named in `order` introduced relative to
/// its first parent.
fn path_records(
    reader: &mut Reader<'_>,
    commits: &[CommitData],
    order: &[u32],
    tree_of: &FastMap<ObjectId, ObjectId>,
) -> PathRecords {
    // Paths are identified by a hash built entry by entry, so that tree entries cost no
    // allocation; strings are made only for new paths.
    let mut out = PathRecords::default();
    let mut path_of: FastMap<u64, usize> = FastMap::default();
    let hash_len = reader.repo().object_hash().len_in_bytes();
    let (mut new_buf, mut old_buf) = (Vec::new(), Vec::new());
    let mut stack = Vec::new();
    for &index in order {
        let commit = &commits[index as usize];
        let parent_tree = commit.parents.first().and_then(|p| tree_of.get(p)).copied();
        stack.push((parent_tree, commit.tree, String::new(), 0u64));
        while let Some((old, new, prefix, prefix_hash)) = stack.pop() {
            if old == Some(new) {
                continue;
            }
            // A missing tree (shallow boundary, partial clone) ends this branch of the walk.
            let Some(new_data) = read_raw_tree(reader, &new, &mut new_buf, &mut out.errors) else {
                continue;
            };
            // An unreadable parent tree makes everything below count as new: more work, no
            // loss.
            let old_data = old
                .and_then(|o| read_raw_tree(reader, &o, &mut old_buf, &mut out.errors))
                .unwrap_or_default();
            for Change { entry, old_tree } in TreeDiff::new(old_data, new_data, hash_len) {
                let Ok(oid) = ObjectId::try_from(entry.oid) else {
                    continue;
                };
                let hash = path_hash(prefix_hash, entry.name);
                let join = || {
                    let name = entry.name.to_str_lossy();
                    if prefix.is_empty() {
                        name.into_owned()
                    } else {
                        format!("{prefix}/{name}")
                    }
                };
                if entry.is_tree() {
                    stack.push((old_tree, oid, join(), hash));
                } else if entry.is_blob() {
                    let p = *path_of.entry(hash).or_insert_with(|| {
                        out.paths.push(join());
                        out.records.push(Vec::new());
                        out.paths.len() - 1
                    });
                    out.records[p].push((index, oid));
                }
            }
        }
    }
    out
}

/// The raw bytes of tree `id`, or `None` when it is missing or not a tree.
/// An unreadable tree (a corrupt pack) is reported on stderr and counted in `errors`; a
/// missing one (beyond a shallow clone's boundary) is not an error.
fn read_raw_tree<'b>(
    reader: &mut Reader<'_>,
    id: &ObjectId,
    buf: &'b mut Vec<u8>,
    errors: &mut u64,
) -> Option<&'b [u8]> {
    match reader.find(id, buf) {
        Ok(Some(gix::objs::Kind::Tree)) => Some(buf),
        Ok(_) => None,
        Err(e) => {
            *errors += 1;
            eprintln!("scan-secrets: tree {id}: {e}; the files below it are not scanned there; continuing");
            None
        }
    }
}

/// The blob's bytes, or `None` when it is larger than `max` (checked on the header, before
/// decompressing). `buf`'s allocation is handed over as the result.
fn read_blob(
    reader: &mut Reader<'_>,
    id: ObjectId,
    max: u64,
    buf: &mut Vec<u8>,
) -> Result<Option<Vec<u8>>, Error> {
    if reader.size(&id)? > max {
        return Ok(None);
    }
    match reader.find(&id, buf)? {
        Some(gix::objs::Kind::Blob) => Ok(Some(std::mem::take(buf))),
        Some(kind) => Err(Error::Git(format!("object {id} is a {kind}, not a blob"))),
        None => Err(Error::Git(format!("blob {id} is missing"))),
    }
}

/// Decoded trees kept per planning thread: a commit's trees are diffed against its parent's,
/// which were usually decoded for the commit before, and share delta chains with them.
const TREE_CACHE_BYTES: usize = 16 << 20;

/// Decoded objects kept per thread while reading blobs: whole delta chains of the file being
/// read, so that each of its versions is one delta away from a cached one.
const BLOB_CACHE_BYTES: usize = 8 << 20;

/// One entry of a raw tree: `<octal mode> <name>\0<object id>`.
#[derive(Clone, Copy)]
struct Entry<'a> {
    mode: u32,
    name: &'a [u8],
    oid: &'a [u8],
    /// The entry's bytes, to compare entries without parsing them further.
    raw: &'a [u8],
}

impl Entry<'_> {
    fn is_tree(&self) -> bool {
        self.mode & 0o170000 == 0o040000
    }
    fn is_blob(&self) -> bool {
        self.mode & 0o170000 == 0o100000
    }
    /// git's tree order: names compared bytewise, a tree's name as if it ended in `/`.
    fn cmp_order(&self, other: &Entry<'_>) -> std::cmp::Ordering {
        let n = self.name.len().min(other.name.len());
        self.name[..n].cmp(&other.name[..n]).then_with(|| {
            let end = |e: &Entry<'_>| {
                e.name
                    .get(n)
                    .copied()
                    .unwrap_or(if e.is_tree() { b'/' } else { 0 })
            };
            end(self).cmp(&end(other))
        })
    }
}

/// Parses the entry at the start of `data`; `None` at the end or on malformed data.
fn parse_entry(data: &[u8], hash_len: usize) -> Option<(Entry<'_>, &[u8])> {
    let space = memchr::memchr(b' ', data)?;
    let mut mode = 0u32;
    for &b in &data[..space] {
        let d = b.wrapping_sub(b'0');
        if d > 7 || mode > 0o7777777 {
            return None;
        }
        mode = (mode << 3) | u32::from(d);
    }
    let nul = space + 1 + memchr::memchr(0, &data[space + 1..])?;
    let end = nul + 1 + hash_len;
    if end > data.len() {
        return None;
    }
    let entry = Entry {
        mode,
        name: &data[space + 1..nul],
        oid: &data[nul + 1..end],
        raw: &data[..end],
    };
    Some((entry, &data[end..]))
}

/// An entry of the new tree that is not byte-identical in the old one, with the old tree's
/// subtree of the same name (to diff against) when there is one.
struct Change<'a> {
    entry: Entry<'a>,
    old_tree: Option<ObjectId>,
}

/// The entries of `new` that differ from `old`, by a merge of the two sorted entry lists.
/// Malformed data ends the list early (the rest of that tree is not walked).
struct TreeDiff<'a> {
    old: &'a [u8],
    new: &'a [u8],
    hash_len: usize,
}

impl<'a> TreeDiff<'a> {
    fn new(old: &'a [u8], new: &'a [u8], hash_len: usize) -> Self {
        TreeDiff { old, new, hash_len }
    }
}

impl<'a> Iterator for TreeDiff<'a> {
    type Item = Change<'a>;

    fn next(&mut self) -> Option<Change<'a>> {
        loop {
            let (entry, new_rest) = parse_entry(self.new, self.hash_len)?;
            let Some((old_entry, old_rest)) = parse_entry(self.old, self.hash_len) else {
                self.new = new_rest;
                return Some(Change {
                    entry,
                    old_tree: None,
                });
            };
            match entry.cmp_order(&old_entry) {
                std::cmp::Ordering::Equal => {
                    self.new = new_rest;
                    self.old = old_rest;
                    if entry.raw == old_entry.raw {
                        continue;
                    }
                    let old_tree = if old_entry.is_tree() {
                        ObjectId::try_from(old_entry.oid).ok()
                    } else {
                        None
                    };
                    return Some(Change { entry, old_tree });
                }
                // Added in the new tree.
                std::cmp::Ordering::Less => {
                    self.new = new_rest;
                    return Some(Change {
                        entry,
                        old_tree: None,
                    });
                }
                // Gone from the new tree.
                std::cmp::Ordering::Greater => self.old = old_rest,
            }
        }
    }
}

/// Indices of `commits` (parents-first order) newest first, each commit followed by its
/// first parent where possible: a depth-first walk down first-parent lines, so that
/// consecutive commits share most of their trees.
fn descent_order(commits: &[CommitData]) -> Vec<u32> {
    let index: FastMap<ObjectId, u32> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id, i as u32))
        .collect();
    let mut done = vec![false; commits.len()];
    let mut post = Vec::with_capacity(commits.len());
    for start in (0..commits.len() as u32).rev() {
        let mut stack = vec![(start, false)];
        while let Some((i, expanded)) = stack.pop() {
            if done[i as usize] {
                continue;
            }
            if expanded {
                done[i as usize] = true;
                post.push(i);
                continue;
            }
            stack.push((i, true));
            // The first parent is pushed first so that it is finished last: in the reversed
            // post-order it comes right after its child.
            for p in &commits[i as usize].parents {
                if let Some(&pi) = index.get(p) {
                    if !done[pi as usize] {
                        stack.push((pi, false));
                    }
                }
            }
        }
    }
    post.reverse();
    post
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
pub struct FxHasher(u64);

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
) -> Result<(usize, Jobs), Error> {
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
fn introduced_by(repo: &gix::Repository, commits: &[CommitData]) -> Result<Jobs, Error> {
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
    Ok(Jobs::Diff(
        by_blob
            .into_iter()
            .map(|(blob, places)| Version { blob, places })
            .collect(),
    ))
}

/// One line of git's pre-push input, `<local ref> <local sha> <remote ref> <remote sha>`: the
/// local and remote object ids, or `None` for a blank line.
pub fn parse_pre_push_line(line: &str) -> Result<Option<(ObjectId, ObjectId)>, Error> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.is_empty() {
        return Ok(None);
    }
    let [_, local, _, remote] = fields[..] else {
        return Err(Error::Usage(format!(
            "--pre-push: expected `<local ref> <local sha> <remote ref> <remote sha>` on stdin, got {:?}",
            crate::finding::sanitize(line)
        )));
    };
    let parse = |s: &str| {
        ObjectId::from_hex(s.as_bytes())
            .map_err(|_| Error::Usage(format!("--pre-push: {s:?} is not an object id")))
    };
    Ok(Some((parse(local)?, parse(remote)?)))
}

/// git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>` per line.
fn pre_push_jobs(repo: &gix::Repository) -> Result<(usize, Jobs), Error> {
    let stdin = std::io::stdin();
    let mut tips = Vec::new();
    let mut hidden = Vec::new();
    let mut new_branch = false;
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| Error::io("<stdin>", e))?;
        let Some((local, remote)) = parse_pre_push_line(&line)? else {
            continue;
        };
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

/// Reads every blob of the plan once, in parallel, and hands each to `visit` with the ranges
/// that count for each place; `visit` returns the spans of the candidates it found (before
/// filtering). Blobs over `max_size` (checked on the header) and binary blobs are not searched
/// (`visit` gets them with `unread` set, for path rules); unreadable ones are reported and
/// counted.
pub fn for_each_blob<F>(
    plan: &Plan,
    max_size: u64,
    threads: usize,
    stats: &Stats,
    visit: F,
) -> Result<(), Error>
where
    F: Fn(BlobChunk<'_>) -> Vec<Range<usize>> + Sync,
{
    type Run<'p> = Vec<(Option<(usize, u64)>, &'p Version)>;
    let locate = |v: &'_ Version| plan.packs.locate(&v.blob);
    // Work comes in runs, each read in order by one thread: a chain segment, or a batch of
    // consecutive blobs (in pack order for full history, so that delta bases are decoded just
    // before the objects built on them: git writes a base before its deltas).
    let runs: Vec<Run<'_>> = match &plan.jobs {
        Jobs::Chains(chains) => chains
            .iter()
            .map(|c| c.iter().map(|v| (locate(v), v)).collect())
            .collect(),
        Jobs::Whole(versions) | Jobs::Diff(versions) => {
            let mut all: Run<'_> = versions.iter().map(|v| (locate(v), v)).collect();
            all.sort_unstable_by_key(|&(at, _)| (at.is_none(), at));
            all.chunks(BATCH).map(<[_]>::to_vec).collect()
        }
    };
    let progress = progress_bar(runs.iter().map(|r| r.len() as u64).sum());
    // Pack order: the lines of each blob read so far that hold candidates, by location.
    let candidate_lines: Mutex<FastMap<(usize, u64), CandidateLines>> = Mutex::default();
    let none = CandidateLines::default();
    let work = |reader: &mut Reader<'_>, bufs: &mut Buffers, run: &Run<'_>| {
        bufs.has_previous = false;
        for &(at, version) in run {
            progress.inc(1);
            let based = match read_version(reader, version.blob, at, max_size, bufs) {
                Ok(Some(based)) => based,
                Ok(None) => {
                    stats.skipped_large.fetch_add(1, Ordering::Relaxed);
                    visit(BlobChunk::unread(&version.places));
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
            let text = &bufs.text;
            if is_binary(text) {
                stats.skipped_binary.fetch_add(1, Ordering::Relaxed);
                visit(BlobChunk::unread(&version.places));
                continue;
            }
            stats.files.fetch_add(1, Ordering::Relaxed);
            stats.bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
            let added: Vec<Option<Vec<Range<usize>>>> = match &plan.jobs {
                Jobs::Chains(_) => {
                    let previous = bufs.has_previous.then_some(&bufs.previous[..]);
                    vec![new_lines(text, previous, &mut bufs.lines, &none)]
                }
                Jobs::Whole(_) => {
                    let base_lines = based.and_then(|(pack, base)| {
                        let known = candidate_lines.lock().unwrap_or_else(|p| p.into_inner());
                        known.get(&(pack, base)).cloned()
                    });
                    let ranges = base_lines
                        .and_then(|kept| new_lines(text, Some(&bufs.base), &mut bufs.lines, &kept));
                    vec![ranges; version.places.len()]
                }
                Jobs::Diff(_) => version
                    .places
                    .iter()
                    .map(|p| {
                        let old = p
                            .old
                            .and_then(|o| {
                                read_blob(reader, o, u64::MAX, &mut bufs.base)
                                    .ok()
                                    .flatten()
                            })
                            .unwrap_or_default();
                        let ranges = git::added_ranges(&old, text);
                        bufs.base = old;
                        Some(ranges)
                    })
                    .collect(),
            };
            // Called even when no line counts: path rules still apply.
            let spans = visit(BlobChunk {
                text,
                places: &version.places,
                added,
                unread: false,
            });
            match (&plan.jobs, at) {
                (Jobs::Whole(_), Some(at)) => {
                    let lines = CandidateLines::under(text, &spans);
                    let mut known = candidate_lines.lock().unwrap_or_else(|p| p.into_inner());
                    known.insert(at, lines);
                }
                (Jobs::Chains(_), _) => {
                    // This version is the next one's predecessor.
                    std::mem::swap(&mut bufs.text, &mut bufs.previous);
                    bufs.has_previous = true;
                }
                _ => {}
            }
        }
    };
    let next = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let mut repo = plan.repo.to_thread_local();
                repo.object_cache_size(0);
                git::limit_pack_cache(&mut repo);
                let mut reader = plan.packs.reader(repo, BLOB_CACHE_BYTES);
                let mut bufs = Buffers::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(run) = runs.get(i) else { break };
                    work(&mut reader, &mut bufs, run);
                }
            });
        }
    });
    progress.finish_and_clear();
    Ok(())
}

/// Blobs per batch of a pack-order or range scan (see `for_each_blob`).
const BATCH: usize = 64;

/// Per-thread buffers: the blob, its delta base or previous version, and line hashes.
#[derive(Default)]
struct Buffers {
    text: Vec<u8>,
    base: Vec<u8>,
    /// Chains: the previous version of the path, when `has_previous`.
    previous: Vec<u8>,
    has_previous: bool,
    lines: LineSet,
}

/// Reads `blob` into `bufs.text`; `None` when it is over `max` bytes. When it is stored as a
/// delta on another object of the same pack, returns that base's location, with the base's
/// bytes in `bufs.base`.
fn read_version(
    reader: &mut Reader<'_>,
    blob: ObjectId,
    at: Option<(usize, u64)>,
    max: u64,
    bufs: &mut Buffers,
) -> Result<Option<Option<(usize, u64)>>, Error> {
    if reader.size_at(&blob, at)? > max {
        return Ok(None);
    }
    let (kind, base) = match at {
        Some(at) => {
            let (kind, base) = reader.decode_at(at, &mut bufs.text, &mut bufs.base)?;
            (Some(kind), base.map(|b| (at.0, b)))
        }
        None => (reader.find(&blob, &mut bufs.text)?, None),
    };
    match kind {
        Some(gix::objs::Kind::Blob) => Ok(Some(base)),
        Some(kind) => Err(Error::Git(format!("object {blob} is a {kind}, not a blob"))),
        None => Err(Error::Git(format!("blob {blob} is missing"))),
    }
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

/// The lines of a blob that hold candidates: their byte ranges and their hashes (sorted).
#[derive(Default, Clone)]
struct CandidateLines {
    ranges: Vec<Range<usize>>,
    hashes: Vec<u64>,
}

impl CandidateLines {
    /// The lines of `text` that `spans` touch.
    fn under(text: &[u8], spans: &[Range<usize>]) -> Self {
        let mut out = CandidateLines::default();
        for span in spans {
            let start = memchr::memrchr(b'\n', &text[..span.start]).map_or(0, |i| i + 1);
            let from = span.end.max(start);
            let end = memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |i| from + i + 1);
            for r in split_lines(&text[start..end]) {
                out.hashes
                    .push(line_hash(&text[start + r.start..start + r.end]));
                out.ranges.push(start + r.start..start + r.end);
            }
        }
        out.hashes.sort_unstable();
        out.hashes.dedup();
        out
    }
}

/// The byte ranges of `text`'s lines that `previous` does not have, and of its lines that
/// were candidate lines (`kept`) in `previous`; `None` when there is no previous version
/// (everything counts). `lines` is scratch space.
///
/// Lines in the common prefix and suffix of the two versions (whole lines only) are old
/// without hashing: a version usually differs from its delta base by a few lines, and
/// comparing bytes is much cheaper than hashing every line. In between, a line is new when no
/// line of the previous version's middle part has its hash. (A line moved from the prefix into
/// the middle counts as new: that only costs a search.)
fn new_lines(
    text: &[u8],
    previous: Option<&[u8]>,
    lines: &mut LineSet,
    kept: &CandidateLines,
) -> Option<Vec<Range<usize>>> {
    let prev = previous?;
    let prefix = common_prefix(text, prev);
    let start = memchr::memrchr(b'\n', &text[..prefix]).map_or(0, |i| i + 1);
    let room = (text.len() - start).min(prev.len() - start);
    let suffix = common_suffix(&text[text.len() - room..], &prev[prev.len() - room..]);
    // The suffix's first whole line starts after the first newline inside it.
    let tail = text.len() - suffix;
    let end = match memchr::memchr(b'\n', &text[tail..]) {
        Some(i) if suffix > 0 => tail + i + 1,
        _ => text.len(),
    };
    let prev_end = prev.len() - (text.len() - end);
    // Candidate lines of the prefix and the suffix are at known places.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for r in &kept.ranges {
        if r.end <= start {
            ranges.push(r.clone());
        } else if r.start >= prev_end {
            ranges.push(r.start - prev_end + end..r.end - prev_end + end);
        }
    }
    let (middle, prev_middle) = (&text[start..end], &prev[start..prev_end]);
    if prev_middle.is_empty() {
        if !middle.is_empty() {
            ranges.push(start..end);
        }
    } else if !middle.is_empty() {
        lines.clear();
        lines.extend(split_lines(prev_middle).map(|r| line_hash(&prev_middle[r])));
        for r in split_lines(middle) {
            let h = line_hash(&middle[r.clone()]);
            if lines.contains(&h) && kept.hashes.binary_search(&h).is_err() {
                continue;
            }
            ranges.push(start + r.start..start + r.end);
        }
    }
    Some(super::merge_ranges(ranges))
}

/// The ranges of `text`'s lines, each with its newline.
fn split_lines(text: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i + 1);
        let r = start..end;
        start = end;
        Some(r)
    })
}

/// Length of the longest common prefix of `a` and `b` (compared in blocks).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// Length of the longest common suffix of `a` and `b` (compared in blocks).
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut i = 0;
    while i + BLOCK <= n && a[n - i - BLOCK..n - i] == b[n - i - BLOCK..n - i] {
        i += BLOCK;
    }
    while i < n && a[n - i - 1] == b[n - i - 1] {
        i += 1;
    }
    i
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
    fn pre_push_lines() {
        let (a, z) = ("1".repeat(40), "0".repeat(40));
        let (local, remote) = parse_pre_push_line(&format!("refs/heads/x {a} refs/heads/x {z}"))
            .unwrap()
            .unwrap();
        assert_eq!(local.to_string(), a);
        assert!(remote.is_null());
        assert!(parse_pre_push_line(" \t").unwrap().is_none());
        assert!(parse_pre_push_line("refs/heads/x").is_err());
        assert!(parse_pre_push_line(&format!("r {a} r nothex")).is_err());
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn new_lines_against_previous_version() {
        let mut set = LineSet::default();
        let none = CandidateLines::default();
        let prev: &[u8] = b"a\nb\nc\n";
        assert!(new_lines(prev, None, &mut set, &none).is_none());
        let ranges = new_lines(b"a\nX\nb\nc\nY", Some(prev), &mut set, &none);
        assert_eq!(ranges, Some(vec![2..4, 8..9]));
        // Unchanged, pure insertion, pure deletion, change in the last line without newline.
        assert_eq!(new_lines(prev, Some(prev), &mut set, &none), Some(vec![]));
        assert_eq!(
            new_lines(b"a\nb\nN\nc\n", Some(prev), &mut set, &none),
            Some(vec![4..6])
        );
        assert_eq!(
            new_lines(b"a\nc\n", Some(prev), &mut set, &none),
            Some(vec![])
        );
        assert_eq!(
            new_lines(b"a\nb\ncc", Some(prev), &mut set, &none),
            Some(vec![4..6])
        );
        // A line whose end changed is new even though its start is common.
        assert_eq!(
            new_lines(b"a\nbb\nc\n", Some(prev), &mut set, &none),
            Some(vec![2..5])
        );
        // Repeated lines: the suffix must start on a line boundary in both versions.
        let prev: &[u8] = b"x\nkey=1\nkey=1\n";
        assert_eq!(
            new_lines(b"x\nkey=2\nkey=1\n", Some(prev), &mut set, &none),
            Some(vec![2..8])
        );
        assert_eq!(new_lines(b"", Some(prev), &mut set, &none), Some(vec![]));
        assert_eq!(
            new_lines(prev, Some(b""), &mut set, &none),
            Some(vec![0..prev.len()])
        );
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn candidate_lines_of_the_base_are_searched_again() {
        let mut set = LineSet::default();
        let base: &[u8] = b"k=SECRET\nx\ny\nz\nk2=SECRET2\n";
        let kept = CandidateLines::under(base, &[2..8, 18..25]);
        assert_eq!(kept.ranges, vec![0..9, 15..26]);
        // Prefix and suffix lines keep their place; the new line is there too.
        let text: &[u8] = b"k=SECRET\nx\nNEW\nz\nk2=SECRET2\n";
        assert_eq!(
            new_lines(text, Some(base), &mut set, &kept),
            Some(vec![0..9, 11..15, 17..28])
        );
        // A candidate line that moved into the changed middle is found by its hash.
        let text: &[u8] = b"y\nk=SECRET\nx\n";
        assert_eq!(
            new_lines(text, Some(base), &mut set, &kept),
            Some(vec![2..11])
        );
    }
}
