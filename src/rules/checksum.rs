//! Offline checksums that some providers build into their tokens.
//!
//! `github-crc32`: GitHub's 2021 token format (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's
//! (`npm_`) end in the CRC32 of the 30-character random body, base62-encoded (`0-9A-Za-z`) and
//! left-padded with `0` to 6 characters. A token of the right shape with a wrong checksum was
//! never issued, so the match is dropped; a valid one makes the finding high confidence.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    GithubCrc32,
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

impl Checksum {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "github-crc32" => Some(Self::GithubCrc32),
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
}
