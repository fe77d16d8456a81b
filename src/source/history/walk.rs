//! Commit walks: the commits of a range, every commit of the history (through our pack
//! reader), walks from each of several tips for exposure triage, and the orders they are
//! visited in.

use gix::ObjectId;

use crate::error::Error;
use crate::source::git;
use crate::source::git::git_err;
use crate::source::git::CommitData;
use crate::source::pack::Packs;

use super::{IdMap, IdSet, Parents};
/// Commits reachable from `tips` and not from `hidden`, parents before children.
pub(super) fn walk(
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
pub(super) fn walk_all(
    repo: &gix::Repository,
    packs: &Packs,
    tips: &[ObjectId],
    problems: &mut Vec<String>,
) -> Result<Vec<CommitData>, Error> {
    let mut reader = packs.reader(repo.clone(), COMMIT_CACHE_BYTES);
    let mut seen: IdSet = IdSet::default();
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
                problems.push(format!(
                    "commit {id}: {}; its history is not scanned; continuing",
                    e.with_causes()
                ));
                continue;
            }
        };
        queue.extend(commit.parents.iter().filter(|p| !seen.contains(*p)));
        commits.push(commit);
    }
    Ok(topo_order(commits))
}

/// Decoded objects kept while walking commits (commits are rarely deltified).
pub(super) const COMMIT_CACHE_BYTES: usize = 4 << 20;

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
    let mut seen: IdSet = IdSet::default();
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
pub(super) fn topo_order(commits: Vec<CommitData>) -> Vec<CommitData> {
    let index: IdMap<usize> = commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
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

/// Indices of `commits` (parents-first order) newest first, each commit followed by its
/// first parent where possible: a depth-first walk down first-parent lines, so that
/// consecutive commits share most of their trees.
pub(super) fn descent_order(commits: &[CommitData]) -> Vec<u32> {
    let index: IdMap<u32> = commits
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
