//! The encoder's engines: what runs the transformer over a batch of windows.
//!
//! Two engines read the same weights (`model.safetensors`, int8) through two graphs:
//! - [`onnxruntime`]: `model.onnx`, the matrix products quantized dynamically (int8 activations
//!   too). It runs on every CPU and is the fallback. On x86 without VNNI it reads the same weights
//!   as uint8 through `model.u8.onnx` (see [`int8_is_exact`] and [`onnxruntime::OrtEngine::load`]).
//! - [`openvino`]: `model.ov.onnx`, the same int8 weights expanded as they are multiplied, with
//!   bf16 activations. Chosen by default where the CPU computes in bf16 natively (AMX or
//!   AVX-512 BF16) and the OpenVINO library is installed. There a batch runs about 1.5× faster
//!   than on ONNX Runtime's int8 path (a whole run over the PTC articles, 1.2×), and the outputs
//!   are several times closer to the f32 model's.
//!
//! Both libraries are loaded at run time from what `scripts/setup-runtime.sh` takes out of their
//! official wheels, so building unspin downloads nothing and a missing library is a clear error
//! (or, for OpenVINO under [`EngineKind::Auto`], a quiet fallback), never a crash.

pub mod onnxruntime;
pub mod openvino;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

pub use self::onnxruntime::LIBRARY;
use crate::error::{Error, Result};

/// Which engine runs the encoder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EngineKind {
    /// OpenVINO where it is installed: in bf16 where the CPU has bf16 units, in f32 where it lacks
    /// VNNI (see [`int8_is_exact`]); else ONNX Runtime in int8 (reading the weights as uint8
    /// where the CPU lacks VNNI).
    #[default]
    Auto,
    /// ONNX Runtime, int8.
    OnnxRuntime,
    /// OpenVINO: bf16 where the CPU has bf16 units, else f32.
    OpenVino,
}

impl EngineKind {
    /// The name used on the command line and in `UNSPIN_ENGINE`.
    pub fn as_str(self) -> &'static str {
        match self {
            EngineKind::Auto => "auto",
            EngineKind::OnnxRuntime => "onnxruntime",
            EngineKind::OpenVino => "openvino",
        }
    }
}

impl std::str::FromStr for EngineKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<EngineKind> {
        [EngineKind::Auto, EngineKind::OnnxRuntime, EngineKind::OpenVino]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Error::Runtime(format!("unknown engine {s:?}: use auto, onnxruntime or openvino")))
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to run the encoder.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Which engine; [`EngineKind::Auto`] can be overridden with `UNSPIN_ENGINE`.
    pub kind: EngineKind,
    /// The ONNX Runtime library; `None` searches (see [`onnxruntime::find_runtime`]).
    pub runtime: Option<PathBuf>,
    /// The OpenVINO C library; `None` searches (see [`openvino::find_library`]).
    pub openvino: Option<PathBuf>,
    /// Threads one inference may use; `None` or 0: all cores.
    pub threads: Option<usize>,
    /// Sessions that can run at once (one per worker thread of a front end).
    pub sessions: usize,
    /// Whether ONNX Runtime reads the weights as uint8 (`model.u8.onnx`); `None`: where
    /// [`int8_is_exact`] is false and the model has that graph.
    pub uint8_weights: Option<bool>,
}

impl EngineOptions {
    fn threads_per_session(&self) -> usize {
        self.threads
            .filter(|&t| t > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
    }

    /// The engine asked for: `kind`, or `UNSPIN_ENGINE` when `kind` is `Auto`.
    fn requested(&self) -> Result<EngineKind> {
        match (self.kind, std::env::var("UNSPIN_ENGINE")) {
            (EngineKind::Auto, Ok(v)) if !v.trim().is_empty() => v.parse(),
            (kind, _) => Ok(kind),
        }
    }
}

/// Output of one forward pass over a batch of `batch` windows of `len` tokens.
pub struct Forward {
    /// `[batch, len, channels]`, logits.
    pub token_logits: Vec<f32>,
    pub channels: usize,
    /// `[batch, len, hidden]`.
    pub hidden: Vec<f32>,
    pub hidden_size: usize,
}

impl Forward {
    /// Checks the two outputs against the batch's shape; `channels` and `hidden_size` are the last
    /// dimensions the engine reported.
    fn checked(
        token_logits: Vec<f32>,
        channels: Option<i64>,
        hidden: Vec<f32>,
        hidden_size: Option<i64>,
        batch: usize,
        len: usize,
    ) -> Result<Forward> {
        let size = |d: Option<i64>| d.and_then(|d| usize::try_from(d).ok()).unwrap_or(0);
        let (channels, hidden_size) = (size(channels), size(hidden_size));
        if token_logits.len() != batch * len * channels || hidden.len() != batch * len * hidden_size {
            return Err(Error::Runtime("the model's outputs do not have the expected shape".into()));
        }
        Ok(Forward { token_logits, channels, hidden, hidden_size })
    }
}

/// One engine session (or inference request) per worker; a call takes any free one.
struct Sessions<T> {
    items: Vec<Mutex<T>>,
    next: AtomicUsize,
}

impl<T> Sessions<T> {
    fn new(items: Vec<T>) -> Sessions<T> {
        Sessions { items: items.into_iter().map(Mutex::new).collect(), next: AtomicUsize::new(0) }
    }

    /// Any free session; if all are busy, waits on one in turn.
    fn acquire(&self) -> MutexGuard<'_, T> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.items.len();
        (0..n)
            .find_map(|k| self.items[(start + k) % n].try_lock().ok())
            .unwrap_or_else(|| self.items[start % n].lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The loaded encoder.
pub struct Engine {
    inner: Inner,
    description: String,
}

enum Inner {
    OnnxRuntime(onnxruntime::OrtEngine),
    OpenVino(openvino::OvEngine),
}

impl Engine {
    /// Loads the encoder in `dir` (`model.onnx`, `model.u8.onnx`, `model.ov.onnx`, their weights in
    /// `model.safetensors`) on the engine `options` asks for.
    pub fn load(dir: &Path, options: &EngineOptions) -> Result<Engine> {
        let ov_graph = dir.join(openvino::GRAPH);
        // A library named explicitly must exist, whichever engine ends up running.
        if let Some(lib) = &options.runtime {
            onnxruntime::find_runtime(Some(lib))?;
        }
        if let Some(lib) = &options.openvino {
            openvino::find_library(Some(lib))?;
        }
        let uint8_graph = dir.join(onnxruntime::UINT8_GRAPH).is_file();
        let uint8 = match options.uint8_weights {
            Some(true) if !uint8_graph => {
                return Err(Error::Model {
                    path: dir.join(onnxruntime::UINT8_GRAPH),
                    message: "this model has no graph for uint8 weights (training/u8_graph.py writes it)".into(),
                })
            }
            Some(forced) => forced,
            None => uint8_graph && !int8_is_exact(),
        };
        let ort = |note: String| -> Result<Engine> {
            let engine = onnxruntime::OrtEngine::load(dir, uint8, options)?;
            let precision = if uint8 { "int8, uint8 weights" } else { "int8" };
            let warning = if uint8 || int8_is_exact() { "" } else { "; this CPU has no VNNI, int8 products may saturate" };
            Ok(Engine { inner: Inner::OnnxRuntime(engine), description: format!("onnxruntime ({precision}){note}{warning}") })
        };
        let ov = |engine: openvino::OvEngine| Engine {
            description: format!("openvino ({})", engine.precision()),
            inner: Inner::OpenVino(engine),
        };
        match options.requested()? {
            EngineKind::OnnxRuntime => ort(String::new()),
            EngineKind::OpenVino => {
                if !ov_graph.is_file() {
                    return Err(Error::Model {
                        path: ov_graph,
                        message: "this model has no OpenVINO graph (training/openvino_graph.py writes it)".into(),
                    });
                }
                let lib = openvino::find_library(options.openvino.as_deref())?;
                let engine = openvino::OvEngine::load(&lib, &ov_graph, options, false)?
                    .ok_or_else(|| Error::Runtime("OpenVINO declined to load the model".into()))?;
                Ok(ov(engine))
            }
            EngineKind::Auto => {
                if !ov_graph.is_file() {
                    return ort(String::new());
                }
                let lib = match openvino::find_library(options.openvino.as_deref()) {
                    Ok(lib) => lib,
                    Err(_) => return ort("; OpenVINO not installed".into()),
                };
                // OpenVINO in bf16 where the CPU has bf16 units; in f32 where ONNX Runtime's u8×s8
                // products would saturate: there its exact u8×u8 kernels (uint8 weights) are
                // slower than OpenVINO's f32 (2.8 s against 1.6 s for a batch of 8×256 tokens of
                // the accurate model on one AVX-512 core; bench/README.md).
                match openvino::OvEngine::load(&lib, &ov_graph, options, int8_is_exact()) {
                    Ok(Some(engine)) => Ok(ov(engine)),
                    Ok(None) => ort("; this CPU has no bf16 units for OpenVINO".into()),
                    Err(e) => ort(format!("; OpenVINO failed: {e}")),
                }
            }
        }
    }

    /// Which engine runs, at what precision, and why not OpenVINO when it could have.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Runs `batch` windows of `len` token ids (row-major, padded with `mask` 0).
    pub fn forward(&self, ids: Vec<i64>, mask: Vec<i64>, batch: usize, len: usize) -> Result<Forward> {
        match &self.inner {
            Inner::OnnxRuntime(e) => e.forward(ids, mask, batch, len),
            Inner::OpenVino(e) => e.forward(&ids, &mask, batch, len),
        }
    }
}

/// Whether ONNX Runtime's int8 products (u8 activations × s8 weights) are exact on this CPU. On
/// x86 without VNNI they go through `vpmaddubsw`, which adds pairs of products in saturating
/// 16-bit lanes: the small model reads almost alike, the accurate one (larger activations) marks
/// whole articles. AVX-512 VNNI and AVX-VNNI multiply-add in 32 bits; other architectures are
/// taken to be exact. Where this is false, ONNX Runtime reads the weights as uint8 (u8×u8
/// kernels, exact) when the model has `model.u8.onnx`.
pub fn int8_is_exact() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx512vnni") || std::is_x86_feature_detected!("avxvnni")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        true
    }
}

/// Finds a runtime library: `explicit`, then the first of `vars` that is set, then `file` in
/// `$UNSPIN_HOME/runtime/<subdir>/`, beside the executable, in `../lib` and `../runtime/<subdir>` from it, and in the source tree's
/// `runtime/<subdir>/` (where the set-up script puts it).
fn find_library(
    explicit: Option<&Path>,
    vars: &[&str],
    subdir: &str,
    file: &str,
    what: &str,
    how: &str,
) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_owned())
        } else {
            Err(Error::Runtime(format!("{what} library {} does not exist", p.display())))
        };
    }
    let mut tried = Vec::new();
    for var in vars {
        if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            let p = PathBuf::from(v);
            if p.is_file() {
                return Ok(p);
            }
            tried.push(format!("{} (from {var})", p.display()));
        }
    }
    let mut dirs = Vec::new();
    if let Some(home) = std::env::var_os(super::models::HOME_ENV).filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(home).join("runtime").join(subdir));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_owned)) {
        dirs.push(exe_dir.clone());
        dirs.push(exe_dir.join("../lib"));
        // target/{debug,release}[/deps] → the source tree
        for up in ["../../runtime", "../../../runtime", "../runtime"] {
            dirs.push(exe_dir.join(up).join(subdir));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runtime").join(subdir));
    for d in dirs {
        let p = d.join(file);
        if p.is_file() {
            return Ok(p);
        }
        tried.push(p.display().to_string());
    }
    Err(Error::Runtime(format!(
        "{what} ({file}) was not found; run scripts/setup-runtime.sh, or point {how} at the library. \
         Looked in: {}",
        tried.join(", ")
    )))
}
