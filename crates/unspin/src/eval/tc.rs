//! Technique classification (TC): the technique of given spans, scored line by line.
//!
//! Gold and predicted lines are matched by their span (article, start, end). A span may carry
//! several techniques (41 PTC training spans carry two), and then the order of its lines means
//! nothing: within each span, predicted labels are assigned to gold labels so that as many as
//! possible agree. That maximum is the size of the multiset intersection of the two label lists,
//! and how the remaining labels pair up changes no count below: each leftover predicted label is a
//! false positive of its technique, each leftover gold label a false negative of its own.
//!
//! - micro precision = correct / predicted lines, micro recall = correct / gold lines, micro F1
//!   = 2 · correct / (predicted + gold lines). When the predictions cover exactly the gold spans,
//!   as the task requires, the three are equal (to accuracy), which is why the organizers' scorer
//!   reports a single micro-F1.
//! - per technique, as scikit-learn's `f1_score(average=None)`: F1 = 2TP / (2TP + FP + FN), and 0
//!   when that is 0/0.
//!
//! Predicted lines on spans that are not in gold (which the shared task did not allow) are counted
//! as wrong: each is a false positive of its technique and lowers micro precision. Gold lines
//! without a prediction are false negatives and lower recall.

use std::collections::HashMap;

use serde::Serialize;

use crate::detect::Technique;
use crate::eval::labels::TechniqueLabel;

/// TC scores: micro-averaged and for each of the 14 techniques.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TcScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Predicted lines whose technique was matched to an equal gold technique on the same span.
    pub correct: usize,
    pub gold_lines: usize,
    pub pred_lines: usize,
    /// Predicted lines on spans that have no gold line (counted as wrong).
    pub pred_lines_not_in_gold: usize,
    /// All 14 techniques, in [`Technique::ALL`] order.
    pub techniques: Vec<TechniqueCounts>,
}

/// One technique's confusion counts and scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TechniqueCounts {
    pub technique: Technique,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl TechniqueCounts {
    fn new(technique: Technique, tp: usize, fp: usize, fn_: usize) -> Self {
        let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        TechniqueCounts {
            technique,
            precision: ratio(tp, tp + fp),
            recall: ratio(tp, tp + fn_),
            f1: ratio(2 * tp, 2 * tp + fp + fn_),
            true_positives: tp,
            false_positives: fp,
            false_negatives: fn_,
        }
    }

    /// Gold lines of this technique.
    pub fn gold(&self) -> usize {
        self.true_positives + self.false_negatives
    }

    /// Predicted lines of this technique.
    pub fn pred(&self) -> usize {
        self.true_positives + self.false_positives
    }
}

/// Label counts per technique, indexed like [`Technique::ALL`].
type Counts = [usize; Technique::ALL.len()];

/// Score TC predictions against gold.
pub fn score_tc(gold: &[TechniqueLabel], pred: &[TechniqueLabel]) -> TcScores {
    // For every span: how many gold and how many predicted lines carry each technique.
    let mut spans: HashMap<(&str, usize, usize), (Counts, Counts)> = HashMap::new();
    for l in gold {
        spans.entry(key(l)).or_default().0[index(l.technique)] += 1;
    }
    let mut pred_lines_not_in_gold = 0;
    for l in pred {
        let entry = spans.entry(key(l)).or_default();
        if entry.0.iter().all(|&n| n == 0) {
            pred_lines_not_in_gold += 1;
        }
        entry.1[index(l.technique)] += 1;
    }

    let (mut tp, mut fp, mut fn_) = (Counts::default(), Counts::default(), Counts::default());
    for (g, p) in spans.values() {
        for t in 0..Technique::ALL.len() {
            let matched = g[t].min(p[t]);
            tp[t] += matched;
            fp[t] += p[t] - matched;
            fn_[t] += g[t] - matched;
        }
    }
    let correct: usize = tp.iter().sum();
    let ratio = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    TcScores {
        precision: ratio(correct, pred.len()),
        recall: ratio(correct, gold.len()),
        f1: ratio(2 * correct, pred.len() + gold.len()),
        correct,
        gold_lines: gold.len(),
        pred_lines: pred.len(),
        pred_lines_not_in_gold,
        techniques: Technique::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| TechniqueCounts::new(*t, tp[i], fp[i], fn_[i]))
            .collect(),
    }
}

fn key(l: &TechniqueLabel) -> (&str, usize, usize) {
    (l.span.article.as_str(), l.span.start, l.span.end)
}

/// Position in [`Technique::ALL`] (the enum is declared in that order; a test holds it there).
fn index(t: Technique) -> usize {
    t as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use Technique::{Doubt, FlagWaving, LoadedLanguage, Slogans};

    use crate::eval::labels::labels_of as labels;

    fn of(s: &TcScores, t: Technique) -> TechniqueCounts {
        s.techniques[index(t)]
    }

    #[test]
    fn index_follows_all() {
        for (i, t) in Technique::ALL.iter().enumerate() {
            assert_eq!(index(*t), i, "{t}");
        }
    }

    #[test]
    fn same_spans_micro_scores_are_accuracy() {
        let gold = labels(&[("a", Doubt, 0, 5), ("a", Slogans, 6, 9), ("b", Doubt, 0, 5), ("b", FlagWaving, 7, 8)]);
        let pred = labels(&[("a", Doubt, 0, 5), ("a", Doubt, 6, 9), ("b", Doubt, 0, 5), ("b", Slogans, 7, 8)]);
        let s = score_tc(&gold, &pred);
        assert_eq!((s.correct, s.gold_lines, s.pred_lines, s.pred_lines_not_in_gold), (2, 4, 4, 0));
        assert_eq!((s.precision, s.recall, s.f1), (0.5, 0.5, 0.5));
        // Doubt: 2 right, 1 wrong prediction: F1 = 4 / (4 + 1 + 0).
        let doubt = of(&s, Doubt);
        assert_eq!((doubt.true_positives, doubt.false_positives, doubt.false_negatives), (2, 1, 0));
        assert_eq!(doubt.f1, 0.8);
        assert_eq!((doubt.gold(), doubt.pred()), (2, 3));
        // Slogans: its gold line missed, its prediction wrong.
        assert_eq!(of(&s, Slogans).f1, 0.0);
        // Absent on both sides: 0, not NaN.
        let absent = of(&s, LoadedLanguage);
        assert_eq!((absent.precision, absent.recall, absent.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn order_within_a_span_does_not_matter() {
        let gold = labels(&[("a", Doubt, 0, 5), ("a", Slogans, 0, 5)]);
        let same = score_tc(&gold, &labels(&[("a", Doubt, 0, 5), ("a", Slogans, 0, 5)]));
        let swapped = score_tc(&gold, &labels(&[("a", Slogans, 0, 5), ("a", Doubt, 0, 5)]));
        assert_eq!(same, swapped);
        assert_eq!(same.f1, 1.0);
        // One of the two right, whichever line it is on.
        let half = score_tc(&gold, &labels(&[("a", FlagWaving, 0, 5), ("a", Doubt, 0, 5)]));
        assert_eq!(half.correct, 1);
        assert_eq!(of(&half, Doubt).f1, 1.0);
        assert_eq!((of(&half, Slogans).false_negatives, of(&half, FlagWaving).false_positives), (1, 1));
    }

    #[test]
    fn duplicate_predictions_match_once() {
        // Gold has Doubt once on the span; predicting it twice earns one match and one error.
        let gold = labels(&[("a", Doubt, 0, 5)]);
        let s = score_tc(&gold, &labels(&[("a", Doubt, 0, 5), ("a", Doubt, 0, 5)]));
        assert_eq!((s.correct, s.precision, s.recall), (1, 0.5, 1.0));
        assert_eq!(of(&s, Doubt).false_positives, 1);
    }

    #[test]
    fn predictions_off_gold_spans_are_wrong_and_missing_ones_lower_recall() {
        let gold = labels(&[("a", Doubt, 0, 5), ("a", Slogans, 10, 20)]);
        // Right technique, but a span gold does not have (offsets differ by one): wrong.
        let pred = labels(&[("a", Doubt, 0, 5), ("a", Slogans, 10, 19)]);
        let s = score_tc(&gold, &pred);
        assert_eq!((s.correct, s.pred_lines_not_in_gold), (1, 1));
        assert_eq!((s.precision, s.recall), (0.5, 0.5));
        let slogans = of(&s, Slogans);
        assert_eq!((slogans.true_positives, slogans.false_positives, slogans.false_negatives), (0, 1, 1));

        let missing = score_tc(&gold, &labels(&[("a", Doubt, 0, 5)]));
        assert_eq!((missing.precision, missing.recall), (1.0, 0.5));
        assert!((missing.f1 - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn empty_inputs() {
        let gold = labels(&[("a", Doubt, 0, 5)]);
        let none = score_tc(&gold, &[]);
        assert_eq!((none.precision, none.recall, none.f1), (0.0, 0.0, 0.0));
        let nothing = score_tc(&[], &[]);
        assert_eq!((nothing.f1, nothing.techniques.len()), (0.0, 14));
    }
}
