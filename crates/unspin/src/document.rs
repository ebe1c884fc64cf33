//! The document: clean text plus what is known about where it came from.

use serde::{Deserialize, Serialize};

/// One article, as the rest of the pipeline sees it.
///
/// `text` is the text every offset refers to. For plain-text input it is the file as a Python
/// reader opening it in text mode would see it: decoded, without a byte-order mark, with `\r\n`
/// and lone `\r` turned into `\n`. For HTML it is the extracted article body. Control characters
/// other than tab, newline and form feed (an escape, a bell, C1 controls) are replaced by U+FFFD,
/// one character for one, so offsets in characters still match the source and no escape sequence
/// from an article reaches a terminal ([`neutralize_controls`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier: the JSON Lines `id`, the WARC record id, or the file stem (without a
    /// leading `article`, as PTC names its files: `article123.txt` is `123`).
    pub id: String,
    pub text: String,
    pub meta: Metadata,
}

/// What is known about a document besides its text. Every field is optional but `source`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// Path of the file, or `-` for stdin; for container records the container's path.
    pub source: String,
    /// URL of the article, when known (HTML canonical link, JSON Lines `url`, WARC target URI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet's host name (`www.` removed), from the URL or the page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The outlet's own name, when the page states it (`og:site_name`, JSON-LD publisher).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// Publication date as found, normalised to ISO 8601 (`2019-03-07` or a full timestamp).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Detected language of the text (ISO 639-1 where one exists, else ISO 639-3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Input format the document was read as.
    pub format: crate::ingest::InputKind,
    /// Character encoding the input was decoded from (`UTF-8` unless detected otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Fields of a JSON Lines record that unspin does not interpret, kept as they were.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty", default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Document {
    /// A document from decoded text, with its newlines normalised, its control characters
    /// neutralised (in its metadata too), language detected and `site`
    /// derived from `url`.
    pub fn new(id: impl Into<String>, text: impl Into<String>, mut meta: Metadata) -> Self {
        let text = neutralize_controls(crate::ingest::text::normalize_newlines(text.into()));
        meta.neutralize_controls();
        if meta.language.is_none() {
            meta.language = detect_language(&text);
        }
        if meta.site.is_none() {
            meta.site = meta.url.as_deref().and_then(site_of_url);
        }
        Document { id: id.into(), text, meta }
    }
}

impl Metadata {
    /// [`neutralize_controls`] on every field read from the input (title, byline, site name, URL,
    /// site, date, language). Readers that set a field after [`Document::new`] call it again.
    pub fn neutralize_controls(&mut self) {
        for field in [
            &mut self.title,
            &mut self.byline,
            &mut self.site_name,
            &mut self.url,
            &mut self.site,
            &mut self.date,
            &mut self.language,
        ] {
            if let Some(value) = field.take() {
                *field = Some(neutralize_controls(value));
            }
        }
    }
}

/// Every control character but tab, newline and form feed becomes U+FFFD (the replacement
/// character): one character for one, so character offsets are unchanged. An article with a stray
/// escape or bell is read, not refused, and what it carried cannot drive a terminal.
pub fn neutralize_controls(text: String) -> String {
    let keep = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\x0c');
    if text.chars().all(keep) {
        return text;
    }
    text.chars().map(|c| if keep(c) { c } else { char::REPLACEMENT_CHARACTER }).collect()
}

/// The host of `url` without a leading `www.`, lower-cased; `None` if it is not a URL with a host.
pub fn site_of_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_owned())
}

/// Language of `text`, or `None` when the text is too short or too mixed to tell.
///
/// Looks at the first 20,000 bytes only: enough for whatlang's trigram model to be sure, and it
/// keeps detection constant-time on huge documents.
pub fn detect_language(text: &str) -> Option<String> {
    let mut end = text.len().min(20_000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() && info.confidence() < 0.2 {
        return None;
    }
    let code = info.lang().code();
    Some(iso639_1(code).unwrap_or(code).to_owned())
}

/// ISO 639-1 code for the ISO 639-3 codes whatlang reports, where one exists.
fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "eng" => "en", "rus" => "ru", "cmn" => "zh", "spa" => "es", "por" => "pt", "ita" => "it",
        "ben" => "bn", "fra" => "fr", "deu" => "de", "ukr" => "uk", "kat" => "ka", "ara" => "ar",
        "hin" => "hi", "jpn" => "ja", "heb" => "he", "yid" => "yi", "pol" => "pl", "amh" => "am",
        "jav" => "jv", "kor" => "ko", "nob" => "nb", "dan" => "da", "swe" => "sv", "fin" => "fi",
        "tur" => "tr", "nld" => "nl", "hun" => "hu", "ces" => "cs", "ell" => "el", "bul" => "bg",
        "bel" => "be", "mar" => "mr", "kan" => "kn", "ron" => "ro", "slv" => "sl", "hrv" => "hr",
        "srp" => "sr", "mkd" => "mk", "lit" => "lt", "lav" => "lv", "est" => "et", "tam" => "ta",
        "vie" => "vi", "urd" => "ur", "tha" => "th", "guj" => "gu", "uzb" => "uz", "pan" => "pa",
        "aze" => "az", "ind" => "id", "tel" => "te", "pes" => "fa", "mal" => "ml", "ori" => "or",
        "mya" => "my", "nep" => "ne", "sin" => "si", "khm" => "km", "tuk" => "tk", "aka" => "ak",
        "zul" => "zu", "sna" => "sn", "afr" => "af", "lat" => "la", "slk" => "sk", "cat" => "ca",
        "tgl" => "tl", "hye" => "hy", "epo" => "eo",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_from_url() {
        assert_eq!(site_of_url("https://www.RT.com/news/1234-article/").as_deref(), Some("rt.com"));
        assert_eq!(site_of_url("http://[::1]:8080/x").as_deref(), Some("[::1]"));
        assert_eq!(site_of_url("not a url"), None);
        assert_eq!(site_of_url("mailto:someone@example.org"), None);
    }

    #[test]
    fn detects_common_languages() {
        let en = "The minister said on Tuesday that the government would not back down from its plan.";
        assert_eq!(detect_language(en).as_deref(), Some("en"));
        let ru = "Министр заявил во вторник, что правительство не откажется от своего плана реформ.";
        assert_eq!(detect_language(ru).as_deref(), Some("ru"));
        assert_eq!(detect_language("OK!"), None);
        assert_eq!(detect_language("🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨🚨"), None);
    }
}
