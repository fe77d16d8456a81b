//! What changed between two versions of a raw tree object, without allocating: a merge of the
//! two sorted entry lists, parsed in place by gix's `TreeRefIter`.

use gix::objs::tree::EntryRef;
use gix::objs::TreeRefIter;
use gix::ObjectId;

/// An entry of the new tree that is not identical (mode and id) in the old one, with the old
/// tree's subtree or blob of the same name (to diff against) when there is one.
pub(super) struct Change<'a> {
    pub(super) entry: EntryRef<'a>,
    pub(super) old_tree: Option<ObjectId>,
    pub(super) old_blob: Option<ObjectId>,
}

/// The entries of `new` that differ from `old`. Malformed data ends a list early (the rest of
/// that tree is not walked; a malformed old tree makes the rest of the new one count as new).
pub(super) struct TreeDiff<'a> {
    old: TreeRefIter<'a>,
    new: TreeRefIter<'a>,
    /// The old tree's next entry, read but not yet matched.
    old_next: Option<EntryRef<'a>>,
}

impl<'a> TreeDiff<'a> {
    pub(super) fn new(old: &'a [u8], new: &'a [u8], hash: gix::hash::Kind) -> Self {
        let mut old = TreeRefIter::from_bytes(old, hash);
        let old_next = old.next().and_then(Result::ok);
        TreeDiff {
            old,
            new: TreeRefIter::from_bytes(new, hash),
            old_next,
        }
    }
}

/// git's tree order: names compared bytewise, a tree's name as if it ended in `/`.
fn cmp_order(a: &EntryRef<'_>, b: &EntryRef<'_>) -> std::cmp::Ordering {
    let n = a.filename.len().min(b.filename.len());
    a.filename[..n].cmp(&b.filename[..n]).then_with(|| {
        let end = |e: &EntryRef<'_>| {
            e.filename
                .get(n)
                .copied()
                .unwrap_or(if e.mode.is_tree() { b'/' } else { 0 })
        };
        end(a).cmp(&end(b))
    })
}

impl<'a> Iterator for TreeDiff<'a> {
    type Item = Change<'a>;

    fn next(&mut self) -> Option<Change<'a>> {
        'new: loop {
            let entry = self.new.next()?.ok()?;
            while let Some(old) = self.old_next {
                match cmp_order(&entry, &old) {
                    std::cmp::Ordering::Equal => {
                        self.old_next = self.old.next().and_then(Result::ok);
                        if entry.mode == old.mode && entry.oid == old.oid {
                            continue 'new;
                        }
                        let old_tree = old.mode.is_tree().then(|| old.oid.to_owned());
                        let old_blob = old.mode.is_blob().then(|| old.oid.to_owned());
                        return Some(Change {
                            entry,
                            old_tree,
                            old_blob,
                        });
                    }
                    // Added in the new tree.
                    std::cmp::Ordering::Less => break,
                    // Gone from the new tree.
                    std::cmp::Ordering::Greater => {
                        self.old_next = self.old.next().and_then(Result::ok);
                    }
                }
            }
            return Some(Change {
                entry,
                old_tree: None,
                old_blob: None,
            });
        }
    }
}

/// Runs the tree diff on arbitrary bytes and checks what must hold whatever they are: no
/// panic, a tree diffed against itself has no change, and against an empty tree every entry
/// gix can parse (in order, up to the first malformed one) is a change. For the fuzz target
/// `tree` and its seed test; `data` is split in two trees at a position its first byte picks.
#[doc(hidden)]
pub fn check_diff(data: &[u8]) {
    let hash = gix::hash::Kind::Sha1;
    let Some((&at, rest)) = data.split_first() else {
        return;
    };
    let (old, new) = rest.split_at(usize::from(at).min(rest.len()));
    for change in TreeDiff::new(old, new, hash) {
        assert!(new.len() >= change.entry.filename.len());
    }
    for tree in [old, new] {
        assert_eq!(
            TreeDiff::new(tree, tree, hash).count(),
            0,
            "a tree differs from itself"
        );
        let parsed: Vec<_> = TreeRefIter::from_bytes(tree, hash)
            .map_while(Result::ok)
            .collect();
        let changes: Vec<_> = TreeDiff::new(&[], tree, hash).map(|c| c.entry).collect();
        assert_eq!(changes, parsed, "against an empty tree, every entry is new");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw tree from (mode, name, id byte) entries, in the order given.
    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    fn changes(old: &[u8], new: &[u8]) -> Vec<(String, bool)> {
        TreeDiff::new(old, new, gix::hash::Kind::Sha1)
            .map(|c| (c.entry.filename.to_string(), c.old_tree.is_some()))
            .collect()
    }

    #[test]
    fn lists_added_and_changed_entries_in_tree_order() {
        // git's order: `a.txt` < `a` (a tree, compared as `a/`) < `b`.
        let old = tree(&[
            ("100644", "a.txt", 1),
            ("40000", "a", 2),
            ("100644", "gone", 3),
        ]);
        let new = tree(&[
            ("100644", "a.txt", 1),
            ("40000", "a", 9),
            ("100644", "b", 4),
            ("100755", "c", 5),
        ]);
        assert_eq!(
            changes(&old, &new),
            [("a".into(), true), ("b".into(), false), ("c".into(), false)]
        );
        // A mode change alone is a change; a malformed old tree makes everything new.
        let exec = tree(&[("100755", "a.txt", 1)]);
        assert_eq!(changes(&tree(&[("100644", "a.txt", 1)]), &exec).len(), 1);
        assert_eq!(changes(b"garbage", &new).len(), 4);
        // A malformed new tree ends the list where it breaks.
        let mut cut = new.clone();
        cut.truncate(new.len() - 5);
        assert_eq!(changes(&old, &cut).len(), 2);
    }

    #[test]
    fn fuzz_seeds_hold_the_invariants() {
        for seed in crate::source::fuzz_seeds("tree") {
            check_diff(&seed);
        }
    }
}
