//! The invariants the targets share, checked against an oracle that does not use the library's
//! own offset code (`CharIndex`), so that a bug there cannot hide itself.

use unspin::segment::{Segmentation, TokenKind, MAX_TOKEN_BYTES};
use unspin::{Document, Span};

/// The char offset of every byte offset of a text that is a char boundary.
pub struct Offsets<'t> {
    pub text: &'t str,
    /// `chars[b]`: code points before byte `b`, or `usize::MAX` inside a character.
    chars: Vec<usize>,
}

impl<'t> Offsets<'t> {
    pub fn new(text: &'t str) -> Self {
        let mut chars = vec![usize::MAX; text.len() + 1];
        let mut n = 0;
        for (b, _) in text.char_indices() {
            chars[b] = n;
            n += 1;
        }
        chars[text.len()] = n;
        Offsets { text, chars }
    }

    /// `span` is ordered, inside the text, on char boundaries, with char offsets that count the
    /// same code points as its byte offsets. Returns the text it covers.
    pub fn span(&self, span: &Span, what: &str) -> &'t str {
        assert!(
            span.byte_start <= span.byte_end && span.byte_end <= self.text.len(),
            "{what}: bytes {:?} outside a text of {} bytes",
            span.bytes(),
            self.text.len()
        );
        assert_eq!(self.chars[span.byte_start], span.start, "{what}: byte {} is not char {}", span.byte_start, span.start);
        assert_eq!(self.chars[span.byte_end], span.end, "{what}: byte {} is not char {}", span.byte_end, span.end);
        &self.text[span.bytes()]
    }

    /// As [`Offsets::span`], and `text` is what the span covers.
    pub fn span_text(&self, span: &Span, text: &str, what: &str) {
        assert_eq!(self.span(span, what), text, "{what}: the text is not the slice the span covers");
    }

    /// A byte range, as the tokenizer gives them: ordered, inside, on char boundaries.
    pub fn bytes(&self, start: usize, end: usize, what: &str) {
        assert!(start <= end && end <= self.text.len(), "{what}: bytes {start}..{end} outside {}", self.text.len());
        assert!(self.chars[start] != usize::MAX && self.chars[end] != usize::MAX, "{what}: {start}..{end} off char boundaries");
    }
}

/// What holds for every document a reader returns: a text with something in it, in the form
/// offsets are counted on (newlines normalised), and a segmentation of it that passes
/// [`segmentation`]. (A U+FEFF at the start is not a defect: a file may hold two byte-order
/// marks, or a JSON string or a page one, and Python keeps all but a file's first too.)
pub fn document(doc: &Document) {
    assert!(!doc.text.trim().is_empty(), "a document with a blank text was returned");
    assert!(!doc.text.contains('\r'), "a document's text holds a carriage return");
    // Document::new neutralises control characters: none but tab, newline and form feed remain,
    // in the text or in what the terminal prints of the metadata.
    let stray = |s: &str| s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\x0c'));
    assert!(!stray(&doc.text), "a document's text holds a control character");
    let meta = &doc.meta;
    for field in [&meta.title, &meta.byline, &meta.site_name, &meta.url, &meta.site, &meta.date, &meta.language]
        .into_iter()
        .flatten()
    {
        assert!(!stray(field), "a metadata field holds a control character: {field:?}");
    }
    segmentation(&doc.text, &unspin::segment::segment(&doc.text));
}

/// Paragraphs, sentences and tokens are valid spans of `text`, in order, without overlap, each
/// inside its parent, and their index ranges agree.
pub fn segmentation(text: &str, seg: &Segmentation) {
    let offsets = Offsets::new(text);
    let mut last_paragraph_end = 0;
    let mut next_sentence = 0;
    for (p, paragraph) in seg.paragraphs.iter().enumerate() {
        let covered = offsets.span(&paragraph.span, "paragraph");
        assert!(!covered.trim().is_empty(), "paragraph {p} is blank");
        assert!(paragraph.span.start >= last_paragraph_end, "paragraph {p} overlaps the one before");
        last_paragraph_end = paragraph.span.end;
        assert_eq!(paragraph.sentences.start, next_sentence, "paragraph {p}: sentences skipped or repeated");
        next_sentence = paragraph.sentences.end;
        for s in paragraph.sentences.clone() {
            let sentence = &seg.sentences[s];
            assert_eq!(sentence.paragraph, p, "sentence {s} names the wrong paragraph");
            assert!(
                paragraph.span.start <= sentence.span.start && sentence.span.end <= paragraph.span.end,
                "sentence {s} leaves its paragraph"
            );
        }
    }
    assert_eq!(next_sentence, seg.sentences.len(), "sentences outside every paragraph");
    let mut next_token = 0;
    let mut last_sentence_end = 0;
    for (s, sentence) in seg.sentences.iter().enumerate() {
        offsets.span(&sentence.span, "sentence");
        assert!(sentence.span.start >= last_sentence_end, "sentence {s} overlaps the one before");
        last_sentence_end = sentence.span.end;
        assert!(!sentence.tokens.is_empty(), "sentence {s} has no token");
        assert_eq!(sentence.tokens.start, next_token, "sentence {s}: tokens skipped or repeated");
        next_token = sentence.tokens.end;
        let (first, last) = (&seg.tokens[sentence.tokens.start], &seg.tokens[sentence.tokens.end - 1]);
        assert_eq!(first.span.start, sentence.span.start, "sentence {s} does not start at its first token");
        assert_eq!(last.span.end, sentence.span.end, "sentence {s} does not end at its last token");
        assert_eq!(seg.sentence_at(sentence.span.start), Some(s), "sentence_at disagrees for sentence {s}");
    }
    assert_eq!(next_token, seg.tokens.len(), "tokens outside every sentence");
    let mut last_token_end = 0;
    for (t, token) in seg.tokens.iter().enumerate() {
        let covered = offsets.span(&token.span, "token");
        assert!(!covered.is_empty(), "token {t} is empty");
        assert!(token.span.start >= last_token_end, "token {t} overlaps the one before");
        last_token_end = token.span.end;
        assert!(covered.len() <= MAX_TOKEN_BYTES, "token {t} is {} bytes long", covered.len());
        assert!(!covered.chars().any(char::is_whitespace), "token {t} {covered:?} holds white space");
        if token.kind == TokenKind::Number {
            assert!(covered.chars().any(|c| c.is_numeric()), "number token {t} {covered:?} has no digit");
        }
    }
}
