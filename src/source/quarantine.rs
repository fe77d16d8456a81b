//! Objects that are not in the repository yet: git runs a pre-receive hook with the pushed
//! objects in a quarantine directory, named by `GIT_OBJECT_DIRECTORY`, and the repository's
//! own store listed in `GIT_ALTERNATE_OBJECT_DIRECTORIES` (git also sets
//! `GIT_QUARANTINE_PATH`). The objects move into the repository only if the hook accepts.
//!
//! gix reads neither variable, and alternates only from an `objects/info/alternates` file. So
//! when they are set, the repository is given an object store of our own: a private temporary
//! `objects/` directory whose `info/alternates` lists the quarantine, the alternates from the
//! environment and the repository's own objects. Nothing is written inside the repository
//! (git would move a file left in the quarantine into it). The directory is removed by
//! [`release`] when the command ends.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;

/// The temporary store, kept for the whole command: gix reads `info/alternates` again when an
/// object is not found.
static VIEW: Mutex<Option<tempfile::TempDir>> = Mutex::new(None);

/// The object directories git named in the environment, first the one new objects go to.
/// Relative entries are taken from the current directory, as git does.
pub fn env_object_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("GIT_OBJECT_DIRECTORY").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    if let Some(list) = std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES") {
        dirs.extend(split_alternates(&list.to_string_lossy()));
    }
    dirs.into_iter()
        .map(|d| std::path::absolute(&d).unwrap_or(d))
        .collect()
}

/// `GIT_ALTERNATE_OBJECT_DIRECTORIES`: separated like `PATH`; an entry that holds the
/// separator or a quote is written in double quotes with C-style escapes.
fn split_alternates(list: &str) -> Vec<PathBuf> {
    let sep = if cfg!(windows) { ';' } else { ':' };
    let mut out = Vec::new();
    let mut chars = list.chars().peekable();
    while chars.peek().is_some() {
        let mut entry = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => entry.extend(chars.next()),
                    c => entry.push(c),
                }
            }
            // Up to the separator after the closing quote.
            for c in chars.by_ref() {
                if c == sep {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == sep {
                    break;
                }
                entry.push(c);
            }
        }
        if !entry.is_empty() {
            out.push(PathBuf::from(entry));
        }
    }
    out
}

/// Gives `repo` a store that also sees the objects in the directories git named in the
/// environment; does nothing when it named none.
pub fn attach(repo: &mut gix::Repository) -> Result<(), Error> {
    let dirs = env_object_dirs();
    if dirs.is_empty() {
        return Ok(());
    }
    let own = repo.common_dir().join("objects");
    let mut view = VIEW.lock().unwrap_or_else(|p| p.into_inner());
    if view.is_none() {
        *view = Some(make_view(&dirs, &own)?);
    }
    let objects = view
        .as_ref()
        .map(|v| v.path().join("objects"))
        .unwrap_or_default();
    let store = gix::odb::at(&objects, repo.object_hash()).map_err(|e| Error::io(&objects, e))?;
    repo.objects = store.into();
    Ok(())
}

fn make_view(dirs: &[PathBuf], own: &Path) -> Result<tempfile::TempDir, Error> {
    let tmp = tempfile::Builder::new()
        .prefix("scan-secrets-objects-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let info = tmp.path().join("objects").join("info");
    std::fs::create_dir_all(&info).map_err(|e| Error::io(&info, e))?;
    let mut list = String::new();
    for dir in dirs.iter().map(PathBuf::as_path).chain([own]) {
        list.push_str(&dir.to_string_lossy());
        list.push('\n');
    }
    let file = info.join("alternates");
    std::fs::write(&file, list).map_err(|e| Error::io(&file, e))?;
    Ok(tmp)
}

/// The repository `repo` is, with its own object store only (no quarantine), when git named a
/// quarantine in the environment: what the repository had before the push.
pub fn own_store(repo: &gix::Repository) -> Option<gix::Repository> {
    if env_object_dirs().is_empty() {
        return None;
    }
    let mut own = gix::open(repo.git_dir()).ok()?;
    own.object_cache_size(0);
    Some(own)
}

/// Removes the temporary store, if one was made. Called when the command ends (also when a
/// time budget ends it early).
pub fn release() {
    let mut view = VIEW.lock().unwrap_or_else(|p| p.into_inner());
    view.take();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternates_split_like_git() {
        let sep = if cfg!(windows) { ';' } else { ':' };
        let list = format!("/a/objects{sep}\"/b{sep}c/\\\"q\\\"/objects\"{sep}{sep}rel/objects");
        assert_eq!(
            split_alternates(&list),
            [
                PathBuf::from("/a/objects"),
                PathBuf::from(format!("/b{sep}c/\"q\"/objects")),
                PathBuf::from("rel/objects"),
            ]
        );
    }
}
