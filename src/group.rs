//! Group: the normalised items → one deduplicated, ordered [`Catalog`] of feeds.
//!
//! Everything that reaches output is ordered here, deterministically: items newest first with
//! ties broken by id; feeds as everything, then topics, then providers, each by slug. The input
//! order of files therefore never shows in the output.

use std::cmp::Reverse;

use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

// FxHash: these maps are keyed by ids and indices the build itself made, and hashed hundreds of
// thousands of times; SipHash's flood protection buys nothing here and costs a tenth of a rebuild.
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::diag::Diagnostic;
use crate::model::{Feed, FeedKind, Head, IdKey, Image, Item, Provider, Related, Topic, topic_key};
use crate::store::{Damaged, Store};

/// The items and the feeds built from them.
pub struct Catalog {
    /// Every published item's head, deduplicated by id, newest first (ties: id ascending),
    /// side by side in memory, so the passes over them read memory in order.
    pub items: Vec<Head>,
    /// Every topic, in order of its key (see [`topic_key`]); [`Head::categories`] index it.
    pub topics: Vec<Topic>,
    /// The feeds: everything, then per topic, then per provider.
    pub feeds: Vec<Feed>,
    /// Where the items are.
    pub store: Store,
}

impl Catalog {
    /// The topics of an item, in the order the article lists them.
    pub fn categories<'a>(&'a self, item: &'a Item) -> impl Iterator<Item = &'a Topic> + 'a {
        item.categories
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

    /// The `i`-th item, read from the store, with what grouping decided about it: its
    /// `updated` time, its topics' indices and the related reports that list it.
    pub fn item(&self, i: usize) -> Result<Item, Damaged> {
        let head = &self.items[i];
        let mut item = self.store.get(head.loc)?;
        item.updated = head.updated;
        item.categories.clone_from(&head.categories);
        for &other in &head.mutual {
            let other = self.store.get(self.items[other as usize].loc)?;
            item.related.push(Related {
                provider: other.provider.map(|p| p.name),
                id: other.id,
                link: other.link,
                title: other.title,
            });
        }
        Ok(item)
    }
}

/// Longest slug; longer names are cut at a word boundary.
pub const MAX_SLUG_LEN: usize = 64;

/// How feeds are cut and merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grouping {
    /// Items per feed.
    pub limit: usize,
    /// Carry a story once per feed when several of its articles link each other in `related`.
    pub merge_related: bool,
}

/// [`group`] for items at hand: keeps them in a memory store first.
#[allow(clippy::vec_box)] // normalise hands items over boxed
pub fn group_items(items: Vec<Box<Item>>, grouping: Grouping) -> (Catalog, Vec<Diagnostic>) {
    let store = Store::memory();
    let heads = items
        .iter()
        .map(|item| Box::new(Head::new(item, store.put(item))))
        .collect();
    group(heads, store, grouping)
}

/// Builds the catalogue from every item's head. Duplicate links produce one warning per
/// dropped file.
///
/// Duplicate rule: of the files sharing one canonical link, the item with the newest date is
/// kept; on equal dates the higher `quality`, then the file whose path sorts first.
///
/// Related coverage is made mutual: when article A lists B (also published) under `related`,
/// B lists A too. With `merge_related`, articles of one feed linked that way are one story,
/// carried once under its best report (highest `quality`, then newest, then smallest id); the
/// others still show as its related coverage.
#[allow(clippy::vec_box)] // see `deduplicate`
pub fn group(
    items: Vec<Box<Head>>,
    store: Store,
    grouping: Grouping,
) -> (Catalog, Vec<Diagnostic>) {
    let (items, diagnostics) = deduplicate(items);
    let mut items = sort_newest_first(items);
    separate_updated(&mut items);
    let links = link_related(&mut items);

    // Every distinct topic name and provider once (heads share them), in order of first use.
    // Each item's names and provider as places among the distinct ones, noted in the same
    // pass (the names of item i are `name_places[name_start[i]..name_start[i + 1]]`). Each
    // item's names live in their own allocation, so the pass waits on memory: it runs on
    // every core, a stretch of items each, and the stretches are joined in order.
    let Tally {
        names,
        outlets,
        name_places,
        name_start,
        outlet_place,
    } = Tally::all(&items, TALLY_CHUNK);
    let (topics, topic_of) = topic_table(&names.values);
    let (providers, provider_of) = provider_table(&outlets.values);
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
    let stories = Stories::new(&items, links, grouping);
    let limit = stories.collect_limit;

    let mut feeds = vec![Feed {
        kind: FeedKind::All,
        name: None,
        dir: String::new(),
        items: stories.finish((0..items.len().min(limit)).collect()),
        provider: None,
    }];
    // One pass over the items fills every topic and provider feed, newest first.
    let mut topic_members: Vec<Vec<usize>> = vec![Vec::new(); topics.len()];
    let mut provider_members: Vec<Vec<usize>> = vec![Vec::new(); providers.len()];
    for (i, item_topics) in categories.iter().enumerate() {
        for &topic in item_topics {
            push_capped(&mut topic_members[topic as usize], i, limit);
        }
        if let Some(feed) = provider_feed(i) {
            push_capped(&mut provider_members[feed as usize], i, limit);
        }
    }
    let mut topic_feeds: Vec<Feed> = topics
        .iter()
        .zip(topic_members)
        .map(|(topic, members)| Feed {
            kind: FeedKind::Topic,
            name: Some(topic.name.clone()),
            dir: format!("topics/{}/", topic.slug),
            items: stories.finish(members),
            provider: None,
        })
        .collect();
    let mut provider_feeds: Vec<Feed> = providers
        .into_iter()
        .zip(provider_members)
        .map(|((provider, slug), members)| Feed {
            kind: FeedKind::Provider,
            name: Some(provider.name.clone()),
            dir: format!("providers/{slug}/"),
            items: stories.finish(members),
            provider: Some(provider),
        })
        .collect();
    for (item, categories) in items.iter_mut().zip(categories) {
        item.categories = categories;
    }
    // By slug (`ai` before `ai-hardware`), which is the folder name without its slash.
    topic_feeds.sort_by(|a, b| a.dir.trim_end_matches('/').cmp(b.dir.trim_end_matches('/')));
    provider_feeds.sort_by(|a, b| a.dir.trim_end_matches('/').cmp(b.dir.trim_end_matches('/')));
    feeds.extend(topic_feeds);
    feeds.extend(provider_feeds);
    (
        Catalog {
            items,
            topics,
            feeds,
            store,
        },
        diagnostics,
    )
}

/// Links related items: where A lists B as related and both are items, A and B are linked
/// (both ways), and when B does not list A back, A is noted in B's [`Head::mutual`] (rendering
/// adds it to B's related reports). Returns every item's links.
fn link_related(items: &mut [Head]) -> Vec<Vec<u32>> {
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
    for &(i, other) in &pairs {
        links[i as usize].push(other);
        links[other as usize].push(i);
        let key = items[i as usize].key;
        let back = &mut items[other as usize];
        if !back.related.contains(&key) && !back.mutual.contains(&i) {
            back.mutual.push(i);
        }
    }
    links
}

/// Which items of a feed are one story (see [`group`]), and how a feed's members are cut.
struct Stories<'a> {
    items: &'a [Head],
    /// Every item's related items (see [`link_related`]; empty when no item links another).
    links: Vec<Vec<u32>>,
    grouping: Grouping,
    /// Whether any two items are linked, so stories can merge.
    linked: bool,
    /// How many members to collect per feed before merging: all of them when merging, since
    /// merging can drop members.
    collect_limit: usize,
}

impl<'a> Stories<'a> {
    fn new(items: &'a [Head], links: Vec<Vec<u32>>, grouping: Grouping) -> Self {
        let linked = grouping.merge_related && !links.is_empty();
        Stories {
            items,
            links,
            grouping,
            linked,
            collect_limit: if linked { usize::MAX } else { grouping.limit },
        }
    }

    /// Merges stories among `members` (newest first) and keeps at most `limit`.
    fn finish(&self, mut members: Vec<usize>) -> Vec<usize> {
        if self.linked {
            members = self.merge(members);
        }
        members.truncate(self.grouping.limit);
        members
    }

    fn merge(&self, members: Vec<usize>) -> Vec<usize> {
        // Only linked members can merge; the rest are stories of their own.
        let position: HashMap<u32, usize> = members
            .iter()
            .enumerate()
            .filter(|&(_, &i)| !self.links[i].is_empty())
            .map(|(p, &i)| (i as u32, p))
            .collect();
        if position.is_empty() {
            return members;
        }
        // Union-find over positions in this feed; a story's root is its first position.
        let mut parent: Vec<usize> = (0..members.len()).collect();
        fn root(parent: &mut [usize], mut p: usize) -> usize {
            while parent[p] != p {
                parent[p] = parent[parent[p]];
                p = parent[p];
            }
            p
        }
        for (p, &i) in members.iter().enumerate() {
            for other in &self.links[i] {
                let Some(&q) = position.get(other) else {
                    continue;
                };
                let (a, b) = (root(&mut parent, p), root(&mut parent, q));
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut best: HashMap<usize, usize> = HashMap::default();
        for (p, &candidate) in members.iter().enumerate() {
            if self.links[candidate].is_empty() {
                continue;
            }
            let r = root(&mut parent, p);
            let entry = best.entry(r).or_insert(candidate);
            if self.better(candidate, *entry) {
                *entry = candidate;
            }
        }
        members
            .iter()
            .enumerate()
            .filter(|&(p, &i)| {
                self.links[i].is_empty() || best.get(&root(&mut parent, p)) == Some(&i)
            })
            .map(|(_, &i)| i)
            .collect()
    }

    /// Whether report `a` should carry the story rather than `b`.
    fn better(&self, a: usize, b: usize) -> bool {
        let (x, y) = (&self.items[a], &self.items[b]);
        (x.quality, x.published, Reverse(&x.id)) > (y.quality, y.published, Reverse(&y.id))
    }
}

/// Gives items published in the same instant distinct `updated` times: within each run of equal
/// `published` (already in id order) the k-th item is k milliseconds later.
fn separate_updated(items: &mut [Head]) {
    for run in items.chunk_by_mut(|a, b| a.published == b.published) {
        for (k, item) in run.iter_mut().enumerate() {
            item.updated = item.published + chrono::Duration::milliseconds(k as i64);
        }
    }
}

fn push_capped(members: &mut Vec<usize>, index: usize, limit: usize) {
    if members.len() < limit {
        members.push(index);
    }
}

// Boxed as they were read, so dropping duplicates moves pointers, not heads.
#[allow(clippy::vec_box)]
fn deduplicate(items: Vec<Box<Head>>) -> (Vec<Box<Head>>, Vec<Diagnostic>) {
    // Most builds have no duplicates: sorted keys with no neighbours alike say so quickly.
    let mut keys: Vec<IdKey> = items.iter().map(|item| item.key).collect();
    keys.par_sort_unstable();
    if keys.windows(2).all(|w| w[0] != w[1]) {
        return (items, Vec::new());
    }
    drop(keys);
    // One pass finds the best copy of every id (see `group` for the rule) ...
    let better = |a: &Head, b: &Head| {
        (a.published, a.quality, Reverse(&a.source)) > (b.published, b.quality, Reverse(&b.source))
    };
    let mut best: HashMap<IdKey, usize> =
        HashMap::with_capacity_and_hasher(items.len(), Default::default());
    for (i, item) in items.iter().enumerate() {
        let slot = best.entry(item.key).or_insert(i);
        if better(item, &items[*slot]) {
            *slot = i;
        }
    }
    // ... a second one warns about the others, naming the file that is published.
    let winners: Vec<usize> = items.iter().map(|item| best[&item.key]).collect();
    let diagnostics = items
        .iter()
        .enumerate()
        .filter(|&(i, _)| winners[i] != i)
        .map(|(i, item)| {
            Diagnostic::warning(
                &item.source,
                1,
                1,
                "duplicate-link",
                format!(
                    "same link as {} ({}); that file's copy is published, this one is left out",
                    items[winners[i]].source.display(),
                    item.id
                ),
            )
        })
        .collect();
    let kept = items
        .into_iter()
        .enumerate()
        .filter(|&(i, _)| winners[i] == i)
        .map(|(_, item)| item)
        .collect();
    (kept, diagnostics)
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

/// Picks the display name of a group of spellings: the most used, ties to the smallest.
fn most_used<'a>(counts: &BTreeMap<&'a str, usize>) -> &'a str {
    counts
        .iter()
        .max_by_key(|(name, count)| (**count, Reverse(**name)))
        .map_or("", |(name, _)| name)
}

/// The distinct values of a field that heads share, by address, in order of first use (items
/// are newest first), each with how many items use it.
struct Distinct<'a, T: ?Sized> {
    /// Places by the value's address.
    index: HashMap<usize, u32>,
    values: Vec<(&'a T, usize)>,
}

impl<T: ?Sized> Default for Distinct<'_, T> {
    fn default() -> Self {
        Distinct {
            index: HashMap::default(),
            values: Vec::new(),
        }
    }
}

impl<'a, T: ?Sized> Distinct<'a, T> {
    /// Counts one more use of `value`; returns its place among the distinct values.
    fn add(&mut self, value: &'a Arc<T>) -> u32 {
        self.add_uses(value, 1)
    }

    /// Counts `uses` more uses of the shared `value`; returns its place.
    fn add_uses(&mut self, value: &'a T, uses: usize) -> u32 {
        let next = self.values.len() as u32;
        let address = std::ptr::from_ref(value).cast::<u8>() as usize;
        let i = *self.index.entry(address).or_insert(next);
        if i == next {
            self.values.push((value, 0));
        }
        self.values[i as usize].1 += uses;
        i
    }
}

/// Items per stretch of the topic and provider count.
const TALLY_CHUNK: usize = 8192;

/// The distinct names and providers of a stretch of items, and each item's places among them.
struct Tally<'a> {
    names: Distinct<'a, str>,
    outlets: Distinct<'a, Provider>,
    name_places: Vec<u32>,
    /// Where each item's names start in `name_places`.
    name_start: Vec<usize>,
    outlet_place: Vec<Option<u32>>,
}

impl<'a> Tally<'a> {
    /// The tally of all `items` (`name_start` with one more entry, the end), counted on every
    /// core `chunk` items at a time and joined in order: the same as one pass over them all.
    fn all(items: &'a [Head], chunk: usize) -> Self {
        let tallies: Vec<Tally<'_>> = items.par_chunks(chunk.max(1)).map(Tally::of).collect();
        let mut all = Tally::with_capacity(items.len());
        for tally in tallies {
            let name_at: Vec<u32> = (tally.names.values.iter())
                .map(|&(name, uses)| all.names.add_uses(name, uses))
                .collect();
            let outlet_at: Vec<u32> = (tally.outlets.values.iter())
                .map(|&(outlet, uses)| all.outlets.add_uses(outlet, uses))
                .collect();
            let base = all.name_places.len();
            all.name_start
                .extend(tally.name_start.iter().map(|start| base + start));
            all.name_places
                .extend(tally.name_places.iter().map(|&n| name_at[n as usize]));
            all.outlet_place.extend(
                tally
                    .outlet_place
                    .iter()
                    .map(|p| p.map(|p| outlet_at[p as usize])),
            );
        }
        all.name_start.push(all.name_places.len());
        all
    }

    fn with_capacity(items: usize) -> Self {
        Tally {
            names: Distinct::default(),
            outlets: Distinct::default(),
            name_places: Vec::with_capacity(items * 2),
            name_start: Vec::with_capacity(items + 1),
            outlet_place: Vec::with_capacity(items),
        }
    }

    fn of(items: &'a [Head]) -> Self {
        let mut tally = Tally::with_capacity(items.len());
        for item in items {
            tally.name_start.push(tally.name_places.len());
            let names = &mut tally.names;
            tally
                .name_places
                .extend(item.topics.iter().map(|t| names.add(t)));
            tally
                .outlet_place
                .push(item.provider.as_ref().map(|p| tally.outlets.add(p)));
        }
        tally
    }
}

/// The place of each of `keys` (all of them in `table`) in `table`'s order.
fn places<V>(table: &BTreeMap<&str, V>, keys: &[String]) -> Vec<u32> {
    let index: HashMap<&str, u32> = table
        .keys()
        .enumerate()
        .map(|(i, &key)| (key, i as u32))
        .collect();
    keys.iter().map(|key| index[key.as_str()]).collect()
}

/// Every topic, in order of its key, and the topic of each distinct name (`names` with their
/// use counts).
fn topic_table(names: &[(&str, usize)]) -> (Vec<Topic>, Vec<u32>) {
    let keys: Vec<String> = names.iter().map(|(name, _)| topic_key(name)).collect();
    let mut spellings: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for (key, &(name, count)) in keys.iter().zip(names) {
        *spellings.entry(key).or_default().entry(name).or_default() += count;
    }
    let topic_of = places(&spellings, &keys);
    let mut taken = BTreeSet::new();
    let topics = spellings
        .values()
        .map(|counts| {
            let name = most_used(counts).to_string();
            let slug = unique_slug(&name, &mut taken);
            Topic { name, slug }
        })
        .collect();
    (topics, topic_of)
}

/// Every provider feed, in order of its key: the provider to show (most used name, the newest
/// domain and logo) and its slug; and the feed of each distinct provider (`outlets`, in order
/// of first use, with their use counts).
fn provider_table(outlets: &[(&Provider, usize)]) -> (Vec<(Provider, String)>, Vec<u32>) {
    type Seen<'a> = (Option<&'a str>, Option<&'a Image>, BTreeMap<&'a str, usize>);
    let keys: Vec<String> = outlets.iter().map(|(p, _)| p.key()).collect();
    let mut spellings: BTreeMap<&str, Seen<'_>> = BTreeMap::new();
    for (key, &(provider, count)) in keys.iter().zip(outlets) {
        let entry = spellings.entry(key).or_default();
        entry.0 = entry.0.or(provider.domain.as_deref());
        entry.1 = entry.1.or(provider.logo.as_ref());
        *entry.2.entry(provider.name.as_str()).or_default() += count;
    }
    let feed_of = places(&spellings, &keys);
    let mut taken = BTreeSet::new();
    let table = spellings
        .into_values()
        .map(|(domain, logo, counts)| {
            let name = most_used(&counts).to_string();
            let slug = unique_slug(domain.unwrap_or(&name), &mut taken);
            let provider = Provider {
                name,
                domain: domain.map(str::to_string),
                logo: logo.cloned(),
            };
            (provider, slug)
        })
        .collect();
    (table, feed_of)
}

/// A path segment for `name`: lower-case ASCII letters, digits and `-` (non-ASCII
/// transliterated), never empty, never a name Windows reserves, at most [`MAX_SLUG_LEN`] long,
/// and not in `taken` (clashes get `-2`, `-3`, … in the order names arrive, which callers keep
/// sorted).
pub fn unique_slug(name: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base = slug::slugify(name);
    if base.len() > MAX_SLUG_LEN {
        let cut = base[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
        base.truncate(cut);
    }
    if base.is_empty() {
        base = "untitled".into();
    }
    if is_reserved(&base) {
        base.push_str("-feed");
    }
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

// Device names Windows refuses as file names, so a published tree can be copied anywhere.
fn is_reserved(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || ((slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.len() == 4
            && slug.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use chrono::{DateTime, TimeZone, Utc};

    use super::*;

    const G10: Grouping = Grouping {
        limit: 10,
        merge_related: true,
    };

    #[test]
    fn counting_topics_and_providers_in_stretches_is_one_pass_over_all() {
        let shared_topics: Vec<Arc<str>> = ["A", "B", "C", "D"].map(Arc::from).to_vec();
        let shared_outlets: Vec<Arc<Provider>> = (0..3)
            .map(|i| {
                Arc::new(Provider {
                    name: format!("P{i}"),
                    domain: None,
                    logo: None,
                })
            })
            .collect();
        let store = Store::memory();
        let heads: Vec<Head> = (0..50usize)
            .map(|i| {
                let item = crate::model::tests::sample_item(&format!("https://a.org/{i}"));
                let mut head = Head::new(&item, store.put(&item));
                // Names first used late, items with none, with several, without a provider.
                head.topics = (0..i % 3)
                    .map(|t| Arc::clone(&shared_topics[(i * 7 + t) % (1 + i / 12)]))
                    .collect();
                head.provider = (i % 5 != 0).then(|| Arc::clone(&shared_outlets[(i / 7) % 3]));
                head
            })
            .collect();
        let whole = Tally::all(&heads, usize::MAX);
        for chunk in [1, 2, 3, 7, 49] {
            let joined = Tally::all(&heads, chunk);
            assert_eq!(joined.names.values, whole.names.values, "{chunk}");
            assert_eq!(joined.outlets.values, whole.outlets.values, "{chunk}");
            assert_eq!(joined.name_places, whole.name_places, "{chunk}");
            assert_eq!(joined.name_start, whole.name_start, "{chunk}");
            assert_eq!(joined.outlet_place, whole.outlet_place, "{chunk}");
        }
        assert_eq!(whole.name_start.len(), heads.len() + 1);
        let uses: usize = whole.names.values.iter().map(|&(_, n)| n).sum();
        assert_eq!(uses, whole.name_places.len());
        assert_eq!(whole.names.values.len(), 4, "every name once");
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
        let (cat, _) = group_items(vec![a, b, c.clone()], G10);
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
        assert_eq!(cat.item(a).unwrap().related[0].id, "https://b/");
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
        let mut expected: Vec<(DateTime<Utc>, String)> =
            items.iter().map(|i| (i.published, i.id.clone())).collect();
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
            published: Utc.with_ymd_and_hms(2023, 1, day, 0, 0, 0).unwrap(),
            updated: Utc.with_ymd_and_hms(2023, 1, day, 0, 0, 0).unwrap(),
            provider: provider.map(|d| Provider {
                name: d.to_uppercase(),
                domain: Some(d.into()),
                logo: None,
            }),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            categories: Vec::new(),
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
            G10,
        );
        let ids: Vec<_> = c.items.iter().map(|i| &*i.id).collect();
        assert_eq!(ids, ["https://c/", "https://a/", "https://b/"]);
        // a and b share a publication instant; their `updated` differ, in id order.
        assert_eq!(c.items[1].updated, c.items[1].published);
        assert_eq!(
            c.items[2].updated - c.items[2].published,
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
            G10,
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
            G10,
        );
        assert_eq!(c.feeds.len(), 2);
        assert_eq!(c.feeds[1].dir, "topics/ai/");
        assert_eq!(c.feeds[1].name.as_deref(), Some("AI"));
        assert_eq!(c.feeds[1].items, [0, 1, 2]);
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
                merge_related: true,
            },
        );
        assert!(c.feeds.iter().all(|f| f.items.len() == 2));
        assert_eq!(c.feeds[2].dir, "providers/x-org/");
    }

    #[test]
    fn slugs_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique_slug("AI Hardware", &mut taken), "ai-hardware");
        assert_eq!(unique_slug("ai  hardware!", &mut taken), "ai-hardware-2");
        assert_eq!(unique_slug("../../etc", &mut taken), "etc");
        assert_eq!(unique_slug("/", &mut taken), "untitled");
        assert_eq!(unique_slug(".", &mut taken), "untitled-2");
        assert_eq!(unique_slug("con", &mut taken), "con-feed");
        assert_eq!(
            unique_slug("Künstliche Intelligenz", &mut taken),
            "kunstliche-intelligenz"
        );
        assert_eq!(unique_slug("人工智能", &mut taken), "ren-gong-zhi-neng");
        let long = unique_slug(&"word ".repeat(100), &mut taken);
        assert!(long.len() <= MAX_SLUG_LEN && !long.ends_with('-'), "{long}");
    }
}
