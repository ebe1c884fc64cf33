//! Fragment-level classification (FLC): the SI credit, given only between spans of the same
//! technique.
//!
//! Spans are grouped by article and technique; overlapping spans are merged only within a group
//! (a `Doubt` span and an overlapping `Loaded_Language` span stay two spans). The credit of
//! [`crate::eval::si`] is then summed per technique. Overall precision and recall divide the
//! credit of every technique by all predicted and all gold spans; the per-technique scores divide
//! by that technique's spans.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::detect::Technique;
use crate::eval::labels::TechniqueLabel;
use crate::eval::si::{group, score_groups, Range, SpanScores};

/// FLC scores: overall and for each of the 14 techniques.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlcScores {
    #[serde(flatten)]
    pub overall: SpanScores,
    /// All 14 techniques, in [`Technique::ALL`] order (zeros for techniques absent on both sides).
    pub techniques: Vec<TechniqueSpanScores>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TechniqueSpanScores {
    pub technique: Technique,
    #[serde(flatten)]
    pub scores: SpanScores,
}

/// Score FLC predictions against gold.
pub fn score_flc(gold: &[TechniqueLabel], pred: &[TechniqueLabel]) -> FlcScores {
    let gold = by_technique(gold);
    let pred = by_technique(pred);
    let empty = BTreeMap::new();
    let techniques: Vec<TechniqueSpanScores> = Technique::ALL
        .iter()
        .map(|t| TechniqueSpanScores {
            technique: *t,
            scores: score_groups(gold.get(t).unwrap_or(&empty), pred.get(t).unwrap_or(&empty)),
        })
        .collect();
    let sum_f = |f: fn(&SpanScores) -> f64| techniques.iter().map(|t| f(&t.scores)).sum::<f64>();
    let sum_n = |f: fn(&SpanScores) -> usize| techniques.iter().map(|t| f(&t.scores)).sum::<usize>();
    let overall = SpanScores::from_sums(
        sum_f(|s| s.precision_numerator),
        sum_n(|s| s.precision_denominator),
        sum_f(|s| s.recall_numerator),
        sum_n(|s| s.recall_denominator),
    );
    FlcScores { overall, techniques }
}

/// Merged spans by technique, then by article.
fn by_technique(labels: &[TechniqueLabel]) -> BTreeMap<Technique, BTreeMap<&str, Vec<Range>>> {
    let mut split: BTreeMap<Technique, Vec<(&str, Range)>> = BTreeMap::new();
    for l in labels {
        split.entry(l.technique).or_default().push((l.span.article.as_str(), (l.span.start, l.span.end)));
    }
    split.into_iter().map(|(t, spans)| (t, group(spans))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::si::score_si;

    use crate::eval::labels::labels_of as labels;

    fn of(s: &FlcScores, t: Technique) -> SpanScores {
        s.techniques.iter().find(|x| x.technique == t).map(|x| x.scores).unwrap_or_default()
    }

    use Technique::{Doubt, LoadedLanguage, Slogans};

    #[test]
    fn credit_only_between_equal_techniques() {
        let gold = labels(&[("a", Doubt, 0, 10), ("a", LoadedLanguage, 20, 30)]);
        // Right place, wrong technique: nothing. Right technique, half the span: half.
        let pred = labels(&[("a", LoadedLanguage, 0, 10), ("a", LoadedLanguage, 25, 35)]);
        let s = score_flc(&gold, &pred);
        assert_eq!((s.overall.precision_numerator, s.overall.precision_denominator), (0.5, 2));
        assert_eq!((s.overall.recall_numerator, s.overall.recall_denominator), (0.5, 2));
        assert_eq!((s.overall.precision, s.overall.recall), (0.25, 0.25));

        let loaded = of(&s, LoadedLanguage);
        assert_eq!((loaded.precision, loaded.recall), (0.25, 0.5));
        let doubt = of(&s, Doubt);
        assert_eq!((doubt.precision_denominator, doubt.recall_denominator, doubt.f1), (0, 1, 0.0));
        assert_eq!(s.techniques.len(), 14);
        assert_eq!(of(&s, Slogans), SpanScores::default());
    }

    #[test]
    fn overlaps_merge_within_a_technique_only() {
        // Two overlapping predictions of different techniques stay two spans; two of the same
        // technique become one.
        let gold = labels(&[("a", Doubt, 0, 10), ("a", LoadedLanguage, 5, 10)]);
        let pred = labels(&[("a", Doubt, 0, 10), ("a", LoadedLanguage, 5, 10), ("a", LoadedLanguage, 6, 8)]);
        let s = score_flc(&gold, &pred);
        assert_eq!(s.overall.precision_denominator, 2);
        assert_eq!(s.overall.recall_denominator, 2);
        assert_eq!((s.overall.precision, s.overall.recall, s.overall.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn with_one_technique_flc_is_si() {
        let gold = labels(&[("a", Slogans, 0, 10), ("a", Slogans, 8, 14), ("b", Slogans, 3, 9)]);
        let pred = labels(&[("a", Slogans, 2, 12), ("b", Slogans, 0, 4), ("b", Slogans, 4, 6), ("c", Slogans, 0, 1)]);
        let strip = |l: &[TechniqueLabel]| l.iter().map(|l| l.span.clone()).collect::<Vec<_>>();
        let flc = score_flc(&gold, &pred);
        assert_eq!(flc.overall, score_si(&strip(&gold), &strip(&pred)));
        assert_eq!(of(&flc, Slogans), flc.overall);
    }
}
