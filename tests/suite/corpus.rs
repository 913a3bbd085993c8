//! The shared corpus of real article files (`../shared/corpus`). Every test here carries
//! `#[cfg_attr(not(corpus), ignore = "../shared/corpus is absent")]` (`build.rs` sets
//! `cfg(corpus)`), so where the folder is absent they show as ignored, with the reason, and
//! `.ci/run` counts them.

use std::fs;

use crate::readback::check_all_feeds;
use crate::util::{Site, corpus};

#[test]
#[cfg_attr(not(corpus), ignore = "../shared/corpus is absent")]
fn corpus_builds_clean_and_leaks_nothing() {
    let dir = corpus();
    let site = Site::new();
    let run = site.run(&[
        "build",
        "--input",
        dir.to_str().unwrap(),
        "--output",
        "out",
        "--base-url",
        "https://everyday-cc.github.io/ai/feeds/",
        "--now",
        "2026-01-01T00:00:00Z",
    ]);
    run.expect_code(0);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("115 articles read: 78 published, 37 unpublished, 0 held back, 0 rejected"),
        "{}",
        run.stderr
    );
    let files = site.outputs();
    let feeds = check_all_feeds(&files);
    assert!(feeds.len() > 100);

    // No `secured` value and no link of an unpublished article appears in any output file.
    let mut secrets = Vec::new();
    let mut unpublished = Vec::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            if let Some(value) = line.strip_prefix("secured: ") {
                secrets.push(
                    value
                        .trim_matches('"')
                        .split(';')
                        .next()
                        .unwrap()
                        .to_string(),
                );
            }
        }
        if text.contains("\npublished: false") {
            let link = text
                .lines()
                .find_map(|l| {
                    l.strip_prefix("webUrl: ")
                        .or_else(|| l.strip_prefix("website: "))
                })
                .map(|l| l.trim_matches('"').to_string());
            unpublished.extend(link);
        }
    }
    assert_eq!(secrets.len(), 111);
    assert!(unpublished.len() >= 30);
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for secret in &secrets {
            assert!(!text.contains(&secret[..40]), "secured blob in {path}");
        }
        if path.ends_with(".xml") || path.ends_with(".json") {
            for link in &unpublished {
                // An unpublished article may still be named as related coverage of a published one.
                assert!(
                    !text.contains(&format!("<link>{link}</link>"))
                        && !text.contains(&format!("\"url\": \"{link}\"")),
                    "unpublished {link} is an item of {path}"
                );
            }
        }
    }

    // Every link, guid and href is absolute http(s).
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".xml")) {
        let text = String::from_utf8_lossy(bytes);
        for part in text
            .split("href=\"")
            .skip(1)
            .chain(text.split("<link>").skip(1))
        {
            assert!(
                part.starts_with("http://") || part.starts_with("https://"),
                "{path}: {}",
                &part[..40.min(part.len())]
            );
        }
    }
}
