//! Dump every page's blocks and their features, for the block classifier's training script.
//!
//! ```text
//! cargo run --release -p unspin --example extraction_blocks -- DATA_DIR OUT.jsonl
//! ```
//!
//! `DATA_DIR` holds `html/<id>.html.gz` and `ground-truth.json` (its URLs are used, as
//! `extraction_score` does). Each output line is one page:
//! `{"id", "blocks": [{"text", "words", "features": [...]}]}`, the features of
//! [`unspin::ingest::html::blocks::features`], computed exactly as extraction computes them.

use std::collections::HashMap;
use std::io::{BufWriter, Read, Write};

use unspin::error::Origin;
use unspin::ingest::html::{self, blocks};

fn main() {
    if let Err(e) = run() {
        eprintln!("extraction_blocks: {e}");
        std::process::exit(2);
    }
}

#[derive(serde::Deserialize)]
struct Truth {
    url: Option<String>,
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data, out] = args.as_slice() else {
        return Err("usage: extraction_blocks DATA_DIR OUT.jsonl".into());
    };
    let data = std::path::Path::new(data);
    let truth: HashMap<String, Truth> = serde_json::from_slice(
        &std::fs::read(data.join("ground-truth.json")).map_err(|e| format!("ground-truth.json: {e}"))?,
    )
    .map_err(|e| format!("ground-truth.json: {e}"))?;
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let mut out = BufWriter::new(std::fs::File::create(out).map_err(|e| format!("{out}: {e}"))?);
    for id in ids {
        let path = data.join("html").join(format!("{id}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let origin = Origin::file(&path);
        let url = truth[id].url.as_deref();
        let rows: Vec<serde_json::Value> = match html::read(&bytes, None, url, &origin, html::HtmlOptions::default()) {
            Ok(page) => {
                let found = blocks::segment(&page.body);
                let features = blocks::features(&found, &page.extracted.text, page.meta.title.as_deref());
                found
                    .iter()
                    .zip(features)
                    .map(|(b, f)| serde_json::json!({ "text": b.text, "words": b.words, "features": f.to_vec() }))
                    .collect()
            }
            Err(e) => {
                eprintln!("{id}: {e}");
                Vec::new()
            }
        };
        serde_json::to_writer(&mut out, &serde_json::json!({ "id": id, "blocks": rows })).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}
