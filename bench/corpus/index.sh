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
# 2000) into $BENCH_DIR (default target/corpus-bench) and are reused. Runs analyze and index
# (into a fresh database) alternately ROUNDS times (default 3) and compares the fastest run of
# each: on a shared 2-core VM a single run varies by ±15%. The cpu_overhead column compares their
# mean CPU time (user + system), which steal time disturbs less.
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

ROUNDS=${ROUNDS:-3}

# One timed run: prints "seconds rss_mib cpu_seconds".
timed() {
    local log=$1; shift
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { echo "failed: $*; see $log" >&2; tail -5 "$log" >&2; exit 1; }
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    user=$(sed -n 's/.*User time (seconds): //p' "$log")
    sys=$(sed -n 's/.*System time (seconds): //p' "$log")
    awk -v t="$wall" -v k="$rss" -v u="$user" -v y="$sys" \
        'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f %.1f %.2f\n", s, k / 1024, u + y }'
}

min() { awk -v x="$1" -v y="$2" 'BEGIN { print (x == "" || y < x ? y : x) }'; }
max() { awk -v x="$1" -v y="$2" 'BEGIN { print (x == "" || y > x ? y : x) }'; }
add() { awk -v x="${1:-0}" -v y="$2" 'BEGIN { print x + y }'; }

printf '%-8s %-6s %9s %10s %10s %10s %9s %12s %10s %10s %12s\n' documents model analyze_s analyze/s index_s index/s overhead cpu_overhead rss_analyze rss_index db_MB_per_1k
for n in $DOCS; do
    file=$BENCH_DIR/ccnews-$n-p$PADDING.warc.gz
    if [[ ! -s $file ]]; then
        # Articles per round of make_warc.py (its 12 pages + a few); size the target to reach n.
        per_article=$((PADDING + 3500))
        python3 bench/warc/make_warc.py "$file" --target-bytes $((n * per_article)) --padding "$PADDING" --level 1 \
            2> "$file.log" || { cat "$file.log" >&2; exit 1; }
    fi
    articles=$(sed -n 's/.* rounds, \([0-9]*\) articles$/\1/p' "$file.log")
    a='' i='' rss_a='' rss_i='' cpu_a='' cpu_i=''
    for round in $(seq "$ROUNDS"); do
        read -r t rss cpu < <(timed "$BENCH_DIR/analyze-$n-$round.log" "$CLI" analyze --format jsonl --progress never "${model_args[@]}" "$file")
        a=$(min "$a" "$t") rss_a=$(max "$rss_a" "$rss") cpu_a=$(add "$cpu_a" "$cpu")
        if [[ -n ${DB:-} ]]; then
            db=$DB
            psql "$DB" -qc 'DROP TABLE IF EXISTS meta, documents, spans, sentences, sentence_techniques, errors, reports, rollup CASCADE' 2>/dev/null
        else
            db=$BENCH_DIR/corpus-$n-$MODEL.sqlite
            rm -f "$db" "$db"-*
        fi
        read -r t rss cpu < <(timed "$BENCH_DIR/index-$n-$round.log" "$CLI" index --db "$db" --progress never "${model_args[@]}" "$file")
        i=$(min "$i" "$t") rss_i=$(max "$rss_i" "$rss") cpu_i=$(add "$cpu_i" "$cpu")
    done
    size=$([[ -n ${DB:-} ]] && echo "" || awk -v b="$(stat -c %s "$db")" -v n="$articles" 'BEGIN { printf "%.2f", b / 1e6 / (n / 1000) }')
    printf '%-8s %-6s %9.1f %10.0f %10.1f %10.0f %8.1f%% %11.1f%% %9.0fMiB %9.0fMiB %12s\n' "$articles" "$MODEL" "$a" \
        "$(awk -v d="$articles" -v s="$a" 'BEGIN { print d / s }')" "$i" "$(awk -v d="$articles" -v s="$i" 'BEGIN { print d / s }')" \
        "$(awk -v i="$i" -v a="$a" 'BEGIN { print 100 * (i / a - 1) }')" "$(awk -v i="$cpu_i" -v a="$cpu_a" 'BEGIN { print 100 * (i / a - 1) }')" \
        "$rss_a" "$rss_i" "${size:-}"
done
