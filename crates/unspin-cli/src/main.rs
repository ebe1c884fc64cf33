//! The `unspin` binary: parse arguments, run a subcommand, map the outcome to an exit code.
//!
//! Exit codes: 0 everything was analysed; 1 some inputs or records failed (the rest was
//! written); 2 usage error, or nothing could be read (for `eval`: a label file missing or
//! malformed). A closed stdout pipe (`unspin … | head`) is
//! success, as ripgrep treats it.

mod args;
mod claims;
mod classify;
mod config;
mod corpus;
mod eval;
mod run;
mod serve;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use unspin::report::{self, json::GENERATOR, Summary};

use crate::args::{Cli, Command, ExtractArgs, ExtractFormat};
use crate::config::{Analyze, Sources};
use crate::run::Outcome;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Extract(args) => extract(args).map(exit_code),
        Command::Analyze(args) => analyze(args).map(exit_code),
        Command::Eval(args) => eval::run(args).map(|()| ExitCode::SUCCESS),
        Command::Classify(args) => classify::run(args).map(|()| ExitCode::SUCCESS),
        Command::Claims(args) => claims::sentences(args).map(|()| ExitCode::SUCCESS),
        Command::Outlet(args) => claims::outlet(args),
        Command::Serve(args) => serve::run(args).map(|()| ExitCode::SUCCESS),
        Command::Index(args) => corpus::index(args),
        Command::Trends(args) => corpus::trends(args).map(|()| ExitCode::SUCCESS),
        Command::Export(args) => corpus::export(args).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("unspin: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn exit_code(outcome: Outcome) -> ExitCode {
    match (outcome.documents, outcome.errors) {
        (_, 0) => ExitCode::SUCCESS,
        (0, _) => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}

fn analyze(args: &args::AnalyzeArgs) -> anyhow::Result<Outcome> {
    let sources = Sources::new(&args.input)?;
    let analyze = Analyze::new(args, &sources)?;
    let stdout = io::stdout().lock();
    let mut writer = report::writer(analyze.format, BufWriter::new(stdout), &analyze.writer);
    let mut summary = Summary::default();
    let outcome = run::drive(
        &sources,
        |doc| analyze.pipeline.analyze(doc),
        |result| match result {
            Ok(analysis) => {
                summary.add(&analysis);
                writer.document(&analysis)
            }
            Err(e) => {
                summary.add_error();
                writer.error(&e)
            }
        },
    )?;
    writer.finish(&summary)?;
    Ok(outcome)
}

#[derive(serde::Serialize)]
struct Extracted<'a> {
    schema_version: &'static str,
    generator: &'static str,
    id: &'a str,
    meta: &'a unspin::Metadata,
    text: &'a str,
}

fn extract(args: &ExtractArgs) -> anyhow::Result<Outcome> {
    let sources = Sources::new(&args.input)?;
    let mut out = BufWriter::new(io::stdout().lock());
    // Text output gets `==> source [id] <==` headers only when there is more than one document,
    // so the first one waits until the second arrives (or the run ends).
    let mut held: Option<unspin::Document> = None;
    let mut written = 0usize;
    let outcome = run::drive(&sources, Ok, |result| {
        let Ok(doc) = result else { return Ok(()) };
        match args.format {
            ExtractFormat::Json => {
                let record = Extracted {
                    schema_version: report::SCHEMA_VERSION,
                    generator: GENERATOR,
                    id: &doc.id,
                    meta: &doc.meta,
                    text: &doc.text,
                };
                serde_json::to_writer(&mut out, &record)?;
                out.write_all(b"\n")
            }
            ExtractFormat::Text => {
                if let Some(first) = held.take() {
                    write_body(&mut out, &first, Some(written))?;
                    written += 1;
                }
                if written == 0 {
                    held = Some(doc);
                    Ok(())
                } else {
                    written += 1;
                    write_body(&mut out, &doc, Some(written - 1))
                }
            }
        }
    })?;
    if let Some(only) = held {
        write_body(&mut out, &only, None)?;
    }
    out.flush()?;
    Ok(outcome)
}

/// One article body; with `Some(n)`, preceded by a header (and a blank line after the first).
fn write_body(out: &mut impl Write, doc: &unspin::Document, index: Option<usize>) -> io::Result<()> {
    if let Some(n) = index {
        if n > 0 {
            out.write_all(b"\n")?;
        }
        writeln!(out, "==> {} [{}] <==", doc.meta.url.as_deref().unwrap_or(&doc.meta.source), doc.id)?;
    }
    writeln!(out, "{}", doc.text.trim_end())
}
