#!/usr/bin/env python3
"""Count block boundaries glued without white space in extracted texts.

    glued.py DATA_DIR DUMP_DIR [--show]

A glued boundary is a lower-case letter, optionally sentence punctuation, then an upper-case
word with no space between ("Wednesday.The", "TumblrReddit"): two blocks joined into one.
Matches that occur as they are in the page's raw HTML ("YouTube", "Node.js", or a typo the page
itself has) are not glued by extraction and are not counted; the ground truth is no guide, as it
has some of these glued itself. Prints the number of pages with at least one such boundary and
the total number of boundaries.
"""
import gzip
import json
import re
import sys
from pathlib import Path

GLUED = re.compile(r"[a-z][.!?]?[A-Z][a-z]")


def main():
    data, dump = Path(sys.argv[1]), Path(sys.argv[2])
    show = "--show" in sys.argv
    truth = json.loads((data / "ground-truth.json").read_text())
    pages = total = 0
    for id_, t in sorted(truth.items()):
        path = dump / f"{id_}.txt"
        if not path.exists():
            continue
        text = path.read_text()
        raw = gzip.decompress((data / "html" / f"{id_}.html.gz").read_bytes()).decode("utf-8", "replace")
        found = [m for m in GLUED.finditer(text) if m.group(0) not in raw]
        if found:
            pages += 1
            total += len(found)
            if show:
                for m in found:
                    print(f"{id_}\t{text[max(0, m.start() - 30):m.end() + 30]!r}")
    print(f"pages with glued boundaries={pages}  glued boundaries={total}")


if __name__ == "__main__":
    main()
