//! Hedging and insinuation: where a writer suggests instead of asserting.
//!
//! - **Hedge cues** come from a fixed English lexicon ([`HEDGES`]), matched as whole words,
//!   case-insensitively, with `'` and `’` alike. `may` counts only when written in lower case,
//!   so the month does not ("in May"); `could` and `may` count only before a verb-like word
//!   (`could be`, `may have`), since most of their uses are plain ability or permission;
//!   `might` always counts.
//! - **Insinuating questions** are questions (the sentence ends with `?`, possibly before a
//!   closing quote or bracket) in the writer's own voice — not inside a direct quote — that match
//!   one of [`INSINUATIONS`]: "Who really benefits…?", "Is it a coincidence that…?", "Why won't
//!   X…?", "Isn't it strange that…?", "What are they hiding?". Other questions are not flagged:
//!   news prose asks genuine questions too. A few statements insinuate the same way
//!   ([`INSINUATING_STATEMENTS`]: "One has to wonder why…", "It is worth asking who…").

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// The hedge lexicon, as regular-expression alternatives (`'` stands for both apostrophes).
pub const HEDGES: &[&str] = &[
    "seemingly",
    "it seems",
    "seems? to",
    "seemed to",
    "it appears",
    "appears? to",
    "appeared to",
    "apparently",
    "reportedly",
    "allegedly",
    "supposedly",
    "purportedly",
    "ostensibly",
    "presumably",
    "arguably",
    "perhaps",
    "maybe",
    "possibly",
    "probably",
    "likely",
    "it is possible",
    "it's possible",
    "it is conceivable",
    "it is believed",
    "it is thought",
    "is said to",
    "are said to",
    "rumou?red",
    "unconfirmed",
    "raises? (?:serious |many |more |new |troubling |uncomfortable )?questions",
    "raising (?:serious |many |more |new |troubling |uncomfortable )?questions",
    "questions remain",
    "some say",
    "some believe",
    "some suggest",
    "one wonders",
    "one might (?:think|wonder|ask)",
    "(?:may|might|could) (?:have|be|well|not|also|even|already|soon|still)",
    "might",
    "suggests? that",
    "suggesting that",
    "it remains unclear",
    "it is unclear",
    "in all likelihood",
    "to some extent",
];

/// Insinuating-question patterns (matched case-insensitively inside a question).
pub const INSINUATIONS: &[&str] = &[
    r"\b(?:who|what|why|how|where)\b[^?]*\b(?:really|actually|truly)\b",
    r"\bcoincidence\b",
    r"\bwho\s+(?:benefits|gains|profits|stands to gain|is behind|pays)\b",
    r"\b(?:are|is)\s+(?:they|he|she|it|the \w+)\s+hiding\b",
    r"\bwhat\s+(?:are|is)\s+\w+(?:\s+\w+)?\s+hiding\b",
    r"^\W*why\s+(?:won't|wouldn't|doesn't|don't|didn't|hasn't|haven't|isn't|aren't|wasn't|weren't|can't|couldn't|shouldn't|did|does|do|would|is|are|was|were|has|have)\b",
    r"\b(?:isn't|is not|wasn't|doesn't)\s+(?:it|this|that)\s+(?:strange|odd|curious|telling|interesting|suspicious|convenient|ironic|remarkable|surprising|seem|look|make)\b",
    r"\bcould it be\b",
    r"\bis it (?:possible|any wonder|really|just|not)\b",
    r"\bhow (?:come|convenient|is it)\b",
    r"^\W*what if\b",
    r"\bdon't you (?:think|find|wonder)\b",
    r"\bwhere (?:is|are) the (?:evidence|proof)\b",
];

/// Insinuating statements: the writer asks a question without a question mark ("One has to
/// wonder why…", "It is worth asking who…"). Matched in any sentence in the writer's voice.
pub const INSINUATING_STATEMENTS: &[&str] = &[
    r"\bone (?:has|had|is left) to wonder\b",
    r"\bone can(?:not|'t) help but (?:wonder|ask)\b",
    r"\bmakes? (?:you|one|us) wonder\b",
    r"\bit(?: is|'s) worth asking\b",
    r"\bbegs the question\b",
    r"\bone is (?:entitled|forced) to ask\b",
];

/// One case-insensitive regex of `alternatives` (an apostrophe in one matches ' and ’ alike),
/// the whole alternation placed in `wrap` where it says `{}`.
fn alternation(alternatives: &[&str], wrap: &str) -> Regex {
    let alternatives: Vec<String> = alternatives.iter().map(|a| a.replace('\'', "['’]")).collect();
    let pattern = format!("(?i){}", wrap.replace("{}", &alternatives.join("|")));
    Regex::new(&pattern).unwrap_or_else(|e| unreachable!("the cue lists are valid patterns: {e}"))
}

fn hedge_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| alternation(HEDGES, r"\b(?:{})\b"))
}

fn insinuation_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| alternation(INSINUATIONS, "(?:{})"))
}

fn statement_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| alternation(INSINUATING_STATEMENTS, "(?:{})"))
}

/// Hedge cues in `text[range]`, as byte ranges into `text`.
pub(crate) fn hedges(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let Some(part) = text.get(range.clone()) else {
        return Vec::new();
    };
    hedge_regex()
        .find_iter(part)
        .filter(|m| {
            let s = m.as_str();
            // "May" and "Might" capitalised mid-sentence are names or the month; sentence-initial
            // ones are caught by the verb that must follow.
            !(s.starts_with('M') && m.start() > 0)
        })
        .map(|m| range.start + m.start()..range.start + m.end())
        .collect()
}

/// If the sentence `text[range]` is an insinuating question, the byte range of the cue.
pub(crate) fn insinuation(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let part = text.get(range.clone())?;
    let end =
        part.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '»'));
    let m = if end.ends_with('?') { insinuation_regex().find(part) } else { statement_regex().find(part) }?;
    Some(range.start + m.start()..range.start + m.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(text: &str) -> Vec<&str> {
        hedges(text, 0..text.len()).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn lexicon_matches_whole_words() {
        assert_eq!(
            cues("It seems the US had some damning intelligence, which reportedly may have been shared."),
            ["It seems", "reportedly", "may have"]
        );
        assert_eq!(
            cues("This raises serious questions. Perhaps it’s possible."),
            ["raises serious questions", "Perhaps", "it’s possible"]
        );
        assert!(
            cues("In May the likelihood fell; mighty rivers, unlikely allies.").is_empty(),
            "{:?}",
            cues("In May the likelihood fell")
        );
        assert_eq!(cues("May be true. She might."), ["May be", "might"]);
    }

    #[test]
    fn insinuating_questions() {
        fn flagged(s: &str) -> Option<&str> {
            insinuation(s, 0..s.len()).map(|r| &s[r])
        }
        assert_eq!(flagged("Who really benefits from the war?"), Some("Who really"));
        assert_eq!(flagged("Is it a coincidence that the lab closed?"), Some("coincidence"));
        assert_eq!(flagged("Why won’t the minister answer?"), Some("Why won’t"));
        assert_eq!(flagged("Isn't it strange that nobody noticed?”"), Some("Isn't it strange"));
        assert_eq!(flagged("What are they hiding?"), Some("What are they hiding"));
        assert_eq!(flagged("Who really benefits."), None, "not a question");
        assert_eq!(flagged("When will the vote take place?"), None, "a plain question");
        assert_eq!(flagged("One has to wonder why the report was late."), Some("One has to wonder"));
        assert_eq!(flagged("It’s worth asking who gained."), Some("It’s worth asking"));
        assert_eq!(flagged("The report was late, one official said."), None, "a plain statement");
    }
}
