#!/usr/bin/env bash
# Builds a self-contained wheel of the Python package: the shipped models and the ONNX Runtime
# library go inside it (as unspin/_data/), so the wheel installs and runs on machines without
# this checkout, such as a Spark cluster's executors. `pip install ./crates/unspin-py` from a
# checkout does not need this: that install finds models/ and runtime/ in the checkout.
#
#   scripts/build-wheel.sh [OUT_DIR]          (default OUT_DIR: target/wheels)
#   WITH_OPENVINO=1 scripts/build-wheel.sh    also bundle OpenVINO (+90 MB; used on bf16 CPUs)
#
# Needs maturin (pip install maturin) and scripts/setup-runtime.sh run once. The wheel is for
# this platform (linux x86_64 or aarch64) and every CPython from 3.9 on (abi3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/wheels}
data=$root/crates/unspin-py/python/unspin/_data
maturin=${MATURIN:-$(command -v maturin || true)}
[[ -n $maturin ]] || { echo "build-wheel.sh: needs maturin (pip install maturin)" >&2; exit 1; }
[[ -f $root/runtime/onnxruntime/libonnxruntime.so ]] \
    || { echo "build-wheel.sh: no ONNX Runtime in runtime/; run scripts/setup-runtime.sh first" >&2; exit 1; }

rm -rf "$data"
trap 'rm -rf "$data"' EXIT
mkdir -p "$data/models" "$data/runtime"
# What the library reads at run time, and the model card; training checkpoints stay out. A
# model's sentence models (its subfolders that hold a config.json: the accurate model's
# `sentence/` and `subjectivity/`) go with it.
copy_model() {
    mkdir -p "$2"
    for f in config.json model.onnx model.ov.onnx model.u8.onnx model.safetensors sentence_heads.safetensors vocab.txt \
        MODEL_CARD.md validation.json; do
        [[ -f $1/$f ]] && cp "$1/$f" "$2/"
    done
    return 0
}
for model in "$root"/models/*/; do
    [[ -f $model/config.json ]] || continue
    dest=$data/models/$(basename "$model")
    copy_model "$model" "$dest"
    for sub in "$model"*/; do
        [[ -f $sub/config.json ]] && copy_model "$sub" "$dest/$(basename "$sub")"
    done
done
mkdir -p "$data/runtime/onnxruntime"
cp -L "$root"/runtime/onnxruntime/libonnxruntime.so "$root"/runtime/onnxruntime/VERSION "$data/runtime/onnxruntime/"
if [[ -n ${WITH_OPENVINO:-} ]]; then
    [[ -d $root/runtime/openvino ]] || { echo "build-wheel.sh: no OpenVINO in runtime/" >&2; exit 1; }
    cp -rL "$root/runtime/openvino" "$data/runtime/"
fi
"$maturin" build --release --manifest-path "$root/crates/unspin-py/Cargo.toml" --out "$out"
echo "wheel in $out (models: $(ls "$data/models" | tr '\n' ' '))"
