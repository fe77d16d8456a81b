//! The fuzzing entry point for the pack reader (`fuzz/fuzz_targets/pack.rs`).

use std::collections::HashMap;

use gix::odb::pack;

use super::inflate::{apply_delta, inflate_capped};

/// Fuzzing entry point (`fuzz/fuzz_targets/pack.rs`, and a unit test on its seeds): the code
/// that turns pack bytes into objects, on arbitrary input. Input that starts with `PACK` is
/// read as a pack: its 12-byte header, then entries one after another, each inflated with the
/// caps, ofs-deltas applied to the entry they point to. Any other input is a delta on a base:
/// the first two bytes (little-endian) say how many of the following bytes are the base.
#[doc(hidden)]
pub fn fuzz_pack(data: &[u8]) {
    /// Small, so that each run is quick; the caps are what is checked.
    const CAP: usize = 1 << 20;
    let mut out = Vec::new();
    let Some(entries) = data.strip_prefix(b"PACK") else {
        let [lo, hi, rest @ ..] = data else { return };
        let (base, delta) =
            rest.split_at(usize::from(u16::from_le_bytes([*lo, *hi])).min(rest.len()));
        if apply_delta(base, delta, &mut out, CAP).is_ok() {
            assert!(out.len() <= CAP);
        }
        return;
    };
    let mut inflate = gix::zlib::Inflate::default();
    let mut objects: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut delta = Vec::new();
    let mut offset = 12u64;
    while objects.len() < 64 {
        let Some(rest) = usize::try_from(offset - 4)
            .ok()
            .and_then(|at| entries.get(at..))
        else {
            break;
        };
        let Ok(entry) = pack::data::Entry::from_bytes(rest, offset, gix::hash::Kind::Sha1) else {
            break;
        };
        let Some(input) = usize::try_from(entry.data_offset - 4)
            .ok()
            .and_then(|at| entries.get(at..))
        else {
            break;
        };
        let declared = entry.decompressed_size;
        let read = match entry.header {
            pack::data::entry::Header::OfsDelta { base_distance } => {
                let Ok(read) = inflate_capped(&mut inflate, input, declared, CAP, &mut delta)
                else {
                    break;
                };
                let base =
                    pack::data::entry::Header::verified_base_pack_offset(offset, base_distance)
                        .and_then(|at| objects.get(&at));
                if let Some(base) = base {
                    if apply_delta(base, &delta, &mut out, CAP).is_ok() {
                        assert!(out.len() <= CAP);
                        objects.insert(offset, out.clone());
                    }
                }
                read
            }
            _ => {
                let Ok(read) = inflate_capped(&mut inflate, input, declared, CAP, &mut out) else {
                    break;
                };
                assert_eq!(out.len() as u64, declared);
                objects.insert(offset, out.clone());
                read
            }
        };
        offset = entry.data_offset + read as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzz target's seeds, through its entry point: CI runs the target's code on stable.
    #[test]
    fn fuzz_seeds() {
        for seed in crate::source::fuzz_seeds("pack") {
            fuzz_pack(&seed);
        }
    }
}
