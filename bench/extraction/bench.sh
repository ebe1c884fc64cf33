#!/usr/bin/env bash
# Article-extraction benchmark: unspin vs Python trafilatura (and readability-lxml's F1), on the
# same pages, each pinned to one core, all scored by score.py with one metric.
#
#   bench/extraction/bench.sh [DATA_DIR...]   (default: ../shared/data/article-extraction and
#                                              ../shared/data/article-extraction-more)
#
# Creates bench/.venv on first use. Speeds count extraction only: pages are decompressed into
# memory first and Python gets a warm-up pass. unspin and trafilatura run alternately ROUNDS
# times (default 3) and the ratio compares the fastest run of each: this 2-core VM's speed
# drifts by tens of percent within minutes, and alternating puts both under the same drift.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ $# -gt 1 ]; then
    for d in "$@"; do "$0" "$d"; done
    exit
fi
data="${1:-}"
if [ -z "$data" ]; then
    shared="$(cd "$root/.." && pwd)/shared/data"
    exec "$0" "$shared/article-extraction" "$shared/article-extraction-more"
fi
echo "== $data"
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
out="$out/$(basename "$data")"
rm -rf "$out" && mkdir -p "$out"

cargo build --release -q -p unspin --example extraction_score --manifest-path "$root/Cargo.toml"
speed() { sed -E 's/.*pages\/s=([0-9.]+).*/\1/' <<<"$1"; }
max() { awk -v x="$1" -v y="$2" 'BEGIN { print (x == "" || y > x ? y : x) }'; }
ours_speed='' traf_speed='' ours_all='' traf_all=''
for round in $(seq "${ROUNDS:-3}"); do
    ours=$(taskset -c 0 "$root/target/release/examples/extraction_score" "$data" --quiet --dump "$out/unspin" 2>/dev/null | tail -1)
    traf=$(taskset -c 0 "$py" "$here/run_python.py" trafilatura "$data" "$out/trafilatura")
    ours_speed=$(max "$ours_speed" "$(speed "$ours")") traf_speed=$(max "$traf_speed" "$(speed "$traf")")
    ours_all+=" $(speed "$ours")" traf_all+=" $(speed "$traf")"
done
read_=$(taskset -c 0 "$py" "$here/run_python.py" readability "$data" "$out/readability" 2> "$out/readability.log")

echo "unspin (Rust scorer):  $ours"
for name in unspin trafilatura readability; do
    printf '%-22s %s\n' "$name (score.py):" "$("$py" "$here/score.py" "$data" "$out/$name" --quiet)"
done
echo "$traf"
echo "$read_"
echo "pages/s by round: unspin$ours_all; trafilatura$traf_all"
awk -v a="$ours_speed" -v b="$traf_speed" 'BEGIN { printf "speed ratio unspin / trafilatura (one core, fastest of each): %.2fx\n", a / b }'
