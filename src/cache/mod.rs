//! The cache of normalised articles, so a rebuild re-reads only the files that changed.
//!
//! Three files in the cache folder:
//! - `items.bin`, the [`Store`]'s data file: every item, encoded, appended as articles are
//!   normalised. Items of changed articles are appended again; the old copies are dead bytes,
//!   and once they outweigh the live ones (and pass 1 MiB) the next build starts it afresh.
//! - `index.bin` (postcard): for every article file its size, mtime and content checksum and what
//!   `normalise` made of it — the item's [`crate::model::Head`] and where the item is, or why there is none,
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

mod index;
mod items;
mod journal;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

pub use index::Saved;
pub use items::{Store, Summed, checksum};

use crate::config::ItemRules;
use crate::error::Error;
use crate::model::{Kept, Record, stable_hash};
use index::{Entries, Header, Stored, take_entries_into, take_header};

/// Bumped whenever the stored shapes change, or what normalising makes of an article does
/// (2: provider domains must be DNS host names; 3: heads in an index, items in a data file;
/// 4: the index ends with a checksum; 5: items' checksums taken by block, as the index's;
/// 6: inputs confirmed by that checksum, not SHA-256; 7: XXH3 throughout, codes as numbers,
/// grouping's decisions no longer in items; 8: kinds, details and heat; 9: files skipped as
/// not articles; 10: every kind read from its file, profiles excluded, images without an
/// extension kept), so no cached entry outlives the rules that made it.
const FORMAT: u32 = 10;
/// The index inside the cache folder.
pub const INDEX: &str = "index.bin";
/// The data file inside the cache folder.
pub const DATA: &str = "items.bin";
/// The journal inside the cache folder: changes since the full index, appended by each build.
pub const JOURNAL: &str = "journal.bin";
/// The data file's first bytes, followed by its generation (8 bytes, little-endian).
const MAGIC: &[u8; 8] = b"nwitems\0";
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
pub(crate) struct Base {
    pub(crate) epoch: u64,
    /// Size of the full index.
    pub(crate) index_len: u64,
    /// Bytes of the journal that hold whole, valid records.
    pub(crate) journal_len: u64,
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(temp) = &self.new_data {
            let _ = fs::remove_file(temp);
        }
    }
}

/// The key of the rules an item depends on: a cache made under other rules is not used.
fn rules_key(rules: &ItemRules) -> u64 {
    stable_hash(rules)
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
    pub fn open(dir: &Path, rules: &ItemRules, writable: bool, fresh: bool) -> (Cache, Store) {
        let found = (!fresh).then(|| Cache::usable(dir, rules)).flatten();
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
    fn usable(dir: &Path, rules: &ItemRules) -> Option<(Header, Base, Entries, File)> {
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
            && header.rules == rules_key(rules);
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
        journal::replay(dir, &mut header, &mut base, &mut entries);

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
                let end = head.item.offset.checked_add(u64::from(head.item.len))?;
                if head.item.memory || head.item.offset < HEADER_LEN || end > header.data_len {
                    return None;
                }
                live += u64::from(head.item.len);
            }
        }
        let mostly_dead = header.data_len > 2 * live + (1 << 20);
        (!mostly_dead).then_some((header, base, entries, data))
    }

    /// Starts a new data file (under a temporary name until saved), first removing temporary
    /// files that killed builds left behind.
    fn start(dir: &Path) -> Option<(Cache, Store)> {
        fs::create_dir_all(dir).ok()?;
        // Killed builds leave their temporary files. (One a concurrent build is still writing
        // only costs that build its cache save: it keeps reading its open file.)
        crate::files::remove_stale_temps(dir, &[DATA, INDEX].into());
        let generation = fresh_id();
        let temp = dir.join(crate::files::temp_name(DATA));
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

    /// Hands each of `files` (sorted by the bytes of their paths, as the walk finds them) its
    /// cached entry, if any, moving it out of the cache; also returns the paths the cache knew
    /// that are not among `files`.
    pub fn pair<'p>(
        &mut self,
        files: impl Iterator<Item = &'p Path>,
    ) -> (Vec<Option<(Stamp, Record)>>, Vec<PathBuf>) {
        let mut entries = std::mem::take(&mut self.entries).into_iter().peekable();
        let mut gone = Vec::new();
        let paired = files
            .map(|path| {
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
        rules: &ItemRules,
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
            Kept::Item(head) => !head.item.memory,
            _ => true,
        };
        let header = |epoch| Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").into(),
            rules: rules_key(rules),
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
            if journal::append(&target.dir, base, Stored::new(header(base.epoch), changes)) {
                return;
            }
        }
        let entries = entries.filter_map(|(path, stamp, record, _)| {
            let stamp = stamp.filter(|_| kept(record))?;
            Some((path, Some((stamp, record))))
        });
        let stored = Stored::new(header(fresh_id()), entries);
        let path = target.dir.join(INDEX);
        let temp = target.dir.join(crate::files::temp_name(INDEX));
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

/// How a run uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Reads it and (builds) adds to it.
    Normal,
    /// Ignores what is there and starts it anew: its items turned out damaged.
    Fresh,
    /// Keeps items in memory: starting the cache anew did not work either (its disk is failing).
    Off,
}

/// Runs `run`, and again when the cache's items turn out damaged: with a fresh cache, then
/// without one, which cannot be damaged.
pub fn recovering<T>(run: impl Fn(CacheUse) -> Result<T, Error>) -> Result<T, Error> {
    let mut result = run(CacheUse::Normal);
    for next in [CacheUse::Fresh, CacheUse::Off] {
        if !matches!(result, Err(Error::Cache { .. })) {
            break;
        }
        result = run(next);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ItemRules, Overrides, Settings};
    use crate::ingest::Found;
    use crate::model::Head;
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

    fn settings(full: bool) -> ItemRules {
        let mut s = Settings::merge(
            Config::default(),
            Path::new(""),
            Overrides {
                base_url: Some("https://e.org/".into()),
                ..Overrides::default()
            },
        )
        .unwrap();
        s.items.full_content = full;
        s.items
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
        let (paired, gone) = cache.pair(files.iter().map(|f| f.path.as_path()));
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
        let (paired, gone) = cache.pair(files.iter().map(|f| f.path.as_path()));
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
        assert_eq!(store.get(head.item).unwrap(), changed);

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
            let (paired, gone) = cache.pair(files.iter().map(|f| f.path.as_path()));
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
        let mut expected = Head::new(&item, head.item);
        expected.source = Path::new("a.md").into();
        assert_eq!(**head, expected);
        assert_eq!(store.get(head.item).unwrap(), item);
        assert!(!store.appends(), "a read-only cache adds nothing");
        // Items of a later build are appended after the first one's.
        let (cache, store) = Cache::open(dir.path(), &settings(false), true, false);
        assert!(cache.target.is_some() && store.appends());
        let later = store.put(&item);
        assert!(!later.memory && later.offset > head.item.offset);
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
        head.item.offset += 1 << 40;
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
        assert_eq!(store.get(head.item).unwrap(), item);
    }
}
