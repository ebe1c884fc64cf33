#!/usr/bin/env bash
# `unspin index` against `unspin analyze --format jsonl` on the same generated CC-NEWS-style
# WARC.gz: documents/s of each, the storage overhead (index time / analyze time - 1), and peak RSS,
# at one or more corpus sizes.
#
#   bench/corpus/index.sh                               # 30,000 articles, --no-model
#   DOCS="30000 300000" bench/corpus/index.sh           # peak RSS flat from 30k to 300k?
#   MODEL=fast DOCS=3000 bench/corpus/index.sh          # with the fast model
#   DB=postgres://user:pw@127.0.0.1/db bench/corpus/index.sh   # into PostgreSQL (its schema is emptied first!)
#
# WARC files come from bench/warc/make_warc.py (PADDING bytes of inline script per page, default
# 2000) into $BENCH_DIR (default target/corpus-bench) and are reused. Runs analyze, then index
# into a fresh database, then analyze again, and compares index with the faster analyze run.
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCS=${DOCS:-30000}
MODEL=${MODEL:-none}
PADDING=${PADDING:-2000}
BENCH_DIR=${BENCH_DIR:-target/corpus-bench}
CLI=target/release/unspin
[[ -x $CLI ]] || cargo build --release -p unspin-cli
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time for peak-RSS measurement" >&2
    apt-get install -y time >/dev/null
fi
if [[ $MODEL == none ]]; then model_args=(--no-model); else model_args=(--model "$MODEL"); fi
mkdir -p "$BENCH_DIR"

# One timed run: prints "seconds rss_mib".
timed() {
    local log=$1; shift
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { echo "failed: $*; see $log" >&2; tail -5 "$log" >&2; exit 1; }
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    awk -v t="$wall" -v k="$rss" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f %.1f\n", s, k / 1024 }'
}

printf '%-8s %-6s %9s %10s %10s %10s %9s %10s %10s %12s\n' documents model analyze_s analyze/s index_s index/s overhead rss_analyze rss_index db_MB_per_1k
for n in $DOCS; do
    file=$BENCH_DIR/ccnews-$n-p$PADDING.warc.gz
    if [[ ! -s $file ]]; then
        # Articles per round of make_warc.py (its 12 pages + a few); size the target to reach n.
        per_article=$((PADDING + 3500))
        python3 bench/warc/make_warc.py "$file" --target-bytes $((n * per_article)) --padding "$PADDING" --level 1 \
            2> "$file.log" || { cat "$file.log" >&2; exit 1; }
    fi
    articles=$(sed -n 's/.* rounds, \([0-9]*\) articles$/\1/p' "$file.log")
    read -r a1 rss_a < <(timed "$BENCH_DIR/analyze1-$n.log" "$CLI" analyze --format jsonl --progress never "${model_args[@]}" "$file")
    if [[ -n ${DB:-} ]]; then
        db=$DB
        psql "$DB" -qc 'DROP TABLE IF EXISTS meta, documents, spans, sentences, sentence_techniques, errors, reports, rollup CASCADE' 2>/dev/null
    else
        db=$BENCH_DIR/corpus-$n-$MODEL.sqlite
        rm -f "$db" "$db"-*
    fi
    read -r i rss_i < <(timed "$BENCH_DIR/index-$n.log" "$CLI" index --db "$db" --progress never "${model_args[@]}" "$file")
    read -r a2 _ < <(timed "$BENCH_DIR/analyze2-$n.log" "$CLI" analyze --format jsonl --progress never "${model_args[@]}" "$file")
    a=$(awk -v x="$a1" -v y="$a2" 'BEGIN { print (x < y ? x : y) }')
    size=$([[ -n ${DB:-} ]] && echo "" || awk -v b="$(stat -c %s "$db")" -v n="$articles" 'BEGIN { printf "%.2f", b / 1e6 / (n / 1000) }')
    printf '%-8s %-6s %9.1f %10.0f %10.1f %10.0f %8.1f%% %9.0fMiB %9.0fMiB %12s\n' "$articles" "$MODEL" "$a" \
        "$(awk -v d="$articles" -v s="$a" 'BEGIN { print d / s }')" "$i" "$(awk -v d="$articles" -v s="$i" 'BEGIN { print d / s }')" \
        "$(awk -v i="$i" -v a="$a" 'BEGIN { print 100 * (i / a - 1) }')" "$rss_a" "$rss_i" "${size:-}"
done
