//! The keyword set of the prefilter: its order and which keywords a hit on another can hide.
//! Shared with build.rs, which computes both for the builtin rules at build time (std only).

use std::collections::HashMap;

/// Sorts and de-duplicates lower-case keywords into prefilter order: longest first, so that a
/// leftmost-first search (the prebuilt DFA) reports the longest keyword at the leftmost
/// position, as a leftmost-longest one does.
pub fn order(keywords: &mut Vec<Vec<u8>>) {
    keywords.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    keywords.dedup();
}

/// Each keyword's owners: the rules of the keyword itself and of the keywords inside it
/// (`contained`, from `hidden`). `rule_keywords` pairs a rule's index with one of its keywords
/// (lower case); `None` when one of them is not in `keywords`.
pub fn owners<'a, K: AsRef<[u8]>, C: AsRef<[usize]>>(
    keywords: &[K],
    contained: &[C],
    rule_keywords: impl IntoIterator<Item = (usize, &'a [u8])>,
) -> Option<Vec<Vec<usize>>> {
    let index: HashMap<&[u8], usize> = keywords
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_ref(), i))
        .collect();
    let mut direct: Vec<Vec<usize>> = vec![Vec::new(); keywords.len()];
    for (rule, kw) in rule_keywords {
        direct[*index.get(kw)?].push(rule);
    }
    let owners = direct
        .iter()
        .zip(contained)
        .map(|(own, inside)| {
            let mut all = own.clone();
            for &j in inside.as_ref() {
                all.extend_from_slice(&direct[j]);
            }
            all.sort_unstable();
            all.dedup();
            all
        })
        .collect();
    Some(owners)
}

/// Per keyword: the shorter keywords inside it, and the longer ones starting inside it.
pub type Hidden = (Vec<Vec<usize>>, Vec<Vec<(usize, usize)>>);

/// For each of the (distinct) keywords, the others that a hit on it can hide (see `hides`):
/// the keywords inside it, and `(offset, keyword)` for those starting with one of its proper
/// suffixes. Substrings and suffixes are looked up in hash maps (O(L^2) per keyword of length
/// L) rather than by comparing every pair.
pub fn hidden(keywords: &[Vec<u8>]) -> Hidden {
    let index: HashMap<&[u8], usize> = keywords
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_slice(), i))
        .collect();
    // Each proper prefix of a keyword, with the keywords that extend it.
    let mut extending: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (j, k) in keywords.iter().enumerate() {
        for len in 1..k.len() {
            extending.entry(&k[..len]).or_default().push(j);
        }
    }
    let mut contained = Vec::with_capacity(keywords.len());
    let mut starting = Vec::with_capacity(keywords.len());
    for (i, kw) in keywords.iter().enumerate() {
        let mut inside = Vec::new();
        let mut longer = Vec::new();
        for p in 0..kw.len() {
            // Shorter keywords inside it.
            inside.extend(
                (p + 1..=kw.len())
                    .filter(|q| q - p < kw.len())
                    .filter_map(|q| index.get(&kw[p..q]).copied()),
            );
            // Longer keywords starting with one of its proper suffixes.
            if p > 0 {
                if let Some(js) = extending.get(&kw[p..]) {
                    longer.extend(js.iter().map(|&j| (p, j)));
                }
            }
        }
        inside.retain(|&j| j != i);
        inside.sort_unstable();
        inside.dedup();
        // Itself again (` / ` in ` / / `): its rules' window already covers the line.
        longer.retain(|&(_, j)| j != i);
        longer.sort_unstable();
        contained.push(inside);
        starting.push(longer);
    }
    (contained, starting)
}

/// Whether a leftmost-longest hit on `kw` can mask an occurrence of `other`: `other` occurs
/// inside `kw`, or a proper suffix of `kw` is a prefix of `other`.
#[cfg(test)]
pub fn hides(kw: &[u8], other: &[u8]) -> bool {
    (other.len() < kw.len() && memchr::memmem::find(kw, other).is_some())
        || (1..kw.len()).any(|k| {
            let tail = &kw[k..];
            tail.len() < other.len() && other.starts_with(tail)
        })
}

#[cfg(test)]
mod tests {
    use super::{hidden, hides};

    #[test]
    fn hidden_keywords() {
        assert!(hides(b"_auth", b"auth"));
        assert!(hides(b"_auth", b"auth_key"));
        assert!(hides(b"password", b"pass"));
        assert!(!hides(b"pass", b"password"));
        assert!(!hides(b"ghp_", b"npm_"));
    }

    #[test]
    fn hidden_keywords_are_those_of_the_pairwise_definition() {
        let set = crate::rules::RuleSet::builtin().expect("builtin patterns");
        let mut keywords: Vec<Vec<u8>> = set
            .rules
            .iter()
            .flat_map(|r| {
                r.keywords
                    .iter()
                    .map(|k| k.to_ascii_lowercase().into_bytes())
            })
            .collect();
        keywords.sort();
        keywords.dedup();
        let (contained, starting) = hidden(&keywords);
        for (i, kw) in keywords.iter().enumerate() {
            let slow: Vec<usize> = (0..keywords.len())
                .filter(|&j| j != i && hides(kw, &keywords[j]))
                .collect();
            let mut fast = contained[i].clone();
            fast.extend(starting[i].iter().map(|&(_, j)| j));
            fast.sort_unstable();
            fast.dedup();
            assert_eq!(fast, slow, "{}", String::from_utf8_lossy(kw));
        }
    }
}
