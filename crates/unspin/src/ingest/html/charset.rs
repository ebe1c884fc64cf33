//! Which encoding a page says it is in.
//!
//! A byte-order mark outranks everything (the decoder in [`crate::ingest::text::decode`] checks
//! it), then the HTTP `Content-Type` charset, then a `<meta charset>` or
//! `<meta http-equiv="Content-Type">` near the top of the page, then detection. This module finds
//! the declared one; decoding and detection stay in `text.rs` so plain text and HTML agree.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use regex::bytes::Regex;

/// How far into the page a `<meta>` charset is looked for. The HTML standard's prescan stops at
/// 1024 bytes, but real pages put long comments, scripts and preload links before the meta tag;
/// 8 KiB catches those and still cannot reach into the article text of a typical page.
const META_SCAN_BYTES: usize = 8 * 1024;

/// `charset=` inside a `<meta>` tag covers both `<meta charset="x">` and
/// `<meta http-equiv="Content-Type" content="text/html; charset=x">`.
static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([a-z0-9_:.+\-]+)"#)
        .expect("static regex")
});

/// The encoding the page declares: the HTTP charset when given and known, else a `<meta>` one.
pub fn declared(bytes: &[u8], http_charset: Option<&str>) -> Option<&'static Encoding> {
    http_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .map(for_html)
}

/// The charset named by a `<meta>` tag in the first 8 KiB of the page (`META_SCAN_BYTES`).
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    META_CHARSET
        .captures_iter(head)
        .find_map(|caps| Encoding::for_label(caps.get(1)?.as_bytes()))
}

/// A page that reached us as bytes without a BOM cannot be UTF-16 whatever it claims (the
/// claim is usually a server default); browsers read such a declaration as UTF-8, and so do we.
fn for_html(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        encoding_rs::UTF_8
    } else {
        encoding
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_forms() {
        let name = |b: &[u8]| meta_charset(b).map(|e| e.name());
        assert_eq!(name(b"<meta charset=\"windows-1251\">"), Some("windows-1251"));
        assert_eq!(name(b"<META CHARSET=iso-8859-1 />"), Some("windows-1252"));
        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=KOI8-R\">";
        assert_eq!(name(http_equiv), Some("KOI8-R"));
        assert_eq!(name(b"<meta charset=\"no-such-charset\">"), None);
        assert_eq!(name(b"<p>charset=koi8-r</p>"), None, "only meta tags declare");
    }

    #[test]
    fn http_header_wins_and_utf16_means_utf8() {
        let page = b"<meta charset=\"windows-1251\">";
        assert_eq!(declared(page, Some("ISO-8859-2")).map(|e| e.name()), Some("ISO-8859-2"));
        assert_eq!(declared(page, Some("bogus")).map(|e| e.name()), Some("windows-1251"));
        assert_eq!(declared(b"<meta charset=utf-16>", None).map(|e| e.name()), Some("UTF-8"));
        assert_eq!(declared(b"<p>nothing</p>", None), None);
    }
}
