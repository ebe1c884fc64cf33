//! Count the documents and errors in a WARC or WARC.gz file, for the memory benchmark
//! (`bench/warc/memory.sh`) and for a quick look at a crawl.
//!
//! ```text
//! cargo run --release -p unspin --example warc_count -- FILE [--pages] [--max-doc-bytes N]
//! ```
//!
//! By default every HTML page goes through `ingest::read_all`, extraction included. `--pages`
//! stops at the WARC/HTTP layer (records cut, HTTP headers read, bodies decoded, HTML pages
//! picked), which measures the reader alone.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use unspin::ingest::warc::RecordReader;
use unspin::ingest::{self, IngestOptions, Input, InputKind, DEFAULT_MAX_DOC_BYTES};

fn main() -> ExitCode {
    let mut path = None;
    let mut pages_only = false;
    let mut limit = DEFAULT_MAX_DOC_BYTES;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--pages" => pages_only = true,
            "--max-doc-bytes" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => limit = n,
                None => return usage("--max-doc-bytes needs a number"),
            },
            _ if path.is_none() => path = Some(PathBuf::from(arg)),
            _ => return usage("one file at a time"),
        }
    }
    let Some(path) = path else { return usage("no file given") };

    let start = Instant::now();
    let (documents, errors, records) = if pages_only {
        match count_pages(&path, limit) {
            Ok(counts) => counts,
            Err(e) => {
                eprintln!("warc_count: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    } else {
        let opts = IngestOptions { kind: Some(InputKind::Warc), max_doc_bytes: limit, ..IngestOptions::default() };
        let (mut documents, mut errors) = (0u64, 0u64);
        for result in ingest::read_all(&Input::Path(path.clone()), &opts) {
            match result {
                Ok(_) => documents += 1,
                Err(e) => {
                    errors += 1;
                    eprintln!("warc_count: {e}");
                }
            }
        }
        (documents, errors, None)
    };
    let seconds = start.elapsed().as_secs_f64();
    let what = if pages_only { "pages" } else { "documents" };
    let records = records.map(|r| format!("records {r}\t")).unwrap_or_default();
    println!(
        "{records}{what} {documents}\terrors {errors}\tseconds {seconds:.2}\t{what}/s {:.0}",
        documents as f64 / seconds.max(1e-9)
    );
    ExitCode::SUCCESS
}

/// Records and HTML pages of `path`, without extraction: (pages, errors, records).
fn count_pages(path: &PathBuf, limit: u64) -> std::io::Result<(u64, u64, Option<u64>)> {
    let mut file = BufReader::with_capacity(64 * 1024, File::open(path)?);
    let gzipped = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::with_capacity(64 * 1024, flate2::bufread::MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    };
    let (mut pages, mut errors, mut records, mut bytes) = (0, 0, 0, 0);
    for record in RecordReader::new(reader, path.clone(), limit) {
        let result = record.and_then(|r| {
            records += 1;
            r.into_html_payload(path, limit)
        });
        match result {
            Ok(Some(page)) => {
                pages += 1;
                // Touch the page so the work cannot be optimised away.
                bytes += page.body.iter().filter(|&&b| b == b'<').count();
            }
            Ok(None) => {}
            Err(e) => {
                errors += 1;
                eprintln!("warc_count: {e}");
            }
        }
    }
    eprintln!("warc_count: {bytes} tags in the pages");
    Ok((pages, errors, Some(records)))
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("warc_count: {problem}\nusage: warc_count FILE [--pages] [--max-doc-bytes N]");
    ExitCode::from(2)
}
