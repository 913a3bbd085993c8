//! newswire's feed validator: RSS 2.0, RSS 1.0 / 1.1, Atom 1.0 and JSON Feed 1.1, with the
//! extension vocabularies feeds mix in, checked against the rules of the W3C Feed Validation
//! Service and the RSS Best Practices Profile.
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
//!  bytes ──decode──▶ str ──xml::parse──▶ Element tree ──rss / rdf / atom, ext──▶ Vec<Finding>
//!                       ├──prolog (XML and DOCTYPE declarations)──────────────▶ Vec<Finding>
//!                       └──serde_json──▶ Value ──json─────────────────────────▶ Vec<Finding>
//! ```
//!
//! `rss`, `rdf` (RSS 1.0 and 1.1), `atom` and `json` hold each format's rules; `ext` holds the
//! extension vocabularies (iTunes, FeedSync, feed history, Media RSS beyond its basics, the
//! Atom Publishing Protocol, …), walked once over any RSS or Atom document; `prolog` checks what
//! comes before the document element. The format modules import none of each other; what they
//! share sits below them: `namespaces` (namespace URIs and the document-wide declaration and
//! extension checks), `links` (Atom links, also found as `atom:link` in RSS), `content` (HTML
//! and XHTML in content), `elements` (what a field of each kind must hold) and `checks` (checks of
//! a value alone: dates, URIs, e-mail addresses, MIME types, HTML scanning). Document-wide rules
//! have modules of their own: `roots` (a feed's document element in the wrong namespace),
//! `characters` (characters that betray a wrong decoding), `bases` (`xml:base` values),
//! `vocabularies` (the namespaces the validator knows), `containers` (text where only elements
//! may be) and `markup` (what an Atom text construct holds against its `type`). [`text`]
//! publishes the one helper a feed writer needs too, [`text::looks_like_html`].
//!
//! A feed fetched over HTTP goes through [`validate_served`] instead, which adds the service's
//! checks of what the server said (`http`: the `Content-Type` and its charset); every message
//! has an explanation of what it means and how to fix it ([`Message::explanation`], written in
//! `explanations.md`). Parsing and every check take time linear in the document: positions
//! are found without counting from the start of the line, and internal entities expand
//! within a fixed budget.

mod atom;
mod bases;
mod characters;
mod checks;
mod containers;
mod content;
mod decode;
mod elements;
mod explain;
mod ext;
mod http;
mod json;
mod links;
mod markup;
mod message;
mod namespaces;
mod prolog;
mod rdf;
mod roots;
mod rss;
pub mod text;
mod vocabularies;
mod xml;

use chrono::{DateTime, Utc};

use decode::decode;
pub use http::validate_served;
pub use message::{Message, Severity};
pub use xml::Pos;

/// Feeds larger than this are not checked, as on the W3C service.
pub const MAX_BYTES: usize = 5_000_000;

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
    /// RSS 2.0 (or 0.9x), RSS 1.0 (RDF) or RSS 1.1.
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.x.
    Json,
    /// Not a feed this validator checks (OPML, HTML, an XML sitemap, …).
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
            let message = if decode::unknown_encoding(bytes) {
                Message::UnknownEncoding
            } else {
                Message::UnicodeError
            };
            sink.report(start, message, detail);
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
        let prolog = prolog::check(&text, &mut sink);
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
                        format!(
                            "nested deeper than {} elements, newswire's own bound",
                            xml::MAX_DEPTH
                        ),
                    );
                    return Outcome {
                        kind: Kind::Other,
                        findings: sink.findings,
                    };
                }
                let root = &doc.root;
                prolog::check_root(&prolog, root, &mut sink);
                let kind = if let Some(kind) = roots::misplaced(root, &mut sink) {
                    kind
                } else if root.is(None, "rss") {
                    rss::check(root, &mut sink);
                    ext::check(root, ext::Format::Rss, &mut sink);
                    Kind::Rss
                } else if root.is(Some(namespaces::ATOM), "feed")
                    || root.is(Some(namespaces::ATOM), "entry")
                {
                    atom::check(root, &mut sink);
                    ext::check(root, ext::Format::Atom, &mut sink);
                    Kind::Atom
                } else if root.is(Some(ext::APP), "service")
                    || root.is(Some(ext::APP), "categories")
                {
                    // An Atom Publishing Protocol document: checked, but not a feed.
                    ext::check(root, ext::Format::Atom, &mut sink);
                    Kind::Other
                } else if root.is(Some(rdf::RDF), "RDF") {
                    rdf::check_rdf(root, &mut sink);
                    ext::check(root, ext::Format::Rdf, &mut sink);
                    Kind::Rss
                } else if root.is(Some(rdf::RSS11), "Channel") {
                    rdf::check_rss11(root, &mut sink);
                    ext::check(root, ext::Format::Rdf, &mut sink);
                    Kind::Rss
                } else if root.local == "Channel" {
                    // RSS 1.1's document element in another namespace.
                    sink.report(
                        root.pos,
                        Message::InvalidNamespace,
                        format!(
                            "{} in {}",
                            root.local,
                            root.ns.as_deref().unwrap_or("no namespace")
                        ),
                    );
                    Kind::Rss
                } else if root.ns.as_deref() == Some(rdf::RDF)
                    || (root.ns.is_none() && matches!(root.local.as_str(), "channel" | "item"))
                {
                    // Looks like RSS, but this element cannot be a feed's document element.
                    sink.report(
                        root.pos,
                        Message::UndefinedElement,
                        format!("{} cannot be the document element", root.qname()),
                    );
                    Kind::Rss
                } else {
                    Kind::Other
                };
                // Rules of the whole document, whatever its format.
                if kind != Kind::Other {
                    vocabularies::check(root, &mut sink);
                    vocabularies::check_extension_children(root, &mut sink);
                    containers::check(root, &mut sink);
                    characters::check(root, &mut sink);
                    bases::check(root, &mut sink);
                }
                kind
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

#[cfg(test)]
mod tests {
    use super::*;

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
