//! HTML pages: charset, main-content extraction and metadata.

use crate::document::Document;
use crate::error::{Origin, Result};

/// A document from the raw bytes of an HTML page. `http_charset` is the charset of an HTTP
/// `Content-Type` header when there was one; `url` the page's address when known.
pub fn document(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&str>,
    id: String,
    source: String,
    origin: &Origin,
) -> Result<Document> {
    let _ = (bytes, http_charset, url, id, source, origin);
    todo!("html extraction")
}
