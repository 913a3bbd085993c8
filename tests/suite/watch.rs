//! `newswire watch` as a user runs it: the first build, then a rebuild after an article changes
//! and after `newswire.yaml` is saved the way editors save (a new file renamed over the old),
//! and no rebuild loop when the cache folder lives inside the input folder (the output folder
//! cannot: `build` refuses that).

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::util::{BASE_URL as BASE, NOW, Site, article, newswire};

/// A running `newswire watch`, killed when dropped; its stderr lines arrive on `lines`.
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    /// Starts `newswire watch` in `site` with the test defaults and `output`, and waits for the
    /// first build to finish.
    fn start(site: &Site, output: &str) -> Watching {
        let mut child = newswire()
            .current_dir(site.root())
            .args([
                "watch",
                "--input",
                "articles",
                "--output",
                output,
                "--base-url",
                BASE,
                "--now",
                NOW,
            ])
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut watching = Watching { child, lines };
        watching.line_within(Duration::from_secs(60), "newswire: watching ");
        watching
    }

    /// Waits (at most `limit`) for a line containing `text`; fails on an error line.
    fn line_within(&mut self, limit: Duration, text: &str) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => assert!(!line.contains("error"), "{line}"),
                Err(e) => panic!("no line with {text:?} within {limit:?}: {e}"),
            }
        }
    }

    /// Waits (at most `limit`) for the next build report ("N articles read").
    fn next_build(&mut self, limit: Duration) {
        self.line_within(limit, " articles read: ");
    }

    /// How many builds report during `window`.
    fn builds_during(&mut self, window: Duration) -> usize {
        let deadline = Instant::now() + window;
        let mut builds = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(" articles read: ") => builds += 1,
                Ok(line) => assert!(!line.contains("error"), "{line}"),
                Err(_) => return builds,
            }
        }
    }
}

/// Polls `what` until it holds, for at most 10 s (a liveness bound, not a speed assertion);
/// returns how long it took.
fn eventually(what: &str, mut holds: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !holds() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: no rebuild within 10 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    started.elapsed()
}

#[test]
fn watch_rebuilds_after_an_article_or_the_config_changes() {
    let site = Site::new();
    site.write(
        "a.md",
        article("First", "https://a.example/1", "2023-05-01T10:00:00Z", ""),
    );
    std::fs::write(site.path("newswire.yaml"), "title: Before\n").unwrap();
    let _watching = Watching::start(&site, "out");
    let rss = || std::fs::read_to_string(site.out().join("rss.xml")).unwrap_or_default();
    assert!(rss().contains("<title>Before</title>"));
    assert!(rss().contains("First") && !rss().contains("Second"));

    // (a) A new article.
    site.write(
        "b.md",
        article("Second", "https://a.example/2", "2023-05-02T10:00:00Z", ""),
    );
    let took = eventually("a new article", || rss().contains("Second"));
    println!("rebuilt {took:?} after an article was added");

    // (b) The config, saved as editors do: written beside it, then renamed over it.
    std::fs::write(site.path("newswire.yaml.tmp"), "title: After\nlimit: 1\n").unwrap();
    std::fs::rename(site.path("newswire.yaml.tmp"), site.path("newswire.yaml")).unwrap();
    let took = eventually("a config edit", || rss().contains("<title>After</title>"));
    println!("rebuilt {took:?} after the config changed");
    // limit: 1 keeps only the newest item.
    assert!(rss().contains("Second") && !rss().contains("First"));
}

#[test]
fn a_cache_inside_the_input_folder_sets_off_no_rebuild_loop() {
    let site = Site::new();
    site.write(
        "a.md",
        article("First", "https://a.example/1", "2023-05-01T10:00:00Z", ""),
    );
    std::fs::write(site.path("newswire.yaml"), "cache_dir: articles/cache\n").unwrap();
    let mut watching = Watching::start(&site, "out");
    assert!(
        site.path("articles/cache").is_dir(),
        "the cache is where asked"
    );
    // Well over the debounce: a build set off by its own writes would have reported by now.
    assert_eq!(watching.builds_during(Duration::from_secs(2)), 0, "a loop");

    site.write(
        "b.md",
        article("Second", "https://a.example/2", "2023-05-02T10:00:00Z", ""),
    );
    watching.next_build(Duration::from_secs(10));
    assert!(site.read("rss.xml").contains("Second"));
    assert_eq!(watching.builds_during(Duration::from_secs(2)), 0, "a loop");
}
