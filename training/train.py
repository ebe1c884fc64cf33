"""Fine-tunes all-MiniLM-L6-v2 into the unspin technique detector (and, optionally, sentence heads).

    python train.py --data PTC/train --base MINILM_DIR --out out [--epochs 6] [--device cuda]

The network: the BERT encoder, a token head (15 sigmoid channels: "inside any technique span" and
one per technique) and a span head (an MLP over the mean, first and last hidden state of a span's
tokens plus two count features, softmax over the 14 techniques). Detection = runs of the "any"
channel, labelled by the span head, plus runs of per-technique channels where those are reliable.
Thresholds are tuned on the validation split (one article in five, fixed by a hash of its id) and
the scores printed at the end are cross-tuned: thresholds chosen on one half of the validation
articles, scored on the other, both ways.

With --checkworthy/--subjectivity folders it also trains two sentence heads on the same encoder
(mean of a sentence's token states -> logit), so that one forward pass over an article serves
both the detector and the claim classifiers.

Writes OUT/model.pt (state dict), OUT/validation.json (thresholds, scores, per technique) and
OUT/train.log. Fixed seed; on a GPU, results vary in the last digits between GPU models.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import ptc
from ptc import CONTENT, N_CHANNELS, N_TECH, TECHNIQUES

N_FEATS = 2


def span_head(hidden: int) -> nn.Module:
    """Mean, first and last token state of a span plus N_FEATS features -> 256 -> GELU -> techniques."""
    return nn.Sequential(nn.Linear(3 * hidden + N_FEATS, 256), nn.GELU(), nn.Dropout(0.1), nn.Linear(256, N_TECH))


def pos_weights(y: np.ndarray) -> torch.Tensor:
    """Per channel: sqrt(negatives / positives) of the token targets y [n, channels], within 1..8."""
    pos = y.sum(0)
    return torch.tensor(np.clip(np.sqrt((len(y) - pos) / np.maximum(pos, 1)), 1, 8), dtype=torch.float32)


class Detector(nn.Module):
    def __init__(self, base: Path, sentence_heads: bool):
        super().__init__()
        from transformers import AutoModel

        # Any BERT-shaped encoder transformers knows (all-MiniLM-L6-v2 is BERT, all-mpnet-base-v2
        # is MPNet); the attribute keeps its historical name so older checkpoints still load.
        self.bert = AutoModel.from_pretrained(str(base), add_pooling_layer=False, dtype=torch.float32)
        hidden = self.bert.config.hidden_size
        self.token_head = nn.Linear(hidden, N_CHANNELS)
        self.span_head = span_head(hidden)
        self.sentence_head = nn.Linear(hidden, 2) if sentence_heads else None  # checkworthy, subjective
        self.drop = nn.Dropout(0.1)

    def encode(self, ids, mask):
        h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
        return h, self.token_head(self.drop(h))

    def span_logits(self, h, spans, feats):
        """h: [T, H] one window; spans: list of (i, j) window token indices (incl. the CLS shift)."""
        x = torch.stack([torch.cat([h[i:j].mean(0), h[i], h[j - 1]]) for i, j in spans])
        return self.span_head(torch.cat([x, feats], dim=1))


# ---------------------------------------------------------------------------------------------
# data


def train_windows(arts, rng):
    """One pass over the training articles: non-overlapping windows with a random phase."""
    out = []
    for a in arts:
        n = len(a.ids)
        shift = int(rng.integers(0, CONTENT)) if n > CONTENT else 0
        starts = [0] + list(range(shift, n, CONTENT))[1 if shift == 0 else 0:]
        for k, ws in enumerate(starts):
            we = starts[k + 1] if k + 1 < len(starts) else n
            we = min(we, ws + CONTENT)
            if we > ws:
                out.append((a, ws, we))
    return out


def make_batch(items, y_all, dev):
    T = max(we - ws for _, ws, we in items) + 2
    B = len(items)
    ids = torch.full((B, T), PAD, dtype=torch.long)
    mask = torch.zeros(B, T, dtype=torch.long)
    y = torch.zeros(B, T, N_CHANNELS)
    ymask = torch.zeros(B, T)
    spans = []  # per row: list of ((i, j), target distribution, feats)
    for b, (a, ws, we) in enumerate(items):
        L = we - ws
        ids[b, 0] = CLS
        ids[b, 1:L + 1] = torch.from_numpy(a.ids[ws:we])
        ids[b, L + 1] = SEP
        mask[b, :L + 2] = 1
        y[b, 1:L + 1] = torch.from_numpy(y_all[a.id][ws:we])
        ymask[b, 1:L + 1] = 1
        row = [((i + 1, j + 1), torch.from_numpy(dist), f) for i, j, dist, f in ptc.window_spans(a, ws, we)]
        spans.append(row)
    return ids.to(dev), mask.to(dev), y.to(dev), ymask.to(dev), spans


def load_sentences(path: Path, text_col: str, label_col: str, positive: str):
    rows = []
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    head = lines[0].split("\t")
    ti, li = head.index(text_col), head.index(label_col)
    for line in lines[1:]:
        if not line.strip():
            continue
        c = line.split("\t")
        rows.append((c[ti], 1.0 if c[li].strip() == positive else 0.0))
    return rows


def sentence_batch(tok, rows, dev, max_len=128):
    encs = [tok.encode(t, add_special_tokens=False).ids[: max_len - 2] for t, _ in rows]
    T = max(len(e) for e in encs) + 2
    ids = torch.full((len(rows), T), PAD, dtype=torch.long)
    mask = torch.zeros(len(rows), T, dtype=torch.long)
    pool = torch.zeros(len(rows), T)
    for b, e in enumerate(encs):
        ids[b, 0] = CLS
        ids[b, 1:len(e) + 1] = torch.tensor(e, dtype=torch.long)
        ids[b, len(e) + 1] = SEP
        mask[b, :len(e) + 2] = 1
        pool[b, 1:len(e) + 1] = 1.0 / max(len(e), 1)
    return ids.to(dev), mask.to(dev), pool.to(dev)


# ---------------------------------------------------------------------------------------------
# inference on validation articles (mirrors the Rust detector)


@torch.no_grad()
def read_article(model, a, dev, batch=32):
    """Token probabilities [n, 15] averaged over windows, and each window's hidden states."""

    def forward(ids, mask):
        h, logits = model.encode(torch.from_numpy(ids).to(dev), torch.from_numpy(mask).to(dev))
        return torch.sigmoid(logits.float()).cpu().numpy(), h.float().cpu().numpy()

    return ptc.read_windows(a.ids, CLS, SEP, CONTENT, batch, forward, pad=PAD)


class SpanHead:
    """The span head in NumPy (what the Rust side computes): Linear, exact GELU, Linear, softmax."""

    def __init__(self, model=None, tensors=None):
        """From a trained `Detector`, or from tensors named as in model.safetensors."""
        if tensors is None:
            tensors = {k: v.detach().cpu().numpy() for k, v in model.span_head.state_dict().items()}
            tensors = {"span_head." + k: v for k, v in tensors.items()}
        self.w1, self.b1, self.w2, self.b2 = (tensors[f"span_head.{k}"].astype(np.float64)
                                              for k in ("0.weight", "0.bias", "3.weight", "3.bias"))

    def __call__(self, x):
        z = self.w1 @ x + self.b1
        z = 0.5 * z * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in z]))
        z = self.w2 @ z + self.b2
        z = np.exp(z - z.max())
        return z / z.sum()


class Reader:
    """Caches one held-out article's model outputs and span-head answers while thresholds move."""

    def __init__(self, a, probs, starts, hidden, head):
        self.a = a
        self.probs, self.starts, self.hidden = probs, starts, hidden
        self.head = head
        self.lower = a.text.lower()
        self.cache = {}
        self.run_cache = {}
        self.stop = ptc.stop_tokens(a)
        self.ends = None  # sentence ends, computed on first use

    @classmethod
    def of_model(cls, model, a, dev):
        probs, starts, hidden = read_article(model, a, dev)
        return cls(a, probs, starts, hidden, SpanHead(model))

    def runs(self, channel, th, low=None, gap=0):
        """Spans of `channel`: runs that reach `th` somewhere, extended while the probability
        stays at or above `low` (hysteresis), runs at most `gap` tokens apart joined; spans made
        only of stop words and punctuation are dropped."""
        low = th if low is None else min(low, th)
        key = (channel, round(th, 4), round(low, 4), gap)
        if key not in self.run_cache:
            found = []
            p = self.probs[:, channel]
            for i, j in ptc.hysteresis_runs(p, th, low, gap, self.a.cont):
                if self.stop[i:j].all():
                    continue
                cs = ptc.char_span(self.a, i, j)
                if cs is not None:
                    found.append((i, j, cs, float(p[i:j].mean())))
            self.run_cache[key] = found
        return self.run_cache[key]

    def classify(self, i, j):
        key = (i, j)
        if key not in self.cache:
            n = len(self.a.ids)
            w = ptc.best_window(self.starts, n, i, j)
            ws = self.starts[w]
            we = min(ws + CONTENT, n)
            ci, cj = max(i, ws), min(j, we)
            cs = ptc.char_span(self.a, i, j)
            text = self.a.text[cs[0]:cs[1]] if cs else ""
            h = self.hidden[w][ci - ws + 1:cj - ws + 1]
            x = np.concatenate([h.mean(0), h[0], h[-1], ptc.span_features(cj - ci, ptc.repeats(self.lower, text))])
            self.cache[key] = self.head(x)
        return self.cache[key]

    def decode(self, thr):
        out = []
        if len(self.a.ids) == 0:
            return out
        widen = set(thr.get("widen", []))
        for i, j, cs, conf in self.runs(0, thr["any"], thr.get("low"), thr.get("gap", 0)):
            dist = self.classify(i, j)
            order = np.argsort(-dist, kind="stable")
            for rank, t in enumerate(order[:2]):
                if rank == 1 and dist[t] < thr["second"]:
                    break
                span = cs
                if int(t) in widen:
                    if self.ends is None:
                        self.ends = ptc.sentence_bounds(self.a.text)
                    span = ptc.widen_to_sentence(self.a.text, self.ends, cs)
                out.append((span[0], span[1], int(t), conf * float(dist[t])))
        for t in range(N_TECH):
            th = thr["tech"][t]
            if th is None:
                continue
            same = [(s, e) for s, e, tt, _ in out if tt == t]
            for i, j, cs, conf in self.runs(1 + t, th):
                if any(s < cs[1] and cs[0] < e for s, e in same):
                    continue
                out.append((cs[0], cs[1], t, conf))
                same.append(cs)
        return out

    def classify_template(self, lines):
        """TC: labels for gold (start, end) lines; a repeated span gets its next-best label."""
        seen = {}
        preds = []
        for s, e in lines:
            r = ptc.token_range(self.a, s, e)
            if r is None:
                preds.append(TECHNIQUES.index("Loaded_Language"))
                continue
            dist = self.classify(*r)
            k = seen.get((s, e), 0)
            seen[(s, e)] = k + 1
            preds.append(int(np.argsort(-dist, kind="stable")[min(k, N_TECH - 1)]))
        return preds


def dump_heldout(model, arts, dev, path: Path):
    """What cv.py needs to decode held-out articles without the encoder: token probabilities,
    window starts and each window's hidden states (float16), plus the span head's tensors."""
    out = {"articles": {}, "span_head": {k: v.detach().cpu().numpy()
                                          for k, v in model.span_head.state_dict().items()}}
    for a in arts:
        probs, starts, hidden = read_article(model, a, dev)
        out["articles"][a.id] = {"probs": probs.astype(np.float32), "starts": starts,
                                 "hidden": [h.astype(np.float16) for h in hidden]}
    torch.save(out, path)


def gold_of(arts):
    return {a.id: list(a.spans) for a in arts}


def tc_score(readers):
    correct = total = 0
    per = np.zeros((N_TECH, 3))  # tp, n_pred, n_gold
    for r in readers:
        lines = [(s, e) for s, e, _ in r.a.spans]
        pred = r.classify_template(lines)
        groups = {}
        for (s, e, t), p in zip(r.a.spans, pred):
            g = groups.setdefault((s, e), ([], []))
            g[0].append(t)
            g[1].append(p)
        for gl, pl in groups.values():
            gl, pl = list(gl), list(pl)
            total += len(pl)
            for t in gl:
                per[t, 2] += 1
            for p in pl:
                per[p, 1] += 1
            for p in list(pl):
                if p in gl:
                    gl.remove(p)
                    correct += 1
                    per[p, 0] += 1
    return (correct / total if total else 0.0), per


# Techniques that annotators mark on the clause or sentence that carries them; their spans may be
# widened to the sentence (a choice cross-validation makes per technique).
SENTENCE_LEVEL = [TECHNIQUES.index(t) for t in (
    "Appeal_to_Authority", "Bandwagon,Reductio_ad_hitlerum", "Black-and-White_Fallacy",
    "Causal_Oversimplification", "Doubt", "Whataboutism,Straw_Men,Red_Herring")]


def tune(readers, log, structure=True, max_density=2.0):
    """Greedy search on these readers; returns the decoding settings. With `structure` it also
    chooses the hysteresis low threshold, the gap joining runs and which sentence-level
    techniques widen to their sentence. Settings that predict more than `max_density` times as
    many spans as the annotators marked are not considered (0: no limit)."""
    gold = gold_of([r.a for r in readers])
    n_gold = sum(len(v) for v in gold.values())
    thr = {"any": 0.5, "low": 0.5, "gap": 0, "second": 1.01, "tech": [None] * N_TECH, "widen": []}

    def score(th, labelled):
        pred = {r.a.id: [(s, e, t) for s, e, t, _ in r.decode(th)] for r in readers}
        if max_density and sum(len(v) for v in pred.values()) > max_density * n_gold:
            return -1.0
        return ptc.span_prf(gold, pred, labelled)[2]

    best = -1
    for x in np.arange(0.15, 0.851, 0.025):
        f = score(dict(thr, any=float(x), low=float(x)), False)
        if f > best:
            best, thr["any"], thr["low"] = f, float(x), float(x)
    if structure:
        for gap in (0, 1, 2, 3):
            for d in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3):
                th = dict(thr, low=round(thr["any"] - d, 4), gap=gap)
                f = score(th, False)
                if f > best + 1e-4:
                    best, thr["low"], thr["gap"] = f, th["low"], gap
    best = score(thr, True)
    for x in [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5]:
        th = dict(thr, second=x)
        f = score(th, True)
        if f > best + 1e-4:
            best, thr["second"] = f, x
    for t in range(N_TECH):
        for x in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]:
            tech = list(thr["tech"])
            tech[t] = x
            th = dict(thr, tech=tech)
            f = score(th, True)
            if f > best + 1e-4:
                best, thr["tech"] = f, tech
    if structure:
        for t in SENTENCE_LEVEL:
            th = dict(thr, widen=sorted(thr["widen"] + [t]))
            f = score(th, True)
            if f > best + 1e-4:
                best, thr["widen"] = f, th["widen"]
    if log:
        log(f"tuned thresholds {json.dumps(thr)} flc={best:.4f}")
    return thr


def per_technique(gold, pred):
    rows = {}
    for t, name in enumerate(TECHNIQUES):
        g = {k: [x for x in v if x[2] == t] for k, v in gold.items()}
        p = {k: [x for x in v if x[2] == t] for k, v in pred.items()}
        P, R, F = ptc.span_prf(g, p, True)
        rows[name] = {"p": round(P, 4), "r": round(R, 4), "f1": round(F, 4),
                      "gold": sum(len(v) for v in g.values()), "pred": sum(len(v) for v in p.values())}
    return rows


def evaluate(readers, log):
    """Cross-tuned scores: thresholds from one half of the validation articles, scored on the other."""
    halves = [readers[0::2], readers[1::2]]
    pred = {}
    for k in (0, 1):
        th = tune(halves[k], None)
        for r in halves[1 - k]:
            pred[r.a.id] = [(s, e, t) for s, e, t, _ in r.decode(th)]
    gold = gold_of([r.a for r in readers])
    si = ptc.span_prf(gold, pred, False)
    flc = ptc.span_prf(gold, pred, True)
    tc, per_tc = tc_score(readers)
    tc_rows = {}
    for t, name in enumerate(TECHNIQUES):
        tp, npred, ngold = per_tc[t]
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        tc_rows[name] = {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
                         "gold": int(ngold)}
    res = {
        "si": {"p": round(si[0], 4), "r": round(si[1], 4), "f1": round(si[2], 4)},
        "flc": {"p": round(flc[0], 4), "r": round(flc[1], 4), "f1": round(flc[2], 4)},
        "tc_micro_f1": round(tc, 4),
        "flc_per_technique": per_technique(gold, pred),
        "tc_per_technique": tc_rows,
    }
    log(f"cross-tuned SI F1 {si[2]:.4f} (P {si[0]:.4f} R {si[1]:.4f}) FLC F1 {flc[2]:.4f} TC micro-F1 {tc:.4f}")
    return res


@torch.no_grad()
def sentence_scores(model, tok, rows, dev):
    model.eval()
    out = []
    for b0 in range(0, len(rows), 64):
        ids, mask, pool = sentence_batch(tok, rows[b0:b0 + 64], dev)
        h, _ = model.encode(ids, mask)
        v = torch.einsum("bt,bth->bh", pool, h.float())
        out.append(torch.sigmoid(model.sentence_head(v).float()).cpu().numpy())
    return np.concatenate(out)


def f1_at(y, p, th):
    pred = p >= th
    tp = float(((pred == 1) & (y == 1)).sum())
    fp = float(((pred == 1) & (y == 0)).sum())
    fn = float(((pred == 0) & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1_at(y, p, th):
    return (f1_at(y, p, th) + f1_at(1 - y, 1 - p, 1 - th + 1e-12)) / 2


def sentence_eval(y, p, measure):
    """Threshold tuned on one half of the dev set, scored on the other, both ways; plus 0.5."""
    grid = np.arange(0.1, 0.91, 0.02)
    idx = np.arange(len(y))
    halves = [idx[0::2], idx[1::2]]
    pred = np.zeros(len(y), dtype=bool)
    ths = []
    for k in (0, 1):
        th = max(grid, key=lambda t: measure(y[halves[k]], p[halves[k]], t))
        ths.append(float(th))
        pred[halves[1 - k]] = p[halves[1 - k]] >= th
    full = float(max(grid, key=lambda t: measure(y, p, t)))
    return {"at_0.5": round(measure(y, p, 0.5), 4), "cross_tuned": round(measure(y, pred.astype(float), 0.5), 4),
            "threshold": round(full, 2), "half_thresholds": ths}


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True, help="PTC folder with train-articles/ and labels")
    ap.add_argument("--base", type=Path, required=True, help="all-MiniLM-L6-v2 folder (config, safetensors, tokenizer.json)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--any-share", type=float, default=0.5,
                    help="the share of the token loss on the 'any technique' channel (1/15: a plain mean over "
                         "the 15 channels, the recipe of the models before 2026-12-01)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast on CPU (always on for CUDA)")
    ap.add_argument("--limit", type=int, default=0, help="debug: use only this many articles")
    ap.add_argument("--checkworthy", type=Path, help="CheckThat! check-worthiness folder (train+dev tsv)")
    ap.add_argument("--subjectivity", type=Path, help="CheckThat! subjectivity folder (train+dev tsv)")
    ap.add_argument("--sentence-weight", type=float, default=0.5)
    ap.add_argument("--init", type=Path, help="start from this model.pt (a trained detector) instead of the base heads")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds, by a hash of the article id")
    ap.add_argument("--fold", type=int, default=0,
                    help="the fold held out (0 of 5 is the old validation split); -1 trains on every article")
    ap.add_argument("--dump-epochs", default="",
                    help="comma-separated epochs after which the held-out fold's token probabilities and window "
                         "states are written to OUT/heldout-e<N>.pt, for cv.py")
    ap.add_argument("--checkpoint-every", type=int, default=20,
                    help="also write OUT/checkpoint.pt every this many steps (0: only after each epoch)")
    args = ap.parse_args()

    global CLS, SEP, PAD
    args.out.mkdir(parents=True, exist_ok=True)
    logf = open(args.out / "train.log", "a")

    def log(msg):
        line = f"[{time.strftime('%H:%M:%S')}] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    dev = torch.device(args.device)
    t0 = time.time()
    log(f"args {vars(args)}")

    tok = ptc.load_tokenizer(args.base)
    CLS, SEP, PAD = ptc.special_ids(tok)
    arts = ptc.load_articles(args.data)
    if args.limit:
        arts = arts[: args.limit]
    ptc.tokenize(tok, arts)
    train = [a for a in arts if ptc.fold_of(a.id, args.folds) != args.fold]
    val = [a for a in arts if ptc.fold_of(a.id, args.folds) == args.fold]
    dump_epochs = {int(e) for e in args.dump_epochs.split(",") if e}
    log(f"{len(train)} train articles ({sum(len(a.ids) for a in train)} tokens), {len(val)} held out "
        f"(fold {args.fold} of {args.folds})")
    y_all = {a.id: ptc.token_targets(a) for a in arts}
    pos_weight = pos_weights(np.concatenate([y_all[a.id] for a in train])).to(dev)

    multitask = bool(args.checkworthy and args.subjectivity)
    model = Detector(args.base, multitask).to(dev)
    if args.init:
        from export import load_checkpoint

        missing, unexpected = model.load_state_dict(load_checkpoint(args.init), strict=False)
        if unexpected or any(not k.startswith("sentence_head") for k in missing):
            raise SystemExit(f"{args.init}: does not fit the detector (missing {missing}, unexpected {unexpected})")
        log(f"initialised from {args.init} (new: {missing or 'nothing'})")
    cw_train = subj_train = None
    if multitask:
        cw_train = load_sentences(args.checkworthy / "CT24_checkworthy_english_train.tsv", "Text", "class_label", "Yes")
        subj_train = load_sentences(args.subjectivity / "train_en.tsv", "sentence", "label", "SUBJ")
        log(f"sentence tasks: {len(cw_train)} check-worthiness, {len(subj_train)} subjectivity training sentences")

    enc_params = [p for n, p in model.named_parameters() if n.startswith("bert.")]
    head_params = [p for n, p in model.named_parameters() if not n.startswith("bert.")]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": args.lr}, {"params": head_params, "lr": args.head_lr}],
                            weight_decay=0.01)
    steps_per_epoch = math.ceil(len(train_windows(train, np.random.default_rng(0))) / args.batch)
    total = steps_per_epoch * args.epochs
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)))
    amp = dev.type == "cuda" or args.bf16
    step = 0
    first_epoch = first_batch = 0
    ckpt = args.out / "checkpoint.pt"
    epoch_rng = None  # the window sampler's state when the checkpoint's epoch began

    def save_checkpoint(epoch, next_batch):
        """Everything needed to go on from batch `next_batch` of `epoch` (0-based), atomically."""
        tmp = ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "epoch_rng": epoch_rng, "rng": rng.bit_generator.state, "random": random.getstate(),
                    "torch": torch.get_rng_state(), "epoch": epoch, "batch": next_batch, "step": step}, tmp)
        tmp.replace(ckpt)

    if ckpt.exists():
        # Resume: a session ends its processes, so every epoch leaves a checkpoint behind.
        state = torch.load(ckpt, map_location=dev, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        random.setstate(state["random"])
        torch.set_rng_state(state["torch"])
        first_epoch, first_batch, step = state["epoch"], state["batch"], state["step"]
        # Mid-epoch: replay the epoch's window draw, then skip the batches already trained on.
        rng.bit_generator.state = state["epoch_rng"] if first_batch else state["rng"]
        log(f"resumed from {ckpt}: epoch {first_epoch + 1}, batch {first_batch} (step {step})")
    for epoch in range(first_epoch, args.epochs):
        model.train()
        epoch_rng = rng.bit_generator.state
        wins = train_windows(train, rng)
        order = rng.permutation(len(wins))
        te = time.time()
        skip = first_batch if epoch == first_epoch else 0
        for b0 in range(skip * args.batch, len(order), args.batch):
            items = [wins[i] for i in order[b0:b0 + args.batch]]
            ids, mask, y, ymask, spans = make_batch(items, y_all, dev)
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
                h, logits = model.encode(ids, mask)
            logits = logits.float()
            tl = F.binary_cross_entropy_with_logits(logits, y, pos_weight=pos_weight, reduction="none")
            # The "any" channel drives span detection: it gets `any_share` of the token loss, the
            # 14 technique channels share the rest (1/15 is a plain mean over the channels).
            tl = args.any_share * tl[..., 0] + (1 - args.any_share) * tl[..., 1:].mean(-1)
            token_loss = (tl * ymask).sum() / ymask.sum()
            sl, ns = 0.0, 0
            for b, row in enumerate(spans):
                if not row:
                    continue
                feats = torch.tensor([f for _, _, f in row], dtype=torch.float32, device=dev)
                lg = model.span_logits(h[b].float(), [ij for ij, _, _ in row], feats)
                tgt = torch.stack([d for _, d, _ in row]).to(dev)
                sl = sl + (-(tgt * F.log_softmax(lg, -1)).sum(-1)).sum()
                ns += len(row)
            span_loss = sl / ns if ns else torch.zeros((), device=dev)
            loss = token_loss + span_loss
            if multitask:
                sent_loss = 0.0
                for rows, col in ((random.sample(cw_train, 32), 0), (random.sample(subj_train, 16), 1)):
                    sids, smask, pool = sentence_batch(tok, rows, dev)
                    with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
                        sh, _ = model.encode(sids, smask)
                    v = torch.einsum("bt,bth->bh", pool, sh.float())
                    lg = model.sentence_head(model.drop(v))[:, col].float()
                    tgt = torch.tensor([l for _, l in rows], device=dev)
                    sent_loss = sent_loss + F.binary_cross_entropy_with_logits(lg, tgt)
                loss = loss + args.sentence_weight * sent_loss
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 20 == 0:
                log(f"epoch {epoch + 1} step {step}/{total} token {token_loss.item():.4f} span {float(span_loss):.4f} "
                    f"{(time.time() - te) / ((b0 // args.batch) + 1 - skip):.2f}s/step")
            if args.checkpoint_every and step % args.checkpoint_every == 0:
                save_checkpoint(epoch, b0 // args.batch + 1)
        log(f"epoch {epoch + 1} done in {time.time() - te:.0f}s")
        if epoch + 1 in dump_epochs and val:
            model.eval()
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
                dump_heldout(model, val, dev, args.out / f"heldout-e{epoch + 1}.pt")
            log(f"wrote {args.out / f'heldout-e{epoch + 1}.pt'} ({len(val)} articles)")
        save_checkpoint(epoch + 1, 0)

    train_time = time.time() - t0
    model.eval()
    if not val or args.epochs in dump_epochs:
        # Trained on every article, or the held-out fold is already dumped for cv.py to score.
        torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, args.out / "model.pt")
        ckpt.unlink(missing_ok=True)
        log(f"saved {args.out / 'model.pt'}; total {time.time() - t0:.0f}s")
        return
    readers = [Reader.of_model(model, a, dev) for a in val]
    res = evaluate(readers, log)
    thr = tune(readers, log)
    res["thresholds"] = thr
    res["train_seconds"] = round(train_time)
    res["device"] = torch.cuda.get_device_name(0) if dev.type == "cuda" else f"cpu x{args.threads} threads"
    res["args"] = {k: str(v) for k, v in vars(args).items()}
    res["val_articles"] = [a.id for a in val]
    if multitask:
        cw_dev = load_sentences(args.checkworthy / "CT24_checkworthy_english_dev.tsv", "Text", "class_label", "Yes")
        subj_dev = load_sentences(args.subjectivity / "dev_en.tsv", "sentence", "label", "SUBJ")
        pc = sentence_scores(model, tok, cw_dev, dev)[:, 0]
        ps = sentence_scores(model, tok, subj_dev, dev)[:, 1]
        yc = np.array([l for _, l in cw_dev])
        ys = np.array([l for _, l in subj_dev])
        res["checkworthy_f1_pos"] = sentence_eval(yc, pc, f1_at)
        res["subjectivity_macro_f1"] = sentence_eval(ys, ps, macro_f1_at)
        log(f"check-worthiness dev F1(Yes) {res['checkworthy_f1_pos']} subjectivity dev macro-F1 {res['subjectivity_macro_f1']}")
    (args.out / "validation.json").write_text(json.dumps(res, indent=1))
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, args.out / "model.pt")
    log(f"saved {args.out / 'model.pt'}; total {time.time() - t0:.0f}s")


CLS = SEP = PAD = 0

if __name__ == "__main__":
    main()
