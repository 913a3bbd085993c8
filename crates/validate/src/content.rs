//! HTML and XHTML inside feeds (RSS `description` and `content:encoded`, `xhtml:body`, Atom
//! text constructs, JSON Feed `content_html`): the markup feed readers strip and, where the
//! W3C service looks for them, relative references.

use crate::checks;
use crate::elements::text_only;
use crate::namespaces::XHTML;
use crate::xml::{Element, Pos};
use crate::{Message, Sink};

/// XHTML elements feed readers keep (`xhtml:body`, Atom `type="xhtml"`); any other is a
/// SecurityRisk, as on the W3C service.
const XHTML_KEPT: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "main",
    "map",
    "mark",
    "menu",
    "meter",
    "nav",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "noscript",
];

/// HTML content (`description`, `content:encoded`): unsafe markup and relative references.
pub(crate) fn html(e: &Element, relative_refs: bool, sink: &mut Sink<'_>) {
    text_only(e, sink);
    html_text(e.pos, &e.qname(), &e.text, relative_refs, sink);
}

/// The HTML rules on a fragment of HTML text, reported at `pos` as `what`.
pub(crate) fn html_text(
    pos: Pos,
    what: &str,
    html: &str,
    relative_refs: bool,
    sink: &mut Sink<'_>,
) {
    if !html.contains('<') {
        return;
    }
    if html.to_ascii_lowercase().contains("<?import") {
        sink.report(
            pos,
            Message::SecurityRisk,
            format!("{what} contains <?import"),
        );
    }
    let found = checks::scan_html(html);
    for tag in found.unsafe_tags {
        sink.report(
            pos,
            Message::SecurityRisk,
            format!("{what} contains <{tag}>"),
        );
    }
    for attr in found.handlers {
        sink.report(
            pos,
            Message::SecurityRiskAttr,
            format!("{what} contains {attr}"),
        );
    }
    for style in found.styles {
        sink.report(
            pos,
            Message::DangerousStyleAttr,
            format!("{what}: style {style}"),
        );
    }
    if relative_refs {
        for reference in found.relative {
            sink.report(pos, Message::ContainsRelRef, format!("{what}: {reference}"));
        }
        for reference in found.bad_chars {
            sink.report(pos, Message::InvalidUriChar, format!("{what}: {reference}"));
        }
    }
}

/// XHTML markup (`xhtml:body`, Atom `type="xhtml"`): the same rules on real elements.
pub(crate) fn xhtml(e: &Element, sink: &mut Sink<'_>) {
    for d in e.descendants() {
        let name = d.local.to_ascii_lowercase();
        if d.ns.as_deref() == Some(XHTML) && !XHTML_KEPT.contains(&name.as_str()) {
            sink.report(
                d.pos,
                Message::SecurityRisk,
                format!("{} contains <{}>", e.qname(), d.local),
            );
        }
        for attr in d.attrs.iter().filter(|a| a.ns.is_none()) {
            let attr_name = attr.local.to_ascii_lowercase();
            if attr_name.starts_with("on") {
                sink.report(
                    d.pos,
                    Message::SecurityRiskAttr,
                    format!("{} contains {}", e.qname(), attr.local),
                );
            } else if attr_name == "style"
                && let Some(style) = checks::dangerous_style(&attr.value)
            {
                sink.report(
                    d.pos,
                    Message::DangerousStyleAttr,
                    format!("{}: style {style}", e.qname()),
                );
            }
        }
    }
}
