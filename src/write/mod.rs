//! Write: the planned files → the output folder, atomically, never deleting first.
//!
//! Each file is written to a temporary file in its own folder and renamed into place, so a
//! reader (or a build killed half-way) only ever sees a complete old or a complete new file.
//! Files whose bytes did not change are not touched (their mtime is kept). Only after every write
//! succeeded are stale files pruned, and only those the previous `manifest.json` lists or the
//! `.newswire.writing` mark of a killed build lists: files newswire did not write are never
//! touched. The mark, written before the first file, lists every path the build owns, so a
//! build killed at any point (even between its manifest and its pruning) leaves nothing that
//! the next build does not know as its own.
//!
//! This file is the executor, one build's write in named steps ([`write_planned`]); beside it
//! are `guard.rs` (the output checks, the lock, the folders), `manifest.rs` (what a build
//! wrote, read back by the next), `replace.rs` (one file, atomically) and `prune.rs` (the
//! previous build's stale files).

mod guard;
mod manifest;
mod prune;
mod replace;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use self::guard::{Folders, Marker};
use self::manifest::Previous;
use self::prune::prune;
use self::replace::{Put, create_file, replace};
use crate::error::Error;
use crate::files::remove_stale_temps;
use crate::model::{FeedInfo, FirstSeen, PageState, Planned, Rendered, Tombstones};
use crate::progress::Progress;

pub use self::guard::{OutputLock, check_output};
pub use self::manifest::{MANIFEST, Manifest, ManifestEntry, ManifestFile};

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

impl WriteStats {
    /// Counts the files of `written` that changed and those that did not (none removed yet).
    fn count(written: &[Written]) -> WriteStats {
        let mut stats = WriteStats::default();
        for file in written {
            if file.changed {
                stats.written += 1;
            } else {
                stats.unchanged += 1;
            }
        }
        stats
    }
}

/// Writes already rendered `files` (see [`write_planned`]), refusing to overwrite files
/// newswire did not write.
pub fn write_all(
    output: &Path,
    files: &[Rendered],
    progress: &dyn Progress,
) -> Result<WriteStats, Error> {
    let plan: Vec<Planned> = files
        .iter()
        .map(|f| Planned {
            path: f.path.clone(),
            input: None,
        })
        .collect();
    write_planned(
        output,
        &plan,
        &[],
        &|i| Ok(files[i].clone()),
        Records::default(),
        Ownership::Ours,
        progress,
    )
}

/// Whether a build may overwrite files in the output folder that newswire did not write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// Only files the previous manifest (or a killed build's mark) lists may be overwritten;
    /// any other file at a planned path refuses the build, before anything is written.
    Ours,
    /// Any file at a planned path is overwritten (`--force`).
    Force,
}

impl Ownership {
    /// `Force` when `force`.
    pub fn forced(force: bool) -> Ownership {
        if force {
            Ownership::Force
        } else {
            Ownership::Ours
        }
    }
}

/// Refuses, as a build of `paths` into `output` would (see [`Ownership::Ours`]), when one of
/// them is a file newswire did not write: for `check`, which writes nothing.
pub fn check_ownership<'a>(
    output: &Path,
    paths: impl IntoIterator<Item = &'a str>,
) -> Result<(), Error> {
    let manifest = Manifest::previous(output);
    let left_behind = Marker::left_behind(output);
    let owned = owned_before(manifest.as_ref(), left_behind.as_deref());
    guard::refuse_foreign(output, paths, &owned, manifest.is_some())
}

/// The paths a previous build owned: its manifest's, and the mark's of a build that did not
/// finish.
fn owned_before<'a>(
    manifest: Option<&'a Manifest>,
    left_behind: Option<&'a [String]>,
) -> BTreeSet<&'a str> {
    manifest
        .into_iter()
        .flat_map(Manifest::paths)
        .chain(left_behind.into_iter().flatten().map(String::as_str))
        .collect()
}

/// Produces the `i`-th planned file; called in parallel, each index once.
pub type Produce<'a> = dyn Fn(usize) -> Result<Rendered, Error> + Sync + 'a;

/// What the manifest records for the next build besides the files.
#[derive(Debug, Clone, Copy, Default)]
pub struct Records<'a> {
    /// The dates undated articles were first published under (`None`: no item needed one;
    /// the previous manifest's are kept).
    pub first_seen: Option<&'a FirstSeen>,
    /// Where archive pages begin (`None`: no feed is archived).
    pub pages: Option<&'a PageState>,
    /// What tombstones need (`None`: tombstones are off).
    pub tombstones: Option<&'a Tombstones>,
}

/// Writes the files of `plan` (as `produce` renders them, in parallel, so only a few are in
/// memory at once) and the manifest under `output`, then prunes what the previous manifest
/// listed and this build no longer produces.
///
/// Holds an exclusive lock on the output folder throughout, so two builds never interleave
/// (while another build holds it, `progress` is told and this one waits). A file made from the
/// inputs the previous manifest records for it (its fingerprint), and still as that build left
/// it (same size, no newer than the manifest), is not rendered at all; a rendered file whose
/// XXH3 and size the manifest records is known unchanged on the same condition, without
/// reading the file on disk; any other file is compared byte for byte and replaced only when
/// different.
///
/// The manifest records `first_seen` (the dates undated articles were first published under),
/// or, when it is `None` (no item needed one), what the previous manifest recorded, and where
/// archive pages begin.
///
/// Before anything is written, a planned file that exists though no previous build of ours
/// wrote it refuses the build ([`Error::Foreign`]), unless `ownership` is
/// [`Ownership::Force`].
///
/// The files are produced about in the order `order` gives (indices into `plan`; empty: plan
/// order), whatever the order of `plan`, which the manifest keeps.
pub fn write_planned(
    output: &Path,
    plan: &[Planned],
    order: &[usize],
    produce: &Produce<'_>,
    records: Records<'_>,
    ownership: Ownership,
    progress: &dyn Progress,
) -> Result<WriteStats, Error> {
    write_planned_with(
        output,
        Plan { plan, order },
        produce,
        records,
        ownership,
        &create_file,
        progress,
    )
}

/// The files to write, and the order to produce them in (empty: as listed).
#[derive(Clone, Copy)]
struct Plan<'a> {
    plan: &'a [Planned],
    order: &'a [usize],
}

/// [`write_planned`], with the temporary files' bytes put on disk by `put`.
fn write_planned_with(
    output: &Path,
    Plan { plan, order }: Plan<'_>,
    produce: &Produce<'_>,
    records: Records<'_>,
    ownership: Ownership,
    put: &Put<'_>,
    progress: &dyn Progress,
) -> Result<WriteStats, Error> {
    fs::create_dir_all(output).map_err(|source| Error::Write {
        path: output.to_path_buf(),
        source,
    })?;
    let _lock = OutputLock::acquire(output, progress)?;
    let manifest = Manifest::previous(output);
    let previous = Previous::new(manifest.as_ref(), output);
    let folders = Folders::new(
        output,
        plan.iter().filter_map(|p| Path::new(&p.path).parent()),
    );
    // What a build that did not finish (it left its `WRITING` mark) owned; none otherwise.
    let left_behind = Marker::left_behind(output);
    let mut owned = owned_before(manifest.as_ref(), left_behind.as_deref());
    if ownership == Ownership::Ours {
        let planned = plan.iter().map(|p| p.path.as_str());
        guard::refuse_foreign(output, planned, &owned, manifest.is_some())?;
    }
    // Temporary files are left only by a build that did not finish: the first (no manifest
    // yet), or one that left its mark. Otherwise there is nothing to look for.
    if manifest.is_none() || left_behind.is_some() {
        remove_temps(
            output,
            plan,
            left_behind.as_deref().unwrap_or_default(),
            &folders,
        );
    }
    // Every path this build may leave behind that is ours, recorded before the first write:
    // killed anywhere from here on, the next build still knows them all (see `Marker`).
    owned.extend(plan.iter().map(|p| p.path.as_str()));
    Marker::write(output, owned.iter().copied(), left_behind.is_some())?;

    let files = Files {
        output,
        plan,
        order,
        produce,
        put,
        previous: &previous,
        folders: &folders,
    };
    let written = files.write()?;
    let mut stats = WriteStats::count(&written);
    let mut next = Manifest::for_files(&written);
    next.archives = records.pages.cloned().unwrap_or_default();
    next.tombstones = records.tombstones.cloned().unwrap_or_default();
    next.first_seen = match (records.first_seen, &manifest) {
        (Some(first_seen), _) => first_seen.clone(),
        (None, Some(previous)) => previous.first_seen.clone(),
        (None, None) => FirstSeen::new(),
    };
    let manifest_bytes = next.to_bytes();
    replace(&output.join(MANIFEST), &manifest_bytes, put)?;

    // What the previous manifest and a killed build's mark list, and this build did not make
    // (its manifest is never stale, whatever a mark says).
    let current: BTreeSet<&str> = plan
        .iter()
        .map(|p| p.path.as_str())
        .chain([MANIFEST])
        .collect();
    stats.removed = prune(output, &owned, &current)?;
    Marker::remove(output);
    Ok(stats)
}

/// Removes the temporary files a killed build left in `output` and in the folders the planned
/// files go in, or the files its mark lists (`left_behind`): those of their names, of the
/// manifest and of the mark. A listed folder this build does not use is removed if that leaves
/// it empty.
fn remove_temps(output: &Path, plan: &[Planned], left_behind: &[String], folders: &Folders<'_>) {
    let names: BTreeSet<&str> = plan
        .iter()
        .map(|p| p.path.as_str())
        .chain(left_behind.iter().map(String::as_str))
        .filter_map(|p| Path::new(p).file_name()?.to_str())
        .chain([MANIFEST, guard::WRITING])
        .collect();
    let planned: BTreeSet<&Path> = folders.all().collect();
    let unplanned: BTreeSet<&Path> = left_behind
        .iter()
        .filter(|p| prune::is_plain_relative(p))
        .filter_map(|p| Path::new(p).parent())
        .filter(|dir| !dir.as_os_str().is_empty() && !planned.contains(dir))
        .filter(|dir| guard::refuse_symlinks(output, dir).is_ok())
        .collect();
    let dirs: Vec<&Path> = planned
        .iter()
        .chain(&unplanned)
        .copied()
        .chain([Path::new("")])
        .collect();
    dirs.par_iter()
        .for_each(|dir| remove_stale_temps(&output.join(dir), &names));
    for dir in unplanned {
        prune::remove_empty_folders(output, &output.join(dir));
    }
}

/// One build's planned files, and what writing each of them needs.
struct Files<'a> {
    output: &'a Path,
    plan: &'a [Planned],
    /// The order to produce them in (empty: as listed).
    order: &'a [usize],
    produce: &'a Produce<'a>,
    put: &'a Put<'a>,
    /// What the previous build's manifest records.
    previous: &'a Previous<'a>,
    /// The folders the files go in.
    folders: &'a Folders<'a>,
}

impl Files<'_> {
    /// Writes every planned file, in parallel; what each write did, in plan order.
    fn write(&self) -> Result<Vec<Written>, Error> {
        if self.order.len() != self.plan.len() {
            return (0..self.plan.len())
                .into_par_iter()
                .map(|i| self.write_one(i))
                .collect();
        }
        // Every thread takes the next file in order, so files next to each other in the
        // order are made at about the same time (a parallel iterator would split the order
        // in halves, one for each thread).
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let threads = rayon::current_num_threads().max(1);
        let parts: Vec<Vec<(usize, Written)>> = (0..threads)
            .into_par_iter()
            .map(|_| {
                let mut done = Vec::new();
                while !failed.load(Ordering::Relaxed) {
                    let Some(&i) = self.order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    match self.write_one(i) {
                        Ok(written) => done.push((i, written)),
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            return Err(e);
                        }
                    }
                }
                Ok(done)
            })
            .collect::<Result<_, Error>>()?;
        let mut written: Vec<(usize, Written)> = parts.into_iter().flatten().collect();
        written.sort_unstable_by_key(|(i, _)| *i);
        Ok(written.into_iter().map(|(_, w)| w).collect())
    }

    /// Renders the `i`-th planned file, unless it is [`Self::as_before`], and replaces it on
    /// disk unless it holds those bytes already.
    fn write_one(&self, i: usize) -> Result<Written, Error> {
        let planned = &self.plan[i];
        if let Some(written) = self.as_before(planned) {
            return Ok(written);
        }
        let file = (self.produce)(i)?;
        let xxh3 = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&file.bytes));
        let path = self.output.join(&file.path);
        let bytes = file.bytes.len() as u64;
        let known = self
            .previous
            .get(&file.path)
            .is_some_and(|r| r.xxh3 == xxh3)
            && self.previous.on_disk(&path, bytes);
        let changed = !known
            && self
                .folders
                .prepare_for(Path::new(&file.path))
                .and_then(|()| replace(&path, &file.bytes, self.put))?;
        Ok(Written {
            path: file.path,
            feed: file.feed,
            xxh3,
            bytes,
            input: planned.input.clone(),
            changed,
        })
    }

    /// The `planned` file as the previous build left it, when it was made from the same inputs
    /// and is still as that build left it: nothing to render or write.
    fn as_before(&self, planned: &Planned) -> Option<Written> {
        let input = planned.input.as_ref()?;
        let entry = self.previous.get(&planned.path)?;
        let same = entry.input == Some(input.as_str())
            && !entry.xxh3.is_empty()
            && self
                .previous
                .on_disk(&self.output.join(&planned.path), entry.bytes);
        same.then(|| Written {
            path: planned.path.clone(),
            feed: entry.feed(),
            xxh3: entry.xxh3.to_string(),
            bytes: entry.bytes,
            input: Some(input.clone()),
            changed: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use super::guard::WRITING;
    use super::*;
    use crate::model::FeedFormat;
    use crate::progress::Silent;

    /// A feed file at `path` holding `text`.
    pub(super) fn rendered(path: &str, text: &str) -> Rendered {
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
        let stats = write_all(&out, &first, &Silent).unwrap();
        assert_eq!((stats.written, stats.unchanged, stats.removed), (2, 0, 0));
        fs::write(out.join("topics/foreign.txt"), "mine").unwrap();

        let second = [rendered("rss.xml", "a")];
        let stats = write_all(&out, &second, &Silent).unwrap();
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
    fn a_file_newswire_did_not_write_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), "mine").unwrap();
        fs::write(out.join("notes.txt"), "mine too").unwrap();
        let site_file = |path: &str, text: &str| Rendered {
            feed: None,
            ..rendered(path, text)
        };
        let files = [rendered("rss.xml", "a"), site_file("index.html", "ours")];
        let listing = || {
            let mut names: Vec<String> = fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let err = write_all(&out, &files, &Silent).unwrap_err();
        assert!(
            matches!(&err, Error::Foreign { path, more: 0 } if *path == out.join("index.html")),
            "{err}"
        );
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(listing(), ["index.html", "notes.txt"], "nothing written");
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "mine");

        // With --force it is overwritten (and from then on it is ours); other files stay.
        let plan: Vec<Planned> = (files.iter())
            .map(|f| Planned {
                path: f.path.clone(),
                input: None,
            })
            .collect();
        let produce = |i: usize| Ok(files[i].clone());
        write_planned(
            &out,
            &plan,
            &[],
            &produce,
            Records::default(),
            Ownership::Force,
            &Silent,
        )
        .unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "ours");
        assert_eq!(
            fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine too"
        );
        write_all(&out, &files, &Silent).unwrap();

        // A file at a path the manifest does not list yet (a new feed) is refused too, as is
        // a manifest.json that is not ours; several are counted.
        fs::write(out.join("atom.xml"), "theirs").unwrap();
        let more = [
            files[0].clone(),
            files[1].clone(),
            rendered("atom.xml", "b"),
        ];
        let err = write_all(&out, &more, &Silent).unwrap_err();
        assert!(matches!(&err, Error::Foreign { more: 0, .. }), "{err}");
        let other = tempfile::tempdir().unwrap();
        fs::write(other.path().join(MANIFEST), "{\"name\": \"my app\"}").unwrap();
        fs::write(other.path().join("atom.xml"), "theirs").unwrap();
        let err = write_all(other.path(), &more, &Silent).unwrap_err();
        assert!(
            matches!(&err, Error::Foreign { path, more: 1 } if path.ends_with("atom.xml")),
            "{err}"
        );
        assert!(err.to_string().contains("and 1 other file"), "{err}");
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
        write_all(&out, &old, &Silent).unwrap();
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
        let err = write_planned_with(
            &out,
            Plan {
                plan: &plan,
                order: &[],
            },
            &|i| Ok(new[i].clone()),
            Records::default(),
            Ownership::Ours,
            &full_after_one,
            &Silent,
        )
        .unwrap_err();
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
        let stats = write_all(&out, &new, &Silent).unwrap();
        assert_eq!(stats.removed, 1);
        assert_eq!(snapshot("rss.xml"), "new all");
        assert_eq!(snapshot("topics/a/rss.xml"), "new a");
    }

    #[test]
    fn a_file_changed_after_the_manifest_is_compared_not_trusted() {
        // Regression: a killed build had put back same-sized old bytes after the last manifest,
        // and the next build trusted the manifest's hash and left them.
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &[rendered("rss.xml", "new!")], &Silent).unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
        fs::File::options()
            .write(true)
            .open(out.join(MANIFEST))
            .unwrap()
            .set_modified(old)
            .unwrap();
        fs::write(out.join("rss.xml"), "old!").unwrap();
        let stats = write_all(&out, &[rendered("rss.xml", "new!")], &Silent).unwrap();
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
        write_planned(
            &out,
            &plan(["1", "2", "s"]),
            &[],
            &produce,
            Records::default(),
            Ownership::Ours,
            &Silent,
        )
        .unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 3);
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();

        // Same inputs: nothing is rendered, and the manifest stays the same.
        let stats = write_planned(
            &out,
            &plan(["1", "2", "s"]),
            &[],
            &produce,
            Records::default(),
            Ownership::Ours,
            &Silent,
        )
        .unwrap();
        assert_eq!((stats.written, stats.unchanged), (0, 3));
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), manifest);
        let listed = Manifest::previous(&out).unwrap();
        assert_eq!(listed.feeds.len(), 2, "the site file is no feed");
        assert_eq!(listed.files[0].input.as_deref(), Some("s"));

        // One input changed: only that file is rendered.
        write_planned(
            &out,
            &plan(["1", "3", "s"]),
            &[],
            &produce,
            Records::default(),
            Ownership::Ours,
            &Silent,
        )
        .unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 1);
        write_planned(
            &out,
            &plan(["1", "3", "t"]),
            &[],
            &produce,
            Records::default(),
            Ownership::Ours,
            &Silent,
        )
        .unwrap();
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
        write_planned(
            &out,
            &plan(["1", "3", "t"]),
            &[],
            &produce,
            Records::default(),
            Ownership::Ours,
            &Silent,
        )
        .unwrap();
        assert_eq!(calls.swap(0, std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(fs::read_to_string(out.join("rss.xml")).unwrap(), "a");
    }

    #[test]
    fn what_a_killed_build_marked_as_its_own_is_pruned_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_all(&out, &[rendered("rss.xml", "a")], &Silent).unwrap();
        // A build killed after its manifest, before it pruned: its mark lists files that no
        // manifest does. One is still a file, one is now a link, one a folder; a temporary
        // file of its is left in a folder this build does not use.
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("rss.xml"), "not ours").unwrap();
        fs::create_dir_all(out.join("topics/gone")).unwrap();
        fs::create_dir_all(out.join("topics/folder/rss.xml")).unwrap();
        fs::create_dir_all(out.join("topics/torn")).unwrap();
        fs::write(out.join("topics/gone/rss.xml"), "stale").unwrap();
        fs::write(out.join("topics/torn/.atom.xml.1.tmp"), "torn").unwrap();
        std::os::unix::fs::symlink(elsewhere.join("rss.xml"), out.join("link.xml")).unwrap();
        let mark = r#"["rss.xml","topics/gone/rss.xml","link.xml","topics/folder/rss.xml","topics/torn/atom.xml","../elsewhere/rss.xml"]"#;
        fs::write(out.join(WRITING), mark).unwrap();

        let stats = write_all(&out, &[rendered("rss.xml", "a")], &Silent).unwrap();
        assert_eq!(stats.removed, 1);
        assert!(!out.join("topics/gone").exists(), "pruned, and its folder");
        assert!(
            !out.join("topics/torn").exists(),
            "temporary file and folder removed"
        );
        assert!(
            out.join("topics/folder/rss.xml").is_dir(),
            "a folder is not ours"
        );
        assert!(out.join("link.xml").is_symlink(), "a link is not ours");
        assert_eq!(
            fs::read_to_string(elsewhere.join("rss.xml")).unwrap(),
            "not ours"
        );
        assert!(!out.join(WRITING).exists());
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
            &Silent,
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
            &Silent,
        )
        .unwrap();
        assert!(!out.join("topics/x/.rss.xml.78.tmp").exists());
        assert!(!out.join(WRITING).exists());
    }
}
