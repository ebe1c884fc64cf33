#!/usr/bin/env bash
# Documents per second of the Spark job (spark/unspin_job.py) in local mode with one and two
# cores, against the CLI (`unspin index` and `unspin analyze`, --jobs 1 and 2) and the Python
# package alone, on the same generated WARC files, with the default (fast) model. docs/scale.md
# quotes its output.
#
#   bench/spark/measure.sh [--files N] [--target-bytes SIZE] [--padding BYTES] [--pause PID]...
#
# --files N WARC files (default 4) of about SIZE each (default 300K: ~96 articles a file), pages
# padded with BYTES of inline script (default 20000, toward real page sizes); --pause PID stops a
# process (SIGSTOP) for the timed runs and resumes it (SIGCONT) afterwards, also when a run fails
# or the script is interrupted, so that a background job does not share the cores.
#
# First it measures what the cores give together: a CPU-bound loop alone, then one on each core at
# once (`parallel speedup`: 2.0 on two real cores). Spark's figure is the analysis stage (the job's
# first action: reading, analysis and the rows as Python tuples, with the executors' Python
# workers starting and loading the model); `all` is spark-submit's wall time: JVM start, the rows
# becoming DataFrames, Parquet writing and the trends queries included. Needs what
# scripts/spark-local.sh installs and a release build of the CLI (made here when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
files=4
size=300K
padding=20000
pause=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --files) files=$2; shift 2 ;;
        --target-bytes) size=$2; shift 2 ;;
        --padding) padding=$2; shift 2 ;;
        --pause) pause+=("$2"); shift 2 ;;
        *) echo "measure.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
for pid in "${pause[@]}"; do kill -0 "$pid" || { echo "measure.sh: --pause $pid: no such process" >&2; exit 2; }; done
work=$(mktemp -d)
resume() {
    for pid in "${pause[@]}"; do kill -CONT "$pid" 2>/dev/null || true; done
}
trap 'resume; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# Untimed: the inputs, the Spark environment and the CLI.
mkdir -p "$work/in"
for i in $(seq 1 "$files"); do
    python3 "$root/bench/warc/make_warc.py" "$work/in/part-$i.warc.gz" --seed "$i" --target-bytes "$size" \
        --padding "$padding" 2>/dev/null
done
inputs=("$work"/in/*.warc.gz)
"$root/scripts/spark-local.sh" --install-only
(cd "$root" && cargo build --release --quiet -p unspin-cli)
unspin=$root/target/release/unspin
py=$root/.venv-spark/bin/python
"$unspin" index --db "$work/warm.sqlite" --progress never "${inputs[0]}" >/dev/null 2>&1 || true  # page cache

now() { date +%s.%N; }
results=()
record() { results+=("$(printf '%-40s %6d docs %8.1f s %8.1f docs/s' "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)")"); }
spin='import time
t = time.time(); n = 0
while time.time() - t < 2: n += 1
print(n)'

for pid in "${pause[@]}"; do kill -STOP "$pid"; done
alone=$(taskset -c 0 python3 -c "$spin")
together=$( (taskset -c 0 python3 -c "$spin" & taskset -c 1 python3 -c "$spin"; wait) | paste -sd+ | bc)
for jobs in 1 2; do
    t0=$(now)
    "$unspin" index --db "$work/cli-$jobs.sqlite" --jobs "$jobs" --threads "$jobs" --progress never "${inputs[@]}" \
        >"$work/cli-$jobs.log" 2>&1 || true
    t1=$(now)
    docs=$(grep -o '[0-9]* stored' "$work/cli-$jobs.log" | grep -o '[0-9]*')
    record "unspin index --jobs $jobs" "$docs" "$(echo "$t1 - $t0" | bc -l)"
    t0=$(now)
    "$unspin" analyze --format jsonl --jobs "$jobs" --threads "$jobs" --progress never "${inputs[@]}" \
        > "$work/analyze-$jobs.jsonl" 2>/dev/null || true
    t1=$(now)
    record "unspin analyze -f jsonl --jobs $jobs" "$(grep -c '^{"type":"document"' "$work/analyze-$jobs.jsonl")" \
        "$(echo "$t1 - $t0" | bc -l)"
done
# Without the model (reading, extraction, segmentation, claims): the part a GPU would not speed up.
t0=$(now)
"$unspin" analyze --format jsonl --no-model --jobs 1 --progress never "${inputs[@]}" > "$work/no-model.jsonl" 2>/dev/null || true
t1=$(now)
record "unspin analyze --no-model --jobs 1" "$(grep -c '^{"type":"document"' "$work/no-model.jsonl")" "$(echo "$t1 - $t0" | bc -l)"
# The Python package alone: what each Spark task runs, without Spark.
read -r docs secs <<<"$("$py" - "${inputs[@]}" <<'EOF'
import sys, time
import unspin
t = time.time()
analyzer = unspin.Analyzer(threads=1, jobs=1)
docs = (d for path in sys.argv[1:] for d in unspin.read(path, errors="return"))
n = sum(1 for a in analyzer.analyze_many(docs, errors="return") if not isinstance(a, BaseException) and a.rows())
print(n, time.time() - t)
EOF
)"
record "python: Analyzer(threads=1) + rows()" "$docs" "$secs"
for cores in 1 2; do
    t0=$(now)
    "$root/scripts/spark-local.sh" --no-install --master "local[$cores]" --out "$work/spark-$cores" "${inputs[@]}" \
        > "$work/spark-$cores.log" 2>&1 || true
    t1=$(now)
    summary=$work/spark-$cores/summary.json
    [[ -f $summary ]] || { cat "$work/spark-$cores.log" >&2; echo "measure.sh: the Spark job failed" >&2; exit 1; }
    read -r docs analysis <<<"$("$py" -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["documents"], s["seconds"]["analysis"])' "$summary")"
    record "Spark local[$cores]: analysis stage" "$docs" "$analysis"
    record "Spark local[$cores]: all (spark-submit)" "$docs" "$(echo "$t1 - $t0" | bc -l)"
done
resume

words=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["words"])' "$work/spark-1/summary.json")
bytes=$(cat "${inputs[@]}" | wc -c)
echo "inputs: $files files, $bytes bytes compressed, $docs articles, $words words"
echo "machine: $(nproc) vCPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), parallel speedup $(echo "scale=2; $together / $alone" | bc)"
printf '%s\n' "${results[@]}"
