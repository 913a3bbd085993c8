//! Collections: each collection's members (paths below the learning folder, without extension,
//! as the site writes them: `videos/intro-1-of-8`) resolved to the published items whose files
//! they name, so feeds can link them.
//!
//! Only collections pay for this: without one in the catalogue, nothing is read or indexed.

use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

use super::Catalog;
use crate::model::{ItemSource, Kind};

/// Fills [`Catalog::members`] for every collection in `catalog`: the items
/// its members name, in the collection's order, each once, never the collection itself. A
/// member names the item whose file has that stem in a folder of that name (`videos/x` names
/// `…/videos/x.md`); a member without a folder names the one file of that stem, if only one
/// has it. Members that name no published item are left out.
pub fn resolve_members(catalog: &mut Catalog, source: &dyn ItemSource) {
    let collections: Vec<usize> = (catalog.items.iter().enumerate())
        .filter(|(_, head)| head.kind == Kind::Collection)
        .map(|(i, _)| i)
        .collect();
    if collections.is_empty() {
        return;
    }
    let mut by_folder: HashMap<(&str, &str), u32> = HashMap::default();
    let mut by_stem: HashMap<&str, Option<u32>> = HashMap::default();
    for (i, head) in catalog.items.iter().enumerate() {
        let Some(stem) = head.source.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let folder = (head.source.parent())
            .and_then(Path::file_name)
            .and_then(|f| f.to_str())
            .unwrap_or("");
        by_folder.entry((folder, stem)).or_insert(i as u32);
        by_stem
            .entry(stem)
            .and_modify(|one| *one = None)
            .or_insert(Some(i as u32));
    }
    let mut resolved = Vec::with_capacity(collections.len());
    for &i in &collections {
        // An item that cannot be read back is reported when its feeds are rendered.
        let Ok(item) = source.item(catalog.items[i].item) else {
            continue;
        };
        let mut members: Vec<u32> = Vec::new();
        for member in &item.details.members {
            let mut parts = member.rsplit('/');
            let stem = parts.next().unwrap_or_default();
            let found = match parts.next() {
                Some(folder) => by_folder.get(&(folder, stem)).copied(),
                None => by_stem.get(stem).copied().flatten(),
            };
            if let Some(m) = found
                && m as usize != i
                && !members.contains(&m)
            {
                members.push(m);
            }
        }
        resolved.push((i, members));
    }
    resolved.retain(|(_, members)| !members.is_empty());
    resolved.sort_by_key(|(i, _)| *i);
    catalog.members = resolved
        .into_iter()
        .map(|(i, members)| (i as u32, members))
        .collect();
}
