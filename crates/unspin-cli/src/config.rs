//! From parsed arguments to what runs: ingest options, the pipeline, the writer options, and how
//! the run reports progress.

use std::io::IsTerminal;

use anyhow::{bail, Context};
use unspin::detect::imported::ImportedSpans;
use unspin::ingest::{self, IngestOptions, Input, InputKind};
use unspin::report::{Format, WriterOptions};
use unspin::Pipeline;

use unspin::detect::neural::{model_dir, EngineOptions, ModelOptions, NeuralDetector};

use crate::args::{AnalyzeArgs, DetectorArgs, InputArgs, InputFormat, ModelArgs, OutputFormat, When};

/// What both subcommands read and how.
pub struct Sources {
    pub inputs: Vec<Input>,
    pub ingest: IngestOptions,
    pub jobs: usize,
    pub progress: bool,
}

impl Sources {
    pub fn new(args: &InputArgs) -> anyhow::Result<Self> {
        let inputs = if args.inputs.is_empty() {
            if std::io::stdin().is_terminal() {
                bail!("no input: give files, directories, or - to read standard input");
            }
            vec![Input::Stdin]
        } else {
            ingest::expand(&args.inputs)?
        };
        if inputs.is_empty() {
            bail!("no articles found in {} (looked for .txt, .html, .jsonl, .warc[.gz] files)", list(&args.inputs));
        }
        let kind = args.input_format.map(|f| match f {
            InputFormat::Text => InputKind::Text,
            InputFormat::Html => InputKind::Html,
            InputFormat::Jsonl => InputKind::Jsonl,
            InputFormat::Warc => InputKind::Warc,
        });
        let jobs = match args.jobs {
            Some(0) => bail!("--jobs must be at least 1"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let many = several(&inputs);
        let progress = match args.progress {
            When::Always => true,
            When::Never => false,
            When::Auto => many && std::io::stderr().is_terminal(),
        };
        let ingest = IngestOptions {
            kind,
            max_doc_bytes: args.max_doc_bytes,
            html: unspin::ingest::html::HtmlOptions { comments: args.comments, ..Default::default() },
        };
        Ok(Sources { inputs, ingest, jobs, progress })
    }

    /// Whether the run may produce more than one document.
    pub fn may_hold_many(&self) -> bool {
        several(&self.inputs)
    }
}

fn several(inputs: &[Input]) -> bool {
    inputs.len() > 1 || inputs.iter().any(may_hold_many)
}

fn may_hold_many(input: &Input) -> bool {
    match input {
        Input::Stdin => true,
        Input::Path(p) => {
            let name = p.to_string_lossy().to_ascii_lowercase();
            [".jsonl", ".ndjson", ".warc", ".warc.gz", ".gz"].iter().any(|ext| name.ends_with(ext))
        }
    }
}

fn list(paths: &[std::path::PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Everything `unspin analyze` needs besides its inputs.
pub struct Analyze {
    pub pipeline: Pipeline,
    pub format: Format,
    pub writer: WriterOptions,
}

impl Analyze {
    pub fn new(args: &AnalyzeArgs, sources: &Sources) -> anyhow::Result<Self> {
        let format = match args.format {
            OutputFormat::Text => Format::Text,
            OutputFormat::Json => Format::Json,
            OutputFormat::Jsonl => Format::Jsonl,
            OutputFormat::Semeval => Format::Semeval,
            OutputFormat::Brat => Format::Brat,
            OutputFormat::Labelstudio => Format::LabelStudio,
        };
        if format == Format::Brat && args.out_dir.is_none() && sources.may_hold_many() {
            bail!("brat output of several documents needs --out-dir DIR (one .txt/.ann pair per document)");
        }
        if args.out_dir.is_some() && format != Format::Brat {
            bail!("--out-dir is for --format brat");
        }
        let pipeline = if args.import_spans.is_empty() {
            pipeline(&args.detector, sources)?
        } else {
            let imported = ImportedSpans::from_files(&args.import_spans).context("reading --import-spans")?;
            checked_pipeline(args.detector.min_confidence)?.with_detector(imported)
        };
        let color = match args.color {
            When::Always => true,
            When::Never => false,
            When::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Ok(Analyze {
            pipeline,
            format,
            writer: WriterOptions { color, tokens: args.tokens, out_dir: args.out_dir.clone() },
        })
    }
}

/// The pipeline of `analyze` and `index`: the technique model unless `--no-model`, spans below
/// `--min-confidence` dropped.
pub fn pipeline(detector: &DetectorArgs, sources: &Sources) -> anyhow::Result<Pipeline> {
    let pipeline = checked_pipeline(detector.min_confidence)?;
    if detector.no_model {
        return Ok(pipeline);
    }
    // One inference session per worker; the cores are shared among them.
    let jobs = if sources.may_hold_many() { sources.jobs } else { 1 };
    Ok(pipeline.with_detector(load_model(&detector.model, jobs)?))
}

fn checked_pipeline(min_confidence: f32) -> anyhow::Result<Pipeline> {
    Pipeline::new().with_min_confidence(min_confidence).context("--min-confidence")
}

/// Loads the technique model for `workers` documents at a time.
pub fn load_model(args: &ModelArgs, workers: usize) -> anyhow::Result<NeuralDetector> {
    if args.threads == Some(0) {
        bail!("--threads must be at least 1");
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.threads.unwrap_or(cores);
    let workers = workers.max(1);
    let options = ModelOptions {
        dir: model_dir(args.model.as_deref())?,
        engine: EngineOptions {
            kind: args.engine,
            runtime: args.onnxruntime.clone(),
            openvino: args.openvino.clone(),
            threads: Some((threads / workers).max(1)),
            sessions: workers,
            ..EngineOptions::default()
        },
        batch: 8,
    };
    Ok(NeuralDetector::load(&options)?)
}
