//! Page metadata: title, byline, date, outlet name and URL, from `<meta>` tags and JSON-LD.
//!
//! Sources are tried from the most to the least deliberate: what the publisher wrote for
//! machines (Open Graph, JSON-LD, article meta tags) before what it wrote for people (`<title>`,
//! a byline in the page, which the extractor's own metadata finds). Only the page's `<meta>` and
//! `<link>` tags are parsed, found by a byte scan, which keeps this a small fraction of the
//! extraction's cost. Tags and JSON-LD scripts are read wherever they are: some sites put their
//! Open Graph tags or JSON-LD in the `<body>`. The first tag of a kind wins, so the page's own
//! tags in the head outrank microdata of other articles listed further down.

use std::sync::LazyLock;

use dom_query::Document as Dom;
use regex::Regex;

use super::{date, jsonld};

/// Metadata found in the page. Fields are already cleaned; `None` when the page does not say.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    pub site_name: Option<String>,
    pub url: Option<String>,
    /// The JSON-LD `articleBody`, for pages whose text is not in their markup.
    pub article_body: Option<String>,
}

/// What the main-content extractor found on its own in the page's body (visible bylines, `<time>`
/// elements, the headline), used where tags and JSON-LD say nothing. Its guess at the outlet's
/// name is not used: without the `<head>` it comes from the body's text ("Register", "Back to
/// overview").
#[derive(Debug, Default, Clone)]
pub struct Fallback {
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
}

static BODY_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<body[\s>]").expect("static regex"));
static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>(.*?)</title").expect("static regex"));
static JSON_LD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<script[^>]*?type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script"#)
        .expect("static regex")
});

/// Where the `<body>` start tag of `html` is, if it has one.
pub fn body_start(html: &str) -> Option<usize> {
    BODY_START.find(html).map(|m| m.start())
}

/// Metadata of `html` (decoded, as it came). `prepared` is the same page without scripts, styles
/// and title (see [`super::nesting::prepare`]); its head is the one parsed for meta tags, being
/// smaller.
/// `url` is the page address given by the caller; it wins over the page's own canonical link.
pub fn extract(html: &str, prepared: &str, url: Option<&str>, fallback: &Fallback) -> PageMeta {
    let tags = Tags::read(&Dom::from(meta_and_link_tags(prepared)), html);
    let facts = jsonld::article_facts(JSON_LD.captures_iter(html).filter_map(|c| Some(c.get(1)?.as_str())));

    let site_name = tags
        .any("og:site_name")
        .or(facts.publisher.clone())
        .or_else(|| tags.any("application-name"))
        .or_else(|| tags.any("publisher"))
        .or_else(|| tags.any("dc.publisher"));
    let page_url = url
        .map(str::to_owned)
        .or_else(|| absolute(tags.link_canonical.as_deref()))
        .or_else(|| absolute(tags.any("og:url").as_deref()))
        .or_else(|| absolute(facts.url.as_deref()));
    let host = page_url.as_deref().and_then(crate::document::site_of_url);
    let title = tags
        .any("og:title")
        .or(facts.headline.clone())
        .or_else(|| tags.any("twitter:title"))
        .or_else(|| tags.title.clone())
        .or_else(|| fallback.title.clone().and_then(clean))
        .map(|t| trim_site_suffix(&t, site_name.as_deref(), host.as_deref()));
    let byline = byline(&tags, &facts, fallback);
    let date = facts
        .date_published
        .as_deref()
        .and_then(date::normalize)
        .or_else(|| {
            DATE_TAGS.iter().find_map(|key| tags.any(key).as_deref().and_then(date::normalize))
        })
        .or_else(|| fallback.date.as_deref().and_then(date::normalize));
    PageMeta { title, byline, date, site_name, url: page_url, article_body: facts.article_body }
}

/// Meta tags carrying the publication date, most specific first.
const DATE_TAGS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
];

/// Meta tags naming the author, most specific first; values that are URLs (Facebook profile
/// links in `article:author`) are skipped.
const AUTHOR_TAGS: &[&str] =
    &["author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator"];

fn byline(tags: &Tags, facts: &jsonld::ArticleFacts, fallback: &Fallback) -> Option<String> {
    let names: Vec<String> = facts.authors.iter().filter_map(|a| clean_author(a)).collect();
    if !names.is_empty() {
        return Some(dedup_join(names));
    }
    for key in AUTHOR_TAGS {
        let names: Vec<String> = tags.all(key).iter().filter_map(|a| clean_author(a)).collect();
        if !names.is_empty() {
            return Some(dedup_join(names));
        }
    }
    fallback.author.as_deref().and_then(clean_author)
}

fn dedup_join(names: Vec<String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for name in names {
        if !seen.iter().any(|s| s.eq_ignore_ascii_case(&name)) {
            seen.push(name);
        }
    }
    seen.join(", ")
}

/// An author name without a `By` prefix; `None` for URLs, handles and empty values.
fn clean_author(raw: &str) -> Option<String> {
    let name = clean(raw.to_owned())?;
    let name = ["By ", "by ", "BY "].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(&name).trim();
    let looks_like_name = !name.is_empty()
        && !name.contains("://")
        && !name.starts_with("www.")
        && !name.starts_with('@')
        && name.chars().count() <= 200;
    looks_like_name.then(|| name.to_owned())
}

/// Collapse white space; `None` when nothing is left.
fn clean(s: String) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn absolute(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| url.to_owned())
}

/// Every `<meta>` and `<link>` tag of `html`, in order, for a parser to read their attributes
/// (with character references decoded). `html` is [prepared](super::nesting::prepare), so no
/// tag found here is text inside a script or a comment.
fn meta_and_link_tags(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut pos = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[pos..]) {
        let start = pos + found;
        pos = start + 1;
        let name_len = [4, 5].into_iter().find(|&n| {
            bytes.get(start + 1..start + 1 + n).is_some_and(|name| {
                name.eq_ignore_ascii_case(b"meta") || name.eq_ignore_ascii_case(b"link")
            }) && bytes.get(start + 1 + n).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        });
        let Some(name_len) = name_len else { continue };
        let Some(end) = super::nesting::tag_end(bytes, start + 1 + name_len) else { break };
        out.push_str(&html[start..end]);
        pos = end;
    }
    out
}

/// The `<meta>` and `<link>` tags metadata comes from, read once.
struct Tags {
    /// `(key, content)` of every `<meta>` with a `property`, `name` or `itemprop`, keys lower-cased.
    meta: Vec<(String, String)>,
    title: Option<String>,
    link_canonical: Option<String>,
}

impl Tags {
    /// Tags of `head`, the page's meta and link tags parsed; the `<title>` comes from the page as
    /// it came, `html`.
    fn read(head: &Dom, html: &str) -> Tags {
        let mut meta = Vec::new();
        for node in head.select("meta").nodes() {
            let Some(content) = node.attr("content") else { continue };
            let Some(content) = clean(content.to_string()) else { continue };
            for attr in ["property", "name", "itemprop"] {
                if let Some(key) = node.attr(attr) {
                    meta.push((key.trim().to_ascii_lowercase(), content.clone()));
                }
            }
        }
        let title = TITLE
            .captures(html)
            .and_then(|c| clean(Dom::fragment(c.get(1)?.as_str()).text().to_string()));
        let link_canonical = head
            .select("link[rel=canonical]")
            .nodes()
            .first()
            .and_then(|n| n.attr("href"))
            .map(|h| h.to_string());
        Tags { meta, title, link_canonical }
    }

    fn any(&self, key: &str) -> Option<String> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.meta.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
    }
}

/// Separators between a headline and the outlet's name in `<title>` and `og:title`.
const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " // "];

/// `title` without the outlet's name before or after it ("Dam opens | The Courier" → "Dam
/// opens"). A part is the outlet's name when it matches the site name or the host (ignoring
/// case, spaces and punctuation). Without such a match only a short part after ` | ` goes:
/// pipes are how CMS templates append the site, while dashes are common inside headlines.
pub fn trim_site_suffix(title: &str, site_name: Option<&str>, host: Option<&str>) -> String {
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let mut site_keys: Vec<String> = Vec::new();
    if let Some(name) = site_name {
        site_keys.push(key(name));
    }
    if let Some(host) = host {
        // `www.theguardian.co.uk` → `theguardian`: the first label left of the public suffix
        // (approximated: country codes and the common generic and second-level labels).
        let label = host
            .split('.')
            .rev()
            .find(|l| l.len() > 2 && !matches!(*l, "com" | "org" | "net" | "gov" | "edu" | "www"));
        site_keys.extend(label.map(key));
        site_keys.push(key(host));
    }
    site_keys.retain(|k| k.len() >= 2);
    let is_site = |part: &str| {
        let k = key(part);
        !k.is_empty() && site_keys.iter().any(|s| *s == k || (k.len() >= 4 && s.contains(&k)) || (s.len() >= 3 && k.starts_with(s.as_str()) && k.len() <= s.len() + 12))
    };
    let mut title = title.trim().to_owned();
    loop {
        let before = title.len();
        for sep in SEPARATORS {
            if let Some((head, tail)) = title.rsplit_once(sep) {
                let short_pipe = *sep == " | " && tail.split_whitespace().count() <= 4;
                if !head.trim().is_empty() && (is_site(tail) || short_pipe) {
                    title = head.trim().to_owned();
                    break;
                }
            }
            if let Some((head, tail)) = title.split_once(sep) {
                if !tail.trim().is_empty() && is_site(head) {
                    title = tail.trim().to_owned();
                    break;
                }
            }
        }
        if title.len() == before {
            return title;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_suffixes_are_trimmed() {
        let t = |title, site, host| trim_site_suffix(title, site, host);
        assert_eq!(t("Dam opens | The Courier", Some("The Courier"), None), "Dam opens");
        assert_eq!(t("Dam opens - The Courier", Some("The Courier"), None), "Dam opens");
        assert_eq!(t("Dam opens – Courier News", None, Some("couriernews.com")), "Dam opens");
        assert_eq!(t("BBC News - Dam opens", None, Some("bbc.co.uk")), "Dam opens");
        assert_eq!(t("Dam opens | World | The Courier", Some("The Courier"), None), "Dam opens");
        assert_eq!(t("Dam opens | Politics", None, None), "Dam opens");
        // A dash inside the headline stays when nothing says it is the site.
        assert_eq!(t("Brexit - what happens next", Some("The Courier"), None), "Brexit - what happens next");
        assert_eq!(t("The Courier", Some("The Courier"), None), "The Courier");
        assert_eq!(t("  Plain  ", None, None), "Plain");
    }

    #[test]
    fn authors_are_cleaned() {
        assert_eq!(clean_author(" By  Ann Lee ").as_deref(), Some("Ann Lee"));
        assert_eq!(clean_author("https://facebook.com/annlee"), None);
        assert_eq!(clean_author("@annlee"), None);
        assert_eq!(dedup_join(vec!["Ann".into(), "Bo".into(), "ann".into()]), "Ann, Bo");
    }

    #[test]
    fn reads_tags_and_json_ld() {
        let html = r#"<html><head><title>Head title | Site</title>
            <meta property="og:title" content="Dam opens &amp; floods">
            <meta property="og:site_name" content="The Courier">
            <meta name="author" content="By Ann Lee">
            <meta property="article:published_time" content="2021-05-04T08:00:00+02:00">
            <link rel="canonical" href="https://courier.example/dam"></head>
            <body><p>x</p><script type="application/ld+json">{"@type":"NewsArticle","author":{"name":"Bo Park"}}</script></body></html>"#;
        let meta = extract(html, html, None, &Fallback::default());
        assert_eq!(meta.title.as_deref(), Some("Dam opens & floods"));
        assert_eq!(meta.site_name.as_deref(), Some("The Courier"));
        assert_eq!(meta.byline.as_deref(), Some("Bo Park"), "JSON-LD before meta tags");
        assert_eq!(meta.date.as_deref(), Some("2021-05-04T08:00:00+02:00"));
        assert_eq!(meta.url.as_deref(), Some("https://courier.example/dam"));
        let given = extract(html, html, Some("https://given.example/x"), &Fallback::default());
        assert_eq!(given.url.as_deref(), Some("https://given.example/x"));
    }

    #[test]
    fn tags_in_the_body_count_and_the_first_wins() {
        // Generated pages that close the head early: the Open Graph tags land in the body.
        let html = r#"<html><head><title>Dam opens - Breaking - The Courier</title></head><body>
            <article><meta itemprop="datePublished" content="2021-05-04T08:30Z"></article>
            <meta property="og:site_name" content=" The Courier ">
            <meta property="og:title" content='Dam opens'><p>Text <b>x</b></p>
            <li><meta itemprop="datePublished" content="2020-01-01"></li>
            <link rel=canonical href="https://courier.example/dam"/><metadata>not a tag</metadata>"#;
        let meta = extract(html, html, None, &Fallback::default());
        assert_eq!(meta.title.as_deref(), Some("Dam opens"));
        assert_eq!(meta.site_name.as_deref(), Some("The Courier"));
        assert_eq!(meta.date.as_deref(), Some("2021-05-04T08:30:00Z"));
        assert_eq!(meta.url.as_deref(), Some("https://courier.example/dam"));
        assert_eq!(
            meta_and_link_tags("<p><Meta name=a content='x>y'><link/><linked><meta"),
            "<Meta name=a content='x>y'><link/>"
        );
    }
}
