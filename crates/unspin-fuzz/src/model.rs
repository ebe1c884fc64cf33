//! Model-side targets: the WordPiece tokenizer on any text, and a model folder's `config.json`
//! with its vocabulary.

use std::path::PathBuf;
use std::sync::OnceLock;

use unspin::detect::neural::config::ModelConfig;
use unspin::detect::wordpiece::{TokenizerSpec, WordPiece};

use crate::check::Offsets;

/// The two tokenizers `tests/wordpiece.rs` holds to HF's output: BERT's framing with its
/// vocabulary, and MPNet's, whose added tokens have `normalized`, `lstrip` and `trim_offsets`.
fn tokenizers() -> &'static [WordPiece; 2] {
    static TOKENIZERS: OnceLock<[WordPiece; 2]> = OnceLock::new();
    TOKENIZERS.get_or_init(|| {
        let load = |spec: &str, vocab: &str| {
            let spec: TokenizerSpec = serde_json::from_str(spec).expect("the fixture spec parses");
            WordPiece::from_spec_str(&spec, vocab).expect("the fixture tokenizer builds")
        };
        [
            load(
                include_str!("../../unspin/tests/data/wordpiece/tokenizer_spec.json"),
                include_str!("../../unspin/tests/data/wordpiece/vocab.txt"),
            ),
            load(
                include_str!("../../unspin/tests/data/wordpiece-mpnet/tokenizer_spec.json"),
                include_str!("../../unspin/tests/data/wordpiece-mpnet/vocab.txt"),
            ),
        ]
    })
}

/// The tokenizer on the bytes read as UTF-8 (invalid sequences replaced), with both specs.
pub fn wordpiece(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for tokenizer in tokenizers() {
        tokens(tokenizer, &text);
    }
}

/// Every token's range is inside the text, on char boundaries, in order; every id is in the
/// vocabulary; a text with a non-white-space character gives at least one token.
fn tokens(tokenizer: &WordPiece, text: &str) {
    let offsets = Offsets::new(text);
    let tokens = tokenizer.tokenize(text);
    let mut last_start = 0;
    for (i, token) in tokens.iter().enumerate() {
        offsets.bytes(token.start, token.end, "wordpiece token");
        assert!(token.start >= last_start, "token {i} starts before the one before it");
        last_start = token.start;
        assert!((token.id as usize) < tokenizer.vocab_size(), "token {i} has id {} past the vocabulary", token.id);
    }
    let mut again = vec![tokens.first().copied().unwrap_or(unspin::detect::wordpiece::WordPieceToken { id: 0, start: 0, end: 0 })];
    tokenizer.tokenize_into(text, &mut again);
    assert_eq!(&again[1..], &tokens[..], "tokenize_into differs from tokenize");
}

/// A model's `config.json` and vocabulary, as `input = config NUL vocab`: the config is read by
/// `ModelConfig::read` (from a file, as a model folder is), the vocabulary built with the
/// config's tokenizer spec, and the tokenizer run on a fixed text and on the vocabulary itself.
pub fn model_config(data: &[u8]) {
    let (config, vocab) = match data.iter().position(|&b| b == 0) {
        Some(nul) => (&data[..nul], &data[nul + 1..]),
        None => (data, &[][..]),
    };
    let Ok(vocab) = std::str::from_utf8(vocab) else { return };
    if let Ok(tokenizer) = WordPiece::from_vocab_str(vocab) {
        tokens(&tokenizer, vocab);
    }
    let Some(cfg) = read_config(config) else { return };
    assert!(cfg.max_len >= 8 && cfg.stride > 0 && cfg.stride <= cfg.content(), "read accepted unusable windows");
    assert_eq!(cfg.thresholds.technique.len(), cfg.labels.len());
    assert!(cfg.techniques().is_ok(), "read accepted an unknown label");
    // JSON has no NaN, so the thresholds are ordered.
    assert!(cfg.thresholds.low() <= cfg.thresholds.any, "low() is above any");
    if let Ok(tokenizer) = WordPiece::from_spec_str(&cfg.tokenizer, vocab) {
        let ids = tokenizer.special_ids();
        for id in [ids.cls, ids.sep, ids.pad, ids.unk] {
            assert!((id as usize) < tokenizer.vocab_size(), "special id {id} past the vocabulary");
        }
        tokens(&tokenizer, "The Minister said: \u{201c}Cr\u{e8}me br\u{fb}l\u{e9}e [MASK] <mask> \u{4e2d}\u{6587}!\u{201d}");
        tokens(&tokenizer, vocab);
    }
}

/// `ModelConfig::read` takes a path, as the model loader does; the bytes go through a file of
/// this thread's own (the replay test runs targets on several threads).
fn read_config(config: &[u8]) -> Option<ModelConfig> {
    let path = scratch_path();
    std::fs::write(&path, config).ok()?;
    let read = ModelConfig::read(&path);
    let _ = std::fs::remove_file(&path);
    read.ok()
}

fn scratch_path() -> PathBuf {
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    std::env::temp_dir().join(format!("unspin-fuzz-{}-{thread}-config.json", std::process::id()))
}
