//! Stories: within one feed, articles linked through `related` are one story, carried once
//! under its best report (highest `quality`, then newest, then smallest id); the others still
//! show as its related coverage.

use std::cmp::Reverse;

use rustc_hash::FxHashMap as HashMap;

use crate::model::Head;

/// Which items of a feed are one story (see [`group`]), and how a feed's members are cut.
pub(super) struct Stories<'a> {
    items: &'a [Head],
    /// Every item's related items (see [`link_related`]; empty when no item links another).
    links: Vec<Vec<u32>>,
    /// Items per feed.
    limit: usize,
    /// Whether any two items are linked, so stories can merge.
    linked: bool,
    /// How many members to collect per feed before merging: all of them when merging, since
    /// merging can drop members.
    pub(super) collect_limit: usize,
}

impl<'a> Stories<'a> {
    /// The stories of `items` linked by `links`, merged when `merge_related`; feeds keep
    /// `limit` items.
    pub(super) fn new(
        items: &'a [Head],
        links: Vec<Vec<u32>>,
        limit: usize,
        merge_related: bool,
    ) -> Self {
        let linked = merge_related && !links.is_empty();
        Stories {
            items,
            links,
            limit,
            linked,
            collect_limit: if linked { usize::MAX } else { limit },
        }
    }

    /// Whether stories merge, so a feed must collect every member before it is cut.
    pub(super) fn linked(&self) -> bool {
        self.linked
    }

    /// Merges stories among `members` (in the feed's order) and keeps at most `limit`.
    pub(super) fn finish(&self, members: Vec<usize>) -> Vec<usize> {
        self.finish_to(members, self.limit)
    }

    /// [`Stories::finish`] with a limit of the feed's own.
    pub(super) fn finish_to(&self, mut members: Vec<usize>, limit: usize) -> Vec<usize> {
        if self.linked {
            members = self.merge(members);
        }
        members.truncate(limit);
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
