#!/usr/bin/env python3
"""Run a Python extractor over the benchmark pages: predictions for score.py, and pages/s.

    run_python.py {trafilatura,readability} DATA_DIR OUT_DIR

Pages are decompressed into memory first and one warm-up pass runs before the timed pass, so the
figure is extraction alone, comparable with `examples/extraction_score.rs` (which also times only
the call that turns page bytes into text). trafilatura is called as a user would by default:
`trafilatura.extract(html, url=url)`. readability-lxml gives the article as HTML; its text is the
text of each block element, one paragraph per block.
"""

import gzip
import json
import sys
import time
from pathlib import Path


def load(data_dir):
    truth = json.loads((Path(data_dir) / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((Path(data_dir) / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, raw, truth[page_id].get("url")))
    return pages


def trafilatura_extractor():
    import trafilatura

    def run(raw, url):
        return trafilatura.extract(raw, url=url) or ""

    return run


def readability_extractor():
    import lxml.html
    from readability import Document

    blocks = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "div"}

    def run(raw, url):
        summary = Document(raw, url=url).summary(html_partial=True)
        root = lxml.html.fromstring(summary)
        paragraphs = []
        for el in root.iter():
            if el.tag in blocks and not any(child.tag in blocks for child in el.iterdescendants()):
                text = " ".join(el.text_content().split())
                if text:
                    paragraphs.append(text)
        return "\n\n".join(paragraphs)

    return run


def main():
    name, data_dir, out_dir = sys.argv[1:4]
    chosen = {"trafilatura": trafilatura_extractor, "readability": readability_extractor}[name]()

    def extract(raw, url):
        # A page an extractor raises on (readability-lxml does on one older page) is an empty
        # prediction, as a failed page of ours is.
        try:
            return chosen(raw, url)
        except Exception as e:  # noqa: BLE001 - any failure of a third-party extractor
            print(f"{name}: a page failed: {type(e).__name__}: {e}", file=sys.stderr)
            return ""
    pages = load(data_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for _, raw, url in pages:  # warm-up: imports, caches, lazily built regexes
        extract(raw, url)
    start = time.perf_counter()
    results = [(page_id, extract(raw, url)) for page_id, raw, url in pages]
    elapsed = time.perf_counter() - start
    for page_id, text in results:
        (out / f"{page_id}.txt").write_text(text, encoding="utf-8")
    print(f"{name}: pages={len(pages)}  pages/s={len(pages) / elapsed:.1f}")


if __name__ == "__main__":
    main()
