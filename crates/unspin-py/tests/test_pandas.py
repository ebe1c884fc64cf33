"""`unspin.to_pandas`: the columns and values of `unspin export`."""

from __future__ import annotations

import json

import pytest

import unspin

pd = pytest.importorskip("pandas")

WARC = "crates/unspin/tests/data/warc/ccnews-sample.warc.gz"


def _export(cli, tmp_path) -> dict:
    db = tmp_path / "corpus.sqlite"
    cli("index", "--db", str(db), "--jobs", "1", WARC)
    out = tmp_path / "export"
    cli("export", "--db", str(db), "--out", str(out), "--format", "jsonl")
    tables = {}
    for name in ("documents", "spans", "sentences"):
        path = out / f"{name}.jsonl"
        tables[name] = [json.loads(line) for line in path.read_text().splitlines()]
    return tables


def test_frames_match_the_export(repo, cli, tmp_path, analyzer, monkeypatch):
    exported = _export(cli, tmp_path)
    # The same path as the CLI was given, so that `source` (and the content hash, which covers
    # the metadata) are the same.
    monkeypatch.chdir(repo)
    analyses = list(analyzer.analyze_many(unspin.read(WARC, errors="skip")))
    docs = unspin.to_pandas(analyses, "documents")
    spans = unspin.to_pandas(analyses, "spans")
    sentences = unspin.to_pandas(analyses, "sentences")

    # Columns: the export's, less the database's own (ids, analysed_at); spans and sentences say
    # which document they belong to by source, record and doc_id instead of the row id.
    assert list(docs.columns) == [c for c in exported["documents"][0] if c not in ("id", "analysed_at")]
    assert list(spans.columns) == ["source", "record", "doc_id"] + [c for c in exported["spans"][0] if c not in ("id", "doc")]
    assert list(sentences.columns) == ["source", "record", "doc_id"] + [
        c for c in exported["sentences"][0] if c not in ("doc",)
    ] + ["text"]

    # Values: the same documents, spans and sentence flags.
    ids = {row["id"]: row["doc_id"] for row in exported["documents"]}
    assert sorted(docs["doc_id"]) == sorted(ids.values())
    for row in exported["documents"]:
        ours = docs[docs["doc_id"] == row["doc_id"]].iloc[0]
        for column in ("source", "record", "outlet", "date", "words", "spans", "span_sentences", "claims", "unattributed", "content_hash", "model", "model_version"):
            assert ours[column] == row[column], column
    got_spans = sorted((r.doc_id, r.technique, r.char_start, r.char_end, r.text) for r in spans.itertuples())
    want_spans = sorted((ids[s["doc"]], s["technique"], s["char_start"], s["char_end"], s["text"]) for s in exported["spans"])
    assert got_spans == want_spans
    got_claims = sorted((r.doc_id, r.idx, bool(r.claim), bool(r.unattributed), r.source_kind) for r in sentences.itertuples())
    want_claims = sorted((ids[s["doc"]], s["idx"], bool(s["claim"]), bool(s["unattributed"]), s["source_kind"]) for s in exported["sentences"])
    assert got_claims == want_claims
    # A sentence row carries its text.
    first = analyses[0]
    assert sentences[sentences["doc_id"] == first.id]["text"].tolist() == [s.text for s in first.sentences]


def test_empty_and_bad_levels():
    frame = unspin.to_pandas([], "spans")
    assert len(frame) == 0 and "technique" in frame.columns
    with pytest.raises(unspin.UnspinError, match="level"):
        unspin.to_pandas([], "words")
    with pytest.raises(unspin.UnspinError, match="Analysis"):
        unspin.to_pandas(["not an analysis"])
