//! Small text helpers shared by every layer: terminal-safe strings, counts, sizes, shell quoting.

/// Replaces control characters (terminal escapes included) so that file names and matched text
/// cannot rewrite the user's terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// `1 file`, `2 files`, `2 entries`, `2 regexes`.
pub fn plural(n: u64, what: &str) -> String {
    let consonant_y = what
        .strip_suffix('y')
        .filter(|stem| stem.chars().last().is_some_and(|c| !"aeiou".contains(c)));
    match (n, consonant_y) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        _ if what.ends_with(['s', 'x']) => format!("{n} {what}es"),
        _ => format!("{n} {what}s"),
    }
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else if v.fract() == 0.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// `3 days ago`, `5 hours ago`, `2 years ago`.
pub fn age(secs: i64) -> String {
    let secs = secs.max(0);
    let (n, unit) = match secs {
        s if s < 3600 => ((s / 60).max(1), "minute"),
        s if s < 86_400 => (s / 3600, "hour"),
        s if s < 86_400 * 60 => (s / 86_400, "day"),
        s if s < 86_400 * 730 => (s / (86_400 * 30), "month"),
        s => (s / (86_400 * 365), "year"),
    };
    format!("{} ago", plural(n as u64, unit))
}

/// Single-quotes `s` for a POSIX shell.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_neutralises_escapes() {
        assert_eq!(sanitize("a\x1b[31mb\n"), "a\u{FFFD}[31mb\u{FFFD}");
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(5), "1 minute ago");
        assert_eq!(age(3 * 3600), "3 hours ago");
        assert_eq!(age(3 * 86_400 + 5), "3 days ago");
        assert_eq!(age(90 * 86_400), "3 months ago");
        assert_eq!(age(3 * 365 * 86_400), "3 years ago");
    }
}
