//! The page cut into text blocks, each described by features a learned classifier reads to keep
//! the article's blocks and drop the page furniture around them.
//!
//! A **block** is the text between two block-level boundaries (a paragraph, a list item, a
//! heading, a table cell, a division's own text): what a reader sees as one paragraph. `<br>`
//! breaks a line inside a block.
//!
//! Its **features** are the shallow signals boilerplate detection has long used (Kohlschütter et
//! al., 2010: word counts, link density, the neighbours' values; Weninger's text density), its
//! place in the markup (its element, the kinds of section it sits in, the words of its
//! ancestors' `class` and `id`, hashed), and whether the rule-based extractor kept it. The
//! classifier itself is [`super::classifier`]; `training/extraction/` fits it on pages whose
//! main text people marked by hand.
//!
//! Features are computed here only: the training script reads them from
//! `examples/extraction_blocks.rs`, which calls [`page`], so training and use cannot drift apart.

use dom_query::{Document, NodeData, NodeRef};

use super::boilerplate;

/// Buckets of hashed `class`/`id` words.
pub const CLASS_BUCKETS: usize = 64;

/// Features per block ([`FEATURE_NAMES`] names them, in order).
pub const FEATURES: usize = BASE_FEATURES + CLASS_BUCKETS;

const BASE_FEATURES: usize = 58;

/// The parent of a block outside every block-level element.
const NO_ELEMENT: u32 = u32::MAX;

/// The names of the features before the class buckets, for the training script's reports.
pub const FEATURE_NAMES: [&str; BASE_FEATURES] = [
    "log_words",
    "log_chars",
    "link_density",
    "ends_sentence",
    "commas_per_word",
    "stops_per_word",
    "mean_word_length",
    "capitalised_share",
    "digit_share",
    "lines",
    "position",
    "position_by_words",
    "kept_by_extractor",
    "tag_p",
    "tag_h",
    "tag_li",
    "tag_td",
    "tag_div",
    "tag_quote_or_pre",
    "tag_caption",
    "tag_dl",
    "tag_other",
    "in_a",
    "in_li",
    "in_table",
    "in_form",
    "in_header",
    "in_footer",
    "in_nav",
    "in_aside",
    "in_article",
    "in_main",
    "in_figure",
    "in_h",
    "depth",
    "prev_log_words",
    "prev_link_density",
    "prev_kept",
    "next_log_words",
    "next_link_density",
    "next_kept",
    "window_log_words",
    "window_link_density",
    "page_log_words",
    "page_log_blocks",
    "page_kept_share",
    "words_over_page_max",
    "kept_run",
    "same_parent_log_words",
    "title_overlap",
    "is_first_kept",
    "after_last_kept",
    "is_byline",
    "is_dateline",
    "is_label",
    "is_furniture",
    "is_see_also_heading",
    "repeated_share",
];

/// One block of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// The block's text, white space collapsed, its `<br>` line breaks kept as `\n`.
    pub text: String,
    pub words: usize,
    /// Words inside links.
    pub link_words: usize,
    /// Its innermost block-level element.
    tag: Tag,
    /// Sections it sits in (bits of [`Within`]).
    within: u32,
    depth: usize,
    /// The block-level element it belongs to ([`NO_ELEMENT`] for none), to group siblings.
    parent: u32,
    /// Hashed words of its ancestors' `class` and `id`, as bucket indices.
    classes: Vec<u16>,
    /// Its 4-token [`shingles`].
    pub shingles: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    H,
    Li,
    Td,
    Div,
    QuoteOrPre,
    Caption,
    Dl,
    Other,
}

/// Sections a block can sit in, as bits.
struct Within;

impl Within {
    const A: u32 = 1;
    const LI: u32 = 1 << 1;
    const TABLE: u32 = 1 << 2;
    const FORM: u32 = 1 << 3;
    const HEADER: u32 = 1 << 4;
    const FOOTER: u32 = 1 << 5;
    const NAV: u32 = 1 << 6;
    const ASIDE: u32 = 1 << 7;
    const ARTICLE: u32 = 1 << 8;
    const MAIN: u32 = 1 << 9;
    const FIGURE: u32 = 1 << 10;
    const H: u32 = 1 << 11;

    fn of(name: &str) -> u32 {
        match name {
            "a" => Within::A,
            "li" => Within::LI,
            "table" => Within::TABLE,
            "form" => Within::FORM,
            "header" => Within::HEADER,
            "footer" => Within::FOOTER,
            "nav" => Within::NAV,
            "aside" => Within::ASIDE,
            "article" => Within::ARTICLE,
            "main" => Within::MAIN,
            "figure" => Within::FIGURE,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Within::H,
            _ => 0,
        }
    }
}

/// Elements whose content is never article text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "select" | "option" | "button"
            | "textarea" | "input" | "head" | "title" | "object" | "embed" | "canvas" | "video" | "audio" | "map"
    )
}

/// Block-level elements: each starts and ends a block.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "td" | "th"
            | "tr" | "table" | "tbody" | "thead" | "tfoot" | "caption" | "blockquote" | "pre" | "section" | "article"
            | "header" | "footer" | "nav" | "aside" | "main" | "figure" | "figcaption" | "form" | "fieldset"
            | "address" | "hr" | "center" | "body" | "html" | "details" | "summary" | "legend"
    )
}

fn tag_of(name: &str) -> Tag {
    match name {
        "p" => Tag::P,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Tag::H,
        "li" => Tag::Li,
        "td" | "th" => Tag::Td,
        "div" | "center" => Tag::Div,
        "blockquote" | "pre" => Tag::QuoteOrPre,
        "figcaption" | "caption" => Tag::Caption,
        "dd" | "dt" => Tag::Dl,
        _ => Tag::Other,
    }
}

/// What the walk knows about the elements around the text it is at.
#[derive(Clone, Copy)]
struct Context {
    tag: Tag,
    within: u32,
    depth: usize,
    parent: u32,
    /// How many of the walker's `classes` are its elements'.
    classes: usize,
}

/// What `<br>` leaves in a block's raw text: U+2028 LINE SEPARATOR, a line break by definition,
/// and unlike `\n` not something markup's own formatting puts there.
const LINE_BREAK: char = '\u{2028}';

/// A word counts when it has a letter or digit (not a lone dash or bullet).
fn is_word(w: &str) -> bool {
    w.chars().any(char::is_alphanumeric)
}

struct Walker {
    blocks: Vec<Block>,
    /// The open block's text as the page has it.
    text: String,
    link_words: usize,
    /// Block-level elements entered so far: the id of the next one.
    elements: u32,
    /// The class buckets of the elements the walk is in, outermost first, each once.
    classes: Vec<u16>,
}

impl Walker {
    fn push_text(&mut self, s: &str, in_link: bool) {
        // Raw, so that `foo<b>bar</b>` stays one word; white space is collapsed at the flush.
        self.text.push_str(s);
        if in_link {
            self.link_words += s.split_whitespace().filter(|w| is_word(w)).count();
        }
    }

    fn line_break(&mut self) {
        self.text.push(LINE_BREAK);
    }

    fn flush(&mut self, ctx: &Context) {
        let mut text = String::with_capacity(self.text.len());
        let mut words = 0;
        for line in self.text.split(LINE_BREAK) {
            let mut first = true;
            for word in line.split_whitespace() {
                if first {
                    if !text.is_empty() {
                        text.push('\n');
                    }
                    first = false;
                } else {
                    text.push(' ');
                }
                text.push_str(word);
                words += usize::from(is_word(word));
            }
        }
        self.text.clear();
        let link_words = std::mem::take(&mut self.link_words).min(words);
        if words == 0 {
            return;
        }
        self.blocks.push(Block {
            words,
            link_words,
            tag: ctx.tag,
            within: ctx.within,
            depth: ctx.depth,
            parent: ctx.parent,
            classes: self.classes[..ctx.classes].to_vec(),
            shingles: shingles(&text),
            text,
        });
    }

    fn walk(&mut self, node: &NodeRef<'_>, ctx: &Context) {
        let in_link = ctx.within & Within::A != 0;
        for child in node.children_it(false) {
            // Text goes straight into the open block; an element comes back with its name (the
            // parser's interned, lower-case atom) and the bucket of each word of its class and id.
            let element = child
                .query(|n| match &n.data {
                    NodeData::Text { contents } => {
                        self.push_text(contents, in_link);
                        None
                    }
                    NodeData::Element(e) => {
                        let mut buckets: Vec<u16> = Vec::new();
                        for a in &e.attrs {
                            if &a.name.local == "class" || &a.name.local == "id" {
                                buckets.extend(class_words(&a.value).iter().map(|w| bucket(w)));
                            }
                        }
                        Some((e.name.local.clone(), buckets))
                    }
                    _ => None,
                })
                .flatten();
            let Some((name, buckets)) = element else { continue };
            let name: &str = &name;
            if is_skipped(name) {
                continue;
            }
            if name == "br" {
                self.line_break();
                continue;
            }
            let mut inner = *ctx;
            inner.within |= Within::of(name);
            for bucket in buckets {
                if !self.classes.contains(&bucket) {
                    self.classes.push(bucket);
                }
            }
            inner.classes = self.classes.len();
            if is_block(name) {
                self.flush(ctx);
                inner.tag = tag_of(name);
                inner.depth += 1;
                inner.parent = self.elements;
                self.elements = self.elements.saturating_add(1);
                self.walk(&child, &inner);
                self.flush(&inner);
            } else {
                self.walk(&child, &inner);
            }
            self.classes.truncate(ctx.classes);
        }
    }
}

/// The words of a `class`/`id` value: lower-case runs of letters, camelCase split
/// (`articleBody` → `article`, `body`), digits dropped.
fn class_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if c.is_ascii_alphabetic() {
            if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            word.push(c.to_ascii_lowercase());
            prev_lower = c.is_ascii_lowercase();
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            prev_lower = false;
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// FNV-1a of `word`, into [`CLASS_BUCKETS`].
fn bucket(word: &str) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for b in word.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h % CLASS_BUCKETS as u32) as u16
}

/// The blocks of `html` (a page or its `<body>`), in reading order.
pub fn segment(html: &str) -> Vec<Block> {
    let doc = Document::from(html);
    let root = doc.root();
    let ctx = Context { tag: Tag::Other, within: 0, depth: 0, parent: NO_ELEMENT, classes: 0 };
    let mut walker = Walker { blocks: Vec::new(), text: String::new(), link_words: 0, elements: 0, classes: Vec::new() };
    walker.walk(&root, &ctx);
    walker.flush(&ctx);
    walker.blocks
}

/// Lower-cased `\w+` tokens of `text`, the scorer's tokens.
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    raw_tokens(text).map(str::to_lowercase)
}

/// The `\w+` tokens of `text` as they are written.
fn raw_tokens(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|t| !t.is_empty())
}

/// Whether `token` lower-cased is `lower` (what `str::to_lowercase` would give, without the copy).
fn same_lowercase(lower: &str, token: &str) -> bool {
    let mut expected = lower.chars();
    token.chars().flat_map(char::to_lowercase).all(|c| expected.next() == Some(c)) && expected.next().is_none()
}

/// Whether each block's text is in `extracted` (the rule-based extractor's text): the share of
/// its lines found there, white space collapsed. A line of fewer than four words counts only as
/// a whole paragraph of the extracted text: "Home" or "17" occur inside any article.
fn kept_by(blocks: &[Block], extracted: &str) -> Vec<f32> {
    let flat: String = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
    let paragraphs: std::collections::HashSet<String> =
        extracted.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    blocks
        .iter()
        .map(|b| {
            let (mut found, mut total) = (0usize, 0usize);
            for line in b.text.lines() {
                let n = line.len();
                total += n;
                let short = line.split_whitespace().count() < 4;
                let found_in_flat = || memchr::memmem::find(flat.as_bytes(), line.as_bytes()).is_some();
                if (short && paragraphs.contains(line)) || (!short && found_in_flat()) {
                    found += n;
                }
            }
            if total == 0 {
                0.0
            } else {
                found as f32 / total as f32
            }
        })
        .collect()
}

/// Hashes of the 4-token shingles of `text` (lower-cased `\w+` tokens), without allocating a
/// string per token.
pub fn shingles(text: &str) -> Vec<u64> {
    let mut tokens: Vec<u64> = Vec::new();
    let mut h: u64 = FNV_OFFSET;
    let mut open = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            for l in c.to_lowercase() {
                h = (h ^ u64::from(u32::from(l))).wrapping_mul(FNV_PRIME);
            }
            open = true;
        } else if open {
            tokens.push(h);
            h = FNV_OFFSET;
            open = false;
        }
    }
    if open {
        tokens.push(h);
    }
    tokens
        .windows(4)
        .map(|w| w.iter().fold(0u64, |acc, &t| (acc.rotate_left(17) ^ t).wrapping_mul(FNV_PRIME)))
        .collect()
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// A set of shingle hashes: they are hashes already, so the set uses them as they are.
pub type ShingleSet = std::collections::HashSet<u64, std::hash::BuildHasherDefault<Identity>>;

/// The hasher of [`ShingleSet`]: the key itself.
#[derive(Default)]
pub struct Identity(u64);

impl std::hash::Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// For each block, the share of its 4-token shingles that an earlier block already has: pages
/// repeat their text in hidden copies, teasers and summaries.
fn repeated(blocks: &[Block]) -> Vec<f32> {
    let mut seen = ShingleSet::default();
    blocks
        .iter()
        .map(|b| {
            let own = &b.shingles;
            let share = if own.is_empty() { 0.0 } else { own.iter().filter(|h| seen.contains(*h)).count() as f32 / own.len() as f32 };
            seen.extend(own);
            share
        })
        .collect()
}

/// The feature vectors of `blocks`: `extracted` is the rule-based extractor's text of the same
/// page, `title` the page's headline when known.
pub fn features(blocks: &[Block], extracted: &str, title: Option<&str>) -> Vec<[f32; FEATURES]> {
    let n = blocks.len();
    let kept = kept_by(blocks, extracted);
    let repeats = repeated(blocks);
    let total_words: usize = blocks.iter().map(|b| b.words).sum();
    let max_words = blocks.iter().map(|b| b.words).max().unwrap_or(1).max(1);
    let kept_words: f32 = blocks.iter().zip(&kept).map(|(b, k)| b.words as f32 * k).sum();
    let first_kept = kept.iter().position(|&k| k >= 0.5);
    let last_kept = kept.iter().rposition(|&k| k >= 0.5);
    let title_tokens: Vec<String> = title.map(|t| tokens(t).collect()).unwrap_or_default();
    let ln = |x: usize| (1.0 + x as f32).ln();
    let density = |b: &Block| if b.words == 0 { 0.0 } else { b.link_words as f32 / b.words as f32 };
    // Words of the blocks that share a block-level parent, by the parent's id (slot 0: none).
    let slot = |id: u32| if id == NO_ELEMENT { 0 } else { id as usize + 1 };
    let mut parent_words = vec![0usize; blocks.iter().map(|b| slot(b.parent) + 1).max().unwrap_or(0)];
    for b in blocks {
        parent_words[slot(b.parent)] += b.words;
    }
    // Lengths of runs of consecutive kept blocks, for each block in one.
    let mut run = vec![0usize; n];
    let mut i = 0;
    while i < n {
        if kept[i] >= 0.5 {
            let start = i;
            while i < n && kept[i] >= 0.5 {
                i += 1;
            }
            run[start..i].fill(i - start);
        } else {
            i += 1;
        }
    }
    let mut words_before = 0usize;
    let mut out = Vec::with_capacity(n);
    for (i, b) in blocks.iter().enumerate() {
        let mut f = [0f32; FEATURES];
        let text = b.text.as_str();
        // One pass over the characters, one over the words.
        let (mut chars, mut digits, mut commas, mut stops) = (0usize, 0usize, 0usize, 0usize);
        for c in text.chars() {
            chars += 1;
            match c {
                '0'..='9' => digits += 1,
                ',' => commas += 1,
                '.' | '!' | '?' => stops += 1,
                _ => {}
            }
        }
        let (mut spaced, mut letters, mut capitalised) = (0usize, 0usize, 0usize);
        for w in text.split_whitespace() {
            spaced += 1;
            letters += w.chars().count();
            capitalised += usize::from(w.chars().next().is_some_and(char::is_uppercase));
        }
        let trimmed = text.trim_end_matches(['"', '\'', '”', '’', ')', ' ']);
        let ends = trimmed.ends_with(['.', '!', '?', ':', '…']);
        let words = b.words as f32;
        f[0] = ln(b.words);
        f[1] = ln(chars);
        f[2] = density(b);
        f[3] = f32::from(u8::from(ends));
        f[4] = commas as f32 / words;
        f[5] = stops as f32 / words;
        f[6] = letters as f32 / spaced.max(1) as f32;
        f[7] = capitalised as f32 / spaced.max(1) as f32;
        f[8] = digits as f32 / chars.max(1) as f32;
        f[9] = ln(text.lines().count());
        f[10] = i as f32 / n.max(1) as f32;
        f[11] = words_before as f32 / total_words.max(1) as f32;
        f[12] = kept[i];
        let tag = match b.tag {
            Tag::P => 13,
            Tag::H => 14,
            Tag::Li => 15,
            Tag::Td => 16,
            Tag::Div => 17,
            Tag::QuoteOrPre => 18,
            Tag::Caption => 19,
            Tag::Dl => 20,
            Tag::Other => 21,
        };
        f[tag] = 1.0;
        let flags = [
            Within::A,
            Within::LI,
            Within::TABLE,
            Within::FORM,
            Within::HEADER,
            Within::FOOTER,
            Within::NAV,
            Within::ASIDE,
            Within::ARTICLE,
            Within::MAIN,
            Within::FIGURE,
            Within::H,
        ];
        for (j, flag) in flags.into_iter().enumerate() {
            f[22 + j] = f32::from(u8::from(b.within & flag != 0));
        }
        f[34] = b.depth as f32 / 20.0;
        if i > 0 {
            f[35] = ln(blocks[i - 1].words);
            f[36] = density(&blocks[i - 1]);
            f[37] = kept[i - 1];
        }
        if i + 1 < n {
            f[38] = ln(blocks[i + 1].words);
            f[39] = density(&blocks[i + 1]);
            f[40] = kept[i + 1];
        }
        let window = &blocks[i.saturating_sub(2)..(i + 3).min(n)];
        let (ww, wl): (usize, usize) = window.iter().fold((0, 0), |(w, l), b| (w + b.words, l + b.link_words));
        f[41] = ln(ww);
        f[42] = wl as f32 / ww.max(1) as f32;
        f[43] = ln(total_words);
        f[44] = ln(n);
        f[45] = kept_words / total_words.max(1) as f32;
        f[46] = words / max_words as f32;
        f[47] = ln(run[i]);
        f[48] = ln(parent_words[slot(b.parent)]);
        if !title_tokens.is_empty() {
            let (mut own, mut shared) = (0usize, 0usize);
            for t in raw_tokens(text) {
                own += 1;
                shared += usize::from(title_tokens.iter().any(|tt| same_lowercase(tt, t)));
            }
            f[49] = shared as f32 / own.max(title_tokens.len()).max(1) as f32;
        }
        f[50] = f32::from(u8::from(first_kept == Some(i)));
        f[51] = f32::from(u8::from(last_kept.is_some_and(|l| i > l)));
        // The shapes of page furniture the rules of `boilerplate` know; none is longer than
        // `boilerplate::FURNITURE_WORDS` words.
        if spaced <= boilerplate::FURNITURE_WORDS {
            f[52] = f32::from(u8::from(boilerplate::is_byline(text)));
            f[53] = f32::from(u8::from(boilerplate::is_dateline(text)));
            f[54] = f32::from(u8::from(boilerplate::is_label(text)));
            f[55] = f32::from(u8::from(boilerplate::is_furniture(text)));
            f[56] = f32::from(u8::from(boilerplate::is_see_also_heading(text)));
        }
        f[57] = repeats[i];
        for &c in &b.classes {
            f[BASE_FEATURES + usize::from(c)] = 1.0;
        }
        words_before += b.words;
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<html><body>
<nav class="site-menu"><a href="/">Home</a> <a href="/world">World</a></nav>
<div id="main-content" class="articleBody">
<h1>Harbour reopens after storm</h1>
<p>The harbour at Kellin Bay reopened on Tuesday, three days after the storm, the port authority said.</p>
<p>Fishing boats left at <b>da</b>wn.<br>Ferries
 follow on Friday.</p>
</div>
<ul class="related"><li><a href="/a">Another story</a></li><li><a href="/b">More news here</a></li></ul>
</body></html>"#;

    #[test]
    fn blocks_follow_the_markup() {
        let blocks = segment(PAGE);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Home World",
                "Harbour reopens after storm",
                "The harbour at Kellin Bay reopened on Tuesday, three days after the storm, the port authority said.",
                "Fishing boats left at dawn.\nFerries follow on Friday.",
                "Another story",
                "More news here",
            ]
        );
        assert_eq!((blocks[0].words, blocks[0].link_words), (2, 2));
        assert_eq!(blocks[0].within & Within::NAV, Within::NAV);
        assert_eq!((blocks[2].words, blocks[2].link_words), (17, 0));
        assert_eq!(blocks[1].tag, Tag::H);
        assert_eq!(blocks[4].tag, Tag::Li);
        // The article's blocks carry their container's class words; the menu's do not.
        assert!(blocks[2].classes.contains(&bucket("body")));
        assert!(blocks[2].classes.contains(&bucket("article")));
        assert!(!blocks[0].classes.contains(&bucket("body")) || bucket("body") == bucket("site"));
        // Every block here is its own element's text: no two share a parent.
        for (i, a) in blocks.iter().enumerate() {
            assert_ne!(a.parent, NO_ELEMENT);
            assert!(blocks[i + 1..].iter().all(|b| b.parent != a.parent), "block {i}");
        }
        // Text either side of a nested element is its container's, one parent.
        let split = segment("<div>Before the list <ul><li>one item</li></ul> and after it</div>");
        let texts: Vec<&str> = split.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Before the list", "one item", "and after it"]);
        assert_eq!(split[0].parent, split[2].parent);
        assert_ne!(split[0].parent, split[1].parent);
    }

    #[test]
    fn features_describe_the_blocks() {
        let blocks = segment(PAGE);
        let extracted = "Harbour reopens after storm\n\nThe harbour at Kellin Bay reopened on Tuesday, three days after \
                         the storm, the port authority said.\n\nFishing boats left at dawn. Ferries follow on Friday.";
        let f = features(&blocks, extracted, Some("HARBOUR Reopens after storm"));
        assert_eq!(f.len(), blocks.len());
        let name = |n: &str| FEATURE_NAMES.iter().position(|x| *x == n).unwrap();
        assert_eq!(f[0][name("link_density")], 1.0);
        assert_eq!(f[2][name("link_density")], 0.0);
        assert_eq!(f[0][name("kept_by_extractor")], 0.0);
        assert_eq!(f[2][name("kept_by_extractor")], 1.0);
        assert_eq!(f[3][name("kept_by_extractor")], 1.0);
        assert_eq!(f[3][name("lines")], 3f32.ln());
        assert_eq!(f[1][name("title_overlap")], 1.0);
        assert_eq!(f[2][name("ends_sentence")], 1.0);
        assert_eq!(f[1][name("tag_h")], 1.0);
        assert_eq!(f[4][name("in_li")], 1.0);
        assert_eq!(f[5][name("after_last_kept")], 1.0);
        assert_eq!(f[1][name("is_first_kept")], 1.0);
        // The paragraphs' parents hold 17 and 10 words; the two list items one <li> each.
        assert_eq!(f[2][name("same_parent_log_words")], 18f32.ln());
        assert_eq!(f[4][name("same_parent_log_words")], 3f32.ln());
        assert!(!same_lowercase("straße", "STRASSE") && same_lowercase("kellin", "KELLIN"));
    }

    #[test]
    fn class_words_split() {
        assert_eq!(class_words(" articleBody post-content2 x"), ["article", "body", "post", "content", "x"]);
    }
}
