//! The one place dates are formatted for output: RFC 2822 for RSS, RFC 3339 for Atom.

use chrono::{DateTime, Utc};

/// RSS 2.0 date (RFC 822 as updated by RFC 1123/2822): `Thu, 11 May 2023 21:44:00 +0000`.
///
/// English day and month names and a numeric `+0000` zone, as the RSS Best Practices Profile
/// recommends; the weekday is computed, so it is always the right one.
pub fn rfc2822(date: &DateTime<Utc>) -> String {
    date.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// Atom date (RFC 3339 §5.6) in UTC with `Z` and whole seconds: `2023-05-11T21:44:00Z`.
pub fn rfc3339(date: &DateTime<Utc>) -> String {
    date.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `atom_syndication` writes dates with `DateTime::to_rfc3339`, which spells UTC `+00:00`.
/// Our dates are all UTC, so each `+00:00` directly closing an `<updated>` or `<published>`
/// element is rewritten to `Z` (element text can never contain a raw `</`, so this matches
/// dates only), giving the same spelling as [`rfc3339`].
pub fn atom_dates_to_zulu(xml: &[u8]) -> Vec<u8> {
    const PATTERNS: [(&[u8], &[u8]); 2] = [
        (b"+00:00</updated>", b"Z</updated>"),
        (b"+00:00</published>", b"Z</published>"),
    ];
    let mut out = Vec::with_capacity(xml.len());
    let mut rest = xml;
    let finder = memchr::memmem::Finder::new(b"+00:00</");
    while let Some(at) = finder.find(rest) {
        out.extend_from_slice(&rest[..at]);
        rest = &rest[at..];
        match PATTERNS.iter().find(|(from, _)| rest.starts_with(from)) {
            Some((from, to)) => {
                out.extend_from_slice(to);
                rest = &rest[from.len()..];
            }
            None => {
                out.push(rest[0]);
                rest = &rest[1..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn rss_dates_have_the_right_weekday_and_zone() {
        let d = Utc.with_ymd_and_hms(2023, 5, 11, 21, 44, 0).unwrap();
        assert_eq!(rfc2822(&d), "Thu, 11 May 2023 21:44:00 +0000");
        let d = Utc.with_ymd_and_hms(2024, 2, 29, 0, 0, 5).unwrap();
        assert_eq!(rfc2822(&d), "Thu, 29 Feb 2024 00:00:05 +0000");
        assert_eq!(
            chrono::DateTime::parse_from_rfc2822(&rfc2822(&d)).unwrap(),
            d
        );
    }

    #[test]
    fn atom_dates_are_zulu() {
        let d = Utc.with_ymd_and_hms(2023, 5, 11, 21, 44, 0).unwrap()
            + chrono::Duration::milliseconds(250);
        assert_eq!(rfc3339(&d), "2023-05-11T21:44:00Z");
    }

    #[test]
    fn zulu_rewrite_touches_only_date_elements() {
        let xml = b"<updated>2023-05-11T21:44:00+00:00</updated><title>+00:00</title><published>2023-05-11T21:44:00+00:00</published>";
        assert_eq!(
            String::from_utf8(atom_dates_to_zulu(xml)).unwrap(),
            "<updated>2023-05-11T21:44:00Z</updated><title>+00:00</title><published>2023-05-11T21:44:00Z</published>"
        );
    }
}
