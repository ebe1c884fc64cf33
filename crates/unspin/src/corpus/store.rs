//! The writer: one document's analysis in, its rows out, in batched transactions.
//!
//! Crash safety comes from SQLite: the file is in WAL mode and every [`Store::put`] or
//! [`Store::put_error`] runs inside the open transaction, committed every `batch` records. A run
//! killed at any moment (`kill -9` included) leaves every committed batch whole and the open one
//! absent; running again skips what was committed and redoes the rest. A record's rows are
//! replaced, never added to: each key holds at most one document or one error.
//!
//! One writer per file: [`Store::open`] takes an exclusive lock on `<db>-lock` for as long as the
//! store lives (a lock, not a database transaction, because the writer commits between batches
//! and another writer must not slip in between). The lock is the operating system's, so a killed
//! writer never leaves a stale one.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};

use super::rows::Rows;
use super::{db_error, lock_path, schema, ModelId, RecordKey};
use crate::report::Analysis;
use crate::{Error, Result};

/// Records per transaction by default.
pub const DEFAULT_BATCH: usize = 200;

/// The one writer of a corpus file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    batch: usize,
    /// Records written in the open transaction.
    open: usize,
    // Held, not read: the lock lasts as long as the file is open. Declared after `conn` so the
    // connection closes first.
    _lock: File,
}

impl Store {
    /// Opens (creating it if needed) the corpus at `path` for writing: takes the writer lock,
    /// migrates the schema, switches to WAL, and opens the first transaction.
    pub fn open(path: &Path) -> Result<Store> {
        let lock_file = lock_path(path);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_file)
            .map_err(|e| Error::Database { path: path.to_owned(), message: format!("cannot create {}: {e}", lock_file.display()) })?;
        match fs4::FileExt::try_lock(&lock) {
            Ok(()) => {}
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(Error::Locked { path: path.to_owned(), lock: lock_file });
            }
            Err(fs4::TryLockError::Error(e)) => {
                return Err(Error::Database { path: path.to_owned(), message: format!("locking {}: {e}", lock_file.display()) });
            }
        }
        let mut conn = Connection::open(path).map_err(db_error(path, "opening"))?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(db_error(path, "setting the busy timeout"))?;
        // Reading the version first refuses a newer database before anything is written to it.
        let found = schema::version(&conn, path)?;
        schema::check_not_newer(found, path)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db_error(path, "switching to WAL"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Database { path: path.to_owned(), message: format!("cannot use WAL (journal mode {mode})") });
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(db_error(path, "setting pragmas"))?;
        schema::migrate(&mut conn, path)?;
        conn.execute_batch("BEGIN IMMEDIATE").map_err(db_error(path, "starting a transaction"))?;
        Ok(Store { conn, path: path.to_owned(), batch: DEFAULT_BATCH, open: 0, _lock: lock })
    }

    /// Records per transaction (at least 1).
    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read connection for worker threads, to ask whether a document is already stored. It
    /// sees committed batches only, which is all it needs: a key appears once per run.
    pub fn lookup(&self) -> Result<Lookup> {
        let conn = Connection::open_with_flags(&self.path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(db_error(&self.path, "opening a reader"))?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(db_error(&self.path, "setting the busy timeout"))?;
        Ok(Lookup { conn: Mutex::new(conn), path: self.path.clone() })
    }

    /// Stores one document's analysis under `key`, replacing whatever the key held.
    pub fn put(&mut self, key: &RecordKey, content_hash: &str, model: &ModelId, analysis: &Analysis) -> Result<()> {
        let path = self.path.clone();
        let err = |doing: &'static str| db_error(&path, doing);
        self.clear(key)?;
        let rows = Rows::new(key, content_hash, model, analysis);
        let d = &rows.document;
        self.conn
            .prepare_cached(
                "INSERT INTO documents (source, record, doc_id, url, outlet, outlet_name, title, date, language, \
                 chars, words, sentences, spans, span_sentences, claims, unattributed, subjective, scored, score, \
                 content_hash, model, model_version, analysed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
                 ?21, ?22, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            )
            .and_then(|mut st| {
                st.execute(params![
                    d.source,
                    d.record as i64,
                    d.doc_id,
                    d.url,
                    d.outlet,
                    d.outlet_name,
                    d.title,
                    d.date,
                    d.language,
                    d.chars as i64,
                    d.words as i64,
                    d.sentences as i64,
                    d.spans as i64,
                    d.span_sentences as i64,
                    d.claims as i64,
                    d.unattributed as i64,
                    d.subjective.map(|n| n as i64),
                    d.scored as i64,
                    d.score,
                    d.content_hash,
                    d.model,
                    d.model_version,
                ])
            })
            .map_err(err("storing a document"))?;
        let id = self.conn.last_insert_rowid();
        {
            let mut st = self
                .conn
                .prepare_cached(
                    "INSERT INTO spans (doc, technique, char_start, char_end, byte_start, byte_end, text, confidence) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(err("storing spans"))?;
            for s in &rows.spans {
                st.execute(params![
                    id,
                    s.technique,
                    s.char_start as i64,
                    s.char_end as i64,
                    s.byte_start as i64,
                    s.byte_end as i64,
                    s.text,
                    s.confidence,
                ])
                .map_err(err("storing spans"))?;
            }
            let mut st = self
                .conn
                .prepare_cached("INSERT INTO sentence_techniques (doc, sentence, technique) VALUES (?1, ?2, ?3)")
                .map_err(err("storing sentence techniques"))?;
            for r in &rows.sentence_techniques {
                st.execute(params![id, r.sentence as i64, r.technique]).map_err(err("storing sentence techniques"))?;
            }
            let mut st = self
                .conn
                .prepare_cached(
                    "INSERT INTO sentences (doc, idx, char_start, char_end, checkworthy, subjective, source_kind, \
                     claim, unattributed, hedged, insinuation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(err("storing sentences"))?;
            for s in &rows.sentences {
                st.execute(params![
                    id,
                    s.idx as i64,
                    s.char_start as i64,
                    s.char_end as i64,
                    s.checkworthy,
                    s.subjective,
                    s.source_kind,
                    s.claim,
                    s.unattributed,
                    s.hedged,
                    s.insinuation,
                ])
                .map_err(err("storing sentences"))?;
            }
        }
        self.wrote()
    }

    /// Records that the document at `key` could not be read or analysed, replacing whatever the
    /// key held.
    pub fn put_error(&mut self, key: &RecordKey, message: &str) -> Result<()> {
        self.clear(key)?;
        self.conn
            .prepare_cached(
                "INSERT INTO errors (source, record, message, at) \
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            )
            .and_then(|mut st| st.execute(params![key.source, key.record as i64, message]))
            .map_err(db_error(&self.path, "storing an error"))?;
        self.wrote()
    }

    /// Commits the open transaction. Dropping a store without it loses the open batch, as a
    /// killed run would.
    pub fn finish(mut self) -> Result<()> {
        self.commit(false)
    }

    fn clear(&mut self, key: &RecordKey) -> Result<()> {
        let path = &self.path;
        // Spans and sentences go with their document (ON DELETE CASCADE).
        for sql in ["DELETE FROM documents WHERE source = ?1 AND record = ?2", "DELETE FROM errors WHERE source = ?1 AND record = ?2"] {
            self.conn
                .prepare_cached(sql)
                .and_then(|mut st| st.execute(params![key.source, key.record as i64]))
                .map_err(db_error(path, "replacing a record"))?;
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
        self.conn.execute_batch("COMMIT").map_err(db_error(&self.path, "committing"))?;
        self.open = 0;
        if reopen {
            self.conn.execute_batch("BEGIN IMMEDIATE").map_err(db_error(&self.path, "starting a transaction"))?;
        }
        Ok(())
    }
}

/// Asks whether a document is already stored; shared by worker threads.
pub struct Lookup {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Lookup {
    /// Whether `key` holds a document with this content hash, analysed by this model.
    pub fn is_current(&self, key: &RecordKey, content_hash: &str, model: &ModelId) -> Result<bool> {
        let conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        conn.prepare_cached(
            "SELECT 1 FROM documents WHERE source = ?1 AND record = ?2 AND content_hash = ?3 \
             AND model = ?4 AND model_version = ?5",
        )
        .and_then(|mut st| {
            st.query_row(params![key.source, key.record as i64, content_hash, model.name, model.version], |_| Ok(()))
                .optional()
        })
        .map(|found| found.is_some())
        .map_err(db_error(&self.path, "looking up a document"))
    }
}
