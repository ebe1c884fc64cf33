#!/usr/bin/env bash
# Installs the ONNX Runtime shared library that unspin's technique model runs on.
#
#   scripts/setup-runtime.sh [DEST]      (default DEST: runtime/onnxruntime in the source tree)
#
# unspin loads ONNX Runtime at run time instead of linking it at build time, so that building
# downloads nothing. The library comes from the official `onnxruntime` wheel on PyPI (pip fetches
# it; nothing is installed into Python). Idempotent: does nothing if the pinned version is there.
set -euo pipefail
VERSION=1.32.0
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/runtime/onnxruntime}
if [[ -f $dest/libonnxruntime.so && "$(cat "$dest/VERSION" 2>/dev/null)" == "$VERSION" ]]; then
    echo "ONNX Runtime $VERSION already in $dest"
    exit 0
fi
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) arch=x86_64 ;;
    Linux-aarch64) arch=aarch64 ;;
    *) echo "setup-runtime.sh: no ONNX Runtime wheel known for $(uname -s) $(uname -m); install ONNX Runtime $VERSION and set UNSPIN_ORT_LIB" >&2; exit 1 ;;
esac
python=$(command -v python3 || command -v python || true)
[[ -n $python ]] || { echo "setup-runtime.sh: needs python3 with pip to fetch the wheel" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$python" -m pip download --quiet --no-deps --only-binary=:all: \
    $(for n in 17 24 27 28 31 34; do echo --platform manylinux_2_${n}_$arch; done) \
    --python-version 3.11 --implementation cp "onnxruntime==$VERSION" -d "$tmp"
wheel=$(ls "$tmp"/onnxruntime-*.whl)
mkdir -p "$dest"
"$python" - "$wheel" "$dest" <<'PY'
import re, sys, zipfile, shutil, pathlib
wheel, dest = sys.argv[1], pathlib.Path(sys.argv[2])
with zipfile.ZipFile(wheel) as z:
    libs = [n for n in z.namelist() if re.search(r"onnxruntime/capi/libonnxruntime\.so\.\d", n)]
    if not libs:
        sys.exit("setup-runtime.sh: no libonnxruntime.so in " + wheel)
    with z.open(libs[0]) as src, open(dest / "libonnxruntime.so", "wb") as out:
        shutil.copyfileobj(src, out)
PY
echo "$VERSION" >"$dest/VERSION"
echo "installed ONNX Runtime $VERSION in $dest"
