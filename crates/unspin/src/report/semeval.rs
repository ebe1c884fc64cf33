//! SemEval-2020 Task 11 output: `article_id<TAB>technique<TAB>start<TAB>end`, char offsets, end
//! exclusive — the FLC/TC format the organizers' scorers read. Technique spans only: the claims
//! stage is not part of that format, and a scorer would reject extra lines.

use std::io::Write;

use crate::report::{Analysis, ReportWriter, Summary};

pub struct Semeval<W> {
    out: W,
}

impl<W: Write> Semeval<W> {
    pub fn new(out: W) -> Self {
        Semeval { out }
    }
}

impl<W: Write> ReportWriter for Semeval<W> {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        for span in &analysis.spans {
            writeln!(
                self.out,
                "{}\t{}\t{}\t{}",
                analysis.document.id,
                span.technique.label(),
                span.span.start,
                span.span.end
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use crate::report::testing::{render, TEXT};
    use crate::report::{Format, WriterOptions};

    #[test]
    fn lines_with_char_offsets() {
        let out = render(Format::Semeval, &WriterOptions::default());
        assert_eq!(
            out,
            "701\tFlag-Waving\t0\t8\n701\tLoaded_Language\t24\t37\n701\tName_Calling,Labeling\t32\t37\n701\tRepetition\t38\t58\n"
        );
        // Char offsets, not bytes: the text before "corrupt" holds multi-byte characters.
        let chars: String = TEXT.chars().skip(24).take(13).collect();
        assert_eq!(chars, "corrupt élite");
    }
}
