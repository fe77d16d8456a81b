//! The commits a full-history scan starts from: every ref peeled to a commit, and the
//! remote-tracking tips a pre-push scan hides.

use gix::bstr::ByteSlice;
use gix::ObjectId;

use crate::error::Error;
use crate::source::git::git_err;
/// Every ref peeled to a commit: branches, tags, remote-tracking refs, the stash; and how
/// many refs are broken (unreadable, or naming an object the repository does not have: what
/// they pointed to is not scanned), each reported on stderr.
pub(super) fn all_ref_tips(
    repo: &gix::Repository,
    problems: &mut Vec<String>,
) -> Result<Vec<ObjectId>, Error> {
    let mut tips = Vec::new();
    let refs = repo
        .references()
        .map_err(|e| git_err("cannot read refs", e))?;
    for r in refs.all().map_err(|e| git_err("cannot read refs", e))? {
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("cannot read a ref: {e}; continuing"));
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
                    problems.push(format!(
                        "ref {} points to {id}, which is not in the repository; continuing without it",
                        r.name().as_bstr().to_str_lossy()
                    ));
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
    Ok(tips)
}

pub(super) fn remote_tracking_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>, Error> {
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
