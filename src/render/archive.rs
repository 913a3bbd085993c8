//! Archives (RFC 5005 §4, "Archived Feeds") and byte budgets: which items each subscription
//! document shows within `max_bytes`, and which archive page every other item of an archived
//! feed is on.
//!
//! Pages are remembered, not recomputed: the previous build's manifest records where each
//! page begins (a [`PageKey`]: publication date, then id), and an item belongs to the last page
//! whose first key is not after its own. Only the last page, the open one, is filled further:
//! it takes new items until it holds `archive_page` of them or the next would take it over the
//! budget, and then a new page opens. An empty page always follows the last page with items,
//! so that page links `next-archive` from the start. So adding items only ever changes the open page (and the
//! subscription document), and an edited or withdrawn item changes only the page it is on.
//! Without a previous record (a first build, or a changed `archive_page` or `max_bytes`), the
//! items are cut into pages oldest first the same way.
//!
//! Sizes are estimated before anything is rendered: from an item's encoded length (generous,
//! and free), and where that says a document may not fit, from the exact size of the item
//! rendered alone in each format. Both depend on nothing but the items, so the cut is
//! deterministic; rendering still cuts bodies to summaries should a document come out over
//! its budget after all.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::{FeedView, History, render_bytes};
use crate::config::{Paging, Site};
use crate::group::Catalog;
use crate::model::{Feed, FeedFormat, ItemSource, PageKey, PageState};

/// Bytes kept free in every document for what its size estimate leaves out: the paging links
/// and the `fh:archive` marker, namespace declarations, rounding.
const MARGIN: usize = 4096;

/// One archive page of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The feed (index in the catalogue).
    pub feed: usize,
    /// Its number: 1 is the oldest page.
    pub number: usize,
    /// How many pages the feed has (the newest page's number).
    pub pages: usize,
    /// The page as a feed of its own: the feed's metadata with the page's items, newest first.
    pub items: Feed,
}

/// Every archive page of a catalogue, what the manifest records of them, and which
/// subscription documents the budget cut.
#[derive(Debug, Default, Clone)]
pub struct Archives {
    /// Every page, feed by feed (in catalogue order), oldest page first.
    pub pages: Vec<Page>,
    /// Each feed's number of pages (0: none), by its index in the catalogue.
    pub counts: Vec<usize>,
    /// Where every archived feed's pages begin, for the next build.
    pub state: PageState,
    /// Feeds whose subscription document left out items to keep within the budget: the
    /// feed's folder and how many items it left out.
    pub cut: Vec<(String, usize)>,
}

impl Archives {
    /// How many archive pages the feed at `feed` has.
    pub fn count(&self, feed: usize) -> usize {
        self.counts.get(feed).copied().unwrap_or(0)
    }
}

/// Cuts every subscription document of `catalog` to the budget (its feed's `items` shortened)
/// and plans the archive pages of its archived feeds, keeping the pages `previous` recorded.
pub fn plan(
    site: &Site,
    paging: &Paging,
    catalog: &mut Catalog,
    source: &dyn ItemSource,
    previous: Option<&PageState>,
) -> Archives {
    // Pages cut with another page size or budget are not kept: they are cut afresh.
    let previous = previous
        .filter(|p| p.archive_page == paging.archive_page && p.max_bytes == paging.max_bytes);
    let sizes = Sizes::new(site, catalog, source, paging.max_bytes);
    let shown: Vec<usize> = (0..catalog.feeds.len())
        .into_par_iter()
        .map(|f| sizes.fit(f, &catalog.feeds[f].items))
        .collect();
    let mut cut = Vec::new();
    for (feed, &shown) in catalog.feeds.iter().zip(&shown) {
        if shown < feed.items.len() {
            cut.push((feed.dir.clone(), feed.items.len() - shown));
        }
    }
    let planned: Vec<(Vec<Page>, Option<Vec<PageKey>>)> = (0..catalog.feeds.len())
        .into_par_iter()
        .map(|f| {
            let feed = &catalog.feeds[f];
            if !feed.archive {
                return (Vec::new(), None);
            }
            let starts = previous.and_then(|p| p.feeds.get(&feed.dir));
            pages(
                &sizes,
                f,
                &feed.items[..shown[f]],
                starts,
                paging.archive_page,
            )
        })
        .collect();
    drop(sizes);
    for (feed, shown) in catalog.feeds.iter_mut().zip(shown) {
        feed.items.truncate(shown);
    }
    let mut archives = Archives {
        state: PageState {
            archive_page: paging.archive_page,
            max_bytes: paging.max_bytes,
            feeds: Default::default(),
        },
        cut,
        ..Archives::default()
    };
    for (f, (pages, starts)) in planned.into_iter().enumerate() {
        archives.counts.push(pages.len());
        archives.pages.extend(pages);
        if let Some(starts) = starts {
            archives
                .state
                .feeds
                .insert(catalog.feeds[f].dir.clone(), starts);
        }
    }
    archives
}

/// The archive pages of the feed at `f`, whose subscription document shows `shown`, and
/// where they begin (`None`: no pages).
fn pages(
    sizes: &Sizes<'_>,
    f: usize,
    shown: &[usize],
    previous: Option<&Vec<PageKey>>,
    per_page: usize,
) -> (Vec<Page>, Option<Vec<PageKey>>) {
    let catalog = sizes.catalog;
    let feed = &catalog.feeds[f];
    let key = |i: usize| {
        let head = &catalog.items[i];
        (head.published, &*head.id)
    };
    // Every member the subscription document does not show, oldest first.
    let mut shown_sorted = shown.to_vec();
    shown_sorted.sort_unstable();
    let mut archived: Vec<usize> = (feed.all.iter().rev())
        .copied()
        .filter(|i| shown_sorted.binary_search(i).is_err())
        .collect();
    archived.sort_by(|&a, &b| key(a).cmp(&key(b)));
    if archived.is_empty() {
        return (Vec::new(), None);
    }
    let starts: &[PageKey] = previous.map_or(&[], Vec::as_slice);
    let before = |i: usize, start: &PageKey| key(i) < (start.published, start.id.as_str());
    // The pages recorded before the last keep their ranges; the last is filled further.
    let mut groups: Vec<(PageKey, Vec<usize>)> = Vec::new();
    let mut at = 0;
    for (k, start) in starts
        .iter()
        .enumerate()
        .take(starts.len().saturating_sub(1))
    {
        let next = &starts[k + 1];
        let end = at + archived[at..].partition_point(|&i| before(i, next));
        groups.push((start.clone(), archived[at..end].to_vec()));
        at = end;
    }
    let tail = &archived[at..];
    let mut open: Option<(PageKey, Vec<usize>)> = starts.last().map(|s| (s.clone(), Vec::new()));
    let mut sum = Sum::default();
    for &i in tail {
        // An empty page takes any item; a page with items takes one more while it has fewer
        // than `archive_page` and stays within the budget.
        let room = open.as_ref().is_some_and(|(_, items)| {
            items.is_empty()
                || (items.len() < per_page && sizes.fits_with(f, &mut sum, items, i, false))
        });
        if !room {
            groups.extend(open.take());
            let head = &catalog.items[i];
            let start = PageKey {
                published: head.published,
                id: head.id.to_string(),
            };
            open = Some((start, Vec::new()));
            sum = Sum::default();
        }
        if let Some((_, items)) = open.as_mut() {
            if items.is_empty() {
                sizes.fits_with(f, &mut sum, &[], i, true);
            }
            items.push(i);
        }
    }
    groups.extend(open);
    // After the last page with items comes an empty one, recorded nowhere: so every page
    // with items has a `next-archive` link from the start (a page never gains one later, and
    // no archive page stands alone without links, which the W3C validator flags as
    // ArchiveIncomplete). It takes items once the page before it is full.
    let count = groups.len() + 1;
    let mut starts = Vec::with_capacity(count);
    let trailing = feed.all.first().map(|&i| {
        let head = &catalog.items[i];
        let key = PageKey {
            published: head.published,
            id: head.id.to_string(),
        };
        (key, Vec::new())
    });
    let pages = (groups
        .into_iter()
        .map(Some)
        .chain([trailing])
        .flatten()
        .enumerate())
    .map(|(n, (start, mut items))| {
        if n + 1 < count {
            starts.push(start);
        }
        items.reverse();
        Page {
            feed: f,
            number: n + 1,
            pages: count,
            items: Feed {
                items,
                archive: false,
                all: Vec::new(),
                ..feed_outline(feed)
            },
        }
    })
    .collect();
    (pages, Some(starts))
}

/// A feed's metadata without its items.
fn feed_outline(feed: &Feed) -> Feed {
    Feed {
        kind: feed.kind.clone(),
        name: feed.name.clone(),
        dir: feed.dir.clone(),
        items: Vec::new(),
        provider: feed.provider.clone(),
        description: feed.description.clone(),
        archive: false,
        all: Vec::new(),
    }
}

/// A running size estimate of one document: the generous one, and, once that says the document
/// may not fit, the exact one per format.
#[derive(Debug, Default, Clone, Copy)]
struct Sum {
    generous: usize,
    exact: Option<[usize; 3]>,
}

/// Size estimates of items and documents.
struct Sizes<'a> {
    site: &'a Site,
    catalog: &'a Catalog,
    source: &'a dyn ItemSource,
    /// The budget less the margin.
    room: usize,
    /// Each item's exact size in each format (RSS, Atom, JSON), rendered alone, when asked.
    exact: Vec<OnceLock<[usize; 3]>>,
    /// Each feed's size without items in each format, when asked.
    empty: Vec<OnceLock<[usize; 3]>>,
}

impl<'a> Sizes<'a> {
    fn new(
        site: &'a Site,
        catalog: &'a Catalog,
        source: &'a dyn ItemSource,
        budget: usize,
    ) -> Self {
        Sizes {
            site,
            catalog,
            source,
            room: budget.saturating_sub(MARGIN),
            exact: (0..catalog.items.len()).map(|_| OnceLock::new()).collect(),
            empty: (0..catalog.feeds.len()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// A generous estimate of an item's size in the largest format: its encoded fields
    /// (each written about twice: summary and content) and the markup around them.
    fn generous(&self, i: usize) -> usize {
        self.catalog.items[i].item.len as usize * 3 + 2048
    }

    /// The documents of the feed at `f` rendered with `items` (no history links), in every
    /// format, by size.
    fn rendered(&self, f: usize, items: &[usize]) -> [usize; 3] {
        let feed = &self.catalog.feeds[f];
        let entries: Result<Vec<_>, _> = items
            .iter()
            .map(|&i| self.catalog.entry(i, self.source))
            .collect();
        // An item that cannot be read fails its feed's rendering later, with its path.
        let Ok(entries) = entries else {
            return [0; 3];
        };
        let view = FeedView {
            history: History::None,
            ..FeedView::with_items(self.site, self.catalog, feed, Arc::from(entries))
        };
        let mut sizes = [0; 3];
        for (n, format) in FeedFormat::ALL.into_iter().enumerate() {
            if self.site.formats.contains(&format) {
                sizes[n] = render_bytes(&view, format).map_or(0, |b| b.len());
            }
        }
        sizes
    }

    fn exact(&self, f: usize, i: usize) -> [usize; 3] {
        *self.exact[i].get_or_init(|| {
            let empty = self.empty(f);
            let alone = self.rendered(f, &[i]);
            std::array::from_fn(|n| alone[n].saturating_sub(empty[n]))
        })
    }

    fn empty(&self, f: usize) -> [usize; 3] {
        *self.empty[f].get_or_init(|| self.rendered(f, &[]))
    }

    /// Whether `items` (whose estimate `sum` holds) can take `i` too within the budget; when
    /// they can, or with `force`, `sum` counts it.
    fn fits_with(&self, f: usize, sum: &mut Sum, items: &[usize], i: usize, force: bool) -> bool {
        let generous = sum.generous + self.generous(i);
        if generous <= self.room && sum.exact.is_none() {
            sum.generous = generous;
            return true;
        }
        let base = sum.exact.unwrap_or_else(|| {
            let mut exact = self.empty(f);
            for &j in items {
                let size = self.exact(f, j);
                (0..3).for_each(|n| exact[n] += size[n]);
            }
            exact
        });
        let size = self.exact(f, i);
        let next: [usize; 3] = std::array::from_fn(|n| base[n] + size[n]);
        let fits = next.iter().all(|&n| n <= self.room);
        *sum = if fits || force {
            Sum {
                generous,
                exact: Some(next),
            }
        } else {
            Sum {
                generous: sum.generous,
                exact: Some(base),
            }
        };
        fits
    }

    /// How many of `items` (the first ones) the feed's subscription document can show within
    /// the budget; at least one.
    fn fit(&self, f: usize, items: &[usize]) -> usize {
        let mut sum = Sum::default();
        for (n, &i) in items.iter().enumerate() {
            if !self.fits_with(f, &mut sum, &items[..n], i, n == 0) && n > 0 {
                return n;
            }
        }
        items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Store;
    use crate::config::Settings;
    use crate::group::{Grouping, group};
    use crate::model::{Head, tests::sample_item};

    /// `count` items a day apart, newest last, grouped with archiving on.
    fn catalog(count: usize, store: &Store) -> Catalog {
        let heads = (0..count)
            .map(|n| {
                let mut item = sample_item(&format!("https://a.example/{n}"));
                item.published = item.published.map(|d| d + chrono::Duration::days(n as i64));
                item.related.clear();
                Box::new(Head::new(&item, store.put(&item)))
            })
            .collect();
        let grouping = Grouping {
            limit: 3,
            archive: true,
            ..Grouping::default()
        };
        group(heads, &grouping).0
    }

    fn site() -> Site {
        let config = serde_yaml::from_str("base_url: https://x.example/\n").unwrap();
        Settings::merge(config, std::path::Path::new(""), Default::default())
            .unwrap()
            .site
    }

    fn paging(archive_page: usize) -> Paging {
        Paging {
            archive: true,
            archive_page,
            ..Paging::default()
        }
    }

    /// Item counts of the feed of everything's pages.
    fn counts(archives: &Archives) -> Vec<usize> {
        (archives.pages.iter())
            .filter(|p| p.feed == 0)
            .map(|p| p.items.items.len())
            .collect()
    }

    #[test]
    fn pages_fill_oldest_first_and_an_empty_page_follows() {
        let store = Store::memory();
        let mut cat = catalog(13, &store);
        let archives = plan(&site(), &paging(5), &mut cat, &store, None);
        // 3 shown, 10 archived: two full pages and the empty one after them.
        assert_eq!(cat.feeds[0].items.len(), 3);
        assert_eq!(counts(&archives), [5, 5, 0]);
        assert_eq!(archives.count(0), 3);
        assert_eq!(archives.state.feeds[""].len(), 2);
        // Page 1 holds the oldest items, newest first.
        let first = &archives.pages[0].items.items;
        assert!(first.windows(2).all(|w| w[0] < w[1]), "{first:?}");
        assert_eq!(first.last(), Some(&12));
    }

    #[test]
    fn recorded_pages_keep_their_items() {
        let store = Store::memory();
        let mut cat = catalog(12, &store);
        let first = plan(&site(), &paging(4), &mut cat, &store, None);
        assert_eq!(counts(&first), [4, 4, 1, 0]);
        // Four more items: the open page fills, and only then the next takes items.
        let mut cat = catalog(16, &store);
        let next = plan(&site(), &paging(4), &mut cat, &store, Some(&first.state));
        assert_eq!(counts(&next), [4, 4, 4, 1, 0]);
        assert_eq!(next.state.feeds[""][..3], first.state.feeds[""][..3]);
        // Another page size starts afresh.
        let mut cat = catalog(15, &store);
        let other = plan(&site(), &paging(6), &mut cat, &store, Some(&first.state));
        assert_eq!(counts(&other), [6, 6, 0]);
    }
}
