//! unspin's HTTP front end: a JSON API and a web page that highlights how an article persuades.
//!
//! Like the CLI it is a thin front end: it parses requests, hands documents to the library's
//! [`unspin::Pipeline`] and writes the results with the library's report writers, so the API
//! answers with exactly the JSON `unspin analyze --format json` prints.
//!
//! - [`admission`]: the analysis slots and the bounded queue in front of them;
//! - [`api`]: the routes `POST /v1/analyze`, `POST /v1/analyze/batch`, `GET /healthz`,
//!   `GET /openapi.json`;
//! - [`corpus`]: `GET /v1/corpus…`, the read-only view of an indexed database (`serve --db`);
//! - [`fetch`]: fetching articles by URL, within limits, refusing private addresses;
//! - [`page`]: the web page at `/`, its script and style sheet, embedded in the binary;
//! - [`error`]: the crate's error type and its JSON answers.
//!
//! [`Server::bind`] then [`Server::run`] (or [`Server::run_until`] inside a runtime) serve a
//! pipeline built by the caller, so the model is loaded once and shared by every request.

pub mod admission;
pub mod api;
pub mod corpus;
pub mod error;
pub mod fetch;
pub mod page;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{Method, Uri};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use unspin::corpus::Target;
use unspin::Pipeline;

pub use admission::Admission;
pub use error::{Error, Result};
pub use fetch::FetchLimits;

/// 127.0.0.1:8080: reachable from this machine only, unless told otherwise.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// What one request may cost.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest request body (and so largest upload or pasted text).
    pub max_body_bytes: usize,
    /// Longest a request may take, fetching included; the client gets a 504 past it.
    pub timeout: Duration,
    /// Analyses that run at once; requests beyond them wait in the queue.
    pub concurrency: usize,
    /// Requests that may wait for a slot; one more gets a 503 with `Retry-After`.
    pub queue: usize,
    /// Longest a request waits for a slot (less if its own `timeout` is nearer); a request
    /// expected to wait longer gets a 503 at once.
    pub max_wait: Duration,
    /// Longest the client may take to send its request body; a slower one gets a 408. The
    /// body is read before a slot is taken, so a slow client never holds one.
    pub body_timeout: Duration,
    /// Documents in one request (a batch, or a WARC or JSON Lines upload).
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 10 << 20,
            timeout: Duration::from_secs(60),
            concurrency: std::thread::available_parallelism().map_or(1, |n| n.get()),
            // A burst of 64 clients on a 2-core machine (0.3 s an analysis) waits about 10 s at
            // the back of the queue: served, not refused.
            queue: 64,
            max_wait: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_documents: 32,
        }
    }
}

impl Limits {
    /// Refuses limits no request could meet: no analysis slot, a zero timeout (every request
    /// would end in a 504), a zero body limit or no documents.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str| Err(Error::Setting(format!("{what} must be at least 1")));
        if self.concurrency == 0 {
            return bad("the concurrency limit");
        }
        if self.timeout.is_zero() {
            return bad("the timeout (in seconds; a zero timeout answers every request with 504)");
        }
        if self.max_body_bytes == 0 {
            return bad("the body limit (in bytes)");
        }
        if self.max_documents == 0 {
            return bad("the documents-per-request limit");
        }
        if self.body_timeout.is_zero() {
            return bad("the body timeout (in seconds)");
        }
        Ok(())
    }
}

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub limits: Limits,
    pub fetch: FetchLimits,
    /// The corpus database the `/v1/corpus` routes and the page's corpus view read, if any.
    pub corpus: Option<Target>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: DEFAULT_BIND.parse().expect("the default address is valid"),
            limits: Limits::default(),
            fetch: FetchLimits::default(),
            corpus: None,
        }
    }
}

/// What every handler shares: the pipeline (and its model), the fetcher, the limits and the
/// analysis slots with their queue.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub pipeline: Arc<Pipeline>,
    pub fetcher: fetch::Fetcher,
    pub limits: Limits,
    pub admission: Arc<Admission>,
    pub corpus: Option<Target>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(pipeline: Arc<Pipeline>, limits: Limits, fetch: FetchLimits) -> Result<Self> {
        limits.validate()?;
        let admission = Admission::new(limits.concurrency, limits.queue, limits.max_wait);
        Ok(AppState(Arc::new(Inner {
            pipeline,
            fetcher: fetch::Fetcher::new(fetch)?,
            limits,
            admission,
            corpus: None,
        })))
    }

    /// Serves the corpus at `target` too. It must open now (readable, not of a newer schema):
    /// a server that starts must be able to answer.
    pub fn with_corpus(self, target: Target) -> Result<Self> {
        unspin::corpus::open_read(&target).map_err(Error::Corpus)?;
        let inner = Arc::try_unwrap(self.0).map_err(|_| Error::Setting("the state is already shared".into()))?;
        Ok(AppState(Arc::new(Inner { corpus: Some(target), ..inner })))
    }
}

/// Every route. Errors, unknown paths, wrong methods and even panics answer JSON.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/assets/{file}", get(page::asset))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(api::openapi))
        .route("/v1/analyze", post(api::analyze))
        .route("/v1/analyze/batch", post(api::analyze_batch))
        .route("/v1/corpus", get(corpus::summary))
        .route("/v1/corpus/trends", get(corpus::trends_route))
        .route("/v1/corpus/documents", get(corpus::documents))
        .route("/v1/corpus/documents/{id}", get(corpus::document))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // The handlers enforce their own limit, with a JSON 413.
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            Error::Internal("the request could not be handled".into()).into_response()
        }))
        .with_state(state)
}

async fn not_found(uri: Uri) -> Error {
    Error::NotFound(uri.path().to_owned())
}

async fn method_not_allowed(method: Method) -> Error {
    Error::MethodNotAllowed(method.to_string())
}

/// A bound, not yet running server.
pub struct Server {
    listener: std::net::TcpListener,
    state: AppState,
}

impl Server {
    /// Binds `config.bind` (port 0 picks a free port; see [`Server::local_addr`]).
    pub fn bind(config: Config, pipeline: Arc<Pipeline>) -> Result<Self> {
        let io = |context: String| move |source| Error::Io { context, source };
        let listener = std::net::TcpListener::bind(config.bind)
            .map_err(io(format!("binding {}", config.bind)))?;
        listener
            .set_nonblocking(true)
            .map_err(io("setting up the socket".into()))?;
        let mut state = AppState::new(pipeline, config.limits, config.fetch)?;
        if let Some(target) = config.corpus {
            state = state.with_corpus(target)?;
        }
        Ok(Server { listener, state })
    }

    pub fn local_addr(&self) -> Result<SocketAddr> {
        self.listener.local_addr().map_err(|source| Error::Io {
            context: "reading the bound address".into(),
            source,
        })
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight. Needs a Tokio
    /// runtime.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<()> {
        let listener =
            tokio::net::TcpListener::from_std(self.listener).map_err(|source| Error::Io {
                context: "setting up the socket".into(),
                source,
            })?;
        axum::serve(listener, router(self.state))
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|source| Error::Io {
                context: "serving".into(),
                source,
            })
    }

    /// Serves until Ctrl-C (or SIGTERM), on a runtime of its own: for front ends that have none.
    pub fn run(self) -> Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|source| Error::Io {
                context: "starting the runtime".into(),
                source,
            })?;
        runtime.block_on(self.run_until(shutdown_signal()))
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, serve until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
