//! Markup made safe and small before it is parsed: a depth limit on element nesting, and
//! elements that never hold article text taken out.
//!
//! **Block boundaries.** A reader sees a line break between two paragraphs, list items or
//! divisions even when the markup has none (`<li>One</li><li>Two</li>`, minified pages), but the
//! extractor's fallbacks join the text of such elements with nothing between them
//! ("Wednesday.The stabbing", "TwitterFacebook"), which no sentence splitter can undo. So
//! [`prepare`] puts a line break after every block-level tag that is not already followed by
//! white space, the way a pretty-printed page has one: the page renders the same, and every text
//! the extractor assembles has a break where the reader sees one.
//!
//! **Pruning.** Scripts, styles, inline SVG, comments and the `<title>` are most of the bytes of a
//! modern news page, and none of them is text a reader sees in the article; navigation menus,
//! sidebars, buttons and embedded media are most of the rest, and the extractor deletes them
//! before it looks for the article. It parses the page twice (it keeps a pristine copy for its
//! fallback), so dropping all of these first makes extraction markedly faster without changing
//! what it finds. Metadata is read from the page as it was, JSON-LD scripts included.
//!
//! The HTML parser keeps its open elements on a heap stack and survives any depth, but the
//! extractors walk the tree recursively: a page of 100,000 nested `<div>`s (a known denial-of-service
//! shape, and what some broken generators emit) overflows the thread's stack, which aborts the
//! whole process rather than failing one document. Browsers cap the depth for the same reason
//! (Chromium's parser stops nesting at 512 and adds deeper elements as siblings). We do the same
//! on the text before parsing: start tags that would open an element deeper than
//! [`MAX_DEPTH`] are removed together with their end tags, so their content joins the element at
//! the limit. Text is never removed, and pages within the limit pass through untouched
//! (borrowed, not copied).
//!
//! The depth is counted from the tags, without building a tree: elements whose end tag is
//! optional (`p`, `li`, `td`, …) and void elements do not count, the content of raw-text elements
//! (`script`, `style`, …) and comments is skipped, and an end tag closes the nearest open element
//! of its name. That over- or under-counts only on malformed markup, where it at worst flattens
//! some structure of a page that was already pathological.

use std::borrow::Cow;

/// Deepest element nesting kept. Real article pages stay well under 100 levels; the extractors'
/// recursion needs a few hundred bytes of stack per level, so 256 levels fit a 2 MiB thread
/// stack (Rust's default for spawned threads) with a wide margin.
pub const MAX_DEPTH: usize = 256;

/// `html` with every element deeper than `max_depth` unwrapped (tags removed, content kept).
pub fn limit_depth(html: &str, max_depth: usize) -> Cow<'_, str> {
    scan(html, max_depth, false)
}

/// `html` limited to `max_depth` like [`limit_depth`], without scripts, styles, inline SVG,
/// `<title>` and comments (elements removed with their content), and with a line break after
/// each block-level tag that is directly followed by text or another tag.
pub fn prepare(html: &str, max_depth: usize) -> Cow<'_, str> {
    scan(html, max_depth, true)
}

/// An element whose end tag has not been seen yet.
struct Open<'a> {
    name: &'a [u8],
    /// Its start tag was removed for depth, so its end tag must go too.
    cut: bool,
    /// Where it starts, when it is to be removed with its content once its end tag is found.
    pruned_from: Option<usize>,
}

/// Elements removed with everything in them by [`prepare`]. `title` is the page's name for the
/// browser tab, read by [`super::meta`] from the page as it came; left in, the extractor's
/// last-resort fallback offers it as the body of pages that have none.
const PRUNED: &[&[u8]] = &[b"script", b"style", b"svg", b"title", b"iframe", b"textarea"];

/// Elements the extractor deletes with their content before it looks for the article (its
/// cleaning step, for article pages), removed here first because navigation menus and sidebars
/// are a third of a news page's markup, and parsing them (three times over: the extractor
/// parses, serialises a pristine copy and parses that again) is most of the extraction's cost.
/// Unlike [`PRUNED`] these can nest and their end tags matter, so one is removed only from its
/// start tag to its own end tag, found by the same element counting as the depth limit; one
/// whose end tag never comes (closed implicitly by the parser) is left to the extractor. The
/// removed element is replaced by a line break if it is a block (a space otherwise), so the text
/// on either side stays apart.
const PRUNED_NESTED: &[&[u8]] = &[
    b"nav", b"aside", b"menu", b"dialog", b"select", b"button", b"datalist", b"picture", b"video",
    b"audio", b"canvas", b"object", b"map", b"fieldset", b"label", b"marquee", b"math", b"applet",
    b"frameset", b"output", b"progress",
];

/// Empty elements the extractor deletes (images included: it strips them, its text never has
/// them), removed by [`prepare`]. Images are a tenth of a news page's markup.
const PRUNED_VOID: &[&[u8]] = &[b"img", b"input", b"source", b"track", b"param", b"area", b"embed"];

fn scan(html: &str, max_depth: usize, prune: bool) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Byte ranges to replace, in order, and what replaces them: an empty string deletes a tag,
    // an empty range followed by "\n" is a break inserted at a block boundary.
    let mut cut: Vec<(usize, usize, &str)> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut pos = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[pos..]) {
        let start = pos + found;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            pos = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            if prune {
                cut.push((start, pos, ""));
            }
            continue;
        }
        if rest.first().is_some_and(|b| *b == b'!' || *b == b'?') {
            pos = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // Not a tag: a lone `<` in text.
            pos = start + 1;
            continue;
        }
        let name = &bytes[name_start..name_start + name_len];
        let Some(end) = tag_end(bytes, name_start + name_len) else {
            break; // truncated inside a tag: nothing after it can nest deeper
        };
        pos = end;
        let lower = name.to_ascii_lowercase();
        // Whether to put a break after this tag, once it is known whether the tag stays.
        let separate = prune
            && BLOCK.contains(&lower.as_slice())
            && bytes.get(end).is_some_and(|b| !b.is_ascii_whitespace());
        if closing {
            if let Some(i) = open.iter().rposition(|o| o.name.eq_ignore_ascii_case(name)) {
                let closed = &open[i];
                if let Some(from) = closed.pruned_from {
                    // Everything inside goes, so do the edits planned there.
                    while cut.last().is_some_and(|c| c.0 >= from) {
                        cut.pop();
                    }
                    cut.push((from, end, if BLOCK.contains(&lower.as_slice()) { "\n" } else { " " }));
                    open.truncate(i);
                    continue;
                }
                if closed.cut {
                    cut.push((start, end, ""));
                }
                open.truncate(i);
            }
            if separate {
                cut.push((end, end, "\n"));
            }
            continue;
        }
        if prune && PRUNED.contains(&lower.as_slice()) {
            // Up to and including the end tag; an unclosed one runs to the end, as it would parse.
            pos = find_end_tag(bytes, end, &lower)
                .map_or(bytes.len(), |e| tag_end(bytes, e + 2).unwrap_or(bytes.len()));
            cut.push((start, pos, ""));
            continue;
        }
        if RAW_TEXT.contains(&lower.as_slice()) {
            // Skip to the matching end tag; the parser treats everything before it as text.
            pos = find_end_tag(bytes, end, &lower).unwrap_or(bytes.len());
            continue;
        }
        if prune && PRUNED_VOID.contains(&lower.as_slice()) {
            cut.push((start, end, ""));
            continue;
        }
        let self_closing = bytes[..end - 1].ends_with(b"/");
        if self_closing || VOID.contains(&lower.as_slice()) || OPTIONAL_END.contains(&lower.as_slice()) {
            if separate {
                cut.push((end, end, "\n"));
            }
            continue;
        }
        let too_deep = open.len() >= max_depth;
        if too_deep {
            cut.push((start, end, ""));
        }
        if separate {
            cut.push((end, end, "\n"));
        }
        let pruned_from = (prune && PRUNED_NESTED.contains(&lower.as_slice())).then_some(start);
        open.push(Open { name, cut: too_deep, pruned_from });
    }
    if cut.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + cut.len());
    let mut from = 0;
    for (start, end, with) in cut {
        out.push_str(&html[from..start]);
        out.push_str(with);
        from = end;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// Elements whose content the parser reads as text up to their end tag.
const RAW_TEXT: &[&[u8]] =
    &[b"script", b"style", b"textarea", b"title", b"xmp", b"iframe", b"noembed", b"noframes", b"plaintext"];

/// Elements a browser lays out as blocks (or a line break): text on either side of their tags is
/// never one run of words. `pre` is left out, its white space being its content.
const BLOCK: &[&[u8]] = &[
    b"address", b"article", b"aside", b"blockquote", b"br", b"caption", b"dd", b"details",
    b"dialog", b"div", b"dl", b"dt", b"fieldset", b"figcaption", b"figure", b"footer", b"form",
    b"h1", b"h2", b"h3", b"h4", b"h5", b"h6", b"header", b"hgroup", b"hr", b"legend", b"li",
    b"main", b"menu", b"nav", b"ol", b"p", b"section", b"summary", b"table", b"tbody", b"td", b"tfoot",
    b"th", b"thead", b"tr", b"ul",
];

/// Elements that never have content.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr", b"keygen",
];

/// Elements whose end tag may be left out (the parser closes them implicitly), plus the
/// document's own `html`, `head` and `body`, which never nest.
const OPTIONAL_END: &[&[u8]] = &[
    b"p", b"li", b"dt", b"dd", b"option", b"optgroup", b"tr", b"td", b"th", b"thead", b"tbody",
    b"tfoot", b"colgroup", b"caption", b"rb", b"rt", b"rp", b"rtc", b"html", b"head", b"body",
];

/// The index just past the `>` ending the tag whose attributes start at `from`, skipping `>`
/// inside quoted attribute values; `None` when the input ends first.
pub(super) fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            q @ (b'"' | b'\'') if after_equals => {
                i += 1 + memchr::memchr(q, &bytes[i + 1..])?;
                after_equals = false;
            }
            b'=' => after_equals = true,
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|i| from + i)
}

/// Start of the end tag `</name` (any case) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut pos = from;
    while let Some(i) = find(bytes, pos, b"</") {
        let candidate = bytes.get(i + 2..i + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(i);
        }
        pos = i + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_borrowed() {
        let page = "<html><body><div><p>One<p>Two</div><script>if (a<b) { x = '<div>'; }</script></body></html>";
        assert!(matches!(limit_depth(page, 3), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_elements_are_unwrapped_text_kept() {
        let page = "<div><div><section title='a>b'><div>deep <b>text</b></div></section></div></div>";
        assert_eq!(limit_depth(page, 2), "<div><div>deep text</div></div>");
        assert_eq!(limit_depth(page, 3), "<div><div><section title='a>b'>deep text</section></div></div>");
    }

    #[test]
    fn raw_text_comments_and_optional_ends_do_not_count() {
        let page = "<div><!-- <div><div> --><style>div > div {}</style><p><li><td><span>x</span></div>";
        assert!(matches!(limit_depth(page, 2), Cow::Borrowed(_)));
    }

    #[test]
    fn hundred_thousand_divs_become_shallow() {
        let page = format!("{}text{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let limited = limit_depth(&page, MAX_DEPTH);
        assert_eq!(limited.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(limited.matches("</div>").count(), MAX_DEPTH);
        assert!(limited.contains("text"));
    }

    #[test]
    fn prepare_drops_what_is_never_text() {
        let page = "<head><style>p{}</style><script type=\"application/ld+json\">{\"a\": \"</div>\"}</script></head>\
                    <body><!-- note --><p>Kept <SVG><path d='M0'/></SVG>text</p><script>x</script></body>";
        assert_eq!(prepare(page, 10), "<head></head><body><p>\nKept text</p>\n</body>");
        assert_eq!(prepare("<p>a</p><script>never closed", 10), "<p>\na</p>\n");
    }

    #[test]
    fn prepare_breaks_block_boundaries_only() {
        let page = "<ul><li>One</li><li><a href=x>Two</a></li></ul><div>Wednesday.<div class=x></div>The <b>end</b>.<br>Next\n</div>";
        assert_eq!(
            prepare(page, 10),
            "<ul>\n<li>\nOne</li>\n<li>\n<a href=x>Two</a></li>\n</ul>\n<div>\nWednesday.<div class=x>\n</div>\nThe <b>end</b>.<br>\nNext\n</div>"
        );
        // Already separated, or not a block: untouched.
        assert!(matches!(prepare("<p>\nOne <em>two</em></p>\n<span>x</span>", 10), Cow::Borrowed(_)));
        // Tags cut for depth still separate what was on either side of them.
        assert_eq!(prepare("<div><div>a</div>b</div>", 1), "<div>\n\na\nb</div>");
    }

    #[test]
    fn prepare_drops_menus_and_sidebars_with_their_own_end_tag() {
        let page = "<div>Intro<nav><ul><li><a href=/>Home</a></li><nav>inner</nav></ul></nav>Text\n\
                    <p>Press <button>Share</button> here<img src=a.png>.</p>\n<aside>Also<aside>read</aside></aside>\n</div>";
        assert_eq!(prepare(page, 10), "<div>\nIntro\nText\n<p>\nPress   here.</p>\n\n\n</div>");
        // An end tag that never comes: the parser decides where the element ends, so it stays.
        assert_eq!(prepare("<div>\n<nav>\nMenu</div>\nText", 10), "<div>\n<nav>\nMenu</div>\nText");
    }

    #[test]
    fn truncated_markup_is_fine() {
        assert_eq!(limit_depth("<div><div><a href=\"x", 1), "<div><a href=\"x");
        assert_eq!(limit_depth("<div><div>text<", 1), "<div>text<");
        assert_eq!(limit_depth("<!-- open comment <div><div>", 1), "<!-- open comment <div><div>");
    }
}
