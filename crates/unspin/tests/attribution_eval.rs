//! Measured accuracy of the claims stage's rule-based reading (claims without a scorer, sources,
//! speakers, cues, quotes, hedges, insinuations) on the annotated sentences of
//! `tests/data/attribution/sentences.jsonl` (format in the README beside it).
//!
//! The test prints precision and recall per field (`cargo test -p unspin --test attribution_eval
//! -- --nocapture`) and fails when one falls below its floor: the level measured when the floor
//! was set, less a small margin, so a change that makes the rules worse shows up here.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;
use unspin::claims::{self, Claims, SourceKind};
use unspin::{Document, Metadata};

const DATA: &str = include_str!("data/attribution/sentences.jsonl");

/// Floors (precision, recall) per field, set from the measured figures less about 0.03.
const FLOORS: &[(&str, f64, f64)] = &[
    ("claim", 0.92, 0.95),
    ("source=named", 0.97, 0.91),
    ("source=vague", 0.87, 0.97),
    ("speaker", 0.91, 0.93),
    ("cue", 0.95, 0.97),
    ("quote", 0.97, 0.97),
    ("hedge", 0.97, 0.90),
    ("hedged", 0.97, 0.90),
    ("insinuation", 0.97, 0.97),
];

#[derive(Default, Clone, Copy)]
struct Count {
    tp: usize,
    /// Predicted items.
    pred: usize,
    /// Gold items.
    gold: usize,
}

impl Count {
    fn precision(&self) -> f64 {
        if self.pred == 0 {
            1.0
        } else {
            self.tp as f64 / self.pred as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.tp as f64 / self.gold as f64
        }
    }
}

struct Tally {
    counts: BTreeMap<&'static str, Count>,
    /// What went wrong, for people reading the output.
    misses: Vec<String>,
}

impl Tally {
    fn binary(&mut self, field: &'static str, id: &str, gold: bool, pred: bool) {
        let c = self.counts.entry(field).or_default();
        c.gold += usize::from(gold);
        c.pred += usize::from(pred);
        c.tp += usize::from(gold && pred);
        if gold != pred {
            self.misses.push(format!("{id}: {field}: gold {gold}, got {pred}"));
        }
    }

    /// One-to-one matching of gold and predicted items with `same`.
    fn items<T: std::fmt::Debug>(
        &mut self,
        field: &'static str,
        id: &str,
        gold: &[T],
        pred: &[T],
        same: impl Fn(&T, &T) -> bool,
    ) {
        let mut used = vec![false; pred.len()];
        let mut tp = 0;
        for g in gold {
            if let Some(k) = (0..pred.len()).find(|&k| !used[k] && same(g, &pred[k])) {
                used[k] = true;
                tp += 1;
            }
        }
        let c = self.counts.entry(field).or_default();
        c.tp += tp;
        c.gold += gold.len();
        c.pred += pred.len();
        if tp != gold.len() || tp != pred.len() {
            self.misses.push(format!("{id}: {field}: gold {gold:?}, got {pred:?}"));
        }
    }
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|s| s.as_str().expect("a string").to_owned()).collect())
        .unwrap_or_default()
}

/// A stretch of text (shown when it is missed) and its byte range (what is matched).
#[derive(Debug)]
#[allow(dead_code)] // the text is read through `Debug` only
struct Item(String, Range<usize>);

/// Where `needle` first occurs in `text[within]`, as a byte range into `text`.
fn locate(text: &str, within: Range<usize>, needle: &str, id: &str) -> Range<usize> {
    let at = text[within.clone()].find(needle).unwrap_or_else(|| panic!("{id}: {needle:?} is not in its sentence"));
    within.start + at..within.start + at + needle.len()
}

fn evaluate() -> (Tally, usize, usize) {
    let mut tally = Tally { counts: BTreeMap::new(), misses: Vec::new() };
    let (mut n_sentences, mut n_split_differently) = (0, 0);
    for (line_no, line) in DATA.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let record: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", line_no + 1));
        let id = record["id"].as_str().expect("an id");
        let text = record["text"].as_str().expect("a text");
        let doc = Document::new(id, text, Metadata::default());
        let seg = unspin::segment::segment(text);
        let c: Claims = claims::analyze(&doc, &seg, None).unwrap();
        let mut from = 0;
        for gold in record["sentences"].as_array().expect("sentences") {
            n_sentences += 1;
            let gtext = gold["text"].as_str().expect("a sentence text");
            let start = from + text[from..].find(gtext).unwrap_or_else(|| panic!("{id}: {gtext:?} not in the text"));
            let grange = start..start + gtext.len();
            from = grange.end;
            let id = format!("{id} «{gtext}»");
            // The system's sentence holding the gold sentence's first byte.
            let s = seg
                .sentences
                .iter()
                .position(|s| s.span.byte_start <= start && start < s.span.byte_end)
                .unwrap_or_else(|| panic!("{id}: no sentence there"));
            let sentence = &seg.sentences[s];
            if sentence.span.bytes() != grange {
                n_split_differently += 1;
                tally.misses.push(format!("{id}: segmented as «{}»", &text[sentence.span.bytes()]));
            }
            let sc = &c.sentences[s];

            tally.binary("claim", &id, gold["claim"].as_bool().expect("claim"), sc.claim);
            let kind = gold["source"].as_str().expect("source");
            assert!(matches!(kind, "named" | "vague" | "none"), "{id}: source {kind}");
            tally.binary("source=named", &id, kind == "named", sc.source.kind == SourceKind::Named);
            tally.binary("source=vague", &id, kind == "vague", sc.source.kind == SourceKind::Vague);

            let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            let gold_speaker: Vec<String> = gold.get("speaker").and_then(Value::as_str).map(norm).into_iter().collect();
            let pred_speaker: Vec<String> = sc.source.speaker.as_deref().map(norm).into_iter().collect();
            tally.items("speaker", &id, &gold_speaker, &pred_speaker, |a, b| a == b);

            let found = |key: &str| -> Vec<Item> {
                strings(gold, key).iter().map(|n| Item(n.clone(), locate(text, grange.clone(), n, &id))).collect()
            };
            let pred_cues: Vec<Item> =
                sc.attributions.iter().map(|a| Item(a.cue.text.clone(), a.cue.span.bytes())).collect();
            tally.items("cue", &id, &found("cues"), &pred_cues, |a, b| overlap(&a.1, &b.1));

            let gold_quotes = strings(gold, "quotes");
            for q in &gold_quotes {
                assert!(text[start..].contains(q.as_str()), "{id}: quote {q:?} not in the text");
            }
            let pred_quotes: Vec<String> = c.quotes_starting_in(sc).map(|q| q.text.trim().to_owned()).collect();
            tally.items("quote", &id, &gold_quotes, &pred_quotes, |a, b| a == b);

            let gold_hedges = found("hedges");
            let pred_hedges: Vec<Item> = sc.hedges.iter().map(|h| Item(h.text.clone(), h.span.bytes())).collect();
            tally.binary("hedged", &id, !gold_hedges.is_empty(), !pred_hedges.is_empty());
            tally.items("hedge", &id, &gold_hedges, &pred_hedges, |a, b| overlap(&a.1, &b.1));

            let insinuation = gold.get("insinuation").and_then(Value::as_bool).unwrap_or(false);
            tally.binary("insinuation", &id, insinuation, sc.insinuation.is_some());
        }
    }
    (tally, n_sentences, n_split_differently)
}

#[test]
fn attribution_precision_and_recall_hold_their_floors() {
    let (tally, n, split) = evaluate();
    println!("{n} annotated sentences; {split} segmented otherwise than annotated\n");
    println!("{:<14} {:>5} {:>5} {:>5} {:>9} {:>6}", "field", "gold", "pred", "tp", "precision", "recall");
    for (field, c) in &tally.counts {
        println!("{field:<14} {:>5} {:>5} {:>5} {:>9.3} {:>6.3}", c.gold, c.pred, c.tp, c.precision(), c.recall());
    }
    println!("\nmisses:");
    for m in &tally.misses {
        println!("  {m}");
    }
    assert!(n >= 60, "the set should hold at least 60 sentences, has {n}");
    let mut failed = Vec::new();
    for &(field, p, r) in FLOORS {
        let c = tally.counts.get(field).unwrap_or_else(|| panic!("no counts for {field}"));
        assert!(c.gold > 0, "{field}: no gold items, the floor means nothing");
        if c.precision() < p || c.recall() < r {
            failed.push(format!("{field}: P {:.3} (floor {p}), R {:.3} (floor {r})", c.precision(), c.recall()));
        }
    }
    assert!(failed.is_empty(), "below the floor:\n{}", failed.join("\n"));
}
