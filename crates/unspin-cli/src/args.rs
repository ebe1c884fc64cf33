//! Command-line arguments, as clap parses them. Turning them into a pipeline and writers is
//! `config.rs`'s job, so this file stays a plain description of the interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use unspin::detect::neural::EngineKind;
use unspin::corpus::Target;

#[derive(Debug, Parser)]
#[command(
    name = "unspin",
    version,
    about = "Show how a news article tries to persuade: propaganda techniques, with exact offsets.",
    after_help = "Models (--model in analyze, index, classify, claims and serve): `accurate` \
                  (all-mpnet-base-v2, models/unspin-ptc-mpnet), `fast` (all-MiniLM-L6-v2, \
                  models/unspin-ptc-minilm) or a model folder; $UNSPIN_MODEL names one too. \
                  Default: accurate. For corpora, `fast` is about three times faster.\n\n\
                  Exit status: 0 all inputs analysed, 1 some inputs or records failed (the others \
                  were still written), 2 usage error or no input could be read (eval: a label file is \
                  missing or has a bad line)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the article body extracted from each input (HTML pages, WARC records, JSON Lines, text).
    Extract(ExtractArgs),
    /// Run the whole pipeline (ingest, segment, detect) and write the analysis.
    Analyze(AnalyzeArgs),
    /// Score predicted labels against gold with the SemEval-2020 Task 11 metrics (SI, FLC, TC).
    Eval(EvalArgs),
    /// Name the technique of given spans (SemEval TC template: `id<TAB>?<TAB>start<TAB>end`).
    Classify(ClassifyArgs),
    /// Sentence mode: one sentence per input line in, one tab-separated line out (check-worthiness,
    /// subjectivity, source).
    Claims(ClaimsArgs),
    /// Look up an outlet's factuality and political-bias record (MBFC ratings) by domain or URL.
    Outlet(OutletArgs),
    /// Serve the HTTP API and the web page (model loaded once, shared by all requests).
    Serve(ServeArgs),
    /// Corpus mode: analyse every document of the inputs and store the results in a database
    /// (an SQLite file, or PostgreSQL); rerun to resume (documents already stored are skipped).
    Index(IndexArgs),
    /// Corpus mode: aggregates over an indexed database, by outlet, technique or month.
    Trends(TrendsArgs),
    /// Corpus mode: write an indexed database's tables (documents, spans, sentences, errors) as
    /// Parquet or JSON Lines files, for pandas, DuckDB or Spark.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The database `unspin index` wrote: an SQLite file, or a `postgres://user:password@host/db`
    /// URL.
    #[arg(long, value_name = "DB", value_parser = parse_db)]
    pub db: Target,

    /// `parquet` (Snappy-compressed) or `jsonl`.
    #[arg(short, long, value_enum, default_value = "parquet")]
    pub format: ExportFormatArg,

    /// Folder for the files (`documents.parquet`, `spans.parquet`, …); created if need be.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormatArg {
    Parquet,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Where to store: an SQLite file (created if missing), or a PostgreSQL database as a
    /// `postgres://user:password@host:port/db` URL (its tables are created in the connection's
    /// schema if missing; `?options=-c%20search_path%3Dname` picks another schema).
    #[arg(long, value_name = "DB", default_value = "unspin.sqlite", value_parser = parse_db)]
    pub db: Target,

    /// Analyse and store documents again even when the database holds them with the same content
    /// and model (their rows are replaced, not duplicated).
    #[arg(long)]
    pub reanalyze: bool,

    #[command(flatten)]
    pub detector: DetectorArgs,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    /// The database `unspin index` wrote: an SQLite file, or a `postgres://user:password@host/db`
    /// URL.
    #[arg(long, value_name = "DB", value_parser = parse_db)]
    pub db: Target,

    /// Group rows by `outlet`, `technique`, `month` or `outlet,month`.
    #[arg(long, value_name = "GROUPING", value_parser = parse_group_by)]
    pub by: unspin::corpus::trends::GroupBy,

    /// `table` for people; `csv` (with a header row) and `json` hold every measure, including
    /// the rate of each technique.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: TrendsFormat,

    /// Only these outlets (host names without `www.`; repeat or separate with commas).
    #[arg(long, value_name = "HOST", value_delimiter = ',')]
    pub outlet: Vec<String>,

    /// Only documents dated on or after this day (YYYY-MM-DD, or YYYY-MM for the month's start).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<String>,

    /// Only documents dated on or before this day (YYYY-MM-DD, or YYYY-MM for the month's end).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<String>,

    /// Count only this technique (its SemEval label, e.g. Loaded_Language).
    #[arg(long, value_name = "LABEL", value_parser = parse_technique)]
    pub technique: Option<unspin::detect::Technique>,

    /// Only documents in these languages (tags such as `en`, which also takes `en-GB`; repeat or
    /// separate with commas). Documents whose language is unknown are left out.
    #[arg(long, value_name = "TAG", value_delimiter = ',')]
    pub language: Vec<String>,

    /// Leave out rows with fewer documents.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_documents: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrendsFormat {
    Table,
    Csv,
    Json,
    /// One self-contained HTML file with charts (inline SVG, no script, opens offline).
    Html,
}

fn parse_db(s: &str) -> Result<Target, String> {
    if s.trim().is_empty() {
        return Err("the database path or URL is empty".into());
    }
    Ok(Target::parse(s))
}

fn parse_group_by(s: &str) -> Result<unspin::corpus::trends::GroupBy, String> {
    unspin::corpus::trends::GroupBy::parse(s).ok_or_else(|| format!("{s:?}: expected outlet, technique, month or outlet,month"))
}

fn parse_technique(s: &str) -> Result<unspin::detect::Technique, String> {
    s.parse().map_err(|e: <unspin::detect::Technique as std::str::FromStr>::Err| e.to_string())
}

/// `YYYY-MM-DD` or `YYYY-MM` (see `unspin::corpus::trends::checked_date`).
fn parse_date(s: &str) -> Result<String, String> {
    unspin::corpus::trends::checked_date(s).ok_or_else(|| format!("{:?} is not a date (YYYY-MM-DD or YYYY-MM)", s.trim()))
}

#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// One sentence per line (`-` for standard input). Writes
    /// `checkworthy_score<TAB>checkworthy<TAB>subjective_score<TAB>subjective<TAB>source` with a
    /// header line, one line per input line in the same order; `source` is the speaker, `vague`
    /// or `none`. With `--no-model` (or a model without sentence heads) the score columns are
    /// left empty.
    #[arg(long, value_name = "FILE")]
    pub sentences: PathBuf,

    /// Sources only: no check-worthiness or subjectivity scores.
    #[arg(long)]
    pub no_model: bool,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct OutletArgs {
    /// Domains, hosts or URLs (`rt.com`, `edition.cnn.com`, `https://www.bbc.co.uk/news/x`).
    #[arg(value_name = "DOMAIN", required = true)]
    pub domains: Vec<String>,

    /// `text`: one line per domain; `json`: one JSON object per line.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: EvalFormat,
}

/// The technique model of `analyze` and `index`, and which of its spans are kept.
#[derive(Debug, Args)]
pub struct DetectorArgs {
    /// Do not run the technique model (`analyze` then shows only --import-spans, if any; `index`
    /// stores segmentation and claims).
    #[arg(long)]
    pub no_model: bool,

    #[command(flatten)]
    pub model: ModelArgs,

    /// Drop spans whose confidence is below X (0 to 1) before they are counted, written or stored.
    #[arg(long, value_name = "X", default_value_t = 0.0)]
    pub min_confidence: f32,
}

/// Which model runs and how.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Which model: `accurate` (all-mpnet-base-v2, models/unspin-ptc-mpnet), `fast`
    /// (all-MiniLM-L6-v2, models/unspin-ptc-minilm), or the path of a
    /// model folder (write `./fast` for a folder named like a model) [default: $UNSPIN_MODEL,
    /// else accurate].
    #[arg(long, value_name = "NAME|DIR")]
    pub model: Option<String>,

    /// Threads for model inference (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// The ONNX Runtime library (default: $UNSPIN_ORT_LIB, beside the executable, or runtime/
    /// in the source tree, where scripts/setup-runtime.sh installs it).
    #[arg(long, value_name = "FILE")]
    pub onnxruntime: Option<PathBuf>,

    /// The engine: `auto` (where OpenVINO is installed, it in bf16 on a CPU with bf16 units and
    /// in f32 on one without VNNI, where int8 saturates; else ONNX Runtime in int8;
    /// $UNSPIN_ENGINE overrides), `onnxruntime` or `openvino`.
    #[arg(long, value_name = "ENGINE", default_value = "auto", value_parser = parse_engine)]
    pub engine: EngineKind,

    /// The OpenVINO C library (default: $UNSPIN_OPENVINO_LIB, beside the executable, or
    /// runtime/openvino/ in the source tree).
    #[arg(long, value_name = "FILE")]
    pub openvino: Option<PathBuf>,
}

fn parse_engine(s: &str) -> Result<EngineKind, String> {
    s.parse().map_err(|e: unspin::Error| e.to_string())
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// The template: one `article_id<TAB>?<TAB>start<TAB>end` line per span (char offsets).
    #[arg(long, value_name = "FILE")]
    pub spans: PathBuf,

    /// Folder of `article<ID>.txt` files.
    #[arg(long, value_name = "DIR")]
    pub articles: PathBuf,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct InputArgs {
    /// Files, directories (read recursively) or `-` for standard input [default: -].
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input as this format instead of detecting it from its name and content.
    #[arg(long = "input", value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// Largest document to accept, in bytes (suffixes K, M, G allowed); larger ones are skipped
    /// with an error.
    #[arg(long, value_name = "SIZE", default_value = "10M", value_parser = parse_size)]
    pub max_doc_bytes: u64,

    /// Keep the reader comments of HTML pages (a comment section below the article), after the
    /// article text. They are left out by default: comments are not the article.
    #[arg(long)]
    pub comments: bool,

    /// Worker threads [default: number of CPUs].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Show a progress bar on stderr: `auto` does when stderr is a terminal and there is more than
    /// one input or a container (JSON Lines, WARC).
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub progress: When,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// `text`: the article body (several documents are separated by `==> source <==` headers);
    /// `json`: one JSON object per line with the metadata and the text.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: ExtractFormat,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: OutputFormat,

    /// Spans to show from SemEval-format label files (`id<TAB>technique<TAB>start<TAB>end`, and
    /// optionally `<TAB>confidence`): gold annotations or another system's output, matched to
    /// documents by id. These replace the model's spans.
    #[arg(long, value_name = "FILE")]
    pub import_spans: Vec<PathBuf>,

    #[command(flatten)]
    pub detector: DetectorArgs,

    /// For `--format brat`: write `<id>.txt` and `<id>.ann` per document into this directory.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Include word tokens (with offsets) in JSON output.
    #[arg(long)]
    pub tokens: bool,

    /// Colour in text output.
    #[arg(long, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: When,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one, printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,

    /// Fetch URLs that resolve to loopback, private or link-local addresses (refused by
    /// default, so the server cannot be used to reach the network it runs in).
    #[arg(long)]
    pub allow_private_urls: bool,

    /// Also serve the corpus view of a database `unspin index` wrote (an SQLite file or a
    /// `postgres://` URL): charts of techniques per outlet and month, and a table of documents
    /// that open in the article view as stored, without analysing again. Read-only.
    #[arg(long, value_name = "DB", value_parser = parse_db)]
    pub db: Option<Target>,

    /// Analyses that run at once; requests beyond them wait in the queue [default: number of CPUs].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,

    /// Requests that may wait for an analysis slot; one more gets 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub queue: usize,

    /// Longest a request waits for a slot, in seconds; one expected to wait longer gets 503.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub max_wait: u64,

    /// Longest a client may take to send its request body, in seconds (else 408).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub body_timeout: u64,

    /// Longest a request may take, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub timeout: u64,

    /// Largest request body (suffixes K, M, G allowed).
    #[arg(long, value_name = "SIZE", default_value = "10M", value_parser = parse_size)]
    pub max_body: u64,

    #[command(flatten)]
    pub model: ModelArgs,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold labels: a combined labels file, or a directory of per-article `*.labels` files.
    #[arg(long, value_name = "PATH")]
    pub gold: PathBuf,

    /// Predicted labels, a file or a directory like the gold.
    #[arg(long, value_name = "PATH")]
    pub pred: PathBuf,

    /// Which task's metric; it also fixes the line format of both files.
    #[arg(long, value_enum)]
    pub task: Task,

    /// `text`: the scores and, for flc and tc, a table per technique; `json`: one JSON object.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: EvalFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Task {
    /// Span identification: `article_id<TAB>start<TAB>end`; partial credit for overlaps.
    Si,
    /// Fragment-level classification: `article_id<TAB>technique<TAB>start<TAB>end`; the SI
    /// credit within each technique.
    Flc,
    /// Technique classification of given spans, same lines as flc; micro-F1 over lines.
    Tc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Text,
    Html,
    Jsonl,
    Warc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Jsonl,
    Semeval,
    Brat,
    Labelstudio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum When {
    Auto,
    Always,
    Never,
}

/// `123`, `64K`, `10M`, `1G` (binary multiples).
fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, multiplier) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 1 << 10),
        Some((i, 'm' | 'M')) => (&s[..i], 1 << 20),
        Some((i, 'g' | 'G')) => (&s[..i], 1 << 30),
        _ => (s, 1),
    };
    let n: u64 = digits.parse().map_err(|_| format!("{s:?} is not a size (e.g. 500000, 64K, 10M)"))?;
    match n.checked_mul(multiplier) {
        Some(0) | None => Err(format!("{s:?} is not a usable size")),
        Some(size) => Ok(size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("500"), Ok(500));
        assert_eq!(parse_size("64K"), Ok(65_536));
        assert_eq!(parse_size("10M"), Ok(10 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }

    #[test]
    fn interface_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
