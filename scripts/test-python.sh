#!/usr/bin/env bash
# The Python package's tests: builds the package into a virtualenv of its own and runs pytest
# (crates/unspin-py/tests: parity with the CLI's JSON, analyze_many on threads, bad input,
# read, to_pandas, and the examples of docs/python.md).
#
#   scripts/test-python.sh [PYTEST_ARGS...]
#
# Needs scripts/setup-runtime.sh run once (the inference libraries) and Python >= 3.9 with
# venv and pip. The virtualenv is target/py-venv (VENV= to change it); the CLI the tests compare
# with is built in debug mode if target/ has none.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=${VENV:-$root/target/py-venv}
python=${PYTHON:-$(command -v python3 || command -v python)}
if [[ ! -x $venv/bin/python ]]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "pytest>=7" "pandas>=1.5"
# The README's install command, into this virtualenv. Under CI the extension is built with the
# dev profile (dependencies optimised, see Cargo.toml), which reuses what `cargo test` compiled
# instead of building the whole library again with release settings; the code is the same.
if [[ ${CI:-} == true ]]; then
    export MATURIN_PEP517_ARGS=${MATURIN_PEP517_ARGS:---profile dev}
fi
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps ./crates/unspin-py
target=${CARGO_TARGET_DIR:-target}
if [[ -z ${UNSPIN_BIN:-} && ! -x $target/debug/unspin && ! -x $target/release/unspin ]]; then
    cargo build -p unspin-cli --locked
fi
# Run from outside the source folder so that the installed package, not python/unspin/, is imported.
cd "$root/crates/unspin-py"
exec "$venv/bin/python" -m pytest -q tests "$@"
