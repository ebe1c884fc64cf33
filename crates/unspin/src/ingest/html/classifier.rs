//! The block classifier: gradient-boosted trees over [`blocks::features`](super::blocks), fitted
//! by `training/extraction/blocks.py` on the pages of `shared/data/article-extraction*` (its
//! report, with the cross-validated F1 per benchmark, is `training/extraction/README.md`).
//!
//! It runs in two stages. The first scores each block from its own features; the second reads
//! the same features plus the first stage's scores around the block ([`context`]: its
//! neighbours', the window's, the page's, where the confidently kept text lies), so that a
//! block between two article paragraphs can be kept and a lone paragraph-like block in a
//! sidebar dropped.
//!
//! The model is a JSON file compiled into the library (`blocks-model.json`, about 0.75 MB):
//! per stage, per tree, per node, the feature it splits on, the threshold (a value at or below
//! it goes left), the two children and, for a leaf, its value. A stage's score is the logistic function of its
//! base value plus the leaf value of every tree; the block is article text when the last
//! stage's score reaches the model's threshold.

use std::sync::OnceLock;

use serde::Deserialize;

use super::blocks::FEATURES;

/// Context features a second stage reads besides a block's own (see [`context`]).
pub const CONTEXT: usize = 12;

/// Blocks either side of a block that [`context`] averages over.
const WINDOW: usize = 3;

/// A fitted classifier: one stage of trees over the block features, or two, the second reading
/// the first's scores around each block as well.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Scores at or above it keep a block.
    pub threshold: f32,
    stages: Vec<Stage>,
}

/// A stage's trees, each stored as a complete binary tree of the stage's depth: the splits of
/// tree `t` in breadth-first order at `splits[t * (2^depth - 1)..]` (node `i`'s children at
/// `2i + 1` and `2i + 2`), its leaves at `leaves[t * 2^depth..]`. A leaf the fitted tree has
/// higher up becomes splits whose subtrees all end in its value. A walk is then `depth` steps of
/// arithmetic with no branch to mispredict, and blocks walk a tree four at a time.
#[derive(Debug, Clone, PartialEq)]
struct Stage {
    base: f32,
    depth: u32,
    splits: Vec<Split>,
    leaves: Vec<f32>,
}

/// A split: a value at or below `threshold` goes left.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Split {
    feature: u32,
    threshold: f32,
}

/// The deepest tree a model may have: a complete tree of this depth has 4,096 leaves.
const MAX_DEPTH: u32 = 12;

/// The model's file, as `training/extraction/blocks.py` writes it.
#[derive(Deserialize)]
struct ModelFile {
    format: String,
    version: u32,
    features: usize,
    context: usize,
    threshold: f32,
    stages: Vec<StageFile>,
}

#[derive(Deserialize)]
struct StageFile {
    base: f32,
    trees: Vec<TreeFile>,
}

#[derive(Deserialize)]
struct TreeFile {
    feature: Vec<u32>,
    threshold: Vec<f32>,
    left: Vec<u32>,
    right: Vec<u32>,
    leaf: Vec<bool>,
    value: Vec<f32>,
}

const BUILTIN: &str = include_str!("blocks-model.json");

impl Model {
    /// The classifier shipped with unspin.
    pub fn builtin() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        // The file is part of the source and checked by the tests: it cannot fail at run time.
        MODEL.get_or_init(|| Model::from_json(BUILTIN).expect("the built-in block model is valid"))
    }

    /// A model from the JSON `training/extraction/blocks.py --write` writes, checked whole: one
    /// or two stages, every node's feature and children in range, and every path ends at a leaf.
    pub fn from_json(json: &str) -> Result<Model, String> {
        let file: ModelFile = serde_json::from_str(json).map_err(|e| format!("not a block model: {e}"))?;
        if file.format != "unspin-block-trees" || file.version != 2 {
            return Err(format!("unknown block model format {} version {}", file.format, file.version));
        }
        if file.features != FEATURES || file.context != CONTEXT {
            return Err(format!(
                "the model reads {} + {} features; this unspin computes {FEATURES} + {CONTEXT}",
                file.features, file.context
            ));
        }
        if !(1..=2).contains(&file.stages.len()) {
            return Err(format!("a block model has one or two stages, not {}", file.stages.len()));
        }
        let mut stages = Vec::new();
        for (s, stage) in file.stages.iter().enumerate() {
            let features = if s == 0 { FEATURES } else { FEATURES + CONTEXT };
            let mut depth = 0;
            for (t, tree) in stage.trees.iter().enumerate() {
                tree.check(features).map_err(|e| format!("stage {s}, tree {t}: {e}"))?;
                depth = depth.max(tree.depth());
            }
            if depth > MAX_DEPTH {
                return Err(format!("stage {s} has a tree {depth} levels deep; at most {MAX_DEPTH} are supported"));
            }
            let inner = (1usize << depth) - 1;
            let mut flat = Stage {
                base: stage.base,
                depth,
                splits: vec![Split { feature: 0, threshold: 0.0 }; inner * stage.trees.len()],
                leaves: vec![0.0; (inner + 1) * stage.trees.len()],
            };
            for (t, tree) in stage.trees.iter().enumerate() {
                tree.fill(
                    0,
                    0,
                    &mut flat.splits[t * inner..(t + 1) * inner],
                    &mut flat.leaves[t * (inner + 1)..(t + 1) * (inner + 1)],
                );
            }
            stages.push(flat);
        }
        Ok(Model { threshold: file.threshold, stages })
    }

    /// The probability that each block is article text. `words` holds each block's word count.
    pub fn scores(&self, features: &[[f32; FEATURES]], words: &[usize]) -> Vec<f32> {
        let first = self.stages[0].scores(features);
        let Some(second) = self.stages.get(1) else {
            return first;
        };
        let rows: Vec<[f32; FEATURES + CONTEXT]> = features
            .iter()
            .zip(context(&first, words))
            .map(|(f, c)| {
                let mut row = [0f32; FEATURES + CONTEXT];
                row[..FEATURES].copy_from_slice(f);
                row[FEATURES..].copy_from_slice(&c);
                row
            })
            .collect();
        second.scores(&rows)
    }

    /// Whether each block is article text.
    pub fn keep(&self, features: &[[f32; FEATURES]], words: &[usize]) -> Vec<bool> {
        self.scores(features, words).into_iter().map(|s| s >= self.threshold).collect()
    }
}

impl Stage {
    /// The score of every row, tree by tree: a tree stays in cache while every block walks it,
    /// and four blocks walk it side by side, so that their independent steps overlap.
    fn scores<const N: usize>(&self, rows: &[[f32; N]]) -> Vec<f32> {
        let inner = (1usize << self.depth) - 1;
        let mut sums = vec![self.base; rows.len()];
        for (t, leaves) in self.leaves.chunks_exact(inner + 1).enumerate() {
            let splits = &self.splits[t * inner..(t + 1) * inner];
            let step = |i: usize, row: &[f32; N]| {
                let split = splits[i];
                // A NaN goes right, as in the tree walk the trees were fitted with.
                let left = row[split.feature as usize] <= split.threshold;
                2 * i + 2 - usize::from(left)
            };
            let mut four = rows.chunks_exact(4);
            let mut at = 0;
            for chunk in four.by_ref() {
                let mut i = [0usize; 4];
                for _ in 0..self.depth {
                    for k in 0..4 {
                        i[k] = step(i[k], &chunk[k]);
                    }
                }
                for k in 0..4 {
                    sums[at + k] += leaves[i[k] - inner];
                }
                at += 4;
            }
            for row in four.remainder() {
                let mut i = 0;
                for _ in 0..self.depth {
                    i = step(i, row);
                }
                sums[at] += leaves[i - inner];
                at += 1;
            }
        }
        sums.into_iter().map(|sum| 1.0 / (1.0 + (-sum).exp())).collect()
    }
}

impl TreeFile {
    /// The splits on the longest path from the root down, of a [checked](Self::check) tree
    /// (children after their parent: one pass from the last node up).
    fn depth(&self) -> u32 {
        let n = self.feature.len();
        let mut below = vec![0u32; n];
        for i in (0..n).rev() {
            if !self.leaf[i] {
                below[i] = 1 + below[self.left[i] as usize].max(below[self.right[i] as usize]);
            }
        }
        below[0]
    }

    /// Writes the subtree at node `i` into a complete tree at its position `at` (breadth-first
    /// numbering): `splits` and `leaves` are the whole complete tree's, whose depth is the
    /// stage's deepest tree's.
    fn fill(&self, i: usize, at: usize, splits: &mut [Split], leaves: &mut [f32]) {
        let inner = splits.len();
        if at >= inner {
            leaves[at - inner] = self.value[i];
            return;
        }
        let (left, right) = if self.leaf[i] {
            // A leaf above the last level: a split whose two sides both end in its value.
            (i, i)
        } else {
            splits[at] = Split { feature: self.feature[i], threshold: self.threshold[i] };
            (self.left[i] as usize, self.right[i] as usize)
        };
        self.fill(left, 2 * at + 1, splits, leaves);
        self.fill(right, 2 * at + 2, splits, leaves);
    }

    fn check(&self, features: usize) -> Result<(), String> {
        let n = self.feature.len();
        let same = [self.threshold.len(), self.left.len(), self.right.len(), self.leaf.len(), self.value.len()];
        if n == 0 || same.iter().any(|&m| m != n) {
            return Err("node arrays of different lengths".into());
        }
        for i in (0..n).filter(|&i| !self.leaf[i]) {
            let (l, r) = (self.left[i] as usize, self.right[i] as usize);
            // Children come after their parent, so every walk ends.
            if self.feature[i] as usize >= features || l <= i || r <= i || l >= n || r >= n {
                return Err(format!("node {i} is malformed"));
            }
        }
        Ok(())
    }
}

/// The context of each block in the first stage's scores `p` (as `training/extraction/blocks.py`
/// computes it): its own score; its neighbours' one and two blocks away (-1 past the page's
/// ends); the mean and the max over [`WINDOW`] blocks either side; the page's max and its
/// word-weighted mean; the shares of the page's confidently kept words (score ≥ 0.5) before
/// and after it; the distance in blocks to the nearest confidently kept block (at most 10).
pub fn context(p: &[f32], words: &[usize]) -> Vec<[f32; CONTEXT]> {
    let n = p.len();
    let p: Vec<f64> = p.iter().map(|&x| f64::from(x)).collect();
    let words: Vec<f64> = words.iter().map(|&w| w.max(1) as f64).collect();
    let kept: Vec<usize> = (0..n).filter(|&i| p[i] >= 0.5).collect();
    let kept_words = |i: usize| if p[i] >= 0.5 { words[i] } else { 0.0 };
    let total: f64 = (0..n).map(kept_words).sum();
    let page_max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let page_mean = p.iter().zip(&words).map(|(p, w)| p * w).sum::<f64>() / words.iter().sum::<f64>();
    let at = |i: isize| if i < 0 || i as usize >= n { -1.0 } else { p[i as usize] };
    let share = |x: f64| if total > 0.0 { x / total } else { 0.0 };
    let mut before = 0.0;
    (0..n)
        .map(|i| {
            let window = &p[i.saturating_sub(WINDOW)..(i + WINDOW + 1).min(n)];
            let distance = kept.iter().map(|&k| k.abs_diff(i)).min().map_or(10.0, |d| (d as f64).min(10.0));
            let after = total - before - kept_words(i);
            let row = [
                p[i],
                at(i as isize - 1),
                at(i as isize + 1),
                at(i as isize - 2),
                at(i as isize + 2),
                window.iter().sum::<f64>() / window.len() as f64,
                window.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                page_max,
                page_mean,
                share(before),
                share(after),
                distance,
            ];
            before += kept_words(i);
            row.map(|x| x as f32)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_loads() {
        let model = Model::builtin();
        assert_eq!(model.stages.len(), 2, "the shipped model has both stages");
        assert!(model.stages.iter().all(|s| !s.leaves.is_empty() && s.depth > 0));
        assert!((0.0..1.0).contains(&model.threshold));
    }

    #[test]
    fn malformed_models_are_refused() {
        let tree = |feature: usize, left: u32| {
            format!(
                r#"{{"feature":[{feature},0,0],"threshold":[0.5,0,0],"left":[{left},0,0],"right":[2,0,0],"leaf":[false,true,true],"value":[0,-1,1]}}"#
            )
        };
        let model = |features: usize, stages: &[String]| {
            let stages: Vec<String> = stages.iter().map(|t| format!(r#"{{"base":0,"trees":[{t}]}}"#)).collect();
            format!(
                r#"{{"format":"unspin-block-trees","version":2,"features":{features},"context":{CONTEXT},"threshold":0.5,"stages":[{}]}}"#,
                stages.join(",")
            )
        };
        let good = Model::from_json(&model(FEATURES, &[tree(0, 1)])).unwrap();
        let mut f = [0f32; FEATURES];
        let low = 1.0 / (1.0 + 1f32.exp());
        assert!((good.scores(&[f], &[1])[0] - low).abs() < 1e-6);
        f[0] = 1.0;
        assert!((good.scores(&[f], &[1])[0] - (1.0 - low)).abs() < 1e-6);
        assert_eq!(good.keep(&[f, [0.0; FEATURES]], &[1, 1]), [true, false]);
        // A second stage may read the context features, a first may not.
        assert!(Model::from_json(&model(FEATURES, &[tree(0, 1), tree(FEATURES, 1)])).is_ok());
        let err = Model::from_json(&model(FEATURES, &[tree(FEATURES, 1)])).unwrap_err();
        assert!(err.contains("stage 0, tree 0: node 0 is malformed"), "{err}");
        assert!(Model::from_json(&model(FEATURES, &[tree(0, 0)])).unwrap_err().contains("malformed"));
        assert!(Model::from_json(&model(FEATURES, &[tree(0, 7)])).unwrap_err().contains("malformed"));
        assert!(Model::from_json(&model(3, &[tree(0, 1)])).unwrap_err().contains("features"));
        assert!(Model::from_json(&model(FEATURES, &[])).unwrap_err().contains("one or two stages"));
        assert!(Model::from_json("{}").is_err());
    }

    #[test]
    fn a_second_stage_reads_the_scores_around_a_block() {
        // Stage one keeps blocks whose feature 0 is set; stage two keeps a block whose
        // neighbour before it was kept by stage one (context feature 1), whatever its own score.
        let first = r#"{"feature":[0,0,0],"threshold":[0.5,0,0],"left":[1,0,0],"right":[2,0,0],"leaf":[false,true,true],"value":[0,-3,3]}"#;
        let prev = FEATURES + 1;
        let second = format!(
            r#"{{"feature":[{prev},0,0],"threshold":[0.5,0,0],"left":[1,0,0],"right":[2,0,0],"leaf":[false,true,true],"value":[0,-3,3]}}"#
        );
        let json = format!(
            r#"{{"format":"unspin-block-trees","version":2,"features":{FEATURES},"context":{CONTEXT},"threshold":0.5,"stages":[{{"base":0,"trees":[{first}]}},{{"base":0,"trees":[{second}]}}]}}"#
        );
        let model = Model::from_json(&json).unwrap();
        let on = {
            let mut f = [0f32; FEATURES];
            f[0] = 1.0;
            f
        };
        let off = [0f32; FEATURES];
        assert_eq!(model.keep(&[on, off, off, on], &[5, 5, 5, 5]), [false, true, false, false]);
    }

    #[test]
    fn context_of_a_page() {
        let c = context(&[0.9, 0.1, 0.6, 0.2], &[10, 0, 30, 5]);
        assert_eq!(c.len(), 4);
        // own, previous, next, two before, two after
        assert_eq!(&c[0][..5], &[0.9, -1.0, 0.1, -1.0, 0.6]);
        assert_eq!(&c[3][..5], &[0.2, 0.6, -1.0, 0.1, -1.0]);
        // window mean and max (three blocks either side: the whole page here), page max
        assert!((c[1][5] - 0.45).abs() < 1e-6 && c[1][6] == 0.9 && c[1][7] == 0.9);
        // word-weighted mean: a block of no words weighs one
        let mean = (0.9 * 10.0 + 0.1 + 0.6 * 30.0 + 0.2 * 5.0) / 46.0;
        assert!((c[2][8] - mean).abs() < 1e-6);
        // kept words before and after: blocks 0 (10 words) and 2 (30 words) are kept
        assert_eq!((c[0][9], c[0][10]), (0.0, 0.75));
        assert_eq!((c[1][9], c[1][10]), (0.25, 0.75));
        assert_eq!((c[3][9], c[3][10]), (1.0, 0.0));
        // distance to the nearest kept block
        assert_eq!([c[0][11], c[1][11], c[3][11]], [0.0, 1.0, 1.0]);
        assert_eq!(context(&[0.1, 0.2], &[3, 3])[0][11], 10.0);
        assert!(context(&[], &[]).is_empty());
    }
}
