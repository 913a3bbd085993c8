//! Pruning: after every file of a build is written, the files the previous manifest lists (or
//! the `.newswire.writing` mark of a build that was killed) and this build no longer produces
//! are removed, with the folders they leave empty. Only plain files so listed, below the output
//! folder and not through a symbolic link: a file newswire did not write is never touched.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path};

use super::guard::refuse_symlinks;
use crate::error::Error;

/// Removes from `output` the files of `owned` (what the previous manifest and a killed build's
/// mark list) that `current` (the paths this build wrote) does not list; returns how many
/// files it removed. Only a plain file is removed, never through a symbolic link.
pub(super) fn prune(
    output: &Path,
    owned: &BTreeSet<&str>,
    current: &BTreeSet<&str>,
) -> Result<usize, Error> {
    let mut removed = 0;
    for &stale in owned {
        if current.contains(stale) || !is_plain_relative(stale) {
            continue;
        }
        if let Some(dir) = Path::new(stale).parent() {
            refuse_symlinks(output, dir)?;
        }
        let path = output.join(stale);
        // A link, a folder or nothing at all where the file was: not a file of ours.
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        match fs::remove_file(&path) {
            Ok(()) => {
                removed += 1;
                if let Some(dir) = path.parent() {
                    remove_empty_folders(output, dir);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Write { path, source }),
        }
    }
    Ok(removed)
}

/// A manifest path may only name a file below the output folder.
pub(super) fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Removes `dir` and its parents while they are empty, up to (not including) the output
/// folder. `remove_dir` refuses non-empty folders, so nothing else is ever deleted.
pub(super) fn remove_empty_folders(output: &Path, dir: &Path) {
    let mut dir = Some(dir);
    while let Some(d) = dir {
        if d == output || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_that_escape_are_never_pruned() {
        assert!(is_plain_relative("topics/ai/rss.xml"));
        assert!(!is_plain_relative("../x"));
        assert!(!is_plain_relative("/etc/passwd"));
        assert!(!is_plain_relative("a/../../b"));
        assert!(!is_plain_relative(""));
    }
}
