//! Corpus mode through the library: a tiny database built from hand-made analyses (known spans,
//! claims and scores, no model), then every `trends` grouping and filter against counts worked
//! out by hand; the store's replace-not-duplicate rule, the lookup, the writer lock and the
//! schema checks. Each test runs on SQLite and on PostgreSQL (support/databases.rs).

#[path = "support/databases.rs"]
mod databases;

use databases::{databases, TestDb};
use unspin::claims::{Claims, ClaimsSummary, SentenceClaims, Source, SourceKind};
use unspin::corpus::trends::{self, Filter, GroupBy, Row};
use unspin::corpus::{self, ModelId, RecordKey, Store, Target};
use unspin::detect::{Technique, TechniqueSpan};
use unspin::report::Analysis;
use unspin::{CharIndex, Document, Error, Metadata};

struct Spec {
    outlet: &'static str,
    date: Option<&'static str>,
    text: &'static str,
    spans: &'static [(Technique, &'static str)],
    claims: usize,
    unattributed: usize,
    /// Subjectivity scores per sentence (all scored) or none at all.
    subjective: Option<&'static [f32]>,
}

use Technique::*;

/// The hand-counted corpus. Words / sentences: A 8 / 2, B 9 / 2, C 9 / 3, D 4 / 1.
const DOCS: &[Spec] = &[
    Spec {
        outlet: "a.com",
        date: Some("2024-01-15"),
        text: "The corrupt elite lied again. Patriots will win.",
        spans: &[(LoadedLanguage, "corrupt elite"), (FlagWaving, "Patriots will win")],
        claims: 2,
        unattributed: 1,
        subjective: Some(&[0.9, 0.1]),
    },
    Spec {
        outlet: "a.com",
        date: Some("2024-02-03T10:00:00Z"),
        text: "Officials said the plan works. Critics disagree strongly today.",
        spans: &[(LoadedLanguage, "disagree strongly")],
        claims: 1,
        unattributed: 0,
        subjective: None,
    },
    Spec {
        outlet: "b.com",
        date: Some("2024-01-20"),
        text: "Enemies everywhere want war. Stop them now. Act today.",
        // The slogan runs over two sentences.
        spans: &[(NameCallingLabeling, "Enemies"), (LoadedLanguage, "want war"), (Slogans, "Stop them now. Act today")],
        claims: 3,
        unattributed: 3,
        subjective: Some(&[0.2, 0.3, 0.1]),
    },
    Spec { outlet: "b.com", date: None, text: "Nothing to see here.", spans: &[], claims: 0, unattributed: 0, subjective: None },
];

fn analysis(i: usize, spec: &Spec) -> Analysis {
    let meta = Metadata {
        source: "hand".into(),
        url: Some(format!("https://www.{}/story/{i}", spec.outlet)),
        date: spec.date.map(String::from),
        ..Metadata::default()
    };
    let doc = Document::new(format!("doc{i}"), spec.text, meta);
    let segmentation = unspin::segment::segment(spec.text);
    let index = CharIndex::new(spec.text);
    let spans = spec
        .spans
        .iter()
        .map(|&(technique, quote)| {
            let start = spec.text.find(quote).expect("span text is in the document");
            let span = index.span_from_bytes(start..start + quote.len()).expect("char boundaries");
            TechniqueSpan { technique, span, text: quote.to_owned(), confidence: 1.0, sentence: None, detector: "hand".into() }
        })
        .collect();
    let sentences = (0..segmentation.sentences.len())
        .map(|s| SentenceClaims {
            sentence: s,
            checkworthy: None,
            subjective: spec.subjective.map(|scores| scores[s]),
            claim: false,
            source: Source { kind: SourceKind::None, speaker: None, carried_from: None },
            unattributed: false,
            attributions: Vec::new(),
            quotes: Vec::new(),
            hedges: Vec::new(),
            insinuation: None,
        })
        .collect();
    let subjective = spec.subjective.map(|scores| scores.iter().filter(|&&x| x >= 0.5).count());
    let claims = Claims {
        summary: ClaimsSummary { claims: spec.claims, unattributed: spec.unattributed, subjective, ..ClaimsSummary::default() },
        sentences,
        ..Claims::default()
    };
    Analysis::new(doc, segmentation, spans, claims)
}

fn key(i: usize) -> RecordKey {
    RecordKey { source: "hand.jsonl".into(), record: i as u64 }
}

fn build(target: &Target) -> ModelId {
    let model = ModelId::none("test");
    let mut store = Store::open(target).unwrap().with_batch(3);
    for (i, spec) in DOCS.iter().enumerate() {
        let a = analysis(i, spec);
        store.put(&key(i), &corpus::content_hash(&a.document), &model, &a).unwrap();
    }
    store.finish().unwrap();
    model
}

fn query(target: &Target, by: GroupBy, filter: &Filter) -> Vec<Row> {
    trends::query(&mut corpus::open_read(target).unwrap(), by, filter).unwrap()
}

/// Builds the hand-counted corpus in each database and hands it to `check`.
fn on_each(test: &str, check: impl Fn(&TestDb)) {
    for db in databases(test) {
        eprintln!("{test} on {}", db.target);
        build(&db.target);
        check(&db);
    }
}

fn keyed<'a>(rows: &'a [Row], outlet: Option<&str>, month: Option<&str>) -> &'a Row {
    rows.iter()
        .find(|r| r.outlet.as_deref() == outlet && r.month.as_deref() == month)
        .unwrap_or_else(|| panic!("no row {outlet:?} {month:?} in {rows:#?}"))
}

#[test]
fn stores_rows_with_text_and_counts() {
    on_each("stores_rows_with_text_and_counts", |db| {
        let mut conn = db.raw();
        // The segmenter agrees with the hand counts the expectations below rest on.
        let counts: Vec<(String, i64, i64, i64)> = conn
            .query("test", "SELECT doc_id, words, sentences, span_sentences FROM documents ORDER BY record", &[])
            .unwrap()
            .into_iter()
            .map(|r| (r[0].text().unwrap().to_owned(), r[1].int().unwrap(), r[2].int().unwrap(), r[3].int().unwrap()))
            .collect();
        assert_eq!(
            counts,
            [("doc0".into(), 8, 2, 2), ("doc1".into(), 9, 2, 1), ("doc2".into(), 9, 3, 3), ("doc3".into(), 4, 1, 0)]
        );
        assert_eq!(db.count("spans"), 6);
        assert_eq!(db.count("sentences"), 8);
        // Offsets select the span's text, in chars and in bytes.
        let r = conn
            .query_row(
                "test",
                "SELECT s.text, s.char_start, s.char_end, s.technique, s.byte_start, s.byte_end FROM spans s \
                 JOIN documents d ON d.id = s.doc WHERE d.doc_id = 'doc2' AND s.technique = 'Slogans'",
                &[],
            )
            .unwrap()
            .unwrap();
        let (text, start, end) = (r[0].text().unwrap(), r[1].int().unwrap() as usize, r[2].int().unwrap() as usize);
        assert_eq!(text, "Stop them now. Act today");
        assert_eq!(DOCS[2].text.chars().skip(start).take(end - start).collect::<String>(), text);
        assert_eq!(&DOCS[2].text[r[4].int().unwrap() as usize..r[5].int().unwrap() as usize], text);
        assert_eq!(r[3].text(), Some("Slogans"));
        let outlet = conn.query_row("test", "SELECT outlet FROM documents WHERE record = 0", &[]).unwrap().unwrap();
        assert_eq!(outlet[0].text(), Some("a.com"));
        let stamp = conn.query_row("test", "SELECT analysed_at FROM documents WHERE record = 0", &[]).unwrap().unwrap();
        let stamp = stamp[0].text().unwrap();
        assert!(stamp.len() == 20 && stamp.starts_with("20") && stamp.as_bytes()[10] == b'T' && stamp.ends_with('Z'), "{stamp}");
    });
}

#[test]
fn trends_by_outlet() {
    on_each("trends_by_outlet", |db| {
        let db = &db.target;
        let rows = query(db, GroupBy::Outlet, &Filter::default());
        assert_eq!(rows.len(), 2);
        let a = keyed(&rows, Some("a.com"), None);
        assert_eq!((a.documents, a.words, a.sentences, a.spans), (2, 17, 4, 3));
        assert_eq!(a.spans_per_1k_words, 176.4706); // 3 spans / 17 words
        assert_eq!(a.technique_rates["Loaded_Language"], 117.6471);
        assert_eq!(a.technique_rates["Flag-Waving"], 58.8235);
        assert_eq!(a.technique_rates["Slogans"], 0.0);
        assert_eq!(a.technique_rates.len(), 14);
        assert_eq!(a.sentence_share, 0.75); // 2 + 1 of 4
        assert_eq!((a.claims, a.unattributed, a.unattributed_share), (3, 1, Some(0.3333)));
        assert_eq!(a.subjective_share, Some(0.5)); // 1 of 2 scored (B has no scores)
        let b = keyed(&rows, Some("b.com"), None);
        assert_eq!((b.documents, b.words, b.sentences, b.spans), (2, 13, 4, 3));
        assert_eq!(b.spans_per_1k_words, 230.7692);
        assert_eq!(b.sentence_share, 0.75); // 3 + 0 of 4
        assert_eq!(b.unattributed_share, Some(1.0));
        assert_eq!(b.subjective_share, Some(0.0));
    });
}

#[test]
fn trends_by_month_and_outlet_month() {
    on_each("trends_by_month_and_outlet_month", |db| {
        let db = &db.target;
        let rows = query(db, GroupBy::Month, &Filter::default());
        assert_eq!(rows.iter().map(|r| r.month.as_deref()).collect::<Vec<_>>(), [None, Some("2024-01"), Some("2024-02")]);
        let jan = keyed(&rows, None, Some("2024-01"));
        assert_eq!((jan.documents, jan.words, jan.sentences, jan.spans), (2, 17, 5, 5));
        assert_eq!(jan.spans_per_1k_words, 294.1176);
        assert_eq!(jan.sentence_share, 1.0);
        assert_eq!((jan.claims, jan.unattributed_share, jan.subjective_share), (5, Some(0.8), Some(0.2)));
        let feb = keyed(&rows, None, Some("2024-02"));
        assert_eq!((feb.documents, feb.spans, feb.spans_per_1k_words, feb.sentence_share), (1, 1, 111.1111, 0.5));
        assert_eq!((feb.unattributed_share, feb.subjective_share), (Some(0.0), None));
        let undated = keyed(&rows, None, None);
        assert_eq!((undated.documents, undated.words, undated.spans, undated.claims), (1, 4, 0, 0));
        assert_eq!((undated.unattributed_share, undated.subjective_share), (None, None));

        let rows = query(db, GroupBy::OutletMonth, &Filter::default());
        let keys: Vec<(Option<&str>, Option<&str>)> = rows.iter().map(|r| (r.outlet.as_deref(), r.month.as_deref())).collect();
        assert_eq!(
            keys,
            [(Some("a.com"), Some("2024-01")), (Some("a.com"), Some("2024-02")), (Some("b.com"), None), (Some("b.com"), Some("2024-01"))]
        );
        let c = keyed(&rows, Some("b.com"), Some("2024-01"));
        assert_eq!((c.documents, c.words, c.spans, c.sentence_share), (1, 9, 3, 1.0));
        assert_eq!(c.technique_rates["Slogans"], 111.1111);
    });
}

#[test]
fn trends_by_technique() {
    on_each("trends_by_technique", |db| {
        let db = &db.target;
        let rows = query(db, GroupBy::Technique, &Filter::default());
        let labels: Vec<&str> = rows.iter().map(|r| r.technique.as_deref().unwrap()).collect();
        assert_eq!(labels, ["Loaded_Language", "Flag-Waving", "Name_Calling,Labeling", "Slogans"]);
        let loaded = &rows[0];
        // Rates over all 30 words and 8 sentences; claims over the documents holding it (A, B, C).
        assert_eq!((loaded.documents, loaded.spans, loaded.words, loaded.sentences), (3, 3, 30, 8));
        assert_eq!(loaded.spans_per_1k_words, 100.0);
        assert_eq!(loaded.sentence_share, 0.375);
        assert_eq!((loaded.claims, loaded.unattributed, loaded.unattributed_share), (6, 4, Some(0.6667)));
        assert_eq!(loaded.subjective_share, Some(0.2));
        let slogans = &rows[3];
        assert_eq!((slogans.documents, slogans.spans, slogans.spans_per_1k_words), (1, 1, 33.3333));
        assert_eq!(slogans.sentence_share, 0.25); // two sentences of 8
        assert_eq!((slogans.unattributed_share, slogans.subjective_share), (Some(1.0), Some(0.0)));
        assert!(rows.iter().all(|r| r.technique_rates.is_empty()));
    });
}

#[test]
fn trends_filters() {
    on_each("trends_filters", |db| {
        let db = &db.target;
        let only_a = Filter { outlets: vec!["a.com".into()], ..Filter::default() };
        let rows = query(db, GroupBy::Month, &only_a);
        assert_eq!(rows.iter().map(|r| (r.month.as_deref(), r.documents)).collect::<Vec<_>>(), [(Some("2024-01"), 1), (Some("2024-02"), 1)]);

        // Since 2024-01-16: A is too early and D has no date.
        let since = Filter { since: Some("2024-01-16".into()), ..Filter::default() };
        let rows = query(db, GroupBy::Outlet, &since);
        assert_eq!(rows.iter().map(|r| (r.outlet.as_deref(), r.documents, r.words)).collect::<Vec<_>>(), [(Some("a.com"), 1, 9), (Some("b.com"), 1, 9)]);
        let until = Filter { until: Some("2024-01-31".into()), ..Filter::default() };
        let rows = query(db, GroupBy::Outlet, &until);
        assert_eq!(rows.iter().map(|r| (r.outlet.as_deref(), r.documents, r.words)).collect::<Vec<_>>(), [(Some("a.com"), 1, 8), (Some("b.com"), 1, 9)]);

        let loaded = Filter { technique: Some(LoadedLanguage), ..Filter::default() };
        let rows = query(db, GroupBy::Outlet, &loaded);
        let a = keyed(&rows, Some("a.com"), None);
        assert_eq!((a.documents, a.spans, a.spans_per_1k_words, a.sentence_share), (2, 2, 117.6471, 0.5));
        assert_eq!(a.technique_rates.keys().collect::<Vec<_>>(), ["Loaded_Language"]);
        let b = keyed(&rows, Some("b.com"), None);
        assert_eq!((b.documents, b.spans, b.spans_per_1k_words, b.sentence_share), (2, 1, 76.9231, 0.25));
        let rows = query(db, GroupBy::Technique, &loaded);
        assert_eq!(rows.len(), 1);

        let two = Filter { min_documents: 2, ..Filter::default() };
        let rows = query(db, GroupBy::Month, &two);
        assert_eq!(rows.iter().map(|r| r.month.as_deref()).collect::<Vec<_>>(), [Some("2024-01")]);
        let rows = query(db, GroupBy::Technique, &two);
        assert_eq!(rows.iter().map(|r| r.technique.as_deref().unwrap()).collect::<Vec<_>>(), ["Loaded_Language"]);
    });
}

#[test]
fn browse_sorts_filters_and_pages_documents_and_returns_their_reports() {
    use unspin::corpus::browse::{self, ListQuery, SortKey};
    on_each("browse", |db| {
        let mut conn = corpus::open_read(&db.target).unwrap();
        let ids = |q: &ListQuery, conn: &mut corpus::Conn| -> (u64, Vec<String>) {
            let page = browse::documents(conn, q).unwrap();
            (page.total, page.documents.iter().map(|d| d.doc_id.clone()).collect())
        };
        // Newest first; the undated document last.
        assert_eq!(ids(&ListQuery::default(), &mut conn), (4, vec!["doc1".into(), "doc2".into(), "doc0".into(), "doc3".into()]));
        let by_rate = ListQuery { sort: SortKey::Rate, ..ListQuery::default() };
        // Spans per 1,000 words: C 333, A 250, B 111, D 0.
        assert_eq!(ids(&by_rate, &mut conn).1, ["doc2", "doc0", "doc1", "doc3"]);
        let ascending = ListQuery { sort: SortKey::Words, descending: false, ..ListQuery::default() };
        assert_eq!(ids(&ascending, &mut conn).1, ["doc3", "doc0", "doc1", "doc2"]);
        let paged = ListQuery { sort: SortKey::Words, descending: false, limit: 2, offset: 2, ..ListQuery::default() };
        assert_eq!(ids(&paged, &mut conn), (4, vec!["doc1".into(), "doc2".into()]));
        let loaded = ListQuery { filter: Filter { technique: Some(FlagWaving), ..Filter::default() }, ..ListQuery::default() };
        assert_eq!(ids(&loaded, &mut conn), (1, vec!["doc0".into()]));
        let b = ListQuery { filter: Filter { outlets: vec!["b.com".into()], ..Filter::default() }, ..ListQuery::default() };
        assert_eq!(ids(&b, &mut conn).1, ["doc2", "doc3"]);

        let page = browse::documents(&mut conn, &ListQuery { sort: SortKey::Rate, ..ListQuery::default() }).unwrap();
        let c = &page.documents[0];
        assert_eq!((c.words, c.spans, c.spans_per_1k_words, c.claims, c.unattributed), (9, 3, 333.3333, 3, 3));
        assert_eq!((c.outlet.as_deref(), c.date.as_deref()), (Some("b.com"), Some("2024-01-20")));
        assert!(c.has_report);
        // The report is the document record `analyze --format json` writes: text, spans, claims.
        let (version, json) = browse::report(&mut conn, c.id).unwrap().unwrap();
        assert_eq!(version, unspin::report::SCHEMA_VERSION);
        let record: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(record["text"], DOCS[2].text);
        let spans = record["spans"].as_array().unwrap();
        assert_eq!(spans.len(), 3);
        for span in spans {
            let (start, end) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
            assert_eq!(DOCS[2].text.chars().skip(start).take(end - start).collect::<String>(), span["text"].as_str().unwrap());
        }
        assert!(record["claims"]["sentences"].is_array());
        assert!(browse::report(&mut conn, 999_999).unwrap().is_none());
    });
}

#[test]
fn put_replaces_and_lookup_sees_hash_and_model() {
    for test_db in databases("put_replaces_and_lookup_sees_hash_and_model") {
        let db = &test_db.target;
        let model = build(db);
        let a = analysis(0, &DOCS[0]);
        let hash = corpus::content_hash(&a.document);
        {
            let store = Store::open(db).unwrap();
            let lookup = store.lookup().unwrap();
            assert!(lookup.is_current(&key(0), &hash, &model).unwrap());
            assert!(!lookup.is_current(&key(0), "other", &model).unwrap());
            assert!(!lookup.is_current(&key(0), &hash, &ModelId::none("min_confidence=0.5")).unwrap());
            assert!(!lookup.is_current(&key(9), &hash, &model).unwrap());
            store.finish().unwrap();
        }
        // Storing the same keys again, and an error over a document, replaces rows.
        let mut store = Store::open(db).unwrap();
        for (i, spec) in DOCS.iter().enumerate() {
            let a = analysis(i, spec);
            store.put(&key(i), &corpus::content_hash(&a.document), &model, &a).unwrap();
        }
        store.put_error(&key(3), "boom").unwrap();
        store.finish().unwrap();
        let counts = ["documents", "spans", "sentences", "errors", "reports"].map(|t| test_db.count(t));
        assert_eq!(counts, [3, 6, 7, 1, 3], "{db}");
        // A: 2, B: 1, C: 4 (two techniques in its first sentence, the slogan over two).
        assert_eq!(test_db.count("sentence_techniques"), 7);
        // A store dropped without `finish` loses its open batch, as a killed run would.
        let mut store = Store::open(db).unwrap();
        store.put_error(&key(0), "lost").unwrap();
        drop(store);
        assert_eq!(test_db.count("errors"), 1);
    }
}

#[test]
fn an_input_read_twice_in_one_run_is_stored_once() {
    // The writer skips clearing records of an input the database held nothing of; `index a a`
    // comes back to the same records, which must then be replaced, not added.
    for (twice, once) in databases("read_twice").into_iter().zip(databases("read_once")) {
        let model = build(&once.target);
        let mut store = Store::open(&twice.target).unwrap().with_batch(3);
        for _ in 0..2 {
            for (i, spec) in DOCS.iter().enumerate() {
                let a = analysis(i, spec);
                store.put(&key(i), &corpus::content_hash(&a.document), &model, &a).unwrap();
            }
        }
        store.finish().unwrap();
        let counts = ["documents", "spans", "sentences", "reports"].map(|t| twice.count(t));
        assert_eq!(counts, ["documents", "spans", "sentences", "reports"].map(|t| once.count(t)), "{}", twice.target);
        assert_eq!(counts[0], DOCS.len() as i64);
        assert_eq!(all_trends(&twice.target), all_trends(&once.target), "{}", twice.target);
    }
}

/// Every grouping, with and without filters: what must agree between two databases that hold the
/// same documents.
fn all_trends(target: &Target) -> Vec<Vec<Row>> {
    let filters = [
        Filter::default(),
        Filter { technique: Some(LoadedLanguage), ..Filter::default() },
        Filter { since: Some("2024-01-16".into()), ..Filter::default() },
        Filter { outlets: vec!["b.com".into()], ..Filter::default() },
    ];
    let mut out = Vec::new();
    for by in [GroupBy::Outlet, GroupBy::Month, GroupBy::OutletMonth, GroupBy::Technique] {
        for f in &filters {
            out.push(query(target, by, f));
        }
    }
    out
}

#[test]
fn the_rollup_stays_exact_through_replacements_errors_and_the_migration() {
    for (edited, fresh) in databases("rollup_edited").into_iter().zip(databases("rollup_fresh")) {
        let model = build(&edited.target);
        // Replace document 1 with C's text (another outlet and month) and document 3 with an error.
        let mut store = Store::open(&edited.target).unwrap();
        let c = analysis(2, &DOCS[2]);
        store.put(&key(1), &corpus::content_hash(&c.document), &model, &c).unwrap();
        store.put_error(&key(3), "boom").unwrap();
        store.finish().unwrap();
        // The same end state, written once.
        let mut store = Store::open(&fresh.target).unwrap();
        for (k, i) in [(0, 0), (1, 2), (2, 2)] {
            let a = analysis(i, &DOCS[i]);
            store.put(&key(k), &corpus::content_hash(&a.document), &model, &a).unwrap();
        }
        store.put_error(&key(3), "boom").unwrap();
        store.finish().unwrap();
        let want = all_trends(&fresh.target);
        assert_eq!(all_trends(&edited.target), want, "{}", edited.target);
        assert!(want[0].iter().any(|r| r.spans > 0));

        // A version-2 database gets its rollup from its rows when migrated.
        edited
            .raw()
            .batch(
                "test",
                "DROP TABLE rollup; DROP INDEX spans_technique_doc; CREATE INDEX spans_technique ON spans (technique); \
                 UPDATE meta SET value = '2' WHERE key = 'schema_version'",
            )
            .unwrap();
        assert!(corpus::open_read(&edited.target).err().unwrap().to_string().contains("older"));
        Store::open(&edited.target).unwrap().finish().unwrap();
        assert_eq!(all_trends(&edited.target), want, "{} after the migration", edited.target);
    }
}

#[test]
fn a_second_writer_is_refused() {
    for test_db in databases("a_second_writer_is_refused") {
        let db = &test_db.target;
        let first = Store::open(db).unwrap();
        let err = Store::open(db).err().expect("second writer refused");
        assert!(matches!(err, Error::Locked { .. }), "{err}");
        assert!(err.to_string().contains("another unspin process is writing"), "{err}");
        first.finish().unwrap();
        // Readers are welcome meanwhile and afterwards; writers once the first is done.
        Store::open(db).unwrap().finish().unwrap();
    }
}

#[test]
fn newer_schema_is_refused_and_version_0_is_migrated() {
    for (test_db, old_db) in databases("newer_schema").into_iter().zip(databases("version_0")) {
        let db = &test_db.target;
        build(db);
        test_db.raw().execute("test", "UPDATE meta SET value = '99' WHERE key = 'schema_version'", &[]).unwrap();
        for err in [Store::open(db).err().unwrap(), corpus::open_read(db).err().unwrap()] {
            assert!(matches!(err, Error::SchemaTooNew { found: 99, .. }), "{err}");
            assert!(err.to_string().contains("newer"), "{err}");
        }
        // Nothing was touched.
        assert_eq!(test_db.count("documents"), 4);

        // A hand-made version 0: a meta table that says 0 and nothing else.
        let old = &old_db.target;
        old_db
            .raw()
            .batch("test", "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '0');")
            .unwrap();
        let err = corpus::open_read(old).err().unwrap();
        assert!(err.to_string().contains("older"), "{err}");
        Store::open(old).unwrap().finish().unwrap();
        let version = old_db.raw().query_row("test", "SELECT value FROM meta WHERE key = 'schema_version'", &[]).unwrap();
        assert_eq!(version.unwrap()[0].text(), Some(corpus::SCHEMA_VERSION.to_string().as_str()));
        assert!(query(old, GroupBy::Outlet, &Filter::default()).is_empty());
    }
}

#[test]
fn a_foreign_or_empty_database_is_refused_for_reading() {
    for test_db in databases("a_foreign_or_empty_database") {
        let db = &test_db.target;
        if test_db.is_postgres() {
            // An empty schema is no corpus yet (an SQLite file that does not exist is below).
            let err = corpus::open_read(db).err().unwrap();
            assert!(err.to_string().contains("holds no unspin corpus yet"), "{err}");
        }
        test_db.raw().batch("test", "CREATE TABLE notes (x TEXT)").unwrap();
        for err in [corpus::open_read(db).err().unwrap(), Store::open(db).err().unwrap()] {
            assert!(err.to_string().contains("not an unspin corpus"), "{err}");
        }
        assert_eq!(test_db.count("notes"), 0);
    }
}

#[test]
fn missing_or_unwritable_paths_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = corpus::open_read(&dir.path().join("nope.sqlite").into()).err().unwrap();
    assert!(err.to_string().contains("no such database file"), "{err}");
    let err = Store::open(&dir.path().join("no/such/dir/c.sqlite").into()).err().unwrap();
    assert!(matches!(err, Error::Database { .. }), "{err}");
}

#[test]
fn unreachable_postgres_and_a_wrong_password_are_clear_errors() {
    // Nothing listens on port 1 of loopback: refused at once, whether or not a server runs here.
    let err = Store::open(&Target::parse("postgres://unspin:secret@127.0.0.1:1/corpus")).err().unwrap();
    let text = err.to_string();
    assert!(matches!(err, Error::Database { .. }) && text.contains("cannot connect"), "{text}");
    assert!(!text.contains("secret") && text.contains("***"), "the password leaked: {text}");
    let err = corpus::open_read(&Target::parse("postgres://u@127.0.0.1:1/x")).err().unwrap();
    assert!(err.to_string().contains("cannot connect"), "{err}");
    let err = Store::open(&Target::parse("postgres://u@h/db?sslmode=verify")).err().unwrap();
    assert!(err.to_string().contains("sslmode=verify is not one of"), "{err}");
    let err = Store::open(&Target::parse("postgres://u@h/db?sslmode=verify-full&sslrootcert=/no/such/ca.pem")).err().unwrap();
    assert!(err.to_string().contains("sslrootcert /no/such/ca.pem"), "{err}");
    let err = Store::open(&Target::parse("postgres://u@h:notaport/db")).err().unwrap();
    assert!(err.to_string().contains("not a valid PostgreSQL URL"), "{err}");

    let Some(admin) = databases::postgres_url("a_wrong_password") else { return };
    let wrong = wrong_password(&admin);
    let err = Store::open(&Target::parse(&wrong)).err().unwrap();
    let text = err.to_string();
    assert!(text.contains("password authentication failed"), "{text}");
    assert!(!text.contains("not-the-password"), "the password leaked: {text}");
}

/// The admin URL with its password replaced.
fn wrong_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let at = rest.find('@').expect("the test URL has a user");
    let user = rest[..at].split(':').next().unwrap();
    format!("{scheme}://{user}:not-the-password{}", &rest[at..])
}

/// TLS with libpq's `sslmode` meanings, against the test server, whose certificate (from
/// `scripts/postgres-test-server.sh`) names `localhost` only and is signed by a CA of its own.
#[test]
fn postgres_over_tls_follows_sslmode() {
    let test = "postgres_over_tls_follows_sslmode";
    let Some(admin) = databases::postgres_url(test) else { return };
    let Some(ca) = databases::postgres_ca(test) else { return };
    let ca = ca.display().to_string();
    let url = |host: &str, params: &str| {
        let (scheme, rest) = admin.split_once("://").unwrap();
        let at = rest.find('@').unwrap();
        let host_end = at + 1 + rest[at + 1..].find([':', '/']).unwrap();
        let rest = format!("{}{host}{}", &rest[..=at], &rest[host_end..]);
        let sep = if rest.contains('?') { '&' } else { '?' };
        format!("{scheme}://{rest}{sep}{params}")
    };
    let encrypted = |url: &str| -> bool {
        let mut conn = corpus::Conn::postgres(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let sql = "SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
        conn.query_row("test", sql, &[]).unwrap().unwrap()[0].int() == Some(1)
    };
    assert!(!encrypted(&url("127.0.0.1", "sslmode=disable")));
    // prefer (the default) and require encrypt without checking who signed the certificate.
    assert!(encrypted(&url("127.0.0.1", "application_name=x")));
    assert!(encrypted(&url("127.0.0.1", "sslmode=require")));
    assert!(encrypted(&url("localhost", &format!("sslmode=verify-full&sslrootcert={ca}"))));
    // verify-ca checks the chain, not the name.
    assert!(encrypted(&url("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={ca}"))));
    assert!(encrypted(&url("127.0.0.1", &format!("sslmode=require&sslrootcert={ca}"))));

    let refused = |url: &str| corpus::Conn::postgres(url).err().unwrap_or_else(|| panic!("{url} connected")).to_string();
    let err = refused(&url("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={ca}")));
    assert!(err.contains("not valid for name \"127.0.0.1\"") && err.contains("verify-ca only"), "{err}");
    // The compiled-in Mozilla roots do not know the test CA.
    let err = refused(&url("localhost", "sslmode=verify-full"));
    assert!(err.contains("UnknownIssuer") && err.contains("sslrootcert=PATH"), "{err}");
    assert!(!err.contains("unspin_test:unspin_test"), "the password leaked: {err}");

    // A corpus written over verify-full reads back over plain TCP.
    let db = databases::postgres(test).unwrap();
    let plain = db.to_string_with_password();
    let tls = url("localhost", &format!("sslmode=verify-full&sslrootcert={ca}"));
    let tls = format!("{tls}&{}", plain.split_once('?').unwrap().1);
    let mut store = Store::open(&Target::parse(&tls)).unwrap();
    store.put(&key(0), "hash", &ModelId::none("test"), &analysis(0, &DOCS[0])).unwrap();
    store.finish().unwrap();
    assert_eq!(db.count("documents"), 1);
}

/// Rows go in as multi-row INSERTs in chunks of 32, 16, … 1 rows: a document of 45 sentences and
/// 37 spans crosses every chunk size, and each row must come back once, with its own values.
#[test]
fn long_documents_store_every_row_once() {
    let text: String = (0..45).map(|i| format!("Sentence {i} has the word alpha{i}. ")).collect();
    let text: &'static str = Box::leak(text.trim_end().to_owned().into_boxed_str());
    assert_eq!(unspin::segment::segment(text).sentences.len(), 45);
    let spans: Vec<(Technique, &'static str)> = (0..37)
        .map(|i| {
            let technique = if i % 2 == 0 { LoadedLanguage } else { Doubt };
            (technique, &*Box::leak(format!("word alpha{i}.").into_boxed_str()))
        })
        .collect();
    let spec = Spec {
        outlet: "long.example",
        date: Some("2024-05-01"),
        text,
        spans: Box::leak(spans.clone().into_boxed_slice()),
        claims: 0,
        unattributed: 0,
        subjective: None,
    };
    for db in databases("long_documents_store_every_row_once") {
        let mut store = Store::open(&db.target).unwrap();
        store.put(&key(0), "hash", &ModelId::none("test"), &analysis(0, &spec)).unwrap();
        store.finish().unwrap();
        assert_eq!(db.count("spans"), 37);
        assert_eq!(db.count("sentences"), 45);
        assert_eq!(db.count("sentence_techniques"), 37);
        let mut conn = db.raw();
        let idx: Vec<i64> = conn
            .query("test", "SELECT idx FROM sentences ORDER BY idx", &[])
            .unwrap()
            .iter()
            .map(|r| r[0].int().unwrap())
            .collect();
        assert_eq!(idx, (0..45).collect::<Vec<i64>>());
        let stored: Vec<(String, String, i64)> = conn
            .query("test", "SELECT technique, text, char_start FROM spans ORDER BY char_start", &[])
            .unwrap()
            .iter()
            .map(|r| (r[0].text().unwrap().to_owned(), r[1].text().unwrap().to_owned(), r[2].int().unwrap()))
            .collect();
        for ((technique, quote), (t, stored_text, start)) in spans.iter().zip(&stored) {
            assert_eq!((t.as_str(), stored_text.as_str()), (technique.label(), *quote));
            assert_eq!(text.chars().skip(*start as usize).take(quote.chars().count()).collect::<String>(), *quote);
        }
    }
}
