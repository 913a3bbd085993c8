//! newswire's feed validator: RSS 2.0, Atom 1.0 and JSON Feed 1.1 checked against the rules
//! of the W3C Feed Validation Service and the RSS Best Practices Profile.
//!
//! Bytes in, findings out: [`validate`] takes one document and the [`Options`] it is checked
//! with and returns an [`Outcome`]. The crate reads no files, walks no folders and prints
//! nothing; finding the feeds, reading them and reporting what was found is the caller's part
//! (in newswire, its `validate` module and the `newswire validate` command).
//!
//! Every finding carries the W3C service's own message name ([`Message`]) and its grading
//! (error or warning), so a report reads like the service's and can be compared with it
//! (`scripts/w3c-agreement`). JSON Feeds have no W3C messages; their findings reuse the names of
//! the equivalent XML checks (`MissingElement`, `InvalidFullLink`, `InvalidRFC3339Date`, …), plus
//! `InvalidJson` for a document that is not JSON.
//!
//! ```text
//!  bytes ──decode──▶ str ──xml::parse──▶ Element tree ──rss / atom──▶ Vec<Finding>
//!                       └──serde_json──▶ Value ──json──────────────────▶ Vec<Finding>
//! ```

mod atom;
pub mod checks;
mod json;
mod rss;
pub mod xml;

use chrono::{DateTime, Utc};

pub use xml::Pos;

/// How the W3C Feed Validation Service grades a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth fixing; feed readers cope.
    Warning,
    /// The feed breaks the spec.
    Error,
}

impl std::fmt::Display for Severity {
    /// `warning` or `error`, as `newswire validate --messages` lists them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Feeds larger than this are not checked, as on the W3C service.
pub const MAX_BYTES: usize = 5_000_000;

macro_rules! messages {
    ($($name:ident $sev:ident $text:literal,)*) => {
        /// A W3C Feed Validation Service message newswire checks for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Message { $(
            #[doc = $text]
            $name,
        )* }

        impl Message {
            /// Every message, in the order the README lists them.
            pub const ALL: &'static [Message] = &[$(Message::$name),*];

            /// The W3C class name, e.g. `InvalidRFC2822Date`.
            pub fn name(self) -> &'static str {
                match self { $(Message::$name => stringify!($name),)* }
            }

            /// How the W3C service grades it.
            pub fn severity(self) -> Severity {
                match self { $(Message::$name => Severity::$sev,)* }
            }

            /// What it means, in a sentence.
            pub fn text(self) -> &'static str {
                match self { $(Message::$name => $text,)* }
            }
        }
    };
}

messages! {
    SAXError Error "The document is not well-formed XML.",
    UnicodeError Error "The document is not in the character encoding it declares, or declares one that does not exist.",
    ValidatorLimit Error "The document is larger than 5,000,000 bytes or nested deeper than 256 elements, and was not checked.",
    InvalidJson Error "A JSON Feed is not valid JSON, or its top level is not an object.",
    UndefinedElement Error "An element the format does not define.",
    MissingElement Error "A required element is missing.",
    MissingTitle Error "A required title is missing.",
    MissingLink Error "A required link is missing.",
    MissingDescription Error "A channel has no description.",
    MissingAttribute Error "A required attribute is missing.",
    DuplicateElement Error "An element that may appear once appears twice.",
    ItemMustContainTitleOrDescription Error "An item has neither a title nor a description.",
    InvalidRFC2822Date Error "A date is not in RFC 822 format (e.g. `Mon, 02 Jan 2006 15:04:05 +0000`).",
    ProblematicalRFC822Date Warning "A date is RFC 822 but not in the form RFC 2822 recommends.",
    IncorrectDOW Error "A date's day of the week is wrong.",
    InvalidRFC3339Date Error "A date is not in RFC 3339 format (e.g. `2006-01-02T15:04:05Z`).",
    InvalidW3CDTFDate Error "A Dublin Core date is not in W3C-DTF format.",
    ImplausibleDate Warning "A date is before 1990 or in the future.",
    InvalidFullLink Error "A link is not a full URL (scheme and host).",
    InvalidIRI Error "A URI reference is not a valid IRI.",
    InvalidURIAttribute Error "An attribute that must be a URI is not one.",
    InvalidURLAttribute Error "An attribute that must be an http(s) URL is not one.",
    InvalidUriChar Error "A URI contains a character that must be percent-encoded.",
    InvalidTAG Error "A `tag:` URI is malformed.",
    NonCanonicalURI Warning "An id is not in canonical form (lower-case scheme and host, no default port).",
    InvalidHttpGUID Error "A `guid` that is a permalink is not a full URL.",
    InvalidPermalink Error "A `guid` with `isPermaLink` true is a `tag:` or `urn:uuid:` URI.",
    InvalidBooleanAttribute Error "`isPermaLink` is neither `true` nor `false`.",
    DuplicateValue Error "Two items have the same `guid`.",
    DuplicateEntries Warning "Two entries have the same id.",
    DuplicateUpdated Warning "Two entries have the same updated time.",
    InvalidContact Error "An e-mail field is not an e-mail address (`name@example.com (Name)`).",
    MissingRealName Warning "An e-mail field has no name after the address.",
    InvalidAddrSpec Error "An Atom `email` is not an e-mail address.",
    ContainsEmail Warning "An author name contains an e-mail address.",
    ContainsHTML Warning "A plain-text field contains HTML markup or entities.",
    ContainsUndeclaredHTML Warning "An Atom text construct of type text contains HTML markup.",
    ContainsRelRef Warning "HTML content has a relative link or image reference.",
    SecurityRisk Warning "HTML content contains an element readers remove (script, iframe, object, …).",
    SecurityRiskAttr Warning "HTML content contains an event-handler attribute (`onclick`, …).",
    DangerousStyleAttr Warning "HTML content has a `style` attribute readers may strip.",
    NotBlank Warning "An element that must have content is empty.",
    NeedDescriptionBeforeContent Warning "`content:encoded` without a `description` before it.",
    InvalidTextType Error "An Atom text construct's `type` is a MIME type.",
    InvalidMIMEType Error "A `type` attribute is not a MIME type.",
    InvalidMIMEAttribute Error "An enclosure's `type` is not a MIME type.",
    MissingXhtmlDiv Error "XHTML content is not wrapped in an XHTML `div`.",
    InvalidPositiveInteger Error "A value must be a positive integer (`ttl`).",
    InvalidNonNegativeInteger Error "A value must be zero or a positive integer.",
    InvalidIntegerAttribute Error "An attribute must be an integer.",
    UseZeroForUnknown Error "An enclosure `length` of -1: use 0 for unknown.",
    InvalidWidth Error "A channel image `width` is not 1 to 144.",
    InvalidHeight Error "A channel image `height` is not 1 to 400.",
    InvalidDay Error "A `skipDays` day is not a day name.",
    InvalidHour Error "A `skipHours` hour is not 0 to 23.",
    InvalidLanguage Error "A language is not an ISO 639 code.",
    MissingGuid Warning "An item has no `guid`.",
    MissingAtomSelfLink Warning "An RSS channel has no `atom:link rel=\"self\"`.",
    MissingSelf Warning "An Atom feed has no `link rel=\"self\"`.",
    SelfDoesntMatchLocation Warning "The self link is not the address the feed is published at.",
    RelativeSelf Warning "The self link is relative.",
    DuplicateAtomLink Error "Two alternate links with the same type and hreflang.",
    MissingHref Error "An Atom link has no `href`.",
    UnregisteredAtomLinkRel Warning "An Atom link `rel` is neither registered nor a full URI.",
    MissingContentOrAlternate Error "An entry has neither content nor an alternate link.",
    MissingSummary Error "An entry whose content is not text or inline needs a summary.",
    MissingTextualContent Warning "An entry has neither content nor summary.",
    ImageLinkDoesntMatch Warning "A channel image `link` differs from the channel's.",
    ImageTitleDoesntMatch Warning "A channel image `title` differs from the channel's.",
    ImageUrlFormat Warning "A channel image is not JPEG, GIF or PNG.",
    DuplicateEnclosure Warning "An item has more than one enclosure.",
    MediaRssNamespace Error "The Media RSS namespace is written without its trailing slash.",
    InvalidMediaMedium Error "A `media:content` `medium` is not image, audio, video, document or executable.",
    AvoidNamespacePrefix Warning "An Atom document writes the Atom namespace with a prefix.",
    ReservedPrefix Warning "A well-known prefix (`dc`, `media`, `atom`, …) is bound to another namespace.",
}

impl Message {
    /// The message named `name`, if newswire checks for it.
    pub fn from_name(name: &str) -> Option<Message> {
        Message::ALL.iter().copied().find(|m| m.name() == name)
    }
}

/// One problem found in a feed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Where it is (the element's start tag).
    pub pos: Pos,
    /// What it is.
    pub message: Message,
    /// What exactly, e.g. the element and value.
    pub detail: String,
}

/// What kind of feed a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// RSS 2.0 (or 0.9x).
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.x.
    Json,
    /// Not a feed this validator checks (RSS 1.0, OPML, HTML, an XML sitemap, …).
    Other,
}

/// How to check a document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The URL the document is published at, for the self-link checks (`None`: not checked).
    pub location: Option<String>,
    /// The current time, for implausible (future) dates.
    pub now: Option<DateTime<Utc>>,
}

/// The result of checking one document.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What the document turned out to be.
    pub kind: Kind,
    /// Everything wrong with it, in document order.
    pub findings: Vec<Finding>,
}

/// Collects findings while a document is walked.
pub(crate) struct Sink<'a> {
    pub options: &'a Options,
    pub findings: Vec<Finding>,
    /// The document element's `xml:base`, if any.
    pub xml_base: Option<String>,
}

impl Sink<'_> {
    pub fn report(&mut self, pos: Pos, message: Message, detail: impl Into<String>) {
        self.findings.push(Finding {
            pos,
            message,
            detail: detail.into(),
        });
    }

    /// The current time, for implausible-date checks.
    pub fn now(&self) -> DateTime<Utc> {
        self.options.now.unwrap_or_else(Utc::now)
    }
}

/// Checks one document.
pub fn validate(bytes: &[u8], options: &Options) -> Outcome {
    let mut sink = Sink {
        options,
        findings: Vec::new(),
        xml_base: None,
    };
    let start = Pos { line: 1, col: 1 };
    if bytes.len() > MAX_BYTES {
        sink.report(
            start,
            Message::ValidatorLimit,
            format!("{} bytes (the limit is {MAX_BYTES})", bytes.len()),
        );
        return Outcome {
            kind: sniff(bytes),
            findings: sink.findings,
        };
    }
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(detail) => {
            sink.report(start, Message::UnicodeError, detail);
            return Outcome {
                kind: sniff(bytes),
                findings: sink.findings,
            };
        }
    };
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let kind = if trimmed.starts_with('{') {
        json::check(&text, &mut sink)
    } else {
        match xml::parse(&text) {
            Err(e) => {
                sink.report(e.pos, Message::SAXError, e.message);
                sniff(bytes)
            }
            Ok(doc) => {
                if doc.too_deep {
                    sink.report(
                        start,
                        Message::ValidatorLimit,
                        format!("nested deeper than {} elements", xml::MAX_DEPTH),
                    );
                    return Outcome {
                        kind: Kind::Other,
                        findings: sink.findings,
                    };
                }
                let root = &doc.root;
                if root.is(None, "rss") {
                    rss::check(root, &mut sink);
                    Kind::Rss
                } else if root.is(Some(atom::NS), "feed") || root.is(Some(atom::NS), "entry") {
                    atom::check(root, &mut sink);
                    Kind::Atom
                } else {
                    Kind::Other
                }
            }
        }
    };
    sink.findings.sort_by_key(|f| f.pos);
    Outcome {
        kind,
        findings: sink.findings,
    }
}

/// A guess at the kind of a document that could not be parsed.
fn sniff(bytes: &[u8]) -> Kind {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    if head.contains("<rss") {
        Kind::Rss
    } else if head.contains("<feed") {
        Kind::Atom
    } else if head.trim_start().starts_with('{') {
        Kind::Json
    } else {
        Kind::Other
    }
}

/// The document as text: UTF-8 (the default), UTF-16 with a byte-order mark, or the
/// single-byte encodings an XML declaration may name (ISO-8859-1, US-ASCII).
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Some(declared) = declared_encoding(rest)
            && !matches!(declared.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
        {
            return Err(format!(
                "a UTF-8 byte-order mark, but the XML declaration says {declared}"
            ));
        }
        return String::from_utf8(rest.to_vec()).map_err(|e| utf8_error(rest, &e));
    }
    for (bom, big) in [(b"\xFE\xFF", true), (b"\xFF\xFE", false)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let units = rest.chunks_exact(2).map(|p| {
                if big {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            });
            return char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .map_err(|e| format!("invalid UTF-16: {e}"));
        }
    }
    let declared = declared_encoding(bytes).map(|e| e.to_ascii_lowercase());
    match declared.as_deref() {
        Some("iso-8859-1" | "latin1" | "latin-1" | "iso8859-1") => {
            Ok(bytes.iter().map(|&b| char::from(b)).collect())
        }
        Some("us-ascii" | "ascii") if !bytes.is_ascii() => {
            Err("a byte above 127 in a document declared US-ASCII".into())
        }
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => {
            String::from_utf8(bytes.to_vec()).map_err(|e| utf8_error(bytes, &e))
        }
        Some(other) => {
            // Any other encoding a browser knows (windows-1252, koi8-r, shift_jis, …).
            // Python's names for the Mac encodings (`mac-cyrillic`) are WHATWG's `x-mac-…`.
            let encoding = encoding_rs::Encoding::for_label(other.as_bytes())
                .or_else(|| encoding_rs::Encoding::for_label(format!("x-{other}").as_bytes()))
                .ok_or_else(|| format!("unknown encoding {other}"))?;
            encoding
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(std::borrow::Cow::into_owned)
                .ok_or_else(|| format!("a byte sequence that is not {other}"))
        }
    }
}

fn utf8_error(bytes: &[u8], e: &std::string::FromUtf8Error) -> String {
    let at = e.utf8_error().valid_up_to();
    let line = 1 + memchr::memchr_iter(b'\n', &bytes[..at]).count();
    format!("'utf-8' codec can't decode byte at offset {at} (line {line})")
}

/// The `encoding` of an XML declaration at the start of `bytes`.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = std::str::from_utf8(&bytes[..bytes.len().min(200)])
        .ok()
        .or_else(|| {
            let end = bytes.iter().position(|&b| b == b'>')?;
            std::str::from_utf8(&bytes[..=end]).ok()
        })?;
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_has_a_unique_name_and_a_text() {
        let mut names: Vec<_> = Message::ALL.iter().map(|m| m.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Message::ALL.len());
        assert!(Message::ALL.iter().all(|m| m.text().ends_with('.')));
        assert_eq!(Message::from_name("SAXError"), Some(Message::SAXError));
    }

    #[test]
    fn encodings() {
        assert_eq!(decode(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert!(decode(b"\xEF\xBB\xBF<?xml version='1.0' encoding='us-ascii'?><a/>").is_err());
        assert!(decode(b"\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-8'?><a/>").is_ok());
        assert_eq!(decode(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>").unwrap(),
            "<?xml version='1.0' encoding='ISO-8859-1'?><a>\u{e9}</a>"
        );
        assert!(decode(b"<a>\xe9</a>").is_err());
        assert!(decode(b"<?xml version='1.0' encoding='us-ascii'?><a>\xc3\xa9</a>").is_err());
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='windows-1252'?><a>\x93</a>").unwrap(),
            "<?xml version='1.0' encoding='windows-1252'?><a>\u{201c}</a>"
        );
        assert!(decode(b"<?xml version='1.0' encoding='klingon'?><a/>").is_err());
        assert_eq!(
            decode(b"<?xml version='1.0' encoding='mac-cyrillic'?><a>\x80</a>").unwrap(),
            "<?xml version='1.0' encoding='mac-cyrillic'?><a>\u{410}</a>"
        );
    }

    #[test]
    fn oversized_and_undecodable_documents_are_not_checked() {
        let big = vec![b' '; MAX_BYTES + 1];
        let o = validate(&big, &Options::default());
        assert_eq!(o.findings[0].message, Message::ValidatorLimit);
        let o = validate(b"<rss>\xff</rss>", &Options::default());
        assert_eq!(o.findings[0].message, Message::UnicodeError);
        let o = validate(b"<rss><channel></rss>", &Options::default());
        assert_eq!(o.findings[0].message, Message::SAXError);
        assert_eq!(o.kind, Kind::Rss);
    }
}
