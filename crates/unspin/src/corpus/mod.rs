//! Corpus mode: analyses stored in a database, and the aggregates over them.
//!
//! Not a pipeline stage but what comes after one: [`Store`] takes the [`Analysis`] of each
//! document (from any front end) and writes it into a database, keyed by where the document came
//! from ([`RecordKey`]: the input and the record's index in it); [`trends`] reads it back as
//! aggregates per outlet, technique and month, computed in SQL. The database is an SQLite file or
//! a PostgreSQL database ([`Target`]), with the same tables in both; the schema and its
//! migrations are in [`schema`]; `docs/corpus.md` documents every table.
//!
//! - `db.rs`: the two databases behind one connection type ([`Conn`]): queries are written once,
//!   with `?` parameters, and values come back as [`db::Value`]s.
//! - `schema.rs`: the version in the `meta` table and numbered migrations
//!   (`migrations/{sqlite,postgres}/*.sql`).
//! - `store.rs`: the writer (one per database, held by a lock file beside an SQLite file or an
//!   advisory lock in PostgreSQL; batched transactions, in WAL mode on SQLite, so a killed run
//!   loses at most the open batch) and [`Lookup`], the read connection workers use to skip
//!   documents already stored.
//! - `trends.rs`: the grouped measures behind `unspin trends`.
//! - `browse.rs`: documents one by one: a sorted, filtered page of them, and each one's stored
//!   report (the corpus view of `unspin serve --db`).
//! - `html.rs`: those measures as one self-contained HTML report with SVG charts.
//! - `export.rs`: the tables as Parquet or JSON Lines files (`unspin export`).
//! - `rows.rs`: one analysis as the tables' rows, shared by the store and by front ends that
//!   build the same tables elsewhere (the Python package, the Spark job).

pub mod browse;
pub mod db;
pub mod export;
pub mod html;
pub mod rows;
pub mod schema;
mod store;
pub mod tls;
pub mod trends;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use db::{Conn, Target};
pub use schema::SCHEMA_VERSION;
pub use store::{Lookup, Store, DEFAULT_BATCH};

use crate::detect::neural::ModelConfig;
use crate::{Document, Error, Result};

/// Where a document came from: the input as given on the command line (`-` for standard input)
/// and the 0-based index of the record within it (0 for a single-document file). Every item an
/// input yields counts, errors included, so the key of a record does not depend on whether the
/// records before it could be read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordKey {
    pub source: String,
    pub record: u64,
}

/// Which analysis produced the stored rows: documents analysed by another model (or the same
/// model with other settings) are not "already stored".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelId {
    /// `none` without a technique model, else the model folder's name (`unspin-ptc-minilm`).
    pub name: String,
    /// A fingerprint of the weights and settings (see [`ModelId::of_model_dir`]).
    pub version: String,
}

impl ModelId {
    /// No technique model: the claims stage alone. `settings` names what else changes the
    /// output (e.g. `min_confidence=0`).
    pub fn none(settings: &str) -> Self {
        ModelId { name: "none".into(), version: settings.to_owned() }
    }

    /// The model in `dir`: its folder name, and as version the first 16 hex digits of the SHA-256
    /// of its `config.json` and weight files (and those of the sentence models its config names),
    /// followed by `settings`.
    pub fn of_model_dir(dir: &Path, settings: &str) -> Result<Self> {
        let mut hasher = Sha256::new();
        let mut files: Vec<PathBuf> =
            ["config.json", "model.safetensors", "sentence_heads.safetensors"].iter().map(PathBuf::from).collect();
        // A config that does not read names no sentence model; its own bytes are still hashed.
        let refs = ModelConfig::read(&dir.join("config.json")).map(|c| c.sentence_model_refs()).unwrap_or_default();
        for sub in refs.into_iter().map(|r| PathBuf::from(r.dir)) {
            files.extend([sub.join("config.json"), sub.join("model.safetensors")]);
        }
        for (k, file) in files.iter().enumerate() {
            let path = dir.join(file);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    hasher.update(file.to_string_lossy().as_bytes());
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(&bytes);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && k != 0 => {}
                Err(source) => return Err(Error::Io { origin: crate::error::Origin::file(path), source }),
            }
        }
        let name = dir.file_name().map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
        let digest = hex(&hasher.finalize());
        Ok(ModelId { name, version: format!("{};{settings}", &digest[..16]) })
    }
}

/// SHA-256 (hex) of a document as `extract --format json` shows it: id, text and metadata. A
/// document whose text or metadata changed is analysed again.
pub fn content_hash(doc: &Document) -> String {
    let mut hasher = Sha256::new();
    hasher.update(doc.id.as_bytes());
    hasher.update([0]);
    hasher.update(doc.text.as_bytes());
    hasher.update([0]);
    // Serialising plain data cannot fail; an empty fallback would still be deterministic.
    hasher.update(serde_json::to_vec(&doc.meta).unwrap_or_default());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens an existing corpus for reading (for [`trends`] and [`export`]), refusing a missing
/// file, a foreign database and a newer schema. A database of an older version must be opened by
/// [`Store::open`] once to be migrated.
pub fn open_read(target: &Target) -> Result<Conn> {
    let mut conn = match target {
        Target::Sqlite(path) => open_sqlite_read(path)?,
        Target::Postgres(url) => {
            let mut conn = Conn::postgres(url)?;
            conn.batch("making the session read-only", "SET default_transaction_read_only = on")?;
            conn
        }
    };
    let found = schema::version(&mut conn)?;
    schema::check_not_newer(found, &conn)?;
    if found == 0 && conn.tables()?.is_empty() {
        return Err(conn.error("reading", "it holds no unspin corpus yet; `unspin index` creates one"));
    }
    if found < SCHEMA_VERSION {
        return Err(conn.error(
            "reading",
            format!("schema version {found} is older than {SCHEMA_VERSION}; run `unspin index` on it once to migrate it"),
        ));
    }
    Ok(conn)
}

fn open_sqlite_read(path: &Path) -> Result<Conn> {
    let fail = |message: String| Error::Database { db: path.display().to_string(), message };
    if !path.is_file() {
        return Err(fail("no such database file".into()));
    }
    // Read-write (but `query_only`) where the file allows it: the last connection to close
    // removes the WAL files, which a read-only one cannot do, so they would be left lying there.
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .and_then(|c| c.execute_batch("PRAGMA query_only = ON").map(|()| c))
        .or_else(|_| {
            rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        })
        .map_err(|e| fail(format!("opening: {e}")))?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| fail(format!("setting the busy timeout: {e}")))?;
    Ok(Conn::sqlite(conn, path))
}

/// The lock file that keeps a second writer away: `<db>-lock`, beside SQLite's own `-wal` and
/// `-shm` files.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The version covers the weights and config of every sentence model the config names, in
    /// either form, and nothing else in their folders.
    #[test]
    fn a_model_id_covers_its_sentence_models() {
        let fast = crate::detect::neural::model_dir(Some("fast")).unwrap();
        let base: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(fast.join("config.json")).unwrap()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        for sub in ["one", "two"] {
            std::fs::create_dir(dir.join(sub)).unwrap();
            std::fs::write(dir.join(sub).join("config.json"), "{}").unwrap();
            std::fs::write(dir.join(sub).join("model.safetensors"), "weights").unwrap();
        }
        let mut config = base.clone();
        config["sentence_model"] = serde_json::json!("one");
        config["sentence_models"] = serde_json::json!([{"dir": "two", "tasks": ["subjective"]}]);
        std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
        let version = || ModelId::of_model_dir(dir, "s").unwrap().version;
        for sub in ["one", "two"] {
            let before = version();
            std::fs::write(dir.join(sub).join("notes.txt"), "not read").unwrap();
            assert_eq!(version(), before, "{sub}: only config.json and weights count");
            std::fs::write(dir.join(sub).join("model.safetensors"), format!("new {sub}")).unwrap();
            assert_ne!(version(), before, "{sub}: its weights are part of the version");
        }
    }
}
