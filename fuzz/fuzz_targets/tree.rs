//! Raw tree objects: the history scan's tree diff (gix's `TreeRefIter` under our merge) on two
//! arbitrary "trees", with its invariants checked (`source::history::fuzz_tree_diff`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scan_secrets::source::history::fuzz_tree_diff;

fuzz_target!(|data: &[u8]| fuzz_tree_diff(data));
