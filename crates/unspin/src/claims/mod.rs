//! Stage 4: claims — what each sentence asserts, who it rests on, and how it hedges.
//!
//! Between detection and the report, [`analyze`] looks at every sentence of a document:
//!
//! - `quotes.rs`: direct quotes (straight, curly, low and angle double quotes), never running
//!   past their paragraph;
//! - `attribution.rs`: speech cues and their speakers ("the embassy stated", "according to
//!   sources close to the ministry", "it was reported"), each speaker sorted into a **named** or
//!   a **vague** source;
//! - `furniture.rs`: bylines, credit lines and lone datelines, which are never claims;
//! - `hedges.rs`: hedge cues ("it seems", "reportedly", "may have", "raises questions") and
//!   insinuating questions ("Who really benefits…?");
//! - [`outlet`]: the publishing outlet's factuality and bias record (MBFC, via Baly et al.), when
//!   the document has a site or URL;
//! - a [`SentenceScorer`], when one is given: check-worthiness and subjectivity per sentence
//!   from trained classifiers. Without one those scores are `None`, never guessed.
//!
//! Each sentence gets a [`SentenceClaims`]: its scores, whether it is a **claim**, its
//! [`Source`] (named, vague or none), its cues, and the flags *hedged*, *insinuation* and
//! *unattributed* (a claim that rests on no source).
//!
//! **What counts as a claim.** With check-worthiness scores, a sentence scoring at least the
//! scorer's threshold. Without them ([`ClaimBasis::Heuristic`]), every declarative sentence of
//! at least [`MIN_CLAIM_WORDS`] words: a wide net, to be narrowed by the classifier. Either way,
//! never a byline, credit line or dateline on its own line (`furniture.rs`), whatever its score.
//!
//! **Carry-over.** A sentence's source is its own cue if it has one; else that of a direct
//! quote over it. A quote with no cue of its own takes the speaker of the quote before it when
//! that one is in the same paragraph, was left open at the end of the previous paragraph (the
//! convention for quotes over several paragraphs) or ended in the sentence just before; failing
//! that, the speaker named in the sentence just before. A pronoun speaker ("he said") takes the
//! most recent speaker of the three sentences before. Nothing carries further: a wrong source
//! is worse than none.

mod attribution;
mod furniture;
mod hedges;
pub mod outlet;
mod quotes;

use serde::Serialize;

pub use attribution::MAX_SPEAKER_WORDS;
pub use hedges::{HEDGES, INSINUATING_STATEMENTS, INSINUATIONS};

use crate::error::{Error, Result};
use crate::offsets::{CharIndex, Span};
use crate::segment::{Paragraph, Segmentation, Sentence, TokenKind};
use crate::Document;
use attribution::{RawAttribution, Speaker, Words};
use outlet::OutletLookup;

/// Fewest words of a sentence counted as a claim when there is no check-worthiness score.
pub const MIN_CLAIM_WORDS: usize = 5;

/// Quotes of fewer words, with no speaker, are quoted terms ("scare quotes"), not speech.
pub const MIN_SPEECH_WORDS: usize = 4;

/// How far back (in sentences) a pronoun or an uncued quote looks for its speaker.
const CARRY_SENTENCES: usize = 3;

/// Scores a classifier gives one sentence, each 0–1 (`None`: this scorer does not give it).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SentenceScores {
    pub checkworthy: Option<f32>,
    pub subjective: Option<f32>,
}

/// Sentence classifiers (check-worthiness, subjectivity), e.g. heads on the technique
/// detector's encoder. [`analyze`] works without one.
pub trait SentenceScorer: Send + Sync {
    /// Short stable name, recorded in the output.
    fn name(&self) -> &str;

    /// One entry per sentence of `segmentation`, in order. An error means the scorer failed
    /// (a model that cannot run), not odd text.
    fn score(&self, doc: &Document, segmentation: &Segmentation) -> Result<Vec<SentenceScores>>;

    /// Scores for sentences given on their own (sentence mode), one per text, in order, with
    /// the thresholds for that reading. The default scores each text as a one-sentence document
    /// with this scorer's thresholds; a model may read lone sentences with heads of their own.
    fn score_texts(&self, texts: &[&str]) -> Result<SentenceScoring> {
        let mut scores = Vec::with_capacity(texts.len());
        for text in texts {
            let doc = Document { id: String::new(), text: (*text).to_owned(), meta: crate::Metadata::default() };
            let seg = one_sentence(text);
            scores.push(self.score(&doc, &seg)?.first().copied().unwrap_or_default());
        }
        Ok(SentenceScoring::with_thresholds_of(self, scores))
    }

    /// Scores at or above this make a sentence check-worthy (a claim).
    fn checkworthy_threshold(&self) -> f32 {
        0.5
    }

    /// Scores at or above this make a sentence subjective.
    fn subjective_threshold(&self) -> f32 {
        0.5
    }
}

/// One document's sentence scores and the thresholds that turn them into labels: what the
/// claims stage reads, whether it came from a [`SentenceScorer`] or from heads on a detector's
/// own forward pass ([`crate::detect::Detection`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SentenceScoring {
    /// The scorer's name, recorded in the output.
    pub scorer: String,
    /// One entry per sentence of the segmentation, in order.
    pub scores: Vec<SentenceScores>,
    pub checkworthy_threshold: f32,
    pub subjective_threshold: f32,
}

impl SentenceScoring {
    /// Runs `scorer` over the document's sentences.
    pub fn from_scorer(scorer: &dyn SentenceScorer, doc: &Document, seg: &Segmentation) -> Result<SentenceScoring> {
        Ok(SentenceScoring::with_thresholds_of(scorer, scorer.score(doc, seg)?))
    }

    /// `scores` with `scorer`'s name and document thresholds.
    pub fn with_thresholds_of(scorer: &(impl SentenceScorer + ?Sized), scores: Vec<SentenceScores>) -> SentenceScoring {
        SentenceScoring {
            scorer: scorer.name().to_owned(),
            scores,
            checkworthy_threshold: scorer.checkworthy_threshold(),
            subjective_threshold: scorer.subjective_threshold(),
        }
    }
}

/// How sentences were picked as claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimBasis {
    /// Check-worthiness scores at or above the scorer's threshold.
    Checkworthy,
    /// No scores: declarative sentences of at least [`MIN_CLAIM_WORDS`] words.
    #[default]
    Heuristic,
}

/// The claims stage's result for one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Claims {
    pub basis: ClaimBasis,
    /// The sentence scorer that ran, if any.
    pub scorer: Option<String>,
    /// The outlet's record, when the document has a site or URL.
    pub outlet: Option<OutletLookup>,
    pub summary: ClaimsSummary,
    /// Direct quotes in document order.
    pub quotes: Vec<Quote>,
    /// One per sentence of the segmentation, in order.
    pub sentences: Vec<SentenceClaims>,
}

impl Claims {
    /// The speech quotes (not scare quotes) that start in sentence `sc`, in document order.
    pub fn quotes_starting_in<'a>(&'a self, sc: &'a SentenceClaims) -> impl Iterator<Item = &'a Quote> + 'a {
        sc.quotes.iter().map(|&q| &self.quotes[q]).filter(move |q| q.sentences.0 == sc.sentence && !q.scare_quote)
    }
}

/// Per-document counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimsSummary {
    pub claims: usize,
    /// Claims with a named or vague source.
    pub attributed: usize,
    /// `attributed / claims`, 0–1 (0 without claims).
    pub attributed_share: f64,
    pub named: usize,
    pub vague: usize,
    pub unattributed: usize,
    pub quotes: usize,
    /// Hedge cues in the writer's own voice (outside direct quotes).
    pub hedges: usize,
    pub insinuations: usize,
    /// Sentences scored subjective; `None` without subjectivity scores.
    pub subjective: Option<usize>,
    /// Share of scored sentences that are subjective; `None` without scores.
    pub subjective_share: Option<f64>,
}

/// A stretch of text with its offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    pub text: String,
    #[serde(flatten)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Named,
    Vague,
    None,
}

impl SourceKind {
    /// `named`, `vague` or `none`, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Named => "named",
            SourceKind::Vague => "vague",
            SourceKind::None => "none",
        }
    }
}

/// What a sentence's claim rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub kind: SourceKind,
    /// The speaker as written (for a pronoun, the speaker it stands for); `None` for passive and
    /// adverb cues ("it was reported", "reportedly") and for no source.
    pub speaker: Option<String>,
    /// The sentence the speaker was carried over from, when it was (see the module docs).
    pub carried_from: Option<usize>,
}

impl Source {
    const NONE: Source = Source { kind: SourceKind::None, speaker: None, carried_from: None };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributionKind {
    /// A speech verb: "X said", "said X", "X told reporters".
    Verb,
    AccordingTo,
    /// "it was reported", "it is believed", "is said to", "we are told".
    Passive,
    /// "reportedly", "allegedly", "purportedly".
    Adverb,
}

/// One speech cue and its speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    pub kind: AttributionKind,
    pub cue: Cue,
    /// The speaker as written; `None` for passive and adverb cues.
    pub speaker: Option<Cue>,
    pub source: SourceKind,
    /// For a pronoun speaker, who it was resolved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<String>,
    /// For a pronoun speaker, the sentence it was resolved from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_from: Option<usize>,
}

/// A direct quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The quoted words, without the marks.
    #[serde(flatten)]
    pub span: Span,
    pub text: String,
    /// `false` when the paragraph ended before a closing mark.
    pub closed: bool,
    /// Sentences the quote overlaps (first, last).
    pub sentences: (usize, usize),
    pub source: Source,
    /// Fewer than [`MIN_SPEECH_WORDS`] words and no speaker: a quoted term, not speech.
    pub scare_quote: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hedge {
    pub text: String,
    #[serde(flatten)]
    pub span: Span,
    /// Inside a direct quote: the speaker's hedge, not the writer's.
    pub quoted: bool,
}

/// Everything the claims stage says about one sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceClaims {
    /// Index into the segmentation's sentences.
    pub sentence: usize,
    /// 0–1 from the scorer; `None` without one.
    pub checkworthy: Option<f32>,
    /// 0–1 from the scorer; `None` without one.
    pub subjective: Option<f32>,
    /// A check-worthy sentence (see [`ClaimBasis`]).
    pub claim: bool,
    pub source: Source,
    /// A claim with no source.
    pub unattributed: bool,
    /// Speech cues in the sentence, outside quotes.
    pub attributions: Vec<Attribution>,
    /// Indices into [`Claims::quotes`] of the quotes over this sentence.
    pub quotes: Vec<usize>,
    pub hedges: Vec<Hedge>,
    /// The cue of an insinuating question.
    pub insinuation: Option<Cue>,
}

impl SentenceClaims {
    fn empty(sentence: usize) -> Self {
        SentenceClaims {
            sentence,
            checkworthy: None,
            subjective: None,
            claim: false,
            source: Source::NONE,
            unattributed: false,
            attributions: Vec::new(),
            quotes: Vec::new(),
            hedges: Vec::new(),
            insinuation: None,
        }
    }

    /// Whether the sentence holds a hedge cue (the writer's or a quoted speaker's).
    pub fn hedged(&self) -> bool {
        !self.hedges.is_empty()
    }
}

/// The claims of one document. Fails only if the scores are not one per sentence; any text gets
/// an answer.
pub fn analyze(doc: &Document, seg: &Segmentation, scoring: Option<&SentenceScoring>) -> Result<Claims> {
    let text = doc.text.as_str();
    let index = CharIndex::new(text);
    let cue = |bytes: std::ops::Range<usize>| -> Option<Cue> {
        let span = index.span_from_bytes(bytes)?;
        Some(Cue { text: span.text(text).to_owned(), span })
    };

    let mut sentences: Vec<SentenceClaims> = (0..seg.sentences.len()).map(SentenceClaims::empty).collect();
    let mut quotes_out: Vec<Quote> = Vec::new();
    // The most recent speaker: (sentence, kind, speaker text).
    let mut last_speaker: Option<(usize, SourceKind, String)> = None;
    // The previous quote's source and last sentence, and whether it was left open.
    let mut last_quote: Option<(Source, usize, bool, usize)> = None;

    for (p, paragraph) in seg.paragraphs.iter().enumerate() {
        let Some(tokens) = paragraph_tokens(seg, paragraph) else {
            continue;
        };
        let raw_quotes = quotes::find(text, paragraph.span.bytes());
        let outer: Vec<std::ops::Range<usize>> = raw_quotes.iter().map(|q| q.outer.clone()).collect();
        let words = Words::new(text, tokens, &outer, token_sentences(seg, paragraph, tokens.len()));
        let raw = attribution::find(&words);

        // Pass A: cues in order, pronouns resolved against the speakers before them.
        let mut resolved: Vec<(SourceKind, Option<String>, Option<usize>)> = Vec::with_capacity(raw.len());
        for att in &raw {
            let sentence = sentence_of(seg, &index, att.cue.start);
            let speaker_text = att.speaker.clone().map(|b| text[b].to_owned());
            let (kind, speaker, carried) = match &att.class {
                Speaker::Named => (SourceKind::Named, speaker_text, None),
                Speaker::Vague => (SourceKind::Vague, speaker_text, None),
                Speaker::Pronoun => match (&last_speaker, sentence) {
                    (Some((s, kind, who)), Some(here)) if here.saturating_sub(*s) <= CARRY_SENTENCES => {
                        (*kind, Some(who.clone()), Some(*s))
                    }
                    // "they said" with nobody before: someone, unnamed.
                    _ => (SourceKind::Vague, speaker_text, None),
                },
            };
            if let (Some(s), Some(who)) = (sentence, &speaker) {
                last_speaker = Some((s, kind, who.clone()));
            }
            resolved.push((kind, speaker.clone(), carried));
            if let (Some(s), Some(c)) = (sentence, cue(att.cue.clone())) {
                sentences[s].attributions.push(Attribution {
                    kind: att.kind,
                    cue: c,
                    speaker: att.speaker.clone().and_then(&cue),
                    source: kind,
                    resolved: if matches!(att.class, Speaker::Pronoun) && carried.is_some() { speaker } else { None },
                    resolved_from: carried,
                });
            }
        }

        // Pass B: quotes, each with the cue next to it or a carried speaker.
        for q in &raw_quotes {
            let Some(span) = index.span_from_bytes(q.content.clone()) else {
                continue;
            };
            let first = seg.sentence_at(span.start);
            let last = seg.sentence_at(span.end.saturating_sub(1).max(span.start));
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            // Cues are in text order and none lies inside the quote: only the two on either
            // side can be next to it, so the search stays linear in pathological paragraphs.
            let k = raw.partition_point(|a| a.cue.start < q.outer.start);
            let own = (k.saturating_sub(2)..(k + 2).min(raw.len()))
                .find(|&i| raw[i].speaker.is_some() && adjacent(text, &raw[i], &q.outer));
            let words_in = text[q.content.clone()].split_whitespace().count();
            let source = match own {
                Some(i) => Source { kind: resolved[i].0, speaker: resolved[i].1.clone(), carried_from: resolved[i].2 },
                None if words_in < MIN_SPEECH_WORDS => Source::NONE,
                None => carried_source(&last_quote, &last_speaker, p, first),
            };
            let scare_quote = own.is_none() && words_in < MIN_SPEECH_WORDS;
            if let Some(who) = &source.speaker {
                last_speaker = Some((last, source.kind, who.clone()));
            }
            if !scare_quote {
                last_quote = Some((source.clone(), last, !q.closed, p));
            }
            let n = quotes_out.len();
            for sc in sentences.iter_mut().take(last + 1).skip(first) {
                sc.quotes.push(n);
            }
            quotes_out.push(Quote {
                span,
                text: span.text(text).to_owned(),
                closed: q.closed,
                sentences: (first, last),
                source,
                scare_quote,
            });
        }
    }

    // Scores.
    if let Some(s) = scoring {
        if s.scores.len() != seg.sentences.len() {
            return Err(Error::Scorer {
                scorer: s.scorer.clone(),
                message: format!("{} scores for {} sentences", s.scores.len(), seg.sentences.len()),
            });
        }
    }
    let scores = scoring.map(|s| &s.scores);
    let has_checkworthy = scores.as_ref().is_some_and(|v| v.iter().any(|s| s.checkworthy.is_some()));

    // Per sentence: source, flags, claim.
    for (i, sentence) in seg.sentences.iter().enumerate() {
        let bytes = sentence.span.bytes();
        let quote_ranges: Vec<Span> = sentences[i].quotes.iter().map(|&q| quotes_out[q].span).collect();
        let sc = &mut sentences[i];
        sc.source = sentence_source(sc, &quotes_out);
        sc.hedges = hedges::hedges(text, bytes.clone())
            .into_iter()
            .filter_map(|b| {
                let c = cue(b)?;
                let quoted = quote_ranges.iter().any(|q| q.start <= c.span.start && c.span.end <= q.end);
                Some(Hedge { text: c.text, span: c.span, quoted })
            })
            .collect();
        sc.insinuation = hedges::insinuation(text, bytes.clone())
            .filter(|_| !question_is_quoted(sentence, &quote_ranges))
            .and_then(&cue)
            .filter(|c| !quote_ranges.iter().any(|q| q.start <= c.span.start && c.span.end <= q.end));
        if let Some(scores) = &scores {
            sc.checkworthy = scores[i].checkworthy;
            sc.subjective = scores[i].subjective;
        }
        sc.claim = !furniture::is_furniture(text, &seg.tokens, sentence)
            && match (sc.checkworthy, scoring) {
                (Some(score), Some(s)) => score >= s.checkworthy_threshold,
                _ if has_checkworthy => false,
                _ => is_declarative(text, seg, sentence),
            };
        sc.unattributed = sc.claim && sc.source.kind == SourceKind::None;
    }

    let summary = summarise(&sentences, &quotes_out, scoring);
    let outlet = doc.meta.url.as_deref().or(doc.meta.site.as_deref()).map(outlet::lookup);
    Ok(Claims {
        basis: if has_checkworthy { ClaimBasis::Checkworthy } else { ClaimBasis::Heuristic },
        scorer: scoring.map(|s| s.scorer.clone()),
        outlet,
        summary,
        quotes: quotes_out,
        sentences,
    })
}

/// The claims of `text` taken as one sentence, whatever its punctuation (sentence mode: one
/// line, one sentence).
pub fn analyze_sentence(text: &str, scoring: Option<&SentenceScoring>) -> Result<SentenceClaims> {
    let doc = Document { id: String::new(), text: text.to_owned(), meta: crate::Metadata::default() };
    let seg = one_sentence(text);
    // A text with no token is no sentence: its score (if any) has nothing to attach to.
    let scoring = scoring.filter(|_| !seg.sentences.is_empty());
    let mut claims = analyze(&doc, &seg, scoring)?;
    Ok(if claims.sentences.is_empty() { SentenceClaims::empty(0) } else { claims.sentences.swap_remove(0) })
}

/// A segmentation of `text` as one paragraph holding one sentence, with the segmenter's tokens.
pub fn one_sentence(text: &str) -> Segmentation {
    let full = crate::segment::segment(text);
    let (Some(first), Some(last)) = (full.tokens.first(), full.tokens.last()) else {
        return Segmentation::default();
    };
    let span = first.span.to(&last.span);
    let n = full.tokens.len();
    Segmentation {
        paragraphs: vec![Paragraph { span, sentences: 0..1 }],
        sentences: vec![Sentence { span, paragraph: 0, tokens: 0..n }],
        tokens: full.tokens,
    }
}

/// The tokens of a paragraph's sentences.
fn paragraph_tokens<'s>(seg: &'s Segmentation, paragraph: &Paragraph) -> Option<&'s [crate::segment::Token]> {
    let first = seg.sentences.get(paragraph.sentences.start)?;
    let last = seg.sentences.get(paragraph.sentences.end.checked_sub(1)?)?;
    seg.tokens.get(first.tokens.start..last.tokens.end)
}

/// The sentence of each token of a paragraph (as [`paragraph_tokens`] gives them).
fn token_sentences(seg: &Segmentation, paragraph: &Paragraph, n: usize) -> Vec<usize> {
    let mut out = vec![usize::MAX; n];
    let base = seg.sentences.get(paragraph.sentences.start).map_or(0, |s| s.tokens.start);
    for s in paragraph.sentences.clone() {
        for t in seg.sentences[s].tokens.clone() {
            if let Some(slot) = out.get_mut(t - base) {
                *slot = s;
            }
        }
    }
    out
}

fn sentence_of(seg: &Segmentation, index: &CharIndex, byte: usize) -> Option<usize> {
    seg.sentence_at(index.char_of(byte)?)
}

/// Whether cue `a` sits right next to a quote: after it (`"…," said Smith`) or before it
/// (`Smith said: "…"`), with only spaces and punctuation between.
fn adjacent(text: &str, a: &RawAttribution, outer: &std::ops::Range<usize>) -> bool {
    let gap = |from: usize, to: usize| {
        text.get(from..to)
            .is_some_and(|g| g.chars().all(|c| c.is_whitespace() || matches!(c, ',' | ':' | ';' | '—' | '–' | '-')))
    };
    (a.extent.start >= outer.end && gap(outer.end, a.extent.start))
        || (a.extent.end <= outer.start && gap(a.extent.end, outer.start))
}

/// The speaker an uncued quote starting in sentence `first` of paragraph `p` inherits.
fn carried_source(
    last_quote: &Option<(Source, usize, bool, usize)>,
    last_speaker: &Option<(usize, SourceKind, String)>,
    p: usize,
    first: usize,
) -> Source {
    if let Some((source, q_last, open, q_par)) = last_quote {
        let continues = *q_par == p || (*open && *q_par + 1 == p) || *q_last + 1 >= first;
        if continues && source.kind != SourceKind::None {
            return Source { carried_from: source.carried_from.or(Some(*q_last)), ..source.clone() };
        }
    }
    match last_speaker {
        Some((s, kind, who)) if *s + 1 >= first => {
            Source { kind: *kind, speaker: Some(who.clone()), carried_from: Some(*s) }
        }
        _ => Source::NONE,
    }
}

/// A sentence's source: its first cue with a speaker, then a quote over it, then a passive or
/// adverb cue.
fn sentence_source(sc: &SentenceClaims, quotes: &[Quote]) -> Source {
    if let Some(a) = sc.attributions.iter().find(|a| a.speaker.is_some()) {
        let speaker = a.resolved.clone().or_else(|| a.speaker.as_ref().map(|s| s.text.clone()));
        return Source { kind: a.source, speaker, carried_from: a.resolved_from };
    }
    if let Some(q) = sc.quotes.iter().map(|&q| &quotes[q]).find(|q| q.source.kind != SourceKind::None) {
        return q.source.clone();
    }
    if sc.attributions.iter().any(|a| a.source == SourceKind::Vague) {
        return Source { kind: SourceKind::Vague, speaker: None, carried_from: None };
    }
    Source::NONE
}

/// A question whose `?` lies inside a quote is the speaker's, not the writer's.
fn question_is_quoted(sentence: &Sentence, quotes: &[Span]) -> bool {
    quotes.iter().any(|q| q.start <= sentence.span.end && sentence.span.end <= q.end + 1)
}

/// The claim heuristic: at least [`MIN_CLAIM_WORDS`] words and not a question.
fn is_declarative(text: &str, seg: &Segmentation, sentence: &Sentence) -> bool {
    let words =
        seg.tokens.get(sentence.tokens.clone()).map_or(0, |t| t.iter().filter(|t| t.kind != TokenKind::Punct).count());
    let body = sentence
        .span
        .text(text)
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ')' | '»'));
    words >= MIN_CLAIM_WORDS && !body.ends_with('?')
}

fn summarise(sentences: &[SentenceClaims], quotes: &[Quote], scoring: Option<&SentenceScoring>) -> ClaimsSummary {
    let claims: Vec<&SentenceClaims> = sentences.iter().filter(|s| s.claim).collect();
    let count = |kind| claims.iter().filter(|s| s.source.kind == kind).count();
    let (named, vague) = (count(SourceKind::Named), count(SourceKind::Vague));
    let scored: Vec<f32> = sentences.iter().filter_map(|s| s.subjective).collect();
    let threshold = scoring.map_or(0.5, |s| s.subjective_threshold);
    let subjective = (!scored.is_empty()).then(|| scored.iter().filter(|&&x| x >= threshold).count());
    ClaimsSummary {
        claims: claims.len(),
        attributed: named + vague,
        attributed_share: share(named + vague, claims.len()),
        named,
        vague,
        unattributed: claims.len() - named - vague,
        quotes: quotes.iter().filter(|q| !q.scare_quote).count(),
        hedges: sentences.iter().flat_map(|s| &s.hedges).filter(|h| !h.quoted).count(),
        insinuations: sentences.iter().filter(|s| s.insinuation.is_some()).count(),
        subjective,
        subjective_share: subjective.map(|n| share(n, scored.len())),
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        crate::report::round4(part as f64 / whole as f64)
    }
}
