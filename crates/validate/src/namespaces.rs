//! Namespaces: the URIs of the vocabularies feeds mix in (Atom, XHTML, Dublin Core,
//! `content:`, Media RSS, the Syndication module), the prefixes they are known by, and the
//! document-wide checks of declarations, `xml:lang` and extension elements that RSS and Atom
//! documents share.

use crate::checks;
use crate::elements::{full_link, once_ns, positive_integer, w3cdtf};
use crate::xml::{Element, XML_NS};
use crate::{Message, Sink};

/// The Atom namespace.
pub(crate) const ATOM: &str = "http://www.w3.org/2005/Atom";
/// Dublin Core's element set.
pub(crate) const DC: &str = "http://purl.org/dc/elements/1.1/";
/// The RSS content module (`content:encoded`).
pub(crate) const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
/// Media RSS.
pub(crate) const MEDIA: &str = "http://search.yahoo.com/mrss/";
/// XHTML.
pub(crate) const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// The RSS Syndication module.
pub(crate) const SY: &str = "http://purl.org/rss/1.0/modules/syndication/";

/// Well-known prefixes and the namespaces they stand for.
const PREFIXES: &[(&str, &str)] = &[
    ("atom", ATOM),
    ("content", CONTENT),
    ("dc", DC),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("media", MEDIA),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("slash", "http://purl.org/rss/1.0/modules/slash/"),
    ("sy", "http://purl.org/rss/1.0/modules/syndication/"),
    ("thr", "http://purl.org/syndication/thread/1.0"),
    ("wfw", "http://wellformedweb.org/CommentAPI/"),
    ("xhtml", XHTML),
    // Extension vocabularies checked in `ext`.
    ("access", "http://www.bloglines.com/about/specs/fac-1.0"),
    ("app", "http://www.w3.org/2007/app"),
    ("feedburner", "http://rssnamespace.org/feedburner/ext/1.0"),
    ("fh", "http://purl.org/syndication/history/1.0"),
    ("geo", "http://www.w3.org/2003/01/geo/wgs84_pos#"),
    ("georss", "http://www.georss.org/georss"),
    ("sx", "http://feedsync.org/2007/feedsync"),
];

/// Dublin Core's element names.
const DC_ELEMENTS: &[&str] = &[
    "contributor",
    "coverage",
    "creator",
    "date",
    "description",
    "format",
    "identifier",
    "language",
    "publisher",
    "relation",
    "rights",
    "source",
    "subject",
    "title",
    "type",
];

/// Extension vocabularies whose every element is known: anything else in them is undefined.
const VOCABULARIES: &[(&str, &str, &[&str])] = &[
    ("dc", DC, DC_ELEMENTS),
    ("sy", SY, &["updatePeriod", "updateFrequency", "updateBase"]),
    // `item`, `format` and `encoding` describe the entries of RSS 1.0's `content:items`.
    (
        "content",
        CONTENT,
        &["encoded", "items", "item", "format", "encoding"],
    ),
    (
        "slash",
        "http://purl.org/rss/1.0/modules/slash/",
        &["comments", "department", "section", "hit_parade"],
    ),
    (
        "wfw",
        "http://wellformedweb.org/CommentAPI/",
        &["comment", "commentRss", "commentRSS"],
    ),
];

/// Extension elements, anywhere, whose text must be a full URL.
const LINK_ELEMENTS: &[(&str, &str)] = &[
    (
        "http://backend.userland.com/creativeCommonsRssModule",
        "license",
    ),
    ("http://backend.userland.com/blogChannelModule", "blogRoll"),
    (
        "http://backend.userland.com/blogChannelModule",
        "mySubscriptions",
    ),
    ("http://backend.userland.com/blogChannelModule", "blink"),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "ping",
    ),
    (
        "http://madskills.com/public/xml/rss/module/trackback/",
        "about",
    ),
];

/// Checks declarations, `xml:lang` and extension elements anywhere in the document; `atom`
/// when it is an Atom document (where the Atom and XHTML namespaces should not be prefixed).
pub(crate) fn check(root: &Element, atom: bool, sink: &mut Sink<'_>) {
    for e in std::iter::once(root).chain(root.descendants()) {
        if LINK_ELEMENTS
            .iter()
            .any(|&(ns, local)| e.is(Some(ns), local))
        {
            // RSS 1.0 gives the URL as an RDF resource instead of as text.
            let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
            let value = match e.attr_ns(rdf, "resource") {
                Some(resource) if root.is(Some(rdf), "RDF") => resource,
                _ => &e.text,
            };
            full_link(e.pos, &e.qname(), value, false, sink);
        }
        if let Some((prefix, _, known)) = VOCABULARIES
            .iter()
            .find(|(_, ns, _)| e.ns.as_deref() == Some(*ns))
            // "Qualified" Dublin Core (`dc:date.Taken`) refines an element with a suffix.
            && !known.contains(&e.local.split('.').next().unwrap_or(""))
        {
            sink.report(
                e.pos,
                Message::UndefinedElement,
                format!("{prefix}:{} is not defined", e.local),
            );
        }
        once_ns(
            e,
            SY,
            &["updateBase", "updateFrequency", "updatePeriod"],
            sink,
        );
        once_ns(
            e,
            "http://webns.net/mvcb/",
            &["errorReportsTo", "generatorAgent"],
            sink,
        );
        if e.ns.as_deref() == Some(MEDIA) || e.is(None, "item") || e.is(None, "channel") {
            once_ns(e, MEDIA, &["title", "description", "copyright"], sink);
        }
        if e.is(Some(SY), "updateFrequency") {
            positive_integer(e, sink);
        } else if e.is(Some(SY), "updateBase") {
            w3cdtf(e, sink);
        }
        if let Some(lang) = e.attr_ns(XML_NS, "lang")
            && !lang.is_empty()
            && !checks::language(lang)
        {
            sink.report(
                e.pos,
                Message::InvalidLanguage,
                format!("xml:lang=\"{lang}\""),
            );
        }
        for (prefix, uri) in &e.declares {
            if uri == "http://search.yahoo.com/mrss" {
                sink.report(
                    e.pos,
                    Message::MediaRssNamespace,
                    format!("xmlns:{} = {uri}", prefix.as_deref().unwrap_or("")),
                );
                continue;
            }
            let Some(prefix) = prefix else { continue };
            if atom
                && matches!(prefix.as_str(), "atom" | "xhtml")
                && (uri == ATOM || uri == XHTML)
                && !(e.pos == root.pos && root.prefix.as_deref() == Some(prefix.as_str()))
            {
                sink.report(
                    e.pos,
                    Message::AvoidNamespacePrefix,
                    format!("xmlns:{prefix}"),
                );
            }
            if let Some((_, expected)) = PREFIXES.iter().find(|(p, _)| p == prefix)
                && uri != expected
            {
                sink.report(
                    e.pos,
                    Message::ReservedPrefix,
                    format!("`{prefix}` is {expected}, not {uri}"),
                );
            }
        }
    }
}
