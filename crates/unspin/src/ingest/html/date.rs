//! Publication dates as pages write them, normalised to ISO 8601.
//!
//! The output is `YYYY-MM-DD` when only the day is known, and `YYYY-MM-DDTHH:MM:SS` followed by
//! `Z` or `±HH:MM` (RFC 3339) when the page gives a time with its zone; a time without a zone
//! stays local (`YYYY-MM-DDTHH:MM:SS`, still ISO 8601). Nothing is converted between zones: the
//! page's own clock is what a reader saw. Accepted inputs are the forms found in meta tags and
//! JSON-LD: ISO 8601 / RFC 3339 (with `T` or a space, fractions, `+0100`), compact `20190307`,
//! RFC 2822 (`Thu, 07 Mar 2019 10:20:00 GMT`), and English `March 7, 2019` / `7 March 2019`.

/// `raw` as an ISO 8601 date or timestamp, or `None` when it is not a date we can read.
pub fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    iso(s).or_else(|| compact(s)).or_else(|| words(s))
}

/// `2019-03-07`, `2019-03-07T10:20`, `2019-03-07 10:20:30.123+01:00`, `2019/03/07`, …
fn iso(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 10 || !matches!(b[4], b'-' | b'/') || b[7] != b[4] {
        return None;
    }
    // Pages write anything here: every slice is checked for char boundaries (`get`), so text
    // that is not a date is refused instead of cut inside a character.
    let (y, m, d) = (num(s.get(0..4)?)?, num(s.get(5..7)?)?, num(s.get(8..10)?)?);
    let date = ymd(y, m, d)?;
    let rest = s.get(10..)?;
    let Some(time) = rest.strip_prefix(['T', ' ']) else {
        return Some(date);
    };
    let b = time.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return Some(date);
    }
    let (hh, mm) = (num(time.get(0..2)?)?, num(time.get(3..5)?)?);
    let mut rest = time.get(5..)?;
    let mut ss = 0;
    if rest.starts_with(':') && rest.len() >= 3 {
        ss = num(rest.get(1..3)?)?;
        rest = rest.get(3..)?;
    }
    if hh > 23 || mm > 59 || ss > 60 {
        return Some(date);
    }
    if let Some(frac) = rest.strip_prefix(['.', ',']) {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let stamp = format!("{date}T{hh:02}:{mm:02}:{ss:02}");
    Some(match zone(rest.trim()) {
        Some(z) => format!("{stamp}{z}"),
        None => stamp,
    })
}

/// A zone suffix as RFC 3339 writes it: `Z`, `+01:00` (from `+01:00`, `+0100`, `+01`, `UTC`, `GMT`).
fn zone(s: &str) -> Option<String> {
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") || s.eq_ignore_ascii_case("gmt") {
        return Some("Z".into());
    }
    let sign = s.chars().next().filter(|c| *c == '+' || *c == '-')?;
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    let (h, m) = match digits.len() {
        2 => (num(&digits)?, 0),
        4 => (num(digits.get(..2)?)?, num(digits.get(2..)?)?),
        _ => return None,
    };
    (h <= 14 && m <= 59).then(|| format!("{sign}{h:02}:{m:02}"))
}

/// `20190307` alone (some CMSs write `article:published_time` like this).
fn compact(s: &str) -> Option<String> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(num(&s[0..4])?, num(&s[4..6])?, num(&s[6..8])?);
    }
    None
}

/// `Thu, 07 Mar 2019 10:20:00 GMT`, `March 7, 2019`, `7 March 2019`, `Mar. 7, 2019 10:20 am`.
fn words(s: &str) -> Option<String> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    let month_at = tokens.iter().position(|t| month(t).is_some())?;
    let m = month(tokens[month_at])?;
    let is_day = |t: &&str| {
        let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 7th, 1st
        num(t).filter(|d| (1..=31).contains(d))
    };
    let is_year = |t: &&str| num(t).filter(|y| t.len() == 4 && (1900..=2100).contains(y));
    // Day right after the month (`March 7`) or right before it (`7 March`).
    let day = tokens.get(month_at + 1).and_then(is_day).filter(|_| {
        tokens.get(month_at + 1).is_some_and(|t| t.len() <= 4)
    });
    let (d, after) = match day {
        Some(d) => (d, month_at + 2),
        None => (month_at.checked_sub(1).and_then(|i| tokens.get(i)).and_then(is_day)?, month_at + 1),
    };
    let y = tokens.get(after).and_then(is_year)?;
    let date = ymd(y, m, d)?;
    // RFC 2822 carries a time and zone after the year.
    let Some(time) = tokens.get(after + 1).filter(|t| t.len() == 8 && t.as_bytes()[2] == b':') else {
        return Some(date);
    };
    let zone = tokens.get(after + 2).and_then(|z| zone(z));
    let stamp = format!("{date}T{time}");
    match (iso(&stamp), zone) {
        (Some(stamp), Some(z)) => Some(format!("{stamp}{z}")),
        (Some(stamp), None) => Some(stamp),
        (None, _) => Some(date),
    }
}

fn month(token: &str) -> Option<u32> {
    const NAMES: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = token.to_ascii_lowercase();
    if lower.len() < 3 || !lower.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let i = NAMES.iter().position(|n| lower.starts_with(n))?;
    // Full names must be right (`Marching` is not March); `Sept` is a common abbreviation.
    const FULL: [&str; 12] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ];
    (lower.len() == 3 || FULL[i] == lower || lower == "sept").then_some(i as u32 + 1)
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// `YYYY-MM-DD` when the day exists in that month (leap years included).
fn ymd(y: u32, m: u32, d: u32) -> Option<String> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=2999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {

    #[test]
    fn text_that_is_not_a_date_is_refused_not_cut_inside_a_character() {
        // Found by the html fuzz target: a seconds field of Cyrillic letters. An unreadable time
        // makes the whole value unreadable, as an ASCII one does.
        assert_eq!(normalize("2025-05-14T09:30:0ЪЪЪ%0Z"), None);
        assert_eq!(normalize("2025-05-14T09:30:0x"), None);
        assert_eq!(normalize("2025-05-1ЪT09:30"), None);
        assert_eq!(normalize("2025-05-14T09:Ъ0"), None);
        // Where no time is recognisable at all, the day stands alone.
        assert_eq!(normalize("2025-05-14T0Ъ:30").as_deref(), Some("2025-05-14"));
        // An unreadable zone is left out.
        assert_eq!(normalize("2025-05-14T09:30+Ъ1").as_deref(), Some("2025-05-14T09:30:00"));
    }

    use super::normalize;

    #[track_caller]
    fn check(raw: &str, want: Option<&str>) {
        assert_eq!(normalize(raw).as_deref(), want, "{raw:?}");
    }

    #[test]
    fn iso_forms() {
        check("2019-03-07", Some("2019-03-07"));
        check(" 2019-03-07T10:20:30Z ", Some("2019-03-07T10:20:30Z"));
        check("2019-03-07T10:20:30.123+0100", Some("2019-03-07T10:20:30+01:00"));
        check("2019-03-07 10:20:30-05:00", Some("2019-03-07T10:20:30-05:00"));
        check("2019-03-07T10:20", Some("2019-03-07T10:20:00"));
        check("2019/03/07", Some("2019-03-07"));
        check("2019-03-07T25:00:00Z", Some("2019-03-07"), );
    }

    #[test]
    fn other_forms() {
        check("20190307", Some("2019-03-07"));
        check("Thu, 07 Mar 2019 10:20:00 GMT", Some("2019-03-07T10:20:00Z"));
        check("Thu, 07 Mar 2019 10:20:00 +0200", Some("2019-03-07T10:20:00+02:00"));
        check("March 7, 2019", Some("2019-03-07"));
        check("Updated Sept. 21st, 2020", Some("2020-09-21"));
        check("7 March 2019", Some("2019-03-07"));
    }

    #[test]
    fn impossible_or_unreadable() {
        check("2019-02-29", None);
        check("2020-02-29", Some("2020-02-29"));
        check("2019-13-01", None);
        check("yesterday", None);
        check("Marching 7, 2019", None);
        check("", None);
        check("1234567", None);
    }
}
