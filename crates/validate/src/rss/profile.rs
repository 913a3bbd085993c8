//! Rules of the RSS Best Practices Profile (<https://www.rssboard.org/rss-profile>) that the
//! W3C service checks in RSS 2.0 feeds beyond the core rules, as warnings.

use crate::xml::Element;
use crate::{Message, Sink};

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
