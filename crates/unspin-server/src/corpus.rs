//! The corpus routes of `unspin serve --db`: what an indexed database holds, read-only.
//!
//! - `GET /v1/corpus`: which database, how many documents and errors, the outlets, months and
//!   techniques present (what the page's selectors offer);
//! - `GET /v1/corpus/trends?by=…`: the rows of `unspin trends --format json`;
//! - `GET /v1/corpus/documents?…`: a sorted, filtered page of documents;
//! - `GET /v1/corpus/documents/{id}`: one stored document in the shape `POST /v1/analyze`
//!   answers, so the page opens it in its article view without analysing it again.
//!
//! Each request opens its own read connection on a blocking thread (an SQLite file opens in
//! microseconds; PostgreSQL in a few milliseconds on loopback), so requests never wait on each
//! other and a slow query holds no analysis slot. Without `--db` every route answers 404 with a
//! message saying how to start the server with a database.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use unspin::corpus::browse::{self, ListQuery, SortKey};
use unspin::corpus::trends::{self, Filter, GroupBy};
use unspin::corpus::{self, Conn, Target};
use unspin::detect::Technique;
use unspin::report::json::GENERATOR;

use crate::error::{Error, Result};
use crate::AppState;

/// The filters shared by the trends and documents routes. Lists are comma-separated.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilterParams {
    by: Option<String>,
    outlet: Option<String>,
    since: Option<String>,
    until: Option<String>,
    technique: Option<String>,
    language: Option<String>,
    min_documents: Option<u64>,
    sort: Option<String>,
    order: Option<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

fn list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .unwrap_or("")
        .split(',')
        .map(|x| x.trim().to_ascii_lowercase())
        .filter(|x| !x.is_empty())
        .collect()
}

impl FilterParams {
    fn filter(&self) -> Result<Filter> {
        let date = |name: &str, v: &Option<String>| -> Result<Option<String>> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => trends::checked_date(s)
                    .map(Some)
                    .ok_or_else(|| Error::BadRequest(format!("{name}: {s:?} is not a date (YYYY-MM-DD or YYYY-MM)"))),
            }
        };
        let technique = match self.technique.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(s.parse::<Technique>().map_err(|e| Error::BadRequest(format!("technique: {e}")))?),
        };
        Ok(Filter {
            outlets: list(&self.outlet),
            since: date("since", &self.since)?,
            until: date("until", &self.until)?.as_deref().map(trends::inclusive_until),
            technique,
            languages: list(&self.language),
            min_documents: self.min_documents.unwrap_or(0),
        })
    }
}

fn query_params(
    query: std::result::Result<Query<FilterParams>, axum::extract::rejection::QueryRejection>,
) -> Result<FilterParams> {
    query
        .map(|Query(p)| p)
        .map_err(|e| Error::BadRequest(format!("bad query parameters: {}", e.body_text())))
}

/// Runs `f` on a fresh read connection to the server's database, on a blocking thread.
async fn with_db<T: Send + 'static>(
    app: &AppState,
    f: impl FnOnce(&mut Conn) -> unspin::Result<T> + Send + 'static,
) -> Result<T> {
    let target: Target = app.corpus.clone().ok_or_else(|| {
        Error::NotFound("no corpus database: start the server with `unspin serve --db DB`".into())
    })?;
    tokio::task::spawn_blocking(move || {
        let mut conn = corpus::open_read(&target)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| Error::Internal(format!("the database query failed: {e}")))?
    .map_err(Error::Corpus)
}

/// `GET /v1/corpus`.
pub async fn summary(State(app): State<AppState>) -> Result<Json<Value>> {
    let value = with_db(&app, |conn| {
        let one = |conn: &mut Conn, sql: &str| -> unspin::Result<u64> {
            Ok(conn.query_row("summarising", sql, &[])?.and_then(|r| r[0].int()).unwrap_or(0).max(0) as u64)
        };
        let texts = |conn: &mut Conn, sql: &str| -> unspin::Result<Vec<String>> {
            Ok(conn.query("summarising", sql, &[])?.into_iter().filter_map(|r| r.into_iter().next()?.into_text()).collect())
        };
        let documents = one(conn, "SELECT COUNT(*) FROM documents")?;
        let errors = one(conn, "SELECT COUNT(*) FROM errors")?;
        // From the rollup's cells, not the documents: a handful of rows per outlet and day.
        let outlets = texts(
            conn,
            "SELECT outlet FROM rollup WHERE technique = '' AND outlet <> '' GROUP BY outlet \
             ORDER BY SUM(documents) DESC, outlet LIMIT 200",
        )?;
        let techniques =
            texts(conn, "SELECT technique FROM rollup WHERE technique <> '' GROUP BY technique ORDER BY SUM(spans) DESC, technique")?;
        let month = conn.dialect().month("day");
        let months = texts(
            conn,
            &format!("SELECT m FROM (SELECT DISTINCT {month} AS m FROM rollup WHERE technique = '') t WHERE m IS NOT NULL ORDER BY m"),
        )?;
        let models = texts(conn, "SELECT DISTINCT model FROM documents ORDER BY model")?;
        Ok(json!({
            "database": conn.name(),
            "schema_version": corpus::SCHEMA_VERSION,
            "documents": documents,
            "errors": errors,
            "outlets": outlets,
            "months": months,
            "techniques": techniques,
            "models": models,
        }))
    })
    .await?;
    Ok(Json(value))
}

/// `GET /v1/corpus/trends?by=outlet|technique|month|outlet,month&…`.
pub async fn trends_route(
    State(app): State<AppState>,
    query: std::result::Result<Query<FilterParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>> {
    let params = query_params(query)?;
    if params.sort.is_some() || params.order.is_some() || params.limit.is_some() || params.offset.is_some() {
        return Err(Error::BadRequest("sort, order, limit and offset belong to /v1/corpus/documents".into()));
    }
    let by_text = params.by.clone().unwrap_or_else(|| "outlet".into());
    let by = GroupBy::parse(&by_text)
        .ok_or_else(|| Error::BadRequest(format!("by: {by_text:?}: expected outlet, technique, month or outlet,month")))?;
    let filter = params.filter()?;
    let rows = with_db(&app, move |conn| trends::query(conn, by, &filter)).await?;
    Ok(Json(json!({ "schema_version": corpus::SCHEMA_VERSION, "by": by.name(), "rows": rows })))
}

/// `GET /v1/corpus/documents?sort=…&order=asc|desc&limit=…&offset=…&…`.
pub async fn documents(
    State(app): State<AppState>,
    query: std::result::Result<Query<FilterParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<browse::DocumentPage>> {
    let params = query_params(query)?;
    if params.by.is_some() || params.min_documents.is_some() {
        return Err(Error::BadRequest("by and min_documents belong to /v1/corpus/trends".into()));
    }
    let sort = match params.sort.as_deref() {
        None => SortKey::default(),
        Some(s) => SortKey::parse(s).ok_or_else(|| {
            Error::BadRequest(format!("sort: {s:?}: expected one of {}", SortKey::NAMES.join(", ")))
        })?,
    };
    let descending = match params.order.as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(other) => return Err(Error::BadRequest(format!("order: {other:?}: expected asc or desc"))),
    };
    let limit = params.limit.unwrap_or(50);
    if limit == 0 || limit > browse::MAX_LIMIT {
        return Err(Error::BadRequest(format!("limit: between 1 and {}", browse::MAX_LIMIT)));
    }
    let list = ListQuery { filter: params.filter()?, sort, descending, limit, offset: params.offset.unwrap_or(0) };
    Ok(Json(with_db(&app, move |conn| browse::documents(conn, &list)).await?))
}

/// `GET /v1/corpus/documents/{id}`: `{"schema_version", "generator", "documents": [record],
/// "errors": [], "summary"}`, as `POST /v1/analyze` answers for one document.
pub async fn document(State(app): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>> {
    let id: i64 = id.parse().map_err(|_| Error::BadRequest(format!("{id:?} is not a document id")))?;
    let found = with_db(&app, move |conn| browse::report(conn, id)).await?;
    let (version, json_text) = found.ok_or_else(|| {
        Error::NotFound(format!(
            "/v1/corpus/documents/{id}: no such document, or it was indexed before reports were stored \
             (run `unspin index --reanalyze` on its input)"
        ))
    })?;
    let record: Value = serde_json::from_str(&json_text)
        .map_err(|e| Error::Internal(format!("the stored report of document {id} is not valid JSON: {e}")))?;
    let spans = record["spans"].as_array().map_or(0, Vec::len);
    Ok(Json(json!({
        "schema_version": version,
        "generator": GENERATOR,
        "documents": [record],
        "errors": [],
        "summary": { "documents": 1, "errors": 0, "spans": spans, "stored": true },
    })))
}
