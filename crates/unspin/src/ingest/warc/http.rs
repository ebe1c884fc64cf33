//! The HTTP message inside a WARC `response` record: status line, headers, and the body undone
//! of its transfer and content codings.
//!
//! Common Crawl stores bodies already decoded (renaming the original headers to
//! `X-Crawler-Transfer-Encoding` and `X-Crawler-Content-Encoding`), but other crawlers keep the
//! bytes as they came off the wire, and some keep the headers while decoding the body. So the
//! headers are a hint, not a promise: a body that is not valid in the coding its header claims
//! is taken as it is when it already looks like HTML.

use std::borrow::Cow;
use std::io::Read;

use super::record::Fields;

/// Media types read as HTML.
const HTML_TYPES: &[&str] = &["text/html", "application/xhtml+xml"];

/// Status line and headers of an HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    pub fields: Fields,
    /// Where the body starts in the record block.
    pub body_start: usize,
}

impl Head {
    /// The media type of `Content-Type`, lower-cased, without parameters; `None` when absent or
    /// empty.
    pub fn media_type(&self) -> Option<String> {
        let value = self.fields.get("Content-Type")?;
        let media = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        (!media.is_empty()).then_some(media)
    }

    /// The `charset` parameter of `Content-Type`.
    pub fn charset(&self) -> Option<&str> {
        let value = self.fields.get("Content-Type")?;
        value.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            (name.trim().eq_ignore_ascii_case("charset") && !value.is_empty()).then_some(value)
        })
    }
}

/// Parse the status line and headers at the start of `block`; `None` when it does not start
/// with an HTTP status line. Headers cut off by the end of `block` are kept as far as they go.
pub fn parse_head(block: &[u8]) -> Option<Head> {
    let mut lines = LineIter { bytes: block, pos: 0 };
    let status_line = lines.next()?;
    let mut parts = status_line.split(|&b| b == b' ').filter(|p| !p.is_empty());
    let version = parts.next()?;
    if !version.starts_with(b"HTTP/") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    let status = std::str::from_utf8(code).ok()?.parse().ok()?;
    let mut fields = Fields::default();
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        // Servers send all sorts of broken header lines; a bad one costs that header only.
        let _ = fields.push_line(line);
    }
    Some(Head { status, fields, body_start: lines.pos })
}

/// Lines of a byte slice without their `\n` or `\r\n`; `pos` is where the next one starts.
struct LineIter<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.bytes.get(self.pos..).filter(|r| !r.is_empty())?;
        let (line, used) = match memchr::memchr(b'\n', rest) {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += used;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

/// Why a body could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Decompressed, it is larger than the limit.
    TooLarge,
    Malformed(String),
}

/// The body of the response, undone of `Transfer-Encoding: chunked` and of `Content-Encoding`
/// gzip / deflate, at most `limit` bytes once decoded.
pub fn decode_body<'a>(head: &Head, block: &'a [u8], limit: u64) -> Result<Cow<'a, [u8]>, BodyError> {
    let raw = block.get(head.body_start..).unwrap_or(&[]);
    let mut body = Cow::Borrowed(raw);
    let chunked = head
        .fields
        .get("Transfer-Encoding")
        .is_some_and(|te| te.split(',').any(|c| c.trim().eq_ignore_ascii_case("chunked")));
    if chunked {
        if let Some(dechunked) = dechunk(raw) {
            body = Cow::Owned(dechunked);
        }
    }
    let codings: Vec<String> = head
        .fields
        .get("Content-Encoding")
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    // Codings are listed in the order they were applied; undo them last to first.
    for coding in codings.iter().rev() {
        match inflate(coding, &body, limit) {
            Ok(Some(decoded)) => body = Cow::Owned(decoded),
            Ok(None) if looks_like_html(&body) => break,
            Ok(None) => return Err(BodyError::Malformed(format!("unsupported Content-Encoding {coding:?}"))),
            Err(BodyError::Malformed(_)) if looks_like_html(&body) => break,
            Err(e) => return Err(e),
        }
    }
    if body.len() as u64 > limit {
        return Err(BodyError::TooLarge);
    }
    Ok(body)
}

/// Undo one content coding; `Ok(None)` for a coding this crate cannot decode.
fn inflate(coding: &str, body: &[u8], limit: u64) -> Result<Option<Vec<u8>>, BodyError> {
    fn read_all(mut reader: impl Read, limit: u64, coding: &str) -> Result<Vec<u8>, BodyError> {
        let mut out = Vec::new();
        (&mut reader)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| BodyError::Malformed(format!("body is not valid {coding} data ({e})")))?;
        if out.len() as u64 > limit {
            return Err(BodyError::TooLarge);
        }
        Ok(out)
    }
    match coding {
        "gzip" | "x-gzip" => read_all(flate2::read::MultiGzDecoder::new(body), limit, coding).map(Some),
        // "deflate" is meant to be zlib-wrapped, but many servers send raw deflate.
        "deflate" => read_all(flate2::read::ZlibDecoder::new(body), limit, coding)
            .or_else(|_| read_all(flate2::read::DeflateDecoder::new(body), limit, coding))
            .map(Some),
        _ => Ok(None),
    }
}

/// Undo chunked transfer coding. `None` when `body` does not start with a chunk-size line (the
/// header was stale); a body cut off mid-chunk keeps what was there.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut pos = 0;
    let mut first = true;
    loop {
        let rest = &body[pos..];
        let Some(nl) = memchr::memchr(b'\n', rest) else {
            return (!first).then_some(out);
        };
        let size_line = String::from_utf8_lossy(&rest[..nl]);
        let size_text = size_line.split(';').next().unwrap_or("").trim();
        let size = match usize::from_str_radix(size_text, 16) {
            Ok(size) if !size_text.is_empty() => size,
            _ => return (!first).then_some(out),
        };
        first = false;
        if size == 0 {
            return Some(out);
        }
        let data_start = pos + nl + 1;
        let data_end = data_start.saturating_add(size).min(body.len());
        out.extend_from_slice(&body[data_start..data_end]);
        if data_end == body.len() {
            return Some(out);
        }
        pos = data_end;
        // The CRLF after the chunk data.
        if body[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if body[pos..].starts_with(b"\n") {
            pos += 1;
        }
    }
}

/// Whether the response is an HTML page: by its `Content-Type`; when that is missing or says
/// nothing (`application/octet-stream`), by the type the crawler identified
/// (`WARC-Identified-Payload-Type`) or by sniffing the body.
pub fn is_html(head: &Head, identified: Option<&str>, body: &[u8]) -> bool {
    match head.media_type().as_deref() {
        Some(media) if HTML_TYPES.contains(&media) => true,
        None | Some("application/octet-stream" | "unknown/unknown" | "application/unknown") => {
            let identified = identified.map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
            match identified.as_deref() {
                Some(t) if HTML_TYPES.contains(&t) => true,
                Some(t) if !t.is_empty() && t != "application/octet-stream" => false,
                _ => looks_like_html(body),
            }
        }
        Some(_) => false,
    }
}

/// Whether the media type rules the response out before its body is looked at.
pub fn surely_not_html(head: &Head, identified: Option<&str>) -> bool {
    !is_html(head, identified, b"<html>")
}

/// Whether `body` starts like an HTML page.
pub fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(4096)];
    crate::ingest::sniff(std::path::Path::new(""), head) == crate::ingest::InputKind::Html
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn head(text: &str) -> Head {
        parse_head(text.as_bytes()).expect("an HTTP head")
    }

    #[test]
    fn status_headers_and_charset() {
        let block = "HTTP/1.1 200 OK\r\nContent-Type: text/html; Charset=\"ISO-8859-1\"\r\nX-Folded: a\r\n b\r\nbroken line\r\n\r\n<html>body";
        let h = head(block);
        assert_eq!(h.status, 200);
        assert_eq!(h.media_type().as_deref(), Some("text/html"));
        assert_eq!(h.charset(), Some("ISO-8859-1"));
        assert_eq!(h.fields.get("x-folded"), Some("a b"));
        assert_eq!(&block[h.body_start..], "<html>body");
        assert_eq!(head("HTTP/2 404\n\n").status, 404);
        assert_eq!(parse_head(b"GET / HTTP/1.1\r\n\r\n"), None);
        assert_eq!(parse_head(b"HTTP/1.1 2000 OK\r\n\r\n"), None);
        assert_eq!(parse_head(b""), None);
        assert_eq!(head("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n").body_start, 42);
    }

    #[test]
    fn chunked_bodies_are_joined() {
        let block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\n<html>a\r\n0B;ext=1\r\n bc</html>x\r\n0\r\n\r\n";
        let h = head(block);
        assert_eq!(decode_body(&h, block.as_bytes(), 1000).unwrap().as_ref(), b"<html>a bc</html>x");
        // A stale header over a body that is not chunked: the body is kept as it is.
        let block = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>plain</html>";
        let h = head(block);
        assert_eq!(decode_body(&h, block.as_bytes(), 1000).unwrap().as_ref(), b"<html>plain</html>");
        // Cut off inside a chunk: what arrived is kept.
        assert_eq!(dechunk(b"5\r\nabcdefgh").unwrap(), b"abcde");
        assert_eq!(dechunk(b"10\r\nabc").unwrap(), b"abc");
    }

    #[test]
    fn gzip_and_deflate_bodies_are_inflated() {
        let page = b"<!doctype html><html><p>Hello</p></html>";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(page).unwrap();
        let gz = gz.finish().unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(&gz);
        let h = parse_head(&block).unwrap();
        assert_eq!(decode_body(&h, &block, 1000).unwrap().as_ref(), page);
        assert_eq!(decode_body(&h, &block, 10), Err(BodyError::TooLarge));

        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(page).unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        block.extend(z.finish().unwrap());
        let h = parse_head(&block).unwrap();
        assert_eq!(decode_body(&h, &block, 1000).unwrap().as_ref(), page, "raw deflate");

        // A header left over from the wire on a body stored decoded.
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(page);
        let h = parse_head(&block).unwrap();
        assert_eq!(decode_body(&h, &block, 1000).unwrap().as_ref(), page);

        let block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00garbage";
        let h = parse_head(block).unwrap();
        assert!(matches!(decode_body(&h, block, 1000), Err(BodyError::Malformed(m)) if m.starts_with("body is not valid gzip data")));
        let block = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x0b\x02\x80";
        let h = parse_head(block).unwrap();
        assert_eq!(decode_body(&h, block, 1000), Err(BodyError::Malformed("unsupported Content-Encoding \"br\"".into())));
    }

    #[test]
    fn html_by_type_then_identified_type_then_content() {
        let page = b"<!DOCTYPE html><html><body><p>x</p></body></html>";
        let typed = |ct: &str| head(&format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n\r\n"));
        assert!(is_html(&typed("text/html; charset=utf-8"), None, b""));
        assert!(is_html(&typed("Application/XHTML+XML"), None, b""));
        assert!(!is_html(&typed("image/jpeg"), None, page), "the declared type wins");
        assert!(!is_html(&typed("application/json"), None, page));
        let untyped = head("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n");
        assert!(is_html(&untyped, None, page));
        assert!(!is_html(&untyped, None, b"\xff\xd8\xff\xe0 JFIF"));
        assert!(is_html(&untyped, Some("text/html"), b""));
        assert!(!is_html(&untyped, Some("image/png"), page));
        assert!(is_html(&typed("application/octet-stream"), None, page));
        assert!(surely_not_html(&typed("application/pdf"), None));
        assert!(!surely_not_html(&untyped, None));
    }
}
