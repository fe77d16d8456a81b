//! The keyword prefilter: one pass over the bytes that reports, leftmost-longest and without
//! overlap, where a rule's keyword occurs (ASCII case-insensitive).
//!
//! For the builtin rules it is a dense DFA that build.rs built and serialized into the binary:
//! it is used in place, so start-up costs nothing whatever the number of rules. A rule set with
//! keywords the builtin rules do not have (custom rules) builds an Aho-Corasick automaton at
//! start-up instead.

use aho_corasick::AhoCorasick;
use regex_automata::dfa::{dense, Automaton};
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
    /// Keyword hits in `hay` as `(pattern, start, end)`, leftmost-longest, not overlapping.
    pub fn find_iter<'a>(&'a self, hay: &'a [u8]) -> FindIter<'a> {
        match self {
            Prefilter::Built(ac) => FindIter::Built(ac.find_iter(hay)),
            Prefilter::Builtin(dfa) => FindIter::Builtin { dfa, hay, at: 0 },
        }
    }
}

/// The hits of `Prefilter::find_iter`; an enum rather than a boxed iterator, since a history
/// scan starts one per added line.
pub enum FindIter<'a> {
    Built(aho_corasick::FindIter<'a, 'a>),
    Builtin {
        dfa: &'a dense::DFA<&'static [u32]>,
        hay: &'a [u8],
        at: usize,
    },
}

impl Iterator for FindIter<'_> {
    type Item = (usize, usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            FindIter::Built(it) => it
                .next()
                .map(|m| (m.pattern().as_usize(), m.start(), m.end())),
            FindIter::Builtin { dfa, hay, at } => {
                if *at >= hay.len() {
                    return None;
                }
                let input = Input::new(*hay).range(*at..).anchored(Anchored::No);
                let m = dfa.try_search_fwd(&input).ok()??;
                let pattern = m.pattern().as_usize();
                let end = m.offset();
                *at = end;
                Some((pattern, end - KEYWORDS[pattern].len(), end))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prebuilt_dfa_is_valid() {
        let (dfa, _) = dense::DFA::from_bytes(&DFA_BYTES.bytes).expect("valid DFA");
        assert_eq!(dfa.pattern_len(), KEYWORDS.len());
        assert_eq!(CONTAINED.len(), KEYWORDS.len());
        assert_eq!(STARTING_INSIDE.len(), KEYWORDS.len());
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
        let a: Vec<_> = dfa.find_iter(text.as_bytes()).collect();
        let b: Vec<_> = ac.find_iter(text.as_bytes()).collect();
        assert!(a.len() > KEYWORDS.len() / 2);
        assert_eq!(a, b);
    }
}
