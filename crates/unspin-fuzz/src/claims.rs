//! Stage 4 target: quotes, attribution, hedges and insinuations on any text.

use unspin::claims::{self, Claims, Cue, SentenceClaims};
use unspin::segment::Segmentation;
use unspin::{Document, Metadata};

use crate::check::Offsets;

/// The claims stage on the bytes read as UTF-8 (invalid sequences replaced), as an article and,
/// for its first line, as one sentence (sentence mode).
pub fn claims(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let doc = Document::new("fuzz", text, Metadata::default());
    let seg = unspin::segment::segment(&doc.text);
    let found = claims::analyze(&doc, &seg, None).expect("the claims stage does not fail without scores");
    article(&doc.text, &seg, &found);

    let line = doc.text.lines().next().unwrap_or("");
    let one = claims::analyze_sentence(line, None).expect("sentence mode does not fail without scores");
    let offsets = Offsets::new(line);
    sentence(&offsets, &one, usize::MAX);
}

/// One entry per sentence, in order; every span valid and equal to its text; every index points
/// at something that exists; the summary counts what the sentences say.
fn article(text: &str, seg: &Segmentation, found: &Claims) {
    let offsets = Offsets::new(text);
    assert_eq!(found.sentences.len(), seg.sentences.len(), "one SentenceClaims per sentence");
    for (i, quote) in found.quotes.iter().enumerate() {
        let covered = offsets.span(&quote.span, "quote");
        assert_eq!(covered, quote.text, "quote {i}: text is not the slice");
        let (first, last) = quote.sentences;
        assert!(first <= last && last < seg.sentences.len(), "quote {i} spans sentences {first}..={last}");
        // A carried speaker may come from after the quote: a pronoun cue next to it ("…,” she
        // said) resolves to the last speaker before the cue. The index must exist.
        if let Some(from) = quote.source.carried_from {
            assert!(from < seg.sentences.len(), "quote {i} carries its source from sentence {from}");
        }
    }
    for (i, sc) in found.sentences.iter().enumerate() {
        assert_eq!(sc.sentence, i, "sentence claims out of order");
        let sentence_span = seg.sentences[i].span;
        sentence(&offsets, sc, found.quotes.len());
        for hedge in &sc.hedges {
            assert!(
                sentence_span.start <= hedge.span.start && hedge.span.end <= sentence_span.end,
                "hedge {:?} outside sentence {i}",
                hedge.text
            );
        }
        if let Some(from) = sc.source.carried_from {
            assert!(from < seg.sentences.len(), "sentence {i} carries its source from sentence {from}");
        }
    }
    let summary = &found.summary;
    assert_eq!(summary.claims, found.sentences.iter().filter(|s| s.claim).count(), "summary.claims");
    let hedges = found.sentences.iter().flat_map(|s| &s.hedges).filter(|h| !h.quoted).count();
    assert_eq!(summary.hedges, hedges, "summary.hedges counts the hedges outside quotes");
    let quotes = found.quotes.iter().filter(|q| !q.scare_quote).count();
    assert_eq!(summary.quotes, quotes, "summary.quotes counts the quotes that are not scare quotes");
    assert!(summary.attributed <= summary.claims && summary.unattributed <= summary.claims, "summary shares");
    assert!((0.0..=1.0).contains(&summary.attributed_share), "attributed_share {}", summary.attributed_share);
}

/// The spans of one sentence's claims; quote indices below `quotes`.
fn sentence(offsets: &Offsets, sc: &SentenceClaims, quotes: usize) {
    let cue = |cue: &Cue, what: &str| offsets.span_text(&cue.span, &cue.text, what);
    for a in &sc.attributions {
        cue(&a.cue, "attribution cue");
        if let Some(speaker) = &a.speaker {
            cue(speaker, "speaker");
            assert!(!speaker.text.trim().is_empty(), "blank speaker");
        }
    }
    for hedge in &sc.hedges {
        offsets.span_text(&hedge.span, &hedge.text, "hedge");
    }
    if let Some(insinuation) = &sc.insinuation {
        cue(insinuation, "insinuation");
    }
    for &q in &sc.quotes {
        assert!(q < quotes, "sentence {} names quote {q} of {quotes}", sc.sentence);
    }
    if let Some(speaker) = &sc.source.speaker {
        assert!(!speaker.trim().is_empty(), "blank source speaker");
    }
}

