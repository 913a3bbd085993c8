//! File-system helpers shared by the cache and the write stage: the name of the temporary file
//! a file is written under before it is renamed into place, and the removal of the ones a
//! killed build left behind. Imports no stage.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The name a file called `name` is written under, in the same folder, before it is renamed
/// into place: `.<name>.<pid>.tmp`. Hidden, and unique to this process, so two processes never
/// write the same temporary file; [`remove_stale_temps`] knows it by this form.
pub fn temp_name(name: &str) -> String {
    format!(".{name}.{}.tmp", std::process::id())
}

/// Removes temporary files a killed build left behind in `dir`: only names of the exact form
/// newswire creates (see [`temp_name`]), for a file name in `names`. For the output folder the
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

/// An absolute, symlink-free form of `path`, even when its last components do not exist yet:
/// it compares equal to the paths the operating system reports (the output guard compares
/// folders by it, `watch` matches events against it).
pub fn resolve(path: &Path) -> PathBuf {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_temporary_files_of_listed_names_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let ours = temp_name("rss.xml");
        let others = [
            temp_name("notes.txt"),
            ".rss.xml.tmp".to_string(),
            "rss.xml".to_string(),
            ".rss.xml.1x.tmp".to_string(),
        ];
        for name in others.iter().chain([&ours]) {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        // A folder of that form is no temporary file of ours.
        fs::create_dir(dir.path().join(".atom.xml.7.tmp")).unwrap();
        remove_stale_temps(dir.path(), &["rss.xml", "atom.xml"].into());
        assert!(!dir.path().join(&ours).exists());
        for name in &others {
            assert!(dir.path().join(name).exists(), "{name}");
        }
        assert!(dir.path().join(".atom.xml.7.tmp").is_dir());
    }
}
