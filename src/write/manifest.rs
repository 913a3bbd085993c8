//! The manifest, `manifest.json`: every file a build wrote, with its hash, size and the
//! fingerprint of its inputs. The next build reads it back to know which files it may skip
//! unread ([`Previous`]) and which stale files are its own to prune; nothing else is ever pruned.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::Written;
use crate::model::{FeedFormat, FeedInfo, FirstSeen, PageState, Tombstones};

/// Name of the manifest in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// The manifest: every file this build wrote, with enough to check and prune them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `newswire`.
    pub generator: String,
    /// The feed files, in catalogue order.
    pub feeds: Vec<ManifestEntry>,
    /// The other files (OPML list, index page, stylesheet).
    #[serde(default)]
    pub files: Vec<ManifestFile>,
    /// The date each undated article file was first published under (see [`FirstSeen`]), as
    /// RFC 3339 UTC. Absent when every item carries its own date (and from manifests before
    /// it); an entry that is not a date is ignored.
    #[serde(
        default,
        skip_serializing_if = "FirstSeen::is_empty",
        with = "first_seen"
    )]
    pub first_seen: FirstSeen,
    /// Where each archived feed's archive pages begin (absent when no feed is archived), so
    /// the next build keeps every item on its page.
    #[serde(default, skip_serializing_if = "PageState::is_empty")]
    pub archives: PageState,
    /// With `tombstones: true`: the items published and those withdrawn since (absent
    /// otherwise).
    #[serde(default, skip_serializing_if = "Tombstones::is_empty")]
    pub tombstones: Tombstones,
}

/// A non-feed file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// XXH3-128 of the file's bytes, 32 lower-case hex digits: tells builds' files apart, at a
    /// small fraction of SHA-256's cost. (Absent from manifests before it: they still list the
    /// paths to prune.)
    #[serde(default)]
    pub xxh3: String,
    /// Size of the file in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Fingerprint of everything the file was rendered from (see [`ManifestEntry::input`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

/// One feed file in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// `rss` or `atom`.
    pub format: FeedFormat,
    /// Feed title.
    pub title: String,
    /// Number of items.
    pub items: usize,
    /// Newest item's date, RFC 3339, if the feed has items.
    pub newest: Option<String>,
    /// XXH3-128 of the file's bytes, 32 lower-case hex digits: tells builds' files apart, at a
    /// small fraction of SHA-256's cost. (Absent from manifests before it: they still list the
    /// paths to prune.)
    #[serde(default)]
    pub xxh3: String,
    /// Size of the file in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Fingerprint of everything the file was rendered from: a later build whose fingerprint
    /// is the same skips rendering it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
}

impl Manifest {
    /// The manifest describing `files`, in their order.
    pub fn for_files(files: &[Written]) -> Manifest {
        Manifest {
            generator: "newswire".into(),
            feeds: files
                .iter()
                .filter_map(|f| {
                    let feed = f.feed.as_ref()?;
                    Some(ManifestEntry {
                        path: f.path.clone(),
                        format: feed.format,
                        title: feed.title.clone(),
                        items: feed.items,
                        newest: feed.newest.clone(),
                        xxh3: f.xxh3.clone(),
                        bytes: f.bytes,
                        input: f.input.clone(),
                    })
                })
                .collect(),
            files: files
                .iter()
                .filter(|f| f.feed.is_none())
                .map(|f| ManifestFile {
                    path: f.path.clone(),
                    xxh3: f.xxh3.clone(),
                    bytes: f.bytes,
                    input: f.input.clone(),
                })
                .collect(),
            first_seen: FirstSeen::new(),
            archives: PageState::default(),
            tombstones: Tombstones::default(),
        }
    }

    /// Every path the manifest lists.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.feeds
            .iter()
            .map(|e| e.path.as_str())
            .chain(self.files.iter().map(|f| f.path.as_str()))
    }

    /// The manifest as pretty JSON with a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Reads the manifest a previous build left in `output`, if there is a valid one.
    pub fn previous(output: &Path) -> Option<Manifest> {
        let bytes = fs::read(output.join(MANIFEST)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// [`Manifest::first_seen`] as RFC 3339 text (`2026-01-01T00:00:00Z`), read leniently: an entry
/// that is not a date is left out rather than costing the whole manifest (and with it the
/// pruning of stale files).
mod first_seen {
    use chrono::{DateTime, SecondsFormat};
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    use crate::model::FirstSeen;

    pub fn serialize<S: Serializer>(map: &FirstSeen, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(
            map.iter()
                .map(|(path, date)| (path, date.to_rfc3339_opts(SecondsFormat::AutoSi, true))),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FirstSeen, D::Error> {
        let text = BTreeMap::<String, serde_json::Value>::deserialize(d)?;
        Ok(text
            .into_iter()
            .filter_map(|(path, date)| {
                let date = DateTime::parse_from_rfc3339(date.as_str()?).ok()?;
                Some((path, date.to_utc()))
            })
            .collect())
    }
}

/// What the previous build's manifest says of the files it lists, and whether a file on disk
/// is still as that build left it.
pub(super) struct Previous<'a> {
    /// Each listed file, by its path relative to the output folder.
    files: HashMap<&'a str, Recorded<'a>>,
    /// When the manifest was written. Files written after it (by a build that was killed
    /// before it could write its own manifest) are not what the manifest describes: only older
    /// ones are trusted unread.
    written_at: Option<SystemTime>,
}

/// What a previous manifest records of one file.
#[derive(Clone, Copy)]
pub(super) struct Recorded<'a> {
    /// XXH3-128 of its bytes, lower-case hex (empty in manifests from before it was recorded).
    pub(super) xxh3: &'a str,
    /// Its size in bytes.
    pub(super) bytes: u64,
    /// The fingerprint of its inputs, if recorded.
    pub(super) input: Option<&'a str>,
    /// The feed's entry, when the file is a feed.
    feed: Option<&'a ManifestEntry>,
}

impl<'a> Previous<'a> {
    /// What `manifest` (read from `output`, if there was one) records.
    pub(super) fn new(manifest: Option<&'a Manifest>, output: &Path) -> Previous<'a> {
        let written_at = fs::metadata(output.join(MANIFEST))
            .and_then(|m| m.modified())
            .ok();
        let files = manifest
            .iter()
            .flat_map(|m| {
                let feeds = m.feeds.iter().map(|e| {
                    let recorded = Recorded {
                        xxh3: &e.xxh3,
                        bytes: e.bytes,
                        input: e.input.as_deref(),
                        feed: Some(e),
                    };
                    (e.path.as_str(), recorded)
                });
                let files = m.files.iter().map(|f| {
                    let recorded = Recorded {
                        xxh3: &f.xxh3,
                        bytes: f.bytes,
                        input: f.input.as_deref(),
                        feed: None,
                    };
                    (f.path.as_str(), recorded)
                });
                feeds.chain(files)
            })
            .collect();
        Previous { files, written_at }
    }

    /// What the manifest records of the file at `path` (relative to the output folder).
    pub(super) fn get(&self, path: &str) -> Option<&Recorded<'a>> {
        self.files.get(path)
    }

    /// Whether the file at `path` is still what the manifest says: a plain file of `bytes`
    /// bytes, not written after the manifest.
    pub(super) fn on_disk(&self, path: &Path, bytes: u64) -> bool {
        fs::symlink_metadata(path).is_ok_and(|m| {
            m.is_file()
                && m.len() == bytes
                && m.modified()
                    .ok()
                    .zip(self.written_at)
                    .is_some_and(|(f, m)| f <= m)
        })
    }
}

impl Recorded<'_> {
    /// The feed the file is, as the manifest describes it, if it is one.
    pub(super) fn feed(&self) -> Option<FeedInfo> {
        self.feed.map(|e| FeedInfo {
            format: e.format,
            title: e.title.clone(),
            items: e.items,
            newest: e.newest.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_seen_dates_round_trip_and_old_manifests_load() {
        let old = r#"{"generator": "newswire", "feeds": [], "files": []}"#;
        let manifest: Manifest = serde_json::from_str(old).unwrap();
        assert!(manifest.first_seen.is_empty());
        let text = String::from_utf8(manifest.to_bytes()).unwrap();
        assert!(!text.contains("first_seen"), "{text}");

        let mut manifest = manifest;
        let date = chrono::DateTime::parse_from_rfc3339("2026-01-02T03:04:05+02:00").unwrap();
        manifest.first_seen.insert("a/b.md".into(), date.to_utc());
        let text = String::from_utf8(manifest.to_bytes()).unwrap();
        assert!(
            text.contains(r#""a/b.md": "2026-01-02T01:04:05Z""#),
            "{text}"
        );
        let back: Manifest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, manifest);

        let bad = text.replace("2026-01-02T01:04:05Z", "soon");
        let back: Manifest = serde_json::from_str(&bad).unwrap();
        assert!(
            back.first_seen.is_empty(),
            "a bad entry is left out, not fatal"
        );
    }
}
