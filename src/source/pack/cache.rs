//! The delta-base cache: decoded objects by (pack, offset), bounded in bytes.

use std::collections::HashMap;

use gix::objs::Kind;

/// Decoded objects by (pack, offset), bounded in bytes. Two generations approximate LRU: new
/// entries and hits go to `young`; when it is full, `old` is dropped and `young` becomes
/// `old`.
pub(super) struct BaseCache {
    young: HashMap<(usize, u64), (Kind, Vec<u8>)>,
    old: HashMap<(usize, u64), (Kind, Vec<u8>)>,
    young_bytes: usize,
    /// Per generation.
    cap: usize,
}

impl BaseCache {
    pub(super) fn new(bytes: usize) -> Self {
        BaseCache {
            young: HashMap::new(),
            old: HashMap::new(),
            young_bytes: 0,
            cap: bytes / 2,
        }
    }

    pub(super) fn get(&mut self, pack: usize, offset: u64, out: &mut Vec<u8>) -> Option<Kind> {
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

    pub(super) fn put(&mut self, pack: usize, offset: u64, kind: Kind, data: &[u8]) {
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
