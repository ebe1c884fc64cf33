//! The encoder in bf16 (`model.ov.onnx`), run by OpenVINO on CPUs with bf16 units.
//!
//! `model.ov.onnx` is the graph `training/openvino_graph.py` derives from `model.onnx`: each
//! matrix product takes its int8 weight through a `DequantizeLinear` instead of quantizing its
//! input at run time. OpenVINO keeps those weights in int8 and expands them as it multiplies, and
//! with the bf16 precision hint runs the products on the CPU's bf16 units (AMX or AVX-512 BF16).
//! Measured on this project's 2-core Xeon (AMX), one thread, a batch of 8 windows of 256 tokens:
//! 200 ms against 315 ms for ONNX Runtime's int8 graph, and the token logits are 6× closer to
//! the f32 model's (mean absolute difference 0.020 against 0.120). See `bench/README.md`.
//!
//! The C library is loaded at run time (`openvino-sys`'s `runtime-linking`) from what
//! `scripts/setup-runtime.sh` takes out of the official `openvino` wheel; the CPU plugin and the
//! ONNX reader sit beside it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use openvino::{CompiledModel, Core, DeviceType, ElementType, InferRequest, PropertyKey, RwPropertyKey, Shape, Tensor};

use super::{EngineOptions, Forward, Sessions};
use crate::error::{Error, Result};

/// File name of the OpenVINO C library the set-up script installs.
#[cfg(target_os = "windows")]
pub const LIBRARY: &str = "openvino_c.dll";
#[cfg(target_os = "macos")]
pub const LIBRARY: &str = "libopenvino_c.dylib";
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const LIBRARY: &str = "libopenvino_c.so";

/// The graph OpenVINO reads, beside `model.onnx` in the model folder.
pub const GRAPH: &str = "model.ov.onnx";

/// Where OpenVINO is looked for, in order: the explicit path; `UNSPIN_OPENVINO_LIB`;
/// `$UNSPIN_HOME/runtime/openvino/`; beside the executable; `../lib` and `../runtime/openvino` from it; the source tree's `runtime/openvino/`.
pub fn find_library(explicit: Option<&Path>) -> Result<PathBuf> {
    super::find_library(explicit, &["UNSPIN_OPENVINO_LIB"], "openvino", LIBRARY, "OpenVINO", "UNSPIN_OPENVINO_LIB or --openvino")
}

pub struct OvEngine {
    requests: Sessions<InferRequest>,
    precision: &'static str,
    // Kept alive for the requests; never used after loading.
    _model: Mutex<CompiledModel>,
    _core: Mutex<Core>,
}

impl OvEngine {
    /// Loads `graph` with the OpenVINO library `lib`: one compiled model with a stream and an
    /// inference request per session. With `require_bf16`, returns `None` when the CPU has no bf16
    /// units (there ONNX Runtime's int8 path is faster than OpenVINO in f32).
    pub fn load(lib: &Path, graph: &Path, options: &EngineOptions, require_bf16: bool) -> Result<Option<OvEngine>> {
        let rt_err = |e: String| Error::Runtime(format!("cannot load OpenVINO from {}: {e}", lib.display()));
        openvino_sys::library::load_from(lib).map_err(rt_err)?;
        let mut core = Core::new().map_err(|e| rt_err(e.to_string()))?;
        let cpu = DeviceType::CPU;
        let ov_err = |e: openvino::InferenceError| Error::Runtime(format!("OpenVINO: {e}"));
        let capabilities = core.get_property(&cpu, &PropertyKey::DeviceCapabilities).map_err(ov_err)?;
        let bf16 = capabilities.split([' ', ',']).any(|c| c.trim() == "BF16");
        if require_bf16 && !bf16 {
            return Ok(None);
        }
        let precision = if bf16 { "bf16" } else { "f32" };
        let sessions = options.sessions.max(1);
        let threads = options.threads_per_session() * sessions;
        for (key, value) in [
            (RwPropertyKey::HintInferencePrecision, precision.to_owned()),
            (RwPropertyKey::NumStreams, sessions.to_string()),
            (RwPropertyKey::InferenceNumThreads, threads.to_string()),
            // Pinning threads to cores would fight the front end's own worker threads.
            (RwPropertyKey::HintEnableCpuPinning, "NO".to_owned()),
        ] {
            core.set_property(&cpu, &key, &value).map_err(ov_err)?;
        }
        let model_err = |e: openvino::InferenceError| Error::Model { path: graph.to_owned(), message: e.to_string() };
        let path = graph.to_str().ok_or_else(|| Error::Model {
            path: graph.to_owned(),
            message: "OpenVINO needs a UTF-8 path".into(),
        })?;
        let model = core.read_model_from_file(path, "").map_err(model_err)?;
        let mut compiled = core.compile_model(&model, cpu).map_err(model_err)?;
        let requests = (0..sessions)
            .map(|_| compiled.create_infer_request().map_err(model_err))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(OvEngine {
            requests: Sessions::new(requests),
            precision,
            _model: Mutex::new(compiled),
            _core: Mutex::new(core),
        }))
    }

    /// `bf16` or `f32`.
    pub fn precision(&self) -> &'static str {
        self.precision
    }

    /// Runs `batch` windows of `len` token ids (row-major, padded with `mask` 0).
    pub fn forward(&self, ids: &[i64], mask: &[i64], batch: usize, len: usize) -> Result<Forward> {
        let run_err = |e: openvino::InferenceError| Error::Runtime(format!("inference failed: {e}"));
        let dims = [batch as i64, len as i64];
        let shape = Shape::new(&dims).map_err(run_err)?;
        let tensor = |values: &[i64]| -> Result<Tensor> {
            let mut t = Tensor::new(ElementType::I64, &shape).map_err(run_err)?;
            t.get_data_mut::<i64>().map_err(run_err)?.copy_from_slice(values);
            Ok(t)
        };
        let (ids, mask) = (tensor(ids)?, tensor(mask)?);
        let mut request = self.requests.acquire();
        request.set_tensor("input_ids", &ids).map_err(run_err)?;
        request.set_tensor("attention_mask", &mask).map_err(run_err)?;
        request.infer().map_err(run_err)?;
        let output = |name: &str| -> Result<(Vec<f32>, Option<i64>)> {
            let t = request.get_tensor(name).map_err(run_err)?;
            let last = t.get_shape().map_err(run_err)?.get_dimensions().last().copied();
            Ok((t.get_data::<f32>().map_err(run_err)?.to_vec(), last))
        };
        let (logits, channels) = output("token_logits")?;
        let (hidden, hidden_size) = output("hidden")?;
        Forward::checked(logits, channels, hidden, hidden_size, batch, len)
    }
}
