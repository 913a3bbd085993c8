//! `xml:base` (XML Base, W3C 2009): each one must be a URI reference, written without
//! surrounding whitespace.

use crate::checks::{self, UriKind};
use crate::elements::report_uri;
use crate::xml::{Element, XML_NS};
use crate::{Message, Sink};

/// Checks every `xml:base` in the document.
pub(crate) fn check(root: &Element, sink: &mut Sink<'_>) {
    for e in std::iter::once(root).chain(root.descendants()) {
        if let Some(base) = e.attr_ns(XML_NS, "base")
            && let Err(problem) = checks::uri(base, UriKind::Reference, true)
            && problem.is_error()
        {
            report_uri(e.pos, "xml:base", base, problem, Message::InvalidIRI, sink);
        }
    }
}
