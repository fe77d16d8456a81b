//! Shared git plumbing for the staged and history sources, all through gix (no `git`
//! subprocess): opening repositories, reading blobs and trees, flattening and diffing trees,
//! commit metadata, and the byte ranges of added lines.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::objs::FindExt;
use gix::ObjectId;

use crate::error::Error;
use crate::finding::CommitInfo;

/// Wraps a gix error as a user-facing git error naming what was being done; the error is
/// kept as the source.
pub fn git_err(
    what: impl std::fmt::Display,
    e: impl std::error::Error + Send + Sync + 'static,
) -> Error {
    Error::GitCause {
        what: what.to_string(),
        source: Box::new(e),
    }
}

/// Opens the repository containing `dir` (work tree or bare).
pub fn discover(dir: &Path) -> Result<gix::Repository, Error> {
    // gix's discovery mishandles a relative path to a bare repository (`../server.git`: a
    // debug assertion expects a `.git` directory): give it an absolute one.
    let mut repo = gix::discover(std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()))
        .map_err(|e| {
            git_err(
                format_args!(
                    "{}: not a git repository (or any parent up to the file system root)",
                    dir.display()
                ),
                e,
            )
        })?;
    // A push being received: its objects are in quarantine.
    super::quarantine::attach(&mut repo)?;
    // Every walk reads each tree and blob once: a decoded-object cache would only cost
    // memory. (Delta bases are cached separately by the pack cache.)
    repo.object_cache_size(0);
    limit_pack_cache(&mut repo);
    Ok(repo)
}

/// Delta bases kept per repository handle. gix defaults to 96 MiB per handle; reading each
/// path's versions in order needs far less, and a history scan holds one handle per thread.
const PACK_CACHE_BYTES: usize = 24 << 20;

/// Caps the delta-base cache of `repo` (and of handles derived from it).
pub fn limit_pack_cache(repo: &mut gix::Repository) {
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::StaticLinkedList::<64>::new(
            PACK_CACHE_BYTES,
        ))
    });
}

/// Decoded essentials of one commit.
pub struct CommitData {
    pub id: ObjectId,
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    pub info: Arc<CommitInfo>,
}

pub fn read_commit(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<CommitData, Error> {
    let commit = repo
        .objects
        .find_commit(&id, buf)
        .map_err(|e| git_err(format!("commit {id}"), e))?;
    Ok(commit_data(id, &commit))
}

/// Decodes commit `id` from its raw bytes.
pub fn parse_commit(id: ObjectId, data: &[u8]) -> Result<CommitData, Error> {
    let commit = gix::objs::CommitRef::from_bytes(data, id.kind())
        .map_err(|e| git_err(format!("commit {id}"), e))?;
    Ok(commit_data(id, &commit))
}

fn commit_data(id: ObjectId, commit: &gix::objs::CommitRef<'_>) -> CommitData {
    let (author, time) = match commit.author() {
        Ok(sig) => (
            format!("{} <{}>", sig.name, sig.email),
            sig.time().map(|t| t.seconds).unwrap_or(0),
        ),
        Err(_) => (String::from("unknown"), 0),
    };
    let subject = commit.message().summary().to_str_lossy().into_owned();
    CommitData {
        id,
        tree: commit.tree(),
        parents: commit.parents().collect(),
        info: Arc::new(CommitInfo {
            time,
            id: id.to_string(),
            author: crate::text::sanitize(&author),
            subject: crate::text::sanitize(&subject),
        }),
    }
}

/// One file entry of a tree: path, blob id, whether it is a regular file (not a link or a
/// submodule).
pub struct FileEntry {
    pub path: BString,
    pub id: ObjectId,
}

/// Every regular-file blob of `tree`, recursively, with its path. Submodules and symlinks are
/// skipped.
pub fn flatten_tree(
    repo: &gix::Repository,
    tree: ObjectId,
    out: &mut Vec<FileEntry>,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    let mut stack = vec![(tree, BString::default())];
    while let Some((id, prefix)) = stack.pop() {
        let entries = read_tree(repo, id, &mut buf)?;
        for (mode, name, oid) in entries {
            let path = join(prefix.as_ref(), name.as_ref());
            if mode.is_tree() {
                stack.push((oid, path));
            } else if mode.is_blob() {
                out.push(FileEntry { path, id: oid });
            }
        }
    }
    Ok(())
}

pub type TreeEntries = Vec<(gix::objs::tree::EntryMode, BString, ObjectId)>;

/// The entries of one tree, owned.
pub fn read_tree(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<TreeEntries, Error> {
    let tree = repo
        .objects
        .find_tree_iter(&id, buf)
        .map_err(|e| git_err(format!("tree {id}"), e))?;
    let mut out = Vec::new();
    for entry in tree {
        let entry = entry.map_err(|e| git_err(format!("tree {id}"), e))?;
        out.push((entry.mode, entry.filename.to_owned(), entry.oid.to_owned()));
    }
    Ok(out)
}

pub fn join(prefix: &BStr, name: &BStr) -> BString {
    let mut path = BString::from(Vec::with_capacity(prefix.len() + name.len() + 1));
    if !prefix.is_empty() {
        path.push_str(prefix);
        path.push_byte(b'/');
    }
    path.push_str(name);
    path
}

/// The blob's bytes, or `None` when it is larger than `max` (checked on the header, before
/// decompressing). `buf` is scratch space; its allocation may be handed over as the result.
pub fn read_blob(
    repo: &gix::Repository,
    id: ObjectId,
    max: u64,
    buf: &mut Vec<u8>,
) -> Result<Option<Vec<u8>>, Error> {
    let header = repo
        .find_header(id)
        .map_err(|e| git_err(format!("blob {id}"), e))?;
    if header.size() > max {
        return Ok(None);
    }
    // gix decodes into `buf` and returns a slice of it, wherever it put the object: copy
    // the slice rather than assume a layout (a staged scan reads a few blobs).
    let blob = repo
        .objects
        .find_blob(&id, buf)
        .map_err(|e| git_err(format!("blob {id}"), e))?;
    Ok(Some(blob.data.to_vec()))
}

/// The blob at `path` (relative to the root, `/`-separated) in the tree of `commit`; `None`
/// when there is no such regular file there (absent, a directory, a link, a submodule).
pub fn blob_at(
    repo: &gix::Repository,
    commit: ObjectId,
    path: &str,
) -> Result<Option<ObjectId>, Error> {
    let what = || format!("{path} at commit {}", commit.to_hex_with_len(7));
    let tree = repo
        .find_commit(commit)
        .map_err(|e| git_err(what(), e))?
        .tree()
        .map_err(|e| git_err(what(), e))?;
    let entry = tree
        .lookup_entry(path.split('/'))
        .map_err(|e| git_err(what(), e))?;
    Ok(entry.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
}

/// Byte ranges of `new` holding lines that are not in `old` (a line diff).
pub fn added_ranges(old: &[u8], new: &[u8]) -> Vec<Range<usize>> {
    use imara_diff::{Algorithm, Diff, InternedInput};
    let input = InternedInput::new(old, new);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut offset = 0usize;
    for (i, line) in new.lines_with_terminator().enumerate() {
        let range = offset..offset + line.len();
        offset += line.len();
        if diff.is_added(i as u32) {
            match out.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => out.push(range),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines() {
        let old = b"a\nb\nc\n";
        let new = b"a\nX\nb\nc\nY\nZ";
        let r = added_ranges(old, new);
        assert_eq!(r, vec![2..4, 8..11]);
        assert_eq!(&new[r[1].clone()], b"Y\nZ");
        assert_eq!(added_ranges(b"", b"one\ntwo\n"), vec![0..8]);
        assert!(added_ranges(b"same\n", b"same\n").is_empty());
    }
}
