//! The catalogue of bad input (`tests/fixtures/invalid/`): each file, built beside a good
//! article, gets exactly one error with its code on its line, is left out, and the good article
//! still reaches its feeds. Plus hostile-but-valid text (`tests/fixtures/hostile-text/`), which
//! must be published and stay well-formed.

use std::fs;

use crate::util::{Site, article, fixture, parse_items};

/// (file, code, line) for every case in `tests/fixtures/invalid/`.
const CATALOGUE: &[(&str, &str, usize)] = &[
    ("no-front-matter.md", "no-front-matter", 1),
    ("unterminated.md", "unterminated-front-matter", 1),
    ("empty.md", "empty-file", 1),
    ("only-dashes.md", "unterminated-front-matter", 1),
    ("empty-front-matter.md", "empty-front-matter", 2),
    ("bad-indentation.md", "yaml-syntax", 3),
    ("tabs.md", "yaml-syntax", 3),
    ("unclosed-quote.md", "yaml-syntax", 4),
    ("duplicate-key.md", "duplicate-key", 2),
    ("yaml-list.md", "not-a-mapping", 2),
    ("yaml-scalar.md", "not-a-mapping", 2),
    ("topics-scalar.md", "wrong-type", 5),
    ("quality-text.md", "wrong-type", 5),
    ("images-mapping.md", "wrong-type", 5),
    ("missing-title.md", "missing-title", 1),
    ("empty-title.md", "missing-title", 2),
    ("markup-only-title.md", "missing-title", 2),
    ("missing-link.md", "missing-link", 1),
    ("empty-link.md", "missing-link", 3),
    ("unparseable-date.md", "invalid-date", 4),
    ("date-before-1990.md", "implausible-date", 4),
    ("javascript-link.md", "invalid-link", 3),
    ("data-link.md", "invalid-link", 3),
    ("file-link.md", "invalid-link", 3),
    ("relative-link.md", "invalid-link", 3),
    ("space-in-link.md", "invalid-link", 3),
    ("long-link.md", "invalid-link", 3),
    ("lone-surrogate.md", "yaml-syntax", 2),
    ("deep-nesting.md", "too-deeply-nested", 5),
    ("alias-bomb.md", "wrong-type", 13),
    ("latin1.md", "not-utf8", 2),
];

fn good() -> String {
    article(
        "The good one",
        "https://good.example/story",
        "2023-05-01T10:00:00Z",
        "topics: [AI]\n",
    )
}

#[test]
fn the_catalogue_is_complete() {
    let mut files: Vec<String> = fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut listed: Vec<String> = CATALOGUE.iter().map(|c| c.0.to_string()).collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "every fixture has an expected diagnostic, and only those"
    );
}

#[test]
fn each_bad_file_gets_one_precise_error_and_costs_nothing_else() {
    for &(file, code, line) in CATALOGUE {
        let site = Site::new();
        site.write("good.md", good());
        site.write(file, fs::read(fixture("invalid").join(file)).unwrap());
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{file}: exit code\n{}", run.stderr);
        let diagnostics = run.diagnostics();
        assert_eq!(diagnostics.len(), 1, "{file}: {diagnostics:?}");
        let prefix = format!("articles/{file}:{line}:");
        assert!(
            diagnostics[0].starts_with(&prefix)
                && diagnostics[0].contains(&format!(": error[{code}]: ")),
            "{file}: want {prefix} error[{code}], got {}",
            diagnostics[0]
        );
        for feed in ["rss.xml", "topics/ai/rss.xml"] {
            let text = site.read(feed);
            assert_eq!(text.matches("<item>").count(), 1, "{file}: {feed}");
            assert!(text.contains("The good one"), "{file}: {feed}");
        }
    }
}

#[test]
fn a_huge_file_is_refused_without_reading_it_all() {
    let site = Site::new();
    site.write("good.md", good());
    let mut huge = b"---\ntitle: huge\n".to_vec();
    huge.resize(100 * 1024 * 1024, b'a');
    site.write("huge.md", huge);
    let run = site.build(&[]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("articles/huge.md:1:1: error[file-too-large]"),
        "{}",
        run.stderr
    );
    assert!(site.read("rss.xml").contains("The good one"));
}

#[test]
fn thousands_of_duplicates_give_one_item() {
    let site = Site::new();
    for i in 0..2000 {
        site.write(
            &format!("copy{i:04}.md"),
            article(
                "Copied",
                "https://dup.example/one",
                &format!("2023-05-01T10:{:02}:00Z", i % 60),
                "",
            ),
        );
    }
    let run = site.build(&[]);
    run.expect_code(0);
    // 1,999 warnings of one code are one line to a person, every one with `-v`.
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(
        run.diagnostics()[0].starts_with("warning[duplicate-link]: 1999 files, e.g. articles/copy"),
        "{}",
        run.stderr
    );
    let all = site.build(&["-v"]);
    assert_eq!(all.diagnostics().len(), 1999);
    assert!(
        all.diagnostics()
            .iter()
            .all(|d| d.contains("warning[duplicate-link]"))
    );
    let rss = site.read("rss.xml");
    assert_eq!(rss.matches("<item>").count(), 1);
    // The newest copy wins; among equally new ones, the first path.
    assert!(rss.contains("10:59:00 +0000"), "{rss}");
}

#[test]
fn hostile_text_is_published_safely() {
    let site = Site::new();
    for entry in fs::read_dir(fixture("hostile-text")).unwrap() {
        let entry = entry.unwrap();
        site.write(
            &entry.file_name().to_string_lossy(),
            fs::read(entry.path()).unwrap(),
        );
    }
    let run = site.build(&[]);
    run.expect_code(0);
    let files = site.outputs();
    let published = crate::util::manifest(&files)["feeds"][0]["items"]
        .as_u64()
        .unwrap();
    assert_eq!(published, 9, "every hostile-text article is published");
    for (path, bytes) in &files {
        if path.ends_with(".xml") && path != "feeds.opml" {
            parse_items(path, bytes);
        }
        let text = String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{path}: not UTF-8"));
        assert!(!text.contains("<script"), "{path}: script tag");
        assert!(
            !text
                .chars()
                .any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}')),
            "{path}: control character"
        );
    }
    let rss = site.read("rss.xml");
    assert!(
        rss.contains("https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC"),
        "IDNA host and path encoded"
    );
    assert!(rss.contains("https://h.example/ok.png") && !rss.contains("relative.png"));
    for path in files.keys() {
        assert!(
            path.split('/').all(|part| !part.is_empty()
                && part != ".."
                && part != "."
                && part.len() <= 64 + 10),
            "unsafe output path {path}"
        );
    }
    assert!(files.keys().any(|p| p.starts_with("topics/etc/")));
    assert!(files.keys().any(|p| p.starts_with("topics/con-feed/")));
}
