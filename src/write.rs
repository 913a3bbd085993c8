//! Write: the planned files → the output folder, atomically, never deleting first.
//!
//! Each file is written to a temporary file in its own folder and renamed into place, so a
//! reader (or a build killed half-way) only ever sees a complete old or a complete new file.
//! Files whose bytes did not change are not touched (their mtime is kept). Only after every write
//! succeeded are stale files pruned, and only those the previous `manifest.json` lists: files
//! newswire did not write are never touched.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::{FeedFormat, FeedInfo, Planned, Rendered};

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

/// What the write stage learned about one file it produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Path relative to the output folder.
    pub path: String,
    /// The feed it is, if it is one.
    pub feed: Option<FeedInfo>,
    /// XXH3-128 of its bytes, lower-case hex.
    pub xxh3: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// The fingerprint of its inputs, when the renderer gave one.
    pub input: Option<String>,
    /// Whether the file on disk changed.
    pub changed: bool,
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

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files created or replaced.
    pub written: usize,
    /// Files whose bytes were already right.
    pub unchanged: usize,
    /// Stale files of a previous build removed.
    pub removed: usize,
}

/// Refuses output folders where writing would be dangerous: the file-system root, the home
/// folder, an existing non-folder, or anywhere inside the input folder.
pub fn check_output(input: &Path, output: &Path) -> Result<(), Error> {
    let refuse = |reason| {
        Err(Error::UnsafeOutput {
            path: output.to_path_buf(),
            reason,
        })
    };
    if output.exists() && !output.is_dir() {
        return refuse("it exists and is not a folder");
    }
    let resolved = resolve(output);
    if resolved.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if std::env::var_os("HOME").is_some_and(|home| resolve(Path::new(&home)) == resolved) {
        return refuse("it is the home folder");
    }
    let input = resolve(input);
    if resolved.starts_with(&input) {
        return refuse("it is inside the input folder, so feeds would be read back as articles");
    }
    Ok(())
}

/// An absolute, symlink-free form of `path`, even when its last components do not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return missing.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Writes already rendered `files` (see [`write_planned`]).
pub fn write_all(output: &Path, files: &[Rendered]) -> Result<WriteStats, Error> {
    let plan: Vec<Planned> = files
        .iter()
        .map(|f| Planned {
            path: f.path.clone(),
            input: None,
        })
        .collect();
    write_planned(output, &plan, &|i| Ok(files[i].clone()))
}

/// Produces the `i`-th planned file; called in parallel, each index once.
pub type Produce<'a> = dyn Fn(usize) -> Result<Rendered, Error> + Sync + 'a;

/// Writes the files at `paths` (as `produce` renders them, in parallel, so only a few are in
/// memory at once) and the manifest under `output`, then prunes what the previous manifest
/// listed and this build no longer produces.
///
/// Holds an exclusive lock on the output folder throughout, so two builds never interleave. A
/// file whose SHA-256 and size the previous manifest records, and which is no newer than that
/// manifest, is known unchanged without reading it; any other file is compared byte for byte
/// and replaced only when different.
pub fn write_planned(
    output: &Path,
    plan: &[Planned],
    produce: &Produce<'_>,
) -> Result<WriteStats, Error> {
    write_planned_with(output, plan, produce, &create_file)
}

/// How the bytes of a temporary file are put on disk; tests inject failures (a full disk) here.
type Put<'a> = dyn Fn(&Path, &[u8]) -> io::Result<()> + Sync + 'a;

fn create_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)
}

fn write_planned_with(
    output: &Path,
    plan: &[Planned],
    produce: &Produce<'_>,
    put: &Put<'_>,
) -> Result<WriteStats, Error> {
    let paths: Vec<&str> = plan.iter().map(|p| p.path.as_str()).collect();
    fs::create_dir_all(output).map_err(|source| Error::Write {
        path: output.to_path_buf(),
        source,
    })?;
    let _lock = OutputLock::acquire(output)?;
    let previous = Manifest::previous(output);
    // Files written after the manifest (by a build that was killed before it could write its
    // own manifest) are not what the manifest describes: only older ones are trusted unread.
    let manifest_time = fs::metadata(output.join(MANIFEST))
        .and_then(|m| m.modified())
        .ok();
    // What the previous manifest says of each file it lists.
    let recorded: HashMap<&str, Recorded<'_>> = previous
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

    let folders = Folders::new(output, paths.iter().filter_map(|p| Path::new(p).parent()));
    // Temporary files are left only by a build that did not finish: the first (no manifest
    // yet), or one that left its `WRITING` mark. Otherwise there is nothing to look for.
    let mark = output.join(WRITING);
    let unfinished = previous.is_none() || mark.exists();
    if unfinished {
        let names: BTreeSet<&str> = paths
            .iter()
            .filter_map(|p| Path::new(p).file_name()?.to_str())
            .chain([MANIFEST])
            .collect();
        let dirs: Vec<&Path> = folders.all().chain([Path::new("")]).collect();
        dirs.par_iter()
            .for_each(|dir| remove_stale_temps(&output.join(dir), &names));
    }
    fs::write(&mark, b"").map_err(|source| Error::Write {
        path: mark.clone(),
        source,
    })?;

    // Whether a file on disk is still what the previous manifest says: same size, and not
    // written after that manifest.
    let as_recorded = |path: &Path, bytes: u64| {
        fs::symlink_metadata(path).is_ok_and(|m| {
            m.is_file()
                && m.len() == bytes
                && m.modified()
                    .ok()
                    .zip(manifest_time)
                    .is_some_and(|(f, m)| f <= m)
        })
    };
    let written: Vec<Written> = (0..plan.len())
        .into_par_iter()
        .map(|i| {
            // Same inputs as last time, and the file is as that build left it: nothing to do.
            if let (Some(input), Some(entry)) =
                (&plan[i].input, recorded.get(plan[i].path.as_str()))
                && entry.input == Some(input.as_str())
                && !entry.xxh3.is_empty()
                && as_recorded(&output.join(&plan[i].path), entry.bytes)
            {
                return Ok(Written {
                    path: plan[i].path.clone(),
                    feed: entry.feed.map(|e| FeedInfo {
                        format: e.format,
                        title: e.title.clone(),
                        items: e.items,
                        newest: e.newest.clone(),
                    }),
                    xxh3: entry.xxh3.to_string(),
                    bytes: entry.bytes,
                    input: Some(input.clone()),
                    changed: false,
                });
            }
            let file = produce(i)?;
            let xxh3 = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&file.bytes));
            let path = output.join(&file.path);
            let bytes = file.bytes.len() as u64;
            let known = recorded
                .get(file.path.as_str())
                .is_some_and(|r| r.xxh3 == xxh3)
                && as_recorded(&path, bytes);
            let changed = !known
                && folders
                    .prepare_for(Path::new(&file.path))
                    .and_then(|()| write_with(&path, &file.bytes, put))?;
            Ok(Written {
                path: file.path,
                feed: file.feed,
                xxh3,
                bytes,
                input: plan[i].input.clone(),
                changed,
            })
        })
        .collect::<Result<_, Error>>()?;
    let mut stats = WriteStats::default();
    for file in &written {
        if file.changed {
            stats.written += 1;
        } else {
            stats.unchanged += 1;
        }
    }
    let manifest = Manifest::for_files(&written);
    write_with(&output.join(MANIFEST), &manifest.to_bytes(), put)?;

    if let Some(previous) = previous {
        let current: BTreeSet<&str> = paths.iter().copied().collect();
        for stale in previous.paths() {
            if current.contains(stale) || !is_plain_relative(stale) {
                continue;
            }
            if let Some(dir) = Path::new(stale).parent() {
                refuse_symlinks(output, dir)?;
            }
            let path = output.join(stale);
            match fs::remove_file(&path) {
                Ok(()) => {
                    stats.removed += 1;
                    remove_empty_parents(output, &path);
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Write { path, source }),
            }
        }
    }
    // Finished: the next build need not look for temporary files.
    let _ = fs::remove_file(&mark);
    Ok(stats)
}

/// What a previous manifest records of one file.
#[derive(Clone, Copy)]
struct Recorded<'a> {
    xxh3: &'a str,
    bytes: u64,
    input: Option<&'a str>,
    /// The feed's entry, when the file is a feed.
    feed: Option<&'a ManifestEntry>,
}

/// The folders the files go in (relative to the existing `output`) and their parents. Each is
/// made, and refused if it is a symbolic link, when the first file that goes in it is about to
/// be written, parents first: a rebuild that writes two files looks at their folders only, not
/// at the 3,000 others.
struct Folders<'a> {
    output: &'a Path,
    /// Each folder's place.
    places: HashMap<&'a Path, usize>,
    /// Each folder, and the place of its parent (none for a top-level folder).
    folders: Vec<(&'a Path, Option<usize>)>,
    /// Which folders are known to be ready.
    ready: Vec<AtomicBool>,
}

impl<'a> Folders<'a> {
    fn new(output: &'a Path, dirs: impl IntoIterator<Item = &'a Path>) -> Self {
        let mut places: HashMap<&Path, usize> = HashMap::default();
        let mut folders = Vec::new();
        for dir in dirs {
            // The folder and those of its parents not seen yet, innermost first.
            let new: Vec<&Path> = dir
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !places.contains_key(a))
                .collect();
            for folder in new.into_iter().rev() {
                let parent = folder.parent().and_then(|p| places.get(p).copied());
                places.insert(folder, folders.len());
                folders.push((folder, parent));
            }
        }
        let ready = folders.iter().map(|_| AtomicBool::new(false)).collect();
        Folders {
            output,
            places,
            folders,
            ready,
        }
    }

    /// Every folder, parents before children.
    fn all(&self) -> impl Iterator<Item = &'a Path> + '_ {
        self.folders.iter().map(|&(folder, _)| folder)
    }

    /// Makes sure the folder of `file` (relative to the output) is there and no link.
    fn prepare_for(&self, file: &Path) -> Result<(), Error> {
        match file.parent().and_then(|dir| self.places.get(dir)) {
            Some(&place) => self.prepare(place),
            None => Ok(()),
        }
    }

    fn prepare(&self, place: usize) -> Result<(), Error> {
        if self.ready[place].load(Ordering::Relaxed) {
            return Ok(());
        }
        let (folder, parent) = self.folders[place];
        if let Some(parent) = parent {
            self.prepare(parent)?;
        }
        // Failures are not remembered: the next file in the folder meets them again.
        let path = self.output.join(folder);
        let error = |source| Error::Write {
            path: path.clone(),
            source,
        };
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(link_inside(path.clone())),
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(error(io::Error::other("a file is in the way of a folder"))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(&path) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(error(e)),
                _ => Ok(()),
            },
            Err(e) => Err(error(e)),
        }?;
        self.ready[place].store(true, Ordering::Relaxed);
        Ok(())
    }
}

/// Refuses to go through a symbolic link below the output folder: writing or pruning through
/// one could touch files outside it. (A symlinked output folder itself is the user's choice.)
fn refuse_symlinks(output: &Path, relative: &Path) -> Result<(), Error> {
    let mut path = output.to_path_buf();
    for component in relative.components() {
        path.push(component);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(link_inside(path));
        }
    }
    Ok(())
}

/// The refusal of a symbolic link found inside the output folder.
fn link_inside(path: PathBuf) -> Error {
    Error::UnsafeOutput {
        path,
        reason: "it is a symbolic link inside the output folder",
    }
}

/// Left in the output folder while a build writes into it: a build that finds it knows the
/// previous one did not finish, and looks for the temporary files it left.
const WRITING: &str = ".newswire.writing";

/// An exclusive advisory lock on the output folder, released when dropped or when the process
/// dies (the OS drops it with the file descriptor), so a killed build never leaves it stuck.
pub struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock, waiting (with a message on stderr) while another build holds it.
    pub fn acquire(output: &Path) -> Result<OutputLock, Error> {
        let error = |source| Error::Write {
            path: output.to_path_buf(),
            source,
        };
        let file = Self::lock_target(output).map_err(error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "newswire: waiting for another build writing to {} to finish…",
                    output.display()
                );
                file.lock().map_err(error)?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(error(e)),
        }
        Ok(OutputLock { _file: file })
    }

    // On Unix the folder itself is locked (flock works on directories), so no lock file is
    // left in the output; elsewhere a `.newswire.lock` file stands in for it.
    #[cfg(unix)]
    fn lock_target(output: &Path) -> io::Result<fs::File> {
        fs::File::open(output)
    }

    #[cfg(not(unix))]
    fn lock_target(output: &Path) -> io::Result<fs::File> {
        fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(output.join(".newswire.lock"))
    }
}

/// Removes temporary files a killed build left behind in `dir`: only names of the exact form
/// newswire creates (`.<file>.<pid>.tmp`, for a file name in `names`). For the output folder the
/// caller holds the output lock, so no other build is writing them.
pub fn remove_stale_temps(dir: &Path, names: &BTreeSet<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let ours = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .and_then(|n| n.rsplit_once('.'))
            .is_some_and(|(file, pid)| {
                names.contains(file) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
            });
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A manifest path may only name a file below the output folder.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Removes the folders a pruned file leaves empty, up to (not including) the output folder.
/// `remove_dir` refuses non-empty folders, so nothing else is ever deleted.
fn remove_empty_parents(output: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == output || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, unless the file already
/// holds exactly these bytes. Returns whether it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool, Error> {
    write_with(path, bytes, &create_file)
}

fn write_with(path: &Path, bytes: &[u8], put: &Put<'_>) -> Result<bool, Error> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| error(io::Error::other("no file name")))?;
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = put(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if let Err(source) = result {
        let _ = fs::remove_file(&temp);
        return Err(error(source));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(path: &str, text: &str) -> Rendered {
        Rendered {
            path: path.into(),
            feed: Some(crate::model::FeedInfo {
                format: FeedFormat::Rss,
                title: "t".into(),
                items: 0,
                newest: None,
            }),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn writes_then_skips_unchanged_then_prunes_only_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = [rendered("rss.xml", "a"), rendered("topics/x/rss.xml", "b")];
        let stats = write_all(&out, &first).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 0));
        fs::write(out.join("topics/foreign.txt"), "mine").unwrap();

        let second = [rendered("rss.xml", "a")];
        let stats = write_all(&out, &second).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (0, 1, 1));
        assert!(!out.join("topics/x").exists(), "emptied folder is removed");
        assert!(
            out.join("topics/foreign.txt").exists(),
            "foreign file survives"
        );
        let leftovers: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_full_disk_loses_nothing_published() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let old = [
            rendered("rss.xml", "old all"),
            rendered("topics/a/rss.xml", "old a"),
            rendered("topics/gone/rss.xml", "old gone"),
        ];
        write_all(&out, &old).unwrap();
        let snapshot = |name: &str| fs::read_to_string(out.join(name)).unwrap();
        let manifest_before = snapshot(MANIFEST);

        let new = [
            rendered("rss.xml", "new all"),
            rendered("topics/a/rss.xml", "new a"),
        ];
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let full_after_one = |path: &Path, bytes: &[u8]| {
            if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 1 {
                // Like ENOSPC: the temporary file is created, then the write fails.
                fs::write(path, &bytes[..1])?;
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            create_file(path, bytes)
        };
        let plan: Vec<Planned> = new
            .iter()
            .map(|f| Planned {
                path: f.path.clone(),
                input: None,
            })
            .collect();
        let err =
            write_planned_with(&out, &plan, &|i| Ok(new[i].clone()), &full_after_one).unwrap_err();
        assert!(matches!(err, Error::Write { .. }), "{err}");

        // Every feed is its complete old or complete new version, the stale feed was not
        // pruned, the manifest is the old one, and no temporary file is left behind.
        for (name, old, new) in [
            ("rss.xml", "old all", "new all"),
            ("topics/a/rss.xml", "old a", "new a"),
        ] {
            let now = snapshot(name);
            assert!(now == old || now == new, "{name}: {now}");
        }
        assert_eq!(snapshot("topics/gone/rss.xml"), "old gone");
        assert_eq!(snapshot(MANIFEST), manifest_before);
        let temps = walkdir::WalkDir::new(&out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(temps, 0);

        // The next build, with space again, repairs everything.
        let stats = write_all(&out, &new).unwrap();
        assert_eq!(stats.removed, 1);
        assert_eq!(snapshot("rss.xml"), "new all");
        assert_eq!(snapshot("topics/a/rss.xml"), "new a");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_the_output_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("topics")).unwrap();
        let err = write_all(&out, &[rendered("topics/x/rss.xml", "b")]).unwrap_err();
        assert!(matches!(err, Error::UnsafeOutput { .. }), "{err}");
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_is_looked_at_only_when_a_file_is_written_into_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(&out).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("providers")).unwrap();
        let files = [
            "topics/a/rss.xml",
            "topics/b/rss.xml",
            "providers/c/rss.xml",
        ];
        let folders = Folders::new(&out, files.iter().filter_map(|f| Path::new(f).parent()));
        assert_eq!(
            folders.all().collect::<Vec<_>>(),
            ["topics", "topics/a", "topics/b", "providers", "providers/c"].map(Path::new),
            "parents before children"
        );
        folders.prepare_for(Path::new(files[0])).unwrap();
        assert!(out.join("topics/a").is_dir());
        assert!(!out.join("topics/b").exists(), "no file went there yet");
        folders.prepare_for(Path::new(files[0])).unwrap();
        let err = folders.prepare_for(Path::new(files[2])).unwrap_err();
        assert!(matches!(err, Error::UnsafeOutput { .. }), "{err}");
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
        folders.prepare_for(Path::new("rss.xml")).unwrap();
    }

    #[test]
    fn folders_are_made_parents_first_and_a_file_in_the_way_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let files = [
            rendered("topics/a/rss.xml", "a"),
            rendered("topics/b/deep/rss.xml", "b"),
            rendered("providers/c/rss.xml", "c"),
            rendered("rss.xml", "r"),
        ];
        write_all(&out, &files).unwrap();
        for file in &files {
            assert!(out.join(&file.path).is_file(), "{}", file.path);
        }
        // A link one level down is refused as well as one at the top.
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::remove_dir_all(out.join("topics/b")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("topics/b")).unwrap();
        let err = write_all(&out, &files).unwrap_err();
        assert!(matches!(err, Error::UnsafeOutput { .. }), "{err}");
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
        // A file where a folder belongs.
        fs::remove_file(out.join("topics/b")).unwrap();
        fs::write(out.join("topics/b"), "in the way").unwrap();
        let err = write_all(&out, &files).unwrap_err();
        assert!(
            matches!(&err, Error::Write { path, .. } if path.ends_with("topics/b")),
            "{err}"
        );
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputLock::acquire(dir.path()).unwrap();
        let path = dir.path().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let _second = OutputLock::acquire(&path).unwrap();
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(200))
                .is_err()
        );
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        waiter.join().unwrap();
    }

    #[test]
    fn a_file_changed_after_the_manifest_is_compared_not_trusted() {
        // Regression: a killed build had put back same-sized old bytes after the last manifest,
        // and the next build trusted the manifest's hash and left them.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &[rendered("rss.xml", "new!")]).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        fs::File::options()
            .write(true)
            .open(out.join(MANIFEST))
            .unwrap()
            .set_modified(old)
            .unwrap();
        fs::write(out.join("rss.xml"), "old!").unwrap();
        let stats = write_all(&out, &[rendered("rss.xml", "new!")]).unwrap();
        assert_eq!(stats.written, 1);
        assert_eq!(fs::read_to_string(out.join("rss.xml")).unwrap(), "new!");
    }

    #[test]
    fn files_with_the_same_inputs_are_not_rendered_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        // Two feeds and a site file (no feed information), all with fingerprints.
        let site_file = Rendered {
            feed: None,
            ..rendered("index.html", "<p>c</p>")
        };
        let files = [
            rendered("rss.xml", "a"),
            rendered("topics/x/rss.xml", "b"),
            site_file,
        ];
        let plan = |inputs: [&str; 3]| -> Vec<Planned> {
            files
                .iter()
                .zip(inputs)
                .map(|(f, input)| Planned {
                    path: f.path.clone(),
                    input: Some(input.to_string()),
                })
                .collect()
        };
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let produce = |i: usize| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(files[i].clone())
        };
        write_planned(&out, &plan(["1", "2", "s"]), &produce).unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 3);
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();

        // Same inputs: nothing is rendered, and the manifest stays the same.
        let stats = write_planned(&out, &plan(["1", "2", "s"]), &produce).unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 3));
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), manifest);
        let listed = Manifest::previous(&out).unwrap();
        assert_eq!(listed.feeds.len(), 2, "the site file is no feed");
        assert_eq!(listed.files[0].input.as_deref(), Some("s"));

        // One input changed: only that file is rendered.
        write_planned(&out, &plan(["1", "3", "s"]), &produce).unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 1);
        write_planned(&out, &plan(["1", "3", "t"]), &produce).unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 1);

        // A file changed on disk since the manifest is rendered again despite equal inputs.
        fs::write(out.join("rss.xml"), "edited").unwrap();
        let age = |name: &str, secs: u64| {
            let when = std::time::SystemTime::now() - std::time::Duration::from_secs(secs);
            let file = fs::File::options()
                .write(true)
                .open(out.join(name))
                .unwrap();
            file.set_modified(when).unwrap();
        };
        age(MANIFEST, 60);
        age("topics/x/rss.xml", 120);
        age("index.html", 120);
        write_planned(&out, &plan(["1", "3", "t"]), &produce).unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(fs::read_to_string(out.join("rss.xml")).unwrap(), "a");
    }

    #[test]
    fn temp_files_of_killed_builds_are_cleaned_and_only_those() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("topics/x")).unwrap();
        for name in [
            ".rss.xml.123.tmp",
            ".manifest.json.9.tmp",
            "topics/x/.rss.xml.77.tmp",
        ] {
            fs::write(out.join(name), "torn").unwrap();
        }
        for name in [
            ".notes.txt.1.tmp",
            ".rss.xml.tmp",
            "rss.xml.5.tmp",
            ".rss.xml.x1.tmp",
        ] {
            fs::write(out.join(name), "not ours").unwrap();
        }
        write_all(
            &out,
            &[rendered("rss.xml", "a"), rendered("topics/x/rss.xml", "b")],
        )
        .unwrap();
        assert!(!out.join(".rss.xml.123.tmp").exists());
        assert!(!out.join(".manifest.json.9.tmp").exists());
        assert!(!out.join("topics/x/.rss.xml.77.tmp").exists());
        for name in [
            ".notes.txt.1.tmp",
            ".rss.xml.tmp",
            "rss.xml.5.tmp",
            ".rss.xml.x1.tmp",
        ] {
            assert!(out.join(name).exists(), "{name}");
        }
        assert!(
            !out.join(WRITING).exists(),
            "a finished build leaves no mark"
        );

        // A later build that did not finish leaves its mark: the next one looks again.
        fs::write(out.join(WRITING), "").unwrap();
        fs::write(out.join("topics/x/.rss.xml.78.tmp"), "torn").unwrap();
        write_all(
            &out,
            &[rendered("rss.xml", "a"), rendered("topics/x/rss.xml", "c")],
        )
        .unwrap();
        assert!(!out.join("topics/x/.rss.xml.78.tmp").exists());
        assert!(!out.join(WRITING).exists());
    }

    #[test]
    fn manifest_paths_that_escape_are_never_pruned() {
        assert!(is_plain_relative("topics/ai/rss.xml"));
        assert!(!is_plain_relative("../x"));
        assert!(!is_plain_relative("/etc/passwd"));
        assert!(!is_plain_relative("a/../../b"));
        assert!(!is_plain_relative(""));
    }

    #[test]
    fn dangerous_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::create_dir(&input).unwrap();
        assert!(check_output(&input, Path::new("/")).is_err());
        assert!(check_output(&input, &input.join("out")).is_err());
        assert!(check_output(&input, &input).is_err());
        let file = dir.path().join("file");
        fs::write(&file, "").unwrap();
        assert!(check_output(&input, &file).is_err());
        assert!(check_output(&input, &dir.path().join("out")).is_ok());
    }
}
