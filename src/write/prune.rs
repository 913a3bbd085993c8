//! Pruning: after every file of a build is written, the files the previous manifest lists and
//! this build no longer produces are removed, with the folders they leave empty. Only files the
//! manifest lists, below the output folder and not through a symbolic link: a file newswire did
//! not write is never touched.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path};

use super::guard::refuse_symlinks;
use super::manifest::Manifest;
use crate::error::Error;

/// Removes from `output` what `previous` lists and `current` (the paths this build wrote) does
/// not; returns how many files it removed.
pub(super) fn prune(
    output: &Path,
    previous: &Manifest,
    current: &BTreeSet<&str>,
) -> Result<usize, Error> {
    let mut removed = 0;
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
                removed += 1;
                remove_empty_parents(output, &path);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Write { path, source }),
        }
    }
    Ok(removed)
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
