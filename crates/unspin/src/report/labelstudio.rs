//! Label Studio pre-annotations: a JSON array of tasks, one per document, importable into a
//! project whose labeling config has `<Labels name="technique" toName="text">` over
//! `<Text name="text" value="$text"/>` (the full config is in `docs/output.md`). Offsets are
//! code points of `data.text`.

use std::io::Write;

use serde::Serialize;

use crate::report::json::GENERATOR;
use crate::report::{Analysis, ReportWriter, Summary};

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
    score: f32,
}

#[derive(Serialize)]
struct RegionValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'static str; 1],
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
            predictions: [Prediction {
                model_version: GENERATOR,
                result: analysis
                    .spans
                    .iter()
                    .enumerate()
                    .map(|(i, s)| Region {
                        id: format!("{}-{}", doc.id, i + 1),
                        from_name: "technique",
                        to_name: "text",
                        kind: "labels",
                        value: RegionValue {
                            start: s.span.start,
                            end: s.span.end,
                            text: &s.text,
                            labels: [s.technique.label()],
                        },
                        score: s.confidence,
                    })
                    .collect(),
            }],
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
    use crate::report::testing::{render, TEXT};
    use crate::report::{Format, WriterOptions};

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
        let (start, end) = (second["value"]["start"].as_u64().unwrap() as usize, second["value"]["end"].as_u64().unwrap() as usize);
        assert_eq!(TEXT.chars().skip(start).take(end - start).collect::<String>(), "corrupt élite");
    }
}
