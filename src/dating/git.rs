//! The git history of the input folder: when each file in it was first added, read with one
//! `git log` for the whole build (after one `git rev-parse` that says whether there is a
//! history worth reading).
//!
//! The `git` binary rather than a library: every machine that has a history to read has it,
//! and a Rust implementation of git (`gix`) would add well over a hundred crates to the build
//! for two commands.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Utc};

/// What the input folder's history says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum History {
    /// When each file (by its path relative to the input folder, `/`-separated) was first
    /// added: the commit date of the commit that added it, or of its first name's addition
    /// when it was renamed since.
    Dates(HashMap<String, DateTime<Utc>>),
    /// The input is not in a git work tree, or git is not installed.
    Absent,
    /// A shallow clone: its oldest commits seem to add every file they hold, so they date
    /// nothing.
    Shallow,
    /// git is there but failed; its message.
    Failed(String),
}

/// Reads the history of the folder `input`.
pub fn read(input: &Path) -> History {
    let probe = match git(
        input,
        &[
            "rev-parse",
            "--is-inside-work-tree",
            "--is-shallow-repository",
        ],
    ) {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return History::Absent,
        Err(e) => return History::Failed(format!("cannot run git: {e}")),
    };
    if !probe.status.success() {
        let message = first_line(&probe.stderr);
        return if message.contains("not a git repository") {
            History::Absent
        } else {
            History::Failed(message)
        };
    }
    let answers = String::from_utf8_lossy(&probe.stdout);
    let mut answers = answers.lines();
    if answers.next() != Some("true") {
        // Inside `.git` itself, or a bare repository: no work tree, no files to date.
        return History::Absent;
    }
    // (A git before 2.15 echoes the unknown option: no shallow clone is recognised there.)
    if answers.next() == Some("true") {
        return History::Shallow;
    }
    let log = match git(
        input,
        &[
            // Settings that would change what `log` prints.
            "-c",
            "log.showSignature=false",
            "-c",
            "log.showRoot=true",
            "log",
            "--no-color",
            "--format=%ct",
            "-z",
            "--name-status",
            "--diff-filter=AR",
            "-M",
            "--relative",
            "--",
            ".",
        ],
    ) {
        Ok(output) => output,
        Err(e) => return History::Failed(format!("cannot run git: {e}")),
    };
    if !log.status.success() {
        let message = first_line(&log.stderr);
        // A repository without a commit yet has no history, which is no failure.
        return if message.contains("does not have any commits") {
            History::Dates(HashMap::new())
        } else {
            History::Failed(message)
        };
    }
    History::Dates(first_added(&log.stdout))
}

/// Runs `git args…` in `dir`, with messages in English (they are matched above).
fn git(dir: &Path, args: &[&str]) -> std::io::Result<Output> {
    Command::new("git")
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("LANGUAGE", "C")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    line.trim().trim_start_matches("fatal: ").to_string()
}

/// One addition or rename the log reports.
enum Change {
    Added(String),
    Renamed(String, String),
}

/// When each path was first added, from `git log --format=%ct -z --name-status` output
/// (newest commit first): each commit is its time (`%ct`), then `A\0path\0` or
/// `R<score>\0old\0new\0` for each file, the first after a newline.
///
/// Read oldest commit first: a path keeps the date it was first added, and a renamed file
/// the date its old name had.
pub fn first_added(log: &[u8]) -> HashMap<String, DateTime<Utc>> {
    // Each commit's time (`None`: out of range, it dates nothing) and changes.
    let mut commits: Vec<(Option<DateTime<Utc>>, Vec<Change>)> = Vec::new();
    let mut tokens = log.split(|&b| b == 0).map(String::from_utf8_lossy);
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches('\n');
        if token.is_empty() {
            continue;
        }
        if token.bytes().all(|b| b.is_ascii_digit()) {
            let time = token
                .parse()
                .ok()
                .and_then(|t| DateTime::from_timestamp(t, 0));
            commits.push((time, Vec::new()));
            continue;
        }
        let change = match token.as_bytes().first() {
            Some(b'A') => tokens.next().map(|path| Change::Added(path.into_owned())),
            Some(b'R') => match (tokens.next(), tokens.next()) {
                (Some(old), Some(new)) => Some(Change::Renamed(old.into_owned(), new.into_owned())),
                _ => None,
            },
            // Another status (the filter lets none through): its one path.
            _ => {
                tokens.next();
                None
            }
        };
        if let (Some(change), Some((_, changes))) = (change, commits.last_mut()) {
            changes.push(change);
        }
    }
    let mut dates: HashMap<String, DateTime<Utc>> = HashMap::new();
    for (time, changes) in commits.into_iter().rev() {
        let Some(time) = time else { continue };
        for change in changes {
            match change {
                Change::Added(path) => {
                    dates.entry(path).or_insert(time);
                }
                Change::Renamed(old, new) => {
                    let date = dates.get(&old).copied().unwrap_or(time);
                    dates.entry(new).or_insert(date);
                }
            }
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn reads_additions_oldest_first_and_follows_renames() {
        // As `git log` prints it (newest first): a rename and an addition, then the first
        // commit's two additions, a commit with nothing added, and a re-addition.
        let log = b"300\0\nA\0a.md\0\
                    200\0\nR100\0old/x.md\0new/x.md\0A\0z.md\0\
                    150\0\
                    100\0\nA\0old/x.md\0A\0sp ace/\xc3\xa9.md\0";
        let dates = first_added(log);
        assert_eq!(dates["old/x.md"], utc(100));
        assert_eq!(dates["new/x.md"], utc(100), "a rename keeps the first date");
        assert_eq!(dates["z.md"], utc(200));
        assert_eq!(dates["a.md"], utc(300));
        assert_eq!(dates["sp ace/é.md"], utc(100));
        assert_eq!(dates.len(), 5);
    }

    #[test]
    fn a_path_added_twice_keeps_its_first_date() {
        let dates = first_added(b"500\0\nA\0a.md\x00400\0\nA\0a.md\0");
        assert_eq!(dates["a.md"], utc(400));
    }

    #[test]
    fn garbage_dates_nothing_and_never_panics() {
        assert!(first_added(b"").is_empty());
        assert!(first_added(b"A\0a.md\0").is_empty(), "no commit before it");
        assert!(first_added(b"99999999999999999999\0\nA\0a.md\0").is_empty());
        assert!(first_added(b"1\0\nR100\0only-old").is_empty());
        assert!(first_added(b"\0\0\n\0M\0x\0").is_empty());
    }
}
