//! HTML pages: charset, main-content extraction and metadata.
//!
//! One page becomes one [`Document`] whose text is the article body. The steps, one submodule
//! each, in the order [`document`] runs them:
//!
//! 1. [`charset`]: the encoding the page declares (HTTP header, then `<meta>`); decoding itself,
//!    with BOM handling and detection, is [`crate::ingest::text::decode`].
//! 2. [`nesting`]: a depth limit on element nesting, so hostile markup cannot overflow the stack;
//!    scripts, styles, comments, menus, sidebars and images removed, so the extractor parses only
//!    what can be article text; and a line break after block-level tags, so blocks never glue.
//! 3. [`body`]: the article text, without navigation, ads, comments and other page furniture,
//!    extracted from the page's `<body>` only.
//! 4. [`boilerplate`]: lines the extractor let through that are page furniture, not article.
//! 5. [`meta`]: title, byline, date, outlet and URL from meta tags and JSON-LD ([`jsonld`]), with
//!    dates normalised by [`date`].

pub mod body;
pub mod boilerplate;
pub mod charset;
pub mod date;
pub mod jsonld;
pub mod meta;
pub mod nesting;

use crate::document::{Document, Metadata};
use crate::error::{Error, Origin, Result};
use crate::ingest::{text, InputKind};

/// How to read an HTML page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HtmlOptions {
    /// Keep the reader comments below the article (after its text, as more paragraphs). Off by
    /// default: comments are not the article, and their language is not the outlet's.
    pub comments: bool,
}

/// A document from the raw bytes of an HTML page. `http_charset` is the charset of an HTTP
/// `Content-Type` header when there was one; `url` the page's address when known.
///
/// Errors: [`Error::Empty`] for a page of white space, [`Error::Binary`] / [`Error::Encoding`]
/// for bytes that are not text, [`Error::NoContent`] when the page holds no article text.
pub fn document(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&str>,
    id: String,
    source: String,
    origin: &Origin,
    options: HtmlOptions,
) -> Result<Document> {
    if bytes.trim_ascii().is_empty() {
        return Err(Error::Empty { origin: origin.clone() });
    }
    let declared = charset::declared(bytes, http_charset);
    let decoded = text::decode(bytes, declared, origin)?;
    let html = &decoded.text;
    let prepared = nesting::prepare(html, nesting::MAX_DEPTH);
    // The extractor gets the body only: it would delete the head after parsing it, and what it
    // reads there (meta tags) is what `meta` reads for itself.
    let body_start = meta::body_start(&prepared).unwrap_or(0);
    let extracted = body::extract(&prepared[body_start..], url, options.comments);
    let found = &extracted.result.metadata;
    let fallback = meta::Fallback {
        title: found.title.clone(),
        author: found.author.clone(),
        // The extractor fills a missing time with midnight UTC, so only its day is trusted.
        date: found.date.map(|d| d.date_naive().to_string()),
    };
    let page = meta::extract(html, &prepared, url, &fallback);
    let paragraphs: Vec<&str> = extracted.text.split("\n\n").collect();
    let mut text = boilerplate::strip(&paragraphs, page.title.as_deref()).join("\n\n");
    if text.is_empty() {
        text = body::paragraphs(page.article_body.as_deref().unwrap_or(""));
    }
    if text.is_empty() {
        return Err(Error::NoContent { origin: origin.clone() });
    }
    let meta = Metadata {
        source,
        url: page.url,
        site_name: page.site_name,
        title: page.title,
        byline: page.byline,
        date: page.date,
        format: InputKind::Html,
        encoding: Some(decoded.encoding.name().to_owned()),
        ..Metadata::default()
    };
    Ok(Document::new(id, text, meta))
}
