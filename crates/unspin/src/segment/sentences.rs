//! Sentence boundaries inside one paragraph: rule-based, one pass, linear time.
//!
//! A sentence ends
//!
//! - after a run of terminators (`.`, `!`, `?`, `…`, `...`, `?!`, and their counterparts in other
//!   scripts), plus any closing quotes and brackets right after it, when whitespace and a plausible
//!   sentence start follow. A lower-case start is never plausible ("he paused... and left",
//!   "“Why?” he asked"). A single period is further checked against the word before it (see
//!   [`Class`] and [`super::abbreviations`]). Without whitespace after it a terminator splits
//!   nothing ("3.5", "rt.com", "U.S.A."), except the CJK full stops, which are not followed by
//!   spaces in CJK text;
//! - at a line break, except a soft wrap: the next line starts in lower case, or the line ends with
//!   `,`, `;` or a hyphen, which do not end headlines or sentences. A line that ends in a
//!   terminator ends its sentence even before a lower-case line, unless the terminator is the
//!   period of an abbreviation or initial ("the U.S.\nofficials").
//!
//! The known hard case is an abbreviation that can end a sentence ("U.S.", "Inc.", "Jr.", dotted
//! forms like "a.m.") or an initial, followed by a capitalised word: "in the U.S. The army" is two
//! sentences, "the U.S. Army" one. The splitter splits only when the next word is a common
//! sentence opener ([`super::abbreviations::is_common_starter`]: The, But, He, It, In…), so it
//! misses boundaries before names ("…in the U.S. Trump said") rather than cutting names apart.
//!
//! Every look-behind and look-ahead is bounded (a word of at most [`MAX_WORD_BYTES`]), and the scan
//! jumps past what it has looked at, so the cost is linear in the paragraph.

use std::ops::Range;

use super::abbreviations;
use super::paragraphs::is_line_break;
use super::tokens::RawToken;

/// Longest word looked at around a period; longer ones are no abbreviation.
const MAX_WORD_BYTES: usize = 64;

/// A sentence longer than this many tokens is cut at the next whitespace; without whitespace, at
/// twice as many.
pub const MAX_SENTENCE_TOKENS: usize = 1_000;
/// A sentence longer than this many bytes is cut at the next whitespace; without whitespace, at
/// twice as many.
pub const MAX_SENTENCE_BYTES: usize = 10_000;

/// What ends a run of terminators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminator {
    /// A single `.`: may be an abbreviation.
    Period,
    /// `..`, `...` or `…`: a pause mid-sentence when lower case follows.
    Ellipsis,
    /// Contains `!` or `?` (or their counterparts).
    Strong,
    /// A CJK full stop, question or exclamation mark: splits without whitespace after it.
    Cjk,
}

/// What the word before a single period says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// An ordinary word or number: the period ends the sentence.
    Ordinary,
    /// A title or marker ("Mr", "Gen", "vs", "e.g", "No" before a digit): the period never ends
    /// the sentence.
    Prefix,
    /// A single letter ("George W. Bush"): splits only before a common sentence opener.
    Initial,
    /// An abbreviation that can end a sentence ("Inc", "U.S", "a.m"): splits only before a common
    /// sentence opener, or at a line break.
    CanEnd,
}

fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!'
            | '?'
            | '…'
            | '‼'
            | '⁇'
            | '⁈'
            | '⁉'
            | '。'
            | '！'
            | '？'
            | '｡'
            | '؟'
            | '۔'
            | '।'
            | '॥'
            | '።'
            | '፧'
            | '։'
    )
}

fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡')
}

/// Closing quotes and brackets that belong to the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '”'
            | '’'
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '）'
            | '】'
            | '〕'
            | '〉'
            | '》'
            | '］'
    )
}

/// Opening quotes and brackets that may stand before a sentence's first word.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '„'
            | '‚'
            | '«'
            | '‹'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '「'
            | '『'
            | '（'
            | '【'
            | '《'
    )
}

/// The start of what follows a candidate boundary.
struct Next<'p> {
    /// First char after any opening quotes and brackets.
    first: Option<char>,
    /// The run of letters starting there, if it is at most [`MAX_WORD_BYTES`] long.
    word: &'p str,
}

impl Next<'_> {
    fn is_lowercase(&self) -> bool {
        self.first.is_some_and(char::is_lowercase)
    }

    fn is_common_starter(&self) -> bool {
        abbreviations::is_common_starter(self.word)
    }
}

fn next_at(p: &str, at: usize) -> Next<'_> {
    let rest = &p[at..];
    // Skip a few openers only: a run of thousands of brackets is no sentence start to inspect.
    let skipped: usize =
        rest.chars().take(4).take_while(|&c| is_opener(c)).map(char::len_utf8).sum();
    let rest = &rest[skipped..];
    let first = rest.chars().next();
    let letters: usize = rest
        .char_indices()
        .take_while(|&(i, c)| i <= MAX_WORD_BYTES && c.is_alphabetic())
        .map(|(_, c)| c.len_utf8())
        .sum();
    let word = if letters <= MAX_WORD_BYTES { &rest[..letters] } else { "" };
    Next { first, word }
}

/// Byte ranges of the sentences of paragraph `p`, relative to `p`, in order, trimmed, never empty.
pub(super) fn sentences(p: &str) -> Vec<Range<usize>> {
    // Byte offsets where a sentence ends; the next one starts after the whitespace there.
    let mut cuts = Vec::new();
    let bytes = p.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Fast path: ASCII other than terminators and line breaks needs no decoding.
        if bytes[i] < 0x80 && !matches!(bytes[i], b'.' | b'!' | b'?' | b'\n' | b'\r' | 0x0B | 0x0C)
        {
            i += 1;
            continue;
        }
        let Some(c) = p[i..].chars().next() else {
            break;
        };
        i = if is_terminator(c) {
            after_terminator(p, i, &mut cuts)
        } else if is_line_break(c) {
            after_line_break(p, i, &mut cuts)
        } else {
            i + c.len_utf8()
        };
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for end in cuts.into_iter().chain(std::iter::once(p.len())) {
        let piece = &p[start..end];
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if !trimmed.is_empty() {
            out.push(start + lead..start + lead + trimmed.len());
        }
        start = end;
    }
    out
}

/// Handle the run of terminators starting at byte `start`; returns where to scan on.
fn after_terminator(p: &str, start: usize, cuts: &mut Vec<usize>) -> usize {
    let mut end = start;
    let mut count = 0;
    let mut kind = Terminator::Period;
    for c in p[start..].chars().take_while(|&c| is_terminator(c)) {
        end += c.len_utf8();
        count += 1;
        kind = match (kind, c) {
            (_, c) if is_cjk_terminator(c) => Terminator::Cjk,
            (Terminator::Cjk, _) => Terminator::Cjk,
            (_, '.') if count > 1 && kind != Terminator::Strong => Terminator::Ellipsis,
            (_, '.') => kind,
            (Terminator::Strong, _) => Terminator::Strong,
            (_, '…') => Terminator::Ellipsis,
            _ => Terminator::Strong,
        };
    }
    let mut close =
        end + p[end..].chars().take_while(|&c| is_closer(c)).map(char::len_utf8).sum::<usize>();
    let Some(after) = p[close..].chars().next() else {
        return close;
    };
    if !after.is_whitespace() {
        if kind == Terminator::Cjk {
            cuts.push(close);
        }
        return close;
    }
    let (mut next, mut crosses_line) = skip_whitespace(p, close);
    // "(Read it here. ) Then": a closing bracket after a space still belongs to this sentence.
    let bracket: usize =
        p[next..].chars().take_while(|&c| is_closer(c) && !is_opener(c)).map(char::len_utf8).sum();
    if bracket > 0 && p[next + bracket..].chars().next().is_none_or(char::is_whitespace) {
        close = next + bracket;
        (next, crosses_line) = skip_whitespace(p, close);
    }
    if next < p.len() && ends_sentence(p, start, kind, &next_at(p, next), crosses_line) {
        cuts.push(close);
    }
    next
}

/// The end of the whitespace at `at`, and whether it holds a line break.
fn skip_whitespace(p: &str, at: usize) -> (usize, bool) {
    let mut end = at;
    let mut crosses_line = false;
    for c in p[at..].chars().take_while(|c| c.is_whitespace()) {
        crosses_line |= is_line_break(c);
        end += c.len_utf8();
    }
    (end, crosses_line)
}

/// Whether the terminator run at `start` ends its sentence, given what follows the whitespace
/// after it.
fn ends_sentence(p: &str, start: usize, kind: Terminator, next: &Next, crosses_line: bool) -> bool {
    let class = match kind {
        Terminator::Period => classify(word_before(p, start), next),
        _ => Class::Ordinary,
    };
    if next.is_lowercase() {
        // Lower case continues the sentence on the same line; across a line break only after an
        // abbreviation, as a hard-wrapped "the U.S.\nofficials" does.
        return crosses_line && class == Class::Ordinary;
    }
    match class {
        Class::Ordinary => true,
        Class::Prefix => false,
        Class::Initial => next.is_common_starter(),
        Class::CanEnd => crosses_line || next.is_common_starter(),
    }
}

/// The word right before byte `end` (a period), back to whitespace or an opening bracket or
/// quote; empty if longer than [`MAX_WORD_BYTES`].
fn word_before(p: &str, end: usize) -> &str {
    let mut start = end;
    for c in p[..end].chars().rev() {
        if c.is_whitespace() || is_opener(c) {
            return &p[start..end];
        }
        start -= c.len_utf8();
        if end - start > MAX_WORD_BYTES {
            return "";
        }
    }
    &p[start..end]
}

fn classify(word: &str, next: &Next) -> Class {
    // In "pro-U.S." or "then-Sen." the abbreviation is the last part of the compound.
    let word = word.rsplit(['-', '‐', '/']).next().unwrap_or(word);
    if !word.chars().next_back().is_some_and(char::is_alphanumeric) {
        return Class::Ordinary;
    }
    if abbreviations::is_prefix(word)
        || (abbreviations::is_number_sign(word) && next.first.is_some_and(char::is_numeric))
    {
        return Class::Prefix;
    }
    let mut chars = word.chars();
    if chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none() {
        return Class::Initial;
    }
    if is_dotted(word) || abbreviations::can_end(word) {
        return Class::CanEnd;
    }
    Class::Ordinary
}

/// Dotted abbreviations: letters in groups of one or two between periods ("U.S", "a.m", "Ph.D",
/// "D.C"), as opposed to domains ("rt.com") and numbers ("3.5").
fn is_dotted(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let n = part.chars().count();
            (1..=2).contains(&n) && part.chars().all(char::is_alphabetic)
        })
}

/// Handle a line break at `at` that no terminator run has consumed; returns where to scan on.
fn after_line_break(p: &str, at: usize, cuts: &mut Vec<usize>) -> usize {
    let (next, _) = skip_whitespace(p, at);
    if next >= p.len() {
        return next;
    }
    let last = p[..at].chars().rev().find(|c| !c.is_whitespace());
    let soft_wrap = next_at(p, next).is_lowercase()
        || last.is_some_and(|c| matches!(c, ',' | ';' | '-' | '‐' | '‑' | '&' | '/'));
    if !soft_wrap {
        cuts.push(at);
    }
    next
}

/// Cuts the tokens of a sentence into pieces of bounded size, returning ranges of token indices.
///
/// Text without punctuation (a 100,000-word line, a scraped table, a run of hashtags) would
/// otherwise become one enormous sentence, and later stages window sentences. A piece ends at the
/// first whitespace after [`MAX_SENTENCE_TOKENS`] tokens or [`MAX_SENTENCE_BYTES`] bytes; text
/// without whitespace (CJK without full stops, a long blob) is cut between tokens at twice those
/// limits. `tokens` must not be empty for a piece to come out.
pub(super) fn capped(tokens: &[RawToken]) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        let base = tokens[start].bytes.start;
        let fits = |j: usize, factor: usize| {
            j - start < factor * MAX_SENTENCE_TOKENS
                && tokens[j].bytes.end - base <= factor * MAX_SENTENCE_BYTES
        };
        let mut end = start;
        while end < tokens.len() && fits(end, 1) {
            end += 1;
        }
        if end < tokens.len() {
            // Over the soft limit: go on to the next gap between tokens, which is whitespace
            // since tokens cover everything else.
            let mut gap = end.max(start + 1);
            while gap < tokens.len()
                && tokens[gap].bytes.start == tokens[gap - 1].bytes.end
                && fits(gap, 2)
            {
                gap += 1;
            }
            end = gap.min(tokens.len());
        }
        pieces.push(start..end);
        start = end;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(p: &str) -> Vec<&str> {
        sentences(p).into_iter().map(|r| &p[r]).collect()
    }

    #[test]
    fn terminators_closers_and_lower_case() {
        assert_eq!(split("He said “No.” Then he left!"), ["He said “No.”", "Then he left!"]);
        assert_eq!(
            split("“Why?” he asked. Really?! Yes…"),
            ["“Why?” he asked.", "Really?!", "Yes…"]
        );
        assert_eq!(split("He paused... and left. Then..."), ["He paused... and left.", "Then..."]);
    }

    #[test]
    fn abbreviation_classes() {
        assert_eq!(
            split("Mr. Smith met Gen. Lee. It rained."),
            ["Mr. Smith met Gen. Lee.", "It rained."]
        );
        assert_eq!(split("Apple Inc. The firm grew."), ["Apple Inc.", "The firm grew."]);
        assert_eq!(split("Apple Inc. Chief Tim Cook spoke."), ["Apple Inc. Chief Tim Cook spoke."]);
        assert_eq!(
            split("He lives at No. 10 now. No. He left."),
            ["He lives at No. 10 now.", "No.", "He left."]
        );
        assert_eq!(
            split("A pro-U.S. Gen. Lee rose. (See here. ) Then-Sen. Obama spoke."),
            ["A pro-U.S. Gen. Lee rose.", "(See here. )", "Then-Sen. Obama spoke."]
        );
    }

    #[test]
    fn dotted_shapes() {
        assert!(is_dotted("U.S"));
        assert!(is_dotted("Ph.D"));
        assert!(!is_dotted("rt.com"));
        assert!(!is_dotted("3.5"));
        assert!(!is_dotted("US"));
    }

    #[test]
    fn words_before_periods_are_bounded() {
        let long = "a".repeat(100);
        let p = format!("({long}.");
        assert_eq!(word_before(&p, p.len() - 1), "");
        assert_eq!(word_before("(e.g.", 4), "e.g");
    }

    #[test]
    fn cjk_full_stop_splits_without_space() {
        assert_eq!(split("我们走了。他们留下！好吗？"), ["我们走了。", "他们留下！", "好吗？"]);
    }
}
