//! Article → head: what each article file the walk found comes to, as a [`Record`].
//!
//! A file the cache knows unchanged is taken from it unread; any other is read, parsed and
//! normalised, and its item goes into the item store, leaving only its small [`Head`] in the
//! record. Every provider and topic name is kept once however many heads carry it. Records
//! depend on the file and the [`ItemRules`] only; what depends on the clock or the input's
//! history (dating undated items, holding back a future-dated one) is decided afterwards, in
//! [`publishable`].

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use crate::cache::{self, Lookup, Stamp, Store};
use crate::config::ItemRules;
use crate::dating::{Dating, Sources};
use crate::diag::Diagnostic;
use crate::ingest::{self, Found};
use crate::model::{FirstSeen, Head, Kept, Kind, Provider, Record, Skip};
use crate::normalise::{self, Normalised, Outcome};
use crate::progress::Progress;

/// One article file, read: its record, the stamp to cache it under (none when it could not be
/// read), and whether the cache's entry for it changed.
pub struct Read {
    /// How the file looked.
    pub stamp: Option<Stamp>,
    /// What it came to.
    pub record: Record,
    /// Whether this differs from what the cache had.
    pub changed: bool,
}

/// Reads every file of `found`, each with its cached entry (`cached`, in the same order), on
/// every core. New items go into `store`.
pub fn read_all(
    found: &[Found],
    cached: Vec<Option<(Stamp, Record)>>,
    rules: &ItemRules,
    store: &Store,
    progress: &dyn Progress,
) -> Vec<Read> {
    progress.start("reading", found.len());
    let shared = Mutex::new(Shared::default());
    found
        .par_iter()
        .zip(cached)
        .map(|(file, entry)| {
            let mut read = read_one(file, rules, entry, store);
            // (Heads from the cache already share its tables' providers and names.)
            if let (true, Kept::Item(head)) = (read.changed, &mut read.record.outcome) {
                shared.lock().unwrap_or_else(|e| e.into_inner()).share(head);
            }
            progress.step();
            read
        })
        .collect()
}

/// What the records of the files `found` come to at `now`: the heads to group (each dated,
/// see [`crate::dating`]), every record's diagnostics (with a `future-date` warning for each
/// item held back), and how many files were unpublished, held back and rejected.
///
/// `dating` is called, once, at the first undated item: a corpus of dated items never reads
/// the input's history or the previous manifest.
pub fn publishable(
    found: &[Found],
    read: Vec<Read>,
    now: DateTime<Utc>,
    dating: impl FnOnce() -> Dating,
) -> Publishable {
    let (mut start_dating, mut dating) = (Some(dating), None::<Dating>);
    // Files that are no item now: their first-seen records are kept, if dating happens.
    let mut others: Vec<&Path> = Vec::new();
    let (mut heads, mut diagnostics) = (Vec::new(), Vec::new());
    let mut counts = Counts::default();
    for (file, Read { record, .. }) in found.iter().zip(read) {
        diagnostics.extend(record.diagnostics);
        match record.outcome {
            Kept::Item(mut head) => {
                if needs_date(&head) {
                    if dating.is_none() {
                        dating = start_dating.take().map(|start| start());
                    }
                    if let Some(Err(error)) =
                        dating.as_mut().map(|d| d.date(&mut head, record.date_line))
                    {
                        diagnostics.push(error);
                        counts.rejected += 1;
                        continue;
                    }
                }
                match normalise::hold_back(&head, record.date_line, now) {
                    Some(warning) => {
                        diagnostics.push(warning);
                        counts.held_back += 1;
                    }
                    None => heads.push(head),
                }
            }
            Kept::Unpublished => {
                others.push(&file.path);
                counts.unpublished += 1;
            }
            Kept::Rejected => {
                others.push(&file.path);
                counts.rejected += 1;
            }
            // Not articles: the pipeline lists the ones worth a word by path.
            Kept::Skipped(_) => {}
            Kept::Excluded => counts.excluded += 1,
        }
    }
    let dated_by = dating.as_ref().map(Dating::sources).unwrap_or_default();
    let first_seen = dating.map(|mut dating| {
        for path in others {
            dating.keep(path);
        }
        let (first_seen, warnings) = dating.finish();
        diagnostics.extend(warnings);
        first_seen
    });
    Publishable {
        heads,
        diagnostics,
        counts,
        first_seen,
        dated_by,
    }
}

/// Whether `head` is an undated item to date. A profile is never a feed item (however it is
/// left out, it needs no date).
fn needs_date(head: &Head) -> bool {
    !head.dated && head.kind != Kind::Profile
}

/// What [`publishable`] makes of the records.
#[derive(Debug, Default)]
pub struct Publishable {
    /// The heads to group, dated.
    pub heads: Vec<Box<Head>>,
    /// Every record's diagnostics, and dating's.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were left out, and why.
    pub counts: Counts,
    /// The first-seen dates to record in the manifest; `None` when no item was undated (the
    /// previous manifest's stand).
    pub first_seen: Option<FirstSeen>,
    /// How many undated items got their date from each source.
    pub dated_by: Sources,
}

/// The files of `found` that turned out not to be articles (`read` in the same order): the
/// paths of those the summary names (a README, not a web page), and how many there are in all.
pub fn skipped(found: &[Found], read: &[Read]) -> (Vec<PathBuf>, usize) {
    let (mut named, mut all) = (Vec::new(), 0);
    for (file, read) in found.iter().zip(read) {
        if let Kept::Skipped(skip) = read.record.outcome {
            all += 1;
            if skip == Skip::NotAnArticle {
                named.push(file.path.clone());
            }
        }
    }
    (named, all)
}

/// How many files were left out of the feeds, and why.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// `published: false` / `removed: true`.
    pub unpublished: usize,
    /// Dated in the future.
    pub held_back: usize,
    /// Left out because of errors.
    pub rejected: usize,
    /// Not feed items by a documented rule (profiles).
    pub excluded: usize,
}

/// One copy of every provider and topic name, however many heads carry it.
#[derive(Default)]
struct Shared {
    providers: HashSet<Arc<Provider>>,
    topics: HashSet<Arc<str>>,
}

impl Shared {
    fn share(&mut self, head: &mut Head) {
        if let Some(provider) = head.provider.take() {
            head.provider = Some(one(&mut self.providers, provider));
        }
        for topic in head.topics.iter_mut() {
            *topic = one(&mut self.topics, std::mem::replace(topic, Arc::from("")));
        }
    }
}

fn one<T: ?Sized + Eq + std::hash::Hash>(set: &mut HashSet<Arc<T>>, value: Arc<T>) -> Arc<T> {
    match set.get(&value) {
        Some(shared) => Arc::clone(shared),
        None => {
            set.insert(Arc::clone(&value));
            value
        }
    }
}

/// One article file (as found) → what normalise makes of it, from its cache entry when the
/// file is unchanged. A new item goes into `store`.
fn read_one(
    file: &Found,
    rules: &ItemRules,
    entry: Option<(Stamp, Record)>,
    store: &Store,
) -> Read {
    let (path, peek) = (file.path.as_path(), file.stamp);
    let size = peek.map(|(size, _)| size);
    let read = || ingest::read_sized(path, rules.max_file_size, size).ok();
    let cached = entry.as_ref().map(|(stamp, _)| *stamp);
    let bytes = match cache::lookup(entry, peek, read) {
        // Touched but the same bytes: the record stands, under a fresh stamp.
        Lookup::Hit(stamp, record) => {
            return Read {
                stamp: Some(stamp),
                record,
                changed: cached != Some(stamp),
            };
        }
        Lookup::Changed(bytes) => bytes,
        Lookup::Miss => match ingest::read_sized(path, rules.max_file_size, size) {
            Ok(bytes) => bytes,
            // A web page too large to read is still only a web page.
            Err(_) if ingest::is_html(path) && !ingest::opens_front_matter(path) => {
                return fresh(None, Normalised::skipped(Skip::Page), store);
            }
            Err(diagnostic) => return fresh(None, Normalised::failed(diagnostic), store),
        },
    };
    let stamp = peek.map(|(size, mtime)| Stamp {
        size,
        mtime,
        sum: Stamp::hash(&bytes),
    });
    fresh(stamp, normalise_bytes(path, bytes, rules), store)
}

/// Decodes, parses and normalises one file's bytes, unless it is not an article at all.
fn normalise_bytes(path: &Path, bytes: Vec<u8>, rules: &ItemRules) -> Normalised {
    if ingest::is_html(path) && !ingest::opens_with_fence(&bytes) {
        return Normalised::skipped(Skip::Page);
    }
    let text = match ingest::decode(path, bytes) {
        Ok(text) => text,
        Err(diagnostic) => return Normalised::failed(diagnostic),
    };
    if let Some(skip) = ingest::skip(path, &text) {
        return Normalised::skipped(skip);
    }
    match ingest::parse_text(path, &text) {
        Ok(parsed) => normalise::normalise(&parsed, rules),
        Err(diagnostic) => Normalised::failed(diagnostic),
    }
}

/// A file read anew: what normalise made of it, its item put into `store`.
fn fresh(stamp: Option<Stamp>, normalised: Normalised, store: &Store) -> Read {
    Read {
        stamp,
        record: keep(normalised, store),
        changed: true,
    }
}

/// What normalise made of a file, its item put into `store`.
pub fn keep(normalised: Normalised, store: &Store) -> Record {
    let outcome = match normalised.outcome {
        Outcome::Item(item) => Kept::Item(Box::new(Head::new(&item, store.put(&item)))),
        Outcome::Unpublished => Kept::Unpublished,
        Outcome::Rejected => Kept::Rejected,
        Outcome::Skipped(skip) => Kept::Skipped(skip),
        Outcome::Excluded => Kept::Excluded,
    };
    Record {
        outcome,
        diagnostics: normalised.diagnostics,
        date_line: normalised.date_line,
    }
}
