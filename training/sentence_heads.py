"""Sentence heads on the shipped encoder: check-worthiness and subjectivity.

    python sentence_heads.py --model ../models/unspin-ptc-minilm \
        --checkworthy CHECKTHAT_CW_DIR --subjectivity CHECKTHAT_SUBJ_DIR [--write]

The detector's encoder stays frozen: a sentence's feature is the mean of its token states from the
very ONNX graph the Rust side runs, so one forward pass over an article serves the technique
detector and both heads. On top, a logistic regression per task (L2, class-balanced, fitted by
full-batch L-BFGS).

Two readings of every sentence are used, because unspin meets sentences in two ways:
- **alone** (`unspin claims --sentences`, and the shared tasks): [CLS] sentence [SEP];
- **in context** (`unspin analyze`): token states from the detector's overlapping windows over a
  whole article, pooled per sentence. Here an "article" is a run of consecutive sentences of the
  data file, read with the same windows as the Rust detector.
Two heads per task, one per reading: `sentence_head` scores sentences read alone, `context_head`
sentences read in an article. Both are logistic regressions fitted on both readings of each
training sentence, each with the L2 strength that scores best on its reading; with --joint the
`sentence_head` is instead the one a multitask checkpoint trained with the encoder (train.py
--checkworthy --subjectivity), which reads sentences alone better than a refit.

Scores are out-of-fold on the dev file: the dev file is cut in two halves (alternate lines); a
head fitted on train + one half scores the other, and the threshold is tuned on one half of those
predictions and scored on the other ("cross-tuned"). The shipped heads are fitted on train + all of
dev, with the threshold tuned on all out-of-fold predictions. With --write they go to
MODEL/sentence_heads.safetensors and their thresholds and scores to config.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def read_tsv(path: Path, text_col: str, label_col: str, positive: str):
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    head = lines[0].split("\t")
    ti, li = head.index(text_col), head.index(label_col)
    rows = [l.split("\t") for l in lines[1:] if l.strip()]
    return [r[ti] for r in rows], np.array([1.0 if r[li].strip() == positive else 0.0 for r in rows])


def hidden_size(sess) -> int:
    """The encoder's width, from the ONNX graph's `hidden` output ([batch, seq, hidden])."""
    return int(next(o.shape[-1] for o in sess.get_outputs() if o.name == "hidden"))


def features(sess, tok, texts, batch=64, max_len=128, frame=None):
    """Mean token state of each text read alone; `frame` is the (first, last) framing token ids
    (BERT's [CLS]/[SEP] when None)."""
    cls, sep = frame or (tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]"))
    out = np.zeros((len(texts), hidden_size(sess)), dtype=np.float32)
    encs = [tok.encode(t, add_special_tokens=False).ids[: max_len - 2] for t in texts]
    order = sorted(range(len(texts)), key=lambda i: -len(encs[i]))
    for b0 in range(0, len(order), batch):
        idx = order[b0:b0 + batch]
        T = max(len(encs[i]) for i in idx) + 2
        ids = np.zeros((len(idx), T), dtype=np.int64)
        mask = np.zeros((len(idx), T), dtype=np.int64)
        for b, i in enumerate(idx):
            e = encs[i]
            ids[b, 0], ids[b, 1:len(e) + 1], ids[b, len(e) + 1] = cls, e, sep
            mask[b, :len(e) + 2] = 1
        _, h = sess.run(None, {"input_ids": ids, "attention_mask": mask})
        for b, i in enumerate(idx):
            n = len(encs[i])
            out[i] = h[b, 1:n + 1].mean(0) if n else h[b, 0]
    return out


def window_starts(n, content, stride):
    """As the Rust detector's `decode::window_starts`."""
    starts = [0]
    while starts[-1] + content < n:
        starts.append(starts[-1] + stride)
    return starts


def context_features(sess, tok, texts, max_len=256, stride=192, run=12, frame=None):
    """Mean token state of each text read inside a pseudo-article of `run` consecutive texts."""
    cls, sep = frame or (tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]"))
    content = max_len - 2
    width = hidden_size(sess)
    out = np.zeros((len(texts), width), dtype=np.float32)
    for d0 in range(0, len(texts), run):
        encs = [tok.encode(t, add_special_tokens=False).ids for t in texts[d0:d0 + run]]
        ids = [i for e in encs for i in e]
        owner = np.array([k for k, e in enumerate(encs) for _ in e], dtype=np.int64)
        n = len(ids)
        if n == 0:
            continue
        sums, counts = np.zeros((n, width)), np.zeros(n)
        for s in window_starts(n, content, stride):
            w = ids[s:s + content]
            x = np.array([[cls] + w + [sep]], dtype=np.int64)
            _, h = sess.run(None, {"input_ids": x, "attention_mask": np.ones_like(x)})
            sums[s:s + len(w)] += h[0, 1:len(w) + 1]
            counts[s:s + len(w)] += 1
        states = sums / counts[:, None]
        for k in range(len(encs)):
            if (owner == k).any():
                out[d0 + k] = states[owner == k].mean(0)
    return out


def fit_logreg(x, y, l2):
    import torch

    x = torch.tensor(x, dtype=torch.float64)
    y = torch.tensor(y, dtype=torch.float64)
    mu, sd = x.mean(0), x.std(0) + 1e-6
    xs = (x - mu) / sd
    pos = y.mean()
    wts = torch.where(y > 0, 0.5 / pos, 0.5 / (1 - pos))
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=500, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        z = xs @ w + b
        loss = (wts * torch.nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none")).mean() + l2 * (w ** 2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    # Fold the standardisation into the weights: z = (x - mu) / sd · w + b.
    w_raw = (w / sd).detach()
    b_raw = (b - (mu / sd * w).sum()).detach()
    return w_raw.numpy(), float(b_raw)


def f1_pos(y, pred):
    tp = float(((pred == 1) & (y == 1)).sum())
    fp = float(((pred == 1) & (y == 0)).sum())
    fn = float(((pred == 0) & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(y, pred):
    return (f1_pos(y, pred) + f1_pos(1 - y, 1 - pred)) / 2


def cross_tuned(y, p, measure):
    grid = np.arange(0.05, 0.96, 0.01)
    idx = np.arange(len(y))
    halves = [idx[0::2], idx[1::2]]
    pred = np.zeros(len(y))
    for k in (0, 1):
        h = halves[k]
        th = max(grid, key=lambda t: measure(y[h], (p[h] >= t).astype(float)))
        o = halves[1 - k]
        pred[o] = (p[o] >= th).astype(float)
    full = float(max(grid, key=lambda t: measure(y, (p >= t).astype(float))))
    return measure(y, pred), full, measure(y, (p >= 0.5).astype(float))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--checkworthy", type=Path, required=True)
    ap.add_argument("--subjectivity", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--joint", type=Path, help="take the heads from this multitask checkpoint (train.py --checkworthy "
                    "--subjectivity: sentence_head trained with the encoder on the train files) instead of fitting them")
    args = ap.parse_args()
    import onnxruntime as ort
    from tokenizers import BertWordPieceTokenizer

    import u8_graph

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    sess = u8_graph.session(args.model, opts)
    tok = BertWordPieceTokenizer(str(args.model / "vocab.txt"), lowercase=True)
    tasks = {
        "checkworthy": (args.checkworthy / "CT24_checkworthy_english_train.tsv", args.checkworthy / "CT24_checkworthy_english_dev.tsv",
                        "Text", "class_label", "Yes", f1_pos, "F1 of the positive class"),
        "subjective": (args.subjectivity / "train_en.tsv", args.subjectivity / "dev_en.tsv",
                       "sentence", "label", "SUBJ", macro_f1, "macro-F1"),
    }
    heads = {"alone": ([], []), "context": ([], [])}
    report = {}
    joint = None
    if args.joint:
        import torch

        sd = torch.load(args.joint, map_location="cpu")
        joint = (sd["sentence_head.weight"].float().numpy(), sd["sentence_head.bias"].float().numpy())
    for t, (name, (train_f, dev_f, tc, lc, posv, measure, mname)) in enumerate(tasks.items()):
        xt, yt = read_tsv(train_f, tc, lc, posv)
        xd, yd = read_tsv(dev_f, tc, lc, posv)
        print(f"{name}: reading {len(xt)} + {len(xd)} sentences alone and in context", flush=True)
        ft = np.concatenate([features(sess, tok, xt), context_features(sess, tok, xt)])
        fd_alone, fd_ctx = features(sess, tok, xd), context_features(sess, tok, xd)
        yt2 = np.concatenate([yt, yt])
        halves = [np.arange(len(yd))[0::2], np.arange(len(yd))[1::2]]
        fits = []  # (l2, out-of-fold alone scores, out-of-fold in-context scores)
        for l2 in (1e-3, 1e-2, 3e-2, 1e-1):
            p_alone, p_ctx = np.zeros(len(yd)), np.zeros(len(yd))
            for k in (0, 1):
                a, o = halves[k], halves[1 - k]
                w, b = fit_logreg(np.concatenate([ft, fd_alone[a], fd_ctx[a]]), np.concatenate([yt2, yd[a], yd[a]]), l2)
                p_alone[o] = 1 / (1 + np.exp(-(fd_alone[o] @ w + b)))
                p_ctx[o] = 1 / (1 + np.exp(-(fd_ctx[o] @ w + b)))
            print(f"{name}: l2={l2} dev {mname} out-of-fold, cross-tuned: alone {cross_tuned(yd, p_alone, measure)[0]:.4f}, "
                  f"in context {cross_tuned(yd, p_ctx, measure)[0]:.4f}", flush=True)
            fits.append((l2, p_alone, p_ctx))
        entry = {"measure": mname, "train_sentences": len(xt), "dev_sentences": len(xd)}
        for reading, col in (("alone", 1), ("context", 2)):
            if reading == "alone" and joint is not None:
                # Trained with the encoder on the train file only: dev is unseen, scores are honest as they are.
                w, b = joint[0][t], float(joint[1][t])
                p = 1 / (1 + np.exp(-(fd_alone @ w + b)))
                score, th, at_half = cross_tuned(yd, p, measure)
                entry[reading] = {"head": f"trained with the encoder ({args.joint.parent.name}, train file only)",
                                  "dev_cross_tuned": round(score, 4), "dev_at_0.5": round(at_half, 4), "threshold": round(th, 2)}
            else:
                l2, *ps = max(fits, key=lambda f: cross_tuned(yd, f[col], measure)[0])
                score, th, at_half = cross_tuned(yd, ps[col - 1], measure)
                w, b = fit_logreg(np.concatenate([ft, fd_alone, fd_ctx]), np.concatenate([yt2, yd, yd]), l2)
                entry[reading] = {"head": "logistic regression on train + dev, both readings", "l2": l2,
                                  "dev_out_of_fold_cross_tuned": round(score, 4), "dev_out_of_fold_at_0.5": round(at_half, 4),
                                  "threshold": round(th, 2)}
            heads[reading][0].append(w)
            heads[reading][1].append(b)
        report[name] = entry
    print(json.dumps(report, indent=1))
    if args.write:
        write_heads(args.model, heads, list(tasks),
                    {k: v["alone"]["threshold"] for k, v in report.items()},
                    {k: v["context"]["threshold"] for k, v in report.items()}, report)


def write_heads(model: Path, heads: dict, tasks: list, alone_thresholds: dict, context_thresholds: dict, report: dict):
    """Writes MODEL/sentence_heads.safetensors from `heads` ({"alone"|"context": (weights per
    task, biases per task)}) and the tasks, thresholds and report into MODEL/config.json."""
    from safetensors.numpy import save_file

    tensors = {}
    for reading, prefix in (("alone", "sentence_head"), ("context", "context_head")):
        tensors[f"{prefix}.weight"] = np.stack(heads[reading][0]).astype(np.float32)
        tensors[f"{prefix}.bias"] = np.array(heads[reading][1], dtype=np.float32)
    save_file(tensors, str(model / "sentence_heads.safetensors"))
    cfg_path = model / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["sentence_heads"] = tasks
    cfg["sentence_thresholds"] = alone_thresholds
    cfg["context_thresholds"] = context_thresholds
    cfg["sentence_validation"] = report
    cfg_path.write_text(json.dumps(cfg, indent=1) + "\n")


if __name__ == "__main__":
    main()
