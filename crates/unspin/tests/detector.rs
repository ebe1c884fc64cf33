//! The shipped technique model, end to end through the pipeline: span texts on articles we wrote,
//! determinism, hostile and odd inputs, agreement with the Python reference, classify mode.
//!
//! Needs the model (`models/unspin-ptc-minilm`, in the repository) and ONNX Runtime
//! (`scripts/setup-runtime.sh`, which `.ci/run` runs).

use std::sync::OnceLock;

use unspin::detect::neural::{default_model_dir, EngineOptions, ModelOptions, NeuralDetector};
use unspin::detect::{Technique, TechniqueSpan};
use unspin::{Document, Metadata, Pipeline};

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| {
        let options = ModelOptions {
            dir: default_model_dir(),
            engine: EngineOptions { runtime: None, threads: Some(2), sessions: 2 },
            batch: 8,
        };
        let model = NeuralDetector::load(&options)
            .unwrap_or_else(|e| panic!("the shipped model must load (run scripts/setup-runtime.sh): {e}"));
        Pipeline::new().with_detector(model)
    })
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
    }
    analysis.spans
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
