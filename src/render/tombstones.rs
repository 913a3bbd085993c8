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
