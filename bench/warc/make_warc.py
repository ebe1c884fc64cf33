#!/usr/bin/env python3
"""Build CC-NEWS-style WARC files for tests and benchmarks (Python 3.11, standard library only).

Layout, as in Common Crawl's CC-NEWS crawl: one `warcinfo` record, then for each article a
`request`, a `response` (HTTP/1.1 headers + HTML page) and a `metadata` record. A `.warc.gz`
output has one gzip member per record, as CC writes them; a `.warc` output is the same records
uncompressed. Besides the articles, one response is an image (image/jpeg) and one a 404 page, so
readers can show they skip both.

The articles are short invented news pages (3-5 paragraphs) inside realistic boilerplate: a
navigation bar, a cookie banner, a "most read" box and a footer. One page is served in
windows-1252 (declared in the HTTP header only), one gzip-compressed on the wire, and one has no
date in the page, so the WARC-Date is the only date there is.

    make_warc.py OUT.warc.gz                       # the small test fixture
    make_warc.py OUT.warc.gz --target-bytes 1G     # repeat the articles until OUT is ~1 GiB
    make_warc.py OUT.warc.gz --host www.example.org --shift-days 40
                                                   # another outlet, every date 40 days later

Output is deterministic for a given seed: record ids come from a seeded generator and gzip
members carry no timestamp.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import gzip
import hashlib
import random
import sys
import uuid
import zlib

SITE_NAME = "The Riverside Ledger"
HOST = "www.riverside-ledger.example"

# (slug, title, author, ISO date or None, paragraphs)
ARTICLES = [
    (
        "city/tram-line-approved",
        "Council approves eastern tram line after six-hour debate",
        "Marta Kowal",
        "2024-03-04T18:45:00+00:00",
        [
            "Riverside city council voted 31 to 17 on Monday night to build a tram line linking the "
            "eastern housing estates with the central station, ending a dispute that has run for "
            "almost a decade.",
            "The 7.4-kilometre line will have eleven stops and is expected to open in 2029. Officials "
            "put the cost at 412 million euros, two thirds of which would come from a national "
            "transport fund.",
            "Opponents argued that electric buses could serve the same routes for a fraction of the "
            "price. \u201cWe are pouring concrete for a problem that software could solve,\u201d said "
            "councillor Henrik Aalto, who led the campaign against the scheme.",
            "Residents of the Eastfield estate, where fewer than half of households own a car, "
            "welcomed the decision. Construction is due to begin next spring, once the final route "
            "through the old market district has been surveyed.",
        ],
    ),
    (
        "region/farmers-water-rules",
        "Farmers warn of \u2018catastrophe\u2019 as river water rules tighten",
        "Jonas Brandt",
        "2024-03-05T07:10:00+00:00",
        [
            "Farmers in the lower valley say new limits on drawing water from the river will destroy "
            "their livelihoods, calling the rules \u201can act of war against the countryside\u201d.",
            "Under the regulation, which takes effect in June, irrigation from the river will be "
            "capped at 60 percent of last year's volume whenever the flow at the Millbridge gauge "
            "falls below its summer average.",
            "The regional environment agency says the cap is needed to protect drinking water for "
            "300,000 people downstream. \u201cNobody is being asked to stop farming,\u201d a spokesperson "
            "said. \u201cWe are asking everyone to share a river that has less water in it.\u201d",
            "The farmers' union has promised tractor protests in the capital and accuses the agency "
            "of listening only to \u201cbureaucrats who have never grown a potato\u201d. Talks are "
            "scheduled for next Thursday.",
            "Hydrologists note that summer flows have fallen in seven of the last ten years.",
        ],
    ),
    (
        "weather/storm-closes-port",
        "Storm Elna closes harbour and cuts power to 12,000 homes",
        "Aisha Rahman",
        "2024-03-05T21:30:00+00:00",
        [
            "Gusts of up to 118 km/h forced the harbour authority to close the port on Tuesday "
            "afternoon, stranding two ferries and about 900 passengers overnight.",
            "The grid operator said 12,000 homes on the northern coast lost power after fallen trees "
            "brought down overhead lines. Crews expect to reconnect most of them by Wednesday "
            "evening.",
            "The weather service has kept an orange warning in place until midday and advises "
            "against travel along the coast road, where waves have thrown stones onto the "
            "carriageway.",
        ],
    ),
    (
        "health/hospital-scheduling",
        "St Anne\u2019s hospital replaces booking system after week-long outage",
        "Pieter de Vries",
        None,
        [
            "St Anne's hospital will replace its appointment software after a failure last month "
            "left staff booking outpatient visits on paper for eight days.",
            "The new system, chosen after a tender with four bidders, will be introduced in stages "
            "from May, starting with the eye clinic. The hospital did not disclose the price.",
            "A review found that the outage began with a failed database update and was prolonged "
            "because backups had not been tested since 2021. The board has accepted all nine of the "
            "review's recommendations.",
            "The review put the cost of the outage at about \u20ac380,000 in overtime and cancelled "
            "operations, and said the caf\u00e9 on the ground floor had served as a makeshift records office.",
            "Patients whose appointments were lost are being contacted by phone, the hospital said.",
        ],
    ),
    (
        "sport/harbour-ladies-promoted",
        "Harbour Ladies clinch promotion with late winner",
        "Sofia Lindqvist",
        "2024-03-03T17:05:00+00:00",
        [
            "A header from substitute Nora Eke in the 88th minute gave Harbour Ladies a 2-1 win "
            "over Northgate and sealed promotion to the second division with three games to spare.",
            "Northgate had led through a first-half penalty, and Harbour's coach admitted her side "
            "had \u201cplayed with fear\u201d for most of the afternoon.",
            "More than 2,300 spectators, a club record, watched the match at the Quayside ground. "
            "The club plans to add a temporary stand for next season.",
        ],
    ),
    (
        "politics/party-chief-critics",
        "Party chief calls reform critics \u2018enemies of progress\u2019",
        "Marta Kowal",
        "2024-03-06T09:00:00+00:00",
        [
            "The leader of the governing party told a rally on Tuesday that opponents of the "
            "pension reform were \u201cenemies of progress who would rather see the country sink "
            "than admit they were wrong\u201d.",
            "Everybody knows the old system is finished, she said, and only a small clique of "
            "professional complainers still pretends otherwise.",
            "Opposition leaders called the remarks an insult to the 400,000 people who signed a "
            "petition against raising the retirement age to 68. Independent economists are divided "
            "on whether the reform would close the pension fund's deficit.",
            "Parliament votes on the bill next month.",
        ],
    ),
]

NAV = ["Home", "News", "City", "Region", "Politics", "Business", "Health", "Sport", "Weather", "Opinion"]
MOST_READ = [
    "Bridge repairs to close river crossing for three weeks",
    "Bakery on Mill Street wins national bread award",
    "School meals to include fruit every day from April",
    "Letters: the new parking rules are a mess",
]

# Long and dull, like the analytics and consent scripts real pages carry.
SCRIPT_FILLER = (
    "window.__ledger=window.__ledger||{};__ledger.slots=__ledger.slots||[];"
    "__ledger.slots.push({id:'top-banner',sizes:[[970,250],[728,90]],lazy:true});"
    "__ledger.consent={ads:false,analytics:false,version:7,region:'eu'};"
)


def page(slug: str, title: str, author: str, date: str | None, paragraphs: list[str], padding: int) -> str:
    url = f"https://{HOST}/{slug}"
    nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV)
    most_read = "".join(f'<li><a href="/more/{i}">{t}</a></li>' for i, t in enumerate(MOST_READ))
    date_meta = f'<meta property="article:published_time" content="{date}">\n' if date else ""
    byline_date = f" \u00b7 <time datetime=\"{date}\">{date[:10]}</time>" if date else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    filler = SCRIPT_FILLER * (padding // len(SCRIPT_FILLER) + 1) if padding else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)} | {SITE_NAME}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:type" content="article">
<meta name="author" content="{escape(author)}">
{date_meta}<link rel="canonical" href="{url}">
<style>body{{font-family:Georgia,serif;margin:0}}nav ul{{display:flex;list-style:none}}.cookie{{position:fixed;bottom:0}}</style>
<script>{filler[:padding]}</script>
</head>
<body>
<header>
<a class="logo" href="/">{SITE_NAME}</a>
<nav><ul>{nav}</ul></nav>
<div class="cookie">We use cookies to keep the site working and, with your consent, to measure readership. <button>Accept</button> <button>Settings</button></div>
</header>
<main>
<article>
<h1>{escape(title)}</h1>
<p class="byline">By {escape(author)}{byline_date}</p>
{body}
</article>
<aside class="most-read"><h2>Most read</h2><ul>{most_read}</ul></aside>
</main>
<footer>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy</a></li><li><a href="/subscribe">Subscribe</a></li></ul>
<p>\u00a9 2024 {SITE_NAME}. All rights reserved.</p>
</footer>
</body>
</html>
"""


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


NOT_FOUND = """<!DOCTYPE html>
<html><head><title>Page not found | The Riverside Ledger</title></head>
<body><h1>Sorry, we could not find that page.</h1><p>It may have moved or been removed.</p>
<p><a href="/">Back to the front page</a></p></body></html>
"""

# The start of a JPEG (SOI, JFIF APP0) and some made-up scan data: enough to look like one.
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300") + bytes(range(256)) * 4 + b"\xff\xd9"


def digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


class Writer:
    def __init__(self, out, gz: bool, level: int, rng: random.Random):
        self.out = out
        self.gz = gz
        self.level = level
        self.rng = rng
        self.written = 0
        self.warcinfo_id = ""

    def new_id(self) -> str:
        return f"<urn:uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}>"

    def record(self, fields: list[tuple[str, str]], block: bytes) -> str:
        record_id = self.new_id()
        # WARC-Type first, then the id, as CC orders them.
        head = fields[:1] + [("WARC-Record-ID", record_id)] + fields[1:] + [("Content-Length", str(len(block)))]
        text = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head) + "\r\n"
        data = text.encode() + block + b"\r\n\r\n"
        if self.gz:
            # One member per record, no timestamp: reproducible, and readers can seek per record.
            compressor = zlib.compressobj(self.level, zlib.DEFLATED, 31)
            data = compressor.compress(data) + compressor.flush()
            data = data[:4] + b"\0\0\0\0" + data[8:]
        self.out.write(data)
        self.written += len(data)
        return record_id

    def warcinfo(self, filename: str, date: str) -> None:
        info = (
            "software: make_warc.py (unspin test fixtures)\r\n"
            "format: WARC File Format 1.0\r\n"
            "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\n"
            "isPartOf: CC-NEWS-SAMPLE\r\n"
            "operator: unspin developers\r\n"
            "description: invented news pages in the layout of Common Crawl's news crawl\r\n"
        ).encode()
        self.warcinfo_id = self.record(
            [("WARC-Type", "warcinfo"), ("WARC-Date", date), ("WARC-Filename", filename),
             ("Content-Type", "application/warc-fields")],
            info,
        )

    def exchange(self, url: str, date: str, status: str, http_headers: list[tuple[str, str]], body: bytes,
                 identified: str) -> None:
        path = url.split(HOST, 1)[-1] or "/"
        request = (
            f"GET {path} HTTP/1.1\r\nUser-Agent: unspin-fixture-bot/1.0\r\nAccept: text/html,*/*;q=0.8\r\n"
            f"Accept-Encoding: gzip\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
        ).encode()
        common = [("WARC-Date", date), ("WARC-Warcinfo-ID", self.warcinfo_id), ("WARC-IP-Address", "192.0.2.44"),
                  ("WARC-Target-URI", url)]
        self.record([("WARC-Type", "request")] + common + [("Content-Type", "application/http; msgtype=request"),
                     ("WARC-Block-Digest", digest(request))], request)
        http = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in http_headers) + "\r\n"
        block = http.encode() + body
        response_id = self.record(
            [("WARC-Type", "response")] + common + [
                ("Content-Type", "application/http; msgtype=response"),
                ("WARC-Payload-Digest", digest(body)),
                ("WARC-Block-Digest", digest(block)),
                ("WARC-Identified-Payload-Type", identified),
            ],
            block,
        )
        fetch_ms = self.rng.randint(40, 900)
        metadata = f"fetchTimeMs: {fetch_ms}\r\ncharset-detected: UTF-8\r\n".encode()
        self.record([("WARC-Type", "metadata"), ("WARC-Date", date), ("WARC-Warcinfo-ID", self.warcinfo_id),
                     ("WARC-Target-URI", url), ("WARC-Concurrent-To", response_id),
                     ("Content-Type", "application/warc-fields")], metadata)


def crawl_date(base: dt.datetime, n: int) -> str:
    return (base + dt.timedelta(seconds=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def http_headers(content_type: str, length: int, extra: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    return [("Date", "Wed, 06 Mar 2024 10:00:00 GMT"), ("Server", "nginx"), ("Content-Type", content_type),
            *extra, ("Content-Length", str(length)), ("Cache-Control", "max-age=300")]


def shifted(date: str | None, shift: dt.timedelta) -> str | None:
    """An article's ISO date moved by `shift`, in the same form (unchanged for a zero shift)."""
    if date is None or not shift:
        return date
    return (dt.datetime.fromisoformat(date) + shift).isoformat()


def write_round(w: Writer, n: int, base: dt.datetime, padding: int, suffix: str,
                shift: dt.timedelta = dt.timedelta(0)) -> int:
    """Write every article once (plus the image and the 404); returns the next record counter."""
    for i, (slug, title, author, date, paragraphs) in enumerate(ARTICLES):
        date = shifted(date, shift)
        url = f"https://{HOST}/{slug}{suffix}"
        html = page(slug + suffix, title, author, date, paragraphs, padding)
        extra: list[tuple[str, str]] = []
        if i == 3:
            # Served in a legacy charset that only the HTTP header declares.
            html = html.replace('<meta charset="utf-8">\n', "")
            body = html.encode("windows-1252")
            content_type = "text/html; charset=windows-1252"
        else:
            body = html.encode("utf-8")
            content_type = "text/html; charset=UTF-8"
        if i == 4:
            # Kept as it came off the wire: compressed, with its Content-Encoding.
            body = gzip.compress(body, mtime=0)
            extra = [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        w.exchange(url, crawl_date(base, n), "200 OK", http_headers(content_type, len(body), extra), body, "text/html")
        n += 1
        if i == 2:
            img_url = f"https://{HOST}/media/storm-elna{suffix}.jpg"
            w.exchange(img_url, crawl_date(base, n), "200 OK", http_headers("image/jpeg", len(JPEG)), JPEG,
                       "image/jpeg")
            n += 1
    missing = f"https://{HOST}/city/old-story-removed{suffix}"
    body = NOT_FOUND.encode()
    w.exchange(missing, crawl_date(base, n), "404 Not Found", http_headers("text/html; charset=utf-8", len(body)),
               body, "text/html")
    return n + 1


def parse_size(text: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = text.strip().lower().removesuffix("ib").removesuffix("b")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def main() -> int:
    global HOST
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output path; .gz means one gzip member per record")
    ap.add_argument("--target-bytes", type=parse_size, default=0,
                    help="repeat the articles (with new ids and URLs) until the output is this large (e.g. 100M, 1G)")
    ap.add_argument("--padding", type=int, default=0,
                    help="bytes of inline script per page, to reach the size of real news pages (CC-NEWS averages tens of KB)")
    ap.add_argument("--level", type=int, default=6, help="gzip level (1 is fastest)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--host", default=HOST, help=f"the outlet's host name in every URL (default {HOST})")
    ap.add_argument("--shift-days", type=int, default=0,
                    help="move every date (the pages' and the crawl's) by this many days, e.g. into another month")
    args = ap.parse_args()

    HOST = args.host
    shift = dt.timedelta(days=args.shift_days)

    gz = args.out.endswith(".gz")
    rng = random.Random(args.seed)
    base = dt.datetime(2024, 3, 6, 10, 0, 0) + shift
    with open(args.out, "wb", buffering=1 << 20) as out:
        w = Writer(out, gz, args.level, rng)
        # The same name for both forms, so a .warc is byte for byte the .warc.gz uncompressed.
        name = args.out.rsplit("/", 1)[-1].removesuffix(".gz")
        w.warcinfo(name, crawl_date(base, 0))
        n, rounds = write_round(w, 1, base, args.padding, "", shift), 1
        while w.written < args.target_bytes:
            n = write_round(w, n, base, args.padding, f"-{rounds}", shift)
            rounds += 1
    print(f"{args.out}: {w.written} bytes, {rounds} rounds, {rounds * len(ARTICLES)} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
