//! brat standoff: `T<n><TAB><type> <start> <end>[;<start> <end>…]<TAB><text>` lines.
//!
//! brat entity types may not contain `,`, so types are the technique labels with `,` written as
//! `__` (`Name_Calling__Labeling`); unspin reads them back either way. A span that crosses line
//! breaks is written as discontinuous fragments, one per line, because brat's text field cannot
//! hold a newline. With an output directory, each document becomes `<id>.txt` (the text the
//! offsets refer to) and `<id>.ann`, plus one `annotation.conf` naming the types; without one,
//! the single document's `.ann` goes to the output.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use crate::detect::Technique;
use crate::report::{Analysis, ReportWriter, Summary};

pub struct Brat<W> {
    out: W,
    dir: Option<PathBuf>,
    documents: usize,
    /// File stems written so far: two documents with the same id must not overwrite each other.
    stems: HashSet<String>,
}

impl<W: Write> Brat<W> {
    pub fn new(out: W, dir: Option<PathBuf>) -> Self {
        Brat { out, dir, documents: 0, stems: HashSet::new() }
    }
}

/// The `.ann` content for one analysis.
pub fn annotations(analysis: &Analysis) -> String {
    let text = &analysis.document.text;
    let mut ann = String::new();
    for (i, span) in analysis.spans.iter().enumerate() {
        // Fragments: the span cut at line breaks, each trimmed of nothing (offsets stay exact).
        let mut fragments = Vec::new();
        let mut char_pos = span.span.start;
        for piece in span.text.split('\n') {
            let len = piece.chars().count();
            if len > 0 {
                fragments.push((char_pos, char_pos + len, piece));
            }
            char_pos += len + 1;
        }
        if fragments.is_empty() {
            continue;
        }
        let ranges: Vec<String> = fragments.iter().map(|(s, e, _)| format!("{s} {e}")).collect();
        let shown: Vec<&str> = fragments.iter().map(|(_, _, t)| *t).collect();
        ann.push_str(&format!("T{}\t{} {}\t{}\n", i + 1, span.technique.brat_type(), ranges.join(";"), shown.join(" ")));
        debug_assert!(fragments.iter().all(|(s, e, t)| text.chars().skip(*s).take(e - s).eq(t.chars())));
    }
    ann
}

/// `annotation.conf` declaring every technique as an entity type.
pub fn annotation_conf() -> String {
    let mut conf = String::from("[entities]\n");
    for t in Technique::ALL {
        conf.push_str(&t.brat_type());
        conf.push('\n');
    }
    conf.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    conf
}

/// A file name from a document id: path separators and other awkward characters become `_`.
fn file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    match stem.trim_start_matches('.') {
        "" => "document".to_owned(),
        s => s.to_owned(),
    }
}

impl<W: Write> ReportWriter for Brat<W> {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        self.documents += 1;
        let ann = annotations(analysis);
        let Some(dir) = &self.dir else {
            if self.documents > 1 {
                return Err(std::io::Error::other(
                    "brat output of several documents needs --out-dir (one .txt/.ann pair per document)",
                ));
            }
            return self.out.write_all(ann.as_bytes());
        };
        if self.documents == 1 {
            std::fs::create_dir_all(dir)?;
            std::fs::write(dir.join("annotation.conf"), annotation_conf())?;
        }
        let base = file_stem(&analysis.document.id);
        let mut stem = base.clone();
        let mut n = 1;
        while !self.stems.insert(stem.clone()) {
            n += 1;
            stem = format!("{base}-{n}");
        }
        std::fs::write(dir.join(format!("{stem}.txt")), &analysis.document.text)?;
        std::fs::write(dir.join(format!("{stem}.ann")), ann)?;
        writeln!(self.out, "{}", dir.join(format!("{stem}.ann")).display())
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::testing::{analysis, render, TEXT};
    use crate::report::{Format, WriterOptions};

    #[test]
    fn ann_lines_split_at_line_breaks() {
        let out = render(Format::Brat, &WriterOptions::default());
        assert_eq!(
            out,
            "T1\tFlag-Waving 0 8\tPatriots\n\
             T2\tLoaded_Language 24 37\tcorrupt élite\n\
             T3\tName_Calling__Labeling 32 37\télite\n\
             T4\tRepetition 38 48;49 58\tlied again and again\n"
        );
        let chars: Vec<char> = TEXT.chars().collect();
        assert_eq!(chars[38..48].iter().collect::<String>(), "lied again");
        assert_eq!(chars[49..58].iter().collect::<String>(), "and again");
    }

    #[test]
    fn directory_gets_txt_ann_and_conf() {
        let dir = tempfile::tempdir().unwrap();
        let mut listing = Vec::new();
        {
            let mut brat = Brat::new(&mut listing, Some(dir.path().to_owned()));
            brat.document(&analysis()).unwrap();
            brat.document(&analysis()).unwrap();
            brat.finish(&Summary::default()).unwrap();
        }
        assert_eq!(std::fs::read_to_string(dir.path().join("701.txt")).unwrap(), TEXT);
        assert!(std::fs::read_to_string(dir.path().join("701.ann")).unwrap().starts_with("T1\tFlag-Waving 0 8\tPatriots\n"));
        assert!(dir.path().join("701-2.ann").exists(), "same id twice must not overwrite");
        let conf = std::fs::read_to_string(dir.path().join("annotation.conf")).unwrap();
        assert!(conf.contains("\nWhataboutism__Straw_Men__Red_Herring\n"));
    }

    #[test]
    fn several_documents_without_a_directory_is_an_error() {
        let mut out = Vec::new();
        let mut brat = Brat::new(&mut out, None);
        brat.document(&analysis()).unwrap();
        let err = brat.document(&analysis()).unwrap_err();
        assert!(err.to_string().contains("needs --out-dir"));
    }

    #[test]
    fn stems_are_safe_file_names() {
        assert_eq!(file_stem("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem("urn:uuid:1234"), "urn_uuid_1234");
        assert_eq!(file_stem(""), "document");
    }
}
