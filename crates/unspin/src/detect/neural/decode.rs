//! From token probabilities to spans: windows, runs, word widening, trimming, span features.
//!
//! These functions are the Rust twin of `training/ptc.py` (where the thresholds were tuned), and
//! must stay in step with it: the same windows, the same runs, the same trimming.

/// Start token of each window over `n` content tokens: every token is read, consecutive windows
/// overlap by `content - stride` tokens. One window for an empty or short text.
pub fn window_starts(n: usize, content: usize, stride: usize) -> Vec<usize> {
    let mut starts = vec![0];
    while starts[starts.len() - 1] + content < n {
        let next = starts[starts.len() - 1] + stride;
        starts.push(next);
    }
    starts
}

/// The window that holds tokens `i..j` furthest from its edges; if none holds all of them, the
/// one that holds most. Ties go to the earlier window.
pub fn best_window(starts: &[usize], n: usize, content: usize, i: usize, j: usize) -> usize {
    let mut best = 0;
    let mut best_key: Option<(u8, usize)> = None;
    for (w, &ws) in starts.iter().enumerate() {
        let we = (ws + content).min(n);
        let inside = j.min(we).saturating_sub(i.max(ws));
        if inside == 0 {
            continue;
        }
        let key = if ws <= i && j <= we { (1, (i - ws).min(we - j)) } else { (0, inside) };
        if best_key.is_none_or(|b| key > b) {
            best = w;
            best_key = Some(key);
        }
    }
    best
}

/// Maximal runs of `true` in `mask`, widened so that they start and end on whole words
/// (`cont[k]`: token k continues the word of token k-1). Runs that touch after widening merge.
pub fn runs(mask: &[bool], cont: &[bool]) -> Vec<(usize, usize)> {
    let n = mask.len();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if !mask[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && mask[j] {
            j += 1;
        }
        let (mut s, mut e) = (i, j);
        while s > 0 && cont[s] {
            s -= 1;
        }
        while e < n && cont[e] {
            e += 1;
        }
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
        i = j;
    }
    out
}

/// Runs of tokens whose probability `p[k]` reaches `low` and that hold at least one token reaching
/// `high` (hysteresis: a span starts where the model is sure and extends while it stays fairly
/// sure); runs at most `gap` tokens apart are joined; then widened to whole words as [`runs`]
/// does. With `low == high` and `gap == 0` this is `runs(p >= high)`.
pub fn hysteresis_runs(p: &[f32], high: f32, low: f32, gap: usize, cont: &[bool]) -> Vec<(usize, usize)> {
    let low = low.min(high);
    let n = p.len();
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if p[i] < low {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && p[j] >= low {
            j += 1;
        }
        if p[i..j].iter().any(|&x| x >= high) {
            match kept.last_mut() {
                Some(last) if i - last.1 <= gap => last.1 = j,
                _ => kept.push((i, j)),
            }
        }
        i = j;
    }
    let mut mask = vec![false; n];
    for (i, j) in kept {
        mask[i..j].iter_mut().for_each(|m| *m = true);
    }
    runs(&mask, cont)
}

/// English function words (`stopwords.txt`, shared with `training/ptc.py`).
static STOPWORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> = std::sync::LazyLock::new(|| {
    include_str!("stopwords.txt").lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
});

/// Per token: its whole word (the token and the pieces that continue it) is a stop word or has no
/// letter or digit. A span made only of such tokens is dropped.
pub fn stop_tokens(text: &str, tokens: &[(usize, usize)], cont: &[bool]) -> Vec<bool> {
    let n = tokens.len();
    let mut out = vec![false; n];
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && cont[j] {
            j += 1;
        }
        let word = text.get(tokens[i].0..tokens[j - 1].1).unwrap_or("");
        let stop = !word.chars().any(char::is_alphanumeric) || STOPWORDS.contains(word.to_lowercase().as_str());
        out[i..j].iter_mut().for_each(|s| *s = stop);
        i = j;
    }
    out
}

/// Byte offsets just after each sentence end of `text`, then the text's end. A sentence ends at a
/// line break, or at `.`, `!` or `?` followed by whitespace or the end of the text, except the
/// period of a one-letter capital ("U.S.", "J. Smith"). (A simple
/// rule shared with `training/ptc.py`, where the widening was cross-validated; the document's
/// own segmentation is richer but Python cannot run it.)
pub fn sentence_bounds(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    // The two chars before the current one, for one-letter capitals ("U.S.", "J. Smith").
    let (mut before, mut prev) = (None::<char>, None::<char>);
    let mut chars = text.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        let next_blank = chars.peek().is_none_or(|&(_, d)| d.is_whitespace());
        let initial = c == '.'
            && prev.is_some_and(char::is_uppercase)
            && before.is_none_or(|b| b == '.' || b.is_whitespace());
        if c == '\n' || (matches!(c, '.' | '!' | '?') && next_blank && !initial) {
            out.push(k + c.len_utf8());
        }
        (before, prev) = (prev, Some(c));
    }
    out.push(text.len());
    out
}

/// The sentence or sentences holding bytes `span` (`ends` from [`sentence_bounds`]), trimmed of
/// the characters in `trim`; the span itself if nothing is left.
pub fn widen_to_sentence(text: &str, ends: &[usize], span: (usize, usize), trim: &str) -> (usize, usize) {
    let k = ends.partition_point(|&e| e <= span.0);
    let s = if k == 0 { 0 } else { ends[k - 1] };
    let e = ends[ends.partition_point(|&e| e < span.1).min(ends.len() - 1)];
    trim_span(text, s, e, trim).unwrap_or(span)
}

/// `start..end` (bytes of `text`) without leading and trailing characters from `trim`; `None` if
/// nothing is left.
pub fn trim_span(text: &str, start: usize, end: usize, trim: &str) -> Option<(usize, usize)> {
    let piece = text.get(start..end)?;
    let inner = piece.trim_matches(|c| trim.contains(c));
    if inner.is_empty() {
        return None;
    }
    let s = start + (inner.as_ptr() as usize - piece.as_ptr() as usize);
    Some((s, s + inner.len()))
}

/// How many more times `piece` occurs in the text (case-insensitively, non-overlapping), given
/// the lowercased text.
pub fn repeats(text_lower: &str, piece: &str) -> usize {
    let p = piece.trim().to_lowercase();
    if p.is_empty() {
        return 0;
    }
    text_lower.matches(p.as_str()).count().saturating_sub(1)
}

/// The span head's extra inputs: log(1 + tokens), log(1 + repeats).
pub fn span_features(tokens: usize, repeats: usize) -> [f32; 2] {
    [(tokens as f64).ln_1p() as f32, (repeats as f64).ln_1p() as f32]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_every_token_with_overlap() {
        assert_eq!(window_starts(0, 254, 192), [0]);
        assert_eq!(window_starts(254, 254, 192), [0]);
        assert_eq!(window_starts(255, 254, 192), [0, 192]);
        let starts = window_starts(10_000, 254, 192);
        assert!(starts.windows(2).all(|w| w[1] - w[0] == 192));
        assert!(starts.last().unwrap() + 254 >= 10_000);
    }

    #[test]
    fn best_window_prefers_the_centre() {
        let starts = window_starts(600, 254, 192); // 0, 192, 384
        assert_eq!(best_window(&starts, 600, 254, 10, 20), 0);
        // 200..210 is in window 0 (margin 44) and window 1 (margin 8): window 0
        assert_eq!(best_window(&starts, 600, 254, 200, 210), 0);
        assert_eq!(best_window(&starts, 600, 254, 300, 320), 1);
        // longer than a window: the one holding most of it
        assert_eq!(best_window(&starts, 600, 254, 150, 500), 1);
    }

    #[test]
    fn runs_widen_to_words_and_merge() {
        let mask = [false, true, true, false, true, false, false, true, true, true];
        let cont = [false, false, false, true, false, true, false, false, false, true];
        assert_eq!(runs(&mask, &cont), [(1, 6), (7, 10)]);
        assert_eq!(runs(&[false; 4], &[false; 4]), []);
        // a run starting inside a word reaches back to its first piece
        assert_eq!(runs(&[false, false, true], &[false, true, true]), [(0, 3)]);
    }

    #[test]
    fn hysteresis_starts_sure_and_extends_while_fairly_sure() {
        let p = [0.1, 0.4, 0.7, 0.45, 0.2, 0.42, 0.1, 0.35, 0.9, 0.1];
        let cont = [false; 10];
        // One threshold, no gap: the plain runs.
        assert_eq!(hysteresis_runs(&p, 0.5, 0.5, 0, &cont), [(2, 3), (8, 9)]);
        // Extends to neighbours above 0.3; the 0.42 island never reaches 0.5, so it is no span.
        assert_eq!(hysteresis_runs(&p, 0.5, 0.3, 0, &cont), [(1, 4), (7, 9)]);
        // A gap of one token joins 1..4 with the island only if the island was kept: it is not.
        assert_eq!(hysteresis_runs(&p, 0.5, 0.3, 1, &cont), [(1, 4), (7, 9)]);
        // Runs 1..4 and 5..6 are one token apart: joined; 8..9 is two away.
        assert_eq!(hysteresis_runs(&p, 0.4, 0.4, 0, &cont), [(1, 4), (5, 6), (8, 9)]);
        assert_eq!(hysteresis_runs(&p, 0.4, 0.4, 1, &cont), [(1, 6), (8, 9)]);
        // A low above the high is the high.
        assert_eq!(hysteresis_runs(&p, 0.5, 0.9, 0, &cont), hysteresis_runs(&p, 0.5, 0.5, 0, &cont));
    }

    #[test]
    fn stop_words_and_punctuation_are_marked_by_whole_word() {
        let text = "The \u{201c}shameful\u{201d} and are";
        // "The", "“", "shame", "##ful", "”", "and", "are"
        let tokens = [(0, 3), (4, 7), (7, 12), (12, 15), (15, 18), (19, 22), (23, 26)];
        let cont = [false, false, false, true, false, false, false];
        assert_eq!(stop_tokens(text, &tokens, &cont), [true, true, false, false, true, true, true]);
        assert!(stop_tokens("", &[], &[]).is_empty());
    }

    #[test]
    fn widening_takes_the_whole_sentence() {
        let text = "He lied. Who really benefits from this war? Nobody asks.\nU.S. officials said so.";
        let ends = sentence_bounds(text);
        let at = |w: &str| {
            let s = text.find(w).unwrap();
            (s, s + w.len())
        };
        let (s, e) = widen_to_sentence(text, &ends, at("really benefits"), " \n\t.,:;");
        assert_eq!(&text[s..e], "Who really benefits from this war?");
        let (s, e) = widen_to_sentence(text, &ends, at("officials"), " \n\t.,:;");
        assert_eq!(&text[s..e], "U.S. officials said so");
        // Across a sentence end: both sentences.
        let (s, e) = widen_to_sentence(text, &ends, at("war? Nobody"), " \n\t.,:;");
        assert_eq!(&text[s..e], "Who really benefits from this war? Nobody asks");
        assert_eq!(sentence_bounds(""), [0]);
    }

    #[test]
    fn trimming_keeps_the_words() {
        let text = " «a shameful plan.» ";
        let (s, e) = trim_span(text, 0, text.len(), " .").unwrap();
        assert_eq!(&text[s..e], "«a shameful plan.»");
        let text = "…the plan, ";
        let (s, e) = trim_span(text, 0, text.len(), " \n\t.,:;").unwrap();
        assert_eq!(&text[s..e], "…the plan");
        assert_eq!(trim_span("a . ,", 1, 5, " .,"), None);
    }

    #[test]
    fn repeats_count_other_occurrences() {
        let text = "Build the wall! We will build the wall. BUILD THE WALL";
        assert_eq!(repeats(&text.to_lowercase(), " Build the wall"), 2);
        assert_eq!(repeats(&text.to_lowercase(), "nothing"), 0);
        assert_eq!(repeats("x", "  "), 0);
        assert_eq!(span_features(0, 0), [0.0, 0.0]);
    }
}
