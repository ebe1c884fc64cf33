//! Direct quotes: text between double quotation marks, found one paragraph at a time.
//!
//! Marks: straight `"`, curly `“ ”`, low `„` (closed by `“` or `”`) and guillemets `« »`.
//! Single quotes are not read as quotation marks: in English they are mostly apostrophes.
//!
//! Rules, and what they knowingly get wrong:
//! - A quote never runs past its paragraph. One left open at the end of a paragraph ends there
//!   and is marked not closed: that is the newspaper convention for a quote that goes on over
//!   several paragraphs (each reopens, only the last closes), and it also contains the damage of
//!   a stray mark to one paragraph.
//! - A straight `"` right after a digit, outside a quote, is an inch or seconds mark (`6'2"`).
//! - A `”` outside a quote opens one only after a space or at the start of the paragraph (some
//!   typesetting uses `”` on both sides); anywhere else it is a stray closer and ignored.
//! - An opening mark inside an open quote is ignored (English nests with single quotes).
//! - Quotes with nothing but spaces and punctuation inside are dropped.

use std::ops::Range;

/// A quote as byte offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawQuote {
    /// The quoted words, without the marks and the spaces next to them.
    pub content: Range<usize>,
    /// From the opening mark to the closing mark (or the paragraph's end) inclusive.
    pub outer: Range<usize>,
    pub closed: bool,
}

/// Quotes in `text[paragraph]`, in order, not overlapping.
pub(crate) fn find(text: &str, paragraph: Range<usize>) -> Vec<RawQuote> {
    let Some(body) = text.get(paragraph.clone()) else {
        return Vec::new();
    };
    let mut quotes = Vec::new();
    // The open quote: the byte where its mark starts, and the mark.
    let mut open: Option<(usize, char)> = None;
    let mut prev: Option<char> = None;
    for (i, c) in body.char_indices() {
        let at = paragraph.start + i;
        match open {
            None => {
                let opens = match c {
                    '“' | '„' | '«' => true,
                    '"' => !prev.is_some_and(|p| p.is_ascii_digit()),
                    '”' => prev.is_none_or(char::is_whitespace),
                    _ => false,
                };
                if opens {
                    open = Some((at, c));
                }
            }
            Some((start, mark)) => {
                let closes = match mark {
                    '«' => c == '»',
                    '„' => c == '“' || c == '”',
                    _ => c == '"' || c == '”',
                };
                if closes {
                    push(text, &mut quotes, start, mark, at, at + c.len_utf8(), true);
                    open = None;
                }
            }
        }
        prev = Some(c);
    }
    if let Some((start, mark)) = open {
        push(text, &mut quotes, start, mark, paragraph.end, paragraph.end, false);
    }
    quotes
}

/// Record the quote from the mark `mark` at `start` to the closing mark `close..end` (empty at the
/// paragraph's end when unclosed), unless it holds no words.
fn push(text: &str, quotes: &mut Vec<RawQuote>, start: usize, mark: char, close: usize, end: usize, closed: bool) {
    let inner_start = start + mark.len_utf8();
    let inner = &text[inner_start..close];
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim();
    if !trimmed.chars().any(char::is_alphanumeric) {
        return;
    }
    let content = inner_start + lead..inner_start + lead + trimmed.len();
    quotes.push(RawQuote { content, outer: start..end, closed });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<(&str, bool)> {
        find(text, 0..text.len()).iter().map(|q| (&text[q.content.clone()], q.closed)).collect()
    }

    #[test]
    fn straight_curly_low_and_guillemets() {
        assert_eq!(
            quoted(r#"He said "we will win" and "we will stay.""#),
            [("we will win", true), ("we will stay.", true)]
        );
        assert_eq!(
            quoted("“It is over,” she said. „Nein“ and « non »."),
            [("It is over,", true), ("Nein", true), ("non", true)]
        );
        assert_eq!(quoted("”Typeset both ways” here."), [("Typeset both ways", true)]);
    }

    #[test]
    fn unclosed_quotes_stop_at_the_paragraph() {
        assert_eq!(quoted("“We will go on, and on"), [("We will go on, and on", false)]);
        let text = "First “open here.\n\nSecond paragraph.";
        let end = text.find('\n').unwrap();
        let first = find(text, 0..end);
        assert_eq!(first.len(), 1);
        assert_eq!(&text[first[0].content.clone()], "open here.");
        assert_eq!(first[0].outer.end, end, "ends with its paragraph");
    }

    #[test]
    fn marks_that_are_not_quotes() {
        assert!(quoted("\"").is_empty(), "a lone mark");
        assert!(quoted("“ … ”").is_empty(), "nothing inside");
        assert_eq!(quoted(r#"He is 6'2" tall and "fast""#), [("fast", true)], "an inch mark");
        assert!(quoted("stray” closer").is_empty());
        assert_eq!(quoted("“outer “inner” rest"), [("outer “inner", true)], "no nesting with double marks");
    }
}
