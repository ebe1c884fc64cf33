"""Fit the block classifier of `unspin::ingest::html::classifier` and measure it by cross-validation.

    cargo run --release -p unspin --example extraction_blocks -- DATA_DIR OUT.jsonl   (each folder)
    python training/extraction/blocks.py DUMP.jsonl:TRUTH.json [...] --report out.json [--write MODEL.json]

Each block is labelled by the hand-marked main text: kept when at least half of its 4-token
shingles (the scorer's) are in the truth; a block of fewer than 4 tokens when its tokens occur
there in a row. Pages weigh the same whatever their length; a block weighs its share of the
page's tokens, as the page-averaged shingle F1 does.

Folds keep a site's pages together (the site is the URL's host; a page without URL is its own
site), and every benchmark is spread over all folds. Within each outer fold the threshold is
chosen by an inner cross-validation on the training folds only, so the outer figures are
measured on pages nothing was fitted or chosen on (`--fixed-threshold` skips that choice). The
report gives F1 per benchmark and fold, the mean and spread, against the rule-based extractor
alone on the same pages.

`--stack` adds the second stage `classifier.rs` runs: trees over the same features plus
`context()` of the first stage's scores, fitted on out-of-fold first-stage scores of the
training pages (an inner site-grouped CV), so that it learns how far to trust scores on pages
the first stage did not see. `cv.sh` measures the whole thing end to end through the Rust
pipeline.
"""

import argparse
import collections
import json
import re
import sys
import time
from urllib.parse import urlparse

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

TOKEN = re.compile(r"\w+")
KEPT = 12  # index of kept_by_extractor in the features
NFEATURES = 58 + 64  # blocks::FEATURES


def shingles(tokens, n=4):
    return collections.Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def load(pairs):
    pages = []
    for pair in pairs:
        dump, truth_path = pair.split(":")
        truth = json.load(open(truth_path))
        for line in open(dump):
            page = json.loads(line)
            pid = page["id"]
            t = truth[pid]
            bench = pid.split("__")[0] if "__" in pid else "scrapinghub"
            host = urlparse(t.get("url") or "").hostname or ""
            site = bench + ":" + (host[4:] if host.startswith("www.") else host or pid)
            truth_tokens = TOKEN.findall(t["articleBody"] or "")
            truth_sh = shingles(truth_tokens)
            joined = " " + " ".join(truth_tokens) + " "
            texts, feats, labels, sizes, words = [], [], [], [], []
            for b in page["blocks"]:
                toks = TOKEN.findall(b["text"])
                if len(toks) >= 4:
                    sh = shingles(toks)
                    share = sum(1 for s in sh if s in truth_sh) / max(1, len(sh))
                    label = share >= 0.5
                else:
                    label = (" " + " ".join(toks) + " ") in joined if toks else False
                texts.append(b["text"])
                feats.append(b["features"])
                labels.append(label)
                sizes.append(max(1, len(toks)))
                words.append(max(1, b["words"]))
            pages.append(dict(id=pid, bench=bench, site=site, truth=truth_tokens, texts=texts,
                              X=np.array(feats, dtype=np.float32).reshape(len(feats), NFEATURES),
                              y=np.array(labels, dtype=bool), sizes=np.array(sizes, dtype=np.float32),
                              words=np.array(words, dtype=np.float32)))
    return pages


def score(pages, predictions):
    """Page-averaged shingle precision/recall/F1 (the README's metric) of predicted texts."""
    ps, rs = [], []
    for page, text in zip(pages, predictions):
        pred = shingles(TOKEN.findall(text))
        true = shingles(page["truth"])
        tp = sum((pred & true).values())
        if sum(pred.values()):
            ps.append(tp / sum(pred.values()))
        rs.append(tp / sum(true.values()) if sum(true.values()) else (1.0 if not pred else 0.0))
    p = float(np.mean(ps)) if ps else 0.0
    r = float(np.mean(rs)) if rs else 0.0
    return dict(f1=2 * p * r / (p + r) if p + r else 0.0, p=p, r=r, pages=len(pages))


def texts_of(page, keep):
    """What extraction outputs for a page: its kept blocks, or the extractor's when none is."""
    if not keep.any():
        keep = page["X"][:, KEPT] >= 0.5 if len(page["X"]) else keep
    return "\n".join(t for t, k in zip(page["texts"], keep) if k)


def baseline(args, page):
    """The page as the baseline extracted it: its dump, or else the blocks the rule-based
    extractor kept."""
    if args.baseline:
        try:
            return open(f"{args.baseline}/{page['id']}.txt").read()
        except FileNotFoundError:
            return ""
    return texts_of(page, page["X"][:, KEPT] >= 0.5)


def folds_of(pages, k, seed=7):
    """Site-grouped folds, each benchmark's sites dealt round-robin in shuffled order."""
    rng = np.random.default_rng(seed)
    fold = {}
    by_bench = collections.defaultdict(list)
    for p in pages:
        by_bench[p["bench"]].append(p["site"])
    for bench, sites in sorted(by_bench.items()):
        counts = collections.Counter(sites)
        order = sorted(counts)
        rng.shuffle(order)
        # Biggest sites first to the emptiest fold, so folds stay near equal in pages.
        order.sort(key=lambda s: -counts[s])
        load_ = [0] * k
        for s in order:
            f = int(np.argmin(load_))
            fold[s] = f
            load_[f] += counts[s]
    return np.array([fold[p["site"]] for p in pages])


def stack(pages, balance=0.0):
    """Features, labels and weights. A page weighs 1, times (pages of its benchmark / mean pages
    per benchmark) ** -balance: with balance 1 every benchmark weighs the same."""
    X = np.concatenate([p["X"] for p in pages])
    y = np.concatenate([p["y"] for p in pages])
    counts = collections.Counter(p["bench"] for p in pages)
    mean = len(pages) / len(counts)
    w = np.concatenate([p["sizes"] / p["sizes"].sum() * (counts[p["bench"]] / mean) ** -balance for p in pages]) * 100.0
    return X, y, w


CONTEXT = 12  # classifier::CONTEXT: the features a second stage reads from the first's scores
WINDOW = 3


def context(prob, words):
    """A page's context features from its blocks' first-stage scores (`classifier.rs` computes
    the same): the block's own score, its neighbours' (one and two away; -1 past the page's
    ends), the mean and the max over three blocks either side, the page's max and its
    word-weighted mean, the share of the page's confidently kept words (score >= 0.5) that
    come before the block and after it, and the distance in blocks to the nearest such block
    (capped at 10)."""
    n = len(prob)
    out = np.zeros((n, CONTEXT), dtype=np.float32)
    if n == 0:
        return out
    # float32 scores, as classifier.rs computes them; sums in float64, as it does.
    p = prob.astype(np.float32).astype(np.float64)
    words = words.astype(np.float64)
    pad = np.concatenate([np.full(2, -1.0), p, np.full(2, -1.0)])
    kept = p >= 0.5
    kept_words = np.where(kept, words, 0.0)
    total = kept_words.sum()
    before = np.concatenate([[0.0], np.cumsum(kept_words)[:-1]])
    after = total - before - kept_words
    idx = np.flatnonzero(kept)
    if len(idx):
        at = np.arange(n)
        nxt = idx[np.minimum(np.searchsorted(idx, at), len(idx) - 1)]
        prv = idx[np.maximum(np.searchsorted(idx, at, side="right") - 1, 0)]
        dist = np.minimum(np.minimum(np.abs(nxt - at), np.abs(at - prv)), 10.0)
    else:
        dist = np.full(n, 10.0)
    wide = np.concatenate([np.full(WINDOW, np.nan), p, np.full(WINDOW, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(wide, 2 * WINDOW + 1)
    counts = (~np.isnan(windows)).sum(axis=1)
    out[:, 0] = p
    out[:, 1], out[:, 2], out[:, 3], out[:, 4] = pad[1:n + 1], pad[3:n + 3], pad[0:n], pad[4:n + 4]
    out[:, 5] = np.nansum(windows, axis=1) / counts
    out[:, 6] = np.nanmax(windows, axis=1)
    out[:, 7] = p.max()
    out[:, 8] = (p * words).sum() / words.sum()
    out[:, 9] = before / total if total else 0.0
    out[:, 10] = after / total if total else 0.0
    out[:, 11] = dist
    return out


def fit(pages, args):
    """The first stage fitted on `pages`; with --stack, also a second stage that reads the
    first's scores around each block, fitted on out-of-fold first-stage scores (an inner
    site-grouped CV) so that it learns how far to trust scores on pages the first did not see."""
    first = fit_one(pages, args, lambda p: p["X"])
    if not args.stack:
        return (first,)
    inner = folds_of(pages, args.inner, seed=13)
    oof = [None] * len(pages)
    for f in range(args.inner):
        train = [p for p, g in zip(pages, inner) if g != f]
        test_idx = [i for i, g in enumerate(inner) if g == f]
        m = fit_one(train, args, lambda p: p["X"])
        for i, pr in zip(test_idx, predict_one(m, [pages[i] for i in test_idx], lambda p: p["X"])):
            oof[i] = pr
    ctx = {p["id"]: context(pr, p["words"]) for p, pr in zip(pages, oof)}
    second = fit_one(pages, args, lambda p: np.hstack([p["X"], ctx[p["id"]]]))
    return (first, second)


def fit_one(pages, args, features):
    X, y, w = stack(pages, args.balance)
    X = np.concatenate([features(p) for p in pages])
    model = HistGradientBoostingClassifier(max_iter=args.trees, max_depth=args.depth, learning_rate=args.rate,
                                           max_leaf_nodes=args.leaves, min_samples_leaf=40, l2_regularization=1.0,
                                           early_stopping=False, random_state=0)
    model.fit(X, y, sample_weight=w)
    return model


def predict(models, pages):
    probs = predict_one(models[0], pages, lambda p: p["X"])
    if len(models) == 1:
        return probs
    ctx = {p["id"]: context(pr, p["words"]) for p, pr in zip(pages, probs)}
    return predict_one(models[1], pages, lambda p: np.hstack([p["X"], ctx[p["id"]]]))


def predict_one(model, pages, features):
    X = np.concatenate([features(p) for p in pages]) if pages else np.zeros((0, NFEATURES))
    prob = model.predict_proba(X)[:, 1] if len(X) else np.zeros(0)
    out, i = [], 0
    for p in pages:
        out.append(prob[i:i + len(p["X"])])
        i += len(p["X"])
    return out


THRESHOLDS = [round(t, 2) for t in np.arange(0.2, 0.81, 0.05)]


def mean_f1_by_bench(pages, probs, t):
    """The mean over benchmarks of F1: every benchmark counts the same, whatever its size."""
    by = collections.defaultdict(lambda: ([], []))
    for p, pr in zip(pages, probs):
        by[p["bench"]][0].append(p)
        by[p["bench"]][1].append(texts_of(p, pr >= t))
    return float(np.mean([score(ps, ts)["f1"] for ps, ts in by.values()]))


def choose_threshold(pages, args):
    """The threshold that maximises the benchmark-averaged F1 over an inner CV of `pages`."""
    inner = folds_of(pages, args.inner, seed=11)
    probs = [None] * len(pages)
    for f in range(args.inner):
        train = [p for p, g in zip(pages, inner) if g != f]
        test_idx = [i for i, g in enumerate(inner) if g == f]
        model = fit(train, args)
        for i, pr in zip(test_idx, predict(model, [pages[i] for i in test_idx])):
            probs[i] = pr
    return max(THRESHOLDS, key=lambda t: mean_f1_by_bench(pages, probs, t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="+", help="DUMP.jsonl:GROUND_TRUTH.json")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner", type=int, default=3)
    ap.add_argument("--trees", type=int, default=150)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--rate", type=float, default=0.1)
    ap.add_argument("--report", required=True)
    ap.add_argument("--write", help="fit on every page and write the model here")
    ap.add_argument("--balance", type=float, default=0.0,
                    help="0: every page weighs the same; 1: every benchmark does (between: partly)")
    ap.add_argument("--stack", action="store_true", help="a second stage over the first's scores in context")
    ap.add_argument("--fixed-threshold", type=float, help="skip the inner CV and use this threshold")
    ap.add_argument("--folds-out", help="write each outer fold's model (fold<N>.json) and held-out ids (fold<N>.ids) here, "
                    "for cv.sh to measure end to end")
    ap.add_argument("--score-dumps", help="score the end-to-end predictions cv.sh wrote here (<id>.txt), by fold, and stop")
    ap.add_argument("--baseline", help="a folder of <id>.txt predictions (extraction_score --dump) to score on the same folds")
    args = ap.parse_args()
    started = time.time()
    pages = load(args.data)
    print(f"{len(pages)} pages, {sum(len(p['texts']) for p in pages)} blocks, "
          f"{sum(int(p['y'].sum()) for p in pages)} kept by the truth", file=sys.stderr)
    fold = folds_of(pages, args.folds)
    benches = sorted({p["bench"] for p in pages})
    if args.score_dumps:
        return score_dumps(args, pages, fold, benches)
    rows = []
    for f in range(args.folds):
        train = [p for p, g in zip(pages, fold) if g != f]
        test = [p for p, g in zip(pages, fold) if g == f]
        t = args.fixed_threshold if args.fixed_threshold is not None else choose_threshold(train, args)
        model = fit(train, args)
        if args.folds_out:
            json.dump(export(model, t), open(f"{args.folds_out}/fold{f}.json", "w"))
            with open(f"{args.folds_out}/fold{f}.ids", "w") as out:
                out.writelines(p["id"] + "\n" for p in test)
        probs = predict(model, test)
        for bench in benches:
            idx = [i for i, p in enumerate(test) if p["bench"] == bench]
            ps = [test[i] for i in idx]
            ours = score(ps, [texts_of(test[i], probs[i] >= t) for i in idx])
            rule = score(ps, [baseline(args, test[i]) for i in idx])
            rows.append(dict(fold=f, bench=bench, threshold=t, classifier=ours, extractor=rule))
            print(f"fold {f} t={t:.2f} {bench:16s} {ours['pages']:4d} pages  classifier F1 {ours['f1']:.4f} "
                  f"(P {ours['p']:.3f} R {ours['r']:.3f})  baseline {rule['f1']:.4f}", file=sys.stderr)
    summary = {}
    for bench in benches:
        c = [r["classifier"]["f1"] for r in rows if r["bench"] == bench]
        e = [r["extractor"]["f1"] for r in rows if r["bench"] == bench]
        summary[bench] = dict(classifier_mean=float(np.mean(c)), classifier_sd=float(np.std(c, ddof=1)),
                              extractor_mean=float(np.mean(e)), extractor_sd=float(np.std(e, ddof=1)),
                              better_folds=int(sum(a > b for a, b in zip(c, e))), folds=len(c))
        s = summary[bench]
        print(f"{bench:16s} classifier {s['classifier_mean']:.4f} ± {s['classifier_sd']:.4f}   "
              f"baseline {s['extractor_mean']:.4f} ± {s['extractor_sd']:.4f}   better in {s['better_folds']}/{len(c)} folds",
              file=sys.stderr)
    report = dict(args=vars(args), pages=len(pages), rows=rows, summary=summary, seconds=time.time() - started)
    if args.write:
        t = args.fixed_threshold if args.fixed_threshold is not None else choose_threshold(pages, args)
        model = fit(pages, args)
        json.dump(export(model, t), open(args.write, "w"), separators=(",", ":"))
        report["final_threshold"] = t
        print(f"wrote {args.write} (threshold {t})", file=sys.stderr)
    json.dump(report, open(args.report, "w"), indent=1)


def score_dumps(args, pages, fold, benches):
    """F1 per benchmark and fold of the end-to-end predictions in args.score_dumps, against
    the baseline's on the same pages."""
    def read(folder, pid):
        try:
            return open(f"{folder}/{pid}.txt").read()
        except FileNotFoundError:
            return ""
    summary, rows = {}, []
    for bench in benches:
        ours, base = [], []
        for f in range(args.folds):
            ps = [p for p, g in zip(pages, fold) if g == f and p["bench"] == bench]
            if not ps:
                continue
            a = score(ps, [read(args.score_dumps, p["id"]) for p in ps])
            b = score(ps, [baseline(args, p) for p in ps])
            rows.append(dict(fold=f, bench=bench, classifier=a, baseline=b))
            ours.append(a["f1"])
            base.append(b["f1"])
        all_pages = [p for p in pages if p["bench"] == bench]
        pooled = score(all_pages, [read(args.score_dumps, p["id"]) for p in all_pages])
        summary[bench] = dict(mean=float(np.mean(ours)), sd=float(np.std(ours, ddof=1)) if len(ours) > 1 else 0.0,
                              baseline_mean=float(np.mean(base)), better_folds=int(sum(a > b for a, b in zip(ours, base))),
                              folds=len(ours), pooled=pooled)
        s = summary[bench]
        print(f"{bench:16s} {len(all_pages):4d} pages  end-to-end F1 {s['mean']:.4f} ± {s['sd']:.4f} over {len(ours)} folds "
              f"(pooled {pooled['f1']:.4f}: P {pooled['p']:.3f} R {pooled['r']:.3f})   baseline {s['baseline_mean']:.4f}   "
              f"better in {s['better_folds']}/{len(ours)}", file=sys.stderr)
    json.dump(dict(rows=rows, summary=summary), open(args.report, "w"), indent=1)


def export(models, threshold):
    """The fitted stages in the JSON that `classifier.rs` reads: per tree, per node, the
    feature, the threshold (go left when the value is <= it), the children and the leaf value."""
    return dict(format="unspin-block-trees", version=2, features=NFEATURES, context=CONTEXT, threshold=threshold,
                stages=[export_stage(m) for m in models])


def f32(x):
    """`x` as the shortest decimal that reads back as the same float32 (what classifier.rs
    reads), which keeps the file small."""
    return float(str(np.float32(x)))


def export_stage(model):
    trees = []
    for predictors in model._predictors:
        nodes = predictors[0].nodes
        trees.append(dict(
            feature=[int(n["feature_idx"]) for n in nodes],
            threshold=[f32(n["num_threshold"]) for n in nodes],
            left=[int(n["left"]) for n in nodes],
            right=[int(n["right"]) for n in nodes],
            leaf=[bool(n["is_leaf"]) for n in nodes],
            value=[f32(n["value"]) for n in nodes],
        ))
    return dict(base=float(np.ravel(model._baseline_prediction)[0]), trees=trees)


if __name__ == "__main__":
    main()
