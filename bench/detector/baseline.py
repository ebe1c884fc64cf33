"""The Python peer of `unspin analyze`: the same weights, windows and decoding, run by PyTorch.

    python baseline.py --model models/unspin-ptc-minilm --threads 2 ARTICLES_DIR

Rebuilds the encoder in `transformers` (f32; the architecture from the folder's encoder.json, or
all-MiniLM-L6-v2's BERT for folders without one) from the shipped model.safetensors: the
int8 matrices are dequantized (q - zero_point) * scale, so PyTorch computes with exactly the
weights ONNX Runtime sees, in f32. Windows, batching and decoding are those of the Rust detector
(training/ptc.py, training/reference.py). Prints one JSON line: articles, tokens, seconds (model
load excluded, as for a long-running Python service), forward-only seconds, spans found.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "training"))

import ptc  # noqa: E402
from train import Reader, SpanHead  # noqa: E402


def dequantized(tensors: dict, name: str) -> np.ndarray:
    key = "onnx." + name
    if key in tensors:
        return tensors[key].astype(np.float32)
    q = tensors[key + "_quantized"].astype(np.float32)
    scale = tensors["onnx." + name + "_scale"].astype(np.float32)
    zero = tensors["onnx." + name + "_zero_point"].astype(np.float32)
    if scale.ndim == 0 or scale.size == 1:
        return (q - zero.reshape(())) * scale.reshape(())
    # per-channel: along the output axis (columns of a MatMul weight, rows of a Gather table)
    axis = 1 if q.shape[-1] == scale.size else 0
    shape = [1, -1] if axis == 1 else [-1, 1]
    return (q - zero.reshape(shape)) * scale.reshape(shape)


def load(model_dir: Path):
    from safetensors import safe_open
    from safetensors.numpy import load_file
    from transformers import AutoConfig, AutoModel, BertConfig

    tensors = load_file(str(model_dir / "model.safetensors"))
    with safe_open(str(model_dir / "model.safetensors"), "np") as f:
        names = json.loads(f.metadata()["torch_names"])
    if (model_dir / "encoder.json").exists():  # the encoder's transformers config, written by export.py
        cfg = AutoConfig.from_pretrained(str(model_dir / "encoder.json"))
    else:  # models exported before encoder.json: all-MiniLM-L6-v2
        cfg = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                         intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2)
    cfg._attn_implementation = "sdpa" if cfg.model_type == "bert" else "eager"
    bert = AutoModel.from_config(cfg, add_pooling_layer=False)
    token_head = torch.nn.Linear(cfg.hidden_size, len(json.loads((model_dir / "config.json").read_text())["token_channels"]))
    state = {}
    for torch_name, (onnx_name, transposed) in names.items():
        w = dequantized(tensors, onnx_name)
        state[torch_name] = torch.from_numpy(np.ascontiguousarray(w.T if transposed else w))
    bert.load_state_dict({k[len("bert."):]: v for k, v in state.items() if k.startswith("bert.")}, strict=False)
    token_head.load_state_dict({k[len("token_head."):]: v for k, v in state.items() if k.startswith("token_head.")})
    return bert.eval(), token_head.eval(), SpanHead(tensors=tensors)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("articles", type=Path)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg = json.loads((args.model / "config.json").read_text())
    bert, token_head, head = load(args.model)
    tok, (cls, sep, pad) = ptc.model_tokenizer(args.model, cfg)
    thr = ptc.decoding_settings(cfg)
    content = cfg["max_len"] - 2
    paths = sorted(args.articles.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    # warm-up (first calls allocate and pick kernels)
    with torch.inference_mode():
        bert(input_ids=torch.full((2, 64), 1000), attention_mask=torch.ones(2, 64, dtype=torch.long))
    tokens = spans = 0
    forward_s = 0.0
    t0 = time.perf_counter()
    with torch.inference_mode():
        for path, text in zip(paths, texts):
            a = ptc.Article(path.stem, text)
            enc = tok.encode(text, add_special_tokens=False)
            a.ids = np.asarray(enc.ids, dtype=np.int64)
            a.offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
            a.cont = np.array([t.startswith("##") for t in enc.tokens], dtype=bool)
            n = len(a.ids)
            tokens += n
            if n == 0:
                continue

            def forward(ids, mask):
                nonlocal forward_s
                f0 = time.perf_counter()
                h = bert(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
                p = torch.sigmoid(token_head(h)).numpy()
                forward_s += time.perf_counter() - f0
                return p, h.numpy()

            probs, starts, hidden = ptc.read_windows(a.ids, cls, sep, content, args.batch, forward, pad=pad)
            spans += len(Reader(a, probs, starts, hidden, head).decode(thr))
    seconds = time.perf_counter() - t0
    print(json.dumps({"articles": len(paths), "tokens": tokens, "seconds": round(seconds, 3),
                      "forward_seconds": round(forward_s, 3), "spans": spans}))


if __name__ == "__main__":
    main()
