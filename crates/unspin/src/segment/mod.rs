//! Stage 2: paragraphs, sentences and word tokens, each with char and byte offsets.
//!
//! [`segment`] cuts a text in three passes, each linear in the text:
//!
//! 1. `paragraphs.rs`: runs of non-blank lines, trimmed;
//! 2. `sentences.rs`: rule-based boundaries inside each paragraph (terminators, closing quotes,
//!    line breaks), checked against the word lists of `abbreviations.rs`; sentences never cross a
//!    paragraph;
//! 3. `tokens.rs`: words, numbers and punctuation inside each sentence. A sentence of more than
//!    [`MAX_SENTENCE_TOKENS`] tokens or [`MAX_SENTENCE_BYTES`] bytes (text without punctuation) is
//!    cut at the next whitespace, so every sentence stays small enough for a model's window; no
//!    token is longer than [`MAX_TOKEN_BYTES`].
//!
//! The passes work in byte offsets; [`CharIndex`] turns every range into a [`Span`] with char
//! offsets too. The rules, and the cases they knowingly get wrong, are documented in each file.

mod abbreviations;
mod paragraphs;
mod sentences;
mod tokens;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::offsets::{CharIndex, Cursor, Span};

pub use sentences::{MAX_SENTENCE_BYTES, MAX_SENTENCE_TOKENS};
pub use tokens::MAX_TOKEN_BYTES;

/// The segmentation of one text. Sentences lie inside paragraphs; tokens inside sentences; all in
/// text order and non-overlapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Segmentation {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    #[serde(flatten)]
    pub span: Span,
    /// Indices into [`Segmentation::sentences`].
    pub sentences: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    #[serde(flatten)]
    pub span: Span,
    /// Index into [`Segmentation::paragraphs`].
    pub paragraph: usize,
    /// Indices into [`Segmentation::tokens`].
    pub tokens: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters, with inner apostrophes and hyphens ("don't", "well-known").
    Word,
    /// Digits, with inner separators ("3.5", "1,000").
    Number,
    /// Any other non-space character.
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    #[serde(flatten)]
    pub span: Span,
    pub kind: TokenKind,
}

/// Segment `text` into paragraphs, sentences and tokens. Total: any text gives a segmentation
/// (empty for blank text), in time and memory linear in its length.
pub fn segment(text: &str) -> Segmentation {
    let index = CharIndex::new(text);
    // Sentences and tokens come in text order: the cursor converts them in one forward walk.
    let mut cursor = index.cursor();
    let mut seg = Segmentation::default();
    // Reused for every sentence, so that only the output grows.
    let mut raw = Vec::new();
    for paragraph in paragraphs::paragraphs(text) {
        let Some(paragraph_span) = index.span_from_bytes(paragraph.clone()) else {
            debug_assert!(false, "paragraph {paragraph:?} off char boundaries");
            continue;
        };
        let first_sentence = seg.sentences.len();
        for sentence in sentences::sentences(&text[paragraph.clone()]) {
            raw.clear();
            tokens::tokenize(
                text,
                paragraph.start + sentence.start..paragraph.start + sentence.end,
                &mut raw,
            );
            for piece in sentences::capped(&raw) {
                push_sentence(&mut seg, &mut cursor, &raw[piece]);
            }
        }
        seg.paragraphs.push(Paragraph {
            span: paragraph_span,
            sentences: first_sentence..seg.sentences.len(),
        });
    }
    seg
}

/// Append one sentence made of `raw` tokens (never empty) and its tokens to `seg`, as part of the
/// paragraph about to be pushed.
fn push_sentence(seg: &mut Segmentation, cursor: &mut Cursor, raw: &[tokens::RawToken]) {
    let first_token = seg.tokens.len();
    for token in raw {
        match cursor.span_from_bytes(token.bytes.clone()) {
            Some(span) => seg.tokens.push(Token { span, kind: token.kind }),
            None => debug_assert!(false, "token {:?} off char boundaries", token.bytes),
        }
    }
    // The sentence runs from its first token to its last.
    let (Some(first), Some(last)) = (seg.tokens.get(first_token), seg.tokens.last()) else {
        return;
    };
    let span = first.span.to(&last.span);
    let paragraph = seg.paragraphs.len();
    seg.sentences.push(Sentence { span, paragraph, tokens: first_token..seg.tokens.len() });
}

impl Segmentation {
    /// Index of the sentence containing code point `char_offset`, if any.
    pub fn sentence_at(&self, char_offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= char_offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= char_offset).then_some(i)
    }

    /// Number of word and number tokens.
    pub fn word_count(&self) -> usize {
        self.tokens.iter().filter(|t| t.kind != TokenKind::Punct).count()
    }
}
