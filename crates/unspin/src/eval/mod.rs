//! Scoring: the metrics of SemEval-2020 Task 11, computed as the organizers' scorers compute them.
//!
//! This is not a pipeline stage. It reads label files — gold annotations and a system's output,
//! ours or anyone's — and measures how well the output agrees with the gold:
//!
//! | module | task | what is compared | score |
//! |---|---|---|---|
//! | [`labels`] | — | reads SI, FLC/TC and TC template files; writes TC lines in template order | — |
//! | [`si`] | span identification | spans, any technique | partial-credit P/R/F1 over characters |
//! | [`flc`] | fragment-level classification | spans and their technique | the SI credit within each technique |
//! | [`tc`] | technique classification | the technique of given spans | micro P/R/F1 over lines, F1 per technique |
//!
//! Offsets are compared as numbers; no article text is needed, so the spans here are plain
//! code-point ranges rather than [`crate::Span`]s (which also carry byte offsets into a text).
//!
//! The implementations are checked against the output of the official scorers on the PTC
//! training split (`tests/scorer.rs`) and agree to every printed decimal.
//!
//! ```
//! use std::path::Path;
//! use unspin::eval::{labels, score_si};
//!
//! let gold = labels::parse_si(Path::new("gold"), "701\t10\t20\n")?;
//! let pred = labels::parse_si(Path::new("pred"), "701\t15\t25\n701\t24\t30\n")?;
//! // The two predictions overlap, so they are merged into 15..30 before scoring:
//! // 5 of its 15 characters are gold, and 5 of gold's 10 are found.
//! let s = score_si(&gold, &pred);
//! assert_eq!((s.precision_denominator, s.recall_denominator), (1, 1));
//! assert_eq!(format!("{:.4} {:.4} {:.4}", s.precision, s.recall, s.f1), "0.3333 0.5000 0.4000");
//! # Ok::<(), unspin::Error>(())
//! ```

pub mod flc;
pub mod labels;
pub mod si;
pub mod tc;

pub use flc::{score_flc, FlcScores, TechniqueSpanScores};
pub use labels::{ArticleSpan, TechniqueLabel};
pub use si::{score_si, SpanScores};
pub use tc::{score_tc, TcScores, TechniqueCounts};

/// Version of the JSON schema of evaluation results (`major.minor`), separate from the analysis
/// output's [`crate::report::SCHEMA_VERSION`].
pub const SCHEMA_VERSION: &str = "1.0";
