"""Runs a shipped model folder the way the Rust detector does, in Python, for parity checks.

    python reference.py --model ../models/unspin-ptc-minilm ARTICLE.txt... > reference.labels

Same tokenizer (BERT WordPiece from the folder's vocab.txt), same windows and batches (longest
first, 8 per call), the same ONNX graph through ONNX Runtime, the same decoding (`ptc.py`, the
NumPy span head of `train.py`). Prints FLC lines (`id<TAB>technique<TAB>start<TAB>end<TAB>conf`);
`unspin analyze --format semeval` on the same files should print the same spans.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

import ptc


class Head:
    def __init__(self, tensors):
        self.w1 = tensors["span_head.0.weight"].astype(np.float64)
        self.b1 = tensors["span_head.0.bias"].astype(np.float64)
        self.w2 = tensors["span_head.3.weight"].astype(np.float64)
        self.b2 = tensors["span_head.3.bias"].astype(np.float64)

    def __call__(self, x):
        import math

        z = self.w1 @ x + self.b1
        z = 0.5 * z * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in z]))
        z = self.w2 @ z + self.b2
        z = np.exp(z - z.max())
        return z / z.sum()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("articles", type=Path, nargs="+")
    args = ap.parse_args()

    import onnxruntime as ort
    from safetensors.numpy import load_file
    from tokenizers import BertWordPieceTokenizer

    from train import Reader

    cfg = json.loads((args.model / "config.json").read_text())
    tok = BertWordPieceTokenizer(str(args.model / "vocab.txt"), lowercase=True)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(str(args.model / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    head = Head(load_file(str(args.model / "model.safetensors")))
    thr = cfg["thresholds"]
    thr = {"any": thr["any"], "second": thr["second"], "tech": thr["technique"]}
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
        n = len(a.ids)
        if n == 0:
            continue
        starts = ptc.inference_windows(n)
        length = lambda w: min(starts[w] + content, n) - starts[w]
        order = sorted(range(len(starts)), key=lambda w: (-length(w), w))
        sums = np.zeros((n, len(cfg["token_channels"])))
        counts = np.zeros(n)
        hidden = [None] * len(starts)
        for b0 in range(0, len(order), args.batch):
            chunk = order[b0:b0 + args.batch]
            T = length(chunk[0]) + 2
            ids = np.zeros((len(chunk), T), dtype=np.int64)
            mask = np.zeros((len(chunk), T), dtype=np.int64)
            for b, w in enumerate(chunk):
                L = length(w)
                ids[b, 0], ids[b, 1:L + 1], ids[b, L + 1] = cls, a.ids[starts[w]:starts[w] + L], sep
                mask[b, :L + 2] = 1
            logits, h = sess.run(None, {"input_ids": ids, "attention_mask": mask})
            p = 1.0 / (1.0 + np.exp(-logits.astype(np.float32)))
            for b, w in enumerate(chunk):
                L = length(w)
                sums[starts[w]:starts[w] + L] += p[b, 1:L + 1]
                counts[starts[w]:starts[w] + L] += 1
                hidden[w] = h[b, :L + 2].astype(np.float64)
        r = Reader.__new__(Reader)
        r.a, r.probs, r.starts, r.hidden = a, sums / counts[:, None], starts, hidden
        r.lower, r.cache, r.run_cache, r.head = text.lower(), {}, {}, head
        for s, e, t, conf in sorted(r.decode(thr)):
            sys.stdout.write(f"{aid}\t{labels[t]}\t{s}\t{e}\t{conf:.4f}\n")


if __name__ == "__main__":
    main()
