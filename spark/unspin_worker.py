"""The executor side of the Spark job (spark/unspin_job.py): what runs inside ``mapPartitions``.

This is a module of its own, shipped to the executors with ``SparkContext.addPyFile``, so that the
functions below travel by reference and their globals live in the module, which an executor's
Python worker imports once and keeps across tasks (``spark.python.worker.reuse``, on by default).
That is what makes ``_ANALYZER`` one loaded model per executor Python process: a function pickled
from the job's ``__main__`` would carry a fresh copy of its globals with every task.

A partition's items are inputs, either ``("path", PATH)`` (a file every executor can open, streamed
by ``unspin.read``) or ``("bytes", NAME, DATA)`` (a file Spark read from HDFS, S3 or GCS with
``binaryFiles``, handed over whole). Each document of each input becomes a row tagged ``"d"``; a
record that cannot be read or analysed becomes a row tagged ``"e"``, so that bad input is a row,
never a failed task.

The column lists are those of ``unspin export`` (crates/unspin/src/corpus/export.rs), minus the
ids the job adds (``id``, ``doc``) and ``analysed_at`` (``at`` here).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Iterator

# (name, Spark SQL type, nullable), as in the database and its export. The value comes from
# ``Analysis.rows()`` under the same name.
DOCUMENT_COLUMNS = [
    ("source", "string", False),
    ("record", "bigint", False),
    ("doc_id", "string", False),
    ("url", "string", True),
    ("outlet", "string", True),
    ("outlet_name", "string", True),
    ("title", "string", True),
    ("date", "string", True),
    ("language", "string", True),
    ("chars", "bigint", False),
    ("words", "bigint", False),
    ("sentences", "bigint", False),
    ("spans", "bigint", False),
    ("span_sentences", "bigint", False),
    ("claims", "bigint", False),
    ("unattributed", "bigint", False),
    ("subjective", "bigint", True),
    ("scored", "bigint", False),
    ("score", "double", False),
    ("content_hash", "string", False),
    ("model", "string", False),
    ("model_version", "string", False),
]
SPAN_COLUMNS = [
    ("technique", "string", False),
    ("char_start", "bigint", False),
    ("char_end", "bigint", False),
    ("byte_start", "bigint", False),
    ("byte_end", "bigint", False),
    ("text", "string", False),
    ("confidence", "double", False),
]
# The claim flags are booleans in ``rows()`` and INTEGER 0/1 in the database and its export.
SENTENCE_FLAGS = ("claim", "unattributed", "hedged", "insinuation")
SENTENCE_COLUMNS = [
    ("idx", "bigint", False),
    ("char_start", "bigint", False),
    ("char_end", "bigint", False),
    ("checkworthy", "double", True),
    ("subjective", "double", True),
    ("source_kind", "string", False),
    ("claim", "bigint", False),
    ("unattributed", "bigint", False),
    ("hedged", "bigint", False),
    ("insinuation", "bigint", False),
]
SENTENCE_TECHNIQUE_COLUMNS = [("sentence", "bigint", False), ("technique", "string", False)]
ERROR_COLUMNS = [("source", "string", False), ("record", "bigint", False), ("message", "string", False),
                 ("at", "string", False)]

# A document's row, as analyze_partition yields it after its "d" tag: DOCUMENT_COLUMNS, then
# `at` (analysed_at) and its spans, sentences and sentence-technique pairs as lists of tuples in
# the order of their columns. A failed record's row, after an "e" tag, is ERROR_COLUMNS.
NESTED_ARRAYS = [
    ("span_rows", SPAN_COLUMNS),
    ("sentence_rows", SENTENCE_COLUMNS),
    ("sentence_technique_rows", SENTENCE_TECHNIQUE_COLUMNS),
]

_ANALYZER = None
_ANALYZER_KEY: Any = None


def analyzer(settings: dict):
    """This process's ``unspin.Analyzer``, loaded on first use and kept for every later task."""
    global _ANALYZER, _ANALYZER_KEY
    threads = settings.get("threads") or _task_cpus()
    key = (settings.get("model"), settings.get("min_confidence", 0.0), settings.get("no_model", False), threads)
    if _ANALYZER is None or _ANALYZER_KEY != key:
        import unspin

        _ANALYZER = unspin.Analyzer(
            settings.get("model"),
            threads=threads,
            jobs=threads,
            min_confidence=settings.get("min_confidence", 0.0),
            no_model=settings.get("no_model", False),
        )
        _ANALYZER_KEY = key
    return _ANALYZER


def _task_cpus() -> int:
    """The cores Spark gives each task (``spark.task.cpus``), 1 outside a task."""
    try:
        from pyspark import TaskContext

        context = TaskContext.get()
        if context is not None:
            return max(1, int(context.cpus()))
    except Exception:  # an older Spark without TaskContext.cpus(): one core, Spark's default
        pass
    return 1


def utc_now() -> str:
    """The time as the database stores it: UTC, ``YYYY-MM-DDTHH:MM:SSZ``."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def documents(items: Iterable[tuple]) -> Iterator[Any]:
    """Every document (or ``UnspinError``, with ``.source`` and ``.record``) of every input."""
    import unspin

    for item in items:
        if item[0] == "path":
            source, reader = item[1], (lambda p=item[1]: unspin.read(p, errors="return"))
        elif item[0] == "bytes":
            source, reader = item[1], (lambda n=item[1], d=item[2]: unspin.read(d, name=n, errors="return"))
        else:
            raise ValueError(f"unknown input kind {item[0]!r}")
        last = -1
        try:
            for doc in reader():
                record = getattr(doc, "record", None)
                last = record if record is not None else last
                yield doc
        except unspin.UnspinError as e:
            # The input could not be opened at all (removed, unreadable on this executor): one
            # error row after the records already read, so that the job goes on.
            err = unspin.UnspinError(str(e))
            err.source, err.record = source, last + 1
            yield err


def analyze_partition(settings: dict, items: Iterable[tuple]) -> Iterator[tuple]:
    """``mapPartitions`` body: for every record of the partition's inputs, ``("d", document row)``
    or ``("e", error row)`` (see ``NESTED_ARRAYS``)."""
    model = analyzer(settings)
    batch = int(settings.get("batch", 64))
    for result in model.analyze_many(documents(items), batch=batch, errors="return"):
        at = utc_now()
        if isinstance(result, BaseException):
            source = getattr(result, "source", None) or "?"
            record = getattr(result, "record", None)
            yield ("e", (source, -1 if record is None else int(record), str(result), at))
        else:
            yield ("d", document_row(result.rows(), at))


def is_document(tagged: tuple) -> bool:
    return tagged[0] == "d"


def is_error(tagged: tuple) -> bool:
    return tagged[0] == "e"


def untagged(tagged: tuple) -> tuple:
    return tagged[1]


def document_row(rows: dict, at: str) -> tuple:
    """A document's row from ``Analysis.rows()``."""
    doc = rows["document"]
    values = tuple(doc[name] for name, _, _ in DOCUMENT_COLUMNS)
    spans = [tuple(s[name] for name, _, _ in SPAN_COLUMNS) for s in rows["spans"]]
    sentences = [
        tuple(int(s[name]) if name in SENTENCE_FLAGS else s[name] for name, _, _ in SENTENCE_COLUMNS)
        for s in rows["sentences"]
    ]
    pairs = [(p["sentence"], p["technique"]) for p in rows["sentence_techniques"]]
    return values + (at, spans, sentences, pairs)


def outlet_ratings(items: Iterable[str]) -> Iterator[tuple]:
    """``mapPartitions`` body: ``(outlet, factuality, bias, state_media)`` for each outlet, from the
    ratings shipped in the engine (``unspin.outlet``, the tables of ``unspin outlet``), which
    ``unspin trends`` joins to its rows. An outlet is a host without ``www.``, as the claims stage
    takes it from a document's URL."""
    import unspin

    for outlet in items:
        found = unspin.outlet(outlet)
        profile = found.get("profile") or {}
        state = found.get("state_media") or {}
        yield (outlet, profile.get("factuality"), profile.get("bias"), state.get("affiliation"))

