#!/usr/bin/env python3
"""unspin on Apache Spark: analyse WARC files on a cluster's executors, write the corpus tables as
Parquet and the ``unspin trends`` aggregates as JSON.

    spark-submit spark/unspin_job.py --out OUT WARC... [options]
    scripts/spark-local.sh --out OUT WARC...          (Spark local mode on this machine)

The shape of commoncrawl/cc-pyspark: the driver lists the inputs, spreads them over partitions,
and each executor runs the Rust engine, through the ``unspin`` Python package, on the records of
its inputs inside ``mapPartitions``, with one ``unspin.Analyzer`` (one loaded model) per executor
Python process (spark/unspin_worker.py). A record that cannot be read or analysed becomes a row of
``errors``; the job goes on.

Inputs: a plain path (a file, or a folder standing for the ``.warc``/``.warc.gz`` files under it)
must be readable at that path on every executor (local mode, NFS); it is streamed, record by
record. A URI (``hdfs://``, ``s3a://``, ``gs://``, ``file:``; globs and folders as Spark takes
them) is read by Spark (``binaryFiles``) and handed to the engine whole, so an executor needs the
memory for one file. ``--inputs-from FILE`` reads more of them, one per line.

Output under OUT (docs/scale.md, docs/corpus.md):

- ``documents/``, ``spans/``, ``sentences/``: Parquet, partitioned by ``month`` (``YYYY-MM`` of the
  document's date, by trends.rs's rule; Spark's ``__HIVE_DEFAULT_PARTITION__`` for undated
  documents, read back as NULL), with the columns and types of ``unspin export``. The ids
  differ: ``documents.id``, and ``doc`` in the others, is Spark's ``xxhash64(source, record)``,
  a 64-bit key that the same input path and record number always get, on any cluster and in any
  run (the database's ids are row numbers). Sentence flags are 0/1 integers, as in the export.
- ``sentence_techniques/``: which techniques touch which sentence (``doc``, ``sentence``,
  ``technique``), the database table that ``unspin export`` leaves out and the sentence shares
  of trends count; also by month.
- ``errors/``: ``source``, ``record``, ``message``, ``at``: the records that failed.
- ``trends/{outlet,month,technique,outlet_month}.json``: ``unspin trends --by ... --format json``.
- ``summary.json``: counts, timings and settings of the run.

Exit status, as ``unspin index``'s: 0 every record analysed; 1 some records failed (they are in
``errors``, the rest are written); 2 bad arguments, an input that does not exist, the model or
the runtime failing to load, or no document read at all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import unspin_trends  # noqa: E402
import unspin_worker  # noqa: E402

TABLES = ("documents", "spans", "sentences", "sentence_techniques", "errors")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
WARC_NAME = re.compile(r"\.warc(\.gz)?$")


class Usage(Exception):
    """Bad arguments or inputs: exit 2 with this message."""


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="unspin_job.py",
        description="Analyse WARC files with unspin on Spark; write Parquet tables and the trends aggregates.",
    )
    ap.add_argument("inputs", nargs="*", metavar="WARC", help="WARC(.gz) files, folders of them, or URIs Spark reads")
    ap.add_argument("--out", required=True, help="output folder (must not exist, or be empty, unless --overwrite)")
    ap.add_argument("--inputs-from", metavar="FILE", help="a file listing more inputs, one per line (# comments)")
    ap.add_argument("--model", help="`fast`, `accurate` or a model folder on the executors (default: $UNSPIN_MODEL, else accurate; `fast` is about three times faster)")
    ap.add_argument("--no-model", action="store_true", help="no technique model: segmentation and claims only")
    ap.add_argument("--min-confidence", type=float, default=0.0, help="drop spans below this confidence (0 to 1)")
    ap.add_argument("--partitions", type=int, help="partitions of the input list (default: one per input)")
    ap.add_argument("--threads", type=int,
                    help="inference threads of each executor Python process (default: spark.task.cpus)")
    ap.add_argument("--batch", type=int, default=64, help="documents handed to the engine at a time (default 64)")
    ap.add_argument("--overwrite", action="store_true", help="replace what OUT holds")
    args = ap.parse_args(argv)
    if not 0.0 <= args.min_confidence <= 1.0:
        raise Usage(f"--min-confidence must be between 0 and 1, not {args.min_confidence}")
    for name in ("partitions", "threads", "batch"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise Usage(f"--{name} must be at least 1, not {value}")
    if args.no_model and args.model:
        raise Usage("--no-model and --model exclude each other")
    inputs = list(args.inputs)
    if args.inputs_from:
        try:
            lines = Path(args.inputs_from).read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise Usage(f"--inputs-from {args.inputs_from}: {e.strerror}") from e
        inputs += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not inputs:
        raise Usage("no inputs: give WARC files, folders or URIs (or --inputs-from FILE)")
    args.inputs = inputs
    return args


def local_files(inputs):
    """The plain paths among ``inputs``, folders expanded to the WARC files under them (sorted, as
    the CLI walks folders: the folder as given joined with the path below it)."""
    files = []
    for given in inputs:
        if URI.match(given):
            continue
        path = Path(given)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(given):
                dirs.sort()
                found += [os.path.join(root, n) for n in sorted(names) if WARC_NAME.search(n)]
            if not found:
                raise Usage(f"{given}: a folder without .warc or .warc.gz files")
            files += found
        elif path.is_file():
            files.append(given)
        elif path.exists():
            raise Usage(f"{given}: not a file or folder")
        else:
            raise Usage(f"{given}: no such file or folder")
    return files


def check_uris(spark, uris):
    """Every URI must match at least one file, asked of Hadoop's file systems (as binaryFiles will)."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    for uri in uris:
        try:
            path = jvm.org.apache.hadoop.fs.Path(uri)
            found = path.getFileSystem(conf).globStatus(path)
        except Exception as e:  # an unknown scheme, no credentials, an unreachable name node
            raise Usage(f"{uri}: cannot be read: {_java_message(e)}") from e
        if found is None or len(found) == 0:
            raise Usage(f"{uri}: no such file")


def _java_message(e: Exception) -> str:
    java = getattr(e, "java_exception", None)
    text = java.toString() if java is not None else str(e)
    return text.strip().splitlines()[0] if text.strip() else type(e).__name__


def check_model(settings):
    """Load the model once on the driver, when the package is there, so that a bad --model or a
    missing runtime library is one clear error here rather than a failure of every task."""
    try:
        import unspin
    except ImportError:
        print("unspin_job: the unspin package is not installed on the driver; the executors will load the model",
              file=sys.stderr)
        return None
    try:
        analyzer = unspin.Analyzer(
            settings["model"], threads=1, jobs=1, min_confidence=settings["min_confidence"],
            no_model=settings["no_model"],
        )
    except unspin.UnspinError as e:
        raise Usage(f"the model cannot be loaded: {e}") from e
    return {"unspin": unspin.__version__, "model": analyzer.model}


def prepare_out(out: Path, overwrite: bool):
    if out.exists() and not out.is_dir():
        raise Usage(f"--out {out}: not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise Usage(f"--out {out}: not empty (give --overwrite to replace it)")
    out.mkdir(parents=True, exist_ok=True)


def run(args) -> int:
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    started = time.time()
    files = local_files(args.inputs)
    uris = [given for given in args.inputs if URI.match(given)]
    settings = {
        "model": args.model,
        "no_model": args.no_model,
        "min_confidence": args.min_confidence,
        "threads": args.threads,
        "batch": args.batch,
    }
    loaded = check_model(settings)
    out_uri = args.out
    local_out = not URI.match(out_uri) or out_uri.startswith("file:")
    if local_out:
        out = Path(re.sub(r"^file:(//)?", "", out_uri))
        prepare_out(out, args.overwrite)
        out_uri = str(out.resolve())

    spark = SparkSession.builder.appName("unspin").getOrCreate()
    sc = spark.sparkContext
    try:
        check_uris(spark, uris)
        sc.addPyFile(str(HERE / "unspin_worker.py"))

        # The inputs, one per partition unless --partitions says otherwise: a WARC file is read
        # sequentially by one task, so a file is the unit of parallelism.
        parts = []
        if files:
            slices = min(args.partitions or len(files), len(files))
            parts.append(sc.parallelize([("path", f) for f in files], slices))
        if uris:
            read = sc.binaryFiles(",".join(uris), minPartitions=args.partitions or len(uris))
            parts.append(read.map(lambda kv: ("bytes", kv[0], bytes(kv[1]))))
        items = parts[0] if len(parts) == 1 else sc.union(parts)
        if args.partitions and items.getNumPartitions() != args.partitions:
            items = items.repartition(args.partitions)
        tagged = items.mapPartitions(partial(unspin_worker.analyze_partition, settings))
        # The analysis runs once: its rows are kept (on disk where memory is short) while the two
        # frames are made from them, and each frame is kept for the tables read from it.
        tagged.persist(StorageLevel.MEMORY_AND_DISK)
        t0 = time.time()
        total = tagged.count()  # the analysis itself
        analysis_s = time.time() - t0
        t0 = time.time()
        analysed = (
            spark.createDataFrame(tagged.filter(unspin_worker.is_document).map(unspin_worker.untagged),
                                  document_schema(), verifySchema=False)
            .withColumn("id", F.xxhash64("source", "record"))
            .withColumn("month", F.expr(unspin_trends.MONTH_SQL))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        failed = spark.createDataFrame(
            tagged.filter(unspin_worker.is_error).map(unspin_worker.untagged),
            struct(unspin_worker.ERROR_COLUMNS), verifySchema=False,
        ).persist(StorageLevel.MEMORY_AND_DISK)
        analysed.count(), failed.count()  # the rows become DataFrames, kept for the tables
        convert_s = time.time() - t0
        tagged.unpersist()

        tables = split(analysed, failed, F)
        counts = {}
        t0 = time.time()
        for name in TABLES:
            frame = tables[name]
            writer = frame.write.mode("overwrite")
            if "month" in frame.columns:
                writer = writer.partitionBy("month")
            writer.parquet(f"{out_uri}/{name}")
        write_s = time.time() - t0
        for name in TABLES:
            counts[name] = tables[name].count()

        t0 = time.time()
        unspin_trends.register(spark, tables["documents"], tables["spans"], tables["sentence_techniques"])
        trends = unspin_trends.compute(spark, partial(ratings, sc, settings))
        trends_s = time.time() - t0
        analysed.unpersist()
        failed.unpersist()
    except Usage:
        spark.stop()
        raise
    except Exception as e:
        spark.stop()
        print(f"unspin_job: the Spark job failed: {_java_message(e)}", file=sys.stderr)
        return 2

    docs = counts["documents"]
    summary = {
        "inputs": len(files) + len(uris),
        "records": total,
        "documents": docs,
        "errors": counts["errors"],
        "spans": counts["spans"],
        "sentences": counts["sentences"],
        "words": sum(r["words"] for r in trends["month"]["rows"]),
        "seconds": {
            "analysis": round(analysis_s, 3),
            "convert": round(convert_s, 3),
            "write": round(write_s, 3),
            "trends": round(trends_s, 3),
            "total": round(time.time() - started, 3),
        },
        "documents_per_second": round(docs / analysis_s, 2) if analysis_s > 0 else None,
        "master": sc.master,
        "default_parallelism": sc.defaultParallelism,
        "partitions": items.getNumPartitions(),
        "settings": settings,
        "driver": loaded,
    }
    spark.stop()
    write_outputs(out_uri if local_out else None, trends, summary, args.out)
    print_summary(summary, trends, args.out)
    if docs == 0:
        print("unspin_job: no document could be read", file=sys.stderr)
        return 2
    return 1 if counts["errors"] else 0


def struct(columns):
    from pyspark.sql import types as T

    kinds = {"string": T.StringType(), "bigint": T.LongType(), "double": T.DoubleType()}
    return T.StructType([T.StructField(name, kinds[kind], nullable) for name, kind, nullable in columns])


def document_schema():
    """A document's row: its columns, ``at``, and its spans, sentences and sentence-technique
    pairs as arrays of non-null structs, so that every column keeps export's nullability."""
    from pyspark.sql import types as T

    schema = struct(unspin_worker.DOCUMENT_COLUMNS + [("at", "string", False)])
    for name, columns in unspin_worker.NESTED_ARRAYS:
        schema.add(name, T.ArrayType(struct(columns), containsNull=False), nullable=False)
    return schema


def split(analysed, failed, F):
    """The tables: each with export's columns, in its order (and ``month``)."""
    doc_columns = [name for name, _, _ in unspin_worker.DOCUMENT_COLUMNS]
    documents = analysed.select("id", *doc_columns, F.col("at").alias("analysed_at"), "month")

    def exploded(column, columns):
        names = [name for name, _, _ in columns]
        return (
            analysed.select(F.col("id").alias("doc"), "month", F.explode(column).alias("r"))
            .select("doc", *[F.col(f"r.{n}").alias(n) for n in names], "month")
        )

    tables = {"documents": documents, "errors": failed}
    for (name, columns), table in zip(unspin_worker.NESTED_ARRAYS, ("spans", "sentences", "sentence_techniques")):
        tables[table] = exploded(name, columns)
    return tables


def ratings(sc, settings, outlets):
    """Each outlet's ``(factuality, bias, state_media)``, looked up on the executors."""
    found = sc.parallelize(outlets, max(1, min(len(outlets) // 1000 + 1, sc.defaultParallelism)))
    return {o: tuple(rest) for o, *rest in found.mapPartitions(unspin_worker.outlet_ratings).collect()}


def write_outputs(out, trends, summary, given):
    """The trends and the summary as JSON files: under OUT when it is local, else printed to stdout
    (for an HDFS or S3 OUT, save them with the driver's own tools)."""
    documents = {f"trends/{name}.json": trends[by] for by, name in unspin_trends.GROUPINGS}
    documents["summary.json"] = summary
    if out is None:
        for name, doc in documents.items():
            print(f"== {given}/{name}")
            print(json.dumps(doc, indent=2))
        return
    for name, doc in documents.items():
        path = Path(out) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.partial")
        tmp.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)


def print_summary(summary, trends, out):
    s = summary
    print(
        f"unspin_job: {s['documents']} documents, {s['errors']} errors, {s['spans']} spans, {s['sentences']} sentences "
        f"from {s['inputs']} inputs on {s['master']} ({s['partitions']} partitions)"
    )
    secs = s["seconds"]
    rate = s["documents_per_second"]
    print(
        f"unspin_job: analysis {secs['analysis']:.1f} s ({rate if rate is not None else '-'} documents/s), "
        f"to DataFrames {secs['convert']:.1f} s, writing {secs['write']:.1f} s, trends {secs['trends']:.1f} s, "
        f"all {secs['total']:.1f} s"
    )
    for row in trends["technique"]["rows"][:5]:
        print(f"  {row['technique']:<36} {row['spans']:>7} spans  {row['spans_per_1k_words']:>8.2f} per 1k words")
    months = [r.get("month") or "undated" for r in trends["month"]["rows"]]
    outlets = len(trends["outlet"]["rows"])
    print(f"unspin_job: {outlets} outlets; months {', '.join(months[:12])}{' …' if len(months) > 12 else ''}")
    print(f"unspin_job: tables and trends in {out}")


def main(argv=None) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
        return run(args)
    except Usage as e:
        print(f"unspin_job: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
