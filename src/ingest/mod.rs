//! Ingest: find the article files under the input folder, read them, split off the YAML front
//! matter and parse it into a lenient [`RawArticle`].
//!
//! Everything here is per file and independent, so `pipeline` runs it in parallel. A file that
//! cannot be read or parsed yields a [`Diagnostic`] naming the file and the line in it.

mod front_matter;
mod raw;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use front_matter::{Document, KeyLines, split};
pub use raw::{
    Category, RawArticle, RawAuthor, RawImage, RawProvider, RawRatings, RawRelated, Scalar,
};

use crate::diag::{Code, Diagnostic};
use crate::error::Error;

/// A parsed article file: its front matter as a raw struct, plus where each key sits.
#[derive(Debug)]
pub struct Parsed {
    /// The article file.
    pub path: PathBuf,
    /// The front matter.
    pub raw: RawArticle,
    /// The body after the closing `---` (may be empty).
    pub body: String,
    /// File line of each top-level front-matter key, for diagnostics.
    pub lines: KeyLines,
}

/// An article file the walk found, with its size and modification time (nanoseconds since
/// the Unix epoch) as the walk saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    /// Its size and mtime, when they could be read.
    pub stamp: Option<(u64, i64)>,
}

/// Lists every `*.md` and `*.txt` file under `input`, recursively, sorted by the bytes of their
/// paths (a total order, and cheaper than comparing paths component by component).
///
/// Hidden files and folders (name starting with `.`) are skipped, and symbolic links are not
/// followed, so the walk never leaves the input folder. Unreadable entries become diagnostics.
/// Folders are read in parallel, and each file's size and mtime come from its folder's entry
/// (no second walk down its path).
pub fn discover(input: &Path) -> Result<(Vec<Found>, Vec<Diagnostic>), Error> {
    input_folder(input)?;
    let (mut found, mut diagnostics) = walk(input);
    found.par_sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    diagnostics.sort();
    Ok((found, diagnostics))
}

/// Checks that `input` is a folder.
pub fn input_folder(input: &Path) -> Result<(), Error> {
    let meta = fs::metadata(input).map_err(|source| Error::Input {
        path: input.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(Error::Input {
            path: input.to_path_buf(),
            source: std::io::Error::other("not a folder"),
        });
    }
    Ok(())
}

/// The article files below `dir`, its subfolders walked in parallel.
fn walk(dir: &Path) -> (Vec<Found>, Vec<Diagnostic>) {
    let unreadable = |path: &Path, e: std::io::Error| {
        Diagnostic::error(
            path,
            1,
            1,
            Code::Unreadable,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return (Vec::new(), vec![unreadable(dir, e)]),
    };
    let (mut found, mut diagnostics, mut folders) = (Vec::new(), Vec::new(), Vec::new());
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diagnostics.push(unreadable(dir, e));
                continue;
            }
        };
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => folders.push(entry.path()),
            Ok(kind) if kind.is_file() && is_article_name(Path::new(&name)) => found.push(Found {
                stamp: entry.metadata().ok().and_then(|m| size_and_mtime(&m)),
                path: entry.path(),
            }),
            Ok(kind) if kind.is_file() && is_html_article(&entry.path()) => found.push(Found {
                stamp: entry.metadata().ok().and_then(|m| size_and_mtime(&m)),
                path: entry.path(),
            }),
            Ok(_) => {}
            Err(e) => diagnostics.push(unreadable(&entry.path(), e)),
        }
    }
    let below: Vec<(Vec<Found>, Vec<Diagnostic>)> = folders.par_iter().map(|d| walk(d)).collect();
    for (more, problems) in below {
        found.extend(more);
        diagnostics.extend(problems);
    }
    (found, diagnostics)
}

/// A file's size and modification time in nanoseconds since the Unix epoch (saturating:
/// 1677–2262).
pub fn size_and_mtime(meta: &fs::Metadata) -> Option<(u64, i64)> {
    let mtime = meta.modified().ok()?;
    let nanos = match mtime.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_nanos()).map_or(i64::MIN, |n| -n),
    };
    Some((meta.len(), nanos))
}

fn is_article_name(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "txt")
    )
}

/// Whether `path` is an HTML file that starts with front matter (`---`): a newsletter issue.
/// Other HTML files (pages, templates) are not articles and are passed over without a word.
fn is_html_article(path: &Path) -> bool {
    if !matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("html" | "htm")
    ) {
        return false;
    }
    let mut start = [0u8; 3];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| &start == b"---")
}

/// Reads the bytes of one article file, refusing files over `max_size` bytes without reading
/// them whole, given the size the walk saw (`None`: ask the file). With the size known, a file
/// is read in one system call: a read asked for one byte more than that size and given exactly
/// that size has met the end. Any other count (the file changed since the walk) is read on to
/// the end as usual.
pub fn read_sized(path: &Path, max_size: u64, size: Option<u64>) -> Result<Vec<u8>, Diagnostic> {
    let unreadable =
        |e: std::io::Error| Diagnostic::error(path, 1, 1, Code::Unreadable, e.to_string());
    let file = fs::File::open(path).map_err(unreadable)?;
    let size = match size {
        Some(size) => size,
        None => file.metadata().map_or(0, |m| m.len()),
    }
    .min(max_size);
    // Read one byte past the limit so an oversized file is detected without reading it all.
    let mut limited = file.take(max_size.saturating_add(1));
    let mut bytes = vec![0; usize::try_from(size).unwrap_or(0).saturating_add(1)];
    let first = loop {
        match limited.read(&mut bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => break other.map_err(unreadable)?,
        }
    };
    bytes.truncate(first);
    if first as u64 != size {
        limited.read_to_end(&mut bytes).map_err(unreadable)?;
    }
    if bytes.len() as u64 > max_size {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            Code::FileTooLarge,
            format!("file is larger than max_file_size ({max_size} bytes)"),
        ));
    }
    Ok(bytes)
}

/// The text of an article file's bytes: UTF-8, or a diagnostic pointing at the first bad byte.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::error(
            path,
            line,
            col,
            Code::NotUtf8,
            "file is not valid UTF-8 (re-save it as UTF-8)".into(),
        )
    })
}

/// Splits and parses the text of one article file.
pub fn parse_text(path: &Path, text: &str) -> Result<Parsed, Diagnostic> {
    let doc = split(text).map_err(|e| Diagnostic::error(path, e.line, 1, e.code, e.message))?;
    let raw = raw::parse(doc.front_matter).map_err(|e| {
        Diagnostic::error(
            path,
            e.line + doc.front_matter_line - 1,
            e.col,
            e.code,
            e.message,
        )
    })?;
    Ok(Parsed {
        path: path.to_path_buf(),
        raw,
        body: doc.body.to_string(),
        lines: KeyLines::scan(doc.front_matter, doc.front_matter_line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads one article file as text, as a build does.
    fn read(path: &Path, max_size: u64) -> Result<String, Diagnostic> {
        decode(path, read_sized(path, max_size, None)?)
    }

    #[test]
    fn a_file_is_read_whole_whatever_size_the_walk_saw() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "x".repeat(5000);
        fs::write(&path, &text).unwrap();
        // The size the walk saw, a stale smaller or larger one, or none at all.
        for hint in [
            Some(5000),
            Some(10),
            Some(0),
            Some(9000),
            Some(u64::MAX),
            None,
        ] {
            let bytes = read_sized(&path, 1 << 20, hint).unwrap();
            assert_eq!(bytes, text.as_bytes(), "{hint:?}");
            let err = read_sized(&path, 4999, hint).unwrap_err();
            assert_eq!(err.code, "file-too-large", "{hint:?}");
            assert_eq!(read_sized(&path, 5000, hint).unwrap().len(), 5000);
        }
        fs::write(&path, "").unwrap();
        assert!(read_sized(&path, 10, Some(0)).unwrap().is_empty());
        assert!(read_sized(&path, 10, Some(7)).unwrap().is_empty());
    }

    #[test]
    fn only_md_and_txt_are_articles() {
        assert!(is_article_name(Path::new("a/b.md")));
        assert!(is_article_name(Path::new("b.txt")));
        assert!(!is_article_name(Path::new("b.yaml")));
        assert!(!is_article_name(Path::new("md")));
    }

    #[test]
    fn discovery_walks_folders_skips_hidden_ones_and_stamps_each_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for path in [
            "b/z.md",
            "b/a.txt",
            "a-b.md",
            "a/b/c.md",
            ".hidden/x.md",
            "b/.x.md",
            "c.yaml",
            "d/page.html",
        ] {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "---\ntitle: x\n---\n").unwrap();
        }
        fs::write(root.join("d/page.html"), "<html>---</html>").unwrap();
        fs::write(root.join("d/issue.html"), "---\ntitle: x\n---\n").unwrap();
        let (found, diagnostics) = discover(root).unwrap();
        assert!(diagnostics.is_empty());
        let names: Vec<String> = found
            .iter()
            .map(|f| f.path.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            ["a-b.md", "a/b/c.md", "b/a.txt", "b/z.md", "d/issue.html"]
        );
        assert!(
            found
                .iter()
                .all(|f| f.stamp.is_some_and(|(size, _)| size == 17))
        );
        let meta = fs::metadata(&found[0].path).unwrap();
        assert_eq!(found[0].stamp, size_and_mtime(&meta));
        assert!(
            discover(&root.join("c.yaml")).is_err(),
            "a file is not an input folder"
        );
    }

    #[test]
    fn yaml_error_lines_are_file_lines() {
        let text = "---\ntitle: ok\ntopics: [unclosed\n---\n";
        let d = parse_text(Path::new("a.md"), text).unwrap_err();
        assert_eq!(d.code, "yaml-syntax");
        assert!(d.line >= 3, "{d}");
    }

    #[test]
    fn wrong_type_points_at_the_field() {
        let text = "---\ntitle: ok\nquality: high\n---\n";
        let d = parse_text(Path::new("a.md"), text).unwrap_err();
        assert_eq!(d.code, "wrong-type");
        assert_eq!(d.line, 3, "{d}");
    }

    #[test]
    fn not_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.md");
        fs::write(&path, b"---\ntitle: caf\xe9\n---\n").unwrap();
        let d = read(&path, 1024).unwrap_err();
        assert_eq!((d.code.name(), d.line, d.col), ("not-utf8", 2, 11));
    }

    #[test]
    fn oversized_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        fs::write(&path, vec![b'a'; 2000]).unwrap();
        assert_eq!(read(&path, 1000).unwrap_err().code, "file-too-large");
        assert!(read(&path, 2000).is_ok());
    }
}
