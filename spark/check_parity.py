#!/usr/bin/env python3
"""Parity of the Spark job with the CLI: the same WARC files through ``unspin index`` + ``trends``
+ ``export`` and through ``scripts/spark-local.sh`` (spark/unspin_job.py) must give the same
documents, spans, sentences, errors and aggregates.

    .venv-spark/bin/python spark/check_parity.py [--unspin BIN] [--master local[2]] [--work DIR]

Run it with the Python of .venv-spark (``scripts/spark-local.sh --install-only`` makes it; it
needs pyarrow). The inputs are generated with bench/warc/make_warc.py: three outlets (one rated,
so the ratings join is checked) in three months, a folder of two files and one file given as a
``file://`` URI (so both ways the job reads inputs are checked), one of them truncated two thirds
in, so that its last records fail in both; and a JSON Lines file with two documents without a
month and a broken line between them. Compared, by the key ``(source, record)``:

- the Parquet files' columns, in order, with their types and nullability, against
  ``unspin export``'s;
- every column of every document (bar the ids and ``analysed_at``), span and sentence row, and
  every error; each document's month partition against trends.rs's rule; that ``id`` is unique
  and every span and sentence joins to its document and lies in its month;
- span counts per technique, and the four ``unspin trends --format json`` documents.

Prints what differs and exits 1 when anything does (2 when a step cannot run); ``--job-arg``
passes an option to the job only (``--job-arg=--min-confidence=0.5`` must make it fail).
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPINGS = [("outlet", "outlet"), ("month", "month"), ("technique", "technique"), ("outlet,month", "outlet_month")]
MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}")
# Scores and confidences come from the same engine in both runs, but with different thread
# counts; allow for a last-bit difference in float sums (the counts and offsets must be exact).
TOLERANCE = 1e-6


class Failed(Exception):
    """A step could not run: exit 2."""


def run(cmd, ok=(0,), **kw):
    t0 = time.time()
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)
    took = time.time() - t0
    if done.returncode not in ok:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise Failed(f"{' '.join(map(str, cmd[:3]))} ... exited {done.returncode}")
    return done, took


def generate(work: Path) -> list:
    """The inputs: a folder (two files) and one file, as the two runs are given them."""
    make = ROOT / "bench" / "warc" / "make_warc.py"
    folder = work / "warcs"
    folder.mkdir()
    sets = [
        (folder / "ledger.warc.gz", ["--target-bytes", "40K"]),
        (work / "rt.warc.gz", ["--host", "www.rt.com", "--shift-days", "40", "--seed", "7", "--target-bytes", "20K"]),
        (folder / "wire.warc.gz", ["--host", "wire.example.org", "--shift-days", "-70", "--seed", "11",
                                   "--target-bytes", "20K"]),
    ]
    for path, options in sets:
        run([sys.executable, make, path, *options])
    # Truncated two thirds in: its last records are lost in the middle of a gzip member.
    wire = folder / "wire.warc.gz"
    data = wire.read_bytes()
    wire.write_bytes(data[: len(data) * 2 // 3])
    # Documents without a month (no date, a date that is not ISO), and a broken record between
    # them that fails alone: JSON Lines, which the job reads as the CLI does when given a file.
    text = ("The corrupt elites betrayed our great nation again, and every true patriot knows it. "
            "Officials said on Monday that the harbour contract had been signed in secret.")
    lines = [
        json.dumps({"id": "undated", "text": text, "url": "https://www.example.net/a"}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "odd-date", "text": text, "url": "https://www.example.net/b", "date": "Tuesday"}),
    ]
    extra = work / "extra.jsonl"
    extra.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [folder, work / "rt.warc.gz", extra]


def unspin_binary(given):
    if given:
        path = Path(given)
        if not path.is_file():
            raise Failed(f"--unspin {given}: no such file")
        return path
    # The debug build: what `cargo test` has already built in CI, so this costs nothing there.
    run(["cargo", "build", "--quiet", "-p", "unspin-cli"], cwd=ROOT)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    return (target if target.is_absolute() else ROOT / target) / "debug" / "unspin"


def normalise(source: str) -> str:
    """A source as the CLI names it: Spark names a file it read by URI (``file:/x``)."""
    return re.sub(r"^file:(//)?(?=/)", "", source)


def read_table(path: Path):
    """(rows as dicts, [(column, physical type)]) of a Parquet file or a partitioned folder."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    if path.is_dir():
        dataset = ds.dataset(path, format="parquet", partitioning="hive")
        files = sorted(path.rglob("*.parquet"))
        rows = dataset.to_table().to_pylist()
    else:
        files = [path]
        rows = pq.read_table(path).to_pylist()
    schemas = set()
    for f in files:
        schema = pq.ParquetFile(f).schema
        schemas.add(tuple((c.name, c.physical_type, str(c.logical_type),
                           "optional" if c.max_definition_level else "required") for c in schema))
    return rows, schemas


class Diff:
    def __init__(self):
        self.lines = []
        self.stats = {}

    def add(self, what, detail):
        self.lines.append(f"{what}: {detail}")

    def equal(self, what, cli, spark):
        if cli != spark:
            self.add(what, f"CLI {cli!r} / Spark {spark!r}")


def same_value(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None:
            return a is b
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return a == b


def compare_rows(diff, table, cli_rows, spark_rows, key, skip):
    cli = {key(r): r for r in cli_rows}
    spark = {key(r): r for r in spark_rows}
    if len(cli) != len(cli_rows) or len(spark) != len(spark_rows):
        diff.add(table, f"duplicate keys (CLI {len(cli_rows) - len(cli)}, Spark {len(spark_rows) - len(spark)})")
    for k in sorted(set(cli) - set(spark), key=repr)[:10]:
        diff.add(table, f"only in the CLI's: {k}")
    for k in sorted(set(spark) - set(cli), key=repr)[:10]:
        diff.add(table, f"only in Spark's: {k}")
    shown = 0
    for k in sorted(set(cli) & set(spark), key=repr):
        for column, value in cli[k].items():
            if column in skip:
                continue
            if not same_value(value, spark[k].get(column)):
                if shown < 20:
                    diff.add(table, f"{k} {column}: CLI {value!r} / Spark {spark[k].get(column)!r}")
                shown += 1
    if shown > 20:
        diff.add(table, f"... {shown - 20} more differing values")


def compare(cli_tables: Path, spark_out: Path, cli_trends: dict) -> Diff:
    diff = Diff()
    # Columns, types and nullability: Spark's files hold export's columns (the partition column
    # `month` is in the folder names).
    tables = {}
    for name in ("documents", "spans", "sentences", "errors"):
        cli_rows, cli_schema = read_table(cli_tables / f"{name}.parquet")
        spark_rows, spark_schemas = read_table(spark_out / name)
        tables[name] = (cli_rows, spark_rows)
        (cli_schema,) = cli_schema
        for schema in spark_schemas:
            diff.equal(f"{name} columns", cli_schema, schema)

    cli_docs, spark_docs = tables["documents"]
    uri_sources = set()
    for d in spark_docs:
        given = d["source"]
        d["source"] = normalise(given)
        if d["source"] != given:
            uri_sources.add(d["source"])
    doc_key = lambda r: (r["source"], r["record"])  # noqa: E731
    # content_hash covers the document's metadata, its source among them: a file the job read by
    # URI (`file:/x`) hashes apart from the CLI's `/x`, so there it is compared only for plain paths.
    for d in spark_docs:
        if d["source"] in uri_sources:
            d.pop("content_hash")
    for d in cli_docs:
        if d["source"] in uri_sources:
            d.pop("content_hash")
    compare_rows(diff, "documents", cli_docs, spark_docs, doc_key, skip={"id", "analysed_at", "month"})
    ids = {d["id"]: doc_key(d) for d in spark_docs}
    if len(ids) != len(spark_docs):
        diff.add("documents", "two documents share an id")
    for d in spark_docs:
        want = d["date"][:7] if d["date"] and MONTH.match(d["date"]) else None
        if d["month"] != want:
            diff.add("documents", f"{doc_key(d)} is in month {d['month']!r}, its date {d['date']!r} says {want!r}")
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["analysed_at"] or ""):
            diff.add("documents", f"{doc_key(d)} analysed_at {d['analysed_at']!r} is not UTC ISO 8601")
    months = {d["id"]: d["month"] for d in spark_docs}
    cli_ids = {d["id"]: doc_key(d) for d in cli_docs}

    for name, key_columns in (("spans", ("char_start", "char_end", "technique")), ("sentences", ("idx",))):
        cli_rows, spark_rows = tables[name]
        for r in cli_rows:
            r["key"] = cli_ids[r.pop("doc")]
        for r in spark_rows:
            doc = r.pop("doc")
            if doc not in ids:
                diff.add(name, f"a row of document {doc}, which is not in documents")
                continue
            r["key"] = ids[doc]
            if r.pop("month") != months[doc]:
                diff.add(name, f"a row of {ids[doc]} is not in its document's month")
        key = lambda r, cols=key_columns: (r["key"], *(r[c] for c in cols))  # noqa: E731
        compare_rows(diff, name, cli_rows, spark_rows, key, skip={"key"})

    per_technique = lambda rows: dict(sorted(collections.Counter(r["technique"] for r in rows).items()))  # noqa: E731
    cli_spans, spark_spans = tables["spans"]
    diff.equal("span counts per technique", per_technique(cli_spans), per_technique(spark_spans))

    cli_errors, spark_errors = tables["errors"]
    for e in spark_errors:
        e["source"] = normalise(e["source"])
    compare_rows(diff, "errors", cli_errors, spark_errors, doc_key, skip={"at"})

    for by, name in GROUPINGS:
        spark_trends = json.loads((spark_out / "trends" / f"{name}.json").read_text())
        if cli_trends[by] != spark_trends:
            cli_rows, spark_rows = cli_trends[by]["rows"], spark_trends["rows"]
            if len(cli_rows) != len(spark_rows):
                diff.add(f"trends --by {by}", f"{len(cli_rows)} rows in the CLI's, {len(spark_rows)} in Spark's")
            for a, b in zip(cli_rows, spark_rows):
                if a != b:
                    diff.add(f"trends --by {by}", f"CLI {json.dumps(a)} / Spark {json.dumps(b)}")
                    break
            else:
                diff.add(f"trends --by {by}", "the documents differ outside their rows")
    stats = {
        "documents": len(cli_docs),
        "errors": len(cli_errors),
        "spans": len(cli_spans),
        "sentences": len(tables["sentences"][0]),
        "outlets": len({d["outlet"] for d in cli_docs}),
        "months": len({d["month"] for d in spark_docs}),
        "techniques": per_technique(cli_spans),
    }
    diff.stats = stats
    return diff


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--unspin", help="the unspin binary (default: build target/debug/unspin with cargo)")
    ap.add_argument("--master", default="local[2]", help="Spark master for the job (default local[2])")
    ap.add_argument("--work", help="keep inputs and outputs in this new folder (default: a temporary one, removed)")
    ap.add_argument("--job-arg", action="append", default=[], help="an option for the Spark job only")
    ap.add_argument("--model", default="fast", help="the model both sides run (default fast, the corpus model)")
    args = ap.parse_args()
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        print("check_parity.py: needs pyarrow; run it with .venv-spark/bin/python "
              "(scripts/spark-local.sh --install-only)", file=sys.stderr)
        return 2
    if args.work:
        work = Path(args.work)
        if work.exists():
            print(f"check_parity.py: --work {work} exists", file=sys.stderr)
            return 2
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="unspin-parity-"))
    try:
        inputs = generate(work)
        binary = unspin_binary(args.unspin)
        db = work / "cli.sqlite"
        # Index the folder and the file as the job gets them; some records fail: exit 1.
        _, cli_s = run([binary, "index", "--db", db, "--model", args.model, "--jobs", "2", "--progress", "never", *inputs],
                       ok=(1,))
        cli_trends = {}
        for by, _ in GROUPINGS:
            done, _ = run([binary, "trends", "--db", db, "--by", by, "--format", "json"])
            cli_trends[by] = json.loads(done.stdout)
        run([binary, "export", "--db", db, "--out", work / "cli-tables", "--format", "parquet"])

        spark_out = work / "spark"
        job_inputs = [inputs[0], f"file://{inputs[1]}", inputs[2]]
        done, spark_s = run(
            [ROOT / "scripts" / "spark-local.sh", "--master", args.master, "--out", spark_out, "--model", args.model,
             *args.job_arg,
             *job_inputs],
            ok=(1,),
        )
        print(done.stdout, end="")
        diff = compare(work / "cli-tables", spark_out, cli_trends)
    except Failed as e:
        print(f"check_parity.py: {e}", file=sys.stderr)
        return 2
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    s = diff.stats
    print(f"check_parity.py: CLI index {cli_s:.1f} s, Spark job ({args.master}) {spark_s:.1f} s")
    print(f"check_parity.py: {s['documents']} documents from {s['outlets']} outlets in {s['months']} months, "
          f"{s['errors']} errors, {s['spans']} spans, {s['sentences']} sentences; spans per technique {s['techniques']}")
    if diff.lines:
        print(f"check_parity.py: the Spark job and the CLI differ ({len(diff.lines)}):")
        for line in diff.lines:
            print(f"  {line}")
        return 1
    print("check_parity.py: the Spark job's tables, errors and trends equal the CLI's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
