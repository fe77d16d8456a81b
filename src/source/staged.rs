//! `--staged`: what `git commit` would record. Compares each index entry with HEAD's tree and
//! scans the staged blob (never the file on disk); only added lines count, but the whole blob
//! is matched so that a multi-line secret inside an added hunk is seen whole.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gix::bstr::{BString, ByteSlice};
use gix::index::entry::{Flags, Mode, Stage};
use gix::ObjectId;

use super::git::{self, flatten_tree, git_err};
use super::{to_text, Chunk};
use crate::error::Error;
use crate::finding::Origin;

/// What a staged scan found to scan, plus what it skipped.
#[derive(Default)]
pub struct Staged {
    pub chunks: Vec<Chunk>,
    pub skipped_large: u64,
    pub skipped_binary: u64,
    /// Things the user should know (conflicted paths left out), for the reporter to print.
    pub notes: Vec<String>,
}

pub fn collect(dir: &Path, max_size: u64) -> Result<Staged, Error> {
    let repo = git::discover(dir)?;
    if repo.workdir().is_none() {
        return Err(Error::Git(format!(
            "{}: --staged needs a work tree, this is a bare repository",
            dir.display()
        )));
    }
    let index = repo
        .index_or_empty()
        .map_err(|e| git_err("cannot read the index", e))?;
    // HEAD's files by path; an unborn branch has none, so everything staged is new.
    let mut head: HashMap<BString, ObjectId> = HashMap::new();
    let mut head_blobs: HashSet<ObjectId> = HashSet::new();
    if let Ok(tree) = repo.head_tree_id() {
        let mut files = Vec::new();
        flatten_tree(&repo, tree.detach(), &mut files)?;
        for f in files {
            head_blobs.insert(f.id);
            head.insert(f.path, f.id);
        }
    }
    let mut out = Staged::default();
    let mut buf = Vec::new();
    let mut conflicted: Vec<String> = Vec::new();
    for entry in index.entries() {
        // Conflicted entries (stages 1-3) cannot be committed until resolved (then they are
        // staged, and scanned, like any other file).
        if entry.stage() != Stage::Unconflicted {
            let path = entry.path(&index).to_str_lossy().into_owned();
            if conflicted.last() != Some(&path) {
                conflicted.push(path);
            }
            continue;
        }
        // Intent-to-add entries carry no content yet; submodules and symlinks are not file
        // content.
        if entry.flags.contains(Flags::INTENT_TO_ADD)
            || !(entry.mode == Mode::FILE || entry.mode == Mode::FILE_EXECUTABLE)
        {
            continue;
        }
        let path = entry.path(&index);
        let old = head.get(path).copied();
        // Unchanged, or the same content already committed under another name (a rename).
        if old == Some(entry.id) || (old.is_none() && head_blobs.contains(&entry.id)) {
            continue;
        }
        let rel = path.to_str_lossy().into_owned();
        // Not read as text: only the path can still say it is a sensitive file.
        let unread = |rel: String| Chunk {
            origin: Origin::Staged { path: rel.clone() },
            rel_path: Some(rel),
            text: Vec::new(),
            added: None,
            unread: true,
        };
        let Some(text) = git::read_blob(&repo, entry.id, max_size, &mut buf)? else {
            out.skipped_large += 1;
            out.chunks.push(unread(rel));
            continue;
        };
        let Some(text) = to_text(text) else {
            out.skipped_binary += 1;
            out.chunks.push(unread(rel));
            continue;
        };
        // A new file counts whole; a modified one only by its added lines.
        let added = match old {
            Some(old_id) => {
                let old_raw =
                    git::read_blob(&repo, old_id, u64::MAX, &mut buf)?.unwrap_or_default();
                // Compared as text when it is text (a UTF-16 file's lines are decoded).
                let old_text = super::decode_utf16_bom(&old_raw).unwrap_or(old_raw);
                let ranges = git::added_ranges(&old_text, &text);
                if ranges.is_empty() {
                    continue;
                }
                Some(ranges)
            }
            None => None,
        };
        out.chunks.push(Chunk {
            origin: Origin::Staged { path: rel.clone() },
            rel_path: Some(rel),
            text,
            added,
            unread: false,
        });
    }
    if !conflicted.is_empty() {
        let n = conflicted.len();
        out.notes.push(format!(
            "{n} conflicted path{} not scanned until resolved and staged: {}",
            if n == 1 { " is" } else { "s are" },
            conflicted.join(", ")
        ));
    }
    Ok(out)
}
