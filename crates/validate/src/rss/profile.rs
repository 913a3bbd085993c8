//! Rules of the RSS Best Practices Profile (<https://www.rssboard.org/rss-profile>) that the
//! W3C service checks in RSS 2.0 feeds beyond the core rules, as warnings.

use crate::xml::Element;
use crate::{Message, Sink};

/// The slash module's namespace (`slash:comments`).
const SLASH: &str = "http://purl.org/rss/1.0/modules/slash/";

/// Channel elements that describe the channel (RSS Profile §3: all of them before the first
/// item), as opposed to `item`s and extensions.
const METADATA: &[&str] = &[
    "title",
    "link",
    "description",
    "language",
    "copyright",
    "managingEditor",
    "webMaster",
    "pubDate",
    "lastBuildDate",
    "category",
    "generator",
    "docs",
    "cloud",
    "ttl",
    "image",
    "textInput",
    "skipHours",
    "skipDays",
];

/// Items come after the channel's own elements: an item before one is `MisplacedItem`.
fn order(channel: &Element, sink: &mut Sink<'_>) {
    let Some(last_metadata) = channel.children.iter().rposition(|c| {
        (c.ns.is_none() && METADATA.contains(&c.local.as_str()))
            || c.is(Some(crate::namespaces::ATOM), "link")
    }) else {
        return;
    };
    for item in channel.children[..last_metadata]
        .iter()
        .filter(|c| c.is(None, "item"))
    {
        sink.report(
            item.pos,
            Message::MisplacedItem,
            "an item before the channel's own elements",
        );
    }
}

/// Plain-text fields of each RSS element, checked for `CharacterData`.
const PLAIN_TEXT: &[(&str, &[&str])] = &[
    (
        "channel",
        &["title", "description", "copyright", "category"],
    ),
    ("item", &["title", "category"]),
    ("image", &["title"]),
    ("textInput", &["title", "description"]),
];

/// Checks an RSS 2.0 `channel` and everything in it.
pub(super) fn check(channel: &Element, sink: &mut Sink<'_>) {
    order(channel, sink);
    if let Some(text_input) = channel.child(None, "textInput") {
        sink.report(
            text_input.pos,
            Message::AvoidTextInput,
            "few readers support textInput",
        );
    }
    let build_date = channel.child(None, "lastBuildDate").is_some();
    for item in channel.children_named(None, "item") {
        if !build_date && let Some(comments) = item.child(Some(SLASH), "comments") {
            sink.report(
                comments.pos,
                Message::SlashDate,
                "slash:comments without a channel lastBuildDate to date the count",
            );
        }
    }
    for e in std::iter::once(channel).chain(channel.descendants()) {
        let Some((_, fields)) = PLAIN_TEXT.iter().find(|(name, _)| e.is(None, name)) else {
            continue;
        };
        for child in e.children.iter().filter(|c| c.ns.is_none()) {
            if fields.contains(&child.local.as_str()) {
                character_data(child, sink);
            }
        }
    }
}

/// RSS Profile §2 (Encoding): in plain text, `<` followed by a letter or `/` should be written
/// as a hexadecimal character reference (`&#x3C;`), not `&lt;` or CDATA, which readers may take
/// for markup. Text that also holds an HTML end tag or entity is `ContainsHTML`'s to report.
fn character_data(e: &Element, sink: &mut Sink<'_>) {
    let text = &e.text;
    let hex_escaped = e.hexrefs || (e.cdata && text.contains("&#x"));
    let bytes = text.as_bytes();
    let tag_like = bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1] == b'/' || w[1].is_ascii_alphabetic()));
    let entity_like = bytes
        .windows(2)
        .any(|w| w[0] == b'&' && (w[1] == b'#' || w[1] == b'_' || w[1].is_ascii_alphanumeric()));
    if tag_like
        && !entity_like
        && !hex_escaped
        && crate::text::looks_like_html(text, true).is_none()
    {
        sink.report(
            e.pos,
            Message::CharacterData,
            format!(
                "{} holds `<` as `&lt;` or CDATA: write it as &#x3C;",
                e.local
            ),
        );
    }
}
