//! `.scan-secrets.toml`: TOML parsing, then the validation a scan does (custom rules and their
//! regexes, `disable`, allowlist globs, regexes, stopwords and commits, per-rule allowlists,
//! limits) and the custom rules' examples run through the matcher.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = scan_secrets::config::check_str(text);
    }
});
