//! The schema version and the migrations that bring a database up to it.
//!
//! The version lives in the `meta` table (`key = 'schema_version'`). Migrations are numbered SQL
//! files in `migrations/`, compiled in; opening a database applies those above its version, in
//! one transaction. A database of a newer version than [`SCHEMA_VERSION`] is refused, never
//! touched: an older unspin cannot know what a newer one's columns mean.

use super::db::{Conn, Dialect};
use crate::{Error, Result};

/// The schema this version of unspin writes and reads.
pub const SCHEMA_VERSION: i64 = 3;

/// Migration `n` brings a database from version `n - 1` to `n`, in each database's dialect.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, include_str!("migrations/sqlite/0001_initial.sql"), include_str!("migrations/postgres/0001_initial.sql")),
    (2, include_str!("migrations/sqlite/0002_reports.sql"), include_str!("migrations/postgres/0002_reports.sql")),
    (
        3,
        concat!(include_str!("migrations/sqlite/0003_rollup.sql"), include_str!("migrations/rollup_rebuild.sql")),
        concat!(include_str!("migrations/postgres/0003_rollup.sql"), include_str!("migrations/rollup_rebuild.sql")),
    ),
];

/// Recomputes the `rollup` table from the stored rows, in one transaction: for rows written by
/// something other than [`super::Store`] (a bulk load, a benchmark's synthetic rows).
pub fn rebuild_rollup(conn: &mut Conn) -> Result<()> {
    conn.batch("starting the rebuild", "BEGIN")?;
    let done = conn
        .batch("clearing the rollup", "DELETE FROM rollup")
        .and_then(|()| conn.batch("rebuilding the rollup", include_str!("migrations/rollup_rebuild.sql")));
    match done {
        Ok(()) => conn.batch("committing the rebuild", "COMMIT"),
        Err(e) => {
            let _ = conn.batch("rolling back the rebuild", "ROLLBACK");
            Err(e)
        }
    }
}

/// The schema version of the database behind `conn`: 0 for an empty database (or one whose
/// `meta` table says 0), an error for one that holds tables but no `meta` (not an unspin corpus).
pub fn version(conn: &mut Conn) -> Result<i64> {
    let tables = conn.tables()?;
    if !tables.iter().any(|t| t == "meta") {
        if !tables.is_empty() {
            return Err(Error::Database {
                db: conn.name().to_owned(),
                message: "not an unspin corpus (it has tables but no `meta` table)".into(),
            });
        }
        return Ok(0);
    }
    let value = conn.query_row("reading the schema version", "SELECT value FROM meta WHERE key = 'schema_version'", &[])?;
    match value.and_then(|row| row.into_iter().next()) {
        None => Ok(0),
        Some(v) => {
            let text = v.text().unwrap_or_default().trim().to_owned();
            text.parse().map_err(|_| Error::Database {
                db: conn.name().to_owned(),
                message: format!("schema_version {text:?} in the meta table is not a number"),
            })
        }
    }
}

/// Refuses a database newer than this unspin.
pub fn check_not_newer(found: i64, conn: &Conn) -> Result<()> {
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { db: conn.name().to_owned(), found, supported: SCHEMA_VERSION });
    }
    Ok(())
}

/// Brings the database up to [`SCHEMA_VERSION`] in one transaction; returns the version it had.
/// The caller holds the writer lock, so no other process migrates at the same time.
pub fn migrate(conn: &mut Conn) -> Result<i64> {
    let begin = match conn.dialect() {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    };
    conn.batch("starting the migration", begin)?;
    let done = migrate_in_transaction(conn);
    match done {
        Ok(found) => {
            conn.batch("committing the migration", "COMMIT")?;
            Ok(found)
        }
        Err(e) => {
            // The transaction's changes go; the error that caused it is the one to report.
            let _ = conn.batch("rolling back the migration", "ROLLBACK");
            Err(e)
        }
    }
}

fn migrate_in_transaction(conn: &mut Conn) -> Result<i64> {
    let found = version(conn)?;
    check_not_newer(found, conn)?;
    conn.batch("creating the meta table", "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
    for (n, sqlite, postgres) in MIGRATIONS.iter().filter(|(n, ..)| *n > found) {
        let sql = match conn.dialect() {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        };
        conn.batch(&format!("applying migration {n}"), sql)?;
    }
    let version = SCHEMA_VERSION.to_string();
    conn.execute(
        "recording the schema version",
        "INSERT INTO meta (key, value) VALUES ('schema_version', ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[version.as_str().into()],
    )?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order_up_to_the_version() {
        for (i, (n, ..)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*n, i as i64 + 1);
        }
        assert_eq!(MIGRATIONS.last().map(|m| m.0), Some(SCHEMA_VERSION));
    }

    #[test]
    fn empty_database_is_version_0_and_migrates_to_current() {
        let mut conn = memory();
        assert_eq!(version(&mut conn).unwrap(), 0);
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&mut conn).unwrap(), SCHEMA_VERSION);
        // Idempotent: a second open changes nothing.
        assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
    }

    fn memory() -> Conn {
        Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap(), std::path::Path::new(":memory:"))
    }

    /// The tables and columns each migration creates, in order, from its SQL text.
    fn columns(sql: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        for block in sql.split("CREATE TABLE ").skip(1) {
            let (name, body) = block.split_once('(').unwrap();
            let body = &body[..body.find("\n)").unwrap()];
            let cols = body
                .lines()
                .map(|l| l.trim())
                .filter(|l| !l.is_empty() && !l.starts_with("--") && !l.starts_with("PRIMARY") && !l.starts_with("UNIQUE"))
                .map(|l| l.split_whitespace().next().unwrap().to_owned())
                .collect();
            out.push((name.trim().to_owned(), cols));
        }
        out
    }

    #[test]
    fn both_dialects_create_the_same_tables_and_columns() {
        for (n, sqlite, postgres) in MIGRATIONS {
            let tables = columns(sqlite);
            assert!(!tables.is_empty(), "migration {n}: {tables:?}");
            assert_eq!(tables, columns(postgres), "migration {n}");
        }
    }

    #[test]
    fn foreign_database_is_refused() {
        let mut conn = memory();
        conn.batch("test", "CREATE TABLE notes (x TEXT)").unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("not an unspin corpus"), "{err}");
    }
}
