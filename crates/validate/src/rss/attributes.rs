//! Attributes on RSS's own elements: RSS 2.0 defines a few (`version`, `isPermaLink`, an
//! enclosure's `url`, `length` and `type`, …); any other unqualified one is
//! `UnexpectedAttribute`, and one in a namespace no vocabulary owns is `UseOfExtensionAttr`
//! (RSS 2.0 §"Extending RSS" extends it with elements, not attributes).

use crate::xml::{Element, XML_NS};
use crate::{Message, Sink};

/// RSS elements and the unqualified attributes each may carry.
const ELEMENTS: &[(&str, &[&str])] = &[
    ("rss", &["version"]),
    ("channel", &[]),
    ("item", &[]),
    ("title", &[]),
    ("link", &[]),
    ("description", &[]),
    ("language", &[]),
    ("copyright", &[]),
    ("managingEditor", &[]),
    ("webMaster", &[]),
    ("pubDate", &[]),
    ("lastBuildDate", &[]),
    ("category", &["domain"]),
    ("generator", &[]),
    ("docs", &[]),
    (
        "cloud",
        &["domain", "port", "path", "registerProcedure", "protocol"],
    ),
    ("ttl", &[]),
    ("image", &[]),
    ("url", &[]),
    ("width", &[]),
    ("height", &[]),
    ("textInput", &[]),
    ("name", &[]),
    ("skipHours", &[]),
    ("hour", &[]),
    ("skipDays", &[]),
    ("day", &[]),
    ("author", &[]),
    ("comments", &[]),
    ("enclosure", &["url", "length", "type"]),
    ("guid", &["isPermaLink"]),
    ("source", &["url"]),
];

/// Checks the attributes of the RSS elements in `rss` (the document element), `rss2` when it
/// is RSS 2.0 (extension attributes are warned about in RSS 2.0 only).
pub(super) fn check(rss: &Element, rss2: bool, sink: &mut Sink<'_>) {
    // A channel that says it follows the RSS Advisory Board's edition of the spec, which
    // allows extension attributes, is not warned about them.
    let board = rss
        .child(None, "channel")
        .and_then(|c| c.child(None, "docs"))
        .is_some_and(|d| d.text.trim() == "http://www.rssboard.org/rss-specification");
    let rss2 = rss2 && !board;
    for e in std::iter::once(rss).chain(rss.descendants()) {
        if e.ns.is_some() {
            continue;
        }
        let Some((_, expected)) = ELEMENTS.iter().find(|(name, _)| *name == e.local) else {
            continue;
        };
        for attr in &e.attrs {
            match attr.ns.as_deref() {
                None if !expected.contains(&attr.local.as_str()) => sink.report(
                    e.pos,
                    Message::UnexpectedAttribute,
                    format!("{} has no attribute {}", e.local, attr.local),
                ),
                Some(ns) if rss2 && ns != XML_NS && !crate::vocabularies::known(ns) => {
                    sink.report(
                        e.pos,
                        Message::UseOfExtensionAttr,
                        format!(
                            "{} has the extension attribute {{{ns}}}{}",
                            e.local, attr.local
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}
