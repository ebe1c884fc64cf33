"""``unspin.to_pandas``: analyses as DataFrames with the columns of ``unspin export``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Literal

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from . import Analysis

Level = Literal["documents", "spans", "sentences"]

# The columns every row of a span or sentence frame starts with: which document it belongs to.
_KEY = ["source", "record", "doc_id"]


def to_pandas(analyses: Iterable["Analysis"], level: Level = "documents") -> "pandas.DataFrame":
    """A DataFrame of ``analyses`` at one level:

    - ``"documents"``: one row per document, the columns of the ``documents`` table of
      ``unspin export`` (without the database's ``id`` and ``analysed_at``);
    - ``"spans"``: one row per technique span: ``source``, ``record``, ``doc_id``, then the
      ``spans`` table's columns (``technique``, char and byte offsets, ``text``, ``confidence``);
    - ``"sentences"``: one row per sentence: ``source``, ``record``, ``doc_id``, the
      ``sentences`` table's columns (check-worthiness, subjectivity, source kind, claim flags),
      and the sentence's ``text``.

    Errors yielded by ``analyze_many(errors="return")`` are skipped. Needs pandas
    (``pip install pandas``).
    """
    try:
        import pandas as pd
    except ImportError as e:  # pragma: no cover - depends on the environment
        from . import UnspinError

        raise UnspinError("to_pandas needs pandas: pip install pandas") from e
    from . import Analysis, UnspinError

    if level not in ("documents", "spans", "sentences"):
        raise UnspinError(f"level must be documents, spans or sentences, not {level!r}")
    records: list = []
    for analysis in analyses:
        if isinstance(analysis, BaseException):
            continue
        if not isinstance(analysis, Analysis):
            raise UnspinError(f"to_pandas takes unspin.Analysis objects, not {type(analysis).__name__}")
        rows = analysis.rows()
        doc = rows["document"]
        if level == "documents":
            records.append(doc)
            continue
        key = {k: doc[k] for k in _KEY}
        if level == "spans":
            records.extend({**key, **span} for span in rows["spans"])
        else:
            text = analysis.text
            chars = [(s["char_start"], s["char_end"]) for s in rows["sentences"]]
            for sentence, (start, end) in zip(rows["sentences"], chars):
                records.append({**key, **sentence, "text": text[start:end]})
    if records:
        return pd.DataFrame.from_records(records)
    return pd.DataFrame(columns=_empty_columns(level))


def _empty_columns(level: str) -> "list[str]":
    # The columns of an empty frame, so that code selecting them works on an empty corpus too.
    if level == "documents":
        return [
            "source", "record", "doc_id", "url", "outlet", "outlet_name", "title", "date", "language",
            "chars", "words", "sentences", "spans", "span_sentences", "claims", "unattributed",
            "subjective", "scored", "score", "content_hash", "model", "model_version",
        ]
    if level == "spans":
        return _KEY + ["technique", "char_start", "char_end", "byte_start", "byte_end", "text", "confidence"]
    return _KEY + [
        "idx", "char_start", "char_end", "checkworthy", "subjective", "source_kind", "claim",
        "unattributed", "hedged", "insinuation", "text",
    ]
