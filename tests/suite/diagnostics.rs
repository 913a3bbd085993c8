//! Diagnostics that scale: repeated warnings told once (every one with `-v`, and always in the
//! formats tools read), codes silenced by the config's `quiet`, files that are not articles
//! skipped with one word in the summary, and `.html` newsletters read like Markdown.

use crate::util::{Site, article};

/// `count` articles, each with one key newswire does not know.
fn with_unknown_keys(site: &Site, count: usize) {
    for i in 0..count {
        site.write(
            &format!("a{i:02}.md"),
            article(
                &format!("Story {i}"),
                &format!("https://x.example/{i}"),
                "2023-05-01T10:00:00Z",
                "mood: happy\n",
            ),
        );
    }
}

#[test]
fn many_warnings_of_one_code_are_one_line_with_the_count_and_v_lists_all() {
    let site = Site::new();
    with_unknown_keys(&site, 12);
    site.write(
        "two.md",
        article(
            "Two",
            "https://x.example/two",
            "2023-05-01T10:00:00Z",
            "mood: a\ncolour: b\n",
        ),
    );
    let run = site.build(&[]);
    run.expect_code(0);
    assert_eq!(
        run.diagnostics(),
        [
            "warning[unknown-key]: 14 in 13 files, e.g. articles/a00.md:6:1: unknown key `mood` is \
          ignored; also articles/a01.md:6, articles/a02.md:6, … (-v lists all)"
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.summary().contains("; 14 warnings;"),
        "{}",
        run.summary()
    );

    let all = site.build(&["-v"]);
    assert_eq!(
        all.lines_with_code("unknown-key").len(),
        14,
        "{}",
        all.stderr
    );
    assert!(
        all.stderr
            .contains("articles/two.md:7:1: warning[unknown-key]: unknown key `colour`")
    );

    // Tools get every diagnostic, one per line, without asking.
    for format in ["json", "github"] {
        let run = site.build(&["--format", format]);
        assert_eq!(run.stderr.lines().count(), 14, "{format}: {}", run.stderr);
    }
    let json = site.build(&["--format", "json"]);
    for line in json.stderr.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["code"], "unknown-key");
    }
}

#[test]
fn a_few_warnings_are_each_shown_whole() {
    let site = Site::new();
    with_unknown_keys(&site, 3);
    let run = site.build(&[]);
    let lines = run.lines_with_code("unknown-key");
    assert_eq!(lines.len(), 3, "{}", run.stderr);
    assert!(lines[0].starts_with("articles/a00.md:6:1: warning[unknown-key]: unknown key `mood`"));
}

#[test]
fn quiet_silences_a_code_in_every_format_and_for_strict() {
    let site = Site::new();
    with_unknown_keys(&site, 5);
    // An error of a silenced code is still told: only warnings are silenced.
    site.write("bad.md", "---\ntitle: t\nmood: x\n---\n");
    let strict = site.build(&["--strict"]);
    strict.expect_code(1);
    assert!(strict.stderr.contains("[unknown-key]"), "{}", strict.stderr);

    site.write_file("quiet.yaml", "quiet: [unknown-key]\n");
    site.remove_article("bad.md");
    let quiet = site.build(&["--strict", "--config", "quiet.yaml"]);
    quiet.expect_code(0);
    assert!(quiet.diagnostics().is_empty(), "{}", quiet.stderr);
    assert!(
        quiet
            .summary()
            .contains("; 0 warnings (5 silenced by `quiet`);"),
        "{}",
        quiet.summary()
    );
    for format in ["json", "github"] {
        let run = site.build(&["--strict", "--config", "quiet.yaml", "--format", format]);
        run.expect_code(0);
        assert_eq!(run.stderr, "", "{format}");
    }
    // Errors are never silenced.
    site.write(
        "bad.md",
        "---\ntitle: t\nwebUrl: not a link\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n",
    );
    site.write_file("quiet.yaml", "quiet: [unknown-key, invalid-link]\n");
    let run = site.build(&["--config", "quiet.yaml"]);
    run.expect_code(1);
    assert_eq!(
        run.lines_with_code("invalid-link").len(),
        1,
        "{}",
        run.stderr
    );
}

#[test]
fn quiet_names_an_unknown_code() {
    let site = Site::new();
    with_unknown_keys(&site, 1);
    site.write_file("quiet.yaml", "quiet: [unknown-key, unknwon-type]\n");
    let run = site.build(&["--config", "quiet.yaml"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("invalid setting `quiet`: `unknwon-type` is not a diagnostic code"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_readme_is_skipped_once_and_a_broken_article_stays_an_error() {
    let site = Site::new();
    with_unknown_keys(&site, 1);
    site.write("README.md", "# These articles\n\nWhat they are: news.\n");
    site.write("notes/todo.txt", "Things to write about.\n");
    // The config silences the one warning, so only the skipped files could fail `--strict`.
    site.write_file("quiet.yaml", "quiet: [unknown-key]\n");
    for pass in ["fresh", "cached"] {
        let run = site.build(&["--strict", "--config", "quiet.yaml"]);
        run.expect_code(0);
        assert!(run.diagnostics().is_empty(), "{pass}: {}", run.stderr);
        assert!(
            run.summary().starts_with(
                "newswire: 1 articles read: 1 published, 0 unpublished, 0 held back, 0 rejected"
            ) && run
                .summary()
                .contains("; 2 files skipped, not articles: README.md, todo.txt;"),
            "{pass}: {}",
            run.summary()
        );
    }
    let all = site.build(&["-v", "--config", "quiet.yaml"]);
    assert_eq!(
        all.stderr
            .matches("newswire:   skipped, not an article: ")
            .count(),
        2,
        "{}",
        all.stderr
    );

    // The same words under YAML keys: an article that lost its `---` line.
    site.write(
        "README.md",
        "title: These articles\nwebUrl: https://x.example/r\n",
    );
    let run = site.build(&["--config", "quiet.yaml"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("articles/README.md:1:1: error[no-front-matter]"),
        "{}",
        run.stderr
    );
    assert!(
        run.summary()
            .contains("; 1 file skipped, not an article: todo.txt;"),
        "{}",
        run.summary()
    );
    assert!(
        run.summary().contains("0 held back, 1 rejected"),
        "{}",
        run.summary()
    );
}

/// The front matter of a newsletter, straight into its HTML body (as the everyday.cc sites
/// write them).
const NEWSLETTER: &str = "---\ntitle: \"Every Day (2021-06-29)\"\nexcerpt: \"One / Two\"\npublishedDateTime: 2021-06-29T18:05:33Z\nwebUrl: \"https://everyday.example/newsletter/2021-06-29/\"\ntype: article\n\ntopics:\n  - AI\n\n---\n<html>\n<head><style>p { color: red }</style></head>\n<body><p>One &amp; two</p></body>\n</html>\n";

#[test]
fn html_files_with_front_matter_are_read_and_web_pages_are_passed_over() {
    let site = Site::new();
    site.write("_newsletters/2021-06-29.html", NEWSLETTER);
    site.write(
        "site/index.html",
        "<!doctype html>\n<html><body>Hi</body></html>\n",
    );
    site.write(
        "site/big.html",
        format!("<html>{}</html>", "x".repeat(2 << 20)),
    );
    let run = site.build(&["--strict"]);
    run.expect_code(0);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    let summary = run.summary();
    assert!(
        summary.starts_with(
            "newswire: 1 articles read: 1 published, 0 unpublished, 0 held back, 0 rejected; 0 warnings; "
        ) && !summary.contains("skipped"),
        "web pages are not even counted: {summary}"
    );
    let rss = site.read("rss.xml");
    assert_eq!(rss.matches("<item>").count(), 1, "{rss}");
    assert!(
        rss.contains("https://everyday.example/newsletter/2021-06-29/"),
        "{rss}"
    );
    assert!(
        !rss.contains("color: red"),
        "the body is not published by default"
    );
}

#[test]
#[cfg_attr(not(corpus), ignore = "../shared/corpus is absent")]
fn the_whole_corpus_says_little() {
    // Both folders and the README: every field of the format is known, the README is skipped,
    // and what is left to say fits on a screen.
    let dir = crate::util::corpus();
    let root = dir.parent().unwrap();
    let site = Site::new();
    let run = site.run(&crate::util::standard_args(
        "build",
        "out",
        &["--input", root.to_str().unwrap()],
    ));
    let lines = run.stderr.lines().count();
    assert!(lines <= 15, "{lines} lines:\n{}", run.stderr);
    assert!(
        run.lines_with_code("unknown-key").is_empty(),
        "{}",
        run.stderr
    );
    assert!(
        run.summary()
            .contains("; 1 file skipped, not an article: README.md;"),
        "{}",
        run.summary()
    );
    // Nothing is said of the type of a file that is rejected.
    let all = site.run(&crate::util::standard_args(
        "build",
        "out",
        &["--input", root.to_str().unwrap(), "-v", "--format", "json"],
    ));
    let mut rejected = std::collections::BTreeSet::new();
    let mut typed = Vec::new();
    for line in all.stderr.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = v["path"].as_str().unwrap().to_string();
        match (v["severity"].as_str(), v["code"].as_str()) {
            (Some("error"), _) => {
                rejected.insert(path);
            }
            (_, Some("unknown-type")) => typed.push(path),
            _ => {}
        }
    }
    assert!(
        typed.iter().all(|path| !rejected.contains(path)),
        "{}",
        all.stderr
    );
}
