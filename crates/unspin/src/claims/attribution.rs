//! Who a statement rests on: speech cues ("said", "told reporters", "according to", "it was
//! reported") with their speaker, and the speaker sorted into a named or a vague source.
//!
//! Rule-based and English only. The rules work on the segmenter's word tokens of one paragraph,
//! outside direct quotes (a cue inside a quote is the quoted person speaking). A speaker never
//! reaches across the end of its sentence as the segmenter cut it; inside a sentence, a period
//! after a short capitalised word ("U.S.", "Dr.", "Inc.") stays in the name. A capitalised word
//! inside a sentence is a name, never a speech verb ("Secretary of State"):
//!
//! - **Speech verb** (`said`, `told`, `stated`, `claimed`, `confirmed`, `believe`, …): the
//!   speaker is the noun phrase to its left, read back to the nearest comma, quote mark,
//!   conjunction or relative word, at most [`MAX_SPEAKER_WORDS`] words, after skipping
//!   auxiliaries and adverbs ("has repeatedly said"); a determiner inside it that does not follow
//!   a preposition starts it ("On Tuesday the embassy said" → "the embassy"). With nothing to the
//!   left but a comma or a closing quote, the speaker is read to the right instead: `"…," said
//!   John Smith`. `told reporters` / `told journalists` / `told the press` are one cue.
//! - **`according to`**: the speaker is read to the right.
//! - **Passive** (`it was reported`, `it is believed`, `is said to`, `we are told`) and the
//!   adverbs `reportedly`, `allegedly`, `purportedly`: a vague source with no speaker.
//!
//! A speaker is **vague** when its head noun is a faceless group or channel (`sources`,
//! `officials`, `experts`, `reports`, `intelligence`, `critics`, `some`, …) — even with a name
//! nearby ("sources close to the Ministry of Defence", "US officials"); **named** when it holds
//! a capitalised word ("Sergei Lavrov", "the Ministry of Defence", "Moscow") or is a definite
//! institution or office ("the embassy", "the ministry's spokesman"); a **pronoun** ("he",
//! "they") is resolved by the caller from the sentences before. Anything else is vague.

use std::ops::Range;

use super::AttributionKind;
use crate::segment::{Token, TokenKind};

/// Longest speaker, in words (punctuation such as the periods of "U.S." not counted).
pub const MAX_SPEAKER_WORDS: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Speaker {
    Named,
    Vague,
    /// A personal pronoun: to be resolved from earlier sentences.
    Pronoun,
}

/// One cue, as byte offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawAttribution {
    pub kind: AttributionKind,
    pub cue: Range<usize>,
    pub speaker: Option<Range<usize>>,
    pub class: Speaker,
    /// Bytes from the first to the last token of cue and speaker together.
    pub extent: Range<usize>,
}

const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "stated",
    "states",
    "claimed",
    "claims",
    "claim",
    "announced",
    "announces",
    "added",
    "adds",
    "noted",
    "notes",
    "insisted",
    "insists",
    "argued",
    "argues",
    "warned",
    "warns",
    "reported",
    "reports",
    "report",
    "confirmed",
    "confirms",
    "confirm",
    "denied",
    "denies",
    "deny",
    "alleged",
    "alleges",
    "allege",
    "explained",
    "explains",
    "wrote",
    "writes",
    "tweeted",
    "tweets",
    "posted",
    "suggested",
    "suggests",
    "suggest",
    "believes",
    "believe",
    "believed",
    "asserted",
    "asserts",
    "declared",
    "declares",
    "maintained",
    "maintains",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "revealed",
    "reveals",
    "reveal",
    "testified",
    "stressed",
    "emphasised",
    "emphasized",
    "contended",
    "contends",
    "estimated",
    "estimates",
    "predicted",
    "predicts",
    "concluded",
    "concludes",
    "asked",
    "replied",
    "accused",
    "accuses",
    "accuse",
    "expects",
    "expect",
    "responded",
    // Base forms, for plural speakers ("Officials insist", "Critics argue").
    "state",
    "insist",
    "argue",
    "warn",
    "note",
    "add",
    "announce",
    "explain",
    "write",
    "admit",
    "acknowledge",
    "maintain",
    "assert",
    "declare",
    "stress",
    "contend",
    "predict",
    "estimate",
    "conclude",
    "tell",
];

/// Words skipped between a speaker and its verb.
const BEFORE_VERB: &[&str] = &[
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "will",
    "would",
    "also",
    "previously",
    "repeatedly",
    "later",
    "earlier",
    "recently",
    "publicly",
    "once",
    "again",
    "never",
    "flatly",
    "then",
    "did",
    "does",
    "do",
    "not",
    "reportedly",
    "allegedly",
    "now",
    "today",
    "yesterday",
    "already",
    "still",
    "further",
    "privately",
];

/// Words a speaker cannot run over (to its left).
const STOP_LEFT: &[&str] = &[
    "that", "and", "but", "which", "who", "whom", "whose", "as", "because", "while", "when", "if", "so", "then",
    "after", "before", "since", "although", "though", "where", "whether", "than", "or", "nor", "yet", "what", "how",
    "why", "is", "are", "was", "were", "has", "have", "had", "be", "been", "not", "also", "there",
];

const PREPOSITIONS: &[&str] =
    &["of", "to", "for", "with", "in", "at", "from", "by", "on", "inside", "within", "near", "close", "familiar"];

const DETERMINERS: &[&str] = &["the", "a", "an"];

const TIME_WORDS: &[&str] = &[
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "last",
    "this",
    "earlier",
    "later",
    "recently",
    "previously",
    "then",
    "now",
];

/// Heads that make a speaker vague.
const VAGUE_HEADS: &[&str] = &[
    "source",
    "sources",
    "report",
    "reports",
    "reporting",
    "expert",
    "experts",
    "official",
    "officials",
    "analyst",
    "analysts",
    "observer",
    "observers",
    "critic",
    "critics",
    "people",
    "some",
    "many",
    "others",
    "intelligence",
    "insider",
    "insiders",
    "witness",
    "witnesses",
    "commentator",
    "commentators",
    "media",
    "reporters",
    "journalists",
    "residents",
    "scientists",
    "researchers",
    "doctors",
    "activists",
    "diplomats",
    "authorities",
    "aide",
    "aides",
    "person",
    "individual",
    "individuals",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "nobody",
    "few",
    "several",
    "most",
    "rumours",
    "rumors",
    "claims",
    "accounts",
    "documents",
    "leaks",
    "studies",
    "voices",
    "figures",
    "circles",
    "groups",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "government",
    "administration",
    "military",
    "army",
];

/// Institutions and offices: named when definite ("the embassy", "the ministry's spokesman").
const INSTITUTIONS: &[&str] = &[
    "embassy",
    "ministry",
    "government",
    "department",
    "agency",
    "police",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "minister",
    "court",
    "commission",
    "company",
    "office",
    "army",
    "military",
    "council",
    "committee",
    "parliament",
    "senate",
    "congress",
    "foundation",
    "institute",
    "university",
    "organisation",
    "organization",
    "bank",
    "party",
    "union",
    "campaign",
    "prosecutor",
    "prosecutors",
    "judge",
    "governor",
    "mayor",
    "senator",
    "secretary",
    "ambassador",
    "chief",
    "director",
    "chairman",
    "administration",
    "kremlin",
    "pentagon",
    "cabinet",
    "regime",
    "state",
    "statement",
    "newspaper",
    "network",
    "broadcaster",
    "envoy",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "it"];

/// The author or the reader, never a source.
const FIRST_SECOND_PERSON: &[&str] = &["i", "we", "you"];

/// A paragraph's tokens with their lower-cased words, whether each lies inside a quote, and the
/// sentence each belongs to.
pub(crate) struct Words<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub lower: Vec<String>,
    pub quoted: Vec<bool>,
    /// The segmenter's sentence of each token: a speaker never reaches across a sentence end,
    /// so "…by the US. Nuland said" gives "Nuland", not "the US. Nuland".
    pub sentence: Vec<usize>,
}

impl<'a> Words<'a> {
    /// `sentence` gives each token's sentence (any numbering that changes where sentences do).
    pub fn new(text: &'a str, tokens: &'a [Token], quotes: &[Range<usize>], sentence: Vec<usize>) -> Self {
        debug_assert_eq!(tokens.len(), sentence.len());
        let lower = tokens.iter().map(|t| t.span.text(text).to_lowercase().replace('’', "'")).collect();
        // Tokens and quotes are both in text order and quotes do not overlap: one merged walk,
        // linear however many quotes a paragraph holds.
        let mut quoted = Vec::with_capacity(tokens.len());
        let mut q = 0;
        for t in tokens {
            while q < quotes.len() && quotes[q].end <= t.span.byte_start {
                q += 1;
            }
            quoted.push(quotes.get(q).is_some_and(|r| r.start <= t.span.byte_start && t.span.byte_end <= r.end));
        }
        Words { text, tokens, lower, quoted, sentence }
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.sentence.get(a).is_some_and(|s| Some(s) == self.sentence.get(b))
    }

    /// A capitalised word inside its sentence is a name ("Secretary of State"), never a verb.
    fn mid_sentence_capital(&self, i: usize) -> bool {
        i > 0 && self.same_sentence(i - 1, i) && self.is_capitalised(i)
    }

    /// Whether the `.` token at `k` is an abbreviation's ("U.S.", "Dr.", "Inc."): the segmenter
    /// did not end the sentence there and a short capitalised word comes right before it.
    fn abbreviation_period(&self, k: usize) -> bool {
        k > 0
            && k + 1 < self.tokens.len()
            && self.same_sentence(k, k + 1)
            && self.tokens[k].span.text(self.text) == "."
            && abbreviation(self, k - 1)
    }

    fn word(&self, i: usize) -> Option<&str> {
        (self.tokens.get(i)?.kind != TokenKind::Punct).then(|| self.lower[i].as_str())
    }

    fn is_capitalised(&self, i: usize) -> bool {
        self.tokens[i].span.text(self.text).chars().next().is_some_and(char::is_uppercase)
    }

    fn bytes(&self, first: usize, last: usize) -> Range<usize> {
        self.tokens[first].span.byte_start..self.tokens[last].span.byte_end
    }
}

/// Every cue in a paragraph, in text order.
pub(crate) fn find(words: &Words) -> Vec<RawAttribution> {
    let mut out = Vec::new();
    let n = words.tokens.len();
    for i in 0..n {
        if words.quoted[i] {
            continue;
        }
        let Some(w) = words.word(i) else { continue };
        if w == "according" && words.word(i + 1) == Some("to") {
            if let Some((first, last)) = right_speaker(words, i + 2) {
                out.push(make(words, AttributionKind::AccordingTo, i, i + 1, Some((first, last))));
            }
        } else if matches!(w, "reportedly" | "allegedly" | "purportedly") {
            out.push(make(words, AttributionKind::Adverb, i, i, None));
        } else if let Some(first) = passive(words, i) {
            out.push(make(words, AttributionKind::Passive, first, i, None));
        } else if SPEECH_VERBS.contains(&w) && !words.mid_sentence_capital(i) {
            // "Reports claim": the first of two cue words is the speaker, not a cue.
            let next = words.word(i + 1);
            if next.is_some_and(|next| SPEECH_VERBS.contains(&next)) || not_speech(w, next) || after_modal(words, i) {
                continue;
            }
            let mut cue_end = i;
            if w == "told" {
                cue_end = match (words.word(i + 1), words.word(i + 2)) {
                    (Some("reporters" | "journalists" | "media"), _) => i + 1,
                    (Some("the"), Some("press" | "media" | "newspaper" | "agency" | "broadcaster")) => i + 2,
                    _ => i,
                };
            }
            if let Some(speaker) = left_speaker(words, i) {
                out.push(make(words, AttributionKind::Verb, i, cue_end, Some(speaker)));
            } else if inverted(words, i) {
                if let Some(speaker) = right_speaker(words, cue_end + 1) {
                    out.push(make(words, AttributionKind::Verb, i, cue_end, Some(speaker)));
                }
            }
        }
    }
    // A passive cue found at its participle can also be a speech verb ("it was reported"): the
    // loop takes the passive reading first, so no cue is listed twice.
    out
}

/// A speech verb that its next word turns into another verb: "the numbers do not add up",
/// "the tariffs add to the pressure", "hard to tell apart", "the loans were written off".
fn not_speech(verb: &str, next: Option<&str>) -> bool {
    matches!(
        (verb, next),
        ("add" | "adds" | "added", Some("up" | "to"))
            | ("tell" | "tells" | "told", Some("apart"))
            | ("write" | "writes" | "wrote", Some("off"))
    )
}

/// A speech verb after a modal is something not yet said ("the inquiry will report by the
/// summer", "she may tell the court"), so it attributes nothing.
fn after_modal(words: &Words, i: usize) -> bool {
    let prev = i.checked_sub(1).and_then(|p| words.word(p));
    matches!(prev, Some("will" | "would" | "shall" | "should" | "must" | "can" | "could" | "may" | "might"))
}

fn make(words: &Words, kind: AttributionKind, first: usize, last: usize, speaker: Option<(usize, usize)>) -> RawAttribution {
    let cue = words.bytes(first, last);
    let (class, speaker_bytes, extent) = match speaker {
        None => (Speaker::Vague, None, cue.clone()),
        Some((s, e)) => {
            let bytes = words.bytes(s, e);
            let extent = bytes.start.min(cue.start)..bytes.end.max(cue.end);
            (classify(words, s, e), Some(bytes), extent)
        }
    };
    RawAttribution { kind, cue, speaker: speaker_bytes, class, extent }
}

/// `it (is|was|has been|had been) [widely] reported`, `(is|are|was|were) said to`, `we are told`:
/// the first token of the cue when `i` ends one.
fn passive(words: &Words, i: usize) -> Option<usize> {
    const PARTICIPLES: &[&str] = &[
        "reported",
        "claimed",
        "alleged",
        "said",
        "believed",
        "rumoured",
        "rumored",
        "understood",
        "thought",
        "feared",
        "suggested",
        "told",
        "known",
    ];
    let w = words.word(i)?;
    if !PARTICIPLES.contains(&w) {
        return None;
    }
    let mut j = i.checked_sub(1)?;
    if matches!(words.word(j), Some("widely" | "also" | "now" | "generally" | "often" | "commonly")) {
        j = j.checked_sub(1)?;
    }
    if words.word(j) == Some("been") {
        j = j.checked_sub(1)?;
    }
    let aux = words.word(j)?;
    if !matches!(aux, "is" | "was" | "are" | "were" | "has" | "have" | "had" | "being") {
        return None;
    }
    let subject = j.checked_sub(1).and_then(|k| words.word(k).map(|s| (k, s)));
    match subject {
        Some((k, "it")) if w != "told" && w != "known" => Some(k),
        Some((k, "we")) if w == "told" => Some(k),
        // "He is said to have…": the subject is the topic, not the source.
        _ if matches!(w, "said" | "believed" | "thought" | "reported" | "rumoured" | "rumored")
            && words.word(i + 1) == Some("to") =>
        {
            Some(j)
        }
        _ => None,
    }
}

/// Whether the verb at `i` follows a quote or a comma, so its speaker comes after it (`"…," said
/// Smith`).
fn inverted(words: &Words, i: usize) -> bool {
    let Some(prev) = i.checked_sub(1) else {
        return true;
    };
    if words.quoted[prev] {
        return true;
    }
    let t = words.tokens[prev].span.text(words.text);
    matches!(t, "," | "\"" | "”" | "»" | "“")
}

/// The speaker ending just before token `cue`, as a token range.
fn left_speaker(words: &Words, cue: usize) -> Option<(usize, usize)> {
    // "the public was told", "the paper was written": the subject heard or was made, not spoke.
    let prev = cue.checked_sub(1).and_then(|k| words.word(k));
    if prev.is_some_and(|p| matches!(p, "is" | "are" | "was" | "were" | "be" | "been" | "being"))
        && participle(&words.lower[cue])
    {
        return None;
    }
    let mut j = cue;
    let mut skipped = 0;
    while skipped < 3 {
        let Some(w) = j.checked_sub(1).and_then(|k| words.word(k)) else {
            break;
        };
        if BEFORE_VERB.contains(&w) || (w.ends_with("ly") && w.len() > 4 && !words.is_capitalised(j - 1)) {
            j -= 1;
            skipped += 1;
        } else {
            break;
        }
    }
    let mut last = j.checked_sub(1)?;
    // A parenthesis between a name and its verb ("Sen. Ruth Alder (D-Ore.) said") is skipped.
    if words.tokens[last].span.text(words.text) == ")" {
        let open = (last.saturating_sub(MAX_SPEAKER_WORDS)..last)
            .rev()
            .take_while(|&k| words.same_sentence(k, last) && !words.quoted[k])
            .find(|&k| words.tokens[k].span.text(words.text) == "(")?;
        last = open.checked_sub(1)?;
    }
    if is_comma(words, last) {
        // An appositive: "The opposition leader, Mira Castell, said" — the phrase between the
        // commas, if commas (or a relative clause) do close it on the left; else it is not a
        // speaker ("The plan failed, said critics" reads the other way round).
        let (phrase, stop) = phrase_ending_at(words, last.checked_sub(1)?)?;
        return matches!(stop, Stop::Comma | Stop::Relative).then_some(phrase);
    }
    phrase_ending_at(words, last).map(|(phrase, _)| phrase)
}

/// What ended a phrase on its left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Comma,
    /// "who"/"which" after a comma: the phrase before the relative clause was taken instead.
    Relative,
    Other,
}

fn is_comma(words: &Words, k: usize) -> bool {
    words.tokens.get(k).is_some_and(|t| t.span.text(words.text) == ",")
}

/// A past participle, as speech verbs have them.
fn participle(w: &str) -> bool {
    w.ends_with("ed") || matches!(w, "told" | "said" | "written" | "known" | "given" | "shown")
}

/// The noun phrase ending at token `last`, read leftwards, and what stopped it.
fn phrase_ending_at(words: &Words, last: usize) -> Option<((usize, usize), Stop)> {
    // A phrase ends on a word, or on an abbreviation's period ("Veltra Inc., said").
    if words.word(last).is_none() && !words.abbreviation_period(last) {
        return None;
    }
    let mut first = last + 1;
    let mut stop = Stop::Other;
    // Words, not tokens, are counted: the periods of "U.S." take no room.
    let words_in = |from: usize, to: usize| (from..to).filter(|&k| words.word(k).is_some()).count();
    while first > 0 && words_in(first, last + 1) < MAX_SPEAKER_WORDS {
        let k = first - 1;
        if words.quoted[k] || !words.same_sentence(k, last) {
            break;
        }
        match words.word(k) {
            Some("who" | "which") if k > 0 && is_comma(words, k - 1) => {
                // "The minister, who resigned last week, said": the phrase before the clause.
                let ((f, l), _) = phrase_ending_at(words, k.checked_sub(2)?)?;
                return Some(((f, l), Stop::Relative));
            }
            // A cue word right before the cue is part of the speaker ("Reports say").
            Some(w)
                if STOP_LEFT.contains(&w)
                    || (SPEECH_VERBS.contains(&w) && k != last && !words.mid_sentence_capital(k)) =>
            {
                break
            }
            Some(_) => first = k,
            // "U.S.", "Dr.": a full stop after an abbreviation stays in the name.
            None if words.abbreviation_period(k) => first = k,
            None => {
                if is_comma(words, k) {
                    stop = Stop::Comma;
                }
                break;
            }
        }
    }
    if first > last {
        return None;
    }
    let mut last = last;
    // A determiner that does not follow a preposition starts the phrase.
    for k in (first + 1..=last).rev() {
        if words.word(k).is_some_and(|w| DETERMINERS.contains(&w))
            && !words.word(k - 1).is_some_and(|w| PREPOSITIONS.contains(&w))
        {
            first = k;
            break;
        }
    }
    // A participle after the head starts a clause that is not part of the speaker:
    // "Intelligence gathered years ago", "officials speaking on condition of anonymity".
    for k in first + 1..=last {
        let Some(w) = words.word(k) else { continue };
        let after_determiner = words.word(k - 1).is_some_and(|p| DETERMINERS.contains(&p) || p.ends_with("'s"));
        if w.len() > 4 && (w.ends_with("ed") || w.ends_with("ing")) && !words.is_capitalised(k) && !after_determiner {
            last = k - 1;
            break;
        }
    }
    valid(words, first, last).then_some(((first, last), stop))
}

/// The speaker starting at token `start` (after `according to`, or after an inverted verb).
fn right_speaker(words: &Words, start: usize) -> Option<(usize, usize)> {
    let mut last = None;
    let mut k = start;
    while k < words.tokens.len()
        && (start..k).filter(|&j| words.word(j).is_some()).count() < MAX_SPEAKER_WORDS
        && !words.quoted[k]
        && words.same_sentence(k, start)
    {
        let Some(w) = words.word(k) else {
            // "U.S." stays whole.
            if k > start && words.abbreviation_period(k) {
                k += 1;
                continue;
            }
            break;
        };
        // "said on Wednesday that…": a time or place, not a speaker.
        if k == start && (PREPOSITIONS.contains(&w) || TIME_WORDS.contains(&w)) {
            break;
        }
        // "said it would…": a pronoun after the verb is a speaker only on its own ("…," said he).
        if k == start && PRONOUNS.contains(&w) {
            let alone = words.word(k + 1).is_none() || !words.same_sentence(k, k + 1);
            return alone.then_some((k, k));
        }
        if k > start {
            let prev = words.word(k - 1).unwrap_or("");
            let after_prep = PREPOSITIONS.contains(&prev);
            // A new phrase starts: a determiner not after a preposition, or a plain lower-case
            // word after a name ("according to Smith nobody came").
            if DETERMINERS.contains(&w) && !after_prep {
                break;
            }
            let plain = !words.is_capitalised(k)
                && !PREPOSITIONS.contains(&w)
                && !DETERMINERS.contains(&w)
                && !VAGUE_HEADS.contains(&w)
                && !INSTITUTIONS.contains(&w);
            if plain && words.is_capitalised(k - 1) && !after_prep {
                break;
            }
        }
        if STOP_LEFT.contains(&w) || SPEECH_VERBS.contains(&w) {
            break;
        }
        last = Some(k);
        k += 1;
    }
    let mut last = last?;
    // Do not end on a preposition or determiner ("according to the").
    while last > start && words.word(last).is_some_and(|w| PREPOSITIONS.contains(&w) || DETERMINERS.contains(&w)) {
        last -= 1;
    }
    valid(words, start, last).then_some((start, last))
}

/// A capitalised word of at most four letters ("U", "Dr", "Gen"), which a full stop after it
/// abbreviates rather than ends.
fn abbreviation(words: &Words, k: usize) -> bool {
    let t = words.tokens[k].span.text(words.text);
    words.tokens[k].kind == TokenKind::Word && t.chars().count() <= 4 && words.is_capitalised(k)
}

/// A speaker must hold a word that is not a determiner, a demonstrative or a possessive, and must
/// not be the author or the reader.
fn valid(words: &Words, first: usize, last: usize) -> bool {
    const EMPTY: &[&str] = &[
        "the", "a", "an", "this", "these", "those", "his", "her", "their", "its", "our", "my", "your", "which", "what",
        "there", "here", "who", "one",
    ];
    let content: Vec<&str> = (first..=last).filter_map(|k| words.word(k)).filter(|w| !EMPTY.contains(w)).collect();
    if content.is_empty() {
        return false;
    }
    !(content.len() == 1 && FIRST_SECOND_PERSON.contains(&content[0]))
}

/// Named, vague or a pronoun: see the module docs.
fn classify(words: &Words, first: usize, last: usize) -> Speaker {
    let ws: Vec<(usize, &str)> = (first..=last).filter_map(|k| words.word(k).map(|w| (k, w))).collect();
    if let [(_, only)] = ws[..] {
        if PRONOUNS.contains(&only) {
            return Speaker::Pronoun;
        }
    }
    // The head: the last word before a prepositional tail ("sources close to the ministry").
    let tail = ws.iter().skip(1).position(|(_, w)| PREPOSITIONS.contains(w)).map(|p| p + 1);
    let head_part = &ws[..tail.unwrap_or(ws.len())];
    let head = head_part.last().map(|(_, w)| w.trim_end_matches("'s")).unwrap_or("");
    if VAGUE_HEADS.contains(&head) && !definite_institution(head_part) {
        return Speaker::Vague;
    }
    if head_part.len() <= 2 && head_part.first().is_some_and(|(_, w)| matches!(*w, "some" | "many" | "others" | "few"))
    {
        return Speaker::Vague;
    }
    let capitalised = ws.iter().any(|&(k, w)| words.is_capitalised(k) && !DETERMINERS.contains(&w));
    // "police said": English names the force in question without an article.
    let bare_police = matches!(head_part, [(_, "police")]);
    if capitalised || definite_institution(head_part) || bare_police {
        Speaker::Named
    } else {
        Speaker::Vague
    }
}

/// "the embassy", "the ministry's spokesman", "Russia's foreign ministry".
fn definite_institution(head_part: &[(usize, &str)]) -> bool {
    let Some((_, head)) = head_part.last() else {
        return false;
    };
    let definite = head_part.first().is_some_and(|(_, w)| *w == "the" || w.ends_with("'s"))
        || head_part.iter().any(|(_, w)| w.ends_with("'s"));
    definite && INSTITUTIONS.contains(&head.trim_end_matches("'s"))
}
