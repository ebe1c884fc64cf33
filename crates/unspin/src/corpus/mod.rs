//! Corpus mode: analyses stored in a database, and the aggregates over them.
//!
//! Not a pipeline stage but what comes after one: [`Store`] takes the [`Analysis`] of each
//! document (from any front end) and writes it into an SQLite file, keyed by where the document
//! came from ([`RecordKey`]: the input and the record's index in it); [`trends`] reads the file
//! back as aggregates per outlet, technique and month, computed in SQL. The schema and its
//! migrations are in [`schema`]; `docs/corpus.md` documents every table.
//!
//! - `schema.rs`: the version in the `meta` table and numbered migrations (`migrations/*.sql`).
//! - `store.rs`: the writer (one per file, held by a lock file beside it; batched transactions in
//!   WAL mode so a killed run loses at most the open batch) and [`Lookup`], the read connection
//!   workers use to skip documents already stored.
//! - `trends.rs`: the grouped measures behind `unspin trends`.
//! - `html.rs`: those measures as one self-contained HTML report with SVG charts.
//! - `export.rs`: the tables as Parquet or JSON Lines files (`unspin export`).
//! - `rows.rs`: one analysis as the tables' rows, shared by the store and by front ends that
//!   build the same tables elsewhere (the Python package, the Spark job).

pub mod export;
pub mod html;
pub mod rows;
pub mod schema;
mod store;
pub mod trends;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use schema::SCHEMA_VERSION;
pub use store::{Lookup, Store, DEFAULT_BATCH};

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
    /// of its `config.json` and weight files, followed by `settings`.
    pub fn of_model_dir(dir: &Path, settings: &str) -> Result<Self> {
        let mut hasher = Sha256::new();
        for file in ["config.json", "model.safetensors", "sentence_heads.safetensors"] {
            let path = dir.join(file);
            match std::fs::read(&path) {
                Ok(bytes) => {
                    hasher.update(file.as_bytes());
                    hasher.update((bytes.len() as u64).to_le_bytes());
                    hasher.update(&bytes);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && file != "config.json" => {}
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

/// What a store or trends call failed at, as a library error naming the file.
fn db_error<'a>(path: &'a Path, doing: &'a str) -> impl Fn(rusqlite::Error) -> Error + 'a {
    move |e| Error::Database { path: path.to_owned(), message: format!("{doing}: {e}") }
}

/// Opens an existing corpus for reading (for [`trends`]), refusing a missing file, a foreign
/// database and a newer schema. A database of an older version is read as is when it is
/// current; an older one must be opened by [`Store::open`] once to be migrated.
pub fn open_read(path: &Path) -> Result<rusqlite::Connection> {
    if !path.is_file() {
        return Err(Error::Database { path: path.to_owned(), message: "no such database file".into() });
    }
    // Read-write (but `query_only`) where the file allows it: the last connection to close
    // removes the WAL files, which a read-only one cannot do, so they would be left lying there.
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .and_then(|c| c.execute_batch("PRAGMA query_only = ON").map(|()| c))
        .or_else(|_| {
            rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        })
        .map_err(db_error(path, "opening"))?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(db_error(path, "setting the busy timeout"))?;
    let found = schema::version(&conn, path)?;
    schema::check_not_newer(found, path)?;
    if found < SCHEMA_VERSION {
        return Err(Error::Database {
            path: path.to_owned(),
            message: format!(
                "schema version {found} is older than {SCHEMA_VERSION}; run `unspin index` on it once to migrate it"
            ),
        });
    }
    Ok(conn)
}

/// The lock file that keeps a second writer away: `<db>-lock`, beside SQLite's own `-wal` and
/// `-shm` files.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-lock");
    PathBuf::from(name)
}
