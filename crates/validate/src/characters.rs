//! Characters that betray text decoded with the wrong encoding somewhere on its way: the C1
//! controls (U+0080–U+009F, where windows-1252 has its curly quotes and dashes) and U+FFFD,
//! the replacement character (`BadCharacters`).

use crate::xml::Element;
use crate::{Message, Sink};

fn bad(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{fffd}')
}

/// Checks the text and attribute values of every element.
pub(crate) fn check(root: &Element, sink: &mut Sink<'_>) {
    for e in std::iter::once(root).chain(root.descendants()) {
        if let Some(c) = e.text.chars().find(|&c| bad(c)) {
            sink.report(
                e.pos,
                Message::BadCharacters,
                format!("{} holds U+{:04X}", e.qname(), u32::from(c)),
            );
        }
        for attr in &e.attrs {
            if let Some(c) = attr.value.chars().find(|&c| bad(c)) {
                sink.report(
                    e.pos,
                    Message::BadCharacters,
                    format!("{} {} holds U+{:04X}", e.qname(), attr.local, u32::from(c)),
                );
            }
        }
    }
}
