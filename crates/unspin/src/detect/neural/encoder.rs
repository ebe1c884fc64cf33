//! A model folder's tokenizer and encoder together: token ids in, framed and padded batches
//! through the [`engine`](super::engine), outputs back. The technique detector and the sentence
//! model both read text through this.

use std::path::Path;

use crate::detect::wordpiece::{TokenizerSpec, WordPiece};
use crate::error::Result;

use super::engine::{Engine, EngineOptions, Forward};

pub(crate) struct Encoder {
    pub tokenizer: WordPiece,
    engine: Engine,
}

impl Encoder {
    /// The tokenizer `spec` names and the encoder graphs in `dir`.
    pub fn load(dir: &Path, spec: &TokenizerSpec, options: &EngineOptions) -> Result<Encoder> {
        let tokenizer = WordPiece::from_spec(spec, dir)?;
        let engine = Engine::load(dir, options)?;
        Ok(Encoder { tokenizer, engine })
    }

    /// Which engine runs the encoder, and at what precision (e.g. `openvino (bf16)`).
    pub fn description(&self) -> &str {
        self.engine.description()
    }

    /// One encoder call on `rows` of token ids (the longest first), each wrapped in the model's
    /// framing tokens (`[CLS]` … `[SEP]`, `<s>` … `</s>`: the tokenizer spec's `cls` and `sep`)
    /// and padded with its `pad` to the first's length. Returns the outputs and that padded
    /// length.
    pub fn forward(&self, rows: &[&[u32]]) -> Result<(Forward, usize)> {
        self.forward_padded(rows, 0)
    }

    /// [`Encoder::forward`], padded to at least `len` tokens: fewer distinct shapes, which
    /// OpenVINO prepares once each.
    pub fn forward_padded(&self, rows: &[&[u32]], len: usize) -> Result<(Forward, usize)> {
        let special = self.tokenizer.special_ids();
        let t = (rows.first().map_or(0, |r| r.len()) + 2).max(len);
        let mut input = vec![i64::from(special.pad); rows.len() * t];
        let mut mask = vec![0i64; rows.len() * t];
        for (b, ids) in rows.iter().enumerate() {
            let l = ids.len();
            let row = &mut input[b * t..(b + 1) * t];
            row[0] = i64::from(special.cls);
            for (slot, &id) in row[1..=l].iter_mut().zip(ids.iter()) {
                *slot = i64::from(id);
            }
            row[l + 1] = i64::from(special.sep);
            mask[b * t..b * t + l + 2].iter_mut().for_each(|m| *m = 1);
        }
        let out = self.engine.forward(input, mask, rows.len(), t)?;
        Ok((out, t))
    }
}
