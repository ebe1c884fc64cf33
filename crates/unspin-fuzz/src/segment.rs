//! Stage 2 target: the segmenter, on any text.

use crate::check;

/// Paragraphs, sentences and tokens of the bytes read as UTF-8 (invalid sequences replaced), and
/// of the same text taken as one sentence, as sentence mode does.
pub fn segment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let seg = unspin::segment::segment(&text);
    check::segmentation(&text, &seg);
    let one = unspin::claims::one_sentence(&text);
    assert!(one.sentences.len() <= 1, "one_sentence gave {} sentences", one.sentences.len());
    assert_eq!(one.tokens, seg.tokens, "one_sentence changed the tokens");
    check::segmentation(&text, &one);
}
