//! The stages in order: ingest → normalise → group → render → write. Nothing else lives here.

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::{self, Cache, Lookup, Stamp};
use crate::config::Settings;
use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::group::{self, Catalog};
use crate::model::{Item, Rendered};
use crate::normalise::{self, Normalised, Outcome};
use crate::render;
use crate::write::{self, WriteStats};
use crate::{ingest, validate};

/// Told how far a run has got, so a front end can draw a progress bar. Called from worker
/// threads. The library draws nothing itself.
pub trait Progress: Sync {
    /// A stage with `total` steps begins.
    fn start(&self, stage: &'static str, total: usize);
    /// One more step of the current stage is done.
    fn step(&self);
    /// The run is over.
    fn finish(&self);
}

/// Progress that goes nowhere.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: &'static str, _: usize) {}
    fn step(&self) {}
    fn finish(&self) {}
}

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
    /// Wall time of each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// The result of a run: every diagnostic, sorted by file and line, and the counts.
#[derive(Debug, Default)]
pub struct Report {
    /// Per-article problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub summary: Summary,
}

impl Summary {
    /// Records the files a run produced and the time of its last stage.
    fn finish(&mut self, renderer: &render::Renderer<'_>, stage: &'static str, started: Instant) {
        self.feeds = renderer.feed_count();
        self.files = renderer.len();
        let before = self.elapsed;
        self.elapsed = started.elapsed();
        self.stages.push((stage, self.elapsed - before));
    }
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

/// Reads, normalises and groups: the catalogue of feeds and the report so far.
/// Uses the cache when there is one, and updates it only when `update_cache` (so `check`
/// writes nothing at all).
pub fn prepare(
    settings: &Settings,
    progress: &dyn Progress,
    update_cache: bool,
) -> Result<(Catalog, Report), Error> {
    let started = Instant::now();
    let (paths, mut diagnostics) = ingest::discover(&settings.input)?;
    let discovered = started.elapsed();
    let mut summary = Summary {
        read: paths.len(),
        rejected: diagnostics.len(),
        ..Summary::default()
    };

    progress.start("reading", paths.len());
    let (cached, same_files) = match &settings.cache_dir {
        Some(dir) => Cache::load(dir, settings).pair(&paths),
        None => (paths.iter().map(|_| None).collect(), false),
    };
    let results: Vec<(Option<Stamp>, Normalised, bool)> = paths
        .par_iter()
        .zip(cached)
        .map(|(path, entry)| {
            let result = read_article(path, settings, entry);
            progress.step();
            result
        })
        .collect();
    let parsed = started.elapsed();
    // Rewrite the cache only when something in it would change.
    let all_hits = same_files && results.iter().all(|r| r.2);
    if let Some(dir) = settings
        .cache_dir
        .as_ref()
        .filter(|_| update_cache && !all_hits)
    {
        let entries = paths
            .iter()
            .zip(&results)
            .filter_map(|(path, (stamp, normalised, _))| {
                Some((path.as_path(), (*stamp)?, normalised))
            })
            .collect();
        Cache::save(dir, settings, entries);
    }
    let cached = started.elapsed();

    // Boxed, as normalise made them: grouping sorts and moves pointers, not the items.
    let mut items: Vec<Box<Item>> = Vec::with_capacity(results.len());
    for (_, normalised, _) in results {
        diagnostics.extend(normalised.diagnostics);
        match normalised.outcome {
            Outcome::Item(item) => {
                match normalise::hold_back(&item, normalised.date_line, settings.now) {
                    Some(warning) => {
                        diagnostics.push(warning);
                        summary.held_back += 1;
                    }
                    None => items.push(item),
                }
            }
            Outcome::Unpublished => summary.unpublished += 1,
            Outcome::Rejected => summary.rejected += 1,
        }
    }

    let grouping = group::Grouping {
        limit: settings.limit,
        merge_related: settings.merge_related,
    };
    let (catalog, duplicates) = group::group(items, grouping);
    diagnostics.extend(duplicates);
    summary.published = catalog.items.len();
    diagnostics.sort();
    summary.elapsed = started.elapsed();
    summary.stages = vec![
        ("discover", discovered),
        ("parse+normalise", parsed - discovered),
        ("cache save", cached - parsed),
        ("group", summary.elapsed - cached),
    ];
    Ok((
        catalog,
        Report {
            diagnostics,
            summary,
        },
    ))
}

/// One article file → what normalise makes of it, from its cache entry when the file is
/// unchanged, with the stamp to cache it under (none when it could not be read) and whether it
/// came from the cache.
fn read_article(
    path: &Path,
    settings: &Settings,
    entry: Option<(Stamp, Normalised)>,
) -> (Option<Stamp>, Normalised, bool) {
    let peek = Stamp::peek(path);
    let read = || ingest::read_bytes(path, settings.max_file_size).ok();
    let bytes = match cache::lookup(entry, peek, read) {
        Lookup::Hit(stamp, normalised) => return (Some(stamp), normalised, true),
        Lookup::Changed(bytes) => bytes,
        Lookup::Miss => match ingest::read_bytes(path, settings.max_file_size) {
            Ok(bytes) => bytes,
            Err(diagnostic) => return (None, Normalised::failed(diagnostic), false),
        },
    };
    let stamp = peek.map(|(size, mtime)| Stamp {
        size,
        mtime,
        sha256: Stamp::hash(&bytes),
    });
    let normalised =
        match ingest::decode(path, bytes).and_then(|text| ingest::parse_text(path, &text)) {
            Ok(parsed) => normalise::normalise(&parsed, settings),
            Err(diagnostic) => Normalised::failed(diagnostic),
        };
    (stamp, normalised, false)
}

/// `newswire check`: everything but writing (every file is rendered, then dropped).
pub fn check(settings: &Settings, progress: &dyn Progress) -> Result<Report, Error> {
    check_with(settings, progress, false)
}

/// `newswire check`, and with `validate` also the built-in feed validator over every feed
/// rendered (`check --validate`).
pub fn check_with(
    settings: &Settings,
    progress: &dyn Progress,
    validate: bool,
) -> Result<Report, Error> {
    let started = Instant::now();
    // The same refusals as `build`, so `check` predicts its exit status.
    write::check_output(&settings.input, &settings.output)?;
    let (catalog, mut report) = prepare(settings, progress, false)?;
    let renderer = render::Renderer::new(&settings.site, &catalog);
    if validate {
        let (_, findings) = render_and_validate(settings, &renderer, progress)?;
        report.diagnostics.extend(findings);
    } else {
        progress.start("rendering", renderer.len());
        (0..renderer.len()).into_par_iter().try_for_each(|i| {
            renderer.render(i).map(drop)?;
            progress.step();
            Ok::<_, Error>(())
        })?;
        progress.finish();
    }
    report.summary.finish(&renderer, "render", started);
    Ok(report)
}

/// `newswire build`: renders every file and writes it atomically, a few at a time.
pub fn build(settings: &Settings, progress: &dyn Progress) -> Result<Report, Error> {
    build_with(settings, progress, false)
}

/// `newswire build`; with `validate` (`build --validate`), every file is rendered first and
/// every feed checked by the built-in validator, and nothing at all is written when it finds
/// an error.
pub fn build_with(
    settings: &Settings,
    progress: &dyn Progress,
    validate: bool,
) -> Result<Report, Error> {
    let started = Instant::now();
    write::check_output(&settings.input, &settings.output)?;
    let (catalog, mut report) = prepare(settings, progress, true)?;
    let renderer = render::Renderer::new(&settings.site, &catalog);
    // With `validate`, every file is rendered (and checked) up front and written from memory.
    let mut rendered: Vec<std::sync::Mutex<Option<Rendered>>> = Vec::new();
    if validate {
        let (files, findings) = render_and_validate(settings, &renderer, progress)?;
        let failed = findings.iter().any(|d| d.severity == Severity::Error);
        report.diagnostics.extend(findings);
        if failed {
            report.summary.finish(&renderer, "render+validate", started);
            return Ok(report);
        }
        rendered = files
            .into_iter()
            .map(|r| std::sync::Mutex::new(Some(r)))
            .collect();
    }
    progress.start("writing", renderer.len());
    let written = write::write_planned(&settings.output, &renderer.plan(), &|i| {
        let ready = rendered
            .get(i)
            .and_then(|slot| slot.lock().ok().and_then(|mut r| r.take()));
        let file = ready.map_or_else(|| renderer.render(i), Ok);
        progress.step();
        file
    });
    progress.finish();
    let written = written?;
    report.summary.written = Some(written);
    report.summary.finish(&renderer, "render+write", started);
    Ok(report)
}

/// Renders every file and runs the built-in validator over every feed among them, as
/// published at the site's base URL (so self links are checked) at the build's `now`.
/// Findings name the file in the output folder.
pub fn render_and_validate(
    settings: &Settings,
    renderer: &render::Renderer<'_>,
    progress: &dyn Progress,
) -> Result<(Vec<Rendered>, Vec<Diagnostic>), Error> {
    progress.start("validating", renderer.len());
    let results: Vec<(Rendered, Vec<Diagnostic>)> = (0..renderer.len())
        .into_par_iter()
        .map(|i| {
            let file = renderer.render(i)?;
            let mut found = Vec::new();
            if file.feed.is_some() {
                let options = validate::Options {
                    location: Some(render::site_url(&settings.site, &file.path)),
                    now: Some(settings.now),
                };
                let path = settings.output.join(&file.path);
                found = validate::validate(&file.bytes, &options)
                    .findings
                    .iter()
                    .map(|f| validate::diagnostic(&path, f))
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
