//! Lines that label an article rather than say anything: bylines ("By Jane Doe", "By JANE DOE
//! and JOHN ROE, Reuters"), credit lines ("Reporting by …; Editing by …") and datelines standing
//! on their own line ("KYIV, Ukraine, Feb. 24 (AP) —"). They are never claims, whatever a
//! check-worthiness score says of them.
//!
//! Recognised by shape, never by name: a line whose words are all capitalised (names, titles,
//! agencies) but for a few joining words, opened by "By", by a credit word and "by", or by a
//! place in capitals and closed by a dash or an agency in brackets. A dateline that opens a
//! sentence ("WASHINGTON (Reuters) — The Senate voted…") is part of that sentence, which stays
//! a claim. What this misses: bylines with lower-case name particles other than those listed
//! ("de", "van" are listed; "bin" is not), and lines of page furniture of other shapes.

use crate::segment::{Sentence, TokenKind};

/// Most words a byline, credit line or dateline has.
const MAX_WORDS: usize = 16;

/// Lower-case words allowed between the names of a byline or credit line.
const JOINERS: &[&str] =
    &["and", "by", "of", "the", "for", "in", "at", "from", "with", "de", "van", "von", "der", "al", "la", "le", "&"];

/// Words that open a credit line when "by" follows within two words.
const CREDITS: &[&str] = &[
    "reporting",
    "writing",
    "editing",
    "additional",
    "compiled",
    "written",
    "edited",
    "photo",
    "photos",
    "photograph",
    "photographs",
    "graphics",
    "illustration",
    "video",
    "text",
    "research",
    "translation",
    "translated",
];

/// Whether the sentence is a byline, a credit line or a dateline on its own.
pub(crate) fn is_furniture(text: &str, tokens: &[crate::segment::Token], sentence: &Sentence) -> bool {
    let Some(tokens) = tokens.get(sentence.tokens.clone()) else {
        return false;
    };
    let words: Vec<&str> = tokens.iter().filter(|t| t.kind != TokenKind::Punct).map(|t| t.span.text(text)).collect();
    if words.len() < 2 || words.len() > MAX_WORDS {
        return false;
    }
    let capital = |w: &str| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric());
    let name_like = |ws: &[&str]| {
        ws.iter().all(|w| capital(w) || JOINERS.contains(&w.to_lowercase().as_str())) && ws.iter().any(|w| capital(w))
    };
    let first = words[0].to_lowercase();
    // "By Jane Doe", "BY JANE DOE".
    if first == "by" && capital(words[0]) && name_like(&words[1..]) {
        return true;
    }
    // "Reporting by Jane Doe; Editing by John Roe", "Additional reporting by …".
    if CREDITS.contains(&first.as_str())
        && capital(words[0])
        && words[1..words.len().min(3)].iter().any(|w| w.eq_ignore_ascii_case("by"))
    {
        let rest: Vec<&str> =
            words[1..].iter().copied().filter(|w| !CREDITS.contains(&w.to_lowercase().as_str())).collect();
        return name_like(&rest);
    }
    // "KYIV, Ukraine, Feb. 24 (AP) —": a place in capitals, capitalised words and numbers, and a
    // dash or an agency's bracket to close it.
    let all_caps = words[0].chars().count() >= 2 && words[0].chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
    let body = sentence.span.text(text).trim_end();
    let closed = body.ends_with(['—', '–', '-', ')']);
    all_caps && closed && words.iter().all(|w| capital(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn furniture(line: &str) -> bool {
        let seg = crate::claims::one_sentence(line);
        seg.sentences.first().is_some_and(|s| is_furniture(line, &seg.tokens, s))
    }

    #[test]
    fn bylines_credits_and_datelines() {
        for line in [
            "By Jane Doe",
            "By JANE DOE and JOHN ROE, Reuters",
            "By Maria Lindqvist, Senior Political Correspondent",
            "BY ANNA DE LA CRUZ",
            "Reporting by Jane Doe; Editing by John Roe",
            "Additional reporting by Tom Hale in Kyiv",
            "KYIV, Ukraine, Feb. 24 (AP) —",
            "WASHINGTON (Reuters) -",
        ] {
            assert!(furniture(line), "{line}");
        }
    }

    #[test]
    fn sentences_that_only_look_like_them() {
        for line in [
            "By Tuesday the army had withdrawn from the city.",
            "By then, nobody believed the minister.",
            "By",
            "WASHINGTON (Reuters) — The Senate passed the spending bill late on Thursday.",
            "Reporting on the war has been difficult for months.",
            "The UN Security Council Met On Friday",
        ] {
            assert!(!furniture(line), "{line}");
        }
    }
}
