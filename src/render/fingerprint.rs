//! Fingerprints: a hash of everything a file's bytes are made from, computed up front for every
//! planned file. Equal fingerprints mean equal bytes, so a rebuild that finds a file's
//! fingerprint in the previous manifest skips rendering it.
//!
//! - a feed: the renderer's version, the site settings, the format, the feed (what it groups,
//!   where it goes, which items in which order) and every item in it as normalised, with what
//!   grouping decided about it (its `updated` time, its topics, the reports that list it, a
//!   collection's members);
//! - a site file (index page, OPML list): the site, and every feed's key with its newest date
//!   (they show no more of the items); the stylesheet and the headers file: the site only.
//!
//! XXH3 throughout: fast, well mixed, and the same on every run and machine. A value that
//! differs anyway only costs a re-render.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use super::RENDER_VERSION;
use super::site::SiteFile;
use crate::config::Site;
use crate::group::Catalog;
use crate::model::{Feed, FeedFormat, stable_hash};

/// The fingerprints of one catalogue's files; the keys they share are computed once, on
/// first use.
pub struct Fingerprints<'a> {
    catalog: &'a Catalog,
    /// The renderer's version and the site settings, hashed once for every fingerprint.
    site_key: u64,
    /// Every item's digest (the item and what grouping decided about it).
    item_digests: OnceLock<Vec<u64>>,
    /// Every feed's key (the feed and the digests of its items): shared by its formats and by
    /// the site files.
    feed_keys: OnceLock<Vec<u64>>,
    /// What the index page and the OPML list show of the feeds.
    feeds_key: OnceLock<u64>,
}

impl<'a> Fingerprints<'a> {
    /// The fingerprints of `catalog`'s files as rendered for `site`.
    pub fn new(site: &Site, catalog: &'a Catalog) -> Self {
        Fingerprints {
            catalog,
            site_key: stable_hash(&(RENDER_VERSION, env!("CARGO_PKG_VERSION"), site)),
            item_digests: OnceLock::new(),
            feed_keys: OnceLock::new(),
            feeds_key: OnceLock::new(),
        }
    }

    /// Computes the shared keys. Call it before asking for fingerprints from inside a
    /// parallel loop: the keys are computed in parallel themselves, and a thread waiting for
    /// one there could be handed a task that waits for the same key.
    pub fn prepare(&self) {
        self.feeds_key();
    }

    /// The fingerprint of the feed at `feed` in `format`.
    pub fn feed(&self, feed: usize, format: FeedFormat) -> String {
        let key = self.feed_keys().get(feed);
        format!("{:016x}", stable_hash(&(self.site_key, format, key)))
    }

    /// The fingerprint of the feed at `feed` in `format` with archive pages: its newest page's
    /// number, which its `prev-archive` link names, is part of it.
    pub fn archived_feed(&self, feed: usize, format: FeedFormat, newest_page: usize) -> String {
        let key = self.feed_keys().get(feed);
        format!(
            "{:016x}",
            stable_hash(&(self.site_key, format, key, "archived", newest_page))
        )
    }

    /// The fingerprint of an archive page in `format`: the page as a feed of its own (its
    /// feed's metadata and its items), its number and how many pages there are (its links).
    pub fn page(&self, page: &Feed, format: FeedFormat, number: usize, pages: usize) -> String {
        let digests = self.item_digests();
        let mut hasher = Xxh3Default::new();
        (
            self.site_key,
            format,
            "page",
            page,
            number,
            pages.min(number + 1),
        )
            .hash(&mut hasher);
        for &item in &page.items {
            digests.get(item).hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    }

    /// The fingerprint of a site file.
    pub fn site_file(&self, file: SiteFile) -> String {
        let mut hasher = Xxh3Default::new();
        (self.site_key, file.path()).hash(&mut hasher);
        if !file.site_only() {
            self.feeds_key().hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    }

    /// Each item's digest: a hash of everything its entries depend on — the item as
    /// normalised and what grouping decided about it.
    fn item_digests(&self) -> &[u64] {
        self.item_digests.get_or_init(|| {
            let catalog = self.catalog;
            // Each topic's name and slug hashed once, not once per item that carries it.
            let topics: Vec<u64> = catalog.topics.iter().map(stable_hash).collect();
            catalog
                .items
                .par_iter()
                .zip(&catalog.placed)
                .enumerate()
                .map(|(i, (head, placed))| {
                    let mut hasher = Xxh3Default::new();
                    (head.digest, placed.updated).hash(&mut hasher);
                    for &topic in &placed.categories {
                        topics.get(topic as usize).hash(&mut hasher);
                    }
                    for &other in &placed.mutual {
                        (catalog.items.get(other as usize))
                            .map(|h| h.digest)
                            .hash(&mut hasher);
                    }
                    // Only collections have members: other items hash as they always did.
                    let members = catalog.members(i);
                    if !members.is_empty() {
                        members.len().hash(&mut hasher);
                        for &member in members {
                            (catalog.items.get(member as usize))
                                .map(|h| h.digest)
                                .hash(&mut hasher);
                        }
                    }
                    hasher.finish()
                })
                .collect()
        })
    }

    fn feed_keys(&self) -> &[u64] {
        self.feed_keys.get_or_init(|| {
            let digests = self.item_digests();
            self.catalog
                .feeds
                .par_iter()
                .map(|feed| {
                    let mut hasher = Xxh3Default::new();
                    feed.hash(&mut hasher);
                    for &item in &feed.items {
                        digests.get(item).hash(&mut hasher);
                    }
                    hasher.finish()
                })
                .collect()
        })
    }

    fn feeds_key(&self) -> u64 {
        *self.feeds_key.get_or_init(|| {
            let mut hasher = Xxh3Default::new();
            for (feed, key) in self.catalog.feeds.iter().zip(self.feed_keys()) {
                (key, self.catalog.newest(feed)).hash(&mut hasher);
            }
            hasher.finish()
        })
    }
}
