//! Word lists that decide whether a period ends a sentence.
//!
//! A period after a word is a sentence boundary unless the word is an abbreviation. Abbreviations
//! come in two kinds, and the sentence splitter treats them differently:
//!
//! - [`is_prefix`]: titles and markers that stand before what they qualify ("Mr. Smith",
//!   "Gen. Milley", "vs. Russia", "e.g. tariffs"). They practically never end a sentence, so the
//!   period after them never splits.
//! - [`can_end`]: abbreviations that often sit at the end of a sentence ("Apple Inc.", "in the
//!   U.S.", "Martin Luther King Jr.", "etc."). After them a capitalised word is ambiguous ("the
//!   U.S. Army" vs "the U.S. The army"), so the splitter splits only when the next word is one
//!   of the [`is_common_starter`] words, which open sentences far more often than they continue a
//!   name.
//!
//! Words are matched without their final period and case-sensitively: "Gen" is a title, "gen" is
//! not. Dotted abbreviations ("U.S", "a.m", "Ph.D") are recognised by shape in the sentence
//! splitter, not listed here; single letters (initials) too.

/// Titles and markers that precede a name, number or phrase; a period after them never ends a
/// sentence.
pub(super) fn is_prefix(word: &str) -> bool {
    matches!(
        word,
        // Civil and academic titles.
        "Mr" | "Mrs" | "Ms" | "Messrs" | "Mmes" | "Dr" | "Drs" | "Prof" | "Profs" | "Rev"
            | "Revd" | "Fr" | "Hon" | "Pres" | "Gov" | "Govs" | "Sen" | "Sens" | "Rep" | "Reps"
            | "Amb" | "Atty" | "Sec" | "Supt" | "Insp" | "Det" | "Mme" | "Mlle" | "Sra" | "Srta"
            // Military ranks.
            | "Gen" | "Gens" | "Lt" | "Col" | "Capt" | "Cpt" | "Cmdr" | "Cdr" | "Maj" | "Adm"
            | "Brig" | "Sgt" | "Cpl" | "Pvt" | "Pfc" | "Spc" | "Ens" | "Lieut"
            // Places that precede a name.
            | "Mt" | "Ft"
            // Markers of what follows.
            | "vs" | "e.g" | "i.e" | "E.g" | "I.e" | "cf" | "Cf" | "viz" | "approx" | "Approx"
            | "ca" | "Fig" | "fig" | "Figs" | "Vol" | "vol" | "Vols" | "pp" | "Ch" | "ch" | "Sect"
            | "sect" | "Art" | "Para" | "para" | "Ref" | "ref" | "Tel" | "tel" | "Nr" | "nr"
    )
}

/// "No." is a number sign before a digit ("No. 10 Downing Street") and a word otherwise
/// ("The answer was No. Then…").
pub(super) fn is_number_sign(word: &str) -> bool {
    matches!(word, "No" | "no" | "Nos" | "nos" | "p" | "pp" | "Art" | "Nr" | "nr")
}

/// Abbreviations that often end a sentence.
pub(super) fn can_end(word: &str) -> bool {
    matches!(
        word,
        // Companies and family names.
        "Inc" | "Corp" | "Ltd" | "Co" | "Cos" | "Bros" | "Plc" | "plc" | "Jr" | "Sr" | "Esq"
            // Lists and citations.
            | "etc" | "al" | "ibid" | "Ibid"
            // Streets and places, which follow their name.
            | "St" | "Ave" | "Blvd" | "Rd" | "Sq" | "Hwy" | "Dept" | "Univ" | "Assn"
            // Months and days, which end sentences as dates do ("Sun" is left out: "The Sun."
            // ends many a sentence).
            | "Jan" | "Feb" | "Mar" | "Apr" | "Jun" | "Jul" | "Aug" | "Sep" | "Sept" | "Oct"
            | "Nov" | "Dec" | "Mon" | "Tue" | "Tues" | "Wed" | "Thu" | "Thur" | "Thurs" | "Fri"
            | "Sat" 
            // US states in AP style, which newswire puts after a town name ("Mass" and "Miss" are
            // left out: "Mass." ends sentences about church, "Miss" is a title).
            | "Ala" | "Ariz" | "Ark" | "Calif" | "Colo" | "Conn" | "Del" | "Fla" | "Ga" | "Ill"
            | "Ind" | "Kan" | "Kans" | "Ky" | "La" | "Md" | "Mich" | "Minn" | "Mo" | "Mont" | "Neb" | "Nev" | "Okla" | "Ore" | "Pa" | "Tenn" | "Tex" | "Vt" | "Va"
            | "Wash" | "Wis" | "Wyo"
            // Units and other trailing abbreviations.
            | "min" | "max" | "ft" | "oz" | "lb" | "lbs" | "yr" | "yrs" | "mos"
    )
}

/// Words that open sentences far more often than they continue a name. After a [`can_end`]
/// abbreviation, a dotted abbreviation or an initial, the splitter splits only before one of these.
pub(super) fn is_common_starter(word: &str) -> bool {
    matches!(
        word,
        "The"
            | "A"
            | "An"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "Their"
            | "They"
            | "Them"
            | "He"
            | "She"
            | "It"
            | "Its"
            | "His"
            | "Her"
            | "We"
            | "Our"
            | "You"
            | "Your"
            | "I"
            | "My"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "Yet"
            | "Nor"
            | "However"
            | "Meanwhile"
            | "Moreover"
            | "Furthermore"
            | "Still"
            | "Also"
            | "Then"
            | "Now"
            | "Thus"
            | "Hence"
            | "Instead"
            | "Indeed"
            | "In"
            | "On"
            | "At"
            | "As"
            | "Of"
            | "For"
            | "With"
            | "By"
            | "From"
            | "To"
            | "Into"
            | "After"
            | "Before"
            | "During"
            | "Since"
            | "Until"
            | "While"
            | "When"
            | "Where"
            | "What"
            | "Which"
            | "Who"
            | "Why"
            | "How"
            | "If"
            | "Although"
            | "Though"
            | "Because"
            | "Unlike"
            | "Like"
            | "Despite"
            | "According"
            | "Some"
            | "Many"
            | "Most"
            | "Much"
            | "Several"
            | "Few"
            | "All"
            | "Both"
            | "Each"
            | "Every"
            | "No"
            | "Not"
            | "None"
            | "One"
            | "Two"
            | "Three"
            | "Other"
            | "Another"
            | "Such"
            | "Last"
            | "Earlier"
            | "Later"
            | "Today"
            | "Yesterday"
            | "Tomorrow"
            | "Here"
            | "Is"
            | "Are"
            | "Was"
            | "Were"
            | "Do"
            | "Does"
            | "Did"
            | "Can"
            | "Could"
            | "Should"
            | "Would"
            | "Will"
    )
}
