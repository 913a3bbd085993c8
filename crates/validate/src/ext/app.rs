//! The Atom Publishing Protocol (RFC 5023): service documents (`app:service`, its workspaces
//! and collections, the media ranges they accept and their category lists) and the `app:`
//! elements of an entry (`app:edited`, `app:control` / `app:draft`).

use super::values::{required, rfc3339, undefined};
use crate::checks::{self, UriKind};
use crate::elements::report_uri;
use crate::namespaces::ATOM;
use crate::xml::Element;
use crate::{Message, Sink};

/// The Atom Publishing Protocol namespace.
pub(crate) const APP: &str = "http://www.w3.org/2007/app";

/// One `app:` element.
pub(super) fn element(e: &Element, parent: Option<&Element>, sink: &mut Sink<'_>) {
    match e.local.as_str() {
        "service" => {
            if e.child(Some(APP), "workspace").is_none() {
                sink.report(
                    e.pos,
                    Message::MissingElement,
                    "app:service has no app:workspace",
                );
            }
            for child in e
                .children
                .iter()
                .filter(|c| c.ns.as_deref() == Some(APP) && c.local != "workspace")
            {
                undefined(child, Some(e), sink);
            }
        }
        "workspace" => needs_title(e, sink),
        "collection" => {
            if let Some(href) = required(e, "href", sink)
                && let Err(problem) = checks::uri(href, UriKind::Reference, true)
            {
                report_uri(
                    e.pos,
                    "app:collection href",
                    href,
                    problem,
                    Message::InvalidIRI,
                    sink,
                );
            }
            needs_title(e, sink);
            for child in e
                .children
                .iter()
                .filter(|c| c.ns.as_deref() == Some(ATOM) && c.local != "title")
            {
                sink.report(
                    child.pos,
                    Message::QuestionableUsage,
                    format!("{} in app:collection", child.qname()),
                );
            }
        }
        "categories" => {
            if let Some(fixed) = e.attr("fixed") {
                yes_no(e, "app:categories fixed", fixed, sink);
            }
            if e.attr("href").is_some() {
                for attr in ["fixed", "scheme"] {
                    if e.attr(attr).is_some() {
                        sink.report(
                            e.pos,
                            Message::ConflictingCatAttr,
                            format!("app:categories with href has {attr}"),
                        );
                    }
                }
                if !e.children.is_empty() {
                    sink.report(
                        e.pos,
                        Message::ConflictingCatChildren,
                        "app:categories with href lists categories",
                    );
                }
            }
        }
        "accept" => {
            for range in e.text.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                if range.contains(";q=") {
                    sink.report(
                        e.pos,
                        Message::UndefinedParam,
                        format!("{range:?}: app:accept takes no q parameter"),
                    );
                }
                let bare = range.split(';').next().unwrap_or("").trim();
                if !checks::mime_type(bare) {
                    sink.report(
                        e.pos,
                        Message::InvalidMIMEType,
                        format!("app:accept {range:?}"),
                    );
                }
            }
        }
        "edited" => rfc3339(e, "app:edited", e.text.trim(), sink),
        "draft" if parent.is_some_and(|p| p.is(Some(APP), "control")) => {
            yes_no(e, "app:draft", &e.text, sink);
        }
        _ => {}
    }
}

fn needs_title(e: &Element, sink: &mut Sink<'_>) {
    if e.child(Some(ATOM), "title").is_none() {
        sink.report(
            e.pos,
            Message::MissingElement,
            format!("{} has no atom:title", e.qname()),
        );
    }
}

fn yes_no(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) {
    if !matches!(value, "yes" | "no") {
        sink.report(e.pos, Message::InvalidYesNo, format!("{what}: {value:?}"));
    }
}
