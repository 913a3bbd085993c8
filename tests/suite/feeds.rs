//! The feeds a site has: defined feeds (`feeds:`) and the filter every feed applies
//! (`include:`), each checked against the same filter computed here, independently, over the
//! parsed article files; providers as names within their domains, with folders that no new
//! provider renames; facets by kind and the `facets` switch; config errors that name the key;
//! and incremental builds that re-render only the feed whose definition changed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use chrono::{DateTime, Utc};
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::util::{Article, NOW, Site, build_fixture, fixture};

// ---------------------------------------------------------------------------------------------
// Feed definitions against an independent filter
// ---------------------------------------------------------------------------------------------

/// What the test itself reads from an article file, without newswire's help.
#[derive(Debug, Clone)]
struct Parsed {
    id: String,
    kind: &'static str,
    published: DateTime<Utc>,
    quality: i64,
    heat: i64,
    provider: (String, String),
    topics: Vec<String>,
}

fn fold(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn text<'a>(yaml: &'a Yaml, key: &str) -> Option<&'a str> {
    yaml.get(key).and_then(Yaml::as_str)
}

fn parse_articles(dir: &std::path::Path) -> Vec<Parsed> {
    let mut parsed = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let source = fs::read_to_string(entry.unwrap().path()).unwrap();
        let front = source.split("---\n").nth(1).unwrap();
        let yaml: Yaml = serde_yaml::from_str(front).unwrap();
        let event = text(&yaml, "type") == Some("conference");
        let link = text(&yaml, if event { "website" } else { "webUrl" }).unwrap();
        let provider = yaml.get("provider").unwrap();
        parsed.push(Parsed {
            id: link.to_string(),
            kind: if event { "event" } else { "article" },
            published: text(&yaml, "publishedDateTime").unwrap().parse().unwrap(),
            quality: yaml.get("quality").and_then(Yaml::as_i64).unwrap(),
            heat: yaml.get("heat").and_then(Yaml::as_i64).unwrap(),
            provider: (
                text(provider, "name").unwrap().to_string(),
                text(provider, "domain").unwrap().to_string(),
            ),
            topics: yaml
                .get("topics")
                .and_then(Yaml::as_sequence)
                .unwrap()
                .iter()
                .map(|t| fold(t.as_str().unwrap()))
                .collect(),
        });
    }
    parsed
}

/// A filter as the config writes it, applied the plain way.
fn passes(item: &Parsed, filter: &Yaml, now: DateTime<Utc>) -> bool {
    let names = |key: &str| -> Vec<String> {
        filter
            .get(key)
            .and_then(Yaml::as_sequence)
            .map(|s| s.iter().map(|v| fold(v.as_str().unwrap())).collect())
            .unwrap_or_default()
    };
    let number = |key: &str| filter.get(key).and_then(Yaml::as_i64);
    let kinds = names("kinds");
    let any = names("topics");
    let all = names("all_topics");
    let none = names("exclude_topics");
    let providers = names("providers");
    (kinds.is_empty() || kinds.iter().any(|k| k == item.kind))
        && (any.is_empty() || any.iter().any(|t| item.topics.contains(t)))
        && all.iter().all(|t| item.topics.contains(t))
        && !none.iter().any(|t| item.topics.contains(t))
        && (providers.is_empty()
            || providers
                .iter()
                .any(|p| *p == fold(&item.provider.0) || *p == item.provider.1))
        && number("min_quality").is_none_or(|min| item.quality >= min)
        && number("min_heat").is_none_or(|min| item.heat >= min)
        && number("max_age_days")
            .is_none_or(|days| item.published >= now - chrono::Duration::days(days))
}

/// Ids in a built feed, in order.
fn feed_ids(out: &std::path::Path, dir: &str) -> Vec<String> {
    let path = out.join(dir).join("feed.json");
    let feed: Json = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_defined_feed_holds_what_an_independent_filter_selects() {
    let site = fixture("sites/definitions");
    let config: Yaml =
        serde_yaml::from_str(&fs::read_to_string(site.join("newswire.yaml")).unwrap()).unwrap();
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let include = config.get("include").unwrap();
    let mut items: Vec<Parsed> = parse_articles(&site.join("articles"))
        .into_iter()
        .filter(|item| passes(item, include, now))
        .collect();
    // Newest first, ties by id: every feed's base order.
    items.sort_by(|a, b| b.published.cmp(&a.published).then(a.id.cmp(&b.id)));

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_fixture("definitions", &out).expect_code(0);

    // The built-in feeds apply `include` too.
    let everything: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    assert!(everything.len() < parse_articles(&site.join("articles")).len());
    assert_eq!(feed_ids(&out, ""), everything, "the feed of everything");
    let articles: Vec<String> = (items.iter().filter(|i| i.kind == "article"))
        .map(|i| i.id.clone())
        .collect();
    assert_eq!(feed_ids(&out, "kinds/article"), articles);

    let definitions = config.get("feeds").and_then(Yaml::as_sequence).unwrap();
    assert_eq!(definitions.len(), 3);
    for definition in definitions {
        let path = text(definition, "path").unwrap();
        let mut expected: Vec<&Parsed> = items
            .iter()
            .filter(|i| passes(i, definition, now))
            .collect();
        let sort = text(definition, "sort").unwrap_or("newest");
        match sort {
            "heat" => expected.sort_by_key(|i| std::cmp::Reverse(i.heat)),
            "quality" => expected.sort_by_key(|i| std::cmp::Reverse(i.quality)),
            _ => {}
        }
        let limit = definition.get("limit").and_then(Yaml::as_u64).unwrap_or(50);
        expected.truncate(limit as usize);
        let mut expected: Vec<String> = expected.iter().map(|i| i.id.clone()).collect();
        let mut actual = feed_ids(&out, path);
        assert!(!expected.is_empty(), "{path}: the fixture selects nothing");
        if sort == "start" {
            // Which items, here; their order by start is pinned by the golden files.
            assert!(
                expected.len() < limit as usize,
                "{path}: a limit would cut by start"
            );
            expected.sort();
            actual.sort();
        }
        assert_eq!(actual, expected, "{path} (sort {sort})");
    }
}

#[test]
fn a_defined_feed_is_listed_beside_the_built_in_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_fixture("definitions", &out).expect_code(0);
    let opml = fs::read_to_string(out.join("feeds.opml")).unwrap();
    let featured = opml.find("text=\"Featured\"").expect("a Featured folder");
    let topics = opml.find("text=\"Topics\"").unwrap();
    assert!(featured < topics, "the newsroom's feeds first");
    for path in ["top", "hot/week", "channels"] {
        assert!(opml.contains(&format!("feeds/{path}/rss.xml")), "{path}");
    }
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<h2 id=\"featured\">Featured</h2>"));
    assert!(index.contains("href=\"hot/week/atom.xml\""));
    let top = fs::read_to_string(out.join("top/rss.xml")).unwrap();
    assert!(top.contains("<title>Definitions Wire — Top stories</title>"));
    assert!(top.contains("<description>The best-rated reports</description>"));
}

// ---------------------------------------------------------------------------------------------
// Incremental builds
// ---------------------------------------------------------------------------------------------

/// Each file's fingerprint in the manifest.
fn fingerprints(site: &Site) -> BTreeMap<String, String> {
    let manifest: Json = serde_json::from_str(&site.read("manifest.json")).unwrap();
    ["feeds", "files"]
        .iter()
        .flat_map(|list| manifest[list].as_array().unwrap().iter())
        .map(|file| {
            (
                file["path"].as_str().unwrap().to_string(),
                file["input"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn two_definitions(min_quality: u32) -> String {
    format!(
        "feeds:\n  - path: best\n    min_quality: {min_quality}\n  - path: news/hot\n    title: Hot\n    min_heat: 10\n"
    )
}

#[test]
fn editing_a_definition_re_renders_only_its_files() {
    let site = Site::new();
    for i in 0..6 {
        let article = Article::new(
            &format!("Story {i}"),
            &format!("https://a.example/{i}"),
            &format!("2025-06-0{}T00:00:00Z", i + 1),
        )
        .raw("quality", &(i * 20).to_string())
        .raw("heat", &(i * 5).to_string())
        .provider("A", "a.example")
        .topics(&["AI"]);
        site.article(&format!("{i}.md"), &article);
    }
    site.write_file("newswire.yaml", two_definitions(40));
    site.build(&["--config", "newswire.yaml"]).expect_code(0);
    let before = fingerprints(&site);
    assert!(before.contains_key("best/rss.xml") && before.contains_key("news/hot/feed.json"));

    site.write_file("newswire.yaml", two_definitions(60));
    let run = site.build(&["--config", "newswire.yaml"]);
    run.expect_code(0);
    let after = fingerprints(&site);
    let changed: BTreeSet<&str> = (after.iter())
        .filter(|(path, input)| before.get(*path) != Some(input))
        .map(|(path, _)| path.as_str())
        .collect();
    let expected: BTreeSet<&str> = [
        "best/rss.xml",
        "best/atom.xml",
        "best/feed.json",
        "feeds.opml",
        "index.html",
    ]
    .into();
    assert_eq!(changed, expected);

    // A new title is a change of that feed alone, too.
    site.write_file(
        "newswire.yaml",
        two_definitions(60).replace("title: Hot", "title: Hotter"),
    );
    site.build(&["--config", "newswire.yaml"]).expect_code(0);
    let renamed = fingerprints(&site);
    let changed: BTreeSet<&str> = (renamed.iter())
        .filter(|(path, input)| after.get(*path) != Some(input))
        .map(|(path, _)| path.as_str())
        .collect();
    assert!(
        changed
            .iter()
            .all(|p| p.starts_with("news/hot/") || !p.contains('/')),
        "{changed:?}"
    );
    assert!(changed.contains("news/hot/atom.xml"));
}

// ---------------------------------------------------------------------------------------------
// Config errors
// ---------------------------------------------------------------------------------------------

#[test]
fn config_errors_name_the_key_and_the_feed() {
    let site = Site::new();
    site.write(
        "a.md",
        crate::util::article("A", "https://a.example/", "2025-01-01T00:00:00Z", ""),
    );
    for (config, says) in [
        (
            "feeds:\n  - path: top\n    min_qualty: 3\n",
            &["min_qualty", "feeds"][..],
        ),
        ("include: {min_quality: 1, path: x}\n", &["path"][..]),
        ("feeds:\n  - title: no path\n", &["path"][..]),
        ("facets: [topics, colours]\n", &["colours"][..]),
        (
            "feeds:\n  - path: top\n  - path: top\n",
            &["feeds[1]", "feeds[0]", "`top`"][..],
        ),
        (
            "feeds:\n  - path: providers/mine\n",
            &["feeds[0]", "providers/mine", "built-in provider feeds"][..],
        ),
        (
            "feeds:\n  - path: ../escape\n",
            &["feeds[0]", "../escape"][..],
        ),
    ] {
        site.write_file("newswire.yaml", config);
        let run = site.build(&["--config", "newswire.yaml"]);
        run.expect_code(2);
        for word in says {
            assert!(
                run.stderr.contains(word),
                "{config}: no `{word}` in\n{}",
                run.stderr
            );
        }
        assert!(!site.out().exists(), "{config}: nothing is written");
    }
}

// ---------------------------------------------------------------------------------------------
// Providers and facets
// ---------------------------------------------------------------------------------------------

fn video(site: &Site, n: u32, channel: &str) {
    let article = Article::new(
        &format!("Video {n} by {channel}"),
        &format!("https://youtube.com/watch?v={n}"),
        &format!("2025-03-{:02}T00:00:00Z", n + 1),
    )
    .provider(channel, "youtube.com");
    site.article(&format!("v{n}.md"), &article);
}

/// The provider folders of a build, each with its feed's title.
fn provider_feeds(site: &Site) -> BTreeMap<String, String> {
    site.outputs()
        .keys()
        .filter_map(|path| path.strip_prefix("providers/")?.strip_suffix("/feed.json"))
        .map(|dir| {
            let feed: Json =
                serde_json::from_str(&site.read(&format!("providers/{dir}/feed.json"))).unwrap();
            (dir.to_string(), feed["title"].as_str().unwrap().to_string())
        })
        .collect()
}

#[test]
fn channels_on_one_domain_are_feeds_of_their_own_that_a_new_channel_does_not_rename() {
    let site = Site::new();
    video(&site, 1, "Zeta Lab");
    video(&site, 2, "Futurology");
    video(&site, 3, "Futurology");
    let tech = Article::new("Chips", "https://techspot.com/1", "2025-03-09T00:00:00Z")
        .provider("TechSpot", "techspot.com");
    site.article("t.md", &tech);
    site.build(&[]).expect_code(0);
    let two = provider_feeds(&site);
    assert_eq!(
        two,
        [
            ("techspot-com", "newswire — TechSpot"),
            ("youtube-com-futurology", "newswire — Futurology"),
            ("youtube-com-zeta-lab", "newswire — Zeta Lab"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .into()
    );
    let zeta = site.read("providers/youtube-com-zeta-lab/rss.xml");

    // A third channel, whose folder sorts first, and a channel spelled two ways.
    video(&site, 4, "Aardvark Academy");
    video(&site, 5, "futurology");
    site.build(&[]).expect_code(0);
    let three = provider_feeds(&site);
    assert_eq!(three.len(), 4);
    for (dir, title) in &two {
        assert_eq!(
            three.get(dir),
            Some(title),
            "{dir} kept its folder and title"
        );
    }
    assert!(three.contains_key("youtube-com-aardvark-academy"));
    assert_eq!(
        site.read("providers/youtube-com-zeta-lab/rss.xml"),
        zeta,
        "the untouched channel's feed is the same file"
    );
}

#[test]
fn kinds_are_feeds_of_their_own_and_facets_can_be_switched_off() {
    let site = Site::new();
    site.write(
        "a.md",
        crate::util::article(
            "A",
            "https://a.example/",
            "2025-01-01T00:00:00Z",
            "topics: [AI]\n",
        ),
    );
    for (n, start) in [(1, "2026-05-01"), (2, "2026-09-01"), (3, "2026-02-01")] {
        site.write(
            &format!("e{n}.md"),
            format!(
                "---\nname: Conf {n}\nwebsite: https://conf.example/{n}\ntype: conference\npublishedDateTime: 2025-0{n}-01T00:00:00Z\nstartDateTime: {start}T09:00:00Z\n---\n"
            ),
        );
    }
    site.build(&[]).expect_code(0);
    let files = site.outputs();
    // With only one article, its kind's feed is still written: a kind's feed does not come and
    // go with the other kinds.
    assert!(files.contains_key("kinds/article/rss.xml"));
    assert!(files.contains_key("kinds/event/atom.xml"));
    assert!(!files.keys().any(|p| p.starts_with("kinds/profile")));
    let events = feed_ids(&site.out(), "kinds/event");
    assert_eq!(events.len(), 3);
    let opml = site.read("feeds.opml");
    assert!(opml.contains("<outline text=\"Kinds\" title=\"Kinds\">"));
    assert!(opml.contains("kinds/event/rss.xml"));

    site.write_file("newswire.yaml", "facets: [providers]\n");
    let run = site.build(&["--config", "newswire.yaml"]);
    run.expect_code(0);
    let files = site.outputs();
    assert!(
        !files
            .keys()
            .any(|p| p.starts_with("kinds/") || p.starts_with("topics/"))
    );
    assert!(files.contains_key("rss.xml"));
    assert!(!site.read("feeds.opml").contains("Kinds"));
}
