//! Time the WordPiece tokenizer on the PTC training articles: MB/s and tokens/s.
//!
//! ```text
//! cargo run --release -p unspin --example wordpiece_bench -- [DIR] [--vocab FILE] [--rounds N]
//! ```
//!
//! DIR defaults to `/work/shared/data/ptc/train/train-articles`, the vocabulary to the copy of
//! all-MiniLM-L6-v2's `vocab.txt` in `tests/data/wordpiece`. Every article is tokenized once per
//! round into one reused buffer; the best round is reported (the others measure the machine's
//! other work), with the share of `[UNK]` tokens and the peak memory.

use std::path::PathBuf;
use std::time::Instant;

use unspin::detect::wordpiece::WordPiece;

fn main() {
    let mut dir = PathBuf::from("/work/shared/data/ptc/train/train-articles");
    let mut vocab =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/wordpiece/vocab.txt");
    let mut rounds = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--vocab" => vocab = args.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            "--rounds" => {
                rounds = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| usage())
            }
            _ if arg.starts_with('-') => usage(),
            _ => dir = PathBuf::from(arg),
        }
    }

    let wp = WordPiece::from_vocab_file(&vocab).unwrap_or_else(|e| fail(&e.to_string()));
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let texts: Vec<String> = names.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    if texts.is_empty() {
        fail(&format!("{}: no .txt files", dir.display()));
    }
    let bytes: usize = texts.iter().map(String::len).sum();

    let mut tokens = Vec::new();
    let (mut best, mut count, mut unknown) = (f64::INFINITY, 0, 0);
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        count = 0;
        unknown = 0;
        for text in &texts {
            tokens.clear();
            wp.tokenize_into(text, &mut tokens);
            count += tokens.len();
            unknown += tokens.iter().filter(|t| t.id == wp.special_ids().unk).count();
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{} articles, {:.2} MB, {count} tokens ({:.3}% [UNK]); best of {rounds} rounds {:.1} ms",
        texts.len(),
        bytes as f64 / 1e6,
        100.0 * unknown as f64 / count.max(1) as f64,
        best * 1e3,
    );
    println!("{:.1} MB/s, {:.2} M tokens/s", bytes as f64 / 1e6 / best, count as f64 / 1e6 / best);
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
    fail("usage: wordpiece_bench [DIR] [--vocab FILE] [--rounds N]")
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}
