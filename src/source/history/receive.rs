//! `--pre-receive`: the commits a push brings to a server, read from git's pre-receive input
//! (`<old> <new> <refname>` per line) while its objects are still in quarantine.
//!
//! Only the commits the server has never had are scanned: those that are only in the
//! quarantine, not in the repository's own object store (which holds every commit its refs
//! reach; without a quarantine, git before 2.11, those no existing ref reaches). A new branch
//! made from existing work, a deletion and a tag of an existing commit scan nothing; a
//! force-push scans only the commits the server has never seen.

use gix::ObjectId;

use crate::error::Error;
use crate::source::git::{self, CommitData};
use crate::source::pack::Packs;
use crate::source::quarantine;
use crate::text::sanitize;

use super::range::introduced_by;
use super::refs::all_ref_tips;
use super::walk::{topo_order, walk, COMMIT_CACHE_BYTES};
use super::{IdSet, Jobs};

/// One line of git's pre-receive input: a ref and its value before and after the push (the
/// all-zero id for "none": a created or deleted ref).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefUpdate {
    pub old: ObjectId,
    pub new: ObjectId,
    pub name: String,
}

/// Parses git's pre-receive (or post-receive) input. Blank lines are skipped; anything else
/// that is not `<old> <new> <refname>` is an error naming the line.
pub fn parse_pre_receive(input: &str) -> Result<Vec<RefUpdate>, Error> {
    let mut updates = Vec::new();
    for line in input.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let bad = || {
            Error::Usage(format!(
                "--pre-receive: expected `<old> <new> <refname>` on stdin, got {:?}",
                sanitize(line)
            ))
        };
        let [old, new, name] = fields[..] else {
            return Err(bad());
        };
        let id = |s: &str| ObjectId::from_hex(s.as_bytes()).map_err(|_| bad());
        updates.push(RefUpdate {
            old: id(old)?,
            new: id(new)?,
            name: name.to_string(),
        });
    }
    Ok(updates)
}

/// The blobs the pushed commits introduced: commits reachable from the new values of the
/// updated refs and from no existing ref. Notes say what was not scanned and why (a tag of a
/// tree or blob).
pub(super) fn pre_receive_jobs(
    repo: &gix::Repository,
    packs: &Packs,
    updates: &[RefUpdate],
    notes: &mut Vec<String>,
    problems: &mut Vec<String>,
) -> Result<(usize, Jobs), Error> {
    let mut tips = Vec::new();
    for update in updates.iter().filter(|u| !u.new.is_null()) {
        match peel_to_commit(repo, update.new) {
            Ok(Some(commit)) => tips.push(commit),
            Ok(None) => notes.push(format!(
                "{} points to {}, which is not a commit: nothing to scan there",
                sanitize(&update.name),
                update.new
            )),
            Err(e) => return Err(e),
        }
    }
    if tips.is_empty() {
        return Ok((0, Jobs::Diff(Vec::new())));
    }
    let commits = match quarantine::own_store(repo) {
        Some(own) => new_commits(repo, packs, &own, &tips)?,
        None => {
            // No quarantine (git before 2.11): the commits no ref reaches. A broken ref on
            // the server only hides less: more is scanned, never less.
            let hidden = all_ref_tips(repo, &mut Vec::new())?;
            walk(repo, &tips, &hidden)?
        }
    };
    Ok((
        commits.len(),
        introduced_by(repo, packs, &commits, problems),
    ))
}

/// The commits the push brings: reachable from `tips` and not in the repository's own object
/// store (`own`), only in the quarantine. The repository has every commit its refs reach, and
/// the walk stops at the first commit it has: so it reads the new commits and their parents,
/// however long the history behind them, where a walk that hides every ref may go deep into
/// it (a push to git/git: 1.2 G instructions against none to speak of). A commit the
/// repository already had but no ref reached (left over from a force-push) counts as not new
/// either: it is stored already, and a push cannot store it again.
fn new_commits(
    repo: &gix::Repository,
    packs: &Packs,
    own: &gix::Repository,
    tips: &[ObjectId],
) -> Result<Vec<CommitData>, Error> {
    let mut reader = packs.reader(repo.clone(), COMMIT_CACHE_BYTES);
    let mut seen: IdSet = IdSet::default();
    let mut stack: Vec<ObjectId> = tips.to_vec();
    let mut buf = Vec::new();
    let mut commits = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) || own.has_object(id) {
            continue;
        }
        let commit = match reader.find(&id, &mut buf)? {
            Some(gix::objs::Kind::Commit) => git::parse_commit(id, &buf)?,
            _ => {
                return Err(Error::Git(format!(
                    "pushed commit {id} cannot be read (the push is refused: the server cannot check it)"
                )))
            }
        };
        stack.extend(commit.parents.iter().filter(|p| !seen.contains(*p)));
        commits.push(commit);
    }
    Ok(topo_order(commits))
}

/// The commit `id` names, through any chain of annotated tags; `None` for a tree or blob.
pub(super) fn peel_to_commit(
    repo: &gix::Repository,
    id: ObjectId,
) -> Result<Option<ObjectId>, Error> {
    let cannot = |e: &dyn std::fmt::Display| {
        Error::Git(format!(
            "cannot read pushed object {id}: {e} (the push is refused: the server cannot check it)"
        ))
    };
    let object = repo.find_object(id).map_err(|e| cannot(&e))?;
    match object.kind {
        gix::objs::Kind::Commit => Ok(Some(id)),
        gix::objs::Kind::Tag => match object.peel_to_kind(gix::objs::Kind::Commit) {
            Ok(commit) => Ok(Some(commit.id)),
            Err(_) => Ok(None),
        },
        _ => Ok(None),
    }
}

/// The short names of the refs a push updates, for messages (`main`, `v1.2`).
pub fn short_ref(name: &str) -> &str {
    name.strip_prefix("refs/heads/")
        .or_else(|| name.strip_prefix("refs/tags/"))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pre_receive_lines() {
        let (a, z) = ("1".repeat(40), "0".repeat(40));
        let updates = parse_pre_receive(&format!(
            "{z} {a} refs/heads/new\n\n{a} {z} refs/tags/gone\n"
        ))
        .unwrap();
        assert_eq!(updates.len(), 2);
        assert!(updates[0].old.is_null());
        assert_eq!(updates[0].new.to_string(), a);
        assert_eq!(updates[1].name, "refs/tags/gone");
        assert!(parse_pre_receive("refs/heads/x").is_err());
        assert!(parse_pre_receive(&format!("{a} nothex refs/heads/x")).is_err());
        assert!(parse_pre_receive(&format!("{a} {a} r extra")).is_err());
        assert_eq!(short_ref("refs/heads/main"), "main");
        assert_eq!(short_ref("refs/tags/v1"), "v1");
        assert_eq!(short_ref("refs/notes/x"), "refs/notes/x");
    }
}
