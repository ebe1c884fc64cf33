//! Reading a corpus document by document: the sortable, paged list behind the corpus view of
//! `unspin serve --db`, and each document's stored report, so that a front end can open an
//! article with its spans and claims without analysing it again.
//!
//! The list takes the filters of [`trends`](super::trends) (outlets, dates, languages, and a
//! technique: documents holding at least one span of it) and sorts in SQL, so a page of rows
//! costs one indexed query whatever the corpus size.

use serde::Serialize;

use super::db::{Conn, Param, Value};
use super::trends::{where_clause, Filter, DOCUMENTS};
use crate::Result;

/// What the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// The document's date (undated documents last either way).
    #[default]
    Date,
    Outlet,
    Title,
    Words,
    Spans,
    /// Spans per 1,000 words.
    Rate,
    Claims,
    /// The share of claims without a source.
    Unattributed,
    Score,
}

impl SortKey {
    pub const NAMES: [&'static str; 9] =
        ["date", "outlet", "title", "words", "spans", "rate", "claims", "unattributed", "score"];

    pub fn parse(s: &str) -> Option<SortKey> {
        use SortKey::*;
        let all = [Date, Outlet, Title, Words, Spans, Rate, Claims, Unattributed, Score];
        Self::NAMES.iter().position(|n| *n == s).map(|i| all[i])
    }

    /// The SQL expression sorted on; NULLs (no date, no claims) always last.
    fn column(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Outlet => "outlet",
            SortKey::Title => "title",
            SortKey::Words => "words",
            SortKey::Spans => "spans",
            SortKey::Rate => "CASE WHEN words > 0 THEN 1000.0 * spans / words END",
            SortKey::Claims => "claims",
            SortKey::Unattributed => "CASE WHEN claims > 0 THEN 1.0 * unattributed / claims END",
            SortKey::Score => "score",
        }
    }
}

/// Which page of which documents.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub filter: Filter,
    pub sort: SortKey,
    pub descending: bool,
    /// Rows per page (at most [`MAX_LIMIT`]).
    pub limit: u64,
    pub offset: u64,
}

/// The most rows one page holds.
pub const MAX_LIMIT: u64 = 500;

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery { filter: Filter::default(), sort: SortKey::Date, descending: true, limit: 50, offset: 0 }
    }
}

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentSummary {
    /// The database id: what [`report`] takes.
    pub id: i64,
    pub source: String,
    pub record: u64,
    pub doc_id: String,
    pub url: Option<String>,
    pub outlet: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
    pub words: u64,
    pub spans: u64,
    pub spans_per_1k_words: f64,
    pub claims: u64,
    pub unattributed: u64,
    pub score: f64,
    /// Whether the report is stored (documents indexed before schema 2 have none).
    pub has_report: bool,
}

/// A page of the list, and how many documents match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentPage {
    pub total: u64,
    pub offset: u64,
    pub documents: Vec<DocumentSummary>,
}

/// The documents `query` asks for.
pub fn documents(conn: &mut Conn, query: &ListQuery) -> Result<DocumentPage> {
    let (mut clause, params) = where_clause(&query.filter, &DOCUMENTS);
    let technique = query.filter.technique.map(|t| t.label());
    if technique.is_some() {
        clause.push_str(if clause.is_empty() { " WHERE " } else { " AND " });
        // From the spans of the technique to their documents (the `spans (technique, doc)` index).
        clause.push_str("id IN (SELECT doc FROM spans WHERE technique = ?)");
    }
    let mut bound: Vec<Param<'_>> = params.iter().map(Param::from).collect();
    bound.extend(technique.map(Param::from));
    let doing = "listing documents";
    let total = conn
        .query_row(doing, &format!("SELECT COUNT(*) FROM documents{clause}"), &bound)?
        .and_then(|r| r.first().and_then(Value::int))
        .unwrap_or(0);
    let order = query.sort.column();
    let direction = if query.descending { "DESC" } else { "ASC" };
    let limit = query.limit.clamp(1, MAX_LIMIT);
    let sql = format!(
        "SELECT id, source, record, doc_id, url, outlet, title, date, language, words, spans, claims, unattributed, \
         score, EXISTS (SELECT 1 FROM reports r WHERE r.doc = documents.id) FROM documents{clause} \
         ORDER BY ({order}) IS NULL, {order} {direction}, id {direction} LIMIT {limit} OFFSET {}",
        query.offset
    );
    let mut documents = Vec::new();
    for r in conn.query(doing, &sql, &bound)? {
        let read = || -> std::result::Result<DocumentSummary, String> {
            let text = |i: usize| r[i].text().map(str::to_owned);
            let (words, spans) = (r[9].count()?, r[10].count()?);
            Ok(DocumentSummary {
                id: r[0].int().ok_or("no id")?,
                source: text(1).unwrap_or_default(),
                record: r[2].count()?,
                doc_id: text(3).unwrap_or_default(),
                url: text(4),
                outlet: text(5),
                title: text(6),
                date: text(7),
                language: text(8),
                words,
                spans,
                spans_per_1k_words: if words > 0 { (1000.0 * spans as f64 / words as f64 * 1e4).round() / 1e4 } else { 0.0 },
                claims: r[11].count()?,
                unattributed: r[12].count()?,
                score: r[13].real().unwrap_or(0.0),
                has_report: r[14].int().unwrap_or(0) != 0,
            })
        };
        documents.push(read().map_err(|m| conn.error(doing, m))?);
    }
    Ok(DocumentPage { total: u64::try_from(total).unwrap_or(0), offset: query.offset, documents })
}

/// A stored report: the JSON output's schema version when it was stored, and the document
/// record (`analyze --format json`'s `documents[0]`) as JSON text. `None` when there is no
/// document `id`, or it was stored without one (before schema 2).
pub fn report(conn: &mut Conn, id: i64) -> Result<Option<(String, String)>> {
    let row = conn.query_row("reading a report", "SELECT schema_version, json FROM reports WHERE doc = ?", &[id.into()])?;
    Ok(row.map(|r| {
        let mut values = r.into_iter();
        let version = values.next().and_then(Value::into_text).unwrap_or_default();
        let json = values.next().and_then(Value::into_text).unwrap_or_default();
        (version, json)
    }))
}
