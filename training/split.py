"""Writes the validation split as files the Rust tools read.

    python split.py --data PTC/train --out out/val

out/val/articles/article<ID>.txt (copies), gold-si.labels, gold-flc-tc.labels and
template-tc.labels (`id<TAB>?<TAB>start<TAB>end`) for the articles `ptc.split_of` puts in
validation (one in five, by a hash of the id): the same articles `train.py` holds out.
"""

import argparse
import shutil
from pathlib import Path

import ptc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    (args.out / "articles").mkdir(parents=True, exist_ok=True)
    ids = set()
    for p in sorted((args.data / "train-articles").glob("article*.txt")):
        aid = p.stem[len("article"):]
        if ptc.split_of(aid) == "val":
            ids.add(aid)
            shutil.copy(p, args.out / "articles" / p.name)
    si = [l for l in (args.data / "train-task-si.labels").read_text().splitlines() if l.split("\t")[0] in ids]
    tc = [l for l in (args.data / "train-task-flc-tc.labels").read_text().splitlines() if l.split("\t")[0] in ids]
    (args.out / "gold-si.labels").write_text("".join(l + "\n" for l in si))
    (args.out / "gold-flc-tc.labels").write_text("".join(l + "\n" for l in tc))
    tmpl = []
    for l in tc:
        aid, _, s, e = l.split("\t")
        tmpl.append(f"{aid}\t?\t{s}\t{e}\n")
    (args.out / "template-tc.labels").write_text("".join(tmpl))
    print(f"{len(ids)} validation articles, {len(tc)} technique spans -> {args.out}")


if __name__ == "__main__":
    main()
