//! One item per link: of the files sharing one canonical link, the item with the newest date
//! is kept; on equal dates the higher `quality`, then the file whose path sorts first. Each
//! other file gets a `duplicate-link` warning naming the one published.

use std::cmp::Reverse;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::diag::{Code, Diagnostic};
use crate::model::{Head, IdKey};

// Boxed as they were read, so dropping duplicates moves pointers, not heads.
#[allow(clippy::vec_box)]
pub(super) fn deduplicate(items: Vec<Box<Head>>) -> (Vec<Box<Head>>, Vec<Diagnostic>) {
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
                Code::DuplicateLink,
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
