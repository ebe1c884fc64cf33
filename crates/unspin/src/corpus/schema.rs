//! The schema version and the migrations that bring a database up to it.
//!
//! The version lives in the `meta` table (`key = 'schema_version'`). Migrations are numbered SQL
//! files in `migrations/`, compiled in; opening a database applies those above its version, in
//! one transaction. A database of a newer version than [`SCHEMA_VERSION`] is refused, never
//! touched: an older unspin cannot know what a newer one's columns mean.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::db_error;
use crate::{Error, Result};

/// The schema this version of unspin writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Migration `n` brings a database from version `n - 1` to `n`.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("migrations/0001_initial.sql"))];

/// The schema version of the database behind `conn`: 0 for an empty database (or one whose
/// `meta` table says 0), an error for one that holds tables but no `meta` (not an unspin corpus).
pub fn version(conn: &Connection, path: &Path) -> Result<i64> {
    let has_meta: bool = conn
        .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')", [], |r| {
            r.get(0)
        })
        .map_err(db_error(path, "reading the schema"))?;
    if !has_meta {
        let tables: i64 = conn
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))
            .map_err(db_error(path, "reading the schema"))?;
        if tables > 0 {
            return Err(Error::Database {
                path: path.to_owned(),
                message: "not an unspin corpus (it has tables but no `meta` table)".into(),
            });
        }
        return Ok(0);
    }
    let value: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0))
        .optional()
        .map_err(db_error(path, "reading the schema version"))?;
    match value {
        None => Ok(0),
        Some(v) => v.trim().parse().map_err(|_| Error::Database {
            path: path.to_owned(),
            message: format!("schema_version {v:?} in the meta table is not a number"),
        }),
    }
}

/// Refuses a database newer than this unspin.
pub fn check_not_newer(found: i64, path: &Path) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { path: path.to_owned(), found, supported: SCHEMA_VERSION });
    }
    Ok(())
}

/// Brings the database up to [`SCHEMA_VERSION`]; returns the version it had.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<i64> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(db_error(path, "starting the migration"))?;
    let found = version(&tx, path)?;
    check_not_newer(found, path)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        .map_err(db_error(path, "creating the meta table"))?;
    for (n, sql) in MIGRATIONS.iter().filter(|(n, _)| *n > found) {
        tx.execute_batch(sql).map_err(db_error(path, &format!("applying migration {n}")))?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?1) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [SCHEMA_VERSION.to_string()],
    )
    .map_err(db_error(path, "recording the schema version"))?;
    tx.commit().map_err(db_error(path, "committing the migration"))?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_up_to_the_version() {
        for (i, (n, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*n, i as i64 + 1);
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.0), Some(SCHEMA_VERSION));
    }

    #[test]
    fn empty_database_is_version_0_and_migrates_to_current() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(version(&conn, path).unwrap(), 0);
        assert_eq!(migrate(&mut conn, path).unwrap(), 0);
        assert_eq!(version(&conn, path).unwrap(), SCHEMA_VERSION);
        // Idempotent: a second open changes nothing.
        assert_eq!(migrate(&mut conn, path).unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn foreign_database_is_refused() {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE notes (x TEXT)").unwrap();
        let err = migrate(&mut conn, path).unwrap_err().to_string();
        assert!(err.contains("not an unspin corpus"), "{err}");
    }
}
