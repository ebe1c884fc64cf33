//! Paragraphs: runs of non-blank lines.
//!
//! Plain-text articles (PTC: title, blank line, one sentence per line, blank lines between
//! paragraphs) and HTML extraction (paragraphs joined with "\n\n") both mark paragraphs with blank
//! lines, so a paragraph is a maximal run of lines holding something other than whitespace,
//! trimmed of the whitespace around it. A paragraph separator (U+2029) also ends a paragraph.

use std::ops::Range;

/// Whether `c` ends a line. `\r\n` is one line end (see [`paragraphs`]); the rest are the line
/// ends Unicode names (UAX #14 mandatory breaks).
pub(super) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Byte ranges of the paragraphs of `text`, in order, trimmed, never empty.
pub(super) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The paragraph being built: start of its first content, end of its last content.
    let mut current: Option<Range<usize>> = None;
    // Content of the line being read: start of its first non-space char (if any), end of its last.
    let mut line_start: Option<usize> = None;
    let mut line_end = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // Fast path: printable ASCII is content, and it is most of any text.
        if b > b' ' && b < 0x80 {
            line_start.get_or_insert(i);
            i += 1;
            line_end = i;
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let at = i;
        i += c.len_utf8();
        if is_line_break(c) {
            if c == '\r' && bytes.get(i) == Some(&b'\n') {
                // The '\n' of a "\r\n" ends the same line; it must not count as an empty line.
                continue;
            }
            match line_start.take() {
                Some(start) => {
                    current = Some(current.map_or(start, |p| p.start)..line_end);
                }
                None => out.extend(current.take()),
            }
            if c == '\u{2029}' {
                out.extend(current.take());
            }
        } else if !c.is_whitespace() {
            line_start.get_or_insert(at);
            line_end = i;
        }
    }
    if let Some(start) = line_start {
        current = Some(current.map_or(start, |p| p.start)..line_end);
    }
    out.extend(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        paragraphs(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn blank_lines_separate_and_spans_are_trimmed() {
        let text = "  Title line \n\nFirst sentence.\nSecond one.\n \t \n\n  Last paragraph.  \n";
        assert_eq!(texts(text), ["Title line", "First sentence.\nSecond one.", "Last paragraph."]);
    }

    #[test]
    fn crlf_is_one_line_end() {
        let text = "One.\r\nTwo.\r\n\r\nThree.";
        assert_eq!(texts(text), ["One.\r\nTwo.", "Three."]);
    }

    #[test]
    fn paragraph_separator_ends_a_paragraph() {
        let text = "Erster Absatz.\u{2029}Второй абзац.";
        assert_eq!(texts(text), ["Erster Absatz.", "Второй абзац."]);
    }

    #[test]
    fn whitespace_only_gives_nothing() {
        assert!(texts("").is_empty());
        assert!(texts(" \n\u{a0}\r\n\t").is_empty());
    }
}
