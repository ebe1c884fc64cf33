//! `config.json` of a model folder: labels, window sizes and the thresholds tuned on validation.

use std::path::Path;

use serde::Deserialize;

use crate::detect::wordpiece::TokenizerSpec;
use crate::detect::Technique;
use crate::error::{Error, Result};

/// What `training/export.py` writes beside the weights.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelConfig {
    pub name: String,
    /// The tokenizer: vocabulary file, framing, padding and added tokens. A config without one
    /// (the first MiniLM model's) gets uncased BERT's.
    #[serde(default)]
    pub tokenizer: TokenizerSpec,
    /// Technique of each span-head output and of token channels 1.. (channel 0 is "any").
    pub labels: Vec<String>,
    /// Window length in tokens, the two framing tokens (`[CLS]` … `[SEP]`, `<s>` … `</s>`)
    /// included.
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
    /// A subfolder holding a sentence model ([`super::SentenceModel`]) that scores sentences in
    /// place of the sentence heads: the one-model form of `sentence_models`.
    #[serde(default)]
    pub sentence_model: Option<String>,
    /// The tasks the sentence model scores (absent: all of its tasks); the others come from
    /// the sentence heads.
    #[serde(default)]
    pub sentence_model_tasks: Option<Vec<String>>,
    /// Sentence models in subfolders, each scoring its tasks in place of the sentence heads
    /// (the accurate model: one for check-worthiness, one for subjectivity).
    #[serde(default)]
    pub sentence_models: Vec<SentenceModelRef>,
}

/// A sentence model that a technique model's config names: its subfolder, and the tasks taken
/// from it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SentenceModelRef {
    /// A subfolder of the model folder.
    pub dir: String,
    /// The tasks it scores (absent: all of its tasks).
    #[serde(default)]
    pub tasks: Option<Vec<String>>,
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
    /// Hysteresis: a span that reaches `any` somewhere extends over neighbouring tokens whose
    /// probability reaches `low` (absent: `any`, no hysteresis).
    #[serde(default)]
    pub low: Option<f32>,
    /// Spans at most this many tokens apart are joined into one.
    #[serde(default)]
    pub gap: usize,
    /// Techniques whose spans are widened to the sentence that holds them (sentence-level
    /// techniques such as Doubt, where annotators mark the clause or sentence).
    #[serde(default)]
    pub widen: Vec<String>,
}

impl Thresholds {
    /// The hysteresis threshold, never above `any`.
    pub fn low(&self) -> f32 {
        self.low.unwrap_or(self.any).min(self.any)
    }
}

impl ModelConfig {
    pub fn read(path: &Path) -> Result<Self> {
        let bad = |message: String| Error::Model { path: path.to_owned(), message };
        let raw = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let cfg: ModelConfig = serde_json::from_str(&raw).map_err(|e| bad(e.to_string()))?;
        cfg.techniques().map_err(|e| bad(e.to_string()))?;
        cfg.tokenizer.check().map_err(|e| bad(format!("tokenizer: {e}")))?;
        if cfg.max_len < 8 || cfg.stride == 0 || cfg.stride > cfg.max_len - 2 {
            return Err(bad(format!("window sizes max_len {} / stride {} are not usable", cfg.max_len, cfg.stride)));
        }
        if cfg.thresholds.technique.len() != cfg.labels.len() {
            return Err(bad("one per-technique threshold (or null) is needed for each label".into()));
        }
        if let Some(w) = cfg.thresholds.widen.iter().find(|w| !cfg.labels.contains(w)) {
            return Err(bad(format!("thresholds.widen names {w:?}, which is not one of the labels")));
        }
        let refs = cfg.sentence_model_refs();
        for (k, r) in refs.iter().enumerate() {
            let plain = Path::new(&r.dir).components().all(|c| matches!(c, std::path::Component::Normal(_)));
            if r.dir.is_empty() || !plain {
                return Err(bad(format!("sentence model {:?} must name a subfolder of the model folder", r.dir)));
            }
            if refs[..k].iter().any(|o| o.dir == r.dir) {
                return Err(bad(format!("sentence model {:?} is named twice", r.dir)));
            }
            if let Some(tasks) = &r.tasks {
                if let Some(t) = tasks.iter().find(|t| !SENTENCE_TASKS.contains(&t.as_str())) {
                    return Err(bad(format!("unknown sentence task {t:?} (known: {})", SENTENCE_TASKS.join(", "))));
                }
            }
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

    /// Every sentence model the config names, `sentence_model` (with `sentence_model_tasks`)
    /// first, then `sentence_models` in order.
    pub fn sentence_model_refs(&self) -> Vec<SentenceModelRef> {
        let single = self
            .sentence_model
            .iter()
            .map(|dir| SentenceModelRef { dir: dir.clone(), tasks: self.sentence_model_tasks.clone() });
        single.chain(self.sentence_models.iter().cloned()).collect()
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

    /// Content tokens per window (without the two framing tokens).
    pub fn content(&self) -> usize {
        self.max_len - 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::wordpiece::WordPiece;

    /// The smallest config `read` accepts, with `extra` fields spliced in.
    fn config(extra: &str) -> String {
        format!(
            r#"{{"name": "t", "labels": ["Doubt"], "max_len": 16, "stride": 8, "trim": " ",
                "thresholds": {{"any": 0.5, "second": 1.0, "technique": [null]}}{extra}}}"#
        )
    }

    fn read(json: &str) -> Result<ModelConfig> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        std::fs::write(&path, json).unwrap();
        ModelConfig::read(&path)
    }

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
    }

    #[test]
    fn decoding_settings_default_to_the_plain_decoding_and_widen_names_labels() {
        let cfg = read(&config("")).unwrap();
        assert_eq!((cfg.thresholds.low(), cfg.thresholds.gap), (0.5, 0));
        assert!(cfg.thresholds.widen.is_empty());
        let json = config("").replace(r#""technique": [null]"#, r#""technique": [null], "low": 0.3, "gap": 2, "widen": ["Doubt"]"#);
        let cfg = read(&json).unwrap();
        assert_eq!((cfg.thresholds.low(), cfg.thresholds.gap, cfg.thresholds.widen.as_slice()), (0.3, 2, &["Doubt".to_string()][..]));
        // A low above `any` is `any`.
        let cfg = read(&config("").replace(r#""technique": [null]"#, r#""technique": [null], "low": 0.9"#)).unwrap();
        assert_eq!(cfg.thresholds.low(), 0.5);
        let err = read(&config("").replace(r#""technique": [null]"#, r#""technique": [null], "widen": ["Slogans"]"#))
            .unwrap_err()
            .to_string();
        assert!(err.contains(r#"thresholds.widen names "Slogans""#), "{err}");
    }

    #[test]
    fn a_config_without_a_tokenizer_gets_bert_s() {
        let cfg = read(&config("")).unwrap();
        assert_eq!(cfg.tokenizer, TokenizerSpec::default());
        let wp = WordPiece::from_spec(&cfg.tokenizer, &fixture("wordpiece")).unwrap();
        let s = wp.special_ids();
        assert_eq!((s.cls, s.sep, s.pad, s.unk), (101, 102, 0, 100));
    }

    #[test]
    fn a_config_with_mpnet_s_tokenizer_gets_its_ids() {
        let spec = std::fs::read_to_string(fixture("wordpiece-mpnet").join("tokenizer_spec.json")).unwrap();
        let cfg = read(&config(&format!(r#", "tokenizer": {spec}"#))).unwrap();
        assert_eq!((cfg.tokenizer.cls.as_str(), cfg.tokenizer.sep.as_str()), ("<s>", "</s>"));
        let wp = WordPiece::from_spec(&cfg.tokenizer, &fixture("wordpiece-mpnet")).unwrap();
        let s = wp.special_ids();
        assert_eq!((s.cls, s.sep, s.pad, s.unk), (0, 2, 1, 104));
    }

    #[test]
    fn the_shipped_minilm_config_names_bert_s_tokenizer() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/unspin-ptc-minilm/config.json");
        let cfg = ModelConfig::read(&path).unwrap();
        assert_eq!(cfg.tokenizer, TokenizerSpec::default());
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(raw.contains(r#""tokenizer""#), "the folder names its tokenizer itself");
    }

    #[test]
    fn a_tokenizer_unspin_cannot_run_is_a_model_error_naming_the_config() {
        let tokenizer = |body: &str| config(&format!(r#", "tokenizer": {{{body}}}"#));
        let bert = r#""cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]", "unk": "[UNK]", "added_tokens": []"#;
        for (json, expected) in [
            (tokenizer(&format!(r#""kind": "bpe", {bert}"#)), "unknown variant `bpe`"),
            (tokenizer(&format!(r#""kind": "wordpiece", "lowercase": false, {bert}"#)), "uncased"),
            (tokenizer(r#""kind": "wordpiece", "cls": "[CLS]""#), "missing field `sep`"),
            (tokenizer(&format!(r#""kind": "wordpiece", "casing": "upper", {bert}"#)), "unknown field `casing`"),
        ] {
            let err = read(&json).unwrap_err();
            assert!(matches!(&err, Error::Model { path, .. } if path.ends_with("config.json")), "{err:?}");
            assert!(err.to_string().contains(expected), "{err}");
        }
    }
}
