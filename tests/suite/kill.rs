//! A build killed at any moment (SIGKILL) loses nothing published: every file the last
//! finished build listed is still there whole (its old or its new bytes, never a mix), and the
//! next build gives what a fresh build gives.
//!
//! Each round, the output folder holds a finished build of one version of the input; the input
//! is switched to the other version (new titles everywhere, and three topics swapped for three
//! others, so files are replaced, added and pruned), a build is started and SIGKILLed, and a
//! build is run to the end. The delay before the kill adapts to where the write stage of a
//! build falls on this machine, and the test asserts that at least a quarter of the kills
//! landed in it: right after those, the `.newswire.writing` mark (written before the first
//! file, removed after the last prune) was in the output folder.
//!
//! A build killed after writing its manifest, before it pruned, leaves stale files that no
//! manifest lists; the writing mark lists them, so the next build prunes them all the same (the
//! test at the end pins it).
//!
//! 25 kills by default; `NEWSWIRE_KILL_ROUNDS=500 cargo test --release --test suite kill` is
//! the long run.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{Site, article, assert_same_tree, manifest, standard_args};

type Tree = BTreeMap<String, Vec<u8>>;

/// The mark a build leaves in the output folder while it writes (`src/write/guard.rs`).
const WRITING: &str = ".newswire.writing";

/// The two versions of the input.
const VERSIONS: [&str; 2] = ["old", "new"];

fn write_articles(site: &Site, version: usize) {
    for i in 0..48 {
        site.write(
            &format!("{i:03}.md"),
            article(
                &format!("Story {i} ({})", VERSIONS[version]),
                &format!("https://p{}.example/{i}", i % 4),
                &format!("2023-05-{:02}T10:00:00Z", 1 + i % 28),
                &format!(
                    "topics: [AI, Topic {}]\nprovider: {{name: P{}, domain: p{}.example}}\n",
                    i % 12 + 3 * version,
                    i % 4,
                    i % 4
                ),
            ),
        );
    }
}

/// What a fresh build of `version` writes.
fn fresh_build(version: usize) -> Tree {
    let site = Site::new();
    write_articles(&site, version);
    site.build(&["--quiet"]).expect_code(0);
    site.outputs()
}

/// Every path a manifest lists, and the manifest itself.
fn listed(files: &Tree) -> BTreeSet<String> {
    let manifest = manifest(files);
    let mut paths = BTreeSet::from(["manifest.json".to_string()]);
    for list in ["feeds", "files"] {
        for entry in manifest[list].as_array().expect("a list") {
            paths.insert(entry["path"].as_str().expect("a path").to_string());
        }
    }
    paths
}

/// A temporary file of a build (`.<name>.<pid>.tmp`), or its writing mark.
fn is_scaffolding(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == WRITING || (name.starts_with('.') && name.ends_with(".tmp"))
}

/// Where a kill landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Landed {
    /// Before the write stage: the output folder is untouched.
    Early,
    /// In the write stage: the writing mark is there.
    MidWrite,
    /// After the write stage, or after the build ended on its own.
    Late,
}

#[test]
fn killed_builds_never_lose_a_published_file() {
    let rounds: usize = std::env::var("NEWSWIRE_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(25);
    let fresh = [fresh_build(0), fresh_build(1)];
    let listed_by = [listed(&fresh[0]), listed(&fresh[1])];
    assert_ne!(
        listed_by[0], listed_by[1],
        "the versions differ in their files"
    );

    let site = Site::new();
    let build_args = standard_args("build", "out", &["--quiet"]);
    write_articles(&site, 0);
    site.build(&["--quiet"]).expect_code(0);
    assert_eq!(site.outputs(), fresh[0]);

    // The kill delay is drawn from [early, late], which closes in on the write stage: a kill
    // that lands before it moves `early` up, one that lands after it moves `late` down.
    write_articles(&site, 1);
    let started = Instant::now();
    site.build(&["--quiet"]).expect_code(0);
    let (mut early, mut late) = (0, (started.elapsed().as_micros() as u64 * 3 / 2).max(2_000));
    assert_eq!(site.outputs(), fresh[1]);
    let mut published = 1;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut landed = BTreeMap::<Landed, usize>::new();
    let (mut temps_left, mut unpruned_left) = (0, 0);
    let mut before = site.outputs();
    // `rounds` kills, and more (up to three times as many) while too few landed mid-write.
    let mut round = 0;
    loop {
        let mid_write = landed.get(&Landed::MidWrite).copied().unwrap_or(0);
        if round >= rounds && (mid_write * 4 >= rounds || round >= rounds * 3) {
            break;
        }
        round += 1;
        let (from, to) = (published, 1 - published);
        write_articles(&site, to);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = early + seed % (late - early).max(1);
        let mut child = site
            .newswire(&build_args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn newswire");
        std::thread::sleep(Duration::from_micros(delay));
        let ended_first = child.try_wait().expect("try_wait").is_some();
        let _ = child.kill();
        let _ = child.wait();

        let after = site.outputs();
        let context = format!("round {round}, kill after {delay} µs");
        let new_manifest = after.get("manifest.json") == fresh[to].get("manifest.json");
        let where_ = if ended_first {
            Landed::Late
        } else if after.contains_key(WRITING) {
            Landed::MidWrite
        } else if new_manifest {
            Landed::Late
        } else {
            Landed::Early
        };
        *landed.entry(where_).or_default() += 1;
        temps_left += usize::from(
            after
                .keys()
                .any(|p| is_scaffolding(p) && !p.ends_with(WRITING)),
        );
        match where_ {
            Landed::Early => {
                assert_eq!(after, before, "{context}: touched before writing");
                early = (early + delay) / 2;
            }
            Landed::Late => late = ((late + delay) / 2).max(early + 1000),
            Landed::MidWrite => {}
        }

        // Nothing the last finished build published is lost or torn: each file it listed is
        // its old or its new self, or gone because the new manifest (on disk) dropped it.
        for path in &listed_by[from] {
            match after.get(path) {
                Some(bytes) => assert!(
                    fresh.iter().any(|v| v.get(path) == Some(bytes)),
                    "{context}: {path} is torn (neither version's bytes)"
                ),
                None => assert!(
                    new_manifest && !listed_by[to].contains(path),
                    "{context}: {path} was published and is gone"
                ),
            }
        }
        // Nor is any other file half-written, except the build's own temporary files.
        for (path, bytes) in after.iter().filter(|(p, _)| !is_scaffolding(p)) {
            assert!(
                fresh.iter().any(|v| v.get(path) == Some(bytes)),
                "{context}: {path} is neither version's"
            );
        }

        // Killed after its manifest was written, before it pruned: what it had not pruned yet
        // is listed by no manifest now, only by the writing mark.
        unpruned_left += usize::from(
            new_manifest
                && listed_by[from]
                    .difference(&listed_by[to])
                    .any(|p| after.contains_key(p)),
        );

        // The next build finishes the job: exactly a fresh build's tree, temporary files and
        // stale files gone.
        site.build(&["--quiet"]).expect_code(0);
        before = site.outputs();
        assert_same_tree(
            &format!("{context} ({where_:?}): the next build"),
            &fresh[to],
            &before,
            "",
        );
        published = to;
    }
    eprintln!(
        "kill: {round} kills: {landed:?}; {temps_left} left temporary files, {unpruned_left} \
         left stale files unpruned; delays now {early}..{late} µs"
    );
    let mid_write = landed.get(&Landed::MidWrite).copied().unwrap_or(0);
    assert!(
        mid_write * 4 >= rounds,
        "only {mid_write} of {round} kills landed mid-write ({landed:?})"
    );
}

/// Regression (issue 13): a build writes its manifest, then prunes what the previous manifest
/// listed and it no longer makes. Killed in between, it leaves stale files that its own manifest
/// does not list; only its writing mark, which lists every path it owned (the previous
/// manifest's and its own, as JSON), still does. This sets that state up by hand: the new files
/// and manifest in place, the mark, the stale files still there; the next build must finish
/// the pruning.
#[test]
fn a_build_killed_while_pruning_leaves_nothing_stale() {
    let site = Site::new();
    write_articles(&site, 0);
    site.build(&["--quiet"]).expect_code(0);
    let new = fresh_build(1);
    for (path, bytes) in &new {
        let path = site.out().join(path);
        std::fs::create_dir_all(path.parent().expect("in out/")).expect("mkdir");
        std::fs::write(path, bytes).expect("write a new file");
    }
    let (old, new_paths) = (listed(&fresh_build(0)), listed(&new));
    let owned: BTreeSet<&String> = old.union(&new_paths).collect();
    let mark = serde_json::to_vec(&owned).expect("the mark as JSON");
    std::fs::write(site.out().join(WRITING), mark).expect("the writing mark");
    let stale: Vec<&String> = old.difference(&new_paths).collect();
    assert!(!stale.is_empty() && stale.iter().all(|p| site.out().join(p).is_file()));

    write_articles(&site, 1);
    site.build(&["--quiet"]).expect_code(0);
    assert_same_tree("the build after", &new, &site.outputs(), "");
}
