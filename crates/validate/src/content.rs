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
    for tag in found.not_html {
        sink.report(
            pos,
            Message::NotHtml,
            format!("{what} contains <{tag}>, which is no HTML element"),
        );
    }
    if let Some(error) = found.error {
        sink.report(
            pos,
            Message::NotHtml,
            format!("{what} is not valid HTML ({error})"),
        );
    }
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

/// SVG's namespace.
const SVG: &str = "http://www.w3.org/2000/svg";
/// MathML's namespace.
const MATHML: &str = "http://www.w3.org/1998/Math/MathML";

/// XHTML markup (`xhtml:body`, Atom `type="xhtml"`): the same rules on real elements. Inside
/// it, XHTML elements must be HTML's, SVG and MathML keep to what readers keep, an element in
/// no namespace lacks one, and an element of a feed vocabulary is out of place.
pub(crate) fn xhtml(e: &Element, sink: &mut Sink<'_>) {
    // In an Atom text construct the W3C service reads the markup as XHTML proper; RSS's
    // `xhtml:body` it only screens for what readers strip.
    let atom = e.ns.as_deref() == Some(crate::namespaces::ATOM);
    for d in e.descendants() {
        let name = d.local.to_ascii_lowercase();
        match d.ns.as_deref() {
            Some(XHTML) if atom && !checks::html_element(&name) => sink.report(
                d.pos,
                Message::NotHtml,
                format!(
                    "{} contains <{}>, which is no HTML element",
                    e.qname(),
                    d.local
                ),
            ),
            Some(XHTML) if !XHTML_KEPT.contains(&name.as_str()) => sink.report(
                d.pos,
                Message::SecurityRisk,
                format!("{} contains <{}>", e.qname(), d.local),
            ),
            Some(SVG) | Some(MATHML) if atom => {
                let svg = d.ns.as_deref() == Some(SVG);
                let kept = if svg {
                    checks::svg_element(&d.local)
                } else {
                    checks::mathml_element(&d.local)
                };
                if !kept {
                    sink.report(
                        d.pos,
                        Message::SecurityRisk,
                        format!("{} contains <{}>", e.qname(), d.local),
                    );
                }
                for attr in d.attrs.iter().filter(|a| a.ns.is_none()) {
                    let kept = if svg {
                        checks::svg_attribute(&attr.local)
                    } else {
                        checks::mathml_attribute(&attr.local)
                    };
                    if !kept {
                        sink.report(
                            d.pos,
                            Message::SecurityRiskAttr,
                            format!("{} contains {}", e.qname(), attr.local),
                        );
                    }
                }
                continue;
            }
            None if atom => sink.report(
                d.pos,
                Message::MissingNamespace,
                format!("<{}> inside XHTML is in no namespace", d.local),
            ),
            Some(ns) if atom && ns != XHTML && crate::vocabularies::known(ns) => sink.report(
                d.pos,
                Message::UndefinedElement,
                format!("{} inside XHTML content", d.qname()),
            ),
            _ => {}
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
