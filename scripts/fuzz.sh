#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer on the stable toolchain (no nightly, no cargo-fuzz).
#
#   scripts/fuzz.sh TARGET SECONDS     build, then fuzz one target for SECONDS
#   scripts/fuzz.sh all SECONDS        every target in turn, SECONDS each
#   scripts/fuzz.sh list               the targets
#
# The bodies are in crates/unspin-fuzz; fuzz/ wraps each in a libFuzzer binary, built here in
# release mode with SanitizerCoverage passes given as stable -C flags. The working corpus grows in
# target/fuzz-corpus/TARGET (outside git), seeded from fuzz/corpus/TARGET. A crash, timeout or
# out-of-memory input is written to target/fuzz-artifacts/TARGET/, its path printed, and the
# script exits 1. See docs/fuzzing.md.
#
# Environment: CARGO_BUILD_JOBS (build parallelism), FUZZ_RSS_MB (memory limit, default 2048),
# FUZZ_TIMEOUT (seconds one input may take, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(text html jsonl warc segment wordpiece model_config labels claims server url)

# Longest input per target, in bytes: past a real document's size the fuzzer only finds slowness.
max_len() {
    case "$1" in
        html | warc) echo 65536 ;;
        url) echo 1024 ;;
        *) echo 16384 ;;
    esac
}

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS   (targets: ${TARGETS[*]})" >&2
    exit 2
}

[ "${1:-}" = list ] && { printf '%s\n' "${TARGETS[@]}"; exit 0; }
[ $# -eq 2 ] || usage
what=$1
seconds=$2
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
if [ "$what" = all ]; then
    selected=("${TARGETS[@]}")
else
    [[ " ${TARGETS[*]} " == *" $what "* ]] || { echo "unknown target: $what" >&2; usage; }
    selected=("$what")
fi

# Instrumentation as cargo-fuzz sets it, without its nightly-only -Z flags and without ASan
# (Rust code is memory-safe; what we look for are panics, overflows, hangs and memory blow-ups).
# An explicit --target keeps these flags off build scripts and proc macros, which are not linked
# with libFuzzer.
host=$(rustc -vV | sed -n 's/^host: //p')
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
export CARGO_TARGET_DIR="$PWD/target/fuzz"
# fuzz/ is a workspace of its own; starting from the main lock file keeps every shared dependency
# at the version the tests ran with, and cargo adds only libfuzzer-sys and what it needs.
cp Cargo.lock fuzz/Cargo.lock
cargo build --release --manifest-path fuzz/Cargo.toml --target "$host" \
    $(printf -- '--bin %s ' "${selected[@]}")
bin_dir="$CARGO_TARGET_DIR/$host/release"

summary=()
failed=()
for target in "${selected[@]}"; do
    corpus="target/fuzz-corpus/$target"
    artifacts="target/fuzz-artifacts/$target"
    log="target/fuzz-logs/$target.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    echo "== fuzzing $target for ${seconds}s (corpus $corpus, seeds fuzz/corpus/$target)"
    status=0
    # The first corpus folder is written to; the seed folder is only read.
    "$bin_dir/$target" "$corpus" "fuzz/corpus/$target" \
        -max_total_time="$seconds" -max_len="$(max_len "$target")" \
        -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -timeout="${FUZZ_TIMEOUT:-20}" \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || status=$?
    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: … exec/s: E rss: R".
    done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    line="$target: ${seconds}s, ${execs:-?} runs, ${speed:-?} exec/s | ${done_line:-no status line}"
    summary+=("$line")
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$log" >&2
        artifact=$(ls -t "$artifacts" 2>/dev/null | head -n 1)
        echo "!! $target failed (exit $status); log: $log" >&2
        if [ -n "$artifact" ]; then
            echo "!! reproducer: $artifacts/$artifact" >&2
            echo "!! rerun it:   $bin_dir/$target $artifacts/$artifact" >&2
            echo "!! once fixed, copy it to fuzz/regressions/$target/ so cargo test replays it" >&2
        fi
        failed+=("$target")
    fi
    echo "$line"
done

echo
echo "== libFuzzer summary (runs, exec/s, and the last status line: cov = edges, ft = features)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
