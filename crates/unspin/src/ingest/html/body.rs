//! The article body: the text a reader would call the article, without the page around it.
//!
//! The main-content extractor is `rs-trafilatura` (a port of trafilatura's heuristics: it drops
//! navigation, comments and boilerplate-classed blocks and picks the densest content node).
//! This module calls it and puts its text into the shape the rest of unspin expects: one
//! paragraph per block, paragraphs separated by a blank line, white space inside a paragraph
//! collapsed, and the text's own characters (curly quotes, dashes) kept.

use rs_trafilatura::page_type::PageType;
use rs_trafilatura::{ExtractResult, Options};

/// What the extractor returned: the body text in unspin's shape, the reader comments when asked
/// for (empty otherwise), and the extractor's result for the metadata it found on its own.
pub struct Extracted {
    pub text: String,
    pub comments: String,
    pub result: ExtractResult,
}

/// Extract the article body of `html`, markup already [prepared](super::nesting::prepare): its
/// scripts are gone, which matters beyond speed. The extractor would otherwise replace the
/// visible text with a JSON-LD `articleBody` when that is twice as long, but a reader sees the
/// page, not the JSON: a longer `articleBody` is typically every update of a live blog or the
/// unpaginated story, and it has lost its paragraph breaks. `document` falls back to the
/// `articleBody` only when the page shows no text at all.
///
/// With `comments`, the page's reader comments (a comment section the extractor recognises by its
/// id or class, such as `#comments` or `.disqus`) are in `comments`, as paragraphs; the article
/// text itself is the same either way.
///
/// The text is empty when nothing article-like was found.
pub fn extract(html: &str, url: Option<&str>, comments: bool) -> Extracted {
    let options = Options {
        url: url.map(str::to_owned),
        include_comments: comments,
        // unspin reads news: every page it is given is an article. Naming the page type skips the
        // extractor's page classifier (a third of its time) and its profiles for product,
        // forum and listing pages, which only ever misfire here.
        page_type: Some(PageType::Article),
        ..Options::default()
    };
    let result = rs_trafilatura::extract_with_options(html, &options).unwrap_or_default();
    let text = paragraphs(&result.content_text);
    let comments = result.comments_text.as_deref().map(paragraphs).unwrap_or_default();
    Extracted { text, comments, result }
}

/// `text` as paragraphs: every non-blank line becomes one paragraph with its white space
/// collapsed, and paragraphs are joined by `"\n\n"`.
pub fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_shape() {
        assert_eq!(paragraphs("  One  line\u{a0}here \n\n\n Two\n  \nThree “quoted”\n"), "One line here\n\nTwo\n\nThree “quoted”");
        assert_eq!(paragraphs(" \n \t"), "");
    }
}
