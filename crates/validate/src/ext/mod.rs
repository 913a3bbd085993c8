//! Extension vocabularies the W3C service knows beyond the core of each format: iTunes,
//! FeedSync, feed history (RFC 5005), threading (RFC 4685), FeedBurner, the rest of Media RSS,
//! the Atom Publishing Protocol's elements, GeoRSS and the other small RSS modules; the warnings
//! for an RSS element written twice under two vocabularies (`DuplicateSemantics`); and the few
//! checks of any element the W3C service makes on the way (text where RSS allows only elements,
//! a namespace name with spaces, text that was UTF-8 read as Latin-1).
//!
//! [`check`] walks the whole document once, with each element's parent at hand, and hands every
//! element of a known vocabulary to its module; a module checks an element's attributes, text
//! and children, and whether it stands where its vocabulary allows. The checks of values the
//! vocabularies share (booleans, 31-bit counts, RFC 3339 attributes, …) are below, in
//! [`values`].

mod app;
mod feedsync;
mod history;
mod itunes;
mod mediarss;
mod modules;
mod semantics;
mod values;

use crate::namespaces::{ATOM, DC, MEDIA, SY, XHTML};
use crate::xml::Element;
use crate::{Message, Sink};

/// The iTunes podcast namespace.
pub(crate) const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
/// FeedSync (Simple Sharing Extensions).
pub(crate) const SX: &str = "http://feedsync.org/2007/feedsync";

pub(crate) use app::APP;
pub(crate) use itunes::is_itunes;

/// Which format the document is, as far as the extension rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// RSS 2.0 or 0.9x (`rss` / `channel` / `item`).
    Rss,
    /// RSS 1.0 or 1.1 (RDF).
    Rdf,
    /// Atom 1.0.
    Atom,
}

/// Checks every extension element of the document rooted at `root`.
pub(crate) fn check(root: &Element, format: Format, sink: &mut Sink<'_>) {
    let mut stack: Vec<(&Element, Option<&Element>)> = vec![(root, None)];
    while let Some((e, parent)) = stack.pop() {
        visit(e, parent, format, sink);
        stack.extend(e.children.iter().rev().map(|c| (c, Some(e))));
    }
}

fn visit(e: &Element, parent: Option<&Element>, format: Format, sink: &mut Sink<'_>) {
    for (prefix, uri) in &e.declares {
        if uri.split_whitespace().nth(1).is_some() {
            // Expat, under the W3C service, refuses a namespace name with spaces in it.
            sink.report(
                e.pos,
                Message::SAXError,
                format!("invalid namespace {uri:?}: a namespace name has no spaces"),
            );
        }
        if prefix.as_deref() == Some("wiki") && uri.contains("usemod") {
            sink.report(
                e.pos,
                Message::ObsoleteWikiNamespace,
                format!("xmlns:wiki={uri:?}: use http://purl.org/rss/1.0/modules/wiki/"),
            );
        }
    }
    if bad_characters(&e.text) || e.attrs.iter().any(|a| bad_characters(&a.value)) {
        sink.report(e.pos, Message::BadCharacters, format!("in {}", e.qname()));
    }
    if format == Format::Rss
        && e.ns.is_none()
        && matches!(e.local.as_str(), "rss" | "channel" | "item")
        && !e.text.trim().is_empty()
    {
        sink.report(
            e.pos,
            Message::UnexpectedText,
            format!("text in {}", e.local),
        );
    }
    if format == Format::Rss && e.ns.as_deref() == Some(DC) {
        // Dublin Core elements hold text in RSS 2.0 (RSS 1.0 may nest RDF in them).
        for child in &e.children {
            values::undefined(child, Some(e), sink);
        }
    }
    if itunes::is_itunes(e.ns.as_deref()) {
        itunes::element(e, parent, sink);
    }
    match e.ns.as_deref() {
        Some(SX) => feedsync::element(e, sink),
        Some(app::APP) => app::element(e, parent, sink),
        Some(MEDIA) => mediarss::element(e, sink),
        Some(
            modules::THR
            | modules::FEEDBURNER
            | modules::CONVERSATIONS
            | modules::GEO
            | modules::GEOURL
            | modules::ICBM
            | modules::GEORSS
            | modules::SLASH
            | modules::WFW
            | modules::ACCESS
            | SY
            | XHTML,
        ) => modules::element(e, parent, format == Format::Rdf, sink),
        Some(ATOM) if e.local == "feed" => {
            history::feed(e, sink);
            feedsync::unique_ids(e, sink);
            modules::feedburner_once(e, sink);
        }
        Some(ATOM) if e.local == "entry" => modules::feedburner_once(e, sink),
        Some(ATOM) if e.local == "link" => modules::link_attributes(e, sink),
        None if format == Format::Rss && e.local == "channel" => {
            feedsync::unique_ids(e, sink);
            modules::feedburner_once(e, sink);
            semantics::channel(e, sink);
            itunes::channel(e, sink);
        }
        None if format == Format::Rss && e.local == "item" => {
            modules::feedburner_once(e, sink);
            semantics::item(e, sink);
            itunes::item(e, sink);
        }
        _ => {}
    }
}

/// UTF-8 read as Latin-1 somewhere on the text's way (`Ã©` for `é`); the C1 controls and
/// U+FFFD are the `characters` module's.
fn bad_characters(text: &str) -> bool {
    let mut previous = ' ';
    text.chars().any(|c| {
        let double_encoded =
            matches!(previous, '\u{C2}' | '\u{C3}') && matches!(c, '\u{80}'..='\u{BF}');
        previous = c;
        double_encoded
    })
}
