//! Stage 1: whatever the user has becomes [`Document`]s.
//!
//! | format | module | one input gives |
//! |---|---|---|
//! | plain text | [`text`] | one document |
//! | HTML page | [`html`] | one document (the article body, with metadata) |
//! | JSON Lines | [`jsonl`] | one document per line |
//! | WARC / WARC.gz | [`warc`] | one document per HTML `response` record |
//!
//! [`expand`] turns command-line arguments (files, directories, `-`) into [`Input`]s; [`read`]
//! opens one input, detects its format from its name and first bytes (unless told), and yields
//! documents one at a time. Containers stream: memory stays bounded by the largest record, never
//! the file. A bad record yields an `Err` naming the file and record, and reading goes on with the
//! next one.
//!
//! Reading is split in two so that front ends can parallelise the costly half: the reader
//! iterator only cuts the input into raw records (sequential I/O), and each [`Pending`] does its
//! decoding and HTML extraction when [`Pending::load`] is called, on whichever worker calls it.

pub mod html;
pub mod jsonl;
pub mod text;
pub mod warc;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Origin, Result};
use crate::Document;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    #[default]
    Text,
    Html,
    Jsonl,
    Warc,
}

impl InputKind {
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Text => "text",
            InputKind::Html => "html",
            InputKind::Jsonl => "jsonl",
            InputKind::Warc => "warc",
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Read every input as this format instead of detecting it.
    pub kind: Option<InputKind>,
    /// Largest document accepted, in bytes of its raw form (the text file, the HTML page, the JSON
    /// Lines line, the WARC record body). Larger ones are reported and skipped, unread.
    pub max_doc_bytes: u64,
    /// How HTML pages are read (in files, JSON Lines `html` fields and WARC records).
    pub html: html::HtmlOptions,
}

/// 10 MiB: ten times the longest news article, and still bounded memory per worker.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 10 * 1024 * 1024;

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions { kind: None, max_doc_bytes: DEFAULT_MAX_DOC_BYTES, html: html::HtmlOptions::default() }
    }
}

/// One thing to read: a file or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    /// The name errors and `source` fields use: the path, or `-`.
    pub fn display_path(&self) -> PathBuf {
        match self {
            Input::Path(p) => p.clone(),
            Input::Stdin => PathBuf::from("-"),
        }
    }
}

/// File extensions read when walking a directory; other files there are skipped (they are
/// usually label files, images or indexes next to the articles).
const DIRECTORY_EXTENSIONS: &[&str] =
    &["txt", "text", "html", "htm", "xhtml", "shtml", "jsonl", "ndjson", "warc", "gz"];

/// Expand command-line arguments into inputs: `-` is stdin, directories are walked recursively
/// (hidden entries skipped, files in sorted order so runs are reproducible), files are taken as
/// they are. A path that does not exist is an error.
pub fn expand(args: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(arg)
            .map_err(|source| Error::Io { origin: Origin::file(arg), source })?;
        if !meta.is_dir() {
            inputs.push(Input::Path(arg.clone()));
            continue;
        }
        let walker = walkdir::WalkDir::new(arg)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| {
                let origin = Origin::file(e.path().unwrap_or(arg));
                Error::Io { origin, source: e.into() }
            })?;
            if entry.file_type().is_file() && has_article_extension(entry.path()) {
                inputs.push(Input::Path(entry.into_path()));
            }
        }
    }
    Ok(inputs)
}

fn has_article_extension(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    DIRECTORY_EXTENSIONS.contains(&ext.as_str())
}

/// A document cut from its input whose decoding and extraction have not run yet.
pub struct Pending {
    job: Box<dyn FnOnce() -> Result<Document> + Send>,
}

impl Pending {
    /// A document that needs no more work.
    pub fn ready(document: Document) -> Self {
        Pending { job: Box::new(move || Ok(document)) }
    }

    /// A document that `job` will produce.
    pub fn new(job: impl FnOnce() -> Result<Document> + Send + 'static) -> Self {
        Pending { job: Box::new(job) }
    }

    /// Decode and extract: the costly half of ingestion.
    pub fn load(self) -> Result<Document> {
        (self.job)()
    }
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pending")
    }
}

/// A stream of pending documents (or errors about single records) from one input.
pub type Documents = Box<dyn Iterator<Item = Result<Pending>> + Send>;

/// Open `input` and stream its documents. An input that cannot be opened at all yields a single
/// error.
pub fn read(input: &Input, opts: &IngestOptions) -> Documents {
    match open(input, opts) {
        Ok(docs) => docs,
        Err(e) => Box::new(std::iter::once(Err(e))),
    }
}

/// Open `input` and load every document, one after the other: the simple way for callers that
/// do not parallelise.
pub fn read_all(input: &Input, opts: &IngestOptions) -> impl Iterator<Item = Result<Document>> + Send {
    read(input, opts).map(|pending| pending.and_then(Pending::load))
}

fn open(input: &Input, opts: &IngestOptions) -> Result<Documents> {
    let path = input.display_path();
    let origin = Origin::file(&path);
    let io_err = |source| Error::Io { origin: origin.clone(), source };
    let raw: Box<dyn Read + Send> = match input {
        Input::Path(p) => {
            let file = File::open(p).map_err(io_err)?;
            if file.metadata().map_err(io_err)?.is_dir() {
                return Err(Error::Malformed { origin, message: "is a directory".into() });
            }
            Box::new(file)
        }
        Input::Stdin => Box::new(io::stdin()),
    };
    read_from(raw, path, document_id(input), opts)
}

/// Stream the documents of any byte source: what [`read`] does once it has opened a file, for
/// front ends whose input is not a file (an upload, a Python `bytes`). `path` may be only a name:
/// it serves format detection by extension, `source` and error messages; `id` is the document id
/// when the input holds a single document.
pub fn read_from(raw: Box<dyn Read + Send>, path: PathBuf, id: String, opts: &IngestOptions) -> Result<Documents> {
    let origin = Origin::file(&path);
    let io_err = |source| Error::Io { origin: origin.clone(), source };
    let mut reader = BufReader::with_capacity(64 * 1024, raw);
    let head = reader.fill_buf().map_err(io_err)?;
    let gzipped = head.starts_with(&[0x1f, 0x8b]);
    let mut reader: Box<dyn BufRead + Send> = if gzipped {
        // Multi-member: WARC.gz files are one gzip member per record.
        Box::new(BufReader::with_capacity(64 * 1024, flate2::bufread::MultiGzDecoder::new(reader)))
    } else {
        Box::new(reader)
    };
    let kind = match opts.kind {
        Some(kind) => kind,
        None => {
            let head = reader.fill_buf().map_err(|e| read_error(&origin, e))?;
            sniff(&path, head)
        }
    };
    let source = path.display().to_string();
    Ok(match kind {
        InputKind::Warc => Box::new(warc::Records::new(reader, path, opts.clone())),
        InputKind::Jsonl => Box::new(jsonl::Lines::new(reader, path, opts.clone())),
        InputKind::Text | InputKind::Html => {
            let bytes = read_limited(&mut reader, opts.max_doc_bytes, &origin)?;
            let options = opts.html;
            let pending = Pending::new(move || {
                if kind == InputKind::Html {
                    html::document(&bytes, None, None, id, source, &origin, options)
                } else {
                    text::document(&bytes, id, source, &origin)
                }
            });
            Box::new(std::iter::once(Ok(pending)))
        }
    })
}

/// An I/O error while reading, with gzip's unhelpful messages made plain.
pub(crate) fn read_error(origin: &Origin, source: io::Error) -> Error {
    if source.kind() == io::ErrorKind::UnexpectedEof
        || source.to_string().contains("corrupt deflate stream")
        || source.to_string().contains("invalid gzip header")
    {
        return Error::Malformed {
            origin: origin.clone(),
            message: format!("truncated or corrupt gzip data ({source})"),
        };
    }
    Error::Io { origin: origin.clone(), source }
}

/// Read all of `reader`, failing with [`Error::TooLarge`] (without reading on) past `limit`.
pub(crate) fn read_limited(reader: &mut impl Read, limit: u64, origin: &Origin) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(origin, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge { origin: origin.clone(), limit });
    }
    Ok(bytes)
}

/// The document id of a single-document file: its stem without a leading `article` when what
/// follows is the PTC numeric id (`article123.txt` → `123`), else the stem; `stdin` for stdin.
pub fn document_id(input: &Input) -> String {
    match input {
        Input::Stdin => "stdin".to_owned(),
        Input::Path(p) => id_from_path(p),
    }
}

pub(crate) fn id_from_path(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("document");
    // Strip every extension: `article1.txt.gz` → `article1`.
    let stem = name.split('.').next().filter(|s| !s.is_empty()).unwrap_or(name);
    match stem.strip_prefix("article") {
        Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => rest.to_owned(),
        _ => stem.to_owned(),
    }
}

/// Guess the format from the file name, then from the first bytes (already un-gzipped).
pub fn sniff(path: &Path, head: &[u8]) -> InputKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "warc" | "arc" => return InputKind::Warc,
        "jsonl" | "ndjson" => return InputKind::Jsonl,
        "html" | "htm" | "xhtml" | "shtml" => return InputKind::Html,
        "txt" | "text" => return InputKind::Text,
        _ => {}
    }
    sniff_content(head)
}

fn sniff_content(head: &[u8]) -> InputKind {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"WARC/") {
        return InputKind::Warc;
    }
    let trimmed = head.trim_ascii_start();
    if trimmed.starts_with(b"{") {
        let first_line = trimmed.split(|&b| b == b'\n').next().unwrap_or(trimmed);
        if serde_json::from_slice::<serde_json::Value>(first_line).is_ok_and(|v| v.is_object()) {
            return InputKind::Jsonl;
        }
    }
    let lower: Vec<u8> = head.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if trimmed.starts_with(b"<") && (has(b"<html") || has(b"<!doctype html") || has(b"<body") || has(b"<head"))
        || has(b"<html") && has(b"</")
    {
        return InputKind::Html;
    }
    InputKind::Text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_ptc_naming() {
        assert_eq!(id_from_path(Path::new("data/article111111111.txt")), "111111111");
        assert_eq!(id_from_path(Path::new("article7.txt.gz")), "7");
        assert_eq!(id_from_path(Path::new("articles.txt")), "articles");
        assert_eq!(id_from_path(Path::new("article.txt")), "article");
        assert_eq!(id_from_path(Path::new("my-report.html")), "my-report");
    }

    #[test]
    fn sniffs_by_name_then_content() {
        let p = Path::new;
        assert_eq!(sniff(p("x.warc.gz"), b""), InputKind::Warc);
        assert_eq!(sniff(p("x.JSONL"), b""), InputKind::Jsonl);
        assert_eq!(sniff(p("x.htm"), b"plain"), InputKind::Html);
        assert_eq!(sniff(p("x.txt"), b"<html>"), InputKind::Text, "the extension wins");
        assert_eq!(sniff(p("-"), b"WARC/1.0\r\n"), InputKind::Warc);
        assert_eq!(sniff(p("-"), b"{\"id\": 1, \"text\": \"a\"}\n{"), InputKind::Jsonl);
        assert_eq!(sniff(p("-"), b"{not json at all"), InputKind::Text);
        assert_eq!(sniff(p("-"), b"\n  <!DOCTYPE html><html><p>x</p>"), InputKind::Html);
        assert_eq!(sniff(p("-"), b"Use <b> for bold in HTML."), InputKind::Text);
        assert_eq!(sniff(p("-"), b"The minister said."), InputKind::Text);
    }
}
