//! Article facts from JSON-LD (`<script type="application/ld+json">`).
//!
//! News sites describe the article as a schema.org `NewsArticle` (or `Article`, `BlogPosting`,
//! `ReportageNewsArticle`, …). The node may be the whole script, one item of an array, or one node
//! of an `@graph` whose `author` and `publisher` are references (`{"@id": …}`) to other nodes of
//! the same graph, as Yoast and other CMS plugins write it. All of these are read here.

use std::collections::HashMap;

use serde_json::Value;

/// What JSON-LD says about the article. Empty strings are never stored.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ArticleFacts {
    pub headline: Option<String>,
    pub authors: Vec<String>,
    pub date_published: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    /// The article's full text, when the page embeds it.
    pub article_body: Option<String>,
}

/// Facts from the JSON texts of a page's JSON-LD scripts: the first article node found wins;
/// scripts that are not valid JSON are skipped.
pub fn article_facts<'a>(scripts: impl IntoIterator<Item = &'a str>) -> ArticleFacts {
    let mut nodes: Vec<Value> = Vec::new();
    for script in scripts {
        // Some CMSs leave HTML comment markers or trailing semicolons around the JSON.
        let json = script.trim().trim_start_matches("<!--").trim_end_matches("-->").trim().trim_end_matches(';');
        if let Ok(value) = serde_json::from_str::<Value>(json) {
            flatten(value, &mut nodes, 0);
        }
    }
    let by_id: HashMap<&str, &Value> =
        nodes.iter().filter_map(|n| Some((n.get("@id")?.as_str()?, n))).collect();
    let resolve = |v| resolve(v, &by_id);
    // Prefer the most specific article type; a plain WebPage is the last resort for a headline.
    let article = nodes
        .iter()
        .find(|n| has_type(n, is_article_type))
        .or_else(|| nodes.iter().find(|n| has_type(n, |t| t == "WebPage")));
    let Some(article) = article else {
        return ArticleFacts::default();
    };
    let mut facts = ArticleFacts {
        headline: string_field(article, "headline").or_else(|| string_field(article, "name")),
        date_published: string_field(article, "datePublished")
            .or_else(|| string_field(article, "dateCreated")),
        article_body: article.get("articleBody").and_then(Value::as_str).map(str::to_owned),
        url: string_field(article, "url").or_else(|| {
            let id = string_field(article, "@id")?;
            id.starts_with("http").then_some(id)
        }),
        ..ArticleFacts::default()
    };
    if let Some(authors) = article.get("author") {
        for author in one_or_many(authors) {
            let author = resolve(author);
            let name = match author {
                Value::String(s) => Some(s.trim().to_owned()),
                other => string_field(other, "name"),
            };
            if let Some(name) = name.filter(|n| !n.is_empty() && !n.starts_with("http")) {
                if !facts.authors.contains(&name) {
                    facts.authors.push(name);
                }
            }
        }
    }
    facts.publisher = article
        .get("publisher")
        .and_then(|p| one_or_many(p).next())
        .map(resolve)
        .and_then(|p| match p {
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            other => string_field(other, "name"),
        });
    facts
}

/// `value` itself, or the node it refers to when it is a bare reference (`{"@id": …}` without a
/// `name`): the graph holds the details.
fn resolve<'v>(value: &'v Value, by_id: &HashMap<&str, &'v Value>) -> &'v Value {
    match value.get("@id").and_then(Value::as_str).and_then(|id| by_id.get(id)) {
        Some(target) if value.get("name").is_none() => target,
        _ => value,
    }
}

/// Every object node of `value`: arrays and `@graph`s are opened up. The depth bound keeps a
/// hostile, deeply nested script from recursing without end (serde_json itself stops at 128).
fn flatten(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => items.into_iter().for_each(|v| flatten(v, out, depth + 1)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out, depth + 1);
            }
            if !map.is_empty() {
                out.push(Value::Object(map));
            }
        }
        _ => {}
    }
}

fn one_or_many(value: &Value) -> impl Iterator<Item = &Value> {
    match value {
        Value::Array(items) => items.iter().collect::<Vec<_>>().into_iter(),
        other => vec![other].into_iter(),
    }
}

fn has_type(node: &Value, pred: impl Fn(&str) -> bool) -> bool {
    node.get("@type").is_some_and(|t| one_or_many(t).filter_map(Value::as_str).any(&pred))
}

/// schema.org types for articles: `Article` and its subtypes, which all end in `Article`
/// (`NewsArticle`, `ReportageNewsArticle`, `OpinionNewsArticle`, …), plus `BlogPosting` and
/// `LiveBlogPosting`, which do not.
fn is_article_type(t: &str) -> bool {
    let t = t.rsplit([':', '/']).next().unwrap_or(t);
    t.ends_with("Article") || t.ends_with("BlogPosting") || t == "Report"
}

/// A field holding text: a string, or the first string of an array, trimmed and with runs of
/// white space collapsed; `None` when empty.
fn string_field(node: &Value, key: &str) -> Option<String> {
    let value = node.get(key)?;
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Array(items) => items.iter().find_map(Value::as_str)?,
        _ => return None,
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_news_article() {
        let facts = article_facts([r#"{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"  Dam  opens ","datePublished":"2021-05-04T08:00:00Z",
            "author":[{"@type":"Person","name":"Ann Lee"},{"@type":"Person","name":"Bo Park"}],
            "publisher":{"@type":"Organization","name":"The Courier"}}"#]);
        assert_eq!(facts.headline.as_deref(), Some("Dam opens"));
        assert_eq!(facts.authors, ["Ann Lee", "Bo Park"]);
        assert_eq!(facts.date_published.as_deref(), Some("2021-05-04T08:00:00Z"));
        assert_eq!(facts.publisher.as_deref(), Some("The Courier"));
    }

    #[test]
    fn graph_with_references() {
        let facts = article_facts([
            "not json at all",
            r#"[{"@type":"BreadcrumbList"},{"@context":"https://schema.org","@graph":[
                {"@type":"Organization","@id":"https://ex.org/#org","name":"Example Post"},
                {"@type":"Person","@id":"https://ex.org/#p1","name":"Rui Costa"},
                {"@type":"WebPage","@id":"https://ex.org/a","name":"Page name"},
                {"@type":["Article","NewsArticle"],"headline":"Real headline",
                 "author":{"@id":"https://ex.org/#p1"},"publisher":{"@id":"https://ex.org/#org"},
                 "datePublished":"2020-01-02","mainEntityOfPage":{"@id":"https://ex.org/a"}}]}]"#,
        ]);
        assert_eq!(facts.headline.as_deref(), Some("Real headline"));
        assert_eq!(facts.authors, ["Rui Costa"]);
        assert_eq!(facts.publisher.as_deref(), Some("Example Post"));
        assert_eq!(facts.date_published.as_deref(), Some("2020-01-02"));
    }

    #[test]
    fn string_authors_urls_and_no_article() {
        let facts = article_facts([r#"{"@type":"BlogPosting","author":["Kim", "https://ex.org/kim", "Kim"]}"#]);
        assert_eq!(facts.authors, ["Kim"]);
        assert_eq!(article_facts([r#"{"@type":"Organization","name":"X"}"#]), ArticleFacts::default());
        assert_eq!(article_facts(["[[[[[[[[[[[[1]]]]]]]]]]]]"]), ArticleFacts::default());
    }
}
