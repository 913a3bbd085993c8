//! The harness: throw-away sites, the real `newswire` binary run in them, article files (as one
//! line of text or field by field), output trees read back and parsed with independent parsers,
//! and comparisons that fail with a readable diff (the first differing line, with context)
//! instead of two walls of bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The time every test build runs at, so future-date decisions are reproducible.
pub const NOW: &str = "2026-01-01T00:00:00Z";

/// The base URL every test site is published at.
pub const BASE_URL: &str = "https://example.org/feeds/";

/// The switch that rewrites golden files instead of comparing with them.
const BLESS_VAR: &str = "NEWSWIRE_BLESS";

/// Whether this run rewrites golden files (`NEWSWIRE_BLESS=1`) instead of comparing with them.
pub fn bless() -> bool {
    std::env::var_os(BLESS_VAR).is_some()
}

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The shared corpus of real article files. Tests that call this carry
/// `#[cfg_attr(not(corpus), ignore = "../shared/corpus is absent")]`: `build.rs` sets
/// `cfg(corpus)` when the folder is there.
pub fn corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/everyday-ai");
    assert!(
        dir.is_dir(),
        "{} is gone since this test was built (cargo rebuilds when it notices)",
        dir.display()
    );
    dir
}

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

/// The binary under test, with stdin closed, no colour, and the bless switch kept from it.
pub fn newswire() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newswire"));
    command
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .env_remove(BLESS_VAR);
    command
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The command line, for failure messages.
    pub args: Vec<String>,
    /// Exit status (`-1` when killed by a signal).
    pub code: i32,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl Run {
    /// Runs `command` to the end; `args` name it in failure messages.
    pub fn of(mut command: Command, args: &[&str]) -> Run {
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("cannot run newswire: {e}"));
        Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics, showing the whole run, unless the exit status is `want`.
    #[track_caller]
    pub fn expect_code(&self, want: i32) -> &Self {
        assert_eq!(
            self.code,
            want,
            "`newswire {}` exited with {} (wanted {want})\n{}",
            self.args.join(" "),
            self.code,
            self.describe()
        );
        self
    }

    /// stdout and stderr, labelled, for failure messages.
    pub fn describe(&self) -> String {
        format!(
            "--- stdout ---\n{}--- stderr ---\n{}--- end ---",
            self.stdout, self.stderr
        )
    }

    /// The diagnostic lines of stderr (without the `newswire: ` summary and notes).
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("newswire: "))
            .collect()
    }

    /// The diagnostic lines (`path:line:col: severity[code]: message`) that mention `code`.
    pub fn lines_with_code(&self, code: &str) -> Vec<&str> {
        let needle = format!("[{code}]");
        self.stderr
            .lines()
            .filter(|l| l.contains(&needle))
            .collect()
    }

    /// The summary line (`newswire: N articles read: …`).
    #[track_caller]
    pub fn summary(&self) -> &str {
        self.stderr
            .lines()
            .find(|line| line.starts_with("newswire: ") && line.contains(" articles read: "))
            .unwrap_or_else(|| panic!("no summary line\n{}", self.describe()))
    }

    /// `(written, unchanged, removed)` from the summary line of a build.
    #[track_caller]
    pub fn write_counts(&self) -> (usize, usize, usize) {
        let summary = self.summary();
        let count = |label: &str| -> usize {
            let end = summary
                .find(&format!(" {label}"))
                .unwrap_or_else(|| panic!("no `{label}` in summary: {summary}"));
            let digits: String = summary[..end]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().unwrap()
        };
        (count("written"), count("unchanged"), count("removed"))
    }
}

/// A scratch site in a temporary folder: article files go to `articles/`, feeds to `out/`, and
/// the binary runs with the site folder as its current folder, so diagnostics name
/// `articles/<file>`.
pub struct Site {
    dir: TempDir,
}

impl Site {
    /// An empty site with an empty `articles/` folder.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("articles")).expect("articles");
        Site { dir }
    }

    /// The site folder (the binary's current folder).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` below the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The input folder.
    pub fn articles(&self) -> PathBuf {
        self.path("articles")
    }

    /// The default output folder.
    pub fn out(&self) -> PathBuf {
        self.path("out")
    }

    /// Writes an article file (any bytes) to `articles/<name>`, creating folders.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Self {
        self.write_file(&format!("articles/{name}"), bytes)
    }

    /// Writes any file (a config file, a file in the way) to `rel` below the site folder.
    pub fn write_file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self
    }

    /// Writes the article file `articles/<name>`.
    pub fn article(&self, name: &str, article: &Article) -> &Self {
        self.write(name, article.render())
    }

    /// Removes `articles/<name>`.
    pub fn remove_article(&self, name: &str) {
        fs::remove_file(self.articles().join(name)).expect("remove article");
    }

    /// `newswire args…` in the site folder, to spawn or to give more environment.
    pub fn newswire(&self, args: &[&str]) -> Command {
        let mut command = newswire();
        command.current_dir(self.root()).args(args);
        command
    }

    /// Runs `newswire args…` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.newswire(args), args)
    }

    /// `newswire <command>` of `articles/` into `out/` at [`BASE_URL`] and [`NOW`], plus
    /// `extra` (where a flag in `extra` replaces the default).
    pub fn command(&self, command: &str, extra: &[&str]) -> Run {
        self.run(&standard_args(command, "out", extra))
    }

    /// `newswire build` with the test defaults and `extra`.
    pub fn build(&self, extra: &[&str]) -> Run {
        self.command("build", extra)
    }

    /// Like [`Site::build`] into another output folder (relative to the site folder).
    pub fn build_into(&self, output: &str, extra: &[&str]) -> Run {
        self.run(&standard_args("build", output, extra))
    }

    /// `newswire check` with the same arguments as [`Site::build`].
    pub fn check(&self, extra: &[&str]) -> Run {
        self.command("check", extra)
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

/// `command --input articles --output <output> --base-url BASE_URL --now NOW extra…`, where
/// a flag given in `extra` replaces the default.
pub fn standard_args<'a>(command: &'a str, output: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![command];
    let defaults = [
        ("--input", "articles"),
        ("--output", output),
        ("--base-url", BASE_URL),
        ("--now", NOW),
    ];
    for (flag, value) in defaults {
        if !extra.contains(&flag) {
            args.extend([flag, value]);
        }
    }
    args.extend_from_slice(extra);
    args
}

/// Builds the fixture site `tests/fixtures/sites/<case>` (run from its folder, with its
/// `newswire.yaml`) into `out`; returns the run.
pub fn build_fixture(case: &str, out: &Path) -> Run {
    let out = out.to_str().expect("UTF-8 temp path");
    let args = [
        "build",
        "--config",
        "newswire.yaml",
        "--now",
        NOW,
        "--quiet",
        "--output",
        out,
    ];
    let mut command = newswire();
    command.current_dir(fixture("sites").join(case)).args(args);
    Run::of(command, &args)
}

// ---------------------------------------------------------------------------------------------
// Article files
// ---------------------------------------------------------------------------------------------

/// A well-formed article file with an excerpt, and `extra` YAML lines (each ending in `\n`).
pub fn article(title: &str, link: &str, date: &str, extra: &str) -> String {
    Article::new(title, link, date)
        .text("excerpt", &format!("About {title}."))
        .yaml(extra)
        .render()
}

/// An article file, built field by field; it renders as `---`, YAML, `---`.
#[derive(Debug, Clone)]
pub struct Article {
    fields: Vec<(String, String)>,
    /// YAML lines written as they are after the fields.
    lines: String,
}

impl Article {
    /// A valid article with a title, a link and a date.
    pub fn new(title: &str, link: &str, date: &str) -> Article {
        Article {
            fields: Vec::new(),
            lines: String::new(),
        }
        .text("title", title)
        .text("webUrl", link)
        .raw("publishedDateTime", date)
    }

    /// Sets `key` to a YAML double-quoted string.
    pub fn text(self, key: &str, value: &str) -> Article {
        self.raw(key, &quote(value))
    }

    /// Sets `key` to `yaml` exactly as written (which may span lines).
    pub fn raw(mut self, key: &str, yaml: &str) -> Article {
        match self.fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = yaml.to_string(),
            None => self.fields.push((key.to_string(), yaml.to_string())),
        }
        self
    }

    /// Adds YAML lines (each ending in `\n`) exactly as written, after the fields.
    pub fn yaml(mut self, lines: &str) -> Article {
        self.lines.push_str(lines);
        self
    }

    /// Sets the provider.
    pub fn provider(self, name: &str, domain: &str) -> Article {
        let yaml = format!("\n  name: {}\n  domain: {}", quote(name), quote(domain));
        self.raw("provider", &yaml)
    }

    /// Sets the topics.
    pub fn topics(self, topics: &[&str]) -> Article {
        let yaml: String = topics
            .iter()
            .map(|t| format!("\n  - {}", quote(t)))
            .collect();
        self.raw("topics", &yaml)
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut out = String::from("---\n");
        for (key, value) in &self.fields {
            let sep = if value.starts_with('\n') { ":" } else { ": " };
            let _ = writeln!(out, "{key}{sep}{value}");
        }
        out.push_str(&self.lines);
        out.push_str("---\n");
        out
    }
}

/// A YAML double-quoted scalar (a JSON string is one).
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

// ---------------------------------------------------------------------------------------------
// Reading output back
// ---------------------------------------------------------------------------------------------

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("below the root");
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"), fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// The manifest of an output folder.
pub fn manifest(files: &BTreeMap<String, Vec<u8>>) -> serde_json::Value {
    serde_json::from_slice(files.get("manifest.json").expect("manifest.json")).expect("json")
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

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/// What a golden-file failure adds to its diff.
pub const BLESS_HINT: &str = "(NEWSWIRE_BLESS=1 rewrites golden files: review the diff)";

/// The readable difference between two texts, or `None` when they are equal.
pub fn text_diff(what: &str, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let want: Vec<&str> = expected.split_inclusive('\n').collect();
    let got: Vec<&str> = actual.split_inclusive('\n').collect();
    let first = want
        .iter()
        .zip(&got)
        .position(|(a, b)| a != b)
        .unwrap_or(want.len().min(got.len()));
    let mut out = format!("{what}: differs from line {}\n", first + 1);
    let _ = writeln!(out, "  expected: {}", show_line(want.get(first).copied()));
    let _ = writeln!(out, "  actual:   {}", show_line(got.get(first).copied()));
    let from = first.saturating_sub(3);
    for (label, lines) in [("expected", &want), ("actual", &got)] {
        let _ = writeln!(
            out,
            "--- {label} (lines {}..{} of {}) ---",
            from + 1,
            (first + 4).min(lines.len()),
            lines.len()
        );
        for (n, line) in lines.iter().enumerate().skip(from).take(first + 4 - from) {
            let mark = if n == first { '>' } else { ' ' };
            let _ = writeln!(out, "{mark}{:5} | {}", n + 1, line.trim_end_matches('\n'));
        }
    }
    Some(out)
}

fn show_line(line: Option<&str>) -> String {
    match line {
        Some(line) => format!("{line:?}"),
        None => "(end of file)".into(),
    }
}

/// Panics with a readable diff of two golden texts when they differ.
#[track_caller]
pub fn assert_same_text(what: &str, expected: &str, actual: &str) {
    if let Some(diff) = text_diff(what, expected, actual) {
        panic!("{diff}{BLESS_HINT}");
    }
}

/// Compares two file trees: the set of paths, then every file byte for byte (text files get
/// a line diff). Reports every difference at once.
#[track_caller]
pub fn assert_same_tree(
    what: &str,
    expected: &BTreeMap<String, Vec<u8>>,
    actual: &BTreeMap<String, Vec<u8>>,
    hint: &str,
) {
    let mut problems = Vec::new();
    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .collect();
    let extra: Vec<&String> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "{what}: files missing from the output: {missing:?}"
        ));
    }
    if !extra.is_empty() {
        problems.push(format!("{what}: files not expected: {extra:?}"));
    }
    for (path, want) in expected {
        let Some(got) = actual.get(path) else {
            continue;
        };
        if want == got {
            continue;
        }
        let name = format!("{what}: {path}");
        match (std::str::from_utf8(want), std::str::from_utf8(got)) {
            (Ok(w), Ok(g)) => problems.extend(text_diff(&name, w, g)),
            _ => problems.push(format!("{name}: binary contents differ")),
        }
    }
    if !problems.is_empty() {
        panic!("{}\n{hint}", problems.join("\n"));
    }
}
