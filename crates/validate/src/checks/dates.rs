//! Dates: RFC 822 as RSS uses it (with the W3C service's reading of what is merely
//! "problematical"), RFC 3339 for Atom and JSON Feed, W3C-DTF for Dublin Core, and what counts
//! as an implausible date.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use crate::Message;

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

pub(super) fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
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
}
