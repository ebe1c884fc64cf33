//! The SemEval-2020 Task 11 technique inventory.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The 14 technique classes of SemEval-2020 Task 11, serialised as the exact label strings of the
/// PTC label files (`Name_Calling,Labeling`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Technique {
    #[serde(rename = "Appeal_to_Authority")]
    AppealToAuthority,
    #[serde(rename = "Appeal_to_fear-prejudice")]
    AppealToFearPrejudice,
    #[serde(rename = "Bandwagon,Reductio_ad_hitlerum")]
    BandwagonReductioAdHitlerum,
    #[serde(rename = "Black-and-White_Fallacy")]
    BlackAndWhiteFallacy,
    #[serde(rename = "Causal_Oversimplification")]
    CausalOversimplification,
    #[serde(rename = "Doubt")]
    Doubt,
    #[serde(rename = "Exaggeration,Minimisation")]
    ExaggerationMinimisation,
    #[serde(rename = "Flag-Waving")]
    FlagWaving,
    #[serde(rename = "Loaded_Language")]
    LoadedLanguage,
    #[serde(rename = "Name_Calling,Labeling")]
    NameCallingLabeling,
    #[serde(rename = "Repetition")]
    Repetition,
    #[serde(rename = "Slogans")]
    Slogans,
    #[serde(rename = "Thought-terminating_Cliches")]
    ThoughtTerminatingCliches,
    #[serde(rename = "Whataboutism,Straw_Men,Red_Herring")]
    WhataboutismStrawMenRedHerring,
}

impl Technique {
    /// All techniques, in the alphabetical order of the organizers' label list.
    pub const ALL: [Technique; 14] = [
        Technique::AppealToAuthority,
        Technique::AppealToFearPrejudice,
        Technique::BandwagonReductioAdHitlerum,
        Technique::BlackAndWhiteFallacy,
        Technique::CausalOversimplification,
        Technique::Doubt,
        Technique::ExaggerationMinimisation,
        Technique::FlagWaving,
        Technique::LoadedLanguage,
        Technique::NameCallingLabeling,
        Technique::Repetition,
        Technique::Slogans,
        Technique::ThoughtTerminatingCliches,
        Technique::WhataboutismStrawMenRedHerring,
    ];

    /// The label string of the PTC files and the SemEval scorers.
    pub fn label(self) -> &'static str {
        match self {
            Technique::AppealToAuthority => "Appeal_to_Authority",
            Technique::AppealToFearPrejudice => "Appeal_to_fear-prejudice",
            Technique::BandwagonReductioAdHitlerum => "Bandwagon,Reductio_ad_hitlerum",
            Technique::BlackAndWhiteFallacy => "Black-and-White_Fallacy",
            Technique::CausalOversimplification => "Causal_Oversimplification",
            Technique::Doubt => "Doubt",
            Technique::ExaggerationMinimisation => "Exaggeration,Minimisation",
            Technique::FlagWaving => "Flag-Waving",
            Technique::LoadedLanguage => "Loaded_Language",
            Technique::NameCallingLabeling => "Name_Calling,Labeling",
            Technique::Repetition => "Repetition",
            Technique::Slogans => "Slogans",
            Technique::ThoughtTerminatingCliches => "Thought-terminating_Cliches",
            Technique::WhataboutismStrawMenRedHerring => "Whataboutism,Straw_Men,Red_Herring",
        }
    }

    /// A name for people.
    pub fn name(self) -> &'static str {
        match self {
            Technique::AppealToAuthority => "Appeal to authority",
            Technique::AppealToFearPrejudice => "Appeal to fear or prejudice",
            Technique::BandwagonReductioAdHitlerum => "Bandwagon / reductio ad Hitlerum",
            Technique::BlackAndWhiteFallacy => "Black-and-white fallacy",
            Technique::CausalOversimplification => "Causal oversimplification",
            Technique::Doubt => "Doubt",
            Technique::ExaggerationMinimisation => "Exaggeration / minimisation",
            Technique::FlagWaving => "Flag-waving",
            Technique::LoadedLanguage => "Loaded language",
            Technique::NameCallingLabeling => "Name calling / labeling",
            Technique::Repetition => "Repetition",
            Technique::Slogans => "Slogans",
            Technique::ThoughtTerminatingCliches => "Thought-terminating cliché",
            Technique::WhataboutismStrawMenRedHerring => "Whataboutism / straw man / red herring",
        }
    }

    /// What the technique is, in one or two plain sentences for a reader who has not met the
    /// inventory before. Shown in the legend of every output that explains itself.
    pub fn definition(self) -> &'static str {
        match self {
            Technique::AppealToAuthority => {
                "Presenting a claim as true because an expert, official or well-known figure backs it, \
                 instead of showing the evidence for it. The figure may not even know the subject."
            }
            Technique::AppealToFearPrejudice => {
                "Winning support for an idea by stirring up anxiety about what will happen without it, \
                 or by playing on a dislike the audience already holds."
            }
            Technique::BandwagonReductioAdHitlerum => {
                "Urging people to accept an idea because everyone supposedly does, or to reject it \
                 because a hated group or figure is linked to it."
            }
            Technique::BlackAndWhiteFallacy => {
                "Offering two options as if there were no others, usually one plainly good and one \
                 plainly bad. It also covers simply telling the audience what they must do."
            }
            Technique::CausalOversimplification => {
                "Pinning an outcome on one cause, or one person or group, when many things \
                 together brought it about."
            }
            Technique::Doubt => {
                "Questioning whether a person, group or institution can be trusted, so that readers \
                 grow suspicious of them without being shown good reason."
            }
            Technique::ExaggerationMinimisation => {
                "Making something sound far bigger, better or worse than it is, or brushing aside \
                 something serious as if it were trivial."
            }
            Technique::FlagWaving => {
                "Justifying an idea by appeal to patriotism or to pride in a group such as a nation, \
                 faith or party, as if supporting it were part of belonging."
            }
            Technique::LoadedLanguage => {
                "Words and phrases chosen for their emotional charge rather than their plain meaning, \
                 meant to make readers feel a certain way about the subject."
            }
            Technique::NameCallingLabeling => {
                "Tagging a person or group with a label, whether an insult or a flattering title, \
                 that the audience already fears, despises, admires or loves."
            }
            Technique::Repetition => {
                "Saying the same message again and again, so that it sticks and starts to feel \
                 settled."
            }
            Technique::Slogans => {
                "A short, catchy phrase, often a rallying cry, that packs a position into a few \
                 memorable words."
            }
            Technique::ThoughtTerminatingCliches => {
                "A short, well-worn phrase that ends a discussion by sounding like a conclusion, such \
                 as \u{201c}that is just how things are\u{201d}, where an argument should be."
            }
            Technique::WhataboutismStrawMenRedHerring => {
                "Dodging a criticism by pointing at someone else's wrongdoing, attacking a distorted \
                 version of an opponent's view, or steering attention to an unrelated matter."
            }
        }
    }

    /// What the technique does to the reader, in one short sentence.
    pub fn why_it_matters(self) -> &'static str {
        match self {
            Technique::AppealToAuthority => "It asks readers to trust a name instead of weighing the evidence.",
            Technique::AppealToFearPrejudice => "Fear crowds out judgement and makes the offered remedy look like the only safe one.",
            Technique::BandwagonReductioAdHitlerum => "It swaps the merits of an idea for who is said to support or oppose it.",
            Technique::BlackAndWhiteFallacy => "It hides the middle ground, so one choice looks like the only sensible one.",
            Technique::CausalOversimplification => "It hands readers a simple culprit and steers them away from the real, messier causes.",
            Technique::Doubt => "Readers learn to dismiss a source before they have weighed what it says.",
            Technique::ExaggerationMinimisation => "It distorts the scale of events, so readers misjudge how much they matter.",
            Technique::FlagWaving => "It makes disagreement feel like disloyalty, so the idea is hard to question.",
            Technique::LoadedLanguage => "It sets readers' feelings about a subject before they have the facts.",
            Technique::NameCallingLabeling => "Readers react to the label instead of judging the person or the argument.",
            Technique::Repetition => "Familiar claims feel true, whether or not they are.",
            Technique::Slogans => "A slogan is easy to remember and repeat but gives readers nothing to examine.",
            Technique::ThoughtTerminatingCliches => "It discourages readers from asking the next question.",
            Technique::WhataboutismStrawMenRedHerring => "The original point goes unanswered while attention moves elsewhere.",
        }
    }

    /// A brat entity type name: brat types may not contain `,`, so the label is kept with `,`
    /// turned into `__` (and turned back by [`Technique::from_str`]).
    pub fn brat_type(self) -> String {
        self.label().replace(',', "__")
    }
}

impl fmt::Display for Technique {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown technique {0:?} (expected one of the 14 SemEval-2020 Task 11 labels)")]
pub struct UnknownTechnique(pub String);

impl FromStr for Technique {
    type Err = UnknownTechnique;

    /// Accepts the PTC label, its brat form, and the SemEval-2023 names of the same classes.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let normal = s.replace("__", ",");
        if let Some(t) = Technique::ALL.iter().find(|t| t.label() == normal) {
            return Ok(*t);
        }
        Ok(match s {
            "Appeal_to_Fear-Prejudice" => Technique::AppealToFearPrejudice,
            "False_Dilemma-No_Choice" => Technique::BlackAndWhiteFallacy,
            "Exaggeration-Minimisation" => Technique::ExaggerationMinimisation,
            "Flag_Waving" => Technique::FlagWaving,
            "Name_Calling-Labeling" => Technique::NameCallingLabeling,
            "Conversation_Killer" => Technique::ThoughtTerminatingCliches,
            "Whataboutism" | "Straw_Man" | "Red_Herring" => Technique::WhataboutismStrawMenRedHerring,
            "Appeal_to_Popularity" | "Guilt_by_Association" => Technique::BandwagonReductioAdHitlerum,
            _ => return Err(UnknownTechnique(s.to_owned())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for t in Technique::ALL {
            assert_eq!(t.label().parse::<Technique>(), Ok(t));
            assert_eq!(t.brat_type().parse::<Technique>(), Ok(t));
            assert!(!t.brat_type().contains(','));
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.label()));
        }
        assert!("Propaganda".parse::<Technique>().is_err());
    }

    #[test]
    fn explanations_are_whole_distinct_sentences() {
        use std::collections::HashSet;
        let mut seen = HashSet::new();
        for t in Technique::ALL {
            for (what, text, most) in [("definition", t.definition(), 2), ("why_it_matters", t.why_it_matters(), 1)] {
                assert!(!text.trim().is_empty(), "{t}: empty {what}");
                assert!(text.ends_with('.'), "{t}: {what} does not end with a full stop: {text:?}");
                assert_eq!(text, text.trim(), "{t}: {what} has stray whitespace");
                assert!(!text.contains("  ") && !text.contains('\n'), "{t}: {what} is not one line: {text:?}");
                assert!(text.chars().next().is_some_and(char::is_uppercase), "{t}: {what} starts in lower case");
                // The segmenter is the judge of "one or two sentences".
                let sentences = crate::segment::segment(text).sentences.len();
                assert!((1..=most).contains(&sentences), "{t}: {what} has {sentences} sentences: {text:?}");
                // Written for people: no SemEval label syntax.
                assert!(!text.contains('_'), "{t}: {what} uses a label: {text:?}");
                assert!(seen.insert(text), "{t}: {what} repeats another explanation: {text:?}");
            }
            assert!(t.why_it_matters().chars().count() <= 100, "{t}: why_it_matters is not short");
        }
        assert_eq!(seen.len(), 28);
    }

    #[test]
    fn labels_match_the_ptc_inventory() {
        // The exact strings of ../shared/data/ptc/techniques.txt, in its order.
        let expected = "Appeal_to_Authority Appeal_to_fear-prejudice Bandwagon,Reductio_ad_hitlerum \
            Black-and-White_Fallacy Causal_Oversimplification Doubt Exaggeration,Minimisation \
            Flag-Waving Loaded_Language Name_Calling,Labeling Repetition Slogans \
            Thought-terminating_Cliches Whataboutism,Straw_Men,Red_Herring";
        let labels: Vec<_> = Technique::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(labels.join(" "), expected);
    }
}
