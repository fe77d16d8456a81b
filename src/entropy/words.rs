//! Does a value read like words? The embedded word list (`words.txt`) gives a segmentation
//! coverage (`word_coverage`) and a letter-pair model (`bigram_log_likelihood`).

use super::MAX_JUDGED;

/// Token efficiency: whether known words cover most of the value's letters
/// (`mysecretpassword123`, `prod-db-password-2024`, `DefaultConnectionString`).
///
/// By chance, random letters spell a given 4-letter word at a position with probability
/// 1/26^4; with the ~470 four-letter words of `words.txt` that is about one chance in a
/// thousand per position (less in mixed case, as a word must keep one case pattern), and
/// longer words are rarer still (~470 five-letter words: one in 25,000). Short words are so
/// likely by chance that they count only as whole segments. So random tokens of any alphabet
/// get a coverage near zero, a single 4-letter word at most in a few percent of them, while
/// identifiers and phrases get 60-100%. A value is word-like when words cover at least 60% of
/// its letters and at least 4 letters come from a word of 4 or more letters (a few short
/// segments such as `db` or `key` alone prove nothing).
pub(super) fn word_like(cov: &Coverage) -> bool {
    cov.letters >= 6 && cov.long >= 4 && cov.covered * 10 >= cov.letters * 6
}

/// Letters of a value and how many of them the best segmentation into known words covers.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Coverage {
    pub letters: usize,
    /// Letters covered by words (2-3 letter words only as whole segments).
    pub covered: usize,
    /// Letters covered by words of 4 or more letters.
    pub long: usize,
}

/// The embedded word list: sorted, lower case, split by length.
pub(super) struct Lexicon {
    /// Words of 4 or more letters, counted wherever they occur.
    long: Vec<&'static [u8]>,
    /// Words of 2-3 letters, counted only as a whole segment.
    short: Vec<&'static [u8]>,
    max_len: usize,
    /// `llr[a][b]`: log2 of how much likelier letter `b` follows `a` in the words than in
    /// uniformly random letters.
    llr: [[f32; 26]; 26],
}

pub(super) static LEXICON: std::sync::LazyLock<Lexicon> = std::sync::LazyLock::new(|| {
    let mut long = Vec::new();
    let mut short = Vec::new();
    for line in include_str!("words.txt").lines() {
        if line.starts_with('#') {
            continue;
        }
        for w in line.split_ascii_whitespace() {
            let w = w.as_bytes();
            debug_assert!(w.iter().all(u8::is_ascii_lowercase), "{w:?}");
            match w.len() {
                0 | 1 => {}
                2 | 3 => short.push(w),
                _ => long.push(w),
            }
        }
    }
    for list in [&mut long, &mut short] {
        list.sort_unstable();
        list.dedup();
    }
    let max_len = long.iter().map(|w| w.len()).max().unwrap_or(4);
    // Letter-pair statistics of the word list, with add-one smoothing.
    let mut counts = [[1.0f32; 26]; 26];
    for w in long.iter().chain(&short) {
        for p in w.windows(2) {
            counts[(p[0] - b'a') as usize][(p[1] - b'a') as usize] += 1.0;
        }
    }
    let mut llr = [[0.0f32; 26]; 26];
    for (row, out) in counts.iter().zip(llr.iter_mut()) {
        let total: f32 = row.iter().sum();
        for (c, o) in row.iter().zip(out.iter_mut()) {
            *o = (c / total * 26.0).log2();
        }
    }
    Lexicon {
        long,
        short,
        max_len,
        llr,
    }
});

/// Whether `w` (letters of one case pattern) is a known word, compared lower-cased.
pub(super) fn known(list: &[&[u8]], w: &[u8]) -> bool {
    let mut buf = [0u8; 32];
    if w.len() > buf.len() {
        return false;
    }
    for (d, s) in buf.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    list.binary_search(&&buf[..w.len()]).is_ok()
}

/// The best segmentation of `bytes` into known words, by dynamic programming over positions:
/// `best[i]` is the most letters words can cover in `bytes[..i]`. A word must be one case
/// pattern (`word`, `Word`, `WORD`); O(n * longest word) lookups in a sorted list.
pub fn word_coverage(bytes: &[u8]) -> Coverage {
    let lex = &*LEXICON;
    let s = &bytes[..bytes.len().min(MAX_JUDGED)];
    let n = s.len();
    // (covered letters, letters in long words, whether a word ends here)
    let mut best = [(0u16, 0u16, false); MAX_JUDGED + 1];
    let is_start = |i: usize| {
        i == 0
            || !s[i - 1].is_ascii_alphabetic()
            || (s[i - 1].is_ascii_lowercase() && s[i].is_ascii_uppercase())
    };
    let is_end = |j: usize| {
        j == n
            || !s[j].is_ascii_alphabetic()
            || (s[j - 1].is_ascii_lowercase() && s[j].is_ascii_uppercase())
    };
    let mut letters = 0;
    for i in 0..n {
        let here = best[i];
        let skip = (here.0, here.1, false);
        if (skip.0, skip.1) > (best[i + 1].0, best[i + 1].1) {
            best[i + 1] = skip;
        }
        if !s[i].is_ascii_alphabetic() {
            continue;
        }
        letters += 1;
        let j = case_run_end(s, i, lex.max_len);
        // A short word needs a boundary before it (a separator, a case change or the end of
        // a word) and after it (a separator, a case change or the start of a long word):
        // `commitUrl`, `commiturl`, `urlCommit`.
        let start = is_start(i) || here.2;
        for end in i + 2..=j {
            let len = end - i;
            let hit = if len < 4 {
                start && (is_end(end) || long_word_at(lex, s, end)) && known(&lex.short, &s[i..end])
            } else {
                known(&lex.long, &s[i..end])
            };
            if hit {
                let cand = (
                    here.0 + len as u16,
                    here.1 + if len >= 4 { len as u16 } else { 0 },
                    true,
                );
                let slot = &mut best[end];
                if (cand.0, cand.1) >= (slot.0, slot.1) {
                    *slot = cand;
                }
            }
        }
    }
    Coverage {
        letters,
        covered: best[n].0 as usize,
        long: best[n].1 as usize,
    }
}

/// Whether a word of 4 or more letters starts at `i` (one case pattern, like the DP's words).
pub(super) fn long_word_at(lex: &Lexicon, s: &[u8], i: usize) -> bool {
    let end = case_run_end(s, i, lex.max_len);
    (i + 4..=end).any(|j| known(&lex.long, &s[i..j]))
}

/// The end of the longest run of one case pattern starting at `i` (`word`, `Word` or `WORD`),
/// at most `max` bytes long.
pub(super) fn case_run_end(s: &[u8], i: usize, max: usize) -> usize {
    let caps = s.get(i).is_some_and(u8::is_ascii_uppercase)
        && s.get(i + 1).is_some_and(u8::is_ascii_uppercase);
    let mut j = i + 1;
    while j < s.len()
        && j - i < max
        && if caps {
            s[j].is_ascii_uppercase()
        } else {
            s[j].is_ascii_lowercase()
        }
    {
        j += 1;
    }
    j
}

/// Mean bigram log-likelihood ratio at or above which letters read as words: the average, over
/// adjacent letter pairs, of log2(P(second | first, word list) / P(second | random letters)).
/// Random letters average about -1.2 bits and stay below 0.6 in all but about one in a
/// thousand 16-20 character tokens (fewer for longer ones); identifiers and phrases score
/// from about 0 to +2, so this check takes the plainly English ones and leaves the rest to
/// `word_coverage` and `identifier_shape`.
pub(super) const BIGRAM_LLR_MAX: f64 = 0.6;

/// Mean log-likelihood ratio, in bits per pair, of the value's adjacent letter pairs
/// (case-insensitive) under the word list's letter-pair model against uniformly random letters.
/// Negative infinity when there are fewer than eight pairs to judge.
pub fn bigram_log_likelihood(bytes: &[u8]) -> f64 {
    let lex = &*LEXICON;
    let mut pairs = 0usize;
    let mut sum = 0.0f64;
    for w in bytes.windows(2) {
        if w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic() {
            let a = (w[0].to_ascii_lowercase() - b'a') as usize;
            let b = (w[1].to_ascii_lowercase() - b'a') as usize;
            sum += f64::from(lex.llr[a][b]);
            pairs += 1;
        }
    }
    if pairs < 8 {
        f64::NEG_INFINITY
    } else {
        sum / pairs as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_of_identifiers_and_tokens() {
        let cov = |v: &str| word_coverage(v.as_bytes());
        assert_eq!(
            cov("notHighEnoughEntropy"),
            Coverage {
                letters: 20,
                covered: 20,
                long: 17
            }
        );
        assert_eq!(cov("mysecretpassword123").long, 14);
        assert_eq!(cov("prod-db-password-2024").covered, 14);
        assert_eq!(cov("8fQz1LpX9wRt2VbN6mKc").covered, 0);
        // A short word counts only as a whole segment.
        assert_eq!(cov("xkeyq").covered, 0);
        assert_eq!(cov("x-key-q").covered, 3);
    }
}
