//! Select: which items a filter lets through (the `include:` every feed applies, and each feed
//! the newsroom defines), and the order of a defined feed.
//!
//! A filter is resolved once against the catalogue's tables — its topic names to places among
//! the topics, its providers to a yes or no for each distinct provider — so testing an item
//! reads only its head and what grouping already noted (its topics' places, its provider's
//! place): no item is decoded, no name folded, and a definition costs one pass over the items.

use std::cmp::Reverse;

use crate::config::{Filter, Sort};
use crate::model::{Head, Provider, Topic, topic_key};

/// A [`Filter`] resolved against one catalogue's topics and providers.
pub(super) struct Selector<'a> {
    filter: &'a Filter,
    /// For each topic: one of `filter.topics` (`None` when the filter names none).
    any: Option<Vec<bool>>,
    /// The places of `filter.all_topics`; `None` when one of them is no topic at all (then no
    /// item has every one).
    all: Option<Vec<u32>>,
    /// For each topic: one of `filter.exclude_topics` (empty when it names none).
    exclude: Vec<bool>,
    /// For each distinct provider: one of `filter.providers` (`None` when it names none).
    outlets: Option<Vec<bool>>,
}

impl<'a> Selector<'a> {
    /// `filter` against the catalogue's `topics` and its distinct providers, `outlets`.
    pub(super) fn new(
        filter: &'a Filter,
        topics: &[Topic],
        outlets: &[(&Provider, usize)],
    ) -> Self {
        let keys: Vec<String> = if filter.topics.is_empty()
            && filter.all_topics.is_empty()
            && filter.exclude_topics.is_empty()
        {
            Vec::new()
        } else {
            topics.iter().map(|t| topic_key(&t.name)).collect()
        };
        let marks = |names: &[String]| -> Vec<bool> {
            keys.iter()
                .map(|k| names.binary_search(k).is_ok())
                .collect()
        };
        let any = (!filter.topics.is_empty()).then(|| marks(&filter.topics));
        let exclude = if filter.exclude_topics.is_empty() {
            Vec::new()
        } else {
            marks(&filter.exclude_topics)
        };
        let all = filter
            .all_topics
            .iter()
            .map(|name| keys.iter().position(|k| k == name).map(|p| p as u32))
            .collect::<Option<Vec<u32>>>();
        let outlets = (!filter.providers.is_empty()).then(|| {
            outlets
                .iter()
                .map(|(provider, _)| {
                    let name = topic_key(&provider.name);
                    filter.providers.iter().any(|wanted| {
                        *wanted == name || provider.domain.as_deref() == Some(wanted.as_str())
                    })
                })
                .collect()
        });
        Selector {
            filter,
            any,
            all,
            exclude,
            outlets,
        }
    }

    /// Whether the item with `head`, its topics' places `topics` and its provider's place
    /// `outlet` passes.
    pub(super) fn accepts(&self, head: &Head, topics: &[u32], outlet: Option<u32>) -> bool {
        let f = self.filter;
        f.accepts_kind(&head.kind)
            && f.min_quality.is_none_or(|min| head.quality >= min)
            && f.min_heat.is_none_or(|min| head.heat >= min)
            && f.since.is_none_or(|since| head.published >= since)
            && self
                .any
                .as_ref()
                .is_none_or(|any| topics.iter().any(|&t| any[t as usize]))
            && self
                .all
                .as_ref()
                .is_some_and(|all| all.iter().all(|t| topics.contains(t)))
            && (self.exclude.is_empty() || !topics.iter().any(|&t| self.exclude[t as usize]))
            && self.outlets.as_ref().is_none_or(|outlets| {
                outlet.is_some_and(|o| outlets.get(o as usize).copied().unwrap_or(false))
            })
    }
}

/// Orders `members` (indices into `items`, newest first) by `sort`; stable, so ties stay
/// newest first, then by id.
pub(super) fn sort(members: &mut [usize], items: &[Head], sort: Sort) {
    match sort {
        Sort::Newest => {}
        Sort::Heat => members.sort_by_key(|&i| Reverse(items[i].heat)),
        Sort::Quality => members.sort_by_key(|&i| Reverse(items[i].quality)),
        Sort::Start => by_start(members, items),
    }
}

/// Latest start first; items without a start after them, newest first.
pub(super) fn by_start(members: &mut [usize], items: &[Head]) {
    members.sort_by_key(|&i| (items[i].start().is_none(), Reverse(items[i].start())));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Store;
    use crate::model::Kind;

    #[test]
    fn every_key_of_a_filter_is_tested() {
        let store = Store::memory();
        let item = crate::model::tests::sample_item("https://a.org/1");
        let mut head = Head::new(&item, store.put(&item));
        head.quality = 50;
        head.heat = 5;
        let topics = [
            Topic {
                name: "AI".into(),
                slug: "ai".into(),
            },
            Topic {
                name: "Cars".into(),
                slug: "cars".into(),
            },
        ];
        let outlet = Provider {
            name: "Outlet".into(),
            domain: Some("outlet.example".into()),
            logo: None,
        };
        let outlets = [(&outlet, 1)];
        let passes_as = |head: &Head, filter: Filter, on: &[u32]| {
            Selector::new(&filter, &topics, &outlets).accepts(head, on, Some(0))
        };
        let passes = |filter: Filter, on: &[u32]| passes_as(&head, filter, on);
        let key = |s: &str| vec![s.to_string()];
        assert!(passes(Filter::default(), &[0]));
        assert!(passes(
            Filter {
                topics: key("ai"),
                all_topics: key("cars"),
                providers: key("outlet.example"),
                min_quality: Some(50),
                min_heat: Some(5),
                kinds: Some(vec![Kind::Article]),
                ..Filter::default()
            },
            &[0, 1]
        ));
        for filter in [
            Filter {
                topics: key("cars"),
                ..Filter::default()
            },
            Filter {
                all_topics: vec!["ai".into(), "nowhere".into()],
                ..Filter::default()
            },
            Filter {
                exclude_topics: key("ai"),
                ..Filter::default()
            },
            Filter {
                providers: key("other"),
                ..Filter::default()
            },
            Filter {
                min_quality: Some(51),
                ..Filter::default()
            },
            Filter {
                min_heat: Some(6),
                ..Filter::default()
            },
            Filter {
                kinds: Some(vec![Kind::Video]),
                ..Filter::default()
            },
            Filter {
                since: Some(head.published + chrono::Duration::seconds(1)),
                ..Filter::default()
            },
        ] {
            assert!(!passes(filter.clone(), &[0]), "{filter:?}");
        }
        assert!(passes(
            Filter {
                providers: key("outlet"),
                ..Filter::default()
            },
            &[]
        ));
        let mut profile = head.clone();
        profile.kind = Kind::Profile;
        assert!(
            !passes_as(&profile, Filter::default(), &[0]),
            "profiles never"
        );
    }
}
