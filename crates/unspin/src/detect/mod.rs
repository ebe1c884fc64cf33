//! Stage 3: technique spans.
//!
//! A [`Detector`] looks at a document and its segmentation and returns [`TechniqueSpan`]s. The
//! pipeline runs every detector it was built with and merges their spans in document order. The
//! technique inventory is the 14 classes of SemEval-2020 Task 11 ([`Technique`]).
//!
//! Detectors:
//! - [`neural::NeuralDetector`]: the fine-tuned encoder that ships with unspin (the default);
//! - [`imported::ImportedSpans`]: spans read from SemEval-format label files (gold annotations or
//!   another system's predictions), so they can be viewed and converted to every output format.

pub mod imported;
pub mod neural;
mod technique;
pub mod wordpiece;

use serde::{Deserialize, Serialize};

pub use technique::{Technique, UnknownTechnique};

use crate::claims::SentenceScoring;
use crate::offsets::Span;
use crate::segment::Segmentation;
use crate::Document;

/// One stretch of text that uses a technique.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechniqueSpan {
    pub technique: Technique,
    #[serde(flatten)]
    pub span: Span,
    /// The covered text, copied so that output records stand on their own.
    pub text: String,
    /// 0–1; 1.0 for imported annotations.
    pub confidence: f32,
    /// Index of the sentence the span starts in.
    pub sentence: Option<usize>,
    /// Which detector produced the span.
    pub detector: String,
}

/// What one detector gives for a document: its spans and, from a detector whose encoder also
/// feeds sentence heads, the check-worthiness and subjectivity of every sentence from the same
/// forward pass (the claims stage reads them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detection {
    pub spans: Vec<TechniqueSpan>,
    pub sentences: Option<SentenceScoring>,
}

/// Something that finds technique spans in a document.
pub trait Detector: Send + Sync {
    /// Short stable name, recorded in every span it produces.
    fn name(&self) -> &str;

    /// Spans in `doc`; offsets refer to `doc.text`. Order does not matter: the pipeline sorts.
    /// An error means the detector itself failed (a model that cannot run), not bad input: any
    /// text, however odd, gets spans (possibly none).
    fn detect(&self, doc: &Document, segmentation: &Segmentation) -> crate::Result<Vec<TechniqueSpan>>;

    /// Spans plus, when the detector's model has sentence heads, sentence scores read off the
    /// same pass. The pipeline calls this; the default gives [`Detector::detect`]'s spans alone.
    fn detect_with_sentences(&self, doc: &Document, segmentation: &Segmentation) -> crate::Result<Detection> {
        Ok(Detection { spans: self.detect(doc, segmentation)?, sentences: None })
    }
}
