//! The command line, as clap derive types. `main` turns them into [`newswire::config::Overrides`].

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use newswire::model::FeedFormat;

/// Turns folders of article files into valid RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, and
/// checks anyone's feeds by the W3C Feed Validation Service's rules.
///
/// Exit status: 0 all good; 1 feeds written but some articles were rejected (or, with
/// --strict, had warnings); 2 fatal error, nothing written.
#[derive(Debug, Parser)]
#[command(name = "newswire", version = env!("NEWSWIRE_VERSION"), about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every feed from the input folder and write them to the output folder.
    Build(BuildArgs),
    /// Read and check every article and render every feed, but write nothing.
    Check(BuildArgs),
    /// Build, then rebuild whenever the input folder changes.
    Watch(BuildArgs),
    /// Build, serve the output folder on 127.0.0.1, and rebuild when the input changes.
    Serve(ServeArgs),
    /// Check feed files (RSS 2.0, Atom 1.0, JSON Feed 1.1) against the W3C Feed Validation
    /// Service's rules.
    Validate(ValidateArgs),
    /// Tell the WebSub hubs of `hubs:` which built feeds changed since they were last told
    /// (a POST of hub.mode=publish and hub.url per feed); `build` never does.
    ///
    /// Exit status: 0 every request was accepted (or none was needed); 1 some hub refused or
    /// could not be reached (its feeds stay pending for the next ping); 2 fatal error (bad
    /// config, no hubs, no manifest).
    Ping(PingArgs),
    /// Print a shell completion script (e.g. `newswire completions bash > /etc/bash_completion.d/newswire`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `newswire man > newswire.1`; with `--dir`, write it
    /// and one page per subcommand (newswire-build.1, …) into a folder.
    Man {
        /// Write newswire.1 and every subcommand's page into this folder instead of printing.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// Options shared by `build` and `check`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder of article files (*.md, *.txt, and *.html with front matter) [config: input;
    /// default: content]
    #[arg(long, short)]
    pub input: Option<PathBuf>,
    /// Folder to write feeds to [config: output; default: out]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Config file [default: newswire.yaml in the current folder, if present]
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Absolute URL the output folder is published at [config: base_url]
    #[arg(long)]
    pub base_url: Option<String>,
    /// Items per feed [config: limit; default: 50]
    #[arg(long)]
    pub limit: Option<usize>,
    /// The current time (RFC 3339) for holding back future-dated articles [default: the clock]
    #[arg(long, value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
    /// Treat warnings as errors (exit status 1)
    #[arg(long)]
    pub strict: bool,
    /// Neither use nor update the cache of normalised articles
    #[arg(long)]
    pub no_cache: bool,
    /// Formats to write every feed in, e.g. `rss,atom` [config: formats; default: rss,atom,json]
    #[arg(long, value_delimiter = ',', value_parser = parse_format)]
    pub formats: Option<Vec<FeedFormat>>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Print only diagnostics, no summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// List every diagnostic (a code that comes up often is otherwise told once, with its
    /// count), every file skipped, and how long each stage took
    #[arg(long, short)]
    pub verbose: bool,
    /// Check every rendered feed with the built-in validator; on any error, write nothing
    #[arg(long)]
    pub validate: bool,
    /// Overwrite files in the output folder that newswire did not write (by default a build
    /// that would is refused, naming the file, and writes nothing)
    #[arg(long)]
    pub force: bool,
}

/// Options of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Feed files, folders searched for *.xml, *.rss, *.atom and *.json, or http(s) URLs of
    /// feeds [default: out]
    pub paths: Vec<PathBuf>,
    /// URL the given folders (or files' folders) are published at, to check self links
    #[arg(long)]
    pub base_url: Option<String>,
    /// The current time (RFC 3339), for dates in the future [default: the clock]
    #[arg(long, value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
    /// Treat warnings as errors (exit status 1)
    #[arg(long)]
    pub strict: bool,
    /// How to print findings (on stdout; the summary line goes to stderr)
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Print only findings, no summary line
    #[arg(long, short)]
    pub quiet: bool,
    /// Also list the files skipped (not RSS 2.0, Atom 1.0 or JSON Feed) and the time taken
    #[arg(long, short)]
    pub verbose: bool,
    /// List the W3C messages checked for (name, severity, meaning) and exit
    #[arg(long)]
    pub messages: bool,
    /// Say what a message means and how to fix it (e.g. `--explain MissingGuid`), and exit
    #[arg(long, value_name = "MESSAGE")]
    pub explain: Option<String>,
    /// Seconds to wait for a server to connect, and then for each read, when validating a URL
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

/// `validate --format` values: what `--format` takes elsewhere, and SARIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// path:line:col: error[code]: message
    Human,
    /// One JSON object per line
    Json,
    /// GitHub Actions annotations
    Github,
    /// One SARIF 2.1.0 log (for GitHub code scanning and other SARIF viewers)
    Sarif,
}

/// Options of `ping`.
#[derive(Debug, Args)]
pub struct PingArgs {
    /// The built output folder, with its manifest.json [config: output; default: out]
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Config file [default: newswire.yaml in the current folder, if present]
    #[arg(long, short)]
    pub config: Option<PathBuf>,
    /// Absolute URL the output folder is published at [config: base_url]
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print the requests that would be sent (on stdout), send none, record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Seconds one attempt may take, connection to answer
    #[arg(long, default_value = "10", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,
    /// Attempts after the first for a request that timed out, found no connection or got
    /// 408, 429 or 5xx (waiting 0.25 s, then twice as long each time)
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Most requests in flight to one hub at once
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// How to print the report: a summary line on stderr, or JSON on stdout
    #[arg(long, value_enum, default_value_t = PingFormat::Human)]
    pub format: PingFormat,
}

/// `ping --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PingFormat {
    /// A line per failed request and a summary line, on stderr
    Human,
    /// One JSON object on stdout: the counts and every request
    Json,
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Build options.
    #[command(flatten)]
    pub build: BuildArgs,
    /// Port on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// path:line:col: error[code]: message
    Human,
    /// One JSON object per line
    Json,
    /// GitHub Actions annotations
    Github,
}

fn parse_now(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 date-time ({e}), e.g. 2024-01-31T12:00:00Z"))
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds, e.g. 10 or 0.5"))?;
    if !(0.001..=3600.0).contains(&seconds) {
        return Err(format!("`{text}`: give between 0.001 and 3600 seconds"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

fn parse_format(text: &str) -> Result<FeedFormat, String> {
    FeedFormat::ALL
        .into_iter()
        .find(|f| f.name() == text.trim())
        .ok_or_else(|| format!("`{text}` is not a feed format: rss, atom or json"))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn completions_and_man_page_are_generated() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "newswire", &mut out);
            let text = String::from_utf8(out).unwrap();
            assert!(
                text.contains("newswire") && text.contains("base-url"),
                "{shell}"
            );
        }
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut out)
            .unwrap();
        let man = String::from_utf8(out).unwrap();
        assert!(
            man.starts_with(".ie") || man.contains(".TH newswire"),
            "{man}"
        );
        assert!(man.contains("build"));

        // Every page the main page refers to is written beside it.
        let dir = tempfile::tempdir().unwrap();
        clap_mangen::generate_to(Cli::command(), dir.path()).unwrap();
        for sub in Cli::command().get_subcommands() {
            let page = format!("newswire-{}.1", sub.get_name());
            assert!(
                man.contains(&format!("newswire\\-{}(1)", sub.get_name())),
                "{page} not referred to"
            );
            assert!(dir.path().join(&page).is_file(), "{page} not written");
        }
        assert!(dir.path().join("newswire.1").is_file());
    }

    #[test]
    fn seconds_are_positive_and_bounded() {
        assert_eq!(
            parse_seconds("0.5"),
            Ok(std::time::Duration::from_millis(500))
        );
        for bad in ["0", "-1", "NaN", "inf", "1e9", "soon"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn now_must_be_rfc3339() {
        assert!(parse_now("2024-01-31T12:00:00Z").is_ok());
        assert!(parse_now("tomorrow").is_err());
    }
}
