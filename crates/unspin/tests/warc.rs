//! WARC ingestion end to end, on the CC-NEWS-style fixture written by `bench/warc/make_warc.py`
//! (`tests/data/warc/ccnews-sample.warc{,.gz}`: a warcinfo record, then request / response /
//! metadata for six articles, an image and a 404) and on broken files made from it.
//!
//! Tests named `documents_*` load the pages through `html::document`; the others stop at the
//! reader (`ingest::read` yields `Pending` items whose loading is the HTML extraction), so they
//! check the WARC layer whatever the state of the HTML extractor.

use std::io::Write;
use std::path::{Path, PathBuf};

use unspin::ingest::warc::RecordReader;
use unspin::ingest::{self, IngestOptions, Input, InputKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/warc").join(name)
}

/// The reader's items for `path`: `ok` for each pending document, else the error message.
fn read_items(path: &Path, opts: &IngestOptions) -> Vec<String> {
    ingest::read(&Input::Path(path.to_path_buf()), opts)
        .map(|item| match item {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.to_string(),
        })
        .collect()
}

/// `(type, record id, offset)` of every record of the uncompressed fixture.
fn fixture_records() -> Vec<(String, String, u64, Vec<u8>)> {
    let path = fixture("ccnews-sample.warc");
    let bytes = std::fs::read(&path).unwrap();
    RecordReader::new(&bytes[..], path, 1 << 20)
        .map(|r| {
            let r = r.expect("the fixture is valid");
            let id = r.fields.get("WARC-Record-ID").unwrap().to_owned();
            (r.warc_type().unwrap(), id, r.offset, r.block)
        })
        .collect()
}

/// Gzip members, one per record of the plain fixture: what `make_warc.py` writes, rebuilt here
/// so tests can break single members.
fn members() -> Vec<Vec<u8>> {
    let bytes = std::fs::read(fixture("ccnews-sample.warc")).unwrap();
    let mut starts: Vec<usize> = fixture_records().iter().map(|r| r.2 as usize).collect();
    starts.push(bytes.len());
    starts
        .windows(2)
        .map(|w| {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&bytes[w[0]..w[1]]).unwrap();
            gz.finish().unwrap()
        })
        .collect()
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn fixture_has_the_cc_news_layout() {
    let records = fixture_records();
    let kinds: Vec<&str> = records.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(kinds[0], "warcinfo");
    assert_eq!(kinds.len(), 1 + 3 * 8, "six articles, an image and a 404");
    for exchange in kinds[1..].chunks(3) {
        assert_eq!(exchange, ["request", "response", "metadata"]);
    }
    let gz = std::fs::read(fixture("ccnews-sample.warc.gz")).unwrap();
    let plain = std::fs::read(fixture("ccnews-sample.warc")).unwrap();
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&gz[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, plain, "the .warc is the .warc.gz uncompressed");
    assert!(gz.len() < 32 * 1024);
}

#[test]
fn reader_yields_one_item_per_html_page() {
    for name in ["ccnews-sample.warc.gz", "ccnews-sample.warc"] {
        let items = read_items(&fixture(name), &IngestOptions::default());
        assert_eq!(items, vec!["ok"; 6], "{name}: the image, the 404 and non-response records are skipped");
    }
}

#[test]
fn format_is_sniffed_from_content_too() {
    let dir = tempfile::tempdir().unwrap();
    let gz = std::fs::read(fixture("ccnews-sample.warc.gz")).unwrap();
    let path = write_temp(&dir, "crawl-00001", &gz);
    assert_eq!(read_items(&path, &IngestOptions::default()), vec!["ok"; 6]);
}

#[test]
fn wrong_content_length_costs_that_record_only() {
    let plain = std::fs::read(fixture("ccnews-sample.warc")).unwrap();
    let records = fixture_records();
    // The second article's response is record 6; make its Content-Length 100 bytes short.
    let (kind, _, offset, block) = &records[5];
    assert_eq!(kind, "response");
    let header_end = *offset as usize + plain[*offset as usize..].windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let header = String::from_utf8(plain[*offset as usize..header_end].to_vec()).unwrap();
    let short = header.replace(&format!("Content-Length: {}", block.len()), &format!("Content-Length: {}", block.len() - 100));
    assert_ne!(short, header);
    for (what, new_header) in [("short", short.clone()), ("long", short.replace("Content-Length: ", "Content-Length: 1"))] {
        let mut bytes = plain[..*offset as usize].to_vec();
        bytes.extend(new_header.as_bytes());
        bytes.extend(&plain[header_end..]);
        let dir = tempfile::tempdir().unwrap();
        let path = write_temp(&dir, "bad.warc", &bytes);
        let items = read_items(&path, &IngestOptions::default());
        let errors: Vec<&String> = items.iter().filter(|i| *i != "ok").collect();
        assert_eq!(errors.len(), 1, "{what}: {items:?}");
        assert!(
            errors[0].starts_with(&format!("{}, record 6 (offset {offset}): the record does not end where its Content-Length", path.display())),
            "{what}: {}",
            errors[0]
        );
        let pages = items.iter().filter(|i| *i == "ok").count();
        assert_eq!(pages, 5, "{what}: every other page survives: {items:?}");
    }
}

#[test]
fn garbage_between_records_is_skipped_and_reported_once() {
    let plain = std::fs::read(fixture("ccnews-sample.warc")).unwrap();
    let records = fixture_records();
    let at = records[4].2 as usize; // before the second request
    let mut bytes = plain[..at].to_vec();
    bytes.extend(b"<html>stray bytes from a broken writer</html>\nline two of them\n");
    bytes.extend(&plain[at..]);
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "junk.warc", &bytes);
    let items = read_items(&path, &IngestOptions::default());
    assert_eq!(items.len(), 7, "{items:?}");
    assert_eq!(items.iter().filter(|i| *i == "ok").count(), 6);
    assert_eq!(
        items[1],
        format!("{}, record 5 (offset {at}): skipped 63 bytes of data that is not a WARC record", path.display())
    );
}

#[test]
fn truncated_gzip_member_ends_the_file_with_one_error() {
    let members = members();
    // Cut the member of the third article's response (record 9) in half.
    let keep: usize = members[..8].iter().map(Vec::len).sum::<usize>() + members[8].len() / 2;
    let bytes = members.concat();
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "cut.warc.gz", &bytes[..keep]);
    let items = read_items(&path, &IngestOptions::default());
    let offset = fixture_records()[8].2;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[..2], ["ok", "ok"]);
    assert!(
        items[2].starts_with(&format!("{}, record 9 (offset {offset}): truncated or corrupt gzip data", path.display())),
        "{}",
        items[2]
    );
}

#[test]
fn pages_over_the_limit_are_reported_and_skipped_unread() {
    let opts = IngestOptions { kind: None, max_doc_bytes: 3_000, ..IngestOptions::default() };
    let items = read_items(&fixture("ccnews-sample.warc.gz"), &opts);
    // Pages are 2.5-3.5 KB: the larger ones are over, the others still come through; the
    // image, the 404 and the small non-response records are not reported.
    let too_large: Vec<&String> = items.iter().filter(|i| i.contains("larger than the limit of 3000 bytes")).collect();
    assert!(!too_large.is_empty() && too_large.len() < 6, "{items:?}");
    assert_eq!(too_large.len() + items.iter().filter(|i| *i == "ok").count(), 6, "{items:?}");
    assert!(too_large.iter().all(|e| e.contains("ccnews-sample.warc.gz, record ")));
}

#[test]
fn prefixes_of_the_fixture_never_panic() {
    let gz = std::fs::read(fixture("ccnews-sample.warc.gz")).unwrap();
    let plain = std::fs::read(fixture("ccnews-sample.warc")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = IngestOptions { kind: Some(InputKind::Warc), ..IngestOptions::default() };
    for (name, bytes) in [("p.warc.gz", &gz), ("p.warc", &plain)] {
        let path = dir.path().join(name);
        for len in (0..bytes.len()).step_by(7) {
            std::fs::write(&path, &bytes[..len]).unwrap();
            let items = read_items(&path, &opts);
            assert!(items.len() <= 7, "{name} cut at {len}: {items:?}");
            let errors = items.iter().filter(|i| *i != "ok").count();
            assert!(errors <= 1, "a cut file has one error at most; {name} cut at {len}: {items:?}");
        }
    }
}

// ---- Documents: these go through html::document. ----

#[test]
fn documents_from_the_fixture() {
    let responses: Vec<(String, String, u64, Vec<u8>)> =
        fixture_records().into_iter().filter(|r| r.0 == "response").collect();
    let docs: Vec<unspin::Document> = ingest::read_all(&Input::Path(fixture("ccnews-sample.warc.gz")), &IngestOptions::default())
        .collect::<Result<_, _>>()
        .expect("every page of the fixture has text");
    assert_eq!(docs.len(), 6);
    for doc in &docs {
        assert_eq!(doc.meta.format, InputKind::Warc);
        assert!(doc.meta.source.ends_with("ccnews-sample.warc.gz"));
        assert_eq!(doc.meta.site.as_deref(), Some("riverside-ledger.example"));
        assert!(!doc.id.contains("urn:uuid") && !doc.id.contains('<'), "{}", doc.id);
        let record = responses.iter().find(|r| r.1.contains(&doc.id)).expect("the id is a response record id");
        let url = doc.meta.url.as_deref().unwrap();
        assert!(String::from_utf8_lossy(&record.3).contains("HTTP/1.1 200 OK"));
        assert!(url.starts_with("https://www.riverside-ledger.example/"), "{url}");
        assert!(!doc.text.contains("We use cookies"), "boilerplate stays out: {}", doc.text);
        assert!(!doc.text.contains("All rights reserved"), "{}", doc.text);
    }
    let tram = &docs[0];
    assert_eq!(tram.meta.url.as_deref(), Some("https://www.riverside-ledger.example/city/tram-line-approved"));
    assert!(tram.text.contains("Riverside city council voted 31 to 17 on Monday night"), "{}", tram.text);
    assert!(tram.text.contains("“We are pouring concrete for a problem that software could solve,”"));
    assert!(tram.meta.date.as_deref().unwrap().starts_with("2024-03-04"), "the page's own date wins");
}

#[test]
fn documents_take_the_warc_date_and_http_charset() {
    let docs: Vec<unspin::Document> = ingest::read_all(&Input::Path(fixture("ccnews-sample.warc")), &IngestOptions::default())
        .collect::<Result<_, _>>()
        .unwrap();
    // The hospital page has no date of its own and is windows-1252, declared in HTTP only.
    let hospital = docs.iter().find(|d| d.text.contains("St Anne's hospital will replace")).expect("hospital page");
    let date = hospital.meta.date.as_deref().unwrap();
    assert!(date.starts_with("2024-03-06T10:00:") && date.ends_with('Z'), "the WARC-Date: {date}");
    // € is 0x80 in windows-1252 and a control character in Latin-1: only the declared charset
    // gives it back.
    assert!(hospital.text.contains("about €380,000 in overtime"), "{}", hospital.text);
    assert!(hospital.text.contains("the café on the ground floor"));
    assert!(hospital.meta.title.as_deref().unwrap_or("").contains("St Anne’s hospital"), "{:?}", hospital.meta.title);
    // The sports page was stored gzip-compressed, as it came off the wire.
    let sport = docs.iter().find(|d| d.text.contains("substitute Nora Eke")).expect("gzip-encoded page");
    assert!(sport.meta.url.as_deref().unwrap().ends_with("/sport/harbour-ladies-promoted"));
}
