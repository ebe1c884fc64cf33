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
