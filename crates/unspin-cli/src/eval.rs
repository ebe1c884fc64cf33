//! `unspin eval`: read gold and predicted label files, score them with `unspin::eval`, print the
//! scores as text for people or as one JSON object for programs.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use unspin::eval::{self, labels, FlcScores, SpanScores, TcScores};
use unspin::report::json::GENERATOR;

use crate::args::{EvalArgs, EvalFormat, Task};

enum Scores {
    Si(SpanScores),
    Flc(FlcScores),
    Tc(TcScores),
}

pub fn run(args: &EvalArgs) -> anyhow::Result<()> {
    let scores = score(args.task, &args.gold, &args.pred)?;
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        EvalFormat::Json => write_json(&mut out, args, &scores)?,
        EvalFormat::Text => write_text(&mut out, args, &scores)?,
    }
    out.flush()?;
    Ok(())
}

fn score(task: Task, gold: &Path, pred: &Path) -> anyhow::Result<Scores> {
    let gold_context = || format!("reading the gold labels ({})", task_name(task));
    let pred_context = || format!("reading the predictions ({})", task_name(task));
    Ok(match task {
        Task::Si => {
            let g = labels::read_si(gold).with_context(gold_context)?;
            let p = labels::read_si(pred).with_context(pred_context)?;
            Scores::Si(eval::score_si(&g, &p))
        }
        Task::Flc | Task::Tc => {
            let g = labels::read_tc(gold).with_context(gold_context)?;
            let p = labels::read_tc(pred).with_context(pred_context)?;
            if task == Task::Flc {
                Scores::Flc(eval::score_flc(&g, &p))
            } else {
                Scores::Tc(eval::score_tc(&g, &p))
            }
        }
    })
}

fn task_name(task: Task) -> &'static str {
    match task {
        Task::Si => "si",
        Task::Flc => "flc",
        Task::Tc => "tc",
    }
}

fn task_title(task: Task) -> &'static str {
    match task {
        Task::Si => "SI (span identification)",
        Task::Flc => "FLC (fragment-level classification)",
        Task::Tc => "TC (technique classification)",
    }
}

/// The JSON record: what was compared, then the task's scores at the top level.
#[derive(Serialize)]
struct Record<'a, S: Serialize> {
    schema_version: &'static str,
    generator: &'static str,
    task: &'static str,
    gold: String,
    pred: String,
    #[serde(flatten)]
    scores: &'a S,
}

fn write_json(out: &mut impl Write, args: &EvalArgs, scores: &Scores) -> io::Result<()> {
    fn write<S: Serialize>(out: &mut impl Write, args: &EvalArgs, scores: &S) -> io::Result<()> {
        let record = Record {
            schema_version: eval::SCHEMA_VERSION,
            generator: GENERATOR,
            task: task_name(args.task),
            gold: args.gold.display().to_string(),
            pred: args.pred.display().to_string(),
            scores,
        };
        serde_json::to_writer_pretty(&mut *out, &record)?;
        out.write_all(b"\n")
    }
    match scores {
        Scores::Si(s) => write(out, args, s),
        Scores::Flc(s) => write(out, args, s),
        Scores::Tc(s) => write(out, args, s),
    }
}

/// Width of the technique column: the longest label, `Whataboutism,Straw_Men,Red_Herring`.
const LABEL_WIDTH: usize = 34;

fn write_text(out: &mut impl Write, args: &EvalArgs, scores: &Scores) -> io::Result<()> {
    writeln!(out, "SemEval-2020 Task 11, {}", task_title(args.task))?;
    writeln!(out, "gold       {}", args.gold.display())?;
    writeln!(out, "pred       {}", args.pred.display())?;
    writeln!(out)?;
    match scores {
        Scores::Si(s) => {
            span_scores(out, s, "spans")?;
            writeln!(out, "\nOverlapping spans of an article are merged before scoring; span counts are after merging.")
        }
        Scores::Flc(s) => {
            span_scores(out, &s.overall, "spans")?;
            writeln!(out)?;
            table_header(out)?;
            for t in &s.techniques {
                let c = &t.scores;
                row(out, t.technique.label(), [c.precision, c.recall, c.f1], c.recall_denominator, c.precision_denominator)?;
            }
            writeln!(out, "\nOverlapping spans of one technique are merged before scoring; gold and pred count spans after merging.")
        }
        Scores::Tc(s) => {
            writeln!(out, "precision  {:.6}   {} of {} predicted lines correct", s.precision, s.correct, s.pred_lines)?;
            writeln!(out, "recall     {:.6}   {} of {} gold lines", s.recall, s.correct, s.gold_lines)?;
            writeln!(out, "F1         {:.6}   micro-averaged", s.f1)?;
            if s.pred_lines_not_in_gold > 0 {
                writeln!(
                    out,
                    "note: {} predicted line(s) are on spans that are not in the gold; they count as wrong",
                    s.pred_lines_not_in_gold
                )?;
            }
            writeln!(out)?;
            table_header(out)?;
            for t in &s.techniques {
                row(out, t.technique.label(), [t.precision, t.recall, t.f1], t.gold(), t.pred())?;
            }
            Ok(())
        }
    }
}

fn span_scores(out: &mut impl Write, s: &SpanScores, what: &str) -> io::Result<()> {
    writeln!(
        out,
        "precision  {:.6}   {:.6} / {} predicted {what}",
        s.precision, s.precision_numerator, s.precision_denominator
    )?;
    writeln!(out, "recall     {:.6}   {:.6} / {} gold {what}", s.recall, s.recall_numerator, s.recall_denominator)?;
    writeln!(out, "F1         {:.6}", s.f1)
}

fn table_header(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{:LABEL_WIDTH$}  {:>9}  {:>9}  {:>9}  {:>6}  {:>6}", "technique", "precision", "recall", "F1", "gold", "pred")
}

fn row(out: &mut impl Write, label: &str, [p, r, f1]: [f64; 3], gold: usize, pred: usize) -> io::Result<()> {
    writeln!(out, "{label:LABEL_WIDTH$}  {p:>9.6}  {r:>9.6}  {f1:>9.6}  {gold:>6}  {pred:>6}")
}
