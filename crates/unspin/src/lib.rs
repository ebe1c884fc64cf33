//! unspin: read news text and show how it tries to persuade.
//!
//! A document flows through stages, one module each, in this order:
//!
//! 1. [`ingest`]: plain text, HTML, JSON Lines and WARC become [`Document`]s with clean text and
//!    metadata (title, byline, date, site, language).
//! 2. [`segment`]: paragraphs, sentences and word tokens, each with char and byte offsets.
//! 3. [`detect`]: technique spans from one or more [`detect::Detector`]s; the shipped model's
//!    encoder pass also gives every sentence's check-worthiness and subjectivity
//!    ([`detect::Detection`]).
//! 4. [`claims`]: per sentence, those scores (or a [`claims::SentenceScorer`]'s), the source a
//!    claim rests on (quotes,
//!    speech cues, named or vague speakers), hedges and insinuating questions; and the outlet's
//!    record.
//! 5. [`report`]: the typed, versioned [`report::Analysis`] and its renderings (JSON, JSON Lines,
//!    SemEval, brat, Label Studio, terminal).
//!
//! After the stages, [`corpus`] stores analyses in an SQLite database and aggregates them
//! (corpus mode: `unspin index`, `unspin trends`).
//!
//! Beside the stages, [`eval`] scores label files (ours or another system's) against gold with
//! the SemEval-2020 Task 11 metrics.
//!
//! [`pipeline::Pipeline`] drives the stages for one document; front ends (the CLI, the server,
//! the Python package) feed it documents and hand its output to a writer.
//!
//! ```
//! use unspin::{Document, Metadata, Pipeline};
//!
//! let text = "Who really benefits? Nobody in the capital will say.";
//! let doc = Document::new("1", text, Metadata::default());
//! let analysis = Pipeline::new().analyze(doc)?;
//! let sentences: Vec<&str> =
//!     analysis.segmentation.sentences.iter().map(|s| s.span.text(text)).collect();
//! assert_eq!(sentences, ["Who really benefits?", "Nobody in the capital will say."]);
//! # Ok::<(), unspin::Error>(())
//! ```
//!
//! Every span in the crate is a [`Span`]: char offsets (Unicode code points, as SemEval, brat,
//! Label Studio and Python count) and byte offsets (what Rust slices with), converted in one place,
//! [`offsets::CharIndex`].

pub mod claims;
pub mod corpus;
pub mod detect;
pub mod document;
pub mod error;
pub mod eval;
pub mod ingest;
pub mod offsets;
pub mod pipeline;
pub mod report;
pub mod segment;

pub use document::{Document, Metadata};
pub use error::{Error, Result};
pub use offsets::{CharIndex, Span};
pub use pipeline::Pipeline;
