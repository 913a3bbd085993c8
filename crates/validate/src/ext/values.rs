//! Checks of attribute and element values the extension vocabularies share, each reporting at
//! the element it is given under the W3C service's message: `true`/`false`, 31-bit counts,
//! integers, decimals, RFC 3339 dates, full URIs, enumerations, plain text and lengths.

use crate::checks::{self, Iso, UriKind};
use crate::elements::report_uri;
use crate::xml::Element;
use crate::{Message, Sink};

/// The attribute `name` of `e`, reporting `MissingAttribute` when it is absent.
pub(super) fn required<'a>(e: &'a Element, name: &str, sink: &mut Sink<'_>) -> Option<&'a str> {
    let value = e.attr(name);
    if value.is_none() {
        sink.report(
            e.pos,
            Message::MissingAttribute,
            format!("{} has no {name}", e.qname()),
        );
    }
    value
}

/// `true` or `false`, exactly (FeedSync's booleans).
pub(super) fn true_false(e: &Element, what: &str, value: &str, strict: bool, sink: &mut Sink<'_>) {
    let ok = if strict {
        matches!(value, "true" | "false")
    } else {
        value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
    };
    if !ok {
        sink.report(
            e.pos,
            Message::InvalidTrueFalse,
            format!("{what}: {value:?}"),
        );
    }
}

/// A positive integer; with `max`, no larger than it (`IntegerOverflow`).
pub(super) fn positive(
    e: &Element,
    what: &str,
    value: &str,
    max: Option<i64>,
    sink: &mut Sink<'_>,
) {
    match value.trim().parse::<i128>() {
        Ok(n) if n > 0 => {
            if max.is_some_and(|max| n > i128::from(max)) {
                sink.report(e.pos, Message::IntegerOverflow, format!("{what}: {value}"));
            }
        }
        _ => sink.report(
            e.pos,
            Message::InvalidPositiveInteger,
            format!("{what}: {value:?}"),
        ),
    }
}

/// The largest value of a signed 32-bit count (FeedSync's `updates` and `sequence`).
pub(super) const UINT31: i64 = 2_147_483_647;

/// Zero or a positive integer.
pub(super) fn non_negative(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) {
    if checks::integer(value).is_none_or(|n| n < 0) {
        sink.report(
            e.pos,
            Message::InvalidNonNegativeInteger,
            format!("{what}: {value:?}"),
        );
    }
}

/// Any integer (blank allowed).
pub(super) fn integer(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) {
    if !value.is_empty() && checks::integer(value).is_none() {
        sink.report(e.pos, Message::InvalidInteger, format!("{what}: {value:?}"));
    }
}

/// A non-negative decimal number (`12`, `12.5`).
pub(super) fn decimal(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        sink.report(e.pos, Message::InvalidFloat, format!("{what}: {value:?}"));
    }
}

/// An RFC 3339 date-time.
pub(super) fn rfc3339(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) {
    if let Err(message) = checks::iso_date(value, Iso::Rfc3339) {
        sink.report(e.pos, message, format!("{what}: {value:?}"));
    }
}

/// A full URI (scheme and, for http, a host).
pub(super) fn full_uri(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) {
    if let Err(problem) = checks::uri(value, UriKind::Full, false) {
        report_uri(e.pos, what, value, problem, Message::InvalidFullLink, sink);
    }
}

/// Plain text: no markup, no entities (`ContainsHTML`).
pub(super) fn plain_text(e: &Element, what: &str, value: &str, hex: bool, sink: &mut Sink<'_>) {
    if let Some(found) = crate::text::looks_like_html(value, hex) {
        sink.report(
            e.pos,
            Message::ContainsHTML,
            format!("{what} contains {found}"),
        );
    }
}

/// Not empty (`NotBlank`).
pub(super) fn not_blank(e: &Element, what: &str, value: &str, sink: &mut Sink<'_>) -> bool {
    let blank = value.trim().is_empty();
    if blank {
        sink.report(e.pos, Message::NotBlank, format!("{what} is empty"));
    }
    !blank
}

/// Reports a second child of `e` named `local` in `ns`, for each of `names`.
pub(super) fn once(e: &Element, ns: &str, names: &[&str], sink: &mut Sink<'_>) {
    crate::elements::once_ns(e, ns, names, sink);
}

/// Reports `UndefinedElement` for `e` in `parent`.
pub(super) fn undefined(e: &Element, parent: Option<&Element>, sink: &mut Sink<'_>) {
    let parent = parent.map_or_else(|| "the document".to_string(), Element::qname);
    sink.report(
        e.pos,
        Message::UndefinedElement,
        format!("{} is not defined in {parent}", e.qname()),
    );
}
