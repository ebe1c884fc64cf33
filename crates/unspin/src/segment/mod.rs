//! Stage 2: paragraphs, sentences and word tokens, each with char and byte offsets.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::offsets::Span;

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

/// Segment `text`.
pub fn segment(text: &str) -> Segmentation {
    let _ = text;
    todo!("segmentation")
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
