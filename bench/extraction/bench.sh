#!/usr/bin/env bash
# Article-extraction benchmark: unspin vs Python trafilatura (and readability-lxml's F1), on the
# same pages, each pinned to one core, all scored by score.py with one metric.
#
#   bench/extraction/bench.sh [DATA_DIR]      (default /work/shared/data/article-extraction)
#
# Creates bench/.venv on first use. Speeds count extraction only: pages are decompressed into
# memory first and Python gets a warm-up pass.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-/work/shared/data/article-extraction}"
venv="$root/bench/.venv"
out="$root/bench/out/extraction"
here="$root/bench/extraction"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    # An up-to-date pip: older resolvers fail on lxml's html_clean extra.
    "$venv/bin/pip" install -q -U pip
    "$venv/bin/pip" install -q trafilatura==2.3.1 readability-lxml==0.9 lxml==6.1.3 lxml_html_clean==0.4.6
fi
py="$venv/bin/python"
rm -rf "$out" && mkdir -p "$out"

cargo build --release -q -p unspin --example extraction_score --manifest-path "$root/Cargo.toml"
ours=$(taskset -c 0 "$root/target/release/examples/extraction_score" "$data" --quiet --dump "$out/unspin" 2>/dev/null | tail -1)
ours_speed=$(sed -E 's/.*pages\/s=([0-9.]+).*/\1/' <<<"$ours")
traf=$(taskset -c 0 "$py" "$here/run_python.py" trafilatura "$data" "$out/trafilatura")
traf_speed=$(sed -E 's/.*pages\/s=([0-9.]+).*/\1/' <<<"$traf")
read_=$(taskset -c 0 "$py" "$here/run_python.py" readability "$data" "$out/readability")

echo "unspin (Rust scorer):  $ours"
for name in unspin trafilatura readability; do
    printf '%-22s %s\n' "$name (score.py):" "$("$py" "$here/score.py" "$data" "$out/$name" --quiet)"
done
echo "$traf"
echo "$read_"
awk -v a="$ours_speed" -v b="$traf_speed" 'BEGIN { printf "speed ratio unspin / trafilatura (one core): %.2fx\n", a / b }'
