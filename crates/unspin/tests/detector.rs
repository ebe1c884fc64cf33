//! The shipped technique model, end to end through the pipeline: span texts on articles we wrote,
//! determinism, hostile and odd inputs, classify mode, and the sentence heads (check-worthiness,
//! subjectivity) that share its forward pass. (Agreement with the Python reference is checked by
//! `training/reference.py`, which needs the training environment.)
//!
//! Runs on the model `UNSPIN_MODEL` names, else the default (`accurate`, models/unspin-ptc-mpnet):
//! `.ci/run` runs this file once for each shipped model. Needs ONNX Runtime and OpenVINO
//! (`scripts/setup-runtime.sh`, which `.ci/run` runs). The tests run on the engine the machine
//! gets by default (`UNSPIN_ENGINE` can pick one); `both_engines_read_our_article_alike` runs both.

use std::sync::OnceLock;

use unspin::claims::{ClaimBasis, SentenceScorer, SentenceScores, SourceKind};
use unspin::detect::neural::{model_dir, EngineKind, EngineOptions, ModelOptions, NeuralDetector};
use unspin::detect::{Technique, TechniqueSpan};
use unspin::{Document, Metadata, Pipeline};

/// The default model's folder ($UNSPIN_MODEL, else the default name).
fn default_model_dir() -> std::path::PathBuf {
    model_dir(None).unwrap_or_else(|e| panic!("the default model must be installed: {e}"))
}

/// The sentence scorer's name, as analyses record it (`claims.scorer`): the model folder's name
/// while its own heads score a task, joined with those of the sentence models it names
/// (`unspin-checkthat-minilm+unspin-subjectivity-minilm` when these score both tasks).
fn model_name() -> String {
    let folder = default_model_dir().file_name().unwrap().to_string_lossy().into_owned();
    let heads = ["checkworthy", "subjective"].iter().any(|t| scorer().sentence_model_for(t).is_none());
    let models = scorer().sentence_models().map(|(m, _)| m.config().name.clone());
    let names: Vec<String> = heads.then_some(folder).into_iter().chain(models).collect();
    names.join("+")
}

/// The shipped model with 2 threads over `sessions` sessions, on the default engine.
fn load(sessions: usize) -> NeuralDetector {
    load_with(EngineOptions { threads: Some(2), sessions, ..EngineOptions::default() })
        .unwrap_or_else(|e| panic!("the shipped model must load (run scripts/setup-runtime.sh): {e}"))
}

fn load_with(engine: EngineOptions) -> unspin::Result<NeuralDetector> {
    NeuralDetector::load(&ModelOptions { dir: default_model_dir(), engine, batch: 8 })
}

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new().with_detector(load(2)))
}

fn spans(text: &str) -> Vec<TechniqueSpan> {
    let analysis = pipeline().analyze(Document::new("t", text, Metadata::default())).expect("analysis");
    // Byte offset of each char offset (and of the end).
    let byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    for s in &analysis.spans {
        // Both offsets cover the same text, and the copied text is that text.
        assert_eq!(&text[s.span.bytes()], s.text);
        assert_eq!((byte_of[s.span.start], byte_of[s.span.end]), (s.span.byte_start, s.span.byte_end));
        assert!(!s.text.is_empty() && s.text.trim() == s.text, "trimmed: {:?}", s.text);
        assert!((0.0..=1.0).contains(&s.confidence), "confidence {}", s.confidence);
        assert_eq!(s.detector, "neural");
        assert!(!only_function_words(&s.text), "a span of stop words or punctuation only: {:?}", s.text);
    }
    analysis.spans
}

/// The text has no word outside the detector's stop-word list (punctuation alone counts too).
fn only_function_words(text: &str) -> bool {
    let list = include_str!("../src/detect/neural/stopwords.txt");
    let stop: std::collections::HashSet<&str> =
        list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).all(|w| stop.contains(w.to_lowercase().as_str()))
}

fn example() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/article9001.txt")).unwrap()
}

fn found(spans: &[TechniqueSpan], needle: &str) -> Vec<Technique> {
    spans.iter().filter(|s| s.text.contains(needle)).map(|s| s.technique).collect()
}

#[test]
fn spans_on_our_article_carry_their_text() {
    let text = example();
    let spans = spans(&text);
    let texts: Vec<(&str, &str)> = spans.iter().map(|s| (s.technique.label(), s.text.as_str())).collect();
    assert!(!spans.is_empty(), "a loaded article gets spans");
    // The label we wrote into it: "a handful of corrupt bureaucrats".
    assert!(
        found(&spans, "bureaucrats").iter().any(|t| matches!(t, Technique::NameCallingLabeling | Technique::LoadedLanguage)),
        "{texts:?}"
    );
    // The sober sentences we wrote get nothing: the lease as officials describe it, and the
    // opposition leader's attributed statement.
    for calm in ["Officials insist the 40-year lease", "The opposition leader, Mira Castell, said on Wednesday"] {
        let at = text.find(calm).unwrap();
        let end = at + text[at..].find('\n').unwrap();
        assert!(
            spans.iter().all(|s| s.span.byte_end <= at || s.span.byte_start >= end),
            "nothing in {calm:?}: {texts:?}"
        );
    }
    // Sentence indices point at the sentence holding the span.
    let analysis = pipeline().analyze(Document::new("t", text.as_str(), Metadata::default())).unwrap();
    for s in &analysis.spans {
        let i = s.sentence.expect("every span starts in a sentence");
        let sentence = analysis.segmentation.sentences[i].span;
        assert!(sentence.start <= s.span.start && s.span.start < sentence.end);
    }
}

#[test]
fn a_plain_report_gets_few_spans() {
    let text = "The council met on Tuesday. It approved the budget for 2027 by seven votes to two. \
                The budget allocates 4.2 million to road repairs and 1.1 million to libraries. \
                The next meeting is on 14 March.";
    let spans = spans(text);
    assert!(spans.len() <= 2, "{:?}", spans.iter().map(|s| &s.text).collect::<Vec<_>>());
}

#[test]
fn the_same_input_gives_the_same_output_every_time() {
    let text = example();
    let first = serde_json::to_string(&spans(&text)).unwrap();
    for _ in 0..3 {
        assert_eq!(serde_json::to_string(&spans(&text)).unwrap(), first);
    }
    // Concurrent calls (two sessions) give the same answer as sequential ones.
    let parallel: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3).map(|_| s.spawn(|| serde_json::to_string(&spans(&text)).unwrap())).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(parallel.iter().all(|p| *p == first));
}

#[test]
fn odd_inputs_give_sensible_output() {
    assert!(spans("").is_empty());
    assert!(spans("   \n\n \t").is_empty());
    let emoji = "😀🔥🇺🇸👍 ".repeat(300);
    spans(&emoji);
    let cyrillic = "Коррумпированные чиновники продали гавань за бесценок. Кто на самом деле выигрывает?";
    spans(cyrillic);
    let chinese = "腐败的官僚以极低的价格出卖了港口。谁真正受益？".repeat(20);
    spans(&chinese);
    let mixed = "Les bureaucrates corrompus — يا للعار — sold it! ".repeat(50);
    spans(&mixed);
    // No sentence punctuation at all, several windows long.
    let run_on = "the corrupt elite betrayed every honest worker and nobody will stop them ".repeat(200);
    let s = spans(&run_on);
    assert!(s.iter().all(|s| s.span.end <= run_on.chars().count()));
    // Special-token strings in the text are text.
    spans("[CLS] [SEP] [PAD] [UNK] [MASK] are words here.");
    // Confusables: Cyrillic look-alikes inside Latin words, fullwidth and mathematical letters,
    // a combining overlay on every letter, zero-width characters between letters. Spans, if
    // any, still carry exact offsets and their own text.
    let confusable = "The \u{441}\u{43e}rru\u{440}t bureaucrats sold the harbour. \
                      Every true ｐａｔｒｉｏｔ knows what 𝐜𝐨𝐫𝐫𝐮𝐩𝐭 𝐞𝐥𝐢𝐭𝐞𝐬 did. \
                      T\u{338}h\u{338}e\u{338} traitors lied, and the co\u{200b}rrupt re\u{200d}gime hid it."
        .repeat(5);
    spans(&confusable);
}

#[test]
fn a_100k_word_document_is_read_in_bounded_blocks() {
    let paragraph = example();
    let words = paragraph.split_whitespace().count();
    let text = paragraph.repeat(100_000 / words + 1);
    let spans = spans(&text);
    // Every copy of the article is read: spans reach the last one.
    let last_copy = text.len() - paragraph.len();
    assert!(spans.iter().any(|s| s.span.byte_start >= last_copy), "the end of the document is read");
}

#[test]
fn classify_ranks_the_techniques_of_given_spans() {
    let model = NeuralDetector::load(&ModelOptions::new(default_model_dir())).unwrap();
    let text = example();
    let phrase = "Every true patriot knows what this means";
    let at = text.find(phrase).unwrap();
    let ranked = model.classify(&text, &[at..at + phrase.len(), 0..0]).unwrap();
    assert_eq!(ranked[0].len(), 14);
    let total: f32 = ranked[0].iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-4);
    assert!(ranked[0].windows(2).all(|w| w[0].1 >= w[1].1), "best first");
    assert!(ranked[1].is_empty(), "an empty range has no words to read");
}

/// The model on its own, as a sentence scorer.
fn scorer() -> &'static NeuralDetector {
    static M: OnceLock<NeuralDetector> = OnceLock::new();
    M.get_or_init(|| load(1))
}

const CLAIMS_TEXT: &str = "Unemployment rose to 7.4 percent in March, up from 6.1 percent a year earlier, the statistics office said.\n\
    What a disgraceful, shameful betrayal of every honest worker this is!\n\
    Thank you.";

#[test]
fn sentence_heads_score_every_sentence_in_the_detectors_pass() {
    assert!(scorer().has_sentence_heads(), "the shipped model scores sentences");
    let analysis = pipeline().analyze(Document::new("t", CLAIMS_TEXT, Metadata::default())).unwrap();
    let c = &analysis.claims;
    assert_eq!(c.basis, ClaimBasis::Checkworthy);
    assert_eq!(c.scorer.as_deref(), Some(model_name().as_str()));
    let s = &c.sentences;
    assert_eq!(s.len(), 3);
    let texts: Vec<&str> = analysis.segmentation.sentences.iter().map(|x| x.span.text(CLAIMS_TEXT)).collect();
    assert_eq!(texts[2], "Thank you.");
    for sc in s {
        for score in [sc.checkworthy, sc.subjective] {
            let score = score.expect("every sentence with tokens is scored");
            assert!((0.0..=1.0).contains(&score), "{score}");
        }
    }
    let (cw, subj) = (|i: usize| s[i].checkworthy.unwrap(), |i: usize| s[i].subjective.unwrap());
    // A figure with a named source is check-worthy, more than the outburst. (Read in context, a
    // two-word sentence takes on its neighbours' reading: "Thank you." is left out here and
    // checked alone below.)
    assert!(cw(0) > cw(1), "{:?}", [cw(0), cw(1)]);
    assert!(s[0].claim && cw(0) >= scorer().checkworthy_threshold());
    assert_eq!((s[0].source.kind, s[0].source.speaker.as_deref()), (SourceKind::Named, Some("the statistics office")));
    assert!(!s[0].unattributed);
    // The outburst is the opinion; the statistic is the report.
    assert!(subj(1) > subj(0), "{:?}", [subj(0), subj(1)]);
    assert!(subj(1) >= scorer().subjective_threshold() && subj(0) < scorer().subjective_threshold());
    assert_eq!(c.summary.subjective, Some(s.iter().filter(|x| x.subjective.unwrap() >= scorer().subjective_threshold()).count()));
    // The scorer on its own gives the same scores as the detector's pass.
    let seg = unspin::segment::segment(CLAIMS_TEXT);
    let alone = scorer().score(&analysis.document, &seg).unwrap();
    let from_pass: Vec<SentenceScores> =
        s.iter().map(|x| SentenceScores { checkworthy: x.checkworthy, subjective: x.subjective }).collect();
    assert_eq!(alone, from_pass);
}

#[test]
fn sentence_mode_scores_each_line_as_it_scores_alone() {
    let texts = ["The US knew in advance.", "", "🙂🙂", "Turnout was 61 percent, the commission said.", "\"", "Thank you."];
    let batch = scorer().score_texts(&texts).unwrap();
    assert_eq!(batch.scores.len(), texts.len());
    assert_eq!(batch.scorer, model_name());
    assert_eq!(batch.scores[1], SentenceScores::default(), "an empty line has nothing to score");
    for (text, got) in texts.iter().zip(&batch.scores) {
        // Whatever lines come before or after, a line scores as it does on its own.
        let alone = scorer().score_texts(&[text]).unwrap();
        assert_eq!(alone.scores, [*got], "{text:?}");
        if !text.is_empty() {
            assert!(got.checkworthy.is_some() && got.subjective.is_some(), "{text:?}");
        }
    }
    let (figure, thanks) = (batch.scores[3].checkworthy.unwrap(), batch.scores[5].checkworthy.unwrap());
    assert!(figure >= batch.checkworthy_threshold && thanks < batch.checkworthy_threshold, "{figure} {thanks}");
    // A sentence longer than a window is read in windows, like a document.
    let long = "word ".repeat(5_000);
    let scores = scorer().score_texts(&[long.as_str()]).unwrap();
    assert!(scores.scores[0].checkworthy.is_some() && scores.scores[0].subjective.is_some());
}

#[test]
fn sentences_of_long_documents_are_all_scored() {
    // Several blocks of windows: every sentence gets scores, pooled across block and window edges.
    let sentence = "The committee approved the budget after a long debate on Tuesday. ";
    let text = sentence.repeat(3_000);
    let analysis = pipeline().analyze(Document::new("t", text, Metadata::default())).unwrap();
    let s = &analysis.claims.sentences;
    assert_eq!(s.len(), 3_000);
    assert!(s.iter().all(|x| x.checkworthy.is_some() && x.subjective.is_some()));
    // The same sentence over and over: scores vary with where the windows cut (by ~0.2 here),
    // but not between blocks — the first and last thousand sentences average alike.
    let mean = |r: std::ops::Range<usize>| s[r.clone()].iter().map(|x| x.checkworthy.unwrap()).sum::<f32>() / r.len() as f32;
    let (first, last) = (mean(0..1_000), mean(2_000..3_000));
    assert!((first - last).abs() < 0.05, "{first} vs {last}");
}

#[test]
fn both_engines_read_our_article_alike() {
    let on = |kind| {
        let d = load_with(EngineOptions { kind, threads: Some(1), sessions: 1, ..EngineOptions::default() })
            .unwrap_or_else(|e| panic!("{kind} must load (run scripts/setup-runtime.sh): {e}"));
        let name = d.engine().to_owned();
        let analysis = Pipeline::new()
            .with_detector(d)
            .analyze(Document::new("t", example(), Metadata::default()))
            .expect("analysis");
        (name, analysis)
    };
    let (ort_name, ort) = on(EngineKind::OnnxRuntime);
    let (ov_name, ov) = on(EngineKind::OpenVino);
    // Without VNNI, ONNX Runtime reads the weights as uint8 (its u8×s8 products would saturate
    // and the accurate model would mark the whole article).
    let exact = unspin::detect::neural::int8_is_exact();
    assert_eq!(ort_name, if exact { "onnxruntime (int8)" } else { "onnxruntime (int8, uint8 weights)" });
    assert!(ov_name == "openvino (bf16)" || ov_name == "openvino (f32)", "{ov_name}");
    // Same weights, different arithmetic (int8 activations against bf16): the same reading, up
    // to spans whose probability sits near a threshold. Count the spans of each that overlap a
    // span of the same technique found by the other.
    let matched = |a: &unspin::report::Analysis, b: &unspin::report::Analysis| {
        a.spans
            .iter()
            .filter(|x| b.spans.iter().any(|y| {
                x.technique == y.technique && x.span.start < y.span.end && y.span.start < x.span.end
            }))
            .count()
    };
    fn texts(a: &unspin::report::Analysis) -> Vec<(&str, &str)> {
        a.spans.iter().map(|s| (s.technique.label(), s.text.as_str())).collect()
    }
    // One span may sit so near a threshold that the engines disagree on it (seen between int8
    // ONNX Runtime and f32 OpenVINO on a CPU without bf16 units).
    let (few, many) = if ort.spans.len() <= ov.spans.len() { (&ort, &ov) } else { (&ov, &ort) };
    assert!(
        matched(few, many) + 1 >= few.spans.len() && 2 * matched(many, few) >= many.spans.len(),
        "ONNX Runtime {:?}\nOpenVINO {:?}",
        texts(&ort),
        texts(&ov)
    );
    assert!(!found(&ov.spans, "bureaucrats").is_empty(), "{:?}", texts(&ov));
    // ONNX Runtime's int8 activations lower the accurate model's span probabilities: it marks
    // about a third fewer spans than OpenVINO (both accurate models so far; MODEL_CARD.md), so
    // its score (the mean of each sentence's most confident span) is lower, here 0.09 against
    // 0.22. A broken reading (saturated products, wrong weights) is far outside this.
    assert!((ort.stats.score - ov.stats.score).abs() < 0.2, "{} against {}", ort.stats.score, ov.stats.score);
    // Sentence scores: int8 activations move the larger model's states more than the small
    // one's, so single sentences may differ by 0.2 (the accurate model's heads are fitted on both
    // engines' readings, and on the dev sentences the two engines' F1 differ by 0.01); the average
    // and the claims stay close.
    let pairs: Vec<(f32, f32)> = ort
        .claims
        .sentences
        .iter()
        .zip(&ov.claims.sentences)
        .map(|(x, y)| (x.checkworthy.expect("scored"), y.checkworthy.expect("scored")))
        .collect();
    assert!(!pairs.is_empty());
    let mean = pairs.iter().map(|(x, y)| (x - y).abs()).sum::<f32>() / pairs.len() as f32;
    let worst = pairs.iter().map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
    // (The accurate model trained on all 371 articles: 0.07 on average, 0.33 at most here.)
    assert!(mean < 0.08 && worst < 0.4, "check-worthiness differs by {mean} on average, {worst} at most: {pairs:?}");
    let agree = ort.claims.sentences.iter().zip(&ov.claims.sentences).filter(|(x, y)| x.claim == y.claim).count();
    assert!(5 * agree >= 4 * pairs.len(), "{agree} of {} claim flags agree", pairs.len());
}

#[test]
fn the_engine_is_chosen_and_a_missing_library_is_explained() {
    assert_eq!("OpenVINO".parse::<EngineKind>().unwrap(), EngineKind::OpenVino);
    assert_eq!(" onnxruntime".parse::<EngineKind>().unwrap(), EngineKind::OnnxRuntime);
    let bad = "tensorflow".parse::<EngineKind>().unwrap_err().to_string();
    assert!(bad.contains("auto, onnxruntime or openvino"), "{bad}");
    let nowhere = std::path::PathBuf::from("/nonexistent/libopenvino_c.so");
    // Asked for by name, OpenVINO must be there.
    let options = EngineOptions {
        kind: EngineKind::OpenVino,
        openvino: Some(nowhere.clone()),
        threads: Some(1),
        sessions: 1,
        ..EngineOptions::default()
    };
    let err = load_with(options.clone()).err().expect("no library, no engine").to_string();
    assert!(err.contains("OpenVINO library /nonexistent/libopenvino_c.so does not exist"), "{err}");
    // Chosen automatically it is too, as is ONNX Runtime: a library named explicitly must exist.
    let err = load_with(EngineOptions { kind: EngineKind::Auto, ..options.clone() }).err().expect("no library").to_string();
    assert!(err.contains("OpenVINO library /nonexistent/libopenvino_c.so does not exist"), "{err}");
    // A model folder without the OpenVINO graph runs on ONNX Runtime.
    let dir = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(default_model_dir()).unwrap() {
        let f = f.unwrap().path();
        let to = dir.path().join(f.file_name().unwrap());
        if f.is_dir() {
            // The sentence model's folder, whole.
            std::fs::create_dir(&to).unwrap();
            for g in std::fs::read_dir(&f).unwrap() {
                let g = g.unwrap().path();
                std::fs::copy(&g, to.join(g.file_name().unwrap())).unwrap();
            }
        } else if f.file_name().unwrap() != "model.ov.onnx" {
            std::fs::copy(&f, &to).unwrap();
        }
    }
    let old = NeuralDetector::load(&ModelOptions {
        dir: dir.path().to_owned(),
        engine: EngineOptions { threads: Some(1), sessions: 1, ..EngineOptions::default() },
        batch: 8,
    })
    .expect("the int8 graph alone is a model");
    // On a CPU without VNNI it reads the weights as uint8 (see `int8_is_exact`).
    let exact = unspin::detect::neural::int8_is_exact();
    assert_eq!(old.engine(), if exact { "onnxruntime (int8)" } else { "onnxruntime (int8, uint8 weights)" });
    // Without its uint8 graph, a model can still run on such a CPU (with a warning, or on
    // OpenVINO), but asking for uint8 weights is an error that names the missing file.
    std::fs::remove_file(dir.path().join("model.u8.onnx")).unwrap();
    let err = NeuralDetector::load(&ModelOptions {
        dir: dir.path().to_owned(),
        engine: EngineOptions { threads: Some(1), sessions: 1, uint8_weights: Some(true), ..EngineOptions::default() },
        batch: 8,
    })
    .err()
    .expect("no uint8 graph")
    .to_string();
    assert!(err.contains("model.u8.onnx") && err.contains("no graph for uint8 weights"), "{err}");
}

#[test]
fn uint8_weights_read_as_the_int8_ones() {
    // The same weights, stored as uint8 with the zero point moved by 128: where int8 products are
    // exact (VNNI), both graphs give the same numbers; elsewhere only the uint8 graph is exact, and
    // the int8 one is what marked whole articles.
    let on = |uint8| {
        let d = load_with(EngineOptions {
            kind: EngineKind::OnnxRuntime,
            threads: Some(1),
            sessions: 1,
            uint8_weights: Some(uint8),
            ..EngineOptions::default()
        })
        .unwrap_or_else(|e| panic!("the model must load with uint8_weights {uint8}: {e}"));
        Pipeline::new().with_detector(d).analyze(Document::new("t", example(), Metadata::default())).expect("analysis")
    };
    let unsigned = on(true);
    let marked: usize = unsigned.spans.iter().map(|s| s.text.chars().count()).sum();
    assert!(4 * marked < example().chars().count(), "uint8 weights marked {marked} characters");
    assert!(!unsigned.spans.is_empty(), "a loaded article gets spans");
    // Where int8 is not exact, `both_engines_read_our_article_alike` holds this reading (the
    // default there) against OpenVINO's.
    if unspin::detect::neural::int8_is_exact() {
        let signed = on(false);
        let key = |a: &unspin::report::Analysis| {
            a.spans.iter().map(|s| (s.technique, s.span.start, s.span.end, s.confidence.to_bits())).collect::<Vec<_>>()
        };
        assert_eq!(key(&unsigned), key(&signed));
        let scores = |a: &unspin::report::Analysis| {
            a.claims.sentences.iter().map(|s| s.checkworthy.map(f32::to_bits)).collect::<Vec<_>>()
        };
        assert_eq!(scores(&unsigned), scores(&signed));
    }
}
