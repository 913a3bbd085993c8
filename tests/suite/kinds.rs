//! Kinds of item: the `kinds` fixture site (a video, an event, a course, a book, an answer, a
//! learning article, a collection, a download, a newsletter, a profile, a type of its own and
//! a news article with extensionless images) read back by the feed crates and by real feed
//! readers, and the rules each kind follows (profiles excluded, a type of its own counted
//! once, collection members resolved, extensionless images kept, a download's enclosure).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use newswire::config::{Overrides, Settings};
use newswire::pipeline::{Silent, check};

use crate::util::{self, fixture, read_tree};

const VIDEO: &str = "https://video.example/watch?v=abc123";
const PLAYER: &str = "https://video.example/embed/abc123";

/// The `kinds` site built into a temp folder: its files and the folder (kept alive).
fn built() -> (BTreeMap<String, Vec<u8>>, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let run = util::build_fixture("kinds", tmp.path());
    assert_eq!(run.code, 0, "{}", run.describe());
    (read_tree(tmp.path()), tmp)
}

fn channel(files: &BTreeMap<String, Vec<u8>>, path: &str) -> rss::Channel {
    rss::Channel::read_from(&files[path][..]).unwrap()
}

fn rss_item<'a>(channel: &'a rss::Channel, link: &str) -> &'a rss::Item {
    (channel.items().iter())
        .find(|i| i.link() == Some(link))
        .unwrap_or_else(|| panic!("no item {link}"))
}

#[test]
fn every_kind_reads_back_in_the_feed_crates() {
    let (files, _tmp) = built();
    crate::readback::check_all_feeds(&files);
    let channel = channel(&files, "rss.xml");
    // Twelve files become items: every one but the profile.
    assert_eq!(channel.items().len(), 12);

    // A video: its length in the summary, Media RSS `medium="video"` with the duration and
    // the player inside; the iframe never.
    let video = rss_item(&channel, VIDEO);
    assert!(
        video
            .description()
            .unwrap()
            .starts_with("Video, 4:51. What a model")
    );
    let media = &video.extensions()["media"]["content"];
    let content = (media.iter())
        .find(|c| c.attrs.get("medium").map(String::as_str) == Some("video"))
        .unwrap();
    assert_eq!(content.attrs["duration"], "291");
    assert_eq!(content.children["player"][0].attrs["url"], PLAYER);
    for (path, bytes) in &files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("iframe"),
            "{path} has an iframe"
        );
    }

    // feed-rs reads the same duration and player.
    let parsed = feed_rs::parser::parse(&files["rss.xml"][..]).unwrap();
    let entry = (parsed.entries.iter())
        .find(|e| e.links.iter().any(|l| l.href == VIDEO))
        .unwrap();
    let videos: Vec<_> = (entry.media.iter())
        .flat_map(|m| &m.content)
        .filter(|c| c.duration.is_some())
        .collect();
    assert_eq!(
        videos[0].duration,
        Some(std::time::Duration::from_secs(291))
    );

    // An event: start, end and location in the summary, and in JSON's `_event`.
    let event = rss_item(&channel, "https://summit.example/2026");
    assert_eq!(
        event.description(),
        Some(
            "Event: starts 2026-03-12 08:00 UTC; ends 2026-03-14 16:00 UTC; location: Berlin, Germany. Three days of talks on training and serving models."
        )
    );
    let json: serde_json::Value = serde_json::from_slice(&files["feed.json"]).unwrap();
    let item = |url: &str| {
        (json["items"].as_array().unwrap().iter())
            .find(|i| i["url"] == url)
            .unwrap()
            .clone()
    };
    assert_eq!(
        item("https://summit.example/2026")["_event"],
        serde_json::json!({
            "start": "2026-03-12T08:00:00Z",
            "end": "2026-03-14T16:00:00Z",
            "location": "Berlin, Germany"
        })
    );
    assert_eq!(
        item(VIDEO)["_video"],
        serde_json::json!({"player": PLAYER, "duration_in_seconds": 291})
    );

    // A course and a book: provider, authors, levels, length, price and rating.
    let course = rss_item(&channel, "https://school.example/courses/ml-101");
    assert!(course.description().unwrap().starts_with(
        "Course by Example School (Ada Teacher, Bo Lecturer); level: Intermediate; length: 10 Weeks; price: Free. "
    ));
    let book = rss_item(&channel, "https://press.example/books/ml-handbook");
    assert!(book.description().unwrap().starts_with(
        "Book by Example Press; levels: Beginner, Intermediate; price: $83.05; rating: 4.6 from 120 ratings. "
    ));

    // A download: its file is the enclosure, in every format.
    let download = rss_item(&channel, "https://samples.example/model-demo/");
    let enclosure = download.enclosure().unwrap();
    assert_eq!(
        (enclosure.url(), enclosure.mime_type()),
        (
            "https://files.samples.example/model-demo.zip",
            "application/zip"
        )
    );
    let atom = atom_syndication::Feed::read_from(&files["atom.xml"][..]).unwrap();
    let entry = (atom.entries().iter())
        .find(|e| e.id() == "https://samples.example/model-demo/")
        .unwrap();
    assert!(entry.links().iter().any(|l| l.rel() == "enclosure"
        && l.href() == "https://files.samples.example/model-demo.zip"
        && l.mime_type() == Some("application/zip")));
    assert_eq!(
        item("https://samples.example/model-demo/")["attachments"],
        serde_json::json!([{"url": "https://files.samples.example/model-demo.zip", "mime_type": "application/zip"}])
    );

    // A newsletter: its HTML body, sanitised (no style, script, comment or title).
    let newsletter = rss_item(
        &channel,
        "https://example.org/site/newsletter/kinds-every-day-2025-12-02/",
    );
    let body = newsletter.content().unwrap();
    assert!(body.contains("Today's stories 🔥"), "{body}");
    assert!(body.contains("href=\"https://example.org/site/events/model-summit\""));
    assert!(body.contains("share?text=Kinds%20Every%20Day"));
    for gone in ["<style", "<script", "mso", "<title", "{% raw %}", "color:"] {
        assert!(!body.contains(gone), "{gone} in {body}");
    }

    // Answers and learning articles are shown as articles are.
    let answer = rss_item(&channel, "https://cloud.example/what-is-a-model/");
    assert_eq!(
        answer.description(),
        Some("A model is a function learned from data that maps inputs to predictions.")
    );
}

#[test]
fn collections_link_the_members_that_are_in_the_site() {
    let (files, _tmp) = built();
    let channel = channel(&files, "rss.xml");
    let collection = rss_item(
        &channel,
        "https://example.org/site/learning/collections/intro-to-models/",
    );
    assert_eq!(
        collection.description(),
        Some("Collection of 4 items. A video series and a course to start with.")
    );
    let content = collection.content().unwrap();
    let links: Vec<&str> = content
        .split("href=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    // The three members found, in the collection's order; the one not in the site is left out.
    assert_eq!(
        links,
        [
            VIDEO,
            "https://video.example/watch?v=def456",
            "https://school.example/courses/ml-101"
        ]
    );
    assert!(content.contains(">Intro to Machine Learning</a> (Example School)"));
}

#[test]
fn images_without_an_extension_are_kept_and_never_mistyped() {
    let (files, _tmp) = built();
    let channel = channel(&files, "rss.xml");
    let news = rss_item(&channel, "https://news.example/2025/12/accelerator");
    let media = &news.extensions()["media"]["content"];
    let photo = (media.iter())
        .find(|c| c.attrs["url"] == "https://images.example.com/photo?id=3")
        .expect("the extensionless image is kept");
    assert!(!photo.attrs.contains_key("type"), "no type is guessed");
    let hinted = (media.iter())
        .find(|c| c.attrs["url"].starts_with("https://images.example.com/image?format=jpeg"))
        .unwrap();
    assert_eq!(
        hinted.attrs["type"], "image/jpeg",
        "typed by its format hint"
    );
    // The enclosure needs a type: the largest image of a known type, never the untyped one.
    let enclosure = news.enclosure().unwrap();
    assert_eq!(
        (enclosure.url(), enclosure.mime_type()),
        (
            "https://images.example.com/image?format=jpeg&width=600",
            "image/jpeg"
        )
    );
    let json: serde_json::Value = serde_json::from_slice(&files["feed.json"]).unwrap();
    let item = (json["items"].as_array().unwrap().iter())
        .find(|i| i["url"] == "https://news.example/2025/12/accelerator")
        .unwrap();
    assert_eq!(item["image"], "https://images.example.com/photo?id=3");
}

/// The summary of a check of the `kinds` site.
fn summary() -> newswire::pipeline::Summary {
    let root = fixture("sites/kinds");
    let overrides = Overrides {
        config: Some(root.join("newswire.yaml")),
        output: Some(tempfile::tempdir().unwrap().path().join("out")),
        now: Some(util::NOW.parse().unwrap()),
        no_cache: true,
        ..Overrides::default()
    };
    let settings = Settings::load(overrides).unwrap();
    let report = check(&settings, &Silent).unwrap();
    assert!(
        report.diagnostics.is_empty(),
        "no file draws a word: {:?}",
        report.diagnostics
    );
    report.summary
}

#[test]
fn profiles_are_excluded_and_types_of_their_own_counted_once() {
    let summary = summary();
    assert_eq!(summary.read, 13);
    assert_eq!(summary.published, 12);
    assert_eq!(summary.excluded, 1, "the profile");
    assert_eq!(summary.rejected, 0);
    assert_eq!(
        summary.other_kinds,
        BTreeMap::from([("podcast".to_string(), 1)])
    );
    let (files, _tmp) = built();
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("Jane Example"), "{path} shows the profile");
    }
}

/// `scripts/check-readers` over the built site: feedparser, sfeed and newsboat read every
/// feed, and a video shows its link and length (and in feedparser its Media RSS duration and
/// player). Skipped, saying so, where a reader is not installed.
#[test]
fn real_readers_show_a_video_with_its_link_and_length() {
    let python = ["python3", "/usr/bin/python3"].into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import feedparser"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let newsboat = Command::new("newsboat").arg("-v").output().is_ok();
    let (Some(python), true) = (python, newsboat) else {
        // CI installs the readers before the tests (.ci/run): there, missing ones are a failure.
        let why = "needs python3-feedparser and newsboat (Debian: apt-get install python3-feedparser newsboat)";
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("skipped: {why}");
        return;
    };
    let (_, tmp) = built();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-readers");
    let run = Command::new(python)
        .arg(&script)
        .arg(tmp.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for reader in ["feedparser", "newsboat"] {
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("{reader}: ")) && l.ends_with(" 0 problems")),
            "{out}"
        );
    }
    // The check itself fails on a feed that hides the length.
    let rss = tmp.path().join("rss.xml");
    let text = std::fs::read_to_string(&rss).unwrap();
    std::fs::write(&rss, text.replace("Video, 4:51. ", "")).unwrap();
    let run = Command::new(python)
        .arg(&script)
        .arg(tmp.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(!run.status.success(), "{out}");
    assert!(out.contains("feedparser: ") && out.contains("video length 4:51 not shown"));
    assert!(out.contains("newsboat: ") && out.contains("video length 4:51 not shown"));
}

#[test]
fn the_kinds_site_passes_the_strict_validator() {
    let (_, tmp) = built();
    let mut command = util::newswire();
    command.args(["validate", "--strict"]).arg(tmp.path());
    let run = command.output().unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{out}{err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}

/// A collection shows its members' titles, so an incremental build re-renders it when a
/// member changes, though the collection's own file did not (its fingerprint covers them).
#[test]
fn a_collection_follows_its_members_across_incremental_builds() {
    let site = util::Site::new();
    let member = |title: &str| {
        util::article(
            title,
            "https://v.example/watch?v=1",
            "2025-10-02T16:00:00Z",
            "type: video\ntopics: [Clips]\n",
        )
    };
    site.write("videos/part-1.md", member("Part one"));
    site.write(
        "collections/series.md",
        util::article(
            "Series",
            "https://site.example/series/",
            "2025-10-10T00:00:00Z",
            "type: collection\ntopics: [Series]\nitems:\n  - videos/part-1\n",
        ),
    );
    // The topic feed of the collection holds the collection alone, not the member.
    let feed = "topics/series/rss.xml";
    assert_eq!(site.build(&[]).code, 0);
    assert!(site.read(feed).contains("Part one</a>"));
    site.write("videos/part-1.md", member("Part one, renamed"));
    let run = site.build(&[]);
    assert_eq!(run.code, 0, "{}", run.describe());
    let rss = site.read(feed);
    assert!(rss.contains("Part one, renamed</a>"), "{rss}");
}
