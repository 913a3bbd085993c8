//! The parts of Media RSS (<https://www.rssboard.org/media-rss>) beyond the elements every feed
//! uses (those are in `rss::media`): ratings and their schemes, restrictions by country or URI,
//! hashes, credits, the `type` of text elements, play times (NPT), the numeric attributes of
//! `media:content`, groups of alternatives and the deprecated `media:adult`.

use super::values::{full_uri, true_false};
use crate::namespaces::MEDIA;
use crate::xml::Element;
use crate::{Message, Sink};

/// ISO 3166-1 alpha-2 country codes (with a few withdrawn ones feeds still use).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CS CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW \
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB \
LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC \
NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC \
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UK UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// One `media:` element.
pub(super) fn element(e: &Element, sink: &mut Sink<'_>) {
    let value = e.text.trim();
    match e.local.as_str() {
        "adult" => {
            sink.report(
                e.pos,
                Message::DeprecatedMediaAdult,
                "use media:rating scheme=\"urn:simple\"",
            );
            true_false(e, "media:adult", value, false, sink);
        }
        "title" | "description" | "text" => {
            if let Some(kind) = e.attr("type")
                && !matches!(kind, "plain" | "html")
            {
                sink.report(
                    e.pos,
                    Message::InvalidMediaTextType,
                    format!("{} type={kind:?}", e.qname()),
                );
            }
            if e.attr("type") == Some("html") {
                crate::content::html_text(e.pos, &e.qname(), &e.text, false, sink);
            }
            if e.local == "text" {
                for name in ["start", "end"] {
                    npt(e, name, sink);
                }
            }
        }
        "thumbnail" => npt(e, "time", sink),
        // Roles are lower case; under the default scheme (urn:ebu) they are EBU role names,
        // a list not checked here.
        "credit" => {
            if let Some(role) = e.attr("role")
                && role != role.to_lowercase()
            {
                sink.report(
                    e.pos,
                    Message::InvalidCreditRole,
                    format!("role={role:?} (roles are lower case)"),
                );
            }
        }
        "hash" => hash(e, value, sink),
        "rating" => rating(e, value, sink),
        "restriction" => restriction(e, value, sink),
        "copyright" => {
            if let Some(url) = e.attr("url") {
                full_uri(e, "media:copyright url", url, sink);
            }
        }
        "content" => content(e, sink),
        "group" if e.children_named(Some(MEDIA), "content").count() < 2 => {
            sink.report(
                e.pos,
                Message::MediaGroupWithoutAlternatives,
                "media:group holds fewer than two media:content",
            );
        }
        _ => {}
    }
}

/// A Normal Play Time attribute: `now`, seconds, or `h:mm:ss`, with fractions.
fn npt(e: &Element, name: &str, sink: &mut Sink<'_>) {
    let Some(value) = e.attr(name) else { return };
    let digits = |s: &str, n: Option<usize>| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && n.is_none_or(|n| s.len() == n)
    };
    let (main, frac) = value.split_once('.').unwrap_or((value, ""));
    let frac_ok = !value.contains('.') || digits(frac, None);
    let parts: Vec<&str> = main.split(':').collect();
    let ok = value.starts_with("now")
        || frac_ok
            && match parts.as_slice() {
                [s] => digits(s, None),
                [h, m, s] => digits(h, None) && digits(m, Some(2)) && digits(s, Some(2)),
                _ => false,
            };
    if !ok {
        sink.report(
            e.pos,
            Message::InvalidNPTTime,
            format!("{} {name}={value:?}", e.qname()),
        );
    }
}

fn hash(e: &Element, value: &str, sink: &mut Sink<'_>) {
    let algo = e.attr("algo");
    if let Some(algo) = algo
        && !matches!(algo, "md5" | "sha-1")
    {
        sink.report(e.pos, Message::InvalidMediaHash, format!("algo={algo:?}"));
    }
    let len = if algo == Some("sha-1") { 40 } else { 32 };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_alphanumeric()) || value.len() != len {
        sink.report(
            e.pos,
            Message::InvalidMediaHash,
            format!("{value:?} is not a {len}-digit hex digest"),
        );
    }
}

fn rating(e: &Element, value: &str, sink: &mut Sink<'_>) {
    let scheme = e.attr("scheme").unwrap_or("urn:simple");
    let ok = match scheme {
        "urn:simple" => matches!(value, "adult" | "nonadult"),
        "urn:mpaa" => matches!(value, "g" | "m" | "nc-17" | "pg" | "pg-13" | "r" | "x"),
        "urn:v-chip" => matches!(
            value,
            "14+"
                | "18+"
                | "c"
                | "c8"
                | "g"
                | "pg"
                | "tv-14"
                | "tv-g"
                | "tv-ma"
                | "tv-pg"
                | "tv-y"
                | "tv-y7"
                | "tv-y7-fv"
        ),
        "urn:icra" => icra(value),
        // Another scheme is a URI (checked with every `scheme` in `rss::media`).
        _ => true,
    };
    if !ok {
        sink.report(
            e.pos,
            Message::InvalidMediaRating,
            format!("{value:?} under {scheme}"),
        );
    }
}

/// An ICRA label, `r (cz 1 lz 1 …)`: a category letter, a level letter, a digit, repeated.
fn icra(value: &str) -> bool {
    let Some(codes) = value.strip_prefix("r (").and_then(|v| v.strip_suffix(')')) else {
        return false;
    };
    let words: Vec<&str> = codes.split(' ').collect();
    !words.is_empty()
        && words.len().is_multiple_of(2)
        && words.chunks(2).all(|pair| {
            let (code, level) = (pair[0].as_bytes(), pair[1]);
            if code.len() != 2 {
                return false;
            }
            let (category, sub) = (code[0], code[1]);
            let range = match category {
                b'n' | b'l' => b'a'..=b'c',
                b's' => b'a'..=b'f',
                b'v' => b'a'..=b'j',
                b'o' => b'a'..=b'h',
                b'c' => b'a'..=b'b',
                b'x' => b'a'..=b'e',
                _ => return false,
            };
            (sub == b'z' && matches!(level, "0" | "1")) || (range.contains(&sub) && level == "1")
        })
}

fn restriction(e: &Element, value: &str, sink: &mut Sink<'_>) {
    match e.attr("relationship") {
        None | Some("") => sink.report(
            e.pos,
            Message::MissingAttribute,
            "media:restriction has no relationship",
        ),
        Some("allow" | "deny") => {}
        Some(other) => sink.report(
            e.pos,
            Message::InvalidMediaRestrictionRel,
            format!("relationship={other:?}"),
        ),
    }
    match e.attr("type") {
        None | Some("") => {
            if !value.is_empty() && !matches!(value, "all" | "none") {
                sink.report(
                    e.pos,
                    Message::InvalidMediaRestriction,
                    format!("{value:?}: all, none, or a type"),
                );
            }
        }
        Some("country") => {
            for code in value.to_uppercase().split(' ') {
                if !COUNTRIES.split(' ').any(|c| c == code) {
                    sink.report(e.pos, Message::InvalidCountryCode, format!("{code:?}"));
                }
            }
        }
        Some("uri") => full_uri(e, "media:restriction", value, sink),
        Some(other) => sink.report(
            e.pos,
            Message::InvalidMediaRestrictionType,
            format!("type={other:?}"),
        ),
    }
}

/// The numeric and enumerated attributes of `media:content` not checked in `rss::media`.
fn content(e: &Element, sink: &mut Sink<'_>) {
    for name in ["bitrate", "duration", "framerate", "samplingrate"] {
        if let Some(v) = e.attr(name)
            && !v.starts_with(|c: char| c.is_ascii_digit())
        {
            sink.report(
                e.pos,
                Message::InvalidFloat,
                format!("media:content {name}={v:?}"),
            );
        }
    }
    if let Some(v) = e.attr("expression")
        && !matches!(v, "sample" | "full" | "nonstop")
    {
        sink.report(
            e.pos,
            Message::InvalidMediaExpression,
            format!("expression={v:?}"),
        );
    }
    if let Some(v) = e.attr("isDefault") {
        true_false(e, "media:content isDefault", v, false, sink);
    }
}
