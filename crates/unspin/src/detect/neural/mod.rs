//! The neural technique detector: a fine-tuned encoder (MiniLM for the `fast` model, MPNet for
//! the `accurate` one) with a token head and a span head. Both run through this code: a model is
//! a folder whose `config.json` names its tokenizer (vocabulary, framing and added tokens), its
//! windows and its thresholds, and whose weights give the hidden size.
//!
//! One article flows through it like this:
//! 1. WordPiece tokens with byte offsets ([`crate::detect::wordpiece`]);
//! 2. blocks of at most [`BLOCK_TOKENS`] tokens, cut at sentence starts, so memory stays bounded
//!    on any input;
//! 3. in each block, windows of `max_len` tokens every `stride` tokens, batched to the encoder
//!    ([`engine`]); token probabilities are averaged where windows overlap;
//! 4. runs of tokens whose "inside a technique" probability reaches the tuned threshold, widened
//!    to whole words, become spans; the span head names each one's technique from the hidden
//!    states of the window that holds it most centrally ([`decode`], [`span_head`]); techniques
//!    whose own token channel was reliable on validation add their runs too;
//! 5. when the model has sentence heads, every sentence's token states (averaged where windows
//!    overlap) are pooled into their mean, and a logistic regression per task gives its
//!    check-worthiness and subjectivity ([`span_head::SentenceHeads`]): the same forward pass
//!    feeds the technique spans and the claims stage. A model may also name sentence models
//!    ([`sentence`]), encoders fine-tuned on the sentence tasks that read each sentence alone,
//!    each for some or all tasks (`sentence_models`); the heads score the tasks left.
//!
//! A model folder (`models/unspin-ptc-minilm/`, later `models/unspin-ptc-mpnet/`; [`models`]
//! finds them by name) holds `model.onnx`, `model.ov.onnx`, `model.u8.onnx` (see
//! [`engine`]), `model.safetensors`, `config.json`
//! and the vocabulary its config names, and `sentence_heads.safetensors` or a sentence model's
//! subfolder when it scores sentences; `training/` makes them.

pub mod config;
pub mod decode;
mod encoder;
pub mod engine;
pub mod models;
pub mod sentence;
pub mod span_head;

use std::ops::Range;
use std::path::PathBuf;

use crate::detect::wordpiece::WordPieceToken;
use crate::claims::{SentenceScorer, SentenceScores, SentenceScoring};
use crate::detect::{Detection, Detector, Technique, TechniqueSpan};
use crate::error::{Error, Result};
use crate::offsets::CharIndex;
use crate::segment::Segmentation;
use crate::Document;

pub use config::{ModelConfig, SentenceModelRef};
pub use engine::{int8_is_exact, EngineKind, EngineOptions, LIBRARY};
pub use models::{model_dir, DEFAULT_MODEL_NAME, SHIPPED_MODELS};
pub use sentence::{SentenceModel, SentenceModelConfig};

use encoder::Encoder;
use span_head::{sigmoid, Heads, SentenceHeads};

/// Largest number of tokens read as one unit; longer texts are cut at sentence starts.
pub const BLOCK_TOKENS: usize = 16_384;

/// The detector's name in every span it produces.
pub const NAME: &str = "neural";

/// How to load a model.
#[derive(Debug, Clone)]
pub struct ModelOptions {
    /// Model folder; [`model_dir`] finds it from a name.
    pub dir: PathBuf,
    pub engine: EngineOptions,
    /// Windows per encoder call (longest first, so padding stays small).
    pub batch: usize,
}

impl ModelOptions {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ModelOptions { dir: dir.into(), engine: EngineOptions::default(), batch: 8 }
    }
}

pub struct NeuralDetector {
    config: ModelConfig,
    techniques: Vec<Technique>,
    encoder: Encoder,
    heads: Heads,
    /// Heads on the detector's own token states: one pass for spans and sentences. Not loaded
    /// when sentence models score all of their tasks.
    sentence: Option<SentenceHeads>,
    /// Sentence models of its own, which read each sentence alone, each with the tasks it
    /// scores in place of the heads (no task in two).
    sentence_models: Vec<(SentenceModel, Vec<String>)>,
    /// The name analyses record as their sentence scorer.
    scorer_name: String,
    batch: usize,
}

/// Sums of token states per sentence, over a whole document.
struct SentencePool {
    /// `[sentences, hidden]`.
    sums: Vec<f64>,
    tokens: Vec<u32>,
    hidden: usize,
}

/// Encoder outputs for one block of tokens.
struct Reading {
    /// `[n, channels]` averaged probabilities.
    probs: Vec<f32>,
    channels: usize,
    starts: Vec<usize>,
    /// Per window: `[len + 2, hidden]` states, the opening token's (`[CLS]`, `<s>`) first.
    hidden: Vec<Vec<f32>>,
    /// Per token: how many windows read it.
    counts: Vec<u32>,
    n: usize,
}

/// A span before it is placed in the document.
struct Found {
    bytes: (usize, usize),
    label: usize,
    confidence: f32,
}

impl NeuralDetector {
    pub fn load(options: &ModelOptions) -> Result<NeuralDetector> {
        let dir = &options.dir;
        if !dir.join("config.json").is_file() {
            return Err(Error::Model {
                path: dir.clone(),
                message: "no model here (config.json is missing); name a shipped model (accurate, fast) or a model folder".into(),
            });
        }
        let config = ModelConfig::read(&dir.join("config.json"))?;
        let techniques = config
            .techniques()
            .map_err(|e| Error::Model { path: dir.join("config.json"), message: e.to_string() })?;
        let encoder = Encoder::load(dir, &config.tokenizer, &options.engine)?;
        let heads = Heads::read(&dir.join("model.safetensors"), 2, techniques.len())?;
        // Sentence models run on ONNX Runtime whichever engine runs the encoder: one short call
        // per sentence costs OpenVINO about four times as much (bench/README.md).
        let engine = EngineOptions { kind: EngineKind::OnnxRuntime, ..options.engine.clone() };
        let mut sentence_models: Vec<(SentenceModel, Vec<String>)> = Vec::new();
        for r in config.sentence_model_refs() {
            let model = SentenceModel::load(&dir.join(&r.dir), &engine)?;
            let tasks = r.tasks.unwrap_or_else(|| model.config().tasks.clone());
            let bad = |message: String| Error::Model { path: dir.join("config.json"), message };
            if let Some(task) = tasks.iter().find(|t| !model.config().tasks.contains(t)) {
                return Err(bad(format!("the sentence model {:?} is named for {task:?}, which it does not score", r.dir)));
            }
            if let Some(task) = tasks.iter().find(|t| sentence_models.iter().any(|(_, other)| other.contains(t))) {
                return Err(bad(format!("two sentence models are named for {task:?}; name each task once")));
            }
            sentence_models.push((model, tasks));
        }
        let covered = |task: &String| sentence_models.iter().any(|(_, tasks)| tasks.contains(task));
        // The heads, unless the sentence models score every task they would.
        let heads_needed = config.sentence_heads.iter().any(|t| !covered(t));
        let sentence = if heads_needed {
            let path = dir.join("sentence_heads.safetensors");
            Some(SentenceHeads::read(&path, heads.hidden(), config.sentence_heads.len())?)
        } else {
            None
        };
        let mut names: Vec<&str> = sentence_models.iter().map(|(m, _)| m.config().name.as_str()).collect();
        if heads_needed || names.is_empty() {
            names.insert(0, &config.name);
        }
        let scorer_name = names.join("+");
        Ok(NeuralDetector {
            config,
            techniques,
            encoder,
            heads,
            sentence,
            sentence_models,
            scorer_name,
            batch: options.batch.max(1),
        })
    }

    /// Which engine runs the encoder, and at what precision (e.g. `openvino (bf16)`).
    pub fn engine(&self) -> &str {
        self.encoder.description()
    }

    /// The sentence models that score some or all sentence tasks in place of heads on this
    /// model's pass, in the order the config names them, with the tasks each scores.
    pub fn sentence_models(&self) -> impl Iterator<Item = (&SentenceModel, &[String])> {
        self.sentence_models.iter().map(|(m, tasks)| (m, tasks.as_slice()))
    }

    /// The sentence model that scores `task`, if one does (else the heads do, if any).
    pub fn sentence_model_for(&self, task: &str) -> Option<&SentenceModel> {
        self.sentence_models.iter().find(|(_, tasks)| tasks.iter().any(|t| t == task)).map(|(m, _)| m)
    }

    /// The sentence scores: the heads' (`own`, when they run) for the tasks no sentence model
    /// scores, and each sentence model's for its tasks, `score` running one model over the
    /// sentences.
    fn merged(
        &self,
        own: Option<Vec<SentenceScores>>,
        n: usize,
        score: impl Fn(&SentenceModel) -> Result<Vec<SentenceScores>>,
    ) -> Result<Vec<SentenceScores>> {
        let mut out = own.unwrap_or_else(|| vec![SentenceScores::default(); n]);
        for (model, tasks) in &self.sentence_models {
            let theirs = score(model)?;
            let has = |task: &str| tasks.iter().any(|t| t == task);
            for (o, m) in out.iter_mut().zip(theirs) {
                if has("checkworthy") {
                    o.checkworthy = m.checkworthy;
                }
                if has("subjective") {
                    o.subjective = m.subjective;
                }
            }
        }
        Ok(out)
    }

    /// A task's threshold: that of the sentence model that scores it, else the heads' for the
    /// reading.
    fn task_threshold(&self, task: &str, in_context: bool) -> f32 {
        match self.sentence_model_for(task) {
            Some(m) => m.config().threshold(task),
            None => self.config.sentence_threshold(task, in_context),
        }
    }

    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Whether the model scores sentences (check-worthiness, subjectivity) too.
    pub fn has_sentence_heads(&self) -> bool {
        self.sentence.is_some() || !self.sentence_models.is_empty()
    }

    /// Token ids and whether each continues the previous token's word.
    fn tokens(&self, text: &str) -> (Vec<WordPieceToken>, Vec<bool>) {
        let tokenizer = &self.encoder.tokenizer;
        let tokens = tokenizer.tokenize(text);
        let cont = tokens.iter().map(|t| tokenizer.is_continuation(t.id)).collect();
        (tokens, cont)
    }

    /// Blocks of token indices, cut at sentence starts (byte offsets `sentence_starts`, sorted).
    fn blocks(tokens: &[WordPieceToken], sentence_starts: &[usize]) -> Vec<Range<usize>> {
        let n = tokens.len();
        let mut out = Vec::new();
        let mut b0 = 0;
        while n - b0 > BLOCK_TOKENS {
            let limit = b0 + BLOCK_TOKENS;
            // The last token that starts a sentence within the limit (but not the block's first).
            let cut = (b0 + 1..=limit)
                .rev()
                .find(|&k| sentence_starts.binary_search(&tokens[k].start).is_ok())
                .unwrap_or(limit);
            out.push(b0..cut);
            b0 = cut;
        }
        out.push(b0..n);
        out
    }

    /// Runs the encoder over `ids` (one block) in overlapping windows.
    fn read(&self, ids: &[u32]) -> Result<Reading> {
        let n = ids.len();
        let content = self.config.content();
        let starts = decode::window_starts(n, content, self.config.stride);
        let mut sums = vec![0f64; 0];
        let mut counts = vec![0u32; n];
        let mut channels = 0;
        let mut hidden: Vec<Vec<f32>> = vec![Vec::new(); starts.len()];
        // Longest windows first: batches of equal length, little padding.
        let mut order: Vec<usize> = (0..starts.len()).collect();
        let len_of = |w: usize| (starts[w] + content).min(n) - starts[w];
        order.sort_by_key(|&w| (std::cmp::Reverse(len_of(w)), w));
        for chunk in order.chunks(self.batch) {
            let rows: Vec<&[u32]> = chunk.iter().map(|&w| &ids[starts[w]..starts[w] + len_of(w)]).collect();
            let (out, t) = self.forward(&rows)?;
            if channels == 0 {
                channels = out.channels;
                sums = vec![0f64; n * channels];
            }
            for (b, &w) in chunk.iter().enumerate() {
                let l = len_of(w);
                let ws = starts[w];
                for k in 0..l {
                    let logits = &out.token_logits[(b * t + 1 + k) * channels..(b * t + 2 + k) * channels];
                    for (c, &x) in logits.iter().enumerate() {
                        sums[(ws + k) * channels + c] += f64::from(sigmoid(x));
                    }
                    counts[ws + k] += 1;
                }
                let h = out.hidden_size;
                hidden[w] = out.hidden[b * t * h..(b * t + l + 2) * h].to_vec();
            }
        }
        let probs = sums
            .chunks_exact(channels.max(1))
            .zip(&counts)
            .flat_map(|(row, &c)| row.iter().map(move |&s| (s / f64::from(c.max(1))) as f32))
            .collect();
        Ok(Reading { probs, channels, starts, hidden, counts, n })
    }

    /// One encoder call on `rows` of token ids ([`Encoder::forward`]), checked against the heads.
    fn forward(&self, rows: &[&[u32]]) -> Result<(engine::Forward, usize)> {
        let (out, t) = self.encoder.forward(rows)?;
        if out.hidden_size != self.heads.hidden() {
            return Err(Error::Runtime(format!(
                "the encoder gives {} hidden values per token, the heads expect {}",
                out.hidden_size,
                self.heads.hidden()
            )));
        }
        Ok((out, t))
    }

    /// Adds a block's token states to the sentences they belong to (`owner`: the sentence of
    /// each block token). Where windows overlap, each reading counts by its share.
    fn pool(r: &Reading, owner: &[Option<usize>], pool: &mut SentencePool) {
        let h = pool.hidden;
        for (w, &ws) in r.starts.iter().enumerate() {
            let states = &r.hidden[w];
            let l = (states.len() / h).saturating_sub(2);
            for k in 0..l {
                let Some(s) = owner[ws + k] else { continue };
                let weight = 1.0 / f64::from(r.counts[ws + k].max(1));
                let row = &states[(k + 1) * h..(k + 2) * h];
                for (acc, &v) in pool.sums[s * h..(s + 1) * h].iter_mut().zip(row) {
                    *acc += weight * f64::from(v);
                }
            }
        }
        for s in owner.iter().take(r.n).flatten() {
            pool.tokens[*s] += 1;
        }
    }

    /// Check-worthiness and subjectivity from a sentence's mean token state.
    fn sentence_scores(&self, heads: &SentenceHeads, mean: &[f32], in_context: bool) -> SentenceScores {
        let probs = heads.score(mean, in_context);
        let task = |name: &str| self.config.sentence_task(name).and_then(|i| probs.get(i).copied());
        SentenceScores { checkworthy: task("checkworthy"), subjective: task("subjective") }
    }

    /// Scores with the thresholds of their reading.
    fn scoring(&self, scores: Vec<SentenceScores>, in_context: bool) -> SentenceScoring {
        SentenceScoring {
            scorer: self.scorer_name.clone(),
            scores,
            checkworthy_threshold: self.task_threshold("checkworthy", in_context),
            subjective_threshold: self.task_threshold("subjective", in_context),
        }
    }

    /// Span-head probabilities for block tokens `i..j`.
    fn classify_run(&self, r: &Reading, text: &str, lower: &str, tokens: &[WordPieceToken], i: usize, j: usize) -> Vec<f32> {
        let content = self.config.content();
        let w = decode::best_window(&r.starts, r.n, content, i, j);
        let ws = r.starts[w];
        let we = (ws + content).min(r.n);
        let (ci, cj) = (i.max(ws), j.min(we));
        let piece = decode::trim_span(text, tokens[i].start, tokens[j - 1].end, &self.config.trim)
            .map_or("", |(s, e)| &text[s..e]);
        let features = decode::span_features(cj - ci, decode::repeats(lower, piece));
        let h = self.heads.hidden();
        let states = &r.hidden[w][(ci - ws + 1) * h..(cj - ws + 1) * h];
        self.heads.classify_span(states, &features)
    }

    /// Mean of channel `c` over block tokens `i..j`.
    fn mean(r: &Reading, c: usize, i: usize, j: usize) -> f32 {
        let s: f64 = (i..j).map(|k| f64::from(r.probs[k * r.channels + c])).sum();
        (s / (j - i) as f64) as f32
    }

    /// Spans of one block (`tokens` and `cont` are the block's; `ends` the text's sentence ends
    /// from [`decode::sentence_bounds`], needed only when some technique widens).
    fn decode_block(
        &self,
        r: &Reading,
        text: &str,
        lower: &str,
        tokens: &[WordPieceToken],
        cont: &[bool],
        ends: &[usize],
    ) -> Vec<Found> {
        let thr = &self.config.thresholds;
        let trim = &self.config.trim;
        let mut out = Vec::new();
        let ranges: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
        let stop = decode::stop_tokens(text, &ranges, cont);
        let probs = |c: usize| -> Vec<f32> { (0..r.n).map(|k| r.probs[k * r.channels + c]).collect() };
        // Runs of a channel, without those made only of stop words and punctuation, as trimmed bytes.
        let spans = |c: usize, high: f32, low: f32, gap: usize| {
            decode::hysteresis_runs(&probs(c), high, low, gap, cont)
                .into_iter()
                .filter(|&(i, j)| !stop[i..j].iter().all(|&s| s))
                .filter_map(|(i, j)| {
                    decode::trim_span(text, tokens[i].start, tokens[j - 1].end, trim).map(|bytes| (i, j, bytes))
                })
                .collect::<Vec<_>>()
        };
        // Per label: are its spans widened to their sentence.
        let widens: Vec<bool> = self.config.labels.iter().map(|l| thr.widen.contains(l)).collect();
        for (i, j, bytes) in spans(0, thr.any, thr.low(), thr.gap) {
            let dist = self.classify_run(r, text, lower, tokens, i, j);
            let mut order: Vec<usize> = (0..dist.len()).collect();
            order.sort_by(|&a, &b| dist[b].total_cmp(&dist[a]).then(a.cmp(&b)));
            let any = Self::mean(r, 0, i, j);
            for (rank, &label) in order.iter().take(2).enumerate() {
                if rank == 1 && dist[label] < thr.second {
                    break;
                }
                let bytes = if widens[label] { decode::widen_to_sentence(text, ends, bytes, trim) } else { bytes };
                out.push(Found { bytes, label, confidence: any * dist[label] });
            }
        }
        for (t, th) in thr.technique.iter().enumerate() {
            let Some(th) = *th else { continue };
            if 1 + t >= r.channels {
                break;
            }
            let mut same: Vec<(usize, usize)> = out.iter().filter(|f| f.label == t).map(|f| f.bytes).collect();
            for (i, j, bytes) in spans(1 + t, th, th, 0) {
                if same.iter().any(|&(s, e)| s < bytes.1 && bytes.0 < e) {
                    continue;
                }
                out.push(Found { bytes, label: t, confidence: Self::mean(r, 1 + t, i, j) });
                same.push(bytes);
            }
        }
        out
    }

    /// Technique spans in `text` as byte ranges with technique and confidence, in no set order.
    /// `sentence_starts`: byte offsets where sentences start, sorted (blocks are cut there).
    pub fn find(&self, text: &str, sentence_starts: &[usize]) -> Result<Vec<(Range<usize>, Technique, f32)>> {
        Ok(self.read_document(text, sentence_starts, false)?.0)
    }

    /// [`NeuralDetector::find`]'s spans and, when `sentences` is set and the model has sentence
    /// heads, one [`SentenceScores`] per sentence start (a sentence runs to the next start;
    /// one without tokens gets no scores) from the same forward pass.
    #[allow(clippy::type_complexity)]
    pub fn read_document(
        &self,
        text: &str,
        sentence_starts: &[usize],
        sentences: bool,
    ) -> Result<(Vec<(Range<usize>, Technique, f32)>, Option<Vec<SentenceScores>>)> {
        let heads = self.sentence.as_ref().filter(|_| sentences);
        let (tokens, cont) = self.tokens(text);
        let h = self.heads.hidden();
        let mut pool = heads.map(|_| SentencePool {
            sums: vec![0f64; sentence_starts.len() * h],
            tokens: vec![0; sentence_starts.len()],
            hidden: h,
        });
        let lower = text.to_lowercase();
        let ends = if self.config.thresholds.widen.is_empty() { Vec::new() } else { decode::sentence_bounds(text) };
        let mut found = Vec::new();
        if !tokens.is_empty() {
            for block in Self::blocks(&tokens, sentence_starts) {
                let ids: Vec<u32> = tokens[block.clone()].iter().map(|t| t.id).collect();
                let reading = self.read(&ids)?;
                let spans =
                    self.decode_block(&reading, text, &lower, &tokens[block.clone()], &cont[block.clone()], &ends);
                found.extend(spans.into_iter().map(|f| (f.bytes.0..f.bytes.1, self.techniques[f.label], f.confidence)));
                if let Some(pool) = pool.as_mut() {
                    // The sentence of each token: the last that starts at or before it.
                    let owner: Vec<Option<usize>> = tokens[block.clone()]
                        .iter()
                        .map(|t| sentence_starts.partition_point(|&s| s <= t.start).checked_sub(1))
                        .collect();
                    Self::pool(&reading, &owner, pool);
                }
            }
        }
        let scores = heads.zip(pool).map(|(heads, pool)| {
            pool.sums
                .chunks_exact(h)
                .zip(&pool.tokens)
                .map(|(sum, &n)| {
                    if n == 0 {
                        return SentenceScores::default();
                    }
                    let mean: Vec<f32> = sum.iter().map(|&v| (v / f64::from(n)) as f32).collect();
                    self.sentence_scores(heads, &mean, true)
                })
                .collect()
        });
        let scores = if sentences && !self.sentence_models.is_empty() {
            Some(self.merged(scores, sentence_starts.len(), |m| m.score_document(text, sentence_starts))?)
        } else {
            scores
        };
        Ok((found, scores))
    }

    /// Scores of texts each read as one sentence on its own. Each goes to the encoder by itself:
    /// the int8 encoder quantizes activations over the whole batch, so batch-mates would shift
    /// a sentence's score (by up to ~0.02), and a sentence must score the same whatever lines
    /// surround it in a file. Texts longer than a window are read like a one-sentence document.
    fn score_alone(&self, heads: &SentenceHeads, texts: &[&str]) -> Result<Vec<SentenceScores>> {
        let content = self.config.content();
        let h = self.heads.hidden();
        let mut out = Vec::with_capacity(texts.len());
        for text in texts {
            let ids: Vec<u32> = self.encoder.tokenizer.tokenize(text).iter().map(|t| t.id).collect();
            if ids.is_empty() {
                out.push(SentenceScores::default());
            } else if ids.len() > content {
                // Read in windows, so in context of itself: the context head fits that reading.
                let (_, scores) = self.read_document(text, &[0], true)?;
                out.push(scores.and_then(|s| s.first().copied()).unwrap_or_default());
            } else {
                let (fw, _) = self.forward(&[&ids])?;
                let mut sum = vec![0f64; h];
                for row in fw.hidden[h..(ids.len() + 1) * h].chunks_exact(h) {
                    for (acc, &v) in sum.iter_mut().zip(row) {
                        *acc += f64::from(v);
                    }
                }
                let mean: Vec<f32> = sum.iter().map(|&v| (v / ids.len() as f64) as f32).collect();
                out.push(self.sentence_scores(heads, &mean, false));
            }
        }
        Ok(out)
    }

    /// For each byte range of `text` (a span given by someone else), the techniques ranked by the
    /// span head's probability, best first. Ranges with no token get an empty list.
    pub fn classify(&self, text: &str, ranges: &[Range<usize>]) -> Result<Vec<Vec<(Technique, f32)>>> {
        let (tokens, _) = self.tokens(text);
        let lower = text.to_lowercase();
        let starts: Vec<usize> = Vec::new();
        let blocks = Self::blocks(&tokens, &starts);
        let mut readings: Vec<Option<Reading>> = blocks.iter().map(|_| None).collect();
        let mut out = Vec::with_capacity(ranges.len());
        for range in ranges {
            // Tokens overlapping the range.
            let i = tokens.partition_point(|t| t.end <= range.start);
            let j = tokens.partition_point(|t| t.start < range.end);
            if i >= j {
                out.push(Vec::new());
                continue;
            }
            let b = blocks.iter().position(|bl| bl.contains(&i)).unwrap_or(0);
            let block = blocks[b].clone();
            if readings[b].is_none() {
                let ids: Vec<u32> = tokens[block.clone()].iter().map(|t| t.id).collect();
                readings[b] = Some(self.read(&ids)?);
            }
            let Some(r) = readings[b].as_ref() else { continue };
            let (bi, bj) = (i - block.start, j.min(block.end) - block.start);
            let dist = self.classify_run(r, text, &lower, &tokens[block.clone()], bi, bj);
            let mut ranked: Vec<(Technique, f32)> = self.techniques.iter().copied().zip(dist).collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
            out.push(ranked);
        }
        Ok(out)
    }
}

impl Detector for NeuralDetector {
    fn name(&self) -> &str {
        NAME
    }

    fn detect(&self, doc: &Document, segmentation: &Segmentation) -> Result<Vec<TechniqueSpan>> {
        Ok(self.detect_all(doc, segmentation, false)?.spans)
    }

    fn detect_with_sentences(&self, doc: &Document, segmentation: &Segmentation) -> Result<Detection> {
        self.detect_all(doc, segmentation, true)
    }
}

impl NeuralDetector {
    fn detect_all(&self, doc: &Document, segmentation: &Segmentation, sentences: bool) -> Result<Detection> {
        let (mut found, scores) = self.read_document(&doc.text, &sentence_starts(segmentation), sentences)?;
        found.sort_by_key(|a| (a.0.start, a.0.end, a.1));
        let index = CharIndex::new(&doc.text);
        let mut cursor = index.cursor();
        let spans = found
            .into_iter()
            .filter_map(|(bytes, technique, confidence)| {
                let span = cursor.span_from_bytes(bytes.clone())?;
                Some(TechniqueSpan {
                    technique,
                    span,
                    text: doc.text[bytes].to_owned(),
                    confidence: (confidence * 1e4).round() / 1e4,
                    sentence: segmentation.sentence_at(span.start),
                    detector: NAME.to_owned(),
                })
            })
            .collect();
        let sentences = scores.map(|scores| self.scoring(scores, true));
        Ok(Detection { spans, sentences })
    }
}

/// The sentence heads on their own: for sentence mode, or to score sentences without keeping
/// the spans. A model without sentence heads fails with a clear error.
impl SentenceScorer for NeuralDetector {
    /// The names of what scores the sentences, joined with `+`: the model's own when its heads
    /// score some task, then its sentence models' (`unspin-ptc-mpnet+unspin-checkthat-minilm`
    /// when the heads score subjectivity and a sentence model check-worthiness).
    fn name(&self) -> &str {
        &self.scorer_name
    }

    fn score(&self, doc: &Document, segmentation: &Segmentation) -> Result<Vec<SentenceScores>> {
        self.no_heads()?;
        Ok(self.read_document(&doc.text, &sentence_starts(segmentation), true)?.1.unwrap_or_default())
    }

    fn score_texts(&self, texts: &[&str]) -> Result<SentenceScoring> {
        self.no_heads()?;
        let own = match &self.sentence {
            Some(heads) => Some(self.score_alone(heads, texts)?),
            None => None,
        };
        let scores = self.merged(own, texts.len(), |m| m.score_alone(texts))?;
        Ok(self.scoring(scores, false))
    }

    /// For [`SentenceScorer::score`], which reads sentences in their document.
    fn checkworthy_threshold(&self) -> f32 {
        self.task_threshold("checkworthy", true)
    }

    fn subjective_threshold(&self) -> f32 {
        self.task_threshold("subjective", true)
    }
}

/// Byte offsets where the segmentation's sentences start, in order.
fn sentence_starts(segmentation: &Segmentation) -> Vec<usize> {
    segmentation.sentences.iter().map(|s| s.span.byte_start).collect()
}

impl NeuralDetector {
    fn no_heads(&self) -> Result<()> {
        if self.has_sentence_heads() {
            return Ok(());
        }
        Err(Error::Scorer {
            scorer: self.config.name.clone(),
            message: "this model does not score sentences (its config.json names no sentence_heads or sentence models)"
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(start: usize, end: usize) -> WordPieceToken {
        WordPieceToken { id: 1, start, end }
    }

    #[test]
    fn short_texts_are_one_block() {
        let tokens: Vec<_> = (0..10).map(|k| tok(k * 2, k * 2 + 1)).collect();
        assert_eq!(NeuralDetector::blocks(&tokens, &[0, 8]), vec![(0..10)]);
        assert_eq!(NeuralDetector::blocks(&[], &[]), vec![(0..0)]);
    }

    #[test]
    fn long_texts_are_cut_at_sentence_starts() {
        let n = BLOCK_TOKENS * 2 + 100;
        let tokens: Vec<_> = (0..n).map(|k| tok(k * 2, k * 2 + 1)).collect();
        // a sentence starts every 1000 tokens
        let starts: Vec<usize> = (0..n).step_by(1000).map(|k| k * 2).collect();
        let blocks = NeuralDetector::blocks(&tokens, &starts);
        assert_eq!(blocks[0], 0..16_000);
        assert_eq!(blocks[1], 16_000..32_000);
        assert_eq!(blocks.last().unwrap().end, n);
        assert!(blocks.iter().all(|b| b.len() <= BLOCK_TOKENS));
        // no sentence starts at all: cut at the limit
        let blocks = NeuralDetector::blocks(&tokens, &[]);
        assert_eq!(blocks[0], 0..BLOCK_TOKENS);
        assert!(blocks.iter().all(|b| b.len() <= BLOCK_TOKENS));
    }
}
