"""A sentence model fine-tuned for check-worthiness and subjectivity, chosen by k-fold cross-validation.

    # out-of-fold scores, one fold at a time (resumable: a finished fold is skipped)
    python sentence_ft.py --base BASE_DIR --checkworthy CW_DIR --subjectivity SUBJ_DIR --out OUT cv [--folds 0 1 2 3 4]
    # the cross-validated report, per epoch: mean and spread over folds, dev-only figure, reliability
    python sentence_ft.py ... --out OUT report
    # the shipped model: every sentence, the epoch count the report chose (with --stop-after E, the
    # first E epochs of an --epochs N schedule: the checkpoint the cross-validation scored)
    python sentence_ft.py ... --out OUT final --epochs N [--stop-after E]
    # its folder as the Rust side reads it, calibration and thresholds from the report
    python sentence_ft.py ... --out OUT export --name NAME --to MODEL_DIR/sentence
    # what a sentence costs the exported graph on ONNX Runtime, one sentence a call
    python sentence_ft.py ... --out OUT time --to MODEL_DIR/sentence
    # the exported int8 graph against PyTorch f32 on every sentence: decisions that flip
    python sentence_ft.py ... --out OUT check --to MODEL_DIR/sentence
    # any command on one task only: --tasks subjective (or checkworthy), with an --out of its own

`sentence_cv.py` fits logistic regressions on a frozen encoder (the detector's); here the whole
encoder is fine-tuned on the CheckThat! sentences, read alone ([first] sentence [last], as
`unspin claims --sentences` reads them). One encoder, two outputs (check-worthiness,
subjectivity) over the mean of the sentence's token states; each sentence trains only its own
task's output. Subjectivity has 1,292 sentences against 23,533, so its sentences are repeated
`--subj-repeat` times an epoch.

Folds, calibration and thresholds are `sentence_cv.py`'s, so the two are comparable: train and dev
pooled, blocks of 60 consecutive sentences, block b in fold b mod K; for each held-out fold the
Platt calibration and threshold are chosen on the other folds' out-of-fold scores only. The
report adds the epoch: per held-out fold, the epoch is chosen on the other folds too.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from sentence_cv import best_threshold, expected_calibration_error, platt, pooled, reliability, sigmoid
from sentence_heads import f1_pos, macro_f1
import u8_graph

TASKS = {
    "checkworthy": ("CT24_checkworthy_english_train.tsv", "CT24_checkworthy_english_dev.tsv", "Text", "class_label",
                    "Yes", f1_pos, "F1 of the positive class"),
    "subjective": ("train_en.tsv", "dev_en.tsv", "sentence", "label", "SUBJ", macro_f1, "macro-F1"),
}


def load_data(args):
    """Per task: texts, labels, is_dev, fold (as in sentence_cv.py)."""
    data = {}
    for name, (train_f, dev_f, tc, lc, pos, _m, _n) in TASKS.items():
        folder = args.checkworthy if name == "checkworthy" else args.subjectivity
        data[name] = pooled(folder, train_f, dev_f, tc, lc, pos, args.k)
    return data


class SentenceModel(torch.nn.Module):
    def __init__(self, base: Path, tasks: int):
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(str(base))
        hidden = self.encoder.config.hidden_size
        self.dropout = torch.nn.Dropout(0.1)
        self.out = torch.nn.Linear(hidden, tasks)

    def pooled(self, ids, mask, content):
        h = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        # Mean over the sentence's own tokens (not the framing ones), as the Rust heads pool.
        w = content.unsqueeze(-1).to(h.dtype)
        return (h * w).sum(1) / w.sum(1).clamp(min=1)

    def forward(self, ids, mask, content):
        return self.out(self.dropout(self.pooled(ids, mask, content)))


def encode(tok, texts, max_len):
    first, last = tok.cls_token_id, tok.sep_token_id
    encs = tok(texts, add_special_tokens=False, truncation=True, max_length=max_len - 2)["input_ids"]
    return [[first] + e + [last] for e in encs]


def batches(encs, idx, batch, pad, shuffle, rng):
    """Batches of similar length (sorted in chunks of 50 batches), as tensors."""
    idx = list(idx)
    if shuffle:
        rng.shuffle(idx)
    chunk = batch * 50
    out = []
    for c0 in range(0, len(idx), chunk):
        part = sorted(idx[c0:c0 + chunk], key=lambda i: len(encs[i]))
        out += [part[b:b + batch] for b in range(0, len(part), batch)]
    if shuffle:
        rng.shuffle(out)
    for rows in out:
        T = max(len(encs[i]) for i in rows)
        ids = torch.full((len(rows), T), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), T), dtype=torch.long)
        content = torch.zeros((len(rows), T), dtype=torch.bool)
        for b, i in enumerate(rows):
            e = encs[i]
            ids[b, :len(e)] = torch.tensor(e)
            mask[b, :len(e)] = 1
            content[b, 1:len(e) - 1] = True
        yield rows, ids, mask, content


def cpu_has_bf16() -> bool:
    """Whether the CPU multiplies bf16 natively (AVX-512 BF16 or AMX). Without it PyTorch emulates
    bf16 autocast, about 12x slower than f32 (measured on a Zen 3 EPYC: 20 s a step against 1.7 s)."""
    try:
        flags = Path("/proc/cpuinfo").read_text().split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


BF16 = cpu_has_bf16()


def score(model, encs, idx, pad, batch=128):
    model.eval()
    out = np.zeros((len(encs), model.out.out_features), dtype=np.float32)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=BF16):
        for rows, ids, mask, content in batches(encs, idx, batch, pad, False, None):
            out[rows] = model(ids, mask, content).float().numpy()
    model.train()
    return out


def train(args, data, encs, train_rows, held_rows, log):
    """Fine-tunes on `train_rows` ((task, index) pairs); returns per-epoch logits of `held_rows`."""
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    model = SentenceModel(args.base, len(TASKS))
    names = list(TASKS)
    # One flat index over both tasks.
    offset = {n: sum(len(data[m][0]) for m in names[:j]) for j, n in enumerate(names)}
    flat_enc = [e for n in names for e in encs[n]]
    flat_y = np.concatenate([data[n][1] for n in names]).astype(np.float32)
    flat_task = np.concatenate([np.full(len(data[n][0]), j) for j, n in enumerate(names)])
    rows = []
    for n, i in train_rows:
        rows += [offset[n] + i] * (args.subj_repeat if n == "subjective" else 1)
    held = [offset[n] + i for n, i in held_rows]
    steps_per_epoch = math.ceil(len(rows) / args.batch)
    total = steps_per_epoch * args.epochs
    enc_params = list(model.encoder.parameters())
    opt = torch.optim.AdamW([{"params": enc_params, "lr": args.lr},
                             {"params": list(model.out.parameters()), "lr": args.head_lr}], weight_decay=0.01)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    pad = args.pad
    per_epoch = []
    step, t0 = 0, time.time()
    for epoch in range(args.stop_after or args.epochs):
        for brows, ids, mask, content in batches(flat_enc, rows, args.batch, pad, True, rng):
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=BF16):
                logits = model(ids, mask, content).float()
            t = torch.tensor(flat_task[brows])
            z = logits[torch.arange(len(brows)), t]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor(flat_y[brows]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 100 == 0:
                log(f"step {step}/{total} loss {loss.item():.4f} ({time.time() - t0:.0f}s)")
        if held:
            z = score(model, flat_enc, held, pad)
            per_epoch.append(np.array([z[r, flat_task[r]] for r in held], dtype=np.float32))
            log(f"epoch {epoch + 1} scored {len(held)} held-out sentences ({time.time() - t0:.0f}s)")
    return model, per_epoch


def cmd_cv(args, data, encs):
    args.out.mkdir(parents=True, exist_ok=True)
    for k in args.folds:
        path = args.out / f"fold{k}.npz"
        if path.exists():
            print(f"fold {k}: done already ({path})", flush=True)
            continue
        train_rows = [(n, i) for n in TASKS for i in np.flatnonzero(data[n][3] != k)]
        held_rows = [(n, i) for n in TASKS for i in np.flatnonzero(data[n][3] == k)]
        t0 = time.time()
        _, per_epoch = train(args, data, encs, train_rows, held_rows,
                             lambda m: print(f"[fold {k}] {m}", flush=True))
        np.savez(path, logits=np.stack(per_epoch), task=np.array([n for n, _ in held_rows]),
                 index=np.array([i for _, i in held_rows]))
        print(f"fold {k}: {time.time() - t0:.0f}s, wrote {path}", flush=True)


def calibrated(z, y, rows, epochs, measure):
    """(epoch, a, c, threshold, score): of `epochs`, the one whose out-of-fold logits `z[e]`,
    Platt-calibrated and thresholded on `rows`, score best there."""
    best = None
    for e in epochs:
        a, c = platt(z[e, rows], y[rows])
        p = sigmoid(a * z[e, rows] + c)
        th = best_threshold(y[rows], p, measure)
        s = measure(y[rows], (p >= th).astype(float))
        if best is None or s > best[-1]:
            best = (e, a, c, th, s)
    return best


def cmd_report(args, data):
    folds = sorted(int(p.stem[4:]) for p in args.out.glob("fold*.npz"))
    if len(folds) < 2:
        raise SystemExit(f"need at least two folds' scores in {args.out}")
    loaded = {k: np.load(args.out / f"fold{k}.npz") for k in folds}
    epochs = min(v["logits"].shape[0] for v in loaded.values())
    report = {"folds_scored": folds, "k": args.k, "epochs": epochs}
    for name, (*_, measure, mname) in TASKS.items():
        texts, y, is_dev, fold = data[name]
        # Out-of-fold logits per epoch, for the sentences of the scored folds.
        sel = np.isin(fold, folds)
        z = np.zeros((epochs, len(y)), dtype=np.float64)
        for k, v in loaded.items():
            m = v["task"] == name
            z[:, v["index"][m]] = v["logits"][:epochs, m]
        per_epoch = {}
        for e in range(epochs):
            per_fold = []
            for k in folds:
                other = sel & (fold != k)
                a, c = platt(z[e, other], y[other])
                th = best_threshold(y[other], sigmoid(a * z[e, other] + c), measure)
                held = fold == k
                per_fold.append(measure(y[held], (sigmoid(a * z[e, held] + c) >= th).astype(float)))
            per_epoch[e + 1] = per_fold
        # Epoch, calibration and threshold chosen for each held-out fold on the other folds only.
        per_fold, chosen, p_cal, pred = [], [], np.zeros(len(y)), np.zeros(len(y))
        for k in folds:
            other = sel & (fold != k)
            e, a, c, th, _ = calibrated(z, y, other, range(epochs), measure)
            held = fold == k
            p_cal[held] = sigmoid(a * z[e, held] + c)
            pred[held] = (p_cal[held] >= th).astype(float)
            per_fold.append(measure(y[held], pred[held]))
            chosen.append({"epoch": e + 1, "threshold": th})
        # What ships: calibration and threshold chosen on every scored fold, at the epoch count
        # the final model is trained for (--stop-after, else --epochs), else at the best one.
        shipped_epoch = args.stop_after or args.epochs
        best = calibrated(z, y, sel, [shipped_epoch - 1] if args.fixed_epoch else range(epochs), measure)
        report[name] = {
            "measure": mname, "sentences": int(sel.sum()),
            "per_epoch": {e: {"cv_mean": round(statistics.mean(v), 4), "cv_sd": round(statistics.stdev(v), 4),
                              "cv_per_fold": [round(x, 4) for x in v]} for e, v in per_epoch.items()},
            "cv_mean": round(statistics.mean(per_fold), 4), "cv_sd": round(statistics.stdev(per_fold), 4),
            "cv_per_fold": [round(x, 4) for x in per_fold], "chosen_per_fold": chosen,
            "dev_out_of_fold": round(measure(y[sel & is_dev], pred[sel & is_dev]), 4),
            "ece": round(expected_calibration_error(y[sel], p_cal[sel]), 4),
            "reliability": reliability(y[sel], p_cal[sel]),
            "shipped": {"epoch": best[0] + 1, "platt_a": round(best[1], 4), "platt_c": round(best[2], 4),
                        "threshold": best[3]},
        }
        r = report[name]
        print(f"{name}: CV {mname} {r['cv_mean']:.4f} ± {r['cv_sd']:.4f} {r['cv_per_fold']} "
              f"(dev {r['dev_out_of_fold']:.4f}), ECE {r['ece']:.4f}; per epoch "
              + ", ".join(f"{e}: {v['cv_mean']:.4f}" for e, v in r["per_epoch"].items()), flush=True)
    (args.out / "cv.json").write_text(json.dumps(report, indent=1))
    print(f"wrote {args.out / 'cv.json'}")


def cmd_final(args, data, encs):
    train_rows = [(n, i) for n in TASKS for i in range(len(data[n][0]))]
    model, _ = train(args, data, encs, train_rows, [], lambda m: print(f"[final] {m}", flush=True))
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out / "final.pt")
    print(f"wrote {args.out / 'final.pt'}")


class Graph(torch.nn.Module):
    """What the Rust sentence model runs: per token, each task's head with its Platt calibration
    folded in (a·(w·h + b) + c), and the token states. The mean of a task's channel over a
    sentence's tokens is the calibrated logit of the mean state, as trained."""

    def __init__(self, model: SentenceModel, a: list[float], c: list[float]):
        super().__init__()
        self.encoder = model.encoder
        w, b = model.out.weight.detach(), model.out.bias.detach()
        at, ct = torch.tensor(a), torch.tensor(c)
        self.head = torch.nn.Linear(w.shape[1], w.shape[0])
        self.head.weight.data = at[:, None] * w
        self.head.bias.data = at * b + ct

    def forward(self, input_ids, attention_mask):
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self.head(h), h


def load_final(args) -> SentenceModel:
    """The model `final` wrote, in eval mode."""
    model = SentenceModel(args.base, len(TASKS))
    model.load_state_dict(torch.load(args.out / "final.pt", map_location="cpu"))
    return model.eval()


def f32_and_int8(graph, sess, encs, rows, j):
    """Calibrated scores of task channel `j` for the sentences `rows`, each read alone: PyTorch f32
    through `graph` and ONNX Runtime through `sess` (the exported int8 graph)."""
    f32, int8 = np.zeros(len(rows)), np.zeros(len(rows))
    for k, i in enumerate(rows):
        e = np.array([encs[i]], dtype=np.int64)
        z, _ = sess.run(None, {"input_ids": e, "attention_mask": np.ones_like(e)})
        int8[k] = sigmoid(float(z[0, 1:-1, j].mean()))
        with torch.no_grad():
            t = torch.tensor(e)
            f32[k] = sigmoid(graph(t, torch.ones_like(t))[0][0, 1:-1, j].mean().item())
    return f32, int8


def cmd_export(args, data, encs):
    import tempfile

    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from export import write_encoder
    from tokenizer_fixture import tokenizer_spec

    report = json.loads((args.out / "cv.json").read_text())
    model = load_final(args)
    model.encoder.config._attn_implementation = "eager"
    names = list(TASKS)
    graph = Graph(model, [report[n]["shipped"]["platt_a"] for n in names],
                  [report[n]["shipped"]["platt_c"] for n in names]).eval()
    with tempfile.TemporaryDirectory() as tmp:
        f32, int8 = Path(tmp) / "f32.onnx", Path(tmp) / "int8.onnx"
        ids = torch.randint(1000, 2000, (2, 17))
        torch.onnx.export(
            graph, (ids, torch.ones_like(ids)), str(f32), dynamo=False, opset_version=17,
            input_names=["input_ids", "attention_mask"], output_names=["token_logits", "hidden"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_logits", "hidden")})
        # The head stays in f32: its product is tiny and decides the score.
        g = onnx.load(str(f32)).graph
        shapes = {i.name: tuple(i.dims) for i in g.initializer}
        head = [n.name for n in g.node if n.op_type == "MatMul"
                and any(shapes.get(x) == (model.out.in_features, len(names)) for x in n.input)]
        quantize_dynamic(str(f32), str(int8), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gather"], nodes_to_exclude=head)
        onnx_model = onnx.load(str(int8))
    write_encoder(onnx_model, args.to, {}, {"format": "unspin"})
    shutil.copy(args.base / "vocab.txt", args.to / "vocab.txt")
    # How far the int8 graph reads the dev sentences from PyTorch f32, in calibrated probability.
    diffs = []
    sess = u8_graph.session(args.to, ort.SessionOptions())
    for j, n in enumerate(names):
        f32, int8 = f32_and_int8(graph, sess, encs[n], np.flatnonzero(data[n][2])[:200], j)
        diffs += list(np.abs(f32 - int8))
    print(f"int8 ONNX Runtime against PyTorch f32 on {len(diffs)} dev sentences: mean |score difference| "
          f"{np.mean(diffs):.4f}, max {np.max(diffs):.4f}")
    bc = model.encoder.config
    cfg = {
        "name": args.name,
        "kind": "sentence",
        "base_model": f"{args.base_name or args.base.name} ({bc.model_type}, {bc.num_hidden_layers} layers, {bc.hidden_size} hidden, uncased)",
        "tokenizer": tokenizer_spec(args.base),
        "max_len": args.max_len,
        "tasks": names,
        "thresholds": {n: report[n]["shipped"]["threshold"] for n in names},
        "quantization": "int8 dynamic (MatMul and embedding weights, per-channel; the heads in f32)",
        "training": {"epochs": args.epochs, "stopped_after": args.stop_after or args.epochs, "batch": args.batch, "lr": args.lr, "head_lr": args.head_lr,
                     "subj_repeat": args.subj_repeat, "seed": args.seed},
        "validation": {n: {k: report[n][k] for k in ("measure", "cv_mean", "cv_sd", "cv_per_fold", "dev_out_of_fold",
                                                     "ece", "reliability", "shipped", "per_epoch")}
                       for n in names} | {"folds": report["k"], "int8_mean_abs_score_difference": round(float(np.mean(diffs)), 4)},
    }
    (args.to / "config.json").write_text(json.dumps(cfg, indent=1) + "\n")
    total = sum(p.stat().st_size for p in args.to.iterdir())
    print(f"wrote {args.to} ({total / 1e6:.1f} MB)")


def cmd_check(args, data, encs):
    """How far the exported int8 graph (`--to`/model.onnx on ONNX Runtime) decides each task's
    sentences from PyTorch f32 with the same weights and calibration: decisions that flip, the
    mean score difference, and the task measure of both on every sentence (a fit, not a CV figure)."""
    import onnxruntime as ort

    cfg = json.loads((args.to / "config.json").read_text())
    names = list(TASKS)
    shipped = [cfg["validation"][n]["shipped"] for n in names]
    graph = Graph(load_final(args), [s["platt_a"] for s in shipped], [s["platt_c"] for s in shipped]).eval()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    sess = u8_graph.session(args.to, opts)
    for j, n in enumerate(names):
        th, y = cfg["thresholds"][n], data[n][1]
        f32, int8 = f32_and_int8(graph, sess, encs[n], range(len(y)), j)
        measure = TASKS[n][5]
        flips = int(((f32 >= th) != (int8 >= th)).sum())
        print(f"{n}: int8 against f32 on {len(y)} sentences: {flips} decisions differ, mean |score difference| "
              f"{np.abs(f32 - int8).mean():.4f}; fit {measure(y, (f32 >= th).astype(float)):.4f} (f32) "
              f"{measure(y, (int8 >= th).astype(float)):.4f} (int8)", flush=True)


def cmd_time(args, data, encs):
    """What one sentence costs the exported int8 graph (`--to`) on ONNX Runtime, one sentence a
    call as unspin calls it (`--threads`; unpadded, where unspin pads to a multiple of 16 tokens):
    the first 35 dev sentences of the task, best of 3 rounds after a warm-up."""
    import onnxruntime as ort

    n = next(iter(TASKS))
    feeds = [{"input_ids": np.array([encs[n][i]], dtype=np.int64)} for i in np.flatnonzero(data[n][2])[:35]]
    for f in feeds:
        f["attention_mask"] = np.ones_like(f["input_ids"])
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = args.threads
    sess = u8_graph.session(args.to, opts)
    for f in feeds[:3]:
        sess.run(None, f)
    rounds = []
    for _ in range(3):
        t0 = time.perf_counter()
        for f in feeds:
            sess.run(None, f)
        rounds.append(time.perf_counter() - t0)
    tokens = statistics.mean(f["input_ids"].shape[1] for f in feeds)
    print(f"{args.to}: {len(feeds)} sentences ({tokens:.1f} tokens on average) in {min(rounds):.3f} s, "
          f"{1000 * min(rounds) / len(feeds):.1f} ms a call (rounds {', '.join(f'{r:.3f}' for r in rounds)})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["cv", "report", "final", "export", "check", "time"])
    ap.add_argument("--base", type=Path, required=True, help="the pretrained encoder (a transformers folder)")
    ap.add_argument("--checkworthy", type=Path, required=True)
    ap.add_argument("--subjectivity", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--k", type=int, default=5, help="number of folds")
    ap.add_argument("--folds", type=int, nargs="*", help="which folds to run (default: all)")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--stop-after", type=int,
                    help="final: stop after this many epochs of the --epochs schedule (the checkpoint the report chose)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--subj-repeat", type=int, default=4)
    ap.add_argument("--tasks", nargs="+", choices=list(TASKS), default=list(TASKS),
                    help="which tasks the model learns (default: both); the others are left out everywhere")
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--fixed-epoch", action="store_true",
                    help="report: calibrate the shipped scores at the final model's epoch (--stop-after, else --epochs)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--name", default="unspin-checkthat-minilm", help="export: the sentence model's name")
    ap.add_argument("--base-name", help="export: the base model's name in config.json (default: --base's folder name)")
    ap.add_argument("--to", type=Path, help="export: the folder to write (a technique model's `sentence` subfolder)")
    args = ap.parse_args()
    if args.folds is None:
        args.folds = list(range(args.k))
    # Every command reads the task list from TASKS: narrow it once, here.
    for name in [n for n in TASKS if n not in args.tasks]:
        del TASKS[name]
    torch.set_num_threads(args.threads)
    print(f"bf16 autocast: {'on' if BF16 else 'off (the CPU has no bf16 units)'}", flush=True)
    data = load_data(args)
    if args.command == "report":
        return cmd_report(args, data)
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(args.base))
    args.pad = tok.pad_token_id
    encs = {n: encode(tok, data[n][0], args.max_len) for n in TASKS}
    {"cv": cmd_cv, "final": cmd_final, "export": cmd_export, "check": cmd_check, "time": cmd_time}[args.command](args, data, encs)


if __name__ == "__main__":
    main()
