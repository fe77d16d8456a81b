//! Byte offsets to 1-based lines and columns (in characters), for findings.

/// Turns byte offsets (visited in increasing order) into 1-based line and column numbers,
/// counting columns in characters.
pub struct LineCounter<'a> {
    text: &'a [u8],
    /// Offset and number of the line last reached.
    line_start: usize,
    line: usize,
    /// The last offset placed on that line and its column: counting resumes there, so that
    /// many matches on one long line (a minified file) cost one pass, not one pass each.
    mark: usize,
    mark_col: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            line_start: 0,
            line: 1,
            mark: 0,
            mark_col: 1,
        }
    }

    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        if offset < self.mark {
            if offset < self.line_start {
                self.line_start = 0;
                self.line = 1;
            }
            self.mark = self.line_start;
            self.mark_col = 1;
        }
        let seg = &self.text[self.mark..offset];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.line_start = self.mark + last + 1;
                self.mark_col = 1 + chars(&self.text[self.line_start..offset]);
            }
            None => self.mark_col += chars(seg),
        }
        self.mark = offset;
        (self.line, self.mark_col)
    }

    /// Position of an end offset at or after the last `position`, without moving the counter
    /// (the next start may be earlier).
    pub(super) fn position_from(&self, line: usize, offset: usize) -> (usize, usize) {
        let seg = &self.text[self.mark..offset];
        match memchr::memrchr(b'\n', seg) {
            Some(last) => (
                line + memchr::memchr_iter(b'\n', seg).count(),
                1 + chars(&seg[last + 1..]),
            ),
            None => (line, self.mark_col + chars(seg)),
        }
    }
}

/// Characters in UTF-8 `bytes` (continuation bytes are not counted).
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::LineCounter;

    #[test]
    fn lines_and_columns() {
        let text = "ab\ncdé f\n\nxyz".as_bytes();
        let mut lc = LineCounter::new(text);
        assert_eq!(lc.position(0), (1, 1));
        assert_eq!(lc.position(4), (2, 2));
        // 'f' comes after the two-byte é: column counts characters.
        let f = text.iter().position(|&b| b == b'f').unwrap();
        assert_eq!(lc.position(f), (2, 5));
        assert_eq!(lc.position(text.len() - 1), (4, 3));
        assert_eq!(lc.position(1), (1, 2));
        // Ends: on the same line, and across lines.
        assert_eq!(lc.position(3), (2, 1));
        assert_eq!(lc.position_from(2, f + 1), (2, 6));
        assert_eq!(lc.position_from(2, text.len()), (4, 4));
        // Back on the same line, then forward again.
        assert_eq!(lc.position(f), (2, 5));
        assert_eq!(lc.position(4), (2, 2));
        assert_eq!(lc.position(f), (2, 5));
    }

    #[test]
    fn many_positions_on_one_line_agree_with_counting_from_scratch() {
        let text = "é-abc ".repeat(500);
        let bytes = text.as_bytes();
        let mut lc = LineCounter::new(bytes);
        for (offset, _) in text.char_indices().step_by(7) {
            let expected = 1 + text[..offset].chars().count();
            assert_eq!(lc.position(offset), (1, expected));
        }
    }
}
