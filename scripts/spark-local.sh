#!/usr/bin/env bash
# Runs the Spark job (spark/unspin_job.py) in Spark local mode on this machine, after installing
# what it needs, each step skipped when already done:
#   - a Java runtime from Debian's apt (with sudo when not root) when `java` is missing;
#   - .venv-spark/: a virtualenv with pyspark $PYSPARK_VERSION, pyarrow (spark/check_parity.py
#     reads the Parquet files with it), maturin, and the unspin package built from this checkout
#     (`pip install ./crates/unspin-py`, again whenever a file under crates/unspin, crates/unspin-py
#     or Cargo.* is newer than the last install), or the wheel $UNSPIN_WHEEL names
#     (scripts/build-wheel.sh);
#   - the inference libraries in runtime/ (scripts/setup-runtime.sh).
#
#   scripts/spark-local.sh --out DIR [--master local[N]] [--driver-memory 2g] [JOB OPTIONS] WARC...
#   scripts/spark-local.sh --install-only
#   scripts/spark-local.sh --no-install --out DIR WARC...   (.venv-spark as it is: for timings)
#
# Every other option goes to the job: `scripts/spark-local.sh --help` lists them. The exit status
# is the job's (0 ok, 1 some records failed, 2 bad arguments or nothing read) or, when an install
# step fails, 3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.venv-spark
PYSPARK_VERSION=3.5.9
PYARROW_VERSION=21.0.0
master=local[2]
driver_memory=2g
install_only=
no_install=
job_args=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --master) master=${2:?--master needs a value}; shift 2 ;;
        --master=*) master=${1#*=}; shift ;;
        --driver-memory) driver_memory=${2:?--driver-memory needs a value}; shift 2 ;;
        --driver-memory=*) driver_memory=${1#*=}; shift ;;
        --install-only) install_only=1; shift ;;
        --no-install) no_install=1; shift ;;
        *) job_args+=("$1"); shift ;;
    esac
done

say() { echo "spark-local.sh: $*" >&2; }
fail() { say "$*"; exit 3; }
pip() { "$venv/bin/python" -m pip --disable-pip-version-check -q "$@"; }

# Spark 3.5 runs on Java 8, 11 and 17.
install_java() {
    command -v java >/dev/null 2>&1 && return
    command -v apt-get >/dev/null 2>&1 || fail "no java, and no apt-get to install one: install a Java 17 runtime"
    local sudo=""
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "no java; installing one with apt needs root or sudo"
        sudo=sudo
    fi
    say "installing a Java runtime with apt"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
        || $sudo apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null \
        || fail "apt could not install openjdk-17-jre-headless or default-jre-headless"
}

install_venv() {
    local python
    python=$(command -v python3 || true)
    [[ -n $python ]] || fail "needs python3 (3.9 or later) with venv"
    if [[ ! -x $venv/bin/python ]]; then
        say "creating $venv"
        "$python" -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
    fi
    if ! "$venv/bin/python" - "$PYSPARK_VERSION" "$PYARROW_VERSION" <<'EOF' 2>/dev/null
import sys, pyspark, pyarrow, maturin  # noqa: F401
sys.exit(pyspark.__version__ != sys.argv[1] or pyarrow.__version__ != sys.argv[2])
EOF
    then
        say "installing pyspark $PYSPARK_VERSION, pyarrow $PYARROW_VERSION and maturin into $venv"
        pip install "pyspark==$PYSPARK_VERSION" "pyarrow==$PYARROW_VERSION" "maturin>=1.8,<2" \
            || fail "pip install failed"
    fi
}

install_unspin() {
    local stamp=$venv/.unspin-installed
    if [[ -n ${UNSPIN_WHEEL:-} ]]; then
        [[ -f $UNSPIN_WHEEL ]] || fail "UNSPIN_WHEEL=$UNSPIN_WHEEL: no such file"
        local id="wheel $UNSPIN_WHEEL $(stat -c %Y "$UNSPIN_WHEEL")"
        if [[ ! -f $stamp || $(cat "$stamp") != "$id" ]]; then
            say "installing $UNSPIN_WHEEL"
            pip install --force-reinstall --no-deps "$UNSPIN_WHEEL" || fail "installing the wheel failed"
            echo "$id" > "$stamp"
        fi
        return
    fi
    if [[ ! -f $stamp || $(cat "$stamp") != checkout \
        || -n $(find "$root/crates/unspin" "$root/crates/unspin-py" "$root/Cargo.toml" "$root/Cargo.lock" \
                    -newer "$stamp" -not -path '*/__pycache__*' -print -quit) ]]; then
        say "building and installing the unspin package (pip install ./crates/unspin-py)"
        # Under CI, the dev profile (dependencies optimised, see Cargo.toml) reuses what `cargo
        # test` compiled, as scripts/test-python.sh does; the code is the same.
        if [[ ${CI:-} == true ]]; then
            export MATURIN_PEP517_ARGS=${MATURIN_PEP517_ARGS:---profile dev}
        fi
        PATH=$venv/bin:$PATH pip install --no-build-isolation --force-reinstall --no-deps "$root/crates/unspin-py" \
            || fail "pip install ./crates/unspin-py failed (it needs the Rust toolchain)"
        echo checkout > "$stamp"
    fi
}

if [[ -n $no_install ]]; then
    [[ -x $venv/bin/spark-submit ]] || fail "--no-install: $venv has no pyspark; run scripts/spark-local.sh --install-only"
    command -v java >/dev/null 2>&1 || fail "--no-install: no java"
else
    install_java
    install_venv
    # The inference libraries: the package installed from a checkout loads them from runtime/.
    "$root/scripts/setup-runtime.sh" >/dev/null || fail "scripts/setup-runtime.sh failed"
    install_unspin
fi
"$venv/bin/python" -c "import unspin" || fail "the unspin package does not import"
[[ -n $install_only ]] && { say "ready: $venv"; exit 0; }

# Spark local mode: the driver and the job's Python workers run the venv's Python.
export PYSPARK_PYTHON=$venv/bin/python PYSPARK_DRIVER_PYTHON=$venv/bin/python
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
unset SPARK_HOME
log4j=$(mktemp --suffix=.properties)
trap 'rm -f "$log4j"' EXIT
# Spark's INFO lines say nothing a user of the job needs; warnings and errors stay.
cat > "$log4j" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
EOF
set +e
"$venv/bin/spark-submit" \
    --master "$master" \
    --driver-memory "$driver_memory" \
    --conf spark.ui.enabled=false \
    --conf spark.ui.showConsoleProgress=false \
    --conf spark.sql.shuffle.partitions=4 \
    --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=file:$log4j" \
    "$root/spark/unspin_job.py" "${job_args[@]}"
exit $?
