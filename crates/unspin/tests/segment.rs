//! Segmentation of whole texts: paragraphs, sentences, tokens, their offsets and their nesting.
//!
//! Every test checks the text the spans cover; [`check`] also verifies, for every segmentation
//! made here, the invariants the rest of the pipeline relies on.

use std::time::{Duration, Instant};

use unspin::segment::{segment, Segmentation, TokenKind, MAX_SENTENCE_BYTES, MAX_SENTENCE_TOKENS};
use unspin::Span;

/// The text of `span`, read through its char offsets rather than its byte offsets.
fn by_chars(text: &str, span: &Span) -> String {
    text.chars().skip(span.start).take(span.end - span.start).collect()
}

/// Segment `text` and check the invariants: char and byte offsets cover the same text; spans are
/// trimmed, non-empty, ordered and non-overlapping; sentences lie in their paragraph and tokens in
/// their sentence, and the index ranges say so.
fn check(text: &str) -> Segmentation {
    let seg = segment(text);
    let ascii = text.is_ascii();
    let spans = seg
        .paragraphs
        .iter()
        .map(|p| p.span)
        .chain(seg.sentences.iter().map(|s| s.span))
        .chain(seg.tokens.iter().map(|t| t.span));
    for span in spans {
        let covered = span.text(text);
        assert!(!covered.is_empty(), "empty span {span:?}");
        assert_eq!(covered.trim(), covered, "untrimmed span {span:?}");
        // Reading by chars is quadratic over many spans; the ASCII case has equal offsets.
        if ascii {
            assert_eq!((span.start, span.end), (span.byte_start, span.byte_end));
        } else if text.len() < 100_000 {
            assert_eq!(by_chars(text, &span), covered);
        }
    }
    let mut next_sentence = 0;
    for (p, paragraph) in seg.paragraphs.iter().enumerate() {
        assert_eq!(paragraph.sentences.start, next_sentence, "paragraph {p} skips sentences");
        assert!(!paragraph.sentences.is_empty(), "paragraph {p} has no sentence");
        next_sentence = paragraph.sentences.end;
        for sentence in &seg.sentences[paragraph.sentences.clone()] {
            assert_eq!(sentence.paragraph, p);
            assert!(paragraph.span.start <= sentence.span.start);
            assert!(sentence.span.end <= paragraph.span.end);
        }
    }
    assert_eq!(next_sentence, seg.sentences.len());
    let mut next_token = 0;
    for (s, sentence) in seg.sentences.iter().enumerate() {
        assert_eq!(sentence.tokens.start, next_token, "sentence {s} skips tokens");
        next_token = sentence.tokens.end;
        let tokens = &seg.tokens[sentence.tokens.clone()];
        let (first, last) = (tokens.first().expect("no tokens"), tokens.last().expect("no tokens"));
        assert_eq!(first.span.start, sentence.span.start, "sentence {s} starts before its tokens");
        assert_eq!(last.span.end, sentence.span.end, "sentence {s} ends after its tokens");
        if s > 0 {
            assert!(seg.sentences[s - 1].span.end <= sentence.span.start);
        }
    }
    assert_eq!(next_token, seg.tokens.len());
    for pair in seg.tokens.windows(2) {
        assert!(pair[0].span.end <= pair[1].span.start);
    }
    seg
}

fn sentences(text: &str) -> Vec<&str> {
    check(text).sentences.iter().map(|s| s.span.text(text)).collect()
}

fn tokens(text: &str) -> Vec<(&str, TokenKind)> {
    check(text).tokens.iter().map(|t| (t.span.text(text), t.kind)).collect()
}

#[test]
fn terminators_and_closing_quotes() {
    assert_eq!(
        sentences("He said “No.” Then he left. Was it over?! Nobody knew… Silence!"),
        ["He said “No.”", "Then he left.", "Was it over?!", "Nobody knew…", "Silence!"]
    );
    assert_eq!(
        sentences("She asked: 'Why?' He shrugged. (It was late.) They went home."),
        ["She asked: 'Why?'", "He shrugged.", "(It was late.)", "They went home."]
    );
    // A question or exclamation inside a quote, followed by lower case, continues the sentence.
    assert_eq!(
        sentences("“Why now?” he asked. “Enough!” she cried."),
        ["“Why now?” he asked.", "“Enough!” she cried."]
    );
}

#[test]
fn titles_and_abbreviations_do_not_split() {
    let text = "Mr. and Mrs. Smith met Dr. Jones, Gen. Milley, Sen. Warren, Rep. King, Gov. \
                Abbott, Lt. Col. North and St. Peter on Jan. 5 and Feb. 6. It was No. 1 vs. \
                No. 2, e.g. a final, i.e. decisive, with banners, flags, etc. on every wall.";
    assert_eq!(
        sentences(text),
        [
            "Mr. and Mrs. Smith met Dr. Jones, Gen. Milley, Sen. Warren, Rep. King, Gov. Abbott, \
             Lt. Col. North and St. Peter on Jan. 5 and Feb. 6.",
            "It was No. 1 vs. No. 2, e.g. a final, i.e. decisive, with banners, flags, etc. on \
             every wall."
        ]
    );
}

#[test]
fn abbreviations_that_end_sentences() {
    // Company and name suffixes split before a common sentence opener, not before a name.
    assert_eq!(
        sentences("Acme Inc. rose. He bought Acme Corp. The deal closed. Martin Luther King Jr. Day came."),
        ["Acme Inc. rose.", "He bought Acme Corp.", "The deal closed.", "Martin Luther King Jr. Day came."]
    );
    // The documented heuristic for "U.S." and "U.K." at the end of a sentence.
    assert_eq!(
        sentences(
            "Troops left the U.S. But they came back. The U.S. Army and the U.K. Navy agreed."
        ),
        ["Troops left the U.S.", "But they came back.", "The U.S. Army and the U.K. Navy agreed."]
    );
    assert_eq!(
        sentences(
            "He flew to the U.K. It rained. Later the U.S. officials met at 5 p.m. There was tea."
        ),
        [
            "He flew to the U.K.",
            "It rained.",
            "Later the U.S. officials met at 5 p.m.",
            "There was tea."
        ]
    );
}

#[test]
fn initials_numbers_and_addresses() {
    assert_eq!(
        sentences(
            "J. R. R. Tolkien met George W. Bush. Growth was 3.5 percent, or $1.2 billion, in \
             v2.0 of the plan. Read rt.com or mail press@rt.com today. See www.example.org."
        ),
        [
            "J. R. R. Tolkien met George W. Bush.",
            "Growth was 3.5 percent, or $1.2 billion, in v2.0 of the plan.",
            "Read rt.com or mail press@rt.com today.",
            "See www.example.org."
        ]
    );
}

#[test]
fn ellipses_mid_sentence() {
    assert_eq!(
        sentences("He paused... and left. She waited … and waited. Then... Nothing."),
        ["He paused... and left.", "She waited … and waited.", "Then...", "Nothing."]
    );
}

#[test]
fn quotes_spanning_sentences() {
    assert_eq!(
        sentences("He said: “We will win. They will lose.” The crowd cheered."),
        ["He said: “We will win.", "They will lose.”", "The crowd cheered."]
    );
}

#[test]
fn line_breaks_headlines_and_soft_wraps() {
    // PTC layout: title, blank line, one sentence per line; headlines carry no final period.
    let text = "Plague outbreak could be 'stronger': WHO\n\nThe WHO chief spoke in Geneva.\n\
                Breaking news\nCases rose again\nin the capital, officials said,\nAnd more are \
                expected";
    let seg = check(text);
    let got: Vec<&str> = seg.sentences.iter().map(|s| s.span.text(text)).collect();
    assert_eq!(
        got,
        [
            "Plague outbreak could be 'stronger': WHO",
            "The WHO chief spoke in Geneva.",
            "Breaking news",
            "Cases rose again\nin the capital, officials said,\nAnd more are expected"
        ]
    );
    // A terminator at a line end ends the sentence even before lower case, but an abbreviation
    // at a line end does not.
    assert_eq!(
        sentences("It ended.\nthen it began\nagain with Mr.\nSmith and the U.S.\nofficials"),
        ["It ended.", "then it began\nagain with Mr.\nSmith and the U.S.\nofficials"]
    );
}

#[test]
fn paragraphs_and_their_sentences() {
    let text =
        "Title of the piece\n\nFirst one. Second one.\nThird one.\n \n\n  Last one here.  \n";
    let seg = check(text);
    let paragraphs: Vec<&str> = seg.paragraphs.iter().map(|p| p.span.text(text)).collect();
    assert_eq!(
        paragraphs,
        ["Title of the piece", "First one. Second one.\nThird one.", "Last one here."]
    );
    let per_paragraph: Vec<Vec<&str>> = seg
        .paragraphs
        .iter()
        .map(|p| seg.sentences[p.sentences.clone()].iter().map(|s| s.span.text(text)).collect())
        .collect();
    assert_eq!(
        per_paragraph,
        [
            vec!["Title of the piece"],
            vec!["First one.", "Second one.", "Third one."],
            vec!["Last one here."]
        ]
    );
    // HTML extraction joins paragraphs with "\n\n"; a sentence never crosses one even without a
    // period.
    assert_eq!(sentences("no period here\n\nnor here"), ["no period here", "nor here"]);
}

#[test]
fn tokens_with_curly_apostrophes_and_other_scripts() {
    let text =
        "The Kremlin’s “well-known” don't-care ‘line’ cost 1,000 rubles (3.5%)... — Путин’s «мир»!";
    assert_eq!(
        tokens(text),
        [
            ("The", TokenKind::Word),
            ("Kremlin’s", TokenKind::Word),
            ("“", TokenKind::Punct),
            ("well-known", TokenKind::Word),
            ("”", TokenKind::Punct),
            ("don't-care", TokenKind::Word),
            ("‘", TokenKind::Punct),
            ("line", TokenKind::Word),
            ("’", TokenKind::Punct),
            ("cost", TokenKind::Word),
            ("1,000", TokenKind::Number),
            ("rubles", TokenKind::Word),
            ("(", TokenKind::Punct),
            ("3.5", TokenKind::Number),
            ("%", TokenKind::Punct),
            (")", TokenKind::Punct),
            ("...", TokenKind::Punct),
            ("—", TokenKind::Punct),
            ("Путин’s", TokenKind::Word),
            ("«", TokenKind::Punct),
            ("мир", TokenKind::Word),
            ("»", TokenKind::Punct),
            ("!", TokenKind::Punct),
        ]
    );
    // Char offsets count code points: the curly apostrophe is one char, three bytes.
    let seg = segment(text);
    let kremlin = seg.tokens[1].span;
    assert_eq!((kremlin.start, kremlin.end), (4, 13));
    assert_eq!((kremlin.byte_start, kremlin.byte_end), (4, 15));
    assert_eq!(by_chars(text, &kremlin), "Kremlin’s");
    let putin = seg.tokens[18].span;
    assert_eq!(by_chars(text, &putin), "Путин’s");
    assert_eq!(putin.text(text), "Путин’s");
    assert_eq!(putin.len(), 7);
    assert_eq!(seg.word_count(), 11);
}

#[test]
fn other_scripts_split_into_sentences() {
    assert_eq!(
        sentences("Это правда. Это ложь? Да! هذا صحيح. هل هذا خطأ؟ نعم."),
        ["Это правда.", "Это ложь?", "Да!", "هذا صحيح.", "هل هذا خطأ؟", "نعم."]
    );
    let text = "北京今天下雨。上海呢？「好的。」我们走吧";
    assert_eq!(sentences(text), ["北京今天下雨。", "上海呢？", "「好的。」", "我们走吧"]);
    // One token per ideograph.
    let first: Vec<&str> = tokens("北京今天。").iter().map(|t| t.0).collect();
    assert_eq!(first, ["北", "京", "今", "天", "。"]);
}

#[test]
fn sentence_at_finds_the_sentence_by_char_offset() {
    let text = "“Ünïcode” first. Second here.\n\nThird.";
    let seg = check(text);
    let at = |c: usize| seg.sentence_at(c).map(|i| seg.sentences[i].span.text(text));
    assert_eq!(at(0), Some("“Ünïcode” first."));
    assert_eq!(at(15), Some("“Ünïcode” first."));
    // The space between the sentences belongs to none.
    assert_eq!(at(16), None);
    assert_eq!(at(17), Some("Second here."));
    let third = text.chars().position(|c| c == 'T').expect("T in text");
    assert_eq!(at(third), Some("Third."));
    assert_eq!(at(text.chars().count()), None);
}

#[test]
fn empty_and_blank_text() {
    assert_eq!(check(""), Segmentation::default());
    assert_eq!(check(" \n\t\n\u{a0} \r\n"), Segmentation::default());
}

#[test]
fn all_emoji() {
    let text = "🔥🔥🔥 👍🏽 🇺🇸🇺🇸";
    assert_eq!(sentences(text), [text]);
    let got: Vec<&str> = tokens(text).iter().map(|t| t.0).collect();
    assert_eq!(got, ["🔥", "🔥", "🔥", "👍🏽", "🇺🇸", "🇺🇸"]);
    assert!(tokens(text).iter().all(|t| t.1 == TokenKind::Punct));
}

#[test]
fn long_line_without_punctuation_is_capped() {
    let words: Vec<String> = (0..100_000).map(|i| format!("word{}", i % 97)).collect();
    let text = words.join(" ");
    let seg = check(&text);
    assert_eq!(seg.tokens.len(), 100_000);
    assert_eq!(seg.sentences.len(), 100);
    for sentence in &seg.sentences {
        assert!(sentence.tokens.len() <= MAX_SENTENCE_TOKENS);
        assert!(sentence.span.text(&text).len() <= MAX_SENTENCE_BYTES);
    }
    // Pieces are cut at whitespace, between words.
    assert_eq!(seg.sentences[0].span.text(&text), words[..1000].join(" "));
    assert!(seg.sentences[1].span.text(&text).starts_with("word30 word31"));
}

#[test]
fn cjk_without_full_stops_is_capped() {
    let text = "中文没有空格".repeat(2_000);
    let seg = check(&text);
    assert_eq!(seg.tokens.len(), 12_000);
    assert!(seg.sentences.len() >= 6);
    for sentence in &seg.sentences {
        assert!(sentence.tokens.len() <= 2 * MAX_SENTENCE_TOKENS);
        assert!(sentence.span.text(&text).len() <= 2 * MAX_SENTENCE_BYTES);
    }
}

#[test]
fn twenty_megabyte_single_line_is_linear_and_bounded() {
    // Mixed scripts so the char index does real work; no terminator anywhere.
    let unit = "слово word 単語 كلمة naïve ";
    let text = unit.repeat(20_000_000 / unit.len());
    let started = Instant::now();
    let seg = segment(&text);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    assert_eq!(seg.paragraphs.len(), 1);
    assert!(seg.sentences.iter().all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS
        && s.span.byte_end - s.span.byte_start <= MAX_SENTENCE_BYTES));
    let last = seg.sentences.last().expect("sentences");
    assert_eq!(last.span.text(&text), last.span.text(&text).trim());
    assert!(text.trim_end().ends_with(last.span.text(&text)));
    assert_eq!(last.span.end, text.trim_end().chars().count());
    // One long run of one char: tokens are cut too.
    let dots = ".".repeat(5_000_000);
    let seg = segment(&dots);
    assert_eq!(seg.paragraphs.len(), 1);
    assert!(seg.sentences.iter().all(|s| s.tokens.len() <= 2 * MAX_SENTENCE_TOKENS));
    assert_eq!(seg.tokens.iter().map(|t| t.span.len()).sum::<usize>(), 5_000_000);
}

#[test]
fn random_mixtures_of_tricky_chars_keep_the_invariants() {
    // Terminators, closers, openers, line breaks, joiners, marks, emoji parts and letters of
    // several scripts, drawn by a fixed pseudo-random sequence so failures reproduce.
    let pool: Vec<char> =
        ".!?…。？\"'”’)(“‘«» \n\r\t\u{a0}\u{2028}\u{2029}-‐,;:aZé\u{301}ßЖж中ع1\u{200d}\u{fe0f}🇺👍🏽"
            .chars()
            .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..2_000 {
        let len = round % 60;
        let text: String = (0..len)
            .map(|_| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                pool[(state >> 33) as usize % pool.len()]
            })
            .collect();
        let seg = check(&text);
        // Every non-space char is in exactly one token.
        let covered: usize = seg.tokens.iter().map(|t| t.span.len()).sum();
        assert_eq!(covered, text.chars().filter(|c| !c.is_whitespace()).count(), "{text:?}");
    }
}
