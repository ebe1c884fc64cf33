//! Word tokens: words, numbers and punctuation, covering every non-space char of a sentence.
//!
//! - A **word** starts with a letter and runs over letters, digits and combining marks, through
//!   inner apostrophes (`'`, `’`) before a letter ("don't", "Kremlin’s"), inner hyphens before a
//!   letter or digit ("well-known", "COVID-19", "20-year-old") and `.`/`,` between digits
//!   ("v2.0"). A CJK ideograph is a word of its own, since those scripts put no spaces between
//!   words; kana, Hangul, Thai and other scripts follow the general rule.
//! - A **number** starts with a digit and runs over digits and `.`/`,` between digits ("1,000",
//!   "3.5"); letters right after it make it a word ("2nd", "1990s", "5G"). A hyphen joins two
//!   numbers only as part of a word, so "1990-2000" is a range of three tokens.
//! - Everything else that is not whitespace is **punctuation**, one token per char, except that a
//!   run of the same `.`, `-`, `!` or `?` is one token ("...", "--", "!!!"), and combining marks,
//!   variation selectors, emoji modifiers, tags and zero-width-joined chars stay with the char they
//!   modify, so an emoji such as 👍🏽 or a flag is one token.
//!
//! No token grows past [`MAX_TOKEN_BYTES`]: a longer run (a pasted blob, a line of dots) is cut
//! into pieces, which keeps sentence capping able to cut it.

use std::ops::Range;

use super::TokenKind;

/// Longest token, in bytes, before a run is cut.
pub const MAX_TOKEN_BYTES: usize = 1_024;

/// A token as byte offsets, before its span is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct RawToken {
    pub bytes: Range<usize>,
    pub kind: TokenKind,
}

/// Chars that attach to the char before them rather than standing alone: combining marks of the
/// common blocks (most marks of Indic and other scripts are alphabetic and join words anyway),
/// zero-width (non-)joiners, variation selectors, emoji skin-tone modifiers, keycap and tag chars.
fn is_extender(c: char) -> bool {
    // Most text is Latin; nothing below the first combining block extends.
    if c < '\u{0300}' {
        return false;
    }
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{0483}'..='\u{0489}'
            | '\u{0591}'..='\u{05BD}'
            | '\u{05BF}'
            | '\u{05C1}'..='\u{05C2}'
            | '\u{05C4}'..='\u{05C5}'
            | '\u{05C7}'
            | '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}'..='\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
            | '\u{094D}'
            | '\u{09CD}'
            | '\u{0A4D}'
            | '\u{0ACD}'
            | '\u{0B4D}'
            | '\u{0BCD}'
            | '\u{0C4D}'
            | '\u{0CCD}'
            | '\u{0D4D}'
            | '\u{0E31}'
            | '\u{0E34}'..='\u{0E3A}'
            | '\u{0E47}'..='\u{0E4E}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{200C}'..='\u{200D}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// CJK ideographs (and the iteration and zero marks used like them).
fn is_ideograph(c: char) -> bool {
    matches!(
        c,
        '\u{3005}' | '\u{3007}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{2FA1F}'
    )
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1F1E6}'..='\u{1F1FF}')
}

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|rest| rest.chars().next())
}

/// Append the tokens of `text[range]` to `out`, with byte offsets into `text`.
pub(super) fn tokenize(text: &str, range: Range<usize>, out: &mut Vec<RawToken>) {
    let s = &text[range.clone()];
    let mut i = 0;
    while let Some(c) = char_at(s, i) {
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let kind;
        if is_ideograph(c) {
            i = extenders(s, i + c.len_utf8(), start);
            kind = TokenKind::Word;
        } else if c.is_alphanumeric() && !is_extender(c) {
            // A mark with nothing before it to modify (after a space, or where a long run was
            // cut) is punctuation: some marks are Alphabetic in Unicode (Hebrew and Arabic points),
            // and `word_or_number` would make such a lone mark a "number" without a digit.
            let (end, letters) = word_or_number(s, i);
            i = end;
            kind = if letters { TokenKind::Word } else { TokenKind::Number };
        } else {
            i = punct(s, i, c);
            kind = TokenKind::Punct;
        }
        out.push(RawToken { bytes: range.start + start..range.start + i, kind });
    }
}

/// Whether a token from `start` may take `len` more bytes at `end`: every char is added whole, so
/// a two-byte letter at byte 1,023 ends the token rather than making it 1,025 bytes long.
fn fits(start: usize, end: usize, len: usize) -> bool {
    end + len - start <= MAX_TOKEN_BYTES
}

/// End of the word or number starting at `start`, and whether it holds a letter.
fn word_or_number(s: &str, start: usize) -> (usize, bool) {
    let mut i = start;
    let mut letters = false;
    // Last char that was not an extender, for the inner-joiner rules.
    let mut prev = ' ';
    let bytes = s.as_bytes();
    while i < bytes.len() {
        // Fast path for ASCII letters and digits, the bulk of English words.
        if bytes[i].is_ascii_alphanumeric() && fits(start, i, 1) {
            letters |= bytes[i].is_ascii_alphabetic();
            prev = char::from(bytes[i]);
            i += 1;
            continue;
        }
        let Some(c) = char_at(s, i) else {
            break;
        };
        let len = c.len_utf8();
        if !fits(start, i, len) || (i > start && is_ideograph(c)) {
            break;
        }
        if is_extender(c) {
            i += len;
            continue;
        }
        if c.is_alphanumeric() {
            letters |= c.is_alphabetic();
            prev = c;
            i += len;
            continue;
        }
        let Some(next) = char_at(s, i + len).filter(|&n| !is_ideograph(n)) else {
            break;
        };
        let joins = match c {
            '\'' | '’' => prev.is_alphanumeric() && next.is_alphabetic(),
            '-' | '‐' | '‑' => next.is_alphabetic() || (letters && next.is_numeric()),
            '.' | ',' => prev.is_numeric() && next.is_numeric(),
            _ => false,
        };
        if !joins {
            break;
        }
        prev = c;
        i += len;
    }
    (i, letters)
}

/// End of the punctuation token starting with `c` at `start`.
fn punct(s: &str, start: usize, c: char) -> usize {
    let mut i = start + c.len_utf8();
    if matches!(c, '.' | '-' | '!' | '?') {
        while char_at(s, i) == Some(c) && fits(start, i, 1) {
            i += 1;
        }
    } else if is_regional_indicator(c) {
        // Two regional indicators spell one flag.
        if let Some(n) = char_at(s, i).filter(|&n| is_regional_indicator(n)) {
            i += n.len_utf8();
        }
    }
    extenders(s, i, start)
}

/// Skip the extenders at `i`; a zero-width joiner also takes the char after it (emoji sequences
/// such as 👩‍🚒).
fn extenders(s: &str, mut i: usize, start: usize) -> usize {
    while let Some(c) = char_at(s, i) {
        if !is_extender(c) || !fits(start, i, c.len_utf8()) {
            break;
        }
        i += c.len_utf8();
        if c == '\u{200D}' {
            if let Some(n) = char_at(s, i).filter(|n| !n.is_whitespace() && fits(start, i, n.len_utf8())) {
                i += n.len_utf8();
            }
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(&str, TokenKind)> {
        let mut out = Vec::new();
        tokenize(text, 0..text.len(), &mut out);
        out.into_iter().map(|t| (&text[t.bytes], t.kind)).collect()
    }

    use TokenKind::{Number as N, Punct as P, Word as W};

    #[test]
    fn words_numbers_punct() {
        assert_eq!(
            tokens("Don't say the Kremlin’s well-known 1,000 (3.5%)..."),
            [
                ("Don't", W),
                ("say", W),
                ("the", W),
                ("Kremlin’s", W),
                ("well-known", W),
                ("1,000", N),
                ("(", P),
                ("3.5", N),
                ("%", P),
                (")", P),
                ("...", P)
            ]
        );
    }

    #[test]
    fn joiners_at_edges_are_punct() {
        assert_eq!(
            tokens("'90s students' -x 1990-2000 COVID-19 20-year-old v2.0."),
            [
                ("'", P),
                ("90s", W),
                ("students", W),
                ("'", P),
                ("-", P),
                ("x", W),
                ("1990", N),
                ("-", P),
                ("2000", N),
                ("COVID-19", W),
                ("20-year-old", W),
                ("v2.0", W),
                (".", P)
            ]
        );
    }

    #[test]
    fn emoji_sequences_stay_whole() {
        assert_eq!(
            tokens("👍🏽👩\u{200D}🚒🇺🇸!"),
            [("👍🏽", P), ("👩\u{200D}🚒", P), ("🇺🇸", P), ("!", P)]
        );
    }

    #[test]
    fn combining_marks_and_ideographs() {
        // "café" with a combining acute accent, then Chinese.
        assert_eq!(
            tokens("cafe\u{301} 北京市"),
            [("cafe\u{301}", W), ("北", W), ("京", W), ("市", W)]
        );
    }

    #[test]
    fn a_mark_with_nothing_to_modify_is_punct() {
        // U+05BF (Hebrew rafe) and U+0617 (an Arabic small high letter) are Alphabetic marks.
        assert_eq!(
            tokens("a \u{5bf} 7 \u{617}\u{301}x \u{301}"),
            [("a", W), ("\u{5bf}", P), ("7", N), ("\u{617}\u{301}", P), ("x", W), ("\u{301}", P)]
        );
    }

    #[test]
    fn long_runs_are_cut() {
        let text = "x".repeat(3 * MAX_TOKEN_BYTES);
        let got = tokens(&text);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|(t, _)| t.len() == MAX_TOKEN_BYTES));
    }

    #[test]
    fn a_cut_never_splits_or_overshoots_a_char() {
        // A two-byte letter, a two-byte mark and a joiner with an emoji, each arriving when the
        // token has one byte of room left (found by fuzzing: a 1,025-byte token).
        for tail in ["é", "e\u{301}", "👩\u{200D}🚒"] {
            let text = format!("{}{tail}{}", "x".repeat(MAX_TOKEN_BYTES - 1), "y".repeat(5));
            let got = tokens(&text);
            assert!(got.iter().all(|(t, _)| !t.is_empty() && t.len() <= MAX_TOKEN_BYTES), "{tail:?}: {got:?}");
            assert_eq!(got.iter().map(|(t, _)| *t).collect::<String>(), text.split_whitespace().collect::<String>());
        }
        // The extenders of an emoji alone: a run of skin-tone modifiers is cut within the limit.
        let text = format!("👍{}", "\u{1F3FD}".repeat(MAX_TOKEN_BYTES));
        assert!(tokens(&text).iter().all(|(t, _)| t.len() <= MAX_TOKEN_BYTES));
    }
}
