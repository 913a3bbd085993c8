//! Group: the items' heads → one deduplicated, ordered [`Catalog`] of feeds.
//!
//! Everything that reaches output is ordered here, deterministically: items newest first with
//! ties broken by id; feeds as everything, then the defined feeds in the config's order, then
//! topics, providers and kinds, each by slug. The input order of files therefore never shows in
//! the output. What grouping decides about an item (its
//! `updated` time, its topics, the reports that list it) is its [`Placement`], kept once, beside
//! its head.
//!
//! - `dedupe`: one item per link;
//! - `stories`: articles that list each other as related are one story per feed;
//! - `facets`: the topics and providers, counted, named and slugged; the kinds named;
//! - `select`: the filters of `include:` and of the defined feeds, and their orders;
//! - [`slugs`]: safe path segments.

mod collections;
mod dedupe;
mod facets;
mod select;
pub mod slugs;
mod stories;

use chrono::{DateTime, Utc};

// FxHash: these maps are keyed by ids and indices the build itself made, and hashed hundreds of
// thousands of times; SipHash's flood protection buys nothing here and costs a tenth of a rebuild.
// (They live for one run: nothing hashed with it is stored or compared across builds.)
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::config::{Definition, Facets, Filter, Sort};
use crate::diag::Diagnostic;
use crate::error::Damaged;
use crate::model::{
    Entry, Feed, FeedKind, Head, IdKey, ItemSource, Kind, Placement, Related, Topic,
};
pub use collections::resolve_members;
use select::Selector;
pub use slugs::{MAX_SLUG_LEN, stable_slug, unique_slug};
use stories::Stories;

/// The items and the feeds built from them.
pub struct Catalog {
    /// Every published item's head, deduplicated by id, newest first (ties: id ascending),
    /// side by side in memory, so the passes over them read memory in order.
    pub items: Vec<Head>,
    /// What grouping decided about each item, in the order of `items`.
    pub placed: Vec<Placement>,
    /// Each collection's members that are items of the catalogue, in the collection's order,
    /// by the collection's index (sorted; only collections with members are here).
    pub members: Vec<(u32, Vec<u32>)>,
    /// Every topic, in order of its key (see [`crate::model::topic_key`]);
    /// [`Placement::categories`] index it.
    pub topics: Vec<Topic>,
    /// The feeds: everything, then the defined ones, then per topic, provider and kind.
    pub feeds: Vec<Feed>,
}

impl Catalog {
    /// The members of the collection at `i` that are items of the catalogue (none for any
    /// other item).
    pub fn members(&self, i: usize) -> &[u32] {
        self.members
            .binary_search_by_key(&(i as u32), |(at, _)| *at)
            .map_or(&[], |at| &self.members[at].1)
    }

    /// The topics of an entry, in the order the article lists them.
    pub fn categories<'a>(&'a self, entry: &'a Entry) -> impl Iterator<Item = &'a Topic> + 'a {
        entry
            .categories
            .iter()
            .filter_map(|&i| self.topics.get(i as usize))
    }

    /// The newest date among `feed`'s items: the feed's last-change date.
    pub fn newest(&self, feed: &Feed) -> Option<DateTime<Utc>> {
        feed.items
            .iter()
            .filter_map(|&i| self.items.get(i))
            .map(|head| head.published)
            .max()
    }

    /// The `i`-th item as a feed shows it: read from `source`, with what grouping decided
    /// about it (the items that list it are read too, for its related reports, and a
    /// collection's members, for their links).
    pub fn entry(&self, i: usize, source: &dyn ItemSource) -> Result<Entry, Damaged> {
        let (head, placed) = (&self.items[i], &self.placed[i]);
        let links = |others: &[u32]| {
            others
                .iter()
                .map(|&other| {
                    let other = source.item(self.items[other as usize].item)?;
                    Ok(Related {
                        provider: other.provider.map(|p| p.name),
                        id: other.id,
                        link: other.link,
                        title: other.title,
                    })
                })
                .collect::<Result<Vec<_>, Damaged>>()
        };
        Ok(Entry {
            item: source.item(head.item)?,
            published: head.published,
            updated: placed.updated,
            categories: placed.categories.to_vec(),
            mutual: links(&placed.mutual)?,
            members: links(self.members(i))?,
        })
    }

    /// How many published items there are of each kind of its own (a `type` newswire has no
    /// name for), by kind name.
    pub fn other_kinds(&self) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for head in &self.items {
            if let crate::model::Kind::Other(name) = &head.kind {
                *counts.entry(name.to_string()).or_insert(0) += 1;
            }
        }
        counts
    }
}

/// How feeds are cut, filtered and merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    /// Items per feed.
    pub limit: usize,
    /// Carry a story once per feed when several of its articles link each other in `related`.
    pub merge_related: bool,
    /// Which facets are cut into feeds.
    pub facets: Facets,
    /// The filter every feed applies (`None`: every item).
    pub include: Option<Filter>,
    /// The feeds the newsroom defines.
    pub definitions: Vec<Definition>,
    /// Whether the built-in feeds keep every member for their archive pages (defined feeds
    /// follow it unless they say otherwise).
    pub archive: bool,
}

impl Default for Grouping {
    /// The defaults of the config: 50 items, stories merged, every facet, nothing filtered.
    fn default() -> Self {
        Grouping {
            limit: crate::config::DEFAULT_LIMIT,
            merge_related: true,
            facets: Facets::default(),
            include: None,
            definitions: Vec::new(),
            archive: false,
        }
    }
}

/// Builds the catalogue from every item's head. Duplicate links produce one warning per
/// dropped file.
///
/// Duplicate rule: of the files sharing one canonical link, the item with the newest date is
/// kept; on equal dates the higher `quality`, then the file whose path sorts first. Then the
/// `include` filter drops what no feed is to show.
///
/// Related coverage is made mutual: when article A lists B (also published) under `related`,
/// B lists A too. With `merge_related`, articles of one feed linked that way are one story,
/// carried once under its best report (highest `quality`, then newest, then smallest id); the
/// others still show as its related coverage.
#[allow(clippy::vec_box)] // see `deduplicate`
pub fn group(items: Vec<Box<Head>>, grouping: &Grouping) -> (Catalog, Vec<Diagnostic>) {
    let (items, diagnostics) = dedupe::deduplicate(items);
    let mut items = sort_newest_first(items);
    if let Some(include) = &grouping.include {
        items = select_included(items, include);
    }
    let mut placed = separate_updated(&items);
    let links = link_related(&items, &mut placed);

    // Every distinct topic name and provider once (heads share them), in order of first use.
    // Each item's names and provider as places among the distinct ones, noted in the same
    // pass (the names of item i are `name_places[name_start[i]..name_start[i + 1]]`). Each
    // item's names live in their own allocation, so the pass waits on memory: it runs on
    // every core, a stretch of items each, and the stretches are joined in order.
    let facets::Tally {
        names,
        outlets,
        name_places,
        name_start,
        outlet_place,
    } = facets::Tally::all(&items, facets::TALLY_CHUNK);
    let (topics, topic_of) = facets::topic_table(&names.values);
    let (providers, provider_of) = facets::provider_table(&outlets.values);
    let categories: Vec<Vec<u32>> = name_start
        .windows(2)
        .map(|w| {
            name_places[w[0]..w[1]]
                .iter()
                .map(|&name| topic_of[name as usize])
                .collect()
        })
        .collect();
    let provider_feed = |i: usize| Some(provider_of[outlet_place[i]? as usize]);
    let stories = Stories::new(&items, links, grouping.limit, grouping.merge_related);
    let archive = grouping.archive;
    // An archived feed keeps every member: what its subscription document does not show is
    // on its archive pages.
    let limit = if archive {
        usize::MAX
    } else {
        stories.collect_limit
    };
    let facets = grouping.facets;
    let finish = |members: Vec<usize>| archived(&stories, members, archive);

    let mut feeds = vec![Feed {
        kind: FeedKind::All,
        name: None,
        dir: String::new(),
        provider: None,
        description: None,
        ..finish((0..items.len().min(limit)).collect())
    }];
    // The defined feeds, each one pass over the items, on every core.
    let defined: Vec<Feed> = grouping
        .definitions
        .par_iter()
        .map(|definition| {
            let selector = Selector::new(&definition.filter, &topics, &outlets.values);
            let limit = definition.limit.unwrap_or(grouping.limit);
            let archive = definition.archive.unwrap_or(grouping.archive);
            // Newest first, nothing to merge: the first `limit` that pass are the feed.
            let enough = if definition.sort == Sort::Newest && !stories.linked() && !archive {
                limit
            } else {
                usize::MAX
            };
            let mut members = Vec::new();
            for (i, head) in items.iter().enumerate() {
                if members.len() == enough {
                    break;
                }
                if selector.accepts(head, &categories[i], outlet_place[i]) {
                    members.push(i);
                }
            }
            let all = if archive { members.clone() } else { Vec::new() };
            select::sort(&mut members, &items, definition.sort);
            Feed {
                kind: FeedKind::Defined,
                name: Some(definition.title.clone()),
                dir: format!("{}/", definition.path),
                items: stories.finish_to(members, limit),
                provider: None,
                description: definition.description.clone(),
                archive,
                all,
            }
        })
        .collect();
    feeds.extend(defined);
    // One pass over the items fills every topic, provider and kind feed, newest first. (The
    // events feed is ordered by start, so it collects every event before it is cut.)
    let mut topic_members: Vec<Vec<usize>> = vec![Vec::new(); topics.len()];
    let mut provider_members: Vec<Vec<usize>> = vec![Vec::new(); providers.len()];
    let mut kind_members: Vec<(&Kind, Vec<usize>)> = Vec::new();
    for (i, item_topics) in categories.iter().enumerate() {
        if facets.topics {
            for &topic in item_topics {
                push_capped(&mut topic_members[topic as usize], i, limit);
            }
        }
        if facets.providers
            && let Some(feed) = provider_feed(i)
        {
            push_capped(&mut provider_members[feed as usize], i, limit);
        }
        let kind = &items[i].kind;
        // Profiles are never feed items (normalising keeps them out; this holds anyway).
        if facets.kinds && *kind != Kind::Profile {
            let at = match kind_members.iter().position(|(k, _)| *k == kind) {
                Some(at) => at,
                None => {
                    kind_members.push((kind, Vec::new()));
                    kind_members.len() - 1
                }
            };
            let cap = if *kind == Kind::Event {
                usize::MAX
            } else {
                limit
            };
            push_capped(&mut kind_members[at].1, i, cap);
        }
    }
    let mut topic_feeds: Vec<Feed> = topics
        .iter()
        .zip(topic_members)
        .filter(|_| facets.topics)
        .map(|(topic, members)| Feed {
            kind: FeedKind::Topic,
            name: Some(topic.name.clone()),
            dir: format!("topics/{}/", topic.slug),
            provider: None,
            description: None,
            ..finish(members)
        })
        .collect();
    let mut provider_feeds: Vec<Feed> = providers
        .into_iter()
        .zip(provider_members)
        .filter(|_| facets.providers)
        .map(|((provider, slug), members)| Feed {
            kind: FeedKind::Provider,
            name: Some(provider.name.clone()),
            dir: format!("providers/{slug}/"),
            provider: Some(provider),
            description: None,
            ..finish(members)
        })
        .collect();
    let mut kind_feeds: Vec<Feed> = kind_feeds(kind_members, &items, &finish, archive);
    for (placed, categories) in placed.iter_mut().zip(categories) {
        placed.categories = categories.into();
    }
    // By slug (`ai` before `ai-hardware`), which is the folder name without its slash.
    let by_slug = |a: &Feed, b: &Feed| a.dir.trim_end_matches('/').cmp(b.dir.trim_end_matches('/'));
    topic_feeds.sort_by(by_slug);
    provider_feeds.sort_by(by_slug);
    kind_feeds.sort_by(by_slug);
    feeds.extend(topic_feeds);
    feeds.extend(provider_feeds);
    feeds.extend(kind_feeds);
    (
        Catalog {
            items,
            placed,
            members: Vec::new(),
            topics,
            feeds,
        },
        diagnostics,
    )
}

/// The feed of each kind: `kinds/<kind>/`, events by start (latest first). Kinds whose names
/// slug alike (two `type`s of their own) share one feed.
fn kind_feeds(
    members: Vec<(&Kind, Vec<usize>)>,
    items: &[Head],
    finish: &dyn Fn(Vec<usize>) -> Feed,
    archive: bool,
) -> Vec<Feed> {
    let mut by_slug: std::collections::BTreeMap<String, (&Kind, Vec<usize>)> = Default::default();
    for (kind, members) in members {
        let entry = by_slug
            .entry(stable_slug(kind.name()))
            .or_insert_with(|| (kind, Vec::new()));
        if entry.1.is_empty() {
            entry.1 = members;
        } else {
            // Rare: merged, newest first as every feed.
            entry.1.extend(members);
            entry.1.sort_unstable();
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, (kind, mut members))| {
            let feed = if *kind == Kind::Event {
                // Ordered by start before it is cut; `all` stays in catalogue order.
                let all = members.clone();
                select::by_start(&mut members, items);
                Feed {
                    all: if archive { all } else { Vec::new() },
                    ..finish(members)
                }
            } else {
                finish(members)
            };
            Feed {
                kind: FeedKind::Kind,
                name: Some(facets::kind_label(kind)),
                dir: format!("kinds/{slug}/"),
                ..feed
            }
        })
        .collect()
}

/// A built-in feed's members (newest first) cut and merged: with `archive`, every member is
/// kept in [`Feed::all`] as well. The caller fills in what the feed is.
fn archived(stories: &Stories<'_>, members: Vec<usize>, archive: bool) -> Feed {
    let all = if archive { members.clone() } else { Vec::new() };
    Feed {
        kind: FeedKind::All,
        name: None,
        dir: String::new(),
        items: stories.finish(members),
        provider: None,
        description: None,
        archive,
        all,
    }
}

/// The items `include` lets through, in their order. Resolving the filter needs the topics
/// and providers of the items, counted for it alone: this runs only when there is a filter.
fn select_included(items: Vec<Head>, include: &Filter) -> Vec<Head> {
    let keep: Vec<bool> = {
        let tally = facets::Tally::all(&items, facets::TALLY_CHUNK);
        let (topics, topic_of) = facets::topic_table(&tally.names.values);
        let selector = Selector::new(include, &topics, &tally.outlets.values);
        (0..items.len())
            .into_par_iter()
            .map(|i| {
                let names = &tally.name_places[tally.name_start[i]..tally.name_start[i + 1]];
                let item_topics: Vec<u32> = names.iter().map(|&n| topic_of[n as usize]).collect();
                selector.accepts(&items[i], &item_topics, tally.outlet_place[i])
            })
            .collect()
    };
    if keep.iter().all(|&k| k) {
        return items;
    }
    items
        .into_iter()
        .zip(keep)
        .filter_map(|(head, keep)| keep.then_some(head))
        .collect()
}

/// Links related items: where A lists B as related and both are items, A and B are linked
/// (both ways), and when B does not list A back, A is noted in B's [`Placement::mutual`]
/// (rendering adds it to B's related reports). Returns every item's links.
fn link_related(items: &[Head], placed: &mut [Placement]) -> Vec<Vec<u32>> {
    let index: HashMap<IdKey, u32> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (item.key, i as u32))
        .collect();
    // Looked up on every core, collected in item order.
    let pairs: Vec<(u32, u32)> = items
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, item)| {
            let index = &index;
            item.related
                .iter()
                .filter_map(move |related| match index.get(related) {
                    Some(&other) if other as usize != i => Some((i as u32, other)),
                    _ => None,
                })
        })
        .collect();
    if pairs.is_empty() {
        return Vec::new();
    }
    let mut links: Vec<Vec<u32>> = vec![Vec::new(); items.len()];
    // (item, an item that lists it but that it does not list back), in the order found.
    let mut backs: Vec<(u32, u32)> = Vec::new();
    for &(i, other) in &pairs {
        links[i as usize].push(other);
        links[other as usize].push(i);
        let key = items[i as usize].key;
        if !items[other as usize].related.contains(&key) {
            backs.push((other, i));
        }
    }
    // Each item's mutual reports once, in the order found (a stable sort keeps it).
    backs.sort_by_key(|&(other, _)| other);
    for run in backs.chunk_by(|a, b| a.0 == b.0) {
        let mut mutual: Vec<u32> = Vec::with_capacity(run.len());
        for &(_, i) in run {
            if !mutual.contains(&i) {
                mutual.push(i);
            }
        }
        placed[run[0].0 as usize].mutual = mutual.into();
    }
    links
}

/// Every item's placement, with distinct `updated` times for items published in the same
/// instant: within each run of equal `published` (already in id order) the k-th item is k
/// milliseconds later.
fn separate_updated(items: &[Head]) -> Vec<Placement> {
    let mut placed = Vec::with_capacity(items.len());
    for run in items.chunk_by(|a, b| a.published == b.published) {
        placed.extend(run.iter().enumerate().map(|(k, item)| Placement {
            updated: item.published + chrono::Duration::milliseconds(k as i64),
            ..Placement::default()
        }));
    }
    placed
}

fn push_capped(members: &mut Vec<usize>, index: usize, limit: usize) {
    if members.len() < limit {
        members.push(index);
    }
}

/// Sorts items newest first, ties by id (unique after deduplication, so the order is total),
/// into one array: dates are compared side by side, ids only on a tie, and the heads are moved
/// out of their boxes on every core.
#[allow(clippy::vec_box)] // see `deduplicate`
fn sort_newest_first(items: Vec<Box<Head>>) -> Vec<Head> {
    let mut dated: Vec<(DateTime<Utc>, Box<Head>)> = items
        .into_iter()
        .map(|head| (head.published, head))
        .collect();
    dated.par_sort_unstable_by(|(x, a), (y, b)| y.cmp(x).then_with(|| a.id.cmp(&b.id)));
    dated.into_par_iter().map(|(_, head)| *head).collect()
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use chrono::{DateTime, TimeZone, Utc};

    use super::*;
    use crate::cache::Store;
    use crate::model::{Details, Item, Kind, Provider};

    /// Groups items at hand, kept in a memory store.
    #[allow(clippy::vec_box)] // items come boxed, as normalise hands them over
    fn group_stored(
        items: Vec<Box<Item>>,
        grouping: Grouping,
    ) -> (Catalog, Vec<Diagnostic>, Store) {
        let store = Store::memory();
        let heads = items
            .iter()
            .map(|item| Box::new(Head::new(item, store.put(item))))
            .collect();
        let (catalog, diagnostics) = group(heads, &grouping);
        (catalog, diagnostics, store)
    }

    #[allow(clippy::vec_box)]
    fn group_items(items: Vec<Box<Item>>, grouping: Grouping) -> (Catalog, Vec<Diagnostic>) {
        let (catalog, diagnostics, _) = group_stored(items, grouping);
        (catalog, diagnostics)
    }

    fn g10() -> Grouping {
        Grouping {
            limit: 10,
            ..Grouping::default()
        }
    }

    fn related(to: &Item) -> Related {
        Related {
            id: to.id.clone(),
            link: to.link.clone(),
            title: to.title.clone(),
            provider: None,
        }
    }

    #[test]
    fn one_story_per_feed_under_the_best_report() {
        let mut a = item("https://a/", 1, &["T"], Some("a.org"), "a");
        let mut b = item("https://b/", 2, &["T"], Some("b.org"), "b");
        let c = item("https://c/", 3, &["U"], Some("c.org"), "c");
        a.quality = 90;
        b.quality = 10;
        b.related.push(related(&a));
        let (cat, _, store) = group_stored(vec![a, b, c.clone()], g10());
        let ids = |f: &Feed| {
            f.items
                .iter()
                .map(|&i| cat.items[i].id.to_string())
                .collect::<Vec<_>>()
        };
        // The all-feed and topic T carry the story once, under a (higher quality) …
        assert_eq!(ids(&cat.feeds[0]), ["https://c/", "https://a/"]);
        let t = cat.feeds.iter().find(|f| f.dir == "topics/t/").unwrap();
        assert_eq!(ids(t), ["https://a/"]);
        // … whose related coverage now lists b, although only b named a.
        let a = cat
            .items
            .iter()
            .position(|i| &*i.id == "https://a/")
            .unwrap();
        let entry = cat.entry(a, &store).unwrap();
        assert_eq!(entry.related().next().unwrap().id, "https://b/");
        // b's own provider feed still has b.
        let pb = cat
            .feeds
            .iter()
            .find(|f| f.dir == "providers/b-org/")
            .unwrap();
        assert_eq!(ids(pb), ["https://b/"]);

        let (cat, _) = group_items(
            vec![item("https://a/", 1, &["T"], None, "a"), {
                let mut b = item("https://b/", 2, &["T"], None, "b");
                b.related
                    .push(related(&item("https://a/", 1, &[], None, "a")));
                b
            }],
            Grouping {
                limit: 10,
                merge_related: false,
                ..Grouping::default()
            },
        );
        assert_eq!(cat.feeds[0].items.len(), 2, "switch off: both kept");
    }

    #[test]
    fn sorting_in_place_gives_newest_first_ties_by_id() {
        // Days 1..=28 in a scrambled order with repeats, so the permutation has long cycles.
        let items: Vec<Box<Item>> = (0..200u32)
            .map(|i| {
                let day = 1 + (i * 37 + 11) % 28;
                item(
                    &format!("https://a.example/{:03}", (i * 73) % 200),
                    day,
                    &[],
                    None,
                    "x.md",
                )
            })
            .collect();
        let mut expected: Vec<(DateTime<Utc>, String)> = items
            .iter()
            .map(|i| (i.published.unwrap(), i.id.clone()))
            .collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let store = Store::memory();
        let heads = items
            .iter()
            .map(|i| Box::new(Head::new(i, store.put(i))))
            .collect();
        let sorted: Vec<(DateTime<Utc>, String)> = sort_newest_first(heads)
            .into_iter()
            .map(|i| (i.published, i.id.to_string()))
            .collect();
        assert_eq!(sorted, expected);
    }

    fn item(
        id: &str,
        day: u32,
        topics: &[&str],
        provider: Option<&str>,
        source: &str,
    ) -> Box<Item> {
        Box::new(Item {
            id: id.into(),
            link: id.into(),
            via: None,
            title: id.into(),
            summary: None,
            published: Some(Utc.with_ymd_and_hms(2023, 1, day, 0, 0, 0).unwrap()),
            kind: Kind::Article,
            details: Details::default(),
            heat: 0,
            provider: provider.map(|d| Provider {
                name: d.to_uppercase(),
                domain: Some(d.into()),
                logo: None,
            }),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            images: Vec::new(),
            related: Vec::new(),
            body_html: None,
            quality: 0,
            source: PathBuf::from(source),
        })
    }

    #[test]
    fn newest_first_ties_by_id() {
        let (c, _) = group_items(
            vec![
                item("https://b/", 1, &[], None, "1"),
                item("https://c/", 2, &[], None, "2"),
                item("https://a/", 1, &[], None, "3"),
            ],
            g10(),
        );
        let ids: Vec<_> = c.items.iter().map(|i| &*i.id).collect();
        assert_eq!(ids, ["https://c/", "https://a/", "https://b/"]);
        // a and b share a publication instant; their `updated` differ, in id order.
        assert_eq!(c.placed[1].updated, c.items[1].published);
        assert_eq!(
            c.placed[2].updated - c.items[2].published,
            chrono::Duration::milliseconds(1)
        );
    }

    #[test]
    fn duplicates_keep_the_newest_and_warn_naming_both() {
        let (c, d) = group_items(
            vec![
                item("https://a/", 1, &[], None, "old.md"),
                item("https://a/", 2, &[], None, "new.md"),
            ],
            g10(),
        );
        assert_eq!(c.items.len(), 1);
        assert_eq!(&*c.items[0].source, Path::new("new.md"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].path, PathBuf::from("old.md"));
        assert!(d[0].message.contains("new.md"));
    }

    #[test]
    fn topics_fold_case_and_spacing_into_one_feed() {
        let (c, _) = group_items(
            vec![
                item("https://a/", 1, &["AI"], None, "1"),
                item("https://b/", 2, &["ai"], None, "2"),
                item("https://c/", 3, &["AI"], None, "3"),
            ],
            g10(),
        );
        assert_eq!(c.feeds.len(), 3, "everything, the topic, the articles");
        assert_eq!(c.feeds[1].dir, "topics/ai/");
        assert_eq!(c.feeds[2].dir, "kinds/article/");
        assert_eq!(c.feeds[1].name.as_deref(), Some("AI"));
        assert_eq!(c.feeds[1].items, [0, 1, 2]);
    }

    #[test]
    fn the_events_feed_keeps_the_latest_starts_and_no_profile_has_a_kind_feed() {
        let start = |day: u32| Some(Utc.with_ymd_and_hms(2024, 3, day, 9, 0, 0).unwrap());
        let mut items: Vec<Box<Item>> = Vec::new();
        // Announced on days 1..=4; starting on 20, 5, none, 12.
        for (n, starts) in [(1, start(20)), (2, start(5)), (3, None), (4, start(12))] {
            let mut event = item(&format!("https://e/{n}"), n, &[], None, "e");
            event.kind = Kind::Event;
            event.details.start = starts;
            items.push(event);
        }
        let mut profile = item("https://p/", 9, &[], None, "p");
        profile.kind = Kind::Profile;
        items.push(profile);
        let (c, _) = group_items(
            items,
            Grouping {
                limit: 3,
                ..Grouping::default()
            },
        );
        let ids = |dir: &str| -> Vec<String> {
            let feed = c.feeds.iter().find(|f| f.dir == dir).unwrap();
            feed.items
                .iter()
                .map(|&i| c.items[i].id.to_string())
                .collect()
        };
        // Collected whole, then cut: by start, latest first; the one without a start last.
        assert_eq!(
            ids("kinds/event/"),
            ["https://e/1", "https://e/4", "https://e/2"]
        );
        assert!(!c.feeds.iter().any(|f| f.dir.starts_with("kinds/profile")));
        let (c, _) = group_items(
            vec![item("https://a/", 1, &[], None, "a")],
            Grouping {
                facets: Facets {
                    kinds: false,
                    ..Facets::default()
                },
                ..Grouping::default()
            },
        );
        assert!(!c.feeds.iter().any(|f| f.kind == FeedKind::Kind));
    }

    #[test]
    fn limit_caps_every_feed() {
        let items = (1..=5)
            .map(|d| item(&format!("https://x/{d}"), d, &["T"], Some("x.org"), "f"))
            .collect();
        let (c, _) = group_items(
            items,
            Grouping {
                limit: 2,
                ..Grouping::default()
            },
        );
        assert!(c.feeds.iter().all(|f| f.items.len() == 2));
        assert_eq!(c.feeds[2].dir, "providers/x-org/");
    }
}
