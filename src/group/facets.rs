//! Facets: the distinct topics and providers of the catalogue, counted on every core, each
//! shown under its most used spelling and given a slug; and the kinds of item, named.
//!
//! A provider's slug is a function of its own domain and name ([`Provider::key`], slugged by
//! [`stable_slug`]): providers whose keys slug alike are one provider, and no provider added to
//! the input renames another's feed. Topics are numbered on a clash (`ai-hardware-2`), as ever.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::slugs::{stable_slug, unique_slug};
use crate::model::{Head, Image, Kind, Provider, Topic, topic_key};

/// Picks the display name of a group of spellings: the most used, ties to the smallest.
fn most_used<'a>(counts: &BTreeMap<&'a str, usize>) -> &'a str {
    counts
        .iter()
        .max_by_key(|(name, count)| (**count, Reverse(**name)))
        .map_or("", |(name, _)| name)
}

/// The distinct values of a field that heads share, by address, in order of first use (items
/// are newest first), each with how many items use it.
pub(super) struct Distinct<'a, T: ?Sized> {
    /// Places by the value's address.
    index: HashMap<usize, u32>,
    pub(super) values: Vec<(&'a T, usize)>,
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
pub(super) const TALLY_CHUNK: usize = 8192;

/// The distinct names and providers of a stretch of items, and each item's places among them.
pub(super) struct Tally<'a> {
    pub(super) names: Distinct<'a, str>,
    pub(super) outlets: Distinct<'a, Provider>,
    pub(super) name_places: Vec<u32>,
    /// Where each item's names start in `name_places`.
    pub(super) name_start: Vec<usize>,
    pub(super) outlet_place: Vec<Option<u32>>,
}

impl<'a> Tally<'a> {
    /// The tally of all `items` (`name_start` with one more entry, the end), counted on every
    /// core `chunk` items at a time and joined in order: the same as one pass over them all.
    pub(super) fn all(items: &'a [Head], chunk: usize) -> Self {
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
pub(super) fn topic_table(names: &[(&str, usize)]) -> (Vec<Topic>, Vec<u32>) {
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

/// Every provider feed, in order of its slug: the provider to show (most used name, the
/// newest domain and logo) and its slug; and the feed of each distinct provider (`outlets`, in
/// order of first use, with their use counts).
pub(super) fn provider_table(
    outlets: &[(&Provider, usize)],
) -> (Vec<(Provider, String)>, Vec<u32>) {
    type Seen<'a> = (Option<&'a str>, Option<&'a Image>, BTreeMap<&'a str, usize>);
    let slugs: Vec<String> = outlets.iter().map(|(p, _)| stable_slug(&p.key())).collect();
    let mut spellings: BTreeMap<&str, Seen<'_>> = BTreeMap::new();
    for (slug, &(provider, count)) in slugs.iter().zip(outlets) {
        let entry = spellings.entry(slug).or_default();
        entry.0 = entry.0.or(provider.domain.as_deref());
        entry.1 = entry.1.or(provider.logo.as_ref());
        *entry.2.entry(provider.name.as_str()).or_default() += count;
    }
    let feed_of = places(&spellings, &slugs);
    let table = spellings
        .into_iter()
        .map(|(slug, (domain, logo, counts))| {
            let provider = Provider {
                name: most_used(&counts).to_string(),
                domain: domain.map(str::to_string),
                logo: logo.cloned(),
            };
            (provider, slug.to_string())
        })
        .collect();
    (table, feed_of)
}

/// How a kind's feed is titled: `Videos`, `Events`; a kind of its own under its name.
pub(super) fn kind_label(kind: &Kind) -> String {
    let label = match kind {
        Kind::Article => "Articles",
        Kind::Video => "Videos",
        Kind::Event => "Events",
        Kind::Course => "Courses",
        Kind::Book => "Books",
        Kind::Answer => "Answers",
        Kind::Collection => "Collections",
        Kind::Download => "Downloads",
        Kind::Newsletter => "Newsletters",
        Kind::Profile => "Profiles",
        Kind::Other(name) => {
            let mut chars = name.chars();
            return chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
        }
    };
    label.to_string()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::cache::Store;

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

    fn provider(name: &str, domain: &str) -> Provider {
        Provider {
            name: name.into(),
            domain: Some(domain.into()),
            logo: None,
        }
    }

    fn slugs(outlets: &[Provider]) -> Vec<String> {
        let counted: Vec<(&Provider, usize)> = outlets.iter().map(|p| (p, 1)).collect();
        let (table, feed_of) = provider_table(&counted);
        feed_of
            .iter()
            .map(|&f| table[f as usize].1.clone())
            .collect()
    }

    #[test]
    fn channels_on_one_domain_are_feeds_of_their_own_with_stable_slugs() {
        let two = [
            provider("Adrian Twarog", "youtube.com"),
            provider("Futurology", "youtube.com"),
        ];
        let before = slugs(&two);
        assert_eq!(
            before,
            ["youtube-com-adrian-twarog", "youtube-com-futurology"]
        );
        // A third channel, whose slug sorts first, renames neither.
        let mut three = vec![provider("Aardvark", "youtube.com")];
        three.extend(two.iter().cloned());
        assert_eq!(slugs(&three)[1..], before[..]);
        // A name that spells the domain keeps the domain's folder; spellings alike share it.
        assert_eq!(
            slugs(&[
                provider("TechSpot", "techspot.com"),
                provider("Techspot", "techspot.com")
            ]),
            ["techspot-com", "techspot-com"]
        );
    }
}
