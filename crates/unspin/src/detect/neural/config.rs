//! `config.json` of a model folder: labels, window sizes and the thresholds tuned on validation.

use std::path::Path;

use serde::Deserialize;

use crate::detect::Technique;
use crate::error::{Error, Result};

/// What `training/export.py` writes beside the weights.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelConfig {
    pub name: String,
    /// Technique of each span-head output and of token channels 1.. (channel 0 is "any").
    pub labels: Vec<String>,
    /// Window length in tokens, `[CLS]` and `[SEP]` included.
    pub max_len: usize,
    /// Distance between the starts of consecutive windows; less than `max_len - 2`, so they overlap.
    pub stride: usize,
    /// Characters trimmed from both ends of a detected span.
    pub trim: String,
    pub thresholds: Thresholds,
    #[serde(default)]
    pub quantization: String,
    /// Tasks of the sentence heads in `sentence_heads.safetensors`, in output order
    /// (`checkworthy`, `subjective`); empty when the model has none.
    #[serde(default)]
    pub sentence_heads: Vec<String>,
    /// Per task: scores of a sentence read alone at or above this are positive (tuned on the
    /// task's dev file).
    #[serde(default)]
    pub sentence_thresholds: std::collections::BTreeMap<String, f32>,
    /// Per task: the same for sentences read inside an article (the context heads); missing
    /// tasks fall back to `sentence_thresholds`.
    #[serde(default)]
    pub context_thresholds: std::collections::BTreeMap<String, f32>,
}

/// The sentence tasks unspin knows.
pub const SENTENCE_TASKS: [&str; 2] = ["checkworthy", "subjective"];

#[derive(Debug, Clone, Deserialize)]
pub struct Thresholds {
    /// A token is inside a technique span when its "any" probability reaches this.
    pub any: f32,
    /// A span also gets the span head's second label when that label's probability reaches this.
    pub second: f32,
    /// Per technique: runs of that technique's own token channel above the threshold are spans
    /// too (`null`: the channel is not used on its own).
    pub technique: Vec<Option<f32>>,
}

impl ModelConfig {
    pub fn read(path: &Path) -> Result<Self> {
        let bad = |message: String| Error::Model { path: path.to_owned(), message };
        let raw = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let cfg: ModelConfig = serde_json::from_str(&raw).map_err(|e| bad(e.to_string()))?;
        cfg.techniques().map_err(|e| bad(e.to_string()))?;
        if cfg.max_len < 8 || cfg.stride == 0 || cfg.stride > cfg.max_len - 2 {
            return Err(bad(format!("window sizes max_len {} / stride {} are not usable", cfg.max_len, cfg.stride)));
        }
        if cfg.thresholds.technique.len() != cfg.labels.len() {
            return Err(bad("one per-technique threshold (or null) is needed for each label".into()));
        }
        for task in &cfg.sentence_heads {
            if !SENTENCE_TASKS.contains(&task.as_str()) {
                return Err(bad(format!("unknown sentence task {task:?} (known: {})", SENTENCE_TASKS.join(", "))));
            }
        }
        Ok(cfg)
    }

    /// The labels as techniques, in output order.
    pub fn techniques(&self) -> Result<Vec<Technique>, crate::detect::UnknownTechnique> {
        self.labels.iter().map(|l| l.parse()).collect()
    }

    /// Output index of a sentence task.
    pub fn sentence_task(&self, task: &str) -> Option<usize> {
        self.sentence_heads.iter().position(|t| t == task)
    }

    /// A task's threshold for sentences read alone or in context (0.5 when none is given).
    pub fn sentence_threshold(&self, task: &str, in_context: bool) -> f32 {
        let alone = self.sentence_thresholds.get(task).copied();
        let context = if in_context { self.context_thresholds.get(task).copied() } else { None };
        context.or(alone).unwrap_or(0.5)
    }

    /// Content tokens per window (without `[CLS]` and `[SEP]`).
    pub fn content(&self) -> usize {
        self.max_len - 2
    }
}
