//! The harness: runs the real `newswire` binary in a folder, writes fixture articles, reads
//! output trees back, parses feeds with three independent parsers, and compares text with
//! readable diffs (the first differing line, with context) instead of two walls of bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// The binary under test, built by cargo for this test run.
pub const BIN: &str = env!("CARGO_BIN_EXE_newswire");

/// Every test pins the clock, so nothing depends on when it runs.
pub const NOW: &str = "2026-01-01T00:00:00Z";

/// The base URL every test site is published at.
pub const BASE_URL: &str = "https://example.org/feeds/";

/// The switch that rewrites golden files instead of comparing with them.
pub const BLESS_VAR: &str = "NEWSWIRE_BLESS";

/// The crate root, where `tests/fixtures/` lives.
pub fn crate_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    crate_root().join("tests/fixtures").join(rel)
}

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

/// What one run of the binary did.
#[derive(Debug)]
pub struct Output {
    /// The command line, for failure messages.
    pub args: Vec<String>,
    /// Exit status (`-1` when killed by a signal).
    pub code: i32,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

impl Output {
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

    /// The summary line (`newswire: N articles read: …`).
    #[track_caller]
    pub fn summary(&self) -> &str {
        self.stderr
            .lines()
            .find(|line| is_summary(line))
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

    /// The diagnostic lines (`path:line:col: severity[code]: message`) that mention `code`.
    pub fn lines_with_code(&self, code: &str) -> Vec<&str> {
        let needle = format!("[{code}]");
        self.stderr
            .lines()
            .filter(|l| l.contains(&needle))
            .collect()
    }
}

fn is_summary(line: &str) -> bool {
    line.starts_with("newswire: ") && line.contains(" articles read: ")
}

/// Runs `newswire args…` with `cwd` as the current folder and stdin closed.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    let output = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .env_remove(BLESS_VAR)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
    Output {
        args: args.iter().map(|a| a.to_string()).collect(),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A scratch site in a temporary folder: article files go to `articles/`, feeds to `out/`, and
/// the binary runs with the site folder as its current folder, so diagnostics name
/// `articles/<file>`.
pub struct Site {
    dir: TempDir,
}

impl Default for Site {
    fn default() -> Self {
        Self::new()
    }
}

impl Site {
    /// An empty site with an empty `articles/` folder.
    pub fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("articles")).unwrap();
        Site { dir }
    }

    /// The site folder (the binary's current folder).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The input folder.
    pub fn input(&self) -> PathBuf {
        self.root().join("articles")
    }

    /// The default output folder.
    pub fn out(&self) -> PathBuf {
        self.root().join("out")
    }

    /// Writes `text` to `rel` (relative to the site folder), creating folders.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    /// Writes an article file `articles/<name>`.
    pub fn article(&self, name: &str, article: &Article) -> PathBuf {
        self.write(&format!("articles/{name}"), &article.render())
    }

    /// Removes `articles/<name>`.
    pub fn remove_article(&self, name: &str) {
        fs::remove_file(self.input().join(name)).unwrap();
    }

    /// Runs `newswire args…` in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        run_in(self.root(), args)
    }

    /// `newswire build` of `articles/` into `out/` at [`BASE_URL`] and [`NOW`], plus `extra`.
    pub fn build(&self, extra: &[&str]) -> Output {
        self.run(&standard_args("build", "out", extra))
    }

    /// Like [`Site::build`] into another output folder (relative to the site folder).
    pub fn build_into(&self, output: &str, extra: &[&str]) -> Output {
        self.run(&standard_args("build", output, extra))
    }

    /// `newswire check` with the same arguments as [`Site::build`].
    pub fn check(&self, extra: &[&str]) -> Output {
        self.run(&standard_args("check", "out", extra))
    }
}

/// `command --input articles --output <output> --base-url BASE_URL --now NOW extra…`, where
/// a flag given in `extra` replaces the default.
fn standard_args<'a>(command: &'a str, output: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
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

/// An article file, built field by field; it renders as `---`, YAML, `---`.
#[derive(Debug, Clone)]
pub struct Article {
    fields: Vec<(String, String)>,
    body: String,
}

impl Article {
    /// A valid article with a title, a link and a date.
    pub fn new(title: &str, link: &str, date: &str) -> Article {
        Article {
            fields: Vec::new(),
            body: String::new(),
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
        out.push_str("---\n");
        out.push_str(&self.body);
        out
    }
}

/// A YAML double-quoted scalar (a JSON string is one).
pub fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Reading output back
// ---------------------------------------------------------------------------------------------

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.insert(rel.join("/"), fs::read(entry.path()).unwrap());
        }
    }
    files
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

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
