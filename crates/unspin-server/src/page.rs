//! The web page at `/`: plain HTML, CSS and JavaScript compiled into the binary, so the page
//! works offline and needs no build step or CDN.
//!
//! Every page response carries a Content-Security-Policy that allows only these files: even if
//! a bug let article text reach the DOM as markup, no inline script or handler in it would run.
//! (The page itself inserts article text with `textContent` only.)

use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::Error;

const INDEX: &str = include_str!("../assets/index.html");
const SCRIPT: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/style.css");
/// Chart.js 4.6.1 (MIT), the corpus view's charts: the library's own minified UMD build, as its
/// npm package ships it (`assets/vendor/README.md` says how it is updated).
const CHART: &str = include_str!("../assets/vendor/chart.umd.min.js");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

fn page_response(content_type: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /`.
pub async fn index() -> Response {
    page_response("text/html; charset=utf-8", INDEX)
}

/// `GET /assets/{file}`.
pub async fn asset(Path(file): Path<String>) -> Result<Response, Error> {
    match file.as_str() {
        "app.js" => Ok(page_response("text/javascript; charset=utf-8", SCRIPT)),
        "style.css" => Ok(page_response("text/css; charset=utf-8", STYLE)),
        "chart.umd.min.js" => Ok(page_response("text/javascript; charset=utf-8", CHART)),
        _ => Err(Error::NotFound(format!("/assets/{file}"))),
    }
}
