//! Per-article problems: the [`Diagnostic`] value and how it is printed.
//!
//! A diagnostic never stops a build. It names the file, and the line and column inside the
//! *file* (not inside the YAML front matter), so an editor can jump to it. Fatal problems are
//! [`crate::error::Error`]s instead.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Every diagnostic code newswire gives (the README's table explains each).
pub const CODES: &[&str] = &[
    "duplicate-key",
    "duplicate-link",
    "empty-file",
    "empty-front-matter",
    "empty-topic",
    "file-too-large",
    "future-date",
    "implausible-date",
    "invalid-date",
    "invalid-domain",
    "invalid-link",
    "invalid-url",
    "missing-date",
    "missing-link",
    "missing-title",
    "no-front-matter",
    "not-a-mapping",
    "not-utf8",
    "too-deeply-nested",
    "unknown-key",
    "unknown-type",
    "unreadable",
    "unterminated-front-matter",
    "wrong-type",
    "yaml-syntax",
];

/// [`Diagnostic`] as stored (its code owned), turned back into one by checking the code.
#[derive(Deserialize)]
struct DiagnosticRecord {
    path: PathBuf,
    line: usize,
    col: usize,
    severity: Severity,
    code: String,
    message: String,
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Diagnostic, D::Error> {
        Diagnostic::try_from(DiagnosticRecord::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<DiagnosticRecord> for Diagnostic {
    type Error = String;

    fn try_from(r: DiagnosticRecord) -> Result<Diagnostic, String> {
        let code = CODES
            .iter()
            .copied()
            .find(|&code| code == r.code)
            .or_else(|| newswire_validate::Message::from_name(&r.code).map(|m| m.name()))
            .ok_or_else(|| format!("unknown diagnostic code {}", r.code))?;
        Ok(Diagnostic::new(
            &r.path, r.line, r.col, r.severity, code, r.message,
        ))
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The article is still published, but something in it was dropped or looks wrong.
    Warning,
    /// The article was left out of every feed.
    Error,
}

impl Severity {
    /// How many of `diagnostics` are of this severity.
    pub fn count_in(self, diagnostics: &[Diagnostic]) -> usize {
        diagnostics.iter().filter(|d| d.severity == self).count()
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem found in one input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// The article file.
    pub path: PathBuf,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the line.
    pub col: usize,
    /// Warning or error.
    pub severity: Severity,
    /// A stable kebab-case code, e.g. `missing-title`, one of [`CODES`]; for the feed
    /// validator's findings, the W3C message name (see [`newswire_validate::Message`]).
    pub code: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line:col` of `path`.
    pub fn error(
        path: &Path,
        line: usize,
        col: usize,
        code: &'static str,
        message: String,
    ) -> Self {
        Self::new(path, line, col, Severity::Error, code, message)
    }

    /// A warning at `line:col` of `path`.
    pub fn warning(
        path: &Path,
        line: usize,
        col: usize,
        code: &'static str,
        message: String,
    ) -> Self {
        Self::new(path, line, col, Severity::Warning, code, message)
    }

    /// A diagnostic of any severity (the feed validator's carry a W3C message name as code).
    pub fn new(
        path: &Path,
        line: usize,
        col: usize,
        severity: Severity,
        code: &'static str,
        message: String,
    ) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: line.max(1),
            col: col.max(1),
            severity,
            code,
            message,
        }
    }

    /// `path:line:col: severity[code]: message`, with the severity word as given.
    fn human(&self, severity: &str) -> String {
        format!(
            "{}:{}:{}: {severity}[{}]: {}",
            self.path.display(),
            self.line,
            self.col,
            self.code,
            self.message
        )
    }

    /// Renders the diagnostic in the requested [`Format`], without a trailing newline.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Human => self.to_string(),
            Format::HumanColour => {
                let colour = match self.severity {
                    Severity::Warning => "\x1b[1;33m",
                    Severity::Error => "\x1b[1;31m",
                };
                self.human(&format!("{colour}{}\x1b[0m", self.severity))
            }
            // The path goes out lossily, like in the other formats: a file name that is not
            // UTF-8 must not cost its diagnostic.
            Format::Json => serde_json::json!({
                "path": self.path.to_string_lossy(),
                "line": self.line,
                "col": self.col,
                "severity": self.severity,
                "code": self.code,
                "message": self.message,
            })
            .to_string(),
            Format::Github => {
                let level = match self.severity {
                    Severity::Warning => "warning",
                    Severity::Error => "error",
                };
                format!(
                    "::{level} file={},line={},col={},title={}::{}",
                    github_escape_property(&self.path.display().to_string()),
                    self.line,
                    self.col,
                    github_escape_property(self.code),
                    github_escape_data(&self.message)
                )
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.human(&self.severity.to_string()))
    }
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: error[code]: message`
    #[default]
    Human,
    /// [`Format::Human`] with the severity in colour (for a terminal).
    HumanColour,
    /// One JSON object per line: `{"path","line","col","severity","code","message"}`.
    Json,
    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=code::message`.
    Github,
}

// GitHub's workflow-command escaping: data escapes %, CR, LF; properties also : and ,.
fn github_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn github_escape_property(s: &str) -> String {
    github_escape_data(s)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Diagnostic {
        Diagnostic::error(
            Path::new("in/a.md"),
            3,
            7,
            "missing-title",
            "no `title`: 50% done".into(),
        )
    }

    #[test]
    fn human_format_is_path_line_col() {
        assert_eq!(
            sample().render(Format::Human),
            "in/a.md:3:7: error[missing-title]: no `title`: 50% done"
        );
    }

    #[test]
    fn json_format_has_every_field() {
        let v: serde_json::Value = serde_json::from_str(&sample().render(Format::Json)).unwrap();
        assert_eq!(v["path"], "in/a.md");
        assert_eq!(v["line"], 3);
        assert_eq!(v["col"], 7);
        assert_eq!(v["severity"], "error");
        assert_eq!(v["code"], "missing-title");
    }

    #[test]
    fn github_format_escapes() {
        assert_eq!(
            sample().render(Format::Github),
            "::error file=in/a.md,line=3,col=7,title=missing-title::no `title`: 50%25 done"
        );
    }

    #[test]
    fn colour_only_wraps_the_severity() {
        let plain = sample().render(Format::Human);
        let colour = sample().render(Format::HumanColour);
        assert_eq!(
            colour.replace("\x1b[1;31m", "").replace("\x1b[0m", ""),
            plain
        );
        assert!(colour.contains("\x1b[1;31merror\x1b[0m"));
    }

    #[test]
    fn line_and_column_are_at_least_one() {
        let d = Diagnostic::warning(Path::new("x"), 0, 0, "c", String::new());
        assert_eq!((d.line, d.col), (1, 1));
    }
}
