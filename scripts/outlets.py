#!/usr/bin/env python3
"""Build crates/unspin/data/outlets.tsv from the MBFC ratings collected by Baly et al.

Usage: python3 scripts/outlets.py ../shared/data/news-media-reliability > crates/unspin/data/outlets.tsv

Combines emnlp18/corpus.tsv (1,066 outlets, 7-way bias) and acl2020/corpus.tsv (859 outlets,
3-way bias); where both rate the same outlet (same host and section), the newer acl2020 rating
wins. An outlet is a host without `www.`, plus a path when the dataset rates one section of a
site (`itv.com/news`): the dataset's own id (`source_url_normalized`) keeps the path exactly
when it names a section, so that decides whether the path is kept.
"""
import csv
import sys
from urllib.parse import urlparse


def key(row):
    url = row["source_url"].strip()
    if "://" not in url:
        url = "http://" + url
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    path = ""
    if row["source_url_normalized"].strip().lower() not in (host, "www." + host):
        path = parsed.path.strip("/").split("#")[0]
        # A landing page (`index.aspx`, `home`, `Main_Page`) names the whole site, not a section.
        parts = path.split("/")
        while parts and ("." in parts[-1] or parts[-1].lower() in ("home", "main_page")):
            parts.pop()
        path = "/".join(parts)
    return host, path


def slug(ref):
    ref = ref.strip().rstrip("/")
    return ref.rsplit("/", 1)[-1]


def main(root):
    rows = {}
    for dataset in ("emnlp18", "acl2020"):  # later wins
        with open(f"{root}/{dataset}/corpus.tsv", encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                host, path = key(row)
                if not host:
                    continue
                rows[(host, path)] = (row["fact"].strip(), row["bias"].strip(), dataset, slug(row["ref"]))
    out = sys.stdout
    out.write("# Outlet factuality and political bias, as rated by Media Bias/Fact Check (MBFC).\n")
    out.write("# Source: Baly et al., EMNLP 2018 and ACL 2020 (github.com/ramybaly/News-Media-Reliability,\n")
    out.write("# commit 28ab9b418e9e69e6105d52ddb61a4dfdd791a412, data/{emnlp18,acl2020}/corpus.tsv).\n")
    out.write("# Ratings reflect MBFC when the data was collected (2018 for emnlp18, 2020 for acl2020);\n")
    out.write("# where both rate an outlet the acl2020 rating is kept. Bias is 7-way in emnlp18 rows,\n")
    out.write("# 3-way (left, center, right) in acl2020 rows.\n")
    out.write("# Licence: none stated by the source repository; the labels are derived from MBFC's website.\n")
    out.write("# Built by scripts/outlets.py. Columns: host, section path (empty: whole site), factuality,\n")
    out.write("# bias, dataset, MBFC page (mediabiasfactcheck.com/<page>/).\n")
    out.write("host\tpath\tfact\tbias\tdataset\tmbfc\n")
    for (host, path), (fact, bias, dataset, ref) in sorted(rows.items()):
        out.write(f"{host}\t{path}\t{fact}\t{bias}\t{dataset}\t{ref}\n")


if __name__ == "__main__":
    main(sys.argv[1])
