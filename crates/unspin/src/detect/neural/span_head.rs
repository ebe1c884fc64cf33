//! The span head, run in Rust on the encoder's hidden states.
//!
//! Span head: `[mean, first, last]` hidden state of a span's tokens plus two count features →
//! Linear → GELU (exact, erf) → Linear → softmax over the techniques. Its weights are f32 tensors
//! in the model's `model.safetensors`, read through a memory map.

use std::path::Path;

use safetensors::{Dtype, SafeTensors};

use crate::error::{Error, Result};

/// A dense layer, `out = w · x + b`, `w` row-major `[outputs, inputs]`.
#[derive(Debug, Clone)]
pub struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    inputs: usize,
}

impl Linear {
    fn read(st: &SafeTensors<'_>, prefix: &str, path: &Path) -> Result<Linear> {
        let (w, shape) = tensor(st, &format!("{prefix}.weight"), path)?;
        let (b, bshape) = tensor(st, &format!("{prefix}.bias"), path)?;
        if shape.len() != 2 || bshape != [shape[0]] {
            return Err(Error::Model {
                path: path.to_owned(),
                message: format!("{prefix}: weight {shape:?} and bias {bshape:?} do not fit together"),
            });
        }
        Ok(Linear { w, b, inputs: shape[1] })
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    pub fn outputs(&self) -> usize {
        self.b.len()
    }

    pub fn forward(&self, x: &[f32], out: &mut Vec<f32>) {
        debug_assert_eq!(x.len(), self.inputs);
        out.clear();
        out.extend(self.w.chunks_exact(self.inputs).zip(&self.b).map(|(row, b)| {
            // f64 accumulation: the same answer whatever the summation order the compiler picks.
            row.iter().zip(x).map(|(w, x)| f64::from(*w) * f64::from(*x)).sum::<f64>() as f32 + b
        }));
    }
}

fn tensor(st: &SafeTensors<'_>, name: &str, path: &Path) -> Result<(Vec<f32>, Vec<usize>)> {
    let bad = |message: String| Error::Model { path: path.to_owned(), message };
    let view = st.tensor(name).map_err(|e| bad(format!("{name}: {e}")))?;
    if view.dtype() != Dtype::F32 {
        return Err(bad(format!("{name}: expected f32, found {:?}", view.dtype())));
    }
    let data = view.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    Ok((data, view.shape().to_vec()))
}

/// Runs `read` on the tensors of a safetensors file, memory-mapped.
fn with_tensors<T>(path: &Path, read: impl FnOnce(&SafeTensors<'_>) -> Result<T>) -> Result<T> {
    let bad = |message: String| Error::Model { path: path.to_owned(), message };
    let file = std::fs::File::open(path).map_err(|e| bad(e.to_string()))?;
    // SAFETY: the model file is opened read-only and is not expected to change while loaded;
    // a concurrent writer could at worst change the weights we read (no memory unsafety in
    // the parsing, which bounds-checks every access).
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| bad(e.to_string()))?;
    let st = SafeTensors::deserialize(&map).map_err(|e| bad(e.to_string()))?;
    read(&st)
}

/// Sentence heads: one logistic regression per task over the mean hidden state of a
/// sentence's tokens (`sentence_head.weight` `[tasks, hidden]`, `sentence_head.bias` `[tasks]`)
/// for sentences read alone, and optionally `context_head.*` of the same shapes for sentences
/// read inside an article (their states differ, so each reading gets the head fitted for it).
#[derive(Debug, Clone)]
pub struct SentenceHeads {
    alone: Linear,
    context: Option<Linear>,
}

impl SentenceHeads {
    pub fn read(path: &Path, hidden: usize, tasks: usize) -> Result<SentenceHeads> {
        let (alone, context) = with_tensors(path, |st| {
            let alone = Linear::read(st, "sentence_head", path)?;
            let context = match st.tensor("context_head.weight") {
                Ok(_) => Some(Linear::read(st, "context_head", path)?),
                Err(_) => None,
            };
            Ok((alone, context))
        })?;
        for (name, linear) in [("sentence_head", Some(&alone)), ("context_head", context.as_ref())] {
            let Some(linear) = linear else { continue };
            if linear.inputs() != hidden || linear.outputs() != tasks {
                return Err(Error::Model {
                    path: path.to_owned(),
                    message: format!(
                        "{name} takes {} values for {} tasks; the encoder gives {hidden} and the config names {tasks}",
                        linear.inputs(),
                        linear.outputs()
                    ),
                });
            }
        }
        Ok(SentenceHeads { alone, context })
    }

    /// Probability per task for a sentence whose mean token state is `mean`, read alone or in
    /// context (the alone head serves both when there is no context head).
    pub fn score(&self, mean: &[f32], in_context: bool) -> Vec<f32> {
        let linear = if in_context { self.context.as_ref().unwrap_or(&self.alone) } else { &self.alone };
        let mut z = Vec::new();
        linear.forward(mean, &mut z);
        z.into_iter().map(sigmoid).collect()
    }
}

/// The heads the Rust side runs.
#[derive(Debug, Clone)]
pub struct Heads {
    span1: Linear,
    span2: Linear,
    hidden: usize,
}

impl Heads {
    /// Reads the span head; its input is `3 × hidden + features` wide, which gives the encoder's
    /// width.
    pub fn read(path: &Path, features: usize, labels: usize) -> Result<Heads> {
        let (span1, span2) =
            with_tensors(path, |st| Ok((Linear::read(st, "span_head.0", path)?, Linear::read(st, "span_head.3", path)?)))?;
        let hidden = span1.inputs().saturating_sub(features) / 3;
        let fits = hidden > 0
            && span1.inputs() == 3 * hidden + features
            && span2.inputs() == span1.outputs()
            && span2.outputs() == labels;
        if !fits {
            return Err(Error::Model {
                path: path.to_owned(),
                message: "the span head's sizes do not match the encoder and the labels".into(),
            });
        }
        Ok(Heads { span1, span2, hidden })
    }

    /// Width of the encoder's hidden states.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Probabilities over the labels for a span whose token states are `states` (`[n, hidden]`,
    /// n ≥ 1) with `features` appended.
    pub fn classify_span(&self, states: &[f32], features: &[f32]) -> Vec<f32> {
        let hidden = self.hidden;
        let n = states.len() / hidden;
        let mut x = vec![0f32; 3 * hidden];
        for row in states.chunks_exact(hidden) {
            for (acc, v) in x[..hidden].iter_mut().zip(row) {
                *acc += v;
            }
        }
        for v in &mut x[..hidden] {
            *v /= n as f32;
        }
        x[hidden..2 * hidden].copy_from_slice(&states[..hidden]);
        x[2 * hidden..].copy_from_slice(&states[(n - 1) * hidden..]);
        x.extend_from_slice(features);
        let mut z = Vec::new();
        self.span1.forward(&x, &mut z);
        for v in &mut z {
            *v = gelu(*v);
        }
        let mut logits = Vec::new();
        self.span2.forward(&z, &mut logits);
        softmax(&mut logits);
        logits
    }
}

/// GELU with the exact error function, as PyTorch's default `nn.GELU()`.
pub fn gelu(x: f32) -> f32 {
    let x = f64::from(x);
    (0.5 * x * (1.0 + erf(x / std::f64::consts::SQRT_2))) as f32
}

/// Error function, |error| < 1.2e-7 (Numerical Recipes' erfc Chebyshev fit), plenty for f32.
pub fn erf(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - erfc
    } else {
        erfc - 1.0
    }
}

pub fn softmax(v: &mut [f32]) {
    let max = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0f64;
    for x in v.iter_mut() {
        *x = (*x - max).exp();
        sum += f64::from(*x);
    }
    for x in v.iter_mut() {
        *x = (f64::from(*x) / sum) as f32;
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [(0.0, 0.0), (0.5, 0.520_499_877_8), (1.0, 0.842_700_792_9), (-2.0, -0.995_322_265)] {
            assert!((erf(x) - want).abs() < 2e-7, "erf({x}) = {} not {want}", erf(x));
        }
    }

    #[test]
    fn gelu_and_softmax() {
        assert_eq!(gelu(0.0), 0.0);
        assert!((gelu(1.0) - 0.841_344_7).abs() < 1e-6);
        assert!((gelu(-3.0) + 0.004_049_7).abs() < 1e-6);
        let mut v = vec![1.0, 2.0, 3.0];
        softmax(&mut v);
        assert!((v.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!(v[2] > v[1] && v[1] > v[0]);
        let mut big = vec![1000.0, 1000.0];
        softmax(&mut big);
        assert_eq!(big, [0.5, 0.5], "no overflow on large logits");
    }

    #[test]
    fn linear_layer() {
        let l = Linear { w: vec![1.0, 2.0, 0.5, -1.0], b: vec![0.5, 0.0], inputs: 2 };
        let mut out = Vec::new();
        l.forward(&[3.0, 4.0], &mut out);
        assert_eq!(out, [11.5, -2.5]);
    }
}
