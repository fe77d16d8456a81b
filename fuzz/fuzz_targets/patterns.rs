//! A pattern file (`patterns/*.toml` schema): parsing, rule validation, eager regex and glob
//! compilation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scan_secrets::rules::RuleSet;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = RuleSet::default().add_file("fuzz.toml", text, true);
    }
});
