//! RSS 1.0 (<https://web.resource.org/rss/1.0/spec>, an `rdf:RDF` document, and its 0.90
//! ancestor) and RSS 1.1 (<https://inamidst.com/rss1.1/>, a `Channel` document): the channel,
//! items, image and text input each format defines, the `rdf:about` every resource needs (once
//! per document), the `items` list, and the RDF rules extension elements must keep (no text
//! beside child elements, no RSS 1.1 names inside them).

use std::collections::HashSet;

use crate::checks::{self, UriKind};
use crate::elements::{full_link, not_blank, plain, report_uri, w3cdtf};
use crate::namespaces::{self, DC};
use crate::xml::Element;
use crate::{Message, Sink};

/// The RDF syntax namespace.
pub(crate) const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RSS 1.0's own namespace.
pub(crate) const RSS10: &str = "http://purl.org/rss/1.0/";
/// RSS 0.90's namespace.
pub(crate) const RSS090: &str = "http://my.netscape.com/rdf/simple/0.9/";
/// RSS 1.1's namespace.
pub(crate) const RSS11: &str = "http://purl.org/net/rss1.1#";

const TRACKBACK: &str = "http://madskills.com/public/xml/rss/module/trackback/";
const ADMIN: &str = "http://webns.net/mvcb/";

/// What is being checked, and which namespace holds the format's own elements.
struct Doc<'s> {
    core: &'s str,
    rss11: bool,
    abouts: HashSet<String>,
}

/// Checks an `rdf:RDF` document element (RSS 1.0 or 0.90).
pub(crate) fn check_rdf(root: &Element, sink: &mut Sink<'_>) {
    namespaces::check(root, false, sink);
    let core = if root.children.iter().any(|c| c.is(Some(RSS090), "channel")) {
        RSS090
    } else {
        RSS10
    };
    let mut doc = Doc {
        core,
        rss11: false,
        abouts: HashSet::new(),
    };
    unexpected_text(root, sink);
    let mut channels = 0;
    for child in &root.children {
        match (child.ns.as_deref(), child.local.as_str()) {
            (Some(ns), "channel") if ns == core => {
                channels += 1;
                if channels == 2 {
                    sink.report(child.pos, Message::DuplicateElement, "a second channel");
                }
                if core == RSS10 {
                    about(child, true, &mut doc, sink);
                }
                channel(child, &mut doc, sink);
            }
            (Some(ns), name @ ("item" | "image" | "textinput")) if ns == core => {
                if core == RSS10 {
                    about(child, true, &mut doc, sink);
                }
                match name {
                    "item" => item(child, &mut doc, sink),
                    "image" => image(child, &doc, sink),
                    _ => textinput(child, &doc, sink),
                }
            }
            (Some(ns), _) if ns == core => undefined(child, root, sink),
            (Some(RDF), "Description") => {}
            // What `rdf:RDF` holds are resources, not properties.
            _ => extension(child, false, &mut doc, sink),
        }
    }
    if channels == 0 {
        sink.report(root.pos, Message::MissingElement, "rdf:RDF has no channel");
    }
}

/// Checks an RSS 1.1 `Channel` document element.
pub(crate) fn check_rss11(root: &Element, sink: &mut Sink<'_>) {
    namespaces::check(root, false, sink);
    let mut doc = Doc {
        core: RSS11,
        rss11: true,
        abouts: HashSet::new(),
    };
    about(root, true, &mut doc, sink);
    channel(root, &mut doc, sink);
}

fn undefined(e: &Element, parent: &Element, sink: &mut Sink<'_>) {
    sink.report(
        e.pos,
        Message::UndefinedElement,
        format!("{} is not defined in {}", e.qname(), parent.qname()),
    );
}

/// Text beside the child elements of an element that holds only elements.
fn unexpected_text(e: &Element, sink: &mut Sink<'_>) {
    if !e.text.trim().is_empty() {
        sink.report(
            e.pos,
            Message::UnexpectedText,
            format!("text in {}", e.qname()),
        );
    }
}

/// The `rdf:about` of a resource: present when `required`, a URI, unique in the document.
fn about(e: &Element, required: bool, doc: &mut Doc<'_>, sink: &mut Sink<'_>) {
    let Some(value) = e.attr_ns(RDF, "about") else {
        if required {
            sink.report(
                e.pos,
                Message::MissingAttribute,
                format!("{} has no rdf:about", e.qname()),
            );
        }
        return;
    };
    if let Err(problem) = checks::uri(value, UriKind::Reference, false) {
        report_uri(
            e.pos,
            "rdf:about",
            value,
            problem,
            Message::InvalidIRI,
            sink,
        );
    }
    if !doc.abouts.insert(value.to_string()) {
        sink.report(
            e.pos,
            Message::DuplicateValue,
            format!("rdf:about={value:?} twice"),
        );
    }
}

/// The format's own child `name` of `parent`, if any.
fn core_child<'a>(parent: &'a Element, doc: &Doc<'_>, name: &str) -> Option<&'a Element> {
    parent.child(Some(doc.core), name)
}

/// Core children of `e` that may appear once, and the ones it may hold at all.
fn core_children(e: &Element, doc: &Doc<'_>, allowed: &[&str], sink: &mut Sink<'_>) {
    let mut seen = HashSet::new();
    for child in e
        .children
        .iter()
        .filter(|c| c.ns.as_deref() == Some(doc.core))
    {
        if !allowed.contains(&child.local.as_str()) {
            undefined(child, e, sink);
        } else if !seen.insert(child.local.as_str()) {
            sink.report(
                child.pos,
                Message::DuplicateElement,
                format!("{} has more than one {}", e.qname(), child.local),
            );
        }
    }
}

fn text_fields(e: &Element, doc: &Doc<'_>, sink: &mut Sink<'_>) {
    for child in e
        .children
        .iter()
        .filter(|c| c.ns.as_deref() == Some(doc.core))
    {
        let text = matches!(
            child.local.as_str(),
            "title" | "description" | "name" | "link" | "url"
        );
        if !text || child.attr_ns(RDF, "parseType") == Some("Literal") {
            // An XML literal: its markup is its value.
            continue;
        }
        if let Some(inner) = child.children.first() {
            // RDF reads an element inside a text property as a resource, which a text
            // property cannot hold.
            sink.report(
                inner.pos,
                Message::InvalidRDF,
                format!("{} inside {}", inner.qname(), child.qname()),
            );
            continue;
        }
        match child.local.as_str() {
            "title" => {
                not_blank(child, sink);
                plain(child, sink);
            }
            "description" | "name" => plain(child, sink),
            "link" | "url" => full_link(child.pos, &child.local, &child.text, false, sink),
            _ => {}
        }
    }
}

fn channel(e: &Element, doc: &mut Doc<'_>, sink: &mut Sink<'_>) {
    unexpected_text(e, sink);
    for (name, message) in [
        ("title", Message::MissingTitle),
        ("link", Message::MissingLink),
        ("description", Message::MissingDescription),
    ] {
        if core_child(e, doc, name).is_none() {
            sink.report(e.pos, message, format!("{} has no {name}", e.qname()));
        }
    }
    let allowed: &[&str] = if doc.core == RSS090 {
        &["title", "link", "description"]
    } else {
        &[
            "title",
            "link",
            "description",
            "image",
            "textinput",
            "items",
        ]
    };
    core_children(e, doc, allowed, sink);
    text_fields(e, doc, sink);
    if doc.core != RSS090
        && e.attr_ns(RDF, "about").is_some()
        && core_child(e, doc, "items").is_none()
    {
        sink.report(
            e.pos,
            Message::MissingElement,
            format!("{} has no items", e.qname()),
        );
    }
    for child in &e.children {
        if child.ns.as_deref() == Some(doc.core) {
            match child.local.as_str() {
                "items" => items(child, doc, sink),
                "image" if doc.rss11 => image(child, doc, sink),
                _ => {}
            }
        } else {
            extension(child, true, doc, sink);
        }
    }
}

fn items(e: &Element, doc: &mut Doc<'_>, sink: &mut Sink<'_>) {
    unexpected_text(e, sink);
    for child in &e.children {
        match (child.ns.as_deref(), child.local.as_str()) {
            (Some(ns), "item") if ns == doc.core && doc.rss11 => {
                about(child, false, doc, sink);
                item(child, doc, sink);
            }
            (Some(RDF), "Seq") if !doc.rss11 => {
                for li in &child.children {
                    if !li.is(Some(RDF), "li") {
                        undefined(li, child, sink);
                        continue;
                    }
                    for attr in &li.attrs {
                        let known = attr.local == "resource"
                            && (attr.ns.is_none() || attr.ns.as_deref() == Some(RDF));
                        if !known {
                            sink.report(
                                li.pos,
                                Message::UnexpectedAttribute,
                                format!("rdf:li has {}", attr.local),
                            );
                        }
                    }
                }
            }
            _ => undefined(child, e, sink),
        }
    }
}

fn item(e: &Element, doc: &mut Doc<'_>, sink: &mut Sink<'_>) {
    unexpected_text(e, sink);
    for name in ["title", "link"] {
        if core_child(e, doc, name).is_none() && !(doc.rss11 && name == "link") {
            sink.report(
                e.pos,
                Message::MissingElement,
                format!("item has no {name}"),
            );
        }
    }
    core_children(e, doc, &["title", "link", "description"], sink);
    text_fields(e, doc, sink);
    for child in e
        .children
        .iter()
        .filter(|c| c.ns.as_deref() != Some(doc.core))
    {
        if child.ns.as_deref() == Some(TRACKBACK) && child.attr_ns(RDF, "resource").is_none() {
            sink.report(
                child.pos,
                Message::MissingAttribute,
                format!("{} has no rdf:resource", child.qname()),
            );
        }
        extension(child, true, doc, sink);
    }
}

fn image(e: &Element, doc: &Doc<'_>, sink: &mut Sink<'_>) {
    unexpected_text(e, sink);
    if !doc.rss11 {
        for (name, message) in [
            ("title", Message::MissingTitle),
            ("link", Message::MissingLink),
            ("url", Message::MissingElement),
        ] {
            if core_child(e, doc, name).is_none() {
                sink.report(e.pos, message, format!("image has no {name}"));
            }
        }
    }
    core_children(e, doc, &["title", "link", "url"], sink);
    text_fields(e, doc, sink);
}

fn textinput(e: &Element, doc: &Doc<'_>, sink: &mut Sink<'_>) {
    unexpected_text(e, sink);
    for (name, message) in [
        ("title", Message::MissingTitle),
        ("description", Message::MissingDescription),
        ("name", Message::MissingElement),
        ("link", Message::MissingLink),
    ] {
        if core_child(e, doc, name).is_none() {
            sink.report(e.pos, message, format!("textinput has no {name}"));
        }
    }
    core_children(e, doc, &["title", "description", "name", "link"], sink);
    text_fields(e, doc, sink);
}

/// An element of another vocabulary inside an RSS 1.x resource: RDF's rules, and the few
/// values checked here (Dublin Core dates, `admin:` resources).
fn extension(e: &Element, property: bool, doc: &mut Doc<'_>, sink: &mut Sink<'_>) {
    if e.ns.is_none() {
        // Neither the format's (whose namespace is not the default here) nor any other's.
        sink.report(
            e.pos,
            Message::UndeterminableVocabulary,
            format!("{} is in no namespace", e.local),
        );
        return;
    }
    match (e.ns.as_deref(), e.local.as_str()) {
        (Some(DC), "date") => w3cdtf(e, sink),
        (Some(ADMIN), _) => match e.attr_ns(RDF, "resource") {
            None => sink.report(
                e.pos,
                Message::MissingAttribute,
                format!("{} has no rdf:resource", e.qname()),
            ),
            Some(uri) => {
                if let Err(problem) = checks::uri(uri, UriKind::Reference, false) {
                    report_uri(e.pos, &e.qname(), uri, problem, Message::InvalidIRI, sink);
                }
            }
        },
        _ => {}
    }
    // Walk the extension's own tree: RDF forbids text beside elements (unless the element
    // says its content is a literal), and RSS 1.1's names belong to RSS 1.1's elements only.
    // Elements alternate between properties (`e` is one) and the resources they hold (RDF's
    // striping); a resource cannot point elsewhere with `rdf:resource`.
    let mut stack = vec![(e, property)];
    while let Some((x, property)) = stack.pop() {
        if x.attr_ns(RDF, "parseType") == Some("Literal") {
            continue;
        }
        if !property && x.attr_ns(RDF, "resource").is_some() {
            sink.report(
                x.pos,
                Message::InvalidRDF,
                format!("{} is a resource with rdf:resource", x.qname()),
            );
        }
        if x.pos != e.pos && x.ns.as_deref() == Some(RSS11) {
            sink.report(
                x.pos,
                Message::UndefinedElement,
                format!("{} inside an extension", x.qname()),
            );
        }
        if x.attrs.iter().any(|a| a.ns.as_deref() == Some(RSS11)) {
            sink.report(
                x.pos,
                Message::UnexpectedAttribute,
                format!("an RSS 1.1 attribute on {}", x.qname()),
            );
        }
        if !x.children.is_empty() && !x.text.trim().is_empty() {
            sink.report(
                x.pos,
                Message::InvalidRDF,
                format!("{} mixes text and elements", x.qname()),
            );
        }
        if let Some(value) = x.attr_ns(RDF, "about")
            && !doc.abouts.insert(value.to_string())
        {
            sink.report(
                x.pos,
                Message::DuplicateValue,
                format!("rdf:about={value:?} twice"),
            );
        }
        // `rdf:parseType="Resource"` makes a property's children properties too.
        let children_are_properties = !property || x.attr_ns(RDF, "parseType") == Some("Resource");
        stack.extend(x.children.iter().map(|c| (c, children_are_properties)));
    }
}
