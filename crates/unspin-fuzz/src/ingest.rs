//! Stage 1 targets: text decoding, HTML extraction, JSON Lines and WARC, each through the entry
//! point the CLI and the server use.

use std::io::Cursor;
use std::path::PathBuf;

use unspin::error::Origin;
use unspin::ingest::{self, html as html_ingest, text as text_ingest, IngestOptions, InputKind};

use crate::check;

/// Small enough that a fuzzer's inputs can cross it, so the size checks are exercised too.
const MAX_DOC_BYTES: u64 = 64 * 1024;

/// Records read from one container input, at most: a fuzz input of many tiny records must not
/// turn one execution into minutes.
const MAX_RECORDS: usize = 256;

/// Encodings a page or an HTTP header may declare, picked by the first byte for the second call.
const DECLARED: &[&str] = &["utf-8", "windows-1252", "shift_jis", "utf-16le", "koi8-r", "gbk", "iso-2022-jp", "euc-kr"];

/// Plain text: `text::document` (BOM, UTF-8, detection, binary refusal, newline normalisation),
/// then `text::decode` with a declared encoding.
pub fn text(data: &[u8]) {
    let origin = Origin::file("fuzz.txt");
    if let Ok(doc) = text_ingest::document(data, "fuzz".into(), "fuzz.txt".into(), &origin) {
        check::document(&doc);
        assert_eq!(doc.meta.format, InputKind::Text);
    }
    let Some(&first) = data.first() else { return };
    let declared = encoding_rs::Encoding::for_label(DECLARED[first as usize % DECLARED.len()].as_bytes());
    if let Ok(decoded) = text_ingest::decode(data, declared, &origin) {
        let normalized = text_ingest::normalize_newlines(decoded.text);
        assert!(!normalized.contains('\r'), "normalize_newlines left a carriage return");
    }
}

/// An HTML page: charset, the nesting pre-filter, extraction, boilerplate, metadata; with reader
/// comments kept for inputs of odd length, so both settings are explored.
pub fn html(data: &[u8]) {
    let origin = Origin::file("fuzz.html");
    let url = Some("https://news.example/2024/05/article.html");
    let options = html_ingest::HtmlOptions { comments: data.len() % 2 == 1, ..Default::default() };
    if let Ok(doc) = html_ingest::document(data, None, url, "fuzz".into(), "fuzz.html".into(), &origin, options) {
        check::document(&doc);
        assert_eq!(doc.meta.format, InputKind::Html);
        if let Some(date) = &doc.meta.date {
            assert!(is_iso_date(date), "date {date:?} is not ISO 8601 (YYYY-MM-DD…)");
        }
    }
}

/// JSON Lines, through `ingest::read_from` as an upload is read.
pub fn jsonl(data: &[u8]) {
    container(data, "fuzz.jsonl", InputKind::Jsonl);
}

/// WARC (plain or gzipped: `read_from` un-gzips by magic bytes), through `ingest::read_from`.
pub fn warc(data: &[u8]) {
    container(data, "fuzz.warc", InputKind::Warc);
}

/// Read every record of a container input and load it; documents must pass the document checks,
/// and a bad record is an `Err` after which reading may go on.
fn container(data: &[u8], name: &str, kind: InputKind) {
    let opts = IngestOptions { kind: Some(kind), max_doc_bytes: MAX_DOC_BYTES, ..IngestOptions::default() };
    let raw = Box::new(Cursor::new(data.to_vec()));
    let Ok(records) = ingest::read_from(raw, PathBuf::from(name), "fuzz".into(), &opts) else { return };
    for record in records.take(MAX_RECORDS) {
        let Ok(pending) = record else { continue };
        if let Ok(doc) = pending.load() {
            check::document(&doc);
            assert!(!doc.id.is_empty(), "a record gave a document without an id");
            assert!(doc.text.len() as u64 <= 4 * MAX_DOC_BYTES, "a document outgrew the size limit");
        }
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}
