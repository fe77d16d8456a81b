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

use super::refs::remote_tracking_tips;
use super::walk::walk;
use super::{Jobs, Place, Version};
/// Jobs for the blobs the commits of `tips` minus `hidden` introduced.
pub(super) fn range_jobs(
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
pub(super) fn introduced_by(repo: &gix::Repository, commits: &[CommitData]) -> Result<Jobs, Error> {
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
            crate::text::sanitize(line)
        )));
    };
    let parse = |s: &str| {
        ObjectId::from_hex(s.as_bytes())
            .map_err(|_| Error::Usage(format!("--pre-push: {s:?} is not an object id")))
    };
    Ok(Some((parse(local)?, parse(remote)?)))
}

/// git's pre-push input: `<local ref> <local sha> <remote ref> <remote sha>` per line.
pub(super) fn pre_push_jobs(repo: &gix::Repository) -> Result<(usize, Jobs), Error> {
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
