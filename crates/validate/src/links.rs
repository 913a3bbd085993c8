//! Atom `link` elements, in Atom documents and as `atom:link` in RSS channels and items: the
//! relation registry, the attribute values, whether the self link is the address the feed is
//! published at, and duplicate alternates.

use std::collections::HashMap;

use crate::checks::{self, UriKind};
use crate::elements::report_uri;
use crate::xml::{Element, Pos, XML_NS};
use crate::{Message, Sink};

/// Link relations the W3C service knows (IANA's registry as of RFC 5005 and friends).
const RELATIONS: &[&str] = &[
    "alternate",
    "current",
    "describedby",
    "edit",
    "edit-media",
    "enclosure",
    "first",
    "hub",
    "last",
    "license",
    "next",
    "next-archive",
    "payment",
    "prev-archive",
    "previous",
    "related",
    "replies",
    "search",
    "self",
    "service",
    "up",
    "via",
];

/// Checks an Atom `link` (in Atom, or as `atom:link` in RSS); returns its `rel`.
pub(crate) fn link(e: &Element, feed_level: bool, sink: &mut Sink<'_>) -> Option<String> {
    let rel = e.attr("rel").unwrap_or("alternate");
    let rel = rel
        .strip_prefix("http://www.iana.org/assignments/relation/")
        .unwrap_or(rel);
    if !RELATIONS.contains(&rel)
        && checks::uri(rel, UriKind::Full, true).is_err_and(|p| p.is_error())
    {
        sink.report(e.pos, Message::UnregisteredAtomLinkRel, rel.to_string());
    }
    for name in ["rel", "title"] {
        if e.attr(name) == Some("") {
            sink.report(
                e.pos,
                Message::AttrNotBlank,
                format!("link {name} is empty"),
            );
        }
    }
    if !e.text.trim().is_empty() {
        sink.report(e.pos, Message::AtomLinkNotEmpty, e.text.trim().to_string());
    }
    if let Some(title) = e.attr("title")
        && let Some(what) = crate::text::looks_like_html(title, e.attr_hexrefs("title"))
    {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("link title contains {what}"),
        );
    }
    if let Some(t) = e.attr("type") {
        if !checks::mime_type(t) {
            sink.report(
                e.pos,
                Message::InvalidMIMEType,
                format!("link type=\"{t}\""),
            );
        } else if rel == "self" {
            let mime = t.split(';').next().unwrap_or("").trim();
            if ![
                "application/atom+xml",
                "application/rss+xml",
                "application/rdf+xml",
            ]
            .contains(&mime)
            {
                sink.report(
                    e.pos,
                    Message::SelfNotAtom,
                    format!("self link type=\"{t}\""),
                );
            }
        }
    }
    if let Some(length) = e.attr("length")
        && checks::integer(length).is_none_or(|n| n < 0)
    {
        sink.report(
            e.pos,
            Message::InvalidNonNegativeInteger,
            format!("link length=\"{length}\""),
        );
    }
    if let Some(lang) = e.attr("hreflang")
        && !checks::language(lang)
    {
        sink.report(
            e.pos,
            Message::InvalidLanguage,
            format!("hreflang=\"{lang}\""),
        );
    }
    match e.attr("href") {
        None => sink.report(e.pos, Message::MissingHref, "link has no href"),
        Some(href) => {
            if let Err(problem) = checks::uri(href, UriKind::Reference, true) {
                report_uri(e.pos, "href", href, problem, Message::InvalidIRI, sink);
            } else {
                same_document(e, href, sink);
                if rel == "self" && feed_level {
                    self_link(e, href, sink);
                }
            }
        }
    }
    Some(rel.to_string())
}

/// The `xml:base` in scope at `e`: its own, resolved against the document element's.
fn base_of(e: &Element, sink: &Sink<'_>) -> Option<url::Url> {
    let root = sink
        .xml_base
        .as_deref()
        .and_then(|b| url::Url::parse(b).ok());
    match (root, e.attr_ns(XML_NS, "base")) {
        (Some(root), Some(own)) => root.join(own).ok(),
        (None, Some(own)) => url::Url::parse(own).ok(),
        (root, None) => root,
    }
}

/// A link that resolves to the `xml:base` in scope, when that base is not where the document
/// is published, points at some other document than the author likely meant (XML Base §4.3:
/// an empty or `.` reference is the base itself).
fn same_document(e: &Element, href: &str, sink: &mut Sink<'_>) {
    let (Some(base), Some(location)) = (
        base_of(e, sink),
        sink.options
            .location
            .as_deref()
            .and_then(|l| url::Url::parse(l).ok()),
    ) else {
        return;
    };
    let without_fragment = |mut u: url::Url| {
        u.set_fragment(None);
        u
    };
    let base = without_fragment(base);
    if base == without_fragment(location) {
        return;
    }
    if base
        .join(href)
        .is_ok_and(|resolved| without_fragment(resolved) == base)
    {
        sink.report(
            e.pos,
            Message::SameDocumentReference,
            format!("{href} is {base} itself"),
        );
    }
}

fn self_link(e: &Element, href: &str, sink: &mut Sink<'_>) {
    let base = base_of(e, sink);
    let resolved = url::Url::parse(href)
        .ok()
        .or_else(|| base.as_ref().and_then(|b| b.join(href).ok()));
    if resolved.is_none() {
        sink.report(e.pos, Message::RelativeSelf, href.to_string());
    }
    if let Some(location) = &sink.options.location {
        let location = url::Url::parse(location).ok();
        let resolved = resolved.or_else(|| location.as_ref().and_then(|l| l.join(href).ok()));
        if location.is_some() && resolved != location {
            sink.report(
                e.pos,
                Message::SelfDoesntMatchLocation,
                format!(
                    "{href} is published at {}",
                    location.map(String::from).unwrap_or_default()
                ),
            );
        }
    }
}

/// Reports a second alternate link with the same type and hreflang among `links`.
pub(crate) fn duplicate_alternates(
    pos: Pos,
    links: &[(String, String, String)],
    sink: &mut Sink<'_>,
) {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (rel, t, lang) in links {
        if rel == "alternate" {
            let n = seen.entry((t, lang)).or_default();
            *n += 1;
            if *n == 2 {
                sink.report(
                    pos,
                    Message::DuplicateAtomLink,
                    format!("type \"{t}\", hreflang \"{lang}\""),
                );
            }
        }
    }
}
