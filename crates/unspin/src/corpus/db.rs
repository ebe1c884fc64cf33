//! The two databases a corpus can live in, SQLite and PostgreSQL, behind one small interface.
//!
//! Every query of corpus mode is written once, in the SQL both databases accept, with `?` for
//! each parameter in order; [`Conn`] turns the `?`s into PostgreSQL's `$1, $2, …` and reads
//! results back as [`Value`]s. What the two dialects spell differently (the current time, a
//! regular-expression test, the schema catalogue, the DDL) is in [`Dialect`] and the per-database
//! migration files.
//!
//! PostgreSQL is reached through the `postgres` crate, over TLS as the URL's `sslmode` and
//! `sslrootcert` ask, with libpq's meanings (see [`super::tls`]).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::tls::TlsUrl;
use crate::{Error, Result};

/// Where a corpus lives: an SQLite file, or a PostgreSQL database given by URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL; its tables live in the connection's current
    /// schema (`?options=-c%20search_path%3Dname` picks another one).
    Postgres(String),
}

impl Target {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is an SQLite path.
    pub fn parse(s: &str) -> Target {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Target::Postgres(s.to_owned())
        } else {
            Target::Sqlite(PathBuf::from(s))
        }
    }

    /// How messages name the database: the path, or the URL with its password hidden.
    pub fn name(&self) -> String {
        match self {
            Target::Sqlite(path) => path.display().to_string(),
            Target::Postgres(url) => redact(url),
        }
    }
}

impl From<&Path> for Target {
    fn from(path: &Path) -> Self {
        Target::Sqlite(path.to_owned())
    }
}

impl From<PathBuf> for Target {
    fn from(path: PathBuf) -> Self {
        Target::Sqlite(path)
    }
}

// Debug shows what Display shows: a password never reaches a log through `{:?}`.
impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({})", self.name())
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// The URL with its password (`user:password@`, or a `password=` parameter) replaced by `***`.
fn redact(url: &str) -> String {
    let url = &redact_parameter(url);
    let Some(scheme_end) = url.find("://") else { return url.to_owned() };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => {
            format!("{}{}:***{}", &url[..scheme_end + 3], &authority[..colon], &rest[at..])
        }
        _ => url.to_owned(),
    }
}

fn redact_parameter(url: &str) -> String {
    let Some(q) = url.find('?') else { return url.to_owned() };
    let query: Vec<String> = url[q + 1..]
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{}?{}", &url[..q], query.join("&"))
}

/// A value read back from either database.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Value {
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// A count or sum: NULL (an empty `SUM`) reads as 0; a negative number is an error.
    pub fn count(&self) -> std::result::Result<u64, String> {
        match self {
            Value::Null => Ok(0),
            Value::Int(v) => u64::try_from(*v).map_err(|_| format!("negative count {v}")),
            other => Err(format!("expected a count, found {other:?}")),
        }
    }

    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn into_text(self) -> Option<String> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn real(&self) -> Option<f64> {
        match self {
            Value::Real(v) => Some(*v),
            Value::Int(v) => Some(*v as f64),
            _ => None,
        }
    }
}

/// A parameter of a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(s: &'a str) -> Self {
        Param::Text(s)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(s: &'a String) -> Self {
        Param::Text(s)
    }
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<u64> for Param<'_> {
    fn from(v: u64) -> Self {
        // Counts and offsets of real documents stay far below 2^63.
        Param::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Int(i64::from(v))
    }
}

impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V, ValueRef};
        Ok(match *self {
            Param::Null => ToSqlOutput::Owned(V::Null),
            Param::Int(v) => ToSqlOutput::Owned(V::Integer(v)),
            Param::Real(v) => ToSqlOutput::Owned(V::Real(v)),
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

impl postgres::types::ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(v)?.to_sql(ty, out),
                Type::FLOAT8 => (v as f64).to_sql(ty, out),
                Type::BOOL => (v != 0).to_sql(ty, out),
                _ => Err(format!("an integer cannot be sent as {ty}").into()),
            },
            Param::Real(v) => match *ty {
                Type::FLOAT8 => v.to_sql(ty, out),
                Type::FLOAT4 => (v as f32).to_sql(ty, out),
                _ => Err(format!("a number cannot be sent as {ty}").into()),
            },
            Param::Text(s) => match *ty {
                Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => s.to_sql(ty, out),
                _ => Err(format!("text cannot be sent as {ty}").into()),
            },
        }
    }

    // Checked by value in `to_sql`, which knows whether this parameter is a number or text.
    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Which database a connection talks to, and how it spells what the two spell differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn now(self) -> &'static str {
        match self {
            Dialect::Sqlite => "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            Dialect::Postgres => "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        }
    }

    /// `YYYY-MM` of a `date` column that starts with one, else NULL.
    pub fn month(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => {
                format!("CASE WHEN {column} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr({column}, 1, 7) END")
            }
            Dialect::Postgres => format!("CASE WHEN {column} ~ '^[0-9]{{4}}-[0-9]{{2}}' THEN substr({column}, 1, 7) END"),
        }
    }

    /// The names of the tables of the corpus (the current schema, on PostgreSQL).
    fn tables_sql(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
            Dialect::Postgres => {
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        }
    }
}

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres {
        // Boxed: the client is several times the size of an SQLite connection.
        client: Box<postgres::Client>,
        /// Prepared statements by their SQL (what `prepare_cached` is to SQLite).
        statements: HashMap<String, postgres::Statement>,
    },
}

/// One connection to a corpus database.
pub struct Conn {
    inner: Inner,
    name: String,
}

impl Conn {
    pub fn sqlite(conn: rusqlite::Connection, path: &Path) -> Conn {
        // The writer alone prepares about 30 statements (the multi-row INSERTs among them);
        // rusqlite's default cache of 16 would re-prepare some for every document.
        conn.set_prepared_statement_cache_capacity(64);
        Conn { inner: Inner::Sqlite(conn), name: path.display().to_string() }
    }

    /// Connects to the PostgreSQL database at `url`.
    pub fn postgres(url: &str) -> Result<Conn> {
        let name = redact(url);
        let invalid = |message: String| Error::Database { db: name.clone(), message };
        let tls = TlsUrl::parse(url).map_err(invalid)?;
        let mut config: postgres::Config =
            tls.url.parse().map_err(|e| invalid(format!("not a valid PostgreSQL URL: {e}")))?;
        config.ssl_mode(tls.mode.for_client());
        let connector = tls.connector().map_err(invalid)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        config.application_name("unspin");
        let client = config.connect(connector).map_err(|e| {
            let mut message = format!("cannot connect: {}", describe_pg(&e));
            if message.contains("certificate") {
                message.push_str(
                    " (sslmode=verify-full checks the certificate's signer and the host name, verify-ca only \
                     the signer; give the server's CA as sslrootcert=PATH in the URL; sslmode=require encrypts \
                     without checking the certificate)",
                );
            }
            invalid(message)
        })?;
        Ok(Conn { inner: Inner::Postgres { client: Box::new(client), statements: HashMap::new() }, name })
    }

    pub fn dialect(&self) -> Dialect {
        match self.inner {
            Inner::Sqlite(_) => Dialect::Sqlite,
            Inner::Postgres { .. } => Dialect::Postgres,
        }
    }

    /// The database as messages name it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// An error about this database while `doing` something.
    pub fn error(&self, doing: &str, message: impl fmt::Display) -> Error {
        Error::Database { db: self.name.clone(), message: format!("{doing}: {message}") }
    }

    /// Runs statements without parameters or results (DDL, `BEGIN`, `COMMIT`).
    pub fn batch(&mut self, doing: &str, sql: &str) -> Result<()> {
        let done = match &mut self.inner {
            Inner::Sqlite(c) => c.execute_batch(sql).map_err(|e| describe_sqlite(&e)),
            Inner::Postgres { client, .. } => client.batch_execute(sql).map_err(|e| describe_pg(&e)),
        };
        done.map_err(|m| self.error(doing, m))
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute(&mut self, doing: &str, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let done = match &mut self.inner {
            Inner::Sqlite(c) => c
                .prepare_cached(sql)
                .and_then(|mut st| st.execute(rusqlite::params_from_iter(params)))
                .map(|n| n as u64)
                .map_err(|e| describe_sqlite(&e)),
            Inner::Postgres { client, statements } => prepared(client, statements, sql)
                .and_then(|st| client.execute(&st, &pg_params(params)))
                .map_err(|e| describe_pg(&e)),
        };
        done.map_err(|m| self.error(doing, m))
    }

    /// Runs a query and collects its rows.
    pub fn query(&mut self, doing: &str, sql: &str, params: &[Param<'_>]) -> Result<Vec<Vec<Value>>> {
        let mut rows = Vec::new();
        self.for_each(doing, sql, params, |row| {
            rows.push(row.to_vec());
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first row of a query, if any.
    pub fn query_row(&mut self, doing: &str, sql: &str, params: &[Param<'_>]) -> Result<Option<Vec<Value>>> {
        Ok(self.query(doing, sql, params)?.into_iter().next())
    }

    /// Runs a query and hands its rows to `each` one at a time, as they arrive: memory holds one
    /// row, whatever the result's size.
    pub fn for_each(
        &mut self,
        doing: &str,
        sql: &str,
        params: &[Param<'_>],
        mut each: impl FnMut(&[Value]) -> Result<()>,
    ) -> Result<()> {
        let name = self.name.clone();
        let fail = |m: String| Error::Database { db: name.clone(), message: format!("{doing}: {m}") };
        let mut values = Vec::new();
        match &mut self.inner {
            Inner::Sqlite(c) => {
                let mut st = c.prepare_cached(sql).map_err(|e| fail(describe_sqlite(&e)))?;
                let columns = st.column_count();
                let mut rows = st.query(rusqlite::params_from_iter(params)).map_err(|e| fail(describe_sqlite(&e)))?;
                while let Some(row) = rows.next().map_err(|e| fail(describe_sqlite(&e)))? {
                    values.clear();
                    for i in 0..columns {
                        use rusqlite::types::ValueRef;
                        values.push(match row.get_ref(i).map_err(|e| fail(e.to_string()))? {
                            ValueRef::Null => Value::Null,
                            ValueRef::Integer(v) => Value::Int(v),
                            ValueRef::Real(v) => Value::Real(v),
                            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                            ValueRef::Blob(_) => return Err(fail(format!("column {i} holds a blob"))),
                        });
                    }
                    each(&values)?;
                }
            }
            Inner::Postgres { client, statements } => {
                use postgres::fallible_iterator::FallibleIterator;
                let st = prepared(client, statements, sql).map_err(|e| fail(describe_pg(&e)))?;
                let mut rows = client.query_raw(&st, pg_params(params)).map_err(|e| fail(describe_pg(&e)))?;
                while let Some(row) = rows.next().map_err(|e| fail(describe_pg(&e)))? {
                    values.clear();
                    for i in 0..row.len() {
                        values.push(pg_value(&row, i).map_err(&fail)?);
                    }
                    each(&values)?;
                }
            }
        }
        Ok(())
    }

    /// The names of the corpus's tables.
    pub fn tables(&mut self) -> Result<Vec<String>> {
        let sql = self.dialect().tables_sql();
        Ok(self.query("reading the schema", sql, &[])?.into_iter().filter_map(|r| r.into_iter().next()?.into_text()).collect())
    }
}

/// An SQLite error, with a hint where a write failed for want of room.
fn describe_sqlite(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode::{DiskFull, SystemIoFailure};
    match e.sqlite_error_code() {
        Some(DiskFull | SystemIoFailure) => format!("{e} (is the disk full, or a file-size limit reached?)"),
        _ => e.to_string(),
    }
}

/// A PostgreSQL error with the server's message when there is one (the `Display` of the
/// crate's error says only "db error").
fn describe_pg(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                text = format!("{text}: {s}");
                source = s.source();
            }
            text
        }
    }
}

/// `sql` with its `?` parameters numbered as PostgreSQL's `$1, $2, …`; `?` inside quoted
/// literals and identifiers is left alone.
pub fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '?') => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

fn prepared(
    client: &mut postgres::Client,
    statements: &mut HashMap<String, postgres::Statement>,
    sql: &str,
) -> std::result::Result<postgres::Statement, postgres::Error> {
    if let Some(st) = statements.get(sql) {
        return Ok(st.clone());
    }
    let st = client.prepare(&numbered(sql))?;
    statements.insert(sql.to_owned(), st.clone());
    Ok(st)
}

fn pg_params<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect()
}

fn pg_value(row: &postgres::Row, i: usize) -> std::result::Result<Value, String> {
    use postgres::types::Type;
    let e = |e: postgres::Error| e.to_string();
    let ty = row.columns()[i].type_();
    Ok(match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(e)?.map_or(Value::Null, Value::Int),
        Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(e)?.map_or(Value::Null, |v| Value::Int(v.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(e)?.map_or(Value::Null, |v| Value::Int(v.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i).map_err(e)?.map_or(Value::Null, |v| Value::Int(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map_err(e)?.map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i).map_err(e)?.map_or(Value::Null, |v| Value::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(i).map_err(e)?.map_or(Value::Null, Value::Text)
        }
        _ => return Err(format!("column {} has type {ty}, which corpus mode does not read", row.columns()[i].name())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_told_apart_by_scheme() {
        assert_eq!(Target::parse("corpus.sqlite"), Target::Sqlite("corpus.sqlite".into()));
        assert_eq!(Target::parse("postgres://u@h/db"), Target::Postgres("postgres://u@h/db".into()));
        assert_eq!(Target::parse("PostgreSQL://u@h/db"), Target::Postgres("PostgreSQL://u@h/db".into()));
        // A file that merely mentions postgres is a file.
        assert_eq!(Target::parse("postgres.sqlite"), Target::Sqlite("postgres.sqlite".into()));
    }

    #[test]
    fn passwords_never_show() {
        let t = Target::parse("postgres://ana:s3cret@db.example:5433/news?sslmode=disable");
        assert_eq!(t.name(), "postgres://ana:***@db.example:5433/news?sslmode=disable");
        assert!(!format!("{t:?} {t}").contains("s3cret"));
        assert_eq!(redact("postgres://ana@host/db"), "postgres://ana@host/db");
        assert_eq!(redact("postgres://host/db?user=a"), "postgres://host/db?user=a");
        assert_eq!(redact("postgres://host/db?user=a&password=x&port=1"), "postgres://host/db?user=a&password=***&port=1");
    }

    #[test]
    fn parameters_are_numbered_outside_quotes() {
        assert_eq!(numbered("SELECT ? , '?' , \"a?\" , ?"), "SELECT $1 , '?' , \"a?\" , $2");
        assert_eq!(numbered("a = ? AND b LIKE ? || '-%'"), "a = $1 AND b LIKE $2 || '-%'");
    }
}
