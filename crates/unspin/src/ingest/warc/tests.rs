//! Tests of the payload layer: which records hold HTML pages, and what is taken from them. They
//! stop short of `html::document`; `tests/warc.rs` covers whole documents.

use std::io::{BufReader, Write};
use std::path::Path;

use super::*;

const PAGE: &str = "<!DOCTYPE html><html><head><title>Dam opens</title></head><body><p>The new dam opened on Monday.</p></body></html>";

fn warc_record(kind: &str, extra: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!("WARC/1.0\r\nWARC-Type: {kind}\r\n{extra}Content-Length: {}\r\n\r\n", block.len()).into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(uuid: &str, http_head: &str, body: &[u8]) -> Vec<u8> {
    let mut block = http_head.as_bytes().to_vec();
    block.extend_from_slice(body);
    let extra = format!(
        "WARC-Record-ID: <urn:uuid:{uuid}>\r\nWARC-Date: 2024-03-05T10:20:30Z\r\nWARC-Target-URI: https://news.example.org/{uuid}\r\nContent-Type: application/http; msgtype=response\r\n"
    );
    warc_record("response", &extra, &block)
}

/// Payload summaries (`id status body-start`) or error strings, for every record that is not
/// skipped.
fn payloads(data: &[u8], limit: u64) -> Vec<String> {
    let path = Path::new("t.warc");
    let mut out = Vec::new();
    for record in RecordReader::new(data, path.to_path_buf(), limit) {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.push(e.to_string());
                continue;
            }
        };
        match record.into_html_payload(path, limit) {
            Ok(Some(p)) => {
                let start = String::from_utf8_lossy(&p.body[..p.body.len().min(15)]).into_owned();
                out.push(format!("{} {} {} {:?} {}", p.id, p.http.status, p.charset().unwrap_or("-"), p.date, start));
            }
            Ok(None) => {}
            Err(e) => out.push(e.to_string()),
        }
    }
    out
}

#[test]
fn only_2xx_html_responses_are_pages() {
    let ok = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n";
    let mut data = warc_record("warcinfo", "", b"software: test\r\n");
    data.extend(warc_record("request", "", b"GET /a HTTP/1.1\r\nHost: news.example.org\r\n\r\n"));
    data.extend(response("aaaa-1", ok, PAGE.as_bytes()));
    data.extend(warc_record("metadata", "", b"fetchTimeMs: 120\r\n"));
    data.extend(response("bbbb-2", "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n", b"\xff\xd8\xff\xe0JFIF"));
    data.extend(response("cccc-3", "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n", PAGE.as_bytes()));
    data.extend(response("dddd-4", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n", b"{\"a\": 1}"));
    data.extend(response("eeee-5", "HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n", b""));
    data.extend(warc_record("revisit", "WARC-Profile: x\r\n", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"));
    data.extend(response("ffff-6", "HTTP/1.1 200 OK\r\n\r\n", PAGE.as_bytes()));
    data.extend(warc_record("response", "Content-Type: text/dns\r\n", b"20240305 example.org. 300 IN A 192.0.2.1"));
    let got = payloads(&data, 1 << 20);
    assert_eq!(got, vec![
        "aaaa-1 200 windows-1252 Some(\"2024-03-05T10:20:30Z\") <!DOCTYPE html>",
        "ffff-6 200 - Some(\"2024-03-05T10:20:30Z\") <!DOCTYPE html>",
    ]);
}

#[test]
fn payload_fields_and_chunked_gzip_body() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(PAGE.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let mut chunked = Vec::new();
    for part in gz.chunks(20) {
        chunked.extend(format!("{:x}\r\n", part.len()).into_bytes());
        chunked.extend(part);
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n";
    let data = response("1234-abcd", head, &chunked);
    let path = Path::new("x.warc");
    let record = RecordReader::new(&data[..], path.to_path_buf(), 1 << 20).next().unwrap().unwrap();
    let payload = record.into_html_payload(path, 1 << 20).unwrap().unwrap();
    assert_eq!(payload.id, "1234-abcd");
    assert_eq!(payload.target_uri.as_deref(), Some("https://news.example.org/1234-abcd"));
    assert_eq!(payload.body, PAGE.as_bytes());
    assert_eq!(payload.http.fields.get("content-encoding"), Some("gzip"));
}

#[test]
fn record_ids() {
    assert_eq!(record_id("<urn:uuid:6f1c2d3e-aaaa-bbbb-cccc-0123456789ab>"), "6f1c2d3e-aaaa-bbbb-cccc-0123456789ab");
    assert_eq!(record_id("<URN:UUID:ABC>"), "ABC");
    assert_eq!(record_id("<urn:x-local:42>"), "urn:x-local:42");
    assert_eq!(record_id("<urn:uuid:>"), "");
    assert_eq!(record_id(" <> "), "");
}

#[test]
fn oversize_pages_are_too_large_and_other_oversize_records_are_not() {
    let big_page = format!("<html><body>{}</body></html>", "<p>word word word</p>".repeat(200));
    let mut data = response("big-1", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", big_page.as_bytes());
    data.extend(response("big-2", "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\n\r\n", &vec![0u8; 5000]));
    data.extend(response("big-3", "HTTP/1.1 200 OK\r\n\r\n", &vec![0u8; 5000]));
    data.extend(warc_record("warcinfo", "", &vec![b'x'; 5000]));
    data.extend(response("small", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", PAGE.as_bytes()));
    let got = payloads(&data, 1000);
    assert_eq!(got, vec![
        "t.warc, record 1 (offset 0): document is larger than the limit of 1000 bytes (raise it with --max-doc-bytes)".to_owned(),
        "small 200 - Some(\"2024-03-05T10:20:30Z\") <!DOCTYPE html>".to_owned(),
    ]);
}

#[test]
fn broken_http_is_an_error_for_that_record() {
    let mut data = response("x1", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n", b"\x1f\x8b\x08\x00\x00\x00broken");
    data.extend(warc_record("response", "Content-Type: application/http; msgtype=response\r\n", b"<html>no status line</html>"));
    data.extend(response("x3", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", PAGE.as_bytes()));
    let got = payloads(&data, 1 << 20);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got[0].starts_with("t.warc, record 1 (offset 0): body is not valid gzip data"), "{}", got[0]);
    assert!(got[1].ends_with("response record does not start with an HTTP status line"), "{}", got[1]);
    assert!(got[1].starts_with("t.warc, record 2 (offset "), "{}", got[1]);
    assert!(got[2].starts_with("x3 200"), "{}", got[2]);
}

/// A WARC.gz the way CC writes it: one gzip member per record.
fn gzip_members(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for record in records {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(record).unwrap();
        out.extend(gz.finish().unwrap());
    }
    out
}

fn sample_records() -> Vec<Vec<u8>> {
    let ok = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
    vec![
        warc_record("warcinfo", "", b"software: test\r\n"),
        warc_record("request", "", b"GET /a HTTP/1.1\r\n\r\n"),
        response("p1", ok, PAGE.as_bytes()),
        warc_record("metadata", "", b"fetchTimeMs: 12\r\n"),
        response("p2", ok, PAGE.as_bytes()),
        response("p3", ok, PAGE.as_bytes()),
    ]
}

/// Drive the record and payload layers over an un-gzipped stream the way `ingest::read` does.
fn payloads_gz(data: &[u8]) -> Vec<String> {
    let path = Path::new("t.warc.gz");
    let reader = BufReader::new(flate2::bufread::MultiGzDecoder::new(data));
    RecordReader::new(reader, path.to_path_buf(), 1 << 20)
        .map(|r| match r.and_then(|rec| rec.into_html_payload(path, 1 << 20).map(|p| p.map(|p| p.id))) {
            Ok(Some(id)) => id,
            Ok(None) => "-".to_owned(),
            Err(e) => e.to_string(),
        })
        .collect()
}

#[test]
fn truncated_gzip_member_ends_the_stream_with_one_error() {
    let members: Vec<Vec<u8>> = sample_records().iter().map(|r| gzip_members(std::slice::from_ref(r))).collect();
    let whole = members.concat();
    assert_eq!(payloads_gz(&whole), vec!["-", "-", "p1", "-", "p2", "p3"]);
    // Cut the fifth member (p2) in half.
    let cut_at = members[..4].iter().map(Vec::len).sum::<usize>() + members[4].len() / 2;
    let got = payloads_gz(&whole[..cut_at]);
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(got[..4], ["-", "-", "p1", "-"]);
    let offset: usize = sample_records()[..4].iter().map(Vec::len).sum();
    assert!(
        got[4].starts_with(&format!("t.warc.gz, record 5 (offset {offset}): ")),
        "the error names the record being read: {}",
        got[4]
    );
    assert!(got[4].contains("truncated or corrupt gzip data") || got[4].contains("the stream ends inside"), "{}", got[4]);
}

#[test]
fn no_prefix_of_a_valid_file_panics() {
    let plain = sample_records().concat();
    let gz = gzip_members(&sample_records());
    for len in (0..plain.len()).step_by(7) {
        let n = payloads(&plain[..len], 1 << 20).len();
        assert!(n <= 6, "prefix {len}");
    }
    for len in (0..gz.len()).step_by(7) {
        let got = payloads_gz(&gz[..len]);
        // Six records, plus an error when the cut falls in the last member's trailer.
        assert!(got.len() <= 7, "prefix {len}: {got:?}");
        let errors = got.iter().filter(|g| g.starts_with("t.warc.gz,")).count();
        assert!(errors <= 1, "one error at most for a truncated file, prefix {len}: {got:?}");
    }
}

#[test]
fn flipped_bytes_never_panic() {
    // A cheap stand-in for fuzzing: corrupt every 13th byte in turn.
    let plain = sample_records().concat();
    for i in (0..plain.len()).step_by(13) {
        for byte in [b'\n', b'0', b'W', 0xff] {
            let mut data = plain.clone();
            data[i] = byte;
            let _ = payloads(&data, 1 << 20);
        }
    }
}
