"""Bad input is an `unspin.UnspinError` with a clear message, never a crash."""

from __future__ import annotations

import gzip

import pytest

import unspin


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"text": ""}, "empty|white space"),
        ({"text": " \n\t "}, "empty|white space"),
        ({"html": "<html><body><nav>Home</nav></body></html>"}, "no article text|empty"),
        ({"html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20}, "binary|not text"),
        ({"text": 42}, "must be a str"),
        ({"html": 4.2}, "must be str or bytes"),
        ({"text": "a", "html": "b"}, "exactly one"),
        ({}, "exactly one"),
        ({"text": "A sentence.", "id": 7}, "id must be a str"),
        ({"text": "A sentence.", "min_confidence": -1.0}, "min"),
        ({"text": "A sentence.", "model": "nosuchname"}, "unknown model"),
        ({"text": "A sentence.", "model": "/nonexistent/model-folder"}, "no model here \\(config.json is missing\\)"),
    ],
)
def test_analyze_rejects(kwargs, message):
    text = kwargs.pop("text", None)
    with pytest.raises(unspin.UnspinError, match=message):
        unspin.analyze(text, **kwargs)


def test_hostile_text_is_analysed_not_refused():
    text = "Officials \x1b[31mlied\x1b[0m about the \u202edeal\u202c. A lone surrogate-free \ufffd is fine."
    got = unspin.analyze(text)
    assert "\x1b" not in got.text and len(got.text) == len(text)


def test_analyzer_settings_are_checked():
    with pytest.raises(unspin.UnspinError, match="threads"):
        unspin.Analyzer(threads=0)
    with pytest.raises(unspin.UnspinError, match="jobs"):
        unspin.Analyzer(jobs=0)
    with pytest.raises(unspin.UnspinError, match="engine"):
        unspin.Analyzer(engine="tpu")
    with pytest.raises(unspin.UnspinError, match="does not exist"):
        unspin.Analyzer(onnxruntime="/nonexistent/libonnxruntime.so", engine="onnxruntime")
    with pytest.raises(TypeError):
        unspin.Analyzer(threads="two")


def test_read_rejects_missing_and_bad_inputs(tmp_path):
    with pytest.raises(unspin.UnspinError, match="no such file"):
        list(unspin.read(tmp_path / "missing.txt"))
    with pytest.raises(unspin.UnspinError, match="name="):
        list(unspin.read(b"some bytes"))
    with pytest.raises(unspin.UnspinError, match="unknown format"):
        list(unspin.read(b"x", name="a.txt", format="pdf"))
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")[:-9])
    with pytest.raises(unspin.UnspinError) as caught:
        list(unspin.read(bad))
    assert caught.value.source.endswith("bad.warc.gz")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert list(unspin.read(empty)) == []


def test_a_bad_record_does_not_lose_the_others(tmp_path):
    lines = [
        '{"id": "a", "text": "The first article is fine."}',
        "{not json",
        '{"id": "c", "text": "The third article is fine too."}',
        '{"id": "d"}',
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(unspin.UnspinError) as caught:
        list(unspin.read(path))
    assert caught.value.record == 1
    got = list(unspin.read(path, errors="return"))
    assert [type(x).__name__ for x in got] == ["Document", "UnspinError", "Document", "UnspinError"]
    assert [d.id for d in unspin.read(path, errors="skip")] == ["a", "c"]
    assert [d.record for d in unspin.read(path, errors="skip")] == [0, 2]
