//! The WARC record layer: an uncompressed byte stream becomes [`RawRecord`]s (header fields and
//! block), whatever their type, with every problem reported against the record it concerns.
//!
//! A record is a version line (`WARC/1.0` or `WARC/1.1`), header fields up to a blank line,
//! `Content-Length` bytes of block, and the terminator `\r\n\r\n`. The parser trusts
//! `Content-Length` only when the terminator sits where it says; when it does not, the record is
//! reported as malformed and the parser resynchronises on the next line starting with `WARC/1.`,
//! looking first inside the block it just read (a Content-Length too long has swallowed the start
//! of the next record) and then further on in the stream (one too short has left the rest of the
//! block behind). Bytes between records that are not a record are skipped to the next `WARC/1.`
//! line and reported once. An I/O error (in a WARC.gz, a truncated or corrupt gzip member) ends
//! the stream after one error: nothing after a broken deflate stream can be trusted.
//!
//! Memory: a block is read whole only up to the caller's limit; beyond it only its first
//! [`HEAD_BYTES`] are kept (enough for the HTTP header) and the rest is read and thrown away.

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use crate::error::{Error, Origin, Result};
use crate::ingest::jsonl::{read_line_limited, LineRead};
use crate::ingest::read_error;

use super::stream::Stream;

/// Longest header line accepted (WARC or HTTP); CC's longest are target URIs of a few KB.
const MAX_LINE: usize = 64 * 1024;
/// Largest header block accepted.
const MAX_HEADER: usize = 1024 * 1024;
/// How much of an over-limit block is kept: enough to read the HTTP status line and headers and
/// decide whether the record would have been a document at all.
pub const HEAD_BYTES: u64 = 64 * 1024;
/// What a resynchronisation looks for at the start of a line.
const RESYNC: &[u8] = b"WARC/1.";

/// Header fields in the order they came, names as written. Lookups ignore ASCII case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of field `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Add one header line (without its line ending). A line starting with a space or tab
    /// continues the previous field's value. Errors say what was wrong with the line.
    pub(crate) fn push_line(&mut self, line: &[u8]) -> std::result::Result<(), String> {
        if line.first().is_some_and(|&b| b == b' ' || b == b'\t') {
            let Some((_, value)) = self.0.last_mut() else {
                return Err("continuation line before any header field".into());
            };
            let more = String::from_utf8_lossy(line);
            let more = more.trim();
            if !more.is_empty() {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(more);
            }
            return Ok(());
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            return Err(format!("header line without a colon: {}", shown(line)));
        };
        let name = String::from_utf8_lossy(&line[..colon]).trim().to_owned();
        if name.is_empty() {
            return Err(format!("header line without a field name: {}", shown(line)));
        }
        let value = String::from_utf8_lossy(&line[colon + 1..]).trim().to_owned();
        self.0.push((name, value));
        Ok(())
    }
}

/// The start of a line for an error message: at most 60 chars, escaped.
fn shown(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(60)]);
    let ellipsis = if line.len() > 60 { "…" } else { "" };
    format!("{:?}{ellipsis}", text)
}

/// One WARC record as found in the stream.
#[derive(Debug, Clone)]
pub struct RawRecord {
    /// 1-based position among the records of the stream.
    pub number: u64,
    /// Offset of the record's version line in the uncompressed stream.
    pub offset: u64,
    /// The version line, e.g. `WARC/1.1`.
    pub version: String,
    pub fields: Fields,
    /// The block's length according to `Content-Length`.
    pub content_length: u64,
    /// The whole block when [`RawRecord::complete`]; else its first [`HEAD_BYTES`] bytes.
    pub block: Vec<u8>,
    /// False when the block was over the limit and only its head was kept.
    pub complete: bool,
}

impl RawRecord {
    /// `WARC-Type`, lower-cased.
    pub fn warc_type(&self) -> Option<String> {
        self.fields.get("WARC-Type").map(str::to_ascii_lowercase)
    }

    /// Where this record is, for error messages.
    pub fn origin(&self, path: &Path) -> Origin {
        record_origin(path, self.number, self.offset)
    }
}

pub(crate) fn record_origin(path: &Path, number: u64, offset: u64) -> Origin {
    Origin::record(path, format!("record {number} (offset {offset})"))
}

/// What went wrong while reading one record.
enum Problem {
    Io(io::Error),
    Malformed(String),
}

impl From<io::Error> for Problem {
    fn from(e: io::Error) -> Self {
        Problem::Io(e)
    }
}

/// Iterator over the records of an uncompressed WARC stream, of every type.
pub struct RecordReader<R> {
    stream: Stream<R>,
    path: PathBuf,
    limit: u64,
    /// Records started so far.
    number: u64,
    /// Number and offset of the record being read, for errors.
    current: (u64, u64),
    line: Vec<u8>,
    done: bool,
}

impl<R: BufRead> RecordReader<R> {
    /// Records of `reader`; blocks longer than `limit` bytes are not kept whole.
    pub fn new(reader: R, path: PathBuf, limit: u64) -> Self {
        RecordReader {
            stream: Stream::new(reader),
            path,
            limit,
            number: 0,
            current: (1, 0),
            line: Vec::new(),
            done: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn read_record(&mut self) -> std::result::Result<Option<RawRecord>, Problem> {
        // An error from here on concerns the record to come (at the offset where it is looked for).
        self.current = (self.number + 1, self.stream.offset());
        // Some writers put more than the two CRLFs between records; blank lines are not garbage.
        self.stream.skip_while(|b| b == b'\r' || b == b'\n')?;
        let offset = self.stream.offset();
        self.current = (self.number + 1, offset);
        let head = self.stream.peek(RESYNC.len())?;
        if head.is_empty() {
            return Ok(None);
        }
        if head != RESYNC {
            let unsupported = head.starts_with(b"WARC/");
            let skipped = self.stream.skip_line()? + self.stream.skip_to_line_starting(RESYNC)?;
            let what = if unsupported { "a record of an unsupported WARC version" } else { "data that is not a WARC record" };
            return Err(Problem::Malformed(format!("skipped {skipped} bytes of {what}")));
        }
        self.number += 1;

        let version = match self.read_line()? {
            Line::Text(line) => String::from_utf8_lossy(line).trim().to_owned(),
            Line::TooLong | Line::Eof => return Err(self.resync_after("version line longer than 64 KiB")),
        };
        let mut fields = Fields::default();
        let mut header_len = 0;
        loop {
            let line = match self.read_line()? {
                Line::Text(line) => line,
                Line::TooLong => return Err(self.resync_after("header line longer than 64 KiB")),
                Line::Eof => return Err(Problem::Malformed("the stream ends inside the record header".into())),
            };
            if line.is_empty() {
                break;
            }
            header_len += line.len();
            if header_len > MAX_HEADER {
                return Err(self.resync_after("record header longer than 1 MiB"));
            }
            if let Err(message) = fields.push_line(line) {
                return Err(self.resync_after(&message));
            }
        }
        let content_length = match fields.get("Content-Length").map(|v| v.parse::<u64>()) {
            Some(Ok(n)) => n,
            Some(Err(_)) => return Err(self.resync_after("Content-Length is not a number")),
            None => return Err(self.resync_after("record has no Content-Length")),
        };

        let complete = content_length <= self.limit;
        let keep = if complete { content_length } else { content_length.min(HEAD_BYTES) };
        let mut block = Vec::new();
        let mut got = self.stream.read_into(keep, &mut block)?;
        if !complete {
            got += self.stream.discard(content_length - keep)?;
        }
        if got < content_length {
            return Err(Problem::Malformed(format!(
                "the stream ends inside the record block ({got} of {content_length} bytes)"
            )));
        }

        let end = self.stream.peek(4)?;
        // At the very end of the stream a missing or partial terminator loses nothing.
        let terminated = end == b"\r\n\r\n" || end.starts_with(b"\n\n") || b"\r\n\r\n".starts_with(end);
        if !terminated {
            // Look for the next record inside the block first (Content-Length too long), then
            // further on (too short). Only a complete block can be put back.
            let inside = if complete { line_starting(&block, RESYNC) } else { None };
            match inside {
                Some(at) => self.stream.unread(&block[at..]),
                None => {
                    self.stream.skip_to_line_starting(RESYNC)?;
                }
            }
            return Err(Problem::Malformed(format!(
                "the record does not end where its Content-Length ({content_length}) says; skipped to the next record"
            )));
        }
        let end_len = end.len().min(if end.starts_with(b"\n\n") { 2 } else { 4 });
        self.stream.consume(end_len);
        Ok(Some(RawRecord { number: self.number, offset, version, fields, content_length, block, complete }))
    }

    /// One header line without its line ending; a line longer than [`MAX_LINE`] has its rest
    /// skipped.
    fn read_line(&mut self) -> io::Result<Line<'_>> {
        Ok(match read_line_limited(&mut self.stream, &mut self.line, MAX_LINE)? {
            LineRead::Eof => Line::Eof,
            LineRead::TooLong => Line::TooLong,
            LineRead::Line => Line::Text(self.line.strip_suffix(b"\r").unwrap_or(&self.line)),
        })
    }

    /// Skip to the next record after a broken header, keeping `message` for the report.
    fn resync_after(&mut self, message: &str) -> Problem {
        match self.stream.skip_to_line_starting(RESYNC) {
            Ok(_) => Problem::Malformed(format!("{message}; skipped to the next record")),
            Err(e) => Problem::Io(e),
        }
    }
}

enum Line<'a> {
    Text(&'a [u8]),
    TooLong,
    Eof,
}

/// Offset of the first line of `bytes` that starts with `prefix` (the start counts as a line
/// start).
fn line_starting(bytes: &[u8], prefix: &[u8]) -> Option<usize> {
    if bytes.starts_with(prefix) {
        return Some(0);
    }
    memchr::memchr_iter(b'\n', bytes)
        .map(|i| i + 1)
        .find(|&i| bytes[i..].starts_with(prefix))
}

impl<R: BufRead> Iterator for RecordReader<R> {
    type Item = Result<RawRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = self.read_record();
        let (number, offset) = self.current;
        let origin = record_origin(&self.path, number, offset);
        match result {
            Ok(Some(record)) => Some(Ok(record)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(Problem::Malformed(message)) => Some(Err(Error::Malformed { origin, message })),
            Err(Problem::Io(e)) => {
                self.done = true;
                Some(Err(read_error(&origin, e)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record with the given type, extra header lines and block, correctly framed.
    pub(crate) fn record(kind: &str, extra: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\n{extra}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn read_all(data: &[u8], limit: u64) -> Vec<std::result::Result<RawRecord, String>> {
        RecordReader::new(data, PathBuf::from("t.warc"), limit).map(|r| r.map_err(|e| e.to_string())).collect()
    }

    fn summary(data: &[u8], limit: u64) -> Vec<String> {
        read_all(data, limit)
            .into_iter()
            .map(|r| match r {
                Ok(rec) => format!(
                    "{} #{}@{} {}",
                    rec.warc_type().unwrap_or_default(),
                    rec.number,
                    rec.offset,
                    String::from_utf8_lossy(&rec.block)
                ),
                Err(e) => e,
            })
            .collect()
    }

    #[test]
    fn fields_are_case_insensitive_and_continue() {
        let data = b"WARC/1.0\r\nwarc-type: metadata\r\nX-Long: first part\r\n  second part\r\n\tthird\r\nCONTENT-LENGTH: 5\r\n\r\nhello\r\n\r\n";
        let records = read_all(data, 100);
        assert_eq!(records.len(), 1);
        let rec = records[0].as_ref().unwrap();
        assert_eq!(rec.version, "WARC/1.0");
        assert_eq!(rec.fields.get("WARC-Type"), Some("metadata"));
        assert_eq!(rec.fields.get("x-long"), Some("first part second part third"));
        assert_eq!(rec.content_length, 5);
        assert_eq!(rec.block, b"hello");
        assert!(rec.complete);
    }

    #[test]
    fn numbers_offsets_and_blank_lines_between_records() {
        let a = record("warcinfo", "", b"software: test");
        let b = record("request", "", b"GET / HTTP/1.1\r\n\r\n");
        let mut data = a.clone();
        data.extend_from_slice(b"\r\n\r\n");
        data.extend_from_slice(&b);
        let got = summary(&data, 1000);
        assert_eq!(got, vec![
            "warcinfo #1@0 software: test".to_owned(),
            format!("request #2@{} GET / HTTP/1.1\r\n\r\n", a.len() + 4),
        ]);
    }

    #[test]
    fn block_over_the_limit_keeps_only_its_head() {
        let big = vec![b'x'; 300_000];
        let mut data = record("resource", "", &big);
        data.extend(record("metadata", "", b"after"));
        let records = read_all(&data, 1000);
        let first = records[0].as_ref().unwrap();
        assert!(!first.complete);
        assert_eq!(first.content_length, 300_000);
        assert_eq!(first.block.len() as u64, HEAD_BYTES);
        assert_eq!(records[1].as_ref().unwrap().block, b"after");
    }

    #[test]
    fn content_length_too_short_resyncs_after_the_block() {
        let mut bad = record("response", "", b"0123456789");
        // Claim 4 bytes fewer than there are.
        let pos = bad.windows(18).position(|w| w == b"Content-Length: 10").unwrap();
        bad[pos + 16..pos + 18].copy_from_slice(b"06");
        let mut data = record("warcinfo", "", b"info");
        let second = data.len();
        data.extend(bad);
        data.extend(record("metadata", "", b"next"));
        let got = summary(&data, 1000);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], "warcinfo #1@0 info");
        assert_eq!(
            got[1],
            format!("t.warc, record 2 (offset {second}): the record does not end where its Content-Length (6) says; skipped to the next record")
        );
        assert!(got[2].starts_with("metadata #3@"), "{}", got[2]);
        assert!(got[2].ends_with(" next"));
    }

    #[test]
    fn content_length_too_long_finds_the_next_record_inside_the_block() {
        let mut bad = record("response", "", b"0123456789");
        let pos = bad.windows(18).position(|w| w == b"Content-Length: 10").unwrap();
        // 10 → 40: the block swallows the terminator and the start of the next record.
        bad[pos + 16..pos + 18].copy_from_slice(b"40");
        let next = record("metadata", "", b"next record survives");
        let mut data = bad;
        let next_offset = data.len();
        data.extend(&next);
        data.extend(record("metadata", "", b"third"));
        let got = summary(&data, 1000);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].starts_with("t.warc, record 1 (offset 0): the record does not end where its Content-Length (40) says"));
        assert_eq!(got[1], format!("metadata #2@{next_offset} next record survives"));
        assert!(got[2].ends_with(" third"));
    }

    #[test]
    fn garbage_between_records_is_reported_once() {
        let mut data = record("warcinfo", "", b"info");
        let garbage_at = data.len();
        data.extend_from_slice(b"some junk\nmore junk WARC/1.0 not at a line start\n");
        data.extend(record("metadata", "", b"ok"));
        let got = summary(&data, 1000);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], format!("t.warc, record 2 (offset {garbage_at}): skipped 49 bytes of data that is not a WARC record"));
        assert!(got[2].starts_with(&format!("metadata #2@{} ", garbage_at + 49)), "{}", got[2]);
    }

    #[test]
    fn broken_headers_are_reported_and_skipped() {
        let mut data = b"WARC/0.18\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n".to_vec();
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nno colon here\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n");
        data.extend(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nabc\r\n\r\n");
        data.extend(b"WARC/1.0\r\nContent-Length: lots\r\n\r\nabc\r\n\r\n");
        data.extend(b"WARC/1.0\r\n continued\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n");
        data.extend(record("metadata", "", b"fine"));
        let got = summary(&data, 1000);
        assert_eq!(got.len(), 6, "{got:?}");
        assert_eq!(got[0], "t.warc, record 1 (offset 0): skipped 39 bytes of a record of an unsupported WARC version");
        assert_eq!(got[1], "t.warc, record 1 (offset 39): header line without a colon: \"no colon here\"; skipped to the next record");
        assert!(got[2].ends_with("record has no Content-Length; skipped to the next record"), "{}", got[2]);
        assert!(got[3].ends_with("Content-Length is not a number; skipped to the next record"), "{}", got[3]);
        assert!(got[4].ends_with("continuation line before any header field; skipped to the next record"), "{}", got[4]);
        assert!(got[5].starts_with("metadata #5@"), "{}", got[5]);
    }

    #[test]
    fn truncated_stream_reports_once_and_stops() {
        let data = record("metadata", "", b"0123456789");
        let cut = &data[..data.len() - 8];
        let got = summary(cut, 1000);
        assert_eq!(got, vec!["t.warc, record 1 (offset 0): the stream ends inside the record block (6 of 10 bytes)"]);
        let cut = &data[..20];
        let got = summary(cut, 1000);
        assert_eq!(got, vec!["t.warc, record 1 (offset 0): the stream ends inside the record header"]);
        // A file that just lacks the final terminator is fine.
        let got = summary(&data[..data.len() - 4], 1000);
        assert_eq!(got, vec!["metadata #1@0 0123456789"]);
    }

    #[test]
    fn lf_only_framing_is_accepted() {
        let data = b"WARC/1.0\nWARC-Type: metadata\nContent-Length: 2\n\nhi\n\nWARC/1.0\nWARC-Type: metadata\nContent-Length: 3\n\nyou\n\n";
        assert_eq!(summary(data, 100), vec!["metadata #1@0 hi".to_owned(), "metadata #2@52 you".to_owned()]);
    }
}
