//! Query times of corpus mode over a large synthetic database: every `unspin trends` grouping
//! (with and without a technique filter) and the first page of the corpus view's document table,
//! on SQLite or PostgreSQL, plus the database's size per 1,000 documents.
//!
//!   cargo run --release -p unspin --example corpus_bench -- DB [DOCUMENTS]
//!
//! DB is an SQLite path (created; an existing file is reused if it holds DOCUMENTS documents) or
//! a `postgres://` URL (its current schema must be empty or hold such a corpus). DOCUMENTS
//! defaults to 1,000,000. The rows are synthetic but shaped like real ones: 60 outlets, 36
//! months, 400–1,200 words, 4 spans per document over the 14 techniques, 2 technique-sentences,
//! a few claims. Each query runs three times; the table gives the fastest and the slowest.

use std::time::Instant;

use unspin::corpus::browse::{self, ListQuery, SortKey};
use unspin::corpus::db::Dialect;
use unspin::corpus::trends::{self, Filter, GroupBy};
use unspin::corpus::{self, Conn, Store, Target};
use unspin::detect::Technique;

fn main() {
    if let Err(e) = run() {
        eprintln!("corpus_bench: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: corpus_bench DB [DOCUMENTS]")?;
    let n: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1_000_000);
    let target = Target::parse(&db);
    // Creates the schema (and takes the writer lock while generating).
    let store = Store::open(&target)?;
    store.finish()?;
    let mut conn = match &target {
        Target::Sqlite(path) => Conn::sqlite(rusqlite::Connection::open(path)?, path),
        Target::Postgres(url) => Conn::postgres(url)?,
    };
    let have = count(&mut conn, "documents")?;
    if have != n {
        if have != 0 {
            return Err(format!("{db} holds {have} documents, not {n}: give an empty database").into());
        }
        let started = Instant::now();
        generate(&mut conn, n)?;
        eprintln!("generated {n} documents in {:.1} s", started.elapsed().as_secs_f64());
    }
    let spans = count(&mut conn, "spans")?;
    println!("database: {} ({} documents, {} spans)", target, n, spans);
    if let Some(bytes) = size(&mut conn, &target)? {
        println!("size: {:.1} MB, {:.2} MB per 1,000 documents", bytes as f64 / 1e6, bytes as f64 / 1e6 / (n as f64 / 1000.0));
    }
    drop(conn);

    let mut read = corpus::open_read(&target)?;
    println!("{:<44} {:>9} {:>9} {:>6}", "query", "best s", "worst s", "rows");
    let loaded = Filter { technique: Some(Technique::LoadedLanguage), ..Filter::default() };
    let outlet = Filter { outlets: vec!["outlet7.example".into()], ..Filter::default() };
    for (name, by, filter) in [
        ("trends --by outlet", GroupBy::Outlet, Filter::default()),
        ("trends --by month", GroupBy::Month, Filter::default()),
        ("trends --by outlet,month", GroupBy::OutletMonth, Filter::default()),
        ("trends --by technique", GroupBy::Technique, Filter::default()),
        ("trends --by outlet --technique Loaded_Language", GroupBy::Outlet, loaded.clone()),
        ("trends --by outlet,month --technique …", GroupBy::OutletMonth, loaded.clone()),
        ("trends --by month --outlet outlet7.example", GroupBy::Month, outlet.clone()),
    ] {
        let (best, worst, rows) = time3(|| Ok(trends::query(&mut read, by, &filter)?.len()))?;
        println!("{name:<44} {best:>9.3} {worst:>9.3} {rows:>6}");
    }
    for (name, query) in [
        ("documents, newest first", ListQuery { limit: 25, ..ListQuery::default() }),
        ("documents by rate", ListQuery { sort: SortKey::Rate, limit: 25, ..ListQuery::default() }),
        ("documents with Loaded_Language, by spans", ListQuery { filter: loaded.clone(), sort: SortKey::Spans, limit: 25, ..ListQuery::default() }),
    ] {
        let (best, worst, rows) = time3(|| Ok(browse::documents(&mut read, &query)?.documents.len()))?;
        println!("{name:<44} {best:>9.3} {worst:>9.3} {rows:>6}");
    }
    Ok(())
}

fn time3(mut f: impl FnMut() -> unspin::Result<usize>) -> unspin::Result<(f64, f64, usize)> {
    let (mut best, mut worst, mut rows) = (f64::MAX, 0.0f64, 0);
    for _ in 0..3 {
        let t = Instant::now();
        rows = f()?;
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        worst = worst.max(s);
    }
    Ok((best, worst, rows))
}

fn count(conn: &mut Conn, table: &str) -> unspin::Result<u64> {
    Ok(conn.query_row("counting", &format!("SELECT COUNT(*) FROM {table}"), &[])?.and_then(|r| r[0].int()).unwrap_or(0) as u64)
}

fn size(conn: &mut Conn, target: &Target) -> Result<Option<u64>, Box<dyn std::error::Error>> {
    Ok(match target {
        Target::Sqlite(path) => Some(std::fs::metadata(path)?.len()),
        Target::Postgres(_) => conn
            .query_row(
                "measuring",
                "SELECT CAST(SUM(pg_total_relation_size(c.oid)) AS BIGINT) FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'",
                &[],
            )?
            .and_then(|r| r[0].int())
            .map(|b| b as u64),
    })
}

/// Synthetic rows, generated inside the database (a recursive CTE in SQLite, `generate_series`
/// in PostgreSQL) in one transaction.
fn generate(conn: &mut Conn, n: u64) -> unspin::Result<()> {
    let labels: Vec<String> = Technique::ALL.iter().map(|t| format!("'{}'", t.label())).collect();
    let techniques = labels.join(", ");
    let dialect = conn.dialect();
    let series = match dialect {
        Dialect::Sqlite => format!("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {}) ", n - 1),
        Dialect::Postgres => format!("WITH s(i) AS (SELECT generate_series(CAST(0 AS BIGINT), {})) ", n - 1),
    };
    // 36 months from 2023-01: month index = i % 36.
    let date = match dialect {
        Dialect::Sqlite => "printf('%04d-%02d-%02d', 2023 + (i % 36) / 12, 1 + (i % 36) % 12, 1 + i % 28)".to_owned(),
        Dialect::Postgres => {
            "to_char(make_date(CAST(2023 + (i % 36) / 12 AS INT), CAST(1 + (i % 36) % 12 AS INT), CAST(1 + i % 28 AS INT)), 'YYYY-MM-DD')"
                .to_owned()
        }
    };
    let array = |i: &str| match dialect {
        // SQLite has no arrays: pick with a CASE over the index.
        Dialect::Sqlite => {
            let arms: Vec<String> =
                Technique::ALL.iter().enumerate().map(|(k, t)| format!("WHEN {k} THEN '{}'", t.label())).collect();
            format!("CASE {i} {} END", arms.join(" "))
        }
        Dialect::Postgres => format!("(ARRAY[{techniques}])[1 + {i}]"),
    };
    conn.batch("generating", "BEGIN")?;
    conn.batch(
        "generating documents",
        &format!(
            "{series}INSERT INTO documents (id, source, record, doc_id, url, outlet, title, date, language, chars, words, \
             sentences, spans, span_sentences, claims, unattributed, subjective, scored, score, content_hash, model, \
             model_version, analysed_at) \
             SELECT i + 1, 'synthetic.jsonl', i, 'doc' || i, 'https://outlet' || (i % 60) || '.example/' || i, \
             'outlet' || (i % 60) || '.example', 'Story ' || i, {date}, 'en', 6000, 400 + (i * 7919) % 800, \
             20 + i % 30, 4, 2, i % 6, i % 3, i % 9, 20 + i % 30, 0.1 * (i % 10), 'h' || i, 'synthetic', 'v1', '2026-12-01T00:00:00Z' FROM s"
        ),
    )?;
    // Four spans per document: technique (i * 3 + k * 5 + i / 60) % 14, skewed towards the first.
    let technique = array("((i * 3 + k * 5 + i / 60) % 14) * ((i + k) % 3) / 2");
    let k4 = "(SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)";
    conn.batch(
        "generating spans",
        &format!(
            "{series}INSERT INTO spans (doc, technique, char_start, char_end, byte_start, byte_end, text, confidence) \
             SELECT i + 1, {technique}, 100 * k, 100 * k + 20, 100 * k, 100 * k + 20, 'synthetic span', 0.5 FROM s, {k4} ks"
        ),
    )?;
    let sentence_technique = array("((i * 3 + k * 5 + i / 60) % 14) * ((i + k) % 3) / 2");
    conn.batch(
        "generating sentence techniques",
        &format!(
            "{series}INSERT INTO sentence_techniques (doc, sentence, technique) \
             SELECT DISTINCT i + 1, k, {sentence_technique} FROM s, (SELECT 0 AS k UNION ALL SELECT 1) ks"
        ),
    )?;
    conn.batch("generating", "COMMIT")?;
    corpus::schema::rebuild_rollup(conn)?;
    if dialect == Dialect::Postgres {
        conn.batch("analysing", "ANALYZE")?;
        // Later writers must not collide with the ids given here.
        conn.batch("resetting the id sequence", "SELECT setval(pg_get_serial_sequence('documents', 'id'), (SELECT MAX(id) FROM documents))")?;
    } else {
        conn.batch("analysing", "ANALYZE")?;
    }
    Ok(())
}
