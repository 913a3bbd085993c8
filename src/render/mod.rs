//! Render: each [`Feed`] of the [`Catalog`] → the bytes of its RSS 2.0, Atom 1.0 and JSON Feed
//! 1.1 files, plus the site files that list them (OPML, index page, optional XSL stylesheet).
//!
//! Only this module knows the feed crates. Rendering is pure: the same catalogue and site always
//! give the same bytes, and no clock is read (a feed's `lastBuildDate`/`updated` is its newest
//! item's date).

pub mod atom;
pub mod content;
pub mod dates;
pub mod json;
pub mod rss;
pub mod site;

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use rayon::prelude::*;

use crate::config::Site;
use crate::error::Error;
use crate::group::Catalog;
use crate::model::{Feed, FeedFormat, FeedInfo, FeedKind, Item, Planned, Rendered};
use crate::store::Damaged;

/// Bumped whenever rendering changes in a way the crate version would not show: it is part of
/// every feed's and site file's fingerprint, so a new renderer re-renders files whose input did
/// not change. `tests/suite/golden.rs` pins it to the golden feeds and site files, so a
/// rendering change cannot forget it.
pub const RENDER_VERSION: u32 = 2;

/// What every renderer needs to know about one feed.
pub struct FeedView<'a> {
    /// The site.
    pub site: &'a Site,
    /// The catalogue the feed's item indices point into.
    pub catalog: &'a Catalog,
    /// The feed.
    pub feed: &'a Feed,
    /// Its items, read from the store (none in an outline: see [`FeedView::outline`]).
    items: Arc<[Item]>,
    /// Channel / feed title.
    pub title: String,
    /// Channel description / Atom subtitle.
    pub description: String,
}

/// A feed's logo: the provider's for provider feeds, else the configured site logo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Logo<'a> {
    /// Absolute URL.
    pub url: &'a str,
    /// Width in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
}

impl<'a> FeedView<'a> {
    /// The view of `feed` with its items, ready to render.
    pub fn new(site: &'a Site, catalog: &'a Catalog, feed: &'a Feed) -> Result<Self, Damaged> {
        let items = load(catalog, feed)?;
        Ok(FeedView::with_items(site, catalog, feed, items))
    }

    /// The view of `feed` with its items, already read.
    fn with_items(
        site: &'a Site,
        catalog: &'a Catalog,
        feed: &'a Feed,
        items: Arc<[Item]>,
    ) -> Self {
        FeedView {
            items,
            ..FeedView::outline(site, catalog, feed)
        }
    }

    /// The view of `feed` without its items: enough to list it (site files).
    pub fn outline(site: &'a Site, catalog: &'a Catalog, feed: &'a Feed) -> Self {
        let (title, description) = match (&feed.kind, &feed.name) {
            (FeedKind::Topic, Some(name)) => (
                format!("{} — {name}", site.title),
                format!("Latest articles about {name} from {}", site.title),
            ),
            (FeedKind::Provider, Some(name)) => (
                format!("{} — {name}", site.title),
                format!("Latest articles from {name}, collected by {}", site.title),
            ),
            _ => (site.title.clone(), site.description.clone()),
        };
        FeedView {
            site,
            catalog,
            feed,
            items: Arc::new([]),
            title,
            description,
        }
    }

    /// The feed's items, newest first.
    pub fn items(&self) -> impl Iterator<Item = &Item> + '_ {
        self.items.iter()
    }

    /// The newest item's date: the feed's last-change date.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.catalog.newest(self.feed)
    }

    /// Absolute URL of this feed's file in `format`.
    pub fn self_url(&self, format: FeedFormat) -> String {
        self.site_url(&format!("{}{}", self.feed.dir, format.file_name()))
    }

    /// Absolute URL of a path below the output folder.
    pub fn site_url(&self, relative: &str) -> String {
        site_url(self.site, relative)
    }

    /// The page a reader's "visit site" opens: the provider's home for provider feeds, else
    /// the site.
    pub fn home_page(&self) -> String {
        self.feed
            .provider
            .as_ref()
            .and_then(|p| p.uri())
            .unwrap_or_else(|| self.site.base_url.to_string())
    }

    /// The feed's logo, if there is one.
    pub fn logo(&self) -> Option<Logo<'a>> {
        match &self.feed.provider {
            Some(provider) => provider.logo.as_ref().map(|l| Logo {
                url: &l.url,
                width: l.width,
                height: l.height,
            }),
            None => self.site.logo.as_deref().map(|url| Logo {
                url,
                width: None,
                height: None,
            }),
        }
    }

    /// The `<?xml-stylesheet?>` href for this feed (relative, so it works from any host and
    /// from disk), when the stylesheet is on.
    pub fn stylesheet_href(&self) -> Option<String> {
        self.site.stylesheet.then(|| {
            let depth = self.feed.dir.matches('/').count();
            format!("{}{}", "../".repeat(depth), site::STYLESHEET)
        })
    }
}

/// Reads the items of `feed` from the store.
fn load(catalog: &Catalog, feed: &Feed) -> Result<Arc<[Item]>, Damaged> {
    feed.items.iter().map(|&i| catalog.item(i)).collect()
}

/// Absolute URL of a path below the output folder.
pub fn site_url(site: &Site, relative: &str) -> String {
    site.base_url
        .join(relative)
        .map(String::from)
        .unwrap_or_else(|_| format!("{}{relative}", site.base_url))
}

/// The date a feed without items claims as its last change: fixed, so output stays
/// deterministic, and after 1990, so validators find it plausible.
pub fn empty_feed_date() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// One file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    /// The feed at this index of the catalogue, in this format.
    Feed(usize, FeedFormat),
    /// A site file.
    Site(site::SiteFile),
}

/// Every file a catalogue renders to, known by path before any is rendered, so the write stage
/// can render them one at a time (in parallel) instead of holding them all in memory.
pub struct Renderer<'a> {
    site: &'a Site,
    catalog: &'a Catalog,
    jobs: Vec<Job>,
    /// The renderer's version and the site settings, hashed once for every fingerprint.
    site_key: u64,
    /// Every item's digest (the item and its topics), computed once, on first use.
    item_digests: std::sync::OnceLock<Vec<u64>>,
    /// Every feed's key (the feed and the digests of its items), computed once, on first use.
    feed_keys: std::sync::OnceLock<Vec<u64>>,
    /// What the index page and the OPML list show of the feeds, hashed once.
    feeds_key: std::sync::OnceLock<u64>,
    /// Each feed's items while its formats are being rendered, with how many formats still
    /// need them: read from the store once per feed, not once per file.
    loaded: Vec<Mutex<Option<Loaded>>>,
}

/// A feed's items, and how many of its formats still need them.
type Loaded = (Arc<[Item]>, usize);

impl<'a> Renderer<'a> {
    /// Plans the files: the site files, then each feed in each format, in catalogue order.
    /// The site files come first because they are the largest single jobs (the index page
    /// lists every feed): one core renders them while the other starts on the feeds, instead
    /// of one core finishing them alone at the end of a rebuild.
    pub fn new(site: &'a Site, catalog: &'a Catalog) -> Self {
        let feeds = (0..catalog.feeds.len())
            .flat_map(|i| site.formats.iter().map(move |&format| Job::Feed(i, format)));
        let jobs = site::SiteFile::all(site)
            .map(Job::Site)
            .chain(feeds)
            .collect();
        let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
        (RENDER_VERSION, env!("CARGO_PKG_VERSION")).hash(&mut hasher);
        site.hash(&mut hasher);
        Renderer {
            site,
            catalog,
            jobs,
            site_key: hasher.finish(),
            item_digests: std::sync::OnceLock::new(),
            feed_keys: std::sync::OnceLock::new(),
            feeds_key: std::sync::OnceLock::new(),
            loaded: catalog.feeds.iter().map(|_| Mutex::new(None)).collect(),
        }
    }

    /// Each item's digest: a hash of everything its entries depend on — the item as
    /// normalised, what grouping decided (its `updated` time, its topics, the related reports
    /// that list it).
    fn item_digests(&self) -> &[u64] {
        // FxHash: fast, and the same on every run and machine (fingerprints are compared across
        // builds).
        self.item_digests.get_or_init(|| {
            let items = &self.catalog.items;
            // Each topic's name and slug hashed once, not once per item that carries it.
            let topics: Vec<u64> = self
                .catalog
                .topics
                .iter()
                .map(|topic| {
                    let mut hasher = rustc_hash::FxHasher::default();
                    topic.hash(&mut hasher);
                    hasher.finish()
                })
                .collect();
            items
                .par_iter()
                .map(|head| {
                    let mut hasher = rustc_hash::FxHasher::default();
                    (head.digest, head.updated).hash(&mut hasher);
                    for &topic in &head.categories {
                        topics.get(topic as usize).hash(&mut hasher);
                    }
                    for &other in &head.mutual {
                        items
                            .get(other as usize)
                            .map(|h| h.digest)
                            .hash(&mut hasher);
                    }
                    hasher.finish()
                })
                .collect()
        })
    }

    /// The items of the feed at `index`: read from the store by the first of its formats to be
    /// rendered, kept for the others, and let go by the last.
    fn items(&self, index: usize) -> Result<Arc<[Item]>, Damaged> {
        let Some(slot) = self.loaded.get(index) else {
            return Ok(Arc::new([]));
        };
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((items, left)) = slot.as_mut() {
            let items = Arc::clone(items);
            *left -= 1;
            if *left == 0 {
                *slot = None;
            }
            return Ok(items);
        }
        let items = load(self.catalog, &self.catalog.feeds[index])?;
        let left = self.site.formats.len().saturating_sub(1);
        if left > 0 {
            *slot = Some((Arc::clone(&items), left));
        }
        Ok(items)
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether there is nothing to render (never: the site files are always there).
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// How many of the files are feeds.
    pub fn feed_count(&self) -> usize {
        self.jobs
            .iter()
            .filter(|j| matches!(j, Job::Feed(..)))
            .count()
    }

    /// The output path of every file, in order.
    pub fn paths(&self) -> Vec<String> {
        self.jobs
            .iter()
            .map(|job| match *job {
                Job::Feed(i, format) => {
                    format!("{}{}", self.catalog.feeds[i].dir, format.file_name())
                }
                Job::Site(file) => file.path().to_string(),
            })
            .collect()
    }

    /// The plan for the write stage: every file's path and, for feeds, the fingerprint of
    /// everything its bytes are made from (see [`Renderer::fingerprint`]).
    pub fn plan(&self) -> Vec<Planned> {
        use rayon::prelude::*;
        // The shared keys first, here: computed in parallel themselves, they must not be
        // started from inside the parallel loop below, where a thread waiting for one could
        // be handed a task that waits for the same key.
        self.feeds_key();
        self.paths()
            .into_par_iter()
            .enumerate()
            .map(|(i, path)| Planned {
                path,
                input: self.fingerprint(i),
            })
            .collect()
    }

    /// A fingerprint of the inputs of the `i`-th file: for a feed the renderer's version, the
    /// format, the site settings, the feed, and every item in it with its topics — all a
    /// feed's bytes depend on; for a site file the site and what it shows of every feed. Equal
    /// fingerprints mean equal bytes, so a rebuild can skip rendering. (From inside a parallel
    /// loop, call it only after [`Renderer::plan`] has computed the keys it shares.)
    pub fn fingerprint(&self, i: usize) -> Option<String> {
        let (feed, format) = match *self.jobs.get(i)? {
            Job::Feed(feed, format) => (feed, format),
            Job::Site(file) => return Some(self.site_fingerprint(file)),
        };
        // XXH3: fast, well mixed, and the same on every run and machine; a value that differs
        // anyway only costs a re-render.
        let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
        (self.site_key, format, self.feed_keys().get(feed)).hash(&mut hasher);
        Some(format!("{:016x}", hasher.finish()))
    }

    /// Each feed's key: the feed (what it groups, where it goes, which items in which order)
    /// and the digest of every item in it. Shared by its formats and by the site files.
    fn feed_keys(&self) -> &[u64] {
        self.feed_keys.get_or_init(|| {
            let digests = self.item_digests();
            self.catalog
                .feeds
                .par_iter()
                .map(|feed| {
                    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
                    feed.hash(&mut hasher);
                    for &item in &feed.items {
                        digests.get(item).hash(&mut hasher);
                    }
                    hasher.finish()
                })
                .collect()
        })
    }

    /// The fingerprint of a site file: the site, and every feed with its newest date (the index
    /// page and the OPML list show no more of the items).
    fn site_fingerprint(&self, file: site::SiteFile) -> String {
        let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
        (self.site_key, file.path()).hash(&mut hasher);
        if file != site::SiteFile::Stylesheet {
            self.feeds_key().hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    }

    fn feeds_key(&self) -> u64 {
        *self.feeds_key.get_or_init(|| {
            let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
            for (feed, key) in self.catalog.feeds.iter().zip(self.feed_keys()) {
                (key, self.catalog.newest(feed)).hash(&mut hasher);
            }
            hasher.finish()
        })
    }

    /// Renders the `i`-th file.
    pub fn render(&self, i: usize) -> Result<Rendered, Error> {
        match self.jobs.get(i) {
            Some(&Job::Feed(index, format)) => {
                let feed = &self.catalog.feeds[index];
                let items = self.items(index).map_err(|source| Error::Cache {
                    path: format!("{}{}", feed.dir, format.file_name()),
                    source,
                })?;
                render_one(
                    &FeedView::with_items(self.site, self.catalog, feed, items),
                    format,
                )
            }
            Some(&Job::Site(file)) => Ok(site::render(self.site, self.catalog, file)),
            None => Err(Error::Render {
                path: format!("#{i}"),
                message: "no such file planned".into(),
            }),
        }
    }
}

/// Renders every file of the catalogue into memory, in order (for tests and small tools; the
/// build streams through [`Renderer`] instead).
pub fn render_all(site: &Site, catalog: &Catalog) -> Result<Vec<Rendered>, Error> {
    let renderer = Renderer::new(site, catalog);
    (0..renderer.len())
        .into_par_iter()
        .map(|i| renderer.render(i))
        .collect()
}

fn render_one(view: &FeedView<'_>, format: FeedFormat) -> Result<Rendered, Error> {
    let path = format!("{}{}", view.feed.dir, format.file_name());
    let mut bytes = match format {
        FeedFormat::Rss => rss::render(view),
        FeedFormat::Atom => atom::render(view),
        FeedFormat::Json => json::render(view),
    }
    .map_err(|message| Error::Render {
        path: path.clone(),
        message,
    })?;
    if let (Some(href), FeedFormat::Rss | FeedFormat::Atom) = (view.stylesheet_href(), format) {
        bytes = site::with_stylesheet(&bytes, &href);
    }
    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    Ok(Rendered {
        path,
        feed: Some(FeedInfo {
            format,
            title: view.title.clone(),
            items: view.feed.items.len(),
            newest: view.newest().map(|d| dates::rfc3339(&d)),
        }),
        bytes,
    })
}
