//! The `newswire` binary: parse arguments, run the library, print the report, exit.

mod cli;
mod print;
mod sarif;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use newswire::config::{Overrides, Settings};
use newswire::diag::{Format, Severity};
use newswire::pipeline::{self, Report};

use cli::{BuildArgs, Cli, Command, FormatArg, PingArgs, PingFormat, ReportFormat, ValidateArgs};

// Builds allocate many small strings on every core; mimalloc's per-thread heaps cut the
// allocator's share of a build's time from about a fifth to a few percent.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3's `mi_option_purge_delay`: the 16th entry of `mi_option_t` in its `mimalloc.h`
/// (the bindings name only the options of version 2, where it sat elsewhere).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long (ms) freed memory stays with mimalloc before it goes back to the system. Version 3
/// keeps it a second by default, so a build's peak counted memory a parse had already freed.
/// At 100,000 articles: 1000 ms peaks at about 112 MiB; 30 ms at 97 MiB, with the one-article
/// rebuild as fast as at 1000 (0.21 s); 10 ms at 93 MiB, but the rebuild then costs 0.03 s more
/// in purging.
const PURGE_DELAY_MS: std::ffi::c_long = 30;

fn main() -> ExitCode {
    // mimalloc's own environment variable still has the last word.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, a plain integer it reads atomically;
        // called before any other thread starts.
        unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS) };
    }
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_once(args, true),
        Command::Check(args) => run_once(args, false),
        Command::Watch(args) => watch(args, None),
        Command::Serve(args) => watch(args.build, Some(args.port)),
        Command::Validate(args) => validate(args),
        Command::Ping(args) => ping(args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "newswire", &mut script);
            print_data(&script)
        }
        Command::Man { dir } => man(dir),
    }
}

/// `man`: the manual page on stdout, or every page (the main one and one per subcommand, which
/// it refers to) written into `dir`.
fn man(dir: Option<std::path::PathBuf>) -> ExitCode {
    use clap::CommandFactory;
    if let Some(dir) = dir {
        return match clap_mangen::generate_to(Cli::command(), &dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                let _ = writeln!(
                    io::stderr(),
                    "newswire: error: cannot write manual pages to {}: {err}",
                    dir.display()
                );
                ExitCode::from(2)
            }
        };
    }
    let mut page = Vec::new();
    if clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .is_err()
    {
        return ExitCode::from(2);
    }
    print_data(&page)
}

/// What to print and how, from the flags.
#[derive(Clone, Copy)]
struct Output {
    format: Format,
    quiet: bool,
    verbose: bool,
    strict: bool,
}

impl Output {
    fn of(args: &BuildArgs) -> Output {
        Output {
            format: format(args.format),
            quiet: args.quiet,
            verbose: args.verbose,
            strict: args.strict,
        }
    }
}

/// The diagnostics format (printed on stderr): human ones in colour only on a terminal, and
/// never with `NO_COLOR`.
fn format(arg: FormatArg) -> Format {
    match arg {
        FormatArg::Human => human_format(io::stderr().is_terminal()),
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    }
}

/// The human format, in colour when printed on a terminal (`terminal`) without `NO_COLOR`.
fn human_format(terminal: bool) -> Format {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if terminal && !no_color {
        Format::HumanColour
    } else {
        Format::Human
    }
}

/// `validate`: the built-in validator over feed files and URLs. The findings are its product,
/// so they go to stdout (`newswire validate --format json | jq` works); the summary line and
/// errors go to stderr.
fn validate(args: ValidateArgs) -> ExitCode {
    if args.messages {
        let mut list = String::new();
        for m in newswire_validate::Message::ALL {
            list.push_str(&format!("{}\t{}\t{}\n", m.name(), m.severity(), m.text()));
        }
        return print_data(list.as_bytes());
    }
    if let Some(name) = &args.explain {
        return explain(name);
    }
    let paths = if args.paths.is_empty() {
        vec![std::path::PathBuf::from("out")]
    } else {
        args.paths
    };
    let base_url = args
        .base_url
        .map(|b| if b.ends_with('/') { b } else { format!("{b}/") });
    let started = std::time::Instant::now();
    let timeout = std::time::Duration::from_secs(args.timeout);
    let report =
        match newswire::validate::validate_paths(&paths, base_url.as_deref(), args.now, timeout) {
            Ok(report) => report,
            Err(err) => return fatal(&err),
        };
    let human = args.format == ReportFormat::Human;
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    if report.feeds() == 0 && report.diagnostics.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "newswire: error: no RSS 2.0, Atom 1.0 or JSON Feed files found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return ExitCode::from(2);
    }
    let findings = match args.format {
        ReportFormat::Sarif => sarif::log(&report.diagnostics) + "\n",
        other => {
            let format = match other {
                ReportFormat::Json => Format::Json,
                ReportFormat::Github => Format::Github,
                _ => human_format(io::stdout().is_terminal()),
            };
            (report.diagnostics.iter())
                .map(|d| d.render(format) + "\n")
                .collect()
        }
    };
    if print_data(findings.as_bytes()) != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
    if !args.quiet && human {
        let mut err = io::stderr().lock();
        let [rss, atom, json] = report.checked;
        let mut line = format!(
            "newswire: validated {} feeds ({rss} RSS, {atom} Atom, {json} JSON Feed): {errors} errors, {warnings} warnings",
            report.feeds()
        );
        if !report.skipped.is_empty() {
            line.push_str(&format!("; {} other files skipped", report.skipped.len()));
        }
        let _ = writeln!(err, "{line}");
        if args.verbose {
            for path in &report.skipped {
                let _ = writeln!(err, "newswire:   skipped {}", path.display());
            }
            let took = started.elapsed().as_secs_f64();
            let _ = writeln!(err, "newswire:   took {took:.3}s");
        }
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `ping`: tell the hubs of the changed feeds; the report on stderr (a line per failed
/// request, then the summary) or as JSON on stdout; with `--dry-run`, the requests on stdout.
fn ping(args: PingArgs) -> ExitCode {
    use newswire::ping::{self, Options};
    let overrides = Overrides {
        config: args.config,
        output: args.output,
        base_url: args.base_url,
        ..Overrides::default()
    };
    let options = Options {
        timeout: args.timeout,
        retries: args.retries,
        concurrency: usize::from(args.concurrency),
        dry_run: args.dry_run,
    };
    let report = match Settings::load(overrides).and_then(|s| ping::ping(&s, &options)) {
        Ok(report) => report,
        Err(err) => return fatal(&err),
    };
    let data = match args.format {
        PingFormat::Json => {
            let sent: Vec<serde_json::Value> = (report.sent.iter())
                .map(|s| {
                    serde_json::json!({
                        "hub": s.request.hub.as_str(),
                        "feeds": s.request.topics.iter().map(|t| t.url.as_str()).collect::<Vec<_>>(),
                        "body": s.request.body(),
                        "sent": s.result.is_some(),
                        "ok": s.ok(),
                        "attempts": s.attempts,
                        "status": match &s.result {
                            Some(Ok(status)) => Some(*status),
                            Some(Err(ping::Failure::Status(status, _) | ping::Failure::Redirect(status, _))) => Some(*status),
                            _ => None,
                        },
                        "error": match &s.result {
                            Some(Err(failure)) => Some(failure.to_string()),
                            _ => None,
                        },
                    })
                })
                .collect();
            let json = serde_json::json!({
                "hubs": report.hubs,
                "feeds": report.feeds(),
                "requests": report.sent.len(),
                "failed": report.failed(),
                "dry_run": report.dry_run,
                "sent": sent,
            });
            format!("{json}\n")
        }
        PingFormat::Human if report.dry_run => (report.sent.iter())
            .map(|s| format!("POST {} {}\n", s.request.hub, s.request.body()))
            .collect(),
        PingFormat::Human => String::new(),
    };
    let mut err = io::stderr().lock();
    // One line per hub that failed: its first failure, and every feed left pending.
    let mut hubs_failed: Vec<&str> = Vec::new();
    for sent in report.sent.iter().filter(|s| s.failed()) {
        if !hubs_failed.contains(&sent.request.hub.as_str()) {
            hubs_failed.push(sent.request.hub.as_str());
        }
    }
    for hub in hubs_failed {
        let failed: Vec<_> = (report.sent.iter())
            .filter(|s| s.failed() && s.request.hub.as_str() == hub)
            .collect();
        let feeds: Vec<&str> = (failed.iter())
            .flat_map(|s| s.request.topics.iter().map(|t| t.url.as_str()))
            .collect();
        let Some(first) = failed.first() else {
            continue;
        };
        let reason = match &first.result {
            Some(Err(failure)) => failure.to_string(),
            _ => String::new(),
        };
        let mut listed = feeds.iter().take(3).copied().collect::<Vec<_>>().join(", ");
        if feeds.len() > 3 {
            listed.push_str(&format!(", … ({} more)", feeds.len() - 3));
        }
        let _ = writeln!(
            err,
            "newswire: error: {hub}: {reason} (after {}); {} failed, {} pending for the next ping: {listed}",
            plural(first.attempts as usize, "attempt"),
            plural(failed.len(), "request"),
            plural(feeds.len(), "feed"),
        );
    }
    let mut summary = format!(
        "newswire: {}, {}, {}, {} failed",
        plural(report.hubs, "hub"),
        plural(report.feeds(), "feed"),
        plural(report.sent.len(), "request"),
        report.failed()
    );
    if report.dry_run {
        summary.push_str(" (dry run: nothing sent)");
    } else if report.sent.is_empty() {
        summary.push_str(" (every feed is as the hubs were last told)");
    }
    let _ = writeln!(err, "{summary}");
    drop(err);
    let printed = print_data(data.as_bytes());
    if report.failed() > 0 {
        ExitCode::from(1)
    } else {
        printed
    }
}

/// `1 hub`, `3 hubs`.
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `validate --explain NAME`: what a message means and how to fix it; a name that is no
/// message is exit status 2, with the nearest names.
fn explain(name: &str) -> ExitCode {
    use newswire_validate::Message;
    let found = Message::from_name(name)
        .or_else(|| (Message::ALL.iter().copied()).find(|m| m.name().eq_ignore_ascii_case(name)));
    let Some(m) = found else {
        let mut near: Vec<(f64, &str)> = (Message::ALL.iter())
            .map(|m| {
                let score = strsim::jaro_winkler(
                    &m.name().to_ascii_lowercase(),
                    &name.to_ascii_lowercase(),
                );
                (score, m.name())
            })
            .collect();
        near.sort_by(|a, b| b.0.total_cmp(&a.0));
        let names: Vec<String> = (near.iter().take(3))
            .map(|(_, n)| format!("`{n}`"))
            .collect();
        let _ = writeln!(
            io::stderr(),
            "newswire: error: no message is named `{name}`; did you mean {}? (`newswire validate --messages` lists them all)",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let text = format!(
        "{} ({})\n\n{}\n\n{}\n",
        m.name(),
        m.severity(),
        m.text(),
        m.explanation().unwrap_or_default()
    );
    print_data(text.as_bytes())
}

/// `build` and `check`.
fn run_once(args: BuildArgs, write: bool) -> ExitCode {
    let output = Output::of(&args);
    let progress = Bar::new(output.quiet);
    let validate = args.validate;
    let result = Settings::load(overrides(args)).and_then(|settings| {
        if write {
            pipeline::build_with(&settings, &progress, validate)
        } else {
            pipeline::check_with(&settings, &progress, validate)
        }
    });
    finish(result, output)
}

/// Prints a run's report (or fatal error) and turns it into the exit status.
fn finish(result: Result<Report, newswire::error::Error>, output: Output) -> ExitCode {
    match result {
        Ok(report) => {
            print_report(&report, output.format, output.quiet, output.verbose);
            exit_code(&report, output.strict)
        }
        Err(err) => fatal(&err),
    }
}

/// Prints a fatal error with its causes; exit status 2.
fn fatal(err: &newswire::error::Error) -> ExitCode {
    let _ = writeln!(io::stderr(), "newswire: error: {}", with_causes(err));
    ExitCode::from(2)
}

/// An error's message followed by its causes, `: `-separated.
fn with_causes(err: &newswire::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    message
}

/// `watch` and `serve`: build, then rebuild on every change of an article or of the config
/// file (settings are loaded again each time, so config edits apply); with a port, also serve
/// the output folder. The port and the watch are set up before the first build, so that a
/// port in use or an input folder that cannot be watched fails at once, and no change made
/// during the first build is missed.
fn watch(args: BuildArgs, port: Option<u16>) -> ExitCode {
    use newswire::watch::{Watched, Watcher};
    let output = Output::of(&args);
    let overrides = overrides(args);
    let config =
        (overrides.config.clone()).unwrap_or_else(|| newswire::config::DEFAULT_CONFIG.into());
    let settings = match Settings::load(overrides.clone()) {
        Ok(settings) => settings,
        Err(err) => return finish(Err(err), output),
    };
    let server = match port {
        Some(port) => {
            let root = settings.output.clone();
            match newswire::serve::Server::start(port, root, warn) {
                Ok(server) => Some(server),
                Err(err) => return fatal(&err),
            }
        }
        None => None,
    };
    let watcher = match Watcher::new(&config, Watched::of(&settings)) {
        Ok(watcher) => watcher,
        Err(err) => return fatal(&err),
    };
    // No bar between rebuilds, only the message that a rebuild waits for another build.
    let progress = Bar::new(true);
    let rebuild = |_: &[std::path::PathBuf]| {
        let settings = Settings::load(overrides.clone());
        let watched = settings.as_ref().ok().map(Watched::of);
        let result = settings.and_then(|settings| pipeline::build(&settings, &progress));
        finish(result, output);
        watched
    };
    rebuild(&[]);
    if let Some(server) = &server {
        let _ = writeln!(
            io::stderr(),
            "newswire: serving {} on http://{}/ (Ctrl-C to stop)",
            settings.output.display(),
            server.addr()
        );
    }
    let _ = writeln!(
        io::stderr(),
        "newswire: watching {} and {} for changes",
        settings.input.display(),
        config.display()
    );
    watcher.run(rebuild, warn);
    ExitCode::SUCCESS
}

/// Prints a problem that does not stop `watch` or `serve`, with its causes.
fn warn(err: &newswire::error::Error) {
    let _ = writeln!(io::stderr(), "newswire: warning: {}", with_causes(err));
}

/// A progress bar on stderr: only on a terminal, never with `--quiet`, and only once a run
/// has taken more than a moment (indicatif hides it when stderr is not a terminal).
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        use std::io::IsTerminal;
        let shown = !quiet && io::stderr().is_terminal();
        Bar {
            bar: shown.then(|| {
                let bar = indicatif::ProgressBar::hidden();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                bar
            }),
            started: std::time::Instant::now(),
        }
    }
}

impl pipeline::Progress for Bar {
    fn start(&self, stage: &'static str, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_message(stage);
            bar.set_length(total as u64);
            bar.set_position(0);
        }
    }

    fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if bar.is_hidden() && self.started.elapsed() > std::time::Duration::from_millis(300) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Said on stderr whether or not the bar is shown, even with `--quiet`: a build that
    /// seems to hang says why.
    fn waiting_for_output(&self, output: &std::path::Path) {
        let say = || {
            let _ = writeln!(
                io::stderr(),
                "newswire: waiting for another build writing to {} to finish…",
                output.display()
            );
        };
        match &self.bar {
            Some(bar) => bar.suspend(say),
            None => say(),
        }
    }
}

/// Writes data to stdout; a closed pipe (`| head`) ends the program quietly.
fn print_data(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(2),
    }
}

fn overrides(args: BuildArgs) -> Overrides {
    Overrides {
        config: args.config,
        input: args.input,
        output: args.output,
        base_url: args.base_url,
        limit: args.limit,
        now: args.now,
        no_cache: args.no_cache,
        formats: args.formats,
        force: args.force,
    }
}

/// 0 all good; 1 some article rejected (or any warning with `--strict`).
fn exit_code(report: &Report, strict: bool) -> ExitCode {
    let failed = report.count(Severity::Error) > 0
        || report.summary.rejected > 0
        || (strict && report.count(Severity::Warning) > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints a run's diagnostics (repeated ones collapsed, unless `verbose`: see [`print`]), then,
/// in the human formats and without `quiet`, the summary line.
fn print_report(report: &Report, format: Format, quiet: bool, verbose: bool) {
    let mut err = io::stderr().lock();
    let lines = print::diagnostic_lines(&report.diagnostics, format, verbose);
    // A write error (a closed pipe) ends quietly.
    if !lines.iter().all(|line| writeln!(err, "{line}").is_ok()) {
        return;
    }
    if quiet || !matches!(format, Format::Human | Format::HumanColour) {
        return;
    }
    let _ = writeln!(err, "{}", print::summary_line(report));
    if verbose {
        for line in print::verbose_lines(report) {
            let _ = writeln!(err, "{line}");
        }
    }
}
