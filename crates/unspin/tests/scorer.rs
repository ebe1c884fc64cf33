//! The SemEval-2020 Task 11 metrics against the organizers' scorers.
//!
//! `shared/data/ptc/scorer-fixtures/` (beside the repository) holds synthetic predictions on the
//! PTC training split and what the official SI and TC scorers print for them; every number of
//! `expected-si.tsv` and `expected-tc.tsv` must come out the same to the 6 decimals printed there.
//! The data is not part of the repository: where it is absent these tests say so loudly and pass.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unspin::detect::Technique;
use unspin::eval::{labels, score_flc, score_si, score_tc};
use unspin::CharIndex;

fn ptc() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ptc");
    if dir.join("scorer-fixtures").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "\n!!!!!!!! NOTE: {} not found: the official-scorer comparison is SKIPPED !!!!!!!!\n",
            dir.display()
        );
        None
    }
}

/// Rows of a tab-separated table with a header, as maps from column name to cell.
fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let content = std::fs::read_to_string(path).unwrap();
    let mut lines = content.lines().filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), header.len(), "{line}");
            header.iter().zip(cells).map(|(h, c)| (h.to_string(), c.to_owned())).collect()
        })
        .collect()
}

/// `actual` as the official output prints it must be the cell `expected`.
fn same(column: &str, fixture: &str, expected: &str, actual: f64) {
    let decimals = expected.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(format!("{actual:.decimals$}"), expected, "{fixture}, {column}");
}

#[test]
fn si_matches_the_official_scorer() {
    let Some(ptc) = ptc() else { return };
    let rows = table(&ptc.join("scorer-fixtures/expected-si.tsv"));
    assert_eq!(rows.len(), 2);
    // The README says the per-article directory and the combined file are the same gold.
    let gold_dir = labels::read_si(&ptc.join("train/train-labels-task-si")).unwrap();
    let gold_file = labels::read_si(&ptc.join("train/train-task-si.labels")).unwrap();
    assert_eq!(gold_dir.len(), 5468);
    for row in &rows {
        let fixture = &row["fixture"];
        let pred = labels::read_si(&ptc.join("scorer-fixtures").join(fixture)).unwrap();
        let scores = score_si(&gold_dir, &pred);
        assert_eq!(scores, score_si(&gold_file, &pred), "{fixture}: both gold layouts");
        let columns = [
            ("P_numerator", scores.precision_numerator),
            ("P_denominator", scores.precision_denominator as f64),
            ("precision", scores.precision),
            ("R_numerator", scores.recall_numerator),
            ("R_denominator", scores.recall_denominator as f64),
            ("recall", scores.recall),
            ("f1", scores.f1),
        ];
        for (column, actual) in columns {
            same(column, fixture, &row[column], actual);
        }
        // Every column of the file was compared (besides the two naming the inputs).
        assert_eq!(row.len(), columns.len() + 2);
    }
}

#[test]
fn tc_matches_the_official_scorer() {
    let Some(ptc) = ptc() else { return };
    let rows = table(&ptc.join("scorer-fixtures/expected-tc.tsv"));
    assert_eq!(rows.len(), 2);
    let gold = labels::read_tc(&ptc.join("train/train-task-flc-tc.labels")).unwrap();
    assert_eq!(gold.len(), 6128);
    for row in &rows {
        let fixture = &row["fixture"];
        let pred = labels::read_tc(&ptc.join("scorer-fixtures").join(fixture)).unwrap();
        let scores = score_tc(&gold, &pred);
        assert_eq!(scores.pred_lines_not_in_gold, 0, "{fixture} predicts the gold spans");
        let micro = "micro_f1(=precision=recall)";
        for actual in [scores.f1, scores.precision, scores.recall] {
            same(micro, fixture, &row[micro], actual);
        }
        let mut compared = 0;
        for (column, expected) in row {
            let Some(label) = column.strip_prefix("f1_") else { continue };
            let technique: Technique = label.parse().unwrap();
            assert_eq!(technique.label(), label);
            let counts = scores.techniques.iter().find(|c| c.technique == technique).unwrap();
            same(column, fixture, expected, counts.f1);
            compared += 1;
        }
        assert_eq!(compared, 14, "{fixture}: a column per technique");
    }
}

/// Order within a group of lines on one span must not matter: the first fixture swapped some.
#[test]
fn tc_does_not_depend_on_line_order() {
    let Some(ptc) = ptc() else { return };
    let gold = labels::read_tc(&ptc.join("train/train-task-flc-tc.labels")).unwrap();
    let mut pred = labels::read_tc(&ptc.join("scorer-fixtures/tc-pred-1.tsv")).unwrap();
    let before = score_tc(&gold, &pred);
    pred.reverse();
    assert_eq!(score_tc(&gold, &pred), before);
    // Gold against itself is perfect, even with the two-technique spans.
    let perfect = score_tc(&gold, &gold);
    assert_eq!((perfect.f1, perfect.correct), (1.0, 6128));
}

/// No official FLC fixture exists; gold against itself, and FLC against SI where they must agree.
#[test]
fn flc_on_the_training_gold() {
    let Some(ptc) = ptc() else { return };
    let gold = labels::read_tc(&ptc.join("train/train-labels-task-flc-tc")).unwrap();
    assert_eq!(gold.len(), 6128);
    let perfect = score_flc(&gold, &gold);
    assert_eq!((perfect.overall.precision, perfect.overall.recall, perfect.overall.f1), (1.0, 1.0, 1.0));
    for t in &perfect.techniques {
        assert_eq!(t.scores.f1, 1.0, "{}", t.technique);
    }
    // Spans of several techniques on one span count once per technique in FLC.
    assert!(perfect.overall.recall_denominator > 5397);

    // The TC predictions move labels, not spans: per-technique F1 is lower than 1 wherever a
    // label moved, and the overall score is far from perfect but not zero.
    let pred = labels::read_tc(&ptc.join("scorer-fixtures/tc-pred-2.tsv")).unwrap();
    let s = score_flc(&gold, &pred);
    assert!(s.overall.f1 > 0.1 && s.overall.f1 < 0.6, "{}", s.overall.f1);
}

/// Offsets in the label files are code points: a gold span prints the text the README shows.
#[test]
fn gold_offsets_are_code_points() {
    let Some(ptc) = ptc() else { return };
    let gold = labels::read_tc(&ptc.join("train/train-task-flc-tc.labels")).unwrap();
    let slogan = gold
        .iter()
        .find(|l| l.span.article == "701553469" && l.technique == Technique::Slogans && l.span.start == 77)
        .unwrap();
    let text = std::fs::read_to_string(ptc.join("train/train-articles/article701553469.txt")).unwrap();
    let span = CharIndex::new(&text).span_from_chars(slogan.span.start..slogan.span.end).unwrap();
    assert_eq!(span.text(&text), "First they came for the Jews.\nAnd then they came for everyone else");
}
