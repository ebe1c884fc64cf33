#!/usr/bin/env bash
# Scores the Rust detector on the validation split with the official measures (`unspin eval`).
#
#   training/validate.sh [VAL_DIR]     (default: training/out/val, written by split.py)
#
# VAL_DIR holds articles/, gold-si.labels, gold-flc-tc.labels and template-tc.labels. Note that
# the shipped thresholds were tuned on these articles, so these scores are a little optimistic;
# the cross-tuned figures in validation.json (thresholds from one half, scored on the other)
# are the honest estimate.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
val=${1:-$root/training/out/val}
[[ $# -gt 0 ]] && shift  # the rest goes to `unspin eval`
bin=${UNSPIN:-$root/target/release/unspin}
# ENGINE=onnxruntime|openvino picks the engine (default: what `unspin` picks); UNSPIN_MODEL the model.
engine=(--engine "${ENGINE:-auto}")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" analyze "${engine[@]}" --format semeval --progress never "$val/articles" >"$out/flc.labels"
cut -f1,3,4 "$out/flc.labels" >"$out/si.labels"
"$bin" classify "${engine[@]}" --spans "$val/template-tc.labels" --articles "$val/articles" >"$out/tc.labels"
for task in si flc tc; do
    case $task in si) gold=$val/gold-si.labels ;; *) gold=$val/gold-flc-tc.labels ;; esac
    echo "== $task"
    "$bin" eval --task $task --gold "$gold" --pred "$out/$task.labels" "$@"
done
