//! Page furniture that survives main-content extraction, removed paragraph by paragraph.
//!
//! The extractor picks the right part of the page but often keeps what sits inside that part:
//! the headline and byline above the text, "Advertisement" slots between paragraphs, and a "You
//! may also like" block of other headlines at the end. These have recognisable shapes, so they
//! are removed by shape, never by site:
//!
//! - **Furniture lines**: a paragraph that is nothing but a label a page prints for every
//!   article ("Advertisement", "Share this article", "Leave a reply"), or a call to action
//!   ("Click here to get the app").
//! - **See-also blocks**: a heading that announces other content ("More:", "Related:", "You may
//!   also like") and the headline-like lines after it, up to the next real sentence.
//! - **The page head**: paragraphs before the text that repeat the title, or are a byline, a date
//!   or a short all-capitals label ("BREAKING NEWS").
//! - **Repeated bylines and dates**: a byline or date line that occurs more than once in the body
//!   belongs to a list of other articles. (Other repeated short lines are not removed: tables and
//!   schedules repeat cells like "Meal 2" legitimately.)
//! - **Dated headline lists**: a headline-like line followed by a line that is only a date (with
//!   perhaps a byline between), three times or more, is a "latest news" list of other articles; every such pair goes. A live blog's
//!   timestamps are followed by sentences, not headlines, so its updates stay.
//!
//! Each rule looks only at short, non-sentence paragraphs, so the article's own prose is never at
//! risk; its lists and subheadings survive because they do not follow a see-also heading.

use std::collections::HashMap;

use super::date;

/// The paragraphs of `paragraphs` that belong to the article. `title` is the page's headline.
pub fn strip<'a>(paragraphs: &[&'a str], title: Option<&str>) -> Vec<&'a str> {
    let mut keep = vec![true; paragraphs.len()];
    let title_key = title.map(key).filter(|k| !k.is_empty());

    // The page head: leading headline, byline, date and label lines.
    for (i, p) in paragraphs.iter().enumerate() {
        let is_head = title_key.as_deref().is_some_and(|t| key(p) == t)
            || is_byline(p)
            || is_dateline(p)
            || is_label(p);
        if !is_head || is_sentence(p) {
            break;
        }
        keep[i] = false;
    }

    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in paragraphs {
        if is_byline(p) || is_dateline(p) {
            *counts.entry(key(p)).or_default() += 1;
        }
    }

    // Dated headline lists: headline (byline) dateline items, removed when there are three or more.
    let dated: Vec<(usize, usize)> = (1..paragraphs.len())
        .filter(|&i| is_dateline(paragraphs[i]))
        .filter_map(|i| {
            let first = if i >= 2 && is_byline(paragraphs[i - 1]) { i - 2 } else { i - 1 };
            let headline = paragraphs[first];
            (!is_dateline(headline) && !is_byline(headline) && !is_sentence(headline) && words(headline) <= 20)
                .then_some((first, i))
        })
        .collect();
    if dated.len() >= 3 {
        for (first, last) in dated {
            keep[first..=last].fill(false);
        }
    }

    let mut in_see_also = false;
    for (i, p) in paragraphs.iter().enumerate() {
        if in_see_also {
            if is_sentence(p) || words(p) > 20 {
                in_see_also = false;
            } else {
                keep[i] = false;
                continue;
            }
        }
        if is_see_also_heading(p) {
            keep[i] = false;
            in_see_also = true;
            continue;
        }
        if is_furniture(p) || counts.get(&key(p)).is_some_and(|n| *n > 1) {
            keep[i] = false;
        }
    }
    paragraphs.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

/// Lower-case letters and digits only: how two lines are compared.
fn key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// No furniture shape ([`is_byline`], [`is_dateline`], [`is_label`], [`is_furniture`],
/// [`is_see_also_heading`]) has more white-space separated words than this.
pub(super) const FURNITURE_WORDS: usize = 15;

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Ends like a sentence: terminal punctuation, possibly inside closing quotes or brackets.
fn is_sentence(p: &str) -> bool {
    let end = p.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»', '」', '』']);
    end.ends_with(['.', '!', '?', '…', '。', '！', '？']) && !end.ends_with("...") && words(p) > 3
}

/// `By Ann Lee`, `By ANN LEE - 2019-04-10`, `Written by …`.
pub(super) fn is_byline(p: &str) -> bool {
    if words(p) > 10 {
        return false;
    }
    let lower = p.to_lowercase();
    lower.starts_with("by ") || lower.starts_with("written by ") || lower.starts_with("posted by ")
}

/// A line that is only a date and time (`11/20/2019 01:14 PM`, `2018-08-16`, `Updated at 1:23
/// p.m.`, `First Published on Nov 20, 2019 01:38 pm`).
pub(super) fn is_dateline(p: &str) -> bool {
    if words(p) > 10 {
        return false;
    }
    let lower = p.to_lowercase();
    let stamp_words = ["updated", "published", "posted", "first published", "last updated"];
    if stamp_words.iter().any(|w| lower.starts_with(w)) && lower.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    if date::normalize(p).is_some() {
        return true;
    }
    // Digits, separators and am/pm only.
    let rest: String = lower.replace("am", "").replace("pm", "");
    rest.chars().any(|c| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_digit() || " /.:-,".contains(c))
}

/// A short all-capitals label such as `BREAKING NEWS` or `EXCLUSIVE`.
pub(super) fn is_label(p: &str) -> bool {
    if words(p) > 3 {
        return false;
    }
    let mut letters = p.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}

/// Labels printed on every article page, compared as [`key`]s.
const FURNITURE: &[&str] = &[
    "advertisement", "advert", "ad", "ads", "sponsored", "sponsoredlinks", "sponsoredcontent",
    "promoted", "promotedcontent", "storycontinuesbelow", "storycontinuesbelowadvertisement",
    "continuereading", "continuereadingbelow", "continuereadingthemainstory", "sharethisarticle",
    "sharethis", "sharethisstory", "share", "shareonfacebook", "shareontwitter", "tweet", "email",
    "print", "comments", "comment", "leaveareply", "leaveareplycancelreply", "leaveacomment",
    "postacomment", "thisslideshowrequiresjavascript", "tellusyouthink", "telluswhatyouthink",
    "followus", "subscribe", "subscribenow", "signup", "newsletter", "readmore", "readnext",
    "skipadvertisement", "scrolltocontinuewithcontent", "advertisementscrolltocontinuewithcontent",
    "photo", "video", "watch", "listen", "image", "getty", "gettyimages", "reuters", "ap",
    "copyright", "allrightsreserved",
];

/// Starts of calls to action and comment-form text.
const FURNITURE_PREFIXES: &[&str] = &[
    "clickhere", "clickheretoget", "youmustbeloggedintopost", "signupfor", "subscribeto",
    "followuson", "likeusonfacebook", "downloadourapp", "thisslideshowrequires",
];

pub(super) fn is_furniture(p: &str) -> bool {
    if words(p) > FURNITURE_WORDS {
        return false;
    }
    let k = key(p);
    if k.is_empty() {
        return !p.trim().is_empty() && words(p) <= 3; // a line of only symbols: "|", "•", "___"
    }
    FURNITURE.contains(&k.as_str())
        || FURNITURE_PREFIXES.iter().any(|f| k.starts_with(f))
        || k.contains("byclickinghere")
        || k.ends_with("clickhere")
}

/// Headings that introduce links to other articles.
const SEE_ALSO: &[&str] = &[
    "more", "related", "relatedarticles", "relatedstories", "relatedposts", "relatedcontent",
    "relatedcoverage", "relatedlinks", "relatednews", "youmayalsolike", "youmightalsolike",
    "youmayalsobeinterestedin", "youmightbeinterestedin", "recommended", "recommendedforyou",
    "moststories", "morestories", "morenews", "mostpopular", "mostread", "trending", "seealso",
    "alsoread", "readalso", "readmore", "seemore", "morefromthisauthor", "moreonthis",
    "moreonthisstory", "popular", "whattoreadnext", "aroundtheweb", "source", "tags",
    "abouttheauthor", "関連記事", "関連ニュース", "관련기사", "читайтетакже", "похожиестатьи",
];

pub(super) fn is_see_also_heading(p: &str) -> bool {
    if words(p) > 6 || is_sentence(p) {
        return false;
    }
    let k = key(p);
    // "More in Milan", "More from Politics", "Related: <headline>".
    let lower = p.trim().to_lowercase();
    SEE_ALSO.contains(&k.as_str())
        || (words(p) <= 4 && (lower.starts_with("more in ") || lower.starts_with("more from ")))
        || ["related:", "see more:", "read more:", "also read:", "see also:", "more:"]
            .iter()
            .any(|prefix| lower.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_furniture_and_see_also_go() {
        let page = [
            "BREAKING NEWS",
            "Dam opens after ten years",
            "By ANN LEE",
            "11/20/2019 01:14 PM",
            "The new dam on the Vell river opened on Tuesday.",
            "Advertisement",
            "Engineers said the reservoir would fill by spring.",
            "Water rights",
            "Farmers downstream were less pleased.",
            "You may also like...",
            "Bridge closes for repairs",
            "Five things to know about floods",
            "A final long paragraph that is a sentence, so the see-also block has ended here.",
        ];
        assert_eq!(
            strip(&page, Some("Dam opens after ten years")),
            [
                "The new dam on the Vell river opened on Tuesday.",
                "Engineers said the reservoir would fill by spring.",
                "Water rights",
                "Farmers downstream were less pleased.",
                "A final long paragraph that is a sentence, so the see-also block has ended here.",
            ]
        );
    }

    #[test]
    fn repeated_bylines_go_prose_and_tables_stay() {
        let page = ["First point made here.", "By REUTERS", "Other item", "By REUTERS", "Last point made here, too."];
        assert_eq!(strip(&page, None), ["First point made here.", "Other item", "Last point made here, too."]);
        let table = ["Plan for the week.", "Meal 1", "Eat every 2 hours", "Meal 2", "Eat every 2 hours"];
        assert_eq!(strip(&table, None), table);
        // A short label alone (not repeated, not furniture) stays: it may be a subheading.
        assert_eq!(strip(&["Intro text comes first.", "Background", "More text follows."], None).len(), 3);
    }

    #[test]
    fn dated_headline_lists_go_live_blog_updates_stay() {
        let page = [
            "The council voted on Tuesday to close the old bridge.",
            "Repairs will take a year, the engineer said.",
            "Storm closes harbour",
            "11/20/2019 01:14 PM",
            "Mayor opens new library",
            "By STAFF",
            "11/20/2019 10:08 AM",
            "Trains delayed after flood",
            "11/19/2019 11:40 PM",
        ];
        assert_eq!(strip(&page, None), page[..2]);
        // Two items are not yet a list (an article can end with a dated note).
        assert_eq!(strip(&page[..7], None), page[..7]);
        let live = [
            "Live: the old bridge",
            "Follow the day's events as they happen.",
            "10:08 AM",
            "The mayor has arrived at the bridge and is speaking to engineers.",
            "10:30 AM",
            "Police have closed the road on both sides.",
            "10:45 AM",
            "Engineers say the deck moved in the night.",
        ];
        assert_eq!(strip(&live, None), live);
    }

    #[test]
    fn shapes() {
        assert!(is_dateline("2018-08-16"));
        assert!(is_dateline("Updated at 1:23 p.m."));
        assert!(!is_dateline("Updated rules for 2020 come into force in March for all drivers."));
        assert!(is_furniture("CLICK HERE TO GET THE FOX NEWS APP"));
        assert!(is_furniture("Get it on the go by clicking here"));
        assert!(!is_furniture("Readers who click here often regret it, the study found."));
        assert!(is_see_also_heading("More in Milan"));
        assert!(is_see_also_heading("Related: Ten photos of the dam"));
        assert!(!is_see_also_heading("More than 300 people came."));
    }
}
