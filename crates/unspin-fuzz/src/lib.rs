//! Fuzz target bodies: one `pub fn TARGET(data: &[u8])` per parser of outside input.
//!
//! A target feeds the bytes to the library's real entry point and then checks what holds for
//! every output, so that the fuzzer finds wrong answers as well as panics: spans lie on char
//! boundaries, their char and byte offsets describe the same code points, their `text` is the
//! slice they cover, indices point at things that exist. A bad input must give an `Err`, never a
//! panic; a broken invariant is a panic here, which the fuzzer reports as a crash.
//!
//! Nothing here depends on a fuzzer. `tests/replay.rs` runs every file of `fuzz/corpus/TARGET/`
//! and `fuzz/regressions/TARGET/` through the matching function under `cargo test`, and the
//! crate `fuzz/` (outside the workspace) wraps each function in a libFuzzer binary. See
//! `docs/fuzzing.md`.

mod check;
mod claims;
mod ingest;
mod labels;
mod model;
mod segment;
mod server;

pub use claims::claims;
pub use ingest::{html, jsonl, text, warc};
pub use labels::labels;
pub use model::{model_config, wordpiece};
pub use segment::segment;
pub use server::{server, url};

/// A target: its name (the folder of its corpus, the fuzz binary) and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, in pipeline order.
pub const TARGETS: &[Target] = &[
    ("text", text),
    ("html", html),
    ("jsonl", jsonl),
    ("warc", warc),
    ("segment", segment),
    ("wordpiece", wordpiece),
    ("model_config", model_config),
    ("labels", labels),
    ("claims", claims),
    ("server", server),
    ("url", url),
];

/// The body of the target called `name`.
pub fn target(name: &str) -> Option<fn(&[u8])> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|&(_, f)| f)
}
