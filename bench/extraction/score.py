#!/usr/bin/env python3
"""Score article-extraction predictions against the ground truth.

    score.py DATA_DIR PRED_DIR [--ids FILE] [--quiet]

PRED_DIR holds one `<id>.txt` per page (a missing file counts as an empty prediction). The metric
is the one in DATA_DIR/README.md, and the same as `examples/extraction_score.rs`, so figures for
unspin, trafilatura and readability-lxml come from one definition: 4-token shingles of `\\w+`
tokens (case kept), multiset overlap per page, precision averaged over pages whose prediction has
at least one shingle, recall over all pages, F1 the harmonic mean of the two averages.
"""

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

WORD = re.compile(r"\w+")


def shingles(text):
    tokens = WORD.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


def page_score(predicted, truth):
    """(precision or None, recall) of one page."""
    pred, true = shingles(predicted), shingles(truth)
    tp = sum((pred & true).values())
    n_pred, n_true = sum(pred.values()), sum(true.values())
    precision = tp / n_pred if n_pred else None
    recall = tp / n_true if n_true else 1.0
    return precision, recall


def summarize(scores):
    precisions = [p for p, _ in scores if p is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(r for _, r in scores) / len(scores) if scores else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_ids(data_dir, ids_file):
    truth = json.loads((Path(data_dir) / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    if ids_file:
        wanted = [l.strip() for l in Path(ids_file).read_text().splitlines() if l.strip()]
        ids = sorted(wanted)
    return truth, ids


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir")
    ap.add_argument("pred_dir")
    ap.add_argument("--ids")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    truth, ids = load_ids(args.data_dir, args.ids)
    scores = []
    for page_id in ids:
        path = Path(args.pred_dir) / f"{page_id}.txt"
        predicted = path.read_text(encoding="utf-8") if path.exists() else ""
        p, r = page_score(predicted, truth[page_id]["articleBody"])
        scores.append((p, r))
        if not args.quiet:
            ps = "-" if p is None else f"{p:.3f}"
            print(f"{page_id}\tP={ps}\tR={r:.3f}")
    precision, recall, f1 = summarize(scores)
    print(f"pages={len(scores)}  precision={precision:.4f}  recall={recall:.4f}  F1={f1:.4f}")


if __name__ == "__main__":
    sys.exit(main())
