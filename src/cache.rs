//! The cache of normalised articles, so a rebuild re-reads only the files that changed.
//!
//! One file, `<cache_dir>/articles.bin` (postcard), holds for every article file its size,
//! mtime and SHA-256 and what `normalise` made of it. A file whose size and mtime are unchanged
//! is taken from the cache unread; one whose size or mtime changed is read and hashed, and
//! re-parsed only when its hash changed. The cache is versioned and keyed by the settings that
//! shape items; a cache from another version or other settings, or one that does not decode,
//! is ignored. It is safe to delete at any time, and a build with or without it writes the
//! same bytes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Settings;
use crate::normalise::Normalised;

/// Bumped whenever the stored shapes change, or what normalising makes of an article does
/// (2: provider domains must be DNS host names), so no cached entry outlives the rules that made it.
const FORMAT: u32 = 2;
/// The cache file inside the cache folder.
pub const FILE: &str = "articles.bin";

/// How a file looked when it was normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime: i128,
    /// SHA-256 of the content.
    pub sha256: [u8; 32],
}

impl Stamp {
    /// The size and mtime of `path`, without reading it (hash left zero).
    pub fn peek(path: &Path) -> Option<(u64, i128)> {
        let meta = fs::metadata(path).ok()?;
        let mtime = meta.modified().ok()?;
        let nanos = match mtime.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        Some((meta.len(), nanos))
    }

    /// The SHA-256 of `bytes`.
    pub fn hash(bytes: &[u8]) -> [u8; 32] {
        Sha256::digest(bytes).into()
    }
}

#[derive(Deserialize)]
struct Stored {
    format: u32,
    version: String,
    settings: String,
    entries: Vec<(PathBuf, Stamp, Normalised)>,
}

/// [`Stored`], borrowed for writing (postcard encodes both the same).
#[derive(Serialize)]
struct StoredRef<'a> {
    format: u32,
    version: &'a str,
    settings: String,
    entries: Vec<(&'a Path, Stamp, &'a Normalised)>,
}

/// The cache as loaded: entries in path order, as saved.
#[derive(Default)]
pub struct Cache {
    entries: Vec<(PathBuf, Stamp, Normalised)>,
}

/// The settings an item depends on: a cache made under others is not used.
fn settings_key(settings: &Settings) -> String {
    format!(
        "link={:?} full_content={} asset_base_url={:?} max_file_size={}",
        settings.link, settings.full_content, settings.asset_base_url, settings.max_file_size
    )
}

impl Cache {
    /// Loads the cache from `dir`, or an empty one when there is none usable.
    pub fn load(dir: &Path, settings: &Settings) -> Cache {
        let Ok(bytes) = fs::read(dir.join(FILE)) else {
            return Cache::default();
        };
        match postcard::from_bytes::<Stored>(&bytes) {
            Ok(stored)
                if stored.format == FORMAT
                    && stored.version == env!("CARGO_PKG_VERSION")
                    && stored.settings == settings_key(settings) =>
            {
                Cache {
                    entries: stored.entries,
                }
            }
            _ => Cache::default(),
        }
    }

    /// How many files the cache knows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache knows no file.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Hands each of `paths` (sorted) its cached entry, if any, moving it out of the cache;
    /// also says whether the cache held exactly these paths.
    pub fn pair(self, paths: &[PathBuf]) -> (Vec<Option<(Stamp, Normalised)>>, bool) {
        let same = self.entries.len() == paths.len()
            && self.entries.iter().zip(paths).all(|(e, p)| &e.0 == p);
        let mut entries = self.entries.into_iter().peekable();
        let paired = paths
            .iter()
            .map(|path| {
                while entries.next_if(|(p, _, _)| p < path).is_some() {}
                entries
                    .next_if(|(p, _, _)| p == path)
                    .map(|(_, stamp, normalised)| (stamp, normalised))
            })
            .collect();
        (paired, same)
    }

    /// Writes the cache for `entries` into `dir`, streamed to a temporary file and renamed
    /// into place; failures only cost the next build its head start, so they are ignored.
    pub fn save(dir: &Path, settings: &Settings, entries: Vec<(&Path, Stamp, &Normalised)>) {
        let stored = StoredRef {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION"),
            settings: settings_key(settings),
            entries,
        };
        if fs::create_dir_all(dir).is_err() {
            return;
        }
        let path = dir.join(FILE);
        let temp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        let written = fs::File::create(&temp).ok().and_then(|file| {
            let mut out = postcard::to_io(&stored, std::io::BufWriter::new(file)).ok()?;
            out.flush().ok()
        });
        if written.is_none() || fs::rename(&temp, &path).is_err() {
            let _ = fs::remove_file(&temp);
        }
    }
}

/// What the cache knows of a file, given its cached entry: unchanged when its size and mtime
/// match, or else when its content (`read` gives the bytes, only when needed) hashes the same.
pub fn lookup(
    entry: Option<(Stamp, Normalised)>,
    size_mtime: Option<(u64, i128)>,
    read: impl FnOnce() -> Option<Vec<u8>>,
) -> Lookup {
    let Some((stamp, normalised)) = entry else {
        return Lookup::Miss;
    };
    if size_mtime == Some((stamp.size, stamp.mtime)) {
        return Lookup::Hit(stamp, normalised);
    }
    match read() {
        Some(bytes) if Stamp::hash(&bytes) == stamp.sha256 => {
            let (size, mtime) = size_mtime.unwrap_or((bytes.len() as u64, stamp.mtime));
            let fresh = Stamp {
                size,
                mtime,
                sha256: stamp.sha256,
            };
            Lookup::Hit(fresh, normalised)
        }
        Some(bytes) => Lookup::Changed(bytes),
        None => Lookup::Miss,
    }
}

/// What the cache knows of a file.
pub enum Lookup {
    /// Unchanged: here is its stamp (refreshed) and result.
    Hit(Stamp, Normalised),
    /// The content changed; here it is, already read.
    Changed(Vec<u8>),
    /// Not in the cache (or unreadable).
    Miss,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use crate::normalise::Outcome;

    fn stamp(n: u8) -> Stamp {
        Stamp {
            size: u64::from(n),
            mtime: i128::from(n),
            sha256: [n; 32],
        }
    }

    fn unpublished() -> Normalised {
        Normalised {
            outcome: Outcome::Unpublished,
            diagnostics: Vec::new(),
            date_line: 1,
        }
    }

    #[test]
    fn entries_pair_with_sorted_paths() {
        let cache = Cache {
            entries: ["a", "c", "d"]
                .iter()
                .enumerate()
                .map(|(i, p)| (PathBuf::from(p), stamp(i as u8), unpublished()))
                .collect(),
        };
        let paths: Vec<PathBuf> = ["b", "c", "e"].iter().map(PathBuf::from).collect();
        let (paired, same) = cache.pair(&paths);
        assert!(!same);
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
        hashed.sha256 = Stamp::hash(&same_bytes);
        match lookup(Some((hashed, unpublished())), Some((3, 9)), || {
            Some(same_bytes.clone())
        }) {
            Lookup::Hit(fresh, _) => assert_eq!((fresh.size, fresh.mtime), (3, 9)),
            _ => panic!("touched but same content is a hit"),
        }
        assert!(matches!(
            lookup(entry(), Some((2, 2)), || Some(vec![1])),
            Lookup::Changed(_)
        ));
        assert!(matches!(lookup(None, Some((1, 1)), || None), Lookup::Miss));
    }

    #[test]
    fn a_cache_from_other_settings_or_garbage_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let settings = |full: bool| {
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
        };
        let normalised = unpublished();
        Cache::save(
            dir.path(),
            &settings(false),
            vec![(Path::new("a.md"), stamp(1), &normalised)],
        );
        assert_eq!(Cache::load(dir.path(), &settings(false)).len(), 1);
        assert!(Cache::load(dir.path(), &settings(true)).is_empty());
        fs::write(dir.path().join(FILE), b"garbage").unwrap();
        assert!(Cache::load(dir.path(), &settings(false)).is_empty());
    }
}
