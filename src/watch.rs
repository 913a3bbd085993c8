//! `newswire watch`: tell the caller when an article or the config file changed, so it can
//! rebuild. The operating system reports the changes (inotify on Linux, through the `notify`
//! crate) and `notify-debouncer-full` folds an editor's burst of writes into one batch, so an
//! idle watch costs (almost) nothing however large the input folder is.
//!
//! What is watched: the input folder, recursively, and the folder holding the config file, not
//! recursively, keeping only events for the file itself (editors save by writing a new file and
//! renaming it over the old one, which a watch on the file alone would lose). What is ignored:
//! reads (a build opens every article, and must not set off the next build), hidden files and
//! folders (as ingest skips them: editor swap files), and everything inside the output and cache
//! folders when they live inside the input folder (a build writes there).
//!
//! Nothing here prints: [`Watcher::run`] hands changes to a callback and problems to another.

use std::collections::{BTreeSet, VecDeque};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{self, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache};

use crate::config::Settings;
use crate::error::Error;

/// How long a path must stay quiet before its changes are handed on: long enough to fold an
/// editor's save (write, rename, chmod) into one rebuild, short enough to feel immediate.
const DEBOUNCE: Duration = Duration::from_millis(200);
/// How often the debouncer looks for quiet paths (its thread sleeps in between; the
/// operating system's events themselves arrive without polling).
const TICK: Duration = Duration::from_millis(100);

/// The paths a build depends on and writes to, all absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// The input folder, watched recursively.
    pub input: PathBuf,
    /// The output folder and the cache folder: changes inside them never count.
    pub ignored: Vec<PathBuf>,
}

impl Watched {
    /// What a build with `settings` reads and writes.
    pub fn of(settings: &Settings) -> Watched {
        let mut ignored = vec![crate::files::resolve(&settings.output)];
        ignored.extend(settings.cache_dir.as_deref().map(crate::files::resolve));
        Watched {
            input: crate::files::resolve(&settings.input),
            ignored,
        }
    }
}

/// What [`Watcher::next_change`] saw.
#[derive(Debug)]
pub enum Change {
    /// These paths changed (sorted); none when the system lost track of events (its queue
    /// overflowed) and everything must be looked at again.
    Paths(Vec<PathBuf>),
    /// The system reported a problem; the watch goes on.
    Problem(Error),
    /// Nothing changed before the timeout.
    Quiet,
    /// The watch has ended.
    Ended,
}

/// A running watch: the debouncer, the channel its batches arrive on, and what is watched.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: mpsc::Receiver<DebounceEventResult>,
    /// The config file, absolute.
    config: PathBuf,
    watched: Watched,
    /// The folders handed to the operating system, with how.
    roots: Vec<(PathBuf, RecursiveMode)>,
    /// Problems reported along with changes, handed on after them.
    problems: VecDeque<Error>,
}

impl Watcher {
    /// Starts watching `watched.input` and the folder of `config` (which need not exist yet).
    ///
    /// Fails when the watch cannot be set up (the input folder is missing, or the system's
    /// limit on watched folders is reached).
    pub fn new(config: &Path, watched: Watched) -> Result<Watcher, Error> {
        let (sender, events) = mpsc::channel();
        // Symbolic links are not followed, as ingest does not follow them.
        let options = notify::Config::default().with_follow_symlinks(false);
        let debouncer = notify_debouncer_full::new_debouncer_opt(
            DEBOUNCE,
            Some(TICK),
            sender,
            RecommendedCache::new(),
            options,
        )
        .map_err(|err| watch_error(&watched.input, err))?;
        let mut watcher = Watcher {
            debouncer,
            events,
            config: crate::files::resolve(config),
            watched: watched.clone(),
            roots: Vec::new(),
            problems: VecDeque::new(),
        };
        watcher.apply()?;
        Ok(watcher)
    }

    /// Runs the watch until the process ends: calls `rebuild` with the changed paths after each
    /// (debounced) batch of changes, and `warn` with problems the operating system reports on
    /// the way (they do not stop the watch).
    ///
    /// `rebuild` returns what its build read and wrote, when it could load the settings: a
    /// config edit may have moved the input or output folder, and the watch follows.
    pub fn run(
        mut self,
        mut rebuild: impl FnMut(&[PathBuf]) -> Option<Watched>,
        mut warn: impl FnMut(&Error),
    ) {
        loop {
            match self.next_change(None) {
                Change::Paths(changed) => {
                    if let Some(watched) = rebuild(&changed)
                        && let Err(err) = self.follow(watched)
                    {
                        warn(&err);
                    }
                }
                Change::Problem(err) => warn(&err),
                Change::Quiet => {}
                Change::Ended => return,
            }
        }
    }

    /// Watches `watched` from now on instead of what was watched before, if it differs (or
    /// the last attempt failed: a folder named in the config may exist by now).
    pub fn follow(&mut self, watched: Watched) -> Result<(), Error> {
        let input_watched = self.roots.iter().any(|(root, _)| *root == watched.input);
        if watched == self.watched && input_watched {
            return Ok(());
        }
        self.watched = watched;
        self.apply()
    }

    /// Brings the folders handed to the operating system in line with `self.watched`.
    fn apply(&mut self) -> Result<(), Error> {
        let mut wanted = vec![(self.watched.input.clone(), RecursiveMode::Recursive)];
        // The config's folder needs its own watch only when the input watch does not cover it
        // (watching one folder twice would make the second watch replace the first).
        if let Some(folder) = self.config.parent()
            && !folder.starts_with(&self.watched.input)
        {
            wanted.push((folder.to_path_buf(), RecursiveMode::NonRecursive));
        }
        let stale: Vec<PathBuf> = (self.roots.iter())
            .filter(|root| !wanted.contains(root))
            .map(|(path, _)| path.clone())
            .collect();
        for path in stale {
            // A folder that was deleted has lost its watch already: nothing to undo.
            let _ = self.debouncer.unwatch(&path);
            self.roots.retain(|(root, _)| *root != path);
        }
        for (path, mode) in wanted {
            if !self.roots.iter().any(|(root, _)| *root == path) {
                self.debouncer
                    .watch(&path, mode)
                    .map_err(|err| watch_error(&path, err))?;
                self.roots.push((path, mode));
            }
        }
        Ok(())
    }

    /// Waits (at most `timeout`, when given) for the next batch of changes that matter.
    pub fn next_change(&mut self, timeout: Option<Duration>) -> Change {
        loop {
            if let Some(err) = self.problems.pop_front() {
                return Change::Problem(err);
            }
            let batch = match timeout {
                Some(timeout) => match self.events.recv_timeout(timeout) {
                    Ok(batch) => batch,
                    Err(mpsc::RecvTimeoutError::Timeout) => return Change::Quiet,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return Change::Ended,
                },
                None => match self.events.recv() {
                    Ok(batch) => batch,
                    Err(mpsc::RecvError) => return Change::Ended,
                },
            };
            let mut changed = BTreeSet::new();
            let mut rescan = false;
            let mut batch = Some(batch);
            // Batches that queued up while the caller was rebuilding make one rebuild.
            while let Some(next) = batch.take().or_else(|| self.events.try_recv().ok()) {
                match next {
                    Ok(events) => {
                        for event in &events {
                            rescan |= event.need_rescan();
                            changed.extend(self.relevant(event).cloned());
                        }
                    }
                    Err(errors) => {
                        let input = &self.watched.input;
                        (self.problems).extend(errors.into_iter().map(|e| watch_error(input, e)));
                    }
                }
            }
            if rescan {
                return Change::Paths(Vec::new());
            }
            if !changed.is_empty() {
                return Change::Paths(changed.into_iter().collect());
            }
        }
    }

    /// The paths of `event` that a build depends on.
    fn relevant<'a>(&self, event: &'a DebouncedEvent) -> impl Iterator<Item = &'a PathBuf> {
        let counts = match event.kind {
            // A build opens and reads every article: only a write counts.
            EventKind::Access(kind) => kind == AccessKind::Close(AccessMode::Write),
            EventKind::Other => false,
            EventKind::Any | EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => {
                true
            }
        };
        let (config, watched) = (&self.config, &self.watched);
        event
            .paths
            .iter()
            .filter(move |path| counts && (*path == config || is_input(watched, path)))
    }
}

/// Whether `path` is in the input folder, outside the ignored folders and not hidden.
fn is_input(watched: &Watched, path: &Path) -> bool {
    let Ok(inside) = path.strip_prefix(&watched.input) else {
        return false;
    };
    let hidden = inside.components().any(|c| match c {
        Component::Normal(name) => name.as_encoded_bytes().starts_with(b"."),
        _ => false,
    });
    !hidden
        && !watched
            .ignored
            .iter()
            .any(|folder| path.starts_with(folder))
}

/// The error for a watch on `path` that failed, in words a user can act on.
fn watch_error(path: &Path, err: notify::Error) -> Error {
    let path = err
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| path.to_path_buf());
    let source = match err.kind {
        notify::ErrorKind::Io(source) => source,
        notify::ErrorKind::PathNotFound => {
            io::Error::new(io::ErrorKind::NotFound, "no such file or folder")
        }
        notify::ErrorKind::MaxFilesWatch => io::Error::other(
            "the system's limit on watched folders is reached (raise fs.inotify.max_user_watches)",
        ),
        notify::ErrorKind::WatchNotFound => io::Error::other("not watched"),
        notify::ErrorKind::InvalidConfig(config) => {
            io::Error::other(format!("invalid watch configuration {config:?}"))
        }
        notify::ErrorKind::Generic(message) => io::Error::other(message),
    };
    Error::Watch { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Waits (up to 10 s) for the next batch of changes.
    fn next(watcher: &mut Watcher) -> Vec<PathBuf> {
        match watcher.next_change(Some(Duration::from_secs(10))) {
            Change::Paths(changed) => changed,
            other => panic!("no change reported: {other:?}"),
        }
    }

    /// Asserts that nothing is reported for a while (longer than the debounce).
    fn quiet(watcher: &mut Watcher) {
        match watcher.next_change(Some(Duration::from_millis(800))) {
            Change::Quiet => {}
            other => panic!("unexpected change: {other:?}"),
        }
    }

    fn site() -> (tempfile::TempDir, PathBuf, Watched) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("articles/out")).unwrap();
        fs::write(root.join("articles/a.md"), "a").unwrap();
        let watched = Watched {
            input: root.join("articles"),
            ignored: vec![root.join("articles/out"), root.join("articles/.cache")],
        };
        (dir, root, watched)
    }

    #[test]
    fn article_and_config_changes_are_reported_and_reads_are_not() {
        let (_dir, root, watched) = site();
        let config = root.join("newswire.yaml");
        let mut watcher = Watcher::new(&config, watched).unwrap();

        fs::write(root.join("articles/a.md"), "changed").unwrap();
        assert_eq!(next(&mut watcher), vec![root.join("articles/a.md")]);

        // Reading (as a build does), writing into the output folder or a hidden file, and
        // touching another file beside the config are not changes.
        fs::read(root.join("articles/a.md")).unwrap();
        fs::write(root.join("articles/out/rss.xml"), "x").unwrap();
        fs::write(root.join("articles/.a.md.swp"), "x").unwrap();
        fs::write(root.join("other.yaml"), "x").unwrap();
        quiet(&mut watcher);

        // An editor's save: a new file renamed over the config.
        fs::write(root.join("newswire.yaml.tmp"), "title: x").unwrap();
        fs::rename(root.join("newswire.yaml.tmp"), &config).unwrap();
        assert!(next(&mut watcher).contains(&config));

        // A new folder counts by itself (a file written into it before its watch is set up
        // may go unseen, but the rebuild the folder sets off reads it).
        fs::create_dir(root.join("articles/new")).unwrap();
        fs::write(root.join("articles/new/b.md"), "b").unwrap();
        let mut changed = next(&mut watcher);
        if changed == [config.clone()] {
            // The last of the config's events may reach a batch of its own under load.
            changed = next(&mut watcher);
        }
        assert!(changed.contains(&root.join("articles/new")), "{changed:?}");
    }

    #[test]
    fn following_a_moved_input_folder() {
        let (_dir, root, watched) = site();
        fs::create_dir(root.join("elsewhere")).unwrap();
        let mut watcher = Watcher::new(&root.join("newswire.yaml"), watched.clone()).unwrap();
        watcher
            .follow(Watched {
                input: root.join("elsewhere"),
                ..watched
            })
            .unwrap();
        fs::write(root.join("articles/a.md"), "old input").unwrap();
        quiet(&mut watcher);
        fs::write(root.join("elsewhere/c.md"), "c").unwrap();
        assert_eq!(next(&mut watcher), vec![root.join("elsewhere/c.md")]);
    }

    #[test]
    fn a_missing_input_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nowhere");
        let watched = Watched {
            input: missing.clone(),
            ignored: Vec::new(),
        };
        let err = Watcher::new(&dir.path().join("newswire.yaml"), watched)
            .err()
            .unwrap();
        assert!(
            err.to_string().contains("nowhere"),
            "{err}: should name the folder"
        );
    }

    #[test]
    fn absolute_paths_resolve_through_the_part_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(
            crate::files::resolve(&dir.path().join("a/b")),
            real.join("a/b")
        );
        assert_eq!(crate::files::resolve(dir.path()), real);
    }
}
