//! JSON and JSON Lines output.
//!
//! Both formats carry the same [`DocumentRecord`]s. `json` writes one object for the whole run,
//! streamed so that memory does not grow with the number of documents:
//! `{"schema_version", "generator", "documents": [...], "errors": [...], "summary": {...}}`.
//! `jsonl` writes one record per line, each with `type` and `schema_version`: `document` and
//! `error` records in input order, then one closing `summary` record.

use std::io::Write;

use serde::Serialize;

use crate::claims::Claims;
use crate::detect::TechniqueSpan;
use crate::document::Metadata;
use crate::error::Error;
use crate::offsets::Span;
use crate::report::{Analysis, DocumentStats, LegendEntry, ReportWriter, Summary, SCHEMA_VERSION};
use crate::segment::Token;

/// `unspin <version>`, recorded in every output.
pub const GENERATOR: &str = concat!("unspin ", env!("CARGO_PKG_VERSION"));

/// One document as written to JSON.
#[derive(Debug, Serialize)]
pub struct DocumentRecord<'a> {
    pub id: &'a str,
    pub meta: &'a Metadata,
    pub text: &'a str,
    pub stats: &'a DocumentStats,
    /// The techniques present, most frequent first, each with its definition (schema 1.1).
    pub techniques: Vec<LegendEntry>,
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<SentenceRecord<'a>>,
    pub spans: Vec<SpanRecord<'a>>,
    /// Claims, sources, hedges and the outlet's record (schema 1.2).
    pub claims: &'a Claims,
    /// Word tokens, only when asked for (`--tokens`): they multiply the output size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<&'a [Token]>,
}

#[derive(Debug, Serialize)]
pub struct SentenceRecord<'a> {
    #[serde(flatten)]
    pub span: Span,
    pub paragraph: usize,
    pub text: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SpanRecord<'a> {
    #[serde(flatten)]
    pub span: &'a TechniqueSpan,
    /// The technique's name for people.
    pub name: &'static str,
}

impl<'a> DocumentRecord<'a> {
    pub fn new(analysis: &'a Analysis, tokens: bool) -> Self {
        let text = analysis.document.text.as_str();
        let seg = &analysis.segmentation;
        DocumentRecord {
            id: &analysis.document.id,
            meta: &analysis.document.meta,
            text,
            stats: &analysis.stats,
            techniques: analysis.stats.legend(),
            paragraphs: seg.paragraphs.iter().map(|p| p.span).collect(),
            sentences: seg
                .sentences
                .iter()
                .map(|s| SentenceRecord { span: s.span, paragraph: s.paragraph, text: s.span.text(text) })
                .collect(),
            spans: analysis.spans.iter().map(|s| SpanRecord { span: s, name: s.technique.name() }).collect(),
            claims: &analysis.claims,
            tokens: tokens.then_some(seg.tokens.as_slice()),
        }
    }
}

/// An input or record that failed, as written to JSON.
#[derive(Debug, Serialize)]
pub struct ErrorRecord {
    /// The file (or `-`), when the error is about an input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The record within the file (`line 3`, `record 2 (offset 1024)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub message: String,
}

impl ErrorRecord {
    pub fn new(error: &Error) -> Self {
        let origin = error.origin();
        ErrorRecord {
            source: origin.map(|o| o.path.display().to_string()),
            record: origin.and_then(|o| o.record.clone()),
            message: error.to_string(),
        }
    }
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    schema_version: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

/// `jsonl` writer.
pub struct JsonLines<W> {
    out: W,
    tokens: bool,
}

impl<W: Write> JsonLines<W> {
    pub fn new(out: W, tokens: bool) -> Self {
        JsonLines { out, tokens }
    }

    fn line<T: Serialize>(&mut self, kind: &'static str, body: &T) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, &Tagged { kind, schema_version: SCHEMA_VERSION, body })?;
        self.out.write_all(b"\n")
    }
}

#[derive(Serialize)]
struct SummaryRecord<'a> {
    generator: &'static str,
    #[serde(flatten)]
    summary: &'a Summary,
}

impl<W: Write> ReportWriter for JsonLines<W> {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        self.line("document", &DocumentRecord::new(analysis, self.tokens))
    }

    fn error(&mut self, error: &Error) -> std::io::Result<()> {
        self.line("error", &ErrorRecord::new(error))
    }

    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        self.line("summary", &SummaryRecord { generator: GENERATOR, summary })?;
        self.out.flush()
    }
}

/// `json` writer: one object, streamed.
pub struct Json<W> {
    out: W,
    tokens: bool,
    documents: usize,
    /// Errors are few; they are kept and written after the documents.
    errors: Vec<ErrorRecord>,
}

impl<W: Write> Json<W> {
    pub fn new(out: W, tokens: bool) -> Self {
        Json { out, tokens, documents: 0, errors: Vec::new() }
    }
}

impl<W: Write> Json<W> {
    /// Everything before the first document.
    fn open(&mut self) -> std::io::Result<()> {
        write!(
            self.out,
            "{{\"schema_version\":{},\"generator\":{},\"documents\":[",
            serde_json::to_string(SCHEMA_VERSION)?,
            serde_json::to_string(GENERATOR)?
        )
    }
}

impl<W: Write> ReportWriter for Json<W> {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        if self.documents == 0 {
            self.open()?;
        } else {
            self.out.write_all(b",")?;
        }
        self.out.write_all(b"\n")?;
        self.documents += 1;
        serde_json::to_writer(&mut self.out, &DocumentRecord::new(analysis, self.tokens))?;
        Ok(())
    }

    fn error(&mut self, error: &Error) -> std::io::Result<()> {
        self.errors.push(ErrorRecord::new(error));
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        if self.documents == 0 {
            self.open()?;
        } else {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(b"],\"errors\":")?;
        serde_json::to_writer(&mut self.out, &self.errors)?;
        self.out.write_all(b",\"summary\":")?;
        serde_json::to_writer(&mut self.out, summary)?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::Technique;
    use crate::report::testing::{render, TEXT};
    use crate::report::{Format, WriterOptions, SCHEMA_VERSION};

    #[test]
    fn json_document_is_self_describing() {
        let out = render(Format::Json, &WriterOptions::default());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["schema_version"], SCHEMA_VERSION);
        let doc = &v["documents"][0];
        assert_eq!(doc["id"], "701");
        assert_eq!(doc["text"], TEXT);
        assert_eq!(doc["meta"]["source"], "article701.txt");
        assert_eq!(doc["sentences"][1]["text"], "The corrupt élite lied again\nand again.");
        let span = &doc["spans"][1];
        assert_eq!(span["technique"], "Loaded_Language");
        assert_eq!(span["name"], "Loaded language");
        assert_eq!(span["text"], "corrupt élite");
        // Both offsets, and both select the same text.
        let (s, e) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
        let (bs, be) = (span["byte_start"].as_u64().unwrap() as usize, span["byte_end"].as_u64().unwrap() as usize);
        assert_eq!(&TEXT[bs..be], "corrupt élite");
        assert_eq!(TEXT.chars().skip(s).take(e - s).collect::<String>(), "corrupt élite");
        assert_eq!(doc["stats"]["techniques"]["Repetition"], 1);
        assert_eq!(doc["stats"]["score"], 0.875);
        // The legend: every technique present, explained; all four occur once, so label order.
        let legend = doc["techniques"].as_array().unwrap();
        let labels: Vec<&str> = legend.iter().map(|e| e["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["Flag-Waving", "Loaded_Language", "Name_Calling,Labeling", "Repetition"]);
        assert_eq!(legend[3]["name"], "Repetition");
        assert_eq!(legend[3]["count"], 1);
        assert_eq!(legend[3]["definition"], Technique::Repetition.definition());
        assert_eq!(legend[3]["why_it_matters"], Technique::Repetition.why_it_matters());
        assert!(doc.get("tokens").is_none());
        assert_eq!(v["summary"]["documents"], 1);
        assert_eq!(v["summary"]["techniques"]["Flag-Waving"], 1);
        assert!(v["summary"].get("score").is_none(), "the summary keeps counts only");
        assert_eq!(v["errors"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn jsonl_documents_then_summary() {
        let out = render(Format::Jsonl, &WriterOptions { tokens: true, ..WriterOptions::default() });
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["type"], "document");
        assert_eq!(lines[0]["schema_version"], SCHEMA_VERSION);
        assert_eq!(lines[0]["spans"][3]["text"], "lied again\nand again");
        assert!(lines[0]["tokens"].is_array());
        assert_eq!(lines[0]["techniques"].as_array().unwrap().len(), 4);
        assert_eq!(lines[1]["type"], "summary");
        assert_eq!(lines[1]["spans"], 4);
    }
}
