"""unspin: find propaganda techniques, checkable claims and their sources in news text.

The same Rust engine as the ``unspin`` command line, in Python::

    import unspin

    analysis = unspin.analyze("Who really benefits? Critics say the deal was rushed.")
    for span in analysis.spans:
        print(span.name, repr(span.text), span.confidence)

    analyzer = unspin.Analyzer(model="fast", threads=4)
    for analysis in analyzer.analyze_many(unspin.read("news.warc.gz")):
        ...

    frame = unspin.to_pandas(analyses, level="spans")

``Analysis.to_dict()`` is the JSON document ``unspin analyze --format json`` writes for the same
input (one element of its ``documents``). Every error is an :class:`UnspinError`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal, Optional, Union

# A self-contained wheel (scripts/build-wheel.sh) carries the models and the ONNX Runtime
# library in _data/; the engine looks there first (UNSPIN_HOME). A package installed from a
# checkout has no _data/ and finds them in the checkout. A UNSPIN_HOME set by the user wins.
_DATA = Path(__file__).resolve().parent / "_data"
if _DATA.is_dir() and not os.environ.get("UNSPIN_HOME"):
    os.environ["UNSPIN_HOME"] = str(_DATA)

from . import _unspin  # noqa: E402
from ._unspin import GENERATOR, SCHEMA_VERSION, UnspinError  # noqa: E402

__all__ = [
    "Analysis",
    "Analyzer",
    "Document",
    "Sentence",
    "Span",
    "UnspinError",
    "GENERATOR",
    "SCHEMA_VERSION",
    "TECHNIQUES",
    "TECHNIQUE_NAMES",
    "analyze",
    "outlet",
    "read",
    "to_pandas",
    "__version__",
]

__version__: str = _unspin.version()

Document = _unspin.Document
"""A document read by :func:`read`: ``.id``, ``.text``, ``.meta``, ``.source``, ``.record``."""

Errors = Literal["raise", "return", "skip"]
_ERRORS = ("raise", "return", "skip")


def _error(message: str, source: Optional[str] = None, record: Optional[int] = None) -> UnspinError:
    err = UnspinError(message)
    err.source = source  # type: ignore[attr-defined]
    err.record = record  # type: ignore[attr-defined]
    return err


@dataclass(frozen=True)
class Span:
    """A span of text that uses a propaganda technique.

    ``start``/``end`` count characters (Unicode code points, as Python's ``str`` does);
    ``byte_start``/``byte_end`` count UTF-8 bytes.
    """

    technique: str
    """The SemEval-2020 label, e.g. ``Loaded_Language``."""
    name: str
    """The technique's name for people, e.g. ``Loaded language``."""
    start: int
    end: int
    byte_start: int
    byte_end: int
    text: str
    confidence: float
    sentence: int
    """Index of the sentence the span starts in."""
    detector: str


@dataclass(frozen=True)
class Sentence:
    """A sentence with what the claims stage found in it."""

    index: int
    start: int
    end: int
    paragraph: int
    text: str
    checkworthy: Optional[float]
    """Probability that the sentence holds a claim worth checking (None without the model)."""
    subjective: Optional[float]
    claim: bool
    source_kind: str
    """What the claim rests on: ``quote``, ``speech``, ``named``, ``vague``, ``none``, …"""
    speaker: Optional[str]
    unattributed: bool
    hedged: bool
    insinuation: Optional[str]
    claims: dict = field(repr=False, compare=False, default_factory=dict)
    """The full claims entry of the sentence, as in the JSON output."""


class Analysis:
    """Everything unspin found in one document."""

    __slots__ = ("_raw", "_doc")

    def __init__(self, raw: "_unspin.Analyzed") -> None:
        self._raw = raw
        self._doc: Optional[dict] = None

    def _document(self) -> dict:
        if self._doc is None:
            self._doc = json.loads(self._raw.document_json())
        return self._doc

    @property
    def id(self) -> str:
        return self._raw.id

    @property
    def text(self) -> str:
        """The text every offset refers to."""
        return self._document()["text"]

    @property
    def meta(self) -> dict:
        return self._document()["meta"]

    @property
    def source(self) -> str:
        """The input the document came from (``meta.source`` for inputs given as text)."""
        return self._raw.source

    @property
    def record(self) -> int:
        """The document's index within its input."""
        return self._raw.record

    @property
    def stats(self) -> dict:
        """Counts: chars, words, sentences, spans per technique, span shares, score."""
        return self._document()["stats"]

    @property
    def techniques(self) -> list:
        """The techniques present, most frequent first, each with its definition."""
        return self._document()["techniques"]

    @property
    def spans(self) -> "list[Span]":
        return [Span(**s) for s in self._document()["spans"]]

    @property
    def claims(self) -> dict:
        """Per-sentence claims, sources, quotes, hedges, insinuations, the outlet's record."""
        return self._document()["claims"]

    @property
    def sentences(self) -> "list[Sentence]":
        doc = self._document()
        by_index = {c["sentence"]: c for c in doc["claims"]["sentences"]}
        out = []
        for i, s in enumerate(doc["sentences"]):
            c = by_index.get(i, {})
            source = c.get("source") or {}
            insinuation = c.get("insinuation")
            out.append(
                Sentence(
                    index=i,
                    start=s["start"],
                    end=s["end"],
                    paragraph=s["paragraph"],
                    text=s["text"],
                    checkworthy=c.get("checkworthy"),
                    subjective=c.get("subjective"),
                    claim=bool(c.get("claim", False)),
                    source_kind=source.get("kind", "none"),
                    speaker=source.get("speaker"),
                    unattributed=bool(c.get("unattributed", False)),
                    hedged=bool(c.get("hedges")),
                    insinuation=insinuation["text"] if insinuation else None,
                    claims=c,
                )
            )
        return out

    def to_dict(self, tokens: bool = False) -> dict:
        """The CLI's JSON document for this input; ``tokens=True`` adds word tokens (``--tokens``)."""
        return json.loads(self._raw.document_json(tokens))

    def to_json(self, tokens: bool = False) -> str:
        """:meth:`to_dict` as a JSON string, as the CLI writes it."""
        return self._raw.document_json(tokens)

    def rows(self) -> dict:
        """The analysis as rows of the corpus tables, with the columns of ``unspin export``:
        ``{"document": {...}, "spans": [...], "sentences": [...], "sentence_techniques": [...]}``."""
        return json.loads(self._raw.rows_json())

    def __repr__(self) -> str:
        stats = self.stats
        return f"<unspin.Analysis id={self.id!r} sentences={stats['sentences']} spans={stats['spans']}>"


Input = Union[str, "Document", dict]


class Analyzer:
    """A loaded model, for analysing many documents.

    ``model``: ``"accurate"``, ``"fast"`` or a model folder; ``None`` takes ``UNSPIN_MODEL`` or
    the default, ``accurate`` (``fast`` is about three times faster, for corpora). ``threads``: cores to
    use in all (default: every core). ``jobs``: documents analysed at once by
    :meth:`analyze_many` (default: ``threads``; each gets ``threads // jobs`` cores, so
    ``jobs=1`` suits one document at a time). ``min_confidence`` drops weaker spans.
    ``no_model=True`` runs the claims stage alone (no technique spans).
    """

    def __init__(
        self,
        model: Optional[str] = None,
        threads: Optional[int] = None,
        *,
        jobs: Optional[int] = None,
        min_confidence: float = 0.0,
        no_model: bool = False,
        engine: Optional[str] = None,
        onnxruntime: Optional[Union[str, os.PathLike]] = None,
        openvino: Optional[Union[str, os.PathLike]] = None,
    ) -> None:
        self._inner = _unspin.Analyzer(
            model,
            threads=threads,
            jobs=jobs,
            min_confidence=min_confidence,
            no_model=no_model,
            engine=engine,
            onnxruntime=None if onnxruntime is None else os.fspath(onnxruntime),
            openvino=None if openvino is None else os.fspath(openvino),
        )

    @property
    def model(self) -> str:
        """The model's folder name (``unspin-ptc-minilm``), or ``none``."""
        return self._inner.model

    @property
    def jobs(self) -> int:
        return self._inner.jobs

    def analyze(
        self,
        text: Optional[str] = None,
        *,
        html: Optional[Union[str, bytes]] = None,
        document: Optional["Document"] = None,
        id: Optional[str] = None,
        url: Optional[str] = None,
        source: Optional[str] = None,
        min_confidence: Optional[float] = None,
    ) -> Analysis:
        """Analyse one document: plain ``text``, an HTML page (``html``, whose article text is
        extracted first), or a :class:`Document` from :func:`read`. Raises :class:`UnspinError`
        for input that cannot be analysed (empty, binary, a page without article text)."""
        item = _item(text=text, html=html, document=document, id=id, url=url, source=source)
        return Analysis(self._inner.analyze_one(item, min_confidence))

    def analyze_many(
        self,
        inputs: Iterable[Input],
        *,
        batch: int = 64,
        errors: Errors = "raise",
        min_confidence: Optional[float] = None,
    ) -> Iterator[Union[Analysis, UnspinError]]:
        """Analyse every input, ``jobs`` at a time without the GIL, yielding results in input
        order. An input is a ``str`` (plain text), a :class:`Document` (from :func:`read`), an
        :class:`UnspinError` (a record :func:`read` could not read, passed through) or a dict
        with ``text`` or ``html`` and optionally ``id``, ``url`` and ``source``.

        ``errors``: ``"raise"`` raises :class:`UnspinError` at the first input that fails,
        ``"return"`` yields the error in its place (with ``.source`` and ``.record``), ``"skip"``
        leaves it out. ``batch`` inputs are read from ``inputs`` at a time."""
        if errors not in _ERRORS:
            raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")
        if batch < 1:
            raise ValueError("batch must be at least 1")
        pending: list = []
        for n, value in enumerate(inputs):
            pending.append(_batch_item(value, n))
            if len(pending) >= batch:
                yield from self._flush(pending, errors, min_confidence)
                pending = []
        if pending:
            yield from self._flush(pending, errors, min_confidence)

    def _flush(self, pending: list, errors: str, min_confidence: Optional[float]) -> Iterator:
        ready = [item for item in pending if not isinstance(item, BaseException)]
        results = iter(self._inner.analyze_batch(ready, min_confidence))
        for item in pending:
            if isinstance(item, BaseException):
                err = item
            else:
                done, message = next(results)
                if done is not None:
                    yield Analysis(done)
                    continue
                source, record = _origin(item)
                err = _error(message, source, record)
            if errors == "raise":
                raise err
            if errors == "return":
                yield err


def _origin(item: Any) -> "tuple[Optional[str], Optional[int]]":
    if isinstance(item, tuple):
        return item[3], 0
    return item.source, item.record


def _item(
    *,
    text: Optional[str],
    html: Optional[Union[str, bytes]],
    document: Optional["Document"],
    id: Optional[str],
    url: Optional[str],
    source: Optional[str],
) -> Any:
    given = [x is not None for x in (text, html, document)]
    if sum(given) != 1:
        raise UnspinError("give exactly one of text, html or document")
    if document is not None:
        if not isinstance(document, _unspin.Document):
            raise UnspinError(f"document must be an unspin.Document, not {type(document).__name__}")
        return document
    if text is not None:
        if not isinstance(text, str):
            raise UnspinError(f"text must be a str, not {type(text).__name__}")
        kind, content = "text", text.encode("utf-8", "surrogatepass")
    else:
        if isinstance(html, str):
            content = html.encode("utf-8", "surrogatepass")
        elif isinstance(html, (bytes, bytearray, memoryview)):
            content = bytes(html)
        else:
            raise UnspinError(f"html must be str or bytes, not {type(html).__name__}")
        kind = "html"
    for name, value in (("id", id), ("url", url), ("source", source)):
        if value is not None and not isinstance(value, str):
            raise UnspinError(f"{name} must be a str, not {type(value).__name__}")
    return (kind, content, id if id is not None else "document", source if source is not None else "python", url)


def _batch_item(value: Any, n: int) -> Any:
    """An input of :meth:`Analyzer.analyze_many` as the engine takes it, or the error it is."""
    try:
        if isinstance(value, BaseException):
            return value
        if isinstance(value, _unspin.Document):
            return value
        if isinstance(value, str):
            return _item(text=value, html=None, document=None, id=str(n), url=None, source=None)
        if isinstance(value, dict):
            unknown = set(value) - {"text", "html", "id", "url", "source"}
            if unknown:
                raise UnspinError(f"input {n}: unknown keys {sorted(unknown)}")
            return _item(
                text=value.get("text"),
                html=value.get("html"),
                document=None,
                id=value.get("id", str(n)),
                url=value.get("url"),
                source=value.get("source"),
            )
        raise UnspinError(f"input {n} is a {type(value).__name__}; give str, dict or unspin.Document")
    except UnspinError as e:
        return _error(str(e), None, n)


_default: Optional[Analyzer] = None
_default_key: Any = None


def analyze(
    text: Optional[str] = None,
    *,
    html: Optional[Union[str, bytes]] = None,
    id: Optional[str] = None,
    url: Optional[str] = None,
    source: Optional[str] = None,
    model: Optional[str] = None,
    min_confidence: Optional[float] = None,
) -> Analysis:
    """Analyse one document with a model loaded on first use and kept for later calls (one per
    ``model``). ``text`` is plain text; ``html`` a page whose article text is extracted first.
    See :class:`Analyzer` for the arguments and for analysing many documents."""
    global _default, _default_key
    key = (model, os.environ.get("UNSPIN_MODEL"))
    if _default is None or _default_key != key:
        _default = Analyzer(model, jobs=1)
        _default_key = key
    return _default.analyze(text, html=html, id=id, url=url, source=source, min_confidence=min_confidence)


def read(
    path: Union[str, os.PathLike, bytes],
    *,
    name: Optional[str] = None,
    format: Optional[Literal["text", "html", "jsonl", "warc"]] = None,
    errors: Errors = "raise",
    max_doc_bytes: Optional[int] = None,
) -> Iterator[Union["Document", UnspinError]]:
    """Yield the documents of a file or folder, as the CLI reads them: plain text, HTML, JSON
    Lines and WARC, gzipped or not; a folder yields every article file under it. The format
    comes from the extension and the first bytes unless ``format`` is given.

    ``path`` may also be the input's bytes, with ``name`` (its file name, for the format and
    the documents' ``source``): how a job that reads files itself (from HDFS or S3) hands them over.

    ``errors``: a record that cannot be read (a corrupt WARC record, a bad JSON line) raises
    :class:`UnspinError` (``"raise"``), is yielded as one (``"return"``) or left out
    (``"skip"``); the records after it are read either way with ``"return"`` and ``"skip"``."""
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")
    if isinstance(path, (bytes, bytearray, memoryview)):
        if name is None:
            raise UnspinError("reading bytes needs name= (the file name, for the format)")
        readers = [_unspin.read_bytes(bytes(path), name, format, max_doc_bytes)]
    else:
        p = Path(os.fspath(path))
        if not p.exists():
            raise UnspinError(f"{p}: no such file or folder")
        if p.is_dir():
            readers = (_unspin.read_path(f, format, max_doc_bytes) for f in _unspin.expand(str(p)))
        else:
            readers = [_unspin.read_path(str(p), format, max_doc_bytes)]
    for reader in readers:
        for record, doc, message in reader:
            if doc is not None:
                yield doc
                continue
            err = _error(message, reader.source, record)
            if errors == "raise":
                raise err
            if errors == "return":
                yield err


_TECHNIQUES = _unspin.techniques()

TECHNIQUES: "tuple[str, ...]" = tuple(label for label, _name, _definition in _TECHNIQUES)
"""The 14 technique labels of the SemEval-2020 Task 11 inventory, in the organizers' order: the
values of ``Span.technique`` and the technique columns of :func:`to_pandas`."""

TECHNIQUE_NAMES: "dict[str, str]" = {label: name for label, name, _definition in _TECHNIQUES}
"""Each technique label's plain name (``"Loaded_Language"`` → ``"Loaded language"``)."""


def outlet(query: str) -> "dict[str, Any]":
    """What the shipped tables know of the outlet behind a domain, host or URL: the ``outlet``
    object of ``unspin outlet --format json``.

    ``status`` is ``"known"`` (with ``profile``: factuality, bias and where the rating comes
    from), ``"unknown"`` (a host name the ratings do not hold) or ``"invalid"`` (with
    ``reason``: not something an outlet can be looked up by). ``state_media``, when present,
    gives the outlet's ownership and state affiliation, with its source. Subdomains and
    ``www.`` resolve to the outlet (``https://news.example.co.uk/x`` → ``example.co.uk`` if
    rated so)."""
    if not isinstance(query, str):
        raise TypeError(f"outlet() takes a str, not {type(query).__name__}")
    return json.loads(_unspin.outlet_json(query))


from ._frames import to_pandas  # noqa: E402  (uses Analysis)
