//! Plain text: decoding and newline normalisation.
//!
//! The text a document reports is the text a Python program would get from
//! `open(path, encoding=…).read()` in text mode: decoded, without a byte-order mark, with `\r\n`
//! and lone `\r` read as `\n`. SemEval, brat and Label Studio offsets count code points of exactly
//! that text, so offsets computed here agree with annotations made there.
//!
//! Decoding: a BOM (UTF-8, UTF-16LE/BE) decides; else valid UTF-8 is UTF-8; else, when the bytes
//! hold no valid multi-byte UTF-8 sequence, a legacy encoding detected by `chardetng`
//! (windows-1252, KOI8-R, Shift_JIS, …). Bytes that are UTF-8 with damage in them are an error, not
//! a guess: decoding them as windows-1252 would garble the text silently.

use encoding_rs::Encoding;

use crate::document::{Document, Metadata};
use crate::error::{Error, Origin, Result};
use crate::ingest::InputKind;

/// Decoded text and the encoding it was decoded from.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// A plain-text document from raw file bytes.
pub fn document(bytes: &[u8], id: String, source: String, origin: &Origin) -> Result<Document> {
    let decoded = decode(bytes, None, origin)?;
    let text = normalize_newlines(decoded.text);
    if text.trim().is_empty() {
        return Err(Error::Empty { origin: origin.clone() });
    }
    let meta = Metadata {
        source,
        title: ptc_title(&text),
        format: InputKind::Text,
        encoding: Some(decoded.encoding.name().to_owned()),
        ..Metadata::default()
    };
    Ok(Document::new(id, text, meta))
}

/// The title of a text laid out as PTC articles are (and as many people paste an article): a
/// first line of at most 300 chars followed by an empty line.
fn ptc_title(text: &str) -> Option<String> {
    let (first, rest) = text.split_once('\n')?;
    let first = first.trim();
    (rest.starts_with('\n') && !first.is_empty() && first.chars().count() <= 300)
        .then(|| first.to_owned())
}

/// Decode `bytes`: BOM first, then `declared` (an HTTP or meta charset label), then UTF-8, then
/// detection. Rejects binary data.
pub fn decode(bytes: &[u8], declared: Option<&'static Encoding>, origin: &Origin) -> Result<Decoded> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(invalid(encoding, origin));
        }
        let text = text.into_owned();
        reject_binary(&text, origin)?;
        return Ok(Decoded { text, encoding });
    }
    check_binary_bytes(bytes, origin)?;
    if let Some(encoding) = declared.filter(|e| *e != encoding_rs::UTF_8) {
        // The page says which encoding it uses; trust it, but not if it is demonstrably UTF-8.
        if std::str::from_utf8(bytes).is_err() || bytes.is_ascii() {
            let (text, _, _) = encoding.decode(bytes);
            return Ok(Decoded { text: text.into_owned(), encoding });
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let text = text.to_owned();
            reject_binary(&text, origin)?;
            Ok(Decoded { text, encoding: encoding_rs::UTF_8 })
        }
        Err(e) => {
            if has_multibyte_utf8(bytes) {
                return Err(Error::Encoding {
                    origin: origin.clone(),
                    message: format!(
                        "invalid UTF-8 at byte {} (the rest looks like UTF-8, so no other \
                         encoding was guessed; fix the file or pass its encoding)",
                        e.valid_up_to()
                    ),
                });
            }
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
            let (text, _, had_errors) = encoding.decode(bytes);
            if had_errors {
                return Err(invalid(encoding, origin));
            }
            let text = text.into_owned();
            reject_binary(&text, origin)?;
            Ok(Decoded { text, encoding })
        }
    }
}

fn invalid(encoding: &'static Encoding, origin: &Origin) -> Error {
    Error::Encoding {
        origin: origin.clone(),
        message: format!("not valid {} text", encoding.name()),
    }
}

/// Whether `bytes` contain at least one well-formed multi-byte UTF-8 sequence.
fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| chunk.valid().bytes().any(|b| b >= 0x80))
}

/// NUL bytes never occur in text files (UTF-16 was handled by its BOM above).
fn check_binary_bytes(bytes: &[u8], origin: &Origin) -> Result<()> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if let Some(pos) = memchr::memchr(0, sample) {
        return Err(Error::Binary { origin: origin.clone(), detail: format!("NUL byte at offset {pos}") });
    }
    Ok(())
}

/// Text with many control characters (other than tab, newlines, form feed) is binary data that
/// happened to decode: more than one character in ten, or more than eight making over 1% of the
/// text. A few stray ones (an escape pasted from a terminal, a bell in a scraped page) are text
/// with noise; [`crate::Document::new`] neutralises them.
fn reject_binary(text: &str, origin: &Origin) -> Result<()> {
    let sample: Vec<char> = text.chars().take(16 * 1024).collect();
    let controls = sample
        .iter()
        .filter(|&&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        .count();
    if controls * 10 > sample.len() || (controls > 8 && controls * 100 > sample.len()) {
        return Err(Error::Binary {
            origin: origin.clone(),
            detail: format!("{controls} control characters in the first {} chars", sample.len()),
        });
    }
    if sample.contains(&'\0') {
        return Err(Error::Binary { origin: origin.clone(), detail: "NUL character".into() });
    }
    Ok(())
}

/// `\r\n` and lone `\r` become `\n`, as Python's universal newlines read them.
pub fn normalize_newlines(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin::file("t.txt")
    }

    fn doc(bytes: &[u8]) -> Result<Document> {
        document(bytes, "t".into(), "t.txt".into(), &origin())
    }

    #[test]
    fn utf8_bom_and_crlf() {
        let d = doc("\u{feff}Title\r\n\r\nThe “regime” lied.\r\nAgain.\r".as_bytes()).unwrap();
        assert_eq!(d.text, "Title\n\nThe “regime” lied.\nAgain.\n");
        assert_eq!(d.meta.title.as_deref(), Some("Title"));
        assert_eq!(d.meta.encoding.as_deref(), Some("UTF-8"));
        // Offsets count code points of the normalised text, as Python's text mode reads it.
        let index = crate::CharIndex::new(&d.text);
        assert_eq!(index.span_from_chars(12..18).unwrap().text(&d.text), "regime");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Näive text, said the minister.".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let d = doc(&bytes).unwrap();
        assert_eq!(d.text, "Näive text, said the minister.");
        assert_eq!(d.meta.encoding.as_deref(), Some("UTF-16LE"));
    }

    #[test]
    fn legacy_encoding_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("The café’s owner said the “crisis” was exaggerated by the government’s critics.");
        let d = doc(&bytes).unwrap();
        assert!(d.text.contains("café’s owner"), "{}", d.text);
        assert_eq!(d.meta.encoding.as_deref(), Some("windows-1252"));
    }

    #[test]
    fn damaged_utf8_is_an_error() {
        let mut bytes = "The “regime” lied about the ".as_bytes().to_vec();
        bytes.push(0xC3); // a lead byte without its continuation
        bytes.extend_from_slice(b" numbers.");
        let err = doc(&bytes).unwrap_err().to_string();
        assert!(err.starts_with("t.txt: invalid UTF-8 at byte 32"), "{err}");
    }

    #[test]
    fn binary_and_empty_are_errors() {
        let err = doc(b"\x7fELF\x02\x01\x01\x00\x00\x00").unwrap_err().to_string();
        assert!(err.contains("binary file"), "{err}");
        let err = doc(b"\x01\x02\x03\x04 x \x05\x06\x07").unwrap_err().to_string();
        assert!(err.contains("binary file"), "{err}");
        let noisy: String = "word\x07 ".repeat(10);
        let err = doc(noisy.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("binary file"), "one in ten is binary: {err}");
        let err = doc(b"").unwrap_err().to_string();
        assert_eq!(err, "t.txt: empty document");
        let err = doc(b" \r\n\t\n").unwrap_err().to_string();
        assert_eq!(err, "t.txt: empty document");
    }

    #[test]
    fn stray_control_characters_are_neutralised_not_refused() {
        // One escape sequence in a short text: read, with the escape replaced one for one.
        let d = doc(b"Title\n\nThe \x1b[31mcorrupt\x1b[0m regime lied again, said the opposition leader.").unwrap();
        assert_eq!(d.text, "Title\n\nThe \u{fffd}[31mcorrupt\u{fffd}[0m regime lied again, said the opposition leader.");
        assert!(!d.text.contains('\x1b'));
        // Character offsets are those of the file: "corrupt" is characters 16..23 in both.
        let index = crate::CharIndex::new(&d.text);
        assert_eq!(index.span_from_chars(16..23).unwrap().text(&d.text), "corrupt");
        // C1 controls and DEL too; tabs and form feeds stay.
        let d = doc("a\u{9b}b\x7fc\td\x0ce and enough words to be text.".as_bytes()).unwrap();
        assert_eq!(d.text, "a\u{fffd}b\u{fffd}c\td\x0ce and enough words to be text.");
    }

    #[test]
    fn newlines() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n\r\n".into()), "a\nb\nc\n\n");
        assert_eq!(normalize_newlines("plain".into()), "plain");
    }
}
