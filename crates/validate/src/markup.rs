//! What an Atom text construct or `content` holds, against what its `type` says (RFC 4287
//! §3.1, §4.1.3): XHTML that is escaped markup instead of elements (`NotInline`), elements in
//! another namespace where XHTML is due (`NotHtml`), HTML documents that are fragments
//! (`HtmlFragment`), Atom 0.3's `mode="escaped"` with elements in it (`NotEscaped`), content of
//! other types that is not base64 (`NotBase64`), and text beside a `src` or an XML document
//! (`UnexpectedText`).

use crate::namespaces::XHTML;
use crate::xml::Element;
use crate::{Message, Sink};

/// Checks the markup of a text construct or `content` element `e` whose `type` is `kind`.
pub(crate) fn check(e: &Element, kind: &str, sink: &mut Sink<'_>) {
    let src = e.attr("src").is_some();
    if e.attr("mode") == Some("escaped") && !e.children.is_empty() {
        sink.report(
            e.pos,
            Message::NotEscaped,
            format!("{} is marked escaped but holds elements", e.local),
        );
    }
    match kind {
        "xhtml" => xhtml(e, sink),
        "application/xhtml+xml" => {
            for child in &e.children {
                if child.local != "html" {
                    sink.report(
                        child.pos,
                        Message::HtmlFragment,
                        format!(
                            "{} holds <{}>, not a whole XHTML document",
                            e.local, child.local
                        ),
                    );
                } else if child.ns.as_deref() != Some(XHTML) {
                    sink.report(
                        child.pos,
                        Message::NotHtml,
                        format!("<html> in {} is not in the XHTML namespace", e.local),
                    );
                }
            }
        }
        k if k.starts_with("text/")
            && k.ends_with("/html")
            && !src
            && !e.text.contains("<html") =>
        {
            sink.report(
                e.pos,
                Message::HtmlFragment,
                format!("{} of type {k} holds no <html> document", e.local),
            );
        }
        _ => {}
    }
    let xml = kind.ends_with("+xml") || kind.ends_with("/xml");
    if kind.contains('/') && !xml && !kind.starts_with("text/") && !src {
        binary(e, kind, sink);
    }
    if (src || (xml && !e.children.is_empty())) && !e.text.trim().is_empty() {
        sink.report(
            e.pos,
            Message::UnexpectedText,
            format!(
                "text in {} beside its {}",
                e.local,
                if src { "src" } else { "XML" }
            ),
        );
    }
}

/// Content of any other MIME type is base64 (RFC 4287 §4.1.3.3, item 6); HTML in it is
/// checked as HTML.
fn binary(e: &Element, kind: &str, sink: &mut Sink<'_>) {
    use base64::Engine as _;
    // Line breaks and other characters outside the alphabet are skipped, as decoders do.
    let alphabet: String = e
        .text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    match base64::engine::general_purpose::STANDARD.decode(alphabet) {
        Err(error) => sink.report(
            e.pos,
            Message::NotBase64,
            format!("{} of type {kind} is not base64 ({error})", e.local),
        ),
        Ok(bytes) if kind.ends_with("/html") => {
            let html = String::from_utf8_lossy(&bytes);
            crate::content::html_text(e.pos, &e.local, &html, false, sink);
        }
        Ok(_) => {}
    }
}

/// `type="xhtml"`: one XHTML `div`, holding XHTML elements, not escaped markup.
fn xhtml(e: &Element, sink: &mut Sink<'_>) {
    for child in &e.children {
        // A `div` in another namespace, or any element after text, is not the XHTML wanted.
        if child.ns.as_deref() != Some(XHTML) && (child.local == "div" || !e.text.trim().is_empty())
        {
            sink.report(
                child.pos,
                Message::NotHtml,
                format!(
                    "<{}> in {} is not in the XHTML namespace",
                    child.local, e.local
                ),
            );
        }
    }
    // The text the construct holds as text: its own, and its div's when the div holds no
    // elements (then escaped markup in it is all the content there is).
    let mut text = e.text.clone();
    if let [div] = e.children.as_slice()
        && div.is(Some(XHTML), "div")
        && div.children.is_empty()
    {
        text.push_str(&div.text);
    }
    if let Some(what) = crate::text::looks_like_html(&text, e.hexrefs) {
        sink.report(
            e.pos,
            Message::NotInline,
            format!(
                "{} holds escaped markup ({what}), not XHTML elements",
                e.local
            ),
        );
    }
}
