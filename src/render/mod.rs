//! Render: each [`Feed`] of the [`Catalog`] → the bytes of its RSS 2.0 and Atom 1.0 files.
//!
//! Only this module knows the feed crates. Rendering is pure: the same catalogue and site always
//! give the same bytes, and no clock is read (a feed's `lastBuildDate`/`updated` is its newest
//! item's date).

pub mod atom;
pub mod dates;
pub mod rss;

use chrono::{DateTime, TimeZone, Utc};
use rayon::prelude::*;

use crate::config::Site;
use crate::error::Error;
use crate::group::Catalog;
use crate::model::{Feed, FeedFormat, FeedKind, Item, Rendered};

/// What both renderers need to know about one feed.
pub struct FeedView<'a> {
    /// The site.
    pub site: &'a Site,
    /// The catalogue the feed's item indices point into.
    pub catalog: &'a Catalog,
    /// The feed.
    pub feed: &'a Feed,
    /// Channel / feed title.
    pub title: String,
    /// Channel description / Atom subtitle.
    pub description: String,
}

impl<'a> FeedView<'a> {
    fn new(site: &'a Site, catalog: &'a Catalog, feed: &'a Feed) -> Self {
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
            title,
            description,
        }
    }

    /// The feed's items, newest first.
    pub fn items(&self) -> impl Iterator<Item = &'a Item> + '_ {
        self.feed.items.iter().map(|&i| &self.catalog.items[i])
    }

    /// The newest item's date: the feed's last-change date.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.items().map(|i| i.published).max()
    }

    /// Absolute URL of this feed's file in `format`.
    pub fn self_url(&self, format: FeedFormat) -> String {
        let relative = format!("{}{}", self.feed.dir, format.file_name());
        self.site
            .base_url
            .join(&relative)
            .map(String::from)
            .unwrap_or_else(|_| format!("{}{relative}", self.site.base_url))
    }
}

/// The date a feed without items claims as its last change: fixed, so output stays
/// deterministic, and after 1990, so validators find it plausible.
pub fn empty_feed_date() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Renders every feed of the catalogue in every format, in catalogue order.
pub fn render_all(site: &Site, catalog: &Catalog) -> Result<Vec<Rendered>, Error> {
    let jobs: Vec<(&Feed, FeedFormat)> = catalog
        .feeds
        .iter()
        .flat_map(|feed| FeedFormat::ALL.map(|format| (feed, format)))
        .collect();
    jobs.par_iter()
        .map(|&(feed, format)| render_one(&FeedView::new(site, catalog, feed), format))
        .collect()
}

fn render_one(view: &FeedView<'_>, format: FeedFormat) -> Result<Rendered, Error> {
    let path = format!("{}{}", view.feed.dir, format.file_name());
    let bytes = match format {
        FeedFormat::Rss => rss::render(view),
        FeedFormat::Atom => atom::render(view),
    }
    .map_err(|message| Error::Render {
        path: path.clone(),
        message,
    })?;
    let mut bytes = bytes;
    bytes.push(b'\n');
    Ok(Rendered {
        path,
        format,
        title: view.title.clone(),
        items: view.feed.items.len(),
        newest: view.newest().map(|d| dates::rfc3339(&d)),
        bytes,
    })
}
