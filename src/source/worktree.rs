//! Working-tree scan: a parallel walk (the `ignore` crate) that honours .gitignore, .ignore and
//! git's exclude files, includes dotfiles (`.env` is where keys leak), and skips `.git/`,
//! binary files and files over the size limit. Only regular files are read: symlinks are not
//! followed (except a path named on the command line), FIFOs and devices never opened.
//! Submodules are not entered unless `--recurse-submodules`. UTF-16 files with a byte order
//! mark are decoded (see `source::to_text`).

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::Ordering;

use ignore::{WalkBuilder, WalkState};

use super::{to_text, Chunk, Stats};
use crate::finding::Origin;

/// What a working-tree walk needs to know, set by the scan from its settings.
pub struct Options<'a> {
    /// Paths are reported relative to it for `[allow] paths`.
    pub root: &'a Path,
    pub threads: usize,
    /// Larger files are not read (only path rules apply to them).
    pub max_file_size: u64,
    pub recurse_submodules: bool,
    /// Files never scanned: the config and baseline in use (they hold allowlisted values and
    /// fingerprints on purpose, which generic rules misread).
    pub own_files: Vec<&'a Path>,
    /// File names never scanned, wherever they are (`.scan-secrets-baseline.json`).
    pub own_names: &'a [&'a str],
}

/// Walks `paths` on `options.threads` threads and calls `visit` for every text file. `visit`
/// runs on the walker threads; a file or directory that cannot be read is recorded in
/// `stats` as a problem and the walk goes on.
pub fn walk<F>(paths: &[std::path::PathBuf], options: &Options<'_>, stats: &Stats, visit: F)
where
    F: Fn(Chunk) + Sync,
{
    let own: Vec<_> = options
        .own_files
        .iter()
        .filter_map(|p| Some((p.file_name()?.to_owned(), std::fs::canonicalize(p).ok()?)))
        .collect();
    // Only files named (a hook's or an editor's few paths): read them on this thread, without
    // starting the walker's threads or reading ignore files, which do not apply to a path
    // given by name.
    if paths
        .iter()
        .all(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()))
    {
        for path in paths {
            visit_file(path, options, stats, &own, &visit);
        }
        return;
    }
    let recurse = options.recurse_submodules;
    let mut builder = WalkBuilder::new(&paths[0]);
    for p in &paths[1..] {
        builder.add(p);
    }
    builder
        .hidden(false)
        .parents(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .ignore(true)
        .threads(options.threads)
        .filter_entry(move |e| e.file_name() != ".git" && (recurse || !is_submodule(e)));
    builder.build_parallel().run(|| {
        let visit = &visit;
        let own = &own;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    stats.problem(walk_error(&e));
                    return WalkState::Continue;
                }
            };
            // Only regular files: never open FIFOs, sockets or devices.
            if entry.file_type().is_some_and(|t| t.is_file()) {
                visit_file(entry.path(), options, stats, own, visit);
            }
            WalkState::Continue
        })
    });
}

/// Reads one regular file and hands it to `visit`, unless it is the config or baseline in use
/// (`own`: their names and canonical paths).
fn visit_file<F>(
    path: &Path,
    options: &Options<'_>,
    stats: &Stats,
    own: &[(std::ffi::OsString, std::path::PathBuf)],
    visit: &F,
) where
    F: Fn(Chunk),
{
    let name = path.file_name().unwrap_or_default();
    if options.own_names.iter().any(|n| name == *n)
        || own.iter().any(|(own_name, canon)| {
            name == own_name && std::fs::canonicalize(path).ok().as_ref() == Some(canon)
        })
    {
        return;
    }
    let chunk = |text: Vec<u8>, unread: bool| Chunk {
        origin: Origin::File {
            path: display_path(path),
        },
        rel_path: Some(relative(path, options.root)),
        text,
        added: None,
        unread,
    };
    match read_file(path, options.max_file_size) {
        Ok(Read_::Text(text)) => {
            stats.files.fetch_add(1, Ordering::Relaxed);
            stats.bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
            visit(chunk(text, false));
        }
        // Not read as text: only the path can still say it is a sensitive file.
        Ok(Read_::Large) => {
            stats.skipped_large.fetch_add(1, Ordering::Relaxed);
            visit(chunk(Vec::new(), true));
        }
        Ok(Read_::Binary) => {
            stats.skipped_binary.fetch_add(1, Ordering::Relaxed);
            visit(chunk(Vec::new(), true));
        }
        Err(e) => stats.problem(format!("{}: {e}", display_path(path))),
    }
}

/// A directory below a scanned path with a `.git` file (not directory): a submodule's
/// checkout, or a linked worktree. Another repository: entered only with
/// `--recurse-submodules`. A path given on the command line (depth 0) is always entered.
fn is_submodule(entry: &ignore::DirEntry) -> bool {
    entry.depth() > 0
        && entry.file_type().is_some_and(|t| t.is_dir())
        && std::fs::symlink_metadata(entry.path().join(".git")).is_ok_and(|m| m.is_file())
}

/// A walk error (an unreadable directory, a bad ignore file) as `path: reason`, the path
/// shown like the paths of findings.
fn walk_error(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithDepth { err, .. } => walk_error(err),
        ignore::Error::WithPath { path, err } => {
            format!("{}: {}", display_path(path), walk_error(err))
        }
        e => e.to_string(),
    }
}

enum Read_ {
    Text(Vec<u8>),
    Large,
    Binary,
}

fn read_file(path: &Path, max: u64) -> std::io::Result<Read_> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Ok(Read_::Large);
    }
    let mut text = Vec::with_capacity(len as usize + 1);
    // `take` guards against a file that grows while we read it.
    (&mut file).take(max + 1).read_to_end(&mut text)?;
    if text.len() as u64 > max {
        return Ok(Read_::Large);
    }
    Ok(to_text(text).map_or(Read_::Binary, Read_::Text))
}

/// The path as the user typed it, without a leading `./`.
fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if cfg!(windows) {
        s.strip_prefix(".\\").unwrap_or(s).to_string()
    } else {
        s.to_string()
    }
}

/// `path` relative to `root`, `/`-separated, for allowlist globs.
fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").unwrap_or(&s).to_string()
}
