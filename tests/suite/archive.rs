//! Archives (RFC 5005 §4) and byte budgets: every published item of a feed reachable exactly
//! once from its subscription document through `prev-archive` (RSS, Atom) and `next_url`
//! (JSON Feed); archive pages that stay as they are when articles are added, and change one at
//! a time when an article is edited or withdrawn; `max_bytes` held by every file.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::util::{Article, BASE_URL, Site, read_tree};

/// The three formats' file names in a feed's folder.
const FORMATS: [&str; 3] = ["rss.xml", "atom.xml", "feed.json"];

/// One document of a chain: its items (id, date) and the next older document's URL.
struct Document {
    items: Vec<(String, DateTime<Utc>)>,
    older: Option<String>,
}

/// Reads the document at `path` (a feed file or an archive page) in its format.
fn document(path: &Path) -> Document {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("rss") {
        let channel = rss::Channel::read_from(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let older = (channel.extensions().get("atom").and_then(|m| m.get("link")))
            .into_iter()
            .flatten()
            .find(|l| l.attrs().get("rel").map(String::as_str) == Some("prev-archive"))
            .and_then(|l| l.attrs().get("href").cloned());
        let items = (channel.items().iter())
            .map(|i| {
                let date = i.pub_date().expect("pubDate");
                let date = DateTime::parse_from_rfc2822(date)
                    .expect("RFC 2822")
                    .to_utc();
                (i.guid().expect("guid").value().to_string(), date)
            })
            .collect();
        Document { items, older }
    } else if name.starts_with("atom") {
        let feed = atom_syndication::Feed::read_from(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let older = (feed.links().iter())
            .find(|l| l.rel() == "prev-archive")
            .map(|l| l.href().to_string());
        let items = (feed.entries().iter())
            .map(|e| {
                (
                    e.id().to_string(),
                    e.published().expect("published").to_utc(),
                )
            })
            .collect();
        Document { items, older }
    } else {
        let json: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
        let older = json["next_url"].as_str().map(String::from);
        let items = (json["items"].as_array().expect("items").iter())
            .map(|i| {
                let date = i["date_published"].as_str().expect("date_published");
                let date = DateTime::parse_from_rfc3339(date)
                    .expect("RFC 3339")
                    .to_utc();
                (i["id"].as_str().expect("id").to_string(), date)
            })
            .collect();
        Document { items, older }
    }
}

/// Walks a feed's chain from its subscription document `file` (below `out`): every document's
/// items, the subscription document's first.
fn chain(out: &Path, file: &str) -> Vec<Vec<(String, DateTime<Utc>)>> {
    let mut documents = Vec::new();
    let mut next = Some(out.join(file));
    while let Some(path) = next {
        let doc = document(&path);
        documents.push(doc.items);
        next = doc.older.map(|url| {
            let rel = url
                .strip_prefix(BASE_URL)
                .unwrap_or_else(|| panic!("{url} is not below {BASE_URL}"));
            assert!(
                rel.contains("/archive/") || rel.starts_with("archive/"),
                "{url}"
            );
            out.join(rel)
        });
        assert!(documents.len() < 100_000, "{file}: the chain loops");
    }
    documents
}

/// Every feed's subscription documents below `out`: (folder, file).
fn subscriptions(out: &Path) -> Vec<(String, &'static str)> {
    let files = read_tree(out);
    let mut found = Vec::new();
    for path in files.keys() {
        for format in FORMATS {
            if let Some(dir) = path.strip_suffix(format)
                && (dir.is_empty() || dir.ends_with('/'))
            {
                found.push((dir.to_string(), format));
            }
        }
    }
    found
}

/// Checks every chain below `out`: each item once, newest first across the documents (but in
/// the events feed, which is ordered by start), no archive page over `per_page` items, the
/// three formats alike; returns each feed's items by folder.
fn check_chains(out: &Path, per_page: usize) -> BTreeMap<String, BTreeSet<String>> {
    let mut feeds: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (dir, format) in subscriptions(out) {
        let file = format!("{dir}{format}");
        let documents = chain(out, &file);
        for page in &documents[1..] {
            assert!(page.len() <= per_page, "{file}: a page of {}", page.len());
        }
        let items: Vec<&(String, DateTime<Utc>)> = documents.iter().flatten().collect();
        let ids: BTreeSet<String> = items.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(ids.len(), items.len(), "{file}: an item listed twice");
        if dir != "kinds/event/" {
            for pair in items.windows(2) {
                assert!(pair[0].1 >= pair[1].1, "{file}: not newest first: {pair:?}");
            }
        }
        match feeds.get(&dir) {
            Some(other) => assert_eq!(other, &ids, "{file}: not what the other formats list"),
            None => {
                feeds.insert(dir, ids);
            }
        }
    }
    feeds
}

/// Every feed's items as a build with no limit and no archive lists them (stories not merged:
/// an archive lists every report of a story), by folder.
fn every_member(site: &Site) -> BTreeMap<String, BTreeSet<String>> {
    site.build_into(
        "all",
        &[
            "--config",
            "unlimited.yaml",
            "--limit",
            "1000000",
            "--formats",
            "json",
        ],
    )
    .expect_code(0);
    let out = site.path("all");
    subscriptions(&out)
        .into_iter()
        .map(|(dir, file)| {
            let ids = document(&out.join(format!("{dir}{file}"))).items;
            (dir, ids.into_iter().map(|(id, _)| id).collect())
        })
        .collect()
}

/// A site of `count` articles, a day apart from 2024-01-01 on, over five topics, four
/// providers and some related reports; `config` is its `newswire.yaml` (with `archive: true`
/// when the test wants it).
fn generated(count: usize, config: &str) -> Site {
    let site = Site::new();
    site.write_file("newswire.yaml", config);
    site.write_file(
        "unlimited.yaml",
        "merge_related: false\nmax_bytes: 5000000\n",
    );
    for n in 0..count {
        site.article(&format!("a{n:04}.md"), &numbered(n, ""));
    }
    site
}

/// Article `n` of [`generated`], its title ending in `suffix`.
fn numbered(n: usize, suffix: &str) -> Article {
    const TOPICS: [&str; 5] = ["AI", "Chips", "Robots", "Cloud", "Policy"];
    const PROVIDERS: [(&str, &str); 4] = [
        ("Northwind", "northwind.example"),
        ("Contoso News", "contoso.example"),
        ("Fabrikam", "fabrikam.example"),
        ("Tailspin", "tailspin.example"),
    ];
    let date = Utc.with_ymd_and_hms(2024, 1, 1, 8, 0, 0).unwrap() + Duration::hours(n as i64 * 7);
    let (name, domain) = PROVIDERS[n % 4];
    let mut article = Article::new(
        &format!("Report {n}{suffix}"),
        &format!("https://{domain}/r/{n}"),
        &date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
    .text("excerpt", &format!("What happened in report {n}."))
    .provider(name, domain)
    .topics(&[TOPICS[n % 5], TOPICS[(n / 5) % 5]]);
    if n % 9 == 3 && n > 0 {
        let (_, other) = PROVIDERS[(n - 1) % 4];
        article = article.yaml(&format!(
            "related:\n  - url: \"https://{other}/r/{}\"\n",
            n - 1
        ));
    }
    article
}

const CONFIG: &str = "archive: true\narchive_page: 10\nlimit: 7\n";

/// Every file of `out` below an `archive/` folder: bytes and mtime.
fn pages(out: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    read_tree(out)
        .into_iter()
        .filter(|(path, _)| path.contains("archive/"))
        .map(|(path, bytes)| {
            let mtime = fs::metadata(out.join(&path)).unwrap().modified().unwrap();
            (path, (bytes, mtime))
        })
        .collect()
}

/// How many items a page lists.
fn items_on(out: &Path, path: &str) -> usize {
    document(&out.join(path)).items.len()
}

/// The archive pages that differ between two builds' [`pages`], by path.
fn changed(
    before: &BTreeMap<String, (Vec<u8>, SystemTime)>,
    after: &BTreeMap<String, (Vec<u8>, SystemTime)>,
) -> BTreeSet<String> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    paths
        .into_iter()
        .filter(|p| before.get(*p).map(|b| &b.0) != after.get(*p).map(|a| &a.0))
        .cloned()
        .collect()
}

fn build(site: &Site) {
    site.build(&["--config", "newswire.yaml"]).expect_code(0);
}

#[test]
fn every_item_is_reachable_once_through_the_archive() {
    let site = generated(240, CONFIG);
    build(&site);
    let listed = check_chains(&site.out(), 10);
    let expected = every_member(&site);
    assert_eq!(listed, expected);
    assert_eq!(listed[""].len(), 240);
    // The feed of everything: 7 in the subscription document, 233 on 24 pages (the last
    // holding 3), numbered from the oldest, and the empty page after them.
    let everything = chain(&site.out(), "rss.xml");
    let sizes: Vec<usize> = everything.iter().map(Vec::len).collect();
    assert_eq!(sizes[0], 7);
    assert_eq!(sizes[1..3], [0, 3], "{sizes:?}");
    assert_eq!(sizes.len(), 26, "{sizes:?}");
    assert!(site.out().join("archive/rss-0025.xml").is_file());
    assert!(
        site.out()
            .join("topics/ai/archive/feed-0001.json")
            .is_file()
    );
    // Listed in the manifest like every file of ours.
    let manifest = crate::util::manifest(&read_tree(&site.out()));
    let listed: Vec<&str> = (manifest["feeds"].as_array().unwrap().iter())
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert!(listed.contains(&"archive/atom-0001.xml"), "{listed:?}");
    assert!(manifest["archives"]["feeds"][""].is_array(), "{manifest}");
    // Every archive page links another (the W3C validator's ArchiveIncomplete), and its
    // subscription document (MissingCurrentInArchive).
    for (path, bytes) in read_tree(&site.out()) {
        if path.contains("archive/") && !path.ends_with(".json") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(text.contains("-archive\""), "{path}");
            assert!(text.contains("rel=\"current\""), "{path}");
        }
    }
    // The marker among the metadata, where the W3C validator's RFC 5005 checks look for it.
    let atom = site.read("archive/atom-0001.xml");
    let (marker, entry) = (atom.find("<fh:archive/>"), atom.find("<entry>"));
    assert!(marker.is_some() && marker < entry, "{atom}");
    // And valid, for the built-in validator (the W3C service's rules, RFC 5005 included).
    site.run(&["validate", "--strict", "--base-url", BASE_URL, "out"])
        .expect_code(0);
}

#[test]
fn a_new_article_leaves_full_pages_alone() {
    let site = generated(240, CONFIG);
    build(&site);
    let before = pages(&site.out());
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.article("a0240.md", &numbered(240, ""));
    build(&site);
    let after = pages(&site.out());
    for (path, (bytes, mtime)) in &before {
        if items_on(&site.out(), path) == 10 {
            assert_eq!(after.get(path), Some(&(bytes.clone(), *mtime)), "{path}");
        }
    }
    // Only open pages changed (or were added): at most one per feed and format.
    let changed = changed(&before, &after);
    assert!(!changed.is_empty());
    let mut per_feed: BTreeMap<String, usize> = BTreeMap::new();
    for path in &changed {
        let (dir, file) = path.rsplit_once("archive/").unwrap();
        *per_feed.entry(format!("{dir}{}", &file[..4])).or_default() += 1;
    }
    assert!(per_feed.values().all(|&n| n <= 2), "{per_feed:?}");
    check_chains(&site.out(), 10);
    // The same bytes as a first build of the same articles.
    site.build_into("fresh", &["--config", "newswire.yaml"])
        .expect_code(0);
    let fresh = read_tree(&site.path("fresh"));
    let incremental = read_tree(&site.out());
    for (path, bytes) in &incremental {
        if path != "manifest.json" {
            assert_eq!(fresh.get(path), Some(bytes), "{path}");
        }
    }
    assert_eq!(fresh.len(), incremental.len());
}

#[test]
fn an_edited_or_withdrawn_article_changes_one_page_per_feed() {
    let site = generated(240, CONFIG);
    build(&site);
    let link = "https://northwind.example/r/40";
    let holding = |out: &Path| -> BTreeSet<String> {
        pages(out)
            .into_iter()
            .filter(|(_, (bytes, _))| String::from_utf8_lossy(bytes).contains(link))
            .map(|(path, _)| path)
            .collect()
    };
    let before = pages(&site.out());
    let on = holding(&site.out());
    // The feed of everything, two topics, a provider and a kind, in three formats each.
    assert_eq!(on.len(), 15, "{on:?}");

    site.article("a0040.md", &numbered(40, " (corrected)"));
    build(&site);
    let after = pages(&site.out());
    assert_eq!(changed(&before, &after), on);
    check_chains(&site.out(), 10);

    site.article("a0040.md", &numbered(40, "").raw("removed", "true"));
    build(&site);
    let withdrawn = pages(&site.out());
    assert_eq!(changed(&after, &withdrawn), on);
    assert!(holding(&site.out()).is_empty());
    let listed = check_chains(&site.out(), 10);
    assert_eq!(listed[""].len(), 239);
}

#[test]
fn no_document_is_over_its_budget() {
    let site = Site::new();
    site.write_file(
        "newswire.yaml",
        "archive: true\nfull_content: true\nmax_bytes: 20000\nlimit: 50\n",
    );
    site.write_file(
        "unlimited.yaml",
        "merge_related: false\nmax_bytes: 5000000\n",
    );
    let paragraph = "Words of a long body, written out. ".repeat(40);
    for n in 0..60 {
        let date = format!("2025-01-{:02}T{:02}:00:00Z", 1 + n / 24, n % 24);
        let body = if n == 30 {
            // Alone over the budget: cut to its summary.
            paragraph.repeat(20)
        } else {
            paragraph.repeat(1 + n % 3)
        };
        let article = Article::new(
            &format!("Long {n}"),
            &format!("https://long.example/{n}"),
            &date,
        )
        .text("excerpt", &format!("Summary {n}."))
        .render();
        site.write(&format!("l{n:02}.md"), format!("{article}\n{body}\n"));
    }
    let run = site.build(&["--config", "newswire.yaml"]);
    run.expect_code(0);
    assert!(
        !run.lines_with_code("over-budget").is_empty(),
        "{}",
        run.describe()
    );
    // Every feed document (the manifest, the index page and the OPML list are not feeds).
    for (path, bytes) in read_tree(&site.out()) {
        if ["manifest.json", "index.html", "feeds.opml"].contains(&path.as_str()) {
            continue;
        }
        assert!(bytes.len() <= 20_000, "{path}: {} bytes", bytes.len());
    }
    let listed = check_chains(&site.out(), 100);
    assert_eq!(listed[""].len(), 60);
    // The article too large alone is there, cut to its summary.
    let holding: Vec<String> = (read_tree(&site.out()).into_values())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .filter(|text| text.contains("<link>https://long.example/30</link>"))
        .collect();
    // (in the feed of everything and the feed of articles)
    assert_eq!(holding.len(), 2);
    assert!(holding.iter().all(|text| text.contains("Summary 30.")));
}

#[test]
fn budget_and_page_size_are_checked() {
    let site = Site::new();
    for (yaml, key) in [
        ("max_bytes: 5000001\n", "max_bytes"),
        ("max_bytes: 100\n", "max_bytes"),
        ("archive_page: 0\n", "archive_page"),
    ] {
        site.write_file("newswire.yaml", yaml);
        let run = site.build(&["--config", "newswire.yaml"]);
        run.expect_code(2);
        assert!(run.stderr.contains(key), "{}", run.describe());
    }
}

/// The issue's own test: the 10,000-article bench corpus (`scripts/bench` generates it in
/// `target/bench/corpus-10000`), archived, walked from every feed. It writes about 400 MB.
#[test]
#[ignore = "needs target/bench/corpus-10000 (scripts/bench --sizes 10000) and writes ~400 MB; run with --ignored"]
fn the_bench_corpus_is_whole_through_its_archives() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench/corpus-10000");
    assert!(corpus.is_dir(), "no corpus at {}", corpus.display());
    let site = Site::new();
    let input = corpus.to_str().unwrap();
    site.write_file("newswire.yaml", "archive: true\n");
    site.write_file(
        "unlimited.yaml",
        "merge_related: false\nmax_bytes: 5000000\n",
    );
    site.build(&["--config", "newswire.yaml", "--input", input])
        .expect_code(0);
    let listed = check_chains(&site.out(), 100);
    let run = site.build_into(
        "all",
        &[
            "--config",
            "unlimited.yaml",
            "--input",
            input,
            "--limit",
            "1000000",
            "--formats",
            "json",
            "-v",
        ],
    );
    // Feeds too large for one document are compared by count: everything holds every item.
    let cut: Vec<&str> = run.lines_with_code("over-budget");
    let all = site.path("all");
    let mut compared = 0;
    for (dir, file) in subscriptions(&all) {
        // Diagnostics name the feed's folder as given: `all/topics/ai/:1:1: …`.
        if cut.iter().any(|l| l.starts_with(&format!("all/{dir}:"))) {
            continue;
        }
        let ids: BTreeSet<String> = (document(&all.join(format!("{dir}{file}"))).items)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(listed.get(&dir), Some(&ids), "{dir}");
        compared += 1;
    }
    assert!(compared > 100, "{compared}");
    let published: usize = (run.summary().split(" published").next().unwrap())
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(listed[""].len(), published);
}

#[test]
fn check_reports_the_archive_plan() {
    let site = generated(40, CONFIG);
    let args = ["--config", "newswire.yaml", "-v"];
    let run = site.check(&args);
    run.expect_code(0);
    // 33 of 40 items on pages of 10, oldest first; nothing written yet.
    assert!(
        run.stderr
            .contains("archive of /: 5 pages (33 items: 10 10 10 3 0), 5 new or changed"),
        "{}",
        run.describe()
    );
    build(&site);
    let run = site.check(&args);
    assert!(
        run.summary().contains(", 0 new or changed;"),
        "{}",
        run.describe()
    );
    site.article("a0040.md", &numbered(40, ""));
    let run = site.check(&args);
    assert!(
        run.stderr
            .contains("archive of /: 5 pages (34 items: 10 10 10 4 0), 1 new or changed"),
        "{}",
        run.describe()
    );
}

#[test]
fn a_withdrawn_article_is_a_tombstone_in_the_atom_feeds_it_was_in() {
    let site = generated(20, "tombstones: true\ntombstone_days: 10\n");
    build(&site);
    assert!(!site.read("atom.xml").contains("deleted-entry"));
    site.article("a0019.md", &numbered(19, "").raw("removed", "true"));
    build(&site);
    let tombstone =
        r#"<at:deleted-entry ref="https://tailspin.example/r/19" when="2026-01-01T00:00:00Z"/>"#;
    for feed in [
        "",
        "providers/tailspin-example/",
        "kinds/article/",
        "topics/policy/",
    ] {
        let atom = site.read(&format!("{feed}atom.xml"));
        assert!(atom.contains(tombstone), "{feed}: {atom}");
        assert!(atom.contains(r#"xmlns:at="http://purl.org/atompub/tombstones/1.0""#));
        assert!(!atom.contains("https://tailspin.example/r/19</id>"));
    }
    // Only in the feeds it was in, and only in Atom.
    assert!(
        !site
            .read("providers/northwind-example/atom.xml")
            .contains("deleted-entry")
    );
    assert!(!site.read("rss.xml").contains("deleted-entry"));
    // Later builds keep the date it was withdrawn, for `tombstone_days`.
    let later = |now: &str| {
        site.build(&["--config", "newswire.yaml", "--now", now])
            .expect_code(0);
        site.read("atom.xml")
    };
    assert!(later("2026-01-05T00:00:00Z").contains(tombstone));
    assert!(!later("2026-01-12T00:00:00Z").contains("deleted-entry"));
}

#[test]
fn tombstones_are_off_by_default() {
    let site = generated(20, "title: x\n");
    build(&site);
    site.remove_article("a0019.md");
    build(&site);
    assert!(!site.read("atom.xml").contains("deleted-entry"));
    let manifest = crate::util::manifest(&read_tree(&site.out()));
    assert!(manifest.get("tombstones").is_none(), "{manifest}");
}
