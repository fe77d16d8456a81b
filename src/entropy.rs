//! Randomness measures for candidate secrets.
//!
//! `shannon` is the classic bits-per-byte entropy. It cannot tell `notHighEnoughEntropy` from a
//! random token of the same length, so generic rules use `looks_random`, which also asks whether
//! the value reads like words (vowel ratio, case runs) or like a plain sequence.

/// Shannon entropy of `bytes` in bits per byte (0.0 for empty input).
pub fn shannon(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let len = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// Character classes present in a value.
#[derive(Debug, Default, Clone, Copy)]
pub struct Classes {
    pub lower: usize,
    pub upper: usize,
    pub digit: usize,
    pub other: usize,
}

pub fn classes(bytes: &[u8]) -> Classes {
    let mut c = Classes::default();
    for &b in bytes {
        match b {
            b'a'..=b'z' => c.lower += 1,
            b'A'..=b'Z' => c.upper += 1,
            b'0'..=b'9' => c.digit += 1,
            _ => c.other += 1,
        }
    }
    c
}

/// Whether the value is only hex digits (one case).
pub fn is_hex(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && (bytes
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            || bytes
                .iter()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b)))
}

/// Expected Shannon entropy ceiling for a value of `len` symbols over an alphabet of `alphabet`.
fn ceiling(len: usize, alphabet: f64) -> f64 {
    (len as f64).min(alphabet).log2()
}

/// A randomness test for values of generic `name = value` assignments: high entropy relative to
/// what the value's length and alphabet allow, not word-like, not a run or a sequence.
pub fn looks_random(bytes: &[u8]) -> bool {
    if bytes.len() < 12 || bytes.contains(&b'@') && bytes.contains(&b'.') {
        return false;
    }
    let h = shannon(bytes);
    let c = classes(bytes);
    let letters = c.lower + c.upper;
    let alphabet = if is_hex(bytes) {
        16.0
    } else {
        (if c.lower > 0 { 26.0 } else { 0.0 })
            + (if c.upper > 0 { 26.0 } else { 0.0 })
            + (if c.digit > 0 { 10.0 } else { 0.0 })
            + (if c.other > 0 { 4.0 } else { 0.0 })
    };
    // Random strings of n symbols reach roughly 85-95% of log2(min(n, alphabet)); 75% leaves
    // room for hand-typed keys while still rejecting words and repetitive values.
    if h < 0.75 * ceiling(bytes.len(), alphabet) || h < 3.0 {
        return false;
    }
    // Only one character class besides hex: long lowercase words, ALL_CAPS names.
    let class_count = [c.lower, c.upper, c.digit, c.other]
        .iter()
        .filter(|&&n| n > 0)
        .count();
    if class_count == 1 && !is_hex(bytes) {
        return false;
    }
    if !is_hex(bytes) && english_bigram_ratio(bytes) >= 0.5 {
        return false;
    }
    // Word-like: letters with an English vowel ratio and no digits mixed in.
    if letters > 0 && c.digit == 0 {
        let vowels = bytes
            .iter()
            .filter(|b| matches!(b.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'))
            .count();
        if vowels as f64 / letters as f64 > 0.3 && camel_words(bytes) {
            return false;
        }
    }
    true
}

/// The most frequent letter pairs of English text (and of identifiers made of English words).
const COMMON_BIGRAMS: &[&[u8; 2]] = &[
    b"th", b"he", b"in", b"er", b"an", b"re", b"on", b"at", b"en", b"nd", b"ti", b"es", b"or",
    b"te", b"of", b"ed", b"is", b"it", b"al", b"ar", b"st", b"to", b"nt", b"ng", b"se", b"ha",
    b"as", b"ou", b"io", b"le", b"ve", b"co", b"me", b"de", b"hi", b"ri", b"ro", b"ic", b"ne",
    b"ea", b"ra", b"ce", b"li", b"ch", b"ll", b"be", b"ma", b"si", b"om", b"ur", b"ca", b"el",
    b"ta", b"la", b"ns", b"di", b"fo", b"ho", b"pe", b"ec", b"pr", b"no", b"ct", b"us", b"ac",
    b"ot", b"il", b"tr", b"ly", b"nc", b"et", b"ut", b"ss", b"so", b"rs", b"un", b"lo", b"wa",
    b"ge", b"ie", b"wh", b"ee", b"wi", b"em", b"ad", b"ol", b"rt", b"po", b"we", b"na", b"ul",
    b"ni", b"ts", b"mo", b"ow", b"pa", b"im", b"mi", b"ai", b"sh", b"ir", b"su", b"id", b"os",
    b"iv", b"ia", b"am", b"fi", b"ci", b"vi", b"pl", b"ig", b"tu", b"ev", b"ld", b"ry", b"mp",
    b"fe", b"bl", b"ab", b"gh", b"ty", b"op", b"wo", b"sa", b"ay", b"ex", b"ke", b"fr", b"oo",
    b"av", b"ag", b"if", b"ap", b"gr", b"od", b"bo", b"sp", b"rd", b"do", b"uc", b"bu", b"ei",
    b"ov", b"by", b"rm", b"ep", b"tt", b"oc", b"fa", b"ef", b"cu", b"rn", b"sc", b"gi", b"da",
    b"yo", b"cr", b"cl", b"du", b"ga", b"qu", b"ue", b"ff", b"ba", b"ey", b"ls", b"va", b"um",
    b"pp", b"ua", b"up", b"lu", b"go", b"ht", b"ru", b"ug", b"ds", b"lt", b"pi", b"rc", b"eg",
    b"au", b"ck", b"ew", b"mu", b"br", b"bi", b"pt", b"ak", b"pu", b"ui", b"rg", b"ib", b"tl",
    b"ny", b"ki", b"rk", b"ys", b"ob", b"mm", b"fu", b"ph", b"og", b"ms", b"ye", b"ud", b"mb",
    b"ip", b"ub", b"oi", b"rl", b"gu", b"dr", b"hr", b"cc", b"tw", b"ft", b"wn", b"nu", b"af",
    b"hu", b"nn", b"eo", b"vo", b"rv", b"xp", b"gn", b"sm", b"fl", b"iz", b"ok", b"my", b"gl",
    b"aw", b"ju", b"oa", b"sy", b"sl", b"ps", b"jo", b"xt", b"rp", b"dd", b"ks", b"nk", b"ex",
];

/// Share of adjacent letter pairs that are common English bigrams (case-insensitive): about
/// 0.2 for random letters, 0.6 and more for words and identifiers. 0.0 when there are fewer
/// than four pairs to judge.
pub fn english_bigram_ratio(bytes: &[u8]) -> f64 {
    let mut pairs = 0usize;
    let mut common = 0usize;
    for w in bytes.windows(2) {
        if w[0].is_ascii_alphabetic() && w[1].is_ascii_alphabetic() {
            pairs += 1;
            let pair = [w[0].to_ascii_lowercase(), w[1].to_ascii_lowercase()];
            if COMMON_BIGRAMS.iter().any(|b| **b == pair) {
                common += 1;
            }
        }
    }
    if pairs < 4 {
        0.0
    } else {
        common as f64 / pairs as f64
    }
}

/// Whether the value splits into word-sized runs at case changes or separators
/// (`notHighEnoughEntropy`, `my_secret_value`), the shape of identifiers and phrases.
fn camel_words(bytes: &[u8]) -> bool {
    let mut runs = 0usize;
    let mut run_len = 0usize;
    let mut short_runs = 0usize;
    let mut prev_lower = false;
    for &b in bytes {
        let boundary = !b.is_ascii_alphabetic() || (b.is_ascii_uppercase() && prev_lower);
        if boundary {
            if run_len > 0 {
                runs += 1;
                if run_len < 3 {
                    short_runs += 1;
                }
            }
            run_len = usize::from(b.is_ascii_alphabetic());
        } else {
            run_len += 1;
        }
        prev_lower = b.is_ascii_lowercase();
    }
    if run_len > 0 {
        runs += 1;
        if run_len < 3 {
            short_runs += 1;
        }
    }
    // Random mixed-case text breaks into many tiny runs; words give few runs of 3+ letters.
    short_runs * 3 <= runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shannon_known_values() {
        assert_eq!(shannon(b""), 0.0);
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"ab") - 1.0).abs() < 1e-9);
        assert!((shannon(b"0123456789abcdef") - 4.0).abs() < 1e-9);
    }

    #[test]
    fn random_values() {
        for v in [
            "8fQz1LpX9wRt2VbN6mKc",
            "a3f5c9e1b7d24680fedcba9876543210",
            "wJ7pXk2Lq9Zr4Tn8Yb3Mv6Hc1Gf5Ds0A",
            "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA8x",
        ] {
            assert!(looks_random(v.as_bytes()), "{v} should look random");
        }
    }

    #[test]
    fn non_random_values() {
        for v in [
            "notHighEnoughEntropy",
            "changeme",
            "aaaaaaaaaaaaaaaaaaaa",
            "my_secret_value_here",
            "correcthorsebatterystaple",
            "ALL_CAPS_CONSTANT_NAME",
            "0000000000000000",
            "Signed-off-by-someone",
            "svn.authorsProgram",
            "GIT_PROXY_SSL_KEY_FILE",
        ] {
            assert!(!looks_random(v.as_bytes()), "{v} should not look random");
        }
    }
}
