//! Atom 1.0 rules (RFC 4287), as the W3C Feed Validation Service applies them.

use std::collections::HashSet;

use crate::checks::{self, Iso, UriKind};
use crate::elements::{plain, report_uri};
use crate::namespaces::{self, ATOM, XHTML};
use crate::xml::{Element, XML_NS};
use crate::{Message, Sink, content, links};

/// The trackback module's namespace: its `ping` and `about` describe one entry each.
const TRACKBACK: &str = "http://madskills.com/public/xml/rss/module/trackback/";

const FEED_ELEMENTS: &[&str] = &[
    "author",
    "category",
    "contributor",
    "generator",
    "icon",
    "id",
    "link",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "entry",
];

const ENTRY_ELEMENTS: &[&str] = &[
    "author",
    "category",
    "content",
    "contributor",
    "id",
    "link",
    "published",
    "rights",
    "source",
    "summary",
    "title",
    "updated",
];

const ONCE: &[&str] = &[
    "generator",
    "icon",
    "id",
    "logo",
    "rights",
    "subtitle",
    "title",
    "updated",
    "content",
    "published",
    "source",
    "summary",
];

/// Checks an Atom `feed` (or standalone `entry`) document element.
pub(super) fn check(root: &Element, sink: &mut Sink<'_>) {
    namespaces::check(root, true, sink);
    sink.xml_base = root.attr_ns(XML_NS, "base").map(str::to_string);
    if root.prefix.is_some() {
        sink.report(
            root.pos,
            Message::AvoidNamespacePrefix,
            format!("{}:", root.prefix.as_deref().unwrap_or("")),
        );
    }
    if root.local == "entry" {
        entry(root, true, &mut Seen::default(), sink);
        return;
    }
    once(root, sink);
    for name in ["title", "id", "updated"] {
        if root.child(Some(ATOM), name).is_none() {
            sink.report(
                root.pos,
                Message::MissingElement,
                format!("feed has no {name}"),
            );
        }
    }
    let feed_author = root.child(Some(ATOM), "author").is_some();
    let mut links = Vec::new();
    let mut seen = Seen::default();
    let mut author_before = false;
    let mut entry_before = false;
    for child in &root.children {
        if child.ns.as_deref() == Some(ATOM) {
            if child.local == "entry" {
                entry_before = true;
            } else if entry_before {
                sink.report(
                    child.pos,
                    Message::MisplacedMetadata,
                    format!("feed {} after an entry", child.local),
                );
            }
        }
        match (child.ns.as_deref(), child.local.as_str()) {
            (Some(ATOM), "entry") => entry(child, author_before || feed_author, &mut seen, sink),
            (Some(ATOM), "author") => {
                author_before = true;
                person(child, sink);
            }
            (Some(ATOM), other) => common(child, other, &mut links, sink),
            (None, other) => undeterminable(child, other, sink),
            (Some(XHTML), _) => misplaced_xhtml(child, sink),
            (Some(TRACKBACK), other) => sink.report(
                child.pos,
                Message::UndefinedElement,
                format!("trackback:{other} belongs in an entry, not the feed"),
            ),
            _ => {}
        }
    }
    duplicate_ids(root, sink);
    if !links.iter().any(|(rel, _, _)| rel == "self") {
        sink.report(
            root.pos,
            Message::MissingSelf,
            "add <link rel=\"self\" href=\"…\"/>",
        );
    }
    links::duplicate_alternates(root.pos, &links, sink);
}

/// An element in no namespace inside an Atom document: not Atom's (whose namespace is the
/// default), and of no vocabulary that can be told.
fn undeterminable(e: &Element, name: &str, sink: &mut Sink<'_>) {
    sink.report(
        e.pos,
        Message::UndeterminableVocabulary,
        format!("{name} is in no namespace"),
    );
}

/// XHTML belongs inside a text construct of type `xhtml`, not among a feed's or entry's
/// elements.
fn misplaced_xhtml(e: &Element, sink: &mut Sink<'_>) {
    sink.report(
        e.pos,
        Message::MisplacedXHTMLContent,
        format!("{} outside a text construct", e.qname()),
    );
}

/// A feed of ten or more entries that all share one id is one entry repeated (`DuplicateIds`,
/// an error) rather than a few duplicates (`DuplicateEntries`, then not reported).
fn duplicate_ids(feed: &Element, sink: &mut Sink<'_>) {
    let ids: Vec<&str> = feed
        .children_named(Some(ATOM), "entry")
        .map(|e| e.child(Some(ATOM), "id").map_or("", |id| id.text.trim()))
        .collect();
    if ids.len() > 9 && !ids[0].is_empty() && ids.iter().all(|id| *id == ids[0]) {
        sink.findings
            .retain(|f| f.message != Message::DuplicateEntries);
        sink.report(
            feed.pos,
            Message::DuplicateIds,
            format!("all {} entries have the id {}", ids.len(), ids[0]),
        );
    }
}

/// Ids and updated times already seen, for the duplicate checks.
#[derive(Default)]
struct Seen {
    ids: HashSet<String>,
    updated: HashSet<String>,
}

fn once(parent: &Element, sink: &mut Sink<'_>) {
    let mut seen = HashSet::new();
    for child in parent
        .children
        .iter()
        .filter(|c| c.ns.as_deref() == Some(ATOM))
    {
        if ONCE.contains(&child.local.as_str()) && !seen.insert(child.local.as_str()) {
            sink.report(
                child.pos,
                Message::DuplicateElement,
                format!("{} has more than one {}", parent.local, child.local),
            );
        }
    }
}

/// Elements feeds and entries share.
fn common(
    child: &Element,
    name: &str,
    links: &mut Vec<(String, String, String)>,
    sink: &mut Sink<'_>,
) {
    match name {
        "id" => id(child, sink),
        "title" | "subtitle" | "rights" | "summary" => text_construct(child, false, sink),
        "updated" | "published" => date(child, sink),
        "contributor" => person(child, sink),
        "category" => category(child, sink),
        "link" => {
            let rel = links::link(child, true, sink).unwrap_or_default();
            let key = (
                rel,
                child.attr("type").unwrap_or("").to_string(),
                child.attr("hreflang").unwrap_or("").to_string(),
            );
            links.push(key);
        }
        "generator" => {
            if let Some(uri) = child.attr("uri")
                && let Err(problem) = checks::uri(uri, UriKind::Reference, true)
            {
                report_uri(
                    child.pos,
                    "generator uri",
                    uri,
                    problem,
                    Message::InvalidURIAttribute,
                    sink,
                );
            }
            if child.text.trim().is_empty() && child.children.is_empty() {
                sink.report(child.pos, Message::NotBlank, "generator is empty");
            }
            plain(child, sink);
        }
        "icon" | "logo" => {
            no_whitespace(child, sink);
            let value = child.text.trim();
            if value.is_empty() {
                sink.report(child.pos, Message::NotBlank, format!("{name} is empty"));
            } else if let Err(problem) = checks::uri(value, UriKind::Reference, true) {
                report_uri(child.pos, name, value, problem, Message::InvalidIRI, sink);
            }
        }
        other => {
            let parent = if FEED_ELEMENTS.contains(&other) || ENTRY_ELEMENTS.contains(&other) {
                "this element"
            } else {
                "Atom"
            };
            sink.report(
                child.pos,
                Message::UndefinedElement,
                format!("{parent} has no {other}"),
            );
        }
    }
}

/// Atom ids, dates and URIs are written without surrounding whitespace (RFC 4287 §3.3, §4.2.6:
/// "MUST NOT" for dates; the W3C service asks it of every URI-valued element too).
fn no_whitespace(e: &Element, sink: &mut Sink<'_>) {
    if e.text.trim() != e.text {
        sink.report(
            e.pos,
            Message::UnexpectedWhitespace,
            format!("{} has whitespace around its value", e.local),
        );
    }
}

fn id(e: &Element, sink: &mut Sink<'_>) {
    no_whitespace(e, sink);
    let value = e.text.trim();
    if value.is_empty() {
        sink.report(e.pos, Message::InvalidFullLink, "id is empty");
        sink.report(e.pos, Message::NotBlank, "id is empty");
        return;
    }
    match checks::uri(value, UriKind::Full, true) {
        Err(problem) => report_uri(e.pos, "id", value, problem, Message::InvalidFullLink, sink),
        Ok(()) => {
            if let Some(canonical) = checks::canonical(&e.text)
                && canonical != e.text
            {
                sink.report(
                    e.pos,
                    Message::NonCanonicalURI,
                    format!("{} (canonical: {canonical})", e.text),
                );
            }
        }
    }
}

fn date(e: &Element, sink: &mut Sink<'_>) {
    no_whitespace(e, sink);
    let value = e.text.trim();
    match checks::iso_date(value, Iso::Rfc3339) {
        Ok(d) if checks::implausible(d, sink.now()) => {
            sink.report(
                e.pos,
                Message::ImplausibleDate,
                format!("{}: {value}", e.local),
            );
        }
        Ok(_) => {}
        Err(message) => sink.report(e.pos, message, format!("{}: {value}", e.local)),
    }
}

#[allow(clippy::collapsible_match)] // a guard would send valid e-mails to the catch-all arm
fn person(e: &Element, sink: &mut Sink<'_>) {
    if e.child(Some(ATOM), "name").is_none() {
        sink.report(
            e.pos,
            Message::MissingElement,
            format!("{} has no name", e.local),
        );
    }
    for name in ["name", "uri", "email"] {
        if let Some(second) = e.children_named(Some(ATOM), name).nth(1) {
            sink.report(
                second.pos,
                Message::DuplicateElement,
                format!("{} has more than one {name}", e.local),
            );
        }
    }
    for child in &e.children {
        let value = child.text.trim();
        match (child.ns.as_deref(), child.local.as_str()) {
            (Some(ATOM), "name") => {
                if value.is_empty() {
                    sink.report(child.pos, Message::NotBlank, "name is empty");
                }
                plain(child, sink);
                // `Name <name@example.com>`: an address in angle brackets.
                let bracketed = value.split('<').skip(1).any(|rest| {
                    rest.split_once('>')
                        .is_some_and(|(inner, _)| checks::addr_spec(inner))
                });
                if bracketed {
                    sink.report(child.pos, Message::ContainsEmail, value.to_string());
                }
            }
            (Some(ATOM), "email") => {
                if !checks::addr_spec(value) {
                    let message = if checks::single_label_address(value) {
                        Message::UnknownHost
                    } else {
                        Message::InvalidAddrSpec
                    };
                    sink.report(child.pos, message, value.to_string());
                }
            }
            (Some(ATOM), "uri") => {
                no_whitespace(child, sink);
                if value.is_empty() {
                    sink.report(child.pos, Message::NotBlank, "uri is empty");
                } else if let Err(problem) = checks::uri(value, UriKind::Reference, true) {
                    report_uri(child.pos, "uri", value, problem, Message::InvalidIRI, sink);
                }
            }
            (Some(ATOM), other) => sink.report(
                child.pos,
                Message::UndefinedElement,
                format!("{} has {other}", e.local),
            ),
            _ => {}
        }
    }
}

fn category(e: &Element, sink: &mut Sink<'_>) {
    match e.attr("term") {
        None => sink.report(e.pos, Message::MissingAttribute, "category has no term"),
        Some("") => sink.report(e.pos, Message::NotBlank, "category term is empty"),
        Some(_) => {}
    }
    if let Some(scheme) = e.attr("scheme")
        && let Err(problem) = checks::uri(scheme, UriKind::Full, true)
    {
        report_uri(
            e.pos,
            "category scheme",
            scheme,
            problem,
            Message::InvalidFullLink,
            sink,
        );
    }
    if let Some(label) = e.attr("label")
        && let Some(what) = crate::text::looks_like_html(label, e.attr_hexrefs("label"))
    {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("category label contains {what}"),
        );
    }
}

/// A text construct (`title`, `summary`, …) or, with `content`, an entry's `content`.
fn text_construct(e: &Element, content: bool, sink: &mut Sink<'_>) {
    let src = e.attr("src");
    let kind = e
        .attr("type")
        .unwrap_or(if src.is_some() { "" } else { "text" });
    if !content && kind.contains('/') {
        sink.report(
            e.pos,
            Message::InvalidTextType,
            format!("{} type=\"{kind}\"", e.local),
        );
    }
    if src.is_some() && e.attr("type").is_none() {
        sink.report(
            e.pos,
            Message::MissingTypeAttr,
            format!("{} has src but no type", e.local),
        );
    }
    if e.attr("type") == Some("") {
        sink.report(
            e.pos,
            Message::AttrNotBlank,
            format!("{} type is empty", e.local),
        );
    }
    let textual = ["text", "html", "xhtml"].contains(&kind);
    // With `src`, the type is the linked resource's MIME type, so `text`/`html`/`xhtml` is wrong.
    let bad_mime = if textual {
        src.is_some()
    } else {
        !kind.is_empty()
            && (!checks::mime_type(kind) || (content && kind == "multipart/alternative"))
    };
    if bad_mime {
        sink.report(
            e.pos,
            Message::InvalidMIMEType,
            format!("{} type=\"{kind}\"", e.local),
        );
    }
    if let Some(src) = src
        && let Err(problem) = checks::uri(src, UriKind::Reference, true)
    {
        report_uri(
            e.pos,
            "src",
            src,
            problem,
            Message::InvalidURIAttribute,
            sink,
        );
    }
    crate::markup::check(e, kind, sink);
    match kind {
        "xhtml" => {
            let div = e
                .children
                .first()
                .filter(|d| d.is(Some(XHTML), "div") && e.children.len() == 1);
            if div.is_none() || !e.text.trim().is_empty() {
                sink.report(e.pos, Message::MissingXhtmlDiv, e.local.clone());
            }
            content::xhtml(e, sink);
        }
        "html" | "text/html" => {
            for child in &e.children {
                sink.report(
                    child.pos,
                    Message::UndefinedElement,
                    format!("{} inside {}", child.qname(), e.local),
                );
            }
            content::html_text(e.pos, &e.local, &e.text, false, sink);
        }
        k if k.ends_with("+xml") || k.ends_with("/xml") => {}
        _ => {
            for child in &e.children {
                sink.report(
                    child.pos,
                    Message::UndefinedElement,
                    format!("{} inside {}", child.qname(), e.local),
                );
            }
            if (kind == "text" || kind.starts_with("text/"))
                && let Some(what) = crate::text::looks_like_html(&e.text, false)
            {
                sink.report(
                    e.pos,
                    Message::ContainsUndeclaredHTML,
                    format!("{} contains {what}", e.local),
                );
            }
        }
    }
    // Whitespace is content here (the W3C service does not trim text constructs).
    if e.text.is_empty() && e.children.is_empty() && src.is_none() {
        sink.report(e.pos, Message::NotBlank, format!("{} is empty", e.local));
    }
}

fn entry(e: &Element, has_feed_author: bool, seen: &mut Seen, sink: &mut Sink<'_>) {
    once(e, sink);
    for name in ["title", "id", "updated"] {
        if e.child(Some(ATOM), name).is_none() {
            sink.report(
                e.pos,
                Message::MissingElement,
                format!("entry has no {name}"),
            );
        }
    }
    let has_author = e.child(Some(ATOM), "author").is_some()
        || e.child(Some(ATOM), "source")
            .is_some_and(|s| s.child(Some(ATOM), "author").is_some());
    if !has_author && !has_feed_author {
        sink.report(
            e.pos,
            Message::MissingElement,
            "entry has no author (and the feed has none)",
        );
    }
    let mut links = Vec::new();
    let content = e.child(Some(ATOM), "content");
    for child in &e.children {
        match (child.ns.as_deref(), child.local.as_str()) {
            (Some(ATOM), "author") => person(child, sink),
            (Some(ATOM), "content") => text_construct(child, true, sink),
            (Some(ATOM), "source") => {
                once(child, sink);
                let source_links: Vec<(String, String, String)> = child
                    .children_named(Some(ATOM), "link")
                    .map(|l| {
                        (
                            l.attr("rel").unwrap_or("alternate").to_string(),
                            l.attr("type").unwrap_or("").to_string(),
                            l.attr("hreflang").unwrap_or("").to_string(),
                        )
                    })
                    .collect();
                links::duplicate_alternates(child.pos, &source_links, sink);
                for name in ["id", "title", "updated"] {
                    if child.child(Some(ATOM), name).is_none() {
                        sink.report(
                            child.pos,
                            Message::MissingSourceElement,
                            format!("source has no {name}"),
                        );
                    }
                }
                for s in &child.children {
                    if s.ns.as_deref() == Some(ATOM) {
                        match s.local.as_str() {
                            "author" => person(s, sink),
                            "link" => {
                                links::link(s, false, sink);
                            }
                            "entry" => {
                                sink.report(s.pos, Message::UndefinedElement, "source has entry")
                            }
                            other => common(s, other, &mut Vec::new(), sink),
                        }
                    }
                }
            }
            (Some(ATOM), "id") => {
                id(child, sink);
                if !seen.ids.insert(child.text.trim().to_string()) {
                    sink.report(
                        child.pos,
                        Message::DuplicateEntries,
                        child.text.trim().to_string(),
                    );
                }
            }
            (Some(ATOM), "updated") => {
                date(child, sink);
                if !seen.updated.insert(child.text.trim().to_string()) {
                    sink.report(
                        child.pos,
                        Message::DuplicateUpdated,
                        child.text.trim().to_string(),
                    );
                }
            }
            (Some(ATOM), "link") => {
                let rel = links::link(child, false, sink).unwrap_or_default();
                links.push((
                    rel,
                    child.attr("type").unwrap_or("").to_string(),
                    child.attr("hreflang").unwrap_or("").to_string(),
                ));
            }
            (Some(ATOM), other) if !ENTRY_ELEMENTS.contains(&other) => {
                sink.report(
                    child.pos,
                    Message::UndefinedElement,
                    format!("entry has {other}"),
                );
            }
            (Some(ATOM), other) => common(child, other, &mut Vec::new(), sink),
            (None, other) => undeterminable(child, other, sink),
            (Some(XHTML), _) => misplaced_xhtml(child, sink),
            _ => {}
        }
    }
    let has_summary = e.child(Some(ATOM), "summary").is_some();
    match content {
        Some(c) => {
            let kind = c.attr("type").unwrap_or("text");
            let inline_text = !kind.contains('/')
                || kind.ends_with("+xml")
                || kind.ends_with("/xml")
                || kind.starts_with("text/");
            if !has_summary && (c.attr("src").is_some() || !inline_text) {
                sink.report(e.pos, Message::MissingSummary, "");
            }
        }
        None => {
            if !has_summary {
                sink.report(e.pos, Message::MissingTextualContent, "");
            }
            if !links.iter().any(|(rel, _, _)| rel == "alternate") {
                sink.report(e.pos, Message::MissingContentOrAlternate, "");
            }
        }
    }
    links::duplicate_alternates(e.pos, &links, sink);
}
