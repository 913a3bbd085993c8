//! The stages in order: ingest → normalise → group → render → write. Nothing else lives here.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use std::sync::Arc;

use crate::cache::{self, Cache, Kept, Lookup, Record, Stamp};
use crate::config::Settings;
use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::group::{self, Catalog};
use crate::model::{Head, Provider, Rendered};
use crate::normalise::{self, Normalised, Outcome};
use crate::render;
use crate::store::Store;
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
        severity.count_in(&self.diagnostics)
    }
}

/// How a run uses the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Reads it and (builds) adds to it.
    Normal,
    /// Ignores what is there and starts it anew: its items turned out damaged.
    Fresh,
    /// Keeps items in memory: starting the cache anew did not work either (its disk is failing).
    Off,
}

/// Reads, normalises and groups: the catalogue of feeds and the report so far.
/// Uses the cache when there is one, as `cache` says, and updates it only when `update_cache`
/// (so `check` writes nothing at all).
pub fn prepare(
    settings: &Settings,
    progress: &dyn Progress,
    update_cache: bool,
    cache: CacheUse,
) -> Result<(Catalog, Report), Error> {
    let started = Instant::now();
    // Walking the input (system calls) and decoding the cache's index (CPU) overlap.
    ingest::input_folder(&settings.input)?;
    let (discovered, (mut cache, store)) = rayon::join(
        || ingest::discover(&settings.input),
        || match (&settings.cache_dir, cache) {
            (Some(dir), CacheUse::Normal | CacheUse::Fresh) => {
                Cache::open(dir, settings, update_cache, cache == CacheUse::Fresh)
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

    progress.start("reading", found.len());
    let (cached, gone) = cache.pair(&found);
    let shared = std::sync::Mutex::new(Shared::default());
    let results: Vec<(Option<Stamp>, Record, bool)> = found
        .par_iter()
        .zip(cached)
        .map(|(file, entry)| {
            let (stamp, mut record, changed) = read_article(file, settings, entry, &store);
            // (Heads from the cache already share its tables' providers and names.)
            if let (true, Kept::Item(head)) = (changed, &mut record.outcome) {
                shared.lock().unwrap_or_else(|e| e.into_inner()).share(head);
            }
            progress.step();
            (stamp, record, changed)
        })
        .collect();
    drop(shared);
    let parsed = started.elapsed();
    // Save the cache only when something in it would change.
    let unchanged = gone.is_empty() && results.iter().all(|r| !r.2);
    if update_cache && !unchanged {
        let entries = found
            .iter()
            .zip(&results)
            .map(|(file, (stamp, record, changed))| {
                (file.path.as_path(), *stamp, record, *changed)
            });
        cache.save(&store, settings, entries, &gone);
    } else {
        store.seal();
    }
    drop_later(found);
    let cached = started.elapsed();

    let mut items: Vec<Box<Head>> = Vec::with_capacity(results.len());
    for (_, record, _) in results {
        diagnostics.extend(record.diagnostics);
        match record.outcome {
            Kept::Item(head) => match normalise::hold_back(&head, record.date_line, settings.now) {
                Some(warning) => {
                    diagnostics.push(warning);
                    summary.held_back += 1;
                }
                None => items.push(head),
            },
            Kept::Unpublished => summary.unpublished += 1,
            Kept::Rejected => summary.rejected += 1,
        }
    }

    let grouping = group::Grouping {
        limit: settings.limit,
        merge_related: settings.merge_related,
    };
    let (catalog, duplicates) = group::group(items, store, grouping);
    diagnostics.extend(duplicates);
    summary.published = catalog.items.len();
    diagnostics.sort();
    summary.elapsed = started.elapsed();
    summary.stages = vec![
        ("discover+cache load", discovered),
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

/// One copy of every provider and topic name, however many heads carry it.
#[derive(Default)]
struct Shared {
    providers: rustc_hash::FxHashSet<Arc<Provider>>,
    topics: rustc_hash::FxHashSet<Arc<str>>,
}

impl Shared {
    fn share(&mut self, head: &mut Head) {
        if let Some(provider) = head.provider.take() {
            head.provider = Some(one(&mut self.providers, provider));
        }
        for topic in head.topics.iter_mut() {
            *topic = one(&mut self.topics, std::mem::replace(topic, Arc::from("")));
        }
    }
}

fn one<T: ?Sized + Eq + std::hash::Hash>(
    set: &mut rustc_hash::FxHashSet<Arc<T>>,
    value: Arc<T>,
) -> Arc<T> {
    match set.get(&value) {
        Some(shared) => Arc::clone(shared),
        None => {
            set.insert(Arc::clone(&value));
            value
        }
    }
}

/// One article file (as found) → what normalise makes of it, from its cache entry when the
/// file is unchanged, with the stamp to cache it under (none when it could not be read) and
/// whether the cache's entry for it changed. A new item goes into `store`.
fn read_article(
    file: &ingest::Found,
    settings: &Settings,
    entry: Option<(Stamp, Record)>,
    store: &Store,
) -> (Option<Stamp>, Record, bool) {
    let (path, peek) = (file.path.as_path(), file.stamp);
    let size = peek.map(|(size, _)| size);
    let read = || ingest::read_sized(path, settings.max_file_size, size).ok();
    let cached = entry.as_ref().map(|(stamp, _)| *stamp);
    let bytes = match cache::lookup(entry, peek, read) {
        // Touched but the same bytes: the record stands, under a fresh stamp.
        Lookup::Hit(stamp, record) => return (Some(stamp), record, cached != Some(stamp)),
        Lookup::Changed(bytes) => bytes,
        Lookup::Miss => match ingest::read_sized(path, settings.max_file_size, size) {
            Ok(bytes) => bytes,
            Err(diagnostic) => return (None, keep(Normalised::failed(diagnostic), store), true),
        },
    };
    let stamp = peek.map(|(size, mtime)| Stamp {
        size,
        mtime,
        sum: Stamp::hash(&bytes),
    });
    let normalised =
        match ingest::decode(path, bytes).and_then(|text| ingest::parse_text(path, &text)) {
            Ok(parsed) => normalise::normalise(&parsed, settings),
            Err(diagnostic) => Normalised::failed(diagnostic),
        };
    (stamp, keep(normalised, store), true)
}

/// What normalise made of a file, its item put into `store`.
fn keep(normalised: Normalised, store: &Store) -> Record {
    let outcome = match normalised.outcome {
        Outcome::Item(item) => Kept::Item(Box::new(Head::new(&item, store.put(&item)))),
        Outcome::Unpublished => Kept::Unpublished,
        Outcome::Rejected => Kept::Rejected,
    };
    Record {
        outcome,
        diagnostics: normalised.diagnostics,
        date_line: normalised.date_line,
    }
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
    without_damage(|cache| check_once(settings, progress, validate, cache))
}

/// Runs `run`, and again when the cache's items turn out damaged: with a fresh cache, then
/// without one, which cannot be damaged.
fn without_damage(run: impl Fn(CacheUse) -> Result<Report, Error>) -> Result<Report, Error> {
    let mut result = run(CacheUse::Normal);
    for next in [CacheUse::Fresh, CacheUse::Off] {
        if !matches!(result, Err(Error::Cache { .. })) {
            break;
        }
        result = run(next);
    }
    result
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
    let (catalog, mut report) = prepare(settings, progress, false, cache)?;
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
    without_damage(|cache| build_once(settings, progress, validate, cache))
}

fn build_once(
    settings: &Settings,
    progress: &dyn Progress,
    validate: bool,
    cache: CacheUse,
) -> Result<Report, Error> {
    let started = Instant::now();
    write::check_output(&settings.input, &settings.output)?;
    let (catalog, mut report) = prepare(settings, progress, true, cache)?;
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
    let plan = renderer.plan();
    let written = write::write_planned(&settings.output, &plan, &|i| {
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
    drop(renderer);
    // The store first, here: it holds the cache's lock, which the next build (watch, serve)
    // must find free.
    let Catalog {
        items,
        topics,
        feeds,
        store,
    } = catalog;
    drop(store);
    drop_later((items, topics, feeds));
    Ok(report)
}

/// Drops `value` on another thread: freeing a catalogue's hundreds of thousands of small
/// allocations takes a tenth of a rebuild, and nothing waits for it (a process that exits
/// first leaves it to the OS).
fn drop_later<T: Send + 'static>(value: T) {
    // When no thread can be spawned, the value is dropped right here, as usual.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
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
                let options = newswire_validate::Options {
                    location: Some(render::site_url(&settings.site, &file.path)),
                    now: Some(settings.now),
                };
                let path = settings.output.join(&file.path);
                found = newswire_validate::validate(&file.bytes, &options)
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
