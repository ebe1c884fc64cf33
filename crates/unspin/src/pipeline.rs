//! The stages in order, for one document.

use crate::claims::{self, SentenceScorer, SentenceScoring};
use crate::detect::Detector;
use crate::error::{Error, Result};
use crate::report::Analysis;
use crate::segment;
use crate::Document;

/// Runs segmentation, every detector and the claims stage over a document. Cheap to share between threads: one
/// pipeline (and its loaded models) serves all workers.
#[derive(Default)]
pub struct Pipeline {
    detectors: Vec<Box<dyn Detector>>,
    /// Check-worthiness and subjectivity per sentence from a classifier of its own; without one,
    /// from the first detector whose model scores sentences in its own pass.
    scorer: Option<Box<dyn SentenceScorer>>,
    /// Spans less confident than this are dropped before anything counts or writes them.
    min_confidence: f32,
}

impl Pipeline {
    /// A pipeline with no detectors: ingestion and segmentation only.
    pub fn new() -> Self {
        Pipeline::default()
    }

    pub fn with_detector(mut self, detector: impl Detector + 'static) -> Self {
        self.detectors.push(Box::new(detector));
        self
    }

    /// Score sentences for check-worthiness and subjectivity with `scorer`, in place of any
    /// detector's sentence heads. Without either, the claims stage leaves those scores empty.
    pub fn with_sentence_scorer(mut self, scorer: impl SentenceScorer + 'static) -> Self {
        self.scorer = Some(Box::new(scorer));
        self
    }

    /// Drop spans whose confidence is below `min` (0–1; the default 0 keeps every span). The
    /// filter runs before statistics, so counts and scores describe only the spans that are kept.
    pub fn with_min_confidence(mut self, min: f32) -> Result<Self> {
        self.min_confidence = checked_confidence(min)?;
        Ok(self)
    }

    pub fn min_confidence(&self) -> f32 {
        self.min_confidence
    }

    pub fn detectors(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors.iter().map(|d| d.as_ref())
    }

    /// Analyse one document. Fails only if a detector or the sentence scorer fails (a model that cannot run); any text
    /// gets an analysis.
    pub fn analyze(&self, document: Document) -> Result<Analysis> {
        self.analyze_with(document, self.min_confidence)
    }

    /// [`Pipeline::analyze`] with another minimum confidence for this document only: a server
    /// shares one pipeline (and its model) among requests that each ask for their own.
    pub fn analyze_with(&self, document: Document, min_confidence: f32) -> Result<Analysis> {
        let min_confidence = checked_confidence(min_confidence)?;
        let segmentation = segment::segment(&document.text);
        let mut spans = Vec::new();
        let mut scoring = match &self.scorer {
            Some(scorer) => Some(SentenceScoring::from_scorer(scorer.as_ref(), &document, &segmentation)?),
            None => None,
        };
        for detector in &self.detectors {
            // Once sentences are scored, later detectors need not pool their own.
            if scoring.is_some() {
                spans.extend(detector.detect(&document, &segmentation)?);
            } else {
                let found = detector.detect_with_sentences(&document, &segmentation)?;
                spans.extend(found.spans);
                scoring = found.sentences;
            }
        }
        // At the default 0 nothing is dropped, not even a span whose confidence is NaN.
        if min_confidence > 0.0 {
            spans.retain(|s| s.confidence >= min_confidence);
        }
        // Document order; ties broken so that output is the same on every run.
        spans.sort_by(|a, b| {
            (a.span.start, a.span.end, a.technique, &a.detector).cmp(&(b.span.start, b.span.end, b.technique, &b.detector))
        });
        spans.dedup_by(|a, b| a.span == b.span && a.technique == b.technique);
        let claims = claims::analyze(&document, &segmentation, scoring.as_ref())?;
        Ok(Analysis::new(document, segmentation, spans, claims))
    }
}

/// `min` if it is a usable minimum confidence (0 to 1; NaN is not), so that front ends can refuse
/// a bad one before any work starts.
pub fn checked_confidence(min: f32) -> Result<f32> {
    if (0.0..=1.0).contains(&min) {
        Ok(min)
    } else {
        Err(Error::Setting(format!("minimum confidence must be a number from 0 to 1, not {min}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::{Technique, TechniqueSpan};
    use crate::offsets::CharIndex;
    use crate::segment::Segmentation;
    use crate::Metadata;

    /// Finds each of its words in the text, with the confidence given.
    struct Words(Vec<(&'static str, f32)>);

    impl Detector for Words {
        fn name(&self) -> &str {
            "words"
        }

        fn detect(&self, doc: &Document, segmentation: &Segmentation) -> Result<Vec<TechniqueSpan>> {
            let index = CharIndex::new(&doc.text);
            Ok(self
                .0
                .iter()
                .filter_map(|&(word, confidence)| {
                    let at = doc.text.find(word)?;
                    let span = index.span_from_bytes(at..at + word.len())?;
                    Some(TechniqueSpan {
                        technique: Technique::LoadedLanguage,
                        span,
                        text: word.to_owned(),
                        confidence,
                        sentence: segmentation.sentence_at(span.start),
                        detector: self.name().to_owned(),
                    })
                })
                .collect())
        }
    }

    const TEXT: &str = "A shameful, reckless plan. Critics call it a disaster.";

    fn kept(pipeline: &Pipeline) -> Vec<String> {
        let analysis = pipeline.analyze(Document::new("1", TEXT, Metadata::default())).unwrap();
        assert_eq!(analysis.stats.spans, analysis.spans.len(), "stats count what was kept");
        analysis.spans.iter().map(|s| s.span.text(TEXT).to_owned()).collect()
    }

    #[test]
    fn spans_below_the_minimum_confidence_are_dropped_before_stats() {
        let words = || Words(vec![("shameful", 0.3), ("reckless", 0.5), ("disaster", 0.9), ("plan", f32::NAN)]);
        let all = Pipeline::new().with_detector(words());
        assert_eq!(kept(&all), ["shameful", "reckless", "plan", "disaster"]);
        let half = Pipeline::new().with_detector(words()).with_min_confidence(0.5).unwrap();
        assert_eq!(half.min_confidence(), 0.5);
        assert_eq!(kept(&half), ["reckless", "disaster"], "0.5 itself is kept");
        let analysis = half.analyze(Document::new("1", TEXT, Metadata::default())).unwrap();
        assert_eq!(analysis.stats.score, 0.7, "mean of 0.5 and 0.9 over the two sentences");
        let top = Pipeline::new().with_detector(words()).with_min_confidence(1.0).unwrap();
        assert!(kept(&top).is_empty());
    }

    #[test]
    fn a_minimum_outside_0_to_1_is_refused() {
        for bad in [-0.1, 1.01, f32::NAN, f32::INFINITY] {
            let err = Pipeline::new().with_min_confidence(bad).err().unwrap();
            assert!(matches!(err, Error::Setting(_)), "{bad}: {err:?}");
            assert!(err.to_string().starts_with("minimum confidence must be a number from 0 to 1, not "), "{err}");
        }
        assert!(Pipeline::new().with_min_confidence(0.0).is_ok());
    }

    #[test]
    fn a_per_document_minimum_overrides_the_pipelines() {
        let words = Words(vec![("shameful", 0.3), ("reckless", 0.5), ("disaster", 0.9)]);
        let pipeline = Pipeline::new().with_detector(words).with_min_confidence(0.4).unwrap();
        let doc = || Document::new("1", TEXT, Metadata::default());
        let texts = |a: Analysis| a.spans.iter().map(|s| s.span.text(TEXT).to_owned()).collect::<Vec<_>>();
        assert_eq!(texts(pipeline.analyze(doc()).unwrap()), ["reckless", "disaster"]);
        assert_eq!(texts(pipeline.analyze_with(doc(), 0.0).unwrap()), ["shameful", "reckless", "disaster"]);
        assert_eq!(texts(pipeline.analyze_with(doc(), 0.6).unwrap()), ["disaster"]);
        assert!(matches!(pipeline.analyze_with(doc(), 1.5), Err(Error::Setting(_))));
    }
}
