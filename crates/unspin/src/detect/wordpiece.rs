//! BERT WordPiece tokenization, id for id what HuggingFace's `BertTokenizerFast` produces for an
//! uncased model (all-MiniLM-L6-v2), with every token's byte range in the original text.
//!
//! The neural detector feeds these ids to the network and maps its per-token predictions back to
//! spans of the document, so both the ids and the offsets must be exactly the reference
//! tokenizer's. The steps are those of HF tokenizers' `BertNormalizer`, `BertPreTokenizer` and
//! `WordPiece` model, fused into one pass over the text:
//!
//! 1. Special tokens written in the text (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`) are
//!    matched verbatim before anything else, as HF's added vocabulary does.
//! 2. Clean: NUL, U+FFFD and control characters (Cc, Cf, Co; not `\t\n\r`) are dropped without
//!    splitting anything; whitespace separates words.
//! 3. CJK ideographs become words of their own.
//! 4. NFD, then combining marks (Mn) are dropped, then each char is lowercased.
//! 5. Punctuation (ASCII punctuation and Unicode P*) becomes words of its own.
//! 6. Each word is cut greedily into the longest pieces in the vocabulary, later pieces with the
//!    `##` prefix. A word over 100 chars, or one with a part no piece matches, is one `[UNK]`.
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
//! are kept, and a vocabulary lookup never tries a piece longer than the longest entry.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use unicode_categories::UnicodeCategories;
use unicode_normalization_alignments::char::{canonical_combining_class, decompose_canonical};

use crate::error::{Error, Origin, Result};

/// Longer words (in normalized chars) become `[UNK]` (HF's `max_input_chars_per_word`).
const MAX_WORD_CHARS: usize = 100;

/// Marks a piece that continues a word.
const CONTINUATION: &str = "##";

/// Vocabulary entries HF registers as added tokens, matched in the raw text.
const ADDED_TOKENS: [&str; 5] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

/// A BERT (uncased) WordPiece tokenizer loaded from a `vocab.txt`.
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
    /// The entries of [`ADDED_TOKENS`] that the vocabulary has, with their ids.
    added: Vec<(&'static str, u32)>,
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
    /// Reads a `vocab.txt`: one entry per line, the line number (from 0) is the id.
    pub fn from_vocab_file(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|source| Error::Io { origin: Origin::file(path), source })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| Error::Vocab {
            origin: Origin::file(path),
            message: format!("not UTF-8 ({e})"),
        })?;
        Self::parse(text).map_err(|message| Error::Vocab { origin: Origin::file(path), message })
    }

    /// Builds the tokenizer from the contents of a `vocab.txt`.
    pub fn from_vocab_str(vocab: &str) -> Result<Self> {
        Self::parse(vocab)
            .map_err(|message| Error::Vocab { origin: Origin::file("<vocab string>"), message })
    }

    fn parse(vocab: &str) -> std::result::Result<Self, String> {
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
        let find =
            |name: &str| words.get(name).copied().ok_or_else(|| format!("it has no {name} entry"));
        let special = SpecialIds {
            cls: find("[CLS]")?,
            sep: find("[SEP]")?,
            pad: find("[PAD]")?,
            unk: find("[UNK]")?,
        };
        let added =
            ADDED_TOKENS.iter().filter_map(|&name| words.get(name).map(|&id| (name, id))).collect();
        Ok(WordPiece {
            longest_word: words.keys().map(|k| k.len()).max().unwrap_or(0),
            longest_suffix: suffixes.keys().map(|k| k.len()).max().unwrap_or(0),
            words,
            suffixes,
            continuation,
            special,
            added,
        })
    }

    /// The tokens of `text`, without `[CLS]` / `[SEP]` around them.
    pub fn tokenize(&self, text: &str) -> Vec<WordPieceToken> {
        let mut out = Vec::new();
        self.tokenize_into(text, &mut out);
        out
    }

    /// Appends the tokens of `text` to `out` (so one buffer can serve many calls).
    pub fn tokenize_into(&self, text: &str, out: &mut Vec<WordPieceToken>) {
        let mut run = Run::new(self);
        let mut done = 0;
        for at in memchr::memchr_iter(b'[', text.as_bytes()) {
            if at < done {
                continue;
            }
            let Some(&(name, id)) =
                self.added.iter().find(|(name, _)| text[at..].starts_with(name))
            else {
                continue;
            };
            run.feed(text, done, at, out);
            run.finish(out);
            out.push(WordPieceToken { id, start: at, end: at + name.len() });
            done = at + name.len();
        }
        run.feed(text, done, text.len(), out);
        run.finish(out);
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
                self.end_word(out);
            } else if is_chinese(c) {
                self.flush_marks(out);
                self.end_word(out);
                self.decompose(c, start, end, out);
                self.flush_marks(out);
                self.end_word(out);
            } else {
                self.decompose(c, start, end, out);
            }
        }
    }

    /// Ends the text (or the stretch before a special token): no word or mark run continues.
    fn finish(&mut self, out: &mut Vec<WordPieceToken>) {
        self.flush_marks(out);
        self.end_word(out);
    }

    /// ASCII needs no decomposition, and every ASCII char is a starter.
    fn ascii(&mut self, c: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
        match c {
            '\t' | '\n' | '\r' | ' ' => {
                self.flush_marks(out);
                self.end_word(out);
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

    /// A char of the normalized text: pre-tokenize.
    fn normalized(&mut self, c: char, start: usize, end: usize, out: &mut Vec<WordPieceToken>) {
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
