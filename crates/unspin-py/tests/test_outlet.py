"""`unspin.outlet` and the technique labels: the same tables and inventory the CLI uses."""

from __future__ import annotations

import json

import pytest

import unspin


def test_outlet_matches_the_cli(cli):
    queries = ["https://edition.cnn.com/politics/x.html", "www.rt.com", "presstv.ir", "example.org", "10.0.0.1"]
    done = cli("outlet", "--format", "json", *queries, check=False)
    assert done.returncode == 2, "the IP address is bad input to the CLI"
    lines = done.stdout.splitlines()
    assert len(lines) == len(queries)
    for query, line in zip(queries, lines):
        expected = json.loads(line)
        for key in ("schema_version", "generator"):
            expected.pop(key)
        assert unspin.outlet(query) == expected


def test_outlet_resolves_subdomains_and_reports_state_media():
    rt = unspin.outlet("https://francais.rt.com/international/1")
    assert rt["status"] == "known"
    assert rt["profile"]["host"] == "rt.com" and rt["profile"]["factuality"] == "mixed"
    assert rt["state_media"]["country"] == "RU" and rt["state_media"]["affiliation"] == "state-controlled"
    press = unspin.outlet("presstv.ir")
    assert press["status"] == "unknown", "not in the ratings"
    assert press["state_media"]["name"] == "Press TV" and press["state_media"]["source"]
    assert unspin.outlet("english.news.cn")["state_media"]["host"] == "news.cn"
    unknown = unspin.outlet("bücher.de")
    assert unknown == {"status": "unknown", "query": "bücher.de", "domain": "xn--bcher-kva.de", "state_media": None}


@pytest.mark.parametrize("query", ["", "10.0.0.1", "not a host", "mailto:x@example.org"])
def test_outlet_invalid_queries_say_why(query):
    found = unspin.outlet(query)
    assert found["status"] == "invalid" and found["reason"], found


def test_outlet_rejects_non_strings():
    with pytest.raises(TypeError):
        unspin.outlet(b"rt.com")  # type: ignore[arg-type]


def test_techniques_are_the_labels_spans_carry():
    assert len(unspin.TECHNIQUES) == 14 and len(set(unspin.TECHNIQUES)) == 14
    assert unspin.TECHNIQUES[0] == "Appeal_to_Authority" and "Loaded_Language" in unspin.TECHNIQUES
    assert unspin.TECHNIQUE_NAMES["Loaded_Language"] == "Loaded language"
    text = "The corrupt, disgraceful traitors betrayed our glorious nation. " * 3
    spans = unspin.analyze(text).spans
    assert spans and all(s.technique in unspin.TECHNIQUES for s in spans)


def test_the_spark_job_uses_the_same_labels_and_ratings(repo, monkeypatch):
    # The Spark driver may lack the package, so spark/unspin_trends.py keeps its own copy of the
    # labels; it must equal the engine's. The workers look outlets up through unspin.outlet.
    monkeypatch.syspath_prepend(str(repo / "spark"))
    import unspin_trends
    import unspin_worker

    assert unspin_trends.TECHNIQUES == list(unspin.TECHNIQUES)
    rows = list(unspin_worker.outlet_ratings(["rt.com", "presstv.ir", "example.org"]))
    assert rows[0][0] == "rt.com" and rows[0][1] == "mixed" and rows[0][3] == "state-controlled"
    assert rows[1] == ("presstv.ir", None, None, "state-controlled")
    assert rows[2] == ("example.org", None, None, None)
