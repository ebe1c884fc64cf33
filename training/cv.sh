#!/usr/bin/env bash
# Trains the k-fold cross-validation runs (and, with FINAL=1, the model on every article) one
# after another, resuming whatever an ended session left: a finished run has OUT/foldK/model.pt,
# an interrupted one a checkpoint.pt that train.py resumes from.
#
#   BASE=/path/to/all-mpnet-base-v2 OUT=out-cv-mpnet training/cv.sh [FOLDS...]
#
# Each fold dumps its held-out articles after the epochs DUMP_EPOCHS names (default 2 and 3;
# heldout-eN.pt); cv.py reads them.
set -euo pipefail
cd "$(dirname "$0")"
: "${BASE:?BASE is the encoder folder (config.json, model.safetensors, tokenizer.json)}"
OUT=${OUT:-out-cv-mpnet}
DATA=${DATA:-../../shared/data/ptc/train}
PY=${PYTHON:-/work/venv/bin/python}
EPOCHS=${EPOCHS:-3}
LR=${LR:-5e-5}
ANY_SHARE=${ANY_SHARE:-0.5}
DUMP_EPOCHS=${DUMP_EPOCHS:-2,3}
folds=("$@")
[ ${#folds[@]} -gt 0 ] || folds=(0 1 2 3 4)
for k in "${folds[@]}"; do
    if [ "$k" = final ]; then dir=$OUT/final; fold=-1; else dir=$OUT/fold$k; fold=$k; fi
    if [ -f "$dir/model.pt" ]; then echo "$dir: done"; continue; fi
    nice -n 10 "$PY" train.py --data "$DATA" --base "$BASE" --out "$dir" --fold "$fold" --folds 5 \
        --epochs "$EPOCHS" --lr "$LR" --any-share "$ANY_SHARE" ${BF16:+--bf16} --dump-epochs "$DUMP_EPOCHS"
done
