//! The same fact written twice in an RSS 2.0 channel or item, once with the core element and
//! once with an extension that means the same (`managingEditor` and `dc:creator`, `pubDate` and
//! `dc:date`, `guid` and `atom:id`, …): readers may pick either, so the W3C service warns
//! (`DuplicateSemantics`, and `DuplicateItemSemantics` inside an item). A second description
//! (`xhtml:body`, `atom:content`) beside `description` is `DuplicateDescriptionSemantics`.

use crate::namespaces::{ATOM, DC, XHTML};
use crate::xml::Element;
use crate::{Message, Sink};

const DCTERMS: &str = "http://purl.org/dc/terms/";
const ADMIN: &str = "http://webns.net/mvcb/";
const CC: &str = "http://web.resource.org/cc/";
const CREATIVE_COMMONS: &str = "http://backend.userland.com/creativeCommonsRssModule";

/// An element by namespace (`None`: RSS's own) and local name.
type Name = (Option<&'static str>, &'static str);

/// Channel elements and the extension elements that say the same.
const CHANNEL: &[(Name, Name)] = &[
    ((None, "managingEditor"), (Some(DC), "creator")),
    ((None, "category"), (Some(DC), "subject")),
    ((None, "pubDate"), (Some(DC), "date")),
    ((Some(CREATIVE_COMMONS), "license"), (Some(CC), "license")),
    ((None, "generator"), (Some(ADMIN), "generatorAgent")),
    ((None, "webMaster"), (Some(DC), "publisher")),
    ((None, "language"), (Some(DC), "language")),
    ((None, "copyright"), (Some(DC), "rights")),
    ((None, "lastBuildDate"), (Some(DCTERMS), "modified")),
];

/// Item elements and the extension elements that say the same.
const ITEM: &[(Name, Name)] = &[
    ((None, "guid"), (Some(ATOM), "id")),
    ((None, "pubDate"), (Some(ATOM), "published")),
    ((None, "author"), (Some(DC), "creator")),
    ((None, "category"), (Some(DC), "subject")),
    ((None, "pubDate"), (Some(DC), "date")),
    ((Some(CREATIVE_COMMONS), "license"), (Some(CC), "license")),
    ((None, "source"), (Some(DC), "source")),
];

/// Checks an RSS 2.0 `channel`.
pub(super) fn channel(channel: &Element, sink: &mut Sink<'_>) {
    pairs(channel, CHANNEL, Message::DuplicateSemantics, sink);
}

/// Checks an RSS 2.0 `item`.
pub(super) fn item(item: &Element, sink: &mut Sink<'_>) {
    pairs(item, ITEM, Message::DuplicateItemSemantics, sink);
    for second in item.children.iter().filter(|c| {
        c.is(Some(XHTML), "body") || (c.is(Some(ATOM), "content") && c.attr("src").is_none())
    }) {
        sink.report(
            second.pos,
            Message::DuplicateDescriptionSemantics,
            format!("{} as well as description", second.qname()),
        );
    }
}

fn pairs(parent: &Element, table: &[(Name, Name)], message: Message, sink: &mut Sink<'_>) {
    for &((core_ns, core), (ext_ns, ext)) in table {
        let core_at = parent.child(core_ns, core);
        let ext_at = parent.child(ext_ns, ext);
        if let (Some(a), Some(b)) = (core_at, ext_at) {
            let later = if a.pos > b.pos { a } else { b };
            sink.report(
                later.pos,
                message,
                format!("{} and {} say the same", a.qname(), b.qname()),
            );
        }
    }
}
