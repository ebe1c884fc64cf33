"""Cross-validated decoding choices and scores from the held-out dumps of `cv.sh`.

    python cv.py --runs out-cv-mpnet --base MPNET_DIR [--epoch 3] [--out out-cv-mpnet/cv-e3.json] [--span-channel mean-any-max]

Each fold's run (RUNS/foldK) trained on the other folds and wrote its held-out articles' token
probabilities and window states after some epochs (heldout-eN.pt). For every fold K this script
tunes the decoding (thresholds, hysteresis, gap, sentence widening) on the held-out predictions of
the *other* folds and scores fold K with them, so no figure comes from articles the settings were
chosen on. It prints SI, FLC and TC per fold with their mean and spread, span density against the
annotators', and per-technique scores pooled over folds; `plain` decoding (one threshold, no
structure) is scored the same way beside it. The settings to ship are tuned on all held-out
articles together and written to --out. With a single fold, its articles are split in two halves
instead (tune on one, score the other, both ways).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch

import ptc
from ptc import TECHNIQUES
from train import Reader, SpanHead, gold_of, per_technique, tc_score, tune


# What the span channel (0) decodes: the "any technique" probability as trained, or its mean with
# the strongest technique channel's (`mean-any-max`, an experiment: the Rust detector and
# export.py know only `any`).
SPAN_CHANNELS = {
    "any": lambda p: p[:, 0],
    "mean-any-max": lambda p: 0.5 * (p[:, 0] + p[:, 1:].max(axis=1)),
}


def load_fold(path: Path, arts: dict, span_channel: str = "any") -> list[Reader]:
    dump = torch.load(path, weights_only=False)
    head = SpanHead(tensors={"span_head." + k: v for k, v in dump["span_head"].items()})
    out = []
    for aid, d in dump["articles"].items():
        hidden = [h.astype(np.float64) for h in d["hidden"]]
        probs = d["probs"].copy()
        probs[:, 0] = SPAN_CHANNELS[span_channel](d["probs"])
        out.append(Reader(arts[aid], probs, d["starts"], hidden, head))
    return out


def words(a) -> int:
    return len(a.text.split())


def score(readers, thr) -> dict:
    gold = gold_of([r.a for r in readers])
    pred = {r.a.id: [(s, e, t) for s, e, t, _ in r.decode(thr)] for r in readers}
    si = ptc.span_prf(gold, pred, False)
    flc = ptc.span_prf(gold, pred, True)
    n_words = sum(words(r.a) for r in readers)
    spans = [e - s for v in pred.values() for s, e, _ in v]
    return {"si": si, "flc": flc, "pred": pred, "gold": gold,
            "density": 1000 * len(spans) / n_words,
            "gold_density": 1000 * sum(len(v) for v in gold.values()) / n_words,
            "median_chars": float(np.median(spans)) if spans else 0.0}


def nested(folds: dict, structure: bool, log, max_density: float) -> tuple[list[dict], dict]:
    """Per fold: settings tuned on the other folds, scores on this one."""
    keys = sorted(folds)
    rows = []
    pred_all, gold_all = {}, {}
    if len(keys) == 1:
        readers = folds[keys[0]]
        halves = {"A": readers[0::2], "B": readers[1::2]}
        plan = [("A", halves["B"], halves["A"]), ("B", halves["A"], halves["B"])]
    else:
        plan = [(k, [r for j in keys if j != k for r in folds[j]], folds[k]) for k in keys]
    for name, tune_on, test in plan:
        t0 = time.time()
        thr = tune(tune_on, None, structure=structure, max_density=max_density)
        res = score(test, thr)
        tc, _ = tc_score(test)
        rows.append({"fold": name, "articles": len(test), "si_p": res["si"][0], "si_r": res["si"][1],
                     "si_f1": res["si"][2], "flc_f1": res["flc"][2], "tc": tc, "density": res["density"],
                     "gold_density": res["gold_density"], "median_chars": res["median_chars"], "settings": thr})
        pred_all.update(res["pred"])
        gold_all.update(res["gold"])
        log(f"  fold {name}: SI {res['si'][2]:.4f} (P {res['si'][0]:.4f} R {res['si'][1]:.4f}) FLC {res['flc'][2]:.4f} "
            f"TC {tc:.4f} spans/1k words {res['density']:.1f} (gold {res['gold_density']:.1f}) "
            f"[{time.time() - t0:.0f}s] {json.dumps(thr)}")
    return rows, {"flc_per_technique": per_technique(gold_all, pred_all)}


def summary(rows, key):
    vals = [r[key] for r in rows]
    return {"mean": round(statistics.fmean(vals), 4), "sd": round(statistics.stdev(vals), 4) if len(vals) > 1 else 0.0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=Path, required=True, help="folder with fold0..fold4 of cv.sh")
    ap.add_argument("--base", type=Path, required=True, help="the encoder folder (for its tokenizer)")
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared/data/ptc/train")
    ap.add_argument("--epoch", type=int, default=3)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--span-channel", choices=sorted(SPAN_CHANNELS), default="any",
                    help="what span detection reads: the 'any' channel, or its mean with the strongest technique's "
                    "(an experiment; export.py ships only 'any')")
    ap.add_argument("--max-density", type=float, default=1.75,
                    help="settings may predict at most this many times the annotators' spans on the articles they are tuned on (0: no limit); below the 2x bar, so held-out folds stay under it")
    args = ap.parse_args()
    log = lambda m: print(m, flush=True)  # noqa: E731

    tok = ptc.load_tokenizer(args.base)
    arts = ptc.load_articles(args.data)
    ptc.tokenize(tok, arts)
    by_id = {a.id: a for a in arts}
    folds = {}
    for d in sorted(args.runs.glob("fold*")):
        dump = d / f"heldout-e{args.epoch}.pt"
        if dump.exists():
            folds[d.name[len("fold"):]] = load_fold(dump, by_id, args.span_channel)
    if not folds:
        raise SystemExit(f"no {args.runs}/fold*/heldout-e{args.epoch}.pt")
    log(f"epoch {args.epoch}: folds {sorted(folds)} ({sum(len(v) for v in folds.values())} held-out articles)")

    report = {"epoch": args.epoch, "folds": sorted(folds), "span_channel": args.span_channel}
    for name, structure in (("plain", False), ("structured", True)):
        log(f"{name} decoding, settings tuned on the other folds:")
        rows, pooled = nested(folds, structure, log, args.max_density)
        report[name] = {"per_fold": rows, **{k: summary(rows, k) for k in
                                             ("si_f1", "si_p", "si_r", "flc_f1", "tc", "density", "median_chars")},
                        **pooled}
        s = report[name]
        log(f"{name}: SI {s['si_f1']['mean']:.4f} ± {s['si_f1']['sd']:.4f}, FLC {s['flc_f1']['mean']:.4f} ± "
            f"{s['flc_f1']['sd']:.4f}, TC {s['tc']['mean']:.4f} ± {s['tc']['sd']:.4f}, "
            f"spans/1k words {s['density']['mean']:.1f}")
    readers = [r for v in folds.values() for r in v]
    _, per_tc = tc_score(readers)
    report["tc_per_technique"] = {
        name: {"p": round(tp / npred, 4) if npred else 0.0, "r": round(tp / ngold, 4) if ngold else 0.0,
               "gold": int(ngold)} for name, (tp, npred, ngold) in zip(TECHNIQUES, per_tc)}
    report["max_density"] = args.max_density
    report["settings"] = tune(readers, log, structure=True, max_density=args.max_density)
    if args.out:
        args.out.write_text(json.dumps(report, indent=1, default=float))
        log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
