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

use chrono::{DateTime, TimeZone, Utc};
use rayon::prelude::*;

use crate::config::Site;
use crate::error::Error;
use crate::group::Catalog;
use crate::model::{Feed, FeedFormat, FeedInfo, FeedKind, Item, Rendered};

/// What every renderer needs to know about one feed.
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
    /// The view of `feed`, with its title and description derived from the site's.
    pub fn new(site: &'a Site, catalog: &'a Catalog, feed: &'a Feed) -> Self {
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

/// Renders every feed of the catalogue in every format, in catalogue order, then the site
/// files.
pub fn render_all(site: &Site, catalog: &Catalog) -> Result<Vec<Rendered>, Error> {
    let jobs: Vec<(&Feed, FeedFormat)> = catalog
        .feeds
        .iter()
        .flat_map(|feed| FeedFormat::ALL.map(|format| (feed, format)))
        .collect();
    let mut files = jobs
        .par_iter()
        .map(|&(feed, format)| render_one(&FeedView::new(site, catalog, feed), format))
        .collect::<Result<Vec<_>, _>>()?;
    files.extend(site::render(site, catalog));
    Ok(files)
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
