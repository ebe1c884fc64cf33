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
