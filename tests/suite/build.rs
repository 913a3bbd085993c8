//! Building: determinism, untouched unchanged files, pruning, one bad file among good ones.

use std::fs;
use std::time::{Duration, SystemTime};

use crate::util::{Site, article, standard_args};

fn sample_site() -> Site {
    let site = Site::new();
    for i in 0..12 {
        let topic = ["AI", "AI Hardware", "Robots"][i % 3];
        let provider = ["one.example", "two.example"][i % 2];
        site.write(
            &format!("{i:02}.md"),
            article(
                &format!("Story {i}"),
                &format!("https://{provider}/{i}"),
                &format!("2023-05-{:02}T10:00:00Z", 1 + i % 5),
                &format!(
                    "topics: [{topic}]\nprovider: {{name: P{}, domain: {provider}}}\n",
                    i % 2
                ),
            ),
        );
    }
    site
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let site = sample_site();
    site.build(&[]).expect_code(0);
    let first = site.outputs();
    fs::remove_dir_all(site.out()).unwrap();
    site.build(&[]).expect_code(0);
    assert_eq!(first, site.outputs());
}

#[test]
fn input_order_and_file_names_do_not_matter() {
    let site = sample_site();
    site.build(&[]).expect_code(0);
    let reference = site.outputs();

    // The same articles, written in reverse order under names that sort the other way round
    // and spread over sub-folders.
    let shuffled = Site::new();
    let mut names: Vec<_> = fs::read_dir(site.articles())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for (i, path) in names.iter().rev().enumerate() {
        let text = fs::read(path).unwrap();
        shuffled.write(&format!("{}/z{:02}-{}.txt", i % 3, 99 - i, i), text);
    }
    shuffled.build(&[]).expect_code(0);
    let shuffled_out = shuffled.outputs();
    assert_eq!(
        reference.keys().collect::<Vec<_>>(),
        shuffled_out.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &reference {
        assert!(
            bytes == &shuffled_out[path],
            "{path} differs with shuffled input"
        );
    }
}

#[test]
fn unchanged_files_keep_their_mtime_and_changed_ones_are_rewritten() {
    let site = sample_site();
    site.build(&[]).expect_code(0);
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for path in site.outputs().keys() {
        let file = fs::File::options()
            .write(true)
            .open(site.out().join(path))
            .unwrap();
        file.set_modified(old).unwrap();
    }
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(run.stderr.contains(" 0 written"), "{}", run.stderr);
    for path in site.outputs().keys() {
        let mtime = fs::metadata(site.out().join(path))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(mtime, old, "{path} was touched");
    }

    // Change one article of topic Robots from provider two: only feeds holding it change.
    site.write(
        "05.md",
        article(
            "Story 5 revised",
            "https://two.example/5",
            "2023-05-01T10:00:00Z",
            "topics: [Robots]\nprovider: {name: P1, domain: two.example}\n",
        ),
    );
    site.build(&[]).expect_code(0);
    let touched: Vec<String> = site
        .outputs()
        .keys()
        .filter(|p| {
            fs::metadata(site.out().join(p))
                .unwrap()
                .modified()
                .unwrap()
                != old
        })
        .cloned()
        .collect();
    for path in &touched {
        assert!(
            !path.starts_with("topics/ai-hardware/")
                && !path.starts_with("providers/one-example-p0/"),
            "{path} changed although the edited article is not in it"
        );
    }
    assert!(
        touched.iter().any(|p| p == "topics/robots/rss.xml"),
        "{touched:?}"
    );
    assert!(
        touched
            .iter()
            .any(|p| p == "providers/two-example-p1/atom.xml"),
        "{touched:?}"
    );
    assert!(touched.iter().any(|p| p == "manifest.json"), "{touched:?}");
}

#[test]
fn stale_feeds_are_pruned_and_foreign_files_survive() {
    let site = sample_site();
    site.build(&[]).expect_code(0);
    assert!(site.out().join("topics/robots/rss.xml").exists());
    fs::write(site.out().join("README.txt"), "mine").unwrap();
    fs::write(site.out().join("topics/notes.txt"), "mine too").unwrap();
    fs::write(site.out().join("topics/robots/extra.txt"), "and this").unwrap();

    // Robots disappears from the input.
    for i in [2, 5, 8, 11] {
        fs::remove_file(site.articles().join(format!("{i:02}.md"))).unwrap();
    }
    let run = site.build(&[]);
    run.expect_code(0);
    assert!(run.stderr.contains(" 3 removed"), "{}", run.stderr);
    for format in ["rss.xml", "atom.xml", "feed.json"] {
        assert!(!site.out().join("topics/robots").join(format).exists());
    }
    assert_eq!(
        fs::read_to_string(site.out().join("README.txt")).unwrap(),
        "mine"
    );
    assert!(site.out().join("topics/notes.txt").exists());
    assert!(
        site.out().join("topics/robots/extra.txt").exists(),
        "folder with a foreign file kept"
    );
}

#[test]
fn a_broken_article_costs_the_others_nothing() {
    let site = sample_site();
    site.write("07-broken.md", "---\ntitle: \"unclosed\nwebUrl: x\n---\n");
    let run = site.build(&[]);
    run.expect_code(1);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0].starts_with("articles/07-broken.md:4:1: error[yaml-syntax]"),
        "{}",
        diagnostics[0]
    );
    let all = site.read("rss.xml");
    assert_eq!(all.matches("<item>").count(), 12);
    assert!(
        run.stderr.contains("13 articles read: 12 published"),
        "{}",
        run.stderr
    );
}

#[test]
fn limit_caps_every_feed() {
    let site = sample_site();
    site.build(&["--limit", "2"]).expect_code(0);
    for (path, bytes) in site.outputs() {
        if path.ends_with("rss.xml") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.matches("<item>").count() <= 2, "{path}");
        }
    }
    assert_eq!(site.read("rss.xml").matches("<item>").count(), 2);
}

#[test]
fn the_cache_never_changes_the_output() {
    let site = sample_site();
    site.write("body.md", "---\ntitle: With body\nwebUrl: https://b.example/1\npublishedDateTime: 2023-05-03T00:00:00Z\n---\nBody *text*.\n");
    site.build(&["--no-cache"]).expect_code(0);
    let cold = site.outputs();
    let cache = site.path(".newswire-cache/out/index.bin");
    let items = site.path(".newswire-cache/out/items.bin");
    assert!(!cache.exists(), "--no-cache writes no cache");

    // A first cached build writes the cache; a second one reads it: same bytes both times.
    fs::remove_dir_all(site.out()).unwrap();
    site.build(&[]).expect_code(0);
    assert!(cache.exists() && items.exists());
    assert_eq!(site.outputs(), cold);
    fs::remove_dir_all(site.out()).unwrap();
    site.build(&[]).expect_code(0);
    assert_eq!(site.outputs(), cold);

    // A stale cache: one article changed (same size, new mtime) and one removed.
    let edited = article(
        "Story X",
        "https://one.example/0",
        "2023-05-01T10:00:00Z",
        "topics: [AI]\nprovider: {name: P0, domain: one.example}\n",
    );
    fs::write(site.articles().join("00.md"), &edited).unwrap();
    fs::remove_file(site.articles().join("01.md")).unwrap();
    site.build(&[]).expect_code(0);
    let cached = site.outputs();
    // (on a site this small, the changes make a new full index, not a journal entry)
    fs::remove_dir_all(site.out()).unwrap();
    site.build(&["--no-cache"]).expect_code(0);
    let fresh = site.outputs();
    assert_eq!(
        cached.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &fresh {
        assert!(
            &cached[path] == bytes,
            "{path}: stale cache changed the output"
        );
    }
    assert!(site.read("rss.xml").contains("Story X"));

    // A corrupt index is ignored (and replaced).
    fs::write(&cache, b"\x00garbage\xff").unwrap();
    fs::remove_dir_all(site.out()).unwrap();
    site.build(&[]).expect_code(0);
    assert_eq!(site.outputs(), fresh);
    assert!(fs::read(&cache).unwrap().len() > 100);

    // Items damaged inside the data file, or a data file cut short, are noticed when read
    // back: the build starts again without the cache, and replaces it.
    let good = fs::read(&items).unwrap();
    let mut flipped = good.clone();
    for byte in flipped.iter_mut().skip(16).step_by(97) {
        *byte ^= 0x20;
    }
    for damaged in [flipped, good[..good.len() - 5].to_vec()] {
        fs::write(&items, &damaged).unwrap();
        fs::remove_dir_all(site.out()).unwrap();
        site.build(&[]).expect_code(0);
        assert_eq!(site.outputs(), fresh);
        assert_ne!(fs::read(&items).unwrap(), damaged, "replaced");
    }
    // `check` reads a damaged cache too, and writes nothing.
    let mut flipped = fs::read(&items).unwrap();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x20;
    fs::write(&items, &flipped).unwrap();
    site.command("check", &[]).expect_code(0);
    assert_eq!(fs::read(&items).unwrap(), flipped);
}

#[test]
fn journaled_cache_changes_never_change_the_output() {
    // Enough articles that a rebuild's few changes go to the cache's journal.
    let site = Site::new();
    let write = |i: usize, title: &str| {
        site.write(
            &format!("{i:03}.md"),
            article(
                title,
                &format!("https://p{}.example/{i}", i % 7),
                &format!("2023-05-{:02}T10:00:00Z", 1 + i % 27),
                &format!(
                    "topics: [T{}, All]\nprovider: {{name: P{}, domain: p{}.example}}\n",
                    i % 5,
                    i % 7,
                    i % 7
                ),
            ),
        );
    };
    for i in 0..300 {
        write(i, &format!("Story {i}"));
    }
    let journal = site.path(".newswire-cache/out/journal.bin");
    let index = site.path(".newswire-cache/out/index.bin");
    site.build(&[]).expect_code(0);
    let full = fs::read(&index).unwrap();
    for round in 0..3 {
        write(round, &format!("Changed {round}"));
        fs::remove_file(site.articles().join(format!("{:03}.md", 100 + round))).unwrap();
        write(400 + round, &format!("New {round}"));
        site.build(&[]).expect_code(0);
        assert!(journal.exists(), "round {round}: the changes are journaled");
        assert_eq!(fs::read(&index).unwrap(), full, "the full index stays");
        let cached = site.outputs();
        fs::remove_dir_all(site.out()).unwrap();
        site.build(&["--no-cache"]).expect_code(0);
        assert!(
            site.outputs() == cached,
            "round {round}: the journal changed the output"
        );
    }
    // A torn journal only costs the torn record.
    let bytes = fs::read(&journal).unwrap();
    fs::write(&journal, &bytes[..bytes.len() - 2]).unwrap();
    let expected = site.outputs();
    fs::remove_dir_all(site.out()).unwrap();
    site.build(&[]).expect_code(0);
    assert!(site.outputs() == expected);
}

#[test]
fn cached_diagnostics_are_reported_again() {
    let site = sample_site();
    site.write(
        "bad.md",
        "---\ntitle: x\nwebUrl: https://x.example/\npublishedDateTime: someday\n---\n",
    );
    let first = site.build(&[]);
    let second = site.build(&[]);
    first.expect_code(1);
    second.expect_code(1);
    assert_eq!(first.diagnostics(), second.diagnostics());
    assert_eq!(second.diagnostics().len(), 1);
}

#[test]
fn thread_count_does_not_change_the_output() {
    let site = sample_site();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "7"] {
        let out = format!("out-{threads}");
        let run = site
            .newswire(&standard_args("build", &out, &["--no-cache"]))
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(run.status.success());
        outputs.push(crate::util::read_tree(&site.path(&out)));
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn back_to_back_builds_in_one_process_each_save_the_cache() {
    // As `watch` and `serve` do: the second build must find the cache's lock free.
    use newswire::config::{Config, Overrides, Settings};
    use newswire::pipeline::{Silent, build};
    let site = Site::new();
    for i in 0..300 {
        site.write(
            &format!("{i:03}.md"),
            article(
                &format!("Story {i}"),
                &format!("https://p.example/{i}"),
                "2023-05-01T10:00:00Z",
                "",
            ),
        );
    }
    let overrides = Overrides {
        input: Some(site.articles()),
        output: Some(site.out()),
        base_url: Some(crate::util::BASE_URL.into()),
        now: Some(crate::util::NOW.parse().unwrap()),
        ..Overrides::default()
    };
    let settings = Settings::merge(Config::default(), site.root(), overrides).unwrap();
    build(&settings, &Silent).unwrap();
    let journal = site.path(".newswire-cache/out/journal.bin");
    let mut sizes = Vec::new();
    for round in 0..3 {
        site.write(
            "000.md",
            article(
                &format!("Changed {round}"),
                "https://p.example/0",
                "2023-05-01T10:00:00Z",
                "",
            ),
        );
        build(&settings, &Silent).unwrap();
        // Right away, as a watcher's next build would. Other tests of this binary start
        // processes, and one started in the same instant holds a copy of every descriptor,
        // the lock's too, until it execs: so "free" is "free within a second".
        let items = fs::File::open(site.path(".newswire-cache/out/items.bin")).unwrap();
        let free = (0..100).any(|_| {
            let ok = items.try_lock().is_ok();
            if !ok {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            ok
        });
        assert!(free, "round {round}: the cache's lock is free");
        drop(items);
        sizes.push(fs::metadata(&journal).map_or(0, |m| m.len()));
    }
    assert!(
        sizes[0] > 0 && sizes[0] < sizes[1] && sizes[1] < sizes[2],
        "{sizes:?}"
    );
}
