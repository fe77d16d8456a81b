//! Arbitrary bytes through the whole pipeline with the builtin rules: keyword prefilter,
//! regexes, entropy and checksum gates, decoding of base64/percent-encoded tokens, overlap
//! resolution, filters, findings. The first line of the input is also used as the file's
//! path, for path rules (sensitive files) and path-dependent filters.
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use scan_secrets::filter::allowlist::Allowlist;
use scan_secrets::finding::Origin;
use scan_secrets::matcher::Matcher;
use scan_secrets::rules::RuleSet;
use scan_secrets::scan::scan_chunk;
use scan_secrets::source::Chunk;

fn matchers() -> &'static (Matcher, Matcher) {
    static M: OnceLock<(Matcher, Matcher)> = OnceLock::new();
    M.get_or_init(|| {
        let set = Arc::new(RuleSet::builtin().expect("builtin rules load"));
        (Matcher::new(set.clone()), Matcher::for_small_inputs(set))
    })
}

/// Byte ranges of the lines of `text` picked by the bits of `mask` (the "added lines" of a
/// diff).
fn some_lines(text: &[u8], mask: u8) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
        if mask & (1 << (i % 8)) != 0 {
            ranges.push(start..start + line.len());
        }
        start += line.len();
    }
    ranges
}

fuzz_target!(|data: &[u8]| {
    let (full, small) = matchers();
    let allow = Allowlist::default();
    let path_line = data.split(|&b| b == b'\n').next().unwrap_or_default();
    let path = String::from_utf8_lossy(&path_line[..path_line.len().min(200)]).into_owned();

    let chunk = |rel_path: Option<String>, added, unread| Chunk {
        origin: Origin::Stdin,
        rel_path,
        text: if unread { Vec::new() } else { data.to_vec() },
        added,
        unread,
    };
    // The whole text, without and with a path; then only some lines "added".
    let _ = scan_chunk(full, &allow, &chunk(None, None, false));
    let _ = scan_chunk(full, &allow, &chunk(Some(path.clone()), None, false));
    let mask = data.last().copied().unwrap_or(0);
    let _ = scan_chunk(
        small,
        &allow,
        &chunk(None, Some(some_lines(data, mask)), false),
    );
    // A file that was not read (binary, too large): only its path counts.
    let _ = scan_chunk(full, &allow, &chunk(Some(path.clone()), None, true));
    let _ = full.scan_path(&path, Some(data));
    let _ = full.scan_path(&path, None);
});
