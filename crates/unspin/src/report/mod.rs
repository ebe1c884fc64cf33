//! Stage 4: the analysis of a document and its renderings.
//!
//! [`Analysis`] is the typed result for one document; [`Summary`] adds up many. Each output format
//! is a module with a writer:
//!
//! | format | module | shape |
//! |---|---|---|
//! | `json` | [`json`] | one JSON object: `schema_version`, `documents`, `summary`, `errors` |
//! | `jsonl` | [`json`] | one `document` record per line, `error` records, a closing `summary` |
//! | `semeval` | [`semeval`] | `article_id<TAB>technique<TAB>start<TAB>end` lines |
//! | `brat` | [`brat`] | `.ann` standoff (and the `.txt` it refers to) |
//! | `labelstudio` | [`labelstudio`] | Label Studio tasks with pre-annotations |
//! | `text` | [`terminal`] | the article with spans highlighted, a legend and counts |
//!
//! The JSON schema is documented in `docs/output.md`; [`SCHEMA_VERSION`] changes whenever a field
//! changes meaning or disappears (adding a field is a minor version).

pub mod brat;
pub mod json;
pub mod labelstudio;
pub mod semeval;
pub mod terminal;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::detect::{Technique, TechniqueSpan};
use crate::segment::Segmentation;
use crate::Document;

/// Version of the JSON output schema (`major.minor`).
pub const SCHEMA_VERSION: &str = "1.0";

/// Everything unspin found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub document: Document,
    pub segmentation: Segmentation,
    /// Technique spans in document order.
    pub spans: Vec<TechniqueSpan>,
    pub stats: DocumentStats,
}

/// Counts for one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentStats {
    /// Length of the text in code points.
    pub chars: usize,
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: usize,
    pub spans: usize,
    /// Spans per technique (only techniques that occur).
    pub techniques: BTreeMap<Technique, usize>,
    /// Share of the text's code points inside at least one span, 0–1.
    pub span_char_share: f64,
    /// Share of sentences that contain at least one span, 0–1.
    pub span_sentence_share: f64,
}

impl Analysis {
    pub fn new(document: Document, segmentation: Segmentation, spans: Vec<TechniqueSpan>) -> Self {
        let stats = DocumentStats::of(&document, &segmentation, &spans);
        Analysis { document, segmentation, spans, stats }
    }
}

impl DocumentStats {
    fn of(document: &Document, segmentation: &Segmentation, spans: &[TechniqueSpan]) -> Self {
        let chars = document.text.chars().count();
        let mut techniques = BTreeMap::new();
        for span in spans {
            *techniques.entry(span.technique).or_insert(0) += 1;
        }
        // Union of span ranges; spans are sorted by start.
        let mut covered = 0;
        let mut reach = 0;
        for span in spans {
            let start = span.span.start.max(reach);
            if span.span.end > start {
                covered += span.span.end - start;
            }
            reach = reach.max(span.span.end);
        }
        let with_spans = segmentation
            .sentences
            .iter()
            .filter(|s| spans.iter().any(|t| t.span.overlaps(&s.span)))
            .count();
        DocumentStats {
            chars,
            words: segmentation.word_count(),
            sentences: segmentation.sentences.len(),
            paragraphs: segmentation.paragraphs.len(),
            spans: spans.len(),
            techniques,
            span_char_share: ratio(covered, chars),
            span_sentence_share: ratio(with_spans, segmentation.sentences.len()),
        }
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round4(part as f64 / whole as f64)
    }
}

/// Four decimals are plenty for shares and keep output stable across platforms.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Totals over a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub documents: usize,
    /// Inputs or records that could not be read or analysed.
    pub errors: usize,
    pub chars: usize,
    pub words: usize,
    pub sentences: usize,
    pub spans: usize,
    pub techniques: BTreeMap<Technique, usize>,
}

impl Summary {
    pub fn add(&mut self, analysis: &Analysis) {
        let s = &analysis.stats;
        self.documents += 1;
        self.chars += s.chars;
        self.words += s.words;
        self.sentences += s.sentences;
        self.spans += s.spans;
        for (t, n) in &s.techniques {
            *self.techniques.entry(*t).or_insert(0) += n;
        }
    }

    pub fn add_error(&mut self) {
        self.errors += 1;
    }
}
