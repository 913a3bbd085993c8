//! Elements that hold only elements (an RSS `channel` or `item`, an Atom `feed` or `author`,
//! …): text directly inside one is `UnexpectedText`.

use crate::namespaces::ATOM;
use crate::xml::Element;
use crate::{Message, Sink};

/// RSS elements whose content is elements only.
const RSS: &[&str] = &[
    "rss",
    "channel",
    "item",
    "image",
    "textInput",
    "skipHours",
    "skipDays",
];

/// Atom elements whose content is elements only.
const ATOM_CONTAINERS: &[&str] = &["feed", "entry", "author", "contributor", "source"];

/// Checks every container element of an RSS or Atom document.
pub(crate) fn check(root: &Element, sink: &mut Sink<'_>) {
    let (ns, names) = if root.is(None, "rss") {
        (None, RSS)
    } else if root.ns.as_deref() == Some(ATOM) {
        (Some(ATOM), ATOM_CONTAINERS)
    } else {
        return;
    };
    for e in std::iter::once(root).chain(root.descendants()) {
        if e.ns.as_deref() == ns && names.contains(&e.local.as_str()) && !e.text.trim().is_empty() {
            sink.report(
                e.pos,
                Message::UnexpectedText,
                format!("text directly inside {}", e.local),
            );
        }
    }
}
