//! Reading the planned blobs on several threads, and the lines of each that count.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use gix::ObjectId;

use crate::error::Error;
use crate::source::git;
use crate::source::is_binary;
use crate::source::pack::Reader;
use crate::source::Stats;

use super::lines::{new_lines, CandidateLines, LineSet};
use super::{BlobChunk, Jobs, Plan, Version};
/// The blob's bytes, or `None` when it is larger than `max` (checked on the header, before
/// decompressing). `buf`'s allocation is handed over as the result.
pub(super) fn read_blob(
    reader: &mut Reader<'_>,
    id: ObjectId,
    max: u64,
    buf: &mut Vec<u8>,
) -> Result<Option<Vec<u8>>, Error> {
    if reader.size(&id)? > max {
        return Ok(None);
    }
    match reader.find(&id, buf)? {
        Some(gix::objs::Kind::Blob) => Ok(Some(std::mem::take(buf))),
        Some(kind) => Err(Error::Git(format!("object {id} is a {kind}, not a blob"))),
        None => Err(Error::Git(format!("blob {id} is missing"))),
    }
}

/// Decoded objects kept per thread while reading blobs: whole delta chains of the file being
/// read, so that each of its versions is one delta away from a cached one.
pub(super) const BLOB_CACHE_BYTES: usize = 8 << 20;

/// Reads every blob of the plan once, in parallel, and hands each to `visit` with the ranges
/// that count for each place; `visit` returns the spans of the candidates it found (before
/// filtering). Blobs over `max_size` (checked on the header) and binary blobs are not searched
/// (`visit` gets them with `unread` set, for path rules); unreadable ones are reported and
/// counted.
pub fn for_each_blob<F>(
    plan: &Plan,
    max_size: u64,
    threads: usize,
    stats: &Stats,
    visit: F,
) -> Result<(), Error>
where
    F: Fn(BlobChunk<'_>) -> Vec<Range<usize>> + Sync,
{
    type Run<'p> = Vec<(Option<(usize, u64)>, &'p Version)>;
    let locate = |v: &'_ Version| plan.packs.locate(&v.blob);
    // Work comes in runs, each read in order by one thread: a chain segment, or a batch of
    // consecutive blobs (in pack order for full history, so that delta bases are decoded just
    // before the objects built on them: git writes a base before its deltas).
    let runs: Vec<Run<'_>> = match &plan.jobs {
        Jobs::Chains(chains) => chains
            .iter()
            .map(|c| c.iter().map(|v| (locate(v), v)).collect())
            .collect(),
        Jobs::Whole(versions) | Jobs::Diff(versions) => {
            let mut all: Run<'_> = versions.iter().map(|v| (locate(v), v)).collect();
            all.sort_unstable_by_key(|&(at, _)| (at.is_none(), at));
            all.chunks(BATCH).map(<[_]>::to_vec).collect()
        }
    };
    let progress = progress_bar(runs.iter().map(|r| r.len() as u64).sum());
    // Pack order: the lines of each blob read so far that hold candidates, by location.
    let candidate_lines: Mutex<HashMap<(usize, u64), CandidateLines>> = Mutex::default();
    let none = CandidateLines::default();
    let work = |reader: &mut Reader<'_>, bufs: &mut Buffers, run: &Run<'_>| {
        bufs.has_previous = false;
        for &(at, version) in run {
            progress.inc(1);
            let based = match read_version(reader, version.blob, at, max_size, bufs) {
                Ok(Some(based)) => based,
                Ok(None) => {
                    stats.skipped_large.fetch_add(1, Ordering::Relaxed);
                    visit(BlobChunk::unread(&version.places));
                    continue;
                }
                Err(e) => {
                    stats.problem(format!(
                        "{} (at {}); continuing",
                        e.with_causes(),
                        version.places[0].path
                    ));
                    continue;
                }
            };
            let text = &bufs.text;
            if is_binary(text) {
                stats.skipped_binary.fetch_add(1, Ordering::Relaxed);
                visit(BlobChunk::unread(&version.places));
                continue;
            }
            stats.files.fetch_add(1, Ordering::Relaxed);
            stats.bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
            let added: Vec<Option<Vec<Range<usize>>>> = match &plan.jobs {
                Jobs::Chains(_) => {
                    let previous = bufs.has_previous.then_some(&bufs.previous[..]);
                    vec![new_lines(text, previous, &mut bufs.lines, &none)]
                }
                Jobs::Whole(_) => {
                    let base_lines = based.and_then(|(pack, base)| {
                        let known = candidate_lines.lock().unwrap_or_else(|p| p.into_inner());
                        known.get(&(pack, base)).cloned()
                    });
                    let ranges = base_lines
                        .and_then(|kept| new_lines(text, Some(&bufs.base), &mut bufs.lines, &kept));
                    vec![ranges; version.places.len()]
                }
                Jobs::Diff(_) => version
                    .places
                    .iter()
                    .map(|p| {
                        // The version before the change: only lines it lacks count. Over the
                        // size limit, or unreadable (reported), every line counts.
                        let old = match p.old.map(|o| (o, read_blob(reader, o, max_size, &mut bufs.base))) {
                            Some((_, Ok(Some(old)))) => old,
                            Some((o, Err(e))) => {
                                stats.problem(format!(
                                    "{} (blob {o}, the version of {} before commit {}); all its lines are scanned; continuing",
                                    e.with_causes(),
                                    p.path,
                                    p.commit.short_id()
                                ));
                                Vec::new()
                            }
                            _ => Vec::new(),
                        };
                        let ranges = git::added_ranges(&old, text);
                        bufs.base = old;
                        Some(ranges)
                    })
                    .collect(),
            };
            // Called even when no line counts: path rules still apply.
            let spans = visit(BlobChunk {
                text,
                places: &version.places,
                added,
                unread: false,
            });
            match (&plan.jobs, at) {
                (Jobs::Whole(_), Some(at)) => {
                    let lines = CandidateLines::under(text, &spans);
                    let mut known = candidate_lines.lock().unwrap_or_else(|p| p.into_inner());
                    known.insert(at, lines);
                }
                (Jobs::Chains(_), _) => {
                    // This version is the next one's predecessor.
                    std::mem::swap(&mut bufs.text, &mut bufs.previous);
                    bufs.has_previous = true;
                }
                _ => {}
            }
        }
    };
    let next = AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                let mut repo = plan.repo.to_thread_local();
                repo.object_cache_size(0);
                git::limit_pack_cache(&mut repo);
                let mut reader = plan.packs.reader(repo, BLOB_CACHE_BYTES);
                reader.limit(max_size);
                let mut bufs = Buffers::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(run) = runs.get(i) else { break };
                    work(&mut reader, &mut bufs, run);
                }
            });
        }
    });
    progress.finish_and_clear();
    Ok(())
}

/// Blobs per batch of a pack-order or range scan (see `for_each_blob`).
pub(super) const BATCH: usize = 64;

/// Per-thread buffers: the blob, its delta base or previous version, and line hashes.
#[derive(Default)]
pub(super) struct Buffers {
    text: Vec<u8>,
    base: Vec<u8>,
    /// Chains: the previous version of the path, when `has_previous`.
    previous: Vec<u8>,
    has_previous: bool,
    lines: LineSet,
}

/// Reads `blob` into `bufs.text`; `None` when it is over `max` bytes. When it is stored as a
/// delta on another object of the same pack, returns that base's location, with the base's
/// bytes in `bufs.base`.
pub(super) fn read_version(
    reader: &mut Reader<'_>,
    blob: ObjectId,
    at: Option<(usize, u64)>,
    max: u64,
    bufs: &mut Buffers,
) -> Result<Option<Option<(usize, u64)>>, Error> {
    if reader.size_at(&blob, at)? > max {
        return Ok(None);
    }
    let (kind, base) = match at {
        Some(at) => {
            let (kind, base) = reader.decode_at(at, &mut bufs.text, &mut bufs.base)?;
            (Some(kind), base.map(|b| (at.0, b)))
        }
        None => (reader.find(&blob, &mut bufs.text)?, None),
    };
    match kind {
        Some(gix::objs::Kind::Blob) => Ok(Some(base)),
        Some(kind) => Err(Error::Git(format!("object {blob} is a {kind}, not a blob"))),
        None => Err(Error::Git(format!("blob {blob} is missing"))),
    }
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (CI logs, pipes).
pub(super) fn progress_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "scanning history {bar:30} {pos}/{len} blobs {elapsed}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
