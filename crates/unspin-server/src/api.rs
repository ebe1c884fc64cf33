//! The API routes: `POST /v1/analyze` (one request: JSON, an upload or a raw body),
//! `POST /v1/analyze/batch`, `GET /healthz`, `GET /openapi.json`.
//!
//! A request goes: parameters checked → body read within the size and time limits → an analysis
//! slot taken, after a wait in the bounded queue if need be (see [`crate::admission`]) → URLs
//! fetched → documents read, analysed and written by the library's
//! report writer on a blocking thread → the bytes returned. The output is what `unspin analyze
//! --format F` writes for the same input, because it is the same writer.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use unspin::error::Origin;
use unspin::ingest::{self, IngestOptions, InputKind, Pending};
use unspin::report::{self, json::GENERATOR, Format, Summary, WriterOptions, SCHEMA_VERSION};

use crate::error::{Error, Result};
use crate::{AppState, Limits};

/// The OpenAPI document, written by hand beside the routes; `tests/api.rs` checks that it lists
/// exactly the routes the router serves.
pub const OPENAPI: &str = include_str!("../assets/openapi.json");

/// One document in a request: exactly one of `text`, `html`, `url`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    text: Option<String>,
    html: Option<String>,
    url: Option<String>,
    id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    documents: Vec<Item>,
}

/// Query parameters of both analysis routes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// `json` (default), `jsonl`, `labelstudio`, `brat`, `semeval` or `text`.
    format: Option<String>,
    /// Drop spans below this confidence (0–1) before counting and writing.
    min_confidence: Option<f32>,
    /// Include word tokens in JSON output.
    tokens: Option<bool>,
}

/// Checked parameters.
struct Output {
    format: Format,
    min_confidence: f32,
    tokens: bool,
}

impl Params {
    fn check(self) -> Result<Output> {
        let format = match self.format.as_deref().unwrap_or("json") {
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            "labelstudio" => Format::LabelStudio,
            "brat" => Format::Brat,
            "semeval" => Format::Semeval,
            "text" => Format::Text,
            other => {
                return Err(Error::BadRequest(format!(
                    "unknown format {other:?}: use json, jsonl, labelstudio, brat, semeval or text"
                )))
            }
        };
        let min_confidence = unspin::pipeline::checked_confidence(self.min_confidence.unwrap_or(0.0))
            .map_err(|e| Error::BadRequest(format!("min_confidence: {e}")))?;
        Ok(Output {
            format,
            min_confidence,
            tokens: self.tokens.unwrap_or(false),
        })
    }
}

fn params(
    query: std::result::Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Output> {
    let Query(params) =
        query.map_err(|e| Error::BadRequest(format!("bad query parameters: {}", e.body_text())))?;
    params.check()
}

/// What a request asks to analyse, before any fetching.
#[derive(Debug)]
pub enum Source {
    /// Bytes to read as an input file would be: `name` serves format detection, `source` and
    /// the document id; `kind` forces the format.
    Bytes {
        name: String,
        id: String,
        bytes: Bytes,
        kind: Option<InputKind>,
    },
    Url {
        url: String,
        id: Option<String>,
    },
}

impl Source {
    fn from_item(item: Item, default_id: &str) -> Result<Source> {
        if item.id.as_deref().is_some_and(|id| id.trim().is_empty()) {
            return Err(Error::BadRequest("\"id\" is empty: give a non-empty id or leave it out".into()));
        }
        let id = item.id.unwrap_or_else(|| default_id.to_owned());
        match (item.text, item.html, item.url) {
            (Some(text), None, None) => Ok(Source::Bytes {
                name: "request".into(),
                id,
                bytes: text.into(),
                kind: Some(InputKind::Text),
            }),
            (None, Some(html), None) => Ok(Source::Bytes {
                name: "request".into(),
                id,
                bytes: html.into(),
                kind: Some(InputKind::Html),
            }),
            (None, None, Some(url)) => Ok(Source::Url {
                url,
                id: Some(id).filter(|i| i.as_str() != default_id),
            }),
            _ => Err(Error::BadRequest(
                "give exactly one of \"text\", \"html\" or \"url\"".into(),
            )),
        }
    }
}

/// `POST /v1/analyze`.
pub async fn analyze(
    State(app): State<AppState>,
    query: std::result::Result<Query<Params>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Result<Response> {
    let output = params(query)?;
    let source = read_source(request, &app.limits).await?;
    run(&app, vec![source], output, true).await
}

/// `POST /v1/analyze/batch`: `{"documents": [{"text": …}, {"url": …}, …]}`.
pub async fn analyze_batch(
    State(app): State<AppState>,
    query: std::result::Result<Query<Params>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Result<Response> {
    let output = params(query)?;
    let (_, _, body) = read_body(request, &app.limits, &BATCH_TYPES).await?;
    let sources = batch_sources(&body, app.limits.max_documents)?;
    run(&app, sources, output, false).await
}

/// The sources of a batch request's JSON body, checked: at least one document and at most
/// `max_documents`, each with exactly one of `text`, `html`, `url`. Public so that it can be
/// fuzzed as a function (`crates/unspin-fuzz`).
pub fn batch_sources(body: &[u8], max_documents: usize) -> Result<Vec<Source>> {
    let batch: Batch = parse_json(body)?;
    if batch.documents.is_empty() {
        return Err(Error::BadRequest("\"documents\" is empty".into()));
    }
    if batch.documents.len() > max_documents {
        return Err(Error::BadRequest(format!(
            "{} documents in one batch; the limit is {}",
            batch.documents.len(),
            max_documents
        )));
    }
    batch
        .documents
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            Source::from_item(item, &(i + 1).to_string())
                .map_err(|e| Error::BadRequest(format!("document {}: {e}", i + 1)))
        })
        .collect()
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| Error::BadRequest(format!("invalid JSON body: {e}")))
}

/// What a route reads: the media types it takes, and how to say so when it gets another.
struct Accepts {
    types: &'static [&'static str],
    described: &'static str,
}

const SOURCE_TYPES: Accepts = Accepts {
    types: &["application/json", "multipart/form-data", "text/plain", "text/html"],
    described: "application/json, multipart/form-data (a file field), text/plain or text/html",
};

const BATCH_TYPES: Accepts = Accepts { types: &["application/json"], described: "application/json" };

/// The media type (lower case, without parameters), the request head and the whole body, within
/// the size and time limits. A type the route does not take is refused before a byte of the body
/// is read; a body over the limit, declared or counted, is refused with 413 and the rest of it is
/// drained in the background (see [`drain`]).
async fn read_body(request: Request, limits: &Limits, accepts: &Accepts) -> Result<(String, Parts, Bytes)> {
    let limit = limits.max_body_bytes;
    let kind = media_type(&request);
    if !accepts.types.contains(&kind.as_str()) {
        let got = if kind.is_empty() { "(none)".into() } else { kind };
        return Err(Error::UnsupportedMediaType { got, expected: accepts.described });
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|n| n.parse::<u64>().ok());
    let (parts, body) = request.into_parts();
    if declared.is_some_and(|n| n > limit as u64) {
        tokio::spawn(drain(body, limits.body_timeout, 0));
        return Err(Error::TooLarge { limit });
    }
    let bytes = limited_bytes(body, limit, limits.body_timeout).await?;
    Ok((kind, parts, bytes))
}

/// Reads and drops what a client still sends of a body that was refused, for at most `time` and
/// [`DRAIN_BYTES`] in all (`read` already read), so that the client gets to read the 413: a
/// connection closed with unread bytes in its receive buffer is reset, and the client then sees
/// the reset instead of the answer. The response is written meanwhile; past either bound the
/// body is dropped and the connection closed as before.
async fn drain(mut body: Body, time: Duration, mut read: usize) {
    use http_body_util::BodyExt;
    let _ = tokio::time::timeout(time, async {
        while read < DRAIN_BYTES {
            match body.frame().await {
                Some(Ok(frame)) => read += frame.data_ref().map_or(0, |d| d.len()),
                _ => break,
            }
        }
    })
    .await;
}

/// The most a refused body is read for nothing: enough for an upload a few times over the
/// default 10 MiB limit, bounded so that a claimed gigabyte costs no more than this.
const DRAIN_BYTES: usize = 64 << 20;

fn media_type(request: &Request) -> String {
    let raw = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    raw.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The body, whole, if it is at most `limit` bytes and arrives within `time`. One that grows past
/// the limit is drained like one whose declared length is over it.
async fn limited_bytes(mut body: Body, limit: usize, time: Duration) -> Result<Bytes> {
    use http_body_util::BodyExt;
    let started = tokio::time::Instant::now();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(time, async {
        loop {
            match body.frame().await {
                None => return Ok(true),
                Some(Err(e)) => return Err(Error::BadRequest(format!("reading the request body: {e}"))),
                Some(Ok(frame)) => {
                    if let Some(data) = frame.data_ref() {
                        if buf.len() + data.len() > limit {
                            return Ok(false);
                        }
                        buf.extend_from_slice(data);
                    }
                }
            }
        }
    });
    match read.await {
        Err(_) => Err(Error::SlowBody { seconds: time.as_secs() }),
        Ok(Err(e)) => Err(e),
        Ok(Ok(true)) => Ok(Bytes::from(buf)),
        Ok(Ok(false)) => {
            let left = time.saturating_sub(started.elapsed());
            tokio::spawn(drain(body, left, buf.len()));
            Err(Error::TooLarge { limit })
        }
    }
}

/// The one source of a `POST /v1/analyze` request, by content type. Public so that the request
/// parsing (JSON, multipart, raw bodies) can be fuzzed as a function (`crates/unspin-fuzz`).
pub async fn read_source(request: Request, limits: &Limits) -> Result<Source> {
    let (kind, parts, bytes) = read_body(request, limits, &SOURCE_TYPES).await?;
    let raw = |name: &str, kind| Source::Bytes {
        name: name.into(),
        id: "document".into(),
        bytes: bytes.clone(),
        kind,
    };
    match kind.as_str() {
        "application/json" => Source::from_item(parse_json(&bytes)?, "document"),
        "text/plain" => Ok(raw("request", Some(InputKind::Text))),
        "text/html" => Ok(raw("request", Some(InputKind::Html))),
        _ => {
            let request = Request::from_parts(parts, Body::from(bytes));
            let mut form = Multipart::from_request(request, &())
                .await
                .map_err(|e| Error::BadRequest(format!("bad multipart body: {}", e.body_text())))?;
            while let Some(field) = form
                .next_field()
                .await
                .map_err(|e| Error::BadRequest(format!("bad multipart body: {e}")))?
            {
                if field.name() != Some("file") {
                    continue;
                }
                // Only the last path component: the name is shown and becomes the id, nothing more.
                let name = field
                    .file_name()
                    .and_then(|n| n.rsplit(['/', '\\']).next())
                    .filter(|n| !n.is_empty())
                    .unwrap_or("upload")
                    .to_owned();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| Error::BadRequest(format!("bad multipart body: {e}")))?;
                let id = ingest::document_id(&ingest::Input::Path(PathBuf::from(&name)));
                return Ok(Source::Bytes {
                    name,
                    id,
                    bytes,
                    kind: None,
                });
            }
            Err(Error::BadRequest("the form has no \"file\" field".into()))
        }
    }
}

/// A source ready to read: bytes with how to read them, or why it could not be had.
enum Loaded {
    Bytes {
        name: String,
        id: String,
        bytes: Bytes,
        kind: Option<InputKind>,
    },
    Page {
        url: String,
        id: String,
        fetched: crate::fetch::Fetched,
    },
}

/// Fetch, analyse, write: the part shared by both routes. `single`: a fetch failure is the
/// answer (with its own status) rather than an entry in `errors`.
async fn run(
    app: &AppState,
    sources: Vec<Source>,
    output: Output,
    single: bool,
) -> Result<Response> {
    // The time limit covers the wait for a slot as well as the work.
    let deadline = Instant::now() + app.limits.timeout;
    let permit = app.admission.admit(app.limits.timeout).await?;
    let seconds = app.limits.timeout.as_secs();
    let left = deadline.saturating_duration_since(Instant::now());
    let work = async {
        let mut loaded = Vec::with_capacity(sources.len());
        for (i, source) in sources.into_iter().enumerate() {
            loaded.push(match source {
                Source::Bytes {
                    name,
                    id,
                    bytes,
                    kind,
                } => Ok(Loaded::Bytes {
                    name,
                    id,
                    bytes,
                    kind,
                }),
                Source::Url { url, id } => match app.fetcher.fetch(&url).await {
                    Ok(fetched) => {
                        let id = id.unwrap_or_else(|| {
                            if single {
                                "document".into()
                            } else {
                                (i + 1).to_string()
                            }
                        });
                        Ok(Loaded::Page { url, id, fetched })
                    }
                    Err(e) if single => return Err(e),
                    Err(e) => Err(unspin::Error::Io {
                        origin: Origin::record(&url, format!("document {}", i + 1)),
                        source: std::io::Error::other(e.to_string()),
                    }),
                },
            });
        }
        let app = app.clone();
        tokio::task::spawn_blocking(move || {
            // The slot is held until the work really ends, even if the client was already told
            // it timed out: a slot stands for a busy core, not for a waiting client.
            let _permit = permit;
            render(&app, loaded, &output, deadline, seconds)
        })
        .await
        .map_err(|e| Error::Internal(format!("the analysis task failed: {e}")))?
    };
    let (bytes, format) = match tokio::time::timeout(left, work).await {
        Ok(result) => result?,
        Err(_) => return Err(Error::Timeout { seconds }),
    };
    let content_type = match format {
        Format::Json | Format::LabelStudio => "application/json",
        Format::Jsonl => "application/x-ndjson",
        Format::Brat | Format::Semeval | Format::Text => "text/plain; charset=utf-8",
    };
    let mut response = Body::from(bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(response)
}

/// Reads every document, analyses it and writes it with the library's writer for `format`.
fn render(
    app: &AppState,
    loaded: Vec<std::result::Result<Loaded, unspin::Error>>,
    output: &Output,
    deadline: Instant,
    seconds: u64,
) -> Result<(Vec<u8>, Format)> {
    let opts = IngestOptions {
        kind: None,
        max_doc_bytes: app.limits.max_body_bytes as u64,
        ..IngestOptions::default()
    };
    let mut out = Vec::new();
    let mut summary = Summary::default();
    let mut first_error = None;
    {
        let writer_options = WriterOptions {
            color: false,
            tokens: output.tokens,
            out_dir: None,
        };
        let mut writer = report::writer(output.format, &mut out, &writer_options);
        let written = |e: std::io::Error| Error::Internal(format!("writing the output: {e}"));
        let mut documents = Vec::<std::result::Result<Pending, unspin::Error>>::new();
        for item in loaded {
            match item {
                Err(e) => documents.push(Err(e)),
                Ok(Loaded::Bytes {
                    name,
                    id,
                    bytes,
                    kind,
                }) => {
                    let opts = IngestOptions {
                        kind: kind.or(opts.kind),
                        ..opts.clone()
                    };
                    let raw = Box::new(Cursor::new(bytes));
                    match ingest::read_from(raw, PathBuf::from(&name), id, &opts) {
                        Ok(stream) => documents.extend(stream.take(app.limits.max_documents + 1)),
                        Err(e) => documents.push(Err(e)),
                    }
                }
                Ok(Loaded::Page { url, id, fetched }) => {
                    let origin = Origin::file(&url);
                    let final_url = fetched.url.clone();
                    documents.push(Ok(Pending::new(move || {
                        if fetched.plain_text {
                            let mut doc = ingest::text::document(&fetched.body, id, url, &origin)?;
                            doc.meta.url = Some(final_url);
                            Ok(doc)
                        } else {
                            ingest::html::document(
                                &fetched.body,
                                fetched.charset.as_deref(),
                                Some(&final_url),
                                id,
                                url,
                                &origin,
                                ingest::html::HtmlOptions::default(),
                            )
                        }
                    })));
                }
            }
        }
        if documents.len() > app.limits.max_documents {
            return Err(Error::Unprocessable(format!(
                "the request holds more than {} documents",
                app.limits.max_documents
            )));
        }
        for document in documents {
            if Instant::now() > deadline {
                return Err(Error::Timeout { seconds });
            }
            match document.and_then(Pending::load) {
                Ok(doc) => {
                    if output.format == Format::Brat && summary.documents == 1 {
                        return Err(Error::Unprocessable(
                            "brat output holds one document; ask for json for several".into(),
                        ));
                    }
                    let analysis = app
                        .pipeline
                        .analyze_with(doc, output.min_confidence)
                        .map_err(Error::Analysis)?;
                    summary.add(&analysis);
                    writer.document(&analysis).map_err(written)?;
                }
                Err(e) => {
                    summary.add_error();
                    writer.error(&e).map_err(written)?;
                    first_error.get_or_insert_with(|| e.to_string());
                }
            }
        }
        writer.finish(&summary).map_err(written)?;
    }
    if summary.documents == 0 {
        return Err(Error::Unprocessable(
            first_error.unwrap_or_else(|| "the request holds no document".into()),
        ));
    }
    Ok((out, output.format))
}

/// `GET /healthz`.
pub async fn healthz(State(app): State<AppState>) -> Json<serde_json::Value> {
    let detectors: Vec<&str> = app.pipeline.detectors().map(|d| d.name()).collect();
    let load = app.admission.load();
    Json(serde_json::json!({
        "status": "ok",
        "generator": GENERATOR,
        "schema_version": SCHEMA_VERSION,
        "detectors": detectors,
        "analysis_slots": load.slots,
        "analysis_slots_free": load.slots_free,
        "queue": load.queue,
        "queued": load.queued,
        "longest_wait_ms": load.longest_wait.as_millis() as u64,
        "refused_busy": load.refused,
    }))
}

/// `GET /openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}
