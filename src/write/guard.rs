//! The output guard: what keeps a build from writing where it must not. Refuses dangerous
//! output folders ([`check_output`]), files newswire did not write ([`refuse_foreign`]) and
//! symbolic links below the output folder, makes the folders files go in only as they are
//! needed ([`Folders`]), holds the output lock ([`OutputLock`]) so two builds never
//! interleave, and leaves the `.newswire.writing` mark ([`Marker`]) that tells the next build
//! this one did not finish, and which paths it owned.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rustc_hash::FxHashMap as HashMap;

use super::replace::{create_file, replace};
use crate::error::Error;
use crate::progress::Progress;

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
    let resolved = crate::files::resolve(output);
    if resolved.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if std::env::var_os("HOME")
        .is_some_and(|home| crate::files::resolve(Path::new(&home)) == resolved)
    {
        return refuse("it is the home folder");
    }
    let input = crate::files::resolve(input);
    if resolved.starts_with(&input) {
        return refuse("it is inside the input folder, so feeds would be read back as articles");
    }
    Ok(())
}

/// Refuses a build that would overwrite a file newswire did not write: a planned path that
/// exists in `output` (as a file or a link) though `owned` (what the previous manifest and a
/// killed build's mark list) does not list it, or a `manifest.json` that is no manifest of
/// ours (`manifest` is `false`: none could be read). Called before anything is written, so a
/// refused build writes nothing. The error names the first such path and counts the others.
pub(super) fn refuse_foreign<'a>(
    output: &Path,
    planned: impl IntoIterator<Item = &'a str>,
    owned: &std::collections::BTreeSet<&str>,
    manifest: bool,
) -> Result<(), Error> {
    use rayon::prelude::*;
    let candidates: Vec<&str> = planned
        .into_iter()
        .filter(|p| !owned.contains(p))
        .chain((!manifest).then_some(super::MANIFEST))
        .collect();
    // Only paths no manifest lists are looked at: on a rebuild, the few new feeds.
    let mut foreign: Vec<&str> = candidates
        .into_par_iter()
        .filter(|p| fs::symlink_metadata(output.join(p)).is_ok_and(|m| !m.is_dir()))
        .collect();
    foreign.sort_unstable();
    foreign.dedup();
    match foreign.first() {
        None => Ok(()),
        Some(first) => Err(Error::Foreign {
            path: output.join(first),
            more: foreign.len() - 1,
        }),
    }
}

/// The folders the files go in (relative to the existing `output`) and their parents. Each is
/// made, and refused if it is a symbolic link, when the first file that goes in it is about to
/// be written, parents first: a rebuild that writes two files looks at their folders only, not
/// at the 3,000 others.
pub(super) struct Folders<'a> {
    output: &'a Path,
    /// Each folder's place.
    places: HashMap<&'a Path, usize>,
    /// Each folder, and the place of its parent (none for a top-level folder).
    folders: Vec<(&'a Path, Option<usize>)>,
    /// Which folders are known to be ready.
    ready: Vec<AtomicBool>,
}

impl<'a> Folders<'a> {
    /// The folders `dirs` (relative to `output`) and their parents, none looked at yet.
    pub(super) fn new(output: &'a Path, dirs: impl IntoIterator<Item = &'a Path>) -> Self {
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
    pub(super) fn all(&self) -> impl Iterator<Item = &'a Path> + '_ {
        self.folders.iter().map(|&(folder, _)| folder)
    }

    /// Makes sure the folder of `file` (relative to the output) is there and no link.
    pub(super) fn prepare_for(&self, file: &Path) -> Result<(), Error> {
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
pub(super) fn refuse_symlinks(output: &Path, relative: &Path) -> Result<(), Error> {
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
/// previous one did not finish, looks for the temporary files it left, and reads from it the
/// paths that build owned ([`Marker::left_behind`]).
pub(super) const WRITING: &str = ".newswire.writing";

/// What the [`WRITING`] mark says: every path a build may leave behind that is newswire's,
/// as a JSON list of paths relative to the output folder. Written before the first file, it
/// keeps those paths known as ours until a later build has kept them (in its manifest) or
/// pruned them, wherever the build is killed: after its manifest is written and before it
/// pruned, the stale files are listed here and nowhere else.
pub(super) struct Marker;

impl Marker {
    /// The paths listed by the mark a build that did not finish left in `output`; `None` when
    /// there is no mark (the last build finished). A mark from before the list (an empty file)
    /// or a torn one (written in place, see [`Marker::write`]) lists nothing.
    pub(super) fn left_behind(output: &Path) -> Option<Vec<String>> {
        match fs::read(output.join(WRITING)) {
            Ok(bytes) => Some(serde_json::from_slice(&bytes).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            // There, but unreadable: unfinished all the same.
            Err(_) => Some(Vec::new()),
        }
    }

    /// Leaves the mark listing `owned` in `output`, before anything is written there. Over a
    /// mark a killed build left, it goes through a temporary file and a rename, so that mark's
    /// list (which `owned` includes) is never lost to a torn write; with no mark there, it is
    /// written in place: torn, it lists nothing, and nothing has been written yet.
    pub(super) fn write<'a>(
        output: &Path,
        owned: impl IntoIterator<Item = &'a str>,
        over_a_mark: bool,
    ) -> Result<(), Error> {
        let owned: Vec<&str> = owned.into_iter().collect();
        let mut bytes = serde_json::to_vec(&owned).unwrap_or_default();
        bytes.push(b'\n');
        let mark = output.join(WRITING);
        if over_a_mark {
            replace(&mark, &bytes, &create_file).map(drop)
        } else {
            fs::write(&mark, bytes).map_err(|source| Error::Write { path: mark, source })
        }
    }

    /// Removes the mark once everything is written and pruned: the next build need not look
    /// for temporary files or stale paths. (A build that fails leaves it.)
    pub(super) fn remove(output: &Path) {
        let _ = fs::remove_file(output.join(WRITING));
    }
}

/// An exclusive advisory lock on the output folder, released when dropped or when the process
/// dies (the OS drops it with the file descriptor), so a killed build never leaves it stuck.
pub struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock, waiting while another build holds it (told to `progress` first, see
    /// [`Progress::waiting_for_output`]).
    pub fn acquire(output: &Path, progress: &dyn Progress) -> Result<OutputLock, Error> {
        let error = |source| Error::Write {
            path: output.to_path_buf(),
            source,
        };
        let file = Self::lock_target(output).map_err(error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                progress.waiting_for_output(output);
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Mutex;

    use super::*;
    use crate::progress::Silent;
    use crate::write::tests::rendered;
    use crate::write::write_all;

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_the_output_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("topics")).unwrap();
        let err = write_all(&out, &[rendered("topics/x/rss.xml", "b")], &Silent).unwrap_err();
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
        write_all(&out, &files, &Silent).unwrap();
        for file in &files {
            assert!(out.join(&file.path).is_file(), "{}", file.path);
        }
        // A link one level down is refused as well as one at the top.
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::remove_dir_all(out.join("topics/b")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("topics/b")).unwrap();
        let err = write_all(&out, &files, &Silent).unwrap_err();
        assert!(matches!(err, Error::UnsafeOutput { .. }), "{err}");
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
        // A file where a folder belongs.
        fs::remove_file(out.join("topics/b")).unwrap();
        fs::write(out.join("topics/b"), "in the way").unwrap();
        let err = write_all(&out, &files, &Silent).unwrap_err();
        assert!(
            matches!(&err, Error::Write { path, .. } if path.ends_with("topics/b")),
            "{err}"
        );
    }

    #[test]
    fn the_mark_lists_what_a_build_owns_and_an_old_empty_mark_lists_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        assert_eq!(
            Marker::left_behind(out),
            None,
            "no mark: the last build finished"
        );
        // Written in place, then over a mark (through a temporary file, none left).
        let owned = ["rss.xml", "topics/a b/rss.xml", "topics/new\nline/atom.xml"];
        Marker::write(out, owned, false).unwrap();
        assert_eq!(Marker::left_behind(out).unwrap(), owned);
        Marker::write(out, ["atom.xml"], true).unwrap();
        assert_eq!(Marker::left_behind(out).unwrap(), ["atom.xml"]);
        assert_eq!(fs::read_dir(out).unwrap().count(), 1, "only the mark");
        // The empty mark of an older newswire, and a torn one: unfinished, nothing listed.
        for old in ["", "[\"rss.xml\", \"top"] {
            fs::write(out.join(WRITING), old).unwrap();
            assert_eq!(Marker::left_behind(out), Some(Vec::new()), "{old:?}");
        }
        Marker::remove(out);
        assert_eq!(Marker::left_behind(out), None);
    }

    /// Progress that records which output folders it was told a build waits for.
    #[derive(Default)]
    struct Told(Mutex<Vec<PathBuf>>);

    impl Progress for Told {
        fn start(&self, _: &'static str, _: usize) {}
        fn step(&self) {}
        fn finish(&self) {}
        fn waiting_for_output(&self, output: &Path) {
            self.0.lock().unwrap().push(output.to_path_buf());
        }
    }

    #[test]
    fn a_second_lock_waits_for_the_first_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutputLock::acquire(dir.path(), &Silent).unwrap();
        let told = Told::default();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|scope| {
            let (path, told) = (dir.path(), &told);
            let waiter = scope.spawn(move || {
                let _second = OutputLock::acquire(path, told).unwrap();
                tx.send(()).unwrap();
            });
            assert!(
                rx.recv_timeout(std::time::Duration::from_millis(200))
                    .is_err()
            );
            drop(first);
            rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
            waiter.join().unwrap();
        });
        assert_eq!(*told.0.lock().unwrap(), [dir.path()]);
        // A free lock is taken without a word.
        let told = Told::default();
        drop(OutputLock::acquire(dir.path(), &told).unwrap());
        assert!(told.0.lock().unwrap().is_empty());
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
