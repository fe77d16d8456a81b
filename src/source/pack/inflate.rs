//! Bytes out of a pack entry, with every size capped: zlib inflation that grows its buffer as
//! bytes come out (a header that lies costs no memory), and git's delta instructions.

/// Bytes set aside before inflating an object or applying a delta, whatever its header
/// declares; the buffer then grows as bytes actually come out. Nearly every object fits.
pub(super) const FIRST_CHUNK: usize = 4 << 20;

/// Inflates the zlib stream at the start of `input` into `out`, which must come to `declared`
/// bytes, at most `cap`; any other size is an error. `out` grows as bytes come out (from
/// `FIRST_CHUNK`, then at most doubling), so a `declared` that lies costs no memory. Returns
/// the length of the stream in `input`.
pub(super) fn inflate_capped(
    inflate: &mut gix::zlib::Inflate,
    input: &[u8],
    declared: u64,
    cap: usize,
    out: &mut Vec<u8>,
) -> Result<usize, String> {
    use gix::zlib::Status;
    let size = usize::try_from(declared)
        .ok()
        .filter(|&s| s <= cap)
        .ok_or_else(|| format!("declares {declared} bytes, over the limit of {cap}"))?;
    inflate.reset();
    out.clear();
    let (mut read, mut filled) = (0, 0);
    loop {
        let room = size.min(filled.max(FIRST_CHUNK / 2).saturating_mul(2));
        if room > out.len() {
            out.try_reserve_exact(room - out.len())
                .map_err(|_| format!("cannot allocate {room} bytes"))?;
            out.resize(room, 0);
        }
        let (status, used, wrote) = if filled < size {
            inflate.prefix(&input[read..], &mut out[filled..])
        } else {
            // All declared bytes are out: the stream must end here, with no byte more.
            inflate.prefix(&input[read..], &mut [0u8; 1])
        }
        .map_err(|e| format!("cannot inflate: {e}"))?;
        read += used;
        filled += wrote;
        if filled > size {
            return Err(format!(
                "inflates to more than the {declared} bytes it declares"
            ));
        }
        if status == Status::StreamEnd {
            if filled != size {
                out.truncate(filled);
                return Err(format!(
                    "declares {declared} bytes but inflates to {filled}"
                ));
            }
            return Ok(read);
        }
        if used == 0 && wrote == 0 {
            out.truncate(filled);
            return Err(format!(
                "truncated after {filled} of the {declared} bytes it declares"
            ));
        }
    }
}

/// Applies git delta `delta` to `base`, writing the result to `out`. The delta's header
/// declares the result's size: over `cap` is an error, and so is a result of any other size.
/// `out` grows as the result does, from the smaller of that size and base plus delta (about
/// what copies and inserts add up to), so a header that lies costs no memory.
pub(super) fn apply_delta(
    base: &[u8],
    delta: &[u8],
    out: &mut Vec<u8>,
    cap: usize,
) -> Result<(), String> {
    let (base_size, rest) = varint(delta).ok_or("truncated header")?;
    let (declared, mut ops) = varint(rest).ok_or("truncated header")?;
    if base_size != base.len() as u64 {
        return Err(format!(
            "its base has {} bytes, the delta expects {base_size}",
            base.len()
        ));
    }
    let size = usize::try_from(declared)
        .ok()
        .filter(|&s| s <= cap)
        .ok_or_else(|| format!("result declared as {declared} bytes, over the limit of {cap}"))?;
    out.clear();
    let first = size.min(base.len().saturating_add(delta.len()));
    out.try_reserve_exact(first)
        .map_err(|_| format!("cannot allocate {first} bytes"))?;
    let push = |out: &mut Vec<u8>, bytes: &[u8]| -> Result<(), String> {
        if bytes.len() > size - out.len() {
            return Err(format!("result larger than the {declared} bytes declared"));
        }
        out.try_reserve(bytes.len())
            .map_err(|_| format!("cannot allocate {} bytes", out.len() + bytes.len()))?;
        out.extend_from_slice(bytes);
        Ok(())
    };
    while let Some((&op, tail)) = ops.split_first() {
        ops = tail;
        if op & 0x80 != 0 {
            // Copy from the base: offset and size bytes present per the low 7 bits.
            let mut fields = [0u64; 2];
            for (bit, field, shift) in [
                (0, 0, 0),
                (1, 0, 8),
                (2, 0, 16),
                (3, 0, 24),
                (4, 1, 0),
                (5, 1, 8),
                (6, 1, 16),
            ] {
                if op & (1 << bit) != 0 {
                    let (&b, tail) = ops.split_first().ok_or("truncated copy")?;
                    ops = tail;
                    fields[field] |= u64::from(b) << shift;
                }
            }
            let (start, len) = (fields[0] as usize, fields[1] as usize);
            let len = if len == 0 { 0x10000 } else { len };
            let end = start.checked_add(len).ok_or("copy out of range")?;
            push(out, base.get(start..end).ok_or("copy out of range")?)?;
        } else if op != 0 {
            let n = usize::from(op);
            if ops.len() < n {
                return Err("truncated insert".into());
            }
            push(out, &ops[..n])?;
            ops = &ops[n..];
        } else {
            return Err("reserved instruction 0".into());
        }
    }
    if out.len() != size {
        return Err(format!(
            "result of {} bytes, the delta declares {declared}",
            out.len()
        ));
    }
    Ok(())
}

/// A little-endian base-128 number, as in delta headers.
pub(super) fn varint(data: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (i, &b) in data.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, &data[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data` as a zlib stream of stored (uncompressed) blocks, by gix's deflate writer.
    fn stored(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z =
            gix::zlib::stream::deflate::Write::new(Vec::new(), gix::zlib::Compression::NONE);
        z.write_all(data).unwrap();
        z.flush().unwrap();
        z.into_inner()
    }

    #[test]
    fn applies_copy_and_insert() {
        let base = b"hello world";
        // base size 11, result size 13; copy 0..5, insert ", ", copy 6..11 ("world"), ... then
        // result "hello, world!" needs an insert of "!".
        let delta = [11, 13, 0x90, 5, 2, b',', b' ', 0x91, 6, 5, 1, b'!'];
        let mut out = Vec::new();
        apply_delta(base, &delta, &mut out, 100).unwrap();
        assert_eq!(out, b"hello, world!");
        // Copy size 0 means 0x10000; out of range here.
        assert!(apply_delta(base, &[11, 1, 0x80], &mut out, 100).is_err());
        assert!(apply_delta(base, &[12, 1, 1, b'x'], &mut out, 100).is_err());
        assert!(apply_delta(base, &[11, 2, 1, b'x'], &mut out, 100).is_err());
        assert!(apply_delta(base, &[11, 1, 0], &mut out, 100).is_err());
        assert!(apply_delta(base, &[11, 1, 0x91, 10, 5], &mut out, 100).is_err());
    }

    #[test]
    fn delta_results_are_capped_and_must_match_their_header() {
        let base = b"hello world";
        let mut out = Vec::new();
        // 1.5 GiB declared (varint 0x80 0x80 0x80 0x80 0x06), one byte produced.
        let lie = [11, 0x80, 0x80, 0x80, 0x80, 0x06, 1, b'x'];
        let e = apply_delta(base, &lie, &mut out, 100).unwrap_err();
        assert!(
            e.contains("1610612736") && e.contains("limit of 100"),
            "{e}"
        );
        let e = apply_delta(base, &lie, &mut out, 2 << 30).unwrap_err();
        assert!(
            e.contains("result of 1 bytes") && e.contains("1610612736"),
            "{e}"
        );
        assert!(out.capacity() < 1024, "reserved {}", out.capacity());
        // A copy of 0x10000 bytes past a declared result of 2 is refused before it is made.
        let big = vec![7u8; 0x10000];
        let e = apply_delta(&big, &[0x80, 0x80, 0x04, 2, 0x80], &mut out, 1 << 20).unwrap_err();
        assert!(e.contains("larger than"), "{e}");
        assert!(out.is_empty());
    }

    #[test]
    fn inflation_is_capped_and_must_match_the_header() {
        let mut inflate = gix::zlib::Inflate::default();
        let mut out = Vec::new();
        let text = b"some text, some text, some text\n";
        let mut z = stored(text);
        let n = z.len();
        z.extend_from_slice(b"next entry");
        let len = text.len() as u64;
        assert_eq!(inflate_capped(&mut inflate, &z, len, 100, &mut out), Ok(n));
        assert_eq!(out, text);
        // The empty object, as git compresses it.
        let empty = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        assert_eq!(
            inflate_capped(&mut inflate, &empty, 0, 100, &mut out),
            Ok(8)
        );
        assert!(out.is_empty());
        // Over the cap: refused on the header.
        let e = inflate_capped(&mut inflate, &z, len, 10, &mut out).unwrap_err();
        assert!(e.contains("over the limit of 10"), "{e}");
        // A header that lies, under the cap: found out, with no allocation of what it claims.
        let e = inflate_capped(&mut inflate, &z, 1_610_612_736, 2 << 30, &mut out).unwrap_err();
        assert_eq!(
            e,
            format!("declares 1610612736 bytes but inflates to {len}")
        );
        assert!(out.capacity() <= FIRST_CHUNK, "reserved {}", out.capacity());
        let e = inflate_capped(&mut inflate, &z, len - 1, 100, &mut out).unwrap_err();
        assert!(e.contains("more than the"), "{e}");
        let e = inflate_capped(&mut inflate, &z[..n - 6], len, 100, &mut out).unwrap_err();
        assert!(e.contains("truncated"), "{e}");
        // Larger than the first chunk: grows in steps.
        let big: Vec<u8> = (0..FIRST_CHUNK as u32 * 2 + 5)
            .map(|i| (i % 251) as u8)
            .collect();
        // Stored blocks of at most 64 KiB each.
        let zlib = stored(&big);
        let size = big.len() as u64;
        assert_eq!(
            inflate_capped(&mut inflate, &zlib, size, 64 << 20, &mut out),
            Ok(zlib.len())
        );
        assert!(out == big);
    }
}
