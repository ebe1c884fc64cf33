//! Aggregates over a corpus: the measures of `unspin trends`, grouped by outlet, month, both, or
//! technique. Each measure is a SQL aggregate (a handful of `GROUP BY` queries), so memory grows
//! with the number of groups, never with the number of documents.
//!
//! The measures of a group (outlet, month or outlet and month):
//! - `documents`, `words`, `sentences`, `spans`;
//! - `spans_per_1k_words`: spans per 1,000 words, in total and per technique;
//! - `sentence_share`: the share of sentences that overlap at least one span;
//! - `claims`, and `unattributed_share`: the share of claims with no source;
//! - `subjective_share`: the share of scored sentences scored subjective (`None` when no sentence
//!   has a subjectivity score, as without a model);
//! - for a row with an outlet, that outlet's `factuality` and `bias` from the shipped ratings and
//!   its `state_media` affiliation, when listed ([`crate::claims::outlet`]).
//!
//! With a technique filter, spans, rates and the sentence share count that technique only.
//!
//! Grouped by technique, a row is one technique over the filtered documents: `documents` counts
//! those holding it; `spans_per_1k_words` and `sentence_share` are over all filtered words and
//! sentences (so rows compare techniques on the same footing); claims and the shares are over the
//! documents holding it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::db::{Conn, Param, Value};
use crate::claims::outlet;
use crate::detect::Technique;
use crate::Result;

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Outlet,
    Technique,
    Month,
    OutletMonth,
}

impl GroupBy {
    /// `outlet`, `technique`, `month`, or `outlet,month` (also `month,outlet`); case and spaces
    /// do not matter.
    pub fn parse(s: &str) -> Option<GroupBy> {
        match s.trim().to_ascii_lowercase().replace(' ', "").as_str() {
            "outlet" => Some(GroupBy::Outlet),
            "technique" => Some(GroupBy::Technique),
            "month" => Some(GroupBy::Month),
            "outlet,month" | "month,outlet" => Some(GroupBy::OutletMonth),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Outlet => "outlet",
            GroupBy::Technique => "technique",
            GroupBy::Month => "month",
            GroupBy::OutletMonth => "outlet,month",
        }
    }
}

/// A date bound of a filter, checked: `YYYY-MM-DD`, or `YYYY-MM` (as a lower bound it compares
/// before every day of the month, so it is the month's start; see [`inclusive_until`]).
pub fn checked_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let ok = match b.len() {
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    };
    ok.then(|| s.to_owned())
}

/// An upper date bound as [`Filter::until`] takes it: a month means its last day (every day
/// compares at or below `-31`).
pub fn inclusive_until(date: &str) -> String {
    if date.len() == 7 {
        format!("{date}-31")
    } else {
        date.to_owned()
    }
}

/// Which documents count. Dates compare on their first ten characters (`YYYY-MM-DD`), both ends
/// inclusive; a document without a date is left out when either bound is given.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Outlets (hosts without `www.`); empty: all.
    pub outlets: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub technique: Option<Technique>,
    /// Language tags, lower case (`en` also takes `en-gb`); empty: every document, whatever its language.
    pub languages: Vec<String>,
    /// Rows with fewer documents are dropped.
    pub min_documents: u64,
}

/// One group's measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technique: Option<String>,
    pub documents: u64,
    pub words: u64,
    pub sentences: u64,
    pub spans: u64,
    pub spans_per_1k_words: f64,
    /// Spans per 1,000 words of each technique (every technique, or the filtered one); empty when
    /// grouped by technique.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub technique_rates: BTreeMap<String, f64>,
    pub sentence_share: f64,
    pub claims: u64,
    pub unattributed: u64,
    pub unattributed_share: Option<f64>,
    pub subjective_share: Option<f64>,
    /// The outlet's MBFC factual reporting (`high`, `mixed`, `low`), when rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factuality: Option<String>,
    /// The outlet's MBFC political bias, when rated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bias: Option<String>,
    /// How the state stands to the outlet (`state-controlled`, …), when listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_media: Option<String>,
}

impl Row {
    fn empty(outlet: Option<String>, month: Option<String>, technique: Option<String>) -> Row {
        let mut row = Row {
            outlet,
            month,
            technique,
            documents: 0,
            words: 0,
            sentences: 0,
            spans: 0,
            spans_per_1k_words: 0.0,
            technique_rates: BTreeMap::new(),
            sentence_share: 0.0,
            claims: 0,
            unattributed: 0,
            unattributed_share: None,
            subjective_share: None,
            factuality: None,
            bias: None,
            state_media: None,
        };
        if let Some(outlet) = row.outlet.as_deref().filter(|o| !o.is_empty()) {
            let found = outlet::lookup(outlet);
            if let Some(profile) = found.profile() {
                row.factuality = Some(profile.factuality.clone());
                row.bias = Some(profile.bias.clone());
            }
            row.state_media = found.state_media().map(|m| m.affiliation.as_str().to_owned());
        }
        row
    }
}

/// The rows of `by` over the documents `filter` lets through, sorted by their keys (techniques:
/// most spans first). Every measure is a sum over the `rollup` table's cells (one per outlet,
/// day, language and technique, kept by the writer), so the cost follows the number of cells,
/// not of documents.
pub fn query(conn: &mut Conn, by: GroupBy, filter: &Filter) -> Result<Vec<Row>> {
    let (conditions, params) = where_clause(filter, &ROLLUP);
    // `conditions` is empty or starts with " WHERE"; the queries below add their own terms.
    let and = |term: &str| {
        if conditions.is_empty() {
            format!(" WHERE {term}")
        } else {
            format!("{conditions} AND {term}")
        }
    };
    let technique = filter.technique.map(|t| t.label().to_owned());
    let documents_only = and("technique = ''");
    let techniques_only = and(if technique.is_some() { "technique = ?" } else { "technique <> ''" });
    let plain: Vec<Param<'_>> = params.iter().map(Param::from).collect();
    let mut with_technique = plain.clone();
    with_technique.extend(technique.as_ref().map(Param::from));
    // Counts come back as integers from both databases (PostgreSQL's SUM of BIGINT is NUMERIC).
    let claim_sums = ["claims", "unattributed", "subjective", "subjective_documents", "scored"].map(sum).join(", ");

    if by == GroupBy::Technique {
        let doing = "counting words";
        let totals = conn.query_row(doing, &format!("SELECT {}, {} FROM rollup{documents_only}", sum("words"), sum("sentences")), &plain)?;
        let totals = totals.unwrap_or_default();
        let (words, sentences) = (count(&totals, 0).map_err(bad(doing, conn))?, count(&totals, 1).map_err(bad(doing, conn))?);
        let doing = "counting spans";
        let sql = format!(
            "SELECT technique, {}, {}, {}, {claim_sums} FROM rollup{techniques_only} GROUP BY technique",
            sum("documents"),
            sum("spans"),
            sum("technique_sentences")
        );
        let mut rows = Vec::new();
        for r in conn.query(doing, &sql, &with_technique)? {
            let read = || -> std::result::Result<Row, String> {
                let (docs, spans, technique_sentences) = (count(&r, 1)?, count(&r, 2)?, count(&r, 3)?);
                let mut row = Row {
                    documents: docs,
                    words,
                    sentences,
                    spans,
                    spans_per_1k_words: per_1k(spans, words),
                    sentence_share: share(technique_sentences, sentences),
                    ..Row::empty(None, None, Some(text(&r, 0)))
                };
                Sums::read(&r, 4)?.fill(&mut row);
                Ok(row)
            };
            let row = read().map_err(bad(doing, conn))?;
            if row.documents > 0 && row.documents >= filter.min_documents {
                rows.push(row);
            }
        }
        rows.sort_by(|a, b| b.spans.cmp(&a.spans).then_with(|| a.technique.cmp(&b.technique)));
        return Ok(rows);
    }

    let month = conn.dialect().month("day");
    let keys = match by {
        GroupBy::Outlet => "NULLIF(outlet, ''), NULL".to_owned(),
        GroupBy::Month => format!("NULL, {month}"),
        GroupBy::OutletMonth | GroupBy::Technique => format!("NULLIF(outlet, ''), {month}"),
    };
    type Key = (Option<String>, Option<String>);
    let key_of = |r: &[Value]| -> Key { (r[0].text().map(str::to_owned), r[1].text().map(str::to_owned)) };
    let mut rows: BTreeMap<Key, Row> = BTreeMap::new();
    let doing = "counting documents";
    let sql = format!(
        "SELECT {keys}, {}, {}, {}, {}, {claim_sums} FROM rollup{documents_only} GROUP BY 1, 2",
        sum("documents"),
        sum("words"),
        sum("sentences"),
        sum("span_sentences")
    );
    let counted: Vec<Technique> = match filter.technique {
        Some(t) => vec![t],
        None => Technique::ALL.to_vec(),
    };
    for r in conn.query(doing, &sql, &plain)? {
        let key = key_of(&r);
        let read = || -> std::result::Result<Row, String> {
            let (documents, words, sentences, span_sentences) = (count(&r, 2)?, count(&r, 3)?, count(&r, 4)?, count(&r, 5)?);
            let mut row = Row {
                documents,
                words,
                sentences,
                // With a technique filter, its own sentences replace these below.
                sentence_share: if technique.is_some() { 0.0 } else { share(span_sentences, sentences) },
                ..Row::empty(key.0.clone(), key.1.clone(), None)
            };
            Sums::read(&r, 6)?.fill(&mut row);
            row.technique_rates = counted.iter().map(|t| (t.label().to_owned(), 0.0)).collect();
            Ok(row)
        };
        let row = read().map_err(bad(doing, conn))?;
        if row.documents > 0 {
            rows.insert(key, row);
        }
    }
    let doing = "counting spans";
    let sql = format!(
        "SELECT {keys}, technique, {}, {} FROM rollup{techniques_only} GROUP BY 1, 2, 3",
        sum("spans"),
        sum("technique_sentences")
    );
    for r in conn.query(doing, &sql, &with_technique)? {
        let (n, technique_sentences) = (count(&r, 3).map_err(bad(doing, conn))?, count(&r, 4).map_err(bad(doing, conn))?);
        if let Some(row) = rows.get_mut(&key_of(&r)) {
            row.spans += n;
            row.technique_rates.insert(text(&r, 2), per_1k(n, row.words));
            if technique.is_some() {
                // The sentence share of one technique: its own sentences, not those of any span.
                row.sentence_share = share(technique_sentences, row.sentences);
            }
        }
    }
    Ok(rows
        .into_values()
        .filter(|r| r.documents >= filter.min_documents)
        .map(|mut r| {
            r.spans_per_1k_words = per_1k(r.spans, r.words);
            r
        })
        .collect())
}

/// The columns a filter tests: a table's date (first ten characters) and lower-case language.
pub(crate) struct FilterColumns {
    pub date: &'static str,
    pub language: &'static str,
}

/// The `documents` table.
pub(crate) const DOCUMENTS: FilterColumns = FilterColumns { date: "substr(date, 1, 10)", language: "lower(language)" };

/// The `rollup` table, whose keys are '' where a document has no date or language.
const ROLLUP: FilterColumns = FilterColumns { date: "NULLIF(day, '')", language: "language" };

/// The `WHERE` clause (empty, or starting with a space) of the documents `filter` lets through,
/// on the `documents` table's columns, and its parameters. The technique filter is not in it:
/// each query applies it where it counts spans.
pub(crate) fn where_clause(filter: &Filter, columns: &FilterColumns) -> (String, Vec<String>) {
    let mut conditions = Vec::new();
    let mut params: Vec<String> = Vec::new();
    if !filter.outlets.is_empty() {
        conditions.push(format!("outlet IN ({})", vec!["?"; filter.outlets.len()].join(", ")));
        params.extend(filter.outlets.iter().cloned());
    }
    if let Some(since) = &filter.since {
        conditions.push(format!("{} >= ?", columns.date));
        params.push(since.clone());
    }
    if let Some(until) = &filter.until {
        conditions.push(format!("{} <= ?", columns.date));
        params.push(until.clone());
    }
    if !filter.languages.is_empty() {
        let each = format!("({0} = ? OR {0} LIKE ? || '-%' ESCAPE '\\')", columns.language);
        conditions.push(format!("({})", vec![each; filter.languages.len()].join(" OR ")));
        for tag in &filter.languages {
            params.push(tag.clone());
            params.push(tag.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        }
    }
    let clause = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    (clause, params)
}

/// A row that cannot be read as counts, as an error about the database.
fn bad<'a>(doing: &'a str, conn: &'a Conn) -> impl Fn(String) -> crate::Error + 'a {
    move |m| conn.error(doing, m)
}

/// `SUM(x)` as a 64-bit integer in both databases.
fn sum(x: &str) -> String {
    format!("CAST(SUM({x}) AS BIGINT)")
}

/// Column `i` of a row as a count (NULL: 0).
fn count(r: &[Value], i: usize) -> std::result::Result<u64, String> {
    r.get(i).ok_or_else(|| format!("no column {i}"))?.count()
}

fn text(r: &[Value], i: usize) -> String {
    r.get(i).and_then(Value::text).unwrap_or_default().to_owned()
}

/// Claims and subjectivity sums of a group, as read from columns `at..at + 5` (claims,
/// unattributed, subjective, documents with a subjective count, scored).
struct Sums {
    claims: u64,
    unattributed: u64,
    subjective: Option<u64>,
    scored: u64,
}

impl Sums {
    fn read(r: &[Value], at: usize) -> std::result::Result<Sums, String> {
        let subjective = count(r, at + 2)?;
        Ok(Sums {
            claims: count(r, at)?,
            unattributed: count(r, at + 1)?,
            // No document with a subjectivity count: unknown, not zero.
            subjective: (count(r, at + 3)? > 0).then_some(subjective),
            scored: count(r, at + 4)?,
        })
    }

    fn fill(&self, row: &mut Row) {
        row.claims = self.claims;
        row.unattributed = self.unattributed;
        row.unattributed_share = (self.claims > 0).then(|| share(self.unattributed, self.claims));
        row.subjective_share = match self.subjective {
            Some(n) if self.scored > 0 => Some(share(n, self.scored)),
            _ => None,
        };
    }
}

fn per_1k(n: u64, words: u64) -> f64 {
    if words == 0 {
        0.0
    } else {
        round4(n as f64 * 1000.0 / words as f64)
    }
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        round4(part as f64 / whole as f64)
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_of_a_listed_outlet_carry_its_ratings_and_state_affiliation() {
        let rt = Row::empty(Some("rt.com".into()), None, None);
        assert_eq!(rt.factuality.as_deref(), Some("mixed"));
        assert_eq!(rt.bias.as_deref(), Some("right-center"));
        assert_eq!(rt.state_media.as_deref(), Some("state-controlled"));
        let unknown = Row::empty(Some("outlet0.com".into()), None, None);
        assert_eq!((unknown.factuality, unknown.bias, unknown.state_media), (None, None, None));
        let by_technique = Row::empty(None, None, Some("Doubt".into()));
        assert!(by_technique.factuality.is_none());
    }
}
