//! The server crate's one error type, and how each error is answered over HTTP.
//!
//! Every error becomes a JSON body `{"error": {"status": 413, "message": "..."}}` with the status
//! it names; messages say what to change and never carry a backtrace or internal detail beyond
//! the library's own message (which names the input that failed).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is malformed: wrong JSON, a missing field, a bad parameter.
    #[error("{0}")]
    BadRequest(String),

    /// `expected` says what the route reads, e.g. "application/json".
    #[error("unsupported content type {got:?}: send {expected}")]
    UnsupportedMediaType { got: String, expected: &'static str },

    #[error("request body is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },

    /// Every analysis slot is taken and the queue is full, or the wait for one would be too long.
    #[error("the server is busy ({slots} analyses running, {queued} waiting); retry in {retry_after} s")]
    Busy {
        slots: usize,
        queued: usize,
        retry_after: u64,
    },

    /// The client sent its body too slowly.
    #[error("the request body did not arrive within {seconds} s")]
    SlowBody { seconds: u64 },

    #[error("the analysis took longer than the limit of {seconds} s")]
    Timeout { seconds: u64 },

    /// A URL the server will not fetch (private address, wrong scheme).
    #[error("refusing to fetch {url}: {reason}")]
    UrlRefused { url: String, reason: String },

    /// The remote site failed or sent something that is not an article page.
    #[error("fetching {url}: {message}")]
    Fetch { url: String, message: String },

    /// No document in the request could be read or analysed.
    #[error("{0}")]
    Unprocessable(String),

    #[error("no route for {0}")]
    NotFound(String),

    #[error("method {0} is not allowed here")]
    MethodNotAllowed(String),

    /// The analysis itself failed (a model that cannot run).
    #[error("analysis failed: {0}")]
    Analysis(#[source] unspin::Error),

    /// The corpus database (`serve --db`) could not be opened or read.
    #[error("{0}")]
    Corpus(#[source] unspin::Error),

    /// The server could not start (an address in use, a runtime that cannot be built).
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },

    /// A server setting out of range.
    #[error("{0}")]
    Setting(String),

    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn status(&self) -> StatusCode {
        match self {
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
            Error::SlowBody { .. } => StatusCode::REQUEST_TIMEOUT,
            Error::UrlRefused { .. } | Error::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Fetch { .. } => StatusCode::BAD_GATEWAY,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Error::Analysis(_) | Error::Corpus(_) | Error::Io { .. } | Error::Setting(_) | Error::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = self.to_string();
        let body = Body {
            error: Detail {
                status: status.as_u16(),
                message: &message,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Error::Busy { retry_after, .. } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
