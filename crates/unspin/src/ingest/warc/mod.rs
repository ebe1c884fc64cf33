//! WARC and WARC.gz (the CC-NEWS layout): one document per HTML `response` record.
//!
//! Three layers, each testable alone:
//!
//! 1. [`record`]: the uncompressed stream becomes [`RawRecord`]s (WARC header fields and block),
//!    resynchronising after broken records. `ingest::read` has already undone the gzip: a WARC.gz
//!    is one gzip member per record, read as one stream.
//! 2. [`http`] and [`RawRecord::into_html_payload`]: a `response` record becomes an [`HtmlPayload`]
//!    (WARC fields that matter, HTTP status and headers, the decoded page), or nothing when it
//!    is not a 2xx HTML response. `warcinfo`, `request`, `metadata`, `revisit` records and
//!    non-HTML responses are skipped silently.
//! 3. [`Records`] hands each page out as a [`Pending`] whose `load` runs [`html::document`] (see
//!    [`document`]), with the record id as document id, `WARC-Target-URI` as URL and `WARC-Date`
//!    as the date when the page gives none.
//!
//! Errors concern one record and name it as `record N (offset B)`: N counts the records of the
//! file from 1 (skipped ones included), B is the byte offset of the record's `WARC/` line in the
//! *uncompressed* stream (for a WARC.gz, the offset in what `zcat` prints). Bytes between records
//! that are no record are reported under the number of the record that follows, at the offset
//! where they start. Reading goes on with the next record, except after an I/O or gzip error,
//! which ends the file.
//!
//! Memory stays bounded by the largest accepted record: a record whose block is over the
//! document limit is read and thrown away (keeping only its first 64 KiB to tell whether it was
//! an HTML page, which is then reported as too large).

pub mod http;
pub mod record;
mod stream;

use std::borrow::Cow;
use std::io::BufRead;
use std::path::PathBuf;

pub use record::{Fields, RawRecord, RecordReader};

use crate::error::{Error, Origin, Result};
use crate::ingest::{html, IngestOptions, InputKind, Pending};
use crate::Document;

/// What a `response` record holding an HTML page contributes to a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlPayload {
    /// `WARC-Record-ID` without `<urn:uuid:` and `>`; `record N` when the record has none.
    pub id: String,
    pub target_uri: Option<String>,
    /// `WARC-Date`, as written (ISO 8601).
    pub date: Option<String>,
    pub http: http::Head,
    /// The HTML page, undone of transfer and content codings.
    pub body: Vec<u8>,
}

impl HtmlPayload {
    /// The charset the HTTP `Content-Type` declares, if any.
    pub fn charset(&self) -> Option<&str> {
        self.http.charset()
    }
}

impl RawRecord {
    /// The HTML page this record holds, `Ok(None)` when it is not a 2xx HTML `response` (those
    /// are skipped, not errors). `limit` bounds the decoded page. Errors name this record.
    pub fn into_html_payload(self, path: &std::path::Path, limit: u64) -> Result<Option<HtmlPayload>> {
        if self.warc_type().as_deref() != Some("response") {
            return Ok(None);
        }
        let origin = self.origin(path);
        let warc_type = self.fields.get("Content-Type").unwrap_or("").to_ascii_lowercase();
        let is_http = warc_type.starts_with("application/http") || self.block.starts_with(b"HTTP/");
        if !is_http {
            // DNS lookups, FTP listings and the like.
            return Ok(None);
        }
        let Some(head) = http::parse_head(&self.block) else {
            return Err(Error::Malformed {
                origin,
                message: "response record does not start with an HTTP status line".into(),
            });
        };
        if !(200..300).contains(&head.status) {
            return Ok(None);
        }
        let identified = self.fields.get("WARC-Identified-Payload-Type");
        if http::surely_not_html(&head, identified) {
            return Ok(None);
        }
        if !self.complete {
            let body_head = self.block.get(head.body_start..).unwrap_or(&[]);
            // Sniffing may need the page, which is cut short here; a start that does not look
            // like HTML (an image, a video) is still enough to let it pass silently.
            if !http::is_html(&head, identified, body_head) {
                return Ok(None);
            }
            return Err(Error::TooLarge { origin, limit });
        }
        let decoded = match http::decode_body(&head, &self.block, limit) {
            Ok(Cow::Owned(body)) => Some(body),
            // The usual case, a body stored as it is: it stays where it is in the block.
            Ok(Cow::Borrowed(_)) => None,
            Err(http::BodyError::TooLarge) => return Err(Error::TooLarge { origin, limit }),
            Err(http::BodyError::Malformed(message)) => return Err(Error::Malformed { origin, message }),
        };
        let body_bytes = decoded.as_deref().unwrap_or_else(|| self.block.get(head.body_start..).unwrap_or(&[]));
        if !http::is_html(&head, identified, body_bytes) {
            return Ok(None);
        }
        // `<>` or `<urn:uuid:>` is no id either.
        let id = match self.fields.get("WARC-Record-ID").map(record_id) {
            Some(id) if !id.is_empty() => id,
            _ => format!("record {}", self.number),
        };
        let target_uri = self.fields.get("WARC-Target-URI").map(|u| u.trim_matches(['<', '>']).to_owned());
        let date = self.fields.get("WARC-Date").filter(|d| !d.is_empty()).map(str::to_owned);
        let body = match decoded {
            Some(body) => body,
            None => {
                let mut block = self.block;
                block.drain(..head.body_start.min(block.len()));
                block
            }
        };
        Ok(Some(HtmlPayload { id, target_uri, date, http: head, body }))
    }
}

/// `<urn:uuid:0d1e…>` → `0d1e…`; other ids lose only their angle brackets.
fn record_id(id: &str) -> String {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let id = match id.get(..9) {
        Some(scheme) if scheme.eq_ignore_ascii_case("urn:uuid:") => &id[9..],
        _ => id,
    };
    id.to_owned()
}

/// Iterator over the HTML documents of a WARC stream (already un-gzipped).
///
/// Cutting records, reading their HTTP headers and undoing content codings happen here, in the
/// reader; HTML extraction, the costly part, waits in the [`Pending`] for a worker.
pub struct Records<R> {
    records: RecordReader<R>,
    path: PathBuf,
    opts: IngestOptions,
}

impl<R: BufRead> Records<R> {
    pub fn new(reader: R, path: PathBuf, opts: IngestOptions) -> Self {
        Records { records: RecordReader::new(reader, path.clone(), opts.max_doc_bytes), path, opts }
    }
}

/// The document of one HTML page from a WARC record.
pub fn document(payload: HtmlPayload, path: &std::path::Path, origin: &Origin, options: html::HtmlOptions) -> Result<Document> {
    let source = path.display().to_string();
    let mut doc = html::document(
        &payload.body,
        payload.http.charset(),
        payload.target_uri.as_deref(),
        payload.id,
        source,
        origin,
        options,
    )?;
    let meta = &mut doc.meta;
    meta.format = InputKind::Warc;
    if let Some(uri) = payload.target_uri {
        if meta.site.is_none() {
            meta.site = crate::document::site_of_url(&uri);
        }
        meta.url = Some(uri);
    }
    if meta.date.is_none() {
        meta.date = payload.date;
    }
    meta.neutralize_controls();
    Ok(doc)
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Pending>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let record = match self.records.next()? {
                Ok(record) => record,
                Err(e) => return Some(Err(e)),
            };
            let origin = record.origin(&self.path);
            match record.into_html_payload(&self.path, self.opts.max_doc_bytes) {
                Ok(Some(payload)) => {
                    let path = self.path.clone();
                    let html = self.opts.html;
                    return Some(Ok(Pending::new(move || document(payload, &path, &origin, html))));
                }
                Ok(None) => continue,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests;
