//! `unspin._unspin`: the Rust side of the Python package.
//!
//! A thin front end, like the CLI: it reads inputs with [`unspin::ingest`], runs an
//! [`unspin::Pipeline`] and serialises with [`unspin::report`], so a document analysed here is
//! the same JSON document the CLI writes. The Python modules in `python/unspin/` wrap these
//! classes into the documented API (`unspin.analyze`, `unspin.Analyzer`, `unspin.read`,
//! `unspin.to_pandas`); nothing here is meant to be called directly.
//!
//! Every call that reads or analyses releases the GIL, and [`Analyzer::analyze_batch`] spreads a
//! batch over the analyzer's own thread pool. Errors become `unspin.UnspinError`; a Rust panic
//! would become a Python exception too (PyO3 catches it at the boundary), but none is expected:
//! bad input is an [`unspin::Error`].

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use rayon::prelude::*;
use unspin::corpus::rows::Rows;
use unspin::corpus::{content_hash, ModelId, RecordKey};
use unspin::detect::neural::{model_dir, EngineKind, EngineOptions, ModelOptions, NeuralDetector};
use unspin::error::Origin;
use unspin::ingest::{self, IngestOptions, Input, InputKind, Pending};
use unspin::report::json::DocumentRecord;
use unspin::report::Analysis;
use unspin::Pipeline;

create_exception!(_unspin, UnspinError, PyException, "Any error unspin reports: bad input, a model that cannot load, a bad setting.");

fn py_err(e: impl std::fmt::Display) -> PyErr {
    UnspinError::new_err(e.to_string())
}

/// A document read from an input, ready to analyse.
#[pyclass(frozen, module = "unspin._unspin")]
struct Document {
    inner: unspin::Document,
    key: RecordKey,
}

#[pymethods]
impl Document {
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    #[getter]
    fn text(&self) -> &str {
        &self.inner.text
    }

    /// The document's metadata, as the `meta` object of the CLI's JSON.
    #[getter]
    fn meta<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_string(&self.inner.meta).map_err(py_err)?;
        py.import("json")?.call_method1("loads", (json,))
    }

    fn __repr__(&self) -> String {
        format!("<unspin.Document id={:?} source={:?} record={}>", self.inner.id, self.key.source, self.key.record)
    }

    /// The input it came from, as given.
    #[getter]
    fn source(&self) -> &str {
        &self.key.source
    }

    /// Its 0-based index among the items its input yields (errors included).
    #[getter]
    fn record(&self) -> u64 {
        self.key.record
    }
}

/// One analysed document.
#[pyclass(frozen, module = "unspin._unspin")]
struct Analyzed {
    analysis: Analysis,
    key: RecordKey,
    model: Arc<ModelId>,
}

#[pymethods]
impl Analyzed {
    #[getter]
    fn id(&self) -> &str {
        &self.analysis.document.id
    }

    /// The CLI's JSON document for this analysis (`--tokens` adds the word tokens).
    #[pyo3(signature = (tokens=false))]
    fn document_json(&self, tokens: bool) -> PyResult<String> {
        serde_json::to_string(&DocumentRecord::new(&self.analysis, tokens)).map_err(py_err)
    }

    /// The analysis as the rows of the corpus tables (`unspin export`'s columns), as JSON.
    fn rows_json(&self) -> PyResult<String> {
        let hash = content_hash(&self.analysis.document);
        serde_json::to_string(&Rows::new(&self.key, &hash, &self.model, &self.analysis)).map_err(py_err)
    }

    #[getter]
    fn source(&self) -> &str {
        &self.key.source
    }

    #[getter]
    fn record(&self) -> u64 {
        self.key.record
    }
}

/// What one document of a batch is, before it is read: a [`Document`] already read, or raw text
/// or HTML with what is known about it.
enum Item {
    Document(Box<unspin::Document>, RecordKey),
    Raw { kind: InputKind, bytes: Vec<u8>, id: String, key: RecordKey, url: Option<String> },
}

impl Item {
    /// From a `Document`, or a tuple `(kind, content, id, source, url)` where kind is `"text"` or
    /// `"html"` and content is `bytes`.
    fn extract(obj: &Bound<'_, PyAny>) -> PyResult<Item> {
        if let Ok(doc) = obj.cast::<Document>() {
            let doc = doc.get();
            return Ok(Item::Document(Box::new(doc.inner.clone()), doc.key.clone()));
        }
        let tuple = obj.cast::<PyTuple>().map_err(|_| py_err("an item is neither a Document nor an input tuple"))?;
        let (kind, content, id, source, url): (String, Bound<'_, PyBytes>, String, String, Option<String>) =
            tuple.extract()?;
        let kind = match kind.as_str() {
            "text" => InputKind::Text,
            "html" => InputKind::Html,
            other => return Err(py_err(format!("unknown input kind {other:?}"))),
        };
        Ok(Item::Raw { kind, bytes: content.as_bytes().to_vec(), id, key: RecordKey { source, record: 0 }, url })
    }

    /// Reads the item (text decoding, HTML extraction) into a document.
    fn load(self) -> Result<(unspin::Document, RecordKey), unspin::Error> {
        match self {
            Item::Document(doc, key) => Ok((*doc, key)),
            Item::Raw { kind, bytes, id, key, url } => {
                let origin = Origin::file(&key.source);
                let mut doc = match kind {
                    InputKind::Html => {
                        ingest::html::document(&bytes, None, url.as_deref(), id, key.source.clone(), &origin, Default::default())?
                    }
                    _ => ingest::text::document(&bytes, id, key.source.clone(), &origin)?,
                };
                if kind != InputKind::Html {
                    if let Some(url) = url {
                        doc.meta.url = Some(url);
                        doc.meta.site = unspin::document::site_of_url(doc.meta.url.as_deref().unwrap_or_default());
                        doc.meta.neutralize_controls();
                    }
                }
                Ok((doc, key))
            }
        }
    }
}

/// A loaded pipeline: the technique model (unless disabled) and the claims stage.
#[pyclass(frozen, module = "unspin._unspin")]
struct Analyzer {
    pipeline: Pipeline,
    pool: rayon::ThreadPool,
    min_confidence: f32,
    /// The model's folder, `None` without a model.
    model_dir: Option<PathBuf>,
    model_name: String,
    /// The rows' `ModelId` at `min_confidence`, computed once: it hashes the weights.
    model_id: Arc<ModelId>,
}

/// The `ModelId` the rows of an analysis at `min_confidence` carry, as `unspin index` stores it.
fn model_id(dir: Option<&Path>, min_confidence: f32) -> PyResult<ModelId> {
    let settings = format!("min_confidence={min_confidence}");
    match dir {
        Some(dir) => ModelId::of_model_dir(dir, &settings).map_err(py_err),
        None => Ok(ModelId::none(&settings)),
    }
}

impl Analyzer {
    /// The `ModelId` at `min_confidence`: the cached one unless a call overrides the setting.
    fn model_id(&self, min_confidence: f32) -> PyResult<Arc<ModelId>> {
        if min_confidence == self.min_confidence {
            return Ok(Arc::clone(&self.model_id));
        }
        model_id(self.model_dir.as_deref(), min_confidence).map(Arc::new)
    }

    fn run(&self, item: Item, min_confidence: f32, model: &Arc<ModelId>) -> Result<Analyzed, unspin::Error> {
        let (doc, key) = item.load()?;
        let analysis = self.pipeline.analyze_with(doc, min_confidence)?;
        Ok(Analyzed { analysis, key, model: Arc::clone(model) })
    }
}

#[pymethods]
impl Analyzer {
    /// `model`: a shipped model's name or a model folder (`None`: `UNSPIN_MODEL`, else the
    /// default). `threads`: the cores to use in all. `jobs`: documents analysed at once by
    /// `analyze_batch` (each gets `threads / jobs` cores). `no_model`: the claims stage alone.
    #[new]
    #[pyo3(signature = (model=None, *, threads=None, jobs=None, min_confidence=0.0, no_model=false, engine=None, onnxruntime=None, openvino=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        model: Option<String>,
        threads: Option<usize>,
        jobs: Option<usize>,
        min_confidence: f32,
        no_model: bool,
        engine: Option<String>,
        onnxruntime: Option<PathBuf>,
        openvino: Option<PathBuf>,
    ) -> PyResult<Self> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let threads = match threads {
            Some(0) => return Err(py_err("threads must be at least 1")),
            Some(n) => n,
            None => cores,
        };
        let jobs = match jobs {
            Some(0) => return Err(py_err("jobs must be at least 1")),
            Some(n) => n,
            None => threads,
        };
        let kind: EngineKind = match engine {
            Some(e) => e.parse().map_err(py_err)?,
            None => EngineKind::default(),
        };
        let pipeline = Pipeline::new().with_min_confidence(min_confidence).map_err(py_err)?;
        let (pipeline, model_dir, model_name) = if no_model {
            (pipeline, None, "none".to_owned())
        } else {
            let dir = model_dir(model.as_deref()).map_err(py_err)?;
            let options = ModelOptions {
                dir: dir.clone(),
                engine: EngineOptions {
                    kind,
                    runtime: onnxruntime,
                    openvino,
                    threads: Some((threads / jobs).max(1)),
                    sessions: jobs,
                    ..EngineOptions::default()
                },
                batch: 8,
            };
            let detector = py.detach(|| NeuralDetector::load(&options)).map_err(py_err)?;
            let name = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
            (pipeline.with_detector(detector), Some(dir), name)
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .thread_name(|i| format!("unspin-{i}"))
            .build()
            .map_err(py_err)?;
        let model_id = Arc::new(model_id(model_dir.as_deref(), min_confidence)?);
        Ok(Analyzer { pipeline, pool, min_confidence, model_dir, model_name, model_id })
    }

    /// The model's folder name (`unspin-ptc-minilm`), or `none`.
    #[getter]
    fn model(&self) -> &str {
        &self.model_name
    }

    /// Documents analysed at once by `analyze_batch`.
    #[getter]
    fn jobs(&self) -> usize {
        self.pool.current_num_threads()
    }

    #[getter]
    fn min_confidence(&self) -> f32 {
        self.min_confidence
    }

    /// Analyses one item (see [`Item::extract`]); raises `UnspinError` when it cannot.
    #[pyo3(signature = (item, min_confidence=None))]
    fn analyze_one(&self, py: Python<'_>, item: &Bound<'_, PyAny>, min_confidence: Option<f32>) -> PyResult<Analyzed> {
        let item = Item::extract(item)?;
        let min = checked(min_confidence.unwrap_or(self.min_confidence))?;
        let model = self.model_id(min)?;
        py.detach(|| self.run(item, min, &model)).map_err(py_err)
    }

    /// Analyses a batch on the analyzer's threads, without the GIL. Returns, in input order, an
    /// `Analyzed` or an error message for each item.
    #[pyo3(signature = (items, min_confidence=None))]
    fn analyze_batch(
        &self,
        py: Python<'_>,
        items: Vec<Bound<'_, PyAny>>,
        min_confidence: Option<f32>,
    ) -> PyResult<Vec<(Option<Analyzed>, Option<String>)>> {
        let min = checked(min_confidence.unwrap_or(self.min_confidence))?;
        let model = self.model_id(min)?;
        // A bad item fails alone, like a bad record in a file.
        let items: Vec<Result<Item, String>> =
            items.iter().map(|obj| Item::extract(obj).map_err(|e| e.to_string())).collect();
        let results: Vec<(Option<Analyzed>, Option<String>)> = py.detach(|| {
            self.pool.install(|| {
                items
                    .into_par_iter()
                    .map(|item| match item.and_then(|item| self.run(item, min, &model).map_err(|e| e.to_string())) {
                        Ok(done) => (Some(done), None),
                        Err(message) => (None, Some(message)),
                    })
                    .collect()
            })
        });
        Ok(results)
    }
}

fn checked(min_confidence: f32) -> PyResult<f32> {
    unspin::pipeline::checked_confidence(min_confidence).map_err(py_err)
}

/// The documents of one input: `(record, Document or None, error message or None)` per item.
#[pyclass(module = "unspin._unspin")]
struct Reader {
    /// The items not yet read and the index of the next one. `None` once exhausted.
    items: Mutex<Option<(ingest::Documents, u64)>>,
    /// The input's name: its documents' `source`.
    source: String,
}

impl Reader {
    fn over(items: ingest::Documents, source: String) -> Reader {
        Reader { items: Mutex::new(Some((items, 0))), source }
    }
}

#[pymethods]
impl Reader {
    /// The input's name, as its documents' `source`.
    #[getter]
    fn source(&self) -> String {
        self.source.clone()
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> Option<(u64, Option<Document>, Option<String>)> {
        py.detach(|| {
            let mut guard = self.items.lock().unwrap_or_else(|e| e.into_inner());
            let (items, next) = guard.as_mut()?;
            let Some(item) = items.next() else {
                *guard = None;
                return None;
            };
            let record = *next;
            *next += 1;
            let key = RecordKey { source: self.source.clone(), record };
            Some(match item.and_then(Pending::load) {
                Ok(inner) => (record, Some(Document { inner, key }), None),
                Err(e) => (record, None, Some(e.to_string())),
            })
        })
    }
}

fn ingest_options(format: Option<&str>, max_doc_bytes: Option<u64>) -> PyResult<IngestOptions> {
    let kind = match format {
        None => None,
        Some("text") => Some(InputKind::Text),
        Some("html") => Some(InputKind::Html),
        Some("jsonl") => Some(InputKind::Jsonl),
        Some("warc") => Some(InputKind::Warc),
        Some(other) => return Err(py_err(format!("unknown format {other:?}: give text, html, jsonl or warc"))),
    };
    let defaults = IngestOptions::default();
    Ok(IngestOptions { kind, max_doc_bytes: max_doc_bytes.unwrap_or(defaults.max_doc_bytes), ..defaults })
}

/// The inputs a path names: the file, or the article files under a folder (as the CLI expands
/// them), each as a path string.
#[pyfunction]
fn expand(py: Python<'_>, path: PathBuf) -> PyResult<Vec<String>> {
    let inputs = py.detach(|| ingest::expand(&[path])).map_err(py_err)?;
    Ok(inputs.iter().map(|i| i.display_path().display().to_string()).collect())
}

/// The documents of one file (text, HTML, JSON Lines, WARC; gzipped or not).
#[pyfunction]
#[pyo3(signature = (path, format=None, max_doc_bytes=None))]
fn read_path(path: PathBuf, format: Option<&str>, max_doc_bytes: Option<u64>) -> PyResult<Reader> {
    let opts = ingest_options(format, max_doc_bytes)?;
    let input = Input::Path(path);
    let source = input.display_path().display().to_string();
    Ok(Reader::over(ingest::read(&input, &opts), source))
}

/// The documents of an input held in memory; `name` serves format detection (by extension),
/// the documents' `source` and the id of a single-document input.
#[pyfunction]
#[pyo3(signature = (data, name, format=None, max_doc_bytes=None))]
fn read_bytes(data: Vec<u8>, name: String, format: Option<&str>, max_doc_bytes: Option<u64>) -> PyResult<Reader> {
    let opts = ingest_options(format, max_doc_bytes)?;
    let path = PathBuf::from(&name);
    let id = ingest::document_id(&Input::Path(path.clone()));
    let items = match ingest::read_from(Box::new(Cursor::new(data)), path, id, &opts) {
        Ok(items) => items,
        Err(e) => Box::new(std::iter::once(Err(e))),
    };
    Ok(Reader::over(items, name))
}

/// What the shipped tables know of the outlet behind a domain, host or URL, as JSON: the
/// `outlet` object of `unspin outlet --format json` (status `known`, `unknown` or `invalid`).
#[pyfunction]
fn outlet_json(query: &str) -> PyResult<String> {
    serde_json::to_string(&unspin::claims::outlet::lookup(query)).map_err(py_err)
}

/// The 14 techniques, in the organizers' label order: `(label, name, definition)`.
#[pyfunction]
fn techniques() -> Vec<(&'static str, &'static str, &'static str)> {
    unspin::detect::Technique::ALL.iter().map(|t| (t.label(), t.name(), t.definition())).collect()
}

/// The `unspin` version the module was built from.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _unspin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("UnspinError", m.py().get_type::<UnspinError>())?;
    m.add("SCHEMA_VERSION", unspin::report::SCHEMA_VERSION)?;
    m.add("GENERATOR", unspin::report::json::GENERATOR)?;
    m.add_class::<Analyzer>()?;
    m.add_class::<Analyzed>()?;
    m.add_class::<Document>()?;
    m.add_class::<Reader>()?;
    m.add_function(wrap_pyfunction!(expand, m)?)?;
    m.add_function(wrap_pyfunction!(read_path, m)?)?;
    m.add_function(wrap_pyfunction!(read_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(outlet_json, m)?)?;
    m.add_function(wrap_pyfunction!(techniques, m)?)?;
    Ok(())
}
