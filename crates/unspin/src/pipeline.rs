//! The stages in order, for one document.

use crate::detect::Detector;
use crate::report::Analysis;
use crate::segment;
use crate::Document;

/// Runs segmentation and every detector over a document. Cheap to share between threads: one
/// pipeline (and its loaded models) serves all workers.
#[derive(Default)]
pub struct Pipeline {
    detectors: Vec<Box<dyn Detector>>,
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

    pub fn detectors(&self) -> impl Iterator<Item = &dyn Detector> {
        self.detectors.iter().map(|d| d.as_ref())
    }

    /// Analyse one document.
    pub fn analyze(&self, document: Document) -> Analysis {
        let segmentation = segment::segment(&document.text);
        let mut spans: Vec<_> =
            self.detectors.iter().flat_map(|d| d.detect(&document, &segmentation)).collect();
        // Document order; ties broken so that output is the same on every run.
        spans.sort_by(|a, b| {
            (a.span.start, a.span.end, a.technique, &a.detector).cmp(&(b.span.start, b.span.end, b.technique, &b.detector))
        });
        spans.dedup_by(|a, b| a.span == b.span && a.technique == b.technique);
        Analysis::new(document, segmentation, spans)
    }
}
