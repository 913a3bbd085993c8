//! Dating: the date each undated item is published under. It is decided after the cache,
//! because records are cached by file content and these dates are not in the file.
//!
//! An item's own `publishedDateTime` always wins; an event's is when it was announced, and its
//! `startDateTime` is only its start (`Details::start`), so an upcoming event is published
//! (and held back, like any item, only while its announcement is in the future). An undated
//! item gets, in order:
//!
//! 1. the date its file was first added to the git history of the input folder (the commit
//!    date; a renamed file keeps its first name's), read with one `git log` for the whole
//!    build, and only when some item is undated. A shallow clone (CI's default checkout) is
//!    reported once and not used: its oldest commit would date every file it holds;
//! 2. the date newswire gave the file when a build first published it, recorded in the
//!    output folder's `manifest.json` ([`FirstSeen`]), so it stays while `out/` is kept;
//! 3. for `build`, this build's `--now`, which it records. `check` writes nothing, so it
//!    cannot record a date: it reports an error that names the fixes instead.
//!
//! The same input, history and manifest give the same dates, and every date given is mixed
//! into the item's [`Head::digest`], so a feed whose items were dated differently is rendered
//! again by an incremental build.

mod git;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

pub use git::{History, first_added};

use crate::diag::{Code, Diagnostic};
use crate::model::{FirstSeen, Head, stable_hash};

/// How many undated items got their date from each source.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sources {
    /// The commit that added the file to the input's git history.
    pub history: usize,
    /// The first-seen date a previous build recorded.
    pub recorded: usize,
    /// This build's `--now` (recorded for the next).
    pub now: usize,
}

/// Dates undated items, and keeps the record of when each was first published.
pub struct Dating {
    input: PathBuf,
    now: DateTime<Utc>,
    /// Whether a date may be given (and recorded) by this build's clock: `build`, not `check`.
    record: bool,
    /// When each file was first added to the input's history.
    history: HashMap<String, DateTime<Utc>>,
    /// What the previous build recorded.
    recorded: FirstSeen,
    /// What this build records.
    next: FirstSeen,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
}

impl Dating {
    /// Dating for the files of `input` at `now`: reads the input's git history (one `git`
    /// run) and takes what the previous build `recorded`. With `record` (a build), a file
    /// neither dates is dated `now`, to the second, and recorded; without, it is an error.
    pub fn new(input: &Path, now: DateTime<Utc>, record: bool, recorded: FirstSeen) -> Dating {
        Dating::with_history(input, now, record, recorded, git::read(input))
    }

    /// [`Dating::new`] with the history already read.
    pub fn with_history(
        input: &Path,
        now: DateTime<Utc>,
        record: bool,
        recorded: FirstSeen,
        history: History,
    ) -> Dating {
        let mut diagnostics = Vec::new();
        let mut warn = |code, message| {
            diagnostics.push(Diagnostic::warning(input, 1, 1, code, message));
        };
        let history = match history {
            History::Dates(dates) => dates,
            History::Absent => HashMap::new(),
            History::Shallow => {
                warn(
                    Code::ShallowHistory,
                    "the input's git history is a shallow clone, which would date every file \
                     to its oldest commit: undated items are dated by when newswire first \
                     published them instead. Fetch the whole history (`fetch-depth: 0` for \
                     actions/checkout, or `git fetch --unshallow`)"
                        .into(),
                );
                HashMap::new()
            }
            History::Failed(why) => {
                warn(
                    Code::GitHistory,
                    format!(
                        "cannot read the input's git history ({why}): undated items are dated \
                         by when newswire first published them instead"
                    ),
                );
                HashMap::new()
            }
        };
        Dating {
            input: input.to_path_buf(),
            now: DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
            record,
            history,
            recorded,
            next: FirstSeen::new(),
            diagnostics,
            sources: Sources::default(),
        }
    }

    /// Gives the undated item `head` its date (see the module documentation), or the error
    /// that leaves it out (its date's key is on `date_line`).
    pub fn date(&mut self, head: &mut Head, date_line: usize) -> Result<(), Diagnostic> {
        let key = self.key(&head.source);
        let recorded = self.recorded.get(&key).copied();
        let date = match (self.history.get(&key).copied(), recorded, self.record) {
            (Some(date), _, _) => {
                self.sources.history += 1;
                date
            }
            (None, Some(date), _) => {
                self.sources.recorded += 1;
                date
            }
            (None, None, true) => {
                self.sources.now += 1;
                self.now
            }
            (None, None, false) => {
                return Err(Diagnostic::error(
                    &head.source,
                    date_line,
                    1,
                    Code::MissingDate,
                    "no date: add `publishedDateTime`, or commit the file to git (the commit \
                     that adds it dates it), or run `newswire build` once (it records when it \
                     first publishes the file; `check` writes nothing)"
                        .into(),
                ));
            }
        };
        head.published = date;
        head.digest = stable_hash(&(head.digest, date));
        self.next.insert(key, recorded.unwrap_or(date));
        Ok(())
    }

    /// Keeps the record of the file at `path`, which is not an item now (unpublished, or
    /// rejected for a while): it gets its first date back when it is published again.
    pub fn keep(&mut self, path: &Path) {
        let key = self.key(path);
        if let Some(&date) = self.recorded.get(&key) {
            self.next.insert(key, date);
        }
    }

    /// How many items got their date from each source so far.
    pub fn sources(&self) -> Sources {
        self.sources
    }

    /// What this build records (the files it dated and those [`Dating::keep`] kept; a file
    /// that is gone or now carries its own date is forgotten), and the warnings about the
    /// history.
    pub fn finish(self) -> (FirstSeen, Vec<Diagnostic>) {
        (self.next, self.diagnostics)
    }

    /// The path of a file of the input relative to the input folder, `/`-separated, as git
    /// prints it and the manifest records it.
    fn key(&self, path: &Path) -> String {
        let relative = path.strip_prefix(&self.input).unwrap_or(path);
        let parts: Vec<_> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect();
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Store;
    use crate::model::tests::sample_item;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn undated(path: &str) -> Head {
        let mut item = sample_item("https://x.example/a");
        item.published = None;
        item.source = PathBuf::from(path);
        Head::new(&item, Store::memory().put(&item))
    }

    fn history(entries: &[(&str, &str)]) -> History {
        History::Dates(entries.iter().map(|&(p, d)| (p.into(), utc(d))).collect())
    }

    const NOW: &str = "2026-01-01T12:00:00.75Z";

    #[test]
    fn history_then_record_then_now() {
        let recorded = FirstSeen::from([
            ("a/in-git.md".into(), utc("2024-01-01T00:00:00Z")),
            ("seen.md".into(), utc("2025-01-01T00:00:00Z")),
            ("gone.md".into(), utc("2025-02-01T00:00:00Z")),
            ("off.md".into(), utc("2025-03-01T00:00:00Z")),
        ]);
        let git = history(&[
            ("a/in-git.md", "2023-05-01T00:00:00Z"),
            ("new-in-git.md", "2023-06-01T00:00:00Z"),
        ]);
        let mut dating = Dating::with_history(Path::new("in"), utc(NOW), true, recorded, git);
        let mut dates = Vec::new();
        for path in [
            "in/a/in-git.md",
            "in/new-in-git.md",
            "in/seen.md",
            "in/new.md",
        ] {
            let mut head = undated(path);
            let digest = head.digest;
            dating.date(&mut head, 1).unwrap();
            assert!(!head.dated);
            assert_ne!(head.digest, digest, "the date is part of the digest");
            dates.push(head.published.to_rfc3339());
        }
        assert_eq!(
            dates,
            [
                "2023-05-01T00:00:00+00:00",
                "2023-06-01T00:00:00+00:00",
                "2025-01-01T00:00:00+00:00",
                "2026-01-01T12:00:00+00:00",
            ]
        );
        dating.keep(Path::new("in/off.md"));
        let sources = dating.sources();
        assert_eq!((sources.history, sources.recorded, sources.now), (2, 1, 1));
        let (next, warnings) = dating.finish();
        assert!(warnings.is_empty());
        let next: Vec<_> = next
            .iter()
            .map(|(p, d)| (p.as_str(), d.to_rfc3339()))
            .collect();
        assert_eq!(
            next,
            [
                // A recorded date stays, even where git dates the file now.
                ("a/in-git.md", "2024-01-01T00:00:00+00:00".to_string()),
                ("new-in-git.md", "2023-06-01T00:00:00+00:00".into()),
                ("new.md", "2026-01-01T12:00:00+00:00".into()),
                ("off.md", "2025-03-01T00:00:00+00:00".into()),
                ("seen.md", "2025-01-01T00:00:00+00:00".into()),
            ]
        );
    }

    #[test]
    fn check_names_the_fix_instead_of_inventing_a_date() {
        let mut dating = Dating::with_history(
            Path::new("in"),
            utc(NOW),
            false,
            FirstSeen::new(),
            History::Absent,
        );
        let mut head = undated("in/x.md");
        let error = dating.date(&mut head, 4).unwrap_err();
        assert_eq!((error.code.name(), error.line), ("missing-date", 4));
        for fix in ["publishedDateTime", "commit", "newswire build"] {
            assert!(error.message.contains(fix), "{}", error.message);
        }
    }

    #[test]
    fn a_shallow_or_broken_history_is_reported_once() {
        for (history, code) in [
            (History::Shallow, "shallow-history"),
            (History::Failed("boom".into()), "git-history"),
        ] {
            let mut dating =
                Dating::with_history(Path::new("in"), utc(NOW), true, FirstSeen::new(), history);
            for path in ["in/a.md", "in/b.md"] {
                dating.date(&mut undated(path), 1).unwrap();
            }
            let (_, warnings) = dating.finish();
            let codes: Vec<_> = warnings.iter().map(|w| w.code.name()).collect();
            assert_eq!(codes, [code]);
            assert_eq!(warnings[0].path, Path::new("in"));
        }
        let (_, warnings) = Dating::with_history(
            Path::new("in"),
            utc(NOW),
            true,
            FirstSeen::new(),
            History::Shallow,
        )
        .finish();
        assert!(warnings[0].message.contains("fetch-depth: 0"));
    }
}
