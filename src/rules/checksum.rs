//! Offline checksums that some providers build into their tokens.
//!
//! `github-crc32`: GitHub's 2021 token format (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's
//! (`npm_`) end in the CRC32 of the 30-character random body, base62-encoded (`0-9A-Za-z`) and
//! left-padded with `0` to 6 characters. A token of the right shape with a wrong checksum was
//! never issued, so the match is dropped; a valid one makes the finding high confidence.
//!
//! `basic-auth`: not a checksum but the same kind of offline check: the value is the base64 of
//! `user:password` (HTTP basic authentication), with a user and a password that is not a
//! placeholder. Passing it keeps the rule's own confidence.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    GithubCrc32,
    BasicAuth,
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl Checksum {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "github-crc32" => Some(Self::GithubCrc32),
            "basic-auth" => Some(Self::BasicAuth),
            _ => None,
        }
    }

    /// Whether `secret` (the whole token, prefix included) carries a valid checksum.
    pub fn verify(self, secret: &[u8]) -> bool {
        match self {
            Self::GithubCrc32 => {
                let Some(us) = secret.iter().position(|&b| b == b'_') else {
                    return false;
                };
                let tail = &secret[us + 1..];
                if tail.len() != 36 {
                    return false;
                }
                let (body, check) = tail.split_at(30);
                base62_6(crc32fast::hash(body)) == check
            }
            Self::BasicAuth => {
                let body = secret
                    .iter()
                    .rposition(|&b| b != b'=')
                    .map_or(&secret[..0], |i| &secret[..=i]);
                let Some(pair) = crate::decode::base64_decode(body) else {
                    return false;
                };
                let Some(colon) = pair.iter().position(|&b| b == b':') else {
                    return false;
                };
                let (user, password) = (&pair[..colon], &pair[colon + 1..]);
                let printable = |s: &[u8]| s.iter().all(|b| (0x21..0x7f).contains(b));
                const PLACEHOLDERS: [&[u8]; 6] = [
                    b"password",
                    b"passwd",
                    b"secret",
                    b"changeme",
                    b"example",
                    b"pass",
                ];
                !user.is_empty()
                    && password.len() >= 4
                    && printable(user)
                    && printable(password)
                    && !PLACEHOLDERS
                        .iter()
                        .any(|p| password.eq_ignore_ascii_case(p))
                    && password.iter().any(|&b| b != password[0])
            }
        }
    }

    /// The confidence of a match that passed: a real checksum proves the token's format.
    pub fn confidence(self, rule: super::Confidence) -> super::Confidence {
        match self {
            Self::GithubCrc32 => super::Confidence::High,
            Self::BasicAuth => rule,
        }
    }
}

fn base62_6(mut n: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(prefix: &str, body: &str) -> String {
        let check = base62_6(crc32fast::hash(body.as_bytes()));
        format!("{prefix}{body}{}", std::str::from_utf8(&check).unwrap())
    }

    #[test]
    fn base62_matches_known_values() {
        assert_eq!(&base62_6(0), b"000000");
        assert_eq!(&base62_6(61), b"00000z");
        assert_eq!(&base62_6(62), b"000010");
        assert_eq!(&base62_6(u32::MAX), b"4gfFC3");
    }

    #[test]
    fn valid_and_invalid_tokens() {
        let body = "Zx9Qw2Er4Ty6Ui8Op0As1Df3Gh5Jk7";
        let good = token("ghp_", body);
        assert!(Checksum::GithubCrc32.verify(good.as_bytes()));
        assert!(Checksum::GithubCrc32.verify(token("npm_", body).as_bytes()));
        let mut bad = good.clone().into_bytes();
        let last = bad.len() - 1;
        bad[last] = if bad[last] == b'a' { b'b' } else { b'a' };
        assert!(!Checksum::GithubCrc32.verify(&bad));
        assert!(!Checksum::GithubCrc32.verify(b"ghp_short"));
        assert!(!Checksum::GithubCrc32.verify(b"no-underscore-at-all"));
    }

    #[test]
    fn basic_auth_pairs() {
        // user:Tr0ub4dor&3 / deploy:kT7vQ2mX9p
        assert!(Checksum::BasicAuth.verify(b"dXNlcjpUcjB1YjRkb3ImMw=="));
        assert!(Checksum::BasicAuth.verify(b"ZGVwbG95OmtUN3ZRMm1YOXA"));
        // user:password, user:, :secret, no colon, not base64
        assert!(!Checksum::BasicAuth.verify(b"dXNlcjpwYXNzd29yZA=="));
        assert!(!Checksum::BasicAuth.verify(b"dXNlcjo="));
        assert!(!Checksum::BasicAuth.verify(b"OnNlY3JldA=="));
        assert!(!Checksum::BasicAuth.verify(b"dXNlcm5hbWU="));
        assert!(!Checksum::BasicAuth.verify(b"usage"));
    }
}
