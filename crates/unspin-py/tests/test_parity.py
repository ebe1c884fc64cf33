"""`Analysis.to_dict()` is the CLI's JSON document for the same input."""

from __future__ import annotations

import json

import unspin

EXAMPLE = "examples/article9001.txt"
WARC = "crates/unspin/tests/data/warc/ccnews-sample.warc.gz"
HTML = "crates/unspin-py/tests/data/harbour.html"


def test_text_equals_the_cli(repo, cli_documents):
    [expected] = cli_documents(EXAMPLE)
    text = (repo / EXAMPLE).read_text(encoding="utf-8")
    got = unspin.analyze(text, id="9001", source=EXAMPLE)
    assert got.to_dict() == expected
    # The typed views agree with the document.
    assert [s.text for s in got.spans] == [s["text"] for s in expected["spans"]]
    for span in got.spans:
        assert got.text[span.start : span.end] == span.text
        assert got.text.encode()[span.byte_start : span.byte_end].decode() == span.text
    assert got.stats == expected["stats"]
    assert got.claims == expected["claims"]
    assert [s.text for s in got.sentences] == [s["text"] for s in expected["sentences"]]


def test_a_document_read_from_the_file_equals_the_cli(repo, cli_documents, analyzer):
    [expected] = cli_documents(EXAMPLE)
    [doc] = unspin.read(repo / EXAMPLE)
    assert doc.id == "9001"
    assert doc.meta["title"] == expected["meta"]["title"]
    got = analyzer.analyze(document=doc).to_dict()
    # The path differs only in how it was written (absolute here).
    assert got["meta"].pop("source").endswith(EXAMPLE)
    expected["meta"].pop("source")
    assert got == expected


def test_html_equals_the_cli(repo, cli_documents):
    [expected] = cli_documents(HTML)
    page = (repo / HTML).read_bytes()
    got = unspin.analyze(html=page, id="harbour", source=HTML).to_dict()
    assert got == expected
    assert got["meta"]["site"] == "coastal-ledger.example"
    assert "Most read" not in got["text"]
    # A str page is the same page.
    assert unspin.analyze(html=page.decode(), id="harbour", source=HTML).to_dict() == expected


def test_warc_records_equal_the_cli(repo, cli_documents, analyzer):
    expected = cli_documents(WARC)
    assert len(expected) >= 3
    docs = [d for d in unspin.read(repo / WARC, errors="skip")]
    got = [a.to_dict() for a in analyzer.analyze_many(docs)]
    for g in got:
        assert g["meta"].pop("source").endswith(WARC)
    for e in expected:
        e["meta"].pop("source")
    assert got == expected


def test_tokens_are_there_when_asked_for(repo, cli):
    out = cli("analyze", "--format", "json", "--tokens", EXAMPLE).stdout
    expected = json.loads(out)["documents"][0]
    got = unspin.analyze((repo / EXAMPLE).read_text(encoding="utf-8"), id="9001", source=EXAMPLE)
    assert got.to_dict(tokens=True) == expected
    assert "tokens" not in got.to_dict()
