//! Raw tree objects: entries parsed in place and the merge that lists what changed between
//! two versions of a tree, without allocating.

use gix::ObjectId;
/// One entry of a raw tree: `<octal mode> <name>\0<object id>`.
#[derive(Clone, Copy)]
pub(super) struct Entry<'a> {
    pub(super) mode: u32,
    pub(super) name: &'a [u8],
    pub(super) oid: &'a [u8],
    /// The entry's bytes, to compare entries without parsing them further.
    pub(super) raw: &'a [u8],
}

impl Entry<'_> {
    pub(super) fn is_tree(&self) -> bool {
        self.mode & 0o170000 == 0o040000
    }
    pub(super) fn is_blob(&self) -> bool {
        self.mode & 0o170000 == 0o100000
    }
    /// git's tree order: names compared bytewise, a tree's name as if it ended in `/`.
    fn cmp_order(&self, other: &Entry<'_>) -> std::cmp::Ordering {
        let n = self.name.len().min(other.name.len());
        self.name[..n].cmp(&other.name[..n]).then_with(|| {
            let end = |e: &Entry<'_>| {
                e.name
                    .get(n)
                    .copied()
                    .unwrap_or(if e.is_tree() { b'/' } else { 0 })
            };
            end(self).cmp(&end(other))
        })
    }
}

/// Parses the entry at the start of `data`; `None` at the end or on malformed data.
pub(super) fn parse_entry(data: &[u8], hash_len: usize) -> Option<(Entry<'_>, &[u8])> {
    let space = memchr::memchr(b' ', data)?;
    let mut mode = 0u32;
    for &b in &data[..space] {
        let d = b.wrapping_sub(b'0');
        if d > 7 || mode > 0o7777777 {
            return None;
        }
        mode = (mode << 3) | u32::from(d);
    }
    let nul = space + 1 + memchr::memchr(0, &data[space + 1..])?;
    let end = nul + 1 + hash_len;
    if end > data.len() {
        return None;
    }
    let entry = Entry {
        mode,
        name: &data[space + 1..nul],
        oid: &data[nul + 1..end],
        raw: &data[..end],
    };
    Some((entry, &data[end..]))
}

/// An entry of the new tree that is not byte-identical in the old one, with the old tree's
/// subtree of the same name (to diff against) when there is one.
pub(super) struct Change<'a> {
    pub(super) entry: Entry<'a>,
    pub(super) old_tree: Option<ObjectId>,
}

/// The entries of `new` that differ from `old`, by a merge of the two sorted entry lists.
/// Malformed data ends the list early (the rest of that tree is not walked).
pub(super) struct TreeDiff<'a> {
    old: &'a [u8],
    new: &'a [u8],
    hash_len: usize,
}

impl<'a> TreeDiff<'a> {
    pub(super) fn new(old: &'a [u8], new: &'a [u8], hash_len: usize) -> Self {
        TreeDiff { old, new, hash_len }
    }
}

impl<'a> Iterator for TreeDiff<'a> {
    type Item = Change<'a>;

    fn next(&mut self) -> Option<Change<'a>> {
        loop {
            let (entry, new_rest) = parse_entry(self.new, self.hash_len)?;
            let Some((old_entry, old_rest)) = parse_entry(self.old, self.hash_len) else {
                self.new = new_rest;
                return Some(Change {
                    entry,
                    old_tree: None,
                });
            };
            match entry.cmp_order(&old_entry) {
                std::cmp::Ordering::Equal => {
                    self.new = new_rest;
                    self.old = old_rest;
                    if entry.raw == old_entry.raw {
                        continue;
                    }
                    let old_tree = if old_entry.is_tree() {
                        ObjectId::try_from(old_entry.oid).ok()
                    } else {
                        None
                    };
                    return Some(Change { entry, old_tree });
                }
                // Added in the new tree.
                std::cmp::Ordering::Less => {
                    self.new = new_rest;
                    return Some(Change {
                        entry,
                        old_tree: None,
                    });
                }
                // Gone from the new tree.
                std::cmp::Ordering::Greater => self.old = old_rest,
            }
        }
    }
}
