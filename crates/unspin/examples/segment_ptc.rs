//! Compare our sentence boundaries with the PTC articles' own, and time segmentation.
//!
//! PTC articles hold one sentence per line (split by NLTK), paragraphs separated by blank lines.
//! This joins the lines of each paragraph with spaces, so the segmenter cannot see the line
//! breaks, segments the result and scores the sentence boundaries inside paragraphs (paragraph
//! ends are given away by the blank lines, so they are not counted) against the line ends.
//!
//! Many line ends in PTC are not NLTK's doing but the source's: headings, list items, captions and
//! tweet embeds without final punctuation, which no splitter can find once the line breaks are
//! gone. So recall is also given for the "punctuated" line ends only, those right after a
//! terminator (`.`, `!`, `?`, `…`, plus closing quotes or brackets).
//!
//! ```text
//! cargo run --release -p unspin --example segment_ptc -- [DIR] [--show N] [--keep-lines]
//! cargo run --release -p unspin --example segment_ptc -- --stress MB
//! ```
//!
//! DIR defaults to `/work/shared/data/ptc/train/train-articles`; `--show N` prints up to N
//! boundaries of each kind where we disagree, with context; `--keep-lines` keeps the line breaks,
//! to check how the segmenter treats them (every line end should then be a boundary, except soft
//! wraps before a lower-case line). `--stress MB` instead segments one synthetic line of MB
//! megabytes without a terminator (mixed scripts) and prints time, sentence sizes and peak memory.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use unspin::segment::segment;

/// One article with its paragraph lines joined by spaces.
struct Article {
    name: String,
    text: String,
    /// Byte offsets of the line ends inside paragraphs.
    gold: BTreeSet<usize>,
    /// The subset of `gold` right after a terminator and any closing quotes or brackets.
    punctuated: BTreeSet<usize>,
}

fn ends_in_terminator(line: &str) -> bool {
    let line = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']);
    line.ends_with(['.', '!', '?', '…'])
}

fn load(path: &std::path::Path, keep_lines: bool) -> std::io::Result<Article> {
    let raw = std::fs::read_to_string(path)?;
    let mut text = String::new();
    let mut gold = BTreeSet::new();
    let mut punctuated = BTreeSet::new();
    for paragraph in raw.split('\n').collect::<Vec<_>>().split(|line| line.trim().is_empty()) {
        if paragraph.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        for (i, line) in paragraph.iter().enumerate() {
            if i > 0 {
                gold.insert(text.len());
                if ends_in_terminator(paragraph[i - 1]) {
                    punctuated.insert(text.len());
                }
                text.push(if keep_lines { '\n' } else { ' ' });
            }
            text.push_str(line.trim());
        }
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Article { name, text, gold, punctuated })
}

/// Our sentence ends inside paragraphs.
fn predicted(text: &str) -> BTreeSet<usize> {
    let seg = segment(text);
    let paragraph_ends: BTreeSet<usize> = seg.paragraphs.iter().map(|p| p.span.byte_end).collect();
    seg.sentences.iter().map(|s| s.span.byte_end).filter(|e| !paragraph_ends.contains(e)).collect()
}

fn context(text: &str, at: usize) -> String {
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    let mut end = (at + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}⟦|⟧{}", &text[start..at], &text[at..end]).replace('\n', "¶")
}

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn stress(megabytes: usize) {
    let unit = "слово word 単語 كلمة naïve ";
    let text = unit.repeat(megabytes * 1_000_000 / unit.len());
    let before = peak_rss_mib().unwrap_or(0.0);
    let start = Instant::now();
    let seg = segment(&text);
    let secs = start.elapsed().as_secs_f64();
    let longest = seg.sentences.iter().map(|s| s.tokens.len()).max().unwrap_or(0);
    println!(
        "{:.0} MB single line: {secs:.2} s ({:.1} MB/s), {} tokens, {} sentences of at most {longest} tokens",
        text.len() as f64 / 1e6,
        text.len() as f64 / secs / 1e6,
        seg.tokens.len(),
        seg.sentences.len()
    );
    if let Some(peak) = peak_rss_mib() {
        println!(
            "peak memory {peak:.0} MiB (text alone {:.0} MiB, before segmenting {before:.0} MiB)",
            text.len() as f64 / 1048576.0
        );
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut dir = PathBuf::from("/work/shared/data/ptc/train/train-articles");
    let mut show = 0usize;
    let mut keep_lines = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--stress" {
            stress(args.next().ok_or("--stress needs a size in MB")?.parse()?);
            return Ok(());
        } else if arg == "--keep-lines" {
            keep_lines = true;
        } else if arg == "--show" {
            show = args.next().ok_or("--show needs a number")?.parse()?;
        } else {
            dir = PathBuf::from(arg);
        }
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let articles = paths.iter().map(|p| load(p, keep_lines)).collect::<Result<Vec<_>, _>>()?;

    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let (mut punct_found, mut punct_total) = (0usize, 0usize);
    let mut false_pos = Vec::new();
    let mut false_neg = Vec::new();
    for article in &articles {
        let ours = predicted(&article.text);
        for &b in ours.difference(&article.gold) {
            fp += 1;
            false_pos.push((article.name.as_str(), context(&article.text, b)));
        }
        for &b in article.gold.difference(&ours) {
            fn_ += 1;
            false_neg.push((article.name.as_str(), context(&article.text, b)));
        }
        tp += ours.intersection(&article.gold).count();
        punct_found += ours.intersection(&article.punctuated).count();
        punct_total += article.punctuated.len();
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    println!(
        "{} articles, {} boundaries inside paragraphs (NLTK), {} ours",
        articles.len(),
        tp + fn_,
        tp + fp
    );
    println!(
        "precision {precision:.4}  recall {recall:.4}  F1 {f1:.4}  (tp {tp}, fp {fp}, fn {fn_})"
    );
    let punct_recall = punct_found as f64 / punct_total.max(1) as f64;
    let punct_f1 =
        2.0 * precision * punct_recall / (precision + punct_recall).max(f64::MIN_POSITIVE);
    println!(
        "punctuated line ends only: recall {punct_recall:.4}  F1 {punct_f1:.4}  ({punct_found} of {punct_total})"
    );

    // Throughput: segment every article repeatedly for at least a second.
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let start = Instant::now();
    let mut rounds = 0usize;
    let mut sentences = 0usize;
    while rounds == 0 || start.elapsed().as_secs_f64() < 1.0 {
        for article in &articles {
            sentences += segment(&article.text).sentences.len();
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "throughput {:.1} MB/s ({} MB x {rounds} rounds in {secs:.2} s, {} sentences per round)",
        (bytes * rounds) as f64 / secs / 1e6,
        bytes as f64 / 1e6,
        sentences / rounds
    );

    for (label, list) in [
        ("ours only (NLTK does not split)", &false_pos),
        ("NLTK only (we do not split)", &false_neg),
    ] {
        if show > 0 {
            println!("\n== {label}: {} ==", list.len());
            for (name, ctx) in list.iter().take(show) {
                println!("{name}: {ctx}");
            }
        }
    }
    Ok(())
}
