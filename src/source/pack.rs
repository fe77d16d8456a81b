//! Objects read straight from the repository's pack files, with a cache that keeps every
//! delta base decoded on the way.
//!
//! gix caches only the object that was asked for, so reading the versions of a tree or file
//! one by one re-inflates most of each delta chain (git/git's trees sit 13 deltas deep on
//! average): that was half of a history scan's time. Here every object decoded while resolving
//! a chain is kept (up to a memory cap), as git does, so that walking history decodes most
//! objects about once. Anything not found in a pack (loose objects, alternates) is read
//! through gix.

use std::collections::HashMap;
use std::ops::Deref;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use gix::objs::Kind;
use gix::odb::pack;
use gix::ObjectId;

use crate::error::Error;

use super::git::git_err;

/// The pack files of one repository (index and data), shared by the reading threads.
pub struct Packs {
    packs: Vec<(pack::index::File, pack::data::File<Map>, Map)>,
    /// Bytes inflated since the mapped pages were last released.
    inflated: AtomicU64,
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

/// Inflated bytes after which the packs' mapped pages are released (see `release_pages`).
const RELEASE_EVERY: u64 = 64 << 20;

impl Packs {
    /// Opens every `objects/pack/*.idx` with its pack. Packs that fail to open are left to gix.
    pub fn open(repo: &gix::Repository) -> Packs {
        let dir = repo.common_dir().join("objects").join("pack");
        let hash = repo.object_hash();
        let mut packs = Vec::new();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Packs {
                packs,
                inflated: AtomicU64::new(0),
            };
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "idx") {
                continue;
            }
            if let Some(pair) = open_pair(&path, hash) {
                packs.push(pair);
            }
        }
        // Most objects live in the biggest pack: look there first.
        packs.sort_by_key(|(index, _, _)| std::cmp::Reverse(index.num_objects()));
        Packs {
            packs,
            inflated: AtomicU64::new(0),
        }
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
        if before / RELEASE_EVERY != (before + bytes) / RELEASE_EVERY {
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

/// Bytes set aside before inflating an object or applying a delta, whatever its header
/// declares; the buffer then grows as bytes actually come out. Nearly every object fits.
const FIRST_CHUNK: usize = 4 << 20;

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

/// Inflates the zlib stream at the start of `input` into `out`, which must come to `declared`
/// bytes, at most `cap`; any other size is an error. `out` grows as bytes come out (from
/// `FIRST_CHUNK`, then at most doubling), so a `declared` that lies costs no memory. Returns
/// the length of the stream in `input`.
fn inflate_capped(
    inflate: &mut gix::zlib::Inflate,
    input: &[u8],
    declared: u64,
    cap: usize,
    out: &mut Vec<u8>,
) -> Result<usize, String> {
    use gix::zlib::Status;
    let size = usize::try_from(declared)
        .ok()
        .filter(|&s| s <= cap)
        .ok_or_else(|| format!("declares {declared} bytes, over the limit of {cap}"))?;
    inflate.reset();
    out.clear();
    let (mut read, mut filled) = (0, 0);
    loop {
        let room = size.min(filled.max(FIRST_CHUNK / 2).saturating_mul(2));
        if room > out.len() {
            out.try_reserve_exact(room - out.len())
                .map_err(|_| format!("cannot allocate {room} bytes"))?;
            out.resize(room, 0);
        }
        let (status, used, wrote) = if filled < size {
            inflate.prefix(&input[read..], &mut out[filled..])
        } else {
            // All declared bytes are out: the stream must end here, with no byte more.
            inflate.prefix(&input[read..], &mut [0u8; 1])
        }
        .map_err(|e| format!("cannot inflate: {e}"))?;
        read += used;
        filled += wrote;
        if filled > size {
            return Err(format!(
                "inflates to more than the {declared} bytes it declares"
            ));
        }
        if status == Status::StreamEnd {
            if filled != size {
                out.truncate(filled);
                return Err(format!(
                    "declares {declared} bytes but inflates to {filled}"
                ));
            }
            return Ok(read);
        }
        if used == 0 && wrote == 0 {
            out.truncate(filled);
            return Err(format!(
                "truncated after {filled} of the {declared} bytes it declares"
            ));
        }
    }
}

/// Applies git delta `delta` to `base`, writing the result to `out`. The delta's header
/// declares the result's size: over `cap` is an error, and so is a result of any other size.
/// `out` grows as the result does, from the smaller of that size and base plus delta (about
/// what copies and inserts add up to), so a header that lies costs no memory.
fn apply_delta(base: &[u8], delta: &[u8], out: &mut Vec<u8>, cap: usize) -> Result<(), String> {
    let (base_size, rest) = varint(delta).ok_or("truncated header")?;
    let (declared, mut ops) = varint(rest).ok_or("truncated header")?;
    if base_size != base.len() as u64 {
        return Err(format!(
            "its base has {} bytes, the delta expects {base_size}",
            base.len()
        ));
    }
    let size = usize::try_from(declared)
        .ok()
        .filter(|&s| s <= cap)
        .ok_or_else(|| format!("result declared as {declared} bytes, over the limit of {cap}"))?;
    out.clear();
    let first = size.min(base.len().saturating_add(delta.len()));
    out.try_reserve_exact(first)
        .map_err(|_| format!("cannot allocate {first} bytes"))?;
    let push = |out: &mut Vec<u8>, bytes: &[u8]| -> Result<(), String> {
        if bytes.len() > size - out.len() {
            return Err(format!("result larger than the {declared} bytes declared"));
        }
        out.try_reserve(bytes.len())
            .map_err(|_| format!("cannot allocate {} bytes", out.len() + bytes.len()))?;
        out.extend_from_slice(bytes);
        Ok(())
    };
    while let Some((&op, tail)) = ops.split_first() {
        ops = tail;
        if op & 0x80 != 0 {
            // Copy from the base: offset and size bytes present per the low 7 bits.
            let mut fields = [0u64; 2];
            for (bit, field, shift) in [
                (0, 0, 0),
                (1, 0, 8),
                (2, 0, 16),
                (3, 0, 24),
                (4, 1, 0),
                (5, 1, 8),
                (6, 1, 16),
            ] {
                if op & (1 << bit) != 0 {
                    let (&b, tail) = ops.split_first().ok_or("truncated copy")?;
                    ops = tail;
                    fields[field] |= u64::from(b) << shift;
                }
            }
            let (start, len) = (fields[0] as usize, fields[1] as usize);
            let len = if len == 0 { 0x10000 } else { len };
            let end = start.checked_add(len).ok_or("copy out of range")?;
            push(out, base.get(start..end).ok_or("copy out of range")?)?;
        } else if op != 0 {
            let n = usize::from(op);
            if ops.len() < n {
                return Err("truncated insert".into());
            }
            push(out, &ops[..n])?;
            ops = &ops[n..];
        } else {
            return Err("reserved instruction 0".into());
        }
    }
    if out.len() != size {
        return Err(format!(
            "result of {} bytes, the delta declares {declared}",
            out.len()
        ));
    }
    Ok(())
}

/// A little-endian base-128 number, as in delta headers.
fn varint(data: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &b) in data.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, &data[i + 1..]));
        }
    }
    None
}

/// Fuzzing entry point (`fuzz/fuzz_targets/pack.rs`, and a unit test on its seeds): the code
/// that turns pack bytes into objects, on arbitrary input. Input that starts with `PACK` is
/// read as a pack: its 12-byte header, then entries one after another, each inflated with the
/// caps, ofs-deltas applied to the entry they point to. Any other input is a delta on a base:
/// the first two bytes (little-endian) say how many of the following bytes are the base.
#[doc(hidden)]
pub fn fuzz_pack(data: &[u8]) {
    /// Small, so that each run is quick; the caps are what is checked.
    const CAP: usize = 1 << 20;
    let mut out = Vec::new();
    let Some(entries) = data.strip_prefix(b"PACK") else {
        let [lo, hi, rest @ ..] = data else { return };
        let (base, delta) =
            rest.split_at(usize::from(u16::from_le_bytes([*lo, *hi])).min(rest.len()));
        if apply_delta(base, delta, &mut out, CAP).is_ok() {
            assert!(out.len() <= CAP);
        }
        return;
    };
    let mut inflate = gix::zlib::Inflate::default();
    let mut objects: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut delta = Vec::new();
    let mut offset = 12u64;
    while objects.len() < 64 {
        let Some(rest) = usize::try_from(offset - 4)
            .ok()
            .and_then(|at| entries.get(at..))
        else {
            break;
        };
        let Ok(entry) = pack::data::Entry::from_bytes(rest, offset, gix::hash::Kind::Sha1) else {
            break;
        };
        let Some(input) = usize::try_from(entry.data_offset - 4)
            .ok()
            .and_then(|at| entries.get(at..))
        else {
            break;
        };
        let declared = entry.decompressed_size;
        let read = match entry.header {
            pack::data::entry::Header::OfsDelta { base_distance } => {
                let Ok(read) = inflate_capped(&mut inflate, input, declared, CAP, &mut delta)
                else {
                    break;
                };
                let base =
                    pack::data::entry::Header::verified_base_pack_offset(offset, base_distance)
                        .and_then(|at| objects.get(&at));
                if let Some(base) = base {
                    if apply_delta(base, &delta, &mut out, CAP).is_ok() {
                        assert!(out.len() <= CAP);
                        objects.insert(offset, out.clone());
                    }
                }
                read
            }
            _ => {
                let Ok(read) = inflate_capped(&mut inflate, input, declared, CAP, &mut out) else {
                    break;
                };
                assert_eq!(out.len() as u64, declared);
                objects.insert(offset, out.clone());
                read
            }
        };
        offset = entry.data_offset + read as u64;
    }
}

/// Decoded objects by (pack, offset), bounded in bytes. Two generations approximate LRU: new
/// entries and hits go to `young`; when it is full, `old` is dropped and `young` becomes
/// `old`.
struct BaseCache {
    young: HashMap<(usize, u64), (Kind, Vec<u8>)>,
    old: HashMap<(usize, u64), (Kind, Vec<u8>)>,
    young_bytes: usize,
    /// Per generation.
    cap: usize,
}

impl BaseCache {
    fn new(bytes: usize) -> Self {
        BaseCache {
            young: HashMap::new(),
            old: HashMap::new(),
            young_bytes: 0,
            cap: bytes / 2,
        }
    }

    fn get(&mut self, pack: usize, offset: u64, out: &mut Vec<u8>) -> Option<Kind> {
        let key = (pack, offset);
        if let Some((kind, data)) = self.young.get(&key) {
            out.clear();
            out.extend_from_slice(data);
            return Some(*kind);
        }
        let (kind, data) = self.old.remove(&key)?;
        out.clear();
        out.extend_from_slice(&data);
        self.insert(key, kind, data);
        Some(kind)
    }

    fn put(&mut self, pack: usize, offset: u64, kind: Kind, data: &[u8]) {
        if data.len() > self.cap / 4 || self.young.contains_key(&(pack, offset)) {
            return;
        }
        self.insert((pack, offset), kind, data.to_vec());
    }

    fn insert(&mut self, key: (usize, u64), kind: Kind, data: Vec<u8>) {
        if self.young_bytes + data.len() > self.cap {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
        self.young_bytes += data.len();
        self.young.insert(key, (kind, data));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_copy_and_insert() {
        let base = b"hello world";
        // base size 11, result size 13; copy 0..5, insert ", ", copy 6..11 ("world"), ... then
        // result "hello, world!" needs an insert of "!".
        let delta = [11, 13, 0x90, 5, 2, b',', b' ', 0x91, 6, 5, 1, b'!'];
        let mut out = Vec::new();
        apply_delta(base, &delta, &mut out, 100).unwrap();
        assert_eq!(out, b"hello, world!");
        // Copy size 0 means 0x10000; out of range here.
        assert!(apply_delta(base, &[11, 1, 0x80], &mut out, 100).is_err());
        assert!(apply_delta(base, &[12, 1, 1, b'x'], &mut out, 100).is_err());
        assert!(apply_delta(base, &[11, 2, 1, b'x'], &mut out, 100).is_err());
        assert!(apply_delta(base, &[11, 1, 0], &mut out, 100).is_err());
        assert!(apply_delta(base, &[11, 1, 0x91, 10, 5], &mut out, 100).is_err());
    }

    #[test]
    fn delta_results_are_capped_and_must_match_their_header() {
        let base = b"hello world";
        let mut out = Vec::new();
        // 1.5 GiB declared (varint 0x80 0x80 0x80 0x80 0x06), one byte produced.
        let lie = [11, 0x80, 0x80, 0x80, 0x80, 0x06, 1, b'x'];
        let e = apply_delta(base, &lie, &mut out, 100).unwrap_err();
        assert!(
            e.contains("1610612736") && e.contains("limit of 100"),
            "{e}"
        );
        let e = apply_delta(base, &lie, &mut out, 2 << 30).unwrap_err();
        assert!(
            e.contains("result of 1 bytes") && e.contains("1610612736"),
            "{e}"
        );
        assert!(out.capacity() < 1024, "reserved {}", out.capacity());
        // A copy of 0x10000 bytes past a declared result of 2 is refused before it is made.
        let big = vec![7u8; 0x10000];
        let e = apply_delta(&big, &[0x80, 0x80, 0x04, 2, 0x80], &mut out, 1 << 20).unwrap_err();
        assert!(e.contains("larger than"), "{e}");
        assert!(out.is_empty());
    }

    /// A zlib stream of one stored block (`data` under 64 KiB).
    fn stored(data: &[u8]) -> Vec<u8> {
        let len = data.len() as u16;
        let mut out = vec![0x78, 0x01, 1];
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(data);
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in data {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        out.extend_from_slice(&((b << 16) | a).to_be_bytes());
        out
    }

    #[test]
    fn inflation_is_capped_and_must_match_the_header() {
        let mut inflate = gix::zlib::Inflate::default();
        let mut out = Vec::new();
        let text = b"some text, some text, some text\n";
        let mut z = stored(text);
        let n = z.len();
        z.extend_from_slice(b"next entry");
        let len = text.len() as u64;
        assert_eq!(inflate_capped(&mut inflate, &z, len, 100, &mut out), Ok(n));
        assert_eq!(out, text);
        // The empty object, as git compresses it.
        let empty = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        assert_eq!(
            inflate_capped(&mut inflate, &empty, 0, 100, &mut out),
            Ok(8)
        );
        assert!(out.is_empty());
        // Over the cap: refused on the header.
        let e = inflate_capped(&mut inflate, &z, len, 10, &mut out).unwrap_err();
        assert!(e.contains("over the limit of 10"), "{e}");
        // A header that lies, under the cap: found out, with no allocation of what it claims.
        let e = inflate_capped(&mut inflate, &z, 1_610_612_736, 2 << 30, &mut out).unwrap_err();
        assert_eq!(
            e,
            format!("declares 1610612736 bytes but inflates to {len}")
        );
        assert!(out.capacity() <= FIRST_CHUNK, "reserved {}", out.capacity());
        let e = inflate_capped(&mut inflate, &z, len - 1, 100, &mut out).unwrap_err();
        assert!(e.contains("more than the"), "{e}");
        let e = inflate_capped(&mut inflate, &z[..n - 6], len, 100, &mut out).unwrap_err();
        assert!(e.contains("truncated"), "{e}");
        // Larger than the first chunk: grows in steps.
        let big: Vec<u8> = (0..FIRST_CHUNK as u32 * 2 + 5)
            .map(|i| (i % 251) as u8)
            .collect();
        let z: Vec<u8> = big
            .chunks(60_000)
            .flat_map(|c| {
                // Stored blocks, the last one final: patch the BFINAL bits afterwards.
                let mut s = stored(c);
                s.truncate(s.len() - 4);
                s.drain(..2);
                s[0] = 0;
                s
            })
            .collect();
        let mut zlib = vec![0x78, 0x01];
        zlib.extend_from_slice(&z);
        zlib.extend_from_slice(&[0, 0, 0, 0xff, 0xff]);
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in &big {
            a = (a + u32::from(byte)) % 65521;
            b = (b + a) % 65521;
        }
        // Ends with an empty final block.
        *zlib.iter_mut().rev().nth(4).unwrap() = 1;
        zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
        let size = big.len() as u64;
        assert_eq!(
            inflate_capped(&mut inflate, &zlib, size, 64 << 20, &mut out),
            Ok(zlib.len())
        );
        assert!(out == big);
    }

    /// The fuzz target's seeds, through its entry point: CI runs the target's code on stable.
    #[test]
    fn fuzz_seeds() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/pack");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            fuzz_pack(&std::fs::read(entry.unwrap().path()).unwrap());
            n += 1;
        }
        assert!(n >= 3);
    }
}
