//! Property tests: a synthetic secret anywhere in random text is found at the right place, and
//! redaction never reveals too much of any value.

use std::sync::{Arc, OnceLock};

use proptest::prelude::*;
use proptest::sample::select;

use scan_secrets::filter::allowlist::Allowlist;
use scan_secrets::finding::{redact, Origin, MAX_REVEALED};
use scan_secrets::matcher::Matcher;
use scan_secrets::rules::RuleSet;
use scan_secrets::scan::scan_chunk;
use scan_secrets::source::Chunk;
use scan_secrets::text::sanitize;

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The alphabet of the random token bodies: no vowels, no `x` and no `5`, so that no body can
/// spell a placeholder marker (`todo`, `example`, `xxxx`) or a plain run (`123456789`,
/// `abcdefghij`). The properties must hold for every token drawn, with no filter between the
/// generator and the scanner (a filter that called the production placeholder test could hide
/// an over-eager one). Only a GitHub token's 6-character checksum, base62 of a CRC32, could
/// spell `todo` or `xxxx`: about once in ten million tokens.
const RANDOM: &[u8] = b"012346789BCDFGHJKLMNPQRSTVWYZbcdfghjklmnpqrstvwyz";

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        // Shrunk failures are printed; no proptest-regressions/ files next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| {
        Matcher::new(Arc::new(RuleSet::builtin().expect("builtin rules load")))
            .expect("the builtin keywords build")
    })
}

/// A token and the rule that must report it: a Stripe live secret key (`sk_live_` + 99
/// alphanumerics) or a GitHub classic PAT with a valid CRC32 checksum.
fn token() -> impl Strategy<Value = (&'static str, String)> {
    let body = |n| proptest::collection::vec(select(RANDOM), n);
    prop_oneof![
        body(99).prop_map(|b| ("stripe-secret-key", format!("sk_live_{}", ascii(&b)))),
        body(30).prop_map(|b| ("github-pat-classic", github_token(&ascii(&b)))),
    ]
}

fn ascii(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// `ghp_` + body + the base62 CRC32 of the body (6 characters), as tests/common does.
fn github_token(body: &str) -> String {
    let mut n = crc32fast::hash(body.as_bytes());
    let mut check = [b'0'; 6];
    for slot in check.iter_mut().rev() {
        *slot = ALNUM[(n % 62) as usize];
        n /= 62;
    }
    format!("ghp_{body}{}", std::str::from_utf8(&check).unwrap())
}

/// Printable text without line breaks: ASCII letters, digits, punctuation and spaces, plus
/// multibyte characters (2, 3 and 4 bytes in UTF-8) so that columns must count characters.
fn filler(max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = (' '..='~')
        .chain(['\t', 'é', 'ß', '日', '本', '🔑', '€'])
        .collect();
    proptest::collection::vec(select(chars), 0..max).prop_map(|v| v.into_iter().collect())
}

/// Characters that end a word on both sides of the token (the rules use `\b`).
fn separator() -> impl Strategy<Value = char> {
    select(vec![
        ' ', '\t', '=', ':', '"', '\'', ',', ';', '(', ')', '[', ']', '{', '}',
    ])
}

fn lines() -> impl Strategy<Value = Vec<(String, &'static str)>> {
    proptest::collection::vec((filler(60), select(vec!["\n", "\r\n"])), 0..6)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn secret_anywhere_is_found_at_its_line_and_column(
        (rule, token) in token(),
        before in lines(),
        after in lines(),
        left in filler(40),
        right in filler(40),
        (sep1, sep2) in (separator(), separator()),
        eol in select(vec!["", "\n", "\r\n"]),
    ) {
        let mut text = String::new();
        for (line, end) in &before {
            text.push_str(line);
            text.push_str(end);
        }
        let line = before.len() + 1;
        let column = left.chars().count() + 2; // the separator, then the token
        text.push_str(&format!("{left}{sep1}{token}{sep2}{right}"));
        // The token's line ends like the others, or the text ends on it.
        if !after.is_empty() || !eol.is_empty() {
            text.push_str(if eol.is_empty() { "\n" } else { eol });
        }
        for (l, end) in &after {
            text.push_str(l);
            text.push_str(end);
        }

        let matcher = matcher();
        let chunk = Chunk {
            origin: Origin::Stdin,
            rel_path: None,
            text: text.clone().into_bytes(),
            added: None,
            unread: false,
        };
        let (found, _) = scan_chunk(matcher, &Allowlist::default(), &chunk);
        let got: Vec<_> = found
            .iter()
            .map(|f| {
                (
                    &*matcher.rules().rules[f.rule].id,
                    f.location.line,
                    f.location.column,
                    String::from_utf8_lossy(&f.secret).into_owned(),
                )
            })
            .collect();
        prop_assert!(
            got.contains(&(rule, line, column, token.clone())),
            "expected {rule} at {line}:{column}, got {got:?} in {text:?}"
        );
    }

    #[test]
    fn redaction_reveals_little_of_any_string(secret in any::<String>()) {
        check_redaction(secret.as_bytes())?;
    }

    #[test]
    fn redaction_reveals_little_of_any_bytes(secret in proptest::collection::vec(any::<u8>(), 0..80)) {
        check_redaction(&secret)?;
    }
}

/// `redact` shows a prefix and a suffix of the value around `…`: together at most
/// `MAX_REVEALED` characters and at most half of the value's characters.
fn check_redaction(secret: &[u8]) -> Result<(), TestCaseError> {
    let out: Vec<char> = redact(secret).chars().collect();
    let value: Vec<char> = sanitize(&String::from_utf8_lossy(secret)).chars().collect();
    if secret.is_empty() {
        prop_assert!(out.is_empty());
        return Ok(());
    }
    prop_assert!(
        !out.is_empty(),
        "a non-empty value is shown as at least `…`"
    );
    let revealed = out.len() - 1;
    prop_assert!(
        revealed <= MAX_REVEALED,
        "{revealed} characters of {secret:?} revealed"
    );
    prop_assert!(
        revealed * 2 <= value.len(),
        "{revealed} of {} characters revealed",
        value.len()
    );
    // What is shown is a prefix and a suffix of the value, nothing else.
    let split = (0..=revealed)
        .any(|h| out[h] == '…' && value.starts_with(&out[..h]) && value.ends_with(&out[h + 1..]));
    prop_assert!(split, "{out:?} is not a prefix … suffix of {secret:?}");
    Ok(())
}
