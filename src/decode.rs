//! Encoded text inside a file: base64 tokens (Kubernetes `Secret` data, `.dockerconfigjson`,
//! `auth` fields) and percent-encoded tokens (URLs, form bodies). The matcher scans what they
//! decode to and reports matches at the encoded token.
//!
//! Bounded: tokens of at most `MAX_TOKEN` bytes, `MAX_DECODED` decoded bytes per text, and
//! only decodings that read as text (a PEM body or an image decodes to binary and is dropped
//! before any search).

use std::ops::Range;

/// Shortest base64 token considered: 12 decoded bytes, less than any credential worth a rule.
const MIN_BASE64: usize = 16;
/// Longest token decoded (a `.dockerconfigjson` is a few KiB; images are far longer).
const MAX_TOKEN: usize = 64 * 1024;
/// Decoded bytes per text, all tokens together.
pub const MAX_DECODED: usize = 1 << 20;

/// How a token was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Base64,
    Percent,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Base64 => "base64",
            Encoding::Percent => "percent",
        }
    }
}

/// An encoded token and the text it decodes to.
#[derive(Debug)]
pub struct Segment {
    pub span: Range<usize>,
    pub encoding: Encoding,
    pub bytes: Vec<u8>,
}

/// Byte classes for the token scan.
const B64: u8 = 1; // A-Z a-z 0-9
const B64_STD: u8 = 2; // + /
const B64_URL: u8 = 4; // - _

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_alphanumeric() {
            B64
        } else if b == b'+' || b == b'/' {
            B64_STD
        } else if b == b'-' || b == b'_' {
            B64_URL
        } else {
            0
        };
        i += 1;
    }
    t
};

/// The encoded tokens of `text` (inside `only`, when given) that decode to text, in order,
/// within `budget` decoded bytes (decremented).
pub fn segments(text: &[u8], only: Option<&[Range<usize>]>, budget: &mut usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let all = 0..text.len();
    for r in only.unwrap_or(std::slice::from_ref(&all)) {
        base64_tokens(text, r.clone(), budget, &mut out);
        percent_tokens(text, r.clone(), budget, &mut out);
    }
    out
}

fn base64_tokens(text: &[u8], range: Range<usize>, budget: &mut usize, out: &mut Vec<Segment>) {
    let is_b64 = |b: u8| CLASS[b as usize] != 0;
    let mut i = range.start;
    while i + MIN_BASE64 <= range.end && *budget > 0 {
        // Every run of MIN_BASE64 or more characters starting in i..=probe covers `probe`: when
        // that byte cannot be in a run, skip them all at once (most text is short words).
        let probe = i + MIN_BASE64 - 1;
        if !is_b64(text[probe]) {
            i = probe + 1;
            continue;
        }
        // The last byte before `probe` that cannot be in a run; a run starts after it.
        if let Some(k) = text[i..probe].iter().rposition(|&b| !is_b64(b)) {
            i += k + 1;
            continue;
        }
        let start = i;
        let mut end = probe + 1;
        while end < text.len() && is_b64(text[end]) {
            end += 1;
        }
        i = end;
        if end - start < MIN_BASE64 {
            continue;
        }
        // A maximal run of base64 characters, then its padding.
        let mut seen = 0u8;
        let (mut digit, mut upper, mut lower) = (false, false, false);
        for &b in &text[start..end] {
            seen |= CLASS[b as usize];
            digit |= b.is_ascii_digit();
            upper |= b.is_ascii_uppercase();
            lower |= b.is_ascii_lowercase();
        }
        let body = start..end;
        while i < text.len() && text[i] == b'=' && i - body.end < 2 {
            i += 1;
        }
        let len = body.len();
        // Base64 of text mixes cases and nearly always has a digit or `+`/`/`; identifiers,
        // words and hex digests do not pass this cheap test.
        if !(MIN_BASE64..=MAX_TOKEN).contains(&len)
            || seen & (B64_STD | B64_URL) == (B64_STD | B64_URL)
            || !(upper && lower && (digit || seen & B64_STD != 0))
        {
            continue;
        }
        let Some(bytes) = base64_decode(&text[body.clone()]) else {
            continue;
        };
        keep_text(out, budget, start..i, Encoding::Base64, bytes);
    }
}

/// Keeps a decoding that reads as text (and is long enough to hold a credential), charging
/// the budget.
fn keep_text(
    out: &mut Vec<Segment>,
    budget: &mut usize,
    span: Range<usize>,
    encoding: Encoding,
    bytes: Vec<u8>,
) {
    if bytes.len() < 8 || !reads_as_text(&bytes) {
        return;
    }
    *budget = budget.saturating_sub(bytes.len());
    out.push(Segment {
        span,
        encoding,
        bytes,
    });
}

/// Decodes standard or URL-safe base64 without padding (the caller strips it). `None` for a
/// length no encoder produces.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 2);
    let mut acc = 0u32;
    let mut bits = 0;
    for &b in s {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Tokens holding at least one `%XX` escape: runs without whitespace, quotes, or the `=` and
/// `&` that separate the fields of a query string or form body (encoded data has them escaped).
fn percent_tokens(text: &[u8], range: Range<usize>, budget: &mut usize, out: &mut Vec<Segment>) {
    let is_token =
        |b: u8| b > b' ' && !matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>' | b'=' | b'&' | 0x7f);
    let mut from = range.start;
    while let Some(p) = memchr::memchr(b'%', &text[from..range.end]) {
        let at = from + p;
        if *budget == 0 {
            return;
        }
        if !(at + 2 < text.len()
            && text[at + 1].is_ascii_hexdigit()
            && text[at + 2].is_ascii_hexdigit())
        {
            from = at + 1;
            continue;
        }
        // Tokens never overlap: the search back stops where the previous one ended.
        let start = text[from..at]
            .iter()
            .rposition(|&b| !is_token(b))
            .map_or(from, |i| from + i + 1);
        let end = text[at..]
            .iter()
            .position(|&b| !is_token(b))
            .map_or(text.len(), |i| at + i);
        from = end;
        if end - start > MAX_TOKEN {
            continue;
        }
        let bytes = percent_decode(&text[start..end]);
        keep_text(out, budget, start..end, Encoding::Percent, bytes);
    }
}

/// `%XX` escapes decoded (and `+` kept: it only means a space in form bodies).
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    percent_encoding::percent_decode(s).collect()
}

/// Printable ASCII or UTF-8 text (tabs and newlines allowed), no NUL: what a credential file
/// or value decodes to, unlike a key's DER body or an image.
fn reads_as_text(bytes: &[u8]) -> bool {
    let control = |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0x7f;
    !bytes.iter().any(control) && std::str::from_utf8(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in s.as_bytes().chunks(3) {
            let n =
                chunk.iter().fold(0u32, |a, &b| a << 8 | u32::from(b)) << (8 * (3 - chunk.len()));
            for k in 0..=chunk.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            }
        }
        while !out.len().is_multiple_of(4) {
            out.push('=');
        }
        out
    }

    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "user:password", "{\"auths\":{}}\n"] {
            let enc = b64(s);
            let body = enc.trim_end_matches('=');
            assert_eq!(base64_decode(body.as_bytes()).unwrap(), s.as_bytes(), "{s}");
        }
        assert_eq!(base64_decode(b"abcde"), None);
        assert_eq!(base64_decode(b"ab$d"), None);
        // URL-safe alphabet.
        assert_eq!(base64_decode(b"-_-_").unwrap(), vec![0xfb, 0xff, 0xbf]);
    }

    #[test]
    fn finds_encoded_text_only() {
        let secret = "OPENAI_API_KEY=sk-proj-abc";
        let text = format!(
            "data:\n  key: {}\n  sha: 3f786850e387550fdab836ed7e6dc881de23001b\n  name: ThisIsAnIdentifierName\n",
            b64(secret)
        );
        let mut budget = MAX_DECODED;
        let segs = segments(text.as_bytes(), None, &mut budget);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].bytes, secret.as_bytes());
        assert_eq!(&text[segs[0].span.clone()], b64(secret));
        assert_eq!(budget, MAX_DECODED - secret.len());
    }

    #[test]
    fn binary_decodings_are_dropped() {
        // A DER-like body: decodes, but not to text.
        let text = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun";
        let mut budget = MAX_DECODED;
        assert!(segments(text.as_bytes(), None, &mut budget).is_empty());
    }

    #[test]
    fn percent_tokens_decode() {
        let text = "url = \"https%3A%2F%2Fhooks.example.com%2Fservices%2FT0\" and 100%";
        let mut budget = MAX_DECODED;
        let segs = segments(text.as_bytes(), None, &mut budget);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].bytes, b"https://hooks.example.com/services/T0");
        assert_eq!(segs[0].encoding, Encoding::Percent);
        assert_eq!(percent_decode(b"a%2"), b"a%2");
        assert_eq!(percent_decode(b"%41%zz"), b"A%zz");
    }

    #[test]
    fn the_budget_bounds_decoding() {
        let one = b64("password=correct-horse-battery");
        let text = vec![one.as_str(); 100].join("\n");
        let mut budget = 64;
        let segs = segments(text.as_bytes(), None, &mut budget);
        assert!(segs.len() <= 3, "{}", segs.len());
        assert_eq!(budget, 0);
    }
}
