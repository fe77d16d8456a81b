//! Ranges (`--since`, `--range`, `--pre-push`): the blobs a few commits introduced relative
//! to their parents, with the parent's blob to compute added lines from.

use std::collections::HashMap;
use std::collections::HashSet;
use std::io::BufRead;

use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::error::Error;
use crate::source::git;
use crate::source::git::CommitData;
use crate::source::pack::{Packs, Reader};

use super::introduce::{read_raw_tree, TREE_CACHE_BYTES};
use super::refs::remote_tracking_tips;
use super::tree::{Change, TreeDiff};
use super::walk::walk;
use super::{IdMap, Jobs, Place, Version};
/// Jobs for the blobs the commits of `tips` minus `hidden` introduced.
pub(super) fn range_jobs(
    repo: &gix::Repository,
    packs: &Packs,
    tips: &[ObjectId],
    hidden: &[ObjectId],
    what: &str,
    problems: &mut Vec<String>,
) -> Result<(usize, Jobs), Error> {
    let commits = walk(repo, tips, hidden)?;
    if commits.is_empty() {
        return Err(Error::Git(format!(
            "the range {what} is empty: it selects no commits, so nothing would be scanned (check the revisions; in CI, fetch enough history, e.g. actions/checkout with fetch-depth: 0)"
        )));
    }
    Ok((
        commits.len(),
        introduced_by(repo, packs, &commits, problems),
    ))
}

/// The (path, blob) pairs each commit introduced relative to its parents (for a merge: new
/// relative to every parent), with the first parent's blob for the line diff.
///
/// Trees come from the pack reader, which keeps the delta bases it decodes, and commits are
/// taken newest first: git deltifies older trees against newer ones, so each tree is a delta
/// away from one just read (gix's own reads re-inflate whole delta chains: a range of 1,000
/// git/git commits took 2.2 times as many instructions). A tree that cannot be read is a
/// problem (reported; the files below it count as new there, or are not scanned).
pub(super) fn introduced_by(
    repo: &gix::Repository,
    packs: &Packs,
    commits: &[CommitData],
    problems: &mut Vec<String>,
) -> Jobs {
    let mut reader = packs.reader(repo.clone(), TREE_CACHE_BYTES);
    let tree_of: IdMap<ObjectId> = commits.iter().map(|c| (c.id, c.tree)).collect();
    let mut by_blob: HashMap<ObjectId, Vec<Place>> = HashMap::new();
    let mut buf = Vec::new();
    for commit in commits.iter().rev() {
        let parent_trees: Vec<ObjectId> = commit
            .parents
            .iter()
            .filter_map(|p| match tree_of.get(p) {
                Some(tree) => Some(*tree),
                None => match reader.find(p, &mut buf) {
                    Ok(Some(gix::objs::Kind::Commit)) => {
                        git::parse_commit(*p, &buf).ok().map(|c| c.tree)
                    }
                    _ => None,
                },
            })
            .collect();
        let mut changes = Vec::new();
        changed_files(
            &mut reader,
            parent_trees.first().copied(),
            commit.tree,
            &mut changes,
            problems,
        );
        for other in parent_trees.iter().skip(1) {
            let mut vs_other = Vec::new();
            changed_files(
                &mut reader,
                Some(*other),
                commit.tree,
                &mut vs_other,
                problems,
            );
            let keep: HashSet<_> = vs_other
                .into_iter()
                .map(|(path, new, _)| (path, new))
                .collect();
            changes.retain(|(path, new, _)| keep.contains(&(path.clone(), *new)));
        }
        for (path, new, old) in changes {
            by_blob.entry(new).or_default().push(Place {
                path,
                commit: commit.info.clone(),
                old,
            });
        }
    }
    Jobs::Diff(
        by_blob
            .into_iter()
            .map(|(blob, places)| Version { blob, places })
            .collect(),
    )
}

/// The regular files of tree `new` whose blob differs from the one at the same path in `old`
/// (`None`: all are new), as (path, new blob, old blob), entering only subtrees that differ.
fn changed_files(
    reader: &mut Reader<'_>,
    old: Option<ObjectId>,
    new: ObjectId,
    out: &mut Vec<(String, ObjectId, Option<ObjectId>)>,
    problems: &mut Vec<String>,
) {
    let hash = reader.repo().object_hash();
    let (mut new_buf, mut old_buf) = (Vec::new(), Vec::new());
    let mut stack = vec![(old, new, String::new())];
    while let Some((old, new, prefix)) = stack.pop() {
        if old == Some(new) {
            continue;
        }
        let Some(new_data) = read_raw_tree(reader, &new, &mut new_buf, problems) else {
            continue;
        };
        let old_data = old
            .and_then(|o| read_raw_tree(reader, &o, &mut old_buf, problems))
            .unwrap_or_default();
        for Change {
            entry,
            old_tree,
            old_blob,
        } in TreeDiff::new(old_data, new_data, hash)
        {
            let name = entry.filename.to_str_lossy();
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            if entry.mode.is_tree() {
                stack.push((old_tree, entry.oid.to_owned(), path));
            } else if entry.mode.is_blob() {
                out.push((path, entry.oid.to_owned(), old_blob));
            }
        }
    }
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
            crate::text::sanitize(line)
        )));
    };
    let parse = |s: &str| {
        ObjectId::from_hex(s.as_bytes())
            .map_err(|_| Error::Usage(format!("--pre-push: {s:?} is not an object id")))
    };
    Ok(Some((parse(local)?, parse(remote)?)))
}

/// One ref of a push, from git's pre-push input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pushed {
    /// The local commit pushed; null for a deletion.
    pub local: ObjectId,
    /// The remote's commit for that ref; null for a new ref.
    pub remote: ObjectId,
}

/// Reads git's pre-push input (`<local ref> <local sha> <remote ref> <remote sha>` per line)
/// from `input`, once, before the configuration is chosen: the base of a push is on its
/// remote side.
pub fn read_pre_push(input: impl BufRead) -> Result<Vec<Pushed>, Error> {
    let mut pushed = Vec::new();
    for line in input.lines() {
        let line = line.map_err(|e| Error::io("<stdin>", e))?;
        if let Some((local, remote)) = parse_pre_push_line(&line)? {
            pushed.push(Pushed { local, remote });
        }
    }
    Ok(pushed)
}

/// The commits of a push: for each ref, `remote..local`; for a new ref, or one whose remote
/// commit is unknown here, the commits on no remote-tracking ref; nothing for a deletion.
pub(super) fn pre_push_jobs(
    repo: &gix::Repository,
    packs: &Packs,
    pushed: &[Pushed],
    problems: &mut Vec<String>,
) -> Result<(usize, Jobs), Error> {
    let mut tips = Vec::new();
    let mut hidden = Vec::new();
    let mut new_branch = false;
    for &Pushed { local, remote } in pushed {
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
    Ok((
        commits.len(),
        introduced_by(repo, packs, &commits, problems),
    ))
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
}
