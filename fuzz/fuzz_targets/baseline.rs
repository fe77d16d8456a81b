//! The baseline file parser (JSON, version and fingerprint checks), then applying it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use scan_secrets::filter::baseline::Baseline;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(b) = Baseline::parse(std::path::Path::new("fuzz.json"), text) {
            let _ = b.apply(&mut Vec::new());
        }
    }
});
