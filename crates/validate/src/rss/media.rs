//! Media RSS (<https://www.rssboard.org/media-rss>) elements inside an RSS channel or item:
//! `media:content`, `media:thumbnail`, `media:player`, and the text elements' HTML.

use crate::checks;
use crate::elements::{full_link, plain, text_only};
use crate::namespaces::MEDIA;
use crate::xml::Element;
use crate::{Message, Sink};

/// One Media RSS element (`media:content`, `media:title`, …).
pub(super) fn media(e: &Element, sink: &mut Sink<'_>) {
    if let Some(lang) = e.attr("lang")
        && !checks::language(lang)
    {
        sink.report(
            e.pos,
            Message::InvalidLanguage,
            format!("media:{} lang=\"{lang}\"", e.local),
        );
    }
    // Media RSS names its rating and credit schemes with short URNs (`urn:mpaa`, `urn:ebu`)
    // that RFC 8141 would not call URNs: they are names, not identifiers to check.
    if let Some(scheme) = e.attr("scheme")
        && !scheme
            .strip_prefix("urn:")
            .is_some_and(|name| !name.is_empty() && !name.contains(':'))
    {
        full_link(e.pos, "scheme", scheme, true, sink);
    }
    match e.local.as_str() {
        "title" | "description" | "text" if e.attr("type") != Some("html") => {
            text_only(e, sink);
            if let Some(what) = crate::text::looks_like_html(&e.text, e.hexrefs) {
                sink.report(
                    e.pos,
                    Message::ContainsUndeclaredHTML,
                    format!("media:{} contains {what} (add type=\"html\")", e.local),
                );
            }
        }
        "copyright" | "category" => plain(e, sink),
        "player" => {
            match e.attr("url") {
                None => sink.report(e.pos, Message::MissingAttribute, "media:player has no url"),
                Some(url) => full_link(e.pos, "media:player url", url, true, sink),
            }
            positive_attributes(e, &["width", "height"], sink);
        }
        "content" | "thumbnail" => media_object(e, sink),
        _ => {}
    }
    if e.local == "category"
        && let Some(label) = e.attr("label")
        && let Some(what) = crate::text::looks_like_html(label, e.attr_hexrefs("label"))
    {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("media:category label contains {what}"),
        );
    }
}

/// `media:content` and `media:thumbnail`.
fn media_object(e: &Element, sink: &mut Sink<'_>) {
    match e.attr("url") {
        None if e.local == "thumbnail" || e.child(Some(MEDIA), "player").is_none() => {
            sink.report(
                e.pos,
                Message::MissingAttribute,
                format!("media:{} has no url", e.local),
            );
        }
        None => {}
        Some(url) => full_link(e.pos, "media url", url, true, sink),
    }
    if let Some(medium) = e.attr("medium")
        && !["image", "audio", "video", "document", "executable"].contains(&medium)
    {
        sink.report(e.pos, Message::InvalidMediaMedium, medium.to_string());
    }
    positive_attributes(e, &["width", "height", "fileSize"], sink);
    if let Some(t) = e.attr("type")
        && !checks::mime_type(t)
    {
        sink.report(
            e.pos,
            Message::InvalidMIMEAttribute,
            format!("media:{} type=\"{t}\"", e.local),
        );
    }
    if let Some(channels) = e.attr("channels")
        && checks::integer(channels).is_none_or(|n| n < 0)
    {
        sink.report(
            e.pos,
            Message::InvalidNonNegativeInteger,
            format!("media:{} channels=\"{channels}\"", e.local),
        );
    }
}

/// Attributes of a Media RSS element that must be positive integers.
fn positive_attributes(e: &Element, names: &[&str], sink: &mut Sink<'_>) {
    for name in names {
        if let Some(v) = e.attr(name)
            && checks::integer(v).is_none_or(|n| n <= 0)
        {
            sink.report(
                e.pos,
                Message::InvalidPositiveInteger,
                format!("media:{} {name}=\"{v}\"", e.local),
            );
        }
    }
}
