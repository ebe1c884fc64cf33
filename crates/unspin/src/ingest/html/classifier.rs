//! The block classifier: gradient-boosted trees over [`blocks::features`](super::blocks), fitted
//! by `training/extraction/blocks.py` on the pages of `shared/data/article-extraction*` (its
//! report, with the cross-validated F1 per benchmark, is `training/extraction/README.md`).
//!
//! The model is a JSON file compiled into the library (`blocks-model.json`, about 0.5 MB): per
//! tree, per node, the feature it splits on, the threshold (a value at or below it goes left),
//! the two children and, for a leaf, its value. A block's score is the logistic function of the
//! base value plus the leaf value of every tree; the block is article text when the score
//! reaches the model's threshold.

use std::sync::OnceLock;

use serde::Deserialize;

use super::blocks::FEATURES;

/// A fitted classifier.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Model {
    format: String,
    version: u32,
    features: usize,
    base: f32,
    /// Scores at or above it keep a block.
    pub threshold: f32,
    trees: Vec<Tree>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Tree {
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

    /// A model from the JSON `training/extraction/blocks.py --write` writes, checked whole: every
    /// node's feature and children in range, and every path ends at a leaf.
    pub fn from_json(json: &str) -> Result<Model, String> {
        let model: Model = serde_json::from_str(json).map_err(|e| format!("not a block model: {e}"))?;
        if model.format != "unspin-block-trees" || model.version != 1 {
            return Err(format!("unknown block model format {} version {}", model.format, model.version));
        }
        if model.features != FEATURES {
            return Err(format!("the model reads {} features; this unspin computes {FEATURES}", model.features));
        }
        for (t, tree) in model.trees.iter().enumerate() {
            let n = tree.feature.len();
            let same = [tree.threshold.len(), tree.left.len(), tree.right.len(), tree.leaf.len(), tree.value.len()];
            if n == 0 || same.iter().any(|&m| m != n) {
                return Err(format!("tree {t}: node arrays of different lengths"));
            }
            for i in 0..n {
                if tree.leaf[i] {
                    continue;
                }
                let (l, r) = (tree.left[i] as usize, tree.right[i] as usize);
                // Children come after their parent, so every walk ends.
                if tree.feature[i] as usize >= FEATURES || l <= i || r <= i || l >= n || r >= n {
                    return Err(format!("tree {t}: node {i} is malformed"));
                }
            }
        }
        Ok(model)
    }

    /// The probability that a block with these features is article text.
    pub fn score(&self, features: &[f32; FEATURES]) -> f32 {
        let mut sum = self.base;
        for tree in &self.trees {
            let mut i = 0;
            while !tree.leaf[i] {
                let x = features[tree.feature[i] as usize];
                i = if x <= tree.threshold[i] { tree.left[i] } else { tree.right[i] } as usize;
            }
            sum += tree.value[i];
        }
        1.0 / (1.0 + (-sum).exp())
    }

    /// Whether each block is article text.
    pub fn keep(&self, features: &[[f32; FEATURES]]) -> Vec<bool> {
        features.iter().map(|f| self.score(f) >= self.threshold).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_model_loads() {
        let model = Model::builtin();
        assert!(!model.trees.is_empty());
        assert!((0.0..1.0).contains(&model.threshold));
    }

    #[test]
    fn malformed_models_are_refused() {
        let tree = |left: u32| {
            format!(
                r#"{{"feature":[0,0,0],"threshold":[0.5,0,0],"left":[{left},0,0],"right":[2,0,0],"leaf":[false,true,true],"value":[0,-1,1]}}"#
            )
        };
        let model = |features: usize, left: u32| {
            format!(r#"{{"format":"unspin-block-trees","version":1,"features":{features},"base":0,"threshold":0.5,"trees":[{}]}}"#, tree(left))
        };
        let good = Model::from_json(&model(FEATURES, 1)).unwrap();
        let mut f = [0f32; FEATURES];
        assert!((good.score(&f) - 1.0 / (1.0 + 1f32.exp())).abs() < 1e-6);
        f[0] = 1.0;
        assert!((good.score(&f) - 1.0 / (1.0 + (-1f32).exp())).abs() < 1e-6);
        assert_eq!(good.keep(&[f, [0.0; FEATURES]]), [true, false]);
        assert!(Model::from_json(&model(FEATURES, 0)).unwrap_err().contains("malformed"));
        assert!(Model::from_json(&model(FEATURES, 7)).unwrap_err().contains("malformed"));
        assert!(Model::from_json(&model(3, 1)).unwrap_err().contains("features"));
        assert!(Model::from_json("{}").is_err());
    }
}
