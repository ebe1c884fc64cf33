//! brat standoff: `T<n><TAB><type> <start> <end>[;<start> <end>…]<TAB><text>` lines.
//!
//! brat entity types may not contain `,`, so types are the technique labels with `,` written as
//! `__` (`Name_Calling__Labeling`); unspin reads them back either way. A span that crosses line
//! breaks is written as discontinuous fragments, one per line, because brat's text field cannot
//! hold a newline. With an output directory, each document becomes `<id>.txt` (the text the
//! offsets refer to) and `<id>.ann`, plus one `annotation.conf` naming the types; without one,
//! the single document's `.ann` goes to the output.
//!
//! After the technique entities come the claims stage's, numbered on from them:
//!
//! - `Claim` over each claim sentence, with the attributes `Source` (`Named`, `Vague`, `None`)
//!   and, for a claim resting on no source, `Unattributed`; an `AnnotatorNotes` line gives the
//!   speaker and, when a sentence scorer gave them, the check-worthiness and subjectivity scores;
//! - `Quote` over each direct quote (not scare quotes), its speaker in a note;
//! - `Speaker` and `Cue` for each speech cue, joined by a `Said` relation (`Arg1` the speaker,
//!   `Arg2` the cue) when the cue has a speaker; the cue's note gives its kind and source;
//! - `Hedge` over each hedge cue (noted when inside a quote) and `Insinuation` over the cue of an
//!   insinuating question.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use crate::claims::{Attribution, AttributionKind, SentenceClaims, Source, SourceKind};
use crate::detect::Technique;
use crate::offsets::Span;
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

/// Entity types for the claims stage, after the techniques in `annotation.conf`.
pub const CLAIM_TYPES: [&str; 6] = ["Claim", "Quote", "Hedge", "Insinuation", "Speaker", "Cue"];

/// Builds one `.ann` file, numbering each kind of line (`T`, `A`, `R`, `#`) on its own.
struct Ann<'t> {
    text: &'t str,
    out: String,
    entities: usize,
    attributes: usize,
    relations: usize,
    notes: usize,
}

impl<'t> Ann<'t> {
    fn new(text: &'t str) -> Self {
        Ann { text, out: String::new(), entities: 0, attributes: 0, relations: 0, notes: 0 }
    }

    /// A `T` line over `span`, cut into one fragment per line, since brat's text field cannot
    /// hold a line break. Returns its number, or `None` when the span covers no text (or, from
    /// a buggy stage, does not fit the text: better a missing line than a panic).
    fn entity(&mut self, kind: &str, span: Span) -> Option<usize> {
        let covered = self.text.get(span.bytes())?;
        let mut fragments = Vec::new();
        let mut char_pos = span.start;
        for piece in covered.split(['\n', '\r']) {
            let len = piece.chars().count();
            if len > 0 {
                fragments.push((char_pos, char_pos + len, piece));
            }
            char_pos += len + 1;
        }
        if fragments.is_empty() {
            return None;
        }
        self.entities += 1;
        let ranges: Vec<String> = fragments.iter().map(|(s, e, _)| format!("{s} {e}")).collect();
        let shown: Vec<&str> = fragments.iter().map(|(_, _, t)| *t).collect();
        self.out.push_str(&format!("T{}\t{kind} {}\t{}\n", self.entities, ranges.join(";"), shown.join(" ")));
        Some(self.entities)
    }

    /// An `A` line: a binary attribute when `value` is `None`.
    fn attribute(&mut self, name: &str, entity: usize, value: Option<&str>) {
        self.attributes += 1;
        let value = value.map(|v| format!(" {v}")).unwrap_or_default();
        self.out.push_str(&format!("A{}\t{name} T{entity}{value}\n", self.attributes));
    }

    fn relation(&mut self, kind: &str, arg1: usize, arg2: usize) {
        self.relations += 1;
        self.out.push_str(&format!("R{}\t{kind} Arg1:T{arg1} Arg2:T{arg2}\n", self.relations));
    }

    /// An `AnnotatorNotes` line; none for an empty note. Whitespace runs (line breaks in a
    /// speaker's name) become one space, as the note must stay on its line.
    fn note(&mut self, entity: usize, note: &str) {
        let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
        if note.is_empty() {
            return;
        }
        self.notes += 1;
        self.out.push_str(&format!("#{}\tAnnotatorNotes T{entity}\t{note}\n", self.notes));
    }
}

/// The `.ann` content for one analysis: technique spans first, then the claims stage's
/// sentences, quotes, cues and speakers.
pub fn annotations(analysis: &Analysis) -> String {
    let mut ann = Ann::new(&analysis.document.text);
    for span in &analysis.spans {
        ann.entity(&span.technique.brat_type(), span.span);
    }
    claims(&mut ann, analysis);
    ann.out
}

/// Per sentence: the claim (with its source as attributes and its speaker and scores in a
/// note), the quotes that start there, each speech cue with its speaker, hedges and the
/// insinuation cue.
fn claims(ann: &mut Ann, analysis: &Analysis) {
    let claims = &analysis.claims;
    for sc in &claims.sentences {
        if sc.claim {
            if let Some(sentence) = analysis.segmentation.sentences.get(sc.sentence) {
                if let Some(t) = ann.entity("Claim", sentence.span) {
                    let value = match sc.source.kind {
                        SourceKind::Named => "Named",
                        SourceKind::Vague => "Vague",
                        SourceKind::None => "None",
                    };
                    ann.attribute("Source", t, Some(value));
                    if sc.unattributed {
                        ann.attribute("Unattributed", t, None);
                    }
                    ann.note(t, &claim_note(sc));
                }
            }
        }
        for quote in claims.quotes_starting_in(sc) {
            if let Some(t) = ann.entity("Quote", quote.span) {
                ann.note(t, &quote_note(&quote.source));
            }
        }
        for a in &sc.attributions {
            let speaker = a.speaker.as_ref().and_then(|s| ann.entity("Speaker", s.span));
            if let (Some(t), Some(who)) = (speaker, &a.resolved) {
                ann.note(t, &format!("stands for {who}"));
            }
            let cue = ann.entity("Cue", a.cue.span);
            if let Some(t) = cue {
                ann.note(t, &cue_note(a));
            }
            if let (Some(s), Some(c)) = (speaker, cue) {
                ann.relation("Said", s, c);
            }
        }
        for hedge in &sc.hedges {
            if let Some(t) = ann.entity("Hedge", hedge.span) {
                if hedge.quoted {
                    ann.note(t, "inside a quote: the speaker's hedge, not the writer's");
                }
            }
        }
        if let Some(cue) = &sc.insinuation {
            ann.entity("Insinuation", cue.span);
        }
    }
}

/// `speaker: Maria Lopez; check-worthy 0.87; subjective 0.12`: what the claim's attributes
/// cannot hold. Scores only when the scorer gave them.
fn claim_note(sc: &SentenceClaims) -> String {
    let mut parts = Vec::new();
    if let Some(who) = &sc.source.speaker {
        parts.push(format!("speaker: {who}"));
    }
    if let Some(from) = sc.source.carried_from {
        parts.push(format!("carried from sentence {}", from + 1));
    }
    if let Some(c) = sc.checkworthy {
        parts.push(format!("check-worthy {c:.2}"));
    }
    if let Some(s) = sc.subjective {
        parts.push(format!("subjective {s:.2}"));
    }
    parts.join("; ")
}

/// `speaker: Maria Lopez (named)`, `vague source`; nothing for a quote with no source.
fn quote_note(source: &Source) -> String {
    if source.kind == SourceKind::None {
        return String::new();
    }
    let kind = source.kind.as_str();
    let mut note = match &source.speaker {
        Some(who) => format!("speaker: {who} ({kind})"),
        None => format!("{kind} source"),
    };
    if let Some(from) = source.carried_from {
        note.push_str(&format!("; carried from sentence {}", from + 1));
    }
    note
}

/// `verb, named`: the kind of cue and of the source it gives.
fn cue_note(a: &Attribution) -> String {
    let kind = match a.kind {
        AttributionKind::Verb => "verb",
        AttributionKind::AccordingTo => "according to",
        AttributionKind::Passive => "passive",
        AttributionKind::Adverb => "adverb",
    };
    let source = if a.source == SourceKind::None { "no source" } else { a.source.as_str() };
    format!("{kind}, {source}")
}

/// `annotation.conf` declaring every technique and claims type as an entity, the speaker–cue
/// relation and the claim attributes.
pub fn annotation_conf() -> String {
    let mut conf = String::from("[entities]\n");
    for t in Technique::ALL {
        conf.push_str(&t.brat_type());
        conf.push('\n');
    }
    for kind in CLAIM_TYPES {
        conf.push_str(kind);
        conf.push('\n');
    }
    conf.push_str("\n[relations]\nSaid Arg1:Speaker, Arg2:Cue\n\n[events]\n\n[attributes]\n");
    conf.push_str("Source Arg:Claim, Value:Named|Vague|None\nUnattributed Arg:Claim\n");
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
    use crate::detect::TechniqueSpan;
    use crate::report::testing::{analysis, chars, claims_analysis, render, CLAIMS_TEXT, TEXT};
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

    /// Every `T` line's text field is the text at its offsets (fragments joined by a space).
    fn check_entity_texts(ann: &str, text: &str) {
        for line in ann.lines().filter(|l| l.starts_with('T')) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "{line}");
            let (_, ranges) = fields[1].split_once(' ').unwrap();
            let pieces: Vec<String> = ranges
                .split(';')
                .map(|r| {
                    let (s, e) = r.split_once(' ').unwrap();
                    chars(text, s.parse().unwrap(), e.parse().unwrap())
                })
                .collect();
            assert_eq!(pieces.join(" "), fields[2], "{line}");
        }
    }

    #[test]
    fn claims_become_entities_attributes_notes_and_relations() {
        let ann = annotations(&claims_analysis());
        assert_eq!(
            ann,
            "T1\tClaim 27 114\t“We have secured the best terms in a generation,” said Maria Lopez, the trade minister.\n\
             A1\tSource T1 Named\n\
             #1\tAnnotatorNotes T1\tspeaker: Maria Lopez\n\
             T2\tQuote 28 75\tWe have secured the best terms in a generation,\n\
             #2\tAnnotatorNotes T2\tspeaker: Maria Lopez (named)\n\
             T3\tSpeaker 82 93\tMaria Lopez\n\
             T4\tCue 77 81\tsaid\n\
             #3\tAnnotatorNotes T4\tverb, named\n\
             R1\tSaid Arg1:T3 Arg2:T4\n\
             T5\tClaim 115 193\tAccording to sources close to the ministry, the contract was signed in secret.\n\
             A2\tSource T5 Vague\n\
             #4\tAnnotatorNotes T5\tspeaker: sources close to the ministry\n\
             T6\tSpeaker 128 157\tsources close to the ministry\n\
             T7\tCue 115 127\tAccording to\n\
             #5\tAnnotatorNotes T7\taccording to, vague\n\
             R2\tSaid Arg1:T6 Arg2:T7\n\
             T8\tClaim 194 255\tThe port authority has reportedly lost millions on the lease.\n\
             A3\tSource T8 Vague\n\
             T9\tCue 217 227\treportedly\n\
             #6\tAnnotatorNotes T9\tadverb, vague\n\
             T10\tHedge 217 227\treportedly\n\
             T11\tInsinuation 256 266\tWho really\n\
             T12\tClaim 287 327;328 352\tThe lease will run for ninety-nine years and cannot be cancelled.\n\
             A4\tSource T12 None\n\
             A5\tUnattributed T12\n"
        );
        check_entity_texts(&ann, CLAIMS_TEXT);
        // The scare quote “deal” is a quoted term, not speech, and the question is no claim.
        assert_eq!(chars(CLAIMS_TEXT, 9, 13), "deal");
        assert!(!ann.contains(" 9 13\t"));
        assert!(!ann.contains("Claim 256 "));
    }

    #[test]
    fn technique_and_claim_lines_share_one_numbering() {
        let mut a = claims_analysis();
        let techniques = analysis();
        // A technique span over "According to", which is also a speech cue.
        a.spans = vec![TechniqueSpan { span: a.claims.sentences[2].attributions[0].cue.span, ..techniques.spans[1].clone() }];
        a.claims.sentences[5].checkworthy = Some(0.873);
        a.claims.sentences[5].subjective = Some(0.124);
        let ann = annotations(&a);
        let lines: Vec<&str> = ann.lines().collect();
        assert_eq!(lines[0], "T1\tLoaded_Language 115 127\tAccording to");
        assert_eq!(lines[1], "T2\tClaim 27 114\t“We have secured the best terms in a generation,” said Maria Lopez, the trade minister.");
        let ids: Vec<&str> = lines.iter().filter_map(|l| l.split('\t').next()).collect();
        let unique: HashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ann}");
        // Scores, when the scorer gave them, go into the claim's note, two decimals.
        assert!(ann.ends_with("A5\tUnattributed T13\n#7\tAnnotatorNotes T13\tcheck-worthy 0.87; subjective 0.12\n"), "{ann}");
        check_entity_texts(&ann, CLAIMS_TEXT);
    }

    #[test]
    fn a_quoted_hedge_is_noted_as_the_speakers() {
        let text = "“The deal may have been rushed,” said Maria Lopez.";
        let a = crate::Pipeline::new().analyze(crate::Document::new("q", text, crate::Metadata::default())).unwrap();
        let ann = annotations(&a);
        let hedge = ann.lines().position(|l| l.starts_with('T') && l.contains("\tHedge ")).unwrap();
        let lines: Vec<&str> = ann.lines().collect();
        let t = lines[hedge].split('\t').next().unwrap();
        assert_eq!(lines[hedge], format!("{t}\tHedge 10 18\tmay have"));
        assert_eq!(lines[hedge + 1].split_once('\t').unwrap().1, format!("AnnotatorNotes {t}\tinside a quote: the speaker's hedge, not the writer's"));
        check_entity_texts(&ann, text);
    }

    #[test]
    fn zero_width_and_bidi_characters_keep_every_offset_exact() {
        // A zero-width space, a joiner and a right-to-left override inside spans: brat counts
        // characters, so each is one, and every entity still slices the .txt to its own text.
        let text = "“The\u{200b} deal may have been \u{202e}rushed\u{202c},” said Maria\u{200d} Lopez.";
        let a = crate::Pipeline::new().analyze(crate::Document::new("z", text, crate::Metadata::default())).unwrap();
        let ann = annotations(&a);
        assert!(ann.contains("\tHedge ") && ann.contains("\tQuote "), "{ann}");
        assert!(ann.contains("Maria\u{200d} Lopez"), "the joiner stays in the speaker: {ann}");
        check_entity_texts(&ann, text);
    }

    #[test]
    fn conf_declares_claim_types_relation_and_attributes() {
        let conf = annotation_conf();
        let section = |name: &str| -> Vec<String> {
            let start = conf.find(&format!("[{name}]\n")).unwrap() + name.len() + 3;
            conf[start..].lines().take_while(|l| !l.starts_with('[')).filter(|l| !l.is_empty()).map(str::to_owned).collect()
        };
        let entities = section("entities");
        assert_eq!(entities.len(), Technique::ALL.len() + CLAIM_TYPES.len());
        assert_eq!(entities[Technique::ALL.len()..], ["Claim", "Quote", "Hedge", "Insinuation", "Speaker", "Cue"]);
        assert_eq!(section("relations"), ["Said Arg1:Speaker, Arg2:Cue"]);
        assert_eq!(section("attributes"), ["Source Arg:Claim, Value:Named|Vague|None", "Unattributed Arg:Claim"]);
        // Every type an .ann uses is declared.
        for line in annotations(&claims_analysis()).lines().filter(|l| l.starts_with('T')) {
            let kind = line.split(['\t', ' ']).nth(1).unwrap();
            assert!(entities.iter().any(|e| e == kind), "{kind} undeclared");
        }
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
