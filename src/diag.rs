//! Per-article problems: the [`Diagnostic`] value and how it is printed.
//!
//! A diagnostic never stops a build. It names the file, and the line and column inside the
//! *file* (not inside the YAML front matter), so an editor can jump to it. Fatal problems are
//! [`crate::error::Error`]s instead.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use newswire_validate::Message;

macro_rules! codes {
    ($($variant:ident $name:literal $doc:literal,)*) => {
        /// What a diagnostic is about: one of newswire's article codes (the README's table
        /// explains each), or a feed validator message.
        ///
        /// The cache stores a code as its [`Code::number`], so a new code needs nothing but
        /// its line here (and a bump of the cache format when numbers move).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
            /// A finding of the feed validator, named by its W3C message.
            Feed(Message),
        }

        impl Code {
            /// Every article code, in number order.
            pub const ARTICLE: &'static [Code] = &[$(Code::$variant),*];

            /// The stable kebab-case name (e.g. `missing-title`), or the W3C message name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                    Code::Feed(message) => message.name(),
                }
            }
        }
    };
}

codes! {
    DuplicateKey "duplicate-key" "A front-matter key is written twice.",
    DuplicateLink "duplicate-link" "Another file has the same link; one copy is published.",
    EmptyFile "empty-file" "The file is empty.",
    EmptyFrontMatter "empty-front-matter" "The front matter is empty.",
    EmptyTopic "empty-topic" "An empty topic is ignored.",
    FileTooLarge "file-too-large" "The file is over `max_file_size`.",
    FutureDate "future-date" "Dated after now: held back until then.",
    ImplausibleDate "implausible-date" "A date too far in the past to be real.",
    InvalidDate "invalid-date" "A date that is not RFC 3339.",
    InvalidDomain "invalid-domain" "A provider domain that is not a DNS host name.",
    InvalidLink "invalid-link" "The link is not an absolute http(s) URL.",
    InvalidUrl "invalid-url" "A URL other than the link is not usable.",
    MissingDate "missing-date" "No publication date, and none from the git history or a first-seen record.",
    MissingLink "missing-link" "No link.",
    MissingTitle "missing-title" "No title.",
    NoFrontMatter "no-front-matter" "The file does not start with a `---` line.",
    NotAMapping "not-a-mapping" "The front matter is not a YAML mapping.",
    NotUtf8 "not-utf8" "The file is not UTF-8.",
    TooDeeplyNested "too-deeply-nested" "The front matter nests too deeply.",
    UnknownKey "unknown-key" "A front-matter key newswire does not know.",
    UnknownType "unknown-type" "An article `type` newswire does not know.",
    Unreadable "unreadable" "The file or folder cannot be read.",
    UnterminatedFrontMatter "unterminated-front-matter" "No closing `---` line.",
    WrongType "wrong-type" "A key's value has the wrong type.",
    YamlSyntax "yaml-syntax" "The front matter is not valid YAML.",
    ShallowHistory "shallow-history" "The input's git history is a shallow clone: not used to date undated items.",
    GitHistory "git-history" "The input's git history cannot be read: not used to date undated items.",
    OverBudget "over-budget" "A feed's subscription document would be over `max_bytes`: its oldest items are left out of it.",
}

/// Where feed validator messages start among [`Code::number`]s.
const FEED_NUMBERS: u16 = 1000;

impl Code {
    /// A number that stands for the code in the cache: article codes count from 0, validator
    /// messages from 1000.
    pub fn number(self) -> u16 {
        match self {
            Code::Feed(message) => FEED_NUMBERS + message.index() as u16,
            article => Code::ARTICLE
                .iter()
                .position(|&c| c == article)
                .unwrap_or(0) as u16,
        }
    }

    /// The code a [`Code::number`] stands for.
    pub fn from_number(number: u16) -> Option<Code> {
        match number.checked_sub(FEED_NUMBERS) {
            Some(message) => Message::ALL
                .get(usize::from(message))
                .copied()
                .map(Code::Feed),
            None => Code::ARTICLE.get(usize::from(number)).copied(),
        }
    }

    /// The code of a name: an article code or a validator message.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ARTICLE
            .iter()
            .copied()
            .find(|c| c.name() == name)
            .or_else(|| Message::from_name(name).map(Code::Feed))
    }
}

/// Codes sort by name, so reports list a line's diagnostics in the same order however codes
/// are numbered.
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.name() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.number().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let number = u16::deserialize(d)?;
        Code::from_number(number)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code {number}")))
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The article file.
    pub path: PathBuf,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the line.
    pub col: usize,
    /// Warning or error.
    pub severity: Severity,
    /// What the problem is about (see [`Code`]).
    pub code: Code,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line:col` of `path`.
    pub fn error(path: &Path, line: usize, col: usize, code: Code, message: String) -> Self {
        Self::new(path, line, col, Severity::Error, code, message)
    }

    /// A warning at `line:col` of `path`.
    pub fn warning(path: &Path, line: usize, col: usize, code: Code, message: String) -> Self {
        Self::new(path, line, col, Severity::Warning, code, message)
    }

    /// A diagnostic of any severity (the feed validator's carry a W3C message name as code).
    pub fn new(
        path: &Path,
        line: usize,
        col: usize,
        severity: Severity,
        code: Code,
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
                "code": self.code.name(),
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
                    github_escape_property(self.code.name()),
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
            Code::MissingTitle,
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
        let d = Diagnostic::warning(Path::new("x"), 0, 0, Code::EmptyTopic, String::new());
        assert_eq!((d.line, d.col), (1, 1));
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_number_and_name() {
        let all = Code::ARTICLE
            .iter()
            .copied()
            .chain(Message::ALL.iter().copied().map(Code::Feed));
        let mut names = std::collections::BTreeSet::new();
        for code in all {
            assert_eq!(Code::from_number(code.number()), Some(code), "{code}");
            assert_eq!(Code::from_name(code.name()), Some(code), "{code}");
            assert!(names.insert(code.name()), "{code} named twice");
        }
        assert_eq!(Code::from_number(999), None);
        assert_eq!(Code::from_name("no-such-code"), None);
    }

    #[test]
    fn a_stored_diagnostic_comes_back_whole() {
        let d = Diagnostic::warning(
            Path::new("a.md"),
            2,
            3,
            Code::Feed(Message::ALL[0]),
            "m".into(),
        );
        let bytes = postcard::to_stdvec(&d).unwrap();
        assert_eq!(postcard::from_bytes::<Diagnostic>(&bytes).unwrap(), d);
    }
}
