#!/usr/bin/env bash
# Resume check at scale: `unspin index` killed with SIGKILL at KILLS random moments (default 5),
# rerun each time, then run to the end; the database must then hold every article of the input
# exactly once.
#
#   bench/corpus/kill.sh [WARC.gz]        # default: a generated ~13,000-article WARC.gz
#   DB=postgres://… bench/corpus/kill.sh  # into PostgreSQL (its tables are dropped first!)
#
# Prints, per kill, how many documents were stored when it struck, then the final counts.
set -euo pipefail
cd "$(dirname "$0")/../.."

KILLS=${KILLS:-5}
CLI=target/release/unspin
BENCH_DIR=${BENCH_DIR:-target/corpus-bench}
[[ -x $CLI ]] || cargo build --release -p unspin-cli
mkdir -p "$BENCH_DIR"
file=${1:-$BENCH_DIR/kill-8000-p2000.warc.gz}
if [[ ! -s $file ]]; then
    python3 bench/warc/make_warc.py "$file" --target-bytes $((8000 * 5500)) --padding 2000 --level 1 2> "$file.log" \
        || { cat "$file.log" >&2; exit 1; }
fi
expected=$("$CLI" extract --format json --progress never "$file" | wc -l)

count() {
    if [[ -n ${DB:-} ]]; then
        psql "$DB" -qAtc "SELECT COUNT(*), COUNT(DISTINCT (source, record)), COUNT(DISTINCT doc_id) FROM documents" 2>/dev/null \
            | tr '|' ' ' || echo "0 0 0"
    else
        python3 - "$db" <<'PY'
import sqlite3, sys
try:
    c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    print(*c.execute("SELECT COUNT(*), COUNT(DISTINCT source || ':' || record), COUNT(DISTINCT doc_id) FROM documents").fetchone())
except sqlite3.Error:
    print(0, 0, 0)
PY
    fi
}

if [[ -n ${DB:-} ]]; then
    db=$DB
    psql "$DB" -qc 'DROP TABLE IF EXISTS meta, documents, spans, sentences, sentence_techniques, errors, reports, rollup CASCADE' 2>/dev/null
else
    db=$BENCH_DIR/kill.sqlite
    rm -f "$db" "$db"-*
fi
echo "input: $file, $expected articles"
for k in $(seq "$KILLS"); do
    "$CLI" index --db "$db" --progress never --no-model "$file" > /dev/null 2>&1 &
    pid=$!
    # A random moment in the first ~6 s of this run (a whole run takes ~8 s here).
    sleep "$(awk -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * 6 }')"
    if kill -9 "$pid" 2> /dev/null; then
        wait "$pid" 2> /dev/null || true
        echo "kill $k: $(count | cut -d' ' -f1) documents stored when it struck"
    else
        wait "$pid" || true
        echo "kill $k: the run had already finished"
    fi
done
"$CLI" index --db "$db" --progress never --no-model "$file"
read -r rows keys ids < <(count)
echo "final: $rows rows, $keys distinct records, $ids distinct document ids; input $expected"
[[ $rows -eq $expected && $keys -eq $expected && $ids -eq $expected ]] && echo "OK: every article stored exactly once" \
    || { echo "MISMATCH" >&2; exit 1; }
