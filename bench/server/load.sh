#!/usr/bin/env bash
# Load benchmark (not run in CI): starts `unspin serve` on a free loopback port, runs N clients
# posting examples/article9001.txt to /v1/analyze for a bounded time, prints requests/s, p50/p99
# latency and errors (crates/unspin-server/examples/load.rs), then stops the server.
#
#   bench/server/load.sh [CLIENTS [SECONDS [ARTICLE]]]      (defaults: 8 clients, 20 s)
#
# PROFILE=release builds optimised binaries (slower to build, the numbers to quote); the default
# is the debug build the tests use. Server flags go in SERVE_ARGS; the default gives the server one
# analysis slot per client, so that no client is refused: with fewer slots than clients the extra
# requests get 503 and count as errors, which is the server doing its job, not a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${1:-8}
seconds=${2:-20}
article=${3:-examples/article9001.txt}
profile=${PROFILE:-debug}
flag=()
[ "$profile" = release ] && flag=(--release)
target=${CARGO_TARGET_DIR:-target}

cargo build -j1 "${flag[@]}" -p unspin-cli -p unspin-server --example load
log=$(mktemp)
serve_args=${SERVE_ARGS:---concurrency $clients}
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
echo "server: $base ($profile build, $(nproc) cores, $serve_args)"
"$target/$profile/examples/load" "$base" --clients "$clients" --seconds "$seconds" --file "$article"
