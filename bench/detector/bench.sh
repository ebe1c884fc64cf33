#!/usr/bin/env bash
# Technique detector speed: `unspin analyze` against the same model run by Python transformers +
# PyTorch (f32), on the same articles, side by side. Run on purpose, not in CI.
#
#   bench/detector/bench.sh [ARTICLES_DIR]     (default: ../shared/data/ptc/train/train-articles)
#
# Needs: a release build (made here), scripts/setup-runtime.sh done, and a Python with torch,
# transformers, tokenizers, safetensors and numpy (PYTHON=..., default bench/.venv/bin/python,
# created from bench/detector/requirements.txt when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$root/../shared/data/ptc/train/train-articles}
model=${UNSPIN_MODEL:-$root/models/unspin-ptc-minilm}
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

# Rust: the whole command (model load, reading, tokenizing, inference, decoding, writing).
/usr/bin/time -f "%e %M" -o "$out/rust.time" "$bin" analyze --format semeval --progress never \
    --threads "$threads" --model "$model" "$dir" >"$out/rust.labels"
read -r rust_s rust_kb <"$out/rust.time"

# Python: the same windows, batches and decoding; model load excluded from its seconds.
/usr/bin/time -f "%e %M" -o "$out/py.time" "$python" "$root/bench/detector/baseline.py" \
    --model "$model" --threads "$threads" "$dir" >"$out/py.json"
read -r _ py_kb <"$out/py.time"

# One typical article (the one closest to 800 words), end to end with model load: median of 5.
one=$(for f in "$dir"/*.txt; do echo "$(( $(wc -w <"$f") - 800 )) $f"; done | sed 's/^-//' | sort -n | head -1 | cut -d' ' -f2)
for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e" -a -o "$out/one.time" "$bin" analyze --model "$model" --threads "$threads" "$one" >/dev/null
done
one_s=$(sort -n "$out/one.time" | sed -n 3p)

"$python" - "$out/py.json" "$rust_s" "$rust_kb" "$py_kb" "$n" "$(wc -l <"$out/rust.labels")" "$one" "$one_s" <<'PY'
import json, sys
py = json.load(open(sys.argv[1]))
rust_s, rust_kb, py_kb, n, rust_spans = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
one, one_s = sys.argv[7], float(sys.argv[8])
tok = py["tokens"]
print(f"{'':28}{'articles/s':>12}{'tokens/s':>12}{'peak RSS MB':>13}{'spans':>8}")
print(f"{'unspin (Rust, ONNX int8)':28}{n / rust_s:12.2f}{tok / rust_s:12.0f}{rust_kb / 1024:13.0f}{rust_spans:8}")
print(f"{'Python (PyTorch f32)':28}{n / py['seconds']:12.2f}{tok / py['seconds']:12.0f}{py_kb / 1024:13.0f}{py['spans']:8}")
print(f"  (PyTorch forward passes alone: {tok / py['forward_seconds']:.0f} tokens/s)")
print(f"ratio unspin / Python: {py['seconds'] / rust_s:.2f}x  ({tok} tokens, {rust_s:.1f} s vs {py['seconds']:.1f} s)")
words = len(open(one, encoding='utf-8').read().split())
print(f"one article end to end ({words} words, model load included): {one_s:.2f} s  [{one}]")
PY
