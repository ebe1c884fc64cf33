"""Runs a shipped model folder the way the Rust detector does, in Python, for parity checks.

    python reference.py --model ../models/unspin-ptc-minilm ARTICLE.txt... > reference.labels

Same tokenizer (WordPiece from the folder's vocabulary and the tokenizer its config.json names),
same windows and batches (longest first, 8 per call), the same ONNX graph through ONNX Runtime,
the same decoding (`ptc.py`, the NumPy span head of `train.py`). Prints FLC lines (`id<TAB>technique<TAB>start<TAB>end<TAB>conf`);
`unspin analyze --format semeval` on the same files should print the same spans.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import ptc
import u8_graph


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("articles", type=Path, nargs="+")
    args = ap.parse_args()

    import onnxruntime as ort
    from safetensors.numpy import load_file

    from train import Reader, SpanHead

    cfg = json.loads((args.model / "config.json").read_text())
    tok, (cls, sep, pad) = ptc.model_tokenizer(args.model, cfg)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    # As the Rust engine (engine/onnxruntime.rs): level 3, without the skip-layer-norm fusions.
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = u8_graph.session(args.model, opts, disabled_optimizers=["SkipLayerNormFusion", "BiasSkipLayerNormFusion"])
    head = SpanHead(tensors=load_file(str(args.model / "model.safetensors")))
    thr = ptc.decoding_settings(cfg)
    content = cfg["max_len"] - 2
    labels = cfg["labels"]

    for path in args.articles:
        text = path.read_text(encoding="utf-8")
        aid = path.stem[len("article"):] if path.stem.startswith("article") else path.stem
        a = ptc.Article(aid, text)
        enc = tok.encode(text, add_special_tokens=False)
        a.ids = np.asarray(enc.ids, dtype=np.int64)
        a.offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        a.cont = np.array([t.startswith("##") for t in enc.tokens], dtype=bool)
        if len(a.ids) == 0:
            continue

        def forward(ids, mask):
            logits, h = sess.run(None, {"input_ids": ids, "attention_mask": mask})
            return 1.0 / (1.0 + np.exp(-logits.astype(np.float32))), h

        probs, starts, hidden = ptc.read_windows(a.ids, cls, sep, content, args.batch, forward, pad=pad)
        r = Reader(a, probs, starts, hidden, head)
        for s, e, t, conf in sorted(r.decode(thr)):
            sys.stdout.write(f"{aid}\t{labels[t]}\t{s}\t{e}\t{conf:.4f}\n")


if __name__ == "__main__":
    main()
