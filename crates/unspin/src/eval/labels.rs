//! Reading and writing PTC label files (SemEval-2020 Task 11).
//!
//! Three line formats, tab-separated, no header, offsets in Unicode code points with `end`
//! exclusive:
//!
//! | reader | line | used for |
//! |---|---|---|
//! | [`parse_si`] / [`read_si`] | `article_id  start  end` | SI gold and predictions |
//! | [`parse_tc`] / [`read_tc`] | `article_id  technique  start  end` | FLC and TC gold and predictions |
//! | [`parse_template`] / [`read_template`] | `article_id  ?  start  end` | the TC template: spans whose technique is to be predicted; the second column is a placeholder and is not read |
//!
//! `read_*` take a combined labels file or a directory of per-article files (`*.labels`, as the
//! organizers distribute them). Empty lines are skipped and trailing whitespace (a `\r`, stray
//! spaces) is ignored; every other malformed line is an [`Error::Labels`] naming the file and the
//! line. A span must hold at least one character (`start < end`): an empty span has no
//! characters to give credit for.
//!
//! [`write_tc`] writes a TC prediction file in the order of a template, which is what the TC
//! scorer and the shared-task submission expect.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::detect::Technique;
use crate::error::{Error, Origin, Result};

/// A span of one article as a label file gives it: code points, `end` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleSpan {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

impl ArticleSpan {
    /// Length in code points (at least 1 for spans read by this module).
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start >= self.end
    }
}

/// Writes the SI line, without the newline: `article_id<TAB>start<TAB>end`.
impl fmt::Display for ArticleSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}\t{}", self.article, self.start, self.end)
    }
}

/// A span with its technique: one line of an FLC/TC file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TechniqueLabel {
    pub span: ArticleSpan,
    pub technique: Technique,
}

/// Writes the TC line, without the newline: `article_id<TAB>technique<TAB>start<TAB>end`.
impl fmt::Display for TechniqueLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\t{}\t{}\t{}", self.span.article, self.technique.label(), self.span.start, self.span.end)
    }
}

/// SI lines of `content`, read from `path` (which only names the file in errors).
pub fn parse_si(path: &Path, content: &str) -> Result<Vec<ArticleSpan>> {
    parse_lines(path, content, |fields, bad| match fields {
        [id, start, end] => span(id, start, end, bad),
        _ => Err(bad(format!(
            "expected 3 tab-separated fields (article_id, start, end), found {}{}",
            fields.len(),
            if fields.len() == 4 { " (a file with a technique column is read as FLC or TC)" } else { "" }
        ))),
    })
}

/// FLC/TC lines of `content`, read from `path` (which only names the file in errors).
pub fn parse_tc(path: &Path, content: &str) -> Result<Vec<TechniqueLabel>> {
    parse_lines(path, content, |fields, bad| match fields {
        [id, technique, start, end] => {
            let technique = technique.parse::<Technique>().map_err(|e| bad(e.to_string()))?;
            Ok(TechniqueLabel { span: span(id, start, end, bad)?, technique })
        }
        _ => Err(bad(format!(
            "expected 4 tab-separated fields (article_id, technique, start, end), found {}",
            fields.len()
        ))),
    })
}

/// TC template lines of `content` (the second column is a placeholder, commonly `?`, and is
/// ignored), in file order.
pub fn parse_template(path: &Path, content: &str) -> Result<Vec<ArticleSpan>> {
    parse_lines(path, content, |fields, bad| match fields {
        [id, _placeholder, start, end] => span(id, start, end, bad),
        _ => Err(bad(format!(
            "expected 4 tab-separated fields (article_id, placeholder, start, end), found {}",
            fields.len()
        ))),
    })
}

/// SI labels from a combined file or a directory of `*.labels` files.
pub fn read_si(path: &Path) -> Result<Vec<ArticleSpan>> {
    read_with(path, parse_si)
}

/// FLC/TC labels from a combined file or a directory of `*.labels` files.
pub fn read_tc(path: &Path) -> Result<Vec<TechniqueLabel>> {
    read_with(path, parse_tc)
}

/// A TC template from a combined file or a directory of `*.labels` files, in file order (files
/// in name order).
pub fn read_template(path: &Path) -> Result<Vec<ArticleSpan>> {
    read_with(path, parse_template)
}

/// Write one TC line per template span, in template order, with the technique `technique(i,
/// span)` gives the `i`-th span. Spans listed twice in the template (a span with two techniques)
/// get a line each.
pub fn write_tc<W: Write>(
    mut out: W,
    template: &[ArticleSpan],
    mut technique: impl FnMut(usize, &ArticleSpan) -> Technique,
) -> std::io::Result<()> {
    for (i, span) in template.iter().enumerate() {
        let t = technique(i, span);
        writeln!(out, "{}\t{}\t{}\t{}", span.article, t.label(), span.start, span.end)?;
    }
    out.flush()
}

/// The files `path` stands for: itself, or the `*.labels` files directly inside it, sorted by
/// name so that results never depend on directory order.
pub fn label_files(path: &Path) -> Result<Vec<PathBuf>> {
    let io = |source| Error::Io { origin: Origin::file(path), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        let file = entry.path();
        if file.extension().is_some_and(|e| e == "labels") && file.is_file() {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(Error::NoLabelFiles { path: path.to_owned() });
    }
    files.sort();
    Ok(files)
}

fn read_with<T>(path: &Path, parse: fn(&Path, &str) -> Result<Vec<T>>) -> Result<Vec<T>> {
    let mut all = Vec::new();
    for file in label_files(path)? {
        let content =
            std::fs::read_to_string(&file).map_err(|source| Error::Io { origin: Origin::file(&file), source })?;
        all.extend(parse(&file, &content)?);
    }
    Ok(all)
}

type Bad<'a> = &'a dyn Fn(String) -> Error;

/// Run `line` on the tab-separated fields of every non-empty line.
fn parse_lines<T>(
    path: &Path,
    content: &str,
    line: impl Fn(&[&str], Bad<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for (i, text) in content.lines().enumerate() {
        // Files edited on Windows or by hand end lines in `\r` or spaces; neither is a field.
        let text = text.trim_end();
        if text.is_empty() {
            continue;
        }
        let bad = |message: String| Error::Labels { path: path.to_owned(), line: i + 1, message };
        let fields: Vec<&str> = text.split('\t').collect();
        out.push(line(&fields, &bad)?);
    }
    Ok(out)
}

fn span(id: &str, start: &str, end: &str, bad: Bad<'_>) -> Result<ArticleSpan> {
    let article = id.trim();
    if article.is_empty() {
        return Err(bad("empty article id".to_owned()));
    }
    let offset = |s: &str| {
        s.trim().parse::<usize>().map_err(|_| bad(format!("{s:?} is not an offset (a whole number of characters)")))
    };
    let (start, end) = (offset(start)?, offset(end)?);
    if start > end {
        return Err(bad(format!("start {start} is after end {end}")));
    }
    if start == end {
        return Err(bad(format!("empty span: start and end are both {start}")));
    }
    Ok(ArticleSpan { article: article.to_owned(), start, end })
}

/// Test helper: labels from `(article, technique, start, end)` tuples.
#[cfg(test)]
pub(crate) fn labels_of(list: &[(&str, Technique, usize, usize)]) -> Vec<TechniqueLabel> {
    list.iter()
        .map(|&(a, technique, start, end)| TechniqueLabel { span: ArticleSpan { article: a.to_owned(), start, end }, technique })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(article: &str, start: usize, end: usize) -> ArticleSpan {
        ArticleSpan { article: article.to_owned(), start, end }
    }

    #[test]
    fn si_lines() {
        let spans = parse_si(Path::new("g.labels"), "111\t10\t20\n\n111\t5\t8  \r\n222\t0\t1").unwrap();
        assert_eq!(spans, [at("111", 10, 20), at("111", 5, 8), at("222", 0, 1)]);
        assert_eq!(spans[0].to_string(), "111\t10\t20");
    }

    #[test]
    fn tc_labels_with_commas_and_template_placeholders() {
        let labels =
            parse_tc(Path::new("g.labels"), "7\tName_Calling,Labeling\t3\t9\n7\tWhataboutism,Straw_Men,Red_Herring\t3\t9\n")
                .unwrap();
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[0].technique, Technique::NameCallingLabeling);
        assert_eq!(labels[1].technique, Technique::WhataboutismStrawMenRedHerring);
        assert_eq!(labels[0].to_string(), "7\tName_Calling,Labeling\t3\t9");

        let template = parse_template(Path::new("t.labels"), "7\t?\t3\t9\n7\tPLACEHOLDER\t3\t9\n8\t?\t0\t4\n").unwrap();
        assert_eq!(template, [at("7", 3, 9), at("7", 3, 9), at("8", 0, 4)]);
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let err = |r: Result<Vec<ArticleSpan>>| r.unwrap_err().to_string();
        let p = Path::new("x.labels");
        assert_eq!(err(parse_si(p, "1\t0\t4\n1\t4\n")), "x.labels:2: expected 3 tab-separated fields (article_id, start, end), found 2");
        assert!(err(parse_si(p, "1\tDoubt\t0\t4\n")).ends_with("found 4 (a file with a technique column is read as FLC or TC)"));
        assert_eq!(err(parse_si(p, "1\t9\t4\n")), "x.labels:1: start 9 is after end 4");
        assert_eq!(err(parse_si(p, "\n1\t4\t4\n")), "x.labels:2: empty span: start and end are both 4");
        assert_eq!(err(parse_si(p, "1\t-3\t4\n")), "x.labels:1: \"-3\" is not an offset (a whole number of characters)");
        assert_eq!(err(parse_si(p, "\t0\t4\n")), "x.labels:1: empty article id");
        assert_eq!(err(parse_template(p, "1\t0\t4\n")), "x.labels:1: expected 4 tab-separated fields (article_id, placeholder, start, end), found 3");

        let err = parse_tc(p, "1\tDoubt\t0\t4\n1\tSpin\t0\t4\n").unwrap_err().to_string();
        assert!(err.starts_with("x.labels:2: unknown technique \"Spin\""), "{err}");
        let err = parse_tc(p, "1\t0\t4\n").unwrap_err().to_string();
        assert_eq!(err, "x.labels:1: expected 4 tab-separated fields (article_id, technique, start, end), found 3");
    }

    #[test]
    fn a_directory_reads_its_labels_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article2.task-si.labels"), "2\t0\t5\n").unwrap();
        std::fs::write(dir.path().join("article1.task-si.labels"), "1\t3\t4\n1\t0\t2\n").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not labels").unwrap();
        assert_eq!(read_si(dir.path()).unwrap(), [at("1", 3, 4), at("1", 0, 2), at("2", 0, 5)]);

        let empty = tempfile::tempdir().unwrap();
        let err = read_si(empty.path()).unwrap_err();
        assert!(matches!(err, Error::NoLabelFiles { .. }), "{err}");
        let err = read_tc(&dir.path().join("missing.labels")).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(err.to_string().contains("missing.labels"), "{err}");
    }

    #[test]
    fn tc_lines_follow_the_template() {
        let template = [at("9", 4, 8), at("3", 0, 2), at("3", 0, 2)];
        let techniques = [Technique::Doubt, Technique::Slogans, Technique::FlagWaving];
        let mut out = Vec::new();
        write_tc(&mut out, &template, |i, _| techniques[i]).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(out, "9\tDoubt\t4\t8\n3\tSlogans\t0\t2\n3\tFlag-Waving\t0\t2\n");
        // What is written reads back as the same spans with those techniques.
        let back = parse_tc(Path::new("out"), &out).unwrap();
        let spans: Vec<_> = back.iter().map(|l| l.span.clone()).collect();
        assert_eq!(spans, template);
        assert_eq!(back.iter().map(|l| l.technique).collect::<Vec<_>>(), techniques);
    }
}
