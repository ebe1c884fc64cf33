"""Fixtures of the Python package's tests: the repository's files and the CLI to compare with."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parent / "data"


def _cli() -> Path:
    """The `unspin` binary: $UNSPIN_BIN, else the newest of {release,debug}/unspin under
    $CARGO_TARGET_DIR (default: the repository's target/)."""
    if os.environ.get("UNSPIN_BIN"):
        return Path(os.environ["UNSPIN_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    target = target if target.is_absolute() else REPO / target
    built = [p for p in (target / "release/unspin", target / "debug/unspin") if p.is_file()]
    if not built:
        found = shutil.which("unspin")
        if found:
            return Path(found)
        pytest.fail("no unspin binary: run `cargo build -p unspin-cli` or set UNSPIN_BIN")
    return max(built, key=lambda p: p.stat().st_mtime)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def cli():
    """Runs the CLI with arguments; returns the completed process (stdout as text)."""
    binary = _cli()

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR",)}
        done = subprocess.run([str(binary), *args], capture_output=True, text=True, cwd=REPO, env=env)
        if check and done.returncode != 0:
            raise AssertionError(f"unspin {' '.join(args)} exited {done.returncode}: {done.stderr}")
        return done

    return run


@pytest.fixture(scope="session")
def cli_documents(cli):
    """The CLI's JSON documents for inputs (paths relative to the repository), in order."""

    def documents(*paths: str) -> list:
        out = cli("analyze", "--format", "jsonl", "--jobs", "1", *paths).stdout
        lines = [json.loads(line) for line in out.splitlines()]
        return [
            {k: v for k, v in line.items() if k not in ("type", "schema_version")}
            for line in lines
            if line["type"] == "document"
        ]

    return documents


@pytest.fixture(scope="session")
def analyzer():
    import unspin

    return unspin.Analyzer(jobs=2, threads=2)
