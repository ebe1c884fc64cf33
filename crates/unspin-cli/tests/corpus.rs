//! Corpus mode end to end: `unspin index` and `unspin trends` as a user runs them, on the repo's
//! example and JSON Lines written here. `--no-model` throughout: storage, resumption and the
//! command line are the point, not the model (the library's `tests/corpus.rs` checks the
//! measures against hand counts).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::prelude::*;
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;

mod common;
use common::{run, Run};
#[path = "../../unspin/tests/support/databases.rs"]
mod databases;

fn unspin() -> Command {
    Command::cargo_bin("unspin").unwrap()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}


fn index(db: &Path, inputs: &[&Path], extra: &[&str]) -> Run {
    run(unspin().args(["index", "--no-model", "--progress", "never", "--db"]).arg(db).args(extra).args(inputs))
}

/// `n` articles over three outlets and four months, with a line that is not JSON after the
/// third record when `bad` is set.
/// The language of each outlet's documents.
const LANGUAGES: [&str; 3] = ["en", "en-GB", "de"];

fn write_jsonl(path: &Path, n: usize, bad: bool) {
    let mut out = String::new();
    for i in 0..n {
        let sentences: Vec<String> = (0..12)
            .map(|s| format!("The minister of outlet {} said on day {s} that the plan for article {i} would fail badly.", i % 3))
            .collect();
        let record = serde_json::json!({
            "id": format!("doc{i}"),
            "text": sentences.join(" "),
            "url": format!("https://www.outlet{}.com/news/{i}", i % 3),
            "date": format!("2024-0{}-15", 1 + i % 4),
            "language": LANGUAGES[i % 3],
        });
        out.push_str(&record.to_string());
        out.push('\n');
        if bad && i == 2 {
            out.push_str("{this is not json\n");
        }
    }
    std::fs::write(path, out).unwrap();
}

fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn count(db: &Path, sql: &str) -> i64 {
    read_only(db).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Rows in every table, in a fixed order: what must not change on a rerun.
fn counts(db: &Path) -> [i64; 5] {
    ["documents", "spans", "sentences", "sentence_techniques", "errors"]
        .map(|t| count(db, &format!("SELECT COUNT(*) FROM {t}")))
}

#[test]
fn corpus_index_is_idempotent_and_records_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, 6, true);
    let db = dir.path().join("corpus.sqlite");

    let first = index(&db, &[&examples(), &jsonl], &[]);
    // One record failed, the others were stored: exit 1, as `analyze` does.
    assert_eq!(first.code, 1, "{}", first.stderr);
    assert!(first.stdout.contains("7 stored, 0 already current (skipped), 1 errors"), "{}", first.stdout);
    assert!(first.stderr.contains("news.jsonl, line 4: not valid JSON"), "{}", first.stderr);
    let after_first = counts(&db);
    assert_eq!(after_first[0], 7, "the example and six JSON Lines records");
    assert_eq!(after_first[4], 1);
    assert_eq!(after_first[2], count(&db, "SELECT SUM(sentences) FROM documents"));
    let message: String = read_only(&db)
        .query_row("SELECT message FROM errors WHERE record = 3", [], |r| r.get(0))
        .unwrap();
    assert!(message.contains("not valid JSON"), "{message}");
    // Metadata and where each document came from.
    let (doc_id, outlet, date, record): (String, String, String, i64) = read_only(&db)
        .query_row(
            "SELECT doc_id, outlet, date, record FROM documents WHERE source LIKE '%news.jsonl' AND doc_id = 'doc3'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((doc_id.as_str(), outlet.as_str(), date.as_str(), record), ("doc3", "outlet0.com", "2024-04-15", 4));
    let model: String = read_only(&db).query_row("SELECT DISTINCT model FROM documents", [], |r| r.get(0)).unwrap();
    assert_eq!(model, "none");

    let again = index(&db, &[&examples(), &jsonl], &[]);
    assert!(again.stdout.contains("0 stored, 7 already current (skipped), 1 errors"), "{}", again.stdout);
    assert_eq!(counts(&db), after_first, "a rerun duplicates nothing");

    let redo = index(&db, &[&examples(), &jsonl], &["--reanalyze"]);
    assert!(redo.stdout.contains("7 stored, 0 already current (skipped), 1 errors"), "{}", redo.stdout);
    assert_eq!(counts(&db), after_first, "--reanalyze replaces rows");

    // Other settings are another analysis: the documents are redone, not added.
    let other = index(&db, &[&jsonl], &["--min-confidence", "0.5"]);
    assert!(other.stdout.contains("6 stored, 0 already current"), "{}", other.stdout);
    assert_eq!(counts(&db), after_first);

    // The database reads back through trends.
    let csv = run(unspin().args(["trends", "--by", "outlet", "--format", "csv", "--db"]).arg(&db));
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert!(lines[0].starts_with("outlet,documents,words,"), "{}", lines[0]);
    assert!(lines[0].contains("\"rate_Name_Calling,Labeling\""), "{}", lines[0]);
    // The example has no URL: its outlet is empty, sorted first.
    let outlets: Vec<(&str, &str)> = lines[1..].iter().map(|l| { let f: Vec<&str> = l.split(',').collect(); (f[0], f[1]) }).collect();
    assert_eq!(outlets, [("", "1"), ("outlet0.com", "2"), ("outlet1.com", "2"), ("outlet2.com", "2")]);
}

#[test]
fn corpus_trends_every_grouping_format_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, 8, false);
    let db = dir.path().join("corpus.sqlite");
    assert_eq!(index(&db, &[&jsonl], &[]).code, 0);
    let trends = |args: &[&str]| run(unspin().arg("trends").arg("--db").arg(&db).args(args));

    let json = |args: &[&str]| -> Value {
        let r = trends(&[args, &["--format", "json"]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    // Eight documents: outlets 0,1,2,0,1,2,0,1 and months 01,02,03,04,01,02,03,04.
    let v = json(&["--by", "outlet"]);
    assert_eq!(v["by"], "outlet");
    let docs = |v: &Value, key: &str| -> Vec<(String, u64)> {
        v["rows"].as_array().unwrap().iter().map(|r| (r[key].as_str().unwrap().to_owned(), r["documents"].as_u64().unwrap())).collect()
    };
    assert_eq!(docs(&v, "outlet"), [("outlet0.com".into(), 3), ("outlet1.com".into(), 3), ("outlet2.com".into(), 2)]);
    let row = &v["rows"][0];
    // Three documents of twelve 18-word sentences.
    assert_eq!(row["words"], 3 * 12 * 18);
    assert_eq!(row["sentences"], 3 * 12);
    assert_eq!(row["spans"], 0);
    assert!(row["subjective_share"].is_null(), "no scores without a model");
    let v = json(&["--by", "month"]);
    assert_eq!(docs(&v, "month"), [("2024-01".into(), 2), ("2024-02".into(), 2), ("2024-03".into(), 2), ("2024-04".into(), 2)]);
    let v = json(&["--by", "outlet,month"]);
    // Document i is outlet i % 3, month i % 4 + 1: eight documents, eight different pairs.
    assert_eq!(v["rows"].as_array().unwrap().len(), 8);
    let v = json(&["--by", "technique"]);
    assert_eq!(v["rows"].as_array().unwrap().len(), 0, "no spans without a model");

    // Filters.
    let v = json(&["--by", "month", "--outlet", "outlet2.com"]);
    assert_eq!(docs(&v, "month"), [("2024-02".into(), 1), ("2024-03".into(), 1)]);
    let v = json(&["--by", "month", "--since", "2024-02", "--until", "2024-03"]);
    assert_eq!(docs(&v, "month"), [("2024-02".into(), 2), ("2024-03".into(), 2)]);
    let v = json(&["--by", "outlet", "--min-documents", "3"]);
    assert_eq!(docs(&v, "outlet"), [("outlet0.com".into(), 3), ("outlet1.com".into(), 3)]);
    // Languages: outlet 0 writes en, outlet 1 en-GB, outlet 2 de; `en` takes both English tags.
    let v = json(&["--by", "outlet", "--language", "EN"]);
    assert_eq!(docs(&v, "outlet"), [("outlet0.com".into(), 3), ("outlet1.com".into(), 3)]);
    let v = json(&["--by", "outlet", "--language", "en-gb,de"]);
    assert_eq!(docs(&v, "outlet"), [("outlet1.com".into(), 3), ("outlet2.com".into(), 2)]);
    assert_eq!(json(&["--by", "outlet", "--language", "e_"])["rows"].as_array().unwrap().len(), 0, "no wildcards");
    let v = json(&["--by", "outlet", "--technique", "Loaded_Language"]);
    assert_eq!(v["rows"][0]["technique_rates"].as_object().unwrap().keys().collect::<Vec<_>>(), ["Loaded_Language"]);

    let table = trends(&["--by", "outlet,month"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(lines[0].starts_with("outlet ") && lines[0].contains("month") && lines[0].contains("documents"), "{}", lines[0]);
    assert!(lines[1].starts_with("outlet0.com  2024-01"), "{}", table.stdout);

    // HTML: one self-contained file per grouping, charts as inline SVG, nothing fetched.
    for by in ["outlet", "month", "outlet,month", "technique"] {
        let r = trends(&["--by", by, "--format", "html", "--since", "2024-01"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let html = &r.stdout;
        assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"), "{by}");
        assert!(html.contains(&format!("unspin trends by {by}")), "{by}");
        assert!(html.contains("from 2024-01"), "{by}: the filters are described");
        assert!(!html.contains("<script") && !html.contains("src="), "{by}: nothing to load");
        match by {
            // No spans without a model: no technique rows at all.
            "technique" => assert!(html.contains("No documents match."), "{html}"),
            "outlet" => {
                assert!(html.contains("<svg") && html.contains("<td>outlet2.com</td>"), "{html}");
                assert!(html.contains("None of these outlets is in the shipped ratings."), "{html}");
            }
            _ => assert!(html.contains("<path") && html.contains(">2024-04</text>"), "{html}"),
        }
    }

    for bad in [&["--by", "weekday"][..], &["--by", "outlet", "--technique", "Lies"], &["--by", "outlet", "--since", "May"]] {
        assert_eq!(trends(bad).code, 2, "{bad:?}");
    }
}

#[test]
fn corpus_export_writes_every_table_as_parquet_and_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, 4, true);
    let db = dir.path().join("corpus.sqlite");
    // Exit 1: the run went through, but one record was bad (and is in `errors`).
    assert_eq!(index(&db, &[&jsonl], &[]).code, 1);
    let sentences = count(&db, "SELECT COUNT(*) FROM sentences");
    for format in ["parquet", "jsonl"] {
        let out = dir.path().join(format);
        let r = run(unspin().args(["export", "--format", format, "--db"]).arg(&db).arg("--out").arg(&out));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("documents: 4 rows") && r.stderr.contains("errors: 1 rows"), "{}", r.stderr);
        assert!(r.stderr.contains(&format!("sentences: {sentences} rows")), "{}", r.stderr);
        for table in ["documents", "spans", "sentences", "errors"] {
            assert!(out.join(format!("{table}.{format}")).is_file(), "{format} {table}");
        }
    }
    // JSON Lines: one object per stored document, with the database's columns.
    let docs = std::fs::read_to_string(dir.path().join("jsonl/documents.jsonl")).unwrap();
    let first: Value = serde_json::from_str(docs.lines().next().unwrap()).unwrap();
    assert_eq!(first["outlet"], "outlet0.com");
    assert_eq!(first["language"], "en");
    // Parquet starts and ends with its magic bytes.
    let parquet = std::fs::read(dir.path().join("parquet/documents.parquet")).unwrap();
    assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));

    // Nowhere to write: exit 2, and the database is untouched.
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let r = run(unspin().args(["export", "--db"]).arg(&db).arg("--out").arg(file.join("out")));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("plain-file"), "{}", r.stderr);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 4);
}

#[test]
fn corpus_bad_databases_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, 2, false);
    // Unwritable: under a regular file (a read-only directory would not stop root).
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let r = index(&file.join("corpus.sqlite"), &[&jsonl], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("database") && r.stderr.contains("plain-file"), "{}", r.stderr);
    let r = index(&dir.path().join("no/such/dir/corpus.sqlite"), &[&jsonl], &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);

    let r = run(unspin().args(["trends", "--by", "outlet", "--db"]).arg(dir.path().join("missing.sqlite")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no such database file"), "{}", r.stderr);

    // A newer schema is refused by both commands, and left as it was.
    let db = dir.path().join("corpus.sqlite");
    assert_eq!(index(&db, &[&jsonl], &[]).code, 0);
    Connection::open(&db).unwrap().execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'", []).unwrap();
    let r = index(&db, &[&jsonl], &["--reanalyze"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("schema version 4 is newer than this unspin supports (3)"), "{}", r.stderr);
    let r = run(unspin().args(["trends", "--by", "outlet", "--db"]).arg(&db));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("newer"), "{}", r.stderr);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 2);
}

fn spawn_index(db: &Path, jsonl: &Path) -> Child {
    unspin()
        .args(["index", "--no-model", "--progress", "never", "--jobs", "1", "--db"])
        .arg(db)
        .arg(jsonl)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Committed documents, or 0 while the file or its tables do not exist yet.
fn committed(db: &Path) -> i64 {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0)))
        .unwrap_or(0)
}

/// Waits until at least `n` documents are committed; false if the child exited first.
fn wait_for(db: &Path, child: &mut Child, n: i64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if committed(db) >= n {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("no batch committed in two minutes");
}

#[test]
fn corpus_index_resumes_after_kill_9_and_refuses_a_second_writer() {
    const N: i64 = 3000;
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, N as usize, false);
    let db = dir.path().join("corpus.sqlite");

    // Kill it twice, each time after another batch (of 200) has been committed.
    let mut killed_at = Vec::new();
    for target in [1, 600] {
        let mut child = spawn_index(&db, &jsonl);
        assert!(wait_for(&db, &mut child, target), "the run ended before it could be killed; raise N");
        if target == 1 {
            // While it writes, a second writer is refused with a clear message.
            let second = index(&db, &[&jsonl], &[]);
            assert_eq!(second.code, 2, "{}", second.stderr);
            assert!(second.stderr.contains("another unspin process is writing to it"), "{}", second.stderr);
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        killed_at.push(committed(&db));
    }
    let at = *killed_at.last().unwrap();
    assert!(at > 0 && at < N, "killed with {at} of {N} stored");
    assert_eq!(at % 200, 0, "only whole batches are committed");

    let last = index(&db, &[&jsonl], &[]);
    assert_eq!(last.code, 0, "{}", last.stderr);
    assert!(last.stdout.contains(&format!("{} stored, {at} already current", N - at)), "{}", last.stdout);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), N);
    assert_eq!(count(&db, "SELECT COUNT(DISTINCT doc_id) FROM documents"), N, "each document exactly once");
    assert_eq!(count(&db, "SELECT COUNT(DISTINCT record) FROM documents"), N);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sentences"), N * 12);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM errors"), 0);
}

/// `trends` in JSON, for comparing two databases.
fn trends_json(db: &str, by: &str, extra: &[&str]) -> Value {
    let r = run(unspin().args(["trends", "--format", "json", "--by", by, "--db", db]).args(extra));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// An exported JSON Lines table without the columns that differ between two runs by design
/// (database ids and the time of analysis).
fn exported(dir: &Path, table: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join(format!("{table}.jsonl"))).unwrap();
    text.lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            for key in ["id", "doc", "analysed_at", "at"] {
                v.as_object_mut().unwrap().remove(key);
            }
            v
        })
        .collect()
}

#[test]
fn corpus_postgres_holds_what_sqlite_holds_and_resumes_after_kill_9() {
    let Some(pg) = databases::postgres("corpus_postgres_cli") else { return };
    let url = pg.to_string_with_password();
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, 6, true);
    let sqlite = dir.path().join("corpus.sqlite");

    let into_pg = run(unspin().args(["index", "--no-model", "--progress", "never", "--db", &url]).arg(examples()).arg(&jsonl));
    assert_eq!(into_pg.code, 1, "{}", into_pg.stderr);
    assert!(into_pg.stdout.contains("7 stored, 0 already current (skipped), 1 errors"), "{}", into_pg.stdout);
    assert!(!into_pg.stdout.contains("unspin_test:unspin_test"), "the password is printed: {}", into_pg.stdout);
    let again = run(unspin().args(["index", "--no-model", "--progress", "never", "--db", &url]).arg(examples()).arg(&jsonl));
    assert!(again.stdout.contains("0 stored, 7 already current (skipped), 1 errors"), "{}", again.stdout);
    assert_eq!(index(&sqlite, &[&examples(), &jsonl], &[]).code, 1);

    // Every grouping and a filter give the same rows from both databases.
    let sqlite_str = sqlite.to_str().unwrap();
    for by in ["outlet", "technique", "month", "outlet,month"] {
        for extra in [&[][..], &["--language", "en", "--since", "2024-02"][..], &["--technique", "Loaded_Language"][..]] {
            let a = trends_json(sqlite_str, by, extra);
            let b = trends_json(&url, by, extra);
            assert_eq!(a["rows"], b["rows"], "--by {by} {extra:?}");
        }
    }
    assert!(!trends_json(&url, "outlet", &[])["rows"].as_array().unwrap().is_empty());
    // And the same tables.
    for (db, out) in [(sqlite_str, "from-sqlite"), (url.as_str(), "from-postgres")] {
        let r = run(unspin().args(["export", "--format", "jsonl", "--db", db, "--out"]).arg(dir.path().join(out)));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for table in ["documents", "spans", "sentences", "errors"] {
        let a = exported(&dir.path().join("from-sqlite"), table);
        assert!(!a.is_empty() || table == "spans", "{table} is empty");
        assert_eq!(a, exported(&dir.path().join("from-postgres"), table), "{table}");
    }

    // Killed with kill -9 while it writes, then run again: every document exactly once.
    const N: i64 = 2000;
    let big = dir.path().join("big.jsonl");
    write_jsonl(&big, N as usize, false);
    let committed = || pg.count_where("documents", "source LIKE '%big.jsonl'");
    let mut child = unspin()
        .args(["index", "--no-model", "--progress", "never", "--jobs", "1", "--db", &url])
        .arg(&big)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while committed() < 1 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed; raise N");
        assert!(Instant::now() < deadline, "no batch committed in two minutes");
        std::thread::sleep(Duration::from_millis(5));
    }
    // A second writer is refused while the first holds the schema's lock.
    let second = run(unspin().args(["index", "--no-model", "--progress", "never", "--db", &url]).arg(&big));
    assert_eq!(second.code, 2, "{}", second.stderr);
    assert!(second.stderr.contains("another unspin process is writing to it"), "{}", second.stderr);
    child.kill().unwrap();
    child.wait().unwrap();
    let at = committed();
    assert!(at > 0 && at < N && at % 200 == 0, "killed with {at} of {N} stored: whole batches only");
    let last = run(unspin().args(["index", "--no-model", "--progress", "never", "--db", &url]).arg(&big));
    assert_eq!(last.code, 0, "{}", last.stderr);
    assert!(last.stdout.contains(&format!("{} stored, {at} already current", N - at)), "{}", last.stdout);
    assert_eq!(committed(), N);
    assert_eq!(pg.count_where("documents", "source LIKE '%big.jsonl' AND record < 2000"), N);
    let distinct = pg.raw().query_row("test", "SELECT COUNT(DISTINCT record) FROM documents WHERE source LIKE '%big.jsonl'", &[]);
    assert_eq!(distinct.unwrap().unwrap()[0].int(), Some(N), "each document exactly once");
}

#[test]
fn corpus_postgres_bad_connections_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, 1, false);
    // Unreachable: nothing listens on port 1.
    let r = run(unspin().args(["index", "--no-model", "--db", "postgres://u:pw@127.0.0.1:1/x"]).arg(&jsonl));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("cannot connect") && !r.stderr.contains(":pw@"), "{}", r.stderr);
    let r = run(unspin().args(["trends", "--by", "outlet", "--db", "postgres://u:pw@127.0.0.1:1/x"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    let Some(admin) = databases::postgres_url("corpus_postgres_bad_connections") else { return };
    let (scheme, rest) = admin.split_once("://").unwrap();
    let at = rest.find('@').unwrap();
    let user = rest[..at].split(':').next().unwrap();
    let wrong = format!("{scheme}://{user}:wrong-pw{}", &rest[at..]);
    let r = run(unspin().args(["index", "--no-model", "--db", &wrong]).arg(&jsonl));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("password authentication failed") && !r.stderr.contains("wrong-pw"), "{}", r.stderr);
}

/// A full disk, simulated by a file-size limit (`ulimit -f`, with SIGXFSZ ignored so that writes
/// past it fail with EFBIG as on a full filesystem): the run stops with exit 2 and a message, the
/// committed batches stay whole and readable, and a rerun with room finishes the job.
#[test]
fn corpus_full_disk_stops_cleanly_and_loses_nothing_committed() {
    const N: i64 = 3000;
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("news.jsonl");
    write_jsonl(&jsonl, N as usize, false);
    let db = dir.path().join("corpus.sqlite");
    let bin = assert_cmd::cargo::cargo_bin("unspin");
    let out = Command::new("bash")
        .arg("-c")
        .arg("ulimit -f 4096; trap '' XFSZ; exec \"$0\" index --no-model --progress never --jobs 1 --db \"$1\" \"$2\"")
        .arg(&bin)
        .arg(&db)
        .arg(&jsonl)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("database") && stderr.contains("is the disk full"), "{stderr}");
    let stored = count(&db, "SELECT COUNT(*) FROM documents");
    assert!(stored > 0 && stored < N && stored % 200 == 0, "{stored} stored: whole batches only");
    let ok: String = read_only(&db).query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let last = index(&db, &[&jsonl], &[]);
    assert_eq!(last.code, 0, "{}", last.stderr);
    assert!(last.stdout.contains(&format!("{} stored, {stored} already current", N - stored)), "{}", last.stdout);
    assert_eq!(count(&db, "SELECT COUNT(DISTINCT record) FROM documents"), N);
}
