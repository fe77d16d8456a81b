//! `--history`, `--since`, `--range`, `--pre-push`, `--pre-receive`: blobs of commits, each unique blob read
//! once, with the places (path, commit) it was introduced at.
//!
//! Full history: read the commits of every ref (branches, tags, remote-tracking refs, stash)
//! and diff each commit's tree against its first parent's, newest commit first, to learn for
//! every path the blobs it held and the first commit that had each. No blob content is read
//! for that. Then read the blobs in parallel, in path order or pack order (see `Jobs`, chosen
//! by `deltas_follow_paths`), searching only the lines a version adds to the one before it
//! (path order) or to its delta base (pack order).
//!
//! Objects come from `pack::Reader`, which keeps the delta bases it decodes, so walking
//! history decodes most objects about once.
//!
//! Ranges: few commits, so diff each commit's tree against its parents and keep the blobs
//! that are new at their path, with the parent's blob to compute the added lines from.

mod introduce;
mod lines;
mod range;
mod read;
mod receive;
mod refs;
mod sides;
mod tree;
mod walk;

pub use range::{parse_pre_push_line, read_pre_push, Pushed};
pub use read::for_each_blob;
pub use receive::{parse_pre_receive, short_ref, RefUpdate};
pub use sides::{sides, FileChange, Sides};
pub use tree::check_diff as fuzz_tree_diff;
pub use walk::walk_from_each;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use gix::ObjectId;

use super::git::{self, git_err};
use super::pack::Packs;
use crate::error::Error;
use crate::finding::CommitInfo;

use introduce::first_introductions;
use range::{pre_push_jobs, range_jobs};
use receive::pre_receive_jobs;
use refs::all_ref_tips;
use walk::walk_all;

/// Which commits to take.
#[derive(Debug, Clone)]
pub enum Selection {
    /// Everything reachable from any ref.
    All,
    /// Commits reachable from HEAD and not from REV.
    Since(String),
    /// `A..B`: reachable from B and not from A.
    Range(String, String),
    /// The refs of a push, from git's pre-push hook input (`range::read_pre_push`).
    PrePush(Vec<Pushed>),
    /// git's pre-receive hook input (read from stdin before the scan): the pushed commits
    /// that no existing ref reaches.
    PreReceive(Vec<RefUpdate>),
}

/// Where a blob was introduced.
#[derive(Debug, Clone)]
pub struct Place {
    pub path: String,
    pub commit: Arc<CommitInfo>,
    /// For ranges: the parent's blob at this path; only lines added relative to it count.
    pub old: Option<ObjectId>,
}

/// One blob and every place it was introduced at.
pub struct Version {
    pub blob: ObjectId,
    pub places: Vec<Place>,
}

/// The blobs to read.
pub enum Jobs {
    /// Full history, read path by path: segments of the successive versions of one path. The
    /// first version of a segment counts whole; each later one only by the lines the previous
    /// version lacks, so the bulk of a long history (unchanged lines) is never searched. Best
    /// when the pack stores each file's versions as deltas of each other (`git gc`, clones).
    Chains(Vec<Vec<Version>>),
    /// Full history, read in pack order: every blob once, with every (path, first commit) it
    /// had. A blob stored as a delta counts only by the lines its delta base lacks, plus the
    /// lines where the base had candidates. Best when deltas follow the order objects were
    /// written in rather than paths (`git fast-import`, which many converters use).
    Whole(Vec<Version>),
    /// Blobs introduced by the commits of a range; each place counts the lines added relative
    /// to its parent's blob (`Place::old`).
    Diff(Vec<Version>),
}

/// A blob's content with its places; `added[i]` is `Some(ranges)` for places that only count
/// added lines.
pub struct BlobChunk<'a> {
    pub text: &'a [u8],
    pub places: &'a [Place],
    pub added: Vec<Option<Vec<Range<usize>>>>,
    /// The blob is binary or over the size limit and `text` is empty: only path rules apply.
    pub unread: bool,
}

impl<'a> BlobChunk<'a> {
    fn unread(places: &'a [Place]) -> Self {
        BlobChunk {
            text: &[],
            places,
            added: vec![None; places.len()],
            unread: true,
        }
    }
}

pub struct Plan {
    repo: gix::ThreadSafeRepository,
    packs: Packs,
    pub jobs: Jobs,
    pub commits: usize,
    pub shallow: bool,
    /// Refs, commits and trees that could not be read while planning: one message each, for
    /// the reporter to print (the scan goes on without them).
    pub problems: Vec<String>,
    /// What was left out on purpose (a pushed tag of a tree), for the reporter to print.
    pub notes: Vec<String>,
    /// Full history: every commit walked and its parents, for exposure triage afterwards.
    pub parents: Option<Parents>,
}

/// Commits and their parents, as walked for a full-history plan.
pub type Parents = IdMap<Vec<ObjectId>>;

pub fn plan(dir: &Path, selection: &Selection, threads: usize) -> Result<Plan, Error> {
    let repo = git::discover(dir)?;
    let packs = match selection {
        Selection::All => Packs::open(&repo),
        _ => Packs::open(&repo).release_every(RANGE_RELEASE_EVERY),
    };
    let shallow = repo.is_shallow().unwrap_or(false);
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut parents = None;
    let (commits, jobs) = match selection {
        Selection::All => {
            let tips = all_ref_tips(&repo, &mut problems)?;
            let commits = walk_all(&repo, &packs, &tips, &mut problems)?;
            let jobs = first_introductions(&repo, &packs, &commits, threads, &mut problems)?;
            parents = Some(commits.iter().map(|c| (c.id, c.parents.clone())).collect());
            (commits.len(), jobs)
        }
        Selection::Since(rev) => {
            let head = since_head(&repo)?;
            let hidden = resolve(&repo, rev)?;
            range_jobs(
                &repo,
                &packs,
                &[head],
                &[hidden],
                &format!("{rev}..HEAD"),
                &mut problems,
            )?
        }
        Selection::Range(a, b) => {
            let hidden = resolve(&repo, a)?;
            let tip = resolve(&repo, b)?;
            range_jobs(
                &repo,
                &packs,
                &[tip],
                &[hidden],
                &format!("{a}..{b}"),
                &mut problems,
            )?
        }
        Selection::PrePush(pushed) => pre_push_jobs(&repo, &packs, pushed, &mut problems)?,
        Selection::PreReceive(updates) => {
            pre_receive_jobs(&repo, &packs, updates, &mut notes, &mut problems)?
        }
    };
    // The trees and commits read for the plan are not read again.
    packs.release_pages();
    Ok(Plan {
        repo: repo.into_sync(),
        packs,
        jobs,
        commits,
        shallow,
        problems,
        notes,
        parents,
    })
}

/// The tip of `--since REV`: HEAD.
fn since_head(repo: &gix::Repository) -> Result<ObjectId, Error> {
    Ok(repo
        .head_id()
        .map_err(|e| git_err("--since needs a HEAD commit", e))?
        .detach())
}

/// How often a range's reads release the packs' mapped pages (`Packs::release_every`).
const RANGE_RELEASE_EVERY: u64 = 16 << 20;

/// The commit a revision names (tags peeled).
fn resolve(repo: &gix::Repository, rev: &str) -> Result<ObjectId, Error> {
    let id = repo
        .rev_parse_single(rev)
        .map_err(|e| git_err(format_args!("cannot resolve revision {rev:?}"), e))?;
    let commit = id
        .object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| git_err(format_args!("revision {rev:?} does not name a commit"), e))?;
    Ok(commit.id)
}

/// Maps and sets keyed by object ids, which are hashes already: gix's, which hash an id by its
/// first 8 bytes.
type IdMap<V> = gix::hashtable::HashMap<ObjectId, V>;
type IdSet = gix::hashtable::HashSet<ObjectId>;
