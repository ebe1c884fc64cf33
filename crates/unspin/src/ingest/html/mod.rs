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
//! 3. [`body`]: the rule-based extractor's article text, without navigation, ads, comments and
//!    other page furniture, extracted from the page's `<body>` only.
//! 4. [`blocks`] and [`classifier`]: the page cut into text blocks, and the blocks of the article
//!    kept by a learned classifier that reads, among other features, what step 3 kept.
//! 5. [`boilerplate`]: lines still left that are page furniture, not article.
//! 6. [`meta`]: title, byline, date, outlet and URL from meta tags and JSON-LD ([`jsonld`]), with
//!    dates normalised by [`date`].

pub mod blocks;
pub mod body;
pub mod boilerplate;
pub mod charset;
pub mod classifier;
pub mod date;
pub mod jsonld;
pub mod meta;
pub mod nesting;

use crate::document::{Document, Metadata};
use crate::error::{Error, Origin, Result};
use crate::ingest::{text, InputKind};

/// How to read an HTML page.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HtmlOptions {
    /// Keep the reader comments below the article (after its text, as more paragraphs). Off by
    /// default: comments are not the article, and their language is not the outlet's.
    pub comments: bool,
    /// The block classifier; `None` is the built-in one. Training uses others to measure them.
    pub classifier: Option<&'static classifier::Model>,
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
    let page = read(bytes, http_charset, url, origin, options)?;
    let model = options.classifier.unwrap_or_else(|| classifier::Model::builtin());
    let chosen = article_blocks(&page, model);
    let paragraphs: Vec<&str> = chosen.split("\n\n").collect();
    let meta = page.meta;
    let mut text = boilerplate::strip(&paragraphs, meta.title.as_deref()).join("\n\n");
    if text.is_empty() {
        text = body::paragraphs(meta.article_body.as_deref().unwrap_or(""));
    }
    if text.is_empty() {
        return Err(Error::NoContent { origin: origin.clone() });
    }
    let meta = Metadata {
        source,
        url: meta.url,
        site_name: meta.site_name,
        title: meta.title,
        byline: meta.byline,
        date: meta.date,
        format: InputKind::Html,
        encoding: Some(page.encoding.to_owned()),
        ..Metadata::default()
    };
    Ok(Document::new(id, text, meta))
}

/// The article's text: the blocks the classifier keeps, as paragraphs (the rule-based
/// extractor's text when it keeps none), and the reader comments after them when they were asked
/// for. A page where the rule-based extractor finds no article text at all (a front page, an
/// error page) stays without one: the classifier chooses among a page's blocks, it does not
/// decide whether the page is an article.
fn article_blocks(page: &Page, model: &classifier::Model) -> String {
    let (found, keep) = if page.extracted.text.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let found = blocks::segment(&page.body);
        let features = blocks::features(&found, &page.extracted.text, page.meta.title.as_deref());
        let words: Vec<usize> = found.iter().map(|b| b.words).collect();
        let keep = model.keep(&features, &words);
        (found, keep)
    };
    let mut text = if keep.contains(&true) {
        // A kept block whose text the kept blocks before it already hold (most of its 4-token
        // shingles) is a copy: pages repeat the article in hidden or summary elements.
        let mut seen = blocks::ShingleSet::default();
        let mut kept: Vec<&str> = Vec::new();
        for (block, _) in found.iter().zip(&keep).filter(|(_, &k)| k) {
            let own = &block.shingles;
            let old = own.iter().filter(|h| seen.contains(*h)).count();
            if own.is_empty() || old * 10 < own.len() * 8 {
                kept.push(block.text.as_str());
                seen.extend(own);
            }
        }
        body::paragraphs(&kept.join("\n"))
    } else {
        page.extracted.text.clone()
    };
    if !page.extracted.comments.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&page.extracted.comments);
    }
    text
}

/// A page read up to the choice of its article text.
pub struct Page {
    /// What the rule-based extractor found.
    pub extracted: body::Extracted,
    /// What the page says about itself.
    pub meta: meta::PageMeta,
    /// Its markup, [prepared](nesting::prepare), from `<body>` on.
    pub body: String,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
}

/// Reads `bytes` as [`document`] does, up to the extractors' results.
pub fn read(bytes: &[u8], http_charset: Option<&str>, url: Option<&str>, origin: &Origin, options: HtmlOptions) -> Result<Page> {
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
    let body = &prepared[body_start..];
    let extracted = body::extract(body, url, options.comments);
    let found = &extracted.result.metadata;
    let fallback = meta::Fallback {
        title: found.title.clone(),
        author: found.author.clone(),
        // The extractor fills a missing time with midnight UTC, so only its day is trusted.
        date: found.date.map(|d| d.date_naive().to_string()),
    };
    let meta = meta::extract(html, &prepared, url, &fallback);
    Ok(Page { body: body.to_owned(), extracted, meta, encoding: decoded.encoding.name() })
}
