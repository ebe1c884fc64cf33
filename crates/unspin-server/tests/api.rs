//! The API against a real server on a random loopback port: every route, the limits, bad
//! requests, and URL fetching (refused private addresses; limits on what a site may send).
//!
//! The pipeline here runs a small word-list detector instead of the model, so each test knows
//! exactly which spans to expect and runs in milliseconds; the CLI's tests run `unspin serve`
//! with the real model.

use std::collections::BTreeSet;
use std::io::Cursor;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use reqwest::{header, Client, StatusCode};
use serde_json::{json, Value};
use unspin::detect::{Detector, Technique, TechniqueSpan};
use unspin::ingest::{self, IngestOptions, InputKind, Pending};
use unspin::report::{self, Format, Summary, WriterOptions};
use unspin::segment::Segmentation;
use unspin::{CharIndex, Document, Pipeline};
use unspin_server::{Config, FetchLimits, Limits, Server};

/// Marks every occurrence of a few words, each with its technique and confidence; optionally
/// sleeps first, to stand for a slow model.
struct Words {
    delay: Duration,
}

const WORDS: &[(&str, Technique, f32)] = &[
    ("corrupt", Technique::LoadedLanguage, 0.9),
    ("corrupt bureaucrats", Technique::NameCallingLabeling, 0.6),
    ("patriot", Technique::FlagWaving, 0.3),
];

impl Detector for Words {
    fn name(&self) -> &str {
        "words"
    }

    fn detect(
        &self,
        doc: &Document,
        segmentation: &Segmentation,
    ) -> unspin::Result<Vec<TechniqueSpan>> {
        std::thread::sleep(self.delay);
        let index = CharIndex::new(&doc.text);
        let mut spans = Vec::new();
        for &(word, technique, confidence) in WORDS {
            for (at, _) in doc.text.match_indices(word) {
                let Some(span) = index.span_from_bytes(at..at + word.len()) else {
                    continue;
                };
                spans.push(TechniqueSpan {
                    technique,
                    span,
                    text: word.to_owned(),
                    confidence,
                    sentence: segmentation.sentence_at(span.start),
                    detector: "words".into(),
                });
            }
        }
        Ok(spans)
    }
}

const ARTICLE: &str =
    "Harbour sold\n\nThe corrupt bureaucrats sold the harbour. Every true patriot knows it.\n";

const PAGE: &str = "<html><head><title>Harbour</title></head><body><article><p>The corrupt bureaucrats sold the \
                    harbour to foreign bankers behind closed doors, and nobody in the capital will say why.</p>\
                    <p>Every true patriot knows what this means for the port towns and their workers.</p></article>\
                    </body></html>";

struct Running {
    base: String,
    client: Client,
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn post_json(
        &self,
        path: &str,
        body: Value,
    ) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let r = self
            .client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }

    /// A POST of `body` as `content_type` (a multipart form, say).
    async fn post_body(&self, path: &str, content_type: String, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn get(&self, path: &str) -> (StatusCode, reqwest::header::HeaderMap, String) {
        let r = self.client.get(self.url(path)).send().await.unwrap();
        (r.status(), r.headers().clone(), r.text().await.unwrap())
    }
}

fn pipeline(delay: Duration) -> Arc<Pipeline> {
    Arc::new(Pipeline::new().with_detector(Words { delay }))
}

async fn start_with(limits: Limits, fetch: FetchLimits, delay: Duration) -> Running {
    start_config(Config { bind: "127.0.0.1:0".parse().unwrap(), limits, fetch, corpus: None }, delay).await
}

async fn start_config(config: Config, delay: Duration) -> Running {
    let server = Server::bind(config, pipeline(delay)).unwrap();
    let addr = server.local_addr().unwrap();
    tokio::spawn(server.run_until(std::future::pending()));
    Running {
        base: format!("http://{addr}"),
        client: Client::new(),
    }
}

async fn start() -> Running {
    start_with(Limits::default(), FetchLimits::default(), Duration::ZERO).await
}

/// Three stories from two outlets, analysed by the word-list pipeline and stored in an SQLite
/// corpus in `dir`.
const STORIES: [(&str, &str, &str); 3] = [
    ("a.example", "2024-01-05", "The corrupt bureaucrats sold the harbour. Every true patriot knows it."),
    ("a.example", "2024-02-11", "The council met on Tuesday and approved the budget for the coming year."),
    ("b.example", "2024-01-20", "A corrupt deal, a corrupt minister, and one patriot who says so in the square."),
];

fn corpus_in(dir: &std::path::Path) -> unspin::corpus::Target {
    use unspin::corpus::{content_hash, ModelId, RecordKey, Store, Target};
    let target = Target::Sqlite(dir.join("corpus.sqlite"));
    let pipeline = pipeline(Duration::ZERO);
    let mut store = Store::open(&target).unwrap();
    for (i, (outlet, date, text)) in STORIES.into_iter().enumerate() {
        let meta = unspin::Metadata {
            url: Some(format!("https://{outlet}/story/{i}")),
            date: Some(date.to_owned()),
            title: Some(format!("Story {i}")),
            ..unspin::Metadata::default()
        };
        let analysis = pipeline.analyze(Document::new(format!("story{i}"), text, meta)).unwrap();
        let key = RecordKey { source: "stories.jsonl".into(), record: i as u64 };
        store.put(&key, &content_hash(&analysis.document), &ModelId::none("test"), &analysis).unwrap();
    }
    store.finish().unwrap();
    target
}

async fn start_with_corpus(target: unspin::corpus::Target) -> Running {
    let config = Config { bind: "127.0.0.1:0".parse().unwrap(), corpus: Some(target), ..Config::default() };
    start_config(config, Duration::ZERO).await
}

/// The error message of a JSON error body, checking its shape and status on the way.
fn error_message(status: StatusCode, body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
    assert_eq!(v["error"]["status"], status.as_u16(), "{body}");
    let message = v["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        !message.contains("panicked") && !message.contains("src/"),
        "no internals: {message}"
    );
    message
}

fn span_texts(doc: &Value) -> Vec<(String, String)> {
    doc["spans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["technique"].as_str().unwrap().to_owned(),
                s["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What the library's JSON writer (the one `unspin analyze --format json` uses) writes for
/// `bytes` read as a file called `name`.
fn written_by_the_library(bytes: &[u8], name: &str, id: &str, kind: Option<InputKind>) -> String {
    let pipeline = pipeline(Duration::ZERO);
    let opts = IngestOptions {
        kind,
        ..IngestOptions::default()
    };
    let docs = ingest::read_from(
        Box::new(Cursor::new(bytes.to_vec())),
        PathBuf::from(name),
        id.to_owned(),
        &opts,
    )
    .unwrap();
    let mut out = Vec::new();
    {
        let mut writer = report::writer(Format::Json, &mut out, &WriterOptions::default());
        let mut summary = Summary::default();
        for doc in docs {
            let analysis = pipeline
                .analyze(doc.and_then(Pending::load).unwrap())
                .unwrap();
            summary.add(&analysis);
            writer.document(&analysis).unwrap();
        }
        writer.finish(&summary).unwrap();
    }
    String::from_utf8(out).unwrap()
}

fn multipart(name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "unspin-test-boundary-7d1f";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn healthz_names_the_detectors() {
    let s = start().await;
    let (status, headers, body) = s.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["status"], "ok");
    assert_eq!(v["detectors"], json!(["words"]));
    assert_eq!(v["schema_version"], report::SCHEMA_VERSION);
}

#[tokio::test]
async fn analyze_text_answers_what_the_cli_writer_writes() {
    let s = start().await;
    let (status, headers, body) = s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["schema_version"], report::SCHEMA_VERSION);
    let doc = &v["documents"][0];
    assert_eq!(doc["text"], ARTICLE);
    assert_eq!(doc["id"], "document");
    assert_eq!(doc["meta"]["title"], "Harbour sold");
    assert_eq!(
        span_texts(doc),
        [
            ("Loaded_Language".to_owned(), "corrupt".to_owned()),
            (
                "Name_Calling,Labeling".to_owned(),
                "corrupt bureaucrats".to_owned()
            ),
            ("Flag-Waving".to_owned(), "patriot".to_owned()),
        ]
    );
    // Byte for byte what the report module writes for the same input.
    assert_eq!(
        body,
        written_by_the_library(
            ARTICLE.as_bytes(),
            "request",
            "document",
            Some(InputKind::Text)
        )
    );
    // A chosen id is kept.
    let (_, _, body) = s
        .post_json("/v1/analyze", json!({ "text": ARTICLE, "id": "harbour-1" }))
        .await;
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["documents"][0]["id"],
        "harbour-1"
    );
}

#[tokio::test]
async fn formats_come_from_the_report_writers() {
    let s = start().await;
    let (status, headers, body) = s
        .post_json("/v1/analyze?format=labelstudio", json!({ "text": ARTICLE }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let tasks: Value = serde_json::from_str(&body).unwrap();
    let result = tasks[0]["predictions"][0]["result"].as_array().unwrap();
    let techniques: Vec<&Value> = result.iter().filter(|r| r["from_name"] == "technique").collect();
    assert_eq!(techniques.len(), 3);
    assert_eq!(result[0]["value"]["labels"][0], "Loaded_Language");
    assert_eq!(result[0]["value"]["text"], "corrupt");
    // The claims stage's regions follow: both sentences are claims resting on no source.
    let claims: Vec<(&str, &str)> = result[3..]
        .iter()
        .map(|r| (r["value"]["labels"][0].as_str().unwrap(), r["value"]["text"].as_str().unwrap()))
        .collect();
    assert_eq!(
        claims,
        [
            ("Unattributed claim", "The corrupt bureaucrats sold the harbour."),
            ("Unattributed claim", "Every true patriot knows it.")
        ]
    );

    let (status, headers, body) = s
        .post_json("/v1/analyze?format=brat", json!({ "text": ARTICLE }))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let first = body.lines().next().unwrap();
    let fields: Vec<&str> = first.split('\t').collect();
    assert_eq!(fields[0], "T1");
    assert!(fields[1].starts_with("Loaded_Language "), "{first}");
    assert_eq!(fields[2], "corrupt");

    let (status, _, body) = s
        .post_json(
            "/v1/analyze?format=semeval",
            json!({ "text": ARTICLE, "id": "7" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.lines().next().unwrap(), "7\tLoaded_Language\t18\t25");

    let (status, _, body) = s
        .post_json("/v1/analyze?format=pdf", json!({ "text": ARTICLE }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(status, &body).contains("unknown format \"pdf\""));
}

#[tokio::test]
async fn min_confidence_filters_before_counting() {
    let s = start().await;
    let (status, _, body) = s
        .post_json("/v1/analyze?min_confidence=0.5", json!({ "text": ARTICLE }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).unwrap();
    let techniques: Vec<String> = span_texts(&v["documents"][0])
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    assert_eq!(techniques, ["Loaded_Language", "Name_Calling,Labeling"]);
    assert_eq!(v["documents"][0]["stats"]["spans"], 2);
    for bad in ["1.5", "-1", "lots"] {
        let (status, _, body) = s
            .post_json(
                &format!("/v1/analyze?min_confidence={bad}"),
                json!({ "text": "x" }),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        error_message(status, &body);
    }
    let (status, _, body) = s
        .post_json("/v1/analyze?colour=red", json!({ "text": "x" }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(status, &body).contains("colour"));
}

#[tokio::test]
async fn html_raw_bodies_and_uploads_are_read_like_files() {
    let s = start().await;
    let (status, _, body) = s.post_json("/v1/analyze", json!({ "html": PAGE })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["documents"][0]["meta"]["format"], "html");
    assert!(!v["documents"][0]["text"].as_str().unwrap().contains('<'));
    assert_eq!(span_texts(&v["documents"][0]).len(), 3);

    let r = s
        .client
        .post(s.url("/v1/analyze"))
        .header("content-type", "text/plain; charset=utf-8")
        .body(ARTICLE)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["documents"][0]["text"], ARTICLE);

    // An upload: the name gives the id (PTC style) and the format.
    let (content_type, form) = multipart("article9001.txt", ARTICLE.as_bytes());
    let r = s.post_body("/v1/analyze", content_type, form).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert_eq!(
        body,
        written_by_the_library(ARTICLE.as_bytes(), "article9001.txt", "9001", None)
    );
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["documents"][0]["id"], "9001");
    assert_eq!(v["documents"][0]["meta"]["source"], "article9001.txt");

    // A JSON Lines upload holds several documents; a bad line is listed, the others analysed.
    let lines = "{\"id\": \"a\", \"text\": \"A corrupt deal.\"}\nnot json\n{\"id\": \"b\", \"text\": \"Patriot games.\"}\n";
    let (content_type, form) = multipart("../../etc/dump.jsonl", lines.as_bytes());
    let r = s.post_body("/v1/analyze", content_type, form).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    let ids: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(
        v["errors"][0]["source"], "dump.jsonl",
        "only the file name is kept"
    );
    assert_eq!(v["errors"][0]["record"], "line 2");
    assert_eq!(v["summary"]["errors"], 1);

    let (content_type, form) = multipart("x.txt", b"");
    let form = String::from_utf8(form)
        .unwrap()
        .replace("name=\"file\"", "name=\"other\"");
    let r = s.post_body("/v1/analyze", content_type, form).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(error_message(r.status(), &r.text().await.unwrap()).contains("\"file\""));
}

#[tokio::test]
async fn batch_analyses_each_document_and_lists_failures() {
    let s = start().await;
    let body = json!({ "documents": [
        { "text": ARTICLE },
        { "text": "   " },
        { "html": PAGE, "id": "page" },
        { "url": "http://127.0.0.1:9/private" },
    ]});
    let (status, _, text) = s.post_json("/v1/analyze/batch", body).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1", "page"]);
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("empty document"),
        "{errors:?}"
    );
    assert_eq!(errors[1]["record"], "document 4");
    assert!(
        errors[1]["message"].as_str().unwrap().contains("private"),
        "{errors:?}"
    );
    assert_eq!(v["summary"]["documents"], 2);
    assert_eq!(v["summary"]["errors"], 2);

    let (status, _, text) = s
        .post_json("/v1/analyze/batch", json!({ "documents": [] }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    error_message(status, &text);
    let many: Vec<Value> = (0..40).map(|_| json!({ "text": "x" })).collect();
    let (status, _, text) = s
        .post_json("/v1/analyze/batch", json!({ "documents": many }))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(status, &text).contains("limit is 32"));
    let (status, _, text) = s
        .post_json(
            "/v1/analyze/batch",
            json!({ "documents": [{ "text": "a", "url": "http://x" }] }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message(status, &text).starts_with("document 1: give exactly one of"));
    let r = s
        .client
        .post(s.url("/v1/analyze/batch"))
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // The batch route reads JSON only, and says so.
    let message = error_message(status, &r.text().await.unwrap());
    assert!(message.ends_with("send application/json"), "{message}");
    // Several documents cannot be one brat file.
    let two = json!({ "documents": [{ "text": ARTICLE }, { "text": ARTICLE }] });
    let (status, _, text) = s.post_json("/v1/analyze/batch?format=brat", two).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_message(status, &text).contains("brat"));
}

#[tokio::test]
async fn bad_requests_get_json_errors() {
    let s = start().await;
    let post = |body: &'static str, content_type: Option<&'static str>| {
        let mut r = s.client.post(s.url("/v1/analyze")).body(body);
        if let Some(t) = content_type {
            r = r.header("content-type", t);
        }
        r.send()
    };
    let cases: &[(&str, Option<&str>, StatusCode, &str)] = &[
        (
            "{\"text\": ",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "invalid JSON body",
        ),
        (
            "[1, 2]",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "invalid JSON body",
        ),
        (
            "{\"txt\": \"hi\"}",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "unknown field `txt`",
        ),
        (
            "{\"text\": 5}",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "invalid type",
        ),
        (
            "{}",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "exactly one of",
        ),
        (
            "{\"text\": \"a\", \"id\": \" \"}",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "\"id\" is empty",
        ),
        (
            "{\"text\": \"a\", \"html\": \"b\"}",
            Some("application/json"),
            StatusCode::BAD_REQUEST,
            "exactly one of",
        ),
        (
            "<doc/>",
            Some("application/xml"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "application/xml",
        ),
        ("text", None, StatusCode::UNSUPPORTED_MEDIA_TYPE, "(none)"),
        (
            "--x\r\n",
            Some("multipart/form-data"),
            StatusCode::BAD_REQUEST,
            "multipart",
        ),
        (
            "{\"text\": \"  \\n \"}",
            Some("application/json"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty document",
        ),
        (
            "{\"html\": \"<html><body></body></html>\"}",
            Some("application/json"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no article text",
        ),
    ];
    for &(body, content_type, status, needle) in cases {
        let r = post(body, content_type).await.unwrap();
        assert_eq!(r.status(), status, "{body}");
        assert!(r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        let message = error_message(status, &r.text().await.unwrap());
        assert!(message.contains(needle), "{body}: {message}");
    }
    let (status, _, body) = s.get("/v1/analyze").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(error_message(status, &body).contains("GET"));
    let (status, _, body) = s.get("/v2/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error_message(status, &body).contains("/v2/nothing"));
}

#[test]
fn limits_no_request_could_meet_are_refused_at_start() {
    let base = Limits::default();
    for (limits, what) in [
        (Limits { timeout: Duration::ZERO, ..base.clone() }, "timeout"),
        (Limits { concurrency: 0, ..base.clone() }, "concurrency"),
        (Limits { max_body_bytes: 0, ..base.clone() }, "body limit"),
        (Limits { max_documents: 0, ..base.clone() }, "documents"),
        (Limits { body_timeout: Duration::ZERO, ..base.clone() }, "body timeout"),
    ] {
        let err = limits.validate().unwrap_err().to_string();
        assert!(err.contains(what) && err.contains("at least 1"), "{err}");
        let config = Config { bind: "127.0.0.1:0".parse().unwrap(), limits, fetch: FetchLimits::default(), corpus: None };
        assert!(Server::bind(config, pipeline(Duration::ZERO)).is_err(), "{what}");
    }
    assert!(base.validate().is_ok());
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let limits = Limits {
        max_body_bytes: 1000,
        ..Limits::default()
    };
    let s = start_with(limits, FetchLimits::default(), Duration::ZERO).await;
    let big = "corrupt ".repeat(200);
    let (status, _, body) = s.post_json("/v1/analyze", json!({ "text": big })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_message(status, &body).contains("1000 bytes"));
    let (content_type, form) = multipart("big.txt", big.as_bytes());
    let r = s.post_body("/v1/analyze", content_type, form).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _, body) = s
        .post_json("/v1/analyze/batch", json!({ "documents": [{ "text": big }] }))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(error_message(status, &body).contains("1000 bytes"));
    // Just under the limit is fine.
    let (status, _, _) = s
        .post_json("/v1/analyze", json!({ "text": "corrupt ".repeat(100) }))
        .await;
    assert_eq!(status, StatusCode::OK);
}

/// Sends `head` and then `body` in pieces, as a client that does not wait for an early answer, and
/// returns the answer the server wrote, or the error sending or reading (a reset).
async fn send_whole_then_read(addr: &str, head: String, body: &[u8]) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(head.as_bytes()).await?;
    // A server that closes while the client is still sending makes the write fail with a reset
    // (most clients then report that, not the answer): the whole body must go through.
    for piece in body.chunks(16 << 10) {
        stream.write_all(piece).await?;
    }
    // One whole answer (head and the body its Content-Length gives), as a client reads it; the
    // connection may stay open after it.
    let mut answer = Vec::new();
    let complete = |a: &[u8]| {
        let text = String::from_utf8_lossy(a);
        let Some(end) = text.find("\r\n\r\n") else { return false };
        let length = text[..end]
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().parse::<usize>()))
            .and_then(|n| n.ok())
            .unwrap_or(0);
        a.len() >= end + 4 + length
    };
    let read = async {
        let mut buf = [0u8; 4096];
        while !complete(&answer) {
            let n = stream.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
        }
        Ok::<_, std::io::Error>(())
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .map_err(|_| std::io::Error::other("no answer in 10 s"))??;
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_still_sending_an_oversized_body_reads_the_413_not_a_reset() {
    let limits = Limits {
        max_body_bytes: 1000,
        ..Limits::default()
    };
    let s = start_with(limits, FetchLimits::default(), Duration::ZERO).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let body = vec![b'x'; 16 << 20];
    // Declared too long: refused before the body is read, which is then drained.
    let head = format!(
        "POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let answer = send_whole_then_read(&addr, head, &body).await.expect("an answer, not a reset");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("1000 bytes"), "{answer}");
    // No length declared: the limit is found while reading, and the rest is drained the same way.
    let mut chunked = Vec::new();
    for piece in body.chunks(4096) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let head = "POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_owned();
    let answer = send_whole_then_read(&addr, head, &chunked).await.expect("an answer, not a reset");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    // The server is still there for the next client.
    let (status, _, _) = s.post_json("/v1/analyze", json!({ "text": "A short text." })).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_queue_a_request_finding_every_slot_busy_gets_503_at_once() {
    let limits = Limits {
        concurrency: 1,
        queue: 0,
        ..Limits::default()
    };
    let s = Arc::new(start_with(limits, FetchLimits::default(), Duration::from_millis(2500)).await);
    let first = {
        let s = Arc::clone(&s);
        tokio::spawn(async move { s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await })
    };
    // Time for the first request to take the only slot, even on a loaded machine.
    tokio::time::sleep(Duration::from_millis(700)).await;
    let asked = Instant::now();
    let (status, headers, body) = s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        asked.elapsed() < Duration::from_millis(1500),
        "refused without waiting"
    );
    // No analysis has ended yet, so no estimate: the shortest retry.
    assert_eq!(headers[header::RETRY_AFTER], "1");
    assert!(error_message(status, &body).contains("busy"));
    // The batch route is admitted the same way.
    let (status, _, _) = s
        .post_json("/v1/analyze/batch", json!({ "documents": [{ "text": ARTICLE }] }))
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    // Health checks are not analyses: they still answer, and count the refusals.
    let (status, _, health) = s.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["analysis_slots_free"], 0);
    assert_eq!(health["refused_busy"], 2);
    let (status, _, _) = first.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    // The slot is free again.
    assert_eq!(
        s.post_json("/v1/analyze", json!({ "text": "x" })).await.0,
        StatusCode::OK
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_beyond_the_slots_waits_in_the_queue_and_is_served() {
    let limits = Limits {
        concurrency: 1,
        ..Limits::default()
    };
    let s = Arc::new(start_with(limits, FetchLimits::default(), Duration::from_millis(150)).await);
    let burst: Vec<_> = (0..6)
        .map(|i| {
            let s = Arc::clone(&s);
            tokio::spawn(async move {
                if i % 2 == 0 {
                    s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await
                } else {
                    s.post_json("/v1/analyze/batch", json!({ "documents": [{ "text": ARTICLE }] }))
                        .await
                }
            })
        })
        .collect();
    for r in burst {
        let (status, _, body) = r.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("corrupt bureaucrats"), "{body}");
    }
    let health: Value = serde_json::from_str(&s.get("/healthz").await.2).unwrap();
    assert_eq!(health["queued"], 0);
    assert_eq!(health["queue"], 64);
    assert_eq!(health["refused_busy"], 0);
    // Six analyses of 150 ms through one slot: the last waited for most of the others.
    assert!(health["longest_wait_ms"].as_u64().unwrap() >= 300, "{health}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_that_would_wait_longer_than_max_wait_gets_503_with_the_expected_wait() {
    let limits = Limits {
        concurrency: 1,
        max_wait: Duration::from_millis(400),
        ..Limits::default()
    };
    let s = Arc::new(start_with(limits, FetchLimits::default(), Duration::from_millis(1200)).await);
    // One analysis ends first, so the server knows how long one takes.
    assert_eq!(s.post_json("/v1/analyze", json!({ "text": "x" })).await.0, StatusCode::OK);
    let first = {
        let s = Arc::clone(&s);
        tokio::spawn(async move { s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    let (status, headers, body) = s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(asked.elapsed() < Duration::from_millis(300), "refused at once, not after waiting");
    // 1.2 s an analysis, rounded up.
    assert_eq!(headers[header::RETRY_AFTER], "2");
    assert_eq!(first.await.unwrap().0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_too_slowly_gets_408_without_holding_a_slot() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = Limits {
        concurrency: 1,
        queue: 0,
        body_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let s = start_with(limits, FetchLimits::default(), Duration::ZERO).await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(
        b"POST /v1/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nThe",
    )
    .await
    .unwrap();
    // While that body trickles, the only slot is free for others.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await.0, StatusCode::OK);
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_past_the_time_limit_gets_504() {
    let limits = Limits {
        timeout: Duration::from_millis(300),
        concurrency: 1,
        ..Limits::default()
    };
    let s = start_with(limits, FetchLimits::default(), Duration::from_millis(1500)).await;
    let asked = Instant::now();
    let (status, _, body) = s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert!(
        asked.elapsed() < Duration::from_millis(1000),
        "answered at the limit, not when the work ended"
    );
    assert!(error_message(status, &body).contains("longer than the limit"));
    // The abandoned analysis still runs, and still holds its slot: the server does not take on
    // more work than it has slots for, whatever clients gave up on. The next request waits for
    // it no longer than its own time limit, then is told the server is busy.
    let (status, _, _) = s.post_json("/v1/analyze", json!({ "text": ARTICLE })).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn urls_to_private_addresses_are_refused() {
    let s = start().await;
    // The test server itself is on loopback: the very thing SSRF protection must not reach.
    let own = s.url("/healthz");
    for url in [
        own.as_str(),
        "http://localhost:9/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
    ] {
        let (status, _, body) = s.post_json("/v1/analyze", json!({ "url": url })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        let message = error_message(status, &body);
        assert!(
            message.starts_with("refusing to fetch") && message.contains("private"),
            "{message}"
        );
    }
    for url in ["file:///etc/passwd", "ftp://example.com/x", "not a url"] {
        let (status, _, body) = s.post_json("/v1/analyze", json!({ "url": url })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert!(error_message(status, &body).starts_with("refusing to fetch"));
    }
}

/// A little site on loopback for the fetch tests.
async fn site() -> SocketAddr {
    let page = "<html><head><title>Harbour</title><link rel=\"canonical\" href=\"https://news.example/harbour\"></head>\
                <body><article><p>The corrupt bureaucrats sold the harbour to foreign bankers behind closed doors, and \
                nobody in the capital will say why they did it.</p><p>Every true patriot knows what this means for \
                the port towns and for the workers who live there.</p></article></body></html>";
    let app = axum::Router::new()
        .route(
            "/article",
            get(move || async move { ([("content-type", "text/html; charset=utf-8")], page) }),
        )
        .route(
            "/notes.txt",
            get(|| async { ([("content-type", "text/plain")], "A corrupt deal.\n") }),
        )
        .route("/moved", get(|| async { Redirect::temporary("/article") }))
        .route("/loop", get(|| async { Redirect::temporary("/loop") }))
        .route(
            "/image",
            get(|| async {
                (
                    [("content-type", "image/png")],
                    vec![0x89u8, b'P', b'N', b'G'],
                )
            }),
        )
        .route(
            "/big",
            get(|| async { ([("content-type", "text/html")], "<p>x</p>".repeat(20_000)) }),
        )
        .route(
            "/missing",
            get(|| async { (axum::http::StatusCode::NOT_FOUND, "gone").into_response() }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[tokio::test]
async fn urls_are_fetched_within_limits_when_private_ones_are_allowed() {
    let fetch = FetchLimits {
        allow_private: true,
        max_bytes: 100_000,
        max_redirects: 3,
        ..FetchLimits::default()
    };
    let s = start_with(Limits::default(), fetch, Duration::ZERO).await;
    let site = site().await;
    let url = |path: &str| format!("http://{site}{path}");

    let (status, _, body) = s
        .post_json("/v1/analyze", json!({ "url": url("/moved") }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["meta"]["title"], "Harbour");
    assert_eq!(doc["meta"]["source"], url("/moved"));
    assert!(
        doc["text"]
            .as_str()
            .unwrap()
            .starts_with("The corrupt bureaucrats"),
        "{}",
        doc["text"]
    );
    assert_eq!(span_texts(doc).len(), 3);

    let (status, _, body) = s
        .post_json("/v1/analyze", json!({ "url": url("/notes.txt") }))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["documents"][0]["text"], "A corrupt deal.\n");
    assert_eq!(v["documents"][0]["meta"]["url"], url("/notes.txt"));

    for (path, needle) in [
        ("/image", "image/png"),
        ("/big", "larger than the limit of 100000 bytes"),
        ("/missing", "404"),
        ("/loop", "redirects"),
    ] {
        let (status, _, body) = s
            .post_json("/v1/analyze", json!({ "url": url(path) }))
            .await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{path}: {body}");
        let message = error_message(status, &body);
        assert!(
            message.starts_with(&format!("fetching {}", url(path))) && message.contains(needle),
            "{message}"
        );
    }
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let s = start().await;
    let (status, headers, body) = s.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(body.contains("<script src=\"/assets/app.js\"") && body.contains("/assets/style.css"));
    for remote in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
        assert!(
            !body.contains(remote),
            "no CDN: everything is served from here ({remote})"
        );
    }
    let (status, headers, script) = s.get("/assets/app.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    // The article is hostile input: the page must never parse strings as HTML.
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!script.contains(sink), "app.js uses {sink}");
    }
    let (status, headers, _) = s.get("/assets/style.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let (status, _, body) = s.get("/assets/../Cargo.toml").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    error_message(status, &body);
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_served() {
    let dir = tempfile::tempdir().unwrap();
    let s = start_with_corpus(corpus_in(dir.path())).await;
    let (status, headers, body) = s.get("/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let documented: BTreeSet<&str> = paths.keys().map(String::as_str).collect();
    let served = BTreeSet::from([
        "/",
        "/assets/{file}",
        "/healthz",
        "/openapi.json",
        "/v1/analyze",
        "/v1/analyze/batch",
        "/v1/corpus",
        "/v1/corpus/documents",
        "/v1/corpus/documents/{id}",
        "/v1/corpus/trends",
    ]);
    assert_eq!(documented, served);
    // Every documented operation exists on the server with that method (not 404 or 405), and
    // every other method on the path is refused.
    for (path, item) in paths {
        let concrete = path.replace("{file}", "app.js").replace("{id}", "1");
        for method in ["get", "post", "put", "delete"] {
            let request = s
                .client
                .request(method.to_uppercase().parse().unwrap(), s.url(&concrete));
            let request = match (method, path.as_str()) {
                ("post", "/v1/analyze/batch") => {
                    request.json(&json!({ "documents": [{ "text": ARTICLE }] }))
                }
                ("post", _) => request.json(&json!({ "text": ARTICLE })),
                _ => request,
            };
            let status = request.send().await.unwrap().status();
            if item.get(method).is_some() {
                assert!(status.is_success(), "{method} {path}: {status}");
            } else {
                assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            }
        }
    }
    // The documented error statuses include the ones the limits produce.
    let responses = doc["paths"]["/v1/analyze"]["post"]["responses"]
        .as_object()
        .unwrap();
    for code in ["400", "408", "413", "415", "422", "502", "503", "504"] {
        assert!(responses.contains_key(code), "{code}");
    }
}

#[tokio::test]
async fn the_corpus_routes_read_what_index_stored() {
    use unspin::corpus::trends::{self, Filter, GroupBy};
    let dir = tempfile::tempdir().unwrap();
    let target = corpus_in(dir.path());
    let s = start_with_corpus(target.clone()).await;

    let (status, _, body) = s.get("/v1/corpus").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let summary: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(summary["documents"], 3);
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["outlets"], json!(["a.example", "b.example"]));
    assert_eq!(summary["months"], json!(["2024-01", "2024-02"]));
    assert_eq!(summary["techniques"][0], "Loaded_Language");

    // Trends: exactly the library's rows, as `unspin trends --format json` prints them.
    for (by, query) in [(GroupBy::Outlet, "outlet"), (GroupBy::Month, "month"), (GroupBy::Technique, "technique"), (GroupBy::OutletMonth, "outlet,month")] {
        let (status, _, body) = s.get(&format!("/v1/corpus/trends?by={query}&since=2024-01")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let got: Value = serde_json::from_str(&body).unwrap();
        let filter = Filter { since: Some("2024-01".into()), ..Filter::default() };
        let want = trends::query(&mut unspin::corpus::open_read(&target).unwrap(), by, &filter).unwrap();
        assert_eq!(got["rows"], serde_json::to_value(&want).unwrap(), "{query}");
        assert_eq!(got["by"], query);
    }
    let (_, _, body) = s.get("/v1/corpus/trends?by=outlet&technique=Flag-Waving&outlet=b.example").await;
    let rows: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(rows["rows"].as_array().unwrap().len(), 1);
    assert_eq!(rows["rows"][0]["spans"], 1);

    // Documents: sorted and paged in SQL.
    let (status, _, body) = s.get("/v1/corpus/documents?sort=spans&order=desc&limit=2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 3);
    let docs = page["documents"].as_array().unwrap();
    assert_eq!(docs.iter().map(|d| d["doc_id"].as_str().unwrap()).collect::<Vec<_>>(), ["story2", "story0"]);
    assert_eq!(docs[0]["spans"], 3); // corrupt ×2, patriot
    assert_eq!(docs[0]["has_report"], true);
    let (_, _, body) = s.get("/v1/corpus/documents?technique=Name_Calling,Labeling").await;
    let page: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 1);
    assert_eq!(page["documents"][0]["doc_id"], "story0");

    // One document: what /v1/analyze answers for the same text, without analysing again.
    let id = docs[1]["id"].as_i64().unwrap();
    let (status, _, body) = s.get(&format!("/v1/corpus/documents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let stored: Value = serde_json::from_str(&body).unwrap();
    let record = &stored["documents"][0];
    assert_eq!(record["text"], STORIES[0].2);
    let (_, _, fresh) = s.post_json("/v1/analyze", json!({ "text": STORIES[0].2 })).await;
    let fresh: Value = serde_json::from_str(&fresh).unwrap();
    assert_eq!(record["spans"], fresh["documents"][0]["spans"]);
    assert_eq!(record["claims"]["sentences"], fresh["documents"][0]["claims"]["sentences"]);
    let texts: Vec<&str> = record["spans"].as_array().unwrap().iter().map(|sp| sp["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["corrupt", "corrupt bureaucrats", "patriot"]);
    assert_eq!(stored["schema_version"], unspin::report::SCHEMA_VERSION);

    // Bad requests say what is wrong.
    for (path, status_want, says) in [
        ("/v1/corpus/trends?by=planet", StatusCode::BAD_REQUEST, "expected outlet, technique, month"),
        ("/v1/corpus/trends?since=last-week", StatusCode::BAD_REQUEST, "not a date"),
        ("/v1/corpus/trends?technique=Shouting", StatusCode::BAD_REQUEST, "unknown technique"),
        ("/v1/corpus/trends?sort=spans", StatusCode::BAD_REQUEST, "belong to /v1/corpus/documents"),
        ("/v1/corpus/documents?sort=loudness", StatusCode::BAD_REQUEST, "expected one of date"),
        ("/v1/corpus/documents?order=up", StatusCode::BAD_REQUEST, "expected asc or desc"),
        ("/v1/corpus/documents?limit=0", StatusCode::BAD_REQUEST, "between 1 and 500"),
        ("/v1/corpus/documents?colour=red", StatusCode::BAD_REQUEST, "bad query parameters"),
        ("/v1/corpus/documents/abc", StatusCode::BAD_REQUEST, "not a document id"),
        ("/v1/corpus/documents/999999", StatusCode::NOT_FOUND, "no such document"),
    ] {
        let (status, _, body) = s.get(path).await;
        let message = error_message(status, &body);
        assert_eq!(status, status_want, "{path}: {body}");
        assert!(message.contains(says), "{path}: {message}");
    }
}

#[tokio::test]
async fn without_a_database_the_corpus_routes_say_how_to_get_one() {
    let s = start().await;
    for path in ["/v1/corpus", "/v1/corpus/trends", "/v1/corpus/documents", "/v1/corpus/documents/1"] {
        let (status, _, body) = s.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(error_message(status, &body).contains("unspin serve --db"), "{path}: {body}");
    }
    // A database that cannot be read stops the server before it listens.
    let dir = tempfile::tempdir().unwrap();
    let config = Config { corpus: Some(unspin::corpus::Target::Sqlite(dir.path().join("missing.sqlite"))), ..Config::default() };
    let err = Server::bind(Config { bind: "127.0.0.1:0".parse().unwrap(), ..config }, pipeline(Duration::ZERO)).err().unwrap();
    assert!(err.to_string().contains("no such database file"), "{err}");
}
