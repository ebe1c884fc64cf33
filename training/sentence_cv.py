"""Sentence heads chosen by k-fold cross-validation, with calibrated scores, for any model folder.

    python sentence_cv.py --model ../models/unspin-ptc-mpnet \
        --checkworthy CHECKTHAT_CW_DIR --subjectivity CHECKTHAT_SUBJ_DIR [--folds 5] [--write]

The encoder stays frozen, as in `sentence_heads.py` (whose feature code this reuses): a sentence's
feature is the mean of its token states from the model's own ONNX graph, read alone ([first]
sentence [last], as `unspin claims --sentences` reads it) and in context (inside a pseudo-article
of 12 consecutive sentences, read with the detector's windows, as `unspin analyze` reads it).

What is chosen here, and how, so that no reported figure comes from sentences it was tuned on:
- **Folds.** The train and dev files are pooled and cut into blocks of 60 consecutive sentences;
  block b goes to fold b mod K. Neighbouring sentences (same debate, same article) stay together,
  and every pseudo-article of the in-context reading lies inside one fold.
- **Out-of-fold scores.** For each L2 strength, a logistic regression (both readings of each
  training sentence, class-balanced) is fitted on K-1 folds and scores the held-out fold.
- **Per held-out fold k**, using only the out-of-fold scores of the *other* folds: the L2
  strength, a Platt calibration (a, c: p = sigmoid(a·z + c), fitted unweighted on those scores, so
  a score of 0.8 means about 80% positives) and the threshold that maximises the task measure.
  Fold k is then scored with them. The report gives the mean and spread over folds, the figure on
  the dev file's sentences alone (the same out-of-fold predictions, restricted to dev), and a
  reliability table of the calibrated held-out scores.
- **Engines** (`--engines ort,ov`, the default): the states are read by both engines the Rust
  side runs, ONNX Runtime on `model.onnx` (int8 activations) and OpenVINO on `model.ov.onnx`
  (bf16 activations where the CPU has bf16 units). For a 12-layer encoder the two readings differ
  enough to shift a sentence's score by 0.1–0.2, so the heads are fitted on both, each sentence
  counting once per engine and reading, and the figures pool both engines' held-out scores.
- **Shipped heads** (--write): the L2 strength, calibration and threshold chosen on all
  out-of-fold scores; the regression refitted on every sentence; the calibration folded into the
  weights (w' = a·w, b' = a·b + c), so the Rust side, which computes sigmoid(w'·x + b'), needs no
  change. Written to MODEL/sentence_heads.safetensors, thresholds and the report to config.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import torch

import ptc
import u8_graph
from sentence_heads import context_features, features, fit_logreg, f1_pos, macro_f1, read_tsv, write_heads

L2S = (1e-3, 1e-2, 3e-2, 1e-1)
BLOCK = 60  # sentences per fold block: a multiple of the 12-sentence pseudo-articles
GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)


class OpenVinoSession:
    """`model.ov.onnx` in OpenVINO, with the `run` / `get_outputs` calls `sentence_heads.py` makes
    of an ONNX Runtime session (bf16 where the CPU has bf16 units, as in Rust)."""

    def __init__(self, graph: Path, threads: int):
        import openvino as ov

        core = ov.Core()
        caps = core.get_property("CPU", "OPTIMIZATION_CAPABILITIES")
        precision = "bf16" if "BF16" in caps else "f32"
        self.model = core.compile_model(str(graph), "CPU", {"INFERENCE_PRECISION_HINT": precision,
                                                             "INFERENCE_NUM_THREADS": threads})
        self.request = self.model.create_infer_request()

    def get_outputs(self):
        return [SimpleNamespace(name=o.get_any_name(), shape=[d.get_length() if d.is_static else None
                                                              for d in o.get_partial_shape()])
                for o in self.model.outputs]

    def run(self, _names, feeds):
        res = self.request.infer(feeds)
        by_name = {o.get_any_name(): res[o] for o in self.model.outputs}
        return by_name["token_logits"], by_name["hidden"]


def pooled(folder: Path, train_f: str, dev_f: str, text_col: str, label_col: str, positive: str, k: int):
    """A task's train and dev files as one list: texts, labels, is_dev and fold (blocks of BLOCK
    consecutive sentences of each file, block b in fold b mod k)."""
    texts, y, is_dev, fold = [], [], [], []
    for j, f in enumerate((train_f, dev_f)):
        x, yy = read_tsv(folder / f, text_col, label_col, positive)
        texts += x
        y.append(yy)
        is_dev += [j == 1] * len(x)
        fold += [(i // BLOCK) % k for i in range(len(x))]
    return texts, np.concatenate(y), np.array(is_dev), np.array(fold)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, c) minimising the log loss of sigmoid(a·z + c) against y, unweighted."""
    zt, yt = torch.tensor(z, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    a = torch.ones((), dtype=torch.float64, requires_grad=True)
    c = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([a, c], max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(a * zt + c, yt)
        loss.backward()
        return loss

    opt.step(closure)
    return float(a.detach()), float(c.detach())


def best_threshold(y, p, measure) -> float:
    return float(max(GRID, key=lambda t: measure(y, (p >= t).astype(float))))


def choose(z_by_l2: dict, y: np.ndarray, rows: np.ndarray, measure) -> tuple[float, float, float, float, float]:
    """(l2, a, c, threshold, score) best on `rows` of the out-of-fold logits."""
    best = None
    for l2, z in z_by_l2.items():
        a, c = platt(z[rows], y[rows])
        p = sigmoid(a * z[rows] + c)
        th = best_threshold(y[rows], p, measure)
        score = measure(y[rows], (p >= th).astype(float))
        if best is None or score > best[-1]:
            best = (l2, a, c, th, score)
    return best


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = (p >= lo) & ((p < hi) if b < bins - 1 else (p <= hi))
        if sel.any():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "sentences": int(sel.sum()), "mean_score": round(float(p[sel].mean()), 3),
                        "positive_share": round(float(y[sel].mean()), 3)})
    return out


def expected_calibration_error(y, p, bins=10) -> float:
    table = reliability(y, p, bins)
    return sum(r["sentences"] * abs(r["mean_score"] - r["positive_share"]) for r in table) / len(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--checkworthy", type=Path, required=True)
    ap.add_argument("--subjectivity", type=Path, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--engines", default="ort,ov", help="which engines' readings to fit on: ort, ov or both (ort,ov)")
    ap.add_argument("--cache", type=Path, help="keep the encoder's sentence features here (npz) and reuse them")
    ap.add_argument("--write", action="store_true", help="write the shipped heads and thresholds into the model folder")
    args = ap.parse_args()
    import onnxruntime as ort

    torch.set_num_threads(args.threads)
    t0 = time.time()
    cfg_path = args.model / "config.json"
    cfg = json.loads(cfg_path.read_text())
    tok, (first, last, _pad) = ptc.model_tokenizer(args.model, cfg)
    frame = (first, last)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    sessions = {}
    for engine in engines:
        if engine == "ort":
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = args.threads
            sessions[engine] = u8_graph.session(args.model, opts)
        elif engine == "ov":
            sessions[engine] = OpenVinoSession(args.model / "model.ov.onnx", args.threads)
        else:
            raise SystemExit(f"unknown engine {engine!r}: ort or ov")
    max_len, stride = cfg.get("max_len", 256), cfg.get("stride", 192)
    tasks = {
        "checkworthy": (args.checkworthy, "CT24_checkworthy_english_train.tsv", "CT24_checkworthy_english_dev.tsv",
                        "Text", "class_label", "Yes", f1_pos, "F1 of the positive class"),
        "subjective": (args.subjectivity, "train_en.tsv", "dev_en.tsv", "sentence", "label", "SUBJ", macro_f1, "macro-F1"),
    }
    cache = dict(np.load(args.cache)) if args.cache and args.cache.exists() else {}
    heads = {"alone": ([], []), "context": ([], [])}
    report = {"folds": args.folds, "fold_blocks": BLOCK, "l2_grid": list(L2S)}
    thresholds = {"alone": {}, "context": {}}
    for name, (folder, train_f, dev_f, tc, lc, posv, measure, mname) in tasks.items():
        texts, y, is_dev, fold = pooled(folder, train_f, dev_f, tc, lc, posv, args.folds)
        feats = {"alone": [], "context": []}
        for engine, sess in sessions.items():
            for reading in ("alone", "context"):
                key = f"{name}-{reading}" + ("" if engine == "ort" else f"-{engine}")
                if key not in cache:
                    print(f"[{time.time() - t0:.0f}s] {name}: reading {len(texts)} sentences {reading} ({engine})", flush=True)
                    if reading == "alone":
                        cache[key] = features(sess, tok, texts, max_len=max_len, frame=frame)
                    else:
                        # Pseudo-articles per file, so none spans the train/dev boundary.
                        n_train = int((~is_dev).sum())
                        cache[key] = np.concatenate([
                            context_features(sess, tok, texts[:n_train], max_len, stride, frame=frame),
                            context_features(sess, tok, texts[n_train:], max_len, stride, frame=frame)])
                    if args.cache:
                        np.savez(args.cache, **cache)
                feats[reading].append(cache[key])
        # Each engine's reading is one more copy of every sentence.
        copies = len(sessions)
        feats = {r: np.concatenate(v) for r, v in feats.items()}
        y, is_dev, fold = np.tile(y, copies), np.tile(is_dev, copies), np.tile(fold, copies)
        both = np.concatenate([feats["alone"], feats["context"]])
        y2 = np.concatenate([y, y])
        fold2 = np.concatenate([fold, fold])
        # Out-of-fold logits per L2 strength and reading.
        oof = {r: {l2: np.zeros(len(y)) for l2 in L2S} for r in ("alone", "context")}
        for l2 in L2S:
            for k in range(args.folds):
                w, b = fit_logreg(both[fold2 != k], y2[fold2 != k], l2)
                for r in ("alone", "context"):
                    oof[r][l2][fold == k] = feats[r][fold == k] @ w + b
            print(f"[{time.time() - t0:.0f}s] {name}: l2={l2} out-of-fold done", flush=True)
        entry = {"measure": mname, "engines": list(sessions), "sentences": len(y) // copies,
                 "dev_sentences": int(is_dev.sum()) // copies, "positives": int(y.sum()) // copies}
        for r in ("alone", "context"):
            p_cal = np.zeros(len(y))
            per_fold, chosen = [], []
            for k in range(args.folds):
                l2, a, c, th, _ = choose(oof[r], y, fold != k, measure)
                held = fold == k
                p_cal[held] = sigmoid(a * oof[r][l2][held] + c)
                per_fold.append(measure(y[held], (p_cal[held] >= th).astype(float)))
                chosen.append({"l2": l2, "threshold": th})
            pred = np.zeros(len(y))
            for k in range(args.folds):
                pred[fold == k] = (p_cal[fold == k] >= chosen[k]["threshold"]).astype(float)
            l2, a, c, th, _ = choose(oof[r], y, np.ones(len(y), dtype=bool), measure)
            w, b = fit_logreg(both, y2, l2)
            heads[r][0].append(a * w)
            heads[r][1].append(a * b + c)
            thresholds[r][name] = th
            entry[r] = {
                "cv_mean": round(statistics.mean(per_fold), 4), "cv_sd": round(statistics.stdev(per_fold), 4),
                "cv_per_fold": [round(v, 4) for v in per_fold], "cv_pooled": round(measure(y, pred), 4),
                "dev_out_of_fold": round(measure(y[is_dev], pred[is_dev]), 4),
                "chosen_per_fold": chosen,
                "shipped": {"l2": l2, "platt_a": round(a, 4), "platt_c": round(c, 4), "threshold": th},
                "ece": round(expected_calibration_error(y, p_cal), 4),
                "reliability": reliability(y, p_cal),
            }
            print(f"[{time.time() - t0:.0f}s] {name} {r}: CV {mname} {entry[r]['cv_mean']:.4f} ± {entry[r]['cv_sd']:.4f} "
                  f"(dev sentences {entry[r]['dev_out_of_fold']:.4f}), ECE {entry[r]['ece']:.4f}; ships l2={l2} "
                  f"threshold {th}", flush=True)
        report[name] = entry
    print(json.dumps(report, indent=1))
    if args.write:
        write_heads(args.model, heads, list(tasks), thresholds["alone"], thresholds["context"], report)
        print(f"wrote {args.model / 'sentence_heads.safetensors'} and {cfg_path}")


if __name__ == "__main__":
    main()
