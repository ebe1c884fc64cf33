#!/usr/bin/env bash
# Load and soak benchmark (not run in CI): starts `unspin serve` on a free loopback port, runs N
# clients posting examples/article9001.txt to /v1/analyze for a bounded time, prints requests/s,
# p50/p99 latency, the answers and the server's memory (crates/unspin-server/examples/load.rs),
# then stops the server.
#
#   bench/server/load.sh [CLIENTS [SECONDS [ARTICLE]]]      (defaults: 8 clients, 20 s)
#   LOAD_ARGS="--requests 6 --mix --slow 4" bench/server/load.sh 32     # a burst, mixed requests
#   LOAD_ARGS="--mix" bench/server/load.sh 8 600                          # a 10-minute soak
#
# PROFILE=release builds optimised binaries (slower to build, the numbers to quote); the default
# is the debug build the tests use. Server flags go in SERVE_ARGS (default: none, so the server's
# own defaults: one analysis slot per core and a queue of 64); flags for the load client in
# LOAD_ARGS (see load.rs: --requests, --mix, --slow, --retry).
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-8}
seconds=${2:-20}
article=${3:-examples/article9001.txt}
profile=${PROFILE:-debug}
flag=()
[ "$profile" = release ] && flag=(--release)
target=${CARGO_TARGET_DIR:-target}

# Two builds: with --example, cargo builds only that example, not the unspin binary beside it.
cargo build -j1 "${flag[@]}" -p unspin-cli
cargo build -j1 "${flag[@]}" -p unspin-server --example load
log=$(mktemp)
serve_args=${SERVE_ARGS:-}
# shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
"$target/$profile/unspin" serve --bind 127.0.0.1:0 $serve_args 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 300); do
    grep -q 'listening on' "$log" && break
    kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
done
base=$(grep -o 'http://[^/ ]*' "$log" | head -1)
echo "server: $base ($profile build, $(nproc) cores, flags: ${serve_args:-none})"
# shellcheck disable=SC2086 # LOAD_ARGS is a list of flags
"$target/$profile/examples/load" "$base" --clients "$clients" --seconds "$seconds" --file "$article" \
    --pid "$server" ${LOAD_ARGS:-}
