//! Full history: which blob each path held first at which commit, found by diffing every
//! commit's tree against its first parent's in parallel (no blob is read), and the order the
//! blobs are then read in (path chains or pack order).

use std::collections::HashMap;

use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::error::Error;
use crate::source::git::CommitData;
use crate::source::pack::Packs;
use crate::source::pack::Reader;

use super::lines::PathMap;
use super::tree::{Change, TreeDiff};
use super::walk::descent_order;
use super::{IdMap, IdSet, Jobs, Place, Version};
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
pub(super) fn first_introductions(
    repo: &gix::Repository,
    packs: &Packs,
    commits: &[CommitData],
    threads: usize,
    problems: &mut Vec<String>,
) -> Result<Jobs, Error> {
    let tree_of: IdMap<ObjectId> = commits.iter().map(|c| (c.id, c.tree)).collect();
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
    for part in parts {
        problems.extend(part.problems);
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
    let mut seen: IdSet = IdSet::default();
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
        Ok(Jobs::Chains(segments(chains)))
    } else {
        Ok(Jobs::Whole(by_blob(chains)))
    }
}

/// Forces the full-history read order: `path` (`Jobs::Chains`) or `pack` (`Jobs::Whole`).
pub(super) const ORDER_VAR: &str = "SCAN_SECRETS_HISTORY_ORDER";

/// Whether the packs mostly store a file's versions as deltas of its other versions: true for
/// packs written by `git gc`/`repack` and servers (they sort objects by path before picking
/// delta bases), false for `git fast-import`, whose deltas chain objects in the order they
/// were written. Decided on a sample of the versions, from pack entry headers only.
pub(super) fn deltas_follow_paths(packs: &Packs, chains: &[Vec<Version>]) -> bool {
    let mut path_at: HashMap<(usize, u64), usize> = Default::default();
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
pub(super) fn segments(chains: Vec<Vec<Version>>) -> Vec<Vec<Version>> {
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
pub(super) const MAX_SEGMENT: usize = 64;

/// Every blob once, with the places of all its paths, earliest first.
pub(super) fn by_blob(chains: Vec<Vec<Version>>) -> Vec<Version> {
    let mut places_of: IdMap<Vec<Place>> = Default::default();
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
pub(super) struct PathRecords {
    paths: Vec<String>,
    records: Vec<Vec<(u32, ObjectId)>>,
    /// Trees that could not be read, one message each.
    problems: Vec<String>,
}

/// The (path, blob) pairs each commit of `commits` named in `order` introduced relative to
/// its first parent.
pub(super) fn path_records(
    reader: &mut Reader<'_>,
    commits: &[CommitData],
    order: &[u32],
    tree_of: &IdMap<ObjectId>,
) -> PathRecords {
    // Paths are identified by a hash built entry by entry, so that tree entries cost no
    // allocation; strings are made only for new paths.
    let mut out = PathRecords::default();
    let mut path_of: PathMap<usize> = Default::default();
    let hash = reader.repo().object_hash();
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
            let Some(new_data) = read_raw_tree(reader, &new, &mut new_buf, &mut out.problems)
            else {
                continue;
            };
            // An unreadable parent tree makes everything below count as new: more work, no
            // loss.
            let old_data = old
                .and_then(|o| read_raw_tree(reader, &o, &mut old_buf, &mut out.problems))
                .unwrap_or_default();
            for Change {
                entry, old_tree, ..
            } in TreeDiff::new(old_data, new_data, hash)
            {
                let oid = entry.oid.to_owned();
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
                    stack.push((old_tree, oid, join(), hash));
                } else if entry.mode.is_blob() {
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
/// An unreadable tree (a corrupt pack) is recorded in `problems`; a
/// missing one (beyond a shallow clone's boundary) is not an error.
pub(super) fn read_raw_tree<'b>(
    reader: &mut Reader<'_>,
    id: &ObjectId,
    buf: &'b mut Vec<u8>,
    problems: &mut Vec<String>,
) -> Option<&'b [u8]> {
    match reader.find(id, buf) {
        Ok(Some(gix::objs::Kind::Tree)) => Some(buf),
        Ok(_) => None,
        Err(e) => {
            problems.push(format!(
                "tree {id}: {}; the files below it are not scanned there; continuing",
                e.with_causes()
            ));
            None
        }
    }
}

/// Decoded trees kept per planning thread: a commit's trees are diffed against its parent's,
/// which were usually decoded for the commit before, and share delta chains with them.
pub(super) const TREE_CACHE_BYTES: usize = 16 << 20;

/// Hash of `prefix/name` from the prefix's hash (0 for the root).
pub(super) fn path_hash(prefix: u64, name: &[u8]) -> u64 {
    let mut h = prefix.rotate_left(5) ^ 0x9e37_79b9_7f4a_7c15;
    for &b in name {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 29)
}
