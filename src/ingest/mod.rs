//! Ingest: find the article files under the input folder, read them, split off the YAML front
//! matter and parse it into a lenient [`RawArticle`].
//!
//! Everything here is per file and independent, so `pipeline` runs it in parallel. A file that
//! cannot be read or parsed yields a [`Diagnostic`] naming the file and the line in it; a file
//! that is not an article at all (a folder's README, a web page) is told apart by [`skip`].

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
use crate::model::Skip;

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

/// Lists every `*.md`, `*.txt` and `*.html` file under `input`, recursively, sorted by the bytes
/// of their paths (a total order, and cheaper than comparing paths component by component).
/// Which of them are articles is decided once they are read (see [`skip`]).
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
        Some("md" | "txt" | "html")
    )
}

/// Whether `path` is an `.html` file: one is an article only when it opens with front matter
/// (newsletters are written so); any other is a web page, passed over without a word.
pub fn is_html(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "html")
}

/// Why the text of a file the walk found is not an article at all, or `None` when it is one,
/// or looks like one (and is then read, so that what is wrong with it is reported).
///
/// - An `.html` file that does not open with a `---` line is a web page ([`Skip::Page`]).
/// - A `.md` or `.txt` file that does not open with `---`, and whose first paragraph has no
///   YAML `key: value` line, is some other document, such as a folder's `README.md`
///   ([`Skip::NotAnArticle`]). One that has such a line is a broken article (the `---` line
///   was forgotten) and gets its `no-front-matter` error; so does an empty file its
///   `empty-file` error.
pub fn skip(path: &Path, text: &str) -> Option<Skip> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = text.lines().map(|l| l.trim_end_matches(['\r', ' ', '\t']));
    if lines.clone().next() == Some("---") {
        return None;
    }
    if is_html(path) {
        return Some(Skip::Page);
    }
    let mut paragraph = lines
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty());
    let first = paragraph.clone().next()?;
    let articlish = first == "---" || paragraph.by_ref().take(20).any(looks_like_yaml_key);
    (!articlish).then_some(Skip::NotAnArticle)
}

/// Whether `line` reads as a top-level YAML mapping entry: `key:` followed by a space or the
/// end of the line, the key a plain word (letters, digits, `_`, `-`) or a quoted string.
fn looks_like_yaml_key(line: &str) -> bool {
    let key_end = match line.as_bytes().first() {
        Some(&quote @ (b'"' | b'\'')) => line[1..].find(char::from(quote)).map(|i| i + 2),
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' => line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .or(Some(line.len())),
        _ => None,
    };
    key_end.is_some_and(|end| {
        let rest = line[end..].trim_start_matches([' ', '\t']);
        rest.strip_prefix(':')
            .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
    })
}

/// Whether the file at `path` opens with a `---` line, reading only its first bytes (for a
/// file too large to read whole: an oversized web page is passed over, not refused). A file
/// that cannot be read counts as opening with one, so that its error is reported.
pub fn opens_front_matter(path: &Path) -> bool {
    let mut head = [0; 8];
    let Ok(mut file) = fs::File::open(path) else {
        return true;
    };
    let mut len = 0;
    while len < head.len() {
        match file.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return true,
        }
    }
    opens_with_fence(&head[..len])
}

/// Whether a file's bytes open with a `---` line (after a byte-order mark, if any).
pub fn opens_with_fence(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes.strip_prefix(b"---").is_some_and(|rest| {
        rest.first()
            .is_none_or(|b| matches!(b, b'\n' | b'\r' | b' ' | b'\t'))
    })
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
    fn md_txt_and_html_files_are_read() {
        assert!(is_article_name(Path::new("a/b.md")));
        assert!(is_article_name(Path::new("b.txt")));
        assert!(is_article_name(Path::new("_newsletters/b.html")));
        assert!(!is_article_name(Path::new("b.yaml")));
        assert!(!is_article_name(Path::new("b.htm")));
        assert!(!is_article_name(Path::new("md")));
    }

    #[test]
    fn a_readme_is_not_an_article_but_a_file_that_forgot_its_opening_line_is() {
        let md = Path::new("README.md");
        let not = Some(Skip::NotAnArticle);
        assert_eq!(
            skip(md, "# Shared corpus\n\nSome text: with a colon\n"),
            not
        );
        assert_eq!(skip(md, "Just words.\n"), not);
        assert_eq!(skip(md, "\u{feff}\n\n* a list: item\n"), not);
        // Broken articles: YAML keys at the top, or the fence after blank lines.
        for broken in [
            "title: x\nwebUrl: https://x.org/\n---\n",
            "# draft\ntitle: x\n---\n",
            "\"title\": x\n",
            "webUrl:\n",
            "\n---\ntitle: x\n---\n",
        ] {
            assert_eq!(skip(md, broken), None, "{broken:?}");
            assert!(parse_text(md, broken).is_err(), "{broken:?}");
        }
        assert_eq!(skip(md, ""), None, "an empty file stays an error");
        assert_eq!(skip(md, "---\ntitle: x\n---\n"), None);
        assert_eq!(skip(Path::new("a.txt"), "plain notes\n"), not);
    }

    #[test]
    fn an_html_file_is_an_article_only_with_front_matter() {
        let html = Path::new("_newsletters/2021-06-29.html");
        let page = Some(Skip::Page);
        assert_eq!(skip(html, "<!doctype html>\n<html></html>\n"), page);
        assert_eq!(skip(html, "title: x\n"), page);
        assert_eq!(skip(html, ""), page);
        let newsletter = "---\ntitle: x\ntype: article\n---\n<html>\n<body>hi</body></html>\n";
        assert_eq!(skip(html, newsletter), None);
        let parsed = parse_text(html, newsletter).unwrap();
        assert!(parsed.body.starts_with("<html>"));
    }

    #[test]
    fn the_opening_line_is_found_in_the_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.html");
        for (text, opens) in [
            ("---\ntitle: x\n", true),
            ("\u{feff}---\n", true),
            ("<html>", false),
            ("", false),
            ("--", false),
            ("----\n", false),
        ] {
            fs::write(&path, text).unwrap();
            assert_eq!(opens_front_matter(&path), opens, "{text:?}");
        }
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
        // Every `.html` file is found; one without front matter is skipped when read (see `skip`).
        assert_eq!(
            names,
            [
                "a-b.md",
                "a/b/c.md",
                "b/a.txt",
                "b/z.md",
                "d/issue.html",
                "d/page.html"
            ]
        );
        assert!(
            found
                .iter()
                .filter(|f| !f.path.ends_with("page.html"))
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
