//! Which model runs: the shipped models by name (`accurate`, `fast`), and how a name or a folder
//! given by a front end (`--model`, `UNSPIN_MODEL`, the Python package's `model=`) becomes a model
//! folder. Every front end resolves through [`model_dir`], so a name means the same everywhere.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A model shipped under `models/`, selectable by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippedModel {
    /// What `--model` takes.
    pub name: &'static str,
    /// Its folder under `models/`.
    pub folder: &'static str,
    /// The encoder, for help texts and error messages.
    pub encoder: &'static str,
}

/// The shipped models, most accurate first.
pub const SHIPPED_MODELS: [ShippedModel; 2] = [
    ShippedModel { name: "accurate", folder: "unspin-ptc-mpnet", encoder: "all-mpnet-base-v2" },
    ShippedModel { name: "fast", folder: "unspin-ptc-minilm", encoder: "all-MiniLM-L6-v2" },
];

/// The model that runs when none is named: the accurate one. Corpus-scale runs name `fast`.
pub const DEFAULT_MODEL_NAME: &str = "accurate";

/// The environment variable that names a model (a name or a folder) when the caller gives none.
pub const MODEL_ENV: &str = "UNSPIN_MODEL";

/// The shipped model called `name`.
pub fn shipped(name: &str) -> Option<&'static ShippedModel> {
    SHIPPED_MODELS.iter().find(|m| m.name == name)
}

/// The model folder that `choice` names: a shipped model's name, or a folder. Without a choice,
/// `UNSPIN_MODEL` names it, and without that, [`DEFAULT_MODEL_NAME`].
///
/// A name is looked up as `models/<folder>` (holding a `config.json`) under `UNSPIN_HOME`, then
/// beside the executable or one to three folders up (an installed tree), then in the source tree. A name wins over a folder of
/// the same name in the working directory; write `./fast` for that. A folder is returned as it
/// is, and [`super::NeuralDetector::load`] says what is wrong with it.
pub fn model_dir(choice: Option<&str>) -> Result<PathBuf> {
    let roots = search_roots();
    match choice {
        Some(choice) => resolve(choice, &roots, ""),
        None => match std::env::var(MODEL_ENV).ok().filter(|v| !v.is_empty()) {
            Some(env) => resolve(&env, &roots, &format!(" (from {MODEL_ENV})")),
            None => resolve(DEFAULT_MODEL_NAME, &roots, ""),
        },
    }
}

/// The environment variable naming an installation folder that holds `models/` (and
/// `runtime/`, see [`super::engine`]): how a relocated install, such as the Python package's
/// bundled data, tells the library where its files are. Tried before every other place.
pub const HOME_ENV: &str = "UNSPIN_HOME";

/// Folders that may hold `models/`, in the order they are tried.
fn search_roots() -> Vec<PathBuf> {
    let mut roots = Vec::new();
    if let Some(home) = std::env::var_os(HOME_ENV).filter(|v| !v.is_empty()) {
        roots.push(PathBuf::from(home));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_owned)) {
        for up in ["", "..", "../..", "../../.."] {
            roots.push(exe_dir.join(up));
        }
    }
    // crates/unspin → the repository.
    roots.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."));
    roots
}

fn resolve(choice: &str, roots: &[PathBuf], from: &str) -> Result<PathBuf> {
    if let Some(model) = shipped(choice) {
        let rel = Path::new("models").join(model.folder);
        if let Some(dir) = roots.iter().map(|r| r.join(&rel)).find(|d| d.join("config.json").is_file()) {
            return Ok(dir);
        }
        let mut looked: Vec<String> = Vec::new();
        for root in roots {
            let shown = root.canonicalize().unwrap_or_else(|_| root.clone()).display().to_string();
            if !looked.contains(&shown) {
                looked.push(shown);
            }
        }
        let other: Vec<&str> =
            SHIPPED_MODELS.iter().filter(|m| m.name != model.name).map(|m| m.name).collect();
        return Err(Error::Model {
            path: rel,
            message: format!(
                "the {} model ({}){from} is not installed: no such folder with a config.json in {}; \
                 choose {} or a model folder",
                model.name,
                model.encoder,
                looked.join(", "),
                other.join(" or "),
            ),
        });
    }
    let path = Path::new(choice);
    if path.exists() || choice.chars().any(std::path::is_separator) || choice.starts_with('.') {
        return Ok(path.to_owned());
    }
    Err(Error::Setting(format!(
        "unknown model {choice:?}{from}: give {} or the path of a model folder (one with a config.json)",
        known_names()
    )))
}

/// `accurate, fast` as a reader expects a list.
fn known_names() -> String {
    let names: Vec<&str> = SHIPPED_MODELS.iter().map(|m| m.name).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn install(root: &Path, folder: &str) -> PathBuf {
        let dir = root.join("models").join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.json"), "{}").unwrap();
        dir
    }

    #[test]
    fn a_name_is_found_in_the_first_root_that_has_it() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let roots = [a.path().to_owned(), b.path().to_owned()];
        let fast = install(b.path(), "unspin-ptc-minilm");
        assert_eq!(resolve("fast", &roots, "").unwrap(), fast);
        let first = install(a.path(), "unspin-ptc-minilm");
        assert_eq!(resolve("fast", &roots, "").unwrap(), first);
        // A folder without config.json does not count.
        std::fs::create_dir_all(a.path().join("models/unspin-ptc-mpnet")).unwrap();
        let accurate = install(b.path(), "unspin-ptc-mpnet");
        assert_eq!(resolve("accurate", &roots, "").unwrap(), accurate);
    }

    #[test]
    fn a_missing_shipped_model_names_its_folder_and_the_other_name() {
        let a = tempfile::tempdir().unwrap();
        install(a.path(), "unspin-ptc-minilm");
        let err = resolve("accurate", &[a.path().to_owned()], "").unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, Error::Model { .. }), "{err:?}");
        assert!(message.contains("models/unspin-ptc-mpnet"), "{message}");
        assert!(message.contains("accurate model (all-mpnet-base-v2) is not installed"), "{message}");
        assert!(message.contains("choose fast or a model folder"), "{message}");
        let shown = a.path().canonicalize().unwrap().display().to_string();
        assert!(message.contains(&shown), "{message}");
    }

    #[test]
    fn folders_pass_through_and_unknown_words_list_the_names() {
        let a = tempfile::tempdir().unwrap();
        let dir = a.path().join("mine");
        assert_eq!(resolve(dir.to_str().unwrap(), &[], "").unwrap(), dir, "a path, even a missing one");
        assert_eq!(resolve("./fast", &[], "").unwrap(), PathBuf::from("./fast"));
        let err = resolve("nosuchname", &[], " (from UNSPIN_MODEL)").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown model \"nosuchname\" (from UNSPIN_MODEL): give accurate, fast or the path of a \
             model folder (one with a config.json)"
        );
    }

    #[test]
    fn the_default_is_a_shipped_name() {
        assert!(shipped(DEFAULT_MODEL_NAME).is_some());
        assert_eq!(known_names(), "accurate, fast");
    }
}
