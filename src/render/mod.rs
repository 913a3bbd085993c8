//! Render: each [`Feed`] of the [`Catalog`] → the bytes of its RSS 2.0, Atom 1.0 and JSON Feed
//! 1.1 files, plus the site files that list them (OPML, index page, optional XSL stylesheet).
//!
//! Only this module knows the feed crates. Rendering is pure: the same catalogue and site always
//! give the same bytes, and no clock is read (a feed's `lastBuildDate`/`updated` is its newest
//! item's date).

mod archive;
pub mod atom;
mod blocks;
pub mod content;
pub mod dates;
mod fingerprint;
pub mod headers;
pub mod json;
pub mod kinds;
pub mod rss;
pub mod site;
pub mod tombstones;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use rayon::prelude::*;

use crate::config::Site;
use crate::error::{Damaged, Error};
use crate::group::Catalog;
use crate::model::{Entry, Feed, FeedFormat, FeedInfo, FeedKind, ItemSource, Planned, Rendered};
pub use archive::{Archives, Page, plan as plan_archives};
use fingerprint::Fingerprints;

/// Bumped whenever rendering changes in a way the crate version would not show: it is part of
/// every feed's and site file's fingerprint, so a new renderer re-renders files whose input did
/// not change. `tests/suite/golden.rs` pins it to the golden feeds and site files, so a
/// rendering change cannot forget it.
pub const RENDER_VERSION: u32 = 3;

/// What every renderer needs to know about one feed.
pub struct FeedView<'a> {
    /// The site.
    pub site: &'a Site,
    /// The catalogue the feed's item indices point into.
    pub catalog: &'a Catalog,
    /// The feed.
    pub feed: &'a Feed,
    /// Its items, read from the item source (none in an outline: see [`FeedView::outline`]).
    items: Arc<[Entry]>,
    /// Channel / feed title.
    pub title: String,
    /// Channel description / Atom subtitle.
    pub description: String,
    /// Where the document stands in its feed's archive (RFC 5005).
    pub history: History,
    /// Withdrawn items to announce (RFC 6721; Atom subscription documents only): id, when.
    pub tombstones: &'a [(String, DateTime<Utc>)],
    /// For a document's frame (its items' blocks are put in later, see `blocks`): what the
    /// feed's own elements need to know of the items, which [`FeedView::items`] does not hold.
    frame: Option<blocks::Frame>,
}

/// Where a document stands among its feed's archive documents (RFC 5005 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// A feed without archive pages.
    None,
    /// The subscription document of a feed with archive pages: it links the newest.
    Subscription {
        /// The newest archive page's number.
        newest: usize,
    },
    /// An archive page.
    Archive {
        /// Its number (1: the oldest).
        number: usize,
        /// How many pages the feed has.
        pages: usize,
    },
}

/// The path of archive page `number` of the feed in `dir`, in `format`:
/// `<dir>archive/rss-0001.xml`, `atom-0001.xml`, `feed-0001.json`.
pub fn page_path(dir: &str, format: FeedFormat, number: usize) -> String {
    let (stem, extension) = format
        .file_name()
        .split_once('.')
        .unwrap_or((format.file_name(), ""));
    format!("{dir}archive/{stem}-{number:04}.{extension}")
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
    /// The view of `feed` with its items, already read.
    fn with_items(
        site: &'a Site,
        catalog: &'a Catalog,
        feed: &'a Feed,
        items: Arc<[Entry]>,
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
            (FeedKind::Kind, Some(name)) => (
                format!("{} — {name}", site.title),
                if feed.dir == "kinds/event/" {
                    format!("Events from {}, by start date", site.title)
                } else {
                    format!("Latest {} from {}", name.to_lowercase(), site.title)
                },
            ),
            (FeedKind::Defined, Some(name)) => (
                format!("{} — {name}", site.title),
                feed.description
                    .clone()
                    .unwrap_or_else(|| format!("{name}, from {}", site.title)),
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
            history: History::None,
            tombstones: &[],
            frame: None,
        }
    }

    /// The feed's items, newest first.
    pub fn items(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.items.iter()
    }

    /// About how many bytes the document will take, so that its buffer is allocated once
    /// instead of grown (and copied) while it is written: each item's text about twice
    /// (summary and content), its markup, and the feed's own.
    pub fn size_hint(&self) -> usize {
        let items: usize = (self.items.iter())
            .map(|e| {
                let text = e.item.body_html.as_ref().map_or(0, String::len)
                    + e.item.summary.as_ref().map_or(0, String::len);
                2 * text + e.item.title.len() + 1536
            })
            .sum();
        items + 4096
    }

    /// The newest item's date: the feed's last-change date.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.catalog.newest(self.feed)
    }

    /// Absolute URL of this document in `format`: the feed's file, or the archive page's.
    pub fn self_url(&self, format: FeedFormat) -> String {
        match self.history {
            History::Archive { number, .. } => self.page_url(format, number),
            _ => self.current_url(format),
        }
    }

    /// Absolute URL of the feed's own file (its subscription document) in `format`.
    pub fn current_url(&self, format: FeedFormat) -> String {
        self.site_url(&format!("{}{}", self.feed.dir, format.file_name()))
    }

    /// Absolute URL of the feed's archive page `number` in `format`.
    pub fn page_url(&self, format: FeedFormat, number: usize) -> String {
        self.site_url(&page_path(&self.feed.dir, format, number))
    }

    /// The RFC 5005 links of this document: (relation, page number) for `prev-archive` and
    /// `next-archive` (`current` is [`FeedView::current_url`], for archive pages).
    pub fn history_links(&self) -> Vec<(&'static str, usize)> {
        match self.history {
            History::None => Vec::new(),
            History::Subscription { newest } => vec![("prev-archive", newest)],
            History::Archive { number, pages } => {
                let mut links = Vec::new();
                if number > 1 {
                    links.push(("prev-archive", number - 1));
                }
                if number < pages {
                    links.push(("next-archive", number + 1));
                }
                links
            }
        }
    }

    /// Whether this document is an archive page.
    pub fn is_archive(&self) -> bool {
        matches!(self.history, History::Archive { .. })
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
            let depth = self.feed.dir.matches('/').count() + usize::from(self.is_archive());
            format!("{}{}", "../".repeat(depth), site::STYLESHEET)
        })
    }
}

/// Reads the items of `feed` from `source`.
fn load(catalog: &Catalog, source: &dyn ItemSource, feed: &Feed) -> Result<Arc<[Entry]>, Damaged> {
    feed.items
        .iter()
        .map(|&i| catalog.entry(i, source))
        .collect()
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
    /// The archive page at this index of [`Archives::pages`], in this format.
    Page(usize, FeedFormat),
    /// A site file.
    Site(site::SiteFile),
}

/// Every file a catalogue renders to, known by path before any is rendered, so the write stage
/// can render them one at a time (in parallel) instead of holding them all in memory.
pub struct Renderer<'a> {
    site: &'a Site,
    catalog: &'a Catalog,
    /// Where the items are.
    source: &'a dyn ItemSource,
    jobs: Vec<Job>,
    /// What each file is rendered from, hashed.
    fingerprints: Fingerprints<'a>,
    /// The items' blocks of archive pages, kept for the next page that shows them.
    shelf: blocks::Shelf,
    /// The order to render the jobs in (see [`Renderer::order`]).
    order: Vec<usize>,
    /// Whether documents are rendered as frames with their items' blocks put in (the same
    /// bytes). Blocks pay where items are on several documents: with archive pages. Without,
    /// each item is on few documents, and a document is rendered whole.
    splice: bool,
    /// Each feed's items' blocks (then each archive page's) while its formats are being
    /// rendered, with how many formats still need them: rendered once per feed, not once
    /// per file.
    loaded: Vec<Mutex<Option<Loaded>>>,
    /// The archive pages.
    archives: Archives,
    /// Largest document, in bytes.
    max_bytes: usize,
    /// What tombstones need recorded (`None`: tombstones are off).
    tombstones: Option<crate::model::Tombstones>,
    /// The tombstones each feed's Atom subscription document announces, by folder.
    deleted: std::collections::BTreeMap<String, Vec<(String, DateTime<Utc>)>>,
}

/// A document's items, read or rendered once for all its formats, and how many of its
/// formats still need them.
type Loaded = (Items, usize);

/// A document's items, as its formats take them.
#[derive(Clone)]
enum Items {
    /// Read, for documents rendered whole.
    Read(Arc<[Entry]>),
    /// Rendered, for documents whose frame takes the items' blocks.
    Rendered(Arc<[Arc<blocks::Blocks>]>),
}

/// Most bytes of item blocks kept at once (see `blocks`). Pages are rendered about in date
/// order, so an item's pages mostly follow each other closely; a sparse topic's page, though,
/// spans years. At 100,000 articles with archives, 434,129 page items take 127,915 renders
/// with this bound, against 89,883 (one per item) with no bound, which would keep 80 MB.
const SHELF_BYTES: usize = 32 << 20;

impl<'a> Renderer<'a> {
    /// Plans the files: the site files, then each feed in each format, in catalogue order.
    /// The site files come first because they are the largest single jobs (the index page
    /// lists every feed): one core renders them while the other starts on the feeds, instead
    /// of one core finishing them alone at the end of a rebuild.
    pub fn new(site: &'a Site, catalog: &'a Catalog, source: &'a dyn ItemSource) -> Self {
        Self::with_archives(
            site,
            catalog,
            source,
            Archives::default(),
            crate::config::DEFAULT_MAX_BYTES,
        )
    }

    /// [`Renderer::new`] with the archive pages planned for the catalogue (see
    /// [`plan_archives`]), each after its feed, and the budget every document keeps to.
    pub fn with_archives(
        site: &'a Site,
        catalog: &'a Catalog,
        source: &'a dyn ItemSource,
        archives: Archives,
        max_bytes: usize,
    ) -> Self {
        let mut jobs: Vec<Job> = site::SiteFile::all(site).map(Job::Site).collect();
        let mut pages = archives.pages.iter().enumerate().peekable();
        for i in 0..catalog.feeds.len() {
            jobs.extend(site.formats.iter().map(|&format| Job::Feed(i, format)));
            while let Some((p, _)) = pages.next_if(|(_, page)| page.feed == i) {
                jobs.extend(site.formats.iter().map(|&format| Job::Page(p, format)));
            }
        }
        let order = order(catalog, &archives, &jobs);
        // Every page takes its items' blocks once, for all its formats, at its rank: where
        // its first format comes in `order`.
        let mut rank = vec![u32::MAX; archives.pages.len()];
        for (n, &job) in order.iter().enumerate() {
            if let Some(&Job::Page(p, _)) = jobs.get(job) {
                rank[p] = rank[p].min(n as u32);
            }
        }
        let uses: Vec<(usize, u32)> = (archives.pages.iter().zip(&rank))
            .flat_map(|(page, &rank)| page.items.items.iter().map(move |&i| (i, rank)))
            .collect();
        // Without pages, no shelf (see `Renderer::splice`).
        let shelved = if archives.pages.is_empty() {
            0
        } else {
            catalog.items.len()
        };
        let shelf = blocks::Shelf::new(shelved, &uses, SHELF_BYTES);
        Renderer {
            site,
            catalog,
            source,
            jobs,
            fingerprints: Fingerprints::new(site, catalog),
            shelf,
            order,
            splice: !archives.pages.is_empty(),
            loaded: (0..catalog.feeds.len() + archives.pages.len())
                .map(|_| Mutex::new(None))
                .collect(),
            archives,
            max_bytes,
            tombstones: None,
            deleted: Default::default(),
        }
    }

    /// With tombstones (see [`tombstones::plan`]): Atom subscription documents announce the
    /// items withdrawn from them.
    pub fn with_tombstones(mut self, tombstones: crate::model::Tombstones) -> Self {
        self.deleted = tombstones::by_feed(&tombstones);
        self.tombstones = Some(tombstones);
        self
    }

    /// What tombstones need recorded in the manifest (`None`: tombstones are off).
    pub fn tombstones(&self) -> Option<&crate::model::Tombstones> {
        self.tombstones.as_ref()
    }

    /// The tombstones the document of `job` announces.
    fn deleted(&self, job: Job) -> &[(String, DateTime<Utc>)] {
        match job {
            Job::Feed(i, FeedFormat::Atom) => (self.catalog.feeds.get(i))
                .and_then(|feed| self.deleted.get(&feed.dir))
                .map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    /// The archive pages planned.
    pub fn archives(&self) -> &Archives {
        &self.archives
    }

    /// The feed a job renders: a feed of the catalogue or an archive page.
    fn feed_of(&self, job: Job) -> Option<&Feed> {
        match job {
            Job::Feed(i, _) => self.catalog.feeds.get(i),
            Job::Page(p, _) => Some(&self.archives.pages.get(p)?.items),
            Job::Site(_) => None,
        }
    }

    /// The items of `job`'s document, read or (with [`Renderer::splice`]) rendered as
    /// blocks by the first of its formats, kept for the others, and let go by the last. A
    /// page takes its blocks from the shelf, where pages before it may have left them, and
    /// leaves them there for the pages after it.
    fn items_of(&self, job: Job, feed: &Feed) -> Result<Items, Damaged> {
        let slot = match job {
            Job::Feed(i, _) => self.loaded.get(i),
            Job::Page(p, _) => self.loaded.get(self.catalog.feeds.len() + p),
            Job::Site(_) => None,
        };
        let mut slot = slot.map(|s| s.lock().unwrap_or_else(|e| e.into_inner()));
        if let Some(slot) = slot.as_deref_mut()
            && let Some((items, left)) = slot.as_mut()
        {
            let items = items.clone();
            *left -= 1;
            if *left == 0 {
                *slot = None;
            }
            return Ok(items);
        }
        let items = match job {
            _ if !self.splice => Items::Read(load(self.catalog, self.source, feed)?),
            Job::Page(..) => {
                // The items another page is taking this moment are taken last (see
                // `Shelf::take_if_free`).
                let mut taken: Vec<Option<Arc<blocks::Blocks>>> = (feed.items.iter())
                    .map(|&i| self.shelf.take_if_free(i, false, || self.blocks(i)))
                    .map(Option::transpose)
                    .collect::<Result<_, _>>()?;
                for (&i, slot) in feed.items.iter().zip(&mut taken) {
                    if slot.is_none() {
                        let blocks = self.shelf.take_if_free(i, true, || self.blocks(i));
                        *slot = Some(blocks.unwrap_or_else(|| self.blocks(i).map(Arc::new))?);
                    }
                }
                Items::Rendered(taken.into_iter().flatten().collect())
            }
            _ => Items::Rendered(
                (feed.items.iter())
                    .map(|&i| {
                        self.shelf
                            .get(i)
                            .map_or_else(|| self.blocks(i).map(Arc::new), Ok)
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        let left = self.site.formats.len().saturating_sub(1);
        if let Some(slot) = slot.as_deref_mut()
            && left > 0
        {
            *slot = Some((items.clone(), left));
        }
        Ok(items)
    }

    /// The order to render the files in (indices into [`Renderer::paths`]; empty: as
    /// listed): the site files, then the documents by their newest item, oldest first. An
    /// item's archive pages (in the feed of everything, its topics', …) then come close
    /// together, and its blocks wait on the shelf only for a short while.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether there is nothing to render (never: the site files are always there).
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// How many of the files are feeds (archive pages included).
    pub fn feed_count(&self) -> usize {
        self.jobs
            .iter()
            .filter(|j| !matches!(j, Job::Site(..)))
            .count()
    }

    fn path(&self, job: Job) -> String {
        match job {
            Job::Feed(i, format) => {
                format!("{}{}", self.catalog.feeds[i].dir, format.file_name())
            }
            Job::Page(p, format) => {
                let page = &self.archives.pages[p];
                page_path(&page.items.dir, format, page.number)
            }
            Job::Site(file) => file.path().to_string(),
        }
    }

    /// The output path of every file, in order.
    pub fn paths(&self) -> Vec<String> {
        self.jobs.iter().map(|&job| self.path(job)).collect()
    }

    /// The plan for the write stage: every file's path and the fingerprint of everything its
    /// bytes are made from (see the `fingerprint` module): a file whose fingerprint the previous
    /// manifest lists need not be rendered again.
    pub fn plan(&self) -> Vec<Planned> {
        // The shared keys first, here: computed in parallel themselves, they must not be
        // started from inside the parallel loop below, where a thread waiting for one could
        // be handed a task that waits for the same key.
        self.fingerprints.prepare();
        self.jobs
            .par_iter()
            .map(|&job| Planned {
                path: self.path(job),
                input: Some(match job {
                    Job::Feed(feed, format) => {
                        let fingerprint = match self.archives.count(feed) {
                            0 => self.fingerprints.feed(feed, format),
                            newest => self.fingerprints.archived_feed(feed, format, newest),
                        };
                        match self.deleted(job) {
                            [] => fingerprint,
                            deleted => {
                                format!("{fingerprint}-{:016x}", crate::model::stable_hash(deleted))
                            }
                        }
                    }
                    Job::Page(p, format) => {
                        let page = &self.archives.pages[p];
                        self.fingerprints
                            .page(&page.items, format, page.number, page.pages)
                    }
                    Job::Site(file) => self.fingerprints.site_file(file),
                }),
            })
            .collect()
    }

    /// The planned files of each archive page ([`Archives::pages`], in order): one per format.
    pub fn page_plan(&self) -> Vec<Vec<Planned>> {
        self.fingerprints.prepare();
        (0..self.archives.pages.len())
            .into_par_iter()
            .map(|p| {
                let page = &self.archives.pages[p];
                (self.site.formats.iter())
                    .map(|&format| Planned {
                        path: self.path(Job::Page(p, format)),
                        input: Some(self.fingerprints.page(
                            &page.items,
                            format,
                            page.number,
                            page.pages,
                        )),
                    })
                    .collect()
            })
            .collect()
    }

    /// Renders the `i`-th file.
    pub fn render(&self, i: usize) -> Result<Rendered, Error> {
        let Some(&job) = self.jobs.get(i) else {
            return Err(Error::Render {
                path: format!("#{i}"),
                message: "no such file planned".into(),
            });
        };
        let (history, format) = match job {
            Job::Site(file) => return Ok(site::render(self.site, self.catalog, file)),
            Job::Feed(i, format) => (
                match self.archives.count(i) {
                    0 => History::None,
                    newest => History::Subscription { newest },
                },
                format,
            ),
            Job::Page(p, format) => {
                let page = &self.archives.pages[p];
                (
                    History::Archive {
                        number: page.number,
                        pages: page.pages,
                    },
                    format,
                )
            }
        };
        let Some(feed) = self.feed_of(job) else {
            return Err(Error::Render {
                path: self.path(job),
                message: "no such feed".into(),
            });
        };
        let view = FeedView {
            history,
            tombstones: self.deleted(job),
            ..FeedView::outline(self.site, self.catalog, feed)
        };
        let cache_error = |source| Error::Cache {
            path: self.path(job),
            source,
        };
        let items = match self.items_of(job, feed).map_err(cache_error)? {
            Items::Rendered(items) => match self.spliced(&view, format, &items) {
                Some(rendered) => return Ok(rendered),
                None => load(self.catalog, self.source, feed).map_err(cache_error)?,
            },
            Items::Read(items) => items,
        };
        let view = FeedView { items, ..view };
        render_one(&view, format, self.max_bytes)
    }

    /// The document of `view` in `format`, its frame rendered and the items' blocks put in
    /// (see `blocks`); `None` when it must be rendered whole: a block could not be cut out,
    /// or the document is over its budget and its items must be cut.
    fn spliced(
        &self,
        view: &FeedView<'_>,
        format: FeedFormat,
        items: &[Arc<blocks::Blocks>],
    ) -> Option<Rendered> {
        let frame = FeedView {
            frame: Some(blocks::Frame::of(items.iter().map(|b| &**b))),
            history: view.history,
            tombstones: view.tombstones,
            ..FeedView::outline(view.site, view.catalog, view.feed)
        };
        let bytes = render_bytes(&frame, format).ok()?;
        let bytes = blocks::splice(bytes, format, items)
            .filter(|b| b.len() <= self.max_bytes || !items.iter().any(|i| i.body))?;
        Some(rendered(view, format, bytes))
    }

    /// Item `i` rendered in each format the site writes.
    fn blocks(&self, i: usize) -> Result<blocks::Blocks, Damaged> {
        let entry = self.catalog.entry(i, self.source)?;
        let (site, catalog) = (self.site, self.catalog);
        Ok(blocks::Blocks::new(
            &entry,
            &site.formats,
            |format| match format {
                FeedFormat::Rss => rss::item_block(site, catalog, &entry),
                FeedFormat::Atom => atom::entry_block(catalog, &entry),
                FeedFormat::Json => json::item_block(catalog, &entry),
            },
        ))
    }
}

/// See [`Renderer::order`].
fn order(catalog: &Catalog, archives: &Archives, jobs: &[Job]) -> Vec<usize> {
    // Without pages, no block waits for another document: any order does.
    if archives.pages.is_empty() {
        return Vec::new();
    }
    // A document's formats are next to each other in `jobs`.
    let doc = |job: Job| match job {
        Job::Feed(i, _) => Some((false, i)),
        Job::Page(p, _) => Some((true, p)),
        Job::Site(_) => None,
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (n, &job) in jobs.iter().enumerate() {
        match groups.last_mut() {
            Some(last) if doc(job).is_some() && doc(jobs[last[0]]) == doc(job) => last.push(n),
            _ => groups.push(vec![n]),
        }
    }
    let newest = |job: Job| match job {
        Job::Feed(i, _) => catalog.feeds.get(i).and_then(|f| catalog.newest(f)),
        Job::Page(p, _) => (archives.pages.get(p)).and_then(|p| catalog.newest(&p.items)),
        Job::Site(_) => None,
    };
    groups.sort_by_cached_key(|group| {
        let job = jobs[group[0]];
        (!matches!(job, Job::Site(_)), newest(job), group[0])
    });
    // A document's formats share its items' blocks, which the first to come renders while
    // the others wait: so that two threads do not take formats of the same document at
    // once, documents go by in runs of `RUN`, every document's first format, then every
    // second format, and so on.
    const RUN: usize = 8;
    let mut out = Vec::with_capacity(jobs.len());
    for run in groups.chunks(RUN) {
        let formats = run.iter().map(Vec::len).max().unwrap_or(0);
        for f in 0..formats {
            out.extend(run.iter().filter_map(|group| group.get(f)));
        }
    }
    out
}

/// Runs `write` with an empty buffer kept by this thread from one document to the next, for
/// what a renderer writes before its final pass: a fresh buffer of a document's size would
/// be returned to the system when freed and faulted in again, page by page, for the next
/// (archive pages make gigabytes of such pages at 100,000 articles).
fn with_scratch<T>(write: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    /// Larger buffers are let go rather than kept for the thread's lifetime.
    const KEEP: usize = 8 << 20;
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            let result = write(&mut buffer);
            if buffer.capacity() > KEEP {
                *buffer = Vec::new();
            }
            result
        }
        Err(_) => write(&mut Vec::new()),
    })
}

/// Renders every file of the catalogue into memory, in order (for tests and small tools; the
/// build streams through [`Renderer`] instead).
pub fn render_all(
    site: &Site,
    catalog: &Catalog,
    source: &dyn ItemSource,
) -> Result<Vec<Rendered>, Error> {
    let renderer = Renderer::new(site, catalog, source);
    (0..renderer.len())
        .into_par_iter()
        .map(|i| renderer.render(i))
        .collect()
}

/// The bytes of one document in `format`, with the stylesheet line when it is on and a final
/// newline.
fn render_bytes(view: &FeedView<'_>, format: FeedFormat) -> Result<Vec<u8>, String> {
    let mut bytes = match format {
        FeedFormat::Rss => rss::render(view),
        FeedFormat::Atom => atom::render(view),
        FeedFormat::Json => json::render(view),
    }?;
    if let (Some(href), FeedFormat::Rss | FeedFormat::Atom) = (view.stylesheet_href(), format) {
        bytes = site::with_stylesheet(&bytes, &href);
    }
    if bytes.last() != Some(&b'\n') {
        bytes.push(b'\n');
    }
    Ok(bytes)
}

fn render_one(
    view: &FeedView<'_>,
    format: FeedFormat,
    max_bytes: usize,
) -> Result<Rendered, Error> {
    let path = document_path(view, format);
    let mut bytes = render_bytes(view, format).map_err(|message| Error::Render {
        path: path.clone(),
        message,
    })?;
    // Over the budget after all (the plan estimates sizes): the items are cut to their
    // summaries, largest body first, until the document fits.
    if bytes.len() > max_bytes && view.items().any(|e| e.body_html.is_some()) {
        let mut entries: Vec<Entry> = view.items().cloned().collect();
        let mut by_body: Vec<usize> = (0..entries.len()).collect();
        by_body.sort_by_key(|&n| {
            std::cmp::Reverse(entries[n].item.body_html.as_ref().map_or(0, String::len))
        });
        let mut excess = bytes.len() - max_bytes;
        for n in by_body {
            let Some(body) = entries[n].item.body_html.take() else {
                break;
            };
            if body.len() >= excess {
                break;
            }
            excess -= body.len();
        }
        let cut = FeedView {
            items: Arc::from(entries),
            history: view.history,
            tombstones: view.tombstones,
            ..FeedView::outline(view.site, view.catalog, view.feed)
        };
        bytes = render_bytes(&cut, format).map_err(|message| Error::Render {
            path: path.clone(),
            message,
        })?;
    }
    Ok(rendered(view, format, bytes))
}

/// Where the document of `view` in `format` goes: the feed's file, or the archive page's.
fn document_path(view: &FeedView<'_>, format: FeedFormat) -> String {
    match view.history {
        History::Archive { number, .. } => page_path(&view.feed.dir, format, number),
        _ => format!("{}{}", view.feed.dir, format.file_name()),
    }
}

/// The document of `view` in `format`, as `bytes`.
fn rendered(view: &FeedView<'_>, format: FeedFormat, bytes: Vec<u8>) -> Rendered {
    Rendered {
        path: document_path(view, format),
        feed: Some(FeedInfo {
            format,
            title: view.title.clone(),
            items: view.feed.items.len(),
            newest: view.newest().map(|d| dates::rfc3339(&d)),
        }),
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::cache::CacheUse;
    use crate::config::{Overrides, Settings};
    use crate::pipeline::prepare;
    use crate::progress::Silent;

    /// Every document of a fixture site, one item in each feed and archives of two items a page, its items'
    /// blocks spliced in and rendered whole: the same bytes.
    fn spliced_as_whole(site: &str, extra: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/sites")
            .join(site);
        let mut config = std::fs::read_to_string(dir.join("newswire.yaml")).unwrap();
        config.push_str("\nlimit: 1\narchive: true\narchive_page: 2\n");
        if !config.contains("stylesheet:") {
            config.push_str("stylesheet: true\n");
        }
        config.push_str(extra);
        let overrides = Overrides {
            now: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
            no_cache: true,
            ..Overrides::default()
        };
        let settings =
            Settings::merge(serde_yaml::from_str(&config).unwrap(), &dir, overrides).unwrap();
        let (mut catalog, store, _, _) = prepare(&settings, &Silent, false, CacheUse::Off).unwrap();
        let paging = &settings.paging;
        let archives = plan_archives(&settings.site, paging, &mut catalog, &store, None);
        assert!(!archives.pages.is_empty());
        let (site, max_bytes) = (&settings.site, paging.max_bytes);
        let spliced = Renderer::with_archives(site, &catalog, &store, archives.clone(), max_bytes);
        assert!(spliced.splice);
        assert_eq!(spliced.order().len(), spliced.len());
        let mut whole = Renderer::with_archives(site, &catalog, &store, archives, max_bytes);
        whole.splice = false;
        let mut items = 0;
        for &i in spliced.order() {
            let (spliced, whole) = (spliced.render(i).unwrap(), whole.render(i).unwrap());
            assert_eq!(
                String::from_utf8_lossy(&spliced.bytes),
                String::from_utf8_lossy(&whole.bytes),
                "{}",
                whole.path
            );
            assert_eq!(spliced.feed, whole.feed);
            items += whole.feed.map_or(0, |f| f.items);
        }
        assert!(items > 20, "{items}");
    }

    #[test]
    fn every_kind_of_item_spliced_is_as_rendered_whole() {
        spliced_as_whole("kinds", "");
    }

    #[test]
    fn rich_items_spliced_are_as_rendered_whole() {
        spliced_as_whole("rich", "");
        spliced_as_whole("websub", "");
    }

    #[test]
    fn a_document_over_budget_is_rendered_whole_and_cut() {
        spliced_as_whole("rich", "max_bytes: 10000\n");
    }
}
