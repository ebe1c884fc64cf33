//! `unspin export`: a corpus database's tables as files for pandas, DuckDB, Spark and the like:
//! `documents`, `spans`, `sentences` and `errors`, each as one Parquet file (Snappy pages,
//! row groups of [`ROW_GROUP`] rows) or one JSON Lines file, with the database's columns, names
//! and nullability (docs/corpus.md describes them).
//!
//! Rows stream from the database (SQLite or PostgreSQL) to the file: memory holds one row group, whatever the corpus size.
//! Each file is written under a temporary name and renamed when complete, so an interrupted export
//! never leaves a truncated file under the final name.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{Compression, ConvertedType, Repetition, Type as PhysicalType};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use super::db::{Conn, Value};
use crate::error::{Error, Result};

/// Rows per Parquet row group (and so the most rows held in memory).
pub const ROW_GROUP: usize = 65_536;

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Parquet,
    Jsonl,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Parquet => "parquet",
            ExportFormat::Jsonl => "jsonl",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
}

/// A column: its name, its type and whether it may be NULL.
type Column = (&'static str, Kind, bool);

use Kind::{Int, Real, Text};

/// The exported tables, their columns in order, and the order rows are written in.
const TABLES: [(&str, &[Column], &str); 4] = [
    (
        "documents",
        &[
            ("id", Int, false),
            ("source", Text, false),
            ("record", Int, false),
            ("doc_id", Text, false),
            ("url", Text, true),
            ("outlet", Text, true),
            ("outlet_name", Text, true),
            ("title", Text, true),
            ("date", Text, true),
            ("language", Text, true),
            ("chars", Int, false),
            ("words", Int, false),
            ("sentences", Int, false),
            ("spans", Int, false),
            ("span_sentences", Int, false),
            ("claims", Int, false),
            ("unattributed", Int, false),
            ("subjective", Int, true),
            ("scored", Int, false),
            ("score", Real, false),
            ("content_hash", Text, false),
            ("model", Text, false),
            ("model_version", Text, false),
            ("analysed_at", Text, false),
        ],
        "id",
    ),
    (
        "spans",
        &[
            ("doc", Int, false),
            ("technique", Text, false),
            ("char_start", Int, false),
            ("char_end", Int, false),
            ("byte_start", Int, false),
            ("byte_end", Int, false),
            ("text", Text, false),
            ("confidence", Real, false),
        ],
        "doc, char_start, char_end, technique",
    ),
    (
        "sentences",
        &[
            ("doc", Int, false),
            ("idx", Int, false),
            ("char_start", Int, false),
            ("char_end", Int, false),
            ("checkworthy", Real, true),
            ("subjective", Real, true),
            ("source_kind", Text, false),
            ("claim", Int, false),
            ("unattributed", Int, false),
            ("hedged", Int, false),
            ("insinuation", Int, false),
        ],
        "doc, idx",
    ),
    (
        "errors",
        &[("source", Text, false), ("record", Int, false), ("message", Text, false), ("at", Text, false)],
        "source, record",
    ),
];

/// What was written: per table, its file and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub tables: Vec<(String, PathBuf, u64)>,
}

/// Writes every table of `conn` into `dir` (created if need be) as `<table>.<ext>`.
pub fn export(conn: &mut Conn, format: ExportFormat, dir: &Path) -> Result<Exported> {
    let io = |path: &Path, e: std::io::Error| Error::Io { origin: crate::error::Origin::file(path), source: e };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut tables = Vec::new();
    for (table, columns, order) in TABLES {
        let path = dir.join(format!("{table}.{}", format.extension()));
        let partial = dir.join(format!(".{table}.{}.partial", format.extension()));
        let file = File::create(&partial).map_err(|e| io(&partial, e))?;
        let rows = match format {
            ExportFormat::Jsonl => write_jsonl(conn, table, columns, order, file, &partial),
            ExportFormat::Parquet => write_parquet(conn, table, columns, order, file, &partial),
        };
        let rows = match rows {
            Ok(rows) => rows,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        std::fs::rename(&partial, &path).map_err(|e| io(&path, e))?;
        tables.push((table.to_owned(), path, rows));
    }
    Ok(Exported { tables })
}

/// Runs the table's query and hands each row's values to `each`, as they arrive.
fn for_rows(
    conn: &mut Conn,
    table: &str,
    columns: &[Column],
    order: &str,
    each: impl FnMut(&[Value]) -> Result<()>,
) -> Result<()> {
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let sql = format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", "));
    conn.for_each("reading the database for export", &sql, &[], each)
}

fn write_jsonl(conn: &mut Conn, table: &str, columns: &[Column], order: &str, file: File, path: &Path) -> Result<u64> {
    let io = |e: std::io::Error| Error::Io { origin: crate::error::Origin::file(path), source: e };
    let mut out = BufWriter::new(file);
    let mut n = 0u64;
    for_rows(conn, table, columns, order, |row| {
        let mut object = serde_json::Map::with_capacity(columns.len());
        for ((name, _, _), value) in columns.iter().zip(row) {
            let value = match value {
                Value::Int(v) => serde_json::Value::from(*v),
                Value::Real(v) => serde_json::Value::from(*v),
                Value::Text(t) => serde_json::Value::from(t.as_str()),
                Value::Null => serde_json::Value::Null,
            };
            object.insert((*name).to_owned(), value);
        }
        serde_json::to_writer(&mut out, &object).map_err(|e| io(e.into()))?;
        out.write_all(b"\n").map_err(io)?;
        n += 1;
        Ok(())
    })?;
    out.into_inner().map_err(|e| io(e.into_error()))?.sync_all().map_err(io)?;
    Ok(n)
}

/// One row group's values, column by column, with definition levels for nullable columns.
enum Values {
    Int(Vec<i64>),
    Real(Vec<f64>),
    Text(Vec<ByteArray>),
}

struct Buffer {
    values: Values,
    /// 1 where the row has a value, 0 where it is NULL (nullable columns only).
    defined: Vec<i16>,
}

fn schema(table: &str, columns: &[Column], path: &Path) -> Result<Type> {
    let fields = columns
        .iter()
        .map(|&(name, kind, nullable)| {
            let (physical, converted) = match kind {
                Int => (PhysicalType::INT64, ConvertedType::NONE),
                Real => (PhysicalType::DOUBLE, ConvertedType::NONE),
                Text => (PhysicalType::BYTE_ARRAY, ConvertedType::UTF8),
            };
            Type::primitive_type_builder(name, physical)
                .with_repetition(if nullable { Repetition::OPTIONAL } else { Repetition::REQUIRED })
                .with_converted_type(converted)
                .build()
                .map(Arc::new)
        })
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(failed(path))?;
    Type::group_type_builder(table).with_fields(fields).build().map_err(failed(path))
}

fn failed(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> Error + '_ {
    move |e| Error::Export { path: path.to_owned(), message: e.to_string() }
}

fn write_parquet(conn: &mut Conn, table: &str, columns: &[Column], order: &str, file: File, path: &Path) -> Result<u64> {
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("unspin {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer =
        SerializedFileWriter::new(file, Arc::new(schema(table, columns, path)?), props).map_err(failed(path))?;
    let fresh = || -> Vec<Buffer> {
        columns
            .iter()
            .map(|&(_, kind, _)| Buffer {
                values: match kind {
                    Int => Values::Int(Vec::new()),
                    Real => Values::Real(Vec::new()),
                    Text => Values::Text(Vec::new()),
                },
                defined: Vec::new(),
            })
            .collect()
    };
    let mut buffers = fresh();
    let mut in_group = 0usize;
    let mut n = 0u64;
    let db = conn.name().to_owned();
    let bad = |column: &str, table: &str| Error::Database {
        db: db.clone(),
        message: format!("column {table}.{column} holds a value of the wrong type"),
    };
    for_rows(conn, table, columns, order, |row| {
        for ((&(name, _, nullable), buffer), value) in columns.iter().zip(buffers.iter_mut()).zip(row) {
            if let Value::Null = value {
                if !nullable {
                    return Err(Error::Database {
                        db: db.clone(),
                        message: format!("{table}.{name} is NULL in a row, but may not be"),
                    });
                }
                buffer.defined.push(0);
                continue;
            }
            if nullable {
                buffer.defined.push(1);
            }
            match (&mut buffer.values, value) {
                (Values::Int(v), Value::Int(x)) => v.push(*x),
                (Values::Real(v), Value::Real(x)) => v.push(*x),
                (Values::Real(v), Value::Int(x)) => v.push(*x as f64),
                (Values::Text(v), Value::Text(t)) => v.push(ByteArray::from(t.as_bytes().to_vec())),
                _ => return Err(bad(name, table)),
            }
        }
        in_group += 1;
        n += 1;
        if in_group == ROW_GROUP {
            flush(&mut writer, &mut buffers, columns, path)?;
            buffers = fresh();
            in_group = 0;
        }
        Ok(())
    })?;
    if in_group > 0 || n == 0 {
        flush(&mut writer, &mut buffers, columns, path)?;
    }
    let file = writer.into_inner().map_err(failed(path))?;
    file.sync_all().map_err(|e| Error::Io { origin: crate::error::Origin::file(path), source: e })?;
    Ok(n)
}

fn flush(writer: &mut SerializedFileWriter<File>, buffers: &mut [Buffer], columns: &[Column], path: &Path) -> Result<()> {
    let failed = failed(path);
    let mut group = writer.next_row_group().map_err(&failed)?;
    let mut i = 0;
    while let Some(mut column) = group.next_column().map_err(&failed)? {
        let buffer = &buffers[i];
        let levels = columns[i].2.then_some(buffer.defined.as_slice());
        let written = match (column.untyped(), &buffer.values) {
            (ColumnWriter::Int64ColumnWriter(w), Values::Int(v)) => w.write_batch(v, levels, None),
            (ColumnWriter::DoubleColumnWriter(w), Values::Real(v)) => w.write_batch(v, levels, None),
            (ColumnWriter::ByteArrayColumnWriter(w), Values::Text(v)) => w.write_batch(v, levels, None),
            _ => {
                return Err(Error::Export { path: path.to_owned(), message: "a column of an unexpected type".into() })
            }
        };
        written.map_err(&failed)?;
        column.close().map_err(&failed)?;
        i += 1;
    }
    group.close().map_err(&failed)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    fn database() -> Conn {
        let mut conn = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap(), Path::new(":memory:"));
        super::super::schema::migrate(&mut conn).unwrap();
        conn.batch(
            "test",
            "INSERT INTO documents VALUES (1, 'a.jsonl', 0, 'd1', 'https://x.example/1', 'x.example', NULL, 'T', \
             '2024-01-05', 'en', 40, 8, 2, 1, 1, 1, 0, NULL, 0, 0.5, 'h1', 'fast', 'v1', '2026-11-30T00:00:00Z');
             INSERT INTO documents VALUES (2, 'a.jsonl', 1, 'd2', NULL, NULL, NULL, NULL, NULL, NULL, 10, 2, 1, 0, 0, \
             0, 0, 1, 1, 0.0, 'h2', 'fast', 'v1', '2026-11-30T00:00:01Z');
             INSERT INTO spans VALUES (1, 'Loaded_Language', 4, 11, 4, 12, 'corrupt', 0.9);
             INSERT INTO sentences VALUES (1, 0, 0, 20, 0.7, NULL, 'none', 1, 1, 0, 0);
             INSERT INTO errors VALUES ('a.jsonl', 2, 'invalid JSON', '2026-11-30T00:00:02Z');",
        )
        .unwrap();
        conn
    }

    #[test]
    fn parquet_files_read_back_with_their_columns_and_nulls() {
        let dir = tempfile::tempdir().unwrap();
        let done = export(&mut database(), ExportFormat::Parquet, dir.path()).unwrap();
        let counts: Vec<(&str, u64)> = done.tables.iter().map(|(t, _, n)| (t.as_str(), *n)).collect();
        assert_eq!(counts, [("documents", 2), ("spans", 1), ("sentences", 1), ("errors", 1)]);
        let reader = SerializedFileReader::new(File::open(dir.path().join("documents.parquet")).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr();
        assert_eq!(schema.num_columns(), 24);
        assert_eq!(schema.column(1).name(), "source");
        let rows: Vec<_> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        let fields: Vec<(String, Field)> = rows[1].get_column_iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).unwrap().1.clone();
        assert_eq!(get("doc_id"), Field::Str("d2".into()));
        assert_eq!(get("url"), Field::Null);
        assert_eq!(get("subjective"), Field::Long(1));
        assert_eq!(get("score"), Field::Double(0.0));
        let spans = SerializedFileReader::new(File::open(dir.path().join("spans.parquet")).unwrap()).unwrap();
        let span = spans.get_row_iter(None).unwrap().next().unwrap().unwrap();
        let text = span.get_column_iter().find(|(k, _)| k.as_str() == "text").unwrap().1.clone();
        assert_eq!(text, Field::Str("corrupt".into()));
        // Nothing is left under a temporary name.
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    }

    #[test]
    fn jsonl_files_hold_one_object_per_row_with_nulls() {
        let dir = tempfile::tempdir().unwrap();
        export(&mut database(), ExportFormat::Jsonl, dir.path()).unwrap();
        let docs = std::fs::read_to_string(dir.path().join("documents.jsonl")).unwrap();
        let rows: Vec<serde_json::Value> = docs.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["outlet"], "x.example");
        assert_eq!(rows[0]["subjective"], serde_json::Value::Null);
        assert_eq!(rows[1]["url"], serde_json::Value::Null);
        assert_eq!(rows[0].as_object().unwrap().len(), 24);
        let sentences = std::fs::read_to_string(dir.path().join("sentences.jsonl")).unwrap();
        assert!(sentences.contains("\"checkworthy\":0.7") && sentences.contains("\"subjective\":null"), "{sentences}");
    }

    #[test]
    fn row_groups_split_large_tables() {
        let mut conn = database();
        conn.batch("test", "BEGIN").unwrap();
        for i in 0..(ROW_GROUP as i64 + 10) {
            conn.execute("test", "INSERT INTO spans VALUES (2, 'Doubt', ?, ?, ?, ?, 'x', 0.5)", &[i.into(), i.into(), i.into(), i.into()])
                .unwrap();
        }
        conn.batch("test", "COMMIT").unwrap();
        let dir = tempfile::tempdir().unwrap();
        export(&mut conn, ExportFormat::Parquet, dir.path()).unwrap();
        let reader = SerializedFileReader::new(File::open(dir.path().join("spans.parquet")).unwrap()).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 2);
        assert_eq!(reader.metadata().file_metadata().num_rows(), ROW_GROUP as i64 + 11);
    }
}
