//! Time the claims stage (quotes, attribution, hedges, insinuations, outlet lookup) on the PTC
//! training articles: ms per article and words/s, to set against the technique detector's cost.
//!
//! ```text
//! cargo run --release -p unspin --example claims_bench -- [DIR] [--rounds N]
//! ```
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
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage()),
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
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn usage() -> ! {
    eprintln!("usage: claims_bench [DIR] [--rounds N]");
    std::process::exit(2)
}

fn fail(message: &str) -> ! {
    eprintln!("claims_bench: {message}");
    std::process::exit(1)
}
