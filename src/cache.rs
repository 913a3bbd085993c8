//! The cache of normalised articles, so a rebuild re-reads only the files that changed.
//!
//! Three files in the cache folder:
//! - `items.bin`, the [`Store`]'s data file: every item, encoded, appended as articles are
//!   normalised. Items of changed articles are appended again; the old copies are dead bytes,
//!   and once they outweigh the live ones (and pass 1 MiB) the next build starts it afresh.
//! - `index.bin` (postcard): for every article file its size, mtime and content checksum and what
//!   `normalise` made of it — the item's [`Head`] and where the item is, or why there is none,
//!   and the file's diagnostics — with each provider and topic name once, in tables.
//! - `journal.bin`: what each later build changed (files changed, added, gone), as framed,
//!   checksummed records appended after the index's; a full index is written again once the
//!   journal passes a quarter of it. A torn or foreign record ends the journal there.
//!
//! Loading the index and replaying the journal is all a rebuild reads of the cache up front.
//!
//! A file whose size and mtime are unchanged is taken from the cache unread; one whose size or
//! mtime changed is read and hashed, and re-parsed only when its hash changed. The cache is
//! versioned and keyed by the settings that shape items; an index from another version or other
//! settings, or one that does not decode or does not match its data file, is ignored, and an
//! item whose bytes changed behind newswire's back makes the build start again without the
//! cache. It is safe to delete at any time, and a build with or without it writes the same
//! bytes. One build at a time adds to it (a file lock); a build that finds it locked reads it
//! and saves nothing.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::diag::Diagnostic;
use crate::ingest::Found;
use crate::model::{Head, IdKey, Provider};
use crate::store::{Loc, Store, Summed, checksum};

/// Bumped whenever the stored shapes change, or what normalising makes of an article does
/// (2: provider domains must be DNS host names; 3: heads in an index, items in a data file;
/// 4: the index ends with a checksum; 5: items' checksums taken by block, as the index's;
/// 6: inputs confirmed by that checksum, not SHA-256), so no cached entry outlives the rules
/// that made it.
const FORMAT: u32 = 6;
/// The index inside the cache folder.
pub const INDEX: &str = "index.bin";
/// The data file inside the cache folder.
pub const DATA: &str = "items.bin";
/// The journal inside the cache folder: changes since the full index, appended by each build.
pub const JOURNAL: &str = "journal.bin";
/// The data file's first bytes, followed by its generation (8 bytes, little-endian).
const MAGIC: &[u8; 8] = b"nwitems\0";
/// The journal's first bytes, followed by the epoch of the full index it goes with.
const JOURNAL_MAGIC: &[u8; 8] = b"nwjournl";
const HEADER_LEN: u64 = 16;

/// How a file looked when it was normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch (saturating: 1677–2262).
    pub mtime: i64,
    /// [`checksum`] of the content: it confirms a change the size and mtime suggest.
    pub sum: u64,
}

impl Stamp {
    /// The content checksum of `bytes`. Not cryptographic, and need not be: whoever could
    /// forge a collision writes the articles anyway.
    pub fn hash(bytes: &[u8]) -> u64 {
        checksum(bytes)
    }
}

/// What one article file came to: an item (its head; the item is in the store), or none, and
/// the file's diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// What became of the article.
    pub outcome: Kept,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The file line of the article's date, for a later `future-date` warning.
    pub date_line: usize,
}

/// What became of an article (see [`crate::normalise::Outcome`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Kept {
    /// It goes into feeds.
    Item(Box<Head>),
    /// `published: false` or `removed: true`.
    Unpublished,
    /// Too broken to publish.
    Rejected,
}

#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    settings: String,
    /// The data file this index goes with.
    generation: u64,
    /// Which full index this is: a journal goes with the index of the same epoch.
    epoch: u64,
    /// How much of the data file it covers.
    data_len: u64,
}

/// The index (or a journal record) as written: each provider and topic name once, in tables
/// the heads point into, then the entries. [`take_header`] and [`take_entries`] read it back
/// field by field.
#[derive(Serialize)]
#[serde(bound = "Lazy<'a, I>: Serialize")]
struct Stored<'a, I> {
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
}

/// A [`Head`] without its source (the entry's path) and with its provider and topics as
/// places in the index's tables.
#[derive(Serialize, Deserialize)]
struct StoredHead<S> {
    id: S,
    key: IdKey,
    #[serde(with = "timestamp")]
    published: DateTime<Utc>,
    quality: i64,
    topics: Vec<u32>,
    provider: Option<u32>,
    related: Vec<IdKey>,
    digest: u64,
    loc: Loc,
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
type Entries = Vec<(PathBuf, Stamp, Record)>;
/// Files and what the cache now knows of them: `None` for a file it forgets.
type Changes = Vec<(PathBuf, Option<(Stamp, Record)>)>;
type OwnedRecord = StoredRecord<Box<str>, Vec<Diagnostic>>;
/// What [`Cache::save`] writes: each file, its stamp and record (no stamp: it could not be
/// read, and the cache forgets it), and whether that changed since the cache was opened.
pub type Saved<'a> = (&'a Path, Option<Stamp>, &'a Record, bool);

/// The entries to write, each turned into its stored form only as it is written, so saving
/// needs no second copy of the index in memory.
struct Lazy<'a, I> {
    entries: I,
    providers: HashMap<&'a Provider, u32>,
    topics: HashMap<&'a str, u32>,
}

type Change<'a> = (&'a Path, Option<(Stamp, &'a Record)>);

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
                    quality: h.quality,
                    topics: h.topics.iter().map(|t| self.topics[&**t]).collect(),
                    provider: h.provider.as_deref().map(|p| self.providers[p]),
                    related: h.related.to_vec(),
                    digest: h.digest,
                    loc: h.loc,
                }),
                Kept::Unpublished => StoredKept::Unpublished,
                Kept::Rejected => StoredKept::Rejected,
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
                loc: h.loc,
                updated: h.published,
                categories: Vec::new(),
                mutual: Vec::new(),
            })),
            StoredKept::Unpublished => Kept::Unpublished,
            StoredKept::Rejected => Kept::Rejected,
        };
        Some(Record {
            outcome,
            diagnostics: record.diagnostics,
            date_line: record.date_line,
        })
    }
}

/// The header of a stored index or journal record, and the bytes after it.
fn take_header(bytes: &[u8]) -> Option<(Header, &[u8])> {
    postcard::take_from_bytes(bytes).ok()
}

/// Reads the rest of a stored [`Stored`] after its header: its tables, then its entries, each
/// turned into a [`Record`] as it is decoded. (Postcard writes a struct as its fields one after
/// another and a sequence as its length and then its elements, so reading them one at a time
/// reads exactly what `Stored` wrote, without growing a vector of stored entries first.)
fn take_entries(rest: &[u8]) -> Option<Changes> {
    take_entries_into(rest, Changes::with_capacity, |changes, path, change| {
        changes.push((path, change));
        Some(())
    })
}

/// [`take_entries`], each entry handed to `push` as it is decoded (into what `start` made for
/// the count of entries announced), so a full index goes straight into its final vector.
fn take_entries_into<T>(
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
    fn new(header: Header, entries: I) -> Self {
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

/// The cache as opened: entries in the order files are discovered, and where to save.
#[derive(Default)]
pub struct Cache {
    entries: Entries,
    target: Option<Target>,
}

/// Where this build saves the cache: the folder, the data file's generation, the new data
/// file to move into place when this build started one, and the full index and journal found.
struct Target {
    dir: PathBuf,
    generation: u64,
    new_data: Option<PathBuf>,
    base: Option<Base>,
}

/// A full index and its journal as found.
#[derive(Debug, Clone, Copy)]
struct Base {
    epoch: u64,
    /// Size of the full index.
    index_len: u64,
    /// Bytes of the journal that hold whole, valid records.
    journal_len: u64,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(temp) = &self.new_data {
            let _ = fs::remove_file(temp);
        }
    }
}

/// The settings an item depends on: a cache made under others is not used.
fn settings_key(settings: &Settings) -> String {
    format!(
        "link={:?} full_content={} asset_base_url={:?} max_file_size={}",
        settings.link, settings.full_content, settings.asset_base_url, settings.max_file_size
    )
}

fn header_bytes(magic: &[u8; 8], id: u64) -> [u8; HEADER_LEN as usize] {
    let mut bytes = [0; HEADER_LEN as usize];
    bytes[..8].copy_from_slice(magic);
    bytes[8..].copy_from_slice(&id.to_le_bytes());
    bytes
}

/// A number no earlier data file or index of this cache is likely to have used.
fn fresh_id() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}

/// A journal record's frame: payload length (u32) and its checksum (u64), little-endian.
const FRAME_LEN: usize = 12;

/// Applies a journal's changes to `entries` (sorted by path bytes).
fn apply(entries: &mut Entries, changes: Changes) {
    for (path, change) in changes {
        let at = entries.binary_search_by(|e| e.0.as_os_str().cmp(path.as_os_str()));
        match (at, change) {
            (Ok(i), Some((stamp, record))) => entries[i] = (path, stamp, record),
            (Ok(i), None) => {
                entries.remove(i);
            }
            (Err(i), Some((stamp, record))) => entries.insert(i, (path, stamp, record)),
            (Err(_), None) => {}
        }
    }
}

/// Takes `file`'s lock, waiting up to a second for it. Builds into one output already take
/// turns (the output lock), so a held cache lock is almost always a moment's overlap: a
/// process started in that instant holds a copy of every descriptor until it execs, the
/// lock's too. A build that finds it held longer reads the cache and saves nothing.
fn lock_soon(file: &File) -> bool {
    for _ in 0..100 {
        match file.try_lock() {
            Ok(()) => return true,
            Err(fs::TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(fs::TryLockError::Error(_)) => return false,
        }
    }
    false
}

impl Cache {
    /// Opens the cache in `dir` and the store for this build's items. With `writable` the
    /// build may add to the cache (and [`Cache::save`] it); with `fresh` what is there is
    /// ignored. Without a usable cache, items are kept in a new data file (`writable`) or in
    /// memory.
    pub fn open(dir: &Path, settings: &Settings, writable: bool, fresh: bool) -> (Cache, Store) {
        let found = (!fresh).then(|| Cache::usable(dir, settings)).flatten();
        match (found, writable) {
            (Some((header, base, entries, data)), true) => {
                let path = dir.join(DATA);
                let append = File::options()
                    .append(true)
                    .open(&path)
                    .ok()
                    .filter(lock_soon)
                    .and_then(|f| Some((f.metadata().ok()?.len(), f)));
                let target = append.is_some().then(|| Target {
                    dir: dir.to_path_buf(),
                    generation: header.generation,
                    new_data: None,
                    base: Some(base),
                });
                let store = Store::file(data, append.map(|(len, f)| (f, len)));
                let cache = Cache { entries, target };
                (cache, store)
            }
            (Some((_, _, entries, data)), false) => (
                Cache {
                    entries,
                    target: None,
                },
                Store::file(data, None),
            ),
            (None, true) => {
                Cache::start(dir).unwrap_or_else(|| (Cache::default(), Store::memory()))
            }
            (None, false) => (Cache::default(), Store::memory()),
        }
    }

    /// The full index with its journal applied and the data file they go with, when all are
    /// there, match and the data file is not mostly dead bytes.
    fn usable(dir: &Path, settings: &Settings) -> Option<(Header, Base, Entries, File)> {
        let bytes = fs::read(dir.join(INDEX)).ok()?;
        let index_len = bytes.len() as u64;
        // The index ends with a checksum of the rest: a damaged index is not believed, even
        // where it still decodes (a changed date would reorder feeds).
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if checksum(body).to_le_bytes() != sum {
            return None;
        }
        let (mut header, rest) = take_header(body)?;
        let current = header.format == FORMAT
            && header.version == env!("CARGO_PKG_VERSION")
            && header.settings == settings_key(settings);
        if !current {
            return None;
        }
        // A full index forgets no file: every entry has its stamp and record.
        let mut entries =
            take_entries_into(rest, Entries::with_capacity, |entries, path, change| {
                let (stamp, record) = change?;
                entries.push((path, stamp, record));
                Some(())
            })?;
        drop(bytes);
        let mut base = Base {
            epoch: header.epoch,
            index_len,
            journal_len: 0,
        };
        Cache::replay(dir, &mut header, &mut base, &mut entries);

        let data = File::open(dir.join(DATA)).ok()?;
        let mut first = [0; HEADER_LEN as usize];
        std::io::Read::read_exact(&mut &data, &mut first).ok()?;
        let len = data.metadata().ok()?.len();
        if first != header_bytes(MAGIC, header.generation) || len < header.data_len {
            return None;
        }
        // Every item must lie inside the part of the data file the index covers.
        let mut live = 0u64;
        for (_, _, record) in &entries {
            if let Kept::Item(head) = &record.outcome {
                let end = head.loc.offset.checked_add(u64::from(head.loc.len))?;
                if head.loc.memory || head.loc.offset < HEADER_LEN || end > header.data_len {
                    return None;
                }
                live += u64::from(head.loc.len);
            }
        }
        let mostly_dead = header.data_len > 2 * live + (1 << 20);
        (!mostly_dead).then_some((header, base, entries, data))
    }

    /// Applies the journal's whole, valid records that go with `header`'s index to `entries`,
    /// in order; the first torn or foreign record ends it.
    fn replay(dir: &Path, header: &mut Header, base: &mut Base, entries: &mut Entries) {
        let Ok(bytes) = fs::read(dir.join(JOURNAL)) else {
            return;
        };
        if bytes.get(..HEADER_LEN as usize) != Some(&header_bytes(JOURNAL_MAGIC, base.epoch)[..]) {
            return;
        }
        let mut at = HEADER_LEN as usize;
        base.journal_len = at as u64;
        while let Some(frame) = bytes.get(at..at + FRAME_LEN) {
            let (len, check) = frame.split_at(4);
            let len = u32::from_le_bytes(len.try_into().unwrap_or_default()) as usize;
            let check = u64::from_le_bytes(check.try_into().unwrap_or_default());
            let Some(payload) = bytes.get(at + FRAME_LEN..at + FRAME_LEN + len) else {
                return;
            };
            if checksum(payload) != check {
                return;
            }
            let Some((record, rest)) = take_header(payload) else {
                return;
            };
            if record.epoch != base.epoch || record.generation != header.generation {
                return;
            }
            // The whole record, or none of it.
            let Some(changes) = take_entries(rest) else {
                return;
            };
            apply(entries, changes);
            header.data_len = record.data_len;
            at += FRAME_LEN + len;
            base.journal_len = at as u64;
        }
    }

    /// Starts a new data file (under a temporary name until saved), first removing temporary
    /// files that killed builds left behind.
    fn start(dir: &Path) -> Option<(Cache, Store)> {
        fs::create_dir_all(dir).ok()?;
        // Killed builds leave their temporary files. (One a concurrent build is still writing
        // only costs that build its cache save: it keeps reading its open file.)
        crate::files::remove_stale_temps(dir, &[DATA, INDEX].into());
        let generation = fresh_id();
        let temp = dir.join(format!(".{DATA}.{}.tmp", std::process::id()));
        let target = Target {
            dir: dir.to_path_buf(),
            generation,
            new_data: Some(temp.clone()),
            base: None,
        };
        let mut out = File::create(&temp).ok()?;
        out.write_all(&header_bytes(MAGIC, generation)).ok()?;
        let data = File::open(&temp).ok()?;
        let cache = Cache {
            entries: Vec::new(),
            target: Some(target),
        };
        Some((cache, Store::file(data, Some((out, HEADER_LEN)))))
    }

    /// How many files the cache knows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache knows no file.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Hands each of `files` (in [`crate::ingest::discover`]'s order) its cached entry, if
    /// any, moving it out of the cache; also returns the paths the cache knew that are not
    /// among `files`.
    pub fn pair(&mut self, files: &[Found]) -> (Vec<Option<(Stamp, Record)>>, Vec<PathBuf>) {
        let mut entries = std::mem::take(&mut self.entries).into_iter().peekable();
        let mut gone = Vec::new();
        let paired = files
            .iter()
            .map(|Found { path, .. }| {
                let path = path.as_os_str();
                while let Some((p, _, _)) = entries.next_if(|(p, _, _)| p.as_os_str() < path) {
                    gone.push(p);
                }
                entries
                    .next_if(|(p, _, _)| p.as_os_str() == path)
                    .map(|(_, stamp, record)| (stamp, record))
            })
            .collect();
        gone.extend(entries.map(|(p, _, _)| p));
        (paired, gone)
    }

    /// Saves what the cache now knows, when this build may: `entries` (every file, in order)
    /// and `gone` (files no longer there). The data file is flushed (and moved into place when
    /// new). Then the changes are appended to the journal, or, when there is no full index to
    /// go with or the journal would outgrow a quarter of it, a full index is streamed to a
    /// temporary file and renamed into place. Failures only cost the next build its head
    /// start, so they are ignored.
    pub fn save<'a>(
        mut self,
        store: &Store,
        settings: &Settings,
        entries: impl Iterator<Item = Saved<'a>> + Clone,
        gone: &'a [PathBuf],
    ) {
        let Some(target) = self.target.as_mut() else {
            return;
        };
        let Some(data_len) = store.seal() else {
            return;
        };
        if let Some(temp) = &target.new_data {
            if fs::rename(temp, target.dir.join(DATA)).is_err() {
                return;
            }
            target.new_data = None;
        }
        // Only items in the data file can be found by the next build.
        let kept = |record: &Record| match &record.outcome {
            Kept::Item(head) => !head.loc.memory,
            _ => true,
        };
        let header = |epoch| Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").into(),
            settings: settings_key(settings),
            generation: target.generation,
            epoch,
            data_len,
        };
        if let Some(base) = target.base {
            let changes = entries
                .clone()
                .filter(|&(_, _, _, changed)| changed)
                .map(|(path, stamp, record, _)| {
                    (path, stamp.filter(|_| kept(record)).map(|s| (s, record)))
                })
                .chain(gone.iter().map(|p| (p.as_path(), None)));
            if Cache::append(&target.dir, base, Stored::new(header(base.epoch), changes)) {
                return;
            }
        }
        let entries = entries.filter_map(|(path, stamp, record, _)| {
            let stamp = stamp.filter(|_| kept(record))?;
            Some((path, Some((stamp, record))))
        });
        let stored = Stored::new(header(fresh_id()), entries);
        let path = target.dir.join(INDEX);
        let temp = target
            .dir
            .join(format!(".{INDEX}.{}.tmp", std::process::id()));
        let written = File::create(&temp).ok().and_then(|file| {
            let out = Summed::new(std::io::BufWriter::new(file));
            let (mut out, sum) = postcard::to_io(&stored, out).ok()?.finish();
            out.write_all(&sum.to_le_bytes()).ok()?;
            out.flush().ok()
        });
        if written.is_none() || fs::rename(&temp, &path).is_err() {
            let _ = fs::remove_file(&temp);
            return;
        }
        // The old journal went with the old index (its epoch no longer matches): drop it.
        let _ = fs::remove_file(target.dir.join(JOURNAL));
    }

    /// Appends one record of `changes` to the journal of `base`; false when the journal would
    /// grow past a quarter of the full index (or cannot be written), so a full index is due.
    fn append<'a, I>(dir: &Path, base: Base, changes: Stored<'a, I>) -> bool
    where
        I: Iterator<Item = Change<'a>> + Clone,
    {
        let Ok(payload) = postcard::to_stdvec(&changes) else {
            return false;
        };
        let start = base.journal_len.max(HEADER_LEN);
        let end = start + (FRAME_LEN + payload.len()) as u64;
        if end > base.index_len / 4 {
            return false;
        }
        let mut frame = Vec::with_capacity(FRAME_LEN + payload.len());
        frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        frame.extend_from_slice(&checksum(&payload).to_le_bytes());
        frame.extend_from_slice(&payload);
        let written = || -> std::io::Result<()> {
            let mut file = File::options()
                .write(true)
                .create(true)
                .truncate(false)
                .open(dir.join(JOURNAL))?;
            if base.journal_len < HEADER_LEN {
                file.set_len(0)?;
                file.write_all(&header_bytes(JOURNAL_MAGIC, base.epoch))?;
            } else {
                // Whatever follows the last valid record is a torn write: overwrite it.
                file.set_len(start)?;
                std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(start))?;
            }
            file.write_all(&frame)
        };
        written().is_ok()
    }
}

/// What the cache knows of a file, given its cached entry: unchanged when its size and mtime
/// match, or else when its content (`read` gives the bytes, only when needed) hashes the same.
pub fn lookup(
    entry: Option<(Stamp, Record)>,
    size_mtime: Option<(u64, i64)>,
    read: impl FnOnce() -> Option<Vec<u8>>,
) -> Lookup {
    let Some((stamp, record)) = entry else {
        return Lookup::Miss;
    };
    if size_mtime == Some((stamp.size, stamp.mtime)) {
        return Lookup::Hit(stamp, record);
    }
    match read() {
        Some(bytes) if bytes.len() as u64 == stamp.size && Stamp::hash(&bytes) == stamp.sum => {
            let (size, mtime) = size_mtime.unwrap_or((bytes.len() as u64, stamp.mtime));
            let fresh = Stamp {
                size,
                mtime,
                sum: stamp.sum,
            };
            Lookup::Hit(fresh, record)
        }
        Some(bytes) => Lookup::Changed(bytes),
        None => Lookup::Miss,
    }
}

/// What the cache knows of a file.
pub enum Lookup {
    /// Unchanged: here is its stamp (refreshed) and result.
    Hit(Stamp, Record),
    /// The content changed; here it is, already read.
    Changed(Vec<u8>),
    /// Not in the cache (or unreadable).
    Miss,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use crate::model::tests::sample_item;

    #[test]
    fn the_lock_is_taken_once_its_holder_lets_go_and_refused_while_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATA);
        fs::write(&path, b"x").unwrap();
        let holder = File::open(&path).unwrap();
        holder.lock().unwrap();
        let waiter = File::open(&path).unwrap();
        assert!(!lock_soon(&waiter), "taken while another holds it");
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            drop(holder);
        });
        assert!(lock_soon(&waiter), "not taken once free");
        release.join().unwrap();
    }

    fn stamp(n: u8) -> Stamp {
        Stamp {
            size: u64::from(n),
            mtime: i64::from(n),
            sum: u64::from(n),
        }
    }

    fn unpublished() -> Record {
        Record {
            outcome: Kept::Unpublished,
            diagnostics: Vec::new(),
            date_line: 1,
        }
    }

    fn settings(full: bool) -> Settings {
        let mut s = Settings::merge(
            Config::default(),
            Path::new(""),
            Overrides {
                base_url: Some("https://e.org/".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        s.full_content = full;
        s
    }

    #[test]
    fn entries_pair_with_sorted_paths() {
        let mut cache = Cache {
            entries: ["a", "c", "d"]
                .iter()
                .enumerate()
                .map(|(i, p)| (PathBuf::from(p), stamp(i as u8), unpublished()))
                .collect(),
            target: None,
        };
        let files: Vec<Found> = ["b", "c", "e"]
            .iter()
            .map(|p| Found {
                path: PathBuf::from(p),
                stamp: None,
            })
            .collect();
        let (paired, gone) = cache.pair(&files);
        assert_eq!(gone, [PathBuf::from("a"), PathBuf::from("d")]);
        assert!(paired[0].is_none() && paired[2].is_none());
        assert_eq!(paired[1].as_ref().map(|e| e.0), Some(stamp(1)));
    }

    #[test]
    fn lookup_trusts_size_and_mtime_then_the_hash() {
        let entry = || Some((stamp(1), unpublished()));
        assert!(matches!(
            lookup(entry(), Some((1, 1)), || None),
            Lookup::Hit(..)
        ));
        let same_bytes = vec![0u8; 3];
        let mut hashed = stamp(1);
        hashed.sum = Stamp::hash(&same_bytes);
        hashed.size = 3;
        match lookup(Some((hashed, unpublished())), Some((3, 9)), || {
            Some(same_bytes.clone())
        }) {
            Lookup::Hit(fresh, _) => assert_eq!((fresh.size, fresh.mtime), (3, 9)),
            _ => panic!("touched but same content is a hit"),
        }
        // Bytes the checksum would not tell apart, but of another length, are a change.
        hashed.size = 4;
        assert!(matches!(
            lookup(Some((hashed, unpublished())), Some((3, 9)), || Some(
                same_bytes.clone()
            )),
            Lookup::Changed(_)
        ));
        assert!(matches!(
            lookup(entry(), Some((2, 2)), || Some(vec![1])),
            Lookup::Changed(_)
        ));
        assert!(matches!(lookup(None, Some((1, 1)), || None), Lookup::Miss));
    }

    /// Opens the cache in `dir` writable, puts `item` in it under a.md (with an unpublished
    /// b.md) and saves it, as changed.
    fn save_one(dir: &Path, item: &crate::model::Item) {
        let (cache, store) = Cache::open(dir, &settings(false), true, false);
        let head = Head::new(item, store.put(item));
        let records = [
            Record {
                outcome: Kept::Item(Box::new(head)),
                diagnostics: Vec::new(),
                date_line: 3,
            },
            unpublished(),
        ];
        let entries = [Path::new("a.md"), Path::new("b.md")]
            .into_iter()
            .zip(&records)
            .map(|(p, r)| (p, Some(stamp(1)), r, true));
        cache.save(&store, &settings(false), entries, &[]);
    }

    fn paths(cache: &Cache) -> Vec<&str> {
        cache
            .entries
            .iter()
            .map(|e| e.0.to_str().unwrap())
            .collect()
    }

    #[test]
    fn later_builds_journal_their_changes_until_a_full_index_is_due() {
        let dir = tempfile::tempdir().unwrap();
        let many = sample_item("https://a.org/1");
        // A full index big enough that a few changes fit in a quarter of it.
        let (cache, store) = Cache::open(dir.path(), &settings(false), true, false);
        let names: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("{i:03}.md")))
            .collect();
        let records: Vec<Record> = names
            .iter()
            .map(|_| Record {
                outcome: Kept::Item(Box::new(Head::new(&many, store.put(&many)))),
                diagnostics: Vec::new(),
                date_line: 1,
            })
            .collect();
        let all = names
            .iter()
            .zip(&records)
            .map(|(p, r)| (p.as_path(), Some(stamp(1)), r, true));
        cache.save(&store, &settings(false), all, &[]);
        let index = fs::read(dir.path().join(INDEX)).unwrap();
        assert!(!dir.path().join(JOURNAL).exists());

        // A build that changes 001.md, adds 500.md, loses 002.md and cannot read 003.md.
        let (mut cache, store) = Cache::open(dir.path(), &settings(false), true, false);
        let mut files: Vec<Found> = names
            .iter()
            .filter(|p| p.as_os_str() != "002.md")
            .map(|p| Found {
                path: p.clone(),
                stamp: None,
            })
            .collect();
        files.push(Found {
            path: "500.md".into(),
            stamp: None,
        });
        let (paired, gone) = cache.pair(&files);
        assert_eq!(gone, [PathBuf::from("002.md")]);
        let changed = sample_item("https://a.org/changed");
        let results: Vec<(Option<Stamp>, Record, bool)> = files
            .iter()
            .zip(paired)
            .map(|(f, entry)| match (f.path.to_str().unwrap(), entry) {
                ("001.md" | "500.md", _) => {
                    let head = Head::new(&changed, store.put(&changed));
                    let record = Record {
                        outcome: Kept::Item(Box::new(head)),
                        diagnostics: Vec::new(),
                        date_line: 2,
                    };
                    (Some(stamp(2)), record, true)
                }
                ("003.md", _) => (None, unpublished(), true),
                (_, Some((stamp, record))) => (Some(stamp), record, false),
                (_, None) => panic!("{} was cached", f.path.display()),
            })
            .collect();
        let entries = files
            .iter()
            .zip(&results)
            .map(|(f, (s, r, c))| (f.path.as_path(), *s, r, *c));
        cache.save(&store, &settings(false), entries, &gone);
        drop(store); // the lock on the data file
        assert_eq!(
            fs::read(dir.path().join(INDEX)).unwrap(),
            index,
            "index untouched"
        );
        let journal = fs::read(dir.path().join(JOURNAL)).unwrap();
        assert!(journal.len() < index.len() / 4);

        // The next build sees index and journal together.
        let (cache, store) = Cache::open(dir.path(), &settings(false), false, false);
        assert_eq!(cache.len(), 199);
        let names = paths(&cache);
        assert!(!names.contains(&"002.md") && !names.contains(&"003.md"));
        assert_eq!(names.last(), Some(&"500.md"));
        let entry = &cache.entries[1];
        assert_eq!((entry.0.to_str(), entry.1), (Some("001.md"), stamp(2)));
        let Kept::Item(head) = &entry.2.outcome else {
            panic!("an item");
        };
        assert_eq!(store.get(head.loc).unwrap(), changed);

        // A torn last record is ignored: the changes before it stand.
        fs::write(dir.path().join(JOURNAL), &journal[..journal.len() - 1]).unwrap();
        let (cache, _) = Cache::open(dir.path(), &settings(false), false, false);
        assert_eq!(cache.len(), 200, "as the full index has it");
        assert!(paths(&cache).contains(&"002.md"));
        fs::write(dir.path().join(JOURNAL), &journal).unwrap();

        // Journals pile up until they pass a quarter of the index; then a full index.
        for _ in 0..200 {
            let (mut cache, store) = Cache::open(dir.path(), &settings(false), true, false);
            let files: Vec<Found> = cache
                .entries
                .iter()
                .map(|e| Found {
                    path: e.0.clone(),
                    stamp: None,
                })
                .collect();
            let (paired, gone) = cache.pair(&files);
            let results: Vec<(Stamp, Record)> = paired.into_iter().flatten().collect();
            let head = Head::new(&changed, store.put(&changed));
            let record = Record {
                outcome: Kept::Item(Box::new(head)),
                diagnostics: Vec::new(),
                date_line: 2,
            };
            let entries = files.iter().zip(&results).map(|(f, (s, r))| {
                let first = f.path.as_os_str() == "000.md";
                (
                    f.path.as_path(),
                    Some(*s),
                    if first { &record } else { r },
                    first,
                )
            });
            cache.save(&store, &settings(false), entries, &gone);
            if !dir.path().join(JOURNAL).exists() {
                assert_ne!(fs::read(dir.path().join(INDEX)).unwrap(), index);
                let (cache, _) = Cache::open(dir.path(), &settings(false), false, false);
                assert_eq!(cache.len(), 199);
                return;
            }
        }
        panic!("the journal never gave way to a full index");
    }

    #[test]
    fn a_saved_cache_gives_back_heads_and_items() {
        let dir = tempfile::tempdir().unwrap();
        let item = sample_item("https://a.org/1");
        save_one(dir.path(), &item);
        let (cache, store) = Cache::open(dir.path(), &settings(false), false, false);
        assert_eq!(cache.len(), 2);
        let Kept::Item(head) = &cache.entries[0].2.outcome else {
            panic!("the item is cached");
        };
        let mut expected = Head::new(&item, head.loc);
        expected.source = Path::new("a.md").into();
        assert_eq!(**head, expected);
        assert_eq!(store.get(head.loc).unwrap(), item);
        assert!(!store.appends(), "a read-only cache adds nothing");
        // Items of a later build are appended after the first one's.
        let (cache, store) = Cache::open(dir.path(), &settings(false), true, false);
        assert!(cache.target.is_some() && store.appends());
        let later = store.put(&item);
        assert!(!later.memory && later.offset > head.loc.offset);
    }

    #[test]
    fn a_new_data_file_clears_what_killed_builds_left() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".items.bin.123.tmp",
            ".index.bin.9.tmp",
            ".items.bin.x.tmp",
            "keep",
        ] {
            fs::write(dir.path().join(name), b"x").unwrap();
        }
        let (_cache, _store) = Cache::open(dir.path(), &settings(false), true, false);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let ours = format!(".items.bin.{}.tmp", std::process::id());
        assert_eq!(left, [ours.as_str(), ".items.bin.x.tmp", "keep"]);
    }

    #[test]
    fn one_build_at_a_time_adds_to_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        save_one(dir.path(), &sample_item("https://a.org/1"));
        let (first, _store) = Cache::open(dir.path(), &settings(false), true, false);
        let (second, other) = Cache::open(dir.path(), &settings(false), true, false);
        assert!(first.target.is_some());
        assert!(second.target.is_none(), "the data file is locked");
        assert_eq!(second.len(), 2, "but can be read");
        assert!(other.put(&sample_item("https://b.org/")).memory);
    }

    #[test]
    fn a_cache_from_other_settings_or_garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let open = || Cache::open(dir.path(), &settings(false), false, false).0;
        save_one(dir.path(), &sample_item("https://a.org/1"));
        assert_eq!(open().len(), 2);
        let other = Cache::open(dir.path(), &settings(true), false, false).0;
        assert!(other.is_empty(), "other settings");
        let fresh = Cache::open(dir.path(), &settings(false), false, true).0;
        assert!(fresh.is_empty(), "fresh");

        // A data file from another generation.
        let data = fs::read(dir.path().join(DATA)).unwrap();
        let mut other_generation = data.clone();
        other_generation[9] ^= 1;
        fs::write(dir.path().join(DATA), &other_generation).unwrap();
        assert!(open().is_empty(), "another data file");
        // A data file shorter than the index says.
        fs::write(dir.path().join(DATA), &data[..data.len() - 1]).unwrap();
        assert!(open().is_empty(), "a short data file");
        fs::write(dir.path().join(DATA), &data).unwrap();
        assert_eq!(open().len(), 2);
        // An index damaged where it would still decode.
        let index = fs::read(dir.path().join(INDEX)).unwrap();
        for at in [index.len() / 2, index.len() - 9, index.len() - 1] {
            let mut flipped = index.clone();
            flipped[at] ^= 1;
            fs::write(dir.path().join(INDEX), &flipped).unwrap();
            assert!(
                open().is_empty(),
                "a flipped bit at {at} of {}",
                index.len()
            );
        }
        fs::write(dir.path().join(INDEX), &index).unwrap();
        assert_eq!(open().len(), 2);
        // A broken index.
        fs::write(dir.path().join(INDEX), b"garbage").unwrap();
        assert!(open().is_empty(), "garbage");

        // An index that decodes but points outside the data file.
        let (cache, store) = Cache::open(dir.path(), &settings(false), true, true);
        let item = sample_item("https://a.org/1");
        let mut head = Head::new(&item, store.put(&item));
        head.loc.offset += 1 << 40;
        let record = Record {
            outcome: Kept::Item(Box::new(head)),
            diagnostics: Vec::new(),
            date_line: 1,
        };
        let entries = [(Path::new("a.md"), Some(stamp(1)), &record, true)].into_iter();
        cache.save(&store, &settings(false), entries, &[]);
        drop(store);
        assert!(dir.path().join(INDEX).exists());
        assert!(open().is_empty(), "an item beyond the data file");
    }

    #[test]
    fn a_mostly_dead_data_file_is_started_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let item = sample_item("https://a.org/1");
        // Each save appends the item again; the old copies are dead. Once they pass 1 MiB and
        // twice the live bytes, the next build starts a new data file.
        let record = postcard::to_stdvec(&item).unwrap().len() as u64;
        let copies = (1 << 20) / record + 4;
        for _ in 0..copies {
            save_one(dir.path(), &item);
        }
        let len = fs::metadata(dir.path().join(DATA)).unwrap().len();
        assert!(
            len < copies * record / 2,
            "{len} bytes: never started afresh"
        );
        let (cache, store) = Cache::open(dir.path(), &settings(false), false, false);
        let Kept::Item(head) = &cache.entries[0].2.outcome else {
            panic!("the item is cached");
        };
        assert_eq!(store.get(head.loc).unwrap(), item);
    }
}
