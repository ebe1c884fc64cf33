//! The writer: one document's analysis in, its rows out, in batched transactions.
//!
//! Crash safety comes from the database: every [`Store::put`] or [`Store::put_error`] runs inside
//! the open transaction, committed every `batch` records (an SQLite file is in WAL mode). A run
//! killed at any moment (`kill -9` included) leaves every committed batch whole and the open one
//! absent; running again skips what was committed and redoes the rest. A record's rows are
//! replaced, never added to: each key holds at most one document or one error.
//!
//! One writer per database: [`Store::open`] takes a lock for as long as the store lives (a lock,
//! not a database transaction, because the writer commits between batches and another writer
//! must not slip in between). For SQLite it is an exclusive lock on `<db>-lock`, the operating
//! system's, so a killed writer never leaves a stale one; for PostgreSQL a session advisory lock
//! keyed by the schema, which the server drops when the writer's connection ends.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use super::db::{Conn, Dialect, Param, Target};
use super::rows::Rows;
use super::{lock_path, schema, ModelId, RecordKey};
use crate::report::Analysis;
use crate::{Error, Result};

/// Records per transaction by default.
pub const DEFAULT_BATCH: usize = 200;

/// The one writer of a corpus file.
pub struct Store {
    conn: Conn,
    target: Target,
    batch: usize,
    /// Records written in the open transaction.
    open: usize,
    /// [`INSERT_DOCUMENT`] in this database's dialect, spelled once at open.
    insert_document: String,
    /// The multi-row INSERTs of [`Store::insert_rows`], by table and row count, spelled once.
    inserts: HashMap<(&'static str, usize), String>,
    /// The rollup's changes in the open transaction, by cell and technique, written just before
    /// it commits: documents of one outlet and day share a cell, so one UPSERT per cell and
    /// batch replaces one per document.
    rollup: HashMap<RollKey, [i64; 11]>,
    /// The input being written, and whether the database held nothing of it before: its records
    /// then need no replacing.
    current: Option<Fresh>,
    // Held, not read: the lock file's lock lasts as long as the store (none for PostgreSQL, whose
    // lock belongs to the connection). Declared after `conn` so the connection closes first.
    _lock: Option<File>,
}

/// The statement that inserts a document row and returns its id.
const INSERT_DOCUMENT: &str = "INSERT INTO documents (source, record, doc_id, url, outlet, outlet_name, title, date, \
     language, chars, words, sentences, spans, span_sentences, claims, unattributed, subjective, scored, score, \
     content_hash, model, model_version, analysed_at) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW) RETURNING id";

impl Store {
    /// Opens (creating it if needed) the corpus at `target` for writing: takes the writer lock,
    /// migrates the schema, switches an SQLite file to WAL, and opens the first transaction.
    pub fn open(target: &Target) -> Result<Store> {
        let (mut conn, lock) = match target {
            Target::Sqlite(path) => {
                let lock = lock_file(path)?;
                (open_sqlite(path)?, Some(lock))
            }
            Target::Postgres(url) => {
                let mut conn = Conn::postgres(url)?;
                // One writer per schema: the key is the schema's name, hashed.
                let got = conn.query_row(
                    "taking the writer lock",
                    &format!("SELECT pg_try_advisory_lock({PG_LOCK_KEY})"),
                    &[],
                )?;
                if got.and_then(|r| r.first().and_then(|v| v.int())) != Some(1) {
                    return Err(Error::Locked {
                        db: conn.name().to_owned(),
                        lock: "the schema's advisory lock (pg_locks shows it)".into(),
                    });
                }
                (conn, None)
            }
        };
        // Refuses a foreign or newer database, inside its transaction, before writing anything.
        schema::migrate(&mut conn)?;
        conn.batch("starting a transaction", begin(conn.dialect()))?;
        let insert_document = INSERT_DOCUMENT.replace("NOW", conn.dialect().now());
        Ok(Store {
            conn,
            target: target.clone(),
            batch: DEFAULT_BATCH,
            open: 0,
            insert_document,
            inserts: HashMap::new(),
            rollup: HashMap::new(),
            current: None,
            _lock: lock,
        })
    }

    /// Records per transaction (at least 1).
    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A read connection for worker threads, to ask whether a document is already stored. It
    /// sees committed batches only, which is all it needs: a key appears once per run.
    pub fn lookup(&self) -> Result<Lookup> {
        let conn = match &self.target {
            Target::Sqlite(path) => {
                let fail = |doing: &str, e: rusqlite::Error| Error::Database {
                    db: path.display().to_string(),
                    message: format!("{doing}: {e}"),
                };
                let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                    .map_err(|e| fail("opening a reader", e))?;
                c.busy_timeout(Duration::from_secs(5)).map_err(|e| fail("setting the busy timeout", e))?;
                Conn::sqlite(c, path)
            }
            Target::Postgres(url) => Conn::postgres(url)?,
        };
        Ok(Lookup { inner: Mutex::new(LookupInner { conn, inputs: Vec::new() }) })
    }

    /// Stores one document's analysis under `key`, replacing whatever the key held.
    pub fn put(&mut self, key: &RecordKey, content_hash: &str, model: &ModelId, analysis: &Analysis) -> Result<()> {
        self.replace(key)?;
        let rows = Rows::new(key, content_hash, model, analysis);
        let d = &rows.document;
        let params: [Param<'_>; 22] = [
            d.source.into(),
            d.record.into(),
            d.doc_id.into(),
            d.url.into(),
            d.outlet.into(),
            d.outlet_name.into(),
            d.title.into(),
            d.date.into(),
            d.language.into(),
            d.chars.into(),
            d.words.into(),
            d.sentences.into(),
            d.spans.into(),
            d.span_sentences.into(),
            d.claims.into(),
            d.unattributed.into(),
            d.subjective.into(),
            d.scored.into(),
            d.score.into(),
            d.content_hash.into(),
            d.model.into(),
            d.model_version.into(),
        ];
        let id = self
            .conn
            .query_row("storing a document", &self.insert_document, &params)?
            .and_then(|r| r.first().and_then(|v| v.int()))
            .ok_or_else(|| self.conn.error("storing a document", "no id came back"))?;
        let spans: Vec<[Param<'_>; 8]> = rows
            .spans
            .iter()
            .map(|s| {
                [
                    id.into(),
                    s.technique.into(),
                    s.char_start.into(),
                    s.char_end.into(),
                    s.byte_start.into(),
                    s.byte_end.into(),
                    s.text.into(),
                    s.confidence.into(),
                ]
            })
            .collect();
        self.insert_rows(
            "storing spans",
            "spans (doc, technique, char_start, char_end, byte_start, byte_end, text, confidence)",
            &spans,
        )?;
        let report = serde_json::to_string(&crate::report::json::DocumentRecord::new(analysis, false))
            .map_err(|e| self.conn.error("storing a report", e))?;
        self.conn.execute(
            "storing a report",
            "INSERT INTO reports (doc, schema_version, json) VALUES (?, ?, ?)",
            &[id.into(), crate::report::SCHEMA_VERSION.into(), report.as_str().into()],
        )?;
        self.roll(&Contribution::of(&rows), 1);
        let techniques: Vec<[Param<'_>; 3]> =
            rows.sentence_techniques.iter().map(|r| [id.into(), r.sentence.into(), r.technique.into()]).collect();
        self.insert_rows("storing sentence techniques", "sentence_techniques (doc, sentence, technique)", &techniques)?;
        let sentences: Vec<[Param<'_>; 11]> = rows
            .sentences
            .iter()
            .map(|s| {
                [
                    id.into(),
                    s.idx.into(),
                    s.char_start.into(),
                    s.char_end.into(),
                    s.checkworthy.into(),
                    s.subjective.into(),
                    s.source_kind.into(),
                    s.claim.into(),
                    s.unattributed.into(),
                    s.hedged.into(),
                    s.insinuation.into(),
                ]
            })
            .collect();
        self.insert_rows(
            "storing sentences",
            "sentences (doc, idx, char_start, char_end, checkworthy, subjective, source_kind, claim, unattributed, \
             hedged, insinuation)",
            &sentences,
        )?;
        self.wrote()
    }

    /// Records that the document at `key` could not be read or analysed, replacing whatever the
    /// key held.
    pub fn put_error(&mut self, key: &RecordKey, message: &str) -> Result<()> {
        self.replace(key)?;
        let sql = format!("INSERT INTO errors (source, record, message, at) VALUES (?, ?, ?, {})", self.conn.dialect().now());
        self.conn.execute("storing an error", &sql, &[key.source.as_str().into(), key.record.into(), message.into()])?;
        self.wrote()
    }

    /// Commits the open transaction. Dropping a store without it loses the open batch, as a
    /// killed run would.
    pub fn finish(mut self) -> Result<()> {
        self.commit(false)
    }

    /// Makes room for `key`: clears what it holds, unless its input held nothing when this
    /// store first wrote to it. Inputs are written in order, record after record, so a record
    /// number that does not grow means the input is being read a second time (`index a a`), and
    /// its records are cleared one by one from then on.
    fn replace(&mut self, key: &RecordKey) -> Result<()> {
        let fresh = match &mut self.current {
            Some(c) if c.source == key.source => {
                c.fresh &= key.record > c.last;
                c.last = key.record;
                c.fresh
            }
            _ => {
                let fresh = !self.holds_any(&key.source)?;
                self.current = Some(Fresh { source: key.source.clone(), fresh, last: key.record });
                fresh
            }
        };
        if fresh {
            Ok(())
        } else {
            self.clear(key)
        }
    }

    /// Whether any document or error of `source` is stored.
    fn holds_any(&mut self, source: &str) -> Result<bool> {
        holds_any(&mut self.conn, "replacing a record", source)
    }

    fn clear(&mut self, key: &RecordKey) -> Result<()> {
        // The document's sums leave its rollup cells first.
        if let Some(old) = self.stored(key)? {
            self.roll(&old, -1);
        }
        // Spans and sentences go with their document (ON DELETE CASCADE).
        for sql in ["DELETE FROM documents WHERE source = ? AND record = ?", "DELETE FROM errors WHERE source = ? AND record = ?"] {
            self.conn.execute("replacing a record", sql, &[key.source.as_str().into(), key.record.into()])?;
        }
        Ok(())
    }

    /// What the document stored under `key` added to the rollup, read back from its rows.
    fn stored(&mut self, key: &RecordKey) -> Result<Option<Contribution>> {
        let doing = "replacing a record";
        let Some(r) = self.conn.query_row(
            doing,
            "SELECT id, outlet, date, language, words, sentences, span_sentences, claims, unattributed, subjective, \
             scored, spans FROM documents WHERE source = ? AND record = ?",
            &[key.source.as_str().into(), key.record.into()],
        )?
        else {
            return Ok(None);
        };
        let n = |i: usize| r[i].int().unwrap_or(0);
        let id = n(0);
        let text = |i: usize| r[i].text().map(str::to_owned);
        let mut techniques: Vec<(String, i64, i64)> = Vec::new();
        for t in self.conn.query(doing, "SELECT technique, COUNT(*) FROM spans WHERE doc = ? GROUP BY technique", &[id.into()])? {
            techniques.push((t[0].text().unwrap_or_default().to_owned(), t[1].int().unwrap_or(0), 0));
        }
        for t in self.conn.query(doing, "SELECT technique, COUNT(*) FROM sentence_techniques WHERE doc = ? GROUP BY technique", &[id.into()])? {
            if let Some(entry) = techniques.iter_mut().find(|e| Some(e.0.as_str()) == t[0].text()) {
                entry.2 = t[1].int().unwrap_or(0);
            }
        }
        Ok(Some(Contribution {
            cell: Cell::new(text(1).as_deref(), text(2).as_deref(), text(3).as_deref()),
            words: n(4),
            sentences: n(5),
            span_sentences: n(6),
            claims: n(7),
            unattributed: n(8),
            subjective: r[9].int(),
            scored: n(10),
            spans: n(11),
            techniques,
        }))
    }

    /// Adds (`sign` 1) or subtracts (-1) a document's sums to its rollup cells, in memory until
    /// the transaction commits ([`Store::flush_rollup`]).
    fn roll(&mut self, c: &Contribution, sign: i64) {
        let cell = &c.cell;
        let subjective = c.subjective.unwrap_or(0);
        let known = i64::from(c.subjective.is_some());
        let mut add = |technique: &str, values: [i64; 11]| {
            let key = RollKey {
                outlet: cell.outlet.clone(),
                day: cell.day.clone(),
                language: cell.language.clone(),
                technique: technique.to_owned(),
            };
            let sums = self.rollup.entry(key).or_default();
            for (sum, v) in sums.iter_mut().zip(values) {
                *sum += sign * v;
            }
        };
        add("", [1, c.words, c.sentences, c.span_sentences, c.claims, c.unattributed, subjective, known, c.scored, c.spans, 0]);
        for (technique, spans, sentences) in &c.techniques {
            add(technique, [1, 0, 0, 0, c.claims, c.unattributed, subjective, known, c.scored, *spans, *sentences]);
        }
    }

    /// Writes the open transaction's rollup changes; a cell that lost documents and is left
    /// with none goes.
    fn flush_rollup(&mut self) -> Result<()> {
        let doing = "updating the rollup";
        let mut changes: Vec<(RollKey, [i64; 11])> = self.rollup.drain().collect();
        // In key order, as the cells sit in the table's primary key: fewer page visits, and the
        // same statements on every run.
        changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (key, values) in &changes {
            if values.iter().all(|&v| v == 0) {
                continue;
            }
            let mut params: Vec<Param<'_>> =
                vec![key.outlet.as_str().into(), key.day.as_str().into(), key.language.as_str().into(), key.technique.as_str().into()];
            params.extend(values.iter().map(|&v| Param::Int(v)));
            self.conn.execute(doing, ROLL, &params)?;
            if values[0] < 0 {
                self.conn.execute(
                    doing,
                    "DELETE FROM rollup WHERE outlet = ? AND day = ? AND language = ? AND technique = ? AND documents <= 0",
                    &params[..4],
                )?;
            }
        }
        Ok(())
    }

    /// Inserts `rows` into `table` (`"name (col, …)"`) with multi-row INSERTs of 32, 16, 8, 4, 2
    /// and 1 rows: a few prepared statements, and on PostgreSQL one round trip per chunk instead
    /// of one per row.
    fn insert_rows<const N: usize>(&mut self, doing: &str, table: &'static str, rows: &[[Param<'_>; N]]) -> Result<()> {
        let mut rest = rows;
        while !rest.is_empty() {
            let n = [32, 16, 8, 4, 2, 1].into_iter().find(|&n| n <= rest.len()).unwrap_or(1);
            let (chunk, tail) = rest.split_at(n);
            let sql = self.inserts.entry((table, n)).or_insert_with(|| {
                let row = format!("({})", vec!["?"; N].join(", "));
                format!("INSERT INTO {table} VALUES {}", vec![row; n].join(", "))
            });
            let params: Vec<Param<'_>> = chunk.iter().flatten().copied().collect();
            self.conn.execute(doing, sql, &params)?;
            rest = tail;
        }
        Ok(())
    }

    fn wrote(&mut self) -> Result<()> {
        self.open += 1;
        if self.open >= self.batch {
            self.commit(true)?;
        }
        Ok(())
    }

    fn commit(&mut self, reopen: bool) -> Result<()> {
        self.flush_rollup()?;
        self.conn.batch("committing", "COMMIT")?;
        self.open = 0;
        if reopen {
            self.conn.batch("starting a transaction", begin(self.conn.dialect()))?;
        }
        Ok(())
    }
}

impl Drop for Store {
    /// Gives PostgreSQL's advisory lock back at once: the server would drop it with the
    /// connection, but only once it has seen the connection end, and a writer that follows at
    /// once must not find it still held. An open batch is not committed (the connection's end
    /// rolls it back), as when the process is killed.
    fn drop(&mut self) {
        if self.conn.dialect() == Dialect::Postgres {
            // ROLLBACK first: an unlock inside a failed transaction would be refused.
            let _ = self.conn.batch("rolling back", "ROLLBACK");
            let _ = self.conn.batch("releasing the writer lock", &format!("SELECT pg_advisory_unlock({PG_LOCK_KEY})"));
        }
    }
}

/// Adds a document's sums to a rollup cell (`migrations/*/0003_rollup.sql`).
const ROLL: &str = "INSERT INTO rollup (outlet, day, language, technique, documents, words, sentences, span_sentences, \
     claims, unattributed, subjective, subjective_documents, scored, spans, technique_sentences) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
     ON CONFLICT (outlet, day, language, technique) DO UPDATE SET \
     documents = rollup.documents + excluded.documents, words = rollup.words + excluded.words, \
     sentences = rollup.sentences + excluded.sentences, span_sentences = rollup.span_sentences + excluded.span_sentences, \
     claims = rollup.claims + excluded.claims, unattributed = rollup.unattributed + excluded.unattributed, \
     subjective = rollup.subjective + excluded.subjective, \
     subjective_documents = rollup.subjective_documents + excluded.subjective_documents, \
     scored = rollup.scored + excluded.scored, spans = rollup.spans + excluded.spans, \
     technique_sentences = rollup.technique_sentences + excluded.technique_sentences";

/// A rollup row's key: a cell and a technique ('' for the row of all techniques).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RollKey {
    outlet: String,
    day: String,
    language: String,
    technique: String,
}

/// The input the writer is on: whether the database held none of it when the writer came to it
/// (`fresh`), and the last record written.
struct Fresh {
    source: String,
    fresh: bool,
    last: u64,
}

/// Whether any document or error of `source` is stored (both tables lead their keys with it).
fn holds_any(conn: &mut Conn, doing: &str, source: &str) -> Result<bool> {
    for sql in ["SELECT 1 FROM documents WHERE source = ? LIMIT 1", "SELECT 1 FROM errors WHERE source = ? LIMIT 1"] {
        if conn.query_row(doing, sql, &[source.into()])?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A rollup cell's key: '' stands for no outlet, date or language.
struct Cell {
    outlet: String,
    day: String,
    language: String,
}

impl Cell {
    fn new(outlet: Option<&str>, date: Option<&str>, language: Option<&str>) -> Cell {
        Cell {
            outlet: outlet.unwrap_or_default().to_owned(),
            // The first ten characters, as SQL's substr(date, 1, 10) counts them.
            day: date.map(|d| d.chars().take(10).collect()).unwrap_or_default(),
            language: language.map(str::to_ascii_lowercase).unwrap_or_default(),
        }
    }
}

/// One document's part of the rollup: its sums, and per technique its spans and the sentences
/// they touch.
struct Contribution {
    cell: Cell,
    words: i64,
    sentences: i64,
    span_sentences: i64,
    claims: i64,
    unattributed: i64,
    subjective: Option<i64>,
    scored: i64,
    spans: i64,
    techniques: Vec<(String, i64, i64)>,
}

impl Contribution {
    fn of(rows: &Rows<'_>) -> Contribution {
        let d = &rows.document;
        let int = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let mut techniques: Vec<(String, i64, i64)> = Vec::new();
        for s in &rows.spans {
            match techniques.iter_mut().find(|e| e.0 == s.technique) {
                Some(e) => e.1 += 1,
                None => techniques.push((s.technique.to_owned(), 1, 0)),
            }
        }
        for st in &rows.sentence_techniques {
            if let Some(e) = techniques.iter_mut().find(|e| e.0 == st.technique) {
                e.2 += 1;
            }
        }
        Contribution {
            cell: Cell::new(d.outlet, d.date, d.language),
            words: int(d.words),
            sentences: int(d.sentences),
            span_sentences: int(d.span_sentences),
            claims: int(d.claims),
            unattributed: int(d.unattributed),
            subjective: d.subjective.map(int),
            scored: int(d.scored),
            spans: int(d.spans),
            techniques,
        }
    }
}

/// The advisory lock of a PostgreSQL corpus: one per schema.
const PG_LOCK_KEY: &str = "hashtext('unspin writer ' || current_schema())";

/// SQLite takes the write lock at the start (`IMMEDIATE`), so a busy file fails there and not
/// halfway through a batch; PostgreSQL's writers are kept apart by the advisory lock.
fn begin(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    }
}

/// Takes the exclusive lock on `<db>-lock`, or says who holds it.
fn lock_file(path: &Path) -> Result<File> {
    let db = path.display().to_string();
    let lock_file = lock_path(path);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_file)
        .map_err(|e| Error::Database { db: db.clone(), message: format!("cannot create {}: {e}", lock_file.display()) })?;
    match fs4::FileExt::try_lock(&lock) {
        Ok(()) => Ok(lock),
        Err(fs4::TryLockError::WouldBlock) => Err(Error::Locked { db, lock: lock_file.display().to_string() }),
        Err(fs4::TryLockError::Error(e)) => {
            Err(Error::Database { db, message: format!("locking {}: {e}", lock_file.display()) })
        }
    }
}

/// Opens an SQLite file for writing, in WAL mode with foreign keys on.
fn open_sqlite(path: &Path) -> Result<Conn> {
    let fail = |doing: &str, e: rusqlite::Error| Error::Database { db: path.display().to_string(), message: format!("{doing}: {e}") };
    let c = rusqlite::Connection::open(path).map_err(|e| fail("opening", e))?;
    c.busy_timeout(Duration::from_secs(5)).map_err(|e| fail("setting the busy timeout", e))?;
    let mut conn = Conn::sqlite(c, path);
    // Refuse a foreign or newer file before switching its journal mode.
    let found = schema::version(&mut conn)?;
    schema::check_not_newer(found, &conn)?;
    let mode = conn
        .query_row("switching to WAL", "PRAGMA journal_mode = WAL", &[])?
        .and_then(|r| r.into_iter().next()?.into_text())
        .unwrap_or_default();
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(conn.error("switching to WAL", format!("cannot use WAL (journal mode {mode})")));
    }
    conn.batch("setting pragmas", "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    Ok(conn)
}

/// Asks whether a document is already stored; shared by worker threads.
pub struct Lookup {
    inner: Mutex<LookupInner>,
}

struct LookupInner {
    conn: Conn,
    /// The last few inputs asked about, newest last, and whether the database held anything of
    /// them when first asked: the records of one that held nothing need no lookup (workers take
    /// an input's records together, so a few suffice). What is stored of it since does not
    /// matter: a key comes once per pass over an input, and a second pass (`index a a`) only
    /// analyses again what it could have skipped.
    inputs: Vec<(String, bool)>,
}

/// Inputs [`LookupInner::inputs`] remembers.
const LOOKUP_INPUTS: usize = 8;

impl Lookup {
    /// Whether `key` holds a document with this content hash, analysed by this model.
    pub fn is_current(&self, key: &RecordKey, content_hash: &str, model: &ModelId) -> Result<bool> {
        let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let LookupInner { conn, inputs } = &mut *inner;
        let doing = "looking up a document";
        let held = match inputs.iter().find(|(s, _)| *s == key.source) {
            Some(&(_, held)) => held,
            None => {
                let held = holds_any(conn, doing, &key.source)?;
                if inputs.len() == LOOKUP_INPUTS {
                    inputs.remove(0);
                }
                inputs.push((key.source.clone(), held));
                held
            }
        };
        if !held {
            return Ok(false);
        }
        let found = conn.query_row(
            doing,
            "SELECT 1 FROM documents WHERE source = ? AND record = ? AND content_hash = ? \
             AND model = ? AND model_version = ?",
            &[
                key.source.as_str().into(),
                key.record.into(),
                content_hash.into(),
                model.name.as_str().into(),
                model.version.as_str().into(),
            ],
        )?;
        Ok(found.is_some())
    }
}
