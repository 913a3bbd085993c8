//! The stages in order: ingest → article (then dating) → group → render → write. Nothing else
//! lives here: each stage's policy is in its own module, and storage is behind
//! [`crate::cache`].

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::article;
use crate::cache::{self, Cache, CacheUse, Store};
use crate::config::Settings;
use crate::dating::Dating;
use crate::diag::{Code, Diagnostic, Severity};
use crate::error::Error;
use crate::group::{self, Catalog};
use crate::model::{FirstSeen, Head, Item, Rendered};
use crate::render;
use crate::write::{self, WriteStats};
use crate::{ingest, validate};

pub use crate::progress::{Progress, Silent};

/// Counts for the one-line summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Article files found (files skipped as not articles are not counted).
    pub read: usize,
    /// Items published (after deduplication).
    pub published: usize,
    /// `published: false` / `removed: true`.
    pub unpublished: usize,
    /// Dated in the future.
    pub held_back: usize,
    /// Left out because of errors.
    pub rejected: usize,
    /// How many items without a date of their own were dated by the input's git history, by
    /// a first-seen record, and by this build's `--now`.
    pub dated_by: crate::dating::Sources,
    /// Left out by a documented rule: profiles (people, companies) are not feed items.
    pub excluded: usize,
    /// Files skipped as not articles at all (a README without front matter), by path.
    pub skipped: Vec<std::path::PathBuf>,
    /// Published items of each kind whose `type` newswire does not know (each is a kind of its
    /// own, reported once here rather than once per file).
    pub other_kinds: std::collections::BTreeMap<String, usize>,
    /// Warnings left out of the report because their code is in the config's `quiet` list.
    pub silenced: usize,
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
    /// The archive plan: each archived feed's pages (empty when no feed is archived).
    pub archive: Vec<ArchivePlan>,
}

/// One archived feed's archive pages, as a build plans them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ArchivePlan {
    /// The feed's folder below the output folder (`""` for the feed of everything).
    pub dir: String,
    /// Items on each page, page 1 (the oldest) first.
    pub pages: Vec<usize>,
    /// Pages whose files the previous build did not write as they are planned now (new or
    /// changed), in any format.
    pub changed: usize,
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
        severity.count_in(&self.diagnostics)
    }

    /// Leaves out the warnings whose code is in `quiet` (the config's `quiet` list), counting
    /// them in [`Summary::silenced`]. Errors are never silenced: each one explains why a file
    /// is missing from the feeds.
    fn silence(mut self, quiet: &[Code]) -> Report {
        if !quiet.is_empty() {
            let before = self.diagnostics.len();
            self.diagnostics
                .retain(|d| d.severity == Severity::Error || !quiet.contains(&d.code));
            self.summary.silenced += before - self.diagnostics.len();
        }
        self
    }
}

/// Reads, normalises, dates and groups: the catalogue of feeds, the store its items are in, the
/// report so far, and the first-seen dates for the manifest (`None`: no item was undated).
/// Uses the cache when there is one, as `cache` says, and updates it only when `update_cache`
/// (so `check` writes nothing at all; nor does it date an item by its clock, which it could
/// not record).
pub fn prepare(
    settings: &Settings,
    progress: &dyn Progress,
    update_cache: bool,
    cache: CacheUse,
) -> Result<(Catalog, Store, Report, Option<FirstSeen>), Error> {
    let started = Instant::now();
    // Walking the input (system calls) and decoding the cache's index (CPU) overlap.
    ingest::input_folder(&settings.input)?;
    let (discovered, (mut cache, store)) = rayon::join(
        || ingest::discover(&settings.input),
        || match (&settings.cache_dir, cache) {
            (Some(dir), CacheUse::Normal | CacheUse::Fresh) => {
                Cache::open(dir, &settings.items, update_cache, cache == CacheUse::Fresh)
            }
            _ => (Cache::default(), Store::memory()),
        },
    );
    let (found, mut diagnostics) = discovered?;
    let discovered = started.elapsed();
    let mut summary = Summary {
        read: found.len(),
        rejected: diagnostics.len(),
        ..Summary::default()
    };

    let (cached, gone) = cache.pair(found.iter().map(|f| f.path.as_path()));
    let read = article::read_all(&found, cached, &settings.items, &store, progress);
    let parsed = started.elapsed();
    let (skipped, not_articles) = article::skipped(&found, &read);
    summary.skipped = skipped;
    summary.read -= not_articles;
    // Save the cache only when something in it would change.
    let unchanged = gone.is_empty() && read.iter().all(|r| !r.changed);
    if update_cache && !unchanged {
        let entries = (found.iter().zip(&read))
            .map(|(file, r)| (file.path.as_path(), r.stamp, &r.record, r.changed));
        cache.save(&store, &settings.items, entries, &gone);
    } else {
        store.seal();
    }
    let cached = started.elapsed();

    let dating = || {
        let recorded = write::Manifest::previous(&settings.output).map(|m| m.first_seen);
        Dating::new(
            &settings.input,
            settings.now,
            update_cache,
            recorded.unwrap_or_default(),
        )
    };
    let publishable = article::publishable(&found, read, settings.now, dating);
    drop_later(found);
    let counts = publishable.counts;
    diagnostics.extend(publishable.diagnostics);
    summary.unpublished = counts.unpublished;
    summary.held_back = counts.held_back;
    summary.rejected += counts.rejected;
    summary.excluded = counts.excluded;
    summary.dated_by = publishable.dated_by;
    let (mut catalog, duplicates) = group::group(publishable.heads, &grouping(settings));
    group::resolve_members(&mut catalog, &store);
    diagnostics.extend(duplicates);
    summary.published = catalog.items.len();
    summary.other_kinds = catalog.other_kinds();
    diagnostics.sort();
    summary.elapsed = started.elapsed();
    summary.stages = vec![
        ("discover+cache load", discovered),
        ("parse+normalise", parsed - discovered),
        ("cache save", cached - parsed),
        ("group", summary.elapsed - cached),
    ];
    let report = Report {
        diagnostics,
        summary,
    };
    Ok((catalog, store, report, publishable.first_seen))
}

fn grouping(settings: &Settings) -> group::Grouping {
    group::Grouping {
        limit: settings.limit,
        merge_related: settings.merge_related,
        facets: settings.facets,
        include: settings.include.clone(),
        definitions: settings.feeds.clone(),
        archive: settings.paging.archive,
    }
}

/// Groups and renders items at hand (for tests and tools such as the fuzz targets): every
/// file a build of them would write, and grouping's diagnostics.
pub fn render_items(
    items: Vec<Box<Item>>,
    settings: &Settings,
) -> Result<(Vec<Rendered>, Vec<Diagnostic>), Error> {
    let store = Store::memory();
    // Undated items are dated now, as a first build without history would.
    let heads = (items.iter())
        .map(|item| {
            let mut head = Head::new(item, store.put(item));
            if !head.dated {
                head.published = settings.now;
            }
            Box::new(head)
        })
        .collect();
    let (mut catalog, diagnostics) = group::group(heads, &grouping(settings));
    group::resolve_members(&mut catalog, &store);
    Ok((
        render::render_all(&settings.site, &catalog, &store)?,
        diagnostics,
    ))
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
    cache::recovering(|cache| check_once(settings, progress, validate, cache))
        .map(|report| report.silence(&settings.quiet))
}

fn check_once(
    settings: &Settings,
    progress: &dyn Progress,
    validate: bool,
    cache: CacheUse,
) -> Result<Report, Error> {
    let started = Instant::now();
    // The same refusals as `build`, so `check` predicts its exit status.
    write::check_output(&settings.input, &settings.output)?;
    let (mut catalog, store, mut report, _) = prepare(settings, progress, false, cache)?;
    let renderer = plan_documents(settings, &mut catalog, &store, &mut report);
    if !settings.force {
        let paths = renderer.paths();
        write::check_ownership(&settings.output, paths.iter().map(String::as_str))?;
    }
    if validate {
        let (_, findings) = validate::render_and_validate(settings, &renderer, progress)?;
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
    cache::recovering(|cache| build_once(settings, progress, validate, cache))
        .map(|report| report.silence(&settings.quiet))
}

fn build_once(
    settings: &Settings,
    progress: &dyn Progress,
    validate: bool,
    cache: CacheUse,
) -> Result<Report, Error> {
    let started = Instant::now();
    write::check_output(&settings.input, &settings.output)?;
    let (mut catalog, store, mut report, first_seen) = prepare(settings, progress, true, cache)?;
    let renderer = plan_documents(settings, &mut catalog, &store, &mut report);
    // With `validate`, every file is rendered (and checked) up front and written from memory.
    let mut rendered: Vec<std::sync::Mutex<Option<Rendered>>> = Vec::new();
    if validate {
        let (files, findings) = validate::render_and_validate(settings, &renderer, progress)?;
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
    let plan = renderer.plan();
    let written = write::write_planned(
        &settings.output,
        &plan,
        renderer.order(),
        &|i| {
            let ready = rendered
                .get(i)
                .and_then(|slot| slot.lock().ok().and_then(|mut r| r.take()));
            let file = ready.map_or_else(|| renderer.render(i), Ok);
            progress.step();
            file
        },
        write::Records {
            first_seen: first_seen.as_ref(),
            pages: Some(&renderer.archives().state).filter(|s| !s.is_empty()),
            tombstones: renderer.tombstones(),
        },
        write::Ownership::forced(settings.force),
        progress,
    );
    progress.finish();
    let written = written?;
    report.summary.written = Some(written);
    report.summary.finish(&renderer, "render+write", started);
    drop(renderer);
    // The store first, here: it holds the cache's lock, which the next build (watch, serve)
    // must find free.
    drop(store);
    drop_later(catalog);
    Ok(report)
}

/// Plans every document: each subscription document cut to `max_bytes` (a warning per feed
/// that left items out), and the archive pages of the archived feeds, which keep the pages
/// the previous build's manifest records.
fn plan_documents<'a>(
    settings: &'a Settings,
    catalog: &'a mut Catalog,
    store: &'a Store,
    report: &mut Report,
) -> render::Renderer<'a> {
    let archived = catalog.feeds.iter().any(|f| f.archive);
    let previous = (archived || settings.paging.tombstones)
        .then(|| write::Manifest::previous(&settings.output))
        .flatten();
    let paging = &settings.paging;
    let archives = render::plan_archives(
        &settings.site,
        paging,
        catalog,
        store,
        previous.as_ref().map(|m| &m.archives),
    );
    for (dir, left_out) in &archives.cut {
        report.diagnostics.push(Diagnostic::new(
            &settings.output.join(dir),
            1,
            1,
            Severity::Warning,
            Code::OverBudget,
            format!(
                "over max_bytes ({}): the oldest {left_out} item(s) are left out of this feed's documents{}",
                paging.max_bytes,
                if catalog.feeds.iter().any(|f| &f.dir == dir && f.archive) {
                    " (they are on its archive pages)"
                } else {
                    ""
                }
            ),
        ));
    }
    if !archives.cut.is_empty() {
        report.diagnostics.sort();
    }
    let mut renderer =
        render::Renderer::with_archives(&settings.site, catalog, store, archives, paging.max_bytes);
    if paging.tombstones {
        let tombstones = render::tombstones::plan(
            catalog,
            previous.as_ref().map(|m| &m.tombstones),
            settings.now,
            paging.tombstone_days,
        );
        renderer = renderer.with_tombstones(tombstones);
    }
    if archived {
        report.summary.archive = archive_plan(&renderer, previous.as_ref());
    }
    renderer
}

/// Each archived feed's pages, and how many of them differ from what the previous build
/// (`previous`, its manifest) wrote.
fn archive_plan(
    renderer: &render::Renderer<'_>,
    previous: Option<&write::Manifest>,
) -> Vec<ArchivePlan> {
    let written: std::collections::HashMap<&str, Option<&str>> = previous
        .map(|m| {
            (m.feeds.iter())
                .map(|f| (f.path.as_str(), f.input.as_deref()))
                .collect()
        })
        .unwrap_or_default();
    let plan = renderer.page_plan();
    let mut feeds: Vec<ArchivePlan> = Vec::new();
    for (page, files) in renderer.archives().pages.iter().zip(plan) {
        if feeds.last().is_none_or(|f| f.dir != page.items.dir) {
            feeds.push(ArchivePlan {
                dir: page.items.dir.clone(),
                ..ArchivePlan::default()
            });
        }
        if let Some(feed) = feeds.last_mut() {
            feed.pages.push(page.items.items.len());
            let same = files
                .iter()
                .all(|p| written.get(p.path.as_str()) == Some(&p.input.as_deref()));
            feed.changed += usize::from(!same);
        }
    }
    feeds
}

/// Drops `value` on another thread: freeing a catalogue's hundreds of thousands of small
/// allocations takes a tenth of a rebuild, and nothing waits for it (a process that exits
/// first leaves it to the OS).
fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be spawned, the value is dropped right here, as usual.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}
