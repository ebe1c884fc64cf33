//! Fresh, empty corpus databases for tests: always an SQLite file in a temporary folder, and, when
//! `UNSPIN_TEST_POSTGRES` names a PostgreSQL database (a URL whose user may create schemas), a
//! schema of its own there, dropped afterwards. Without the variable the PostgreSQL runs are
//! skipped, loudly; under `CI=true` that is a failure (`scripts/postgres-test-server.sh` starts a
//! server and prints the URL).
//!
//! Shared by the library's and the CLI's tests (`#[path]`-included).

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};

use unspin::corpus::{Conn, Target};

pub const ENV: &str = "UNSPIN_TEST_POSTGRES";

/// One test database; a PostgreSQL schema is dropped when this goes.
pub struct TestDb {
    pub target: Target,
    _dir: Option<tempfile::TempDir>,
    /// The admin URL and the schema to drop.
    schema: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let target = Target::Sqlite(dir.path().join("corpus.sqlite"));
        TestDb { target, _dir: Some(dir), schema: None }
    }

    pub fn is_postgres(&self) -> bool {
        self.schema.is_some()
    }

    /// A read-write connection for edits by hand (no lock, no migration).
    pub fn raw(&self) -> Conn {
        match &self.target {
            Target::Sqlite(path) => Conn::sqlite(rusqlite::Connection::open(path).unwrap(), path),
            Target::Postgres(url) => Conn::postgres(url).unwrap(),
        }
    }

    /// `SELECT COUNT(*) FROM table`.
    pub fn count(&self, table: &str) -> i64 {
        self.count_where(table, "TRUE")
    }

    /// `SELECT COUNT(*) FROM table WHERE condition`; 0 while the table does not exist yet.
    pub fn count_where(&self, table: &str, condition: &str) -> i64 {
        let mut conn = self.raw();
        if !conn.tables().unwrap().iter().any(|t| t == table) {
            return 0;
        }
        let row = conn.query_row("test", &format!("SELECT COUNT(*) FROM {table} WHERE {condition}"), &[]).unwrap().unwrap();
        row[0].int().unwrap()
    }

    /// The target as a command line takes it (a PostgreSQL URL with its password).
    pub fn to_string_with_password(&self) -> String {
        match &self.target {
            Target::Sqlite(path) => path.display().to_string(),
            Target::Postgres(url) => url.clone(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, schema)) = &self.schema {
            if let Ok(mut conn) = Conn::postgres(admin) {
                let _ = conn.batch("test cleanup", &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

/// The admin URL, or `None` (with a loud note) when PostgreSQL tests cannot run here.
pub fn postgres_url(test: &str) -> Option<String> {
    match std::env::var(ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{test}: {ENV} is not set under CI=true; scripts/postgres-test-server.sh starts a server")
        }
        _ => {
            // Straight to the file descriptor: the test harness captures `eprintln!` of passing tests.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "######## {test}: POSTGRESQL RUN SKIPPED ({ENV} not set; see scripts/postgres-test-server.sh) ########"
            );
            None
        }
    }
}

/// Where `scripts/postgres-test-server.sh` leaves the CA certificate of the server's TLS
/// certificate (issued for `localhost` only); `UNSPIN_TEST_POSTGRES_TLS` moves the folder.
pub fn postgres_ca(test: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var("UNSPIN_TEST_POSTGRES_TLS").unwrap_or_else(|_| "/tmp/unspin-postgres-tls".into());
    let ca = std::path::Path::new(&dir).join("ca.pem");
    if ca.is_file() {
        return Some(ca);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{test}: no {} under CI=true; scripts/postgres-test-server.sh makes it", ca.display());
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "######## {test}: POSTGRESQL TLS RUN SKIPPED (no {}; see scripts/postgres-test-server.sh) ########",
        ca.display()
    );
    None
}

/// A fresh schema in the PostgreSQL test server, or `None` when there is none (see above).
pub fn postgres(test: &str) -> Option<TestDb> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let admin = postgres_url(test)?;
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        test.chars().filter(|c| c.is_ascii_alphanumeric()).take(24).collect::<String>().to_ascii_lowercase()
    );
    let mut conn = Conn::postgres(&admin).unwrap_or_else(|e| panic!("{test}: {ENV}: {e}"));
    conn.batch("test setup", &format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let sep = if admin.contains('?') { '&' } else { '?' };
    let target = Target::Postgres(format!("{admin}{sep}options=-c%20search_path%3D{schema}"));
    Some(TestDb { target, _dir: None, schema: Some((admin, schema)) })
}

/// An SQLite database, and a PostgreSQL one where the test server is available.
pub fn databases(test: &str) -> Vec<TestDb> {
    let mut out = vec![TestDb::sqlite()];
    out.extend(postgres(test));
    out
}
