//! The stages in order: ingest → normalise → group → render → write. Nothing else lives here.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Settings;
use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::group::{self, Catalog};
use crate::model::Rendered;
use crate::normalise::{self, Outcome};
use crate::render;
use crate::write::{self, WriteStats};
use crate::{ingest, model::Item};

/// Counts for the one-line summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Article files found.
    pub read: usize,
    /// Items published (after deduplication).
    pub published: usize,
    /// `published: false` / `removed: true`.
    pub unpublished: usize,
    /// Dated in the future.
    pub held_back: usize,
    /// Left out because of errors.
    pub rejected: usize,
    /// Feed files produced (all formats).
    pub feeds: usize,
    /// All files produced: feeds and site files.
    pub files: usize,
    /// What writing did (`None` for `check`).
    pub written: Option<WriteStats>,
    /// Wall time.
    pub elapsed: Duration,
}

/// The result of a run: every diagnostic, sorted by file and line, and the counts.
#[derive(Debug, Default)]
pub struct Report {
    /// Per-article problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Number of diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Everything up to rendering: the feeds in memory and the report so far.
pub struct Rendering {
    /// The catalogue the feeds were built from.
    pub catalog: Catalog,
    /// The rendered files.
    pub files: Vec<Rendered>,
    /// Diagnostics and counts.
    pub report: Report,
}

/// Reads, normalises, groups and renders, without writing anything.
pub fn render(settings: &Settings) -> Result<Rendering, Error> {
    let started = Instant::now();
    let (paths, mut diagnostics) = ingest::discover(&settings.input)?;
    let mut summary = Summary {
        read: paths.len(),
        rejected: diagnostics.len(),
        ..Summary::default()
    };

    let results: Vec<(Option<Outcome>, Vec<Diagnostic>)> = paths
        .par_iter()
        .map(
            |path| match ingest::parse_file(path, settings.max_file_size) {
                Ok(parsed) => {
                    let n = normalise::normalise(&parsed, settings);
                    (Some(n.outcome), n.diagnostics)
                }
                Err(diagnostic) => (None, vec![diagnostic]),
            },
        )
        .collect();

    let mut items: Vec<Item> = Vec::with_capacity(results.len());
    for (outcome, found) in results {
        diagnostics.extend(found);
        match outcome {
            Some(Outcome::Item(item)) => items.push(*item),
            Some(Outcome::Unpublished) => summary.unpublished += 1,
            Some(Outcome::HeldBack) => summary.held_back += 1,
            Some(Outcome::Rejected) | None => summary.rejected += 1,
        }
    }

    let grouping = group::Grouping {
        limit: settings.limit,
        merge_related: settings.merge_related,
    };
    let (catalog, duplicates) = group::group(items, grouping);
    diagnostics.extend(duplicates);
    summary.published = catalog.items.len();

    let files = render::render_all(&settings.site, &catalog)?;
    summary.feeds = files.iter().filter(|f| f.feed.is_some()).count();
    summary.files = files.len();
    diagnostics.sort();
    summary.elapsed = started.elapsed();
    Ok(Rendering {
        catalog,
        files,
        report: Report {
            diagnostics,
            summary,
        },
    })
}

/// `newswire check`: everything but writing.
pub fn check(settings: &Settings) -> Result<Report, Error> {
    Ok(render(settings)?.report)
}

/// `newswire build`: renders everything in memory, then writes it atomically.
pub fn build(settings: &Settings) -> Result<Report, Error> {
    let started = Instant::now();
    write::check_output(&settings.input, &settings.output)?;
    let Rendering {
        files, mut report, ..
    } = render(settings)?;
    report.summary.written = Some(write::write_all(&settings.output, &files)?);
    report.summary.elapsed = started.elapsed();
    Ok(report)
}
