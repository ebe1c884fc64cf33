//! Output for people: a header with the document's score and its outlet's record, the article
//! with its spans highlighted, a legend that explains each technique present, the spans listed,
//! the claims with their sources and flags, and the counts,
//! rounded. Colour (ANSI) only when asked for — the CLI asks when stdout is a terminal — so piped
//! output is plain text, wrapped to [`WIDTH`] columns where unspin writes prose.

use std::collections::BTreeMap;
use std::io::Write;

use crate::claims::{ClaimBasis, SentenceClaims};
use crate::detect::Technique;
use crate::report::{source_label, Analysis, ReportWriter, Summary};

pub struct Terminal<W> {
    out: Visible<W>,
    color: bool,
    documents: usize,
}

impl<W: Write> Terminal<W> {
    pub fn new(out: W, color: bool) -> Self {
        Terminal { out: Visible(out), color, documents: 0 }
    }
}

/// What reaches the terminal: every write passes through here, and bidirectional controls
/// (embeddings, overrides, isolates, marks) and C1 control characters become U+FFFD. An article
/// can then neither reorder what the reader sees ("Trojan Source" text) nor send a terminal
/// command. C0 controls are already gone from the text (see [`crate::Document::new`]); unspin's
/// own colour codes are ASCII escapes and pass untouched. `write` always takes its whole buffer,
/// and `write!` hands it whole `str` pieces, so no character is ever split between two calls.
struct Visible<W>(W);

/// Whether a character could reorder or control what a terminal shows.
pub(crate) fn invisible_control(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}')
}

impl<W: Write> Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(s) if s.chars().any(invisible_control) => {
                let shown: String =
                    s.chars().map(|c| if invisible_control(c) { char::REPLACEMENT_CHARACTER } else { c }).collect();
                self.0.write_all(shown.as_bytes())?;
            }
            _ => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A 256-colour background per technique, picked to be told apart on dark and light terminals,
/// with black text on top.
fn background(t: Technique) -> u8 {
    match t {
        Technique::AppealToAuthority => 153,
        Technique::AppealToFearPrejudice => 210,
        Technique::BandwagonReductioAdHitlerum => 183,
        Technique::BlackAndWhiteFallacy => 250,
        Technique::CausalOversimplification => 222,
        Technique::Doubt => 117,
        Technique::ExaggerationMinimisation => 216,
        Technique::FlagWaving => 111,
        Technique::LoadedLanguage => 228,
        Technique::NameCallingLabeling => 218,
        Technique::Repetition => 157,
        Technique::Slogans => 186,
        Technique::ThoughtTerminatingCliches => 195,
        Technique::WhataboutismStrawMenRedHerring => 180,
    }
}

/// Columns for the legend's explanations: fits an 80-column terminal with room to spare.
pub const WIDTH: usize = 78;

/// Indent of a claim's sentence under its line of sources and flags.
const CLAIM_INDENT: &str = "       ";

/// Indent of an explanation under its legend line.
const EXPLAIN_INDENT: &str = "      ";

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn style(t: Technique, overlapped: bool) -> String {
    let underline = if overlapped { ";4" } else { "" };
    format!("\x1b[30;48;5;{}{underline}m", background(t))
}

impl<W: Write> Terminal<W> {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    /// The text with highlights: cut at every span boundary; each piece takes the colour of the
    /// innermost span over it (the one that started last) and is underlined where spans overlap.
    fn highlighted(&self, analysis: &Analysis) -> String {
        let text = &analysis.document.text;
        if !self.color || analysis.spans.is_empty() {
            return text.clone();
        }
        let mut cuts: Vec<usize> = analysis.spans.iter().flat_map(|s| [s.span.byte_start, s.span.byte_end]).collect();
        cuts.push(0);
        cuts.push(text.len());
        cuts.sort_unstable();
        cuts.dedup();
        let mut out = String::with_capacity(text.len() * 2);
        for pair in cuts.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            let piece = &text[from..to];
            let active: Vec<_> =
                analysis.spans.iter().filter(|s| s.span.byte_start <= from && to <= s.span.byte_end).collect();
            match active.iter().max_by_key(|s| s.span.byte_start) {
                None => out.push_str(piece),
                Some(inner) => {
                    // Keep line breaks outside the colour so the background does not run to the edge.
                    let code = style(inner.technique, active.len() > 1);
                    for (i, line) in piece.split('\n').enumerate() {
                        if i > 0 {
                            out.push('\n');
                        }
                        if !line.is_empty() {
                            out.push_str(&format!("{code}{line}{RESET}"));
                        }
                    }
                }
            }
        }
        out
    }
}

impl<W: Write> Terminal<W> {
    /// The claims section: each claim (and each insinuating question) with its source and
    /// flags, then the counts.
    fn claims(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        let claims = &analysis.claims;
        let text = &analysis.document.text;
        let shown: Vec<&SentenceClaims> =
            claims.sentences.iter().filter(|s| s.claim || s.insinuation.is_some()).collect();
        if !shown.is_empty() {
            let basis = match claims.basis {
                ClaimBasis::Checkworthy => "check-worthy sentences",
                ClaimBasis::Heuristic => "declarative sentences; no check-worthiness classifier",
            };
            writeln!(self.out, "{} {}", self.paint(BOLD, "Claims:"), self.paint(DIM, &format!("({basis})")))?;
        }
        for sc in shown {
            let Some(sentence) = analysis.segmentation.sentences.get(sc.sentence) else { continue };
            let mut line = vec![source_label(&sc.source)];
            if let Some(c) = sc.checkworthy {
                line.push(format!("check-worthy {c:.2}"));
            }
            if let Some(s) = sc.subjective {
                line.push(format!("subjective {s:.2}"));
            }
            if sc.hedged() {
                let cues: Vec<&str> = sc.hedges.iter().map(|h| h.text.as_str()).collect();
                line.push(format!("hedged ({})", cues.join(", ")));
            }
            if let Some(q) = &sc.insinuation {
                line.push(format!("insinuation ({})", q.text));
            }
            if sc.unattributed {
                line.push("unattributed".to_owned());
            }
            writeln!(self.out, "  {:>3}  {}", sc.sentence + 1, line.join(" · "))?;
            let body: String = sentence.span.text(text).split_whitespace().collect::<Vec<_>>().join(" ");
            let body = if body.chars().count() > 150 { format!("{}…", body.chars().take(149).collect::<String>()) } else { body };
            for line in wrap(&format!("“{body}”"), WIDTH - CLAIM_INDENT.len()) {
                writeln!(self.out, "{CLAIM_INDENT}{}", self.paint(DIM, &line))?;
            }
        }
        let s = &claims.summary;
        let subjective = match (s.subjective, s.subjective_share) {
            (Some(n), Some(share)) => format!("{n} subjective ({})", percent(share)),
            _ => "subjectivity n/a".to_owned(),
        };
        writeln!(
            self.out,
            "{} claims · {} attributed ({}: {} named, {} vague) · {} unattributed · {} quotes · {} hedges · {} insinuations · {subjective}",
            s.claims,
            s.attributed,
            percent(s.attributed_share),
            s.named,
            s.vague,
            s.unattributed,
            s.quotes,
            s.hedges,
            s.insinuations,
        )
    }
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// `text` cut into lines of at most `width` chars at spaces (greedy); a word longer than
/// `width` gets a line of its own rather than being broken.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if len > 0 && len + 1 + n > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += n;
    }
    if len > 0 {
        lines.push(line);
    }
    lines
}

impl<W: Write> ReportWriter for Terminal<W> {
    fn document(&mut self, analysis: &Analysis) -> std::io::Result<()> {
        if self.documents > 0 {
            writeln!(self.out)?;
        }
        self.documents += 1;
        let doc = &analysis.document;
        let meta = &doc.meta;
        let mut header = vec![doc.id.clone()];
        header.extend(meta.site.clone().or_else(|| meta.site_name.clone()));
        header.extend(meta.date.clone());
        header.extend(meta.language.clone());
        header.push(format!("score {:.2}", analysis.stats.score));
        let rule = "─".repeat(60);
        writeln!(self.out, "{}", self.paint(DIM, &rule))?;
        writeln!(self.out, "{}", self.paint(BOLD, &header.join(" · ")))?;
        if let Some(title) = &meta.title {
            writeln!(self.out, "{} {title}", self.paint(DIM, "title: "))?;
        }
        if let Some(byline) = &meta.byline {
            writeln!(self.out, "{} {byline}", self.paint(DIM, "byline:"))?;
        }
        if let Some(url) = &meta.url {
            writeln!(self.out, "{} {url}", self.paint(DIM, "url:   "))?;
        }
        // A path is not text unspin read: a file name may hold any control character.
        let source = crate::document::neutralize_controls(meta.source.clone());
        writeln!(self.out, "{} {source}", self.paint(DIM, "source:"))?;
        if let Some(outlet) = &analysis.claims.outlet {
            writeln!(self.out, "{} {outlet}", self.paint(DIM, "outlet:"))?;
        }
        writeln!(self.out, "{}", self.paint(DIM, &rule))?;
        writeln!(self.out, "{}", self.highlighted(analysis).trim_end())?;
        writeln!(self.out, "{}", self.paint(DIM, &rule))?;

        let stats = &analysis.stats;
        if !stats.techniques.is_empty() {
            writeln!(self.out, "{}", self.paint(BOLD, "Techniques:"))?;
            for entry in stats.legend() {
                let t = entry.technique;
                let swatch = if self.color { format!("{}  {RESET}", style(t, false)) } else { "■".to_owned() };
                writeln!(self.out, "  {swatch} {} ×{}", entry.name, entry.count)?;
                // The definition, then what it does to the reader after an arrow. Each line is
                // dimmed on its own, so no escape code spans a line break.
                let width = WIDTH - EXPLAIN_INDENT.len();
                let definition = wrap(entry.definition, width).into_iter().map(|l| (l, ""));
                let why = wrap(entry.why_it_matters, width - 2).into_iter().enumerate();
                let why = why.map(|(i, l)| (l, if i == 0 { "→ " } else { "  " }));
                for (line, mark) in definition.chain(why) {
                    writeln!(self.out, "{EXPLAIN_INDENT}{}", self.paint(DIM, &format!("{mark}{line}")))?;
                }
            }
            writeln!(self.out, "{}", self.paint(BOLD, "Spans:"))?;
            let width = analysis.spans.iter().map(|s| s.technique.name().chars().count()).max().unwrap_or(0);
            for (i, span) in analysis.spans.iter().enumerate() {
                let name = format!("{:width$}", span.technique.name());
                let shown: String = span.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let shown = if shown.chars().count() > 100 {
                    format!("{}…", shown.chars().take(99).collect::<String>())
                } else {
                    shown
                };
                writeln!(
                    self.out,
                    "  {:>3}  {}  {:>6}–{:<6} {:.2}  “{shown}”",
                    i + 1,
                    if self.color { format!("{}{name}{RESET}", style(span.technique, false)) } else { name },
                    span.span.start,
                    span.span.end,
                    span.confidence,
                )?;
            }
        }
        self.claims(analysis)?;
        writeln!(
            self.out,
            "{} paragraphs · {} sentences · {} words · {} spans · {} of the text and {} of sentences in spans",
            stats.paragraphs,
            stats.sentences,
            stats.words,
            stats.spans,
            percent(stats.span_char_share),
            percent(stats.span_sentence_share),
        )
    }

    fn error(&mut self, _error: &crate::Error) -> std::io::Result<()> {
        // Errors go to stderr from the front end; the page stays the article.
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> std::io::Result<()> {
        if summary.documents + summary.errors > 1 {
            let mut per: BTreeMap<&str, usize> = BTreeMap::new();
            for (t, n) in &summary.techniques {
                per.insert(t.name(), *n);
            }
            writeln!(self.out, "{}", self.paint(DIM, &"═".repeat(60)))?;
            writeln!(
                self.out,
                "{} {} documents · {} failed · {} sentences · {} words · {} spans · {} claims ({} attributed) · {} hedges · {} insinuations",
                self.paint(BOLD, "Total:"),
                summary.documents,
                summary.errors,
                summary.sentences,
                summary.words,
                summary.spans,
                summary.claims,
                summary.attributed,
                summary.hedges,
                summary.insinuations,
            )?;
            if !per.is_empty() {
                let list: Vec<String> = per.iter().map(|(name, n)| format!("{name} ×{n}")).collect();
                writeln!(self.out, "{} {}", self.paint(BOLD, "Techniques:"), list.join(", "))?;
            }
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{wrap, EXPLAIN_INDENT, WIDTH};
    use crate::detect::Technique;
    use crate::report::testing::{render, TEXT};
    use crate::report::{Format, WriterOptions};
    use super::{invisible_control, Terminal};
    use crate::report::ReportWriter;

    #[test]
    fn wrap_fills_lines_greedily_and_never_breaks_a_word() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("  élan  vital ", 10), ["élan vital"], "counts chars, not bytes");
        assert_eq!(wrap("a incomprehensibilities b", 5), ["a", "incomprehensibilities", "b"]);
        assert!(wrap(" ", 5).is_empty());
    }

    #[test]
    fn plain_output_keeps_the_text_and_lists_spans() {
        let out = render(Format::Text, &WriterOptions::default());
        assert!(!out.contains('\x1b'), "no escape codes when not colouring");
        assert!(out.contains(TEXT), "{out}");
        assert!(out.contains("\n701 · score 0.88\n"), "header with the score: {out}");
        // The legend: each technique with its count, then its explanation, indented and wrapped.
        let legend: Vec<&str> =
            out.lines().skip_while(|l| *l != "Techniques:").skip(1).take_while(|l| *l != "Spans:").collect();
        let names: Vec<&str> = legend.iter().filter(|l| l.starts_with("  ■ ")).copied().collect();
        assert_eq!(names, ["  ■ Flag-waving ×1", "  ■ Loaded language ×1", "  ■ Name calling / labeling ×1", "  ■ Repetition ×1"]);
        let flag: Vec<&str> = legend
            .iter()
            .skip(1)
            .take_while(|l| !l.starts_with("  ■ "))
            .map(|l| l.strip_prefix(EXPLAIN_INDENT).unwrap())
            .collect();
        assert!(flag.len() > 1, "wrapped: {flag:?}");
        assert!(flag.iter().all(|l| l.chars().count() + EXPLAIN_INDENT.len() <= WIDTH), "{flag:?}");
        // The definition, then the why after an arrow, its continuation lines aligned under it.
        let arrow = flag.iter().position(|l| l.starts_with("→ ")).unwrap();
        assert_eq!(flag[..arrow].join(" "), Technique::FlagWaving.definition());
        let why: Vec<&str> = flag[arrow..].iter().map(|l| l.strip_prefix("→ ").or(l.strip_prefix("  ")).unwrap()).collect();
        assert_eq!(why.join(" "), Technique::FlagWaving.why_it_matters());
        assert!(out.contains("“corrupt élite”"), "{out}");
        assert!(out.contains("“lied again and again”"), "{out}");
        assert!(out.contains("2 paragraphs · 2 sentences"), "{out}");
        assert!(out.contains("69.5% of the text"), "{out}");
    }

    #[test]
    fn bidi_and_c1_controls_never_reach_the_terminal() {
        // An override that would show "harbour" reversed, and a C1 CSI (a terminal command).
        let text = "The corrupt \u{202e}ruobrah\u{202c} sale \u{9b}31m was a lie.\n";
        let a = crate::Pipeline::new().analyze(crate::Document::new("b", text, crate::Metadata::default())).unwrap();
        let mut out = Vec::new();
        {
            let mut w = Terminal::new(&mut out, true);
            w.document(&a).unwrap();
        }
        let shown = String::from_utf8(out).unwrap();
        assert!(!shown.chars().any(invisible_control), "{shown:?}");
        assert!(shown.contains("\u{fffd}ruobrah\u{fffd} sale \u{fffd}31m"), "{shown}");
        // The document itself keeps the override (offsets, JSON and brat need the real text);
        // the C1 control was neutralised when the document was made.
        assert!(a.document.text.contains('\u{202e}') && !a.document.text.contains('\u{9b}'));
    }

    #[test]
    fn colour_output_highlights_spans() {
        let out = render(Format::Text, &WriterOptions { color: true, ..WriterOptions::default() });
        // Loaded language on "corrupt ", then the overlap with name calling underlined on "élite".
        assert!(out.contains("\x1b[30;48;5;228mcorrupt \x1b[0m"), "{out:?}");
        assert!(out.contains("\x1b[30;48;5;218;4mélite\x1b[0m"), "{out:?}");
        // Line breaks stay outside the colour.
        assert!(out.contains("\x1b[30;48;5;157mlied again\x1b[0m\n\x1b[30;48;5;157mand again\x1b[0m"), "{out:?}");
        // Explanations are dimmed line by line.
        let first = wrap(Technique::Repetition.definition(), WIDTH - EXPLAIN_INDENT.len()).remove(0);
        assert!(out.contains(&format!("\n{EXPLAIN_INDENT}\x1b[2m{first}")), "{out:?}");
        for line in out.lines().filter(|l| l.starts_with(EXPLAIN_INDENT)) {
            assert!(line.starts_with(&format!("{EXPLAIN_INDENT}\x1b[2m")) && line.ends_with("\x1b[0m"), "{line:?}");
        }
    }
}
