//! The two sides of a change under review (`--range`, `--since`, `--pre-push`,
//! `--pre-receive`): the commits it ends at, and for each the commit outside it that it is
//! judged against. A change's own `.scan-secrets.toml` must not silence its own scan, so the
//! configuration is read at its base (on a server: the server's own files); the tips tell what
//! the change did to those files.

use std::path::Path;

use gix::ObjectId;

use super::range::Pushed;
use super::receive::{peel_to_commit, RefUpdate};
use super::refs::remote_tracking_tips;
use super::{resolve, since_head, Selection};
use crate::error::Error;
use crate::source::git;

/// Files read from a commit (a configuration, a baseline) larger than this are an error.
const MAX_FILE: u64 = 64 << 20;

/// A change: its tips, each with its base.
pub struct Sides {
    repo: gix::Repository,
    /// Each tip with the commit outside the change it starts from (`None`: there is none, as
    /// for a first push). The first pair's base is the change's base.
    pairs: Vec<(Option<ObjectId>, ObjectId)>,
    /// What could not be worked out exactly (a merge base beyond a shallow clone's
    /// boundary), for the scan's notes.
    pub notes: Vec<String>,
}

/// What a change did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    Added,
    Modified,
    Deleted,
}

impl FileChange {
    pub fn as_str(self) -> &'static str {
        match self {
            FileChange::Added => "added",
            FileChange::Modified => "modified",
            FileChange::Deleted => "deleted",
        }
    }
}

/// The sides of the change `selection` scans in the repository containing `dir`; `None` for a
/// full-history scan, which reviews no change.
///
/// - `A..B`: the merge base of A and B (A itself when it cannot be computed), and B;
/// - `--since REV`: the merge base of REV and HEAD, and HEAD;
/// - a push: for each ref pushed, the merge base of its remote commit and the local one when
///   the remote commit is known here, else the merge base of the local commit with the
///   remote-tracking refs (none when there are none: a first push), and the local commit.
pub fn sides(dir: &Path, selection: &Selection) -> Result<Option<Sides>, Error> {
    if let Selection::All = selection {
        return Ok(None);
    }
    let repo = git::discover(dir)?;
    let mut notes = Vec::new();
    let pairs = match selection {
        Selection::All => Vec::new(),
        Selection::Range(a, b) => {
            let (hidden, tip) = (resolve(&repo, a)?, resolve(&repo, b)?);
            vec![(Some(base_of(&repo, hidden, tip, a, &mut notes)), tip)]
        }
        Selection::Since(rev) => {
            let tip = since_head(&repo)?;
            let hidden = resolve(&repo, rev)?;
            vec![(Some(base_of(&repo, hidden, tip, rev, &mut notes)), tip)]
        }
        Selection::PrePush(pushed) => push_pairs(&repo, pushed, &mut notes)?,
        Selection::PreReceive(updates) => receive_pairs(&repo, updates),
    };
    Ok(Some(Sides { repo, pairs, notes }))
}

/// The merge base of `hidden` and `tip`, or `hidden` itself (outside the range too) when there
/// is none or it cannot be computed, with a note saying so.
fn base_of(
    repo: &gix::Repository,
    hidden: ObjectId,
    tip: ObjectId,
    name: &str,
    notes: &mut Vec<String>,
) -> ObjectId {
    match repo.merge_base(hidden, tip) {
        Ok(Some(base)) => base.detach(),
        Ok(None) => {
            notes.push(format!(
                "{name} and the scanned commits have no common ancestor: the configuration is read as it is at {name}"
            ));
            hidden
        }
        Err(e) => {
            notes.push(format!(
                "cannot find the merge base of {name} and the scanned commits ({e}): the configuration is read as it is at {name}"
            ));
            hidden
        }
    }
}

fn push_pairs(
    repo: &gix::Repository,
    pushed: &[Pushed],
    notes: &mut Vec<String>,
) -> Result<Vec<(Option<ObjectId>, ObjectId)>, Error> {
    let mut remote_tips = None;
    let mut pairs = Vec::new();
    for p in pushed.iter().filter(|p| !p.local.is_null()) {
        let known = !p.remote.is_null() && repo.find_header(p.remote).is_ok();
        let base = if known {
            let name = p.remote.to_hex_with_len(7).to_string();
            Some(base_of(repo, p.remote, p.local, &name, notes))
        } else {
            let tips: &Vec<ObjectId> = match &remote_tips {
                Some(t) => t,
                None => remote_tips.insert(remote_tracking_tips(repo)?),
            };
            // No remote-tracking refs (a first push): nothing is outside the change.
            let bases = match tips.is_empty() {
                true => Ok(Vec::new()),
                false => repo.merge_bases_many(p.local, tips),
            };
            match bases {
                Ok(bases) => bases.first().map(|b| b.detach()),
                Err(e) => {
                    notes.push(format!(
                        "cannot find where {} leaves the remote-tracking refs ({e}): no configuration of the repository is used",
                        p.local.to_hex_with_len(7)
                    ));
                    None
                }
            }
        };
        pairs.push((base, p.local));
    }
    Ok(pairs)
}

/// A push a server receives: for each ref updated, its commit before the push (for a new ref,
/// the server's default branch; none when the server has no commits) and after: what the
/// push changes on the server. No merge base: on a big history it costs more than the whole
/// scan of a push (1 G instructions on git/git), and a push is judged by the server's
/// configuration anyway; this only says what the push does to the files. Tags are peeled; a
/// ref to a tree or blob has no commits to compare.
fn receive_pairs(
    repo: &gix::Repository,
    updates: &[RefUpdate],
) -> Vec<(Option<ObjectId>, ObjectId)> {
    // An unreadable pushed object fails the scan itself (`pre_receive_jobs`); here it is only
    // left out of the comparison.
    let commit = |id: ObjectId| peel_to_commit(repo, id).ok().flatten();
    let head = repo.head_id().ok().map(|h| h.detach());
    let mut pairs = Vec::new();
    for u in updates.iter().filter(|u| !u.new.is_null()) {
        let Some(tip) = commit(u.new) else { continue };
        let base = (!u.old.is_null()).then(|| commit(u.old)).flatten().or(head);
        pairs.push((base, tip));
    }
    pairs
}

impl Sides {
    /// The commit the change's configuration is read at (`None`: no commit outside the change).
    pub fn base(&self) -> Option<ObjectId> {
        self.pairs.first().and_then(|(base, _)| *base)
    }

    /// The base's short id, as notes name it.
    pub fn base_short(&self) -> Option<String> {
        self.base().map(|b| b.to_hex_with_len(7).to_string())
    }

    /// The tip whose files stand for the change's own (the first ref of a push).
    pub fn tip(&self) -> Option<ObjectId> {
        self.pairs.first().map(|(_, tip)| *tip)
    }

    /// The contents of `path` (relative to the repository root, `/`-separated) at the base;
    /// `None` when there is no base or the file is not there.
    pub fn at_base(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        self.read(self.base(), path)
    }

    /// The contents of `path` at the tip; `None` when it is not there.
    pub fn at_tip(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        self.read(self.tip(), path)
    }

    fn read(&self, commit: Option<ObjectId>, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some(commit) = commit else {
            return Ok(None);
        };
        let Some(blob) = git::blob_at(&self.repo, commit, path)? else {
            return Ok(None);
        };
        let mut buf = Vec::new();
        match git::read_blob(&self.repo, blob, MAX_FILE, &mut buf)? {
            Some(bytes) => Ok(Some(bytes)),
            None => Err(Error::Git(format!(
                "{path} at commit {}: larger than {} MiB",
                commit.to_hex_with_len(7),
                MAX_FILE >> 20
            ))),
        }
    }

    /// What the change did to `path`: compared between each tip and its base; the first
    /// difference found.
    pub fn change_of(&self, path: &str) -> Result<Option<FileChange>, Error> {
        for &(base, tip) in &self.pairs {
            let old = match base {
                Some(b) => git::blob_at(&self.repo, b, path)?,
                None => None,
            };
            let new = git::blob_at(&self.repo, tip, path)?;
            let change = match (old, new) {
                (None, Some(_)) => FileChange::Added,
                (Some(_), None) => FileChange::Deleted,
                (Some(a), Some(b)) if a != b => FileChange::Modified,
                _ => continue,
            };
            return Ok(Some(change));
        }
        Ok(None)
    }
}
