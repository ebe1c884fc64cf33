//! Stage 4: the analysis of a document and its renderings.
//!
//! [`Analysis`] is the typed result for one document; its [`DocumentStats`] carry the counts and
//! the document score, and [`DocumentStats::legend`] explains the techniques present. [`Summary`]
//! adds up many. Each output format is a module with a writer:
//!
//! | format | module | shape |
//! |---|---|---|
//! | `json` | [`json`] | one JSON object: `schema_version`, `documents`, `summary`, `errors` |
//! | `jsonl` | [`json`] | one `document` record per line, `error` records, a closing `summary` |
//! | `semeval` | [`semeval`] | `article_id<TAB>technique<TAB>start<TAB>end` lines (techniques only) |
//! | `brat` | [`brat`] | `.ann` standoff (and the `.txt` it refers to): techniques, then claims, quotes, cues, hedges |
//! | `labelstudio` | [`labelstudio`] | Label Studio tasks with pre-annotations: techniques, then claims, quotes, hedges |
//! | `text` | [`terminal`] | the article with spans highlighted, an explained legend and counts |
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

use crate::claims::{Claims, Source, SourceKind};
use crate::detect::{Technique, TechniqueSpan};
use crate::segment::Segmentation;
use crate::Document;

/// Version of the JSON output schema (`major.minor`).
pub const SCHEMA_VERSION: &str = "1.3";

/// Everything unspin found in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub document: Document,
    pub segmentation: Segmentation,
    /// Technique spans in document order.
    pub spans: Vec<TechniqueSpan>,
    pub stats: DocumentStats,
    /// Claims, sources, hedges and the outlet's record (schema 1.2).
    pub claims: Claims,
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
    /// 0–1: the mean over sentences of the highest confidence of any span touching the sentence
    /// (0 for a sentence without spans), i.e. the expected share of sentences that carry a
    /// technique. Equals `span_sentence_share` when every confidence is 1 (imported spans).
    /// Added in schema 1.1; 0 when reading older records.
    #[serde(default)]
    pub score: f64,
}

/// One technique present in a document, explained for the reader: the legend of the JSON and
/// terminal outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LegendEntry {
    /// Written as the SemEval label.
    #[serde(rename = "label")]
    pub technique: Technique,
    pub name: &'static str,
    /// Spans of this technique in the document.
    pub count: usize,
    pub definition: &'static str,
    pub why_it_matters: &'static str,
}

impl LegendEntry {
    pub fn new(technique: Technique, count: usize) -> Self {
        LegendEntry {
            technique,
            name: technique.name(),
            count,
            definition: technique.definition(),
            why_it_matters: technique.why_it_matters(),
        }
    }
}

impl Analysis {
    pub fn new(document: Document, segmentation: Segmentation, spans: Vec<TechniqueSpan>, claims: Claims) -> Self {
        let stats = DocumentStats::of(&document, &segmentation, &spans);
        Analysis { document, segmentation, spans, stats, claims }
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
        // For each sentence, the highest confidence of a span over it (`None`: no span).
        let mut best: Vec<Option<f64>> = vec![None; sentences.len()];
        for span in spans {
            let first = sentences.partition_point(|s| s.span.end <= span.span.start);
            let last = sentences.partition_point(|s| s.span.start < span.span.end);
            // A confidence outside 0–1 is a detector's bug; it must not push the score past 1.
            // NaN fails the comparison below and so counts as 0.
            let confidence = f64::from(span.confidence).clamp(0.0, 1.0);
            for slot in best.iter_mut().take(last).skip(first) {
                let b = slot.get_or_insert(0.0);
                if confidence > *b {
                    *b = confidence;
                }
            }
        }
        let with_spans = best.iter().filter(|b| b.is_some()).count();
        let confidence_sum: f64 = best.iter().flatten().sum();
        DocumentStats {
            chars,
            words: segmentation.word_count(),
            sentences: segmentation.sentences.len(),
            paragraphs: segmentation.paragraphs.len(),
            spans: spans.len(),
            techniques,
            span_char_share: ratio(covered, chars),
            span_sentence_share: ratio(with_spans, segmentation.sentences.len()),
            score: if sentences.is_empty() { 0.0 } else { round4(confidence_sum / sentences.len() as f64) },
        }
    }

    /// The techniques present, most frequent first (ties in label order), each explained.
    pub fn legend(&self) -> Vec<LegendEntry> {
        let mut legend: Vec<LegendEntry> = self.techniques.iter().map(|(t, n)| LegendEntry::new(*t, *n)).collect();
        legend.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.technique.label().cmp(b.technique.label())));
        legend
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

/// A source for people (terminal, brat notes, Label Studio meta): `named: Sergei Lavrov`,
/// `vague: sources close to the ministry`, `vague`, `no source`.
pub(crate) fn source_label(source: &Source) -> String {
    if source.kind == SourceKind::None {
        return "no source".to_owned();
    }
    let kind = source.kind.as_str();
    let mut label = match &source.speaker {
        Some(who) => format!("{kind}: {}", who.split_whitespace().collect::<Vec<_>>().join(" ")),
        None => kind.to_owned(),
    };
    if let Some(s) = source.carried_from {
        label.push_str(&format!(" (from sentence {})", s + 1));
    }
    label
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
    /// Claims over all documents, and how many of them have a source (schema 1.2).
    #[serde(default)]
    pub claims: usize,
    #[serde(default)]
    pub attributed: usize,
    /// Hedge cues in the writers' own voice.
    #[serde(default)]
    pub hedges: usize,
    #[serde(default)]
    pub insinuations: usize,
}

impl Summary {
    pub fn add(&mut self, analysis: &Analysis) {
        let s = &analysis.stats;
        self.documents += 1;
        self.chars += s.chars;
        self.words += s.words;
        self.sentences += s.sentences;
        self.spans += s.spans;
        let c = &analysis.claims.summary;
        self.claims += c.claims;
        self.attributed += c.attributed;
        self.hedges += c.hedges;
        self.insinuations += c.insinuations;
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
        Analysis::new(doc, segmentation, spans, Claims::default())
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

    /// A short article for the claims outputs: a named quote, an "according to" cue, a hedge, an
    /// insinuating question, an unattributed claim over a line break, and curly quotes before
    /// them all so that char and byte offsets differ.
    pub const CLAIMS_TEXT: &str = "Harbour “deal” under fire\n\n\
        “We have secured the best terms in a generation,” said Maria Lopez, the trade minister. \
        According to sources close to the ministry, the contract was signed in secret.\n\
        The port authority has reportedly lost millions on the lease. Who really benefits from this? \
        The lease will run for ninety-nine years\nand cannot be cancelled.";

    /// [`CLAIMS_TEXT`] through the real segmenter and claims stage, with no detector and no
    /// sentence scorer.
    pub fn claims_analysis() -> Analysis {
        let doc = Document::new("claims", CLAIMS_TEXT, Metadata::default());
        crate::Pipeline::new().analyze(doc).unwrap()
    }

    /// The text at char offsets `start..end` of `text`.
    pub fn chars(text: &str, start: usize, end: usize) -> String {
        text.chars().skip(start).take(end - start).collect()
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
        // Both sentences' surest span has the fixture's 0.875.
        assert_eq!(stats.score, 0.875);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Metadata;
    use crate::offsets::CharIndex;

    /// An analysis of `text` (segmented for real) with spans `(technique, exact text, confidence)`;
    /// each span is the first occurrence of its text.
    fn analyse(text: &str, spans: &[(Technique, &str, f32)]) -> Analysis {
        let segmentation = crate::segment::segment(text);
        let index = CharIndex::new(text);
        let mut spans: Vec<TechniqueSpan> = spans
            .iter()
            .map(|&(technique, quote, confidence)| {
                let at = text.find(quote).unwrap();
                let span = index.span_from_bytes(at..at + quote.len()).unwrap();
                TechniqueSpan {
                    technique,
                    span,
                    text: quote.to_owned(),
                    confidence,
                    sentence: segmentation.sentence_at(span.start),
                    detector: "test".into(),
                }
            })
            .collect();
        spans.sort_by_key(|s| (s.span.start, s.span.end));
        Analysis::new(Document::new("t", text, Metadata::default()), segmentation, spans, Claims::default())
    }

    const FOUR: &str = "The traitors lied. Everyone knows it. The plan will fail and ruin us all. Rain is due.";

    #[test]
    fn score_is_the_mean_of_each_sentences_surest_span() {
        let a = analyse(
            FOUR,
            &[
                (Technique::NameCallingLabeling, "traitors", 0.9),
                (Technique::LoadedLanguage, "lied", 0.4),
                // Crosses a sentence boundary: counts for both sentences it touches.
                (Technique::BandwagonReductioAdHitlerum, "Everyone knows it. The plan", 0.6),
            ],
        );
        let sentences: Vec<&str> = a.segmentation.sentences.iter().map(|s| s.span.text(FOUR)).collect();
        assert_eq!(sentences, ["The traitors lied.", "Everyone knows it.", "The plan will fail and ruin us all.", "Rain is due."]);
        let texts: Vec<&str> = a.spans.iter().map(|s| s.span.text(FOUR)).collect();
        assert_eq!(texts, ["traitors", "lied", "Everyone knows it. The plan"]);
        // Sentence 1: max(0.9, 0.4); sentences 2 and 3: 0.6; sentence 4: nothing.
        assert_eq!(a.stats.score, 0.525);
        assert_eq!(a.stats.span_sentence_share, 0.75);
    }

    #[test]
    fn score_with_certain_spans_is_the_sentence_share_and_stays_in_range() {
        let certain = analyse(FOUR, &[(Technique::Slogans, "ruin us all", 1.0)]);
        assert_eq!(certain.stats.score, 0.25);
        assert_eq!(certain.stats.score, certain.stats.span_sentence_share);
        // A detector's out-of-range confidence is capped; NaN counts as nothing.
        let odd = analyse(FOUR, &[(Technique::Doubt, "traitors", 7.5), (Technique::Doubt, "Rain", f32::NAN)]);
        assert_eq!(odd.stats.score, 0.25);
        assert_eq!(analyse(FOUR, &[]).stats.score, 0.0);
        assert_eq!(analyse("   ", &[]).stats.score, 0.0, "no sentences, no division by zero");
    }

    #[test]
    fn legend_lists_present_techniques_by_count_then_label() {
        let a = analyse(
            FOUR,
            &[
                (Technique::LoadedLanguage, "lied", 1.0),
                (Technique::LoadedLanguage, "ruin", 1.0),
                (Technique::Doubt, "Everyone", 1.0),
                (Technique::FlagWaving, "us all", 1.0),
                (Technique::FlagWaving, "traitors", 1.0),
            ],
        );
        let texts: Vec<(Technique, &str)> = a.spans.iter().map(|s| (s.technique, s.span.text(FOUR))).collect();
        assert_eq!(
            texts,
            [
                (Technique::FlagWaving, "traitors"),
                (Technique::LoadedLanguage, "lied"),
                (Technique::Doubt, "Everyone"),
                (Technique::LoadedLanguage, "ruin"),
                (Technique::FlagWaving, "us all"),
            ]
        );
        let legend = a.stats.legend();
        let shown: Vec<(&str, usize)> = legend.iter().map(|e| (e.technique.label(), e.count)).collect();
        assert_eq!(shown, [("Flag-Waving", 2), ("Loaded_Language", 2), ("Doubt", 1)]);
        assert_eq!(legend[2].name, "Doubt");
        assert_eq!(legend[2].definition, Technique::Doubt.definition());
        assert_eq!(legend[0].why_it_matters, Technique::FlagWaving.why_it_matters());
        let json = serde_json::to_value(legend[1]).unwrap();
        assert_eq!(json["label"], "Loaded_Language");
        assert_eq!(json["name"], "Loaded language");
        assert_eq!(json["count"], 2);
        assert_eq!(json["definition"], Technique::LoadedLanguage.definition());
        assert_eq!(json["why_it_matters"], Technique::LoadedLanguage.why_it_matters());
        assert!(analyse(FOUR, &[]).stats.legend().is_empty());
    }
}
