//! What each kind of item shows beyond what every item shows, shared by the three formats: a
//! line of facts before the summary (a video's length, an event's start, end and location, a
//! course's or book's provider, authors, levels, price and rating), and the download a
//! download offers.
//!
//! A plain article has no facts: its summary is borrowed as it is, so kinds cost nothing
//! where they are not used.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::model::{Details, Download, Entry, Kind};

/// The facts a reader is told first about an item of this kind, as one line of plain text;
/// `None` for the kinds that have nothing to add (articles, answers, newsletters, kinds of
/// their own).
pub fn facts(item: &Entry) -> Option<String> {
    let d: &Details = &item.details;
    let mut line = String::new();
    match &item.kind {
        Kind::Video => {
            line.push_str("Video");
            if let Some(seconds) = d.duration {
                let _ = write!(line, ", {}", clock(seconds));
            }
        }
        Kind::Event => {
            line.push_str("Event");
            let mut parts: Vec<String> = Vec::new();
            parts.extend(d.start.map(|s| format!("starts {}", when(&s))));
            parts.extend(d.end.map(|e| format!("ends {}", when(&e))));
            parts.extend(d.location.as_ref().map(|l| format!("location: {l}")));
            if !parts.is_empty() {
                line.push_str(": ");
                line.push_str(&parts.join("; "));
            }
        }
        Kind::Course | Kind::Book => {
            line.push_str(if item.kind == Kind::Course {
                "Course"
            } else {
                "Book"
            });
            let by = item.provider.as_ref().map(|p| p.name.as_str());
            match (by, d.authors.is_empty()) {
                (Some(by), true) => {
                    let _ = write!(line, " by {by}");
                }
                (Some(by), false) => {
                    let _ = write!(line, " by {by} ({})", d.authors.join(", "));
                }
                (None, false) => {
                    let _ = write!(line, " by {}", d.authors.join(", "));
                }
                (None, true) => {}
            }
            let label = if d.levels.len() > 1 {
                "levels"
            } else {
                "level"
            };
            let parts = [
                (!d.levels.is_empty()).then(|| format!("{label}: {}", d.levels.join(", "))),
                d.length.as_ref().map(|l| format!("length: {l}")),
                d.price.as_ref().map(|p| format!("price: {p}")),
                d.rating.as_ref().map(|r| format!("rating: {r}")),
            ];
            for part in parts.into_iter().flatten() {
                line.push_str("; ");
                line.push_str(&part);
            }
        }
        Kind::Collection => {
            let n = d.members.len();
            let _ = write!(
                line,
                "Collection of {n} item{}",
                if n == 1 { "" } else { "s" }
            );
        }
        Kind::Download => {
            line.push_str("Download");
            if let Some(mime) = d.download.as_ref().and_then(|f| f.mime.as_deref()) {
                let _ = write!(line, " ({mime})");
            }
        }
        Kind::Article | Kind::Answer | Kind::Newsletter | Kind::Profile | Kind::Other(_) => {
            return None;
        }
    }
    Some(line)
}

/// The plain-text summary a feed shows: the item's facts, then its excerpt.
pub fn summary(item: &Entry) -> Option<Cow<'_, str>> {
    match (facts(item), item.summary.as_deref()) {
        (None, summary) => summary.map(Cow::Borrowed),
        (Some(facts), None) => Some(Cow::Owned(facts)),
        (Some(facts), Some(summary)) => Some(Cow::Owned(format!("{facts}. {summary}"))),
    }
}

/// The file a download offers, when its type is known (an enclosure must state one).
pub fn enclosure(item: &Entry) -> Option<(&str, &str)> {
    let Download { url, mime } = item.details.download.as_ref()?;
    Some((url, mime.as_deref()?))
}

/// `4:51`, `1:02:03`.
pub fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// `2026-03-12 09:00 UTC`.
fn when(time: &DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, Provider};

    fn entry(kind: Kind, details: Details, summary: Option<&str>) -> Entry {
        let mut item: Item = crate::model::tests::sample_item("https://a.org/");
        item.kind = kind;
        item.details = details;
        item.summary = summary.map(String::from);
        item.provider = Some(Provider {
            name: "Udacity".into(),
            domain: None,
            logo: None,
        });
        Entry {
            published: item.published.unwrap_or_default(),
            updated: item.published.unwrap_or_default(),
            item,
            categories: vec![],
            mutual: vec![],
            members: vec![],
        }
    }

    #[test]
    fn plain_articles_borrow_their_summary() {
        let e = entry(Kind::Article, Details::default(), Some("S"));
        assert!(matches!(summary(&e), Some(Cow::Borrowed("S"))));
        assert_eq!(
            facts(&entry(
                Kind::Other("podcast".into()),
                Details::default(),
                None
            )),
            None
        );
    }

    #[test]
    fn facts_by_kind() {
        let video = Details {
            duration: Some(291),
            ..Details::default()
        };
        let e = entry(Kind::Video, video, Some("Intro."));
        assert_eq!(summary(&e).as_deref(), Some("Video, 4:51. Intro."));
        let start = "2026-03-12T09:00:00Z".parse().ok();
        let event = Details {
            start,
            location: Some("Berlin".into()),
            ..Details::default()
        };
        assert_eq!(
            facts(&entry(Kind::Event, event, None)).as_deref(),
            Some("Event: starts 2026-03-12 09:00 UTC; location: Berlin")
        );
        let course = Details {
            authors: vec!["Katie Malone".into(), "Sebastian Thrun".into()],
            levels: vec!["Intermediate".into()],
            length: Some("10 Weeks".into()),
            price: Some("Free".into()),
            ..Details::default()
        };
        assert_eq!(
            facts(&entry(Kind::Course, course, None)).as_deref(),
            Some(
                "Course by Udacity (Katie Malone, Sebastian Thrun); level: Intermediate; length: 10 Weeks; price: Free"
            )
        );
        assert_eq!(clock(3723), "1:02:03");
        assert_eq!(clock(60), "1:00");
    }
}
