//! Parsing the date shapes article files use, into UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses a publication date.
///
/// Accepted, in order: RFC 3339 with any offset (`2019-12-08T08:00:00-08:00`, also with a
/// space for `T`), `YYYY-MM-DD HH:MM:SS ±HHMM` (Jekyll), a date and time without offset (taken
/// as UTC), a bare date (midnight UTC), and RFC 2822.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f %z", "%Y-%m-%dT%H:%M:%S%.f%z"] {
        if let Ok(dt) = DateTime::parse_from_str(text, format) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Utc.from_utc_datetime(&naive));
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|n| Utc.from_utc_datetime(&n));
    }
    DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|dt| dt.with_timezone(&Utc))
}

/// The earliest date accepted: the W3C validator calls anything older implausible.
pub fn earliest() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(1990, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn corpus_shapes() {
        assert_eq!(
            parse_date("2023-05-11T21:44:00Z"),
            Some(utc("2023-05-11T21:44:00Z"))
        );
        assert_eq!(
            parse_date("2019-12-08T08:00:00-08:00"),
            Some(utc("2019-12-08T16:00:00Z"))
        );
    }

    #[test]
    fn other_shapes() {
        let want = Some(utc("2019-12-08T16:00:00Z"));
        assert_eq!(parse_date("2019-12-08 08:00:00 -0800"), want);
        assert_eq!(parse_date("2019-12-08 16:00:00"), want);
        assert_eq!(parse_date("2019-12-08T16:00"), want);
        assert_eq!(parse_date("Sun, 08 Dec 2019 16:00:00 +0000"), want);
        assert_eq!(parse_date("2019-12-08"), Some(utc("2019-12-08T00:00:00Z")));
        assert_eq!(
            parse_date(" 2019-12-08T16:00:00.5Z "),
            Some(utc("2019-12-08T16:00:00.5Z"))
        );
    }

    #[test]
    fn garbage_is_none() {
        for bad in [
            "",
            "yesterday",
            "2019-13-01",
            "2019-02-30T00:00:00Z",
            "12/08/2019",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
