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

use rusqlite::{params_from_iter, Connection};
use serde::Serialize;

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

const MONTH: &str = "CASE WHEN date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(date, 1, 7) END";

/// The rows of `by` over the documents `filter` lets through, sorted by their keys (techniques:
/// most spans first).
pub fn query(conn: &Connection, by: GroupBy, filter: &Filter) -> Result<Vec<Row>> {
    let path = conn.path().map(std::path::PathBuf::from).unwrap_or_default();
    let err = |doing: &'static str| super::db_error(&path, doing);
    let mut conditions = Vec::new();
    let mut params: Vec<String> = Vec::new();
    if !filter.outlets.is_empty() {
        conditions.push(format!("outlet IN ({})", vec!["?"; filter.outlets.len()].join(", ")));
        params.extend(filter.outlets.iter().cloned());
    }
    if let Some(since) = &filter.since {
        conditions.push("substr(date, 1, 10) >= ?".to_owned());
        params.push(since.clone());
    }
    if let Some(until) = &filter.until {
        conditions.push("substr(date, 1, 10) <= ?".to_owned());
        params.push(until.clone());
    }
    if !filter.languages.is_empty() {
        let each = "(lower(language) = ? OR lower(language) LIKE ? || '-%' ESCAPE '\\')";
        conditions.push(format!("({})", vec![each; filter.languages.len()].join(" OR ")));
        for tag in &filter.languages {
            params.push(tag.clone());
            params.push(tag.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        }
    }
    let filtered = format!(
        "WITH d AS (SELECT id, outlet, {MONTH} AS month, words, sentences, span_sentences, claims, unattributed, \
         subjective, scored FROM documents{}) ",
        if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) }
    );
    let technique = filter.technique.map(|t| t.label().to_owned());
    let only_technique = |alias: &str| match &technique {
        Some(_) => format!(" AND {alias}.technique = ?"),
        None => String::new(),
    };
    let with_technique = || {
        let mut p = params.clone();
        p.extend(technique.clone());
        p
    };

    if by == GroupBy::Technique {
        let (words, sentences): (u64, u64) = conn
            .query_row(
                &format!("{filtered}SELECT COALESCE(SUM(words), 0), COALESCE(SUM(sentences), 0) FROM d"),
                params_from_iter(&params),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err("counting words"))?;
        let mut rows: BTreeMap<String, Row> = BTreeMap::new();
        let sql = format!(
            "{filtered}SELECT p.technique, COUNT(DISTINCT p.doc), COUNT(*) FROM d JOIN spans p ON p.doc = d.id{} \
             GROUP BY p.technique",
            only_technique("p")
        );
        let mut st = conn.prepare(&sql).map_err(err("counting spans"))?;
        let mut found = st.query(params_from_iter(with_technique())).map_err(err("counting spans"))?;
        while let Some(r) = found.next().map_err(err("counting spans"))? {
            let (label, docs, spans): (String, u64, u64) =
                (r.get(0).map_err(err("counting spans"))?, r.get(1).map_err(err("counting spans"))?, r.get(2).map_err(err("counting spans"))?);
            rows.insert(
                label.clone(),
                Row {
                    documents: docs,
                    words,
                    sentences,
                    spans,
                    spans_per_1k_words: per_1k(spans, words),
                    ..Row::empty(None, None, Some(label))
                },
            );
        }
        let sql = format!(
            "{filtered}SELECT st.technique, COUNT(*) FROM d JOIN sentence_techniques st ON st.doc = d.id{} \
             GROUP BY st.technique",
            only_technique("st")
        );
        for (label, n) in pairs(conn, &sql, with_technique()).map_err(err("counting sentences"))? {
            if let Some(row) = rows.get_mut(&label) {
                row.sentence_share = share(n, sentences);
            }
        }
        let sql = format!(
            "{filtered}SELECT t.technique, SUM(d.claims), SUM(d.unattributed), SUM(d.subjective), SUM(d.scored) \
             FROM d JOIN (SELECT DISTINCT doc, technique FROM spans) t ON t.doc = d.id{} GROUP BY t.technique",
            only_technique("t")
        );
        let mut st = conn.prepare(&sql).map_err(err("counting claims"))?;
        let mut found = st.query(params_from_iter(with_technique())).map_err(err("counting claims"))?;
        while let Some(r) = found.next().map_err(err("counting claims"))? {
            let label: String = r.get(0).map_err(err("counting claims"))?;
            let sums = Sums::read(r, 1).map_err(err("counting claims"))?;
            if let Some(row) = rows.get_mut(&label) {
                sums.fill(row);
            }
        }
        let mut rows: Vec<Row> = rows.into_values().filter(|r| r.documents >= filter.min_documents).collect();
        rows.sort_by(|a, b| b.spans.cmp(&a.spans).then_with(|| a.technique.cmp(&b.technique)));
        return Ok(rows);
    }

    let keys = match by {
        GroupBy::Outlet => "d.outlet, NULL",
        GroupBy::Month => "NULL, d.month",
        GroupBy::OutletMonth | GroupBy::Technique => "d.outlet, d.month",
    };
    type Key = (Option<String>, Option<String>);
    let mut rows: BTreeMap<Key, Row> = BTreeMap::new();
    let sql = format!(
        "{filtered}SELECT {keys}, COUNT(*), SUM(d.words), SUM(d.sentences), SUM(d.span_sentences), SUM(d.claims), \
         SUM(d.unattributed), SUM(d.subjective), SUM(d.scored) FROM d GROUP BY 1, 2"
    );
    let mut st = conn.prepare(&sql).map_err(err("counting documents"))?;
    let mut found = st.query(params_from_iter(&params)).map_err(err("counting documents"))?;
    while let Some(r) = found.next().map_err(err("counting documents"))? {
        let read = || -> rusqlite::Result<(Key, Row)> {
            let key: Key = (r.get(0)?, r.get(1)?);
            let (documents, words, sentences, span_sentences): (u64, u64, u64, u64) = (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
            let mut row = Row {
                documents,
                words,
                sentences,
                sentence_share: share(span_sentences, sentences),
                ..Row::empty(key.0.clone(), key.1.clone(), None)
            };
            Sums::read(r, 6)?.fill(&mut row);
            let counted: Vec<Technique> = match filter.technique {
                Some(t) => vec![t],
                None => Technique::ALL.to_vec(),
            };
            row.technique_rates = counted.iter().map(|t| (t.label().to_owned(), 0.0)).collect();
            Ok((key, row))
        };
        let (key, row) = read().map_err(err("counting documents"))?;
        rows.insert(key, row);
    }
    let sql = format!(
        "{filtered}SELECT {keys}, p.technique, COUNT(*) FROM d JOIN spans p ON p.doc = d.id{} GROUP BY 1, 2, 3",
        only_technique("p")
    );
    let mut st = conn.prepare(&sql).map_err(err("counting spans"))?;
    let mut found = st.query(params_from_iter(with_technique())).map_err(err("counting spans"))?;
    while let Some(r) = found.next().map_err(err("counting spans"))? {
        let read = || -> rusqlite::Result<(Key, String, u64)> { Ok(((r.get(0)?, r.get(1)?), r.get(2)?, r.get(3)?)) };
        let (key, label, n) = read().map_err(err("counting spans"))?;
        if let Some(row) = rows.get_mut(&key) {
            row.spans += n;
            row.technique_rates.insert(label, per_1k(n, row.words));
        }
    }
    if technique.is_some() {
        // The sentence share of one technique: its own sentences, not those of any span.
        for row in rows.values_mut() {
            row.sentence_share = 0.0;
        }
        let sql = format!(
            "{filtered}SELECT {keys}, COUNT(*) FROM d JOIN sentence_techniques st ON st.doc = d.id{} GROUP BY 1, 2",
            only_technique("st")
        );
        let mut st = conn.prepare(&sql).map_err(err("counting sentences"))?;
        let mut found = st.query(params_from_iter(with_technique())).map_err(err("counting sentences"))?;
        while let Some(r) = found.next().map_err(err("counting sentences"))? {
            let read = || -> rusqlite::Result<(Key, u64)> { Ok(((r.get(0)?, r.get(1)?), r.get(2)?)) };
            let (key, n) = read().map_err(err("counting sentences"))?;
            if let Some(row) = rows.get_mut(&key) {
                row.sentence_share = share(n, row.sentences);
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

/// Claims and subjectivity sums of a group, as read from columns `at..at + 4`.
struct Sums {
    claims: u64,
    unattributed: u64,
    subjective: Option<u64>,
    scored: u64,
}

impl Sums {
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Sums> {
        Ok(Sums {
            claims: r.get::<_, Option<u64>>(at)?.unwrap_or(0),
            unattributed: r.get::<_, Option<u64>>(at + 1)?.unwrap_or(0),
            subjective: r.get(at + 2)?,
            scored: r.get::<_, Option<u64>>(at + 3)?.unwrap_or(0),
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

fn pairs(conn: &Connection, sql: &str, params: Vec<String>) -> rusqlite::Result<Vec<(String, u64)>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map(params_from_iter(params), |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
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
