//! The int8 encoder (`model.onnx`), run by ONNX Runtime: the engine on every CPU.
//!
//! ONNX Runtime is loaded at run time (`ort`'s `load-dynamic`) from the shared library that
//! `scripts/setup-runtime.sh` takes out of the official `onnxruntime` wheel, so building unspin
//! downloads nothing and a machine without the library gets a clear error instead of a crash.
//! Measured on this project's 2-core CPU, ONNX Runtime ran the int8 encoder faster than candle
//! (which has no int8 path for BERT) and than PyTorch; see `bench/detector/`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ort::session::builder::{GraphOptimizationLevel, PrepackedWeights};
use ort::session::Session;
use ort::value::Tensor;

use super::{EngineOptions, Forward, Sessions};
use crate::error::{Error, Result};

/// File name of the ONNX Runtime shared library on this platform.
#[cfg(target_os = "windows")]
pub const LIBRARY: &str = "onnxruntime.dll";
#[cfg(target_os = "macos")]
pub const LIBRARY: &str = "libonnxruntime.dylib";
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const LIBRARY: &str = "libonnxruntime.so";

/// The graph whose int8 weights are read as uint8 (see [`OrtEngine::load`]).
pub const UINT8_GRAPH: &str = "model.u8.onnx";

/// The file every tensor of both graphs is external data in.
const WEIGHTS: &str = "model.safetensors";

/// Graph optimizations left out because they make this encoder slower (see [`OrtEngine::load`]).
const DISABLED_OPTIMIZERS: &str = "SkipLayerNormFusion;BiasSkipLayerNormFusion";

pub struct OrtEngine {
    sessions: Sessions<Session>,
}

static ENVIRONMENT: OnceLock<std::result::Result<ort::environment::Environment, String>> = OnceLock::new();

/// Where ONNX Runtime is looked for, in order: the explicit path; `UNSPIN_ORT_LIB`; `ORT_DYLIB_PATH`;
/// `$UNSPIN_HOME/runtime/onnxruntime/`; beside the executable; `../lib` and `../runtime/onnxruntime` from it; the source tree's
/// `runtime/onnxruntime/` (where the set-up script puts it).
pub fn find_runtime(explicit: Option<&Path>) -> Result<PathBuf> {
    super::find_library(explicit, &["UNSPIN_ORT_LIB", "ORT_DYLIB_PATH"], "onnxruntime", LIBRARY, "ONNX Runtime", "UNSPIN_ORT_LIB or --onnxruntime")
}

fn environment(runtime: &Path) -> Result<ort::environment::Environment> {
    let env = ENVIRONMENT.get_or_init(|| {
        let builder = ort::init_from(runtime)
            .map_err(|e| format!("cannot load ONNX Runtime from {}: {e}", runtime.display()))?;
        builder.with_name("unspin").build().map_err(|e| format!("cannot start ONNX Runtime: {e}"))
    });
    env.clone().map_err(Error::Runtime)
}

impl OrtEngine {
    /// Loads `model.onnx` (its weights are external data in the same folder), or with `uint8`
    /// [`UINT8_GRAPH`]: the same graph with the int8 weights read as uint8. On x86 without VNNI,
    /// ONNX Runtime's u8×s8 kernels add pairs of products in saturating 16-bit lanes
    /// (`vpmaddubsw`) and the accurate model's spans cover whole articles; its u8×u8 kernels
    /// widen both sides to 16 bits first (`vpmaddwd`), which is exact. The weights are the same
    /// numbers: `w` with zero point `z` equals `w + 128` with zero point `z + 128`, so ONNX Runtime
    /// gets `model.safetensors` as a copy in memory with the top bit of every int8 byte flipped
    /// (`training/u8_graph.py`).
    pub fn load(dir: &Path, uint8: bool, options: &EngineOptions) -> Result<OrtEngine> {
        let model = dir.join(if uint8 { UINT8_GRAPH } else { "model.onnx" });
        let model = model.as_path();
        let weights = if uint8 { Some(flipped_weights(&dir.join(WEIGHTS))?) } else { None };
        let runtime = find_runtime(options.runtime.as_deref())?;
        let env = environment(&runtime)?;
        let threads = options.threads_per_session();
        let model_err = |e: ort::Error| Error::Model { path: model.to_owned(), message: e.to_string() };
        let mut sessions = Vec::new();
        // The sessions (one per worker) share the weights ONNX Runtime repacks for its int8
        // kernels instead of each holding a copy: with the accurate model, two workers peaked
        // at 784 MB without this.
        let prepacked = PrepackedWeights::new();
        for _ in 0..options.sessions.max(1) {
            let builder = Session::builder(&env)
                .map_err(model_err)?
                .with_prepacked_weights(&prepacked)
                .map_err(|e| model_err(e.into()))?
                .with_optimization_level(GraphOptimizationLevel::Level3)
                .map_err(|e| model_err(e.into()))?
                .with_intra_threads(threads)
                .map_err(|e| model_err(e.into()))?
                // Spinning threads burn cores that other documents' work could use.
                .with_intra_op_spinning(false)
                .map_err(|e| model_err(e.into()))?
                // ONNX Runtime 1.32's fused SkipLayerNormalization kernel is 3.5x slower on CPU than
                // the Add + LayerNormalization it replaces (6.4 against 1.8 ms on a [8, 256, 384]
                // batch, one thread); without the fusion the whole PTC set runs about 1.3x faster
                // (bench/README.md, "Technique detector").
                .with_disabled_optimizers(DISABLED_OPTIMIZERS)
                .map_err(|e| model_err(e.into()))?;
            let mut builder = match &weights {
                Some(w) => builder
                    .with_external_initializer_file_in_memory(WEIGHTS, Arc::clone(w))
                    .map_err(|e| model_err(e.into()))?,
                None => builder,
            };
            let session = builder.commit_from_file(model).map_err(model_err)?;
            sessions.push(session);
        }
        Ok(OrtEngine { sessions: Sessions::new(sessions) })
    }

    /// Runs `batch` windows of `len` token ids (row-major, padded with `mask` 0).
    pub fn forward(&self, ids: Vec<i64>, mask: Vec<i64>, batch: usize, len: usize) -> Result<Forward> {
        let run_err = |e: ort::Error| Error::Runtime(format!("inference failed: {e}"));
        let shape = [batch as i64, len as i64];
        let ids = Tensor::from_array((shape, ids)).map_err(run_err)?;
        let mask = Tensor::from_array((shape, mask)).map_err(run_err)?;
        let mut guard = self.sessions.acquire();
        let outputs = guard
            .run(ort::inputs!["input_ids" => ids, "attention_mask" => mask])
            .map_err(run_err)?;
        let (tshape, logits) = outputs["token_logits"].try_extract_tensor::<f32>().map_err(run_err)?;
        let (hshape, hidden) = outputs["hidden"].try_extract_tensor::<f32>().map_err(run_err)?;
        Forward::checked(logits.to_vec(), tshape.last().copied(), hidden.to_vec(), hshape.last().copied(), batch, len)
    }
}

/// The safetensors file at `path` with the top bit of every int8 byte flipped (int8 `w` → uint8
/// `w + 128`), the rest as it is: what [`UINT8_GRAPH`] reads.
fn flipped_weights(path: &Path) -> Result<Arc<[u8]>> {
    use std::io::Read;
    let bad = |message: String| Error::Model { path: path.to_owned(), message };
    let mut file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    let len = file.metadata().map_err(|e| bad(e.to_string()))?.len();
    let len = usize::try_from(len).map_err(|_| bad("too large for this machine".into()))?;
    // The file is read straight into the buffer ONNX Runtime keeps (one allocation of its size,
    // not a read followed by a copy into an `Arc`).
    let mut shared: Arc<[u8]> = std::iter::repeat_n(0u8, len).collect();
    let bytes = Arc::get_mut(&mut shared).ok_or_else(|| bad("the weights buffer is shared".into()))?;
    file.read_exact(bytes).map_err(|e| bad(e.to_string()))?;
    let int8: Vec<std::ops::Range<usize>> = {
        let st = safetensors::SafeTensors::deserialize(bytes).map_err(|e| bad(e.to_string()))?;
        let base = bytes.as_ptr() as usize;
        st.iter()
            .filter(|(_, view)| view.dtype() == safetensors::Dtype::I8)
            .map(|(_, view)| {
                let start = view.data().as_ptr() as usize - base;
                start..start + view.data().len()
            })
            .collect()
    };
    for range in int8 {
        bytes[range].iter_mut().for_each(|b| *b ^= 0x80);
    }
    Ok(shared)
}
