#!/usr/bin/env bash
# Installs the inference libraries unspin's technique model runs on:
#   DEST/onnxruntime/  ONNX Runtime (every CPU; the int8 graph model.onnx)
#   DEST/openvino/     OpenVINO's C library, CPU plugin and ONNX reader (the bf16 graph
#                      model.ov.onnx, used by default on CPUs with bf16 units)
#
#   scripts/setup-runtime.sh [DEST]      (default DEST: runtime/ in the source tree)
#
# unspin loads both at run time instead of linking them at build time, so that building
# downloads nothing. The libraries come from the official `onnxruntime` and `openvino` wheels on
# PyPI (pip fetches them; nothing is installed into Python). Idempotent: does nothing for a
# library whose pinned version is already there. SKIP_OPENVINO=1 installs ONNX Runtime only.
set -euo pipefail
ORT_VERSION=1.32.0
OPENVINO_VERSION=2026.4.1
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/runtime}
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) arch=x86_64 ;;
    Linux-aarch64) arch=aarch64 ;;
    *) echo "setup-runtime.sh: no wheels known for $(uname -s) $(uname -m); install ONNX Runtime $ORT_VERSION and set UNSPIN_ORT_LIB" >&2; exit 1 ;;
esac
python=$(command -v python3 || command -v python || true)
[[ -n $python ]] || { echo "setup-runtime.sh: needs python3 with pip to fetch the wheels" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# install NAME VERSION DIR LINK REGEX: unpacks the wheel's files whose path matches REGEX into
# DEST/DIR under their own names, and links LINK to the one whose name starts with it.
install() {
    local name=$1 version=$2 dir=$dest/$3 link=$4 regex=$5
    if [[ -f $dir/$link && "$(cat "$dir/VERSION" 2>/dev/null)" == "$version" ]]; then
        echo "$name $version already in $dir"
        return
    fi
    "$python" -m pip download --quiet --no-deps --only-binary=:all: \
        $(for n in 17 24 27 28 31 34; do echo --platform manylinux_2_${n}_$arch; done) --platform manylinux2014_$arch \
        --python-version 3.11 --implementation cp "$name==$version" -d "$tmp/$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    "$python" - "$(ls "$tmp/$name"/*.whl)" "$dir" "$link" "$regex" <<'PY'
import os, re, shutil, sys, zipfile, pathlib
wheel, dest, link, regex = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], re.compile(sys.argv[4])
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if regex.search(n)]
    if not names:
        sys.exit(f"setup-runtime.sh: nothing matching {regex.pattern} in {wheel}")
    for n in names:
        with z.open(n) as src, open(dest / pathlib.PurePosixPath(n).name, "wb") as out:
            shutil.copyfileobj(src, out)
files = [pathlib.PurePosixPath(n).name for n in names]
target = next((f for f in files if f.startswith(link)), None)
if target is None:
    sys.exit(f"setup-runtime.sh: no {link} in {wheel}")
if target != link:
    os.symlink(target, dest / link)
PY
    echo "$version" >"$dir/VERSION"
    echo "installed $name $version in $dir"
}

install onnxruntime "$ORT_VERSION" onnxruntime libonnxruntime.so \
    '^onnxruntime/capi/libonnxruntime\.so\.\d'
if [[ ${SKIP_OPENVINO:-0} != 1 ]]; then
    # The C library first (it is what unspin opens); the core, the CPU plugin, the ONNX reader and
    # the threading libraries they need sit beside it and are found through their $ORIGIN run path.
    install openvino "$OPENVINO_VERSION" openvino libopenvino_c.so \
        '^openvino/libs/(libopenvino_c\.so\.\d+|libopenvino\.so\.\d+|libopenvino_\w*cpu_plugin\.so|libopenvino_onnx_frontend\.so\.\d+|libtbb\.so\.\d+|libtbbbind[\w.]*\.so\.\d+|libhwloc\.so\.\d+)$'
fi
