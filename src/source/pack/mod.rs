//! Objects read straight from the repository's pack files, with a cache that keeps every
//! delta base decoded on the way.
//!
//! gix caches only the object that was asked for, so reading the versions of a tree or file
//! one by one re-inflates most of each delta chain (git/git's trees sit 13 deltas deep on
//! average): that was half of a history scan's time. Here every object decoded while resolving
//! a chain is kept (up to a memory cap), as git does, so that walking history decodes most
//! objects about once. Anything not found in a pack (loose objects, alternates) is read
//! through gix.

use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use gix::objs::Kind;
use gix::odb::pack;
use gix::ObjectId;

use crate::error::Error;

use super::git::git_err;
use cache::BaseCache;
use inflate::{apply_delta, inflate_capped};

mod cache;
mod fuzz;
mod inflate;

pub use fuzz::fuzz_pack;

/// The pack files of one repository (index and data), shared by the reading threads.
pub struct Packs {
    packs: Vec<(pack::index::File, pack::data::File<Map>, Map)>,
    /// Bytes inflated since the mapped pages were last released.
    inflated: AtomicU64,
    /// Inflated bytes after which the packs' mapped pages are released (see `release_pages`).
    release_every: u64,
}

/// A read-only memory map of a pack, shared with gix's `data::File`.
#[derive(Clone)]
struct Map(Arc<memmap2::Mmap>);

impl Deref for Map {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

/// Inflated bytes after which the packs' mapped pages are released (see `release_pages`), by
/// default: a full-history scan reads most of a pack, and releasing more often costs it page
/// faults (curl's history: 1.2 times the time at 16 MiB).
const RELEASE_EVERY: u64 = 64 << 20;

impl Packs {
    /// Opens every `objects/pack/*.idx` with its pack, and those of the object directories
    /// git names in the environment (a push's quarantine). Packs that fail to open are left
    /// to gix.
    pub fn open(repo: &gix::Repository) -> Packs {
        let mut dirs = super::quarantine::env_object_dirs();
        dirs.push(repo.common_dir().join("objects"));
        let mut seen = Vec::new();
        dirs.retain(|d| {
            let key = d.canonicalize().unwrap_or_else(|_| d.clone());
            !seen.contains(&key) && {
                seen.push(key);
                true
            }
        });
        let hash = repo.object_hash();
        let mut packs = Vec::new();
        for (rank, dir) in dirs.iter().enumerate() {
            let Ok(entries) = std::fs::read_dir(dir.join("pack")) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_none_or(|e| e != "idx") {
                    continue;
                }
                if let Some(pair) = open_pair(&path, hash) {
                    packs.push((rank, pair));
                }
            }
        }
        // A push's quarantine first: what a pre-receive scan reads is mostly there, and a miss
        // in its small index is cheaper than one in the repository's. Then most objects live
        // in the biggest pack: look there first.
        packs.sort_by_key(|(rank, (index, _, _))| (*rank, std::cmp::Reverse(index.num_objects())));
        let packs = packs.into_iter().map(|(_, pair)| pair).collect();
        Packs {
            packs,
            inflated: AtomicU64::new(0),
            release_every: RELEASE_EVERY,
        }
    }

    /// Releases mapped pages every `bytes` inflated instead (see `release_pages`). A range or
    /// a push reads scattered objects, seldom the same pages twice: 16 MiB keeps a
    /// pre-receive scan of 1,052 git/git commits at 93 MiB of peak RSS instead of 107.
    pub fn release_every(mut self, bytes: u64) -> Self {
        self.release_every = bytes.max(1);
        self
    }

    /// Drops the packs' pages from this process's memory map. A history scan reads each part
    /// of a pack about once, and the pages already read would otherwise stay mapped, counted
    /// in the process's resident memory, until the end (the whole pack, hundreds of MiB on a
    /// big repository). They stay in the kernel's page cache: reading them again costs a
    /// minor page fault, not I/O.
    pub fn release_pages(&self) {
        #[cfg(unix)]
        for (_, _, map) in &self.packs {
            // SAFETY: the map is a read-only, file-backed mapping that nothing writes to.
            // MADV_DONTNEED only unmaps its pages from this process; any later access faults
            // the same bytes back in from the file, so slices into it stay valid and unchanged.
            let _ = unsafe {
                map.0
                    .unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, 0, map.len())
            };
        }
    }

    /// Counts inflated bytes and releases mapped pages every `RELEASE_EVERY` of them.
    fn count_inflated(&self, bytes: u64) {
        let before = self.inflated.fetch_add(bytes, Ordering::Relaxed);
        let every = self.release_every;
        if before / every != (before + bytes) / every {
            self.release_pages();
        }
    }

    /// A reader with its own cache of `cache_bytes`, falling back to `repo` for objects not in
    /// these packs.
    pub fn reader(&self, repo: gix::Repository, cache_bytes: usize) -> Reader<'_> {
        Reader {
            packs: self,
            repo,
            cache: BaseCache::new(cache_bytes),
            inflate: gix::zlib::Inflate::default(),
            delta: Vec::new(),
            target: Vec::new(),
            blob_limit: OBJECT_CAP,
        }
    }

    /// The location of the delta base of the object at `at`, when it is a delta on an object
    /// of the same pack; read from the entry header only.
    pub fn delta_base(&self, (pack, offset): (usize, u64)) -> Option<(usize, u64)> {
        let (index, data, _) = &self.packs[pack];
        match data.entry(offset).ok()?.header {
            pack::data::entry::Header::OfsDelta { base_distance } => {
                pack::data::entry::Header::verified_base_pack_offset(offset, base_distance)
                    .map(|base| (pack, base))
            }
            pack::data::entry::Header::RefDelta { base_id } => index
                .lookup(base_id)
                .map(|i| (pack, index.pack_offset_at_index(i))),
            _ => None,
        }
    }

    /// Where object `id` is stored: (pack number, offset), or `None` when not in a pack.
    pub fn locate(&self, id: &gix::hash::oid) -> Option<(usize, u64)> {
        self.packs
            .iter()
            .enumerate()
            .find_map(|(n, (index, _, _))| {
                index.lookup(id).map(|i| (n, index.pack_offset_at_index(i)))
            })
    }
}

fn open_pair(
    idx: &Path,
    hash: gix::hash::Kind,
) -> Option<(pack::index::File, pack::data::File<Map>, Map)> {
    let index = pack::index::File::at(idx, hash).ok()?;
    let path = idx.with_extension("pack");
    let file = std::fs::File::open(&path).ok()?;
    // SAFETY: as for every reader of git packs (gix, git itself): pack files are immutable
    // once written; git replaces packs, it never rewrites one in place.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let map = Map(Arc::new(map));
    let data = pack::data::File::from_data(map.clone(), path, hash).ok()?;
    (data.num_objects() == index.num_objects()).then_some((index, data, map))
}

/// Longest delta chain followed before the pack is called corrupt (git writes at most 4095).
const MAX_CHAIN: usize = 10_000;

/// Reads objects for one thread.
pub struct Reader<'a> {
    packs: &'a Packs,
    repo: gix::Repository,
    cache: BaseCache,
    inflate: gix::zlib::Inflate,
    /// Scratch space: the inflated delta, and the object it produces.
    delta: Vec<u8>,
    target: Vec<u8>,
    /// Largest blob read (see `limit`).
    blob_limit: usize,
}

/// Largest tree, commit or tag read, and the default limit for blobs (see `Reader::limit`).
/// Real trees stay far below it: a directory of 100,000 files is a tree of about 7 MiB.
pub const OBJECT_CAP: usize = 64 << 20;

impl<'a> Reader<'a> {
    /// The repository handle behind this reader.
    pub fn repo(&self) -> &gix::Repository {
        &self.repo
    }

    /// Sets the largest blob this reader decodes (the scan's `--max-file-size`; `OBJECT_CAP`
    /// until set). Objects a blob is built from (its delta bases) may be larger than the blob,
    /// up to `max(bytes, OBJECT_CAP)`; trees, commits and tags are capped at `OBJECT_CAP`.
    /// An object over its cap, or whose header lies about its size, is an error for that
    /// object only; no buffer ever grows past these caps.
    pub fn limit(&mut self, bytes: u64) {
        self.blob_limit = usize::try_from(bytes).unwrap_or(usize::MAX);
    }

    /// The most bytes an object of `kind` may take: `top` for the object asked for, otherwise
    /// for a delta base on the way to it.
    fn cap(&self, kind: Kind, top: bool) -> usize {
        match kind {
            Kind::Blob if top => self.blob_limit,
            Kind::Blob => self.blob_limit.max(OBJECT_CAP),
            _ => OBJECT_CAP,
        }
    }

    /// The object's size, from its pack entry headers (no decompression beyond the first delta
    /// header), or through gix when it is not in a pack. Errors when the object is missing.
    pub fn size(&mut self, id: &ObjectId) -> Result<u64, Error> {
        self.size_at(id, self.packs.locate(id))
    }

    /// Like `size`, for an object already located (`at` from `Packs::locate`).
    pub fn size_at(&mut self, id: &ObjectId, at: Option<(usize, u64)>) -> Result<u64, Error> {
        if let Some((pack, offset)) = at {
            let data = &self.packs.packs[pack].1;
            let header = data
                .entry(offset)
                .and_then(|entry| data.decode_header(entry, &mut self.inflate, &|_| Ok(None)));
            if let Ok(header) = header {
                return Ok(header.object_size);
            }
        }
        let header = self
            .repo
            .find_header(*id)
            .map_err(|e| git_err(format!("object {id}"), e))?;
        Ok(header.size())
    }

    /// Decodes the object at `offset` of pack `pack` (see `Packs::locate`) into `out`. When it
    /// is a delta on an object of the same pack, also returns that base's offset, with the
    /// base's bytes in `base`.
    pub fn decode_at(
        &mut self,
        (pack, offset): (usize, u64),
        out: &mut Vec<u8>,
        base: &mut Vec<u8>,
    ) -> Result<(Kind, Option<u64>), Error> {
        self.decode(pack, offset, out, 0, Some(base))
    }

    /// The object's bytes in `out` and its kind; `None` when the object does not exist.
    pub fn find(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Result<Option<Kind>, Error> {
        self.find_at_depth(id, out, 0)
    }

    fn find_at_depth(
        &mut self,
        id: &ObjectId,
        out: &mut Vec<u8>,
        depth: usize,
    ) -> Result<Option<Kind>, Error> {
        match self.packs.locate(id) {
            Some((pack, offset)) => self
                .decode(pack, offset, out, depth, None)
                .map(|(kind, _)| Some(kind)),
            None => {
                use gix::objs::Find;
                // gix decodes into the buffer it is given and returns a slice of it, wherever
                // it put the object: copy that slice rather than assume a layout. Objects
                // outside the packs (loose ones, alternates) are few.
                let mut scratch = std::mem::take(&mut self.target);
                let found = match self.repo.objects.try_find(id, &mut scratch) {
                    Ok(Some(data)) => {
                        out.clear();
                        out.extend_from_slice(data.data);
                        Ok(Some(data.kind))
                    }
                    Ok(None) => Ok(None),
                    Err(e) => Err(git_err(format!("object {id}"), e)),
                };
                self.target = scratch;
                found
            }
        }
    }

    /// Decodes the object at `offset` of pack `pack` into `out`, resolving its delta chain
    /// from the nearest cached object and caching every object produced on the way.
    fn decode(
        &mut self,
        pack: usize,
        offset: u64,
        out: &mut Vec<u8>,
        depth: usize,
        mut base: Option<&mut Vec<u8>>,
    ) -> Result<(Kind, Option<u64>), Error> {
        let packs: &'a Packs = self.packs;
        let (index, data, _) = &packs.packs[pack];
        let corrupt =
            |what: &str| Error::Git(format!("corrupt pack {}: {what}", data.path().display()));
        // Deltas from the requested object down to the base, with their offsets.
        let mut chain: Vec<(u64, pack::data::Entry)> = Vec::new();
        let mut at = offset;
        // Where the chain's first object (cached or undeltified) is, when in this pack.
        let bottom: Option<u64>;
        let kind = loop {
            if let Some(kind) = self.cache.get(pack, at, out) {
                bottom = Some(at);
                break kind;
            }
            if chain.len() > MAX_CHAIN {
                return Err(corrupt("delta chain too long or cyclic"));
            }
            let entry = data
                .entry(at)
                .map_err(|e| corrupt(&format!("entry at offset {at}: {e}")))?;
            match entry.header {
                pack::data::entry::Header::OfsDelta { base_distance } => {
                    let base =
                        pack::data::entry::Header::verified_base_pack_offset(at, base_distance)
                            .ok_or_else(|| corrupt(&format!("bad delta base at offset {at}")))?;
                    chain.push((at, entry));
                    at = base;
                }
                pack::data::entry::Header::RefDelta { base_id } => {
                    chain.push((at, entry));
                    match index.lookup(base_id) {
                        Some(i) => at = index.pack_offset_at_index(i),
                        None => {
                            if depth > 16 {
                                return Err(corrupt("delta bases refer to each other"));
                            }
                            bottom = None;
                            match self.find_at_depth(&base_id, out, depth + 1)? {
                                Some(kind) => break kind,
                                None => {
                                    return Err(corrupt(&format!("missing delta base {base_id}")))
                                }
                            }
                        }
                    }
                }
                header => {
                    bottom = Some(at);
                    let kind = header
                        .as_kind()
                        .ok_or_else(|| corrupt(&format!("unknown object type at offset {at}")))?;
                    let cap = self.cap(kind, chain.is_empty());
                    self.inflate_into(pack, &entry, out, cap, kind)?;
                    self.cache.put(pack, at, kind, out);
                    break kind;
                }
            }
        };
        // The requested object's delta base: the next object down the chain.
        let base_at = match chain.len() {
            0 => None,
            1 => bottom,
            _ => Some(chain[1].0),
        };
        for (at, entry) in chain.into_iter().rev() {
            if at == offset {
                if let Some(base) = base.as_deref_mut() {
                    base.clear();
                    base.extend_from_slice(out);
                }
            }
            // Git stores a delta only when it is smaller than the object it produces, so the
            // object's cap bounds the delta too.
            let cap = self.cap(kind, at == offset);
            let mut delta = std::mem::take(&mut self.delta);
            let inflated = self.inflate_into(pack, &entry, &mut delta, cap, kind);
            let applied = inflated.and_then(|()| {
                apply_delta(out, &delta, &mut self.target, cap)
                    .map_err(|what| corrupt(&format!("delta at offset {at}: {what}")))
            });
            self.delta = delta;
            applied?;
            std::mem::swap(out, &mut self.target);
            self.cache.put(pack, at, kind, out);
        }
        Ok((kind, base_at))
    }

    /// Inflates the entry's data into `out`: a whole object, or a delta's instructions. The
    /// entry's header declares the size; more than `cap` bytes is an error, and so is a stream
    /// that inflates to any other size. `out` grows as bytes come out (from `FIRST_CHUNK`), so a
    /// header that lies costs no memory.
    fn inflate_into(
        &mut self,
        pack: usize,
        entry: &pack::data::Entry,
        out: &mut Vec<u8>,
        cap: usize,
        kind: Kind,
    ) -> Result<(), Error> {
        let packs: &'a Packs = self.packs;
        let (_, data, map) = &packs.packs[pack];
        let fail = |why: String| {
            let delta = if entry.header.is_delta() {
                "delta for a "
            } else {
                ""
            };
            Error::Git(format!(
                "pack {}: object at offset {} (a {delta}{kind}): {why}",
                data.path().display(),
                entry.pack_offset(),
            ))
        };
        let declared = entry.decompressed_size;
        let input = usize::try_from(entry.data_offset)
            .ok()
            .and_then(|start| map.get(start..data.pack_end()))
            .ok_or_else(|| fail("data beyond the end of the pack".into()))?;
        inflate_capped(&mut self.inflate, input, declared, cap, out).map_err(fail)?;
        packs.count_inflated(declared);
        Ok(())
    }
}
