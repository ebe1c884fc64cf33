//! Label import: the SemEval-2020 Task 11 line formats, as `unspin eval` reads them (SI, FLC/TC,
//! TC template) and as `--import-spans` reads them (TC with an optional confidence).
//!
//! (brat is written, never read: unspin has no brat importer to fuzz.)

use std::path::Path;

use unspin::detect::imported::ImportedSpans;
use unspin::detect::Detector;
use unspin::eval::labels;
use unspin::{Document, Metadata};

use crate::check::Offsets;

/// The article `--import-spans` is matched against: id `1`, with multi-byte text so that char
/// and byte offsets differ.
const ARTICLE: &str = "Gr\u{fc}\u{df}e aus M\u{fc}nchen.\n\n\u{201c}A \u{2018}ghastly\u{2019} massacre,\u{201d} they said \u{2014} \u{1f600} or so.";

/// Every parser on the same content. What parses must print back to lines that parse to the
/// same values; imported spans must slice the article to their text.
pub fn labels(data: &[u8]) {
    let content = String::from_utf8_lossy(data);
    let path = Path::new("fuzz.labels");
    if let Ok(spans) = labels::parse_si(path, &content) {
        for s in &spans {
            assert!(s.start < s.end && !s.is_empty(), "SI span {s} is empty or reversed");
        }
        let printed: String = spans.iter().map(|s| format!("{s}\n")).collect();
        assert_eq!(labels::parse_si(path, &printed).ok(), Some(spans), "SI lines do not read back");
    }
    if let Ok(tc) = labels::parse_tc(path, &content) {
        let printed: String = tc.iter().map(|l| format!("{l}\n")).collect();
        assert_eq!(labels::parse_tc(path, &printed).ok(), Some(tc), "TC lines do not read back");
    }
    if let Ok(template) = labels::parse_template(path, &content) {
        let printed: String = template.iter().map(|s| format!("{s}\n")).collect();
        assert_eq!(labels::parse_si(path, &printed).ok(), Some(template), "template spans do not read back as SI");
    }
    if let Ok(imported) = ImportedSpans::parse(path, &content) {
        let doc = Document::new("1", ARTICLE, Metadata::default());
        let seg = unspin::segment::segment(&doc.text);
        let offsets = Offsets::new(&doc.text);
        let spans = imported.detect(&doc, &seg).expect("the imported detector does not fail");
        for span in &spans {
            offsets.span_text(&span.span, &span.text, "imported span");
            assert!((0.0..=1.0).contains(&span.confidence), "confidence {} outside 0–1", span.confidence);
            if let Some(s) = span.sentence {
                assert!(s < seg.sentences.len(), "imported span names sentence {s} of {}", seg.sentences.len());
            }
        }
    }
}
