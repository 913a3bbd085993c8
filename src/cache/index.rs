//! The index's stored shapes: how `index.bin` and each journal record lay out what the cache
//! knows of every article file (its [`Stamp`] and [`Record`]), with each provider and topic
//! name once, in tables the heads point into; and how they are read back, entry by entry.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::diag::Diagnostic;
use crate::model::{Head, HeadExtra, IdKey, ItemRef, Kept, Kind, Provider, Record, Skip};

#[derive(Serialize, Deserialize)]
pub(super) struct Header {
    pub(super) format: u32,
    pub(super) version: String,
    /// [`super::rules_key`] of the rules the entries were made under.
    pub(super) rules: u64,
    /// The data file this index goes with.
    pub(super) generation: u64,
    /// Which full index this is: a journal goes with the index of the same epoch.
    pub(super) epoch: u64,
    /// How much of the data file it covers.
    pub(super) data_len: u64,
}

/// The index (or a journal record) as written: each provider and topic name once, in tables
/// the heads point into, then the entries. [`take_header`] and [`take_entries`] read it back
/// field by field.
#[derive(Serialize)]
#[serde(bound = "Lazy<'a, I>: Serialize")]
pub(super) struct Stored<'a, I> {
    header: Header,
    providers: Vec<&'a Provider>,
    topics: Vec<&'a str>,
    entries: Lazy<'a, I>,
}

#[derive(Serialize, Deserialize)]
struct StoredRecord<S, D> {
    outcome: StoredKept<S>,
    diagnostics: D,
    date_line: usize,
}

#[derive(Serialize, Deserialize)]
enum StoredKept<S> {
    Item(StoredHead<S>),
    Unpublished,
    Rejected,
    Skipped(Skip),
    Excluded,
}

/// A [`Head`] without its source (the entry's path) and with its provider and topics as
/// places in the index's tables.
#[derive(Serialize, Deserialize)]
struct StoredHead<S> {
    id: S,
    key: IdKey,
    #[serde(with = "timestamp")]
    published: DateTime<Utc>,
    dated: bool,
    kind: Kind,
    heat: i64,
    /// [`Head::start`] as seconds and nanoseconds since the Unix epoch.
    start: Option<(i64, u32)>,
    quality: i64,
    topics: Vec<u32>,
    provider: Option<u32>,
    related: Vec<IdKey>,
    digest: u64,
    item: ItemRef,
}

/// A time as seconds and nanoseconds since the Unix epoch: exact, and far cheaper to decode
/// than the RFC 3339 text chrono's serde writes.
mod timestamp {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(time: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        (time.timestamp(), time.timestamp_subsec_nanos()).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let (secs, nanos) = <(i64, u32)>::deserialize(d)?;
        DateTime::from_timestamp(secs, nanos)
            .ok_or_else(|| serde::de::Error::custom("time out of range"))
    }
}

/// Every file the cache knows, in the order files are discovered: how it looked and what it
/// came to.
pub(super) type Entries = Vec<(PathBuf, Stamp, Record)>;
/// Files and what the cache now knows of them: `None` for a file it forgets.
pub(super) type Changes = Vec<(PathBuf, Option<(Stamp, Record)>)>;
type OwnedRecord = StoredRecord<Box<str>, Vec<Diagnostic>>;
/// What [`super::Cache::save`] writes: each file, its stamp and record (no stamp: it could not be
/// read, and the cache forgets it), and whether that changed since the cache was opened.
pub type Saved<'a> = (&'a Path, Option<Stamp>, &'a Record, bool);

/// The entries to write, each turned into its stored form only as it is written, so saving
/// needs no second copy of the index in memory.
struct Lazy<'a, I> {
    entries: I,
    providers: HashMap<&'a Provider, u32>,
    topics: HashMap<&'a str, u32>,
}

pub(super) type Change<'a> = (&'a Path, Option<(Stamp, &'a Record)>);

impl<'a, I: Iterator<Item = Change<'a>> + Clone> Serialize for Lazy<'a, I> {
    fn serialize<Se: serde::Serializer>(&self, serializer: Se) -> Result<Se::Ok, Se::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.entries.clone().count()))?;
        for (path, change) in self.entries.clone() {
            let Some((stamp, record)) = change else {
                seq.serialize_element(&(path, None::<()>))?;
                continue;
            };
            let outcome = match &record.outcome {
                Kept::Item(h) => StoredKept::Item(StoredHead {
                    id: &*h.id,
                    key: h.key,
                    published: h.published,
                    dated: h.dated,
                    kind: h.kind.clone(),
                    heat: h.heat,
                    start: h
                        .start()
                        .map(|t| (t.timestamp(), t.timestamp_subsec_nanos())),
                    quality: h.quality,
                    topics: h.topics.iter().map(|t| self.topics[&**t]).collect(),
                    provider: h.provider.as_deref().map(|p| self.providers[p]),
                    related: h.related.to_vec(),
                    digest: h.digest,
                    item: h.item,
                }),
                Kept::Unpublished => StoredKept::Unpublished,
                Kept::Rejected => StoredKept::Rejected,
                Kept::Skipped(skip) => StoredKept::Skipped(*skip),
                Kept::Excluded => StoredKept::Excluded,
            };
            let record = StoredRecord {
                outcome,
                diagnostics: &record.diagnostics[..],
                date_line: record.date_line,
            };
            seq.serialize_element(&(path, Some((stamp, record))))?;
        }
        seq.end()
    }
}

/// The providers and topic names of a stored index or journal record, shared by the heads
/// read from it.
struct Tables {
    providers: Vec<Arc<Provider>>,
    topics: Vec<Arc<str>>,
}

impl Tables {
    /// A stored record as it was saved, its head sharing the tables' values; `None` when it
    /// points outside the tables.
    fn record(&self, path: &Path, record: OwnedRecord) -> Option<Record> {
        let outcome = match record.outcome {
            StoredKept::Item(h) => Kept::Item(Box::new(Head {
                id: h.id,
                key: h.key,
                published: h.published,
                dated: h.dated,
                heat: h.heat,
                kind: h.kind,
                extra: HeadExtra::of(match h.start {
                    Some((secs, nanos)) => Some(DateTime::from_timestamp(secs, nanos)?),
                    None => None,
                }),
                quality: h.quality,
                source: path.into(),
                topics: h
                    .topics
                    .iter()
                    .map(|&t| self.topics.get(t as usize).cloned())
                    .collect::<Option<_>>()?,
                provider: match h.provider {
                    Some(p) => Some(Arc::clone(self.providers.get(p as usize)?)),
                    None => None,
                },
                related: h.related.into(),
                digest: h.digest,
                item: h.item,
            })),
            StoredKept::Unpublished => Kept::Unpublished,
            StoredKept::Rejected => Kept::Rejected,
            StoredKept::Skipped(skip) => Kept::Skipped(skip),
            StoredKept::Excluded => Kept::Excluded,
        };
        Some(Record {
            outcome,
            diagnostics: record.diagnostics,
            date_line: record.date_line,
        })
    }
}

/// The header of a stored index or journal record, and the bytes after it.
pub(super) fn take_header(bytes: &[u8]) -> Option<(Header, &[u8])> {
    postcard::take_from_bytes(bytes).ok()
}

/// Reads the rest of a stored [`Stored`] after its header: its tables, then its entries, each
/// turned into a [`Record`] as it is decoded. (Postcard writes a struct as its fields one after
/// another and a sequence as its length and then its elements, so reading them one at a time
/// reads exactly what `Stored` wrote, without growing a vector of stored entries first.)
pub(super) fn take_entries(rest: &[u8]) -> Option<Changes> {
    take_entries_into(rest, Changes::with_capacity, |changes, path, change| {
        changes.push((path, change));
        Some(())
    })
}

/// [`take_entries`], each entry handed to `push` as it is decoded (into what `start` made for
/// the count of entries announced), so a full index goes straight into its final vector.
pub(super) fn take_entries_into<T>(
    rest: &[u8],
    start: impl FnOnce(usize) -> T,
    mut push: impl FnMut(&mut T, PathBuf, Option<(Stamp, Record)>) -> Option<()>,
) -> Option<T> {
    let (providers, rest): (Vec<Provider>, _) = postcard::take_from_bytes(rest).ok()?;
    let (topics, rest): (Vec<Box<str>>, _) = postcard::take_from_bytes(rest).ok()?;
    let tables = Tables {
        providers: providers.into_iter().map(Arc::new).collect(),
        topics: topics.into_iter().map(Arc::from).collect(),
    };
    let (count, mut rest): (usize, _) = postcard::take_from_bytes(rest).ok()?;
    // An entry takes at least 2 bytes (a path's length and an option's tag): a count the bytes
    // cannot hold is not believed.
    let mut out = start(count.min(rest.len() / 2));
    for _ in 0..count {
        type Entry = (PathBuf, Option<(Stamp, OwnedRecord)>);
        let ((path, change), after): (Entry, _) = postcard::take_from_bytes(rest).ok()?;
        rest = after;
        let change = match change {
            Some((stamp, stored)) => Some((stamp, tables.record(&path, stored)?)),
            None => None,
        };
        push(&mut out, path, change)?;
    }
    rest.is_empty().then_some(out)
}

impl<'a, I: Iterator<Item = Change<'a>> + Clone> Stored<'a, I> {
    pub(super) fn new(header: Header, entries: I) -> Self {
        let mut lazy = Lazy {
            entries: entries.clone(),
            providers: HashMap::default(),
            topics: HashMap::default(),
        };
        let (mut providers, mut topics) = (Vec::new(), Vec::new());
        for (_, change) in entries {
            let Some((
                _,
                Record {
                    outcome: Kept::Item(h),
                    ..
                },
            )) = change
            else {
                continue;
            };
            for topic in &h.topics {
                lazy.topics.entry(&**topic).or_insert_with(|| {
                    topics.push(&**topic);
                    topics.len() as u32 - 1
                });
            }
            if let Some(provider) = h.provider.as_deref() {
                lazy.providers.entry(provider).or_insert_with(|| {
                    providers.push(provider);
                    providers.len() as u32 - 1
                });
            }
        }
        Stored {
            header,
            providers,
            topics,
            entries: lazy,
        }
    }
}
