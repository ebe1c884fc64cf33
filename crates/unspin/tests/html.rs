//! HTML ingestion end to end: fixture pages written for these tests go through
//! `ingest::html::document` (and, for one, the format-sniffing reader), and the article text,
//! every metadata field, the charset, and the handling of bad input are checked.

use std::path::{Path, PathBuf};

use unspin::error::{Error, Origin};
use unspin::ingest::{self, html, InputKind};
use unspin::Document;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/html").join(name)
}

fn read(name: &str, url: Option<&str>) -> Result<Document, Error> {
    let path = fixture(name);
    let bytes = std::fs::read(&path).expect("fixture exists");
    html::document(&bytes, None, url, name.into(), path.display().to_string(), &Origin::file(&path), Default::default())
}

fn parse(bytes: &[u8]) -> Result<Document, Error> {
    html::document(bytes, None, None, "t".into(), "t.html".into(), &Origin::file("t.html"), Default::default())
}

#[test]
fn article_body_without_page_furniture() {
    let doc = read("courier-dam.html", None).unwrap();
    let paragraphs: Vec<&str> = doc.text.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        [
            "The long-awaited dam on the Vell river opened on Tuesday, ten years after the first concrete was poured and four years later than the county had promised.",
            "Engineers told a small crowd at the spillway that the reservoir behind the wall would take until the spring to fill, and that the first water would reach farms in the lower valley in June.",
            "“It has been a long wait, and people have every right to be impatient,” said Maren Holt, who chairs the county’s water board. “But this wall will stand for a hundred years.”",
            "Not everyone downstream was celebrating. Several fishing clubs say the lower river will run too warm in late summer, and a petition asking for a minimum flow rule has gathered almost 3,000 signatures.",
            "The board said it would publish its first flow report in September, after the reservoir’s first full season.",
        ]
    );
    for furniture in ["cookies", "Advertisement", "Share on", "Sign up", "Related stories", "Old mill bridge", "riverwatcher", "About time", "All rights reserved", "Sport", "Vell river dam opens after"] {
        assert!(!doc.text.contains(furniture), "{furniture:?} in {:?}", doc.text);
    }
}

#[test]
fn link_lists_and_hidden_copies_around_the_article_are_left_out() {
    // Inside the article's own container: a hidden summary that repeats the first paragraphs, and
    // a list of links to other stories. Around it: menu, sidebar and footer.
    let doc = read("kellin-harbour.html", None).unwrap();
    let paragraphs: Vec<&str> = doc.text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 4, "{paragraphs:#?}");
    assert!(paragraphs[0].starts_with("The harbour at Kellin Bay reopened to boats on Tuesday morning"));
    assert!(paragraphs[1].starts_with("Harbour master Ines Darrow said divers"));
    assert!(paragraphs[3].ends_with("from the county's storm fund."));
    assert_eq!(doc.text.matches("Ines Darrow").count(), 1, "the hidden copy is dropped");
    for furniture in ["ferry timetable", "Lifeboat crew", "Most read", "Ten walks", "All rights reserved", "Weather", "Privacy"] {
        assert!(!doc.text.contains(furniture), "{furniture:?} in {:?}", doc.text);
    }
}

#[test]
fn metadata_from_json_ld_graph_and_meta_tags() {
    let doc = read("courier-dam.html", None).unwrap();
    let m = &doc.meta;
    assert_eq!(m.title.as_deref(), Some("Vell river dam opens after decade of delays"));
    assert_eq!(m.byline.as_deref(), Some("Ines Marlow, Tomas Greer"));
    assert_eq!(m.date.as_deref(), Some("2021-05-04T08:30:00+01:00"));
    assert_eq!(m.site_name.as_deref(), Some("The Valley Courier"));
    assert_eq!(m.url.as_deref(), Some("https://www.valleycourier.example/news/2021/05/vell-dam-opens"));
    assert_eq!(m.site.as_deref(), Some("valleycourier.example"));
    assert_eq!(m.language.as_deref(), Some("en"));
    assert_eq!(m.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(m.format, InputKind::Html);
    assert_eq!(m.source, fixture("courier-dam.html").display().to_string());

    // The caller's URL wins over the canonical link.
    let doc = read("courier-dam.html", Some("https://mirror.example/dam")).unwrap();
    assert_eq!(doc.meta.url.as_deref(), Some("https://mirror.example/dam"));
    assert_eq!(doc.meta.site.as_deref(), Some("mirror.example"));
}

#[test]
fn windows_1251_declared_by_http_equiv() {
    let doc = read("gazeta-1251.html", None).unwrap();
    assert_eq!(doc.meta.encoding.as_deref(), Some("windows-1251"));
    assert!(doc.text.starts_with("В субботу в Заречье открылась новая городская библиотека."), "{}", doc.text);
    assert!(doc.text.contains("\n\n«Мы хотим, чтобы сюда приходили не только за книгами"), "{}", doc.text);
    assert!(doc.text.ends_with("По выходным библиотека будет работать до восьми часов вечера."));
    assert!(!doc.text.contains("Поделиться") && !doc.text.contains("Главная") && !doc.text.contains("Реклама"));
    assert_eq!(doc.meta.title.as_deref(), Some("В Заречье открыли новую библиотеку"));
    assert_eq!(doc.meta.byline.as_deref(), Some("Анна Воронова"));
    assert_eq!(doc.meta.date.as_deref(), Some("2020-10-12"));
    assert_eq!(doc.meta.site_name.as_deref(), Some("Заречная газета"));
    assert_eq!(doc.meta.language.as_deref(), Some("ru"));
    // An HTTP charset outranks the page's own declaration.
    let bytes = std::fs::read(fixture("gazeta-1251.html")).unwrap();
    let doc = html::document(&bytes, Some("KOI8-R"), None, "g".into(), "g".into(), &Origin::file("g"), Default::default()).unwrap();
    assert_eq!(doc.meta.encoding.as_deref(), Some("KOI8-R"));
}

#[test]
fn open_graph_only_page_in_latin1() {
    let doc = read("og-only.html", None).unwrap();
    assert_eq!(doc.meta.encoding.as_deref(), Some("windows-1252"), "ISO-8859-1 is read as its superset");
    assert_eq!(doc.text.split("\n\n").count(), 3, "{}", doc.text);
    assert!(doc.text.starts_with("From the first Monday of December the island ferry will sail four times a day"));
    assert!(doc.text.ends_with("before the café at the pier closes for the season."));
    assert!(!doc.text.contains("Archive") && !doc.text.contains("volunteers"));
    let m = &doc.meta;
    assert_eq!(m.title.as_deref(), Some("Ferry timetable changes for the winter"));
    assert_eq!(m.site_name.as_deref(), Some("Harbour Notes"));
    assert_eq!(m.url.as_deref(), Some("https://harbournotes.example/2019/11/ferry-winter-timetable"));
    assert_eq!(m.date.as_deref(), Some("2019-11-03T17:45:00Z"));
    assert_eq!(m.byline, None, "a profile URL is not a name");
}

#[test]
fn reader_detects_html_files() {
    let opts = ingest::IngestOptions::default();
    let docs: Vec<_> = ingest::read_all(&ingest::Input::Path(fixture("og-only.html")), &opts).collect();
    assert_eq!(docs.len(), 1);
    let doc = docs.into_iter().next().unwrap().unwrap();
    assert_eq!(doc.id, "og-only");
    assert_eq!(doc.meta.format, InputKind::Html);
}

#[test]
fn page_without_article_is_no_content() {
    let err = read("no-article.html", None).unwrap_err();
    assert!(matches!(err, Error::NoContent { .. }), "{err}");
    assert!(err.to_string().ends_with("no-article.html: no article text found in the HTML"), "{err}");
}

#[test]
fn bad_inputs_fail_cleanly() {
    assert!(matches!(parse(b""), Err(Error::Empty { .. })));
    assert!(matches!(parse(b" \n\t "), Err(Error::Empty { .. })));
    assert!(matches!(parse(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00binary"), Err(Error::Binary { .. })));
    assert!(matches!(parse(b"<html><body></body></html>"), Err(Error::NoContent { .. })));
}

#[test]
fn truncated_page_keeps_what_arrived() {
    let bytes = std::fs::read(fixture("courier-dam.html")).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let cut = text.find("Not everyone downstream").unwrap();
    // Cut in the middle of a tag a little after the third paragraph.
    let truncated = format!("{}<p class=\"x", &text[..cut]);
    let doc = parse(truncated.as_bytes()).unwrap();
    assert!(doc.text.starts_with("The long-awaited dam on the Vell river opened on Tuesday"), "{}", doc.text);
    assert!(doc.text.ends_with("“But this wall will stand for a hundred years.”"), "{}", doc.text);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let para = "<p>The committee met for the third time this month and again failed to agree on a budget for the coming year, its chair said.</p>";
    let page = format!("<html><body>{}{para}{para}{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
    // Run on a thread with the default 2 MiB stack, as a worker pool would.
    let result = std::thread::spawn(move || parse(page.as_bytes())).join().expect("no stack overflow");
    let doc = result.unwrap();
    assert!(doc.text.contains("failed to agree on a budget"), "{}", doc.text);
}

#[test]
fn block_boundaries_in_minified_markup_separate_paragraphs() {
    // Minified markup with no white space between blocks: divisions, a `<br>` and list items
    // sit directly against the text around them. Every block must be its own paragraph, and
    // no sentence may run into the next ("midnight.The", "cranesThe storm").
    let doc = read("harbour-minified.html", None).unwrap();
    let paragraphs: Vec<&str> = doc.text.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        [
            "A container crane at the north quay of Port Ellery collapsed into the water during Sunday night's storm, the harbour authority said on Monday.",
            "Nobody was on the crane when it fell, and the two workers in the control building nearby were unhurt.",
            "Gusts of more than 120 kilometres an hour were measured at the lighthouse shortly after midnight, the strongest since the winter of 2009.",
            "The authority has closed the north quay until divers have surveyed the wreck and the berth.",
            "Ships due this week will be sent to the south quay instead, which may delay some deliveries by a day or two.",
            "Dock workers listed what they want checked before the quay reopens:",
            "The rails of the two other cranes",
            "The storm locks on every crane",
            "The wind alarms in the control building",
            "A spokesman for the authority said the crane was twenty-six years old and had passed its last inspection in March.",
        ]
    );
}

#[test]
fn reader_comments_only_when_asked() {
    let path = fixture("courier-dam.html");
    let bytes = std::fs::read(&path).unwrap();
    let with = |comments| {
        let options = html::HtmlOptions { comments, ..Default::default() };
        html::document(&bytes, None, None, "c".into(), "c".into(), &Origin::file(&path), options).unwrap().text
    };
    let (article, both) = (with(false), with(true));
    assert!(!article.contains("About time") && !article.contains("Nobody asked the fish"), "{article:?}");
    // The article comes first, unchanged; the comments follow as paragraphs of their own.
    let rest = both.strip_prefix(article.as_str()).unwrap_or_else(|| panic!("{both:?}"));
    let comments: Vec<&str> = rest.split("\n\n").filter(|p| !p.is_empty()).collect();
    assert!(comments.contains(&"About time! My grandfather was talking about this dam in the seventies."), "{comments:?}");
    assert!(comments.contains(&"Nobody asked the fish what they think of warm water."), "{comments:?}");
    // The same option reaches pages read through `ingest::read_from`.
    let opts = ingest::IngestOptions { html: html::HtmlOptions { comments: true, ..Default::default() }, ..Default::default() };
    let docs: Vec<Document> = ingest::read_from(Box::new(std::io::Cursor::new(bytes.clone())), path.clone(), "c".into(), &opts)
        .unwrap()
        .map(|p| p.and_then(ingest::Pending::load).unwrap())
        .collect();
    assert_eq!(docs[0].text, both);
}
