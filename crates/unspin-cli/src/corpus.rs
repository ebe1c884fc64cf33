//! `unspin index` and `unspin trends`: corpus mode's front end. Storage and queries are the
//! library's (`unspin::corpus`); this file wires them to the driver, the progress bar and the
//! terminal.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use unspin::corpus::trends::{self, Filter, GroupBy, Row};
use unspin::corpus::{export, html};
use unspin::corpus::{self, ModelId, Store};
use unspin::detect::neural::model_dir;
use unspin::report::Analysis;

use crate::args::{ExportArgs, ExportFormatArg, IndexArgs, TrendsArgs, TrendsFormat};
use crate::config::{self, Sources};
use crate::run::{self, Outcome};

/// What a worker made of one document.
enum Indexed {
    /// Stored already with this content and model.
    Current,
    Analysed(Box<Analysis>, String),
}

pub fn index(args: &IndexArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let sources = Sources::new(&args.input)?;
    // The database first: a bad path or a second writer fails before the model loads.
    let mut store = Store::open(&args.db)?;
    let settings = format!("min_confidence={}", args.detector.min_confidence);
    let model = if args.detector.no_model {
        ModelId::none(&settings)
    } else {
        ModelId::of_model_dir(&model_dir(args.detector.model.model.as_deref())?, &settings)?
    };
    let pipeline = config::pipeline(&args.detector, &sources)?;
    let lookup = store.lookup()?;
    let (mut stored, mut current, mut failed) = (0usize, 0usize, 0usize);
    let outcome: Outcome = run::drive_keyed(
        &sources,
        |key, doc| {
            let hash = corpus::content_hash(&doc);
            if !args.reanalyze && lookup.is_current(key, &hash, &model)? {
                return Ok(Indexed::Current);
            }
            Ok(Indexed::Analysed(Box::new(pipeline.analyze(doc)?), hash))
        },
        |key, result| {
            match result {
                Ok(Indexed::Current) => current += 1,
                Ok(Indexed::Analysed(analysis, hash)) => {
                    store.put(&key, &hash, &model, &analysis)?;
                    stored += 1;
                }
                // The database failing is not the document's fault: stop.
                Err(e @ (unspin::Error::Database { .. } | unspin::Error::Locked { .. })) => return Err(e.into()),
                Err(e) => {
                    store.put_error(&key, &e.to_string())?;
                    failed += 1;
                }
            }
            Ok(())
        },
    )?;
    // The reader closes first, so that the writer, closing last, checkpoints the WAL and removes
    // it (a read-only connection closing last cannot).
    drop(lookup);
    store.finish()?;
    let seconds = started.elapsed().as_secs_f64();
    let rate = (stored + current) as f64 / seconds.max(1e-3);
    println!(
        "{}: {stored} stored, {current} already current (skipped), {failed} errors, in {seconds:.1} s ({rate:.0} docs/s)",
        args.db
    );
    Ok(match (outcome.documents, outcome.errors) {
        (_, 0) => ExitCode::SUCCESS,
        (0, _) => ExitCode::from(2),
        _ => ExitCode::from(1),
    })
}

pub fn trends(args: &TrendsArgs) -> anyhow::Result<()> {
    let mut conn = corpus::open_read(&args.db)?;
    let filter = Filter {
        outlets: args.outlet.iter().map(|o| o.trim().to_ascii_lowercase()).filter(|o| !o.is_empty()).collect(),
        since: args.since.clone(),
        until: args.until.as_deref().map(trends::inclusive_until),
        technique: args.technique,
        languages: args.language.iter().map(|l| l.trim().to_ascii_lowercase()).filter(|l| !l.is_empty()).collect(),
        min_documents: args.min_documents,
    };
    let rows = trends::query(&mut conn, args.by, &filter)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        TrendsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({
                "schema_version": corpus::SCHEMA_VERSION,
                "by": args.by.name(),
                "rows": rows,
            }))?;
            writeln!(out)?;
        }
        TrendsFormat::Csv => write_csv(&mut out, args.by, &rows)?,
        TrendsFormat::Html => {
            let title = format!("unspin trends by {}", args.by.name());
            out.write_all(html::report(args.by, &rows, &title, &described(args, &filter)).as_bytes())?;
        }
        TrendsFormat::Table => write_table(&mut out, args.by, &rows)?,
    }
    out.flush().context("writing output")?;
    Ok(())
}

/// What a report counted, in words: the database and every filter given.
fn described(args: &TrendsArgs, filter: &Filter) -> String {
    let mut parts = vec![format!("Database {}", args.db)];
    if !filter.outlets.is_empty() {
        parts.push(format!("outlets {}", filter.outlets.join(", ")));
    }
    match (&filter.since, &args.until) {
        (Some(s), Some(u)) => parts.push(format!("from {s} to {u}")),
        (Some(s), None) => parts.push(format!("from {s}")),
        (None, Some(u)) => parts.push(format!("until {u}")),
        (None, None) => {}
    }
    if let Some(t) = filter.technique {
        parts.push(format!("technique {}", t.label()));
    }
    if !filter.languages.is_empty() {
        parts.push(format!("language {}", filter.languages.join(", ")));
    }
    if filter.min_documents > 1 {
        parts.push(format!("groups of at least {} documents", filter.min_documents));
    }
    format!("{}.", parts.join("; "))
}

/// `unspin export`: every table as a file, then one line per table on stderr.
pub fn export(args: &ExportArgs) -> anyhow::Result<()> {
    let mut conn = corpus::open_read(&args.db)?;
    let format = match args.format {
        ExportFormatArg::Parquet => export::ExportFormat::Parquet,
        ExportFormatArg::Jsonl => export::ExportFormat::Jsonl,
    };
    let done = export::export(&mut conn, format, &args.out)?;
    for (table, path, rows) in &done.tables {
        eprintln!("{table}: {rows} rows → {}", path.display());
    }
    Ok(())
}

fn keys(by: GroupBy) -> &'static [&'static str] {
    match by {
        GroupBy::Outlet => &["outlet"],
        GroupBy::Technique => &["technique"],
        GroupBy::Month => &["month"],
        GroupBy::OutletMonth => &["outlet", "month"],
    }
}

fn key_value<'a>(row: &'a Row, key: &str) -> &'a str {
    let value = match key {
        "outlet" => &row.outlet,
        "month" => &row.month,
        _ => &row.technique,
    };
    value.as_deref().unwrap_or("")
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| x.to_string())
}

/// One line per row; every measure, then one `rate_<label>` column per technique counted.
fn write_csv(out: &mut impl Write, by: GroupBy, rows: &[Row]) -> io::Result<()> {
    let rates: Vec<String> = rows.first().map(|r| r.technique_rates.keys().cloned().collect()).unwrap_or_default();
    let mut header: Vec<String> = keys(by).iter().map(|k| k.to_string()).collect();
    header.extend(
        [
            "documents",
            "words",
            "sentences",
            "spans",
            "spans_per_1k_words",
            "sentence_share",
            "claims",
            "unattributed",
            "unattributed_share",
            "subjective_share",
        ]
        .map(String::from),
    );
    // Some labels hold a comma (`Name_Calling,Labeling`): such names are quoted like any field.
    header.extend(rates.iter().map(|t| format!("rate_{t}")));
    let rated = keys(by).contains(&"outlet");
    if rated {
        header.extend(["factuality", "bias", "state_media"].map(String::from));
    }
    writeln!(out, "{}", header.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(","))?;
    for row in rows {
        let mut fields: Vec<String> = keys(by).iter().map(|k| csv_field(key_value(row, k))).collect();
        fields.extend([
            row.documents.to_string(),
            row.words.to_string(),
            row.sentences.to_string(),
            row.spans.to_string(),
            row.spans_per_1k_words.to_string(),
            row.sentence_share.to_string(),
            row.claims.to_string(),
            row.unattributed.to_string(),
            opt(row.unattributed_share),
            opt(row.subjective_share),
        ]);
        fields.extend(rates.iter().map(|t| row.technique_rates.get(t).copied().unwrap_or(0.0).to_string()));
        if rated {
            fields.extend([&row.factuality, &row.bias, &row.state_media].map(|v| csv_field(v.as_deref().unwrap_or(""))));
        }
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Aligned columns, numbers rounded for reading; CSV and JSON have the full precision and the
/// per-technique rates.
fn write_table(out: &mut impl Write, by: GroupBy, rows: &[Row]) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "no documents match");
    }
    let pct = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), |x| format!("{:.1}%", x * 100.0));
    let mut header: Vec<String> = keys(by).iter().map(|k| k.to_string()).collect();
    header.extend(
        ["documents", "spans/1k words", "sentences in spans", "claims", "unattributed", "subjective"].map(String::from),
    );
    let rated = keys(by).contains(&"outlet");
    if rated {
        header.extend(["factuality", "bias"].map(String::from));
    }
    let mut lines = vec![header];
    for row in rows {
        let mut line: Vec<String> = keys(by)
            .iter()
            .map(|k| match key_value(row, k) {
                "" => "(unknown)".to_owned(),
                v => v.to_owned(),
            })
            .collect();
        line.extend([
            row.documents.to_string(),
            format!("{:.2}", row.spans_per_1k_words),
            pct(Some(row.sentence_share)),
            row.claims.to_string(),
            pct(row.unattributed_share),
            pct(row.subjective_share),
        ]);
        if rated {
            line.extend([&row.factuality, &row.bias].map(|v| v.clone().unwrap_or_else(|| "-".into())));
        }
        lines.push(line);
    }
    let columns = lines[0].len();
    let widths: Vec<usize> =
        (0..columns).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
    let keys = keys(by).len();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(c, cell)| if c < keys { format!("{cell:<w$}", w = widths[c]) } else { format!("{cell:>w$}", w = widths[c]) })
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}
