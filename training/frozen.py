"""The detector's encoder with its lower layers frozen: 5-fold cross-validation of the heads alone
(`--train-top 0`) or of the heads plus the top K encoder layers, and a final model.

    python frozen.py --base ENCODER_DIR --out out-frozen-mpnet [--epochs 8]
    python frozen.py --base ENCODER_DIR --out out-top2-mpnet --train-top 2 --epochs 2 --dump-epochs 0,1 --final
    python cv.py --runs OUT --base ENCODER_DIR --epoch N

Full fine-tuning of all-mpnet-base-v2 costs about 20 s a step (16 x 256 tokens) on a 2-core CPU
without bf16 units, so five folds of it do not fit in one session. This script reads every PTC
training article once with the frozen encoder (the inference windows, 256 tokens every 192) and
keeps each window's states at the input of layer N-K (float16, in memory and in OUT/states-*.pt so a
rerun skips the read). For each fold it then trains the token head and the span head of
`train.Detector` on those states, with the top K layers (none when K = 0): first the heads alone on
the frozen layers' output (a linear probe, --probe-epochs), then layers and heads together at low
learning rates (probe, then fine-tune; without the probe, random heads pull the layers about and
two epochs end no better than frozen). It writes the fold's held-out
articles in the form cv.py reads (OUT/foldK/heldout-eN.pt). A fold whose dumps exist is skipped.
With --final it trains once more on every article and writes OUT/model.pt, a state dict in
train.Detector's layout that export.py reads.

Measured on fold 0 (77 held-out articles, decoding cross-tuned between its halves as for the
fast model's 0.387; all-mpnet-base-v2, K = 2, states read once in 26 min, 2 threads):

| recipe | SI (structured) | TC |
|---|---|---|
| heads alone on the frozen encoder (probe, 8 epochs) | 0.342 | 0.576 |
| probe, then top 2 layers + heads, 2 epochs (layers 2e-5, heads 1e-4) | 0.334 (e1), 0.338 (e2) | 0.581, 0.578 |
| top 2 layers + random heads, 2 epochs (layers 1e-4, heads 1e-3, no probe) | 0.225 | 0.520 |
| fast model, all-MiniLM-L6-v2 fully fine-tuned (for comparison) | 0.387 | 0.607 (tuned on) |

So training the top two layers adds nothing over the frozen features here: MPNet's advantage needs
the whole encoder fine-tuned (a GPU, or about 12 hours of this CPU for five folds and the final
model; `cv.sh`).

The lower layers see no dropout and no gradient, and the relative position bias of MPNet (shared
by all layers) stays frozen, so the cached states are exactly what the shipped model computes.
"""

from __future__ import annotations

import argparse
import copy
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

BATCH = 16


def load_encoder(base: Path):
    from transformers import AutoModel

    enc = AutoModel.from_pretrained(str(base), add_pooling_layer=False, dtype=torch.float32).eval()
    enc.config._attn_implementation = "eager"
    return enc


def read_all(enc, tok, arts, layer: int, log):
    """Per article: window starts and each window's states at the input of encoder layer `layer`
    ([CLS] first, [SEP] last, float16); `layer` = the number of layers gives the last hidden states."""
    cls, sep, pad = ptc.special_ids(tok)

    def forward(ids, mask):
        with torch.inference_mode():
            out = enc(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask),
                      output_hidden_states=True)
        return np.zeros((*ids.shape, 1), dtype=np.float32), out.hidden_states[layer].to(torch.float16).numpy()

    out = {}
    t0 = time.time()
    for k, a in enumerate(arts):
        _, starts, hidden = ptc.read_windows(a.ids, cls, sep, CONTENT, 8, forward, pad=pad)
        out[a.id] = (starts, [h.astype(np.float16) for h in hidden])
        if (k + 1) % 25 == 0:
            log(f"read {k + 1}/{len(arts)} articles in {time.time() - t0:.0f}s")
    return out


def cached_states(enc, tok, arts, layer: int, path: Path, log):
    if path.exists():
        cache = torch.load(path, weights_only=False)
        if all(a.id in cache for a in arts):
            log(f"states from {path}")
            return cache
    cache = read_all(enc, tok, arts, layer, log)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(cache, path)
    return cache


def window_items(arts, cache, y_all):
    """(states [L + 2, H] with [CLS] and [SEP], targets [L, 15], spans [(i, j, dist, feats)]) per window."""
    items = []
    for a in arts:
        starts, hidden = cache[a.id]
        n = len(a.ids)
        for w, ws in enumerate(starts):
            we = min(ws + CONTENT, n)
            items.append((hidden[w], y_all[a.id][ws:we], ptc.window_spans(a, ws, we)))
    return items


class Upper(nn.Module):
    """The top K layers of `enc` (trainable copies) over the states below them, and the heads."""

    def __init__(self, enc, k: int):
        super().__init__()
        n = enc.config.num_hidden_layers
        if k and not hasattr(enc.encoder, "compute_position_bias"):
            raise SystemExit("--train-top > 0 supports MPNet encoders (all-mpnet-base-v2) only")
        self.first = n - k
        self.layers = nn.ModuleList(copy.deepcopy(enc.encoder.layer[i]) for i in range(n - k, n))
        self._bias = enc.encoder.compute_position_bias  # frozen, not a parameter of this module
        hidden = enc.config.hidden_size
        self.token_head = nn.Linear(hidden, N_CHANNELS)
        self.span_head = span_head(hidden)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, mask):
        """x [B, T, H] states at layer N-K, mask [B, T] -> last hidden states [B, T, H]."""
        if not len(self.layers):
            return x
        with torch.no_grad():
            bias = self._bias(x)
        ext = (1.0 - mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
        for layer in self.layers:
            x = layer(x, ext, None, bias)[0]
        return x

    def detector_state(self, enc) -> dict:
        """The whole model as a train.Detector state dict (`bert.` + heads)."""
        sd = {f"bert.{k}": v.detach().clone() for k, v in enc.state_dict().items()}
        for j, layer in enumerate(self.layers):
            for k, v in layer.state_dict().items():
                sd[f"bert.encoder.layer.{self.first + j}.{k}"] = v.detach().clone()
        for name in ("token_head", "span_head"):
            for k, v in getattr(self, name).state_dict().items():
                sd[f"{name}.{k}"] = v.detach().clone()
        return sd


def batch_tensors(batch):
    T = max(len(x[0]) for x in batch)
    x = torch.zeros(len(batch), T, batch[0][0].shape[-1])
    mask = torch.zeros(len(batch), T, dtype=torch.long)
    for b, (h, _, _) in enumerate(batch):
        x[b, :len(h)] = torch.from_numpy(h.astype(np.float32))
        mask[b, :len(h)] = 1
    return x, mask


def fit(model, items, epochs, groups, pos_weight, rng, log, on_epoch=None, warm_frac=0.0):
    """Trains `model` (its parameters in the AdamW `groups`) on `items` for `epochs`, the learning
    rates warming up over `warm_frac` of the first epoch, then falling linearly to zero."""
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    per_epoch = math.ceil(len(items) / BATCH)
    steps = epochs * per_epoch
    warm = int(per_epoch * warm_frac)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    trains_layers = len(model.layers) > 0
    t0 = time.time()
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(items))
        total = 0.0
        for b0 in range(0, len(order), BATCH):
            batch = [items[i] for i in order[b0:b0 + BATCH]]
            x, mask = batch_tensors(batch)
            h = model(x, mask)
            rows, ys, span_rows, feats, tgts = [], [], [], [], []
            for b, (hw, y, spans) in enumerate(batch):
                content = h[b, 1:len(hw) - 1]
                rows.append(content)
                ys.append(torch.from_numpy(y))
                for i, j, dist, f in spans:
                    span_rows.append(torch.cat([content[i:j].mean(0), content[i], content[j - 1]]))
                    feats.append(f)
                    tgts.append(dist)
            logits = model.token_head(model.drop(torch.cat(rows)))
            loss = F.binary_cross_entropy_with_logits(logits, torch.cat(ys), pos_weight=pos_weight)
            if span_rows:
                lg = model.span_head(torch.cat([torch.stack(span_rows), torch.tensor(feats, dtype=torch.float32)], 1))
                loss = loss + (-(torch.from_numpy(np.stack(tgts)) * F.log_softmax(lg, -1)).sum(-1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            step = b0 // BATCH + 1
            if trains_layers and step % 20 == 0:
                log(f"  epoch {epoch + 1} step {step}/{per_epoch} loss {total / step:.4f} "
                    f"{(time.time() - t0) / (epoch * per_epoch + step):.2f}s/step")
        log(f"  epoch {epoch + 1}: loss {total / per_epoch:.4f}")
        model.eval()
        if on_epoch:
            on_epoch(epoch + 1, model)
    return model


@torch.no_grad()
def upper_states(model, items):
    """`items` with their states carried through the model's layers (float16): what a head-only
    model sees, so the heads can be fitted without running the layers every step."""
    model.eval()
    out = []
    for b0 in range(0, len(items), BATCH):
        batch = items[b0:b0 + BATCH]
        x, mask = batch_tensors(batch)
        h = model(x, mask)
        out.extend((h[b, :len(hw)].numpy().astype(np.float16), y, spans) for b, (hw, y, spans) in enumerate(batch))
    return out


def train_fold(enc, k, items, epochs, probe_epochs, pos_weight, seed, lr, log, on_epoch):
    """Linear probe, then fine-tune: the heads are first fitted alone on the frozen encoder's last
    states (`probe_epochs`, learning rate 1e-3), then the top `k` layers and the heads are trained
    together (`epochs`; layers at `lr`, heads at 1e-4), so the layers start from heads that already
    read them instead of being pulled about by random ones."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Upper(enc, k)
    heads = lambda m: [p for n, p in m.named_parameters() if not n.startswith("layers.")]  # noqa: E731
    if not k:
        return fit(model, items, epochs, [{"params": heads(model), "lr": 1e-3}], pos_weight, rng, log, on_epoch)
    if probe_epochs:
        probe = Upper(enc, 0)
        log(f"  probe: heads alone on the frozen last states, {probe_epochs} epochs")
        fit(probe, upper_states(model, items), probe_epochs, [{"params": heads(probe), "lr": 1e-3}], pos_weight, rng, log)
        model.token_head.load_state_dict(probe.token_head.state_dict())
        model.span_head.load_state_dict(probe.span_head.state_dict())
        if on_epoch:
            on_epoch(0, model)
    groups = [{"params": heads(model), "lr": 1e-4 if probe_epochs else 1e-3},
              {"params": list(model.layers.parameters()), "lr": lr}]
    return fit(model, items, epochs, groups, pos_weight, rng, log, on_epoch, warm_frac=0.1)


@torch.no_grad()
def dump(model, arts, cache, path: Path):
    out = {"articles": {}, "span_head": {k: v.numpy() for k, v in model.span_head.state_dict().items()}}
    for a in arts:
        starts, states = cache[a.id]
        n = len(a.ids)
        sums, counts = np.zeros((n, N_CHANNELS)), np.zeros(n)
        hidden = [h for h, _, _ in upper_states(model, [(s, None, None) for s in states])]
        for ws, h in zip(starts, hidden):
            L = min(ws + CONTENT, n) - ws
            p = torch.sigmoid(model.token_head(torch.from_numpy(h[1:L + 1].astype(np.float32)))).numpy()
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
    ap.add_argument("--train-top", type=int, default=0, help="train the top K encoder layers too (MPNet)")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--dump-epochs", default="", help="also dump held-out states after these epochs (1,2)")
    ap.add_argument("--lr", type=float, default=2e-5, help="learning rate of the trained encoder layers")
    ap.add_argument("--probe-epochs", type=int, default=8,
                    help="with --train-top: first fit the heads alone for this many epochs (0: no probe)")
    ap.add_argument("--folds", default="0,1,2,3,4")
    ap.add_argument("--final", action="store_true", help="then train on every article: OUT/final/model.pt")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=0, help="debug: use only this many articles")
    args = ap.parse_args()
    log = lambda m: print(f"[{time.strftime('%H:%M:%S')}] {m}", flush=True)  # noqa: E731

    torch.set_num_threads(args.threads)
    tok = ptc.load_tokenizer(args.base)
    arts = ptc.load_articles(args.data)
    if args.limit:
        arts = arts[: args.limit]
    ptc.tokenize(tok, arts)
    enc = load_encoder(args.base)
    for p in enc.parameters():
        p.requires_grad_(False)
    layer = enc.config.num_hidden_layers - args.train_top
    cache = cached_states(enc, tok, arts, layer, args.out / f"states-l{layer}.pt", log)
    y_all = {a.id: ptc.token_targets(a) for a in arts}
    # Epoch 0 is the probe alone (with --train-top and --probe-epochs).
    dumps = {int(e) for e in args.dump_epochs.split(",") if e} | {args.epochs}
    folds = [int(f) for f in args.folds.split(",") if f] + ([-1] if args.final else [])
    for k in folds:
        train = [a for a in arts if ptc.fold_of(a.id) != k]
        held = [a for a in arts if ptc.fold_of(a.id) == k]
        d = args.out / (f"fold{k}" if k >= 0 else "final")
        want = d / ("model.pt" if k < 0 else f"heldout-e{args.epochs}.pt")
        if want.exists():
            log(f"{want} exists: skipping")
            continue
        d.mkdir(parents=True, exist_ok=True)
        pos_weight = pos_weights(np.concatenate([y_all[a.id] for a in train]))
        log(f"fold {k}: {len(train)} training articles, {len(held)} held out")

        def on_epoch(e, model, held=held, d=d):
            if held and e in dumps:
                dump(model, held, cache, d / f"heldout-e{e}.pt")
                log(f"  wrote {d / f'heldout-e{e}.pt'}")

        model = train_fold(enc, args.train_top, window_items(train, cache, y_all), args.epochs, args.probe_epochs,
                           pos_weight, args.seed, args.lr, log, on_epoch)
        if k < 0:
            torch.save(model.detector_state(enc), want)
            log(f"wrote {want}")
    log("done")


if __name__ == "__main__":
    main()
