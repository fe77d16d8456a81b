//! Pack entries and deltas: `source::pack::fuzz_pack` (entry headers, capped inflation,
//! delta application) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    scan_secrets::source::pack::fuzz_pack(data);
});
