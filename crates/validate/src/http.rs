//! The W3C service's checks of a feed fetched over HTTP, on what the server said about it:
//! the media type of its `Content-Type` (`UnexpectedContentType`, `NonSpecificMediaType`) and
//! the charset there against the encoding the document declares (`EncodingMismatch`). The
//! document itself is then read in the server's charset, as the service and most readers do,
//! and checked as any other. Fetching is the caller's part; this module sees only the
//! `Content-Type` header and the bytes.

use crate::{Finding, Kind, Message, Options, Outcome, Pos, validate};

/// The media types the W3C service takes for feeds (and the other documents it checks).
const FEED_TYPES: &[&str] = &[
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/rdf+xml",
    "application/atom+xml",
    "text/x-opml",
    "application/xrds+xml",
    "application/opensearchdescription+xml",
    "application/vnd.google-earth.kml+xml",
    "application/vnd.google-earth.kmz",
    "application/atomsvc+xml",
    "application/atomcat+xml",
];

/// The media types of a JSON Feed (the service has none; JSON Feed 1.1 names the first).
const JSON_TYPES: &[&str] = &["application/feed+json", "application/json"];

/// The generic XML types, which say nothing of the kind of document: a feed served as one of
/// them should show what it is in its first bytes.
const GENERIC_TYPES: &[&str] = &["text/xml", "application/xml", "application/rdf+xml"];

/// How far into the document the root element is looked for (as the service does).
const SNIFFED: usize = 512;

/// Checks a document fetched over HTTP, with its `Content-Type` header if the server sent
/// one: the HTTP checks, then [`validate`] on the document read in the server's charset.
/// `options.location` should be the URL it was fetched from, after redirects.
pub fn validate_served(bytes: &[u8], content_type: Option<&str>, options: &Options) -> Outcome {
    let start = Pos { line: 1, col: 1 };
    let mut findings = Vec::new();
    let mut report = |message, detail: String| {
        findings.push(Finding {
            pos: start,
            message,
            detail,
        })
    };
    let (media_type, charset) = content_type.map(parse_content_type).unwrap_or_default();
    let media_type = media_type.to_ascii_lowercase();
    if content_type.is_some()
        && !FEED_TYPES.contains(&media_type.as_str())
        && !JSON_TYPES.contains(&media_type.as_str())
    {
        report(
            Message::UnexpectedContentType,
            format!("feeds should not be served as {media_type}"),
        );
    }
    if GENERIC_TYPES.contains(&media_type.as_str()) && !shows_its_kind(bytes) {
        report(
            Message::NonSpecificMediaType,
            format!(
                "{media_type}, and the first {SNIFFED} bytes do not show a feed's root element"
            ),
        );
    }
    let declared = declared_encoding(bytes);
    let mut body = std::borrow::Cow::Borrowed(bytes);
    let mut replaced = false;
    if let (Some(charset), Some(declared)) = (&charset, &declared)
        && !charset.eq_ignore_ascii_case(declared)
    {
        report(
            Message::EncodingMismatch,
            format!("the server says charset={charset}, the document {declared}"),
        );
        // The server's charset wins (RFC 7303 §3; the service reads it so too), and bytes
        // that are not in it are an error, read on as replacement characters.
        if let Some((text, malformed)) = in_charset(bytes, charset) {
            if malformed {
                replaced = true;
                report(
                    Message::UnicodeError,
                    format!("a byte sequence that is not {charset}, as the server says"),
                );
            }
            body = std::borrow::Cow::Owned(text.into_bytes());
        }
    }
    let mut outcome = validate(&body, options);
    // A specific type that names another kind of feed, or a JSON Feed served as XML.
    let mismatch = match served_as(&media_type) {
        Some(expected) => outcome.kind != expected && outcome.kind != Kind::Other,
        None => outcome.kind == Kind::Json && FEED_TYPES.contains(&media_type.as_str()),
    };
    if mismatch {
        report(
            Message::UnexpectedContentType,
            format!("{media_type} is not the media type of this kind of document"),
        );
    }
    // The replacement characters read in place of bytes not in the charset were reported
    // once, as UnicodeError: they are not also characters the feed holds.
    if replaced {
        (outcome.findings)
            .retain(|f| !(f.message == Message::BadCharacters && f.detail.contains("U+FFFD")));
    }
    findings.append(&mut outcome.findings);
    findings.sort_by_key(|f| f.pos);
    Outcome {
        kind: outcome.kind,
        findings,
    }
}

/// The kind of feed a specific media type says a document is, if it says one.
fn served_as(media_type: &str) -> Option<Kind> {
    match media_type {
        "application/atom+xml" | "application/x.atom+xml" => Some(Kind::Atom),
        "application/rss+xml" => Some(Kind::Rss),
        "application/feed+json" | "application/json" => Some(Kind::Json),
        _ => None,
    }
}

/// The media type and the `charset` parameter of a `Content-Type` value.
fn parse_content_type(value: &str) -> (String, Option<String>) {
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or_default().trim().to_string();
    let charset = parts.find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_string())
            .filter(|v| !v.is_empty())
    });
    (media_type, charset)
}

/// Whether the first bytes show a feed's (or another document the service knows) root element.
fn shows_its_kind(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFFED)];
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    has(b"<rss")
        || has(b"<feed")
        || has(b"<opml")
        || has(b"<kml")
        || has(b"<OpenSearchDescription")
        || (has(b"<rdf:RDF") && has(b"http://www.w3.org/1999/02/22-rdf-syntax-ns#"))
        || head.trim_ascii_start().starts_with(b"{")
}

/// The encoding the document declares: its byte-order mark, or its XML declaration's
/// `encoding`.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Some("utf-8".into());
    }
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\xFF\xFE") {
        return Some("utf-16".into());
    }
    crate::decode::declared_encoding(bytes)
}

/// The document decoded in `charset` (and whether some bytes were not in it, and replaced),
/// as UTF-8 with the XML declaration's `encoding` blanked out (replaced by as many spaces, so
/// positions stay), so that it is read as what it now is; `None` when `charset` is unknown
/// (the document is then read as it declares itself).
fn in_charset(bytes: &[u8], charset: &str) -> Option<(String, bool)> {
    let encoding = encoding_rs::Encoding::for_label(charset.as_bytes())?;
    let (text, _, malformed) = encoding.decode(bytes);
    let mut text = text.into_owned();
    if text.starts_with("<?xml")
        && let Some(end) = text.find("?>")
        && let Some(at) = text[..end].find("encoding")
    {
        let rest = &text[at..end];
        let value_end = rest
            .char_indices()
            .skip_while(|&(_, c)| c != '"' && c != '\'')
            .skip(1)
            .find(|&(_, c)| c == '"' || c == '\'')
            .map(|(i, _)| at + i + 1);
        if let Some(value_end) = value_end {
            text.replace_range(at..value_end, &" ".repeat(value_end - at));
        }
    }
    Some((text, malformed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(bytes: &[u8], content_type: &str) -> Vec<Message> {
        validate_served(bytes, Some(content_type), &Options::default())
            .findings
            .into_iter()
            .map(|f| f.message)
            .filter(|m| {
                matches!(
                    m,
                    Message::UnexpectedContentType
                        | Message::NonSpecificMediaType
                        | Message::EncodingMismatch
                        | Message::UnicodeError
                        | Message::SAXError
                )
            })
            .collect()
    }

    const RSS: &[u8] = b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<rss version=\"2.0\"><channel><title>caf\xe9</title><link>https://example.org/</link><description>d</description></channel></rss>";

    #[test]
    fn content_types() {
        assert_eq!(messages(RSS, "application/rss+xml"), []);
        assert_eq!(messages(RSS, "application/rss+xml; charset=ISO-8859-1"), []);
        assert_eq!(messages(RSS, "text/xml"), []);
        assert_eq!(messages(RSS, "text/html"), [Message::UnexpectedContentType]);
        assert_eq!(
            messages(RSS, "application/atom+xml"),
            [Message::UnexpectedContentType]
        );
        // The root element after the first 512 bytes (a long comment before it).
        let split = RSS.iter().position(|&b| b == b'\n').unwrap() + 1;
        let comment = format!("<!-- {} -->\n", "x".repeat(600));
        let late = [&RSS[..split], comment.as_bytes(), &RSS[split..]].concat();
        assert_eq!(
            messages(&late, "application/xml"),
            [Message::NonSpecificMediaType]
        );
        assert_eq!(messages(&late, "application/rss+xml"), []);
        let json = br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#;
        assert_eq!(messages(json, "application/feed+json"), []);
        assert_eq!(messages(json, "application/json"), []);
        for xml_type in ["text/xml", "application/rss+xml"] {
            assert_eq!(messages(json, xml_type), [Message::UnexpectedContentType]);
        }
        assert_eq!(
            messages(RSS, "application/feed+json"),
            [Message::UnexpectedContentType]
        );
    }

    #[test]
    fn the_servers_charset_wins_and_a_mismatch_is_reported() {
        // Declared ISO-8859-1, served as UTF-8: é (0xE9) is not UTF-8.
        assert_eq!(
            messages(RSS, "application/rss+xml; charset=utf-8"),
            [Message::EncodingMismatch, Message::UnicodeError]
        );
        // Declared UTF-8, served as windows-1252, which every byte is: read as that.
        let utf8 = String::from_utf8_lossy(RSS)
            .replace("iso-8859-1", "utf-8")
            .into_bytes();
        assert_eq!(
            messages(&utf8, "application/rss+xml; charset=\"windows-1252\""),
            [Message::EncodingMismatch]
        );
    }
}
