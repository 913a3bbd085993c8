//! Tombstones (RFC 6721, "The Atom 'deleted-entry' Element"): which items a build finds
//! withdrawn, and in which Atom feeds they are announced as `at:deleted-entry`.
//!
//! What the previous build published is known from its manifest (`tombstones.published`: each
//! item's id with the folders of the feeds it was in), not from the feeds' text. An item that
//! was published and is no longer (`removed: true`, `published: false`, its file deleted) is
//! withdrawn as of this build's `--now`, and stays announced in those feeds' Atom subscription
//! documents for `tombstone_days`; published again, it is no longer a tombstone.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::group::Catalog;
use crate::model::{Tombstones, Withdrawn};

/// The tombstone namespace of RFC 6721.
pub const NAMESPACE: &str = "http://purl.org/atompub/tombstones/1.0";

/// What this build records and announces, from the catalogue and what the previous build
/// recorded.
pub fn plan(
    catalog: &Catalog,
    previous: Option<&Tombstones>,
    now: DateTime<Utc>,
    days: u32,
) -> Tombstones {
    let mut published: BTreeMap<String, Vec<String>> = catalog
        .items
        .iter()
        .map(|head| (head.id.to_string(), Vec::new()))
        .collect();
    for feed in &catalog.feeds {
        let mut members: Vec<usize> = feed.items.iter().chain(&feed.all).copied().collect();
        members.sort_unstable();
        members.dedup();
        for i in members {
            if let Some(feeds) = published.get_mut(&*catalog.items[i].id) {
                feeds.push(feed.dir.clone());
            }
        }
    }
    let keep = Duration::days(i64::from(days));
    let mut withdrawn: BTreeMap<String, Withdrawn> = BTreeMap::new();
    if let Some(previous) = previous {
        for (id, gone) in &previous.withdrawn {
            if !published.contains_key(id) && now - gone.when < keep && gone.when <= now {
                withdrawn.insert(id.clone(), gone.clone());
            }
        }
        for (id, feeds) in &previous.published {
            if !published.contains_key(id) && !withdrawn.contains_key(id) && !feeds.is_empty() {
                let gone = Withdrawn {
                    when: now,
                    feeds: feeds.clone(),
                };
                withdrawn.insert(id.clone(), gone);
            }
        }
    }
    Tombstones {
        published,
        withdrawn,
    }
}

/// Each feed's tombstones, by the feed's folder: (id, when), in id order.
pub fn by_feed(tombstones: &Tombstones) -> BTreeMap<String, Vec<(String, DateTime<Utc>)>> {
    let mut feeds: BTreeMap<String, Vec<(String, DateTime<Utc>)>> = BTreeMap::new();
    for (id, gone) in &tombstones.withdrawn {
        for dir in &gone.feeds {
            feeds
                .entry(dir.clone())
                .or_default()
                .push((id.clone(), gone.when));
        }
    }
    feeds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Store;
    use crate::group::{Grouping, group};
    use crate::model::{Head, tests::sample_item};

    fn catalog(links: &[&str], store: &Store) -> Catalog {
        let heads = (links.iter())
            .map(|link| {
                let mut item = sample_item(link);
                item.related.clear();
                Box::new(Head::new(&item, store.put(&item)))
            })
            .collect();
        group(heads, &Grouping::default()).0
    }

    fn at(day: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, day, 0, 0, 0).unwrap()
    }

    #[test]
    fn withdrawn_items_are_kept_for_their_days_and_forgotten_when_published_again() {
        let store = Store::memory();
        let (a, b) = ("https://a.example/1", "https://a.example/2");
        let first = plan(&catalog(&[a, b], &store), None, at(1), 3);
        assert!(first.withdrawn.is_empty());
        assert!(first.published[a].contains(&String::new()), "{first:?}");
        // b withdrawn on day 2: announced in the feeds it was in.
        let second = plan(&catalog(&[a], &store), Some(&first), at(2), 3);
        assert_eq!(second.withdrawn[b].when, at(2));
        assert_eq!(second.withdrawn[b].feeds, first.published[b]);
        assert_eq!(by_feed(&second)[""], [(b.to_string(), at(2))]);
        // Still there on day 4, gone on day 5.
        let fourth = plan(&catalog(&[a], &store), Some(&second), at(4), 3);
        assert_eq!(fourth.withdrawn[b].when, at(2));
        assert!(
            plan(&catalog(&[a], &store), Some(&fourth), at(5), 3)
                .withdrawn
                .is_empty()
        );
        // Published again: no tombstone.
        assert!(
            plan(&catalog(&[a, b], &store), Some(&second), at(3), 3)
                .withdrawn
                .is_empty()
        );
    }
}
