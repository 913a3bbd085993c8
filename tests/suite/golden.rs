//! Golden fixture sites: `tests/fixtures/sites/<case>/` holds `newswire.yaml`, `articles/` and
//! `expected/`: the whole output tree, plus `expected/stderr.txt` (the diagnostics) and
//! `expected/status` (the exit code). Compared byte for byte, file set included.
//!
//! `NEWSWIRE_BLESS=1 cargo test --test suite golden` rewrites `expected/` from the current
//! output; review the diff before committing it.

use std::fs;

use crate::util::{BLESS_HINT, assert_same_tree, bless, build_fixture, fixture, read_tree};

fn check_case(case: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = build_fixture(case, &out);
    let mut actual = read_tree(&out);
    actual.insert("stderr.txt".into(), run.stderr.into_bytes());
    let status = format!("{}\n", run.code);
    actual.insert("status".into(), status.into_bytes());

    let expected_dir = fixture("sites").join(case).join("expected");
    if bless() {
        let _ = fs::remove_dir_all(&expected_dir);
        for (path, bytes) in &actual {
            let target = expected_dir.join(path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
        return;
    }
    assert_same_tree(case, &read_tree(&expected_dir), &actual, BLESS_HINT);
}

#[test]
fn basic() {
    check_case("basic");
}

#[test]
fn rejects() {
    check_case("rejects");
}

#[test]
fn duplicates() {
    check_case("duplicates");
}

#[test]
fn topics() {
    check_case("topics");
}

#[test]
fn rich() {
    check_case("rich");
}

#[test]
fn kinds() {
    check_case("kinds");
}

#[test]
fn definitions() {
    check_case("definitions");
}

#[test]
fn websub() {
    check_case("websub");
}

/// The golden files each `RENDER_VERSION` renders (XXH3-128 over every expected feed and site
/// file, in path order: not the manifest). When rendering changes, this test fails until
/// `RENDER_VERSION` is bumped and the new digest recorded here, so incremental builds never
/// keep feeds, index pages or OPML lists from an old renderer (all are skipped when their
/// fingerprints match).
/// (Version 2's digest was first taken over the feeds alone; it covers the site files since
/// they got fingerprints, with the renderer unchanged; it is XXH3 since newswire hashes with
/// one family, the golden files unchanged. Version 3 shows each kind's facts and extensions:
/// an event's start and end in `basic`, and the `kinds` case; its digest was taken again when
/// the catalogue grew feeds by kind and defined feeds, and providers became names within their
/// domains: the same renderer, given more feeds, and feeds in other folders.)
const RENDERED_BY_VERSION: &[(u32, &str)] = &[(3, "b81fa3edcd63aa9572d4a72fa335b01c")];

/// Cases added after a version's digest was taken, each pinned on its own (same rule: its
/// digest changes only with `RENDER_VERSION`), so adding a case leaves the digests above as
/// they were. `websub`: feeds that link WebSub hubs (same renderer, version 3).
const CASES_PINNED_APART: &[(&str, u32, &str)] =
    &[("websub", 3, "04880256ec0b4db727af736ea5fc5efe")];

/// XXH3-128 over the rendered golden files (feeds and site files, not the manifest) of the
/// given cases, in path order.
fn rendered_digest(cases: &[std::path::PathBuf]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    for case in cases {
        for (path, bytes) in read_tree(&case.join("expected")) {
            if [".xml", "feed.json", ".opml", ".html", ".xsl"]
                .iter()
                .any(|end| path.ends_with(end))
            {
                hasher.update(path.as_bytes());
                hasher.update(&bytes);
            }
        }
    }
    format!("{:032x}", hasher.digest128())
}

#[test]
fn render_version_changes_with_the_rendering() {
    let root = fixture("sites");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let apart = |case: &std::path::PathBuf| {
        CASES_PINNED_APART
            .iter()
            .any(|(name, ..)| case.file_name().is_some_and(|n| n == *name))
    };
    let current = newswire::render::RENDER_VERSION;
    let hint = |digest: &str, list: &str| {
        format!(
            "the golden feeds or site files changed: bump RENDER_VERSION in src/render/mod.rs (now {current}, \
             unless already bumped for this change) and record (<the new version>, \"{digest}\") in {list}"
        )
    };
    let together: Vec<_> = cases.iter().filter(|c| !apart(c)).cloned().collect();
    let digest = rendered_digest(&together);
    let recorded = RENDERED_BY_VERSION
        .iter()
        .find(|(v, _)| *v == current)
        .map(|(_, d)| *d);
    assert_eq!(
        recorded,
        Some(digest.as_str()),
        "{}",
        hint(&digest, "RENDERED_BY_VERSION")
    );
    for (name, ..) in CASES_PINNED_APART {
        let digest = rendered_digest(&[root.join(name)]);
        let recorded = CASES_PINNED_APART
            .iter()
            .find(|(n, v, _)| n == name && *v == current)
            .map(|(.., d)| *d);
        assert_eq!(
            recorded,
            Some(digest.as_str()),
            "{name}: {}",
            hint(&digest, "CASES_PINNED_APART")
        );
    }
}
