//! The claims stage on sentences written for these tests: speakers, cues, quotes and hedges are
//! checked by slicing the text with their offsets (both char and byte), not only by counting.

use unspin::claims::{self, AttributionKind, Claims, SentenceClaims, SentenceScorer, SentenceScores, SentenceScoring, SourceKind};
use unspin::segment::Segmentation;
use unspin::{Document, Metadata, Span};

fn claims_of(text: &str) -> Claims {
    let doc = Document::new("t", text, Metadata::default());
    let seg = unspin::segment::segment(text);
    claims::analyze(&doc, &seg, None).unwrap()
}

/// The text under `span`, checked to be the same by char and by byte offsets.
fn at(text: &str, span: &Span) -> String {
    let by_bytes = &text[span.bytes()];
    let by_chars: String = text.chars().skip(span.start).take(span.end - span.start).collect();
    assert_eq!(by_bytes, by_chars, "char and byte offsets disagree");
    by_bytes.to_owned()
}

/// (kind, speaker, cue, source) of each attribution of sentence `i`, read through the offsets.
fn cues(text: &str, c: &Claims, i: usize) -> Vec<(AttributionKind, Option<String>, String, SourceKind)> {
    c.sentences[i]
        .attributions
        .iter()
        .map(|a| {
            assert_eq!(at(text, &a.cue.span), a.cue.text);
            (a.kind, a.speaker.as_ref().map(|s| at(text, &s.span)), at(text, &a.cue.span), a.source)
        })
        .collect()
}

fn source(c: &Claims, i: usize) -> (SourceKind, Option<&str>) {
    (c.sentences[i].source.kind, c.sentences[i].source.speaker.as_deref())
}

#[test]
fn speech_verbs_take_the_phrase_to_their_left() {
    let text = "The embassy stated that the convoy had been attacked. Russian intelligence confirmed years ago \
                that the US knew in advance. On Tuesday the Ministry of Defence said the base was safe. \
                Mira Castell told reporters that the vote was rigged.";
    let c = claims_of(text);
    assert_eq!(c.sentences.len(), 4);
    assert_eq!(
        cues(text, &c, 0),
        [(AttributionKind::Verb, Some("The embassy".into()), "stated".into(), SourceKind::Named)]
    );
    assert_eq!(
        cues(text, &c, 1),
        [(AttributionKind::Verb, Some("Russian intelligence".into()), "confirmed".into(), SourceKind::Vague)]
    );
    assert_eq!(
        cues(text, &c, 2),
        [(AttributionKind::Verb, Some("the Ministry of Defence".into()), "said".into(), SourceKind::Named)],
        "a determiner after a time phrase starts the speaker"
    );
    assert_eq!(
        cues(text, &c, 3),
        [(AttributionKind::Verb, Some("Mira Castell".into()), "told reporters".into(), SourceKind::Named)]
    );
    assert_eq!(source(&c, 3), (SourceKind::Named, Some("Mira Castell")));
    assert!(c.sentences.iter().all(|s| s.claim && !s.unattributed));
    assert_eq!((c.summary.claims, c.summary.attributed, c.summary.named, c.summary.vague), (4, 4, 3, 1));
    assert_eq!(c.summary.attributed_share, 1.0);
}

#[test]
fn according_to_passive_and_adverb_cues() {
    let text = "According to sources close to the Ministry of Transport, the contract was drafted in English. \
                It was widely reported that the talks had collapsed overnight. \
                The minister reportedly signed the lease in secret. \
                The deal was signed, according to Mira Castell of the opposition.";
    let c = claims_of(text);
    assert_eq!(
        cues(text, &c, 0),
        [(
            AttributionKind::AccordingTo,
            Some("sources close to the Ministry of Transport".into()),
            "According to".into(),
            SourceKind::Vague
        )]
    );
    assert_eq!(
        cues(text, &c, 1),
        [(AttributionKind::Passive, None, "It was widely reported".into(), SourceKind::Vague)]
    );
    assert_eq!(source(&c, 1), (SourceKind::Vague, None));
    assert_eq!(cues(text, &c, 2), [(AttributionKind::Adverb, None, "reportedly".into(), SourceKind::Vague)]);
    assert_eq!(source(&c, 3), (SourceKind::Named, Some("Mira Castell of the opposition")));
}

#[test]
fn vague_and_named_speakers() {
    for (sentence, kind, speaker) in [
        ("Some say the vote was rigged from the start.", SourceKind::Vague, "Some"),
        ("Experts believe the bridge will not last a decade.", SourceKind::Vague, "Experts"),
        ("US officials said the drills would continue all week.", SourceKind::Vague, "US officials"),
        ("A senior official told the press that talks were over.", SourceKind::Vague, "A senior official"),
        ("The Kremlin denied that any troops had crossed the border.", SourceKind::Named, "The Kremlin"),
        ("The ministry's spokesman said the figures were accurate.", SourceKind::Named, "The ministry's spokesman"),
        (
            "Dr. Anna Weiss of the Geneva Institute warned that stocks were low.",
            SourceKind::Named,
            "Dr. Anna Weiss of the Geneva Institute",
        ),
    ] {
        let c = claims_of(sentence);
        assert_eq!(source(&c, 0), (kind, Some(speaker)), "{sentence}");
    }
}

#[test]
fn unattributed_claims_and_author_voice() {
    let text = "The US knew in advance about the attack. I believe the plan will fail within a year. Why?";
    let c = claims_of(text);
    assert_eq!(source(&c, 0), (SourceKind::None, None));
    assert!(c.sentences[0].claim && c.sentences[0].unattributed);
    assert!(c.sentences[1].attributions.is_empty(), "the author is not a source");
    assert!(!c.sentences[2].claim, "a question is not a claim");
    assert_eq!((c.summary.claims, c.summary.unattributed, c.summary.attributed_share), (2, 2, 0.0));
}

#[test]
fn direct_quotes_take_the_adjacent_cue() {
    // Curly quotes and accents: char and byte offsets differ.
    let text = "“We will not back down,” Foreign Minister Sergéi Lavrov said on Tuesday. \
                Castell said: \"This is a fire sale, and everyone knows it.\"";
    let c = claims_of(text);
    assert_eq!(c.quotes.len(), 2);
    let q = &c.quotes[0];
    assert_eq!(at(text, &q.span), "We will not back down,");
    assert_ne!(q.span.start, q.span.byte_start + 1, "offsets past a curly quote differ");
    assert!(q.closed && !q.scare_quote);
    assert_eq!(
        (q.source.kind, q.source.speaker.as_deref()),
        (SourceKind::Named, Some("Foreign Minister Sergéi Lavrov"))
    );
    assert_eq!(
        cues(text, &c, 0),
        [(AttributionKind::Verb, Some("Foreign Minister Sergéi Lavrov".into()), "said".into(), SourceKind::Named)]
    );
    assert_eq!(at(text, &c.quotes[1].span), "This is a fire sale, and everyone knows it.");
    assert_eq!(c.quotes[1].source.speaker.as_deref(), Some("Castell"));
    assert_eq!(c.sentences[1].quotes, [1]);
    // Cues inside a quote belong to the quoted speaker, not to the sentence.
    let inner = "\"Officials said nothing to us about the deal,\" the mayor said.";
    let c = claims_of(inner);
    assert_eq!(
        cues(inner, &c, 0),
        [(AttributionKind::Verb, Some("the mayor".into()), "said".into(), SourceKind::Named)]
    );
}

#[test]
fn speakers_carry_over_to_pronouns_and_quote_continuations() {
    let text = "Lavrov said the talks were over. He added that sanctions would follow.\n\n\
                Castell said: “The deal is a disgrace and we will fight it.\n\n\
                “It will cost the port towns their livelihoods for a generation.”\n\n\
                The weather was fine all week in the capital city.";
    let c = claims_of(text);
    let he = &c.sentences[1].attributions[0];
    assert_eq!(at(text, &he.speaker.as_ref().unwrap().span), "He");
    assert_eq!(he.resolved.as_deref(), Some("Lavrov"));
    assert_eq!(c.sentences[1].source.speaker.as_deref(), Some("Lavrov"));
    assert_eq!(c.quotes.len(), 2);
    assert!(!c.quotes[0].closed, "left open at the paragraph's end");
    assert_eq!(at(text, &c.quotes[0].span), "The deal is a disgrace and we will fight it.");
    let continuation = &c.quotes[1];
    assert!(continuation.closed);
    assert_eq!(continuation.source.speaker.as_deref(), Some("Castell"));
    assert_eq!(continuation.source.carried_from, Some(2));
    let last = c.sentences.len() - 1;
    assert_eq!(source(&c, last), (SourceKind::None, None), "nothing carries past a plain paragraph");
}

#[test]
fn phrasal_verbs_are_not_speech() {
    let text = "Critics disagreed with the minister, saying the numbers did not add up at all. \
                The new tariffs add to the pressure on farmers. \
                The bank wrote off the loans. \
                The finance minister added that the budget was balanced.";
    let c = claims_of(text);
    assert_eq!(c.sentences.len(), 4);
    assert!(cues(text, &c, 0).iter().all(|(_, _, cue, _)| cue != "add"), "{:?}", cues(text, &c, 0));
    assert_eq!(cues(text, &c, 1), []);
    assert_eq!(cues(text, &c, 2), []);
    assert_eq!(
        cues(text, &c, 3),
        [(AttributionKind::Verb, Some("The finance minister".into()), "added".into(), SourceKind::Named)]
    );
}

#[test]
fn what_is_not_yet_said_is_no_cue() {
    let text = "The inquiry will report by the summer. \
                The mayor may tell the court about the contracts. \
                Judge Maria Ortiz told the court that the contracts were legal.";
    let c = claims_of(text);
    assert_eq!(c.sentences.len(), 3);
    assert_eq!(cues(text, &c, 0), []);
    assert_eq!(cues(text, &c, 1), []);
    assert_eq!(
        cues(text, &c, 2),
        [(AttributionKind::Verb, Some("Judge Maria Ortiz".into()), "told".into(), SourceKind::Named)]
    );
}

#[test]
fn scare_quotes_are_not_speech() {
    let text = "The so-called \"reform\" government signed the lease on Tuesday.";
    let c = claims_of(text);
    assert_eq!(c.quotes.len(), 1);
    assert!(c.quotes[0].scare_quote);
    assert_eq!(source(&c, 0), (SourceKind::None, None));
    assert_eq!(c.summary.quotes, 0);
}

#[test]
fn hedges_and_insinuations_with_offsets() {
    let text = "It seems the deal may have been settled long before. But who really benefits when the port \
                is sold? “Why won't they answer?” she asked. Allegedly, in May, the files vanished.";
    let c = claims_of(text);
    let hedges = |i: usize| -> Vec<String> { c.sentences[i].hedges.iter().map(|h| at(text, &h.span)).collect() };
    assert_eq!(hedges(0), ["It seems", "may have"]);
    assert!(c.sentences[0].hedged());
    let q = c.sentences[1].insinuation.as_ref().unwrap();
    assert_eq!(at(text, &q.span), "who really");
    assert!(c.sentences[2].insinuation.is_none(), "a quoted question is the speaker's");
    assert_eq!(hedges(3), ["Allegedly"], "the month May is not a hedge");
    assert_eq!(c.summary.hedges, 3);
    assert_eq!(c.summary.insinuations, 1);
}

#[test]
fn bad_input_gets_sensible_output() {
    // Only a quote mark.
    for text in ["\"", "“", "”", "\" \"", "«»"] {
        let c = claims_of(text);
        assert!(c.quotes.is_empty(), "{text:?}");
        assert!(c.sentences.iter().all(|s| !s.claim), "{text:?}");
    }
    // Quotes left open in every paragraph never run past it.
    let text = "He said \"this never ends.\n\nNext paragraph is plain and has no quote at all.\n\n\"Another";
    let c = claims_of(text);
    assert_eq!(c.quotes.len(), 2);
    assert_eq!(at(text, &c.quotes[0].span), "this never ends.");
    assert_eq!(at(text, &c.quotes[1].span), "Another");
    assert!(c.quotes.iter().all(|q| !q.closed));
    assert!(c.sentences[1].quotes.is_empty());
    // A 5,000-word sentence, with cues and hedges sprinkled in.
    let long = "officials said it may have rained and ".repeat(1_000);
    let c = claims_of(&long);
    assert!(!c.sentences.is_empty());
    // The segmenter caps sentence length, so a cut may split a "may have" or two.
    assert!(c.sentences.len() > 1);
    assert!((995..=1_000).contains(&c.summary.hedges), "{:?}", c.summary);
    let one = claims::analyze_sentence(&long, None).unwrap();
    assert_eq!(one.source.kind, SourceKind::Vague);
    assert_eq!(one.hedges.len(), 1_000);
    // Empty and blank.
    assert!(claims_of("").sentences.is_empty());
    assert_eq!(claims::analyze_sentence("   ", None).unwrap().source.kind, SourceKind::None);
}

#[test]
fn outlet_is_attached_from_the_url() {
    let meta = Metadata { url: Some("https://edition.cnn.com/2019/03/07/x.html".into()), ..Metadata::default() };
    let doc = Document::new("t", "The vote was held.", meta);
    let seg = unspin::segment::segment(&doc.text);
    let c = claims::analyze(&doc, &seg, None).unwrap();
    let profile = c.outlet.as_ref().and_then(|o| o.profile()).unwrap();
    assert_eq!((profile.host.as_str(), profile.factuality.as_str()), ("cnn.com", "mixed"));
    let garbage = Document::new("t", "x", Metadata { url: Some("ht!tp://???".into()), ..Metadata::default() });
    let c = claims::analyze(&garbage, &unspin::segment::segment("x"), None).unwrap();
    // A URL that is not one is said to be so, not guessed at.
    assert!(matches!(c.outlet, Some(unspin::claims::outlet::OutletLookup::Invalid { .. })), "{:?}", c.outlet);
    let none = claims_of("No site at all.");
    assert!(none.outlet.is_none());
}

/// A stand-in classifier: check-worthy when the sentence holds a digit, subjective when it holds
/// "I think".
struct Digits;

impl SentenceScorer for Digits {
    fn name(&self) -> &str {
        "digits"
    }

    fn score(&self, doc: &Document, seg: &Segmentation) -> unspin::Result<Vec<SentenceScores>> {
        Ok(seg
            .sentences
            .iter()
            .map(|s| {
                let t = s.span.text(&doc.text);
                SentenceScores {
                    checkworthy: Some(if t.chars().any(|c| c.is_ascii_digit()) { 0.9 } else { 0.1 }),
                    subjective: Some(if t.contains("I think") { 0.8 } else { 0.2 }),
                }
            })
            .collect())
    }
}

/// Answers with one score too few.
struct Short;

impl SentenceScorer for Short {
    fn name(&self) -> &str {
        "short"
    }

    fn score(&self, _: &Document, seg: &Segmentation) -> unspin::Result<Vec<SentenceScores>> {
        Ok(vec![SentenceScores::default(); seg.sentences.len().saturating_sub(1)])
    }
}

#[test]
fn a_scorer_decides_claims_and_subjectivity() {
    let text = "Unemployment rose by 12 percent in 2023. I think the harbour looks lovely in the spring sun.";
    let doc = Document::new("t", text, Metadata::default());
    let seg = unspin::segment::segment(text);
    let scoring = SentenceScoring::from_scorer(&Digits, &doc, &seg).unwrap();
    let c = claims::analyze(&doc, &seg, Some(&scoring)).unwrap();
    assert_eq!(c.basis, claims::ClaimBasis::Checkworthy);
    assert_eq!(c.scorer.as_deref(), Some("digits"));
    let s: Vec<&SentenceClaims> = c.sentences.iter().collect();
    assert_eq!((s[0].checkworthy, s[0].claim, s[0].unattributed), (Some(0.9), true, true));
    assert_eq!((s[1].checkworthy, s[1].claim), (Some(0.1), false));
    assert_eq!((c.summary.claims, c.summary.subjective, c.summary.subjective_share), (1, Some(1), Some(0.5)));
    // Without a scorer nothing is made up.
    let plain = claims::analyze(&doc, &seg, None).unwrap();
    assert!(plain.sentences.iter().all(|s| s.checkworthy.is_none() && s.subjective.is_none()));
    assert_eq!((plain.summary.subjective, plain.summary.subjective_share), (None, None));
    // A scorer that miscounts is an error naming it.
    let short = SentenceScoring::from_scorer(&Short, &doc, &seg).unwrap();
    let err = claims::analyze(&doc, &seg, Some(&short)).unwrap_err();
    assert_eq!(err.to_string(), "sentence scorer short: 1 scores for 2 sentences");
    // Through the pipeline: the scorer's verdicts reach the analysis, and a miscount fails it.
    let analysis = unspin::Pipeline::new().with_sentence_scorer(Digits).analyze(doc.clone()).unwrap();
    assert_eq!(analysis.claims, c);
    let err = unspin::Pipeline::new().with_sentence_scorer(Short).analyze(doc).unwrap_err();
    assert_eq!(err.to_string(), "sentence scorer short: 1 scores for 2 sentences");
}

/// Scores every sentence check-worthy, as a model did a byline (0.96).
struct Everything;

impl SentenceScorer for Everything {
    fn name(&self) -> &str {
        "everything"
    }

    fn score(&self, _: &Document, seg: &Segmentation) -> unspin::Result<Vec<SentenceScores>> {
        Ok(vec![SentenceScores { checkworthy: Some(0.96), subjective: None }; seg.sentences.len()])
    }
}

#[test]
fn bylines_and_datelines_are_never_claims() {
    let text = "By Jane Doe\n\nBy JANE DOE and JOHN ROE, Reuters\n\nKYIV, Ukraine, Feb. 24 (AP) —\n\n\
                WASHINGTON (Reuters) — The Senate passed the bill on Thursday.\n\n\
                Reporting by Jane Doe; Editing by John Roe";
    let doc = Document::new("t", text, Metadata::default());
    let seg = unspin::segment::segment(text);
    let sentences: Vec<&str> = seg.sentences.iter().map(|s| s.span.text(text)).collect();
    assert_eq!(sentences.len(), 5, "{sentences:?}");
    let scoring = SentenceScoring::from_scorer(&Everything, &doc, &seg).unwrap();
    for c in [claims::analyze(&doc, &seg, Some(&scoring)).unwrap(), claims_of(text)] {
        let claims: Vec<&str> = c.sentences.iter().filter(|s| s.claim).map(|s| sentences[s.sentence]).collect();
        assert_eq!(claims, ["WASHINGTON (Reuters) — The Senate passed the bill on Thursday."], "basis {:?}", c.basis);
        assert_eq!(c.summary.claims, 1);
    }
}

#[test]
fn a_speaker_never_crosses_a_sentence_end() {
    let text = "The protests were organised by the US. Nuland said as much in a call. \
                The money came from the U.S. It said nothing more. \
                U.S. Secretary of State Helen Marlow said the talks went well. \
                Dr. J. Ellison, who led the study, said the results were early.";
    let c = claims_of(text);
    let speakers: Vec<Option<String>> = c
        .sentences
        .iter()
        .map(|s| s.attributions.first().and_then(|a| a.speaker.as_ref()).map(|sp| at(text, &sp.span)))
        .collect();
    assert_eq!(
        speakers,
        [
            None,
            Some("Nuland".into()),
            None,
            Some("It".into()),
            Some("U.S. Secretary of State Helen Marlow".into()),
            Some("Dr. J. Ellison".into()),
        ]
    );
    assert_eq!(source(&c, 1), (SourceKind::Named, Some("Nuland")));
    // With the sentence cut by the line, too.
    let c = claims_of("Every step was approved by the US.\nSecretary Marlow said so herself.");
    assert_eq!(source(&c, 1), (SourceKind::Named, Some("Secretary Marlow")));
    // Abbreviations inside a sentence still hold a name together.
    let c = claims_of("The company, Veltra Inc., said it would cut 2,000 jobs. Sen. Ruth Alder (D-Ore.) said no.");
    assert_eq!(source(&c, 0), (SourceKind::Named, Some("Veltra Inc.")));
    assert_eq!(source(&c, 1), (SourceKind::Named, Some("Sen. Ruth Alder")));
}
