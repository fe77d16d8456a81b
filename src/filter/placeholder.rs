//! Values that are never credentials, whatever their context: placeholders, template
//! expressions, documented example keys, masked values, sequences, and the shapes of names,
//! format strings and file names that generic rules take for values.

/// Whole values that are never a real secret.
const EXACT: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "secret",
    "token",
    "apikey",
    "api_key",
    "changeme",
    "changeit",
    // SQL keywords where a password would be: `IDENTIFIED BY VALUES '...'`, `BY RANDOM
    // PASSWORD`, `IDENTIFIED EXTERNALLY`.
    "values",
    "random",
    "externally",
    "globally",
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
    "yes",
    "no",
    "on",
    "off",
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
    // The signature of jwt.io's sample token (HS256, secret `your-256-bit-secret`).
    "sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c",
    // RFC 7617's basic-auth example, `Aladdin:open sesame`, in base64 and in clear.
    "qwxhzgrpbjpvcgvuihnlc2ftzq",
    "open sesame",
    // The SQL Server container docs' sample SA passwords.
    "yourstrong(!)password",
    "yourstrong@passw0rd",
];

/// Words that, alone or after `my`/`your`/`the`/`some`/`super`/`fake`/`sample`, make a value a
/// placeholder (`mysecret`, `yourpassword`, `supersecret`, `fakepwd`).
const PLACEHOLDER_WORDS: &[&str] = &[
    "password", "passwd", "pass", "secret", "token", "apikey", "key", "pw", "pwd",
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
    // Deployment-time token replacement: `__DbPassword__` (Azure DevOps, Octopus).
    if lower.len() > 4 && lower.starts_with("__") && lower.ends_with("__") {
        return true;
    }
    if DOCUMENTED_KEYS.iter().any(|k| lower.contains(k)) {
        return true;
    }
    // xkcd 936's passphrase, the example of a thousand password tutorials, in any spelling.
    let letters: String = lower.chars().filter(char::is_ascii_alphabetic).collect();
    if letters.contains("correcthorsebattery") {
        return true;
    }
    if EXACT.contains(&lower) || MARKERS.iter().any(|m| lower.contains(m)) || is_template(lower) {
        return true;
    }
    if [
        "my", "your", "the", "some", "super", "top", "fake", "sample", "bogus",
    ]
    .iter()
    .filter_map(|p| lower.strip_prefix(p))
    .any(|rest| PLACEHOLDER_WORDS.contains(&rest.trim_start_matches(['_', '-'])))
    {
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

/// The stock passwords of tutorials and documentation written in leetspeak or with a number or
/// symbol tacked on (`P@ssw0rd`, `Passw0rd!`, `Secret123!`, `L3tm31n`): weak examples, graded
/// `low` in free text (see `context::grade`).
pub fn leet_placeholder(value: &[u8]) -> bool {
    const STOCK: &[&str] = &[
        "password", "passwort", "secret", "changeme", "letmein", "welcome", "qwerty", "example",
    ];
    let core = value
        .iter()
        .rposition(|b| b.is_ascii_alphabetic() || matches!(b, b'@' | b'$'))
        .map_or(&value[..0], |i| &value[..=i]);
    if core.len() < 5 {
        return false;
    }
    let plain: String = core
        .iter()
        .map(|&b| match b.to_ascii_lowercase() {
            b'0' => 'o',
            b'1' | b'!' => 'i',
            b'3' => 'e',
            b'4' | b'@' => 'a',
            b'5' | b'$' => 's',
            b'7' => 't',
            c => c as char,
        })
        .collect();
    STOCK.contains(&plain.as_str()) || plain == "passw"
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
pub(super) fn is_constant_name(value: &[u8]) -> bool {
    value.contains(&b'_')
        && value[0].is_ascii_uppercase()
        && value
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
}

/// `redis-password`, `jwt-secret-key`: the name of a key in a Kubernetes Secret or a config
/// map (`existingSecretPasswordKey: redis-password`), not its value. Lower-case words joined
/// by `-`, as such keys are written, one of which is a credential word (not `pass` or `pwd`:
/// `dummy-pass` is a password people use). Snake case (`test_db_password`) is left to the
/// other checks: people set passwords like that.
pub(super) fn is_key_name(value: &[u8]) -> bool {
    const WORDS: &[&[u8]] = &[
        b"password",
        b"passwd",
        b"passphrase",
        b"secret",
        b"secrets",
        b"token",
        b"key",
        b"apikey",
        b"credential",
        b"credentials",
    ];
    value.contains(&b'-')
        && value
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && value.split(|b| *b == b'-').any(|w| WORDS.contains(&w))
}

/// `askpass.sh`, `secrets.json`: a file name.
pub(super) fn has_file_extension(lower: &str) -> bool {
    const EXT: &[&str] = &[
        ".sh", ".py", ".js", ".ts", ".rb", ".json", ".yml", ".yaml", ".toml", ".txt", ".pem",
        ".key", ".crt", ".cfg", ".conf", ".ini", ".xml", ".html", ".php", ".exe", ".so", ".dll",
    ];
    EXT.iter().any(|e| lower.ends_with(e))
}

/// `%s`, `%d`, `{0}`: a format string, not a value (case-sensitive: `%D` is no directive).
pub(super) fn has_format_directive(value: &str) -> bool {
    ["%s", "%d", "%(", "{0}", "{}"]
        .iter()
        .any(|m| value.contains(m))
}

/// `NAME=value` inside the value: an assignment, not a secret (base64 padding only ends a value).
pub(super) fn has_inner_equals(value: &[u8]) -> bool {
    let trimmed = value.iter().rposition(|&b| b != b'=').map_or(0, |i| i + 1);
    value[..trimmed].contains(&b'=')
}

/// `8-4-4-4-12` hex: an identifier, not a secret, when found by a generic rule.
pub(super) fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
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
            "correct-horse-battery-staple",
            "CorrectHorseBattery",
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
            "mysecret",
            "yourpassword",
            "supersecret",
            "yes",
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        ] {
            assert!(ph(v), "{v} should be a placeholder");
        }
    }

    #[test]
    fn names_of_secret_keys_are_not_values() {
        for v in ["redis-password", "previous-password-secret", "jwt-key"] {
            assert!(is_key_name(v.as_bytes()), "{v}");
        }
        for v in [
            "hunter22",
            "Redis-Password",
            "tr0ub4dor-3",
            "dummy-pass",
            "test_db_password",
            "keystone_2024",
        ] {
            assert!(!is_key_name(v.as_bytes()), "{v}");
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
    fn leet_stock_passwords() {
        for v in [
            "P@ssw0rd",
            "Passw0rd!",
            "Secret123!",
            "p4ssword",
            "Welcome1",
            "L3tm31n!",
        ] {
            assert!(leet_placeholder(v.as_bytes()), "{v}");
        }
        for v in [
            "Tr0ub4dor&3",
            "hunter22",
            "Xk9#mP2q",
            "passport",
            "secretary1",
        ] {
            assert!(!leet_placeholder(v.as_bytes()), "{v}");
        }
    }
}
