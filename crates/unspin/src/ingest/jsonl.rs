//! JSON Lines: one document per line.
//!
//! Each line is an object with `text` or `html` and, optionally, `id`, `url`, `source` (the
//! outlet: a domain goes to `site`, a name to `site_name`), `title`, `author`/`byline`, `date`,
//! `language`/`lang`. Every other field is kept in [`Metadata::extra`] and written back out.
//! Empty lines, and a byte-order mark before the first line, are skipped. A line that is not a
//! JSON object, has neither `text` nor `html`, or is longer than the document limit yields an
//! error naming the line; the next line is read as usual.

use std::io::BufRead;
use std::path::PathBuf;

use serde_json::Value;

use crate::document::{Document, Metadata};
use crate::error::{Error, Origin, Result};
use crate::ingest::{html, read_error, IngestOptions, InputKind, Pending};

/// Iterator over the documents of a JSON Lines stream.
pub struct Lines<R> {
    reader: R,
    path: PathBuf,
    opts: IngestOptions,
    line_no: usize,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R, path: PathBuf, opts: IngestOptions) -> Self {
        Lines { reader, path, opts, line_no: 0, buf: Vec::new(), done: false }
    }
}

/// How a bounded line read ended.
pub(crate) enum LineRead {
    /// A whole line (possibly without a final `\n`) is in the buffer.
    Line,
    /// The line was longer than the limit; the buffer holds its start, the rest was skipped.
    TooLong,
    Eof,
}

/// Read one line into `buf` (without its `\n`), keeping at most `limit` bytes and skipping the
/// rest, so a 1 GB line costs no more memory than a short one.
pub(crate) fn read_line_limited(reader: &mut impl BufRead, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<LineRead> {
    buf.clear();
    let mut read_any = false;
    let mut too_long = false;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(match (read_any, too_long) {
                (false, _) => LineRead::Eof,
                (true, true) => LineRead::TooLong,
                (true, false) => LineRead::Line,
            });
        }
        read_any = true;
        let (take, found) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            let room = limit.saturating_sub(buf.len());
            buf.extend_from_slice(&chunk[..take.min(room)]);
            too_long = take > room;
        }
        reader.consume(take + usize::from(found));
        if found {
            return Ok(if too_long { LineRead::TooLong } else { LineRead::Line });
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Pending>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line_no += 1;
            let origin = Origin::record(&self.path, format!("line {}", self.line_no));
            let limit = usize::try_from(self.opts.max_doc_bytes).unwrap_or(usize::MAX);
            match read_line_limited(&mut self.reader, &mut self.buf, limit) {
                Err(e) => {
                    // An I/O or gzip error ends the stream: nothing after it can be trusted.
                    self.done = true;
                    return Some(Err(read_error(&origin, e)));
                }
                Ok(LineRead::Eof) => self.done = true,
                Ok(LineRead::TooLong) => {
                    return Some(Err(Error::TooLarge { origin, limit: self.opts.max_doc_bytes }));
                }
                Ok(LineRead::Line) => {
                    let line = self.buf.strip_suffix(b"\r").unwrap_or(&self.buf);
                    // A byte-order mark (editors on Windows write one) is not part of the first
                    // record; `sniff` already reads such a file as JSON Lines.
                    let line = match self.line_no {
                        1 => line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line),
                        _ => line,
                    };
                    if line.trim_ascii().is_empty() {
                        continue;
                    }
                    let source = self.path.display().to_string();
                    let line = line.to_vec();
                    let line_no = self.line_no;
                    let html = self.opts.html;
                    return Some(Ok(Pending::new(move || parse_line(&line, line_no, source, &origin, html))));
                }
            }
        }
        None
    }
}

fn parse_line(line: &[u8], line_no: usize, source: String, origin: &Origin, options: html::HtmlOptions) -> Result<Document> {
    let malformed = |message: String| Error::Malformed { origin: origin.clone(), message };
    let value: Value = serde_json::from_slice(line).map_err(|e| malformed(format!("not valid JSON: {e}")))?;
    let Value::Object(mut fields) = value else {
        return Err(malformed("expected a JSON object with \"text\" or \"html\"".into()));
    };
    let id = match fields.remove("id") {
        Some(Value::String(s)) if !s.is_empty() => s,
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => format!("line{line_no}"),
        Some(other) => return Err(malformed(format!("\"id\" must be a string or number, not {other}"))),
    };
    let mut take = |keys: &[&str]| -> Result<Option<String>> {
        for key in keys {
            match fields.remove(*key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => return Ok(Some(s)),
                Some(other) => return Err(malformed(format!("\"{key}\" must be a string, not {other}"))),
            }
        }
        Ok(None)
    };
    let text_field = take(&["text"])?;
    let html_field = take(&["html"])?;
    let url = take(&["url"])?;
    let outlet = take(&["source"])?;
    let title = take(&["title"])?;
    let byline = take(&["byline", "author"])?;
    let date = take(&["date"])?;
    let language = take(&["language", "lang"])?;
    let (site, site_name) = match outlet {
        Some(o) if !o.contains(char::is_whitespace) && o.contains('.') => {
            (crate::document::site_of_url(&format!("http://{o}")).or(Some(o)), None)
        }
        other => (None, other),
    };
    let mut doc = match (text_field, html_field) {
        (Some(text), _) => {
            // Document::new normalises the newlines.
            if text.trim().is_empty() {
                return Err(Error::Empty { origin: origin.clone() });
            }
            let meta = Metadata { source, format: InputKind::Text, ..Metadata::default() };
            Document::new(id, text, meta)
        }
        (None, Some(page)) => {
            html::document(page.as_bytes(), Some("utf-8"), url.as_deref(), id, source, origin, options)?
        }
        (None, None) => return Err(malformed("record has neither \"text\" nor \"html\"".into())),
    };
    let meta = &mut doc.meta;
    meta.format = InputKind::Jsonl;
    fill(&mut meta.url, url);
    fill(&mut meta.title, title);
    fill(&mut meta.byline, byline);
    fill(&mut meta.date, date);
    fill(&mut meta.site_name, site_name);
    if let Some(site) = site {
        meta.site = Some(site);
    } else if meta.site.is_none() {
        meta.site = meta.url.as_deref().and_then(crate::document::site_of_url);
    }
    if language.is_some() {
        meta.language = language;
    }
    meta.extra = std::mem::take(&mut fields);
    meta.neutralize_controls();
    Ok(doc)
}

/// The record's own field wins over what was found in its HTML.
fn fill(slot: &mut Option<String>, value: Option<String>) {
    if value.is_some() {
        *slot = value;
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, limit: u64) -> Vec<Result<Document>> {
        let opts = IngestOptions { max_doc_bytes: limit, ..IngestOptions::default() };
        Lines::new(input.as_bytes(), PathBuf::from("in.jsonl"), opts).map(|p| p.and_then(Pending::load)).collect()
    }

    #[test]
    fn records_with_metadata_and_unknown_fields() {
        let input = concat!(
            r#"{"id":"a1","text":"The “elites” lied.\r\nAgain.","url":"https://www.example.org/x","date":"2024-05-01","topic":"war","score":3}"#,
            "\n\n",
            r#"{"id":7,"text":"Second one.","source":"Daily Example"}"#,
            "\n",
            r#"{"text":"No id here.","source":"news.example.com"}"#,
        );
        let docs: Vec<Document> = read(input, 1 << 20).into_iter().map(Result::unwrap).collect();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].text, "The “elites” lied.\nAgain.");
        assert_eq!(docs[0].meta.site.as_deref(), Some("example.org"));
        assert_eq!(docs[0].meta.date.as_deref(), Some("2024-05-01"));
        assert_eq!(docs[0].meta.format, InputKind::Jsonl);
        assert_eq!(docs[0].meta.extra["topic"], "war");
        assert_eq!(docs[0].meta.extra["score"], 3);
        assert_eq!(docs[1].id, "7");
        assert_eq!(docs[1].meta.site_name.as_deref(), Some("Daily Example"));
        assert_eq!(docs[2].id, "line4");
        assert_eq!(docs[2].meta.site.as_deref(), Some("news.example.com"));
    }

    #[test]
    fn a_byte_order_mark_before_the_first_record_is_skipped() {
        let docs = read("\u{feff}{\"id\":\"b\",\"text\":\"One.\"}\r\n{\"text\":\"Two.\"}\n", 1 << 20);
        let ids: Vec<String> = docs.into_iter().map(|d| d.unwrap().id).collect();
        assert_eq!(ids, ["b", "line2"]);
    }

    #[test]
    fn bad_lines_are_reported_and_skipped() {
        let input = concat!(
            "{\"id\":\"ok1\",\"text\":\"Fine.\"}\n",
            "this is not json\n",
            "[1,2,3]\n",
            "{\"id\":\"x\"}\n",
            "{\"id\":\"big\",\"text\":\"", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "\"}\n",
            "{\"id\":\"ok2\",\"text\":\"Also fine.\"}",
        );
        let results = read(input, 64);
        let summary: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(d) => format!("ok {}", d.id),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(summary[0], "ok ok1");
        assert!(summary[1].starts_with("in.jsonl, line 2: not valid JSON"), "{}", summary[1]);
        assert_eq!(summary[2], "in.jsonl, line 3: expected a JSON object with \"text\" or \"html\"");
        assert_eq!(summary[3], "in.jsonl, line 4: record has neither \"text\" nor \"html\"");
        assert!(summary[4].starts_with("in.jsonl, line 5: document is larger than the limit of 64 bytes"), "{}", summary[4]);
        assert_eq!(summary[5], "ok ok2");
        assert_eq!(summary.len(), 6);
    }
}
