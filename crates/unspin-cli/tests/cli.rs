//! End-to-end tests: the real `unspin` binary on real files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assert_cmd::prelude::*;
use serde_json::Value;

mod common;
use common::run;

fn unspin() -> Command {
    let mut cmd = Command::cargo_bin("unspin").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example() -> PathBuf {
    repo().join("examples/article9001.txt")
}

fn example_labels() -> PathBuf {
    repo().join("examples/article9001.labels")
}


fn chars(text: &str, start: &Value, end: &Value) -> String {
    let (s, e) = (start.as_u64().unwrap() as usize, end.as_u64().unwrap() as usize);
    text.chars().skip(s).take(e - s).collect()
}

#[test]
fn analyze_json_has_schema_metadata_and_sentences() {
    let r = run(unspin().args(["analyze", "--format", "json"]).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], "1.3");
    let doc = &v["documents"][0];
    assert_eq!(doc["id"], "9001", "PTC naming: article9001.txt is 9001");
    assert_eq!(doc["meta"]["title"], "Who Really Benefits From the Harbour Deal?");
    assert_eq!(doc["meta"]["language"], "en");
    assert_eq!(doc["meta"]["format"], "text");
    let text = doc["text"].as_str().unwrap();
    let sentences = doc["sentences"].as_array().unwrap();
    let texts: Vec<&str> = sentences.iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(texts[0], "Who Really Benefits From the Harbour Deal?");
    assert!(texts.contains(&"Officials insist the 40-year lease to the Orlan Shipping Group is a routine commercial agreement."));
    assert!(texts.contains(&"Valdoria first, Valdoria always."));
    assert!(texts.contains(&"\"This is not governance, it is a fire sale,\" she told reporters outside the assembly."));
    for s in sentences {
        assert_eq!(chars(text, &s["start"], &s["end"]), s["text"].as_str().unwrap());
    }
    assert_eq!(doc["stats"]["paragraphs"], 8);
    // The model ran: every span it found is text of the document.
    for s in doc["spans"].as_array().unwrap() {
        assert_eq!(chars(text, &s["start"], &s["end"]), s["text"].as_str().unwrap());
    }
}

#[test]
fn imported_spans_round_trip_through_semeval() {
    let r = run(unspin().args(["analyze", "--format", "semeval", "--import-spans"]).arg(example_labels()).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let labels = std::fs::read_to_string(example_labels()).unwrap();
    assert_eq!(r.stdout, labels);
}

#[test]
fn imported_spans_in_json_carry_text_and_both_offsets() {
    let r = run(unspin().args(["analyze", "--format", "json", "--import-spans"]).arg(example_labels()).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let doc = &v["documents"][0];
    let text = doc["text"].as_str().unwrap();
    let spans = doc["spans"].as_array().unwrap();
    assert_eq!(spans.len(), 13);
    let slogan = spans.iter().find(|s| s["technique"] == "Slogans").unwrap();
    assert_eq!(slogan["text"], "Valdoria first, Valdoria always");
    assert_eq!(chars(text, &slogan["start"], &slogan["end"]), "Valdoria first, Valdoria always");
    let (bs, be) = (slogan["byte_start"].as_u64().unwrap() as usize, slogan["byte_end"].as_u64().unwrap() as usize);
    assert_eq!(&text[bs..be], "Valdoria first, Valdoria always");
    assert_eq!(slogan["confidence"], 1.0);
    assert_eq!(doc["stats"]["techniques"]["Flag-Waving"], 2);
    // Imported spans are certain, so the score is the share of sentences with a span.
    let score = doc["stats"]["score"].as_f64().unwrap();
    assert!(score > 0.0);
    assert_eq!(doc["stats"]["score"], doc["stats"]["span_sentence_share"]);
    let legend = doc["techniques"].as_array().unwrap();
    assert_eq!(legend.len(), 9);
    assert_eq!((&legend[0]["label"], &legend[0]["count"]), (&Value::from("Doubt"), &Value::from(2)));
    assert!(legend.iter().all(|e| e["definition"].as_str().is_some_and(|d| d.ends_with('.'))));
}

#[test]
fn text_output_is_plain_when_piped_and_coloured_on_request() {
    let r = run(unspin().args(["analyze", "--import-spans"]).arg(example_labels()).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\x1b'));
    assert!(r.stdout.contains("Who really benefits") || r.stdout.contains("Who Really Benefits"));
    assert!(r.stdout.contains("Techniques:"), "{}", r.stdout);
    assert!(r.stdout.contains("\n9001 · en · score 0.57\n"), "{}", r.stdout);
    assert!(r.stdout.contains("  ■ Slogans ×1\n      A short, catchy phrase"), "{}", r.stdout);
    assert!(r.stdout.lines().all(|l| !l.starts_with("      ") || l.chars().count() <= 78), "{}", r.stdout);
    assert!(r.stdout.contains("“Valdoria first, Valdoria always”"), "{}", r.stdout);
    let r = run(unspin().args(["analyze", "--color", "always", "--import-spans"]).arg(example_labels()).arg(example()));
    assert!(r.stdout.contains("\x1b[30;48;5;186mValdoria first, Valdoria always\x1b[0m"), "{}", r.stdout);
}

#[test]
fn terminal_escapes_in_an_article_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("escapes.txt");
    // A title that would retitle the terminal window, a colour and a bell inside the text.
    std::fs::write(
        &file,
        "\x1b]0;owned\x07Harbour sold\n\nThe \x1b[31mcorrupt bureaucrats\x1b[0m sold the harbour to foreign bankers. \
         Every true patriot knows what this means for the port towns.\n",
    )
    .unwrap();
    let r = run(unspin().args(["analyze", "--no-model", "--format", "text"]).arg(&file));
    assert_eq!(r.code, 0, "a stray escape is noise, not a binary file: {}", r.stderr);
    assert!(!r.stdout.contains('\x1b') && !r.stdout.contains('\x07'), "{:?}", r.stdout);
    assert!(r.stdout.contains("\u{fffd}[31mcorrupt bureaucrats\u{fffd}[0m"), "{}", r.stdout);
    let r = run(unspin().args(["analyze", "--no-model", "--format", "json"]).arg(&file));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let text = v["documents"][0]["text"].as_str().unwrap();
    // One character for one: the file's character offsets still hold.
    assert_eq!(text.chars().count(), std::fs::read_to_string(&file).unwrap().chars().count());
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
}

#[test]
fn min_confidence_drops_unsure_spans_before_counting() {
    let dir = tempfile::tempdir().unwrap();
    // The example's labels with a confidence column: the two flag-waving spans are unsure.
    let scored: String = std::fs::read_to_string(example_labels())
        .unwrap()
        .lines()
        .map(|l| format!("{l}\t{}\n", if l.contains("Flag-Waving") { "0.3" } else { "0.8" }))
        .collect();
    let labels = dir.path().join("scored.labels");
    std::fs::write(&labels, scored).unwrap();
    let json = |extra: &[&str], labels: &Path| {
        let r = run(unspin().args(["analyze", "--format", "json"]).args(extra).arg("--import-spans").arg(labels).arg(example()));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        v["documents"][0].clone()
    };
    let spans = |doc: &Value| -> Vec<String> {
        doc["spans"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap().to_owned()).collect()
    };

    let all = json(&[], &labels);
    assert_eq!(spans(&all).len(), 13);
    assert!(spans(&all).contains(&"Every true patriot knows what this means".to_owned()));
    assert_eq!(all["stats"]["techniques"]["Flag-Waving"], 2);

    let sure = json(&["--min-confidence", "0.5"], &labels);
    let kept = spans(&sure);
    assert_eq!(kept.len(), 11);
    assert!(!kept.iter().any(|t| t.contains("patriot") || t.contains("grandfathers")), "{kept:?}");
    assert!(kept.contains(&"Valdoria first, Valdoria always".to_owned()));
    assert!(sure["spans"].as_array().unwrap().iter().all(|s| s["confidence"] == 0.8));
    assert!(sure["stats"]["techniques"].get("Flag-Waving").is_none());
    assert!(!sure["techniques"].as_array().unwrap().iter().any(|e| e["label"] == "Flag-Waving"));
    assert_eq!(sure["stats"]["spans"], 11);
    // Every kept span is 0.8 sure: the score is 0.8 × the share of sentences with a span.
    let share = sure["stats"]["span_sentence_share"].as_f64().unwrap();
    assert!((sure["stats"]["score"].as_f64().unwrap() - 0.8 * share).abs() < 1e-3, "{}", sure["stats"]);

    // Imported spans without the column are certain, so 0.5 keeps them all.
    assert_eq!(spans(&json(&["--min-confidence", "0.5"], &example_labels())).len(), 13);
    let r = run(unspin().args(["analyze", "--format", "semeval", "--min-confidence", "1"]).arg("--import-spans").arg(&labels).arg(example()));
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "nothing is certain: {}", r.stderr);

    for bad in ["1.5", "-0.1", "NaN", "half"] {
        let r = run(unspin().arg("analyze").arg(format!("--min-confidence={bad}")).arg(example()));
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("--min-confidence"), "{bad}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    let r = run(unspin().args(["analyze", "--min-confidence", "1.5"]).arg(example()));
    assert!(r.stderr.contains("--min-confidence: minimum confidence must be a number from 0 to 1, not 1.5"), "{}", r.stderr);
}

#[test]
fn brat_directory_and_label_studio() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brat");
    let r = run(unspin()
        .args(["analyze", "--format", "brat", "--out-dir"])
        .arg(&out)
        .arg("--import-spans")
        .arg(example_labels())
        .arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ann = std::fs::read_to_string(out.join("9001.ann")).unwrap();
    let txt = std::fs::read_to_string(out.join("9001.txt")).unwrap();
    assert_eq!(txt, std::fs::read_to_string(example()).unwrap());
    let line = ann.lines().find(|l| l.contains("Slogans")).unwrap();
    let fields: Vec<&str> = line.split('\t').collect();
    let offsets: Vec<usize> = fields[1].split(' ').skip(1).map(|n| n.parse().unwrap()).collect();
    assert_eq!(fields[2], "Valdoria first, Valdoria always");
    assert_eq!(txt.chars().skip(offsets[0]).take(offsets[1] - offsets[0]).collect::<String>(), fields[2]);
    assert!(out.join("annotation.conf").exists());

    let r = run(unspin().args(["analyze", "--format", "labelstudio", "--import-spans"]).arg(example_labels()).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let tasks: Value = serde_json::from_str(&r.stdout).unwrap();
    let result = &tasks[0]["predictions"][0]["result"];
    let text = tasks[0]["data"]["text"].as_str().unwrap();
    let first = &result[0]["value"];
    assert_eq!(first["text"], "so-called \"reform\" government");
    assert_eq!(chars(text, &first["start"], &first["end"]), "so-called \"reform\" government");
}

#[test]
fn brat_of_several_documents_needs_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "One article.").unwrap();
    std::fs::write(&b, "Another article.").unwrap();
    let r = run(unspin().args(["analyze", "--format", "brat"]).arg(&a).arg(&b));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("needs --out-dir"), "{}", r.stderr);
}

#[test]
fn directories_recurse_in_sorted_order_and_jsonl_closes_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("article2.txt"), "Second article. It is short.").unwrap();
    std::fs::write(dir.path().join("sub/article1.txt"), "First article, in a folder.").unwrap();
    std::fs::write(dir.path().join("article2.task-si.labels"), "not an article").unwrap();
    std::fs::write(dir.path().join(".hidden.txt"), "Hidden.").unwrap();
    let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = lines.iter().filter(|l| l["type"] == "document").map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["2", "1"], "sorted by file name at each level: article2.txt before sub/");
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(last["documents"], 2);
    assert_eq!(last["errors"], 0);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let mut child = unspin()
        .args(["analyze", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("Headline without a full stop\n\nThe mayor said “no”. Then she left.".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["id"], "stdin");
    assert_eq!(doc["meta"]["source"], "-");
    let texts: Vec<&str> = doc["sentences"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Headline without a full stop", "The mayor said “no”.", "Then she left."]);
}

#[test]
fn bad_inputs_fail_alone_and_never_take_the_others_down() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("good.txt"), "A good article. It has two sentences.").unwrap();
    std::fs::write(p("empty.txt"), "").unwrap();
    std::fs::write(p("binary.txt"), b"\x7fELF\x02\x01\x01\x00\x00\x00\x00").unwrap();
    std::fs::write(p("broken.txt"), b"Caf\xc3\xa9 and then a stray byte \xc3 here.").unwrap();
    std::fs::write(p("records.jsonl"), "{\"id\":\"r1\",\"text\":\"Fine record.\"}\nnot json\n{\"id\":\"r3\",\"text\":\"Also fine.\"}\n").unwrap();

    for (name, message) in [
        ("empty.txt", "empty.txt: empty document"),
        ("binary.txt", "binary.txt: looks like a binary file"),
        ("broken.txt", "broken.txt: invalid UTF-8 at byte 28"),
    ] {
        let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(p(name)));
        assert_eq!(r.code, 2, "{name} alone: {}", r.stderr);
        assert!(r.stderr.contains(message), "{name}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }

    let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(dir.path()));
    assert_eq!(r.code, 1, "some failed: {}", r.stderr);
    assert!(r.stderr.contains("records.jsonl, line 2: not valid JSON"), "{}", r.stderr);
    let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = lines.iter().filter(|l| l["type"] == "document").map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["good", "r1", "r3"]);
    let errors: Vec<&Value> = lines.iter().filter(|l| l["type"] == "error").collect();
    assert_eq!(errors.len(), 4);
    assert!(errors.iter().any(|e| e["record"] == "line 2"));
    assert_eq!(lines.last().unwrap()["errors"], 4);
}

#[test]
fn documents_over_the_size_limit_are_refused_without_reading_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    // A 100 MB single line.
    let mut f = std::fs::File::create(&big).unwrap();
    let chunk = "word ".repeat(20_000);
    for _ in 0..1000 {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    drop(f);
    let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(&big));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("big.txt: document is larger than the limit of 10485760 bytes"), "{}", r.stderr);

    let small = dir.path().join("small.txt");
    std::fs::write(&small, "Short, but over a tiny limit.").unwrap();
    let r = run(unspin().args(["analyze", "--max-doc-bytes", "10"]).arg(&small));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("larger than the limit of 10 bytes"), "{}", r.stderr);
}

#[test]
fn a_long_single_line_within_the_limit_is_analysed_with_bounded_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let long = dir.path().join("long.txt");
    std::fs::write(&long, "propaganda ".repeat(300_000)).unwrap(); // 3.3 MB, no punctuation
    // Segmentation is under test here; the model on long inputs is tests/detector.rs's business
    // (a 100,000-word document), and would add a minute and a half.
    let r = run(unspin().args(["analyze", "--format", "jsonl", "--no-model"]).arg(&long));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    let sentences = doc["sentences"].as_array().unwrap();
    assert!(sentences.len() > 1, "an unpunctuated text is still cut into bounded sentences");
    assert_eq!(doc["stats"]["words"], 300_000);
}

#[test]
fn missing_input_and_bad_usage_exit_2() {
    let r = run(unspin().args(["analyze", "/no/such/file.txt"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/file.txt"), "{}", r.stderr);
    let r = run(unspin().args(["analyze", "--format", "xml"]).arg(example()));
    assert_eq!(r.code, 2);
    let r = run(unspin().args(["analyze", "--jobs", "0"]).arg(example()));
    assert_eq!(r.code, 2);
    let r = run(unspin().args(["analyze", "--import-spans", "/no/such.labels"]).arg(example()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("reading --import-spans"), "{}", r.stderr);
}

#[test]
fn output_does_not_depend_on_the_number_of_jobs() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..40 {
        std::fs::write(dir.path().join(format!("article{i:03}.txt")), format!("Article {i}. The “crisis” is {i} times worse.")).unwrap();
    }
    let one = run(unspin().args(["analyze", "--format", "jsonl", "--jobs", "1"]).arg(dir.path()));
    let four = run(unspin().args(["analyze", "--format", "jsonl", "--jobs", "4"]).arg(dir.path()));
    assert_eq!(one.code, 0);
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(one.stdout.lines().count(), 41);
}

#[test]
fn a_closed_pipe_is_success() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("a{i}.txt")), "Some text. ".repeat(200)).unwrap();
    }
    let mut child = unspin()
        .args(["analyze", "--format", "jsonl"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
}

#[test]
fn extract_prints_the_body_and_json_adds_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.jsonl");
    std::fs::write(&page, "{\"id\":\"p1\",\"text\":\"Body one.\",\"url\":\"https://news.example.com/a\"}\n{\"id\":\"p2\",\"text\":\"Body two.\"}\n").unwrap();
    let r = run(unspin().arg("extract").arg(&page));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "==> https://news.example.com/a [p1] <==\nBody one.\n\n==> ".to_owned() + &page.display().to_string() + " [p2] <==\nBody two.\n");
    let r = run(unspin().args(["extract", "--format", "json"]).arg(example()));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], "1.3");
    assert_eq!(v["id"], "9001");
    assert!(v["text"].as_str().unwrap().starts_with("Who Really Benefits From the Harbour Deal?\n\nThe so-called"));
    let r = run(unspin().arg("extract").arg(example()));
    assert_eq!(r.stdout, std::fs::read_to_string(example()).unwrap());
}

fn html_fixture(name: &str) -> PathBuf {
    repo().join("crates/unspin/tests/data/html").join(name)
}

#[test]
fn html_page_is_extracted_then_analysed() {
    let r = run(unspin().arg("extract").arg(html_fixture("courier-dam.html")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("The long-awaited dam on the Vell river opened on Tuesday"), "{}", r.stdout);
    assert!(!r.stdout.contains("Advertisement"));
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    // Reader comments only with --comments, after the article.
    assert!(!r.stdout.contains("Nobody asked the fish"), "{}", r.stdout);
    let c = run(unspin().args(["extract", "--comments"]).arg(html_fixture("courier-dam.html")));
    assert_eq!(c.code, 0, "{}", c.stderr);
    assert!(c.stdout.starts_with(r.stdout.trim_end()), "{}", c.stdout);
    assert!(c.stdout.contains("\n\nNobody asked the fish what they think of warm water."), "{}", c.stdout);

    let r = run(unspin().args(["analyze", "--format", "json"]).arg(html_fixture("courier-dam.html")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let doc = &v["documents"][0];
    assert_eq!(doc["id"], "courier-dam");
    assert_eq!(doc["meta"]["format"], "html");
    assert_eq!(doc["meta"]["site"], "valleycourier.example");
    assert_eq!(doc["meta"]["byline"], "Ines Marlow, Tomas Greer");
    let text = doc["text"].as_str().unwrap();
    let sentences: Vec<&str> = doc["sentences"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert!(sentences.contains(&"“It has been a long wait, and people have every right to be impatient,” said Maren Holt, who chairs the county’s water board."), "{sentences:#?}");
    assert!(sentences.contains(&"“But this wall will stand for a hundred years.”"), "{sentences:#?}");
    for s in doc["sentences"].as_array().unwrap() {
        assert_eq!(chars(text, &s["start"], &s["end"]), s["text"].as_str().unwrap());
    }
    assert_eq!(doc["stats"]["paragraphs"], 5);
}

#[test]
fn html_without_an_article_is_an_error_naming_the_file() {
    let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(html_fixture("no-article.html")));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-article.html: no article text found in the HTML"), "{}", r.stderr);
}

fn warc_fixture() -> PathBuf {
    repo().join("crates/unspin/tests/data/warc/ccnews-sample.warc.gz")
}

#[test]
fn warc_gz_streams_one_document_per_html_response() {
    let r = run(unspin().args(["analyze", "--format", "jsonl", "--jobs", "2"]).arg(warc_fixture()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let docs: Vec<&Value> = lines.iter().filter(|l| l["type"] == "document").collect();
    assert_eq!(docs.len(), 6, "the image, the 404 and non-response records are skipped");
    for doc in &docs {
        assert_eq!(doc["meta"]["format"], "warc");
        assert_eq!(doc["meta"]["site"], "riverside-ledger.example");
        let text = doc["text"].as_str().unwrap();
        for s in doc["sentences"].as_array().unwrap() {
            assert_eq!(chars(text, &s["start"], &s["end"]), s["text"].as_str().unwrap());
        }
    }
    let tram = docs.iter().find(|d| d["meta"]["url"] == "https://www.riverside-ledger.example/city/tram-line-approved").unwrap();
    let sentences: Vec<&str> = tram["sentences"].as_array().unwrap().iter().map(|s| s["text"].as_str().unwrap()).collect();
    assert!(sentences.iter().any(|s| s.starts_with("Riverside city council voted 31 to 17 on Monday night")), "{sentences:#?}");
    assert_eq!(lines.last().unwrap()["documents"], 6);
}

#[test]
fn a_truncated_warc_gz_keeps_what_came_before_and_names_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(warc_fixture()).unwrap();
    let cut = dir.path().join("cut.warc.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    std::fs::write(dir.path().join("good.txt"), "A plain article. It is fine.").unwrap();
    let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(dir.path()));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("cut.warc.gz, record "), "{}", r.stderr);
    assert!(r.stderr.contains("truncated or corrupt gzip data"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    let lines: Vec<Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let docs = lines.iter().filter(|l| l["type"] == "document").count();
    assert!((2..6).contains(&docs), "the pages before the cut and good.txt: {docs}");
    assert!(lines.iter().any(|l| l["id"] == "good"));
    assert_eq!(lines.last().unwrap()["errors"], 1);
}

#[test]
fn a_wrong_content_length_costs_one_record() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes, not a string: one page in the fixture is windows-1252.
    let plain = std::fs::read(repo().join("crates/unspin/tests/data/warc/ccnews-sample.warc")).unwrap();
    let find = |from: usize, needle: &[u8]| from + plain[from..].windows(needle.len()).position(|w| w == needle).unwrap();
    // Make the first response record's declared length 40 bytes short.
    let at = find(0, b"WARC-Type: response");
    let len_at = find(at, b"Content-Length: ") + b"Content-Length: ".len();
    let len_end = find(len_at, b"\r\n");
    let declared: usize = std::str::from_utf8(&plain[len_at..len_end]).unwrap().parse().unwrap();
    let mut broken = plain[..len_at].to_vec();
    broken.extend_from_slice((declared - 40).to_string().as_bytes());
    broken.extend_from_slice(&plain[len_end..]);
    let path = dir.path().join("broken.warc");
    std::fs::write(&path, broken).unwrap();
    let r = run(unspin().args(["analyze", "--format", "jsonl"]).arg(&path));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("broken.warc, record 3 (offset "), "{}", r.stderr);
    assert!(r.stderr.contains("does not end where its Content-Length (3168) says"), "{}", r.stderr);
    let docs = r.stdout.lines().filter(|l| l.contains("\"type\":\"document\"")).count();
    assert_eq!(docs, 5, "every other page survives");
}

/// The PTC data beside the repository (`/work/shared/data/ptc`), if it is there.
fn ptc() -> Option<PathBuf> {
    let dir = repo().join("../shared/data/ptc");
    if dir.join("scorer-fixtures").is_dir() {
        Some(dir)
    } else {
        eprintln!("\n!!!!!!!! NOTE: {} not found: eval on the official fixtures is SKIPPED !!!!!!!!\n", dir.display());
        None
    }
}

#[test]
fn eval_prints_the_official_scores_for_the_ptc_fixtures() {
    let Some(ptc) = ptc() else { return };
    // Gold as the per-article directory; the numbers are those of expected-si.tsv.
    let r = run(unspin()
        .args(["eval", "--task", "si", "--gold"])
        .arg(ptc.join("train/train-labels-task-si"))
        .arg("--pred")
        .arg(ptc.join("scorer-fixtures/si-pred-1.tsv")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("precision  0.789534   3261.564842 / 4131 predicted spans"), "{}", r.stdout);
    assert!(r.stdout.contains("recall     0.607598   3279.204085 / 5397 gold spans"), "{}", r.stdout);
    assert!(r.stdout.contains("F1         0.686720"), "{}", r.stdout);

    // TC as JSON; the numbers are those of expected-tc.tsv.
    let r = run(unspin()
        .args(["eval", "--task", "tc", "--format", "json", "--gold"])
        .arg(ptc.join("train/train-task-flc-tc.labels"))
        .arg("--pred")
        .arg(ptc.join("scorer-fixtures/tc-pred-2.tsv")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(format!("{:.6}", v["f1"].as_f64().unwrap()), "0.254569");
    let techniques = v["techniques"].as_array().unwrap();
    assert_eq!(techniques.len(), 14);
    let slogans = techniques.iter().find(|t| t["technique"] == "Slogans").unwrap();
    assert_eq!(format!("{:.6}", slogans["f1"].as_f64().unwrap()), "0.111111");
}

/// Small label files written here, with scores worked out by hand.
#[test]
fn eval_si_text_and_json_on_small_files() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.labels");
    let pred = dir.path().join("pred.labels");
    std::fs::write(&gold, "1\t0\t10\n1\t20\t30\n").unwrap();
    // 5..15 and 12..14 overlap and become one span, 5..15, half inside gold 0..10; article 2 has
    // no gold: its span earns nothing but counts. P = 0.5 / 2, R = 0.5 / 2.
    std::fs::write(&pred, "1\t5\t15\n1\t12\t14\n2\t0\t4\n").unwrap();
    let r = run(unspin().args(["eval", "--task", "si", "--gold"]).arg(&gold).arg("--pred").arg(&pred));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("SemEval-2020 Task 11, SI (span identification)\n"), "{}", r.stdout);
    assert!(r.stdout.contains("precision  0.250000   0.500000 / 2 predicted spans\n"), "{}", r.stdout);
    assert!(r.stdout.contains("recall     0.250000   0.500000 / 2 gold spans\n"), "{}", r.stdout);
    assert!(r.stdout.contains("F1         0.250000\n"), "{}", r.stdout);

    let r = run(unspin().args(["eval", "--task", "si", "-f", "json", "--gold"]).arg(&gold).arg("--pred").arg(&pred));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], "1.0");
    assert_eq!(v["task"], "si");
    assert_eq!(v["gold"], gold.display().to_string());
    assert_eq!((v["precision"].as_f64(), v["recall"].as_f64(), v["f1"].as_f64()), (Some(0.25), Some(0.25), Some(0.25)));
    assert_eq!((v["precision_denominator"].as_u64(), v["recall_denominator"].as_u64()), (Some(2), Some(2)));
}

#[test]
fn eval_tc_and_flc_read_directories_of_labels_files() {
    let dir = tempfile::tempdir().unwrap();
    let (gold, pred) = (dir.path().join("gold"), dir.path().join("pred"));
    std::fs::create_dir_all(&gold).unwrap();
    std::fs::create_dir_all(&pred).unwrap();
    std::fs::write(gold.join("article1.labels"), "1\tDoubt\t0\t5\n1\tSlogans\t0\t5\n").unwrap();
    std::fs::write(gold.join("article2.labels"), "2\tLoaded_Language\t10\t20\n").unwrap();
    std::fs::write(gold.join("README.txt"), "not labels, not read").unwrap();
    // The two labels of span 1:0-5 in the other order (still both right); 2:10-20 wrong.
    std::fs::write(pred.join("all.labels"), "1\tSlogans\t0\t5\n1\tDoubt\t0\t5\n2\tFlag-Waving\t10\t20\n").unwrap();

    let r = run(unspin().args(["eval", "--task", "tc", "--gold"]).arg(&gold).arg("--pred").arg(&pred));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("precision  0.666667   2 of 3 predicted lines correct\n"), "{}", r.stdout);
    assert!(r.stdout.contains("F1         0.666667   micro-averaged\n"), "{}", r.stdout);
    let row = |label: &str| r.stdout.lines().find(|l| l.starts_with(label)).unwrap().split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
    assert_eq!(row("Doubt "), "1.000000 1.000000 1.000000 1 1");
    assert_eq!(row("Loaded_Language "), "0.000000 0.000000 0.000000 1 0");
    assert_eq!(row("Flag-Waving "), "0.000000 0.000000 0.000000 0 1");
    let rows = r.stdout.lines().skip_while(|l| !l.starts_with("technique ")).skip(1).filter(|l| !l.is_empty());
    assert_eq!(rows.count(), 14, "a row per technique:\n{}", r.stdout);

    let r = run(unspin().args(["eval", "--task", "flc", "--format", "json", "--gold"]).arg(&gold).arg("--pred").arg(&pred));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["task"], "flc");
    // Doubt and Slogans each match exactly; the Flag-Waving span finds no Flag-Waving gold.
    assert_eq!((v["precision_numerator"].as_f64(), v["precision_denominator"].as_u64()), (Some(2.0), Some(3)));
    assert_eq!((v["recall_numerator"].as_f64(), v["recall_denominator"].as_u64()), (Some(2.0), Some(3)));
    let doubt = v["techniques"].as_array().unwrap().iter().find(|t| t["technique"] == "Doubt").unwrap();
    assert_eq!(doubt["f1"], 1.0);
}

#[test]
fn eval_refuses_missing_files_and_bad_lines_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let gold = dir.path().join("gold.labels");
    std::fs::write(&gold, "1\tDoubt\t0\t5\n").unwrap();

    let missing = dir.path().join("no-such.labels");
    let r = run(unspin().args(["eval", "--task", "tc", "--gold"]).arg(&gold).arg("--pred").arg(&missing));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("reading the predictions") && r.stderr.contains("no-such.labels"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    let bad = dir.path().join("bad.labels");
    std::fs::write(&bad, "1\tDoubt\t0\t5\n\n1\tDoubt\t7\tten\n").unwrap();
    let r = run(unspin().args(["eval", "--task", "flc", "--gold"]).arg(&gold).arg("--pred").arg(&bad));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(&format!("{}:3: \"ten\" is not an offset", bad.display())), "{}", r.stderr);

    // A TC file given as SI: the message says why.
    let r = run(unspin().args(["eval", "--task", "si", "--gold"]).arg(&gold).arg("--pred").arg(&gold));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("gold.labels:1: expected 3 tab-separated fields"), "{}", r.stderr);

    let empty = tempfile::tempdir().unwrap();
    let r = run(unspin().args(["eval", "--task", "tc", "--gold"]).arg(empty.path()).arg("--pred").arg(&gold));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no *.labels files"), "{}", r.stderr);

    let r = run(unspin().args(["eval", "--task", "ner", "--gold"]).arg(&gold).arg("--pred").arg(&gold));
    assert_eq!(r.code, 2);
}

// ---- the technique model --------------------------------------------------------------------

#[test]
fn the_model_runs_by_default_and_its_spans_carry_their_text() {
    let r = run(unspin().args(["analyze", "--format", "json"]).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let doc = &v["documents"][0];
    let text = doc["text"].as_str().unwrap();
    let spans = doc["spans"].as_array().unwrap();
    assert!(!spans.is_empty());
    for s in spans {
        assert_eq!(s["detector"], "neural");
        assert_eq!(chars(text, &s["start"], &s["end"]), s["text"].as_str().unwrap());
        let c = s["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    // --no-model: structure only.
    let r = run(unspin().args(["analyze", "--format", "json", "--no-model"]).arg(example()));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["documents"][0]["spans"].as_array().unwrap().is_empty());
}

#[test]
fn semeval_output_of_a_folder_has_flc_lines_for_every_article() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example()).unwrap();
    std::fs::write(dir.path().join("article1.txt"), &text).unwrap();
    std::fs::write(dir.path().join("article2.txt"), format!("A calm title\n\n{}", &text[text.find('\n').unwrap() + 2..])).unwrap();
    let r = run(unspin().args(["analyze", "--format", "semeval", "--jobs", "2"]).arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut ids = std::collections::BTreeSet::new();
    for line in r.stdout.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "{line}");
        assert!(f[1].parse::<unspin::detect::Technique>().is_ok(), "{line}");
        let (s, e): (usize, usize) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        assert!(s < e);
        ids.insert(f[0].to_owned());
    }
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["1", "2"]);
}

#[test]
fn classify_fills_in_the_template_in_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(example(), dir.path().join("article9001.txt")).unwrap();
    let text = std::fs::read_to_string(example()).unwrap();
    let span = |phrase: &str| {
        let at = text[..text.find(phrase).unwrap()].chars().count();
        (at, at + phrase.chars().count())
    };
    let (a, b) = span("corrupt bureaucrats");
    let (c, d) = span("Valdoria first, Valdoria always");
    let template = format!("9001\t?\t{c}\t{d}\n9001\t?\t{a}\t{b}\n9001\t?\t{a}\t{b}\n");
    std::fs::write(dir.path().join("template.labels"), &template).unwrap();
    let r = run(unspin()
        .args(["classify", "--spans"])
        .arg(dir.path().join("template.labels"))
        .arg("--articles")
        .arg(dir.path()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3);
    for (line, want) in lines.iter().zip(template.lines()) {
        let want: Vec<&str> = want.split('\t').collect();
        assert_eq!((line[0], line[2], line[3]), (want[0], want[2], want[3]), "same span, same order");
        assert!(line[1].parse::<unspin::detect::Technique>().is_ok());
    }
    assert_ne!(lines[1][1], lines[2][1], "a span listed twice gets two different techniques");

    // Offsets outside the article, and a missing article, are errors that say so.
    std::fs::write(dir.path().join("bad.labels"), "9001\t?\t5\t999999\n").unwrap();
    let r = run(unspin().args(["classify", "--spans"]).arg(dir.path().join("bad.labels")).arg("--articles").arg(dir.path()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("outside the article"), "{}", r.stderr);
    std::fs::write(dir.path().join("missing.labels"), "42\t?\t0\t5\n").unwrap();
    let r = run(unspin().args(["classify", "--spans"]).arg(dir.path().join("missing.labels")).arg("--articles").arg(dir.path()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("article42.txt"), "{}", r.stderr);
}

#[test]
fn a_missing_runtime_or_model_is_a_clear_error() {
    let r = run(unspin().args(["analyze", "--onnxruntime", "/no/such/libonnxruntime.so"]).arg(example()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ONNX Runtime library /no/such/libonnxruntime.so does not exist"), "{}", r.stderr);
    let r = run(unspin().args(["analyze", "--model", "/no/such/model"]).arg(example()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/model") && r.stderr.contains("config.json"), "{}", r.stderr);
    let r = run(unspin().args(["analyze", "--threads", "0"]).arg(example()));
    assert_eq!(r.code, 2);
    let r = run(unspin().args(["analyze", "--engine", "openvino", "--openvino", "/no/such/libopenvino_c.so"]).arg(example()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("OpenVINO library /no/such/libopenvino_c.so does not exist"), "{}", r.stderr);
    let r = run(unspin().args(["analyze", "--engine", "tensorflow"]).arg(example()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("auto, onnxruntime or openvino"), "{}", r.stderr);
    // Each engine by name reads the example.
    for engine in ["onnxruntime", "openvino"] {
        let r = run(unspin().args(["analyze", "--format", "json", "--engine", engine]).arg(example()));
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert!(r.stdout.contains("\"technique\""), "{engine}: {}", r.stdout);
    }
}

/// `UNSPIN_HOME` names an installation (`models/`, `runtime/`) that is searched before the
/// executable's and the source tree's: how the Python package's bundled files are found.
#[test]
fn unspin_home_is_searched_first() {
    let home = tempfile::tempdir().unwrap();
    // A home whose model is the real one and whose ONNX Runtime is a file that is not a library:
    // the run must fail on that file, so the library was looked for there first.
    let model = home.path().join("models/unspin-ptc-minilm");
    std::fs::create_dir_all(&model).unwrap();
    for entry in std::fs::read_dir(repo().join("models/unspin-ptc-minilm")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), model.join(entry.file_name())).unwrap();
    }
    let runtime = home.path().join("runtime/onnxruntime");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::write(runtime.join(unspin::detect::neural::LIBRARY), b"not a library").unwrap();
    let r = run(unspin()
        .env("UNSPIN_HOME", home.path())
        .env_remove("UNSPIN_MODEL")
        .env_remove("UNSPIN_ORT_LIB")
        .env_remove("ORT_DYLIB_PATH")
        .args(["analyze", "--model", "fast", "--engine", "onnxruntime", "--format", "json"])
        .arg(example()));
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.contains(&runtime.display().to_string()), "{}", r.stderr);
    // With the runtime found elsewhere, the model comes from the home: a broken config there
    // is what the error names.
    std::fs::write(model.join("config.json"), b"{").unwrap();
    std::fs::remove_dir_all(home.path().join("runtime")).unwrap();
    let r = run(unspin()
        .env("UNSPIN_HOME", home.path())
        .env_remove("UNSPIN_MODEL")
        .args(["analyze", "--model", "fast", "--format", "json"])
        .arg(example()));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&model.display().to_string()), "{}", r.stderr);
}

/// `--model` takes a shipped model's name or a folder; the same resolution serves every command.
#[test]
fn models_are_chosen_by_name_or_folder() {
    let analyze = |model: Option<&str>, env: Option<&str>| {
        let mut cmd = unspin();
        cmd.env_remove("UNSPIN_MODEL").args(["analyze", "--format", "json"]);
        if let Some(model) = model {
            cmd.args(["--model", model]);
        }
        if let Some(env) = env {
            cmd.env("UNSPIN_MODEL", env);
        }
        run(cmd.arg(example()))
    };
    // `fast` is the MiniLM model: by name, by folder and by UNSPIN_MODEL, the same output.
    let by_name = analyze(Some("fast"), None);
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    let v: Value = serde_json::from_str(&by_name.stdout).unwrap();
    assert!(!v["documents"][0]["spans"].as_array().unwrap().is_empty(), "the model ran");
    assert_eq!(v["documents"][0]["claims"]["scorer"], "unspin-ptc-minilm");
    let folder = repo().join("models/unspin-ptc-minilm");
    let by_folder = analyze(Some(folder.to_str().unwrap()), None);
    assert_eq!(by_folder.code, 0, "{}", by_folder.stderr);
    assert_eq!(by_folder.stdout, by_name.stdout);
    let by_env = analyze(None, Some("fast"));
    assert_eq!(by_env.stdout, by_name.stdout);

    // `accurate` is all-mpnet-base-v2 in models/unspin-ptc-mpnet, and the default.
    let accurate = analyze(Some("accurate"), None);
    assert_eq!(accurate.code, 0, "{}", accurate.stderr);
    let v: Value = serde_json::from_str(&accurate.stdout).unwrap();
    assert!(!v["documents"][0]["spans"].as_array().unwrap().is_empty(), "the model ran");
    assert_eq!(v["documents"][0]["claims"]["scorer"], "unspin-checkthat-minilm+unspin-subjectivity-minilm", "with its sentence models");
    assert_ne!(accurate.stdout, by_name.stdout, "two models, two readings");
    let by_default = analyze(None, None);
    assert_eq!(by_default.stdout, accurate.stdout, "accurate is the default");
    let by_env = analyze(None, Some("accurate"));
    assert_eq!(by_env.stdout, accurate.stdout);

    // Neither a name nor a folder: the names are listed, wherever the word came from.
    let unknown = analyze(Some("nosuchname"), None);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown model \"nosuchname\": give accurate, fast or the path of a model folder"),
        "{}",
        unknown.stderr
    );
    let unknown = analyze(None, Some("nosuchname"));
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("\"nosuchname\" (from UNSPIN_MODEL)"), "{}", unknown.stderr);
    // Every command that loads the model resolves the same way.
    let sentences = repo().join("examples/article9001.txt");
    for args in [
        vec!["claims", "--sentences", sentences.to_str().unwrap()],
        vec!["classify", "--spans", "/dev/null", "--articles", "/tmp"],
        vec!["serve", "--bind", "127.0.0.1:0"],
    ] {
        let r = run(unspin().env_remove("UNSPIN_MODEL").args(&args).args(["--model", "nosuchname"]));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("give accurate, fast or"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn help_documents_the_model_names() {
    for args in [vec!["--help"], vec!["analyze", "--help"], vec!["serve", "--help"], vec!["claims", "--help"]] {
        let r = run(unspin().args(&args));
        assert_eq!(r.code, 0);
        let help = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        for name in ["`accurate` (all-mpnet-base-v2, models/unspin-ptc-mpnet", "`fast` (all-MiniLM-L6-v2, models/unspin-ptc-minilm)"] {
            assert!(help.contains(name), "{args:?} lacks {name}: {help}");
        }
    }
    // The default the help names is the library's.
    let top = run(unspin().arg("--help")).stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(top.contains(&format!("Default: {}.", unspin::detect::neural::DEFAULT_MODEL_NAME)), "{top}");
    let analyze = run(unspin().args(["analyze", "--help"])).stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(analyze.contains(&format!("else {}]", unspin::detect::neural::DEFAULT_MODEL_NAME)), "{analyze}");
}

#[test]
fn outlet_lookup_in_text_and_json() {
    let r = run(unspin().args([
        "outlet",
        "https://edition.cnn.com/politics/x.html",
        "example.org",
        "francais.rt.com",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "cnn.com: factuality mixed, bias left (MBFC, 2020)"
    );
    assert_eq!(
        lines[1],
        "example.org: not in the outlet ratings unspin ships"
    );
    assert_eq!(
        lines[2],
        "rt.com/news: factuality mixed, bias right-center (MBFC, 2018); state media: RT (RU), state-controlled: \
         ANO TV-Novosti, a non-profit founded by RIA Novosti and financed from the Russian federal budget"
    );
    assert!(
        lines[3].starts_with("source: Media Bias/Fact Check ratings as collected by Baly et al."),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with("source: state media: ownership and state affiliation"), "{}", lines[4]);
    let r = run(unspin().args([
        "outlet",
        "--format",
        "json",
        "www.rt.com",
        "bücher.de",
        "10.0.0.1",
        "english.news.cn",
        "presstv.ir",
    ]));
    assert_eq!(r.code, 2, "an IP address is bad input");
    let v: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 5);
    assert_eq!(v[0]["status"], "known");
    assert_eq!(v[0]["schema_version"], "1.3");
    assert_eq!(v[0]["profile"]["host"], "rt.com");
    assert_eq!(v[0]["profile"]["section"], "news");
    assert_eq!(v[0]["profile"]["factuality"], "mixed");
    assert_eq!(
        v[0]["profile"]["mbfc_url"],
        "https://mediabiasfactcheck.com/rt-news/"
    );
    assert_eq!(v[1]["status"], "unknown");
    assert_eq!(v[1]["domain"], "xn--bcher-kva.de");
    assert_eq!(v[2]["status"], "invalid");
    assert_eq!(v[2]["query"], "10.0.0.1");
    // Ownership and state affiliation: typed fields, `null` when the outlet is not listed.
    assert_eq!(v[0]["state_media"]["name"], "RT");
    assert_eq!(v[0]["state_media"]["host"], "rt.com");
    assert_eq!(v[0]["state_media"]["country"], "RU");
    assert_eq!(v[0]["state_media"]["affiliation"], "state-controlled");
    assert!(v[0]["state_media"]["domains"].as_array().is_some_and(|d| d.iter().any(|x| x == "rt.com")));
    assert!(v[0]["state_media"]["owner"].is_string() && v[0]["state_media"]["source"].is_string());
    assert!(v[1]["state_media"].is_null(), "{}", v[1]);
    assert!(v[2].get("state_media").is_none(), "an invalid query has no record");
    assert_eq!(v[3]["status"], "known");
    assert_eq!(v[3]["state_media"]["host"], "news.cn");
    assert_eq!(v[4]["status"], "unknown", "not in the ratings");
    assert_eq!(v[4]["state_media"]["name"], "Press TV");
    assert_eq!(v[4]["state_media"]["affiliation"], "state-controlled");
    let r = run(unspin().args(["outlet"]));
    assert_eq!(r.code, 2, "a domain is required");
}

#[test]
fn claims_sentence_mode_writes_one_line_per_input_line() {
    let input = "The embassy stated that the convoy had been attacked.\n\
                 According to sources, the base was evacuated.\n\
                 \n\
                 \"\n\
                 The US knew in advance.\r\n\
                 \"It is over,\" said Mira\tCastell.\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sentences.txt");
    std::fs::write(&path, input).unwrap();
    let from_file = run(unspin().args(["claims", "--no-model", "--sentences"]).arg(&path));
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    assert!(
        from_file.stderr.contains("--no-model: the check-worthiness and subjectivity columns are left empty"),
        "{}",
        from_file.stderr
    );
    let lines: Vec<&str> = from_file.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "checkworthy_score\tcheckworthy\tsubjective_score\tsubjective\tsource",
            "\t\t\t\tThe embassy",
            "\t\t\t\tvague",
            "\t\t\t\tnone",
            "\t\t\t\tnone",
            "\t\t\t\tnone",
            "\t\t\t\tMira Castell",
        ]
    );
    // The same from standard input.
    let mut child = unspin()
        .args(["claims", "--no-model", "--sentences", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file.stdout);
    // A missing file is a usage error.
    let r = run(unspin().args(["claims", "--sentences", "/nonexistent/sentences.txt"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("/nonexistent/sentences.txt"),
        "{}",
        r.stderr
    );
}

#[test]
fn claims_sentence_mode_scores_with_the_shipped_model() {
    let long = "word ".repeat(5_000);
    let input = format!(
        "Unemployment rose to 7.4 percent in March, the statistics office said.\n\
         \n\
         What a disgraceful, shameful betrayal this is!\n\
         {long}\n\
         \"\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sentences.txt");
    std::fs::write(&path, &input).unwrap();
    let r = run(unspin().args(["claims", "--sentences"]).arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("left empty"), "{}", r.stderr);
    let rows: Vec<Vec<&str>> = r.stdout.lines().skip(1).map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 5, "one row per input line");
    let score = |row: &[&str], col: usize| -> f32 { row[col].parse().unwrap() };
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 5, "{row:?}");
        if i == 1 {
            // An empty line has nothing to score.
            assert_eq!(row[..4], ["", "", "", ""]);
            continue;
        }
        for col in [0, 2] {
            assert!((0.0..=1.0).contains(&score(row, col)), "{row:?}");
        }
        assert!(["0", "1"].contains(&row[1]) && ["0", "1"].contains(&row[3]), "{row:?}");
    }
    assert_eq!((rows[0][1], rows[0][4]), ("1", "the statistics office"));
    assert_eq!(rows[2][3], "1", "the outburst is subjective");
    assert_eq!(rows[0][3], "0", "the statistic is not");
    assert!(score(&rows[0], 0) > score(&rows[2], 0));
    // With --no-model: the same sources, no scores.
    let plain = run(unspin().args(["claims", "--no-model", "--sentences"]).arg(&path));
    let plain_rows: Vec<&str> = plain.stdout.lines().skip(1).collect();
    assert_eq!(plain_rows[0], "\t\t\t\tthe statistics office");
}

#[test]
fn analyze_scores_claims_with_the_models_sentence_heads() {
    let r = run(unspin().args(["analyze", "--format", "json"]).arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let claims = &v["documents"][0]["claims"];
    assert_eq!(claims["basis"], "checkworthy");
    assert_eq!(claims["scorer"], "unspin-checkthat-minilm+unspin-subjectivity-minilm", "the default model, with its sentence models");
    let sentences = claims["sentences"].as_array().unwrap();
    for s in sentences {
        for key in ["checkworthy", "subjective"] {
            let x = s[key].as_f64().unwrap_or_else(|| panic!("{key} missing: {s}"));
            assert!((0.0..=1.0).contains(&x), "{s}");
        }
    }
    // Mira Castell's statement with its figure is a claim, with her as its source.
    let castell = sentences
        .iter()
        .find(|s| s["source"]["speaker"] == "Mira Castell" && s["source"]["carried_from"].is_null())
        .unwrap();
    assert_eq!(castell["claim"], true);
    let summary = &claims["summary"];
    assert!(summary["subjective"].is_u64() && summary["subjective_share"].is_f64(), "{summary}");
    // The text view shows the scores with each claim.
    let r = run(unspin().args(["analyze", "--color", "never"]).arg(example()));
    assert!(r.stdout.contains("Claims: (check-worthy sentences)"), "{}", r.stdout);
    assert!(r.stdout.contains("named: Mira Castell · check-worthy 0."), "{}", r.stdout);
}

#[test]
fn analyze_shows_claims_in_every_json_and_text_output() {
    let r = run(unspin()
        .args(["analyze", "--format", "json", "--no-model"])
        .arg(example()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let doc = &v["documents"][0];
    let text = doc["text"].as_str().unwrap();
    let claims = &doc["claims"];
    assert_eq!(claims["basis"], "heuristic");
    assert!(claims["outlet"].is_null(), "a text file has no site");
    let sentences = claims["sentences"].as_array().unwrap();
    assert_eq!(sentences.len(), doc["sentences"].as_array().unwrap().len());
    // "According to sources close to the Ministry of Transport, …": a vague source, offsets true.
    let according = sentences
        .iter()
        .flat_map(|s| s["attributions"].as_array().unwrap())
        .find(|a| a["kind"] == "according_to")
        .unwrap();
    assert_eq!(
        chars(
            text,
            &according["speaker"]["start"],
            &according["speaker"]["end"]
        ),
        "sources close to the Ministry of Transport"
    );
    assert_eq!(according["source"], "vague");
    let quote = claims["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["scare_quote"] == false)
        .unwrap();
    assert_eq!(quote["source"]["speaker"], "Mira Castell");
    assert!(claims["summary"]["claims"].as_u64().unwrap() > 5);
    assert!(claims["summary"]["subjective"].is_null());
    assert_eq!(v["summary"]["claims"], claims["summary"]["claims"]);
    // JSON Lines: the document record and the closing summary carry the claims too.
    let r = run(unspin()
        .args(["analyze", "--format", "jsonl", "--no-model"])
        .arg(example()));
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["claims"], *claims);
    assert_eq!(lines[1]["type"], "summary");
    assert_eq!(lines[1]["hedges"], claims["summary"]["hedges"]);
    // Text: a claims section with sources and flags.
    let r = run(unspin()
        .args(["analyze", "--no-model", "--color", "never"])
        .arg(example()));
    assert!(
        r.stdout
            .contains("Claims: (declarative sentences; no check-worthiness classifier)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("vague: sources close to the Ministry of Transport"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("insinuation (who really)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("unattributed"), "{}", r.stdout);
    assert!(r.stdout.contains("subjectivity n/a"), "{}", r.stdout);
}

#[test]
fn analyze_attaches_the_outlet_from_a_jsonl_url() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("docs.jsonl");
    let records = [
        r#"{"id":"a","url":"https://www.rt.com/news/123-x/","text":"Officials said the vote was fair and open to all."}"#,
        r#"{"id":"b","url":"http://192.168.0.1/x","text":"The vote was fair."}"#,
        r#"{"id":"c","url":"not a url","text":"The vote was fair."}"#,
    ];
    std::fs::write(&path, records.join("\n")).unwrap();
    let r = run(unspin()
        .args(["analyze", "--format", "jsonl", "--no-model"])
        .arg(&path));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["claims"]["outlet"]["profile"]["host"], "rt.com");
    assert_eq!(lines[0]["claims"]["outlet"]["state_media"]["name"], "RT");
    assert_eq!(lines[1]["claims"]["outlet"]["status"], "invalid");
    assert_eq!(lines[2]["claims"]["outlet"]["status"], "invalid");
    let r = run(unspin()
        .args(["analyze", "--no-model", "--color", "never"])
        .arg(&path));
    assert!(
        r.stdout
            .contains("outlet: rt.com/news: factuality mixed, bias right-center (MBFC, 2018); state media: RT (RU)"),
        "{}",
        r.stdout
    );
}

// ---- unspin serve ---------------------------------------------------------------------------

/// `unspin serve` on a free loopback port, stopped when dropped.
struct Served {
    child: std::process::Child,
    addr: String,
}

impl Served {
    fn start(extra: &[&str]) -> Served {
        let mut child = unspin()
            .args(["serve", "--bind", "127.0.0.1:0", "--concurrency", "2"])
            .args(extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        // A line on stderr says where it listens (once the model has loaded).
        let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while !line.contains("listening on") {
            line.clear();
            let n = std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
            assert!(n > 0, "unspin serve stopped before listening");
        }
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Served { child, addr }
    }

    /// One HTTP/1.1 request; returns the status code and the body.
    fn request(&self, method: &str, path: &str, content_type: &str, body: &[u8]) -> (u16, String) {
        let mut stream = std::net::TcpStream::connect(&self.addr).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "bodies are sent whole");
        (status, body.to_owned())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_answers_exactly_what_analyze_prints() {
    let served = Served::start(&[]);
    let article = std::fs::read(example()).unwrap();
    let boundary = "b0undary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"article9001.txt\"\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&article);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, served_json) =
        served.request("POST", "/v1/analyze", &format!("multipart/form-data; boundary={boundary}"), &form);
    assert_eq!(status, 200, "{served_json}");
    // The CLI, run where the file is so that `source` is the same bare name.
    let r = run(unspin().args(["analyze", "--format", "json", "article9001.txt"]).current_dir(repo().join("examples")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(served_json, r.stdout);
    let v: Value = serde_json::from_str(&served_json).unwrap();
    assert!(!v["documents"][0]["spans"].as_array().unwrap().is_empty(), "the model ran");

    let (status, body) = served.request("GET", "/healthz", "text/plain", b"");
    assert_eq!(status, 200);
    assert!(body.contains("\"neural\""), "{body}");
    let (status, body) = served.request("POST", "/v1/analyze", "application/json", b"{\"url\": \"http://127.0.0.1:1/\"}");
    assert_eq!(status, 422, "private URLs are refused by default: {body}");
}

#[test]
fn serve_refuses_bad_settings() {
    let r = run(unspin().args(["serve", "--bind", "127.0.0.1:0", "--concurrency", "0"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--concurrency"), "{}", r.stderr);
    let r = run(unspin().args(["serve", "--bind", "nowhere"]));
    assert_eq!(r.code, 2);
    let r = run(unspin().args(["serve", "--bind", "127.0.0.1:0", "--model", "/no/such/model"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("/no/such/model"), "{}", r.stderr);
}
