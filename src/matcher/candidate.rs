//! What the matcher hands on: candidates (a rule's match that passed its gates), the overlap
//! resolution between them, and `Cover`, a quick "does this range touch any of those" test.

use std::ops::Range;
use std::sync::Arc;

use crate::decode::Encoding;
use crate::rules::{Confidence, RuleSet};

/// A match that passed the rule's own gates; filters decide whether it is reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index into `RuleSet::rules`.
    pub rule: usize,
    /// The credential itself (the `secret` group, or the whole match).
    pub secret: Range<usize>,
    /// The whole regex match, context included.
    pub span: Range<usize>,
    pub entropy: f64,
    pub confidence: Confidence,
    /// Set when the match was found in what an encoded token decodes to: `secret` and `span`
    /// are then the encoded token in this text.
    pub decoded: Option<Arc<Decoded>>,
}

/// A match inside a decoded token.
#[derive(Debug, PartialEq)]
pub struct Decoded {
    pub encoding: Encoding,
    /// What the token decodes to.
    pub text: Arc<[u8]>,
    /// The match in `text` (itself possibly inside a further decoding).
    pub inner: Candidate,
}

impl Candidate {
    /// The text the match was made in and the match there: `text` and `self`, or the decoded
    /// token and the match inside it.
    pub fn innermost<'a>(&'a self, text: &'a [u8]) -> (&'a [u8], &'a Candidate) {
        match &self.decoded {
            Some(d) => d.inner.innermost(&d.text),
            None => (text, self),
        }
    }

    /// The credential's bytes, decoded.
    pub fn value<'a>(&'a self, text: &'a [u8]) -> &'a [u8] {
        let (text, c) = self.innermost(text);
        &text[c.secret.clone()]
    }
}

/// A set of byte ranges (in any order, overlapping or not) that answers "does this range
/// overlap any of them?" in O(log n): many matches against many ranges stay near-linear.
pub struct Cover {
    starts: Vec<usize>,
    /// `max_end[i]`: the largest end among the ranges with the `i + 1` smallest starts.
    max_end: Vec<usize>,
}

impl Cover {
    pub fn new<'a>(ranges: impl Iterator<Item = &'a Range<usize>>) -> Self {
        let mut sorted: Vec<(usize, usize)> = ranges.map(|r| (r.start, r.end)).collect();
        sorted.sort_unstable();
        let mut end = 0;
        let max_end = sorted
            .iter()
            .map(|&(_, e)| {
                end = end.max(e);
                end
            })
            .collect();
        Cover {
            starts: sorted.into_iter().map(|(s, _)| s).collect(),
            max_end,
        }
    }

    /// Whether `r` shares a byte with one of the ranges.
    pub fn hits(&self, r: &Range<usize>) -> bool {
        let i = self.starts.partition_point(|&s| s < r.end);
        i > 0 && self.max_end[i - 1] > r.start
    }
}

/// Sorts candidates and keeps, among overlapping secrets, the most specific: provider rules beat
/// generic ones, then higher confidence, then the stronger context (a syntax over an assignment
/// over free text), then the longer secret, then the longer match (more context), then the
/// earlier rule.
pub(super) fn resolve_overlaps(rules: &RuleSet, mut cands: Vec<Candidate>) -> Vec<Candidate> {
    cands.sort_by(|a, b| {
        (a.secret.start, a.secret.end, a.rule).cmp(&(b.secret.start, b.secret.end, b.rule))
    });
    cands.dedup_by(|a, b| a.rule == b.rule && a.secret == b.secret);
    let rank = |c: &Candidate| {
        (
            !rules.rules[c.rule].generic,
            c.confidence,
            rules.rules[c.rule].context,
            c.secret.len(),
            // More context matched (a provider name next to the key) is more specific.
            c.span.len(),
            std::cmp::Reverse(c.rule),
        )
    };
    let mut kept: Vec<Candidate> = Vec::with_capacity(cands.len());
    for c in cands {
        match kept.last_mut() {
            Some(last) if last.secret.end > c.secret.start => {
                if rank(&c) > rank(last) {
                    *last = c;
                }
            }
            _ => kept.push(c),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_answers_overlaps() {
        let ranges = [10..20, 0..3, 15..40, 50..51];
        let cover = Cover::new(ranges.iter());
        for probe in [
            0..1,
            2..5,
            3..10,
            9..11,
            39..45,
            40..50,
            50..51,
            51..60,
            5..5,
        ] {
            let expected = ranges
                .iter()
                .any(|r| r.start < probe.end && probe.start < r.end);
            assert_eq!(cover.hits(&probe), expected, "{probe:?}");
        }
        assert!(!Cover::new([].iter()).hits(&(0..10)));
    }
}
