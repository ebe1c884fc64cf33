#!/usr/bin/env bash
# Technique detector speed: `unspin analyze` against the same model run by Python transformers +
# PyTorch (f32), on the same articles, side by side. Run on purpose, not in CI.
#
#   [MODEL=fast|accurate|DIR] bench/detector/bench.sh [ARTICLES_DIR]
#       (default: the fast model on ../shared/data/ptc/train/train-articles)
#
# Needs: a release build (made here), scripts/setup-runtime.sh (run here), and a Python with torch,
# transformers, tokenizers, safetensors and numpy (PYTHON=..., default bench/.venv/bin/python,
# created from bench/detector/requirements.txt when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$root/../shared/data/ptc/train/train-articles}
# MODEL: a shipped model's name (fast, accurate) or a model folder.
model=${MODEL:-${UNSPIN_MODEL:-fast}}
case $model in
    fast) model=$root/models/unspin-ptc-minilm ;;
    accurate) model=$root/models/unspin-ptc-mpnet ;;
esac
threads=${THREADS:-2}
python=${PYTHON:-$root/bench/.venv/bin/python}
if [[ ! -x $python ]]; then
    python3 -m venv "$root/bench/.venv"
    "$root/bench/.venv/bin/pip" install -q -r "$root/bench/detector/requirements.txt"
fi
"$root/scripts/setup-runtime.sh" >/dev/null
(cd "$root" && cargo build --release -q -p unspin-cli)
bin=$root/target/release/unspin
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
n=$(ls "$dir"/*.txt | wc -l)
echo "articles: $n in $dir; model: $model; $threads threads; $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"

# Rust: the whole command (model load, reading, tokenizing, inference, decoding, writing), on
# each engine: OpenVINO (bf16 where the CPU has bf16 units, else f32) and ONNX Runtime (int8).
for engine in openvino onnxruntime; do
    /usr/bin/time -f "%e %M" -o "$out/$engine.time" "$bin" analyze --format semeval --progress never \
        --engine "$engine" --threads "$threads" --model "$model" "$dir" >"$out/$engine.labels"
done

# Python: the same windows, batches and decoding; model load excluded from its seconds.
/usr/bin/time -f "%e %M" -o "$out/py.time" "$python" "$root/bench/detector/baseline.py" \
    --model "$model" --threads "$threads" "$dir" >"$out/py.json"
read -r _ py_kb <"$out/py.time"

# One typical article (the one closest to 800 words), end to end with model load: median of 5.
one=$(for f in "$dir"/*.txt; do echo "$(( $(wc -w <"$f") - 800 )) $f"; done | sed 's/^-//' | sort -n | head -1 | cut -d' ' -f2)
# time_one NAME MODEL: five runs on each engine into $out/NAME-ENGINE.time.
time_one() {
    for engine in openvino onnxruntime; do
        for _ in 1 2 3 4 5; do
            /usr/bin/time -f "%e" -a -o "$out/$1-$engine.time" "$bin" analyze --engine "$engine" --model "$2" \
                --threads "$threads" "$one" >/dev/null
        done
    done
}
time_one one "$model"

# A model that names sentence models (the accurate one: check-worthiness and subjectivity): the
# same article without them, for the cost they add (a copy of the folder whose config drops
# `sentence_model` and `sentence_models`, so its own heads score every sentence task).
if grep -q '"sentence_models\?"' "$model/config.json"; then
    bare=$out/bare-model
    mkdir -p "$bare"
    # Copies, not links: OpenVINO refuses weights that resolve outside the graph's folder.
    for f in "$model"/*; do if [[ -f $f ]]; then cp "$f" "$bare/"; fi; done
    rm "$bare/config.json"
    "$python" -c 'import json, sys; c = json.load(open(sys.argv[1])); [c.pop(k, None) for k in ("sentence_model", "sentence_model_tasks", "sentence_models")]; json.dump(c, open(sys.argv[2], "w"))' \
        "$model/config.json" "$bare/config.json"
    time_one bare "$bare"
fi

"$python" - "$out" "$n" "$one" <<'PY'
import json, sys
out, n, one = sys.argv[1], int(sys.argv[2]), sys.argv[3]
py = json.load(open(f"{out}/py.json"))
py_kb = int(open(f"{out}/py.time").read().split()[1])
tok = py["tokens"]
rows = []
# OpenVINO computes in bf16 only where the CPU has bf16 units (AVX-512 BF16 or AMX), else in f32;
# ONNX Runtime's int8 graph reads the weights as uint8 where the CPU lacks VNNI.
flags = open("/proc/cpuinfo").read().split()
labels = {
    "openvino": "OpenVINO " + ("bf16" if "avx512_bf16" in flags or "amx_bf16" in flags else "f32"),
    "onnxruntime": "ONNX Runtime int8" + ("" if "avx512_vnni" in flags or "avx_vnni" in flags else " (u8)"),
}
for engine, label in labels.items():
    secs, kb = open(f"{out}/{engine}.time").read().split()
    spans = sum(1 for _ in open(f"{out}/{engine}.labels"))
    one_s = sorted(float(x) for x in open(f"{out}/one-{engine}.time").read().split())[2]
    rows.append((f"unspin, {label}", float(secs), int(kb), spans, one_s))
print(f"{'':32}{'articles/s':>12}{'tokens/s':>12}{'peak RSS MB':>13}{'spans':>8}{'vs Python':>11}")
for label, secs, kb, spans, _ in rows:
    print(f"{label:32}{n / secs:12.2f}{tok / secs:12.0f}{kb / 1024:13.0f}{spans:8}{py['seconds'] / secs:10.2f}x")
print(f"{'Python (PyTorch f32)':32}{n / py['seconds']:12.2f}{tok / py['seconds']:12.0f}{py_kb / 1024:13.0f}{py['spans']:8}")
print(f"  (PyTorch forward passes alone: {tok / py['forward_seconds']:.0f} tokens/s; {tok} tokens in {n} articles)")
words = len(open(one, encoding='utf-8').read().split())
for label, *_, one_s in rows:
    print(f"one article end to end, {label} ({words} words, model load included): {one_s:.2f} s")
print(f"  [{one}]")
import os
for engine, label in labels.items():
    bare = f"{out}/bare-{engine}.time"
    if os.path.exists(bare):
        with_s = sorted(float(x) for x in open(f"{out}/one-{engine}.time").read().split())[2]
        without = sorted(float(x) for x in open(bare).read().split())[2]
        print(f"  of which the sentence models, {label}: {with_s - without:+.2f} s ({without:.2f} s without them)")
PY
