//! Field rules RSS and Atom share: what an element of each kind must hold (text only, plain
//! text, a full URL, an RFC 822 or W3C-DTF date, an e-mail contact, a positive integer), and how
//! a URI problem is reported; each reports at the element it checks.

use crate::checks::{self, Iso, UriKind, UriProblem};
use crate::xml::{Element, Pos};
use crate::{Message, Sink};

/// Namespaced elements that may appear once in `parent`.
pub(crate) fn once_ns(parent: &Element, ns: &str, names: &[&str], sink: &mut Sink<'_>) {
    for name in names {
        if let Some(second) = parent.children_named(Some(ns), name).nth(1) {
            sink.report(
                second.pos,
                Message::DuplicateElement,
                format!("{} has more than one {}", parent.local, second.qname()),
            );
        }
    }
}

/// Elements that hold text only.
pub(crate) fn text_only(e: &Element, sink: &mut Sink<'_>) {
    for child in &e.children {
        sink.report(
            child.pos,
            Message::UndefinedElement,
            format!("{} inside {}", child.qname(), e.qname()),
        );
    }
}

/// A plain-text field: no HTML markup or entities.
pub(crate) fn plain(e: &Element, sink: &mut Sink<'_>) {
    text_only(e, sink);
    // `&#x` written in CDATA counts as deliberate escaping too (the W3C service looks for it
    // in the source lines).
    let hex_escaped = e.hexrefs || (e.cdata && e.text.contains("&#x"));
    if let Some(what) = crate::text::looks_like_html(&e.text, hex_escaped) {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("{} contains {what}", e.qname()),
        );
    }
}

pub(crate) fn not_blank(e: &Element, sink: &mut Sink<'_>) {
    if e.text.trim().is_empty() && e.children.is_empty() {
        sink.report(e.pos, Message::NotBlank, format!("{} is empty", e.qname()));
    }
}

/// A full URL in element text (`link`, `comments`, image `url`).
pub(crate) fn full_link(pos: Pos, what: &str, value: &str, iri: bool, sink: &mut Sink<'_>) {
    match checks::uri(value.trim(), UriKind::Full, iri) {
        Ok(()) => {}
        Err(UriProblem::Char(c)) => sink.report(
            pos,
            Message::InvalidUriChar,
            format!("{what}: {c:?} in {value}"),
        ),
        Err(problem) => report_uri(pos, what, value, problem, Message::InvalidFullLink, sink),
    }
}

pub(crate) fn rfc822(e: &Element, sink: &mut Sink<'_>) {
    text_only(e, sink);
    let value = e.text.trim();
    match checks::rfc822_date(value) {
        Ok(date) => {
            if checks::implausible(date, sink.now()) {
                sink.report(
                    e.pos,
                    Message::ImplausibleDate,
                    format!("{}: {value}", e.local),
                );
            }
        }
        Err(message) => sink.report(e.pos, message, format!("{}: {value}", e.local)),
    }
}

pub(crate) fn w3cdtf(e: &Element, sink: &mut Sink<'_>) {
    let value = e.text.trim();
    match checks::iso_date(value, Iso::W3cdtf) {
        Ok(date) if checks::implausible(date, sink.now()) => {
            sink.report(
                e.pos,
                Message::ImplausibleDate,
                format!("{}: {value}", e.qname()),
            );
        }
        Ok(_) => {}
        Err(message) => sink.report(e.pos, message, format!("{}: {value}", e.qname())),
    }
}

pub(crate) fn contact(e: &Element, sink: &mut Sink<'_>) {
    plain(e, sink);
    if let Some(message) = checks::contact(e.text.trim()) {
        sink.report(e.pos, message, format!("{}: {}", e.local, e.text.trim()));
    }
}

pub(crate) fn positive_integer(e: &Element, sink: &mut Sink<'_>) {
    text_only(e, sink);
    if e.text.trim().is_empty() {
        sink.report(e.pos, Message::NotBlank, format!("{} is empty", e.local));
    }
    if checks::integer(&e.text).is_none_or(|n| n <= 0) {
        sink.report(
            e.pos,
            Message::InvalidPositiveInteger,
            format!("{}: {}", e.local, e.text.trim()),
        );
    }
}

/// Reports a URI `problem` with `value`; `form` is the message for a URI of the wrong form.
pub(crate) fn report_uri(
    pos: Pos,
    what: &str,
    value: &str,
    problem: UriProblem,
    form: Message,
    sink: &mut Sink<'_>,
) {
    match problem {
        UriProblem::Char(c) => sink.report(
            pos,
            Message::InvalidUriChar,
            format!("{what}: {c:?} in {value}"),
        ),
        UriProblem::Tag => sink.report(pos, Message::InvalidTAG, format!("{what}: {value}")),
        UriProblem::Form => sink.report(pos, form, format!("{what}: {value}")),
        UriProblem::NotIri => sink.report(pos, Message::UriNotIri, format!("{what}: {value}")),
        UriProblem::Urn => sink.report(pos, Message::InvalidURN, format!("{what}: {value}")),
        UriProblem::Uuid => sink.report(pos, Message::InvalidUUID, format!("{what}: {value}")),
        UriProblem::Unregistered => sink.report(
            pos,
            Message::SchemeNotIANARegistered,
            format!("{what}: {value}"),
        ),
    }
}
