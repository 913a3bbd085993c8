//! The harness: throw-away sites, running the real binary, reading what it wrote.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The time every test build runs at, so future-date decisions are reproducible.
pub const NOW: &str = "2026-01-01T00:00:00Z";
/// The base URL of every test site.
pub const BASE: &str = "https://example.org/feeds/";

/// The binary under test.
pub fn newswire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newswire"))
}

/// A site in a temporary folder: `articles/` in, `out/` out.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("articles")).expect("articles");
        Site { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn articles(&self) -> PathBuf {
        self.path("articles")
    }

    pub fn out(&self) -> PathBuf {
        self.path("out")
    }

    /// Writes an article file (any bytes) under `articles/`.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.articles().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write article");
        self
    }

    /// Runs newswire in the site folder with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = newswire()
            .current_dir(self.dir.path())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run newswire");
        Run::from(output)
    }

    /// `newswire build` with the test defaults and `extra` flags.
    pub fn build(&self, extra: &[&str]) -> Run {
        self.command("build", extra)
    }

    /// `newswire <command>` with the test defaults (input, output, base URL, now) and `extra`.
    pub fn command(&self, command: &str, extra: &[&str]) -> Run {
        let mut args = vec![
            command,
            "--input",
            "articles",
            "--output",
            "out",
            "--base-url",
            BASE,
            "--now",
            NOW,
        ];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// Every file under `out/`, by relative path.
    pub fn outputs(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.out())
    }

    /// One output file as text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }
}

/// What a run did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing stderr when it differs.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, code, "exit code; stderr:\n{}", self.stderr);
        self
    }

    /// The diagnostic lines of stderr (without the summary line).
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("newswire: "))
            .collect()
    }
}

/// Every file below `root`, by `/`-separated relative path.
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .expect("below root")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// A well-formed article file.
pub fn article(title: &str, link: &str, date: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nwebUrl: \"{link}\"\npublishedDateTime: {date}\nexcerpt: \"About {title}.\"\n{extra}---\n"
    )
}

/// The shared corpus, or `None` (with the reason printed) when it is not beside the repo.
pub fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/everyday-ai");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: ../shared/corpus not found");
        None
    }
}

/// Panics with the first differing line of two texts, for readable golden failures.
pub fn assert_same_text(what: &str, expected: &str, actual: &str) {
    if expected == actual {
        return;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    panic!(
        "{what} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\n(NEWSWIRE_BLESS=1 rewrites golden files)",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end>"),
        actual.lines().nth(line).unwrap_or("<end>")
    );
}

/// Parses a feed file with the parser for its format and returns its item count.
pub fn parse_items(path: &str, bytes: &[u8]) -> usize {
    if path.ends_with("rss.xml") {
        rss::Channel::read_from(bytes)
            .unwrap_or_else(|e| panic!("{path}: rss: {e}"))
            .items()
            .len()
    } else if path.ends_with("atom.xml") {
        atom_syndication::Feed::read_from(bytes)
            .unwrap_or_else(|e| panic!("{path}: atom: {e}"))
            .entries()
            .len()
    } else if path.ends_with("feed.json") {
        let doc: serde_json::Value =
            serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path}: json: {e}"));
        newswire::render::json::check(&doc).unwrap_or_else(|e| panic!("{path}: JSON Feed: {e}"));
        doc["items"].as_array().map_or(0, Vec::len)
    } else {
        panic!("{path}: not a feed")
    }
}

/// Parses a feed with feed-rs (which reads all three formats) and returns its entry count.
pub fn feed_rs_items(path: &str, bytes: &[u8]) -> usize {
    feed_rs::parser::parse(bytes)
        .unwrap_or_else(|e| panic!("{path}: feed-rs: {e}"))
        .entries
        .len()
}

/// The manifest of an output folder.
pub fn manifest(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(files.get("manifest.json").expect("manifest.json")).expect("json")
}

/// Builds the fixture site `tests/fixtures/sites/<case>` (run from its folder, with its
/// `newswire.yaml`) into `out`; returns the run.
pub fn build_fixture(case: &str, out: &Path) -> std::process::Output {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(case);
    newswire()
        .current_dir(&dir)
        .args([
            "build",
            "--config",
            "newswire.yaml",
            "--now",
            NOW,
            "--quiet",
            "--output",
        ])
        .arg(out)
        .output()
        .expect("run newswire")
}
