//! What to do, by where the secret is (`Moment`): a key that is only staged or only in local
//! commits needs less than one that was pushed, and saying "it stays in every clone" about a
//! key that was never committed teaches people to ignore the guide. Pushed, tagged, or
//! unknown (files on disk): the provider's full rotation guide (`rotation::render`). A push
//! refused by the server has its own text (`remote.rs`).

use std::fmt::Write as _;

use crate::finding::CommitInfo;
use crate::rules::Provider;

/// Staged, not committed yet: fix the file; rotate only if the key went elsewhere.
pub fn staged(p: &Provider, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{indent}1. Remove it from the file and read it from the environment instead ({}); stage the file again.",
        p.env_var
    );
    let _ = writeln!(
        s,
        "{indent}2. No history to rewrite: it is in no commit yet."
    );
    let _ = writeln!(
        s,
        "{indent}3. Rotate it only if it was shared some other way (pasted into a chat or an AI tool, sent by mail): scan-secrets rotate {}",
        p.id
    );
    s
}

/// In local commits only, not pushed: rewrite them (the exact commands), then rotate, which is
/// recommended but less urgent.
pub fn local(p: &Provider, earliest: &CommitInfo, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{indent}1. Take it out of your commits before you push them; the earliest with it is {} ({:?}).",
        earliest.short_id(),
        crate::text::sanitize(&earliest.subject)
    );
    let _ = writeln!(
        s,
        "{indent}   If that is your last commit: remove it from the file, git add it, then git commit --amend"
    );
    let _ = writeln!(
        s,
        "{indent}   Otherwise: git rebase -i {}~1 (--root for a first commit), mark it `edit`, remove it, git commit --amend, git rebase --continue",
        earliest.short_id()
    );
    let _ = writeln!(
        s,
        "{indent}2. Read it from the environment instead ({}).",
        p.env_var
    );
    let _ = writeln!(
        s,
        "{indent}3. Rotating it is recommended but less urgent: it has not left this machine through git. Guide: scan-secrets rotate {}",
        p.id
    );
    s
}
