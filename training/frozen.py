"""How far a frozen encoder gets: 5-fold cross-validation of the detector's heads alone.

    python frozen.py --base ENCODER_DIR --out out-frozen-mpnet [--epochs 8]
    python cv.py --runs out-frozen-mpnet --base ENCODER_DIR --epoch 8

Full fine-tuning of all-mpnet-base-v2 costs about 20 s a step (16 x 256 tokens) on a 2-core CPU
without bf16 units, so five folds of it do not fit in one session. This script reads every PTC
training article once with the frozen encoder (the inference windows, 256 tokens every 192),
keeps each window's last hidden states (float16, in memory), then trains the token head and the
span head of `train.Detector` on them for each fold and writes the fold's held-out articles in the
form cv.py reads (OUT/foldK/heldout-eN.pt). It measures the encoder's features, a lower bound for
what fine-tuning the encoder adds.
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import ptc
from ptc import CONTENT, N_CHANNELS
from train import pos_weights, span_head


def read_all(base: Path, arts, threads: int, log):
    """Per article: window starts and each window's hidden states ([CLS] first, float16)."""
    from transformers import AutoModel

    torch.set_num_threads(threads)
    enc = AutoModel.from_pretrained(str(base), add_pooling_layer=False).eval()
    tok = ptc.load_tokenizer(base)
    cls, sep, pad = ptc.special_ids(tok)

    def forward(ids, mask):
        with torch.inference_mode():
            h = enc(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).last_hidden_state
        return np.zeros((*ids.shape, 1), dtype=np.float32), h.to(torch.float16).numpy()

    out = {}
    t0 = time.time()
    for k, a in enumerate(arts):
        _, starts, hidden = ptc.read_windows(a.ids, cls, sep, CONTENT, 8, forward, pad=pad)
        out[a.id] = (starts, [h.astype(np.float16) for h in hidden])
        if (k + 1) % 25 == 0:
            log(f"read {k + 1}/{len(arts)} articles in {time.time() - t0:.0f}s")
    return out


def window_items(arts, cache, y_all):
    """(hidden [L, H] without [CLS]/[SEP], targets [L, 15], spans [(i, j, dist, feats)]) per window."""
    items = []
    for a in arts:
        starts, hidden = cache[a.id]
        n = len(a.ids)
        for w, ws in enumerate(starts):
            we = min(ws + CONTENT, n)
            spans = ptc.window_spans(a, ws, we)
            items.append((hidden[w][1:we - ws + 1], y_all[a.id][ws:we], spans))
    return items


class Heads(nn.Module):
    def __init__(self, hidden: int):
        super().__init__()
        self.token_head = nn.Linear(hidden, N_CHANNELS)
        self.span_head = span_head(hidden)
        self.drop = nn.Dropout(0.1)


def train_fold(items, hidden, epochs, pos_weight, seed, log):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    heads = Heads(hidden)
    opt = torch.optim.AdamW(heads.parameters(), lr=1e-3, weight_decay=0.01)
    steps = epochs * math.ceil(len(items) / 16)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1 - s / steps))
    for epoch in range(epochs):
        heads.train()
        order = rng.permutation(len(items))
        total = 0.0
        for b0 in range(0, len(order), 16):
            batch = [items[i] for i in order[b0:b0 + 16]]
            h = torch.from_numpy(np.concatenate([x[0] for x in batch]).astype(np.float32))
            y = torch.from_numpy(np.concatenate([x[1] for x in batch]))
            loss = F.binary_cross_entropy_with_logits(heads.token_head(heads.drop(h)), y, pos_weight=pos_weight)
            rows, feats, tgts = [], [], []
            for hw, _, spans in batch:
                hw = torch.from_numpy(hw.astype(np.float32))
                for i, j, dist, f in spans:
                    rows.append(torch.cat([hw[i:j].mean(0), hw[i], hw[j - 1]]))
                    feats.append(f)
                    tgts.append(dist)
            if rows:
                lg = heads.span_head(torch.cat([torch.stack(rows), torch.tensor(feats, dtype=torch.float32)], 1))
                loss = loss + (-(torch.from_numpy(np.stack(tgts)) * F.log_softmax(lg, -1)).sum(-1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        log(f"  epoch {epoch + 1}: loss {total / math.ceil(len(items) / 16):.4f}")
    return heads.eval()


@torch.no_grad()
def dump(heads, arts, cache, path: Path):
    out = {"articles": {}, "span_head": {k: v.numpy() for k, v in heads.span_head.state_dict().items()}}
    for a in arts:
        starts, hidden = cache[a.id]
        n = len(a.ids)
        sums, counts = np.zeros((n, N_CHANNELS)), np.zeros(n)
        for ws, h in zip(starts, hidden):
            L = min(ws + CONTENT, n) - ws
            p = torch.sigmoid(heads.token_head(torch.from_numpy(h[1:L + 1].astype(np.float32)))).numpy()
            sums[ws:ws + L] += p
            counts[ws:ws + L] += 1
        out["articles"][a.id] = {"probs": (sums / np.maximum(counts, 1)[:, None]).astype(np.float32),
                                 "starts": starts, "hidden": hidden}
    torch.save(out, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/ptc/train")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=0, help="debug: use only this many articles")
    args = ap.parse_args()
    log = lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}", flush=True)  # noqa: E731

    tok = ptc.load_tokenizer(args.base)
    arts = ptc.load_articles(args.data)
    if args.limit:
        arts = arts[: args.limit]
    ptc.tokenize(tok, arts)
    cache = read_all(args.base, arts, args.threads, log)
    hidden = next(iter(cache.values()))[1][0].shape[-1]
    y_all = {a.id: ptc.token_targets(a) for a in arts}
    for k in range(5):
        train = [a for a in arts if ptc.fold_of(a.id) != k]
        held = [a for a in arts if ptc.fold_of(a.id) == k]
        pos_weight = pos_weights(np.concatenate([y_all[a.id] for a in train]))
        log(f"fold {k}: {len(train)} training articles, {len(held)} held out")
        heads = train_fold(window_items(train, cache, y_all), hidden, args.epochs, pos_weight, args.seed, log)
        (args.out / f"fold{k}").mkdir(parents=True, exist_ok=True)
        dump(heads, held, cache, args.out / f"fold{k}" / f"heldout-e{args.epochs}.pt")
    log("done")


if __name__ == "__main__":
    main()
