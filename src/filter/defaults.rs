//! Local development defaults and demo credentials: values that are in every tutorial and
//! docker-compose file and guard nothing (`postgres:postgres@localhost`, `root` / `root`,
//! Oracle's `scott/tiger`). They apply to every rule, provider URL rules included.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::context::assigned_name;
use super::lines_of;
use crate::matcher::Candidate;

/// Passwords that local development set-ups use by default (docker images, tutorials): not
/// reported when the host is local (`redis://:redis@localhost`).
const LOCAL_DEFAULTS: &[&str] = &[
    "postgres",
    "root",
    "admin",
    "guest",
    "mysql",
    "mariadb",
    "redis",
    "rabbitmq",
    "pass",
    "dev",
    "docker",
    "toor",
    "minioadmin",
    "neo4j",
    "oracle",
    "user",
    "local",
    "app",
    "sa",
    "mongo",
    "mongodb",
];

/// Hosts that only exist on the developer's machine or inside a compose network.
const LOCAL_HOSTS: &[&[u8]] = &[
    b"localhost",
    b"127.0.0.1",
    b"0.0.0.0",
    b"[::1]",
    b"host.docker.internal",
];

/// Documented demo pairs (user, password), lower-case: Oracle's sample schema.
const DEMO_PAIRS: &[(&str, &str)] = &[("scott", "tiger")];

/// Local development defaults and demo pairs: the user equals the password (`admin:admin`,
/// `root:root@127.0.0.1`, `user=guest&pass=guest`, or `username: postgres` on a line just above
/// `password: postgres`), anonymous FTP, Oracle's `scott/tiger`, or a default password
/// (`postgres`, `guest`, `redis`) on a local host or named after its service
/// (`POSTGRES_PASSWORD: postgres`, `MYSQL_ROOT_PASSWORD: root`). Applies to every rule: the
/// provider URL rules meet `postgres://postgres:postgres@localhost` too.
pub fn default_credentials(text: &[u8], cand: &Candidate, value: &[u8], lower: &str) -> bool {
    let line = lines_of(text, &cand.span);
    let mut users = users_on_line(&text[line.clone()], cand.secret.start - line.start);
    // Up to three lines above: YAML and INI write the user on the line before the password.
    let mut above = line.start;
    for _ in 0..3 {
        if above == 0 {
            break;
        }
        let prev = lines_of(text, &(above - 1..above - 1));
        let prev_text = &text[prev.clone()];
        users.extend(users_on_line(prev_text, prev_text.len()));
        above = prev.start;
    }
    if users
        .iter()
        .any(|u| u.eq_ignore_ascii_case(value) || u.eq_ignore_ascii_case(b"anonymous"))
        || DEMO_PAIRS
            .iter()
            .any(|(u, p)| *p == lower && users.iter().any(|x| x.eq_ignore_ascii_case(u.as_bytes())))
    {
        return true;
    }
    if !LOCAL_DEFAULTS.contains(&lower) {
        return false;
    }
    let lower_line = text[line.clone()].to_ascii_lowercase();
    if LOCAL_HOSTS
        .iter()
        .any(|h| memchr::memmem::find(&lower_line, h).is_some())
    {
        return true;
    }
    // The service's own name in the key: `POSTGRES_PASSWORD: postgres`.
    let head = &lower_line[..cand
        .secret
        .start
        .saturating_sub(line.start)
        .min(lower_line.len())];
    if assigned_name(head).contains(lower) {
        return true;
    }
    // `@db:5432`, `@redis/0`: a one-label host is a compose service or a local name.
    match text.get(cand.secret.end) {
        Some(b'@') => {
            let host: Vec<u8> = text[cand.secret.end + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
                .copied()
                .collect();
            !host.is_empty() && !host.contains(&b'.')
        }
        _ => false,
    }
}

/// The user names written on a line before offset `at`: the `user` of `user:password`,
/// `user%password`, `user,password` and `user/password` right before the value, and the values
/// of `user=`, `username:`, `User Id=`, `login`, `-u` anywhere on the line.
fn users_on_line(line: &[u8], at: usize) -> Vec<&[u8]> {
    static USER: OnceLock<Regex> = OnceLock::new();
    let re = USER.get_or_init(|| {
        Regex::new(r#"(?i)(?:(?:\b|_)(?:user(?:[ _-]?(?:name|id))?|uid|login)(?:["']?\s*=\s*["']?|["']?\s*:\s+["']?|["']\s*:\s*["'])|\s-u\s*["']?|\blogin\s+)([^\s"';&,:@]{1,64})"#)
            .expect("user regex")
    });
    let mut users: Vec<&[u8]> = re
        .captures_iter(line)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_bytes())
        .collect();
    if let Some(&sep) = at.checked_sub(1).and_then(|i| line.get(i)) {
        if matches!(sep, b':' | b'%' | b',' | b'/') {
            let head = &line[..at - 1];
            let start = head
                .iter()
                .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')))
                .map_or(0, |i| i + 1);
            if start < head.len() {
                users.push(&head[start..]);
            }
        }
    }
    users
}
