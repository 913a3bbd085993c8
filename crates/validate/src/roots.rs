//! Document elements in the wrong namespace: an Atom `feed` or `entry` in no namespace
//! (`MissingNamespace`), in a pre-1.0 draft's (`ObsoleteNamespace`) or in another
//! (`InvalidNamespace`), and an RSS `rss` element in any namespace (`InvalidNamespace`).
//!
//! As the W3C service does, such a document is then checked as the format it names, with its
//! document element's namespace read as that format's.

use crate::namespaces::ATOM;
use crate::xml::Element;
use crate::{Kind, Message, Sink, atom, rss};

/// The namespace of Atom 0.3, the last draft before Atom 1.0 (RFC 4287).
const ATOM_03: &str = "http://purl.org/atom/ns#";

/// Checks a document whose element is a feed format's in the wrong namespace, and says what
/// kind of feed it is; `None` when the document element is not such a one.
pub(crate) fn misplaced(root: &Element, sink: &mut Sink<'_>) -> Option<Kind> {
    let ns = root.ns.as_deref();
    match root.local.as_str() {
        "feed" | "entry" if ns != Some(ATOM) => {
            let (message, detail) = match ns {
                None => (
                    Message::MissingNamespace,
                    format!("<{}> has no namespace (Atom's is {ATOM})", root.local),
                ),
                Some(ns) if ns == ATOM_03 => (
                    Message::ObsoleteNamespace,
                    format!("{ns} is a draft's namespace; Atom 1.0's is {ATOM}"),
                ),
                Some(ns) => (
                    Message::InvalidNamespace,
                    format!("{ns} is not Atom's namespace, {ATOM}"),
                ),
            };
            sink.report(root.pos, message, detail);
            atom::check(&rehome(root, ns, Some(ATOM)), sink);
            Some(Kind::Atom)
        }
        "rss" if ns.is_some() => {
            sink.report(
                root.pos,
                Message::InvalidNamespace,
                format!(
                    "<rss> is in {}; RSS has no namespace",
                    ns.unwrap_or_default()
                ),
            );
            rss::check(&rehome(root, ns, None), sink);
            Some(Kind::Rss)
        }
        _ => None,
    }
}

/// A copy of the tree with every element in namespace `from` moved to namespace `to`.
fn rehome(root: &Element, from: Option<&str>, to: Option<&str>) -> Element {
    let mut copy = root.clone();
    let mut stack = vec![&mut copy];
    while let Some(e) = stack.pop() {
        if e.ns.as_deref() == from {
            e.ns = to.map(str::to_string);
        }
        stack.extend(e.children.iter_mut());
    }
    copy
}
