#!/usr/bin/env bash
# The block classifier's cross-validation, end to end: fit one model per outer fold
# (blocks.py), extract every held-out page with its fold's model through the whole HTML
# pipeline (extraction_score --classifier), and score the predictions per benchmark and fold
# against the rule-based extractor's on the same pages.
#
#   training/extraction/cv.sh OUT_DIR [blocks.py options]
#
# Needs python3 with numpy and scikit-learn (PYTHON=...). Data: $DATA (default ../shared/data).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:?usage: cv.sh OUT_DIR [blocks.py options]}; shift
data=${DATA:-$(cd .. && pwd)/shared/data}
py=${PYTHON:-python3}
mkdir -p "$out/folds" "$out/pred" "$out/baseline"
cargo build --release -q -p unspin --example extraction_blocks --example extraction_score
sets=()
for d in article-extraction article-extraction-more; do
    target/release/examples/extraction_blocks "$data/$d" "$out/$d.jsonl" 2>/dev/null
    sets+=("$out/$d.jsonl:$data/$d/ground-truth.json")
done
# The baseline: this checkout's extractor without the classifier's say (threshold above 1).
"$py" - "$out/none.json" <<'EOF'
import json, sys
sys.path.insert(0, "training/extraction")
import blocks
leaf = dict(feature=[0], threshold=[0.0], left=[0], right=[0], leaf=[True], value=[0.0])
json.dump(dict(format="unspin-block-trees", version=2, features=blocks.NFEATURES, context=blocks.CONTEXT,
               threshold=2.0, stages=[dict(base=0.0, trees=[leaf])]), open(sys.argv[1], "w"))
EOF
for d in article-extraction article-extraction-more; do
    target/release/examples/extraction_score "$data/$d" --quiet --classifier "$out/none.json" --dump "$out/baseline" 2>/dev/null | tail -1
done
"$py" training/extraction/blocks.py "${sets[@]}" --report "$out/blocks-cv.json" --folds-out "$out/folds" --baseline "$out/baseline" "$@"
for model in "$out"/folds/fold*.json; do
    for d in article-extraction article-extraction-more; do
        target/release/examples/extraction_score "$data/$d" --quiet --ids "${model%.json}.ids" --classifier "$model" \
            --dump "$out/pred" 2>/dev/null | tail -1
    done
done
"$py" training/extraction/blocks.py "${sets[@]}" --report "$out/end-to-end.json" --score-dumps "$out/pred" --baseline "$out/baseline" "$@"
