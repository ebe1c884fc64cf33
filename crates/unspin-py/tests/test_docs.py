"""The examples of docs/python.md run as written (the notebook-style walk-through included)."""

from __future__ import annotations

import re

import pytest

BLOCKS = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(repo) -> list:
    return BLOCKS.findall((repo / "docs/python.md").read_text(encoding="utf-8"))


def test_the_page_has_examples(repo):
    assert len(_blocks(repo)) == 4


@pytest.mark.parametrize("index", range(4))
def test_example_runs(repo, index, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    block = _blocks(repo)[index]
    exec(compile(block, f"docs/python.md block {index}", "exec"), {"__name__": "__docs__"})
    out = capsys.readouterr().out
    assert out.strip(), "every example prints something"
    if index == 1:
        assert "3 analysed;" in out
    if index == 3:
        assert out.startswith("unknown IR state-controlled\nmixed"), out
