//! Label Studio pre-annotations: a JSON array of tasks, one per document, importable into a
//! project set up with [`labeling_config`] (also in `docs/output.md`): a `technique` control
//! with the 14 technique labels and a `claims` control with [`CLAIM_LABELS`], both over
//! `<Text name="text" value="$text"/>`. Offsets are code points of `data.text`.
//!
//! Each task's prediction holds the technique spans (scored by their confidence), then the
//! claims stage's regions: `Claim` or `Unattributed claim` over each claim sentence (scored by
//! its check-worthiness when a scorer gave one), `Quote`, `Hedge` and `Insinuation`. Each of
//! those carries a `meta.text` note — Label Studio's per-region note — naming the source
//! (`named: Maria Lopez`, `vague`, `no source`) and, for claims, the scores when present.

use std::io::Write;

use serde::Serialize;

use crate::claims::SentenceClaims;
use crate::detect::Technique;
use crate::offsets::Span;
use crate::report::json::GENERATOR;
use crate::report::{source_label, Analysis, ReportWriter, Summary};
use crate::Document;

pub struct LabelStudio<W> {
    out: W,
    tasks: usize,
}

impl<W: Write> LabelStudio<W> {
    pub fn new(out: W) -> Self {
        LabelStudio { out, tasks: 0 }
    }
}

#[derive(Serialize)]
struct Task<'a> {
    data: TaskData<'a>,
    predictions: [Prediction<'a>; 1],
}

#[derive(Serialize)]
struct TaskData<'a> {
    text: &'a str,
    doc_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    source: &'a str,
}

#[derive(Serialize)]
struct Prediction<'a> {
    model_version: &'static str,
    result: Vec<Region<'a>>,
}

#[derive(Serialize)]
struct Region<'a> {
    id: String,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: RegionValue<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f32>,
    /// Label Studio's per-region note, shown beside the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<RegionMeta>,
}

#[derive(Serialize)]
struct RegionValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'static str; 1],
}

/// Label Studio keeps a region's note as a list of lines.
#[derive(Serialize)]
struct RegionMeta {
    text: [String; 1],
}

/// The controls of [`labeling_config`]: technique spans, and the claims stage's regions.
const TECHNIQUE_CONTROL: &str = "technique";
const CLAIMS_CONTROL: &str = "claims";

/// Labels of the `claims` control, in the order the config lists them.
pub const CLAIM_LABELS: [&str; 5] = ["Claim", "Unattributed claim", "Quote", "Hedge", "Insinuation"];

/// The labeling config that accepts every region this writer predicts: a project set up with
/// it imports the tasks as they are.
pub fn labeling_config() -> String {
    let mut xml = format!("<View>\n  <Labels name=\"{TECHNIQUE_CONTROL}\" toName=\"text\">\n");
    for t in Technique::ALL {
        xml.push_str(&format!("    <Label value=\"{}\"/>\n", t.label()));
    }
    xml.push_str(&format!("  </Labels>\n  <Labels name=\"{CLAIMS_CONTROL}\" toName=\"text\">\n"));
    for label in CLAIM_LABELS {
        xml.push_str(&format!("    <Label value=\"{label}\"/>\n"));
    }
    xml.push_str("  </Labels>\n  <Text name=\"text\" value=\"$text\"/>\n</View>\n");
    xml
}

/// Numbers regions `<doc id>-<n>` and skips any whose offsets do not fit the text (a stage's
/// bug should cost a region, not the whole task).
struct Regions<'a> {
    doc: &'a Document,
    out: Vec<Region<'a>>,
}

impl<'a> Regions<'a> {
    fn push(&mut self, control: &'static str, label: &'static str, span: Span, score: Option<f32>, meta: Option<String>) {
        let Some(text) = self.doc.text.get(span.bytes()) else { return };
        if text.is_empty() {
            return;
        }
        self.out.push(Region {
            id: format!("{}-{}", self.doc.id, self.out.len() + 1),
            from_name: control,
            to_name: "text",
            kind: "labels",
            value: RegionValue { start: span.start, end: span.end, text, labels: [label] },
            score,
            meta: meta.map(|m| RegionMeta { text: [m] }),
        });
    }
}

/// Technique spans, then per sentence: the claim, the quotes that start there, hedges and the
/// insinuation cue.
fn regions(analysis: &Analysis) -> Vec<Region<'_>> {
    let mut regions = Regions { doc: &analysis.document, out: Vec::new() };
    for s in &analysis.spans {
        regions.push(TECHNIQUE_CONTROL, s.technique.label(), s.span, Some(s.confidence), None);
    }
    let claims = &analysis.claims;
    for sc in &claims.sentences {
        if let (true, Some(sentence)) = (sc.claim, analysis.segmentation.sentences.get(sc.sentence)) {
            let label = if sc.unattributed { "Unattributed claim" } else { "Claim" };
            regions.push(CLAIMS_CONTROL, label, sentence.span, sc.checkworthy, Some(claim_meta(sc)));
        }
        for quote in claims.quotes_starting_in(sc) {
            regions.push(CLAIMS_CONTROL, "Quote", quote.span, None, Some(source_label(&quote.source)));
        }
        for hedge in &sc.hedges {
            let meta = if hedge.quoted {
                let quote = claims.quotes.iter().find(|q| q.span.start <= hedge.span.start && hedge.span.end <= q.span.end);
                quote.map_or_else(|| "in a quote".to_owned(), |q| format!("in a quote ({})", source_label(&q.source)))
            } else {
                "the writer's own".to_owned()
            };
            regions.push(CLAIMS_CONTROL, "Hedge", hedge.span, None, Some(meta));
        }
        if let Some(cue) = &sc.insinuation {
            regions.push(CLAIMS_CONTROL, "Insinuation", cue.span, None, Some(source_label(&sc.source)));
        }
    }
    regions.out
}

/// `named: Maria Lopez · check-worthy 0.87 · subjective 0.12`, scores only when given.
fn claim_meta(sc: &SentenceClaims) -> String {
    let mut parts = vec![source_label(&sc.source)];
    if let Some(c) = sc.checkworthy {
        parts.push(format!("check-worthy {c:.2}"));
    }
    if let Some(s) = sc.subjective {
        parts.push(format!("subjective {s:.2}"));
    }
    parts.join(" · ")
}

impl<W: Write> ReportWriter for LabelStudio<W> {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        let doc = &analysis.document;
        let task = Task {
            data: TaskData {
                text: &doc.text,
                doc_id: &doc.id,
                title: doc.meta.title.as_deref(),
                url: doc.meta.url.as_deref(),
                source: &doc.meta.source,
            },
            predictions: [Prediction { model_version: GENERATOR, result: regions(analysis) }],
        };
        self.out.write_all(if self.tasks == 0 { b"[\n" } else { b",\n" })?;
        self.tasks += 1;
        serde_json::to_writer(&mut self.out, &task)?;
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.write_all(if self.tasks == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{chars, claims_analysis, render, CLAIMS_TEXT, TEXT};
    use crate::report::{Format, WriterOptions};

    fn task(analysis: &Analysis) -> serde_json::Value {
        let mut out = Vec::new();
        {
            let mut writer = LabelStudio::new(&mut out);
            writer.document(analysis).unwrap();
            writer.finish(&Summary::default()).unwrap();
        }
        let tasks: serde_json::Value = serde_json::from_slice(&out).unwrap();
        tasks[0].clone()
    }

    #[test]
    fn tasks_with_predictions() {
        let out = render(Format::LabelStudio, &WriterOptions::default());
        let tasks: serde_json::Value = serde_json::from_str(&out).unwrap();
        let task = &tasks[0];
        assert_eq!(task["data"]["text"], TEXT);
        assert_eq!(task["data"]["doc_id"], "701");
        let result = task["predictions"][0]["result"].as_array().unwrap();
        assert_eq!(result.len(), 4);
        let second = &result[1];
        assert_eq!(second["type"], "labels");
        assert_eq!(second["from_name"], "technique");
        assert_eq!(second["value"]["labels"][0], "Loaded_Language");
        assert_eq!(second["value"]["text"], "corrupt élite");
        assert_eq!(second["score"], 0.875);
        assert!(second.get("meta").is_none());
        let (start, end) = (second["value"]["start"].as_u64().unwrap() as usize, second["value"]["end"].as_u64().unwrap() as usize);
        assert_eq!(TEXT.chars().skip(start).take(end - start).collect::<String>(), "corrupt élite");
    }

    #[test]
    fn claims_regions_with_sources_in_meta() {
        let task = task(&claims_analysis());
        let result = task["predictions"][0]["result"].as_array().unwrap();
        let shown: Vec<(&str, &str, u64, u64, &str, &str)> = result
            .iter()
            .map(|r| {
                (
                    r["from_name"].as_str().unwrap(),
                    r["value"]["labels"][0].as_str().unwrap(),
                    r["value"]["start"].as_u64().unwrap(),
                    r["value"]["end"].as_u64().unwrap(),
                    r["value"]["text"].as_str().unwrap(),
                    r["meta"]["text"][0].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "claims",
                    "Claim",
                    27,
                    114,
                    "“We have secured the best terms in a generation,” said Maria Lopez, the trade minister.",
                    "named: Maria Lopez"
                ),
                ("claims", "Quote", 28, 75, "We have secured the best terms in a generation,", "named: Maria Lopez"),
                (
                    "claims",
                    "Claim",
                    115,
                    193,
                    "According to sources close to the ministry, the contract was signed in secret.",
                    "vague: sources close to the ministry"
                ),
                ("claims", "Claim", 194, 255, "The port authority has reportedly lost millions on the lease.", "vague"),
                ("claims", "Hedge", 217, 227, "reportedly", "the writer's own"),
                ("claims", "Insinuation", 256, 266, "Who really", "no source"),
                (
                    "claims",
                    "Unattributed claim",
                    287,
                    352,
                    "The lease will run for ninety-nine years\nand cannot be cancelled.",
                    "no source"
                ),
            ]
        );
        for (_, _, start, end, text, _) in &shown {
            assert_eq!(chars(CLAIMS_TEXT, *start as usize, *end as usize), *text);
        }
        let ids: std::collections::HashSet<&str> = result.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), result.len(), "region ids are unique");
        // No check-worthiness scorer: no score rather than a made-up one.
        assert!(result.iter().all(|r| r.get("score").is_none()));
    }

    #[test]
    fn a_quoted_hedge_is_the_speakers() {
        let text = "“The deal may have been rushed,” said Maria Lopez.";
        let a = crate::Pipeline::new().analyze(Document::new("q", text, crate::Metadata::default())).unwrap();
        let task = task(&a);
        let result = task["predictions"][0]["result"].as_array().unwrap();
        let hedge = result.iter().find(|r| r["value"]["labels"][0] == "Hedge").unwrap();
        assert_eq!(hedge["value"]["text"], "may have");
        let (start, end) = (hedge["value"]["start"].as_u64().unwrap() as usize, hedge["value"]["end"].as_u64().unwrap() as usize);
        assert_eq!(chars(text, start, end), "may have");
        assert_eq!(hedge["meta"]["text"][0], "in a quote (named: Maria Lopez)");
    }

    #[test]
    fn zero_width_and_bidi_characters_keep_every_offset_exact() {
        let text = "“The\u{200b} deal may have been \u{202e}rushed\u{202c},” said Maria\u{200d} Lopez.";
        let a = crate::Pipeline::new().analyze(Document::new("z", text, crate::Metadata::default())).unwrap();
        let task = task(&a);
        assert_eq!(task["data"]["text"], text, "the text goes to Label Studio as it is");
        let result = task["predictions"][0]["result"].as_array().unwrap();
        assert!(result.len() >= 2, "{result:?}");
        for r in result {
            let (start, end) = (r["value"]["start"].as_u64().unwrap() as usize, r["value"]["end"].as_u64().unwrap() as usize);
            assert_eq!(chars(text, start, end), r["value"]["text"].as_str().unwrap(), "{r}");
        }
    }

    #[test]
    fn claim_scores_show_when_given() {
        let mut a = claims_analysis();
        a.claims.sentences[5].checkworthy = Some(0.873);
        a.claims.sentences[5].subjective = Some(0.124);
        let task = task(&a);
        let result = task["predictions"][0]["result"].as_array().unwrap();
        let last = result.last().unwrap();
        assert_eq!(last["value"]["labels"][0], "Unattributed claim");
        assert_eq!(last["meta"]["text"][0], "no source · check-worthy 0.87 · subjective 0.12");
        assert!((last["score"].as_f64().unwrap() - 0.873).abs() < 1e-6);
    }

    #[test]
    fn config_accepts_every_predicted_label_and_docs_show_it() {
        let config = labeling_config();
        let task = task(&claims_analysis());
        for r in task["predictions"][0]["result"].as_array().unwrap() {
            let label = r["value"]["labels"][0].as_str().unwrap();
            let control = format!("<Labels name=\"{}\" toName=\"text\">", r["from_name"].as_str().unwrap());
            let block = &config[config.find(&control).unwrap()..];
            let block = &block[..block.find("</Labels>").unwrap()];
            assert!(block.contains(&format!("<Label value=\"{label}\"/>")), "{label} not under {control}");
        }
        for t in Technique::ALL {
            assert!(config.contains(&format!("<Label value=\"{}\"/>", t.label())));
        }
        let docs = include_str!("../../../../docs/output.md");
        assert!(docs.contains(&config), "docs/output.md must show labeling_config() as it is");
    }
}
