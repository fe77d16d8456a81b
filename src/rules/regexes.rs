//! Rule regexes: the shape of a `named` rule's regex, compilation with explicit limits, and
//! the `secret` capture groups.

use regex::bytes::{Regex, RegexBuilder};

use super::file::Text;

/// Compiled-program limits for every rule regex: a rule that needs more is rejected.
pub(super) const REGEX_SIZE_LIMIT: usize = 1 << 20;

pub(super) const REGEX_DFA_SIZE_LIMIT: usize = 2 << 20;

pub(super) fn with_groups(re: Regex) -> (Regex, Vec<usize>) {
    let groups = re
        .capture_names()
        .enumerate()
        .filter(|(_, n)| {
            n.is_some_and(|n| {
                n.strip_prefix("secret")
                    .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_digit()))
            })
        })
        .map(|(i, _)| i)
        .collect();
    (re, groups)
}

/// The regex of a `named` rule: one of `words`, up to 24 name characters, a credential word,
/// up to 16 more name characters, an optional closing quote or bracket, an assignment (`=`, `:`,
/// `:=`, `=>`, `>` of an XML element), an optional opening quote or `Bearer `/`Token `, then the
/// value, which must end where the token's characters end. A word that itself ends in a
/// credential word (`sanitytoken`, a keyword that hits less often than `sanity`) stands for its
/// start in the regex, so that `sanityToken: ...` matches.
pub fn named_regex(words: &[Text], value: &str) -> String {
    // The alternation below, in this order.
    const CREDENTIAL: [&str; 9] = [
        "key",
        "token",
        "secret",
        "pat",
        "password",
        "passwd",
        "pwd",
        "credential",
        "auth",
    ];
    let words: Vec<String> = words
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let stem = CREDENTIAL
                .iter()
                .find_map(|c| lower.strip_suffix(c))
                .filter(|stem| stem.len() >= 3)
                .unwrap_or(&lower);
            regex::escape(stem)
        })
        .collect();
    format!(
        r#"(?i:(?:{})[a-z0-9_.-]{{0,24}}?(?:{})[a-z0-9_.-]{{0,16}}["'\]]?\s{{0,3}}(?:=|:=|:|=>|>)\s{{0,3}}(?:["'`]|(?:bearer|token)\s+)?)(?P<secret>{value})(?:[^A-Za-z0-9_+/=-]|$)"#,
        words.join("|"),
        CREDENTIAL.join("|")
    )
}

pub(super) fn compile(src: &str) -> Result<Regex, regex::Error> {
    // Credentials are ASCII: without Unicode classes and case folding, `\s`, `\w` and `(?i)`
    // compile to a fraction of the automaton, which matters when a pre-commit hook runs.
    RegexBuilder::new(src)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_regex_takes_the_documented_forms() {
        let re = compile(&named_regex(&["linode".into()], "[a-f0-9]{8}")).unwrap();
        let value = |text: &str| {
            re.captures(text.as_bytes())
                .map(|c| String::from_utf8_lossy(&c["secret"]).into_owned())
        };
        for text in [
            "LINODE_TOKEN=1a2b3c4d",
            "export LINODE_CLI_TOKEN='1a2b3c4d'",
            r#""linodeApiKey": "1a2b3c4d","#,
            "linode.cli_secret: 1a2b3c4d",
            r#"-H "X-Linode-Token: Bearer 1a2b3c4d""#,
            "<LinodeToken>1a2b3c4d</LinodeToken>",
            "$linode_api_key => '1a2b3c4d';",
        ] {
            assert_eq!(value(text).as_deref(), Some("1a2b3c4d"), "{text}");
        }
        // A word ending in a credential word stands for its start.
        let re2 = compile(&named_regex(&["sanitytoken".into()], "[a-f0-9]{8}")).unwrap();
        assert!(re2.is_match(b"sanityToken: '1a2b3c4d'"));
        assert!(re2.is_match(b"SANITY_API_TOKEN=1a2b3c4d"));
        for text in [
            "LINODE_TOKEN=1a2b3c4d5",
            "LINODE_REGION=1a2b3c4d",
            "API_TOKEN=1a2b3c4d",
            "linode token 1a2b3c4d",
        ] {
            assert_eq!(value(text), None, "{text}");
        }
    }
}
