//! One analysis as table rows: what [`super::Store`] writes into the database, and what other
//! front ends that build the same tables elsewhere (the Python package's `to_pandas`, the Spark
//! job's Parquet files) take, so that every copy of a table has the same columns and values.
//!
//! The rows carry no database ids: the store links them to the document row it inserts, and the
//! Spark job to a key of its own.

use serde::Serialize;

use super::{ModelId, RecordKey};
use crate::report::Analysis;

/// The rows of one document, in the layout of the `documents`, `spans`, `sentences` and
/// `sentence_techniques` tables (`docs/corpus.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rows<'a> {
    pub document: DocumentRow<'a>,
    pub spans: Vec<SpanRow<'a>>,
    pub sentences: Vec<SentenceRow<'a>>,
    pub sentence_techniques: Vec<SentenceTechniqueRow>,
}

/// A `documents` row, without its id and `analysed_at` (the writer's to give).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentRow<'a> {
    pub source: &'a str,
    pub record: u64,
    pub doc_id: &'a str,
    pub url: Option<&'a str>,
    /// The outlet: the host without `www.`.
    pub outlet: Option<&'a str>,
    pub outlet_name: Option<&'a str>,
    pub title: Option<&'a str>,
    pub date: Option<&'a str>,
    pub language: Option<&'a str>,
    pub chars: u64,
    pub words: u64,
    pub sentences: u64,
    pub spans: u64,
    /// Sentences that overlap at least one span.
    pub span_sentences: u64,
    pub claims: u64,
    pub unattributed: u64,
    /// Sentences scored subjective; `None` when no sentence was scored.
    pub subjective: Option<u64>,
    /// Sentences with a subjectivity score.
    pub scored: u64,
    pub score: f64,
    pub content_hash: &'a str,
    pub model: &'a str,
    pub model_version: &'a str,
}

/// A `spans` row, without the document it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanRow<'a> {
    /// The SemEval label (`Loaded_Language`).
    pub technique: &'static str,
    pub char_start: u64,
    pub char_end: u64,
    pub byte_start: u64,
    pub byte_end: u64,
    pub text: &'a str,
    pub confidence: f64,
}

/// A `sentences` row, without the document it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceRow<'a> {
    /// The sentence's 0-based index in the document.
    pub idx: u64,
    pub char_start: u64,
    pub char_end: u64,
    pub checkworthy: Option<f64>,
    pub subjective: Option<f64>,
    /// What the sentence rests on (`quote`, `speech`, `vague`, …; `none` without a claims entry).
    pub source_kind: &'a str,
    pub claim: bool,
    pub unattributed: bool,
    pub hedged: bool,
    pub insinuation: bool,
}

/// A `sentence_techniques` row: a technique has a span overlapping the sentence. Each pair once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SentenceTechniqueRow {
    pub sentence: u64,
    pub technique: &'static str,
}

impl<'a> Rows<'a> {
    /// The rows of `analysis`, stored under `key`, of content `content_hash`, analysed by `model`.
    pub fn new(key: &'a RecordKey, content_hash: &'a str, model: &'a ModelId, analysis: &'a Analysis) -> Self {
        let doc = &analysis.document;
        let meta = &doc.meta;
        let stats = &analysis.stats;
        let claims = &analysis.claims;
        let sentences = &analysis.segmentation.sentences;
        // For each span, the sentences it overlaps (sentences are sorted and disjoint).
        let overlapped = |start: usize, end: usize| {
            let first = sentences.partition_point(|s| s.span.end <= start);
            let last = sentences.partition_point(|s| s.span.start < end);
            first..last.max(first)
        };
        let mut sentence_techniques = Vec::new();
        for span in &analysis.spans {
            for i in overlapped(span.span.start, span.span.end) {
                sentence_techniques.push(SentenceTechniqueRow { sentence: i as u64, technique: span.technique.label() });
            }
        }
        sentence_techniques.sort();
        sentence_techniques.dedup();
        let mut span_sentences: Vec<u64> = sentence_techniques.iter().map(|r| r.sentence).collect();
        span_sentences.dedup();

        let document = DocumentRow {
            source: &key.source,
            record: key.record,
            doc_id: &doc.id,
            url: meta.url.as_deref(),
            outlet: meta.site.as_deref(),
            outlet_name: meta.site_name.as_deref(),
            title: meta.title.as_deref(),
            date: meta.date.as_deref(),
            language: meta.language.as_deref(),
            chars: stats.chars as u64,
            words: stats.words as u64,
            sentences: stats.sentences as u64,
            spans: stats.spans as u64,
            span_sentences: span_sentences.len() as u64,
            claims: claims.summary.claims as u64,
            unattributed: claims.summary.unattributed as u64,
            subjective: claims.summary.subjective.map(|n| n as u64),
            scored: claims.sentences.iter().filter(|s| s.subjective.is_some()).count() as u64,
            score: stats.score,
            content_hash,
            model: &model.name,
            model_version: &model.version,
        };
        let spans = analysis
            .spans
            .iter()
            .map(|s| SpanRow {
                technique: s.technique.label(),
                char_start: s.span.start as u64,
                char_end: s.span.end as u64,
                byte_start: s.span.byte_start as u64,
                byte_end: s.span.byte_end as u64,
                text: &s.text,
                confidence: f64::from(s.confidence),
            })
            .collect();
        let sentences = sentences
            .iter()
            .enumerate()
            .map(|(i, sentence)| {
                // The claims stage gives one entry per sentence; a missing one is no claim.
                let c = claims.sentences.iter().find(|c| c.sentence == i);
                SentenceRow {
                    idx: i as u64,
                    char_start: sentence.span.start as u64,
                    char_end: sentence.span.end as u64,
                    checkworthy: c.and_then(|c| c.checkworthy).map(f64::from),
                    subjective: c.and_then(|c| c.subjective).map(f64::from),
                    source_kind: c.map_or("none", |c| c.source.kind.as_str()),
                    claim: c.is_some_and(|c| c.claim),
                    unattributed: c.is_some_and(|c| c.unattributed),
                    hedged: c.is_some_and(|c| c.hedged()),
                    insinuation: c.is_some_and(|c| c.insinuation.is_some()),
                }
            })
            .collect();
        Rows { document, spans, sentences, sentence_techniques }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing;

    #[test]
    fn rows_follow_the_analysis() {
        let analysis = testing::analysis();
        let key = RecordKey { source: "in.jsonl".into(), record: 3 };
        let model = ModelId { name: "test".into(), version: "v1".into() };
        let rows = Rows::new(&key, "hash", &model, &analysis);
        let text = analysis.document.text.as_str();
        assert_eq!(rows.document.source, "in.jsonl");
        assert_eq!(rows.document.record, 3);
        assert_eq!(rows.document.spans as usize, analysis.spans.len());
        assert_eq!(rows.spans.len(), analysis.spans.len());
        for (row, span) in rows.spans.iter().zip(&analysis.spans) {
            assert_eq!(row.text, span.span.text(text));
            assert_eq!(&text[row.byte_start as usize..row.byte_end as usize], row.text);
            assert_eq!(row.technique, span.technique.label());
        }
        assert_eq!(rows.sentences.len(), analysis.segmentation.sentences.len());
        // Every sentence a span touches is listed once per technique, and counted once.
        let touched: std::collections::BTreeSet<u64> = rows.sentence_techniques.iter().map(|r| r.sentence).collect();
        assert!(!touched.is_empty());
        assert_eq!(rows.document.span_sentences, touched.len() as u64);
        for r in &rows.sentence_techniques {
            let sentence = analysis.segmentation.sentences[r.sentence as usize].span;
            assert!(analysis.spans.iter().any(|s| s.technique.label() == r.technique
                && s.span.start < sentence.end
                && sentence.start < s.span.end));
        }
    }
}
