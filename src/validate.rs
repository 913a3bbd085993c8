//! `newswire validate PATH|URL…` and `build/check --validate`: the publisher's side of the feed
//! validator. The [`newswire_validate`] crate checks bytes and returns findings; this module
//! finds the feed files among the paths given, reads them (never more than the validator's size
//! limit) or fetches the URLs given ([`crate::fetch`]), runs the checks in parallel and turns
//! each finding into a [`Diagnostic`] on its file (or URL).

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use newswire_validate::{Finding, Kind, MAX_BYTES, Message, Options, Outcome, validate};

use crate::config::Settings;
use crate::diag::{Code, Diagnostic, Severity};
use crate::error::Error;
use crate::model::Rendered;
use crate::progress::Progress;
use crate::render::{Renderer, site_url};
use rayon::prelude::*;

/// A finding as a [`Diagnostic`] on `path`.
pub fn diagnostic(path: &Path, finding: &Finding) -> Diagnostic {
    let message = if finding.detail.is_empty() {
        finding.message.text().to_string()
    } else {
        format!("{} ({})", finding.message.text(), finding.detail)
    };
    Diagnostic::new(
        path,
        finding.pos.line,
        finding.pos.col,
        severity(finding.message.severity()),
        Code::Feed(finding.message),
        message,
    )
}

/// What checking some paths found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every finding, as diagnostics, in path order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many RSS, Atom and JSON feeds were checked.
    pub checked: [usize; 3],
    /// Files that are not feeds this validator checks.
    pub skipped: Vec<PathBuf>,
}

impl Report {
    /// How many feeds were checked in all.
    pub fn feeds(&self) -> usize {
        self.checked.iter().sum()
    }

    /// Number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        severity.count_in(&self.diagnostics)
    }
}

/// The file extensions `validate` looks at inside folders.
const EXTENSIONS: &[&str] = &["xml", "rss", "atom", "json"];

/// Checks every feed among `paths` (files, or folders searched recursively for `*.xml`,
/// `*.rss`, `*.atom` and `*.json`, or http(s) URLs, fetched with `timeout`). With `base_url`, a
/// feed at `dir/a/b.xml` (given `dir`) is taken to be published at `base_url` + `a/b.xml`, for
/// the self-link checks; a URL is published where it was fetched from, after redirects.
pub fn validate_paths(
    paths: &[PathBuf],
    base_url: Option<&str>,
    now: Option<DateTime<Utc>>,
    timeout: Duration,
) -> Result<Report, Error> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for root in paths {
        if root.to_str().is_some_and(crate::fetch::is_url) {
            // Relative name empty: a URL is fetched, not read (see below).
            files.push((root.clone(), String::new()));
            continue;
        }
        let meta = std::fs::metadata(root).map_err(|source| Error::Read {
            path: root.clone(),
            source,
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
                let entry = entry.map_err(|e| Error::Read {
                    path: e.path().map_or_else(|| root.clone(), Path::to_path_buf),
                    source: e.into(),
                })?;
                let path = entry.path();
                let wanted = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| EXTENSIONS.contains(&e));
                if entry.file_type().is_file() && wanted {
                    let relative = path.strip_prefix(root).unwrap_or(path);
                    let rel = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    found.push((path.to_path_buf(), rel));
                }
            }
            files.extend(found);
        } else {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.push((root.clone(), name));
        }
    }
    let results: Vec<Result<(PathBuf, Outcome), Error>> = {
        use rayon::prelude::*;
        files
            .par_iter()
            .map(|(path, rel)| {
                if let Some(url) = path.to_str().filter(|p| crate::fetch::is_url(p)) {
                    return validate_url(url, now, timeout).map(|o| (path.clone(), o));
                }
                let read_error = |source| Error::Read {
                    path: path.clone(),
                    source,
                };
                // Never more than one byte past the limit in memory, however large the file.
                let mut bytes = Vec::new();
                let file = std::fs::File::open(path).map_err(read_error)?;
                {
                    use std::io::Read;
                    (&file)
                        .take(MAX_BYTES as u64 + 1)
                        .read_to_end(&mut bytes)
                        .map_err(read_error)?;
                }
                let options = Options {
                    location: base_url.map(|b| format!("{b}{rel}")),
                    now,
                };
                let mut outcome = validate(&bytes, &options);
                if bytes.len() > MAX_BYTES
                    && let Some(limit) = outcome
                        .findings
                        .iter_mut()
                        .find(|f| f.message == Message::ValidatorLimit)
                {
                    // The file's real size, not the part read.
                    let size = file.metadata().map_or(bytes.len() as u64, |m| m.len());
                    limit.detail = format!("{size} bytes (the limit is {MAX_BYTES})");
                }
                Ok((path.clone(), outcome))
            })
            .collect()
    };
    let mut report = Report::default();
    for result in results {
        let (path, outcome) = result?;
        let slot = match outcome.kind {
            Kind::Rss => 0,
            Kind::Atom => 1,
            Kind::Json => 2,
            Kind::Other => {
                // Not a feed as far as can be told; a file too large or too deep to tell still
                // gets its ValidatorLimit.
                report
                    .diagnostics
                    .extend(outcome.findings.iter().map(|f| diagnostic(&path, f)));
                report.skipped.push(path);
                continue;
            }
        };
        report.checked[slot] += 1;
        report
            .diagnostics
            .extend(outcome.findings.iter().map(|f| diagnostic(&path, f)));
    }
    Ok(report)
}

/// Fetches a feed and checks it as served: the W3C service's HTTP checks, then the document,
/// published at the address it was fetched from. After a redirect, a self link to the address
/// asked for is as good as one to the final address (the service takes either).
fn validate_url(
    url: &str,
    now: Option<DateTime<Utc>>,
    timeout: Duration,
) -> Result<Outcome, Error> {
    let fetched = crate::fetch::fetch(url, timeout)?;
    let served = |location: &str| {
        let options = Options {
            location: Some(location.to_string()),
            now,
        };
        newswire_validate::validate_served(
            &fetched.bytes,
            fetched.content_type.as_deref(),
            &options,
        )
    };
    let mut outcome = served(&fetched.url);
    let self_differs = |o: &Outcome| {
        o.findings
            .iter()
            .any(|f| f.message == Message::SelfDoesntMatchLocation)
    };
    if fetched.redirected && self_differs(&outcome) {
        let as_asked = served(url);
        if !self_differs(&as_asked) {
            outcome = as_asked;
        }
    }
    if fetched.bytes.len() > MAX_BYTES
        && let Some(limit) = outcome
            .findings
            .iter_mut()
            .find(|f| f.message == Message::ValidatorLimit)
    {
        // Reading stopped one byte past the limit: the size is what the server announced.
        limit.detail = match fetched.length {
            Some(length) => format!("{length} bytes (the limit is {MAX_BYTES})"),
            None => format!("more than {MAX_BYTES} bytes (the limit)"),
        };
    }
    Ok(outcome)
}

/// The diagnostic severity of a W3C message's grading.
fn severity(severity: newswire_validate::Severity) -> Severity {
    match severity {
        newswire_validate::Severity::Warning => Severity::Warning,
        newswire_validate::Severity::Error => Severity::Error,
    }
}

/// Renders every file and runs the built-in validator over every feed among them, as
/// published at the site's base URL (so self links are checked) at the build's `now`
/// (`build --validate`, `check --validate`). Findings name the file in the output folder.
pub fn render_and_validate(
    settings: &Settings,
    renderer: &Renderer<'_>,
    progress: &dyn Progress,
) -> Result<(Vec<Rendered>, Vec<Diagnostic>), Error> {
    progress.start("validating", renderer.len());
    let results: Vec<(Rendered, Vec<Diagnostic>)> = (0..renderer.len())
        .into_par_iter()
        .map(|i| {
            let file = renderer.render(i)?;
            let mut found = Vec::new();
            if file.feed.is_some() {
                let options = Options {
                    location: Some(site_url(&settings.site, &file.path)),
                    now: Some(settings.now),
                };
                let path = settings.output.join(&file.path);
                found = validate(&file.bytes, &options)
                    .findings
                    .iter()
                    .map(|f| diagnostic(&path, f))
                    .collect();
            }
            progress.step();
            Ok((file, found))
        })
        .collect::<Result<_, Error>>()?;
    progress.finish();
    let mut findings = Vec::new();
    let rendered = results
        .into_iter()
        .map(|(file, found)| {
            findings.extend(found);
            file
        })
        .collect();
    Ok((rendered, findings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use newswire_validate::Pos;

    #[test]
    fn a_finding_becomes_a_diagnostic_with_the_w3c_name_and_grading() {
        let finding = |message, detail: &str| Finding {
            pos: Pos { line: 3, col: 7 },
            message,
            detail: detail.to_string(),
        };
        let path = Path::new("out/rss.xml");
        let d = diagnostic(path, &finding(Message::MissingGuid, ""));
        assert_eq!(
            (d.path.as_path(), d.line, d.col, d.severity, d.code),
            (
                path,
                3,
                7,
                Severity::Warning,
                Code::Feed(Message::MissingGuid)
            )
        );
        assert_eq!(d.message, Message::MissingGuid.text());
        let d = diagnostic(
            path,
            &finding(Message::InvalidRFC2822Date, "pubDate: today"),
        );
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.message,
            format!("{} (pubDate: today)", Message::InvalidRFC2822Date.text())
        );
        for &m in Message::ALL {
            let graded = diagnostic(path, &finding(m, "")).severity;
            assert_eq!(
                graded == Severity::Error,
                m.severity() == newswire_validate::Severity::Error
            );
        }
    }
}
