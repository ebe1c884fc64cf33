//! Span identification (SI): partial credit for overlapping spans. [`SpanScores`] and the credit
//! computation are shared with FLC, which applies them per technique.
//!
//! Each span is the set of its character indices `[start, end)`. Within an article, spans that
//! share at least one character are merged into one (in gold and in the predictions alike); spans
//! that only touch (`end == next start`) stay apart. Then, over all articles:
//!
//! - precision = Σ over predicted spans `s` of Σ over gold spans `g` of `|s ∩ g| / |s|`, divided
//!   by the number of predicted spans;
//! - recall = Σ over gold spans `g` of Σ over predicted spans `s` of `|s ∩ g| / |g|`, divided by
//!   the number of gold spans;
//! - F1 = 2PR / (P + R), and 0 when P + R = 0.
//!
//! A predicted span in an article without gold earns nothing but still counts in the precision
//! denominator; a gold article without predictions counts in the recall denominator.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::labels::ArticleSpan;

/// Precision, recall and F1 of a span task, with the sums they come from.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SpanScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Credit summed over predicted spans.
    pub precision_numerator: f64,
    /// Predicted spans, after merging overlapping ones.
    pub precision_denominator: usize,
    /// Credit summed over gold spans.
    pub recall_numerator: f64,
    /// Gold spans, after merging overlapping ones.
    pub recall_denominator: usize,
}

impl SpanScores {
    /// Scores from the credit sums; a ratio with a zero denominator is 0.
    pub fn from_sums(
        precision_numerator: f64,
        precision_denominator: usize,
        recall_numerator: f64,
        recall_denominator: usize,
    ) -> Self {
        let ratio = |n: f64, d: usize| if d == 0 { 0.0 } else { n / d as f64 };
        let precision = ratio(precision_numerator, precision_denominator);
        let recall = ratio(recall_numerator, recall_denominator);
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        SpanScores {
            precision,
            recall,
            f1,
            precision_numerator,
            precision_denominator,
            recall_numerator,
            recall_denominator,
        }
    }
}

/// Score SI predictions against gold.
pub fn score_si(gold: &[ArticleSpan], pred: &[ArticleSpan]) -> SpanScores {
    score_groups(&by_article(gold), &by_article(pred))
}

fn by_article(spans: &[ArticleSpan]) -> BTreeMap<&str, Vec<Range>> {
    group(spans.iter().map(|s| (s.article.as_str(), (s.start, s.end))))
}

/// A half-open range of code points.
pub(crate) type Range = (usize, usize);

/// Spans grouped by `key` (an article, or an article and technique), each group merged.
pub(crate) fn group<K: Ord>(spans: impl IntoIterator<Item = (K, Range)>) -> BTreeMap<K, Vec<Range>> {
    let mut groups: BTreeMap<K, Vec<Range>> = BTreeMap::new();
    for (key, range) in spans {
        groups.entry(key).or_default().push(range);
    }
    for ranges in groups.values_mut() {
        merge(ranges);
    }
    groups
}

/// Sort `spans` and merge those that share a character. Touching spans (`a.end == b.start`) share
/// none and stay apart; identical spans merge into one. Afterwards the spans are sorted and
/// pairwise disjoint.
pub(crate) fn merge(spans: &mut Vec<Range>) {
    spans.sort_unstable();
    let mut merged: Vec<Range> = Vec::with_capacity(spans.len());
    for &(start, end) in spans.iter() {
        match merged.last_mut() {
            Some(last) if start < last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    *spans = merged;
}

/// Credit summed over every group of `pred`, against the group of `gold` with the same key.
pub(crate) fn score_groups<K: Ord>(gold: &BTreeMap<K, Vec<Range>>, pred: &BTreeMap<K, Vec<Range>>) -> SpanScores {
    let (mut precision, mut recall) = (0.0, 0.0);
    for (key, pred_spans) in pred {
        if let Some(gold_spans) = gold.get(key) {
            credit(gold_spans, pred_spans, &mut precision, &mut recall);
        }
    }
    let count = |groups: &BTreeMap<K, Vec<Range>>| groups.values().map(Vec::len).sum();
    SpanScores::from_sums(precision, count(pred), recall, count(gold))
}

/// Add the credit between two merged (sorted, disjoint) span lists of one article.
///
/// Pairs are visited predicted span by predicted span, gold spans in order. Pairs that do not
/// overlap add 0 and are skipped, so the sweep is linear rather than quadratic in the number of
/// spans (a test checks it against the definition with character sets).
fn credit(gold: &[Range], pred: &[Range], precision: &mut f64, recall: &mut f64) {
    let mut first = 0;
    for &(s_start, s_end) in pred {
        // Gold spans ending at or before this predicted span cannot meet any later one either.
        while first < gold.len() && gold[first].1 <= s_start {
            first += 1;
        }
        for &(g_start, g_end) in gold[first..].iter().take_while(|g| g.0 < s_end) {
            let shared = s_end.min(g_end) - s_start.max(g_start);
            *precision += shared as f64 / (s_end - s_start) as f64;
            *recall += shared as f64 / (g_end - g_start) as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(list: &[(&str, usize, usize)]) -> Vec<ArticleSpan> {
        list.iter().map(|&(a, start, end)| ArticleSpan { article: a.to_owned(), start, end }).collect()
    }

    /// Credit computed the slow way, from sets of character indices, for comparison.
    fn by_sets(gold: &[Range], pred: &[Range]) -> (f64, f64) {
        let set = |r: &Range| (r.0..r.1).collect::<std::collections::HashSet<_>>();
        let (mut p, mut r) = (0.0, 0.0);
        for s in pred {
            for g in gold {
                let shared = set(s).intersection(&set(g)).count() as f64;
                p += shared / set(s).len() as f64;
                r += shared / set(g).len() as f64;
            }
        }
        (p, r)
    }

    #[test]
    fn overlapping_spans_merge_and_touching_ones_do_not() {
        let mut v = vec![(10, 20), (0, 5), (15, 30), (5, 8), (29, 31), (40, 41), (40, 41)];
        merge(&mut v);
        assert_eq!(v, [(0, 5), (5, 8), (10, 31), (40, 41)]);
        let mut contained = vec![(0, 100), (10, 20), (30, 40)];
        merge(&mut contained);
        assert_eq!(contained, [(0, 100)]);
    }

    #[test]
    fn partial_credit_by_hand() {
        // Gold "0..10"; prediction "5..15": 5 shared chars, half of each span.
        let s = score_si(&spans(&[("a", 0, 10)]), &spans(&[("a", 5, 15)]));
        assert_eq!((s.precision_numerator, s.precision_denominator), (0.5, 1));
        assert_eq!((s.recall_numerator, s.recall_denominator), (0.5, 1));
        assert_eq!((s.precision, s.recall, s.f1), (0.5, 0.5, 0.5));

        // One prediction covering two gold spans: full precision credit from both, recall 1 each.
        let s = score_si(&spans(&[("a", 0, 4), ("a", 6, 10)]), &spans(&[("a", 0, 10)]));
        assert_eq!((s.precision_numerator, s.precision_denominator), (0.8, 1));
        assert_eq!((s.recall_numerator, s.recall_denominator), (2.0, 2));
        assert!((s.f1 - 2.0 * 0.8 / 1.8).abs() < 1e-12);
    }

    #[test]
    fn duplicates_and_overlaps_in_predictions_count_once() {
        let gold = spans(&[("a", 0, 10)]);
        let once = score_si(&gold, &spans(&[("a", 0, 10)]));
        let twice = score_si(&gold, &spans(&[("a", 0, 10), ("a", 0, 10), ("a", 2, 6)]));
        assert_eq!(once, twice);
        assert_eq!((once.precision, once.recall, once.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn adjacent_predictions_are_two_spans() {
        // 0..5 and 5..10 touch; both sit inside gold 0..10: precision 2/2, recall 0.5 + 0.5.
        let s = score_si(&spans(&[("a", 0, 10)]), &spans(&[("a", 0, 5), ("a", 5, 10)]));
        assert_eq!((s.precision_numerator, s.precision_denominator), (2.0, 2));
        assert_eq!((s.recall_numerator, s.recall_denominator), (1.0, 1));
    }

    #[test]
    fn articles_do_not_mix_and_unlabelled_articles_still_count() {
        let gold = spans(&[("a", 0, 10), ("b", 0, 10)]);
        // The prediction for "c" has no gold: it earns nothing but counts in the denominator.
        let s = score_si(&gold, &spans(&[("a", 0, 10), ("c", 0, 10)]));
        assert_eq!((s.precision_numerator, s.precision_denominator), (1.0, 2));
        assert_eq!((s.recall_numerator, s.recall_denominator), (1.0, 2));
        // Same offsets, other article: no credit.
        let s = score_si(&spans(&[("a", 0, 10)]), &spans(&[("b", 0, 10)]));
        assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn empty_sides_score_zero_without_dividing_by_zero() {
        let gold = spans(&[("a", 0, 10)]);
        let none = score_si(&gold, &[]);
        assert_eq!((none.precision, none.recall, none.f1), (0.0, 0.0, 0.0));
        assert_eq!((none.precision_denominator, none.recall_denominator), (0, 1));
        let nothing = score_si(&[], &[]);
        assert_eq!(nothing, SpanScores::default());
        let no_gold = score_si(&[], &gold);
        assert_eq!((no_gold.precision_denominator, no_gold.f1), (1, 0.0));
    }

    #[test]
    fn the_sweep_agrees_with_character_sets() {
        let gold = [(0, 3), (3, 9), (12, 20), (25, 26), (30, 50)];
        let pred = [(1, 4), (8, 13), (14, 15), (19, 31), (49, 60), (70, 80)];
        let (mut p, mut r) = (0.0, 0.0);
        credit(&gold, &pred, &mut p, &mut r);
        let (p_sets, r_sets) = by_sets(&gold, &pred);
        assert!((p - p_sets).abs() < 1e-12 && (r - r_sets).abs() < 1e-12, "{p} {p_sets} {r} {r_sets}");
        assert!(p > 0.0 && r > 0.0);
    }
}
