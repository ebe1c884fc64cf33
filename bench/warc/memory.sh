#!/usr/bin/env bash
# Peak memory of WARC ingestion at two file sizes: flat memory means the two peaks are about
# equal, because a reader holds a record (or a batch of records) at a time, never the file.
#
#   bench/warc/memory.sh                 # ~100 MiB and ~1 GiB WARC.gz files
#   SIZES="20M 200M" bench/warc/memory.sh
#   MODE=pages bench/warc/memory.sh      # the WARC/HTTP reader alone, no HTML extraction
#
# MODE picks what reads the file:
#   cli    target/release/unspin analyze --format jsonl FILE > /dev/null   (default when built)
#   extract  target/release/unspin extract --format json FILE > /dev/null (ingestion + output only)
#   docs   the warc_count example: ingest::read_all, HTML extraction included (default otherwise)
#   pages  warc_count --pages: records cut, HTTP headers read, bodies decoded, pages picked
# Files are generated once by make_warc.py into $BENCH_DIR (default target/warc-bench) and
# reused; PADDING sets the bytes of inline script per page (real CC-NEWS pages are tens of KB).
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZES=${SIZES:-"100M 1G"}
PADDING=${PADDING:-20000}
BENCH_DIR=${BENCH_DIR:-target/warc-bench}
CLI=target/release/unspin
EXAMPLE=target/release/examples/warc_count
if [[ -z "${MODE:-}" ]]; then
    if [[ -x $CLI ]]; then MODE=cli; else MODE=docs; fi
fi

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time for peak-RSS measurement" >&2
    apt-get install -y time >/dev/null
fi
case $MODE in
    cli | extract) [[ -x $CLI ]] || cargo build --release -p unspin-cli ;;
    docs | pages) cargo build --release -p unspin --example warc_count ;;
    *) echo "MODE must be cli, extract, docs or pages" >&2; exit 2 ;;
esac

# On failure, show what the program said (GNU time's own lines start with a tab).
failed() {
    echo "$MODE failed on $file; from $log:" >&2
    grep -v "^$(printf '\t')" "$log" | tail -5 >&2
}
log=/dev/null file=none
trap failed ERR

mkdir -p "$BENCH_DIR"
printf '%-8s %12s %10s %10s %12s %10s\n' size file_bytes documents seconds documents/s peak_rss
for size in $SIZES; do
    file=$BENCH_DIR/ccnews-$size-p$PADDING.warc.gz
    if [[ ! -s $file || ! -s $file.articles ]]; then
        # Level 1: generating a GiB must not take longer than reading it.
        python3 bench/warc/make_warc.py "$file" --target-bytes "$size" --padding "$PADDING" --level 1 \
            2> >(tee "$file.log" >&2)
        sed -n 's/.* rounds, \([0-9]*\) articles$/\1/p' "$file.log" > "$file.articles"
    fi
    articles=$(cat "$file.articles")
    log=$BENCH_DIR/time-$MODE-$size.log
    case $MODE in
        cli) /usr/bin/time -v "$CLI" analyze --format jsonl "$file" > /dev/null 2> "$log" ;;
        extract) /usr/bin/time -v "$CLI" extract --format json "$file" > /dev/null 2> "$log" ;;
        docs) /usr/bin/time -v "$EXAMPLE" "$file" > "$log.out" 2> "$log" ;;
        pages) /usr/bin/time -v "$EXAMPLE" --pages "$file" > "$log.out" 2> "$log" ;;
    esac
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
    seconds=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
    if [[ $MODE == cli || $MODE == extract ]]; then
        documents=$articles
    else
        documents=$(sed -n 's/.*\(documents\|pages\) \([0-9]*\).*/\2/p' "$log.out")
        sed "s/^/  warc_count: /" "$log.out" >&2
        if [[ $documents != "$articles" ]]; then
            echo "warning: $file has $articles articles but $documents were read (see $log)" >&2
        fi
    fi
    printf '%-8s %12s %10s %10.1f %12.0f %8.1fMiB\n' "$size" "$(stat -c %s "$file")" "$documents" "$seconds" \
        "$(awk -v d="$documents" -v s="$seconds" 'BEGIN { print (s > 0 ? d / s : 0) }')" \
        "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')"
done
echo "mode: $MODE; timings in $BENCH_DIR/time-$MODE-*.log" >&2
