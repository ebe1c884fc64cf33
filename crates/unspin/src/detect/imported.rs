//! Spans read from SemEval-format label files: gold annotations or another system's predictions.
//!
//! Lines are `article_id <TAB> technique <TAB> start <TAB> end` (char offsets, end exclusive), the
//! PTC / SemEval-2020 Task 11 TC format, with an optional fifth field, `confidence` (0–1, default
//! 1), so that a system's scored predictions can be imported and filtered. The detector returns the spans whose article id is the
//! document's id, so `unspin analyze --import-spans gold.labels DIR --format brat` turns PTC gold
//! into brat, Label Studio or a highlighted terminal view. (`crate::eval::labels` reads the
//! four-field format for scoring; this reader adds the confidence field.)

use std::collections::HashMap;
use std::path::Path;

use crate::detect::{Detector, Technique, TechniqueSpan};
use crate::error::{Error, Result};
use crate::offsets::CharIndex;
use crate::segment::Segmentation;
use crate::Document;

/// A span as written in a label file, before it is checked against its document.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Labelled {
    technique: Technique,
    start: usize,
    end: usize,
    confidence: f32,
}

/// Spans from label files, keyed by article id.
#[derive(Debug, Default)]
pub struct ImportedSpans {
    by_article: HashMap<String, Vec<Labelled>>,
}

impl ImportedSpans {
    /// Read one or more label files (per-article files or one combined file).
    pub fn from_files(paths: &[impl AsRef<Path>]) -> Result<Self> {
        let mut spans = ImportedSpans::default();
        for path in paths {
            let path = path.as_ref();
            let content = std::fs::read_to_string(path).map_err(|source| Error::Io {
                origin: crate::error::Origin::file(path),
                source,
            })?;
            spans.add(path, &content)?;
        }
        Ok(spans)
    }

    /// Read the contents of one label file; `path` names it in errors.
    pub fn parse(path: &Path, content: &str) -> Result<Self> {
        let mut spans = ImportedSpans::default();
        spans.add(path, content)?;
        Ok(spans)
    }

    fn add(&mut self, path: &Path, content: &str) -> Result<()> {
        for (i, line) in content.lines().enumerate() {
            let bad = |message: String| Error::Labels { path: path.to_owned(), line: i + 1, message };
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let (id, technique, start, end, confidence) = match fields[..] {
                [id, technique, start, end] => (id, technique, start, end, None),
                [id, technique, start, end, confidence] => (id, technique, start, end, Some(confidence)),
                _ => {
                    return Err(bad(format!(
                        "expected 4 or 5 tab-separated fields (article_id, technique, start, end[, confidence]), found {}",
                        fields.len()
                    )))
                }
            };
            let technique: Technique = technique.parse().map_err(|e: crate::detect::UnknownTechnique| bad(e.to_string()))?;
            let number = |s: &str| s.trim().parse::<usize>().map_err(|_| bad(format!("{s:?} is not an offset")));
            let (start, end) = (number(start)?, number(end)?);
            if start > end {
                return Err(bad(format!("start {start} is after end {end}")));
            }
            let confidence = match confidence {
                None => 1.0,
                Some(c) => match c.trim().parse::<f32>() {
                    Ok(c) if (0.0..=1.0).contains(&c) => c,
                    _ => return Err(bad(format!("{c:?} is not a confidence (a number from 0 to 1)"))),
                },
            };
            self.by_article.entry(id.trim().to_owned()).or_default().push(Labelled { technique, start, end, confidence });
        }
        Ok(())
    }

    /// Number of articles with at least one span.
    pub fn articles(&self) -> usize {
        self.by_article.len()
    }
}

impl Detector for ImportedSpans {
    fn name(&self) -> &str {
        "imported"
    }

    /// Spans past the end of the document are dropped: the labels belong to another text.
    fn detect(&self, doc: &Document, segmentation: &Segmentation) -> crate::Result<Vec<TechniqueSpan>> {
        let Some(labelled) = self.by_article.get(&doc.id) else {
            return Ok(Vec::new());
        };
        let index = CharIndex::new(&doc.text);
        Ok(labelled
            .iter()
            .filter_map(|l| {
                let span = index.span_from_chars(l.start..l.end)?;
                Some(TechniqueSpan {
                    technique: l.technique,
                    span,
                    text: span.text(&doc.text).to_owned(),
                    confidence: l.confidence,
                    sentence: segmentation.sentence_at(span.start),
                    detector: self.name().to_owned(),
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Metadata;

    #[test]
    fn spans_for_the_matching_article() {
        let doc = Document::new("42", "They call it a “glorious victory”, the liars.", Metadata::default());
        let mut imported = ImportedSpans::default();
        imported
            .add(Path::new("x.labels"), "42\tLoaded_Language\t16\t32\n42\tName_Calling,Labeling\t39\t45\n7\tDoubt\t0\t4\n42\tSlogans\t40\t99\n")
            .unwrap();
        let spans = imported.detect(&doc, &Segmentation::default()).unwrap();
        let texts: Vec<(&str, Technique)> = spans.iter().map(|s| (s.span.text(&doc.text), s.technique)).collect();
        assert_eq!(texts, [("glorious victory", Technique::LoadedLanguage), ("liars.", Technique::NameCallingLabeling)]);
        assert_eq!(spans[0].text, "glorious victory");
        assert!(spans.iter().all(|s| s.confidence == 1.0), "no confidence column: certain");
    }

    #[test]
    fn an_optional_fifth_field_is_the_confidence() {
        let doc = Document::new("42", "They call it a “glorious victory”, the liars.", Metadata::default());
        let mut imported = ImportedSpans::default();
        imported.add(Path::new("x.labels"), "42\tLoaded_Language\t16\t32\t0.25\n42\tName_Calling,Labeling\t39\t44\n").unwrap();
        let spans = imported.detect(&doc, &Segmentation::default()).unwrap();
        let got: Vec<(&str, f32)> = spans.iter().map(|s| (s.span.text(&doc.text), s.confidence)).collect();
        assert_eq!(got, [("glorious victory", 0.25), ("liars", 1.0)]);
        for bad in ["1.5", "-0.1", "high", "NaN", ""] {
            let err = imported.add(Path::new("x.labels"), &format!("42\tDoubt\t0\t4\t{bad}\n")).unwrap_err();
            assert_eq!(err.to_string(), format!("x.labels:1: {bad:?} is not a confidence (a number from 0 to 1)"));
        }
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let mut imported = ImportedSpans::default();
        let err = imported.add(Path::new("x.labels"), "1\tDoubt\t0\t4\n1\tDoubt\t4\n").unwrap_err();
        assert_eq!(err.to_string(), "x.labels:2: expected 4 or 5 tab-separated fields (article_id, technique, start, end[, confidence]), found 3");
        let err = imported.add(Path::new("x.labels"), "1\tSpin\t0\t4\n").unwrap_err();
        assert!(err.to_string().starts_with("x.labels:1: unknown technique \"Spin\""), "{err}");
        let err = imported.add(Path::new("x.labels"), "1\tDoubt\t9\t4\n").unwrap_err();
        assert_eq!(err.to_string(), "x.labels:1: start 9 is after end 4");
    }
}
