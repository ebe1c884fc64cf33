//! The shipped sentence models (`models/unspin-ptc-mpnet/sentence` for check-worthiness and
//! `subjectivity` for subjectivity, which the accurate model names in its config):
//! check-worthiness and subjectivity of sentences we wrote, determinism, a sentence scored the
//! same alone and in a document, and the errors of a broken folder or config. Needs ONNX Runtime
//! (`scripts/setup-runtime.sh`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use unspin::claims::{SentenceScorer, SentenceScores};
use unspin::detect::neural::{model_dir, EngineKind, EngineOptions, ModelOptions, NeuralDetector, SentenceModel};
use unspin::{Document, Metadata, Pipeline};

fn accurate_dir() -> PathBuf {
    model_dir(Some("accurate")).expect("the accurate model is shipped")
}

fn sentence_dir() -> PathBuf {
    accurate_dir().join("sentence")
}

/// ONNX Runtime, on which a technique model runs its sentence model whatever its own engine.
fn options() -> EngineOptions {
    EngineOptions { kind: EngineKind::OnnxRuntime, threads: Some(2), sessions: 1, ..EngineOptions::default() }
}

fn model() -> &'static SentenceModel {
    static M: OnceLock<SentenceModel> = OnceLock::new();
    M.get_or_init(|| {
        SentenceModel::load(&sentence_dir(), &options())
            .unwrap_or_else(|e| panic!("the sentence model must load (run scripts/setup-runtime.sh): {e}"))
    })
}

fn scores(texts: &[&str]) -> Vec<SentenceScores> {
    model().score_alone(texts).unwrap()
}

/// The accurate model's subjectivity model.
fn subjectivity() -> &'static SentenceModel {
    static M: OnceLock<SentenceModel> = OnceLock::new();
    M.get_or_init(|| SentenceModel::load(&accurate_dir().join("subjectivity"), &options()).unwrap())
}

#[test]
fn the_accurate_model_scores_sentences_with_its_two_sentence_models() {
    // The technique model on the default engine (OpenVINO where it is installed): its sentence
    // models still run on ONNX Runtime.
    let engine = EngineOptions { threads: Some(2), sessions: 1, ..EngineOptions::default() };
    let detector = NeuralDetector::load(&ModelOptions { dir: accurate_dir(), engine, batch: 8 }).unwrap();
    let cw = detector.sentence_model_for("checkworthy").expect("a sentence model scores check-worthiness");
    let subj = detector.sentence_model_for("subjective").expect("a sentence model scores subjectivity");
    for m in [cw, subj] {
        assert!(m.engine().starts_with("onnxruntime"), "{}", m.engine());
    }
    assert_eq!(cw.config().name, model().config().name);
    assert_eq!(cw.config().tasks, ["checkworthy", "subjective"]);
    assert_eq!(subj.config().name, "unspin-subjectivity-minilm");
    assert_eq!(subj.config().tasks, ["subjective"]);
    let listed: Vec<(&str, &[String])> = detector.sentence_models().map(|(m, t)| (m.config().name.as_str(), t)).collect();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].1, ["checkworthy"]);
    assert_eq!(listed[1].1, ["subjective"]);
    assert!(detector.has_sentence_heads());
    // Each task with its own model's threshold.
    assert_eq!(detector.checkworthy_threshold(), model().checkworthy_threshold());
    assert_eq!(detector.subjective_threshold(), subjectivity().subjective_threshold());
    let text = "Turnout was 61 percent, the election commission said on Monday.\nWhat a pathetic circus.";
    let lines = ["Turnout was 61 percent, the election commission said on Monday.", "What a pathetic circus."];
    let want_cw = scores(&lines);
    let want_subj = subjectivity().score_alone(&lines).unwrap();
    for s in &want_subj {
        assert!(s.checkworthy.is_none() && s.subjective.is_some(), "{s:?}");
    }
    let analysis = Pipeline::new().with_detector(detector).analyze(Document::new("t", text, Metadata::default())).unwrap();
    let claims = &analysis.claims;
    assert_eq!(claims.scorer.as_deref(), Some("unspin-checkthat-minilm+unspin-subjectivity-minilm"));
    assert_eq!(claims.sentences.len(), 2);
    for ((got, cw), subj) in claims.sentences.iter().zip(&want_cw).zip(&want_subj) {
        assert_eq!(got.checkworthy, cw.checkworthy);
        assert_eq!(got.subjective, subj.subjective);
    }
    assert!(claims.sentences[0].claim && !claims.sentences[1].claim);
    assert!(claims.sentences[1].subjective > claims.sentences[0].subjective);
}

#[test]
fn the_subjectivity_model_reads_opinion_apart_from_report() {
    let texts = [
        "The ministry spent 2.3 billion dollars on the new bridge, twice the original estimate.",
        "Unemployment rose to 7.4 percent in March, the statistics office said.",
        "What a disgraceful, shameful betrayal of every honest worker this is!",
        "I think this is the most beautiful city in the world.",
        "Only a fool would believe a word this government says.",
    ];
    let m = subjectivity();
    let s = m.score_alone(&texts).unwrap();
    let subj = |i: usize| s[i].subjective.unwrap();
    let th = m.subjective_threshold();
    assert!((0.3..0.7).contains(&th), "{th}");
    assert!(subj(0) < th && subj(1) < th, "{s:?}");
    assert!(subj(2) >= th && subj(4) >= th, "{s:?}");
    // A first-person opinion in mild words sits near the threshold (0.44 at 0.49 when written;
    // the model card lists it), but well above the reports.
    assert!(subj(3) > 2.0 * subj(0).max(subj(1)), "{s:?}");
    // Alone and in a document alike, and the same twice.
    let text = texts.join(" ");
    let seg = unspin::segment::segment(&text);
    assert_eq!(seg.sentences.len(), texts.len());
    let in_doc = m.score(&Document::new("d", text.as_str(), Metadata::default()), &seg).unwrap();
    assert_eq!(in_doc, s);
    assert_eq!(m.score_alone(&texts).unwrap(), s, "deterministic");
}

#[test]
fn figures_are_checkworthy_and_outbursts_subjective() {
    let texts = [
        "Unemployment rose to 7.4 percent in March, up from 6.1 percent a year earlier, the statistics office said.",
        "The ministry spent 2.3 billion dollars on the new bridge, twice the original estimate.",
        "What a disgraceful, shameful betrayal of every honest worker this is!",
        "Thank you.",
        "I think this is the most beautiful city in the world.",
    ];
    let s = scores(&texts);
    let m = model();
    let cw = |i: usize| s[i].checkworthy.unwrap();
    let subj = |i: usize| s[i].subjective.unwrap();
    for (i, text) in texts.iter().enumerate() {
        for score in [cw(i), subj(i)] {
            assert!((0.0..=1.0).contains(&score), "{text:?}: {score}");
        }
    }
    assert!(cw(0) >= m.checkworthy_threshold() && cw(1) >= m.checkworthy_threshold(), "{s:?}");
    assert!(cw(3) < m.checkworthy_threshold() && cw(4) < m.checkworthy_threshold(), "{s:?}");
    assert!(subj(2) >= m.subjective_threshold() && subj(4) >= m.subjective_threshold(), "{s:?}");
    assert!(subj(0) < m.subjective_threshold() && subj(1) < m.subjective_threshold(), "{s:?}");
}

#[test]
fn a_sentence_scores_the_same_alone_twice_and_in_a_document() {
    let text = "The port was leased for 40 years. Critics called it a sell-out of the nation! Thank you.";
    let doc = Document::new("d", text, Metadata::default());
    let seg = unspin::segment::segment(text);
    let sentences: Vec<&str> = seg.sentences.iter().map(|s| s.span.text(text)).collect();
    assert_eq!(sentences.len(), 3);
    let in_doc = model().score(&doc, &seg).unwrap();
    let alone = scores(&sentences);
    let bits = |v: &[SentenceScores]| -> Vec<_> {
        v.iter().map(|s| (s.checkworthy.map(f32::to_bits), s.subjective.map(f32::to_bits))).collect()
    };
    assert_eq!(bits(&in_doc), bits(&alone));
    assert_eq!(bits(&alone), bits(&scores(&sentences)), "deterministic");
    // Each alone, whatever its batch-mates.
    for (k, sentence) in sentences.iter().enumerate() {
        assert_eq!(bits(&scores(&[sentence])), bits(&alone[k..=k]));
    }
}

#[test]
fn texts_without_tokens_get_no_scores_and_long_ones_are_cut() {
    let long = "The committee met again. ".repeat(400);
    let s = scores(&["", "   ", long.as_str(), "🙂"]);
    assert_eq!(s[0], SentenceScores::default());
    assert_eq!(s[1], SentenceScores::default());
    // Past max_len tokens a sentence is read by its first ones, as in training.
    assert!(s[2].checkworthy.is_some() && s[2].subjective.is_some());
    assert_eq!(s.len(), 4);
}

/// A copy of the sentence model's folder with `edit` applied to its config.
fn broken(edit: impl FnOnce(&mut serde_json::Value)) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sentence");
    std::fs::create_dir(&dir).unwrap();
    for entry in std::fs::read_dir(sentence_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    let cfg_path = dir.join("config.json");
    let mut cfg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&cfg_path).unwrap()).unwrap();
    edit(&mut cfg);
    std::fs::write(&cfg_path, cfg.to_string()).unwrap();
    (tmp, dir)
}

fn load_err(dir: &Path) -> String {
    match SentenceModel::load(dir, &options()) {
        Ok(_) => panic!("{} should not load", dir.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_broken_sentence_model_is_a_clear_error() {
    let (_t, dir) = broken(|c| c["tasks"] = serde_json::json!(["checkworthy", "sarcasm"]));
    let err = load_err(&dir);
    assert!(err.contains("unknown sentence task \"sarcasm\""), "{err}");
    // The graph gives two channels; a config naming one task does not match it.
    let (_t, dir) = broken(|c| c["tasks"] = serde_json::json!(["checkworthy"]));
    let m = SentenceModel::load(&dir, &options()).unwrap();
    let err = m.score_texts(&["A sentence."]).unwrap_err().to_string();
    assert!(err.contains("gives 2 scores per token") && err.contains("names 1 tasks"), "{err}");
    let (_t, dir) = broken(|c| c["max_len"] = serde_json::json!(2));
    assert!(load_err(&dir).contains("max_len 2"));
    let missing = tempfile::tempdir().unwrap();
    assert!(load_err(missing.path()).contains("no sentence model here"));
}

#[test]
fn a_technique_model_must_name_a_subfolder_that_holds_one() {
    // A copy of the fast model that names a sentence model.
    let tmp = tempfile::tempdir().unwrap();
    let fast = model_dir(Some("fast")).unwrap();
    for entry in std::fs::read_dir(&fast).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let cfg_path = tmp.path().join("config.json");
    let cfg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&cfg_path).unwrap()).unwrap();
    let with = |sub: &str| {
        let mut c = cfg.clone();
        c["sentence_model"] = serde_json::json!(sub);
        std::fs::write(&cfg_path, c.to_string()).unwrap();
        NeuralDetector::load(&ModelOptions { dir: tmp.path().to_owned(), engine: options(), batch: 8 })
    };
    for bad in ["../sentence", "/tmp", ""] {
        let err = with(bad).err().expect("refused").to_string();
        assert!(err.contains("must name a subfolder"), "{bad:?}: {err}");
    }
    let err = with("sentence").err().expect("no such folder").to_string();
    assert!(err.contains("no sentence model here"), "{err}");
    // With the folder in place, the fast model scores sentences with it.
    let sub = tmp.path().join("sentence");
    std::fs::create_dir(&sub).unwrap();
    for entry in std::fs::read_dir(sentence_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, sub.join(path.file_name().unwrap())).unwrap();
    }
    let text = "What a pathetic circus.";
    let own = NeuralDetector::load(&ModelOptions { dir: fast.clone(), engine: options(), batch: 8 }).unwrap();
    let own = own.score_texts(&[text]).unwrap();
    // Without sentence_model_tasks, the sentence model scores every task.
    let got = with("sentence").unwrap().score_texts(&[text]).unwrap();
    assert_eq!(got.scorer, model().config().name);
    assert_eq!(got.scores, scores(&[text]));
    assert_eq!(got.checkworthy_threshold, model().checkworthy_threshold());
    // With a list, the other tasks keep the model's own heads and thresholds.
    let mut c = cfg.clone();
    c["sentence_model"] = serde_json::json!("sentence");
    c["sentence_model_tasks"] = serde_json::json!(["subjective"]);
    std::fs::write(&cfg_path, c.to_string()).unwrap();
    let detector = NeuralDetector::load(&ModelOptions { dir: tmp.path().to_owned(), engine: options(), batch: 8 }).unwrap();
    let got = detector.score_texts(&[text]).unwrap();
    assert_eq!(got.scorer, format!("unspin-ptc-minilm+{}", model().config().name));
    assert_eq!(got.scores[0].checkworthy, own.scores[0].checkworthy);
    assert_eq!(got.scores[0].subjective, scores(&[text])[0].subjective);
    assert_eq!(got.checkworthy_threshold, own.checkworthy_threshold);
    assert_eq!(got.subjective_threshold, model().subjective_threshold());
    // An unknown task is refused.
    c["sentence_model_tasks"] = serde_json::json!(["checkworthy", "sarcasm"]);
    std::fs::write(&cfg_path, c.to_string()).unwrap();
    let load = || NeuralDetector::load(&ModelOptions { dir: tmp.path().to_owned(), engine: options(), batch: 8 });
    let err = load().err().expect("refused").to_string();
    assert!(err.contains("unknown sentence task \"sarcasm\""), "{err}");

    // The list form: one model per task, each task's scores and threshold from its model.
    let subj = tmp.path().join("subjectivity");
    std::fs::create_dir(&subj).unwrap();
    for entry in std::fs::read_dir(accurate_dir().join("subjectivity")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, subj.join(path.file_name().unwrap())).unwrap();
    }
    let list = |entries: serde_json::Value| {
        let mut c = cfg.clone();
        c["sentence_models"] = entries;
        std::fs::write(&cfg_path, c.to_string()).unwrap();
        load()
    };
    let detector = list(serde_json::json!([
        {"dir": "sentence", "tasks": ["checkworthy"]},
        {"dir": "subjectivity"}
    ]))
    .unwrap();
    let got = detector.score_texts(&[text]).unwrap();
    assert_eq!(got.scorer, format!("{}+unspin-subjectivity-minilm", model().config().name));
    assert_eq!(got.scores[0].checkworthy, scores(&[text])[0].checkworthy);
    assert_eq!(got.scores[0].subjective, subjectivity().score_alone(&[text]).unwrap()[0].subjective);
    assert_eq!(got.checkworthy_threshold, model().checkworthy_threshold());
    assert_eq!(got.subjective_threshold, subjectivity().subjective_threshold());
    // In a document too.
    let doc = Document::new("d", text, Metadata::default());
    let seg = unspin::segment::segment(text);
    assert_eq!(detector.score(&doc, &seg).unwrap(), got.scores);
    // With only subjectivity from a model, the model's own heads keep check-worthiness.
    let detector = list(serde_json::json!([{"dir": "subjectivity"}])).unwrap();
    let got = detector.score_texts(&[text]).unwrap();
    assert_eq!(got.scorer, "unspin-ptc-minilm+unspin-subjectivity-minilm");
    assert_eq!(got.scores[0].checkworthy, own.scores[0].checkworthy);
    // A task named for two models, a model named twice, and a task its model lacks are refused.
    let err = list(serde_json::json!([{"dir": "sentence"}, {"dir": "subjectivity"}])).err().expect("refused");
    assert!(err.to_string().contains("two sentence models are named for \"subjective\""), "{err}");
    let err = list(serde_json::json!([{"dir": "subjectivity"}, {"dir": "subjectivity"}])).err().expect("refused");
    assert!(err.to_string().contains("\"subjectivity\" is named twice"), "{err}");
    let err = list(serde_json::json!([{"dir": "subjectivity", "tasks": ["checkworthy"]}])).err().expect("refused");
    assert!(err.to_string().contains("named for \"checkworthy\", which it does not score"), "{err}");
    let err = list(serde_json::json!([{"dir": "../subjectivity"}])).err().expect("refused");
    assert!(err.to_string().contains("must name a subfolder"), "{err}");
}
