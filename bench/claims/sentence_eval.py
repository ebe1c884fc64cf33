"""Scores `unspin claims --sentences` (the Rust sentence mode, a model's shipped heads and
thresholds) on the CheckThat! dev files: check-worthiness F1 of "Yes" and subjectivity macro-F1.

    python3 bench/claims/sentence_eval.py [--model accurate|fast|DIR] [--unspin target/release/unspin]

The dev sentences are part of the cross-validation that chose the heads' thresholds
(training/sentence_cv.py), so these figures check that Rust reproduces the Python reading; the
honest estimate is the cross-validated one in the model's config.json (`sentence_validation`).
Needs only the Python standard library.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"


def read_tsv(path: Path, text_col: str, label_col: str, positive: str):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r[text_col].replace("\n", " ") for r in rows], [r[label_col].strip() == positive for r in rows]


def f1(gold, pred) -> float:
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="accurate")
    ap.add_argument("--unspin", default=str(ROOT / "target/release/unspin"))
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    tasks = [
        ("checkworthy", args.data / "checkthat-checkworthiness-en/CT24_checkworthy_english_dev.tsv", "Text", "class_label", "Yes", 1),
        ("subjective", args.data / "checkthat-subjectivity-en/dev_en.tsv", "sentence", "label", "SUBJ", 3),
    ]
    for name, path, tc, lc, pos, col in tasks:
        texts, gold = read_tsv(path, tc, lc, pos)
        t0 = time.time()
        done = subprocess.run([args.unspin, "claims", "--model", args.model, "--sentences", "-"], input="\n".join(texts) + "\n",
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        lines = done.stdout.splitlines()[1:]
        assert len(lines) == len(texts), (len(lines), len(texts))
        pred = [line.split("\t")[col] == "1" for line in lines]
        if name == "checkworthy":
            score, measure = f1(gold, pred), "F1(Yes)"
        else:
            neg = [not g for g in gold], [not p for p in pred]
            score, measure = (f1(gold, pred) + f1(*neg)) / 2, "macro-F1"
        print(f"{name}: {len(texts)} dev sentences, {measure} {score:.4f} ({time.time() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
