//! `unspin claims --sentences` (sentence mode, for batch work and shared-task comparison) and
//! `unspin outlet` (the outlet's record on its own).
//!
//! Sentence mode takes each input line as one sentence, whatever its punctuation, and writes one
//! line per input line, in order, so outputs line up with inputs by line number. The shipped
//! model's sentence heads give the scores, read in batches of [`CHUNK`] lines; with
//! `--no-model`, or a model without sentence heads, the score columns are left empty: unspin
//! never makes up a score.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::Context;
use unspin::claims::outlet::{self, OutletLookup};
use unspin::claims::{self, SentenceClaims, SentenceScorer, SentenceScoring, SourceKind};
use unspin::report::{json::GENERATOR, SCHEMA_VERSION};

use crate::args::{ClaimsArgs, EvalFormat, OutletArgs};
use crate::config::load_model;

pub const HEADER: &str = "checkworthy_score\tcheckworthy\tsubjective_score\tsubjective\tsource";

/// Lines scored per batch: enough to keep the encoder busy, few enough to keep memory flat.
const CHUNK: usize = 256;

pub fn sentences(args: &ClaimsArgs) -> anyhow::Result<()> {
    let input: Box<dyn Read> = if args.sentences.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(&args.sentences).with_context(|| format!("opening {}", args.sentences.display()))?)
    };
    let model = if args.no_model { None } else { Some(load_model(&args.model, 1)?) };
    let scorer: Option<&dyn SentenceScorer> = model.as_ref().filter(|m| m.has_sentence_heads()).map(|m| m as _);
    if scorer.is_none() {
        let why = if args.no_model { "--no-model" } else { "the model has no sentence heads" };
        eprintln!("unspin: {why}: the check-worthiness and subjectivity columns are left empty");
    }
    let mut out = BufWriter::new(io::stdout().lock());
    writeln!(out, "{HEADER}")?;
    let mut reader = BufReader::new(input);
    let mut line = Vec::new();
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK);
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).with_context(|| format!("reading {}", args.sentences.display()))?;
        if n > 0 {
            // A line that is not UTF-8 still gets its output line: undecodable bytes become U+FFFD.
            let text = String::from_utf8_lossy(&line);
            chunk.push(text.trim_end_matches(['\n', '\r']).to_owned());
        }
        if chunk.len() == CHUNK || (n == 0 && !chunk.is_empty()) {
            write_chunk(&mut out, &chunk, scorer)?;
            chunk.clear();
        }
        if n == 0 {
            break;
        }
    }
    out.flush()?;
    Ok(())
}

/// Scores a batch of lines, then writes one row per line.
fn write_chunk(out: &mut impl Write, lines: &[String], scorer: Option<&dyn SentenceScorer>) -> anyhow::Result<()> {
    let texts: Vec<&str> = lines.iter().map(String::as_str).collect();
    let all = scorer.map(|s| s.score_texts(&texts)).transpose()?;
    for (i, text) in texts.iter().enumerate() {
        let scoring = all.as_ref().map(|all| SentenceScoring {
            scorer: all.scorer.clone(),
            scores: vec![all.scores.get(i).copied().unwrap_or_default()],
            checkworthy_threshold: all.checkworthy_threshold,
            subjective_threshold: all.subjective_threshold,
        });
        let sc = claims::analyze_sentence(text, scoring.as_ref())?;
        writeln!(out, "{}", row(&sc, scoring.as_ref()))?;
    }
    Ok(())
}

/// One output line (without the newline).
fn row(sc: &SentenceClaims, scoring: Option<&SentenceScoring>) -> String {
    let score = |s: Option<f32>| s.map(|x| format!("{x:.4}")).unwrap_or_default();
    // The binary columns follow the scores: empty when there is no score.
    let checkworthy = sc.checkworthy.map(|_| if sc.claim { "1" } else { "0" }).unwrap_or_default();
    let threshold = scoring.map_or(0.5, |s| s.subjective_threshold);
    let subjective = sc.subjective.map(|x| if x >= threshold { "1" } else { "0" }).unwrap_or_default();
    let source = match (&sc.source.kind, &sc.source.speaker) {
        (SourceKind::Named, Some(who)) => who.split_whitespace().collect::<Vec<_>>().join(" "),
        (SourceKind::Named, None) | (SourceKind::Vague, _) => "vague".to_owned(),
        (SourceKind::None, _) => "none".to_owned(),
    };
    format!("{}\t{checkworthy}\t{}\t{subjective}\t{source}", score(sc.checkworthy), score(sc.subjective))
}

#[derive(serde::Serialize)]
struct OutletRecord<'a> {
    schema_version: &'static str,
    generator: &'static str,
    #[serde(flatten)]
    lookup: &'a OutletLookup,
}

/// Exit 0 when every query is a domain (rated or not), 2 when one is not.
pub fn outlet(args: &OutletArgs) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(io::stdout().lock());
    let mut invalid = false;
    for query in &args.domains {
        let lookup = outlet::lookup(query);
        invalid |= matches!(lookup, OutletLookup::Invalid { .. });
        match args.format {
            EvalFormat::Text => writeln!(out, "{lookup}")?,
            EvalFormat::Json => {
                let record = OutletRecord { schema_version: SCHEMA_VERSION, generator: GENERATOR, lookup: &lookup };
                serde_json::to_writer(&mut out, &record)?;
                out.write_all(b"\n")?;
            }
        }
    }
    if args.format == EvalFormat::Text {
        writeln!(out, "source: {} ({} outlets)", outlet::SOURCE_NOTE, outlet::outlet_count())?;
        writeln!(out, "source: {} ({} outlets)", outlet::STATE_MEDIA_NOTE, outlet::state_media_count())?;
    }
    out.flush()?;
    Ok(if invalid { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
