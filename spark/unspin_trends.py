"""The aggregates of ``unspin trends``, computed with Spark SQL over the job's tables.

The measures, their rounding and the rows' order are those of crates/unspin/src/corpus/trends.rs
(docs/corpus.md lists them), without filters: the output of ``unspin trends --by outlet``,
``--by month``, ``--by technique`` and ``--by outlet,month`` with ``--format json``, which
spark/check_parity.py compares with this module's output.

Every count and sum is a ``GROUP BY`` in Spark SQL (by outlet, by month and by both in one query,
with ``GROUPING SETS``), so only the rows of the result reach the driver. Ratios are computed and
rounded in the same SQL, as trends.rs rounds them: to four decimals, ``round(x * 10000) / 10000``
(half away from zero in Rust, HALF_UP in Spark: the same rule for ratios, which are never negative).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

# The 14 techniques of the SemEval-2020 Task 11 inventory, by their labels: every row of a
# grouping by outlet or month carries a rate for each. Written out because the driver of a cluster
# may not have the unspin package; a test holds the list equal to unspin.TECHNIQUES.
TECHNIQUES = [
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
]

# How the groupings are named in `unspin trends --by` (and in the JSON's "by"), with the file
# name the job writes each to.
GROUPINGS = [("outlet", "outlet"), ("month", "month"), ("technique", "technique"), ("outlet,month", "outlet_month")]

# trends.rs's MONTH: `date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'` then its first seven
# characters; NULL otherwise. GLOB's [0-9] and the regex's are both ASCII digits only.
MONTH_SQL = "CASE WHEN `date` RLIKE '^[0-9]{4}-[0-9]{2}' THEN substr(`date`, 1, 7) END"

# The corpus schema version `unspin trends --format json` reports (corpus::SCHEMA_VERSION).
SCHEMA_VERSION = 3


def _per_1k(n: str, words: str) -> str:
    return (
        f"CASE WHEN {words} = 0 THEN 0.0D "
        f"ELSE round(CAST({n} AS DOUBLE) * 1000.0D / CAST({words} AS DOUBLE) * 10000.0D) / 10000.0D END"
    )


def _share(part: str, whole: str) -> str:
    return (
        f"CASE WHEN {whole} = 0 THEN 0.0D "
        f"ELSE round(CAST({part} AS DOUBLE) / CAST({whole} AS DOUBLE) * 10000.0D) / 10000.0D END"
    )


def _shares(claims: str, unattributed: str, subjective: str, scored: str) -> str:
    """`unattributed_share` and `subjective_share`, NULL where trends.rs gives None."""
    return (
        f"CASE WHEN {claims} > 0 THEN {_share(unattributed, claims)} END AS unattributed_share, "
        f"CASE WHEN {subjective} IS NOT NULL AND {scored} > 0 THEN {_share(subjective, scored)} END "
        "AS subjective_share"
    )


def register(spark, documents, spans, sentence_techniques) -> None:
    """Make the job's DataFrames the views the queries read: ``documents`` (with ``id`` and the
    ``month`` partition column), ``spans`` (with ``doc``) and ``sentence_techniques``."""
    documents.createOrReplaceTempView("u_documents")
    spans.createOrReplaceTempView("u_spans")
    sentence_techniques.createOrReplaceTempView("u_sentence_techniques")


def _rows(spark, sql: str) -> List[Dict[str, Any]]:
    return [r.asDict(recursive=True) for r in spark.sql(sql).collect()]


_D = (
    "d AS (SELECT id, outlet, month, words, sentences, span_sentences, claims, unattributed, "
    "subjective, scored FROM u_documents)"
)


# The groupings by outlet, by month and by both, in one query with GROUPING SETS; `gid` tells a
# row's grouping: grouping(key) is 1 where the row is not grouped by the key.
_KEYS_BY_GROUPING_ID = {1: ["outlet"], 2: ["month"], 0: ["outlet", "month"]}


def by_keys(spark) -> Dict[str, List[Dict[str, Any]]]:
    """The rows grouped by outlet, by month and by both, each list sorted by its keys."""
    sets = "GROUPING SETS ((d.outlet), (d.month), (d.outlet, d.month))"
    sets_technique = "GROUPING SETS ((d.outlet, p.technique), (d.month, p.technique), (d.outlet, d.month, p.technique))"
    same = "{a}.gid = {b}.gid AND {a}.outlet <=> {b}.outlet AND {a}.month <=> {b}.month"
    sql = f"""
    WITH {_D},
    g AS (SELECT d.outlet, d.month, grouping(d.outlet) * 2 + grouping(d.month) AS gid, COUNT(*) AS documents,
                 SUM(d.words) AS words, SUM(d.sentences) AS sentences, SUM(d.span_sentences) AS span_sentences,
                 SUM(d.claims) AS claims, SUM(d.unattributed) AS unattributed, SUM(d.subjective) AS subjective,
                 SUM(d.scored) AS scored
          FROM d GROUP BY {sets}),
    t AS (SELECT d.outlet, d.month, grouping(d.outlet) * 2 + grouping(d.month) AS gid, p.technique, COUNT(*) AS n
          FROM d JOIN u_spans p ON p.doc = d.id GROUP BY {sets_technique}),
    r AS (SELECT t.outlet, t.month, t.gid, SUM(t.n) AS spans,
                 map_from_entries(collect_list(struct(t.technique, {_per_1k("t.n", "g.words")}))) AS rates
          FROM t JOIN g ON {same.format(a="t", b="g")} GROUP BY t.outlet, t.month, t.gid)
    SELECT g.outlet, g.month, g.gid, g.documents, g.words, g.sentences, COALESCE(r.spans, 0) AS spans,
           {_per_1k("COALESCE(r.spans, 0)", "g.words")} AS spans_per_1k_words, r.rates,
           {_share("g.span_sentences", "g.sentences")} AS sentence_share,
           g.claims, g.unattributed, {_shares("g.claims", "g.unattributed", "g.subjective", "g.scored")}
    FROM g LEFT JOIN r ON {same.format(a="g", b="r")}
    """
    grouped: Dict[str, List[Dict[str, Any]]] = {"outlet": [], "month": [], "outlet,month": []}
    for found in _rows(spark, sql):
        keys = _KEYS_BY_GROUPING_ID[found.pop("gid")]
        for key in ("outlet", "month"):
            if key not in keys:
                del found[key]
        rates = {label: 0.0 for label in TECHNIQUES}
        rates.update(found.pop("rates") or {})
        found["technique_rates"] = dict(sorted(rates.items()))
        grouped[",".join(keys)].append(found)
    for by, rows in grouped.items():
        keys = by.split(",")
        rows.sort(key=lambda r: tuple((r[k] is not None, r[k] or "") for k in keys))
    return grouped


def by_technique(spark) -> List[Dict[str, Any]]:
    """One row per technique found, most spans first."""
    sql = f"""
    WITH {_D},
    tot AS (SELECT COALESCE(SUM(words), 0) AS words, COALESCE(SUM(sentences), 0) AS sentences FROM d),
    sp AS (SELECT p.technique, COUNT(DISTINCT p.doc) AS documents, COUNT(*) AS spans
           FROM d JOIN u_spans p ON p.doc = d.id GROUP BY p.technique),
    st AS (SELECT s.technique, COUNT(*) AS n
           FROM d JOIN u_sentence_techniques s ON s.doc = d.id GROUP BY s.technique),
    cl AS (SELECT t.technique, SUM(d.claims) AS claims, SUM(d.unattributed) AS unattributed,
                  SUM(d.subjective) AS subjective, SUM(d.scored) AS scored
           FROM d JOIN (SELECT DISTINCT doc, technique FROM u_spans) t ON t.doc = d.id GROUP BY t.technique)
    SELECT sp.technique, sp.documents, tot.words, tot.sentences, sp.spans,
           {_per_1k("sp.spans", "tot.words")} AS spans_per_1k_words,
           {_share("COALESCE(st.n, 0)", "tot.sentences")} AS sentence_share,
           COALESCE(cl.claims, 0) AS claims, COALESCE(cl.unattributed, 0) AS unattributed,
           {_shares("COALESCE(cl.claims, 0)", "COALESCE(cl.unattributed, 0)", "cl.subjective", "COALESCE(cl.scored, 0)")}
    FROM sp CROSS JOIN tot LEFT JOIN st ON st.technique = sp.technique LEFT JOIN cl ON cl.technique = sp.technique
    """
    rows = _rows(spark, sql)
    rows.sort(key=lambda r: (-r["spans"], r["technique"]))
    return rows


# The order of a row's fields in `unspin trends --format json` (trends.rs's `Row`): the group's
# keys, left out when None, then the measures; the outlet's ratings left out when None.
_OPTIONAL = ("outlet", "month", "technique", "factuality", "bias", "state_media")
_ORDER = (
    "outlet", "month", "technique", "documents", "words", "sentences", "spans", "spans_per_1k_words",
    "technique_rates", "sentence_share", "claims", "unattributed", "unattributed_share", "subjective_share",
    "factuality", "bias", "state_media",
)


def _as_json_row(row: Dict[str, Any], ratings: Dict[str, Tuple[Optional[str], ...]]) -> Dict[str, Any]:
    row = dict(row)
    outlet = row.get("outlet")
    if outlet:
        row["factuality"], row["bias"], row["state_media"] = ratings.get(outlet, (None, None, None))
    out = {}
    for key in _ORDER:
        value = row.get(key)
        if value is None and key in _OPTIONAL:
            continue
        if key == "technique_rates" and not value:
            continue
        out[key] = value
    return out


def compute(spark, ratings_for: Callable[[List[str]], Dict[str, Tuple[Optional[str], ...]]]) -> Dict[str, dict]:
    """Every grouping, as ``{by: the JSON document of unspin trends --by BY --format json}``.
    ``ratings_for(outlets)`` gives each outlet's ``(factuality, bias, state_media)``."""
    found = by_keys(spark)
    found["technique"] = by_technique(spark)
    outlets = sorted({r["outlet"] for r in found["outlet"] if r.get("outlet")})
    ratings = ratings_for(outlets) if outlets else {}
    return {
        by: {"schema_version": SCHEMA_VERSION, "by": by, "rows": [_as_json_row(r, ratings) for r in found[by]]}
        for by, _ in GROUPINGS
    }
