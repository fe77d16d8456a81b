//! Randomness measures for candidate secrets.
//!
//! `shannon` is the classic bits-per-byte entropy. It cannot tell `notHighEnoughEntropy` from a
//! random token of the same length, so generic rules use `looks_random`, which also asks whether
//! the value reads like words: how much of it known words cover (`word_coverage`, over the
//! embedded `words.txt`), how English its letter pairs are (`bigram_log_likelihood`), whether it
//! is shaped like a code identifier; or like a sequence, a keyboard walk or a repeated block.

mod words;

pub use words::{bigram_log_likelihood, word_coverage, Coverage};
use words::{word_like, BIGRAM_LLR_MAX};

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

/// Values longer than this are judged on their first `MAX_JUDGED` bytes (generic values are at
/// most 256 bytes, bearer tokens 512).
const MAX_JUDGED: usize = 512;

/// A randomness test for values of generic `name = value` assignments: high entropy relative to
/// what the value's length and alphabet allow, not word-like, not a run, a keyboard walk or a
/// repeated pattern.
pub fn looks_random(bytes: &[u8]) -> bool {
    if bytes.len() < 12 || bytes.contains(&b'@') && bytes.contains(&b'.') {
        return false;
    }
    let bytes = &bytes[..bytes.len().min(MAX_JUDGED)];
    let h = shannon(bytes);
    let c = classes(bytes);
    let letters = c.lower + c.upper;
    let hex = is_hex(bytes);
    let alphabet = if hex {
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
    if class_count == 1 && !hex {
        return false;
    }
    // Sequences and keyboard walks (`1234567890abcdef`, `qwertyuiop123456`) and repeated
    // blocks (`Xy7#Qp2!Xy7#Qp2!`) reach the entropy ceiling without being random; hex
    // digests are judged by these two tests only.
    if walk_share(bytes) >= 0.6 || is_periodic(bytes) {
        return false;
    }
    if hex {
        return true;
    }
    let llr = bigram_log_likelihood(bytes);
    if llr >= BIGRAM_LLR_MAX {
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
    let cov = word_coverage(bytes);
    if word_like(&cov) {
        return false;
    }
    // Code identifiers and paths (`curlx_memdup`, `X509_get_pubkey`, `BCryptDeriveKeyFn`):
    // tidy parts whose letters hold some words or read like words.
    !(identifier_shape(bytes) && (cov.covered * 10 >= cov.letters * 3 || llr >= -0.5))
}

/// Whether the value is built like a code identifier or a dotted path: every part between
/// separators is letters of one tidy case pattern (`word`, `WORD`, `camelCase`,
/// `PascalCase`) optionally followed by digits (`X509`, `utf16`), or digits alone; and there
/// are at least two parts with letters, or one camel-case part. Random tokens mix cases and
/// digits inside their parts.
fn identifier_shape(bytes: &[u8]) -> bool {
    let mut lettered = 0usize;
    let mut camel = false;
    for part in bytes.split(|b| !b.is_ascii_alphanumeric()) {
        match part_shape(part) {
            None => return false,
            Some(PartShape::Digits) => {}
            Some(PartShape::Word) => lettered += 1,
            Some(PartShape::Camel) => {
                lettered += 1;
                camel = true;
            }
        }
    }
    lettered >= 2 || camel
}

/// The shape of one alphanumeric part of a value, `None` when it is not a tidy one.
enum PartShape {
    /// Digits alone (or nothing).
    Digits,
    /// Letters of one case (`word`, `WORD`), optionally followed by digits.
    Word,
    /// `camelCase` or `PascalCase` letters, optionally followed by digits.
    Camel,
}

/// Letters of one tidy case pattern followed by digits: mixed case only when a capital starts
/// each word, with no one-letter lower-case word between capitals (`aBcD`) and words of three
/// letters or more on average.
fn part_shape(part: &[u8]) -> Option<PartShape> {
    let split = part
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(part.len());
    let (letters, digits) = part.split_at(split);
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if letters.is_empty() {
        return Some(PartShape::Digits);
    }
    let upper = letters.iter().filter(|b| b.is_ascii_uppercase()).count();
    if upper == 0 || upper == letters.len() {
        return Some(PartShape::Word);
    }
    let mut humps = 0usize;
    for (i, w) in letters.windows(2).enumerate() {
        if w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase() {
            humps += 1;
            if i > 0 && letters[i - 1].is_ascii_uppercase() {
                return None;
            }
        }
    }
    (humps * 3 <= letters.len()).then_some(PartShape::Camel)
}

/// Whether a password is weak, as people pick them when they write one in a note: shorter than
/// eight bytes (`hunter2`), no letters (`12345678`), a keyboard walk or a repeated chunk
/// (`qwertyuiop`, `abcabcabc`), or words and digits alone in tidy case (`swordfish`,
/// `Summer2024`, `correct-horse`). A symbol or a case mix inside a word makes it strong
/// (`Tr0ub4dor&3`, `xK9mQ2vL`).
pub fn weak_password(bytes: &[u8]) -> bool {
    if bytes.len() < 8 || !bytes.iter().any(u8::is_ascii_alphabetic) {
        return true;
    }
    if walk_share(bytes) >= 0.5 || is_periodic(bytes) {
        return true;
    }
    let tidy_chars = bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/'));
    tidy_chars
        && bytes
            .split(|b| !b.is_ascii_alphanumeric())
            .all(|p| part_shape(p).is_some())
}

/// Keyboard rows and alphabetic order: neighbours in either are one step of a walk.
fn is_step(a: u8, b: u8) -> bool {
    const ROWS: [&[u8]; 4] = [b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    if !a.is_ascii_alphanumeric()
        || !b.is_ascii_alphanumeric()
        || a.is_ascii_alphabetic() != b.is_ascii_alphabetic()
        || a.is_ascii_uppercase() != b.is_ascii_uppercase()
    {
        return false;
    }
    let (la, lb) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if la.abs_diff(lb) == 1 {
        return true;
    }
    ROWS.iter().any(|row| {
        row.iter()
            .position(|&c| c == la)
            .is_some_and(|i| row.get(i + 1) == Some(&lb) || i > 0 && row[i - 1] == lb)
    })
}

/// Share of the value in walks of four or more steps (`abcd`, `4321`, `qwerty`, `asdf`).
/// A random symbol has a handful of neighbours out of 16-64, so four in a row are rare.
pub fn walk_share(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut in_walks = 0usize;
    let mut run = 1usize;
    for w in bytes.windows(2) {
        if is_step(w[0], w[1]) {
            run += 1;
        } else {
            if run >= 4 {
                in_walks += run;
            }
            run = 1;
        }
    }
    if run >= 4 {
        in_walks += run;
    }
    in_walks as f64 / bytes.len() as f64
}

/// A block repeated to fill the value: at some period `p` (at most half the length), 90% of
/// the symbols equal the one `p` before.
fn is_periodic(bytes: &[u8]) -> bool {
    let n = bytes.len();
    (1..=(n / 2).min(64)).any(|p| {
        let same = bytes[p..].iter().zip(bytes).filter(|(a, b)| a == b).count();
        same * 10 >= (n - p) * 9
    })
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
    fn weak_passwords() {
        for w in [
            "hunter2",
            "12345678",
            "qwertyuiop",
            "abcabcabc",
            "swordfish",
            "Summer2024",
            "correct-horse",
            "letmein123",
        ] {
            assert!(weak_password(w.as_bytes()), "{w}");
        }
        for s in ["Tr0ub4dor&3", "xK9mQ2vLp", "Zq7!pR2#mW", "8fK2pQz9Lw"] {
            assert!(!weak_password(s.as_bytes()), "{s}");
        }
    }

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
            // Alphanumeric, 12 to 64 characters.
            "cFPP0ycsZm55",
            "RweicUHRl9IvjSgg",
            "COQaOUmZTQYAb17QQzP6OnGf",
            "VzN7cw9SMdTuVqULDLMnhsu6DDaMVl2LAz7eoVXE",
            "SNDFTZSqP3aqVCBBvVhDwYWVeAa2gRixhvW2IIVoGd4XxnG0Ggd19tbk3iXJywqC",
            // Standard base64 with `+`, `/` and `=` padding; URL-safe base64.
            "S2Sb7rQEhduS/yNW7SvLqqk0HiPFhTVk0BjN4/+Ge4w=",
            "IImvl3vGGC52pT9wIBWpFNwRMmn3OZYh",
            "ODcVAErA97bvSz6loJGGWg==",
            "OqbkXo/o5DcvPTGe7WXX7WwkgS0aHr/BUNGgwporcAj4KJI/j44rabIBa1zunXT+M816E44ooRctU9lOTkRVjg==",
            "2LaqzHaf6Uvo5HscHVo1CHzUuBGiavaL84_jpzhn",
            "DtFDkalYRwKGdARrBlwYrb4ohMQnrGcsHR3rlXDUF3Q",
            // Hex: 16, 32, 40 and 64 digits, both cases.
            "565840251b9fa014",
            "7d973b8ac3e7c208f414d7df6f2dd709",
            "5cc15121a95d7d0e09b8224ea4573f09d16ae47a",
            "7fafc8d2d23538efadd005c379320d105003a37d1a892d0fe259da4d5f837ed3",
            "930CFDB7E4629262A1E58423ACFEB6241A689DE6",
            // Lower case and digits; base32; upper case and digits.
            "c1tv2n9uorisf4iklggd",
            "gculn71lrj9lanag0ie5s2ylgdiw4k8v",
            "4U3U3EO5LB4E3ROI4HJ32JKPNK6WHKE5",
            "V4SNI7EFPC0152PD6PUE",
            // With punctuation, and dash-separated groups.
            ".-RFGGX~dUA7&Anl6rYk~Sy-",
            "9eQcggOjT_x*py",
            "rBhj6LPG-KiGBgOHC-xwZKDihx",
            // Random text that happens to hold a word.
            "9fKtestQ2mLx7VpR4wZb",
            "Xq7demoP3kZ9vLw2RtYn",
            "b7Hxx9Qe2LpZk4Wm8Rv1",
            "k3Password9xQz7LmW2vRt5Yb8NcJd",
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
            // Words run together, with or without digits.
            "prod-db-password-2024",
            "localhost_dev_key",
            "DefaultConnectionString",
            "staging-api-token-v2",
            "MyAppSecretKey2023",
            "supersecretkey123",
            "test-user-token-42",
            "mysecretpassword123",
            // Identifiers. A value ending in `password…` comes last before a comment: followed
            // by another string it reads as a `"password", "value"` pair to this repository's
            // own scan.
            "webhook_signing_secret_9",
            "SessionCookieName",
            "getUserAccessToken",
            "X-Api-Key-Header",
            "admin_password_01",
            // File names, URLs, versions.
            "config.production.json",
            "https://api.example.com/v1/users",
            "v1.2.3-beta.4+build.5678",
            "release-2024.05.01-rc1",
            // Sentences and phrases.
            "the quick brown fox",
            "Please set your token here",
            // Sequences, keyboard walks, repeated blocks.
            "qwertyuiop123456",
            "abcdefghijklmnop",
            "1234567890abcdef",
            "asdfghjkl;0987654321",
            "ABCDEFGH12345678",
            "Xy7#Qp2!Xy7#Qp2!",
            "deadbeefdeadbeefdeadbeefdeadbeef",
            "abc123abc123abc123abc123",
        ] {
            assert!(!looks_random(v.as_bytes()), "{v} should not look random");
        }
    }

    /// A deterministic pseudo-random token over `alphabet`.
    fn token(alphabet: &[u8], len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                alphabet[(x % alphabet.len() as u64) as usize]
            })
            .collect()
    }

    #[test]
    fn generated_tokens_pass() {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const LOWER36: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        const UPPER36: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        const HEX: &[u8] = b"0123456789abcdef";
        for (name, alphabet, lens) in [
            ("alnum", ALNUM, &[16usize, 24, 32, 40, 64][..]),
            ("base64", B64, &[20, 32, 44, 88]),
            ("lower36", LOWER36, &[20, 32, 40]),
            ("upper36", UPPER36, &[20, 32, 40]),
            ("hex", HEX, &[32, 40, 64]),
        ] {
            for &len in lens {
                let rejected = (0..2000u64)
                    .filter(|&seed| !looks_random(&token(alphabet, len, seed + 1)))
                    .count();
                // Short random values sometimes fall under the entropy or class checks;
                // none of the word, walk or pattern tests may add many more.
                assert!(
                    rejected <= 20,
                    "{name} len {len}: {rejected} of 2000 rejected"
                );
            }
        }
    }
}
