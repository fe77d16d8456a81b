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
        ] {
            assert!(!looks_random(v.as_bytes()), "{v} should not look random");
        }
    }
}
