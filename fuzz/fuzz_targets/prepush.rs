//! The pre-push hook's stdin: `<local ref> <local sha> <remote ref> <remote sha>` per line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scan_secrets::source::history::parse_pre_push_line;

fuzz_target!(|data: &[u8]| {
    // The hook reads stdin with `lines()`, which stops at invalid UTF-8.
    if let Ok(text) = std::str::from_utf8(data) {
        for line in text.lines() {
            let _ = parse_pre_push_line(line);
        }
    }
});
