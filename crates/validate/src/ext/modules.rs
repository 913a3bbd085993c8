//! The small vocabularies: threading (RFC 4685 `thr:`), FeedBurner, Conversations Network,
//! W3C Basic Geo, GeoURL, ICBM and GeoRSS Simple, slash, `wfw:`, the Syndication module's
//! `updatePeriod`, Bloglines' `access:restriction` and the `xhtml:meta` robots hint.

use super::values::{
    decimal, full_uri, integer, non_negative, once, plain_text, positive, required, undefined,
};
use crate::checks::{self, Iso, UriKind};
use crate::elements::report_uri;
use crate::namespaces::{ATOM, SY, XHTML};
use crate::xml::Element;
use crate::{Message, Sink};

/// Threading extensions (RFC 4685).
pub(crate) const THR: &str = "http://purl.org/syndication/thread/1.0";
/// FeedBurner's elements.
pub(crate) const FEEDBURNER: &str = "http://rssnamespace.org/feedburner/ext/1.0";
/// Conversations Network's podcast elements.
pub(crate) const CONVERSATIONS: &str = "http://conversationsnetwork.org/rssNamespace-1.0/";
/// W3C Basic Geo.
pub(crate) const GEO: &str = "http://www.w3.org/2003/01/geo/wgs84_pos#";
/// GeoURL.
pub(crate) const GEOURL: &str = "http://geourl.org/rss/module/";
/// ICBM.
pub(crate) const ICBM: &str = "http://postneo.com/icbm";
/// GeoRSS.
pub(crate) const GEORSS: &str = "http://www.georss.org/georss";
/// The RSS slash module.
pub(crate) const SLASH: &str = "http://purl.org/rss/1.0/modules/slash/";
/// The Well-Formed Web comment API.
pub(crate) const WFW: &str = "http://wellformedweb.org/CommentAPI/";
/// Bloglines' feed access control.
pub(crate) const ACCESS: &str = "http://www.bloglines.com/about/specs/fac-1.0";

/// Whether `e` is an RSS channel or an Atom feed.
fn top(e: Option<&Element>) -> bool {
    e.is_some_and(|p| p.is(None, "channel") || p.is(Some(ATOM), "feed"))
}

/// Whether `e` is an RSS item or an Atom entry.
fn entry(e: Option<&Element>) -> bool {
    e.is_some_and(|p| p.is(None, "item") || p.is(Some(ATOM), "entry"))
}

/// One element of these vocabularies; `rdf` when the document is RSS 1.0.
pub(super) fn element(e: &Element, parent: Option<&Element>, rdf: bool, sink: &mut Sink<'_>) {
    let value = e.text.trim();
    let what = e.qname();
    match (e.ns.as_deref().unwrap_or(""), e.local.as_str()) {
        (THR, "in-reply-to") => in_reply_to(e, sink),
        (THR, "total") => non_negative(e, &what, value, sink),
        (THR, "children") if !rdf => undefined(e, parent, sink),
        (FEEDBURNER, name) => feedburner(e, name, parent, sink),
        (CONVERSATIONS, name) => match name {
            "introMilliseconds" | "ratingCount" => non_negative(e, &what, value, sink),
            "ratingIndividual" => positive(e, &what, value, None, sink),
            "ratingAverage" => decimal(e, &what, value, sink),
            "ratingTimestamp" if checks::iso_date(value, Iso::W3cdtf).is_err() => {
                sink.report(
                    e.pos,
                    Message::InvalidISO8601DateTime,
                    format!("{what}: {value:?}"),
                );
            }
            "image" => {
                let lower = value.to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://"))
                    || checks::uri(value, UriKind::Full, false).is_err()
                {
                    sink.report(
                        e.pos,
                        Message::InvalidURLAttribute,
                        format!("{what}: {value:?}"),
                    );
                }
            }
            _ => {}
        },
        (GEO, "lat") | (GEOURL | ICBM, "latitude") => {
            coordinate(e, value, 90.0, Message::InvalidLatitude, sink)
        }
        (GEO, "long") | (GEOURL | ICBM, "longitude") => {
            coordinate(e, value, 180.0, Message::InvalidLongitude, sink)
        }
        (GEO, "alt") => decimal(e, &what, value.trim_start_matches('-'), sink),
        (GEO, "Point") => {
            for child in ["lat", "long"] {
                if e.child(Some(GEO), child).is_none() {
                    sink.report(
                        e.pos,
                        Message::MissingElement,
                        format!("geo:Point has no geo:{child}"),
                    );
                }
            }
        }
        (GEORSS, "point") => position(e, value, sink),
        (GEORSS, "line" | "polygon") => position_list(e, value, sink),
        (GEORSS, "elev") => decimal(e, &what, value.trim_start_matches(['-', '+']), sink),
        (GEORSS, "floor") => integer(e, &what, value, sink),
        (GEORSS, "radius") => decimal(e, &what, value, sink),
        (SLASH, "comments") => non_negative(e, &what, value, sink),
        (SLASH, "hit_parade") => {
            let ok = value.split(',').all(|n| {
                let n = n.trim_start();
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
            }) && !value.starts_with(char::is_whitespace);
            if !ok {
                sink.report(
                    e.pos,
                    Message::InvalidCommaSeparatedIntegers,
                    format!("{what}: {value:?}"),
                );
            }
        }
        (WFW, "commentRSS") => {
            sink.report(e.pos, Message::CommentRSS, "write wfw:commentRss");
            full_uri(e, &what, value, sink);
        }
        (WFW, "comment" | "commentRss") => full_uri(e, &what, value, sink),
        (SY, "updatePeriod")
            if !["hourly", "daily", "weekly", "monthly", "yearly"].contains(&value) =>
        {
            sink.report(
                e.pos,
                Message::InvalidUpdatePeriod,
                format!("{what}: {value:?}"),
            );
        }
        (ACCESS, "restriction") => {
            let at_top = parent.is_some_and(|p| p.is(None, "rss") || p.is(Some(ATOM), "feed"));
            if !at_top {
                undefined(e, parent, sink);
            } else if let Some(rel) = required(e, "relationship", sink)
                && !matches!(rel, "allow" | "deny")
            {
                sink.report(
                    e.pos,
                    Message::InvalidAccessRestrictionRel,
                    format!("relationship={rel:?}"),
                );
            }
        }
        (XHTML, "meta") if top(parent) => {
            if let Some(name) = required(e, "name", sink)
                && !name.eq_ignore_ascii_case("robots")
            {
                sink.report(
                    e.pos,
                    Message::InvalidMetaName,
                    format!("xhtml:meta name={name:?}"),
                );
            }
            if let Some(content) = required(e, "content", sink) {
                let words: Vec<String> = content
                    .split(',')
                    .map(|w| w.trim().to_ascii_lowercase())
                    .collect();
                let known = |w: &str| {
                    matches!(
                        w,
                        "all" | "none" | "index" | "noindex" | "follow" | "nofollow"
                    )
                };
                let ok = match words.as_slice() {
                    [one] => known(one),
                    [a, b] => {
                        matches!(a.as_str(), "index" | "noindex")
                            && matches!(b.as_str(), "follow" | "nofollow")
                            || matches!(a.as_str(), "follow" | "nofollow")
                                && matches!(b.as_str(), "index" | "noindex")
                    }
                    _ => false,
                };
                if !ok {
                    sink.report(
                        e.pos,
                        Message::InvalidMetaContent,
                        format!("xhtml:meta content={content:?}"),
                    );
                }
            }
        }
        _ => {}
    }
}

/// `thr:in-reply-to`: what it replies to (`ref`, a full URI), where (`href`, `source`), as what
/// (`type`).
fn in_reply_to(e: &Element, sink: &mut Sink<'_>) {
    if let Some(reference) = required(e, "ref", sink) {
        full_uri(e, "thr:in-reply-to ref", reference.trim(), sink);
    }
    for name in ["href", "source"] {
        if let Some(value) = e.attr(name)
            && let Err(problem) = checks::uri(value, UriKind::Reference, true)
        {
            report_uri(
                e.pos,
                &format!("thr:in-reply-to {name}"),
                value,
                problem,
                Message::InvalidIRI,
                sink,
            );
        }
    }
    if let Some(kind) = e.attr("type")
        && !checks::mime_type(kind)
    {
        sink.report(
            e.pos,
            Message::InvalidMIMEType,
            format!("thr:in-reply-to type={kind:?}"),
        );
    }
}

/// The threading attributes of an Atom `link` (`thr:count`, `thr:updated`; `thr:when` was
/// dropped from the draft).
pub(super) fn link_attributes(link: &Element, sink: &mut Sink<'_>) {
    let replies = link.attr("rel") == Some("replies");
    if let Some(count) = link.attr_ns(THR, "count") {
        if !replies {
            sink.report(
                link.pos,
                Message::UnexpectedAttribute,
                "thr:count outside a replies link",
            );
        }
        non_negative(link, "thr:count", count, sink);
    }
    if link.attr_ns(THR, "when").is_some() {
        sink.report(link.pos, Message::NoThrWhen, "thr:when is thr:updated now");
    }
    if let Some(updated) = link.attr_ns(THR, "updated") {
        if !replies {
            sink.report(
                link.pos,
                Message::UnexpectedAttribute,
                "thr:updated outside a replies link",
            );
        }
        super::values::rfc3339(link, "thr:updated", updated, sink);
    }
}

fn feedburner(e: &Element, name: &str, parent: Option<&Element>, sink: &mut Sink<'_>) {
    let value = e.text.trim();
    let what = e.qname();
    let allowed = match name {
        "awareness" => top(parent) || entry(parent),
        "origLink" | "origEnclosureLink" => entry(parent),
        "browserFriendly" | "emailServiceId" | "feedFlare" | "info" | "feedburnerHostname" => {
            top(parent)
        }
        _ => false,
    };
    if !allowed {
        undefined(e, parent, sink);
        return;
    }
    match name {
        "awareness" | "origLink" | "origEnclosureLink" | "feedburnerHostname" => {
            full_uri(e, &what, value, sink)
        }
        "browserFriendly" => plain_text(e, &what, &e.text, e.hexrefs, sink),
        "feedFlare" => {
            plain_text(e, &what, &e.text, e.hexrefs, sink);
            let atom = parent.is_some_and(|p| p.is(Some(ATOM), "feed"));
            for attr in ["href", "src"] {
                let Some(uri) = required(e, attr, sink) else {
                    continue;
                };
                if atom {
                    if let Err(problem) = checks::uri(uri, UriKind::Reference, true) {
                        report_uri(
                            e.pos,
                            &format!("{what} {attr}"),
                            uri,
                            problem,
                            Message::InvalidIRI,
                            sink,
                        );
                    }
                } else if checks::uri(uri, UriKind::Full, false).is_err() {
                    sink.report(
                        e.pos,
                        Message::ContainsRelRef,
                        format!("{what} {attr}={uri:?}"),
                    );
                }
            }
        }
        "info" => {
            if let Some(uri) = required(e, "uri", sink)
                && let Err(problem) = checks::uri(uri, UriKind::Reference, true)
            {
                report_uri(
                    e.pos,
                    &format!("{what} uri"),
                    uri,
                    problem,
                    Message::InvalidIRI,
                    sink,
                );
            }
        }
        _ => {}
    }
}

/// The FeedBurner elements that may appear once in a channel, feed, item or entry.
pub(super) fn feedburner_once(e: &Element, sink: &mut Sink<'_>) {
    once(
        e,
        FEEDBURNER,
        &[
            "awareness",
            "origLink",
            "origEnclosureLink",
            "browserFriendly",
            "emailServiceId",
            "feedburnerHostname",
        ],
        sink,
    );
}

/// A latitude or longitude: a number within ±`limit`.
fn coordinate(e: &Element, value: &str, limit: f64, message: Message, sink: &mut Sink<'_>) {
    if !value
        .parse::<f64>()
        .is_ok_and(|v| v.is_finite() && v.abs() <= limit)
    {
        sink.report(e.pos, message, format!("{}: {value:?}", e.qname()));
    }
}

/// A decimal number with an optional sign.
fn signed_decimal(value: &str) -> bool {
    let v = value.strip_prefix(['-', '+']).unwrap_or(value);
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A GeoRSS point, `lat long` (a comma between them is tolerated with a warning).
fn position(e: &Element, value: &str, sink: &mut Sink<'_>) {
    let Some((lat, long)) = value.split_once([' ', ',']) else {
        sink.report(
            e.pos,
            Message::InvalidCoord,
            format!("{}: {value:?}", e.qname()),
        );
        return;
    };
    if !signed_decimal(lat) || !signed_decimal(long) {
        sink.report(
            e.pos,
            Message::InvalidCoord,
            format!("{}: {value:?}", e.qname()),
        );
    } else if value.contains(',') {
        sink.report(
            e.pos,
            Message::CoordComma,
            format!("{}: {value:?}", e.qname()),
        );
    }
}

/// A GeoRSS line or polygon: pairs of coordinates, separated by spaces.
fn position_list(e: &Element, value: &str, sink: &mut Sink<'_>) {
    let spaced = value.replace(',', " ");
    let values: Vec<&str> = spaced.split_whitespace().collect();
    if values.len() < 3 || values.len() % 2 == 1 || !values.iter().all(|v| signed_decimal(v)) {
        sink.report(
            e.pos,
            Message::InvalidCoordList,
            format!("{}: {value:?}", e.qname()),
        );
    } else if value.contains(',') {
        sink.report(
            e.pos,
            Message::CoordComma,
            format!("{}: {value:?}", e.qname()),
        );
    }
}
