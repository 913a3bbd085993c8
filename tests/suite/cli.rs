//! The command line: help, exit codes, report formats, configuration errors.

use std::fs;

use crate::util::{NOW, Site, article, assert_same_text, bless, fixture, newswire};

fn golden(name: &str, actual: &str) {
    let path = fixture("cli").join(name);
    if bless() {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    assert_same_text(name, &expected, actual);
}

#[test]
fn help_is_pinned() {
    for (args, file) in [
        (&["--help"][..], "help.txt"),
        (&["build", "--help"][..], "build-help.txt"),
        (&["validate", "--help"][..], "validate-help.txt"),
    ] {
        let out = newswire().args(args).output().unwrap();
        assert!(out.status.success());
        golden(file, &String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn missing_base_url_is_fatal_and_writes_nothing() {
    let site = Site::new();
    site.write(
        "a.md",
        article("A", "https://a.example/", "2023-01-01T00:00:00Z", ""),
    );
    let run = site.run(&["build", "--input", "articles", "--output", "out"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("base_url") && run.stderr.contains("--base-url"),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists());
}

#[test]
fn unknown_config_key_is_fatal_and_named() {
    let site = Site::new();
    fs::write(
        site.path("newswire.yaml"),
        "base_url: https://example.org/\ntitel: typo\n",
    )
    .unwrap();
    let run = site.run(&["build", "--input", "articles", "--output", "out"]);
    run.expect_code(2);
    assert!(run.stderr.contains("titel"), "{}", run.stderr);
    assert!(!site.out().exists());
}

#[test]
fn config_file_is_found_and_flags_override_it() {
    let site = Site::new();
    fs::write(
        site.path("newswire.yaml"),
        "base_url: https://example.org/news/\ntitle: Configured\ninput: articles\noutput: public\nlimit: 1\n",
    )
    .unwrap();
    site.write(
        "a.md",
        article("A", "https://a.example/", "2023-01-01T00:00:00Z", ""),
    );
    site.write(
        "b.md",
        article("B", "https://b.example/", "2023-01-02T00:00:00Z", ""),
    );
    site.run(&["build", "--now", NOW]).expect_code(0);
    let rss = fs::read_to_string(site.path("public/rss.xml")).unwrap();
    assert!(rss.contains("<title>Configured</title>"));
    assert!(rss.contains("https://example.org/news/rss.xml"));
    assert_eq!(rss.matches("<item>").count(), 1);
    site.run(&["build", "--now", NOW, "--limit", "5"])
        .expect_code(0);
    let rss = fs::read_to_string(site.path("public/rss.xml")).unwrap();
    assert_eq!(rss.matches("<item>").count(), 2);
}

#[test]
fn check_writes_nothing_and_exits_like_build() {
    let site = Site::new();
    site.write(
        "a.md",
        article("A", "https://a.example/", "2023-01-01T00:00:00Z", ""),
    );
    site.write("bad.md", "title: no opening line\n");
    let args = [
        "--input",
        "articles",
        "--output",
        "out",
        "--base-url",
        "https://e.org/",
        "--now",
        NOW,
    ];
    let check = site.run(&[&["check"][..], &args].concat());
    check.expect_code(1);
    assert!(!site.out().exists());
    assert!(
        !site.path(".newswire-cache").exists(),
        "check writes no cache either"
    );
    assert!(
        check
            .stderr
            .contains("articles/bad.md:1:1: error[no-front-matter]"),
        "{}",
        check.stderr
    );
    site.run(&[&["build"][..], &args].concat()).expect_code(1);
}

#[test]
fn json_and_github_formats() {
    let site = Site::new();
    site.write(
        "bad.md",
        "---\ntitle: x\nwebUrl: https://x.example/\npublishedDateTime: soon\n---\n",
    );
    let run = site.build(&["--format", "json"]);
    run.expect_code(1);
    let lines: Vec<serde_json::Value> = run
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["path"], "articles/bad.md");
    assert_eq!(lines[0]["line"], 4);
    assert_eq!(lines[0]["col"], 1);
    assert_eq!(lines[0]["severity"], "error");
    assert_eq!(lines[0]["code"], "invalid-date");
    assert!(lines[0]["message"].as_str().unwrap().contains("soon"));

    let run = site.build(&["--format", "github"]);
    assert_eq!(
        run.stderr.trim(),
        "::error file=articles/bad.md,line=4,col=1,title=invalid-date::`soon` is not a date (use RFC 3339, e.g. 2023-05-11T21:44:00Z)"
    );
}

#[test]
fn strict_turns_warnings_into_failure() {
    let site = Site::new();
    site.write(
        "a.md",
        article(
            "A",
            "https://a.example/",
            "2023-01-01T00:00:00Z",
            "mood: sunny\n",
        ),
    );
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning[unknown-key]"),
        "{}",
        run.stderr
    );
    site.build(&["--strict"]).expect_code(1);
}

#[test]
fn future_articles_wait_for_now() {
    let site = Site::new();
    site.write(
        "a.md",
        article("Later", "https://a.example/", "2026-06-01T00:00:00Z", ""),
    );
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning[future-date]"),
        "{}",
        run.stderr
    );
    assert!(!site.read("rss.xml").contains("Later"));
    site.run(&[
        "build",
        "--input",
        "articles",
        "--output",
        "out",
        "--base-url",
        "https://e.org/",
        "--now",
        "2026-07-01T00:00:00Z",
    ])
    .expect_code(0);
    assert!(site.read("rss.xml").contains("Later"));
}
