//! The date every item is published under: its own `publishedDateTime`; for an undated item
//! the commit that added its file to the input's git history (a real `git`, commits at pinned
//! dates), else the first-seen date a build recorded in `manifest.json`, else (`build`) the
//! build's `--now`, or (`check`) an error naming the fix. Shallow clones are reported once;
//! events are dated by their announcement and published before they start.
//!
//! Tests that need `git` carry `#[cfg_attr(not(git), ignore = "git is not installed")]`
//! (`build.rs` sets `cfg(git)`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{NOW, Site, article, fixture, manifest, read_tree};

/// An article file without a date.
fn undated(title: &str, link: &str) -> String {
    format!("---\ntitle: \"{title}\"\nwebUrl: \"{link}\"\nexcerpt: \"About {title}.\"\n---\n")
}

/// `git args…` in `dir`, committing (when it does) at `date`, with no user or system config.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Commits everything under `dir` at `date`.
fn commit_all(dir: &Path, date: &str) {
    git(dir, date, &["add", "-A", "."]);
    git(dir, date, &["commit", "-q", "-m", date]);
}

/// Each item's link → its `date_published`, from the JSON Feed of everything under `out`.
fn dates(out: &Path) -> BTreeMap<String, String> {
    let feed: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("feed.json")).expect("feed.json")).unwrap();
    feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            let url = item["url"].as_str().unwrap().to_string();
            (url, item["date_published"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The manifest's first-seen record of `out`.
fn first_seen(out: &Path) -> BTreeMap<String, String> {
    let manifest = manifest(&read_tree(out));
    match manifest.get("first_seen") {
        Some(map) => serde_json::from_value(map.clone()).unwrap(),
        None => BTreeMap::new(),
    }
}

fn pairs(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|&(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
#[cfg_attr(not(git), ignore = "git is not installed")]
fn undated_items_are_dated_by_the_commit_that_added_their_file() {
    let site = Site::new();
    // The repository is the site: the input is its subfolder `articles/`.
    git(site.root(), NOW, &["init", "-q"]);
    site.write("old.md", undated("Old", "https://x.example/old"));
    site.write("moved.md", undated("Moved", "https://x.example/moved"));
    site.write(
        "dated.md",
        article(
            "Dated",
            "https://x.example/dated",
            "2022-02-02T02:02:02Z",
            "",
        ),
    );
    site.write_file("README.md", "not an article, outside the input\n");
    commit_all(site.root(), "2024-03-01T10:00:00Z");
    site.write("later/new.md", undated("New", "https://x.example/new"));
    // Renamed in a later commit: it keeps the date of its first name.
    git(
        site.root(),
        NOW,
        &["mv", "articles/moved.md", "articles/later/moved-here.md"],
    );
    commit_all(site.root(), "2024-04-02T11:30:00+02:00");
    site.write(
        "uncommitted.md",
        undated("Uncommitted", "https://x.example/u"),
    );

    let run = site.build(&[]);
    run.expect_code(0);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let want = pairs(&[
        ("https://x.example/dated", "2022-02-02T02:02:02Z"),
        ("https://x.example/moved", "2024-03-01T10:00:00Z"),
        ("https://x.example/new", "2024-04-02T09:30:00Z"),
        ("https://x.example/old", "2024-03-01T10:00:00Z"),
        ("https://x.example/u", NOW),
    ]);
    assert_eq!(dates(&site.out()), want);
    // The RSS feed says the same.
    let rss = site.read("rss.xml");
    assert!(
        rss.contains("<pubDate>Fri, 01 Mar 2024 10:00:00 +0000</pubDate>"),
        "{rss}"
    );

    // What was given is recorded, keyed by the path below the input folder; the dated file is
    // not recorded.
    assert_eq!(
        first_seen(&site.out()),
        pairs(&[
            ("later/moved-here.md", "2024-03-01T10:00:00Z"),
            ("later/new.md", "2024-04-02T09:30:00Z"),
            ("old.md", "2024-03-01T10:00:00Z"),
            ("uncommitted.md", NOW),
        ])
    );

    // Same input, history and manifest: the same bytes, built afresh or again in place.
    let before = site.outputs();
    site.build(&[]).expect_code(0);
    assert_eq!(site.outputs(), before);
    site.build_into("again", &[]).expect_code(0);
    assert_eq!(read_tree(&site.path("again")), before);

    // `check` dates by the history too: nothing to report.
    let run = site.check(&["--strict"]);
    run.expect_code(0);
}

#[test]
#[cfg_attr(not(git), ignore = "git is not installed")]
fn a_shallow_clone_is_reported_once_and_first_seen_dates_are_used() {
    let origin = Site::new();
    git(origin.root(), NOW, &["init", "-q"]);
    for i in 0..3 {
        let name = format!("{i}.md");
        origin.write(
            &name,
            undated(&format!("S{i}"), &format!("https://x.example/{i}")),
        );
        commit_all(origin.root(), &format!("2024-0{}-01T00:00:00Z", i + 1));
    }
    let parent = tempfile::tempdir().unwrap();
    let clone = parent.path().join("clone");
    let url = format!("file://{}", origin.root().display());
    git(
        parent.path(),
        NOW,
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
    );

    let build = |now: &str, strict: bool| {
        let mut args = vec![
            "build",
            "--input",
            "articles",
            "--output",
            "out",
            "--base-url",
            crate::util::BASE_URL,
            "--now",
            now,
        ];
        if strict {
            args.push("--strict");
        }
        let mut command = crate::util::newswire();
        command.current_dir(&clone).args(&args);
        crate::util::Run::of(command, &args)
    };
    let run = build(NOW, false);
    run.expect_code(0);
    let warnings = run.lines_with_code("shallow-history");
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(warnings[0].starts_with("articles:"), "{}", warnings[0]);
    assert!(warnings[0].contains("fetch-depth: 0"), "{}", warnings[0]);
    // Not the clone's commit (2024-03-01) for every file: when newswire first saw them.
    let out = clone.join("out");
    assert!(dates(&out).values().all(|d| d == NOW), "{:?}", dates(&out));

    // Kept by the next build, a day later; `--strict` fails on the warning, which names the fix.
    let run = build("2026-01-02T00:00:00Z", true);
    run.expect_code(1);
    assert!(dates(&out).values().all(|d| d == NOW), "{:?}", dates(&out));
}

#[test]
fn first_seen_dates_are_recorded_and_kept_while_the_output_is_kept() {
    let site = Site::new();
    site.write("a.md", undated("A", "https://x.example/a"));
    site.write(
        "b.md",
        article("B", "https://x.example/b", "2025-06-01T00:00:00Z", ""),
    );
    site.build(&[]).expect_code(0);
    let first = pairs(&[("a.md", NOW)]);
    assert_eq!(first_seen(&site.out()), first);
    assert_eq!(dates(&site.out())["https://x.example/a"], NOW);

    // Later builds keep the date: nothing is written again.
    let later = "2026-02-01T08:00:00Z";
    let run = site.build(&["--now", later]);
    run.expect_code(0);
    assert_eq!(run.write_counts().0, 0, "{}", run.stderr);
    assert_eq!(dates(&site.out())["https://x.example/a"], NOW);

    // A file seen later gets its own date; a file that goes out of print (rejected for a while)
    // keeps its record; a file that gains a date of its own, or is gone, is forgotten.
    site.write("c.md", undated("C", "https://x.example/c"));
    site.write(
        "a.md",
        "---\ntitle: \"\"\nwebUrl: \"https://x.example/a\"\n---\n",
    );
    site.build(&["--now", later]).expect_code(1);
    assert_eq!(
        first_seen(&site.out()),
        pairs(&[("a.md", NOW), ("c.md", later)])
    );
    site.write("a.md", undated("A", "https://x.example/a"));
    site.build(&["--now", later]).expect_code(0);
    assert_eq!(dates(&site.out())["https://x.example/a"], NOW, "back");
    site.write(
        "a.md",
        article("A", "https://x.example/a", "2025-01-01T00:00:00Z", ""),
    );
    site.remove_article("c.md");
    // (Only a build that dates something rewrites the record; one with every item dated keeps
    // it as it is, without reading it.)
    site.build(&["--now", later]).expect_code(0);
    assert_eq!(
        first_seen(&site.out()),
        pairs(&[("a.md", NOW), ("c.md", later)])
    );
    site.write("e.md", undated("E", "https://x.example/e"));
    site.build(&["--now", later]).expect_code(0);
    assert_eq!(first_seen(&site.out()), pairs(&[("e.md", later)]));

    // Without the output folder there is no record: a new first-seen date.
    site.write("d.md", undated("D", "https://x.example/d"));
    site.build_into("elsewhere", &["--now", later])
        .expect_code(0);
    assert_eq!(dates(&site.path("elsewhere"))["https://x.example/d"], later);
}

#[test]
fn a_changed_date_renders_its_feeds_again_and_an_old_manifest_still_loads() {
    let site = Site::new();
    site.write("a.md", undated("A", "https://x.example/a"));
    site.build(&[]).expect_code(0);
    // As if an earlier build had first published it: every feed with it is rendered again,
    // exactly as a build from scratch with that record renders it.
    let manifest_path = site.out().join("manifest.json");
    let text = fs::read_to_string(&manifest_path).unwrap();
    let earlier = text.replace(
        &format!("\"a.md\": \"{NOW}\""),
        "\"a.md\": \"2025-12-24T18:00:00Z\"",
    );
    assert_ne!(text, earlier, "the record is in the manifest");
    fs::write(&manifest_path, &earlier).unwrap();
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(run.write_counts().0 > 0, "{}", run.stderr);
    assert_eq!(
        dates(&site.out())["https://x.example/a"],
        "2025-12-24T18:00:00Z"
    );
    site.write_file("fresh/manifest.json", &earlier);
    site.build_into("fresh", &[]).expect_code(0);
    let feeds = |tree: BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        tree.into_iter()
            .filter(|(path, _)| path != "manifest.json")
            .collect()
    };
    assert_eq!(feeds(site.outputs()), feeds(read_tree(&site.path("fresh"))));

    // A manifest with entries that are not dates still loads (they are ignored, and the
    // item is dated anew): the files it lists are pruned as usual when they go.
    site.write(
        "b.md",
        article(
            "B",
            "https://x.example/b",
            "2025-01-01T00:00:00Z",
            "topics: [Gone]\n",
        ),
    );
    site.build(&[]).expect_code(0);
    assert!(site.out().join("topics/gone/rss.xml").exists());
    let text = fs::read_to_string(&manifest_path).unwrap();
    let mut bad: serde_json::Value = serde_json::from_str(&text).unwrap();
    bad["first_seen"] = serde_json::json!({ "a.md": "not a date", "x.md": 5 });
    fs::write(&manifest_path, serde_json::to_string(&bad).unwrap()).unwrap();
    site.remove_article("b.md");
    let later = "2026-01-05T00:00:00Z";
    let run = site.build(&["--now", later]);
    run.expect_code(0);
    assert!(!site.out().join("topics/gone").exists(), "{}", run.stderr);
    assert_eq!(first_seen(&site.out()), pairs(&[("a.md", later)]));
}

#[test]
fn check_names_the_fix_for_an_item_it_cannot_date() {
    let site = Site::new();
    for file in ["no-date.md", "empty-date.md"] {
        site.write(file, fs::read(fixture("undated").join(file)).unwrap());
    }
    let run = site.check(&[]);
    run.expect_code(1);
    let errors = run.lines_with_code("missing-date");
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors[0].starts_with("articles/empty-date.md:4:1: error[missing-date]: "));
    assert!(errors[1].starts_with("articles/no-date.md:1:1: error[missing-date]: "));
    for fix in [
        "add `publishedDateTime`",
        "commit the file",
        "run `newswire build` once",
    ] {
        assert!(errors[0].contains(fix), "{fix}: {}", errors[0]);
    }
    assert!(run.summary().contains("2 rejected"), "{}", run.summary());
    assert!(!site.out().exists(), "check writes nothing");

    // A build dates them (and records it), after which `check` agrees.
    site.build(&[]).expect_code(0);
    site.check(&["--strict"]).expect_code(0);
}

#[test]
fn an_upcoming_event_is_published_under_its_announcement_with_its_start() {
    use newswire::cache::CacheUse;
    use newswire::config::{Config, Overrides, Settings};
    use newswire::model::Kind;
    use newswire::pipeline::{Silent, prepare};

    let site = Site::new();
    let event = |name: &str, extra: &str| {
        format!(
            "---\nname: \"{name}\"\ntype: conference\nwebsite: \"https://conf.example/{name}\"\n\
             startDateTime: 2026-03-10T09:00:00-05:00\nendDateTime: 2026-03-12T17:00:00-05:00\n{extra}---\n"
        )
    };
    site.write(
        "announced.md",
        event("announced", "publishedDateTime: 2025-11-20T12:00:00Z\n"),
    );
    site.write("undated.md", event("undated", ""));
    site.write(
        "soon.md",
        event("soon", "publishedDateTime: 2026-01-15T00:00:00Z\n"),
    );

    let run = site.build(&[]);
    run.expect_code(0);
    // Only the event announced after now waits, for its announcement, not its start.
    let held = run.lines_with_code("future-date");
    assert_eq!(held.len(), 1, "{}", run.stderr);
    assert!(held[0].starts_with("articles/soon.md:"), "{}", held[0]);
    assert!(held[0].contains("dated 2026-01-15T00:00:00"), "{}", held[0]);
    assert_eq!(
        dates(&site.out()),
        pairs(&[
            ("https://conf.example/announced", "2025-11-20T12:00:00Z"),
            ("https://conf.example/undated", NOW),
        ])
    );

    // The start is the item's (and its head's) start, not its date.
    let overrides = Overrides {
        input: Some(site.articles()),
        output: Some(site.out()),
        base_url: Some(crate::util::BASE_URL.into()),
        now: Some(NOW.parse().unwrap()),
        ..Overrides::default()
    };
    let settings = Settings::merge(Config::default(), site.root(), overrides).unwrap();
    let (catalog, _, report, _) = prepare(&settings, &Silent, false, CacheUse::Off).unwrap();
    assert_eq!(report.summary.held_back, 1);
    let dated_by = report.summary.dated_by;
    assert_eq!(
        (dated_by.history, dated_by.recorded, dated_by.now),
        (0, 1, 0),
        "built before"
    );
    let start = "2026-03-10T14:00:00Z".parse().unwrap();
    let heads: Vec<_> = catalog
        .items
        .iter()
        .map(|h| (h.kind.clone(), h.start(), h.published.to_rfc3339(), h.dated))
        .collect();
    assert_eq!(
        heads,
        [
            (
                Kind::Event,
                Some(start),
                "2026-01-01T00:00:00+00:00".into(),
                false
            ),
            (
                Kind::Event,
                Some(start),
                "2025-11-20T12:00:00+00:00".into(),
                true
            ),
        ]
    );
}

/// A `git` that logs each run to `log` before running the real one, first on `PATH`.
#[cfg(unix)]
fn counting_git(dir: &Path, log: &Path) -> std::ffi::OsString {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    let real: PathBuf = std::env::split_paths(&path)
        .map(|d| d.join("git"))
        .find(|p| p.is_file())
        .expect("git on PATH");
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let script = bin.join("git");
    fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{}' \"$@\"\n",
            log.display(),
            real.display()
        ),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&path))).unwrap()
}

#[test]
#[cfg(unix)]
#[cfg_attr(not(git), ignore = "git is not installed")]
fn git_runs_once_per_build_and_never_for_dated_items() {
    let site = Site::new();
    git(site.root(), NOW, &["init", "-q"]);
    for i in 0..20 {
        site.write(
            &format!("{i:02}.md"),
            article(
                &format!("D{i}"),
                &format!("https://x.example/{i}"),
                "2025-01-01T00:00:00Z",
                "",
            ),
        );
    }
    commit_all(site.root(), "2024-01-01T00:00:00Z");
    let log = site.path("git-runs.log");
    let path = counting_git(&site.path("tools"), &log);
    let build = |now: &str| {
        let args = crate::util::standard_args("build", "out", &["--now", now]);
        let mut command = site.newswire(&args);
        command.env("PATH", &path);
        crate::util::Run::of(command, &args)
    };
    build(NOW).expect_code(0);
    assert!(!log.exists(), "dated items: no git at all");
    let text = fs::read_to_string(site.out().join("manifest.json")).unwrap();
    assert!(
        !text.contains("first_seen"),
        "nothing to record: the key is left out"
    );

    for i in 0..20 {
        site.write(
            &format!("u{i:02}.md"),
            undated(&format!("U{i}"), &format!("https://x.example/u{i}")),
        );
    }
    commit_all(site.root(), "2024-02-01T00:00:00Z");
    build(NOW).expect_code(0);
    let runs = fs::read_to_string(&log).unwrap();
    let runs: Vec<&str> = runs.lines().collect();
    assert_eq!(
        runs.len(),
        2,
        "one probe, one log, for 20 undated files: {runs:?}"
    );
    assert!(runs[0].contains("rev-parse"), "{runs:?}");
    assert!(runs[1].contains(" log "), "{runs:?}");
    assert_eq!(
        dates(&site.out())["https://x.example/u7"],
        "2024-02-01T00:00:00Z"
    );
}
