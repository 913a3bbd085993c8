//! Value checks shared by the RSS, Atom and JSON Feed validators: dates, URIs, e-mail
//! addresses, MIME types, numbers, languages, and HTML in content.
//!
//! Each follows the W3C Feed Validation Service's reading of the spec (which date forms it
//! calls problematical, which URI characters it refuses, …) so that a finding here is one the
//! service would give too.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use super::Message;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ZONES: [&str; 10] = [
    "UT", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
];

/// The earliest date that is plausible in a feed.
fn epoch() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(1990, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MIN_UTC, |d| d.and_utc())
}

/// Whether `date` is before 1990 or more than ten minutes after `now`.
pub fn implausible(date: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    date < epoch() || date > now + TimeDelta::minutes(10)
}

/// The parts of a strict RFC 2822 date: `[Day, ]D Mon YYYY HH:MM[:SS] zone`.
struct Rfc2822<'a> {
    dow: Option<&'a str>,
    day: u32,
    month: u32,
    year: i32,
    hour: u32,
    minute: u32,
    second: u32,
    offset_minutes: i32,
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn parse_strict_2822(value: &str) -> Option<Rfc2822<'_>> {
    let (dow, rest) = match value.split_once(", ") {
        Some((d, rest)) if DAYS.contains(&d) => (Some(d), rest),
        Some(_) => return None,
        None => (None, value),
    };
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, zone] = parts[..] else {
        return None;
    };
    let day = digits(day, 1, 2)?;
    let month = 1 + u32::try_from(MONTHS.iter().position(|m| *m == month)?).ok()?;
    let year = i32::try_from(digits(year, 4, 4)?).ok()?;
    let mut hms = time.split(':');
    let hour = digits(hms.next()?, 2, 2)?;
    let minute = digits(hms.next()?, 2, 2)?;
    let second = match hms.next() {
        Some(s) => digits(s, 2, 2)?,
        None => 0,
    };
    if hms.next().is_some() {
        return None;
    }
    let offset_minutes = zone_offset(zone, true)?;
    Some(Rfc2822 {
        dow,
        day,
        month,
        year,
        hour,
        minute,
        second,
        offset_minutes,
    })
}

/// A zone's offset from UTC in minutes; `strict` is RFC 2822's set (numeric offsets ending
/// in 00 or 30, the US zones, `Z`), otherwise RFC 822's (also the military letters).
fn zone_offset(zone: &str, strict: bool) -> Option<i32> {
    let upper = zone.to_ascii_uppercase();
    if strict && upper != zone {
        return None;
    }
    if let Some(i) = ZONES.iter().position(|z| *z == upper) {
        return Some([0, 0, -5, -4, -6, -5, -7, -6, -8, -7][i] * 60);
    }
    if upper == "Z" {
        return Some(0);
    }
    if !strict && upper.len() == 1 && upper != "J" && upper.chars().all(|c| c.is_ascii_uppercase())
    {
        return Some(0);
    }
    let (sign, rest) = match zone.as_bytes().first() {
        Some(b'+') => (1, &zone[1..]),
        Some(b'-') => (-1, &zone[1..]),
        _ if strict => (1, zone),
        _ => return None,
    };
    let n = digits(rest, 4, 4)?;
    if strict && !matches!(n % 100, 0 | 30) {
        return None;
    }
    Some(sign * i32::try_from(n / 100 * 60 + n % 100).ok()?)
}

/// The RSS date check: `Ok` with the instant, or the message to give.
pub fn rfc822_date(value: &str) -> Result<DateTime<Utc>, Message> {
    if let Some(d) = parse_strict_2822(value) {
        let date =
            NaiveDate::from_ymd_opt(d.year, d.month, d.day).ok_or(Message::InvalidRFC2822Date)?;
        if let Some(dow) = d.dow
            && DAYS[date.weekday().num_days_from_monday() as usize] != dow
        {
            return Err(Message::IncorrectDOW);
        }
        let time = date
            .and_hms_opt(d.hour.min(23), d.minute.min(59), d.second.min(59))
            .ok_or(Message::InvalidRFC2822Date)?;
        return Ok(time.and_utc() - TimeDelta::minutes(i64::from(d.offset_minutes)));
    }
    if loose_822(value) {
        Err(Message::ProblematicalRFC822Date)
    } else {
        Err(Message::InvalidRFC2822Date)
    }
}

/// RFC 822 as its grammar allows (any case, two-digit years, comments, military zones).
fn loose_822(value: &str) -> bool {
    let mut v = String::new();
    let mut depth = 0usize;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            // A quoted pair: the escaped character is dropped with its backslash.
            '\\' => {
                chars.next();
            }
            '(' => depth += 1,
            ')' if depth > 0 => {
                depth -= 1;
                v.push(' ');
            }
            _ if depth == 0 => v.push(c),
            _ => {}
        }
    }
    let v = v.trim().to_ascii_lowercase();
    let rest = match v.split_once(',') {
        Some((d, rest)) if DAYS.iter().any(|x| x.eq_ignore_ascii_case(d.trim())) => rest,
        Some(_) => return false,
        None => &v,
    };
    let parts: Vec<&str> = rest.split_whitespace().collect();
    let (day, month, year, time, zone) = match parts[..] {
        [d, m, y, t, z] => (d, m, y, t, Some(z)),
        [d, m, y, t] => (d, m, y, t, None),
        _ => return false,
    };
    let time_ok = {
        let t: Vec<&str> = time.split(':').collect();
        (t.len() == 2 || t.len() == 3) && t.iter().all(|p| digits(p, 2, 2).is_some())
    };
    digits(day, 1, 2).is_some()
        && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(month))
        && (digits(year, 2, 2).is_some() || digits(year, 4, 4).is_some())
        && time_ok
        && zone.is_none_or(|z| zone_offset(z, false).is_some())
}

/// Which flavour of ISO 8601 a date must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iso {
    /// RFC 3339: full date, time with seconds, and a zone (Atom, JSON Feed).
    Rfc3339,
    /// W3C-DTF: year, year-month, date, or date-time with a zone (Dublin Core).
    W3cdtf,
}

/// The Atom / Dublin Core date check: `Ok` with the instant, or the message to give.
pub fn iso_date(value: &str, flavour: Iso) -> Result<DateTime<Utc>, Message> {
    let fail = match flavour {
        Iso::Rfc3339 => Message::InvalidRFC3339Date,
        Iso::W3cdtf => Message::InvalidW3CDTFDate,
    };
    let b = value.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = value.get(r)?;
        digits(s, s.len().max(1), s.len())
    };
    let year = num(0..4).ok_or(fail)?;
    if flavour == Iso::W3cdtf && b.len() == 4 {
        return date_time(year, 1, 1, 0, 0, 0, 0).ok_or(fail);
    }
    if b.get(4) != Some(&b'-') {
        return Err(fail);
    }
    let month = num(5..7).ok_or(fail)?;
    if flavour == Iso::W3cdtf && b.len() == 7 {
        return date_time(year, month, 1, 0, 0, 0, 0).ok_or(fail);
    }
    if b.get(7) != Some(&b'-') {
        return Err(fail);
    }
    let day = num(8..10).ok_or(fail)?;
    if flavour == Iso::W3cdtf && b.len() == 10 {
        return date_time(year, month, day, 0, 0, 0, 0).ok_or(fail);
    }
    if b.get(10) != Some(&b'T') || b.get(13) != Some(&b':') {
        return Err(fail);
    }
    let hour = num(11..13).ok_or(fail)?;
    let minute = num(14..16).ok_or(fail)?;
    let mut i = 16;
    let mut second = 0;
    if b.get(i) == Some(&b':') {
        second = num(17..19).ok_or(fail)?;
        i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    } else if flavour == Iso::Rfc3339 {
        return Err(fail);
    }
    let zone = value.get(i..).ok_or(fail)?;
    let offset = match zone {
        "Z" => 0,
        _ => {
            let sign = match zone.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(fail),
            };
            if zone.len() != 6 || zone.as_bytes()[3] != b':' {
                return Err(fail);
            }
            let h = digits(&zone[1..3], 2, 2).ok_or(fail)?;
            let m = digits(&zone[4..6], 2, 2).ok_or(fail)?;
            sign * i32::try_from(h * 60 + m).map_err(|_| fail)?
        }
    };
    if hour > 23 || minute > 60 || second > 60 {
        return Err(fail);
    }
    date_time(year, month, day, hour, minute, second, offset).ok_or(fail)
}

fn date_time(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    offset_minutes: i32,
) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let t = date.and_hms_opt(hour, minute.min(59), second.min(59))?;
    Some(t.and_utc() - TimeDelta::minutes(i64::from(offset_minutes)))
}

/// Characters a URI may hold unescaped (RFC 2396 plus `#`, `%`, `[`/`]` handled apart).
fn uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c)
}

/// What is wrong with a URI, when something is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriProblem {
    /// A character that must be percent-encoded (`InvalidUriChar`).
    Char(char),
    /// A malformed `tag:` URI (`InvalidTAG`).
    Tag,
    /// Not a URI of the kind required (relative where a full one is needed, no host, …).
    Form,
}

/// How much of a URI is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriKind {
    /// A URI reference; relative ones are fine.
    Reference,
    /// A full URI, with a scheme (and `//host` for http and ftp).
    Full,
}

/// Checks a URI (or IRI: non-ASCII characters are allowed when `iri`).
pub fn uri(value: &str, kind: UriKind, iri: bool) -> Result<(), UriProblem> {
    let scheme = value.split(':').next().unwrap_or("").to_ascii_lowercase();
    let has_scheme = value.contains(':')
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if has_scheme && scheme == "tag" {
        return if tag_uri(value) {
            Ok(())
        } else {
            Err(UriProblem::Tag)
        };
    }
    let mut body = value;
    if has_scheme {
        body = &value[scheme.len() + 1..];
    }
    let body_no_ip = body.strip_prefix("//").map_or(body, |b| {
        b.strip_prefix('[')
            .and_then(|b| b.split_once(']'))
            .map_or(b, |(ip, rest)| {
                if ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
                    rest
                } else {
                    b
                }
            })
    });
    if let Some(c) = body_no_ip.chars().find(|&c| c.is_ascii() && !uri_char(c)) {
        return Err(UriProblem::Char(c));
    }
    if !iri && !value.is_ascii() {
        return Err(UriProblem::Form);
    }
    if kind == UriKind::Full && (!has_scheme || body.is_empty()) {
        return Err(UriProblem::Form);
    }
    if has_scheme && matches!(scheme.as_str(), "http" | "https" | "ftp") {
        // With one of these schemes the URI is absolute, and needs `//host`.
        let host_ok = body
            .strip_prefix("//")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
        if !host_ok {
            return Err(UriProblem::Form);
        }
    }
    Ok(())
}

/// Whether `value` is a well-formed `tag:` URI (RFC 4151).
pub fn tag_uri(value: &str) -> bool {
    let Some(rest) = value.strip_prefix("tag:") else {
        return false;
    };
    let Some((authority, specific)) = rest.split_once(':') else {
        return false;
    };
    let Some((name, date)) = authority.rsplit_once(',') else {
        return false;
    };
    let name = name.rsplit_once('@').map_or(name, |(user, domain)| {
        if user.is_empty()
            || !user
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
        {
            ""
        } else {
            domain
        }
    });
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
    let date_ok = {
        let parts: Vec<&str> = date.split('-').collect();
        digits(parts[0], 4, 4).is_some()
            && parts.len() <= 3
            && parts[1..].iter().all(|p| digits(p, 2, 2).is_some())
    };
    let specific_ok = specific
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ";/?:@&=+$.-_!~*'()%,#".contains(c));
    name_ok && date_ok && specific_ok
}

/// The canonical form of a URI (RFC 3986 §6.2.2, as the W3C service computes it): lower-case
/// scheme (and URN namespace), and for http(s) lower-case host, no empty userinfo or port, no
/// default port, `/` for an empty path, no dot segments, unreserved characters not
/// percent-encoded and other escapes in upper case. `None` when there is no scheme.
pub fn canonical(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "urn" {
        let (nid, nss) = rest.split_once(':')?;
        return Some(format!("urn:{}:{nss}", nid.to_ascii_lowercase()));
    }
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return Some(format!("{scheme}:{rest}")),
    };
    let rest = rest.strip_prefix("//")?;
    let split = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(split);
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u).filter(|u| !u.is_empty() && *u != ":"), h),
        None => (None, authority),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (h, Some(p)),
        _ => (hostport, None),
    };
    let mut out = format!("{scheme}://");
    if let Some(u) = userinfo {
        out.push_str(u);
        out.push('@');
    }
    out.push_str(&host.to_ascii_lowercase());
    if let Some(p) = port.filter(|p| !p.is_empty() && *p != default_port) {
        out.push(':');
        out.push_str(p);
    }
    let split = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, after) = tail.split_at(split);
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let path = format!("/{}", segments.join("/"));
    let path = if path.len() > 1 && (tail.ends_with("/.") || tail.ends_with("/..")) {
        format!("{path}/")
    } else {
        path
    };
    out.push_str(&normalise_escapes(&path));
    out.push_str(&normalise_escapes(after));
    Some(out)
}

/// Decodes percent-escapes of unreserved characters and upper-cases the others.
fn normalise_escapes(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                out.push('%');
                out.push_str(&hex.to_ascii_uppercase());
            }
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(c);
        i += c.len_utf8().max(1);
    }
    out
}

/// Whether `value` is an `addr-spec` e-mail address (`local@domain`).
pub fn addr_spec(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-+.'!#$%&*/=?^`{|}~".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()));
    local_ok && domain_ok
}

/// The RSS e-mail field check (`managingEditor`, `webMaster`, item `author`).
pub fn contact(value: &str) -> Option<Message> {
    // A `mailto:` URL (RFC 2368) is read as the address it encodes.
    let decoded;
    let value = match value.strip_prefix("mailto:") {
        Some(url) => {
            decoded = percent_encoding::percent_decode_str(url)
                .decode_utf8_lossy()
                .into_owned();
            decoded.as_str()
        }
        None => value,
    };
    if value.find('@').is_some_and(|i| i > 0) && !value.ends_with(')') {
        let address_only = !value.contains(' ');
        // An address alone (even `a@b?subject=x`, RFC 2368) lacks only the name, as the W3C
        // service sees it.
        return if address_only {
            Some(Message::MissingRealName)
        } else {
            // `Name <a@b>` and other shapes: the W3C service calls these EmailFormat (a
            // warning newswire does not name); an invalid address is still invalid.
            let inner = value
                .split(['<', '>', ' '])
                .find(|p| p.contains('@'))
                .unwrap_or(value);
            (!addr_spec(inner)).then_some(Message::InvalidContact)
        };
    }
    let address = value.split(" (").next().unwrap_or(value).trim();
    (!addr_spec(address)).then_some(Message::InvalidContact)
}

/// Whether `value` is a MIME type (`type/subtype` with optional parameters).
pub fn mime_type(value: &str) -> bool {
    let token = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| !c.is_whitespace() && !"()<>,;:\\\"/[]?=".contains(c))
    };
    let mut parts = value.split(';');
    let Some((kind, sub)) = parts.next().and_then(|t| t.split_once('/')) else {
        return false;
    };
    token(kind)
        && token(sub)
        && parts.all(|p| {
            p.trim().split_once('=').is_some_and(|(k, v)| {
                token(k) && (token(v) || (v.starts_with('"') && v.ends_with('"') && v.len() >= 2))
            })
        })
}

/// Whether `value` looks like a language tag (`en`, `en-us`, `de-AT`).
pub fn language(value: &str) -> bool {
    let mut parts = value.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses an integer the way the W3C service does (surrounding whitespace allowed).
pub fn integer(value: &str) -> Option<i64> {
    value.trim().parse().ok()
}

/// HTML tags that feed readers strip and the W3C service calls a security risk.
const UNSAFE_TAGS: &[&str] = &[
    "applet", "base", "basefont", "body", "embed", "frame", "frameset", "head", "html", "iframe",
    "isindex", "link", "meta", "noframes", "object", "param", "script", "style", "title",
];

/// CSS properties readers keep in a `style` attribute.
const SAFE_CSS: &[&str] = &[
    "background",
    "background-color",
    "border",
    "border-collapse",
    "border-color",
    "border-style",
    "border-width",
    "clear",
    "color",
    "cursor",
    "direction",
    "display",
    "float",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "list-style-type",
    "margin",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "margin-top",
    "overflow",
    "padding",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "padding-top",
    "text-align",
    "text-decoration",
    "text-indent",
    "unicode-bidi",
    "vertical-align",
    "white-space",
    "width",
];

/// The unsafe part of a `style` attribute, if any.
pub fn dangerous_style(style: &str) -> Option<String> {
    let lower = style.to_ascii_lowercase();
    if [
        "url(",
        "expression(",
        "javascript:",
        "@import",
        "behavior",
        "\\",
    ]
    .iter()
    .any(|bad| lower.contains(bad))
    {
        return Some(style.to_string());
    }
    for decl in lower.split(';') {
        if decl.trim().is_empty() {
            continue;
        }
        let Some((prop, _)) = decl.split_once(':') else {
            return Some(style.to_string());
        };
        let prop = prop.trim();
        if !SAFE_CSS.contains(&prop) && !prop.starts_with("border-") {
            return Some(prop.to_string());
        }
        // Box properties take only plain values: colours, keywords and short lengths (no
        // `99999em` that covers the page).
        let boxed = ["background", "border", "margin", "padding"]
            .contains(&prop.split('-').next().unwrap_or(""));
        if boxed {
            let value = decl.split_once(':').map_or("", |(_, v)| v);
            if let Some(bad) = value.split_whitespace().find(|k| !plain_css_value(k)) {
                return Some(bad.to_string());
            }
        }
    }
    None
}

/// A CSS value word readers keep in box properties: a colour or layout keyword, a hex colour,
/// `rgb(…)`, or a number of at most three digits with an optional unit.
fn plain_css_value(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "aqua",
        "auto",
        "black",
        "block",
        "blue",
        "bold",
        "both",
        "bottom",
        "brown",
        "center",
        "collapse",
        "dashed",
        "dotted",
        "fuchsia",
        "gray",
        "green",
        "!important",
        "italic",
        "left",
        "lime",
        "maroon",
        "medium",
        "none",
        "navy",
        "normal",
        "nowrap",
        "olive",
        "pointer",
        "purple",
        "red",
        "right",
        "solid",
        "silver",
        "teal",
        "top",
        "transparent",
        "underline",
        "white",
        "yellow",
    ];
    let word = word.trim_end_matches(',');
    if KEYWORDS.contains(&word) {
        return true;
    }
    if let Some(hex) = word.strip_prefix('#') {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(args) = word.strip_prefix("rgb(") {
        return args
            .chars()
            .all(|c| c.is_ascii_digit() || ",%) ".contains(c));
    }
    let number: String = word
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let unit = &word[number.len()..];
    let digits = number.chars().filter(char::is_ascii_digit).count();
    (1..=3).contains(&digits)
        && number.matches('.').count() <= 1
        && ["", "cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%", ")"].contains(&unit)
}

/// What [`scan_html`] found in a fragment of HTML.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HtmlFindings {
    /// Unsafe tags (`SecurityRisk`).
    pub unsafe_tags: Vec<String>,
    /// Event-handler attributes (`SecurityRiskAttr`).
    pub handlers: Vec<String>,
    /// Unsafe `style` values (`DangerousStyleAttr`).
    pub styles: Vec<String>,
    /// Relative `a href` / `img src` references (`ContainsRelRef`).
    pub relative: Vec<String>,
    /// References with characters a URI may not hold (`InvalidUriChar`).
    pub bad_chars: Vec<String>,
}

struct Scanner(std::cell::RefCell<HtmlFindings>);

impl html5ever::tokenizer::TokenSink for Scanner {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{TagKind, Token};
        if let Token::TagToken(tag) = token
            && tag.kind == TagKind::StartTag
        {
            let mut found = self.0.borrow_mut();
            let name = (*tag.name).to_ascii_lowercase();
            if UNSAFE_TAGS.contains(&name.as_str()) {
                found.unsafe_tags.push(name.clone());
            }
            for attr in &tag.attrs {
                let attr_name = (*attr.name.local).to_ascii_lowercase();
                if attr_name.starts_with("on") {
                    found.handlers.push(attr_name.clone());
                } else if attr_name == "style" {
                    found.styles.extend(dangerous_style(&attr.value));
                } else if (name == "a" && attr_name == "href")
                    || (name == "img" && attr_name == "src")
                {
                    let reference = attr.value.trim();
                    let absolute = reference.split_once(':').is_some_and(|(s, _)| {
                        !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
                    });
                    if !absolute {
                        if reference.chars().any(|c| c.is_ascii() && !uri_char(c)) {
                            found.bad_chars.push(reference.to_string());
                        } else {
                            found.relative.push(reference.to_string());
                        }
                    }
                }
            }
        }
        html5ever::tokenizer::TokenSinkResult::Continue
    }
}

/// Tokenises `html` (as a browser would) and reports what feed readers object to.
pub fn scan_html(html: &str) -> HtmlFindings {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let tokenizer = Tokenizer::new(
        Scanner(std::cell::RefCell::new(HtmlFindings::default())),
        TokenizerOpts::default(),
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

/// HTML element names, for telling markup from text like `</3>` or `a <b` comparisons.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "cite",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "li",
    "object",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "script",
    "small",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Whether plain text looks like HTML, the W3C way: an end tag of an HTML element, or
/// (unless the text was deliberately hex-escaped) an HTML entity reference left in it.
/// Returns what gave it away.
pub fn looks_like_html(text: &str, hex_escaped: bool) -> Option<String> {
    let mut rest = text;
    while let Some(i) = rest.find("</") {
        let after = &rest[i + 2..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if after[name.len()..].starts_with('>')
            && HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
        {
            return Some(format!("</{name}>"));
        }
        rest = after;
    }
    if hex_escaped {
        return None;
    }
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        let after = &rest[i + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '#')
            .collect();
        // As the W3C service does: a known entity name, or anything not purely alphabetic
        // (`&#8217`, `&#x26`, `&x1`).
        let entity = name == "apos"
            || !name.chars().all(|c| c.is_ascii_alphabetic())
            || html_escape::decode_html_entities(&format!("&{name};")) != format!("&{name};");
        if !name.is_empty() && entity {
            return Some(format!("&{name};"));
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc822_dates() {
        assert!(rfc822_date("Mon, 02 Jan 2006 15:04:05 +0000").is_ok());
        assert!(rfc822_date("2 Jan 2006 15:04 GMT").is_ok());
        assert_eq!(
            rfc822_date("Tue, 02 Jan 2006 15:04:05 +0000"),
            Err(Message::IncorrectDOW)
        );
        assert_eq!(
            rfc822_date("Mon, 02 jan 06 15:04:05 +0000"),
            Err(Message::ProblematicalRFC822Date)
        );
        assert_eq!(
            rfc822_date("Thu, 09 (a (b) c)Feb(d\\) e) 2006()23:59:45 +0000"),
            Err(Message::ProblematicalRFC822Date)
        );
        for bad in [
            "2006-01-02T15:04:05Z",
            "Mon, 02 Jan 2006",
            "",
            "Mon, 31 Feb 2006 15:04 GMT",
        ] {
            assert_eq!(rfc822_date(bad), Err(Message::InvalidRFC2822Date), "{bad}");
        }
        let d = rfc822_date("Mon, 02 Jan 2006 15:04:05 -0700").unwrap();
        assert_eq!(d.to_rfc3339(), "2006-01-02T22:04:05+00:00");
    }

    #[test]
    fn iso_dates() {
        assert!(iso_date("2006-01-02T15:04:05Z", Iso::Rfc3339).is_ok());
        assert!(iso_date("2006-01-02T15:04:05.123+01:00", Iso::Rfc3339).is_ok());
        for bad in [
            "2006-01-02",
            "2006-01-02T15:04Z",
            "2006-01-02 15:04:05Z",
            "2006-13-02T15:04:05Z",
            "2006-01-02T15:04:05",
        ] {
            assert_eq!(
                iso_date(bad, Iso::Rfc3339),
                Err(Message::InvalidRFC3339Date),
                "{bad}"
            );
        }
        for good in [
            "2006",
            "2006-01",
            "2006-01-02",
            "2006-01-02T15:04Z",
            "2006-01-02T15:04:05-05:00",
        ] {
            assert!(iso_date(good, Iso::W3cdtf).is_ok(), "{good}");
        }
        assert!(iso_date("2006-01-02T15:04", Iso::W3cdtf).is_err());
    }

    #[test]
    fn uris() {
        use UriKind::*;
        assert!(uri("https://example.com/a?b=c#d", Full, false).is_ok());
        assert!(uri("/relative", Reference, false).is_ok());
        assert_eq!(uri("/relative", Full, false), Err(UriProblem::Form));
        assert_eq!(uri("http:/x", Full, false), Err(UriProblem::Form));
        assert_eq!(
            uri("http://a.com/b c", Full, false),
            Err(UriProblem::Char(' '))
        );
        assert!(uri("http://例え.jp/パス", Full, true).is_ok());
        assert!(uri("http://例え.jp/", Full, false).is_err());
        assert!(uri("tag:example.com,2006:x", Full, false).is_ok());
        assert_eq!(uri("tag:example.com:x", Full, false), Err(UriProblem::Tag));
        assert!(uri("urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", Full, false).is_ok());
        assert!(uri("http://[::1]/x", Full, false).is_ok());
    }

    #[test]
    fn canonical_uris() {
        assert_eq!(
            canonical("HTTP://Example.COM:80").as_deref(),
            Some("http://example.com/")
        );
        assert_eq!(
            canonical("https://a.com/x%2fy").as_deref(),
            Some("https://a.com/x%2Fy")
        );
        assert_eq!(canonical("tag:a,2006:x").as_deref(), Some("tag:a,2006:x"));
        for (from, to) in [
            ("http://example.org/./id/1234", "http://example.org/id/1234"),
            ("http://:@example.org/id/1234", "http://example.org/id/1234"),
            (
                "http://example.org/%69%64/1234",
                "http://example.org/id/1234",
            ),
            ("URN:DIVEINTOMARK-ORG:1", "urn:diveintomark-org:1"),
            ("http://example.com:/", "http://example.com/"),
            ("http://example.com/%7Esmith/", "http://example.com/~smith/"),
            (
                "http://example.com/a/b/../c?q=%2f",
                "http://example.com/a/c?q=%2F",
            ),
        ] {
            assert_eq!(canonical(from).as_deref(), Some(to), "{from}");
        }
    }

    #[test]
    fn emails_and_contacts() {
        assert!(addr_spec("a.b+c@example.co.uk"));
        assert!(!addr_spec("example.com"));
        assert!(!addr_spec("a@b"));
        assert_eq!(contact("a@example.com (Ann)"), None);
        assert_eq!(contact("a@example.com"), Some(Message::MissingRealName));
        assert_eq!(
            contact("mailto:a@example.com?subject=Hi"),
            Some(Message::MissingRealName)
        );
        assert_eq!(contact("mailto:user%40example.com%20%28name%29"), None);
        assert_eq!(contact("Ann"), Some(Message::InvalidContact));
        assert_eq!(contact("Ann <a@example.com>"), None);
    }

    #[test]
    fn mime_languages_integers() {
        assert!(mime_type("image/jpeg"));
        assert!(mime_type("text/html; charset=utf-8"));
        assert!(!mime_type("jpeg"));
        assert!(language("en-us") && language("de"));
        assert!(!language("english") && !language("e"));
        assert_eq!(integer(" 5 "), Some(5));
        assert_eq!(integer("5x"), None);
    }

    #[test]
    fn html_scanning() {
        let f = scan_html(
            r#"<p onclick="x()" style="position: fixed">a <a href="/rel">b</a><img src="http://x/y.png"><script>1</script><a href="a b">c</a></p>"#,
        );
        assert_eq!(f.unsafe_tags, ["script"]);
        assert_eq!(f.handlers, ["onclick"]);
        assert_eq!(f.styles, ["position"]);
        assert_eq!(f.relative, ["/rel"]);
        assert_eq!(f.bad_chars, ["a b"]);
        assert_eq!(
            scan_html("<p style=\"color: red\">x</p>"),
            HtmlFindings::default()
        );
        assert_eq!(dangerous_style("background: yellow; margin: 0 1.5em"), None);
        assert_eq!(
            dangerous_style("margin: 99999em").as_deref(),
            Some("99999em")
        );
        assert_eq!(
            dangerous_style("padding: 1px; border: 1px dashed rgb(1,2,3)"),
            None
        );
    }

    #[test]
    fn html_in_plain_text() {
        assert_eq!(
            looks_like_html("a <b>bold</b>", false).as_deref(),
            Some("</b>")
        );
        assert_eq!(
            looks_like_html("Tom &amp; Jerry", false).as_deref(),
            Some("&amp;")
        );
        assert_eq!(
            looks_like_html("it&#8217;s", false).as_deref(),
            Some("&#8217;")
        );
        assert_eq!(looks_like_html("it&#8217;s", true), None);
        assert_eq!(looks_like_html("Tom & Jerry; a < b; </3>", false), None);
        assert_eq!(looks_like_html("R&D; AT&T", false), None);
    }
}
