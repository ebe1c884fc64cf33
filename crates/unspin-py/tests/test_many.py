"""`Analyzer.analyze_many`: input order, threads without the GIL, errors in place."""

from __future__ import annotations

import threading
import time

import pytest

import unspin

ARTICLES = [
    "Who really benefits from the deal? Critics say the tender was rushed and nobody was told.",
    "The council approved the budget on Tuesday. The vote was seven to four.",
    "These corrupt bureaucrats have betrayed every honest citizen of this great nation!",
    "Officials said the bridge would reopen in May, according to a statement from the ministry.",
]


def _texts(n: int) -> list:
    return [f"{ARTICLES[i % len(ARTICLES)]} Item {i} of the batch." for i in range(n)]


def test_results_come_in_input_order_and_equal_one_at_a_time(analyzer):
    texts = _texts(24)
    many = [a.to_dict() for a in analyzer.analyze_many(texts, batch=7)]
    single = unspin.Analyzer(jobs=1, threads=1)
    one_by_one = [single.analyze(t, id=str(i)).to_dict() for i, t in enumerate(texts)]
    assert many == one_by_one
    assert [d["id"] for d in many] == [str(i) for i in range(24)]
    assert all(f"Item {i} " in d["text"] for i, d in enumerate(many))


def test_inputs_of_every_kind(repo, analyzer):
    [doc] = unspin.read(repo / "examples/article9001.txt")
    page = (repo / "crates/unspin-py/tests/data/harbour.html").read_text()
    got = list(
        analyzer.analyze_many(
            ["Plain text, plainly said.", doc, {"html": page, "id": "page", "url": "https://x.example/a"}, {"text": "A dict."}]
        )
    )
    assert [a.id for a in got] == ["0", "9001", "page", "3"]
    assert got[2].meta["url"].startswith("https://")


def test_the_gil_is_released_while_a_batch_runs(analyzer):
    """A Python thread keeps running while the engine works on a batch."""
    ticks = 0
    stop = threading.Event()

    def tick():
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    texts = [_texts(1)[0] * 40] * 16
    items = [("text", t.encode(), str(i), "python", None) for i, t in enumerate(texts)]
    thread = threading.Thread(target=tick)
    thread.start()
    try:
        before = ticks
        started = time.monotonic()
        results = analyzer._inner.analyze_batch(items)
        elapsed = time.monotonic() - started
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    assert all(done is not None for done, _ in results)
    # Holding the GIL for the whole call would leave the ticker at (nearly) zero.
    assert elapsed < 0.05 or during >= 5, (elapsed, during)


def test_errors_raise_return_or_skip(analyzer):
    inputs = ["A fine sentence about the harbour.", "   ", {"html": b"\x00\x01\x02" * 100}, 42, "Another fine one."]
    with pytest.raises(unspin.UnspinError, match="empty|white space"):
        list(analyzer.analyze_many(inputs))
    returned = list(analyzer.analyze_many(inputs, errors="return"))
    assert len(returned) == 5
    assert isinstance(returned[0], unspin.Analysis) and isinstance(returned[4], unspin.Analysis)
    assert [type(r).__name__ for r in returned[1:4]] == ["UnspinError"] * 3
    assert "input 3 is a int" in str(returned[3])
    assert returned[3].record == 3
    skipped = list(analyzer.analyze_many(inputs, errors="skip", batch=2))
    assert [a.text for a in skipped] == ["A fine sentence about the harbour.", "Another fine one."]


def test_bad_arguments(analyzer):
    with pytest.raises(ValueError):
        list(analyzer.analyze_many([], errors="ignore"))
    with pytest.raises(ValueError):
        list(analyzer.analyze_many(["x"], batch=0))
    with pytest.raises(unspin.UnspinError, match="min"):
        list(analyzer.analyze_many(["A sentence."], min_confidence=2.0))
