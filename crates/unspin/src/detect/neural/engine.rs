//! The encoder, run by ONNX Runtime.
//!
//! ONNX Runtime is loaded at run time (`ort`'s `load-dynamic`) from the shared library that
//! `scripts/setup-runtime.sh` takes out of the official `onnxruntime` wheel, so building unspin
//! downloads nothing and a machine without the library gets a clear error instead of a crash.
//! Measured on this project's 2-core CPU, ONNX Runtime ran the int8 encoder faster than candle
//! (which has no int8 path for BERT) and than PyTorch; see `bench/detector/`.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use ort::session::builder::GraphOptimizationLevel;
use ort::session::Session;
use ort::value::Tensor;

use crate::error::{Error, Result};

/// File name of the ONNX Runtime shared library on this platform.
#[cfg(target_os = "windows")]
pub const LIBRARY: &str = "onnxruntime.dll";
#[cfg(target_os = "macos")]
pub const LIBRARY: &str = "libonnxruntime.dylib";
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const LIBRARY: &str = "libonnxruntime.so";

/// How to run the encoder.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// The ONNX Runtime library; `None` searches (see [`find_runtime`]).
    pub runtime: Option<PathBuf>,
    /// Threads one inference may use; `None` or 0: all cores.
    pub threads: Option<usize>,
    /// Sessions that can run at once (one per worker thread of a front end).
    pub sessions: usize,
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

pub struct Engine {
    sessions: Vec<Mutex<Session>>,
    next: std::sync::atomic::AtomicUsize,
}

static ENVIRONMENT: OnceLock<std::result::Result<ort::environment::Environment, String>> = OnceLock::new();

/// Where ONNX Runtime is looked for, in order: the explicit path; `UNSPIN_ORT_LIB`; `ORT_DYLIB_PATH`;
/// beside the executable; `../lib` and `../runtime/onnxruntime` from it; the source tree's
/// `runtime/onnxruntime/` (where the set-up script puts it).
pub fn find_runtime(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_owned())
        } else {
            Err(Error::Runtime(format!("ONNX Runtime library {} does not exist", p.display())))
        };
    }
    let mut tried = Vec::new();
    for var in ["UNSPIN_ORT_LIB", "ORT_DYLIB_PATH"] {
        if let Some(v) = std::env::var_os(var).filter(|v| !v.is_empty()) {
            let p = PathBuf::from(v);
            if p.is_file() {
                return Ok(p);
            }
            tried.push(format!("{} (from {var})", p.display()));
        }
    }
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_owned)) {
        dirs.push(exe_dir.clone());
        dirs.push(exe_dir.join("../lib"));
        // target/{debug,release}[/deps] → the source tree
        for up in ["../../runtime/onnxruntime", "../../../runtime/onnxruntime", "../runtime/onnxruntime"] {
            dirs.push(exe_dir.join(up));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../runtime/onnxruntime"));
    for d in dirs {
        let p = d.join(LIBRARY);
        if p.is_file() {
            return Ok(p);
        }
        tried.push(p.display().to_string());
    }
    Err(Error::Runtime(format!(
        "ONNX Runtime ({LIBRARY}) was not found; run scripts/setup-runtime.sh, or point UNSPIN_ORT_LIB \
         or --onnxruntime at the library. Looked in: {}",
        tried.join(", ")
    )))
}

fn environment(runtime: &Path) -> Result<ort::environment::Environment> {
    let env = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(runtime)
            .map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", runtime.display()))?;
        builder.with_name("unspin").build().map_err(|e| format!("cannot start ONNX Runtime: {e}"))
    });
    env.clone().map_err(Error::Runtime)
}

impl Engine {
    /// Loads `model.onnx` (its weights are external data in the same folder).
    pub fn load(model: &Path, options: &EngineOptions) -> Result<Engine> {
        let runtime = find_runtime(options.runtime.as_deref())?;
        let env = environment(&runtime)?;
        let threads = options.threads.filter(|&t| t > 0).unwrap_or_else(|| {
            std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
        });
        let model_err = |e: ort::Error| Error::Model { path: model.to_owned(), message: e.to_string() };
        let mut sessions = Vec::new();
        for _ in 0..options.sessions.max(1) {
            let session = Session::builder(&env)
                .map_err(model_err)?
                .with_optimization_level(GraphOptimizationLevel::Level3)
                .map_err(|e| model_err(e.into()))?
                .with_intra_threads(threads)
                .map_err(|e| model_err(e.into()))?
                // Spinning threads burn cores that other documents' work could use.
                .with_intra_op_spinning(false)
                .map_err(|e| model_err(e.into()))?
                .commit_from_file(model)
                .map_err(model_err)?;
            sessions.push(Mutex::new(session));
        }
        Ok(Engine { sessions, next: Default::default() })
    }

    /// Runs `batch` windows of `len` token ids (row-major, padded with `mask` 0).
    pub fn forward(&self, ids: Vec<i64>, mask: Vec<i64>, batch: usize, len: usize) -> Result<Forward> {
        let run_err = |e: ort::Error| Error::Runtime(format!("inference failed: {e}"));
        let shape = [batch as i64, len as i64];
        let ids = Tensor::from_array((shape, ids)).map_err(run_err)?;
        let mask = Tensor::from_array((shape, mask)).map_err(run_err)?;
        // Any free session; if all are busy, wait on one in turn.
        let start = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let n = self.sessions.len();
        let mut guard = (0..n)
            .find_map(|k| self.sessions[(start + k) % n].try_lock().ok())
            .unwrap_or_else(|| self.sessions[start % n].lock().unwrap_or_else(|p| p.into_inner()));
        let outputs = guard
            .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask])
            .map_err(run_err)?;
        let (tshape, logits) = outputs["token_logits"].try_extract_tensor::<f32>().map_err(run_err)?;
        let (hshape, hidden) = outputs["hidden"].try_extract_tensor::<f32>().map_err(run_err)?;
        let channels = *tshape.last().unwrap_or(&0) as usize;
        let hidden_size = *hshape.last().unwrap_or(&0) as usize;
        if logits.len() != batch * len * channels || hidden.len() != batch * len * hidden_size {
            return Err(Error::Runtime("the model's outputs do not have the expected shape".into()));
        }
        Ok(Forward { token_logits: logits.to_vec(), channels, hidden: hidden.to_vec(), hidden_size })
    }
}
