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
        // Sentences are sorted and disjoint: each span marks the run of sentences it overlaps,
        // found by binary search, so the count costs O((S + T) log S), not O(S × T).
        let sentences = &segmentation.sentences;
        let mut marked = vec![false; sentences.len()];
        for span in spans {
            let first = sentences.partition_point(|s| s.span.end <= span.span.start);
            let last = sentences.partition_point(|s| s.span.start < span.span.end);
            for flag in marked.iter_mut().take(last).skip(first) {
                *flag = true;
            }
        }
        let with_spans = marked.iter().filter(|&&m| m).count();
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

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Jsonl,
    Semeval,
    Brat,
    LabelStudio,
}

/// Options every writer may use.
#[derive(Debug, Clone, Default)]
pub struct WriterOptions {
    /// Colour in terminal output.
    pub color: bool,
    /// Include word tokens in JSON output.
    pub tokens: bool,
    /// Write brat `.txt`/`.ann` pairs into this directory instead of one `.ann` to the output.
    pub out_dir: Option<std::path::PathBuf>,
}

/// Receives analyses in input order, errors where they happen, and the summary at the end.
pub trait ReportWriter {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()>;

    /// An input or record that could not be read or analysed. Formats with no place for errors
    /// ignore it (the front end reports it on stderr anyway).
    fn error(&mut self, _error: &crate::Error) -> std::io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> std::io::Result<()>;
}

/// The writer for `format`, writing to `out`.
pub fn writer<'w>(format: Format, out: impl std::io::Write + 'w, opts: &WriterOptions) -> Box<dyn ReportWriter + 'w> {
    match format {
        Format::Text => Box::new(terminal::Terminal::new(out, opts.color)),
        Format::Json => Box::new(json::Json::new(out, opts.tokens)),
        Format::Jsonl => Box::new(json::JsonLines::new(out, opts.tokens)),
        Format::Semeval => Box::new(semeval::Semeval::new(out)),
        Format::Brat => Box::new(brat::Brat::new(out, opts.out_dir.clone())),
        Format::LabelStudio => Box::new(labelstudio::LabelStudio::new(out)),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A hand-built analysis for the writers' tests, independent of the segmenter and detectors.

    use super::*;
    use crate::detect::TechniqueSpan;
    use crate::document::Metadata;
    use crate::offsets::CharIndex;
    use crate::segment::{Paragraph, Sentence};

    pub const TEXT: &str = "Patriots “résist”.\n\nThe corrupt élite lied again\nand again.";

    pub fn analysis() -> Analysis {
        let doc = Document::new(
            "701",
            TEXT,
            Metadata { source: "article701.txt".into(), title: Some("Patriots “résist”.".into()), ..Metadata::default() },
        );
        let index = CharIndex::new(TEXT);
        let span = |range: std::ops::Range<usize>| index.span_from_chars(range).unwrap();
        let segmentation = Segmentation {
            paragraphs: vec![
                Paragraph { span: span(0..18), sentences: 0..1 },
                Paragraph { span: span(20..59), sentences: 1..2 },
            ],
            sentences: vec![
                Sentence { span: span(0..18), paragraph: 0, tokens: 0..0 },
                Sentence { span: span(20..59), paragraph: 1, tokens: 0..0 },
            ],
            tokens: Vec::new(),
        };
        let technique_span = |technique, range: std::ops::Range<usize>, sentence| {
            let s = span(range);
            TechniqueSpan {
                technique,
                span: s,
                text: s.text(TEXT).to_owned(),
                confidence: 0.875,
                sentence: Some(sentence),
                detector: "test".into(),
            }
        };
        let spans = vec![
            technique_span(Technique::FlagWaving, 0..8, 0),
            technique_span(Technique::LoadedLanguage, 24..37, 1),
            technique_span(Technique::NameCallingLabeling, 32..37, 1),
            technique_span(Technique::Repetition, 38..58, 1),
        ];
        Analysis::new(doc, segmentation, spans)
    }

    pub fn render(format: Format, opts: &WriterOptions) -> String {
        let analysis = analysis();
        let mut out = Vec::new();
        {
            let mut writer = writer(format, &mut out, opts);
            let mut summary = Summary::default();
            writer.document(&analysis).unwrap();
            summary.add(&analysis);
            writer.finish(&summary).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn sample_spans_cover_the_intended_text() {
        let a = analysis();
        let texts: Vec<&str> = a.spans.iter().map(|s| s.span.text(TEXT)).collect();
        assert_eq!(texts, ["Patriots", "corrupt élite", "élite", "lied again\nand again"]);
    }

    #[test]
    fn stats_count_union_of_spans() {
        let stats = analysis().stats;
        assert_eq!(stats.chars, 59);
        assert_eq!(stats.spans, 4);
        assert_eq!(stats.techniques[&Technique::LoadedLanguage], 1);
        // 8 + 13 + 20 covered chars (élite counted once) of 59.
        assert_eq!(stats.span_char_share, round4(41.0 / 59.0));
        assert_eq!(stats.span_sentence_share, 1.0);
    }
}
