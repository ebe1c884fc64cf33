//! WordPiece tokenization, id for id what HuggingFace's fast tokenizers produce for an uncased
//! BERT-style model (all-MiniLM-L6-v2's `BertTokenizerFast`, all-mpnet-base-v2's
//! `MPNetTokenizerFast`), with every token's byte range in the original text.
//!
//! The neural detector feeds these ids to the network and maps its per-token predictions back to
//! spans of the document, so both the ids and the offsets must be exactly the reference
//! tokenizer's. The steps are those of HF tokenizers' added vocabulary, `BertNormalizer`,
//! `BertPreTokenizer` and `WordPiece` model, fused into one pass over the text:
//!
//! 1. Added tokens that are not `normalized` (BERT's `[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`,
//!    `[MASK]`; MPNet's `<s>`, `</s>`, `<pad>`, `[UNK]`, `<mask>`) are matched verbatim in the raw
//!    text before anything else, leftmost-longest, as HF's added vocabulary does.
//! 2. Clean: NUL, U+FFFD and control characters (Cc, Cf, Co; not `\t\n\r`) are dropped without
//!    splitting anything; whitespace separates words.
//! 3. CJK ideographs become words of their own.
//! 4. NFD, then combining marks (Mn) are dropped, then each char is lowercased.
//! 5. Added tokens that are `normalized` (MPNet's `<unk>`) are matched in this normalized text,
//!    so `<UNK>` and `<un\u{ad}k>` are `<unk>` too.
//! 6. Punctuation (ASCII punctuation and Unicode P*) becomes words of its own.
//! 7. Each word is cut greedily into the longest pieces in the vocabulary, later pieces with the
//!    `##` prefix. A word over 100 chars, or one with a part no piece matches, is one unknown
//!    token (`[UNK]`).
//!
//! Which tokens frame a window, pad it, stand for unknown words and are added is the model's
//! choice: a [`TokenizerSpec`], read from the model folder's `config.json` (without one, BERT's).
//!
//! Every normalized char remembers the original char it came from, so a token's range runs from
//! the start of its first char's origin to the end of its last's: "é" tokenized as `e` covers both
//! bytes of "é", and the three jamo pieces of "한" each cover all of "한".
//!
//! Unicode data comes from the two crates HF tokenizers itself uses, `unicode_categories` (General
//! Category: control, Mn, punctuation) and `unicode-normalization-alignments` (NFD, combining
//! classes). Both hold Unicode 9 tables; newer ones would treat chars assigned since then
//! differently from the reference (U+0D00, Mn since Unicode 10, survives in HF; U+089A, a mark
//! since Unicode 14, does not reorder there). The CJK ranges copy HF's too, including its gap at
//! U+2B820..U+2B91F.
//!
//! Work is linear in the text: each char is normalized once, only the first 100 chars of a word
//! are kept, a vocabulary lookup never tries a piece longer than the longest entry, and an added
//! token is never longer than the longest one the spec names.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use serde::Deserialize;
use unicode_categories::UnicodeCategories;
use unicode_normalization_alignments::char::{canonical_combining_class, decompose_canonical};

use crate::error::{Error, Origin, Result};

/// Longer words (in normalized chars) become `[UNK]` (HF's `max_input_chars_per_word`).
const MAX_WORD_CHARS: usize = 100;

/// Marks a piece that continues a word.
const CONTINUATION: &str = "##";

/// The tokens BERT's `BertTokenizerFast` registers as added tokens, matched in the raw text.
const BERT_ADDED_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// How a model's tokenizer is made: the `tokenizer` object of its `config.json`.
///
/// ```json
/// {"kind": "wordpiece", "vocab": "vocab.txt", "lowercase": true,
///  "cls": "<s>", "sep": "</s>", "pad": "<pad>", "unk": "[UNK]",
///  "added_tokens": [{"content": "<s>"}, {"content": "<unk>", "normalized": true},
///                   {"content": "<mask>", "lstrip": true}]}
/// ```
///
/// `training/tokenizer_fixture.py` derives it from a HF `tokenizer.json`. Every token it names
/// must be an entry of the vocabulary; the id is the entry's.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenizerSpec {
    pub kind: TokenizerKind,
    /// The vocabulary file, relative to the model folder.
    #[serde(default = "default_vocab")]
    pub vocab: String,
    /// Uncased (lowercase and strip accents, as HF's `BertNormalizer` with `strip_accents` unset
    /// does); the only kind unspin implements, so `false` is refused rather than ignored.
    #[serde(default = "yes")]
    pub lowercase: bool,
    /// The token that opens each window (BERT `[CLS]`, MPNet `<s>`).
    pub cls: String,
    /// The token that closes each window (BERT `[SEP]`, MPNet `</s>`).
    pub sep: String,
    /// The padding token (BERT `[PAD]`, MPNet `<pad>`).
    pub pad: String,
    /// What a word no piece matches becomes (`[UNK]` for both).
    pub unk: String,
    /// Tokens matched whole in the text before WordPiece runs, as HF's `added_tokens`.
    pub added_tokens: Vec<AddedToken>,
    /// HF's post-processor trims whitespace off token offsets (`RobertaProcessing`'s
    /// `trim_offsets`, MPNet's), so an added token's range never covers the whitespace its
    /// `lstrip` / `rstrip` took. BERT's `TemplateProcessing` does not.
    #[serde(default)]
    pub trim_offsets: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenizerKind {
    /// BERT normalizer and pre-tokenizer, WordPiece model with `##` continuations.
    WordPiece,
}

/// One of HF's added tokens, with its flags.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddedToken {
    pub content: String,
    /// Matched in the normalized text (so `<unk>` also matches `<UNK>`), not the raw text.
    #[serde(default)]
    pub normalized: bool,
    /// The token takes the whitespace on its left (`lstrip`) or right (`rstrip`): that
    /// whitespace makes no token of its own and, unless [`TokenizerSpec::trim_offsets`], is
    /// inside the token's range (HF tokenizers 0.22: " <mask>" is `<mask>` at 0..7 after
    /// `TemplateProcessing`, at 1..7 after MPNet's `RobertaProcessing`). `lstrip` never reaches
    /// back into the token before it.
    #[serde(default)]
    pub lstrip: bool,
    #[serde(default)]
    pub rstrip: bool,
    /// Only matched as a whole word in HF; not implemented, so refused.
    #[serde(default)]
    pub single_word: bool,
}

fn default_vocab() -> String {
    "vocab.txt".into()
}

fn yes() -> bool {
    true
}

impl Default for TokenizerSpec {
    /// Uncased BERT (all-MiniLM-L6-v2): what a model folder whose config names no tokenizer has.
    fn default() -> Self {
        TokenizerSpec {
            kind: TokenizerKind::WordPiece,
            vocab: default_vocab(),
            lowercase: true,
            cls: "[CLS]".into(),
            sep: "[SEP]".into(),
            pad: "[PAD]".into(),
            unk: "[UNK]".into(),
            added_tokens: BERT_ADDED_TOKENS
                .iter()
                .map(|&content| AddedToken {
                    content: content.into(),
                    normalized: false,
                    lstrip: false,
                    rstrip: false,
                    single_word: false,
                })
                .collect(),
            trim_offsets: false,
        }
    }
}

impl TokenizerSpec {
    /// Refuses what the tokenizer cannot do as HF does; the vocabulary is checked on loading.
    pub fn check(&self) -> std::result::Result<(), String> {
        if !self.lowercase {
            return Err("only uncased WordPiece (\"lowercase\": true) is implemented".into());
        }
        for token in &self.added_tokens {
            if token.content.is_empty() {
                return Err("an added token is empty".into());
            }
            let content = &token.content;
            if token.single_word {
                return Err(format!("added token {content:?}: single_word is not implemented"));
            }
            if content.starts_with(char::is_whitespace) || content.ends_with(char::is_whitespace) {
                return Err(format!("added token {content:?}: whitespace at either end is not implemented"));
            }
            if token.normalized && (token.lstrip || token.rstrip) {
                return Err(format!("added token {content:?}: lstrip or rstrip on a normalized token is not implemented"));
            }
            if token.normalized {
                let pattern = normalize(&token.content);
                // Whitespace in the normalized text ends a match (see `Run::boundary`).
                if pattern.is_empty() || pattern.chars().any(char::is_whitespace) {
                    return Err(format!(
                        "added token {:?}: a normalized token must normalize to text without whitespace or CJK ideographs",
                        token.content
                    ));
                }
            }
        }
        Ok(())
    }
}

/// An uncased WordPiece tokenizer: a vocabulary and the [`TokenizerSpec`] that goes with it.
pub struct WordPiece {
    /// Entries that start a word.
    words: PieceMap,
    /// Entries that continue a word, keyed without their `##`.
    suffixes: PieceMap,
    /// Byte length of the longest key in `words` / `suffixes`: no longer piece can match.
    longest_word: usize,
    longest_suffix: usize,
    /// By id: does the entry start with `##`.
    continuation: Vec<bool>,
    special: SpecialIds,
    /// Added tokens matched in the raw text.
    raw: Vec<RawToken>,
    /// The distinct first bytes of `raw`: where a match can start.
    raw_first: Vec<u8>,
    /// Added tokens matched in the normalized text: the normalized content, and the id.
    normalized: Vec<(Vec<char>, u32)>,
}

/// An added token matched in the raw text.
struct RawToken {
    content: Box<str>,
    id: u32,
    /// Whether its range takes in the whitespace on its left / right (`lstrip` / `rstrip`, and
    /// offsets not trimmed).
    widen_left: bool,
    widen_right: bool,
}

/// One token: its vocabulary id and the bytes of the original text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordPieceToken {
    pub id: u32,
    /// Byte offsets into the text given to [`WordPiece::tokenize`]; always on char boundaries.
    pub start: usize,
    pub end: usize,
}

/// Ids of the tokens the model input is framed and padded with.
#[derive(Debug, Clone, Copy)]
pub struct SpecialIds {
    pub cls: u32,
    pub sep: u32,
    pub pad: u32,
    pub unk: u32,
}

impl WordPiece {
    /// Reads a BERT `vocab.txt` (one entry per line, the line number from 0 is the id) with
    /// BERT's special and added tokens ([`TokenizerSpec::default`]).
    pub fn from_vocab_file(path: &Path) -> Result<Self> {
        Self::read(path, &TokenizerSpec::default())
    }

    /// Builds a BERT tokenizer from the contents of a `vocab.txt`.
    pub fn from_vocab_str(vocab: &str) -> Result<Self> {
        Self::build(vocab, &TokenizerSpec::default())
            .map_err(|message| Error::Vocab { origin: Origin::file("<vocab string>"), message })
    }

    /// The tokenizer a model folder `dir` names: `spec.vocab` read from `dir`, with the spec's
    /// special and added tokens.
    pub fn from_spec(spec: &TokenizerSpec, dir: &Path) -> Result<Self> {
        Self::read(&dir.join(&spec.vocab), spec)
    }

    /// The tokenizer `spec` describes, with the contents of its vocabulary file given as a string
    /// (for callers that hold the file already, and for fuzzing).
    pub fn from_spec_str(spec: &TokenizerSpec, vocab: &str) -> Result<Self> {
        Self::build(vocab, spec)
            .map_err(|message| Error::Vocab { origin: Origin::file("<vocab string>"), message })
    }

    fn read(path: &Path, spec: &TokenizerSpec) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|source| Error::Io { origin: Origin::file(path), source })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| Error::Vocab {
            origin: Origin::file(path),
            message: format!("not UTF-8 ({e})"),
        })?;
        Self::build(text, spec).map_err(|message| Error::Vocab { origin: Origin::file(path), message })
    }

    fn build(vocab: &str, spec: &TokenizerSpec) -> std::result::Result<Self, String> {
        spec.check().map_err(|e| format!("the tokenizer spec does not fit: {e}"))?;
        let mut words = PieceMap::default();
        let mut suffixes = PieceMap::default();
        let mut continuation = Vec::new();
        // As transformers' `load_vocab` (which built the reference tokenizer.json) reads it: lines
        // end at "\n" or "\r\n" and nothing else is trimmed; a repeated entry keeps its last id,
        // as in a Python dict. (Python would also end a line at a lone "\r"; no BERT vocabulary
        // has one.)
        for (index, entry) in vocab.lines().enumerate() {
            let id = u32::try_from(index).map_err(|_| "more than 2^32 entries".to_string())?;
            match entry.strip_prefix(CONTINUATION) {
                Some(suffix) => suffixes.insert(suffix.into(), id),
                None => words.insert(entry.into(), id),
            };
            continuation.push(entry.starts_with(CONTINUATION));
        }
        // Special and added tokens are whole entries, never `##` continuations.
        let find = |name: &str, role: &str| {
            words.get(name).copied().ok_or_else(|| format!("it has no {name} entry ({role})"))
        };
        let special = SpecialIds {
            cls: find(&spec.cls, "the cls token")?,
            sep: find(&spec.sep, "the sep token")?,
            pad: find(&spec.pad, "the pad token")?,
            unk: find(&spec.unk, "the unk token")?,
        };
        let mut raw = Vec::new();
        let mut normalized = Vec::new();
        for token in &spec.added_tokens {
            let id = find(&token.content, "an added token")?;
            if token.normalized {
                normalized.push((normalize(&token.content).chars().collect(), id));
            } else {
                raw.push(RawToken {
                    content: token.content.as_str().into(),
                    id,
                    widen_left: token.lstrip && !spec.trim_offsets,
                    widen_right: token.rstrip && !spec.trim_offsets,
                });
            }
        }
        let mut raw_first: Vec<u8> = raw.iter().map(|t| t.content.as_bytes()[0]).collect();
        raw_first.sort_unstable();
        raw_first.dedup();
        Ok(WordPiece {
            longest_word: words.keys().map(|k| k.len()).max().unwrap_or(0),
            longest_suffix: suffixes.keys().map(|k| k.len()).max().unwrap_or(0),
            words,
            suffixes,
            continuation,
            special,
            raw,
            raw_first,
            normalized,
        })
    }

    /// The tokens of `text`, without the framing tokens (`[CLS]` / `[SEP]`) around them.
    pub fn tokenize(&self, text: &str) -> Vec<WordPieceToken> {
        let mut out = Vec::new();
        self.tokenize_into(text, &mut out);
        out
    }

    /// Appends the tokens of `text` to `out` (so one buffer can serve many calls).
    pub fn tokenize_into(&self, text: &str, out: &mut Vec<WordPieceToken>) {
        let mut run = Run::new(self);
        let mut done = 0;
        let mut from = 0;
        while let Some(at) = self.next_raw_start(text.as_bytes(), from) {
            from = at + 1;
            // Leftmost-longest, as HF's Aho-Corasick match: the longest token that starts here.
            let rest = &text.as_bytes()[at..];
            let Some(token) = self
                .raw
                .iter()
                .filter(|t| rest.starts_with(t.content.as_bytes()))
                .max_by_key(|t| t.content.len())
            else {
                continue;
            };
            let mut end = at + token.content.len();
            // lstrip and rstrip take whitespace; it would have made no token anyway, so only the
            // range changes (and only when offsets are not trimmed).
            let mut start = at;
            if token.widen_left {
                let before = text[done..at].trim_end_matches(char::is_whitespace);
                start = done + before.len();
            }
            if token.widen_right {
                end += text[end..].len() - text[end..].trim_start_matches(char::is_whitespace).len();
            }
            run.feed(text, done, start, out);
            run.finish(out);
            out.push(WordPieceToken { id: token.id, start, end });
            done = end;
            from = done;
        }
        run.feed(text, done, text.len(), out);
        run.finish(out);
    }

    /// The first position at or after `from` where a raw added token could start.
    fn next_raw_start(&self, text: &[u8], from: usize) -> Option<usize> {
        let rest = text.get(from..)?;
        let found = match *self.raw_first.as_slice() {
            [] => None,
            [a] => memchr::memchr(a, rest),
            [a, b] => memchr::memchr2(a, b, rest),
            [a, b, c] => memchr::memchr3(a, b, c, rest),
            ref firsts => rest.iter().position(|b| firsts.contains(b)),
        };
        found.map(|i| from + i)
    }

    pub fn special_ids(&self) -> SpecialIds {
        self.special
    }

    /// The id of a vocabulary entry, written as in `vocab.txt` (`"##ing"` for a continuation).
    pub fn token_id(&self, piece: &str) -> Option<u32> {
        match piece.strip_prefix(CONTINUATION) {
            Some(suffix) => self.suffixes.get(suffix).copied(),
            None => self.words.get(piece).copied(),
        }
    }

    /// Whether the entry with this id continues a word (starts with `##`); false for unknown ids.
    pub fn is_continuation(&self, id: u32) -> bool {
        usize::try_from(id).ok().and_then(|i| self.continuation.get(i)).copied().unwrap_or(false)
    }

    /// Number of lines in the vocabulary: ids run from 0 to `vocab_size() - 1`.
    pub fn vocab_size(&self) -> usize {
        self.continuation.len()
    }
}

impl std::fmt::Debug for WordPiece {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordPiece")
            .field("vocab_size", &self.vocab_size())
            .field("special", &self.special)
            .finish_non_exhaustive()
    }
}

/// A normalized char of the current word: where it starts in the word, and its original char.
#[derive(Clone, Copy)]
struct NormChar {
    at: usize,
    start: usize,
    end: usize,
}

/// A combining char waiting for the end of its run to be put in canonical order.
#[derive(Clone, Copy)]
struct Mark {
    class: u8,
    c: char,
    /// Whether it is the first char of its original char's decomposition.
    first: bool,
    start: usize,
    end: usize,
}

/// The state of one `tokenize_into` call.
struct Run<'v> {
    vocab: &'v WordPiece,
    /// The current word, normalized; only its first `MAX_WORD_CHARS` chars.
    word: String,
    chars: Vec<NormChar>,
    /// Chars in the current word, kept or not, and the original range they span.
    word_len: usize,
    word_start: usize,
    word_end: usize,
    /// Non-starters (canonical combining class > 0) since the last starter: NFD sorts each such
    /// run by class, and a dropped control char does not end it, because HF drops control chars
    /// before it decomposes.
    marks: Vec<Mark>,
    /// Scratch for `flush_marks`: the original ranges of a run, in text order.
    slots: Vec<(usize, usize)>,
    /// The original range of the last starter the decomposition emitted.
    last: (usize, usize),
    /// Normalized chars that may begin a normalized added token, held until it is known whether
    /// one matches: (char, original start, original end).
    pending: Vec<(char, usize, usize)>,
}

impl<'v> Run<'v> {
    fn new(vocab: &'v WordPiece) -> Self {
        Run {
            vocab,
            word: String::new(),
            chars: Vec::new(),
            word_len: 0,
            word_start: 0,
            word_end: 0,
            marks: Vec::new(),
            slots: Vec::new(),
            last: (0, 0),
            pending: Vec::new(),
        }
    }

    /// Normalizes `text[from..to]`, emitting the tokens of every word it completes.
    fn feed(&mut self, text: &str, from: usize, to: usize, out: &mut Vec<WordPieceToken>) {
        for (i, c) in text[from..to].char_indices() {
            let (start, end) = (from + i, from + i + c.len_utf8());
            if c.is_ascii() {
                self.ascii(c, start, end, out);
            } else if c == '\u{FFFD}' || is_control(c) {
                // dropped
            } else if c.is_whitespace() {
                self.flush_marks(out);
                self.boundary(out);
            } else if is_chinese(c) {
                self.flush_marks(out);
                self.boundary(out);
                self.decompose(c, start, end, out);
                self.flush_marks(out);
                self.boundary(out);
            } else {
                self.decompose(c, start, end, out);
            }
        }
    }

    /// Ends the text (or the stretch before a special token): no word or mark run continues.
    fn finish(&mut self, out: &mut Vec<WordPieceToken>) {
        self.flush_marks(out);
        self.boundary(out);
    }

    /// ASCII needs no decomposition, and every ASCII char is a starter.
    fn ascii(&mut self, c: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
        match c {
            '\t' | '\n' | '\r' | ' ' => {
                self.flush_marks(out);
                self.boundary(out);
            }
            // NUL and the other controls, \x0b and \x0c included, are dropped.
            '\0'..='\x1f' | '\x7f' => {}
            _ => {
                self.flush_marks(out);
                self.last = (start, end);
                self.normalized(c.to_ascii_lowercase(), start, end, out);
            }
        }
    }

    /// NFD of one original char: starters go straight on, non-starters wait for their run's end.
    fn decompose(&mut self, c: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
        let mut first = true;
        decompose_canonical(c, |d| {
            let class = canonical_combining_class(d);
            if class == 0 {
                self.flush_marks(out);
                self.last = (start, end);
                self.nfd_char(d, start, end, out);
            } else {
                self.marks.push(Mark { class, c: d, first, start, end });
            }
            first = false;
        });
    }

    /// Puts a run of non-starters in canonical order and passes it on.
    ///
    /// The chars move but, as in HF (unicode-normalization-alignments, then
    /// `NormalizedString::transform`), the original ranges do not: the k-th char of the sorted
    /// run that begins a decomposition takes the k-th such range in text order, and a char that
    /// continues a decomposition takes the range of the one before it. So ranges stay in text
    /// order even when chars are reordered.
    fn flush_marks(&mut self, out: &mut Vec<WordPieceToken>) {
        if self.marks.is_empty() {
            return;
        }
        let mut marks = std::mem::take(&mut self.marks);
        let mut slots = std::mem::take(&mut self.slots);
        slots.clear();
        slots.extend(marks.iter().filter(|m| m.first).map(|m| (m.start, m.end)));
        marks.sort_by_key(|m| m.class); // stable, as canonical ordering requires
        let mut next_slot = slots.iter();
        let mut range = self.last;
        for m in &marks {
            if m.first {
                range = next_slot.next().copied().unwrap_or(range);
            }
            self.nfd_char(m.c, range.0, range.1, out);
        }
        marks.clear();
        self.marks = marks;
        self.slots = slots;
    }

    /// A char of the NFD text, in order: strip accents, then lowercase.
    fn nfd_char(&mut self, d: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
        // No char below U+0300 is a nonspacing mark.
        if d >= '\u{300}' && d.is_mark_nonspacing() {
            return;
        }
        if d.is_ascii() {
            self.normalized(d.to_ascii_lowercase(), start, end, out);
        } else {
            // Every char of a multi-char lowercase keeps the original range (HF: change 1).
            for l in d.to_lowercase() {
                self.normalized(l, start, end, out);
            }
        }
    }

    /// Whitespace, a CJK ideograph or the end of the text: no word and no normalized added token
    /// continues across it (whitespace is a char no such token holds; see `TokenizerSpec::check`).
    fn boundary(&mut self, out: &mut Vec<WordPieceToken>) {
        self.resolve(true, out);
        self.end_word(out);
    }

    /// A char of the normalized text: normalized added tokens are matched, the rest pre-tokenized.
    fn normalized(&mut self, c: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
        let patterns = &self.vocab.normalized;
        if self.pending.is_empty() && !patterns.iter().any(|(p, _)| p[0] == c) {
            self.pretokenize(c, start, end, out);
        } else {
            self.pending.push((c, start, end));
            self.resolve(false, out);
        }
    }

    /// Leftmost-longest matching of the normalized added tokens on `pending`, as HF's
    /// Aho-Corasick: while `pending` could still grow into a token, it waits (unless `at_end`);
    /// then the longest token it starts with is emitted, or its first char goes on as text, and
    /// the rest is matched again.
    fn resolve(&mut self, at_end: bool, out: &mut Vec<WordPieceToken>) {
        while !self.pending.is_empty() {
            let mut longest: Option<(usize, u32)> = None;
            let mut open = false;
            for (pattern, id) in &self.vocab.normalized {
                let n = pattern.len().min(self.pending.len());
                if !self.pending[..n].iter().zip(pattern).all(|(p, &c)| p.0 == c) {
                    continue;
                }
                if pattern.len() > self.pending.len() {
                    open = true;
                } else if longest.is_none_or(|(len, _)| pattern.len() > len) {
                    longest = Some((pattern.len(), *id));
                }
            }
            if open && !at_end {
                return;
            }
            match longest {
                Some((len, id)) => {
                    self.end_word(out);
                    let (start, end) = (self.pending[0].1, self.pending[len - 1].2);
                    out.push(WordPieceToken { id, start, end: end.max(start) });
                    self.pending.drain(..len);
                }
                None => {
                    let (c, start, end) = self.pending.remove(0);
                    self.pretokenize(c, start, end, out);
                }
            }
        }
    }

    /// A char of the normalized text that is not part of an added token: pre-tokenize.
    fn pretokenize(&mut self, c: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
        if c.is_whitespace() {
            self.end_word(out);
        } else if is_punctuation(c) {
            self.end_word(out);
            self.push(c, start, end);
            self.end_word(out);
        } else {
            self.push(c, start, end);
        }
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        if self.word_len == 0 {
            self.word_start = start;
        }
        self.word_end = end;
        self.word_len += 1;
        if self.word_len <= MAX_WORD_CHARS {
            self.chars.push(NormChar { at: self.word.len(), start, end });
            self.word.push(c);
        }
    }

    fn end_word(&mut self, out: &mut Vec<WordPieceToken>) {
        if self.word_len == 0 {
            return;
        }
        if self.word_len > MAX_WORD_CHARS || !self.pieces(out) {
            out.push(WordPieceToken {
                id: self.vocab.special.unk,
                start: self.word_start,
                end: self.word_end.max(self.word_start),
            });
        }
        self.word.clear();
        self.chars.clear();
        self.word_len = 0;
    }

    /// Greedy longest-match-first cut of the current word; false (and nothing emitted) when some
    /// part of it matches no piece.
    fn pieces(&self, out: &mut Vec<WordPieceToken>) -> bool {
        let first_token = out.len();
        let n = self.chars.len();
        let byte_at = |j: usize| {
            if j == n {
                self.word.len()
            } else {
                self.chars[j].at
            }
        };
        let mut i = 0;
        while i < n {
            let (map, longest) = if i == 0 {
                (&self.vocab.words, self.vocab.longest_word)
            } else {
                (&self.vocab.suffixes, self.vocab.longest_suffix)
            };
            let from = byte_at(i);
            let mut found = None;
            for j in (i + 1..=n).rev() {
                let to = byte_at(j);
                if to - from > longest {
                    continue;
                }
                if let Some(&id) = map.get(&self.word[from..to]) {
                    found = Some((id, j));
                    break;
                }
            }
            let Some((id, j)) = found else {
                out.truncate(first_token);
                return false;
            };
            let start = self.chars[i].start;
            // Ranges are in text order (see `flush_marks`); `max` only guards the invariant.
            let end = self.chars[j - 1].end.max(start);
            out.push(WordPieceToken { id, start, end });
            i = j;
        }
        true
    }
}

/// The `BertNormalizer` (uncased) of a whole string, as HF applies it to a normalized added
/// token's content: clean, pad CJK ideographs with spaces, NFD, drop Mn, lowercase.
fn normalize(text: &str) -> String {
    let mut nfd: Vec<char> = Vec::new();
    for c in text.chars() {
        if c == '\0' || c == '\u{FFFD}' || is_control(c) {
            continue;
        }
        if c.is_whitespace() {
            nfd.push(' ');
        } else if is_chinese(c) {
            nfd.extend([' ', c, ' ']);
        } else {
            decompose_canonical(c, |d| nfd.push(d));
        }
    }
    // Canonical order: each run of non-starters sorted (stably) by combining class.
    let mut i = 0;
    while i < nfd.len() {
        let run = nfd[i..].iter().take_while(|&&d| canonical_combining_class(d) != 0).count();
        nfd[i..i + run].sort_by_key(|&d| canonical_combining_class(d));
        i += run.max(1);
    }
    nfd.into_iter()
        .filter(|&d| !(d >= '\u{300}' && d.is_mark_nonspacing()))
        .flat_map(char::to_lowercase)
        .collect()
}

/// HF's `is_control`: the "Other" categories Cc, Cf and Co, less the whitespace controls.
fn is_control(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r')
        && (c.is_other_control() || c.is_other_format() || c.is_other_private_use())
}

/// HF's `is_bert_punc`: ASCII punctuation (which includes symbols such as `$` and `+`) or P*.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_ascii() && c.is_punctuation())
}

/// HF's `is_chinese_char` ranges, copied exactly (U+2B820..U+2B91F is not among them there).
fn is_chinese(c: char) -> bool {
    matches!(
        c as u32,
        0x4E00..=0x9FFF
            | 0x3400..=0x4DBF
            | 0x20000..=0x2A6DF
            | 0x2A700..=0x2B73F
            | 0x2B740..=0x2B81F
            | 0x2B920..=0x2CEAF
            | 0xF900..=0xFAFF
            | 0x2F800..=0x2FA1F
    )
}

type PieceMap = HashMap<Box<str>, u32, BuildHasherDefault<Fnv1a>>;

/// FNV-1a: pieces are short and the keys are a fixed vocabulary, so a simple hash beats SipHash.
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VOCAB: &str = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nun\n##aff\n##able\ncafe\n,\n.\n!\n\
                         ##s\nrun\n##ning\na\n##b\nx\n##y\n中\n国\nwho\n'\n\"\n$\n5\n##0\nᄒ\n##ᅡ\n##ᆫ\n";

    fn vocab() -> WordPiece {
        WordPiece::from_vocab_str(VOCAB).unwrap()
    }

    /// (piece, covered text) for each token, so assertions read as text.
    fn pieces<'t>(wp: &WordPiece, text: &'t str) -> Vec<(String, &'t str)> {
        let names: Vec<&str> = VOCAB.lines().collect();
        wp.tokenize(text)
            .into_iter()
            .map(|t| (names[t.id as usize].to_string(), &text[t.start..t.end]))
            .collect()
    }

    fn p<'a>(list: &[(&str, &'a str)]) -> Vec<(String, &'a str)> {
        list.iter().map(|&(piece, text)| (piece.to_string(), text)).collect()
    }

    #[test]
    fn greedy_longest_match_with_continuations() {
        let wp = vocab();
        assert_eq!(
            pieces(&wp, "unaffable running"),
            p(&[
                ("un", "un"),
                ("##aff", "aff"),
                ("##able", "able"),
                ("run", "run"),
                ("##ning", "ning")
            ])
        );
    }

    #[test]
    fn a_word_with_an_unmatched_part_is_one_unk() {
        let wp = vocab();
        assert_eq!(pieces(&wp, "unaffz the"), p(&[("[UNK]", "unaffz"), ("the", "the")]));
        assert_eq!(pieces(&wp, "zzz"), p(&[("[UNK]", "zzz")]));
    }

    #[test]
    fn lowercases_strips_accents_and_keeps_original_bytes() {
        let wp = vocab();
        // "É" is two bytes; its token covers both. A separate combining accent is dropped with
        // its bytes, as in HF.
        assert_eq!(pieces(&wp, "CAFÉ"), p(&[("cafe", "CAFÉ")]));
        assert_eq!(pieces(&wp, "cafe\u{301}!"), p(&[("cafe", "cafe"), ("!", "!")]));
    }

    #[test]
    fn continuation_piece_covers_the_original_chars_it_came_from() {
        let wp = vocab();
        // "ÁB": a covers "Á" (2 bytes), ##b covers "B".
        assert_eq!(pieces(&wp, "ÁB"), p(&[("a", "Á"), ("##b", "B")]));
        // One Hangul syllable decomposes into three jamo pieces; each covers the whole syllable.
        assert_eq!(pieces(&wp, "한"), p(&[("ᄒ", "한"), ("##ᅡ", "한"), ("##ᆫ", "한")]));
    }

    #[test]
    fn punctuation_and_symbols_are_split_off() {
        let wp = vocab();
        assert_eq!(
            pieces(&wp, "\"who,\" $50."),
            p(&[
                ("\"", "\""),
                ("who", "who"),
                (",", ","),
                ("\"", "\""),
                ("$", "$"),
                ("5", "5"),
                ("##0", "0"),
                (".", ".")
            ])
        );
        // A curly quote is Unicode punctuation, so it is a word of its own ([UNK] here).
        assert_eq!(pieces(&wp, "\u{201c}who"), p(&[("[UNK]", "\u{201c}"), ("who", "who")]));
    }

    #[test]
    fn controls_vanish_without_splitting_and_whitespace_splits() {
        let wp = vocab();
        // \x0b and U+200B (format) are dropped: "a\x0bb" is the one word "ab".
        assert_eq!(pieces(&wp, "a\x0bb"), p(&[("a", "a"), ("##b", "b")]));
        assert_eq!(pieces(&wp, "x\u{200b}y"), p(&[("x", "x"), ("##y", "y")]));
        assert_eq!(
            pieces(&wp, "x\u{a0}y\u{3000}a\t\r\nb"),
            p(&[("x", "x"), ("[UNK]", "y"), ("a", "a"), ("[UNK]", "b")])
        );
        assert!(wp.tokenize("\0\u{fffd}\x07 \u{feff}").is_empty());
    }

    #[test]
    fn cjk_ideographs_are_words_of_their_own() {
        let wp = vocab();
        assert_eq!(pieces(&wp, "a中国x"), p(&[("a", "a"), ("中", "中"), ("国", "国"), ("x", "x")]));
    }

    #[test]
    fn special_tokens_in_the_text_are_kept_verbatim() {
        let wp = vocab();
        // Matched on the raw text, before lowercasing: "[cls]" is ordinary text.
        assert_eq!(
            pieces(&wp, "the[SEP]the [cls] [MASK"),
            p(&[
                ("the", "the"),
                ("[SEP]", "[SEP]"),
                ("the", "the"),
                ("[UNK]", "["),
                ("[UNK]", "cls"),
                ("[UNK]", "]"),
                ("[UNK]", "["),
                ("[UNK]", "MASK")
            ])
        );
        assert_eq!(
            pieces(&wp, "[[CLS]]"),
            p(&[("[UNK]", "["), ("[CLS]", "[CLS]"), ("[UNK]", "]")])
        );
    }

    #[test]
    fn a_word_over_100_chars_is_one_unk_over_all_of_it() {
        let wp = vocab();
        // No "##a" piece: the whole word is one [UNK].
        let aaa = "a".repeat(100);
        assert_eq!(pieces(&wp, &aaa), p(&[("[UNK]", &aaa)]));
        let long = format!("x{} the", "y".repeat(100));
        assert_eq!(pieces(&wp, &long), p(&[("[UNK]", &long[..101]), ("the", "the")]));
        let fits = format!("x{}", "y".repeat(99));
        assert_eq!(wp.tokenize(&fits).len(), 100);
    }

    #[test]
    fn tokenize_into_appends() {
        let wp = vocab();
        let mut out = wp.tokenize("the");
        wp.tokenize_into("who", &mut out);
        assert_eq!(
            out,
            [
                WordPieceToken { id: 5, start: 0, end: 3 },
                WordPieceToken { id: 22, start: 0, end: 3 }
            ]
        );
    }

    #[test]
    fn vocabulary_lookups() {
        let wp = vocab();
        assert_eq!(wp.vocab_size(), VOCAB.lines().count());
        let special = wp.special_ids();
        assert_eq!((special.pad, special.unk, special.cls, special.sep), (0, 1, 2, 3));
        assert_eq!(wp.token_id("##able"), Some(8));
        assert_eq!(wp.token_id("able"), None);
        assert!(wp.is_continuation(8));
        assert!(!wp.is_continuation(6));
        assert!(!wp.is_continuation(u32::MAX));
    }

    #[test]
    fn a_vocabulary_without_unk_is_refused_with_its_path() {
        let err = WordPiece::from_vocab_str("[PAD]\n[CLS]\n[SEP]\nthe\n").unwrap_err();
        assert!(err.to_string().contains("no [UNK] entry"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocab.txt");
        std::fs::write(&path, "[PAD]\n[UNK]\n[SEP]\n").unwrap();
        let err = WordPiece::from_vocab_file(&path).unwrap_err();
        assert!(
            err.to_string().contains("vocab.txt") && err.to_string().contains("[CLS]"),
            "{err}"
        );
        let missing = dir.path().join("missing.txt");
        let err = WordPiece::from_vocab_file(&missing).unwrap_err();
        assert!(err.to_string().contains("missing.txt"), "{err}");
        std::fs::write(&path, b"[PAD]\n\xff\n").unwrap();
        assert!(matches!(WordPiece::from_vocab_file(&path), Err(Error::Vocab { .. })));
    }

    const ANGLE_VOCAB: &str = "<s>\n<pad>\n</s>\n<unk>\n[UNK]\nthe\n<\n>\n/\ns\nx\n##y\nun\n##k\n<mask>\n<s>x\n";

    fn added(content: &str) -> AddedToken {
        AddedToken { content: content.into(), normalized: false, lstrip: false, rstrip: false, single_word: false }
    }

    /// MPNet's tokens (as its tokenizer.json has them) over a small vocabulary.
    fn angle_spec() -> TokenizerSpec {
        TokenizerSpec {
            cls: "<s>".into(),
            sep: "</s>".into(),
            pad: "<pad>".into(),
            added_tokens: vec![
                added("<s>"),
                added("<pad>"),
                added("</s>"),
                AddedToken { normalized: true, ..added("<unk>") },
                added("[UNK]"),
                AddedToken { lstrip: true, ..added("<mask>") },
            ],
            trim_offsets: true,
            ..TokenizerSpec::default()
        }
    }

    fn angle(spec: &TokenizerSpec) -> WordPiece {
        WordPiece::build(ANGLE_VOCAB, spec).unwrap()
    }

    fn angle_pieces<'t>(wp: &WordPiece, text: &'t str) -> Vec<(&'static str, &'t str)> {
        let names: Vec<&'static str> = ANGLE_VOCAB.lines().collect();
        wp.tokenize(text).into_iter().map(|t| (names[t.id as usize], &text[t.start..t.end])).collect()
    }

    #[test]
    fn the_spec_names_the_framing_tokens() {
        let wp = angle(&angle_spec());
        let special = wp.special_ids();
        assert_eq!((special.cls, special.pad, special.sep, special.unk), (0, 1, 2, 4));
        // Without a spec, BERT's: this vocabulary has none of them.
        let err = WordPiece::from_vocab_str(ANGLE_VOCAB).unwrap_err().to_string();
        assert!(err.contains("no [CLS] entry (the cls token)"), "{err}");
    }

    #[test]
    fn a_normalized_added_token_matches_the_normalized_text() {
        let wp = angle(&angle_spec());
        // Lowercased, an accent or a soft hyphen dropped: still <unk>, over the original bytes.
        assert_eq!(
            angle_pieces(&wp, "x<UNK>y <Un\u{ad}k\u{301}> the"),
            [("x", "x"), ("<unk>", "<UNK>"), ("[UNK]", "y"), ("<unk>", "<Un\u{ad}k\u{301}>"), ("the", "the")]
        );
        // Cut by whitespace, by a raw added token, or incomplete: plain text.
        assert_eq!(
            angle_pieces(&wp, "<un k> <un<s>k> <unk"),
            [
                ("<", "<"),
                ("un", "un"),
                ("[UNK]", "k"),
                (">", ">"),
                ("<", "<"),
                ("un", "un"),
                ("<s>", "<s>"),
                ("[UNK]", "k"),
                (">", ">"),
                ("<", "<"),
                ("un", "un"),
                ("##k", "k"),
            ]
        );
        // BERT's tokens are not added tokens here.
        assert_eq!(angle_pieces(&wp, "[UNK]"), [("[UNK]", "[UNK]")]);
        assert_eq!(wp.tokenize("[CLS]").len(), 3);
    }

    #[test]
    fn raw_added_tokens_match_leftmost_longest() {
        let mut spec = angle_spec();
        spec.added_tokens.push(added("<s>x"));
        let wp = angle(&spec);
        assert_eq!(angle_pieces(&wp, "<s>xy <s>"), [("<s>x", "<s>x"), ("[UNK]", "y"), ("<s>", "<s>")]);
        assert_eq!(angle_pieces(&wp, "<<s>>"), [("<", "<"), ("<s>", "<s>"), (">", ">")]);
    }

    /// HF tokenizers 0.22, on a tokenizer built from these flags: with MPNet's RobertaProcessing
    /// (trim_offsets) the whitespace an lstrip or rstrip token takes is left out of its range;
    /// without, it is inside, and lstrip stops at the previous token.
    #[test]
    fn lstrip_and_rstrip_widen_the_range_unless_offsets_are_trimmed() {
        let mut spec = angle_spec();
        spec.added_tokens[2].lstrip = true;
        spec.added_tokens[2].rstrip = true;
        let trimmed = angle(&spec);
        assert_eq!(angle_pieces(&trimmed, " <mask>"), [("<mask>", "<mask>")]);
        assert_eq!(angle_pieces(&trimmed, "x </s>  <mask>"), [("x", "x"), ("</s>", "</s>"), ("<mask>", "<mask>")]);
        spec.trim_offsets = false;
        let wide = angle(&spec);
        let wp = &wide;
        let text = "x\u{3000} <mask>";
        assert_eq!(wp.tokenize(text)[1], WordPieceToken { id: 14, start: 1, end: text.len() });
        assert_eq!(angle_pieces(wp, "x </s>  <mask>"), [("x", "x"), ("</s>", " </s>  "), ("<mask>", "<mask>")]);
        assert_eq!(angle_pieces(wp, "<mask> <mask>"), [("<mask>", "<mask>"), ("<mask>", " <mask>")]);
        // lstrip takes whitespace only: a dropped format char stops it.
        assert_eq!(angle_pieces(wp, " \u{200b} <mask>"), [("<mask>", " <mask>")]);
    }

    #[test]
    fn specs_the_tokenizer_cannot_follow_are_refused() {
        let refused = |edit: &dyn Fn(&mut TokenizerSpec)| {
            let mut spec = angle_spec();
            edit(&mut spec);
            WordPiece::build(ANGLE_VOCAB, &spec).expect_err("refused")
        };
        assert!(refused(&|s| s.lowercase = false).contains("uncased"));
        assert!(refused(&|s| s.added_tokens[0].single_word = true).contains("single_word"));
        assert!(refused(&|s| s.added_tokens[3].lstrip = true).contains("normalized token"));
        assert!(refused(&|s| s.added_tokens.push(added(""))).contains("empty"));
        assert!(refused(&|s| s.added_tokens.push(added(" x"))).contains("whitespace at either end"));
        let cjk = refused(&|s| s.added_tokens.push(AddedToken { normalized: true, ..added("x中") }));
        assert!(cjk.contains("without whitespace or CJK"), "{cjk}");
        assert!(refused(&|s| s.unk = "<UNK>".into()).contains("no <UNK> entry (the unk token)"));
        assert!(refused(&|s| s.added_tokens.push(added("[MASK]"))).contains("no [MASK] entry (an added token)"));
    }

    #[test]
    fn the_normalizer_of_added_tokens_is_bert_s() {
        assert_eq!(normalize("<UNK>"), "<unk>");
        assert_eq!(normalize("Ça\u{ad}Va\u{3000}中"), "cava  中 ");
        assert_eq!(normalize("a\u{316}\u{301}İ"), "ai");
    }

    #[test]
    fn offsets_stay_on_char_boundaries_for_odd_input() {
        let wp = vocab();
        let texts = [
            "",
            "\u{301}\u{301}a",
            "a\u{1d165}\u{1d16d}\u{301}\u{316}b",
            "👍🏽 👨‍👩‍👧 \u{202e}abc\u{202c} مرحبا שלום",
            "ǅ İ ß ﬁ Ω K Å",
            "\u{10ffff}\u{e000}\u{fffe}",
        ];
        for text in texts {
            for t in wp.tokenize(text) {
                assert!(t.start <= t.end && text.get(t.start..t.end).is_some(), "{text:?}: {t:?}");
            }
        }
    }
}
