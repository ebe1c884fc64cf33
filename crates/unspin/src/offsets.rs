//! Char and byte offsets, converted in one place.
//!
//! Annotation formats (SemEval, brat, Label Studio) and Python count Unicode code points; Rust
//! slices strings by byte. Every span in unspin carries both, and [`CharIndex`] is the only code
//! that converts between them, so the two can never disagree.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A half-open range of a document's text, in both code points and bytes.
///
/// Invariant (upheld by [`CharIndex`], its [`Cursor`] and [`Span::to`], the only constructors
/// besides `Default`): `bytes` lies on char boundaries and covers exactly the code points `chars`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub struct Span {
    /// First code point, inclusive.
    pub start: usize,
    /// Last code point, exclusive.
    pub end: usize,
    /// First byte, inclusive.
    pub byte_start: usize,
    /// Last byte, exclusive.
    pub byte_end: usize,
}

impl Span {
    /// The byte range, for slicing the text the span belongs to.
    pub fn bytes(&self) -> Range<usize> {
        self.byte_start..self.byte_end
    }

    /// The code point range.
    pub fn chars(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The covered text of `text`, which must be the text the span was made for.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.bytes()]
    }

    /// The span from the start of `self` to the end of `last`, which must not start before
    /// `self` and must belong to the same text.
    pub fn to(&self, last: &Span) -> Span {
        debug_assert!(self.start <= last.end);
        Span { start: self.start, end: last.end, byte_start: self.byte_start, byte_end: last.byte_end }
    }

    /// Whether the two spans share at least one code point.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Maps between byte offsets and char (code point) offsets of one text.
///
/// ```
/// use unspin::CharIndex;
///
/// let text = "The “regime” lied.";
/// let index = CharIndex::new(text);
/// // SemEval, brat and Python count code points: "regime" is chars 5..11…
/// let span = index.span_from_chars(5..11).unwrap();
/// assert_eq!(span.text(text), "regime");
/// // …and bytes 7..13, because the opening quote takes three bytes in UTF-8.
/// assert_eq!(span.bytes(), 7..13);
/// ```
///
/// Pure-ASCII texts (most English news) need no table: both offsets are equal. Otherwise the index
/// keeps the byte offset of every 64th char, so a lookup costs at most 64 steps of UTF-8 decoding
/// and the table costs 1/8 byte per char.
#[derive(Debug, Clone)]
pub struct CharIndex<'t> {
    text: &'t str,
    /// Byte offset of char `i * STRIDE`; `None` when the text is ASCII.
    checkpoints: Option<Vec<usize>>,
    char_len: usize,
}

const STRIDE: usize = 64;

impl<'t> CharIndex<'t> {
    pub fn new(text: &'t str) -> Self {
        if text.is_ascii() {
            return CharIndex { text, checkpoints: None, char_len: text.len() };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut char_len = 0;
        for (i, (byte, _)) in text.char_indices().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(byte);
            }
            char_len = i + 1;
        }
        CharIndex { text, checkpoints: Some(checkpoints), char_len }
    }

    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Byte offset of code point `char_offset`; `None` past the end (`char_len()` maps to
    /// `text.len()`).
    pub fn byte_of(&self, char_offset: usize) -> Option<usize> {
        if char_offset > self.char_len {
            return None;
        }
        let Some(checkpoints) = &self.checkpoints else {
            return Some(char_offset);
        };
        if char_offset == self.char_len {
            return Some(self.text.len());
        }
        let base = checkpoints[char_offset / STRIDE];
        let rest = char_offset % STRIDE;
        self.text[base..].char_indices().nth(rest).map(|(b, _)| base + b)
    }

    /// Char offset of byte `byte_offset`; `None` past the end or inside a multi-byte char.
    pub fn char_of(&self, byte_offset: usize) -> Option<usize> {
        if byte_offset > self.text.len() || !self.text.is_char_boundary(byte_offset) {
            return None;
        }
        let Some(checkpoints) = &self.checkpoints else {
            return Some(byte_offset);
        };
        // Last checkpoint at or before the byte offset.
        let slot = checkpoints.partition_point(|&b| b <= byte_offset) - 1;
        let base = checkpoints[slot];
        Some(slot * STRIDE + self.text[base..byte_offset].chars().count())
    }

    /// The span of bytes `range`; `None` if it is out of bounds, reversed or splits a char.
    pub fn span_from_bytes(&self, range: Range<usize>) -> Option<Span> {
        if range.start > range.end {
            return None;
        }
        let start = self.char_of(range.start)?;
        let end = start + self.text.get(range.clone())?.chars().count();
        Some(Span { start, end, byte_start: range.start, byte_end: range.end })
    }

    /// The span of code points `range`; `None` if it is out of bounds or reversed.
    pub fn span_from_chars(&self, range: Range<usize>) -> Option<Span> {
        if range.start > range.end {
            return None;
        }
        let byte_start = self.byte_of(range.start)?;
        let byte_end = self.byte_of(range.end)?;
        Some(Span { start: range.start, end: range.end, byte_start, byte_end })
    }
}

impl<'t> CharIndex<'t> {
    /// A cursor for converting many byte ranges in ascending order (the tokens of a text) in
    /// time linear in the text, instead of one checkpoint search per range.
    pub fn cursor(&self) -> Cursor<'_, 't> {
        Cursor { index: self, byte: 0, char: 0 }
    }
}

/// Converts byte ranges to spans by walking forward from the previous one. Ranges may come in
/// any order; one that starts before the cursor falls back to the index's lookup.
#[derive(Debug)]
pub struct Cursor<'i, 't> {
    index: &'i CharIndex<'t>,
    /// A char boundary and its char offset.
    byte: usize,
    char: usize,
}

impl Cursor<'_, '_> {
    /// The span of bytes `range`; `None` if it is out of bounds, reversed or splits a char.
    pub fn span_from_bytes(&mut self, range: Range<usize>) -> Option<Span> {
        let text = self.index.text;
        if range.start > range.end || range.end > text.len() {
            return None;
        }
        if self.index.checkpoints.is_none() {
            return self.index.span_from_bytes(range);
        }
        let start = if range.start >= self.byte {
            self.char + text.get(self.byte..range.start)?.chars().count()
        } else {
            self.index.char_of(range.start)?
        };
        let end = start + text.get(range.clone())?.chars().count();
        self.byte = range.end;
        self.char = end;
        Some(Span { start, end, byte_start: range.start, byte_end: range.end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_offsets_are_equal() {
        let text = "The ghastly massacre.";
        let index = CharIndex::new(text);
        let span = index.span_from_chars(4..20).unwrap();
        assert_eq!(span.text(text), "ghastly massacre");
        assert_eq!(span.bytes(), 4..20);
    }

    #[test]
    fn multibyte_offsets_round_trip() {
        // Curly quotes (3 bytes), an accented letter (2), an emoji (4) and Cyrillic (2 each).
        let text = "“Sánchez’s regime” 🚨 пропаганда is “fake news”.";
        let index = CharIndex::new(text);
        assert_eq!(index.char_len(), text.chars().count());
        let span = index.span_from_chars(1..17).unwrap();
        assert_eq!(span.text(text), "Sánchez’s regime");
        let span = index.span_from_chars(21..31).unwrap();
        assert_eq!(span.text(text), "пропаганда");
        let span = index.span_from_chars(36..45).unwrap();
        assert_eq!(span.text(text), "fake news");
        // Bytes back to chars.
        let again = index.span_from_bytes(span.bytes()).unwrap();
        assert_eq!(again, span);
        // Every char boundary maps both ways.
        for (c, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(index.byte_of(c), Some(b));
            assert_eq!(index.char_of(b), Some(c));
        }
        assert_eq!(index.byte_of(index.char_len()), Some(text.len()));
    }

    #[test]
    fn long_text_crosses_checkpoints() {
        let text: String = "é😀a".repeat(500);
        let index = CharIndex::new(&text);
        for (c, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(index.byte_of(c), Some(b), "char {c}");
            assert_eq!(index.char_of(b), Some(c), "byte {b}");
        }
        let span = index.span_from_chars(1000..1003).unwrap();
        assert_eq!(span.text(&text), "😀aé");
    }

    #[test]
    fn cursor_agrees_with_the_index() {
        let text = "Ça “marche” — 😀 ok, пока. ".repeat(40);
        let index = CharIndex::new(&text);
        let mut cursor = index.cursor();
        let words: Vec<std::ops::Range<usize>> = text
            .split_whitespace()
            .map(|w| {
                let start = w.as_ptr() as usize - text.as_ptr() as usize;
                start..start + w.len()
            })
            .collect();
        for range in &words {
            let span = cursor.span_from_bytes(range.clone()).unwrap();
            assert_eq!(Some(span), index.span_from_bytes(range.clone()));
            assert_eq!(span.text(&text), &text[range.clone()]);
        }
        // Going back falls back to the index; a range splitting a char is refused.
        let first = words[0].clone();
        assert_eq!(cursor.span_from_bytes(first.clone()).unwrap().text(&text), "Ça");
        assert!(cursor.span_from_bytes(0..1).is_none());
    }

    #[test]
    fn rejects_bad_ranges() {
        let text = "naïve";
        let index = CharIndex::new(text);
        assert_eq!(index.char_of(3), None, "inside the two-byte ï");
        assert!(index.span_from_bytes(0..3).is_none());
        assert!(index.span_from_chars(2..9).is_none());
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = index.span_from_chars(3..1);
        assert!(reversed.is_none());
        assert_eq!(index.span_from_chars(2..5).unwrap().text(text), "ïve");
    }
}
