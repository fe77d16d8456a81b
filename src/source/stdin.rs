//! `--stdin`: the whole standard input as one chunk.

use std::io::Read;

use super::Chunk;
use crate::error::Error;
use crate::finding::Origin;

pub fn read() -> Result<Chunk, Error> {
    let mut text = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut text)
        .map_err(|e| Error::io("<stdin>", e))?;
    // UTF-16 with a byte order mark is decoded; anything else is scanned as it is.
    let text = super::decode_utf16_bom(&text).unwrap_or(text);
    Ok(Chunk {
        unread: false,
        origin: Origin::Stdin,
        rel_path: None,
        text,
        added: None,
    })
}
