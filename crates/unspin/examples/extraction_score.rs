//! Score HTML article extraction against a ground truth.
//!
//! ```text
//! cargo run --release -p unspin --example extraction_score -- DATA_DIR [--ids FILE] [--dump DIR] [--classifier MODEL.json] [--quiet]
//! ```
//!
//! `DATA_DIR` holds `html/<id>.html.gz` and `ground-truth.json` (`{id: {"articleBody", "url"}}`).
//! Each page goes through [`unspin::ingest::html::document`] with the ground truth's URL, and is
//! scored as `DATA_DIR/README.md` describes: 4-token shingles of `\w+` tokens (Python's
//! definition), multiset overlap per page, precision averaged over pages with a non-empty
//! prediction, recall over all pages, F1 of the two averages. `--ids` limits the run to the ids
//! listed in FILE (one per line) that `DATA_DIR` has; `--dump` writes each prediction to `DIR/<id>.txt` (empty for a
//! page that failed), for `bench/extraction/score.py` to score the same predictions;
//! `--classifier` replaces the built-in block classifier (the cross-validation's fold models).
//! Pages per second count extraction only: decompression and scoring are outside the clock.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use regex::Regex;
use unspin::error::Origin;
use unspin::ingest::html;

fn main() {
    if let Err(e) = run() {
        eprintln!("extraction_score: {e}");
        std::process::exit(2);
    }
}

struct Args {
    data: PathBuf,
    ids: Option<PathBuf>,
    dump: Option<PathBuf>,
    quiet: bool,
    classifier: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut data, mut ids, mut dump, mut quiet, mut classifier) = (None, None, None, false, None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--ids" => ids = Some(PathBuf::from(args.next().ok_or("--ids needs a file")?)),
            "--dump" => dump = Some(PathBuf::from(args.next().ok_or("--dump needs a directory")?)),
            "--quiet" => quiet = true,
            "--classifier" => classifier = Some(PathBuf::from(args.next().ok_or("--classifier needs a file")?)),
            _ if data.is_none() && !arg.starts_with("--") => data = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let data = data.ok_or("usage: extraction_score DATA_DIR [--ids FILE] [--dump DIR] [--classifier MODEL.json] [--quiet]")?;
    Ok(Args { data, ids, dump, quiet, classifier })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut options = html::HtmlOptions::default();
    if let Some(path) = &args.classifier {
        let json = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let model = html::classifier::Model::from_json(&json).map_err(|e| format!("{}: {e}", path.display()))?;
        // One model for the whole run: leaking it gives the `'static` the options hold.
        options.classifier = Some(Box::leak(Box::new(model)));
    }
    let truth_path = args.data.join("ground-truth.json");
    let truth: HashMap<String, Truth> = serde_json::from_slice(
        &std::fs::read(&truth_path).map_err(|e| format!("{}: {e}", truth_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let mut ids: Vec<String> = match &args.ids {
        Some(file) => std::fs::read_to_string(file)
            .map_err(|e| format!("{}: {e}", file.display()))?
            .lines()
            .map(str::trim)
            // Ids of another folder's pages are not this one's to score.
            .filter(|l| truth.contains_key(*l))
            .map(str::to_owned)
            .collect(),
        None => truth.keys().cloned().collect(),
    };
    ids.sort();
    if let Some(dir) = &args.dump {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let tokens = Tokenizer::new();
    let mut scores = Vec::new();
    let mut elapsed = Duration::ZERO;
    for id in &ids {
        let t = truth.get(id).ok_or_else(|| format!("id {id} is not in the ground truth"))?;
        let path = args.data.join("html").join(format!("{id}.html.gz"));
        let bytes = gunzip(&path)?;
        let origin = Origin::file(&path);
        let start = Instant::now();
        let result = html::document(&bytes, None, t.url.as_deref(), id.clone(), path.display().to_string(), &origin, options);
        elapsed += start.elapsed();
        let predicted = match result {
            Ok(doc) => doc.text,
            Err(e) => {
                eprintln!("{e}");
                String::new()
            }
        };
        if let Some(dir) = &args.dump {
            let out = dir.join(format!("{id}.txt"));
            std::fs::write(&out, &predicted).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        let score = PageScore::new(&tokens.shingles(&predicted), &tokens.shingles(&t.article_body));
        if !args.quiet {
            println!("{id}\tP={}\tR={:.3}\tF1={:.3}\t{}", fmt_opt(score.precision), score.recall, score.f1(), t.url.as_deref().unwrap_or(""));
        }
        scores.push(score);
    }
    let summary = Summary::of(&scores);
    println!(
        "pages={}  precision={:.4}  recall={:.4}  F1={:.4}  pages/s={:.1}",
        scores.len(),
        summary.precision,
        summary.recall,
        summary.f1,
        scores.len() as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    Ok(())
}

fn fmt_opt(p: Option<f64>) -> String {
    p.map_or_else(|| "-".into(), |p| format!("{p:.3}"))
}

#[derive(serde::Deserialize)]
struct Truth {
    #[serde(rename = "articleBody")]
    article_body: String,
    url: Option<String>,
}

fn gunzip(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    flate2::read::MultiGzDecoder::new(file)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(bytes)
}

/// Python's `re.findall(r"\w+", text)` on `str`: `\w` is a character for which `str.isalnum()`
/// is true, or `_`. `isalnum` covers letters (categories L*) and numerics (Nd, Nl, No, and
/// ideographs with a numeric value, which are letters anyway); combining marks (M*) are NOT word
/// characters, unlike in Rust's `\w`, so Devanagari vowel signs split words as they do in Python.
struct Tokenizer(Regex);

impl Tokenizer {
    fn new() -> Self {
        Tokenizer(Regex::new(r"[\p{L}\p{N}_]+").expect("static regex"))
    }

    /// The multiset of 4-token shingles (one shorter shingle for a text of 1–3 tokens).
    fn shingles<'t>(&self, text: &'t str) -> HashMap<Vec<&'t str>, usize> {
        let tokens: Vec<&str> = self.0.find_iter(text).map(|m| m.as_str()).collect();
        let mut counts = HashMap::new();
        if tokens.is_empty() {
            return counts;
        }
        if tokens.len() < 4 {
            counts.insert(tokens, 1);
            return counts;
        }
        for window in tokens.windows(4) {
            *counts.entry(window.to_vec()).or_insert(0) += 1;
        }
        counts
    }
}

struct PageScore {
    /// `None` when the prediction has no shingles (it does not count towards precision).
    precision: Option<f64>,
    recall: f64,
}

impl PageScore {
    fn new(predicted: &HashMap<Vec<&str>, usize>, truth: &HashMap<Vec<&str>, usize>) -> Self {
        let tp: usize = predicted.iter().map(|(s, n)| (*n).min(truth.get(s).copied().unwrap_or(0))).sum();
        let n_pred: usize = predicted.values().sum();
        let n_true: usize = truth.values().sum();
        let precision = (n_pred > 0).then(|| tp as f64 / n_pred as f64);
        // An empty truth is fully recalled by any prediction (no such page in the benchmark).
        let recall = if n_true > 0 { tp as f64 / n_true as f64 } else { 1.0 };
        PageScore { precision, recall }
    }

    fn f1(&self) -> f64 {
        harmonic(self.precision.unwrap_or(0.0), self.recall)
    }
}

struct Summary {
    precision: f64,
    recall: f64,
    f1: f64,
}

impl Summary {
    fn of(scores: &[PageScore]) -> Self {
        let precisions: Vec<f64> = scores.iter().filter_map(|s| s.precision).collect();
        let precision = mean(&precisions);
        let recall = mean(&scores.iter().map(|s| s.recall).collect::<Vec<_>>());
        Summary { precision, recall, f1: harmonic(precision, recall) }
    }
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

fn harmonic(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}
