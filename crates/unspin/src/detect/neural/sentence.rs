//! A sentence model: an encoder fine-tuned to score sentences (check-worthiness, subjectivity),
//! apart from the technique detector's.
//!
//! A technique model's folder may hold some in subfolders that its `config.json` names
//! (`"sentence_models": [{"dir": "sentence", "tasks": ["checkworthy"]}, …]`, or the one-model
//! form `"sentence_model": "sentence"` with `sentence_model_tasks`); the detector then takes the
//! scores of each model's tasks (all of its tasks, when none are listed) from it, and the others
//! from the heads on its own pass ([`super::NeuralDetector`]). The folder holds the same files as a technique
//! model's encoder (`model.onnx`, `model.ov.onnx`, `model.u8.onnx`, `model.safetensors`, the
//! vocabulary) and a `config.json` of its own ([`SentenceModelConfig`]); `training/sentence_ft.py`
//! makes it.
//!
//! Every sentence is read alone (`[CLS]` sentence `[SEP]`), in `analyze` as in sentence mode, one
//! encoder call per sentence, so a sentence scores the same whatever surrounds it. The graph's
//! `token_logits` output has one channel per task: the task's linear head applied to each token's
//! state, calibration folded in. A sentence's score is the sigmoid of their mean over its tokens,
//! which equals the head applied to the mean token state, the pooling the model was trained with.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::claims::{SentenceScorer, SentenceScores, SentenceScoring};
use crate::detect::wordpiece::TokenizerSpec;
use crate::error::{Error, Result};
use crate::segment::Segmentation;
use crate::Document;

use super::config::SENTENCE_TASKS;
use super::encoder::Encoder;
use super::engine::EngineOptions;
use super::span_head::sigmoid;

/// Sentences go to the encoder padded to a multiple of this many tokens.
const PAD_TO: usize = 16;

/// `config.json` of a sentence model folder.
#[derive(Debug, Clone, Deserialize)]
pub struct SentenceModelConfig {
    pub name: String,
    pub tokenizer: TokenizerSpec,
    /// Longest input in tokens, the two framing tokens included; a longer sentence is read by its
    /// first `max_len - 2` tokens, as in training.
    pub max_len: usize,
    /// The task of each `token_logits` channel, in order (`checkworthy`, `subjective`).
    pub tasks: Vec<String>,
    /// Per task: calibrated scores at or above this are positive (chosen by cross-validation).
    pub thresholds: BTreeMap<String, f32>,
}

impl SentenceModelConfig {
    pub fn read(path: &Path) -> Result<Self> {
        let bad = |message: String| Error::Model { path: path.to_owned(), message };
        let raw = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let cfg: SentenceModelConfig = serde_json::from_str(&raw).map_err(|e| bad(e.to_string()))?;
        cfg.tokenizer.check().map_err(|e| bad(format!("tokenizer: {e}")))?;
        if cfg.max_len < 3 {
            return Err(bad(format!("max_len {} leaves no room for a token", cfg.max_len)));
        }
        if cfg.tasks.is_empty() {
            return Err(bad("a sentence model needs at least one task".into()));
        }
        for task in &cfg.tasks {
            if !SENTENCE_TASKS.contains(&task.as_str()) {
                return Err(bad(format!("unknown sentence task {task:?} (known: {})", SENTENCE_TASKS.join(", "))));
            }
        }
        Ok(cfg)
    }

    /// A task's threshold (0.5 when none is given).
    pub fn threshold(&self, task: &str) -> f32 {
        self.thresholds.get(task).copied().unwrap_or(0.5)
    }
}

pub struct SentenceModel {
    config: SentenceModelConfig,
    encoder: Encoder,
}

impl SentenceModel {
    /// The sentence model in `dir`.
    pub fn load(dir: &Path, options: &EngineOptions) -> Result<SentenceModel> {
        if !dir.join("config.json").is_file() {
            return Err(Error::Model {
                path: dir.to_owned(),
                message: "no sentence model here (config.json is missing)".into(),
            });
        }
        let config = SentenceModelConfig::read(&dir.join("config.json"))?;
        let encoder = Encoder::load(dir, &config.tokenizer, options)?;
        Ok(SentenceModel { config, encoder })
    }

    pub fn config(&self) -> &SentenceModelConfig {
        &self.config
    }

    /// Which engine runs the encoder, and at what precision.
    pub fn engine(&self) -> &str {
        self.encoder.description()
    }

    /// Scores of texts each read as one sentence on its own, in order. A text without tokens
    /// gets no scores.
    pub fn score_alone(&self, texts: &[&str]) -> Result<Vec<SentenceScores>> {
        texts.iter().map(|text| self.score_one(text)).collect()
    }

    /// Scores of each sentence of `text`, sentence `k` running from byte `starts[k]` to the next
    /// start (`starts` sorted, on char boundaries), each read alone.
    pub fn score_document(&self, text: &str, starts: &[usize]) -> Result<Vec<SentenceScores>> {
        let ends = starts.iter().skip(1).copied().chain(std::iter::once(text.len()));
        starts
            .iter()
            .zip(ends)
            .map(|(&s, e)| match text.get(s..e.max(s)) {
                Some(sentence) => self.score_one(sentence),
                None => Err(Error::Runtime(format!("sentence bytes {s}..{e} are not on char boundaries"))),
            })
            .collect()
    }

    fn score_one(&self, text: &str) -> Result<SentenceScores> {
        let mut ids: Vec<u32> = self.encoder.tokenizer.tokenize(text).iter().map(|t| t.id).collect();
        if ids.is_empty() {
            return Ok(SentenceScores::default());
        }
        ids.truncate(self.config.max_len - 2);
        // Padded to a multiple of PAD_TO tokens: an article's sentences come in a few shapes
        // instead of one per length (OpenVINO prepares each shape on first sight, ~30 ms).
        let len = (ids.len() + 2).div_ceil(PAD_TO) * PAD_TO;
        let (out, _) = self.encoder.forward_padded(&[&ids], len.min(self.config.max_len))?;
        let channels = out.channels;
        if channels != self.config.tasks.len() {
            return Err(Error::Runtime(format!(
                "the sentence model gives {channels} scores per token, its config names {} tasks",
                self.config.tasks.len()
            )));
        }
        let mut sums = vec![0f64; channels];
        for row in out.token_logits[channels..(ids.len() + 1) * channels].chunks_exact(channels) {
            for (acc, &z) in sums.iter_mut().zip(row) {
                *acc += f64::from(z);
            }
        }
        let task = |name: &str| {
            let c = self.config.tasks.iter().position(|t| t == name)?;
            Some(sigmoid((sums[c] / ids.len() as f64) as f32))
        };
        Ok(SentenceScores { checkworthy: task("checkworthy"), subjective: task("subjective") })
    }
}

/// The sentence model on its own, e.g. beside a detector without sentence heads. It reads
/// sentences alone in documents too, so both readings share its thresholds.
impl SentenceScorer for SentenceModel {
    fn name(&self) -> &str {
        &self.config.name
    }

    fn score(&self, doc: &Document, segmentation: &Segmentation) -> Result<Vec<SentenceScores>> {
        let starts: Vec<usize> = segmentation.sentences.iter().map(|s| s.span.byte_start).collect();
        self.score_document(&doc.text, &starts)
    }

    fn score_texts(&self, texts: &[&str]) -> Result<SentenceScoring> {
        Ok(SentenceScoring::with_thresholds_of(self, self.score_alone(texts)?))
    }

    fn checkworthy_threshold(&self) -> f32 {
        self.config.threshold("checkworthy")
    }

    fn subjective_threshold(&self) -> f32 {
        self.config.threshold("subjective")
    }
}
