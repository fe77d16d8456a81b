//! Judging a generic rule's match by its context, and grading it.
//!
//! A generic rule knows a credential by what surrounds it (see `rules::Context`): a secret-like
//! name (`assignment`), a syntax such as SQL `IDENTIFIED BY` or `curl -u` (`syntax`), or free
//! text (`loose`). Whatever the context, a value that is code (`$VAR`, `process.env.X`,
//! `var.db_password`), a format string or a file name is not reported (local development
//! defaults are `defaults`' business).
//! Assignments are judged on their name and quoting too. `grade` then sets the confidence:
//! high for a random value, low for a weak one in free text, medium otherwise.

use super::names::{
    NON_SECRET_ENV_VARS, NON_SECRET_NAME_PREFIXES, NON_SECRET_NAME_SUFFIXES, REFERENCES,
};
use super::paths::{is_code_path, is_docs_path};
use super::placeholder::{
    has_file_extension, has_format_directive, has_inner_equals, is_constant_name, is_key_name,
    is_uuid, leet_placeholder,
};
use super::{lines_of, Reason};
use crate::entropy;
use crate::matcher::Candidate;
use crate::rules::{Confidence, Context, Rule};

/// Decides a generic rule's match; `None` keeps it. `lower` is `value` lower-cased.
pub fn check(
    rule: &Rule,
    value: &[u8],
    lower: &str,
    text: &[u8],
    cand: &Candidate,
    path: Option<&str>,
) -> Option<Reason> {
    if REFERENCES.iter().any(|r| lower.starts_with(r))
        || looks_like_code(value)
        || looks_like_path(lower)
        || is_percent_variable(value)
        || is_brace_field(value)
    {
        return Some(Reason::Reference);
    }
    if has_format_directive(&String::from_utf8_lossy(value))
        || is_constant_name(value)
        || is_key_name(value)
        || has_file_extension(lower)
    {
        return Some(Reason::Placeholder);
    }
    let before = cand.secret.start.checked_sub(1).map(|i| text[i]);
    let after = text.get(cand.secret.end).copied();
    let quoted = matches!(before, Some(b'"' | b'\'' | b'`'));
    // A quoted value must end at its closing quote (escaped inside a string literal:
    // `\"pw\"`, or after a line-end escape: expect's `send "pw\r"`, `printf 'pw\n'`):
    // otherwise it is prose with spaces.
    let at = |i: usize| text.get(cand.secret.end + i).copied();
    let escaped_close = after == Some(b'\\')
        && (at(1) == before || (matches!(at(1), Some(b'r' | b'n')) && at(2) == before));
    if quoted && after != before && !escaped_close {
        return Some(Reason::Placeholder);
    }
    // psql's `:'name'` / `:"name"` variable interpolation.
    if quoted && cand.secret.start >= 3 && text[cand.secret.start - 2] == b':' {
        let c = text[cand.secret.start - 3];
        if c.is_ascii_whitespace() || matches!(c, b'(' | b',' | b'=') {
            return Some(Reason::Reference);
        }
    }
    if inside_arn(text, cand) {
        return Some(Reason::Reference);
    }
    // Unquoted and followed by a call or an index: code.
    if !quoted && matches!(after, Some(b'(' | b'[')) {
        return Some(Reason::Reference);
    }
    // A weak unquoted value followed by more words is a sentence: `pass: see the manual`; even
    // after a syntax when the value is a plain word (`--pass now works for a key file`).
    let weak = if rule.context == Context::Syntax {
        value.iter().all(u8::is_ascii_alphabetic)
    } else {
        entropy::weak_password(value)
    };
    if !quoted && weak && followed_by_words(text, cand.secret.end) {
        return Some(Reason::Placeholder);
    }
    if rule.context == Context::Assignment {
        return check_assignment(rule, value, text, cand, path, quoted);
    }
    // Free text in source code is in its comments and strings; elsewhere it is code
    // (`struct passwd *pw`, `pw = &fallback;`).
    if rule.context == Context::Loose
        && path.is_some_and(is_code_path)
        && !in_comment(text, cand)
        && !inside_string(text, cand)
    {
        return Some(Reason::Reference);
    }
    None
}

/// The name-and-value judgements of `assignment` rules.
fn check_assignment(
    rule: &Rule,
    value: &[u8],
    text: &[u8],
    cand: &Candidate,
    path: Option<&str>,
    quoted: bool,
) -> Option<Reason> {
    let head = &text[cand.span.start..cand.secret.start];
    let name = assigned_name(head);
    // UUIDs under token names are mostly ids; npm's legacy auth tokens are UUIDs.
    if (rule.random && is_uuid(value) && name != "_authtoken") || has_inner_equals(value) {
        return Some(Reason::Placeholder);
    }
    if quoted_shell_variable(&text[cand.span.start.saturating_sub(1)..cand.secret.start]) {
        return Some(Reason::Reference);
    }
    if !quoted {
        // `$pass = value` unquoted: a shell comparison (`test $pass = conv`) or Perl/PHP code.
        // (`.http` files declare variables as `@name = value`.)
        let http_file = path.is_some_and(|p| p.ends_with(".http") || p.ends_with(".rest"));
        if sigil_before_name(head) && !http_file {
            return Some(Reason::Reference);
        }
        // Unquoted in source code: a variable or an expression, unless inside a string literal
        // (`"host=db password=..."`) or a comment (prose: `/* old default: pwd = ... */`).
        let prose = inside_string(text, cand) || in_comment(text, cand);
        if path.is_some_and(is_code_path) && !prose {
            return Some(Reason::Reference);
        }
    }
    if string_literals_not_assignment(text, cand) {
        return Some(Reason::Reference);
    }
    // The line up to the value: `public key: ...`, `publishable_key = ...`.
    let line_start = lines_of(text, &cand.span).start;
    let raw = &text[line_start..cand.secret.start];
    let before = raw.to_ascii_lowercase();
    if name_is_not_secret(&name) || env_var_not_secret(raw) || mentions_public(&before) {
        return Some(Reason::Placeholder);
    }
    None
}

/// The confidence of a finding: a provider rule's own (checksums included); for a generic rule,
/// `high` when the value is random, `low` when it is weak (`hunter2`, `swordfish`, a leet
/// `P@ssw0rd`) and found in free text (a `loose` rule, a documentation file, a comment), else
/// the rule's own (`medium`): in a config file `password123` may well be the real password.
/// A documented public identifier (the rule's `public_near` words around it) is `low`.
pub fn grade(rule: &Rule, cand: &Candidate, text: &[u8], path: Option<&str>) -> Confidence {
    if public_near(rule, text, cand) {
        return Confidence::Low;
    }
    if !rule.generic || rule.checksum.is_some() || cand.secret.is_empty() {
        return cand.confidence;
    }
    let value = &text[cand.secret.clone()];
    if rule.random || entropy::looks_random(value) {
        return Confidence::High;
    }
    let loose =
        rule.context == Context::Loose || path.is_some_and(is_docs_path) || in_comment(text, cand);
    if loose && (entropy::weak_password(value) || leet_placeholder(value)) {
        return Confidence::Low;
    }
    cand.confidence
}

/// How far around a match `public_near` words are looked for: a config object's few lines.
const PUBLIC_NEAR: usize = 400;

/// Whether one of the rule's `public_near` words occurs near the match (a Firebase web config).
fn public_near(rule: &Rule, text: &[u8], cand: &Candidate) -> bool {
    if rule.public_near.is_empty() {
        return false;
    }
    let lo = cand.secret.start.saturating_sub(PUBLIC_NEAR);
    let hi = (cand.secret.end + PUBLIC_NEAR).min(text.len());
    let around = text[lo..hi].to_ascii_lowercase();
    rule.public_near
        .iter()
        .any(|w| memchr::memmem::find(&around, w.as_bytes()).is_some())
}

/// Whether the match is part of an Amazon Resource Name
/// (`arn:aws:secretsmanager:...:secret:db-Ab12Cd`): the token holding it starts with `arn:`.
fn inside_arn(text: &[u8], cand: &Candidate) -> bool {
    let lo = cand.secret.start.saturating_sub(256);
    let head = &text[lo..cand.secret.start];
    let start = head
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b'='))
        .map_or(0, |i| i + 1);
    head[start..].starts_with(b"arn:")
}

/// `%VAR%`: a Windows environment variable.
fn is_percent_variable(value: &[u8]) -> bool {
    value.len() >= 3
        && value[0] == b'%'
        && value[value.len() - 1] == b'%'
        && value[1..value.len() - 1]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// `{password}`, `{db.pass}`: a format or template field; `[database-postgres-url]`: a label.
fn is_brace_field(value: &[u8]) -> bool {
    value.len() >= 3
        && matches!(
            (value[0], value[value.len() - 1]),
            (b'{', b'}') | (b'[', b']')
        )
        && value[1..value.len() - 1]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b' ' | b'-'))
}

/// Whether the match sits in a comment: the line starts with a comment marker, or one precedes
/// the match on its line.
fn in_comment(text: &[u8], cand: &Candidate) -> bool {
    let line = lines_of(text, &cand.span);
    let head = &text[line.start..cand.span.start.max(line.start)];
    let t = head.trim_ascii_start();
    const STARTS: &[&[u8]] = &[
        b"#", b"//", b"/*", b"* ", b"-- ", b";", b"<!--", b"rem ", b"REM ", b"::", b"dnl ",
    ];
    STARTS.iter().any(|m| t.starts_with(m))
        || [&b" #"[..], b" //", b"/*", b"<!--"]
            .iter()
            .any(|m| memchr::memmem::find(head, m).is_some())
}

/// Whether more words follow the value on its line (`pass: see the manual`), unless they are a
/// comment.
fn followed_by_words(text: &[u8], end: usize) -> bool {
    let rest = &text[end..text.len().min(end + 64)];
    let spaces = rest
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    spaces > 0
        && rest[spaces..]
            .iter()
            .take_while(|b| b.is_ascii_alphabetic())
            .count()
            >= 2
}

/// Whether an unquoted value sits inside a string literal of its line: an odd number of one
/// kind of quote before it (`conn = "host=db password=..."`).
fn inside_string(text: &[u8], cand: &Candidate) -> bool {
    let line = lines_of(text, &cand.span);
    let head = &text[line.start..cand.secret.start];
    [b'"', b'\'', b'`'].iter().any(|&q| {
        let mut n = 0;
        let mut escaped = false;
        for &b in head {
            if b == q && !escaped {
                n += 1;
            }
            escaped = b == b'\\' && !escaped;
        }
        n % 2 == 1
    })
}

/// Whether the assigned name carries a `$` or `@` sigil (`$pass`, `@pass`): a variable being
/// compared or computed, not a configuration key.
fn sigil_before_name(head: &[u8]) -> bool {
    let is_ident = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    let end = head.iter().rposition(is_ident).map_or(0, |i| i + 1);
    let start = head[..end].iter().rposition(|b| !is_ident(b));
    start.is_some_and(|i| matches!(head[i], b'$' | b'@'))
}

/// `"$pass" = "conv"`: a quoted shell variable on the left of `=` is a `test` comparison (an
/// assignment never quotes its name).
fn quoted_shell_variable(head: &[u8]) -> bool {
    let Some(i) = memchr::memchr(b'$', head) else {
        return false;
    };
    let quote = match i.checked_sub(1).map(|j| head[j]) {
        Some(q @ (b'"' | b'\'')) => q,
        _ => return false,
    };
    let name = head[i + 1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    name > 0
        && head.get(i + 1 + name) == Some(&quote)
        && head[i + 2 + name..].trim_ascii_start().starts_with(b"=")
}

/// File system paths and URLs are locations, not secrets.
fn looks_like_path(lower: &str) -> bool {
    // curl's `-F password=@/etc/passwd` and `-d @body.json` read a file.
    let lower = lower.strip_prefix('@').unwrap_or(lower);
    lower.starts_with('/')
        || lower.starts_with('\\')
        || lower.starts_with("~/")
        || lower.starts_with("./")
        || lower.starts_with("../")
        || lower.contains("://")
        || (lower.contains('@')
            && lower.contains('.')
            && !lower.contains(':')
            && lower.len() < 64
            && lower.split('@').nth(1).is_some_and(|d| {
                d.contains('.')
                    && d.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            }))
}

/// A generic value that is code rather than a literal: a call, an index or a member access on an
/// identifier (`get_secret()`, `cfg["token"]`).
fn looks_like_code(value: &[u8]) -> bool {
    let s = value;
    let ident = s
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'.')
        .count();
    ident > 0 && ident < s.len() && matches!(s[ident], b'(' | b'[')
}

/// Two string literals side by side that are not a name and its value: a list of strings
/// (`{"password", "api-key", "token"}`), sibling names (`'git-gui--askpass',
/// 'git-gui--askyesno'`), a phrase rather than a key (`'struct passwd', 'pw_gecos'`), or the
/// branches of a conditional (`ssl ? "encrypted" : "cleartext"`).
fn string_literals_not_assignment(text: &[u8], cand: &Candidate) -> bool {
    let Some(&q) = cand.secret.start.checked_sub(1).and_then(|i| text.get(i)) else {
        return false;
    };
    if !matches!(q, b'"' | b'\'') {
        return false;
    }
    let line = super::lines_of(text, &cand.span);
    let skip_ws = |s: &[u8]| -> usize { s.iter().take_while(|b| b.is_ascii_whitespace()).count() };
    // Up to the value's opening quote: `...name<quote><ws><sep><ws>`.
    let head = &text[line.start..cand.secret.start - 1];
    let head = head.trim_ascii_end();
    let Some((&sep, head)) = head.split_last() else {
        return false;
    };
    if !matches!(sep, b',' | b':') {
        return false;
    }
    let head = head.trim_ascii_end();
    let Some((&nq, head)) = head.split_last() else {
        return false;
    };
    if !matches!(nq, b'"' | b'\'') {
        return false;
    }
    let Some(open) = memchr::memrchr(nq, head) else {
        return false;
    };
    let name = &head[open + 1..];
    let before = head[..open].trim_ascii_end();
    if sep == b':' {
        return before.ends_with(b"?");
    }
    // The list may go on on the next line.
    let rest = text
        .get(cand.secret.end + 1..text.len().min(line.end + 256))
        .unwrap_or_default();
    let rest = &rest[skip_ws(rest)..];
    let list = rest.first() == Some(&b',') && {
        let next = &rest[1..];
        matches!(next.get(skip_ws(next)), Some(b'"' | b'\''))
    };
    // Sibling names share a stem: `'git-gui--askpass', 'git-gui--askyesno'`.
    let value = &text[cand.secret.clone()];
    let shared = name.iter().zip(value).take_while(|(a, b)| a == b).count();
    list || shared >= 4 || name.iter().any(u8::is_ascii_whitespace)
}

/// The identifier being assigned, lower-cased, from the text between the match start and the
/// value (`export AWS_SECRET="` → `aws_secret`, `<Pass encoding="x">` → `pass`).
pub(super) fn assigned_name(context: &[u8]) -> String {
    let ctx = String::from_utf8_lossy(context).to_ascii_lowercase();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let name = match ctx.trim_start().strip_prefix('<') {
        // An XML element: its tag name.
        Some(rest) => rest.split(|c: char| !is_ident(c)).next().unwrap_or(""),
        None => {
            let head = ctx.trim_end_matches(|c: char| !is_ident(c));
            let start = head
                .char_indices()
                .rfind(|&(_, c)| !is_ident(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            &head[start..]
        }
    };
    name.replace(['-', '.'], "_")
}

/// Whether the (lower-cased) line before a value says the value is public: `public` inside a
/// name (`NEXT_PUBLIC_API_KEY`, `public-key`) or before the thing it describes (`public key:
/// ...`, `the public token is ...`). Not the access modifier of a declaration: `public static
/// final String DB_PASSWORD = "..."` holds a password.
fn mentions_public(before: &[u8]) -> bool {
    const DESCRIBED: &[&[u8]] = &[
        b"key",
        b"keys",
        b"token",
        b"tokens",
        b"cert",
        b"certificate",
        b"value",
        b"id",
        b"url",
    ];
    memchr::memmem::find_iter(before, b"public").any(|at| {
        let rest = &before[at + b"public".len()..];
        match rest.first() {
            Some(c) if c.is_ascii_whitespace() => {
                let rest = &rest[rest.iter().take_while(|c| c.is_ascii_whitespace()).count()..];
                let word = &rest[..rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                    .count()];
                DESCRIBED.contains(&word)
            }
            Some(_) => true,
            None => false,
        }
    })
}

/// Whether the name just before the value, as written, is one of `NON_SECRET_ENV_VARS`.
fn env_var_not_secret(before_value: &[u8]) -> bool {
    let name = String::from_utf8_lossy(before_value);
    let head = name.trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    NON_SECRET_ENV_VARS.contains(&&head[start..])
}

fn name_is_not_secret(name: &str) -> bool {
    NON_SECRET_NAME_SUFFIXES.iter().any(|s| {
        name.ends_with(s)
            && (name.len() == s.len() || {
                let cut = name.len() - s.len();
                // whole word at the end: `key_id`, `tokenhash`, `passwordHash`
                name.as_bytes()[cut - 1] == b'_' || s.len() >= 4
            })
    }) || NON_SECRET_NAME_PREFIXES.iter().any(|p| name.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_multibyte_text() {
        assert_eq!(
            assigned_name("é\u{a0}db_password = \"".as_bytes()),
            "db_password"
        );
        assert_eq!(assigned_name("ü".as_bytes()), "");
    }

    #[test]
    fn names() {
        assert_eq!(assigned_name(b"export AWS_SECRET=\""), "aws_secret");
        assert_eq!(assigned_name(b"\"client-secret\": \""), "client_secret");
        assert!(name_is_not_secret("secret_key_id"));
        assert!(name_is_not_secret("password_hash"));
        assert!(name_is_not_secret("passwordhash"));
        assert!(name_is_not_secret("public_token"));
        assert!(name_is_not_secret("token_url"));
        assert!(!name_is_not_secret("secret_key"));
        assert!(!name_is_not_secret("db_password"));
        assert!(mentions_public(b"next_public_api_key="));
        assert!(mentions_public(b"the public key: "));
        assert!(mentions_public(b"ssh_public-key = \""));
        assert!(!mentions_public(
            b"public static final string db_password = \""
        ));
        assert!(!mentions_public(
            b"public string password { get; set; } = \""
        ));
        assert!(env_var_not_secret(b"os.environ['PWD']="));
        assert!(env_var_not_secret(b"export OLDPWD="));
        assert!(!env_var_not_secret(b"jump host admin pwd="));
        assert!(!env_var_not_secret(b"DB_PWD="));
        assert!(!name_is_not_secret("api_key"));
        assert!(!name_is_not_secret("apikey"));
    }

    #[test]
    fn code_values() {
        assert!(looks_like_code(b"get_secret()"));
        assert!(looks_like_code(b"cfg[\"token\"]"));
        assert!(!looks_like_code(b"hunter22"));
    }
}
