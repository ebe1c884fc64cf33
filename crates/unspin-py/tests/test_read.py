"""`unspin.read`: every input kind the CLI reads."""

from __future__ import annotations

import gzip
import shutil

import unspin


def test_folders_yield_every_article_file(repo, tmp_path):
    shutil.copy(repo / "examples/article9001.txt", tmp_path / "article9001.txt")
    shutil.copy(repo / "crates/unspin-py/tests/data/harbour.html", tmp_path / "harbour.html")
    (tmp_path / "feed.jsonl.gz").write_bytes(
        gzip.compress(b'{"id": "j1", "text": "One.", "url": "https://news.example/1"}\n{"id": "j2", "text": "Two."}\n')
    )
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    docs = list(unspin.read(tmp_path))
    assert sorted(d.id for d in docs) == ["9001", "harbour", "j1", "j2"]
    by_id = {d.id: d for d in docs}
    assert by_id["j1"].meta["site"] == "news.example"
    assert by_id["j2"].record == 1
    assert by_id["harbour"].meta["format"] == "html"


def test_bytes_read_like_the_file(repo):
    path = repo / "crates/unspin/tests/data/warc/ccnews-sample.warc.gz"
    from_file = [(d.id, d.text, d.record) for d in unspin.read(path, errors="skip")]
    from_bytes = list(unspin.read(path.read_bytes(), name="sample.warc.gz", errors="skip"))
    assert [(d.id, d.text, d.record) for d in from_bytes] == from_file
    assert all(d.source == "sample.warc.gz" for d in from_bytes)


def test_format_overrides_the_extension(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("<html><body><article><p>" + "A paragraph of the article body. " * 8 + "</p></article></body></html>")
    [as_text] = unspin.read(path)
    [as_html] = unspin.read(path, format="html")
    assert "<p>" in as_text.text and "<p>" not in as_html.text
