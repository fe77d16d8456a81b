//! The keyword prefilter: one pass over the bytes that reports, leftmost-longest and without
//! overlap, where a rule's keyword occurs (ASCII case-insensitive).
//!
//! For the builtin rules it is a dense DFA that build.rs built and serialized into the binary:
//! it is used in place, so start-up costs nothing whatever the number of rules. A rule set with
//! keywords the builtin rules do not have (custom rules) builds an Aho-Corasick automaton at
//! start-up instead. The builtin DFA is walked over two parts of the text at once (`walk`).

use aho_corasick::AhoCorasick;
use regex_automata::dfa::{dense, Automaton};
use std::ops::Range;

use regex_automata::util::primitives::StateID;
use regex_automata::{Anchored, Input};

mod embedded {
    use std::borrow::Cow;
    include!(concat!(env!("OUT_DIR"), "/keywords.rs"));
}
pub use embedded::{CONTAINED, KEYWORDS, OWNERS, RULE_COUNT, STARTING_INSIDE};

/// The serialized DFA, aligned as `dense::DFA::from_bytes` needs.
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

static DFA_BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/keywords.dfa")),
};

/// The prebuilt DFA over `KEYWORDS` (pattern `i` is `KEYWORDS[i]`); `None` on a big-endian
/// target, where the little-endian bytes do not apply.
pub fn builtin_dfa() -> Option<dense::DFA<&'static [u32]>> {
    if cfg!(target_endian = "big") {
        return None;
    }
    // SAFETY: build.rs wrote these bytes with `DFA::to_bytes_little_endian` of the same
    // regex-automata version, for this (little-endian) target; the test
    // `prebuilt_dfa_is_valid` checks them with the validating `from_bytes`.
    let (dfa, _) = unsafe { dense::DFA::from_bytes_unchecked(&DFA_BYTES.bytes) }.ok()?;
    Some(dfa)
}

pub enum Prefilter {
    /// The builtin keywords' DFA; leftmost-first over keywords sorted longest first, which is
    /// leftmost-longest.
    Builtin(Box<dense::DFA<&'static [u32]>>),
    /// Built at start-up for a rule set with other keywords.
    Built(AhoCorasick),
}

impl Prefilter {
    /// Keyword hits in `text[r]` for each of `ranges` (in order, not overlapping) as
    /// `(pattern, start, end)` in `text`: leftmost-longest, not overlapping, in text order.
    pub fn find_in(&self, text: &[u8], ranges: &[Range<usize>]) -> Vec<(usize, usize, usize)> {
        match self {
            Prefilter::Built(ac) => ranges
                .iter()
                .flat_map(|r| {
                    ac.find_iter(&text[r.clone()]).map(|m| {
                        let p = m.pattern().as_usize();
                        (p, r.start + m.start(), r.start + m.end())
                    })
                })
                .collect(),
            Prefilter::Builtin(dfa) => match dfa.universal_start_state(Anchored::No) {
                Some(start) => walk(dfa, start, text, ranges),
                None => ranges.iter().flat_map(|r| search(dfa, text, r)).collect(),
            },
        }
    }
}

type KeywordDfa = dense::DFA<&'static [u32]>;

/// The keyword hits of `text[range]` by regex-automata's leftmost-first search, restarted
/// after each match: what `walk` must find (the DFA always has one start state, its patterns
/// being literals, so this serves only the test).
fn search(dfa: &KeywordDfa, text: &[u8], range: &Range<usize>) -> Vec<(usize, usize, usize)> {
    let mut hits = Vec::new();
    let mut at = range.start;
    while at < range.end {
        let input = Input::new(&text[..range.end])
            .range(at..)
            .anchored(Anchored::No);
        let Ok(Some(m)) = dfa.try_search_fwd(&input) else {
            break;
        };
        let pattern = m.pattern().as_usize();
        at = m.offset();
        hits.push((pattern, at - KEYWORDS[pattern].len(), at));
    }
    hits
}

/// Below this many bytes a single range is walked in one stream.
const SPLIT_MIN: usize = 4096;

/// The keyword hits of the ranges of `text`, as `search` finds them, but by two walks at once:
/// one walk is a chain of dependent table loads, so the processor waits on memory between
/// steps; two independent chains overlap those waits, which makes the pass about 1.6 times
/// faster. Each walk takes half of the ranges (by bytes); a single range is cut in two just
/// after a newline. No keyword contains one (build.rs checks), so after a newline the automaton
/// is back in its start state whatever came before, and the second half finds exactly what one
/// walk over the whole range would find there.
fn walk(
    dfa: &KeywordDfa,
    start: StateID,
    text: &[u8],
    ranges: &[Range<usize>],
) -> Vec<(usize, usize, usize)> {
    // A single range cut in two lives here; shares of a list are slices of it (no allocation
    // per blob of a history scan).
    let cut: [Range<usize>; 2];
    let (first, second): (&[Range<usize>], &[Range<usize>]) = match ranges {
        [] => return Vec::new(),
        [r] if r.len() >= SPLIT_MIN => {
            let mid = r.start + r.len() / 2;
            match memchr::memchr(b'\n', &text[mid..r.end]) {
                Some(i) if mid + i + 1 < r.end => {
                    cut = [r.start..mid + i + 1, mid + i + 1..r.end];
                    cut.split_at(1)
                }
                _ => (ranges, &[]),
            }
        }
        _ => {
            let total: usize = ranges.iter().map(|r| r.len()).sum();
            let mut sum = 0;
            let k = ranges
                .iter()
                .position(|r| {
                    sum += r.len();
                    sum * 2 >= total
                })
                .map_or(ranges.len(), |k| k + 1);
            ranges.split_at(k)
        }
    };
    let mut a = Walk::new(text, first, start);
    let mut b = Walk::new(text, second, start);
    walk_two(dfa, &mut a, &mut b);
    walk_one(dfa, &mut a);
    walk_one(dfa, &mut b);
    a.hits.append(&mut b.hits);
    a.hits
}

/// Both walks, a byte of each per step, until one runs out of ranges. The states and positions
/// live in locals (registers): kept in the structs, every step would add a store and a load to
/// the chain of dependent loads.
fn walk_two(dfa: &KeywordDfa, a: &mut Walk, b: &mut Walk) {
    let text = a.text;
    while !a.done() && !b.done() {
        let (mut sa, mut ia, mut sb, mut ib) = (a.state, a.at, b.state, b.at);
        let (ea, eb) = (a.end, b.end);
        let mut special = false;
        while ia < ea && ib < eb {
            sa = dfa.next_state(sa, text[ia]);
            sb = dfa.next_state(sb, text[ib]);
            if dfa.is_special_state(sa) || dfa.is_special_state(sb) {
                special = true;
                break;
            }
            ia += 1;
            ib += 1;
        }
        (a.state, a.at, b.state, b.at) = (sa, ia, sb, ib);
        a.settle(dfa, special);
        b.settle(dfa, special);
    }
}

/// One walk to its end.
fn walk_one(dfa: &KeywordDfa, w: &mut Walk) {
    let text = w.text;
    while !w.done() {
        let (mut s, mut i) = (w.state, w.at);
        let mut special = false;
        while i < w.end {
            s = dfa.next_state(s, text[i]);
            if dfa.is_special_state(s) {
                special = true;
                break;
            }
            i += 1;
        }
        (w.state, w.at) = (s, i);
        w.settle(dfa, special);
    }
}

/// One walk of the keyword DFA over some ranges of a text, one after the other.
struct Walk<'h> {
    text: &'h [u8],
    /// The ranges after the current one.
    rest: &'h [Range<usize>],
    /// The position of the next byte (or, after a loop stopped on a special state, of the byte
    /// that led to `state`), and the end of the current range.
    at: usize,
    end: usize,
    start: StateID,
    state: StateID,
    /// The longest match so far from the current start: `(pattern, end)`.
    pending: Option<(usize, usize)>,
    hits: Vec<(usize, usize, usize)>,
}

impl<'h> Walk<'h> {
    fn new(text: &'h [u8], ranges: &'h [Range<usize>], start: StateID) -> Self {
        let mut w = Walk {
            text,
            rest: ranges,
            at: 0,
            end: 0,
            start,
            state: start,
            pending: None,
            hits: Vec::new(),
        };
        w.next_range();
        w
    }

    /// Whether the walk is over: past its last range, with nothing pending and the
    /// end-of-input transition taken (`finish` leaves the start state behind). A walk whose
    /// last byte was taken in a step that stopped for the other walk is not done yet: a
    /// keyword may end at the very end (`token` with nothing after it).
    fn done(&self) -> bool {
        self.at >= self.end
            && self.rest.is_empty()
            && self.pending.is_none()
            && self.state == self.start
    }

    /// Moves to the next range, if any.
    fn next_range(&mut self) {
        if let Some((r, rest)) = self.rest.split_first() {
            (self.at, self.end, self.rest) = (r.start, r.end, rest);
        }
        self.state = self.start;
    }

    /// After an inner loop stopped. `consumed`: it stopped on a special state, and this walk
    /// took the byte at `at` (its state is the one after it): notes a match or restarts after
    /// the automaton died, and moves on. Otherwise the byte at `at` is still to be taken; at
    /// the end of the range, takes the end-of-input transition and moves on.
    fn settle(&mut self, dfa: &KeywordDfa, consumed: bool) {
        if !consumed {
            if self.at >= self.end {
                self.finish(dfa);
            }
        } else if dfa.is_special_state(self.state) {
            if dfa.is_match_state(self.state) {
                // Match states are one byte late: the match ends before this byte.
                let pattern = dfa.match_pattern(self.state, 0).as_usize();
                self.pending = Some((pattern, self.at));
                self.at += 1;
            } else if dfa.is_dead_state(self.state) {
                // Leftmost-first: the automaton dies once no longer match can follow.
                self.emit();
            } else {
                self.at += 1;
            }
        } else {
            self.at += 1;
        }
    }

    /// The end of the range: a match ending there shows after the end-of-input transition.
    #[cold]
    fn finish(&mut self, dfa: &KeywordDfa) {
        if self.state != self.start {
            // A longer keyword may end right at the end (`token:` after `token`).
            let eoi = dfa.next_eoi_state(self.state);
            if dfa.is_match_state(eoi) {
                self.pending = Some((dfa.match_pattern(eoi, 0).as_usize(), self.end));
            }
        }
        if self.pending.is_some() {
            self.emit();
        } else {
            self.next_range();
        }
    }

    /// Records the pending match and starts again where it ended (nothing pending: one byte
    /// further, which a DFA that only dies after a match never needs).
    #[cold]
    fn emit(&mut self) {
        match self.pending.take() {
            Some((pattern, end)) => {
                self.hits
                    .push((pattern, end - KEYWORDS[pattern].len(), end));
                self.at = end;
            }
            None => self.at += 1,
        }
        self.state = self.start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of one range.
    fn one(range: Range<usize>) -> Vec<Range<usize>> {
        vec![range]
    }

    #[test]
    fn prebuilt_dfa_is_valid() {
        let (dfa, _) = dense::DFA::from_bytes(&DFA_BYTES.bytes).expect("valid DFA");
        assert_eq!(dfa.pattern_len(), KEYWORDS.len());
        assert_eq!(CONTAINED.len(), KEYWORDS.len());
        assert_eq!(STARTING_INSIDE.len(), KEYWORDS.len());
    }

    #[test]
    fn two_walks_find_what_one_search_finds() {
        let dfa = builtin_dfa().unwrap();
        let start = dfa.universal_start_state(Anchored::No).unwrap();
        // Every keyword, glued to the next, separated by a space, a newline or a letter, or
        // followed by a longer keyword that extends it; long enough to be split; the last
        // keyword ends the text.
        let seps = ["", " ", "\n", "x", ":", "\n\n"];
        let mut text = Vec::new();
        for round in 0..3 {
            for (i, kw) in KEYWORDS.iter().enumerate() {
                text.extend_from_slice(kw);
                text.extend_from_slice(seps[(i + round) % seps.len()].as_bytes());
            }
        }
        text.extend_from_slice(b"token");
        assert!(text.len() > 4 * SPLIT_MIN);
        let searched = |ranges: &[Range<usize>]| -> Vec<_> {
            ranges.iter().flat_map(|r| search(&dfa, &text, r)).collect()
        };
        // The whole text (cut in two), and its last bytes (one walk).
        let all = one(0..text.len());
        assert!(walk(&dfa, start, &text, &all).len() > KEYWORDS.len());
        assert_eq!(walk(&dfa, start, &text, &all), searched(&all));
        for cut in [3, 5, 6, 100, 1000] {
            let last = one(text.len() - cut..text.len());
            assert_eq!(
                walk(&dfa, start, &text, &last),
                searched(&last),
                "last {cut} bytes"
            );
        }
        // Many ranges, as a history scan gives (lines of any length, cut anywhere, some
        // empty), shared between the two walks.
        let mut ranges = Vec::new();
        let mut at = 0;
        for i in 0.. {
            let end = (at + [0, 1, 7, 40, 300, 5000][i % 6]).min(text.len());
            ranges.push(at..end);
            at = end + i % 3;
            if at >= text.len() {
                break;
            }
        }
        assert!(ranges.len() > 20);
        assert_eq!(walk(&dfa, start, &text, &ranges), searched(&ranges));
        assert_eq!(walk(&dfa, start, &text, &[]), Vec::new());
    }

    #[test]
    fn prebuilt_dfa_finds_what_aho_corasick_finds() {
        let ac = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(KEYWORDS)
            .unwrap();
        let dfa = Prefilter::Builtin(Box::new(builtin_dfa().unwrap()));
        let ac = Prefilter::Built(ac);
        let mut text = String::new();
        for (i, kw) in KEYWORDS.iter().enumerate() {
            // Each keyword, upper-cased every other time, glued to its neighbours or not.
            let kw = String::from_utf8_lossy(kw);
            let kw = if i % 2 == 0 {
                kw.to_ascii_uppercase()
            } else {
                kw.to_string()
            };
            text.push_str(&kw);
            if i % 3 == 0 {
                text.push(' ');
            }
        }
        let all = one(0..text.len());
        let a = dfa.find_in(text.as_bytes(), &all);
        let b = ac.find_in(text.as_bytes(), &all);
        assert!(a.len() > KEYWORDS.len() / 2);
        assert_eq!(a, b);
    }
}
