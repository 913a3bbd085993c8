//! The binary's report of a build: its diagnostics as lines, and the summary line.
//!
//! The library hands over every diagnostic; how many of them a person can read is decided
//! here. In the human formats, a code that comes up more than a few times is told once, on one
//! line with the count, the files and the first message; `-v` lists every one. The JSON and
//! GitHub formats are read by tools, so they always carry every diagnostic, one per line.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::path::Path;

use newswire::diag::{Code, Diagnostic, Format, Severity};
use newswire::pipeline::Report;

/// More warnings of one code than this are told on one line.
const WARNINGS_SHOWN: usize = 3;
/// More errors of one code than this are told on one line: each error explains why a file is
/// missing from the feeds, so a few more are shown one by one.
const ERRORS_SHOWN: usize = 10;
/// How many places a collapsed line names.
const PLACES_SHOWN: usize = 3;

/// The lines to print for `diagnostics`: one per diagnostic, except that in the human formats
/// (and without `verbose`) the diagnostics of a code that comes up too often to read are one
/// line, after the others (errors first, then by code).
pub fn diagnostic_lines(diagnostics: &[Diagnostic], format: Format, verbose: bool) -> Vec<String> {
    let human = matches!(format, Format::Human | Format::HumanColour);
    if verbose || !human {
        return diagnostics.iter().map(|d| d.render(format)).collect();
    }
    // Errors first, then by code.
    let key = |d: &Diagnostic| (Reverse(d.severity), d.code);
    let mut groups: BTreeMap<(Reverse<Severity>, Code), Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        groups.entry(key(d)).or_default().push(d);
    }
    let too_many = |severity: Severity, count: usize| match severity {
        Severity::Warning => count > WARNINGS_SHOWN,
        Severity::Error => count > ERRORS_SHOWN,
    };
    let mut lines: Vec<String> = (diagnostics.iter())
        .filter(|d| {
            let count = groups.get(&key(d)).map_or(0, Vec::len);
            !too_many(d.severity, count)
        })
        .map(|d| d.render(format))
        .collect();
    for ((Reverse(severity), code), group) in &groups {
        if too_many(*severity, group.len()) {
            lines.push(collapse(*severity, *code, group, format));
        }
    }
    lines
}

/// One line for many diagnostics of one code: how many, in how many files, the first in full,
/// and where the next few are.
fn collapse(severity: Severity, code: Code, group: &[&Diagnostic], format: Format) -> String {
    let mut files: Vec<&Path> = group.iter().map(|d| d.path.as_path()).collect();
    files.sort_unstable();
    files.dedup();
    let how_many = if files.len() == group.len() {
        format!("{} files", files.len())
    } else {
        format!("{} in {} files", group.len(), files.len())
    };
    let Some(first) = group.first() else {
        return String::new();
    };
    let mut line = format!(
        "{}[{code}]: {how_many}, e.g. {}:{}:{}: {}",
        severity_word(severity, format),
        first.path.display(),
        first.line,
        first.col,
        first.message
    );
    let also: Vec<String> = (group.iter().skip(1).take(PLACES_SHOWN - 1))
        .map(|d| format!("{}:{}", d.path.display(), d.line))
        .collect();
    line.push_str(&format!("; also {}", also.join(", ")));
    if group.len() > PLACES_SHOWN {
        line.push_str(", …");
    }
    line.push_str(" (-v lists all)");
    line
}

/// `warning` or `error`, in colour for a terminal.
fn severity_word(severity: Severity, format: Format) -> String {
    match (format, severity) {
        (Format::HumanColour, Severity::Warning) => format!("\x1b[1;33m{severity}\x1b[0m"),
        (Format::HumanColour, Severity::Error) => format!("\x1b[1;31m{severity}\x1b[0m"),
        _ => severity.to_string(),
    }
}

/// The one summary line of a build or check: what came of the files read, the warnings, what
/// was left out by rule or skipped, the kinds of their own, what was written, and the time.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let mut line = format!(
        "newswire: {} articles read: {} published, {} unpublished, {} held back, {} rejected; {} warnings",
        s.read,
        s.published,
        s.unpublished,
        s.held_back,
        s.rejected,
        report.count(Severity::Warning)
    );
    if s.silenced > 0 {
        line.push_str(&format!(" ({} silenced by `quiet`)", s.silenced));
    }
    if s.excluded > 0 {
        line.push_str(&format!(
            "; {} excluded (profiles, collections without a link)",
            s.excluded
        ));
    }
    if !s.skipped.is_empty() {
        let names: Vec<String> = (s.skipped.iter().take(PLACES_SHOWN))
            .map(|p| {
                p.file_name()
                    .unwrap_or(p.as_os_str())
                    .to_string_lossy()
                    .into()
            })
            .collect();
        let more = if s.skipped.len() > PLACES_SHOWN {
            ", …"
        } else {
            ""
        };
        line.push_str(&format!(
            "; {} skipped, not {}: {}{more}",
            plural(s.skipped.len(), "file", "files"),
            if s.skipped.len() == 1 {
                "an article"
            } else {
                "articles"
            },
            names.join(", ")
        ));
    }
    if !s.other_kinds.is_empty() {
        let kinds: Vec<String> = (s.other_kinds.iter())
            .map(|(kind, n)| format!("{kind} ({n})"))
            .collect();
        line.push_str(&format!("; kinds of their own: {}", kinds.join(", ")));
    }
    if !s.archive.is_empty() {
        let pages: usize = s.archive.iter().map(|f| f.pages.len()).sum();
        let changed: usize = s.archive.iter().map(|f| f.changed).sum();
        line.push_str(&format!(
            "; archive: {} in {}, {changed} new or changed",
            plural(pages, "page", "pages"),
            plural(s.archive.len(), "feed", "feeds"),
        ));
    }
    match s.written {
        Some(w) => line.push_str(&format!(
            "; {} files ({} feeds): {} written, {} unchanged, {} removed",
            s.files, s.feeds, w.written, w.unchanged, w.removed
        )),
        None => line.push_str(&format!("; {} feed files checked, none written", s.feeds)),
    }
    line.push_str(&format!(" in {:.2}s", s.elapsed.as_secs_f64()));
    line
}

/// `1 file`, `2 files`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The lines `-v` adds below the summary: every skipped file, and each stage's time.
pub fn verbose_lines(report: &Report) -> Vec<String> {
    let s = &report.summary;
    let skipped = (s.skipped.iter())
        .map(|path| format!("newswire:   skipped, not an article: {}", path.display()));
    let stages = (s.stages.iter())
        .map(|(stage, took)| format!("newswire:   {stage}: {:.3}s", took.as_secs_f64()));
    let archive = s.archive.iter().map(|feed| {
        let counts: Vec<String> = feed.pages.iter().map(usize::to_string).collect();
        format!(
            "newswire:   archive of /{}: {} ({} items: {}), {} new or changed",
            feed.dir,
            plural(feed.pages.len(), "page", "pages"),
            feed.pages.iter().sum::<usize>(),
            counts.join(" "),
            feed.changed
        )
    });
    skipped.chain(archive).chain(stages).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn warning(path: &str, line: usize, code: Code, message: &str) -> Diagnostic {
        Diagnostic::warning(Path::new(path), line, 1, code, message.into())
    }

    fn error(path: &str, code: Code) -> Diagnostic {
        Diagnostic::error(Path::new(path), 1, 1, code, "no date".into())
    }

    /// 214 unknown keys in 57 files, 2 unknown types, and `errors` missing dates.
    fn many(errors: usize) -> Vec<Diagnostic> {
        let mut all = Vec::new();
        for i in 0..214 {
            let key = format!("unknown key `k{}` is ignored", i % 4);
            all.push(warning(
                &format!("f{:02}.md", i % 57),
                i + 2,
                Code::UnknownKey,
                &key,
            ));
        }
        all.push(warning(
            "t1.md",
            5,
            Code::UnknownType,
            "unknown type `video`",
        ));
        all.push(warning(
            "t2.md",
            5,
            Code::UnknownType,
            "unknown type `video`",
        ));
        for i in 0..errors {
            all.push(error(&format!("e{i:02}.md"), Code::MissingDate));
        }
        all.sort();
        all
    }

    #[test]
    fn a_code_that_comes_up_often_is_one_line_with_the_count_and_the_first_places() {
        let all = many(3);
        let lines = diagnostic_lines(&all, Format::Human, false);
        assert_eq!(lines.len(), 2 + 3 + 1, "{lines:#?}");
        let collapsed = lines.last().unwrap();
        assert_eq!(
            collapsed,
            "warning[unknown-key]: 214 in 57 files, e.g. f00.md:2:1: unknown key `k0` is ignored; \
             also f00.md:59, f00.md:116, … (-v lists all)"
        );
        // The few are shown whole, in file order.
        assert!(
            lines[0].starts_with("e00.md:1:1: error[missing-date]"),
            "{lines:#?}"
        );
        assert!(
            lines[4].starts_with("t2.md:5:1: warning[unknown-type]"),
            "{lines:#?}"
        );
    }

    #[test]
    fn errors_are_shown_one_by_one_when_few_and_collapse_when_many() {
        let lines = diagnostic_lines(&many(10), Format::Human, false);
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.contains("[missing-date]"))
                .count(),
            10
        );
        let lines = diagnostic_lines(&many(400), Format::Human, false);
        let dates: Vec<&String> = lines
            .iter()
            .filter(|l| l.contains("[missing-date]"))
            .collect();
        assert_eq!(dates.len(), 1, "{dates:#?}");
        assert!(dates[0].starts_with("error[missing-date]: 400 files, e.g. e00.md:1:1: no date;"));
        // Errors before warnings among the collapsed lines.
        assert!(
            lines[lines.len() - 2].starts_with("error[missing-date]"),
            "{lines:#?}"
        );
        assert_eq!(lines.len(), 2 + 2, "{lines:#?}");
    }

    #[test]
    fn verbose_and_the_formats_tools_read_list_every_diagnostic() {
        let all = many(40);
        for (format, verbose) in [
            (Format::Human, true),
            (Format::HumanColour, true),
            (Format::Json, false),
            (Format::Github, false),
        ] {
            let lines = diagnostic_lines(&all, format, verbose);
            let every: Vec<String> = all.iter().map(|d| d.render(format)).collect();
            assert_eq!(lines, every, "{format:?}");
        }
    }

    #[test]
    fn colour_marks_the_severity_of_a_collapsed_line() {
        let lines = diagnostic_lines(&many(0), Format::HumanColour, false);
        assert!(
            lines
                .last()
                .unwrap()
                .starts_with("\x1b[1;33mwarning\x1b[0m[unknown-key]: 214 in 57"),
            "{lines:#?}"
        );
    }

    #[test]
    fn the_summary_names_what_was_excluded_skipped_and_kinds_of_their_own() {
        let mut report = Report::default();
        report.summary.read = 137;
        report.summary.excluded = 4;
        report.summary.silenced = 12;
        report.summary.skipped = vec![PathBuf::from("/corpus/README.md")];
        report.summary.other_kinds = [("sample".to_string(), 3), ("forum".into(), 1)].into();
        let line = summary_line(&report);
        assert!(
            line.starts_with(
                "newswire: 137 articles read: 0 published, 0 unpublished, 0 held back, 0 rejected; \
                 0 warnings (12 silenced by `quiet`); 4 excluded (profiles, collections without a link); \
                 1 file skipped, not an article: README.md; kinds of their own: forum (1), sample (3); \
                 0 feed files checked"
            ),
            "{line}"
        );
        assert_eq!(
            verbose_lines(&report),
            ["newswire:   skipped, not an article: /corpus/README.md"]
        );
        report.summary = Default::default();
        let line = summary_line(&report);
        assert!(!line.contains("excluded") && !line.contains("skipped") && !line.contains("kinds"));
    }
}
