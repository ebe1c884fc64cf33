//! The server's request parsing: the body of `POST /v1/analyze` by content type (JSON, multipart
//! upload, raw text or HTML), the batch route's JSON, and the URL checks made before a fetch.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::Request;
use unspin_server::api::{self, Source};
use unspin_server::fetch;
use unspin_server::Limits;

/// What the first byte selects: the `Content-Type` of the request, or the batch route. The
/// multipart boundary is fixed so that seeds and the fuzzer's mutations of them keep it.
const KINDS: &[Option<&str>] = &[
    Some("application/json"),
    Some("multipart/form-data; boundary=unspinfuzz"),
    Some("text/plain; charset=utf-8"),
    Some("text/html"),
    None, // the batch route
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread().enable_time().build().expect("a current-thread runtime")
    })
}

/// `input = kind byte, body`. The body goes through `api::read_source` (the function the route
/// calls, with the default limits) or `api::batch_sources`; what they accept must be a source
/// the rest of the route can use.
pub fn server(data: &[u8]) {
    let Some((&kind, body)) = data.split_first() else { return };
    let limits = Limits { max_body_bytes: 64 * 1024, ..Limits::default() };
    match KINDS[kind as usize % KINDS.len()] {
        Some(content_type) => {
            let request = Request::builder()
                .method("POST")
                .uri("/v1/analyze")
                .header("content-type", content_type)
                .header("content-length", body.len())
                .body(Body::from(body.to_vec()))
                .expect("a well-formed request");
            if let Ok(source) = runtime().block_on(api::read_source(request, &limits)) {
                check_source(&source);
            }
        }
        None => {
            if let Ok(sources) = api::batch_sources(body, limits.max_documents) {
                assert!(!sources.is_empty() && sources.len() <= limits.max_documents, "batch size not checked");
                sources.iter().for_each(check_source);
            }
        }
    }
}

fn check_source(source: &Source) {
    match source {
        Source::Bytes { name, id, .. } => {
            assert!(!name.is_empty() && !name.contains(['/', '\\']), "upload name {name:?} is a path");
            assert!(!id.is_empty(), "a source without an id");
        }
        Source::Url { url, .. } => url_str(url),
    }
}

/// A URL as a request gives it: parsed and checked as `Fetcher::fetch` does before connecting.
/// What passes the check is HTTP(S) with a host that, when it is an address, is public; and
/// `is_public` agrees with itself across IPv4-mapped IPv6. The last 4 and 16 bytes, read as
/// addresses, check that agreement on any address.
pub fn url(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        url_str(text);
    }
    if let Some(v4) = data.last_chunk::<4>() {
        let v4 = Ipv4Addr::from(*v4);
        assert_eq!(
            fetch::is_public(IpAddr::V4(v4)),
            fetch::is_public(IpAddr::V6(v4.to_ipv6_mapped())),
            "{v4} and its IPv4-mapped form disagree"
        );
    }
    if let Some(v6) = data.last_chunk::<16>() {
        let v6 = Ipv6Addr::from(*v6);
        if let Some(v4) = v6.to_ipv4_mapped() {
            assert_eq!(fetch::is_public(IpAddr::V6(v6)), fetch::is_public(IpAddr::V4(v4)), "{v6} and {v4} disagree");
        }
        if v6.is_loopback() || v6.is_unspecified() || v6.is_multicast() {
            assert!(!fetch::is_public(IpAddr::V6(v6)), "{v6} is called public");
        }
    }
}

fn url_str(text: &str) {
    let Ok(parsed) = url::Url::parse(text) else { return };
    let strict = fetch::check_url(&parsed, false);
    if strict.is_ok() {
        assert!(matches!(parsed.scheme(), "http" | "https"), "{text:?} passed with scheme {}", parsed.scheme());
        match parsed.host() {
            None => panic!("{text:?} passed without a host"),
            Some(url::Host::Domain(_)) => {}
            Some(url::Host::Ipv4(ip)) => assert!(fetch::is_public(IpAddr::V4(ip)), "{text:?}: {ip} passed"),
            Some(url::Host::Ipv6(ip)) => assert!(fetch::is_public(IpAddr::V6(ip)), "{text:?}: {ip} passed"),
        }
        assert!(fetch::check_url(&parsed, true).is_ok(), "{text:?} passes the strict check but not the lax one");
    }
}
