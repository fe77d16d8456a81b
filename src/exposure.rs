//! Exposure triage for history and range findings: how far has the commit that introduced a
//! secret travelled? Reachable from a remote-tracking ref means pushed; reachable from a tag
//! means in a release; and the secret may or may not still be in the file at HEAD (deleted is
//! not safe: it stays in history).
//!
//! One pass over the commit graph per kind of ref: the refs are walked in priority order
//! (remote default branches first; tags oldest first) and each commit is labelled by the
//! first ref that reaches it, so the whole triage costs one walk of the history, whatever the
//! number of refs. The walks stop as soon as every introducing commit has its label.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::ObjectId;

use crate::finding::{Exposure, Finding};
use crate::source::{git, history};

/// Fills `exposure` of every finding that has a commit, for the repository at `dir`.
/// Unreadable refs or commits narrow the answer (a ref that cannot be walked counts as not
/// reaching the commit); they never fail the scan.
pub fn assess(dir: &Path, known: Option<&history::Parents>, findings: &mut [Finding]) {
    let targets: HashSet<ObjectId> = findings
        .iter()
        .filter_map(|f| f.origin.commit())
        .filter_map(|c| ObjectId::from_hex(c.id.as_bytes()).ok())
        .collect();
    if targets.is_empty() {
        return;
    }
    let Ok(repo) = git::discover(dir) else { return };
    let (remotes, tags) = ref_tips(&repo);
    let pushed = first_reaching(&repo, known, &remotes, &targets);
    let tagged = first_reaching(&repo, known, &tags, &targets);
    let head_tree = repo.head_tree_id().ok().map(|t| t.detach());
    let mut at_head_cache: HashMap<(String, String), bool> = HashMap::new();
    for f in findings.iter_mut() {
        let Some(commit) = f.origin.commit() else {
            continue;
        };
        let Ok(id) = ObjectId::from_hex(commit.id.as_bytes()) else {
            continue;
        };
        let path = f.origin.path().to_string();
        let at_head = *at_head_cache
            .entry((path.clone(), f.fingerprint.clone()))
            .or_insert_with(|| head_tree.is_some_and(|t| still_there(&repo, t, &path, f)));
        f.exposure = Some(Box::new(Exposure {
            remote_ref: pushed.get(&id).cloned(),
            tag: tagged.get(&id).cloned(),
            at_head,
        }));
    }
}

/// Remote-tracking refs, or a bare repository's branches (default branches first, then by
/// name; `<remote>/HEAD` skipped), and tags (oldest commit first), each with its commit.
fn ref_tips(repo: &gix::Repository) -> (Vec<NamedTip>, Vec<NamedTip>) {
    let mut remotes = Vec::new();
    let mut tags: Vec<(i64, String, ObjectId)> = Vec::new();
    let Ok(refs) = repo.references() else {
        return (remotes, Vec::new());
    };
    let Ok(all) = refs.all() else {
        return (remotes, Vec::new());
    };
    // In a bare repository (a server's, or a mirror) the branches are what was pushed.
    let pushed_prefix = if repo.workdir().is_none() {
        "refs/heads/"
    } else {
        "refs/remotes/"
    };
    for r in all.flatten() {
        let name = r.name().as_bstr().to_string();
        let mut r = r;
        let Ok(commit) = r.peel_to_commit() else {
            continue;
        };
        if let Some(short) = name.strip_prefix(pushed_prefix) {
            if !short.ends_with("/HEAD") {
                remotes.push((short.to_string(), commit.id));
            }
        } else if let Some(short) = name.strip_prefix("refs/tags/") {
            let time = commit.time().map_or(i64::MAX, |t| t.seconds);
            tags.push((time, short.to_string(), commit.id));
        }
    }
    let default = |name: &str| {
        let branch = name.rsplit_once('/').map_or(name, |(_, b)| b);
        !matches!(branch, "main" | "master" | "trunk" | "develop")
    };
    remotes.sort_by(|a, b| (default(&a.0), &a.0).cmp(&(default(&b.0), &b.0)));
    tags.sort();
    let tags = tags.into_iter().map(|(_, n, id)| (n, id)).collect();
    (remotes, tags)
}

/// A ref's short name and the commit it points at.
type NamedTip = (String, ObjectId);

/// For each target commit, the first of `refs` (in order) whose history holds it.
fn first_reaching(
    repo: &gix::Repository,
    known: Option<&history::Parents>,
    refs: &[NamedTip],
    targets: &HashSet<ObjectId>,
) -> HashMap<ObjectId, String> {
    let mut found = HashMap::new();
    let tips: Vec<ObjectId> = refs.iter().map(|(_, id)| *id).collect();
    history::walk_from_each(repo, known, &tips, |i, id| {
        if targets.contains(&id) {
            found.entry(id).or_insert_with(|| refs[i].0.clone());
        }
        found.len() < targets.len()
    });
    found
}

/// Whether the file at `path` in HEAD's tree still holds the finding's secret (decoded, for a
/// secret found in an encoded token).
fn still_there(repo: &gix::Repository, tree: ObjectId, path: &str, f: &Finding) -> bool {
    let Ok(tree) = repo.find_tree(tree) else {
        return false;
    };
    let Ok(Some(entry)) = tree.lookup_entry_by_path(path) else {
        return false;
    };
    let Ok(blob) = repo.find_blob(entry.object_id()) else {
        return false;
    };
    if f.secret.is_empty() {
        // A sensitive file reported as a whole: it is still tracked.
        return true;
    }
    let data = &blob.data;
    if memchr::memmem::find(data, &f.secret).is_some() {
        return true;
    }
    f.encoding.is_some() && {
        let mut budget = crate::decode::MAX_DECODED;
        crate::decode::segments(data, None, &mut budget)
            .iter()
            .any(|s| memchr::memmem::find(&s.bytes, &f.secret).is_some())
    }
}
