//! Time the claims stage (quotes, attribution, hedges, insinuations, outlet lookup) on the PTC
//! training articles: ms per article and words/s, to set against the technique detector's cost.
//!
//! ```text
//! cargo run --release -p unspin --example claims_bench -- [DIR] [--rounds N] [--model N]
//! ```
//!
//! With `--model N`, the first N articles also go through the shipped model twice each, in
//! turn: spans only, and spans plus the sentence heads pooled from the same pass. It prints both
//! times and what the heads and the claims stage add to the detector's time.
//!
//! DIR defaults to `/work/shared/data/ptc/train/train-articles`. Segmentation is done once,
//! outside the timing: the detector needs it too, so only the claims stage is what `analyze`
//! adds. Each article gets a URL so the outlet lookup runs. The best round is reported.

use std::path::PathBuf;
use std::time::Instant;

use unspin::{claims, Document, Metadata};

fn main() {
    let mut dir = PathBuf::from("/work/shared/data/ptc/train/train-articles");
    let mut rounds = 5usize;
    let mut model_articles = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
            "--model" => model_articles = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
            _ if arg.starts_with('-') => usage(),
            _ => dir = PathBuf::from(arg),
        }
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let docs: Vec<(Document, unspin::segment::Segmentation)> = names
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| {
            let meta = Metadata { url: Some("https://www.rt.com/news/1-x/".into()), ..Metadata::default() };
            let doc = Document::new("b", text, meta);
            let seg = unspin::segment::segment(&doc.text);
            (doc, seg)
        })
        .collect();
    if docs.is_empty() {
        fail(&format!("{}: no .txt files", dir.display()));
    }
    let words: usize = docs.iter().map(|(_, s)| s.word_count()).sum();
    let (mut best, mut claims_n, mut attributed, mut hedges) = (f64::INFINITY, 0, 0, 0);
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        (claims_n, attributed, hedges) = (0, 0, 0);
        for (doc, seg) in &docs {
            let c = claims::analyze(doc, seg, None).unwrap_or_else(|e| fail(&e.to_string()));
            claims_n += c.summary.claims;
            attributed += c.summary.attributed;
            hedges += c.summary.hedges;
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{} articles, {words} words; {claims_n} claims ({attributed} attributed), {hedges} hedges; best of {rounds} rounds {:.1} ms",
        docs.len(),
        best * 1e3
    );
    println!("{:.3} ms/article, {:.2} M words/s", best * 1e3 / docs.len() as f64, words as f64 / 1e6 / best);
    if let Some(peak) = peak_rss_mib() {
        println!("peak memory {peak:.0} MiB");
    }
    if model_articles > 0 {
        let per_article = best / docs.len() as f64;
        time_model(&docs[..model_articles.min(docs.len())], per_article);
    }
}

/// Detector alone against detector + sentence heads, article by article in turn.
fn time_model(docs: &[(Document, unspin::segment::Segmentation)], claims_per_article: f64) {
    use unspin::detect::neural::{model_dir, ModelOptions, NeuralDetector};
    let dir = model_dir(None).unwrap_or_else(|e| fail(&e.to_string()));
    let model = NeuralDetector::load(&ModelOptions::new(dir)).unwrap_or_else(|e| fail(&e.to_string()));
    if !model.has_sentence_heads() {
        fail("the model has no sentence heads");
    }
    let (mut alone, mut with_heads) = (0f64, 0f64);
    for (k, (doc, seg)) in docs.iter().enumerate() {
        let starts: Vec<usize> = seg.sentences.iter().map(|s| s.span.byte_start).collect();
        // Alternate which goes first, so neither gains from a warm cache.
        for heads in if k % 2 == 0 { [false, true] } else { [true, false] } {
            let t = Instant::now();
            model.read_document(&doc.text, &starts, heads).unwrap_or_else(|e| fail(&e.to_string()));
            *(if heads { &mut with_heads } else { &mut alone }) += t.elapsed().as_secs_f64();
        }
    }
    let n = docs.len() as f64;
    let (a, h) = (alone / n * 1e3, with_heads / n * 1e3);
    let c = claims_per_article * 1e3;
    println!("model, {} articles: detector alone {a:.1} ms/article; with sentence heads {h:.1} ms/article", docs.len());
    println!(
        "added: sentence heads {:+.1}%, claims stage {:+.1}%, together {:+.1}% of the detector's time",
        (h - a) / a * 100.0,
        c / a * 100.0,
        (h + c - a) / a * 100.0
    );
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn usage() -> ! {
    eprintln!("usage: claims_bench [DIR] [--rounds N] [--model N]");
    std::process::exit(2)
}

fn fail(message: &str) -> ! {
    eprintln!("claims_bench: {message}");
    std::process::exit(1)
}
