"""Subjectivity: frozen-encoder heads, the fine-tuned sentence model, and the two averaged, on the same folds.

    python sentence_ensemble.py --model ../models/unspin-ptc-mpnet --subjectivity SUBJ_DIR \
        --sentence-cv /work/sft/subj-minilm [--cache /work/sft/mpnet-subj] [--ort]

An experiment, not a shipping step: nothing is written to a model folder. It asks whether the
accurate model's subjectivity would gain from averaging the two scorers it could use.

- **Heads.** The encoder's mean token state of each sentence read alone, from OpenVINO
  (`model.ov.onnx`; f32 on a CPU without bf16 units, bf16 with them), into a class-balanced
  logistic regression on standardised features, fitted per held-out fold on the other folds. The
  shipped heads (`sentence_cv.py`) are instead fitted on both engines' readings and on both
  readings (alone and in context) at once.
- **Sentence model.** The out-of-fold logits that `sentence_ft.py cv --tasks subjective` wrote
  (`--sentence-cv`), per epoch.
- **Average.** Each source Platt-calibrated, then w·heads + (1−w)·model.

Folds are `sentence_cv.py`'s (blocks of 60 sentences, block b in fold b mod 5). For each held-out
fold, everything chosen (regularisation, epoch, calibration, threshold) is chosen on the other
folds' out-of-fold scores only. Averaging weights are reported side by side rather than chosen.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

import ptc
import sentence_cv as scv
from sentence_ft import calibrated
from sentence_heads import features, macro_f1

K = 5
CS = (0.001, 0.01, 0.1)


def heads_oof(X, y, fold_x, C, readings, fold):
    """Out-of-fold logits, one array per reading in `readings` (sentences with folds `fold`), of
    heads fitted on the rows of `X` (labels `y`, folds `fold_x`) outside each held-out fold."""
    zs = [np.zeros(len(fold)) for _ in readings]
    for k in range(K):
        tr, held = fold_x != k, fold == k
        sc = StandardScaler().fit(X[tr])
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(sc.transform(X[tr]), y[tr])
        for z, R in zip(zs, readings):
            z[held] = lr.decision_function(sc.transform(R[held]))
    return zs


def choose_for_fold(y, fold, k, candidates, scored=None):
    """Held-out fold k's macro-F1 with the candidate logits, Platt calibration and threshold that
    score best on the other folds. `scored` (same order as `candidates`): the logits to score
    fold k on, when they come from another reading than the ones chosen on."""
    j, a, c, th, _ = calibrated(np.stack(candidates), y, fold != k, range(len(candidates)), macro_f1)
    z, held = (scored or candidates)[j], fold == k
    return macro_f1(y[held], (scv.sigmoid(a * z[held] + c) >= th).astype(float))


def choose_and_score(y, fold, candidates, scored=None):
    return [choose_for_fold(y, fold, k, candidates, scored) for k in range(K)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--subjectivity", type=Path, required=True)
    ap.add_argument("--sentence-cv", type=Path, required=True, help="sentence_ft.py cv --tasks subjective output")
    ap.add_argument("--cache", type=Path, help="keep the encoder's sentence features beside this path (STEM-ENGINE.npy)")
    ap.add_argument("--ort", action="store_true",
                    help="also read the sentences with ONNX Runtime int8 and score the OpenVINO-fitted scorers on that reading")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    cfg = json.loads((args.model / "config.json").read_text())
    tok, (first, last, _pad) = ptc.model_tokenizer(args.model, cfg)
    texts, y, _is_dev, fold = scv.pooled(args.subjectivity, "train_en.tsv", "dev_en.tsv", "sentence", "label", "SUBJ", K)
    X = read(args, tok, texts, first, last, "ov")
    # ONNX Runtime's int8 reading, as CPUs with VNNI compute it: the uint8 graph over a flipped
    # copy of the weights (u8_graph.py) is exact on any x86 CPU.
    X_ort = read(args, tok, texts, first, last, "ort") if args.ort else None
    zm = np.zeros((6, len(y)))
    epochs = 6
    for k in range(K):
        v = np.load(args.sentence_cv / f"fold{k}.npz")
        epochs = min(epochs, v["logits"].shape[0])
        zm[:epochs, v["index"]] = v["logits"][:epochs]
    readings = [X] + ([X_ort] if X_ort is not None else [])
    # Per C, the heads' logits on each reading.
    zh_all = {C: heads_oof(X, y, fold, C, readings, fold) for C in CS}
    zh = {C: v[0] for C, v in zh_all.items()}

    def show(name, per):
        print(f"{name}: macro-F1 {statistics.mean(per):.4f} ± {statistics.stdev(per):.4f} "
              f"{[round(x, 3) for x in per]}", flush=True)

    def average(w, reading=0):
        """Per held-out fold: the heads and the model, each calibrated on the other folds, averaged
        with weight w on the heads; chosen on OpenVINO's reading, scored on `reading`'s."""
        per = []
        for k in range(K):
            other = fold != k
            cands, scored = [], []
            for C in CS:
                a1, c1 = scv.platt(zh[C][other], y[other])
                for e in range(epochs):
                    a2, c2 = scv.platt(zm[e][other], y[other])
                    model = (1 - w) * (a2 * zm[e] + c2)
                    cands.append(w * (a1 * zh[C] + c1) + model)
                    scored.append(w * (a1 * zh_all[C][reading] + c1) + model)
            per.append(choose_for_fold(y, fold, k, cands, scored))
        return per

    show("heads (OpenVINO, read alone)", choose_and_score(y, fold, list(zh.values())))
    show("sentence model", choose_and_score(y, fold, [zm[e] for e in range(epochs)]))
    for w in (0.3, 0.5, 0.7):
        show(f"average, heads weight {w}", average(w))
    if X_ort is None:
        return
    # Chosen on OpenVINO's reading, scored on ONNX Runtime's: what a model fitted on one engine
    # does where the other runs.
    show("heads, chosen on OpenVINO, scored on ONNX Runtime int8",
         choose_and_score(y, fold, list(zh.values()), [v[1] for v in zh_all.values()]))
    show("average 0.5, chosen on OpenVINO, scored on ONNX Runtime int8", average(0.5, reading=1))
    # Heads fitted on both engines' readings at once (each sentence twice), scored on each.
    both = {C: heads_oof(np.concatenate(readings), np.concatenate([y, y]), np.concatenate([fold, fold]), C,
                         readings, fold) for C in CS}
    for r, name in enumerate(("OpenVINO", "ONNX Runtime int8")):
        show(f"heads fitted on both engines' readings, scored on {name}",
             choose_and_score(y, fold, [v[r] for v in both.values()]))


def read(args, tok, texts, first, last, engine):
    """Each sentence's mean token state, read alone by `engine` (cached in --cache, per engine)."""
    cache = args.cache.with_name(f"{args.cache.stem}-{engine}.npy") if args.cache else None
    if cache and cache.exists():
        return np.load(cache)
    t0 = time.time()
    if engine == "ov":
        sess = scv.OpenVinoSession(args.model / "model.ov.onnx", args.threads)
        X = features(sess, tok, texts, max_len=128, frame=(first, last))
    else:
        import onnxruntime as ort

        import u8_graph

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = args.threads
        sess = u8_graph.session(args.model, opts)
        # One sentence per call, as unspin reads them: int8 quantizes activations per call.
        X = features(sess, tok, texts, batch=1, max_len=128, frame=(first, last))
    print(f"read {len(texts)} sentences ({engine}) in {time.time() - t0:.0f}s", flush=True)
    if cache:
        np.save(cache, X)
    return X


if __name__ == "__main__":
    main()
