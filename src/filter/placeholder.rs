//! Built-in suppression of values that are not credentials: placeholders, template expressions,
//! documented example keys, masked values, and (for generic rules) code references and names
//! that hold ids, hashes or paths rather than secrets.

use std::ops::Not;

use super::Reason;
use crate::matcher::Candidate;
use crate::rules::{Confidence, Rule};

/// Whole values that are never a real secret.
const EXACT: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "changeme",
    "changeit",
    "dummy",
    "test",
    "testing",
    "test123",
    "test1234",
    "test12345",
    "testtest",
    "demo",
    "demo123",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "undefined",
    "empty",
    "string",
    "required",
    "optional",
    "default",
    "value",
    "foo",
    "bar",
    "baz",
    "foobar",
    "example",
    "sample",
    "placeholder",
    "redacted",
    "hidden",
    "masked",
    "secret123",
    "password1",
    "mypassword",
    "yourpassword",
    "your_password",
    "notasecret",
    "not-a-secret",
    "str",
    "text",
    "int",
    "bool",
    "any",
    "object",
    "char",
    "bytes",
    "secretstr",
    "boolean",
    "number",
    "varchar",
    "integer",
    "self",
    "this",
    "params",
    "args",
    "kwargs",
    "config",
];

/// Keys published in providers' own documentation (lower-cased): reported by every naive
/// scanner, never live.
const DOCUMENTED_KEYS: &[&str] = &[
    // Stripe's API reference examples (sk_test_/pk_test_ prefixes).
    "4ec39hqlyjwdarjtt1zdp7dc",
    "tyooqo0ph9nhnwynmnkyxd2jx",
    // Twilio docs' placeholder account SID body.
    "ac00000000000000000000000000000000",
];

/// Substrings (lower-cased comparison) that mark a template, a placeholder or a masked value.
const MARKERS: &[&str] = &[
    "<your",
    "your_",
    "your-",
    "yourkey",
    "your key",
    "changeme",
    "change_me",
    "change-me",
    "replace_me",
    "replace-me",
    "replaceme",
    "placeholder",
    "redacted",
    "insert_",
    "insert-",
    "****",
    "....",
    "…",
    "example",
    "dummy_",
    "notreal",
    "not_real",
    "not-real",
    "fake_",
    "fakekey",
    "fake-key",
    "todo",
    "unique phrase",
];

/// Prefixes of values that are code, not literals: variable and environment lookups.
const REFERENCES: &[&str] = &[
    "$",
    "\\$",
    "%",
    "process.env",
    "os.environ",
    "os.getenv",
    "getenv(",
    "env(",
    "env[",
    "env.",
    "system.getenv",
    "environment.",
    "config.",
    "settings.",
    "self.",
    "this.",
    "secrets.",
    "vault:",
    "ref+",
    "!ref",
    "!sub",
    "!getatt",
    "arn:",
    "params.",
    "args.",
    "options.",
    "request.",
    "req.",
    "props.",
    "input.",
];

/// Name endings of generic assignments whose values are not secrets.
const NON_SECRET_NAME_SUFFIXES: &[&str] = &[
    "id",
    "_ids",
    "hash",
    "hashed",
    "digest",
    "checksum",
    "sha",
    "sha1",
    "sha256",
    "md5",
    "fingerprint",
    "integrity",
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "host",
    "field",
    "label",
    "type",
    "name",
    "names",
    "policy",
    "regex",
    "pattern",
    "prompt",
    "expiry",
    "expires",
    "expiration",
    "ttl",
    "timeout",
    "length",
    "len",
    "size",
    "count",
    "min",
    "max",
    "enabled",
    "required",
    "reset",
    "confirm",
    "confirmation",
    "hint",
    "header",
    "format",
    "version",
    "mode",
    "method",
    "strength",
    "rules",
    "class",
    "key_id",
    "keyid",
    "index",
    "prefix",
    "suffix",
    "placeholder",
    "example",
    "description",
    "title",
    "message",
    "msg",
    "error",
    "errors",
    "char",
    "chars",
    "algorithm",
    "algo",
    "cost",
    "rounds",
    "iterations",
    "pub",
    "public",
    "public_key",
    "publickey",
    "env",
    "var",
    "variable",
    "ref",
    "arn",
];

/// Name starts of generic assignments whose values are not secrets.
const NON_SECRET_NAME_PREFIXES: &[&str] = &[
    "public",
    "pub_",
    "publishable",
    "primary_key",
    "foreign",
    "sort_",
    "cache_",
    "partition",
    "idempotency",
    "csrf",
    "xsrf",
    "hashed",
    "is_",
    "has_",
    "use_",
    "show_",
    "enable",
    "disable",
    "no_",
    "allow",
    "min_",
    "max_",
    "num_",
    "last_",
    "next_",
    "reset_",
    "forgot",
    "new_",
    "old_",
    "confirm",
    "validate",
    "check",
    "verify",
    "get",
    "set",
    "fetch",
    "load",
    "read",
    "write",
    "update",
    "create",
    "delete",
    "generate",
];

/// Source-code extensions: there an unquoted value after `name =` is a variable, not a literal.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "go", "rb", "php", "cs", "c", "cc",
    "cpp", "h", "hpp", "rs", "kt", "kts", "swift", "scala", "m", "mm", "dart", "lua", "pl",
    "groovy", "vue", "svelte", "ex", "exs", "erl", "clj", "fs", "vb", "r", "jl", "zig", "nim",
];

pub fn check(
    rule: &Rule,
    value: &[u8],
    text: &[u8],
    cand: &Candidate,
    path: Option<&str>,
) -> Option<Reason> {
    let lower = String::from_utf8_lossy(value).to_ascii_lowercase();
    if is_placeholder(&lower, value) {
        return Some(Reason::Placeholder);
    }
    if let (true, Some(p)) = (rule.generic, path) {
        // Generic matches in tests are fixtures; weak (non-random) ones in docs are examples.
        // Provider formats are reported everywhere.
        if is_test_path(p) || (rule.random.not() && is_docs_path(p)) {
            return Some(Reason::TestOrDocs);
        }
        if is_generated_path(p) {
            return Some(Reason::Generated);
        }
    }
    // Context heuristics for the low-confidence assignment detectors only; format-specific
    // generic rules (credential URLs, .netrc, .npmrc) carry medium confidence.
    if rule.generic && rule.confidence == Confidence::Low {
        if REFERENCES.iter().any(|r| lower.starts_with(r))
            || looks_like_code(value)
            || looks_like_path(&lower)
        {
            return Some(Reason::Reference);
        }
        if is_uuid(value)
            || has_format_directive(&lower)
            || has_inner_equals(value)
            || is_constant_name(value)
            || has_file_extension(&lower)
        {
            return Some(Reason::Placeholder);
        }

        let before = cand.secret.start.checked_sub(1).map(|i| text[i]);
        let after = text.get(cand.secret.end).copied();
        match before {
            // A quoted value must end at its closing quote: otherwise it is prose with spaces.
            Some(q @ (b'"' | b'\'' | b'`')) => {
                if after != Some(q) {
                    return Some(Reason::Placeholder);
                }
            }
            // Unquoted and followed by a call or an index: code.
            _ if matches!(after, Some(b'(' | b'[')) => return Some(Reason::Reference),
            // Unquoted in source code: a variable or an expression.
            _ => {
                let ext = path
                    .and_then(|p| p.rsplit_once('.'))
                    .map(|(_, e)| e.to_ascii_lowercase());
                if ext.is_some_and(|e| CODE_EXTENSIONS.contains(&e.as_str())) {
                    return Some(Reason::Reference);
                }
            }
        }
        if string_literals_not_assignment(text, cand) {
            return Some(Reason::Reference);
        }
        let name = assigned_name(&text[cand.span.start..cand.secret.start]);
        // The line up to the value: `public key: ...`, `publishable_key = ...`.
        let line_start = super::lines_of(text, &cand.span).start;
        let before = text[line_start..cand.secret.start].to_ascii_lowercase();
        if name_is_not_secret(&name) || memchr::memmem::find(&before, b"public").is_some() {
            return Some(Reason::Placeholder);
        }
    }
    None
}

/// Placeholder test shared by every rule; `lower` is `value` lower-cased.
pub fn is_placeholder(lower: &str, value: &[u8]) -> bool {
    if value.windows(7).any(|w| w == b"EXAMPLE") {
        return true;
    }
    // Elisions and masks made of one filler: `...`, `***`, `---`, `xxx`.
    if value.len() >= 3
        && value
            .iter()
            .all(|b| matches!(b, b'.' | b'*' | b'-' | b'_' | b'#'))
    {
        return true;
    }
    // `XXXX` masks, in one case: a random key holds `XxXX` about once in 20,000.
    if value.windows(4).any(|w| w == b"xxxx" || w == b"XXXX") {
        return true;
    }
    if DOCUMENTED_KEYS.iter().any(|k| lower.contains(k)) {
        return true;
    }
    if EXACT.contains(&lower) || MARKERS.iter().any(|m| lower.contains(m)) || is_template(lower) {
        return true;
    }
    if lower.starts_with('<') && lower.ends_with('>') {
        return true;
    }
    // A value that is mostly one character, or a plain run like 0123456789 / abcdefgh.
    let mut distinct = [false; 256];
    for &b in value {
        distinct[b as usize] = true;
    }
    let n_distinct = distinct.iter().filter(|&&d| d).count();
    if value.len() >= 6 && n_distinct <= 2 {
        return true;
    }
    if value.len() >= 8 && n_distinct * 4 < value.len().min(32) {
        return true;
    }
    lower.contains("0123456789") || lower.contains("123456789") || lower.contains("abcdefghij")
}

/// Template and interpolation expressions: `${X}`, `{{ x }}`, `#{x}`, `$(cmd)`, `<%= x %>`.
/// The closing delimiter must follow, so random keys that happen to contain `#{` stay.
fn is_template(lower: &str) -> bool {
    const PAIRS: &[(&str, &str)] = &[
        ("${", "}"),
        ("{{", "}}"),
        ("#{", "}"),
        ("$(", ")"),
        ("<%", "%>"),
    ];
    PAIRS.iter().any(|(open, close)| {
        lower
            .find(open)
            .is_some_and(|i| lower[i + open.len()..].contains(close))
    })
}

/// `SSH_AUTH_PASS`: the name of a constant or variable, not its value.
fn is_constant_name(value: &[u8]) -> bool {
    value.contains(&b'_')
        && value[0].is_ascii_uppercase()
        && value
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// `askpass.sh`, `secrets.json`: a file name.
fn has_file_extension(lower: &str) -> bool {
    const EXT: &[&str] = &[
        ".sh", ".py", ".js", ".ts", ".rb", ".json", ".yml", ".yaml", ".toml", ".txt", ".pem",
        ".key", ".crt", ".cfg", ".conf", ".ini", ".xml", ".html", ".php", ".exe", ".so", ".dll",
    ];
    EXT.iter().any(|e| lower.ends_with(e))
}

/// `%s`, `%d`, `{0}`: a format string, not a value.
fn has_format_directive(lower: &str) -> bool {
    ["%s", "%d", "%(", "{0}", "{}"]
        .iter()
        .any(|m| lower.contains(m))
}

/// `NAME=value` inside the value: an assignment, not a secret (base64 padding only ends a value).
fn has_inner_equals(value: &[u8]) -> bool {
    let trimmed = value.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    value[..trimmed].contains(&b'=')
}

/// Lockfiles, source maps, minified bundles and vendored directories: generated or
/// third-party content, full of hashes and random-looking ids that are not secrets.
pub fn is_generated_path(path: &str) -> bool {
    const LOCKFILES: &[&str] = &[
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "Cargo.lock",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "go.sum",
        "composer.lock",
        "Gemfile.lock",
        "packages.lock.json",
        "flake.lock",
        "mix.lock",
        "pubspec.lock",
        "Podfile.lock",
    ];
    const VENDORED: &[&str] = &["vendor", "node_modules", "third_party", "bower_components"];
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    LOCKFILES.contains(&name)
        || name.ends_with(".map")
        || name.ends_with(".min.js")
        || name.ends_with(".min.css")
        || parts.any(|dir| VENDORED.contains(&dir))
}

/// Directory and file names of test suites and fixtures.
pub fn is_test_path(path: &str) -> bool {
    const DIRS: &[&str] = &[
        "t",
        "test",
        "tests",
        "testing",
        "spec",
        "specs",
        "__tests__",
        "__mocks__",
        "mocks",
        "testdata",
        "test-data",
        "test_data",
        "fixtures",
        "__fixtures__",
        "testfixtures",
        "example",
        "examples",
        "sample",
        "samples",
        "e2e",
        "cypress",
    ];
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split('/').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            let stem = part.split('.').next().unwrap_or(part);
            // `FooTest.java`, `FooTests.cs`: the capital T tells it from `latest`.
            let original = &path[path.len() - part.len()..];
            let camel = original.split('.').next().unwrap_or(original);
            return stem.starts_with("test_")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || stem.ends_with("_spec")
                || camel.ends_with("Test")
                || camel.ends_with("Tests")
                || part.contains(".test.")
                || part.contains(".spec.")
                || stem == "test"
                || stem == "conftest";
        }
        if DIRS.contains(&part) {
            return true;
        }
    }
    false
}

/// Prose documentation, where a `password: ...` is an example.
fn is_docs_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".md",
        ".markdown",
        ".adoc",
        ".asciidoc",
        ".rst",
        ".txt",
        ".html",
        ".htm",
        ".1",
        ".3",
        ".po",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || lower
            .split('/')
            .any(|p| p == "docs" || p == "doc" || p == "documentation")
}

/// `8-4-4-4-12` hex: an identifier, not a secret, when found by a generic rule.
fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// File system paths and URLs are locations, not secrets.
fn looks_like_path(lower: &str) -> bool {
    lower.starts_with('/')
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

/// The identifier being assigned, lower-cased, from the text between the match start and the
/// value (`export AWS_SECRET="` → `aws_secret`, `<Pass encoding="x">` → `pass`).
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

fn assigned_name(context: &[u8]) -> String {
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

    fn ph(v: &str) -> bool {
        is_placeholder(&v.to_ascii_lowercase(), v.as_bytes())
    }

    #[test]
    fn placeholders_are_suppressed() {
        for v in [
            "changeme",
            "<your-key>",
            "${API_KEY}",
            "{{ token }}",
            "xxxxxxxxxxxx",
            "...",
            "---",
            "********",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "your_api_key_here",
            "0123456789a",
            "aaaaaaaaaaaaaaaa",
            "password",
            "null",
            "sk_live_xxxxxxxxxxxxxxxx",
            "ababababababababab",
            "<%= ENV['KEY'] %>",
            "REPLACE_ME",
            "test123",
            "Test1234",
            "demo",
        ] {
            assert!(ph(v), "{v} should be a placeholder");
        }
    }

    #[test]
    fn real_looking_values_are_kept() {
        for v in [
            "hunter22",
            "admin123",
            "-_-_-_-x",
            "RedisPass1!",
            "nAH2VzKrMrRjySLlt8HCdFU3tM2TUuUZgh39NX",
            "7a2f9a4289e530bef6dbf31f4cbf63d5",
            "swordfish",
            "Mailpass1234!",
            concat!("sk_live_", "9fQ2LkW7xV3nB8mR4tY6pZ1a"),
            // Mixed-case x runs occur in random keys.
            concat!("sk_live_", "WdXxXXot8XKCBvy4p4iBZKQz04Mdboiw"),
        ] {
            assert!(!ph(v), "{v} should not be a placeholder");
        }
    }

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
        assert!(!name_is_not_secret("api_key"));
        assert!(!name_is_not_secret("apikey"));
    }

    #[test]
    fn test_and_docs_paths() {
        for p in [
            "t/t0300.sh",
            "tests/data/x",
            "src/__tests__/a.js",
            "pkg/foo_test.go",
            "test_app.py",
            "a/b.spec.ts",
            "spec/models/user_spec.rb",
            "FooTest.java",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/main.rs",
            "contest/entry.py",
            "latest/config.yml",
            ".env",
            "testament.txt",
            "latest.txt",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
        assert!(is_docs_path("docs/setup.md") && is_docs_path("README.rst"));
        assert!(!is_docs_path("src/settings.py"));
    }

    #[test]
    fn code_values() {
        assert!(looks_like_code(b"get_secret()"));
        assert!(looks_like_code(b"cfg[\"token\"]"));
        assert!(!looks_like_code(b"hunter22"));
    }
}
