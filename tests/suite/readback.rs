//! Every feed read back by the parsers real software uses: `rss`, `atom_syndication`,
//! `feed-rs`, and our JSON Feed 1.1 rules; the manifest and OPML list exactly what was written.

use std::collections::BTreeSet;

use crate::util::{feed_rs_items, manifest, parse_items, read_tree};

/// Builds a fixture site into a temp folder and returns its files.
fn build_fixture(case: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    let run = crate::util::build_fixture(case, tmp.path());
    assert!(
        run.code >= 0,
        "{case}: killed by a signal\n{}",
        run.describe()
    );
    read_tree(tmp.path())
}

/// Checks every feed against every parser and the manifest; returns the feed paths.
pub fn check_all_feeds(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let manifest = manifest(files);
    let mut feeds = Vec::new();
    for entry in manifest["feeds"].as_array().unwrap() {
        let path = entry["path"].as_str().unwrap();
        let bytes = files
            .get(path)
            .unwrap_or_else(|| panic!("{path} listed but missing"));
        let items = entry["items"].as_u64().unwrap() as usize;
        assert_eq!(parse_items(path, bytes), items, "{path}");
        assert_eq!(feed_rs_items(path, bytes), items, "{path} (feed-rs)");
        feeds.push(path.to_string());
    }
    let listed: BTreeSet<&str> = manifest["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .chain(manifest["files"].as_array().unwrap())
        .map(|e| e["path"].as_str().unwrap())
        .chain(["manifest.json"])
        .collect();
    let present: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(listed, present, "manifest and output folder disagree");
    feeds
}

#[test]
fn every_feed_of_the_fixture_sites_parses() {
    for case in ["basic", "rejects", "duplicates", "topics", "rich", "kinds"] {
        let files = build_fixture(case);
        let feeds = check_all_feeds(&files);
        assert!(feeds.len() >= 3, "{case}");
    }
}

#[test]
fn basic_feeds_carry_the_expected_items() {
    let files = build_fixture("basic");
    let channel = rss::Channel::read_from(&files["rss.xml"][..]).unwrap();
    let titles: Vec<_> = channel
        .items()
        .iter()
        .map(|i| i.title().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        [
            "Neural Summit",
            "Chips & models: a < b for “AI” makers",
            "Second outlet covers AI hardware",
            "No provider, so the feed's author stands in"
        ]
    );
    let chips = &channel.items()[1];
    assert_eq!(
        chips.link(),
        Some("https://news.example/2023/chips.html#top")
    );
    let guid = chips.guid().unwrap();
    assert_eq!(guid.value(), "https://news.example/2023/chips.html");
    assert!(!guid.is_permalink());
    assert_eq!(chips.pub_date(), Some("Thu, 11 May 2023 21:44:00 +0000"));
    assert_eq!(
        chips.dublin_core_ext().unwrap().creators(),
        ["Example News"]
    );
    assert_eq!(
        chips.author(),
        None,
        "RSS author is for e-mail addresses only"
    );
    assert_eq!(
        chips.enclosure().unwrap().url(),
        "https://img.news.example/chips.jpg?w=1200&fmt=jpeg"
    );
    assert_eq!(
        channel.last_build_date(),
        Some("Tue, 20 Jun 2023 16:00:00 +0000")
    );

    let feed = atom_syndication::Feed::read_from(&files["atom.xml"][..]).unwrap();
    let entry = &feed.entries()[1];
    assert_eq!(entry.id(), "https://news.example/2023/chips.html");
    let via: Vec<_> = entry
        .links()
        .iter()
        .filter(|l| l.rel() == "via")
        .map(|l| l.href())
        .collect();
    assert_eq!(via, ["https://wire.example/chips"]);
    let terms: Vec<_> = entry
        .categories()
        .iter()
        .map(|c| (c.term(), c.label()))
        .collect();
    assert_eq!(
        terms,
        [("ai", Some("AI")), ("ai-hardware", Some("AI Hardware"))]
    );
    assert_eq!(entry.authors()[0].uri(), Some("https://news.example/"));
    assert_eq!(feed.authors()[0].name(), "Test Wire");
    assert_eq!(feed.updated().to_rfc3339(), "2023-06-20T16:00:00+00:00");

    // Nothing unpublished or secret anywhere.
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for banned in [
            "Draft that must appear",
            "Secret Topic",
            "hidden.example",
            "U0VDUkVULUJBU0lD",
        ] {
            assert!(!text.contains(banned), "{banned} in {path}");
        }
    }
}

#[test]
fn opml_lists_exactly_the_feeds_in_the_manifest() {
    let files = build_fixture("basic");
    let manifest = manifest(&files);
    let rss: BTreeSet<String> = manifest["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["format"] == "rss")
        .map(|e| format!("https://example.org/feeds/{}", e["path"].as_str().unwrap()))
        .collect();
    let opml = String::from_utf8(files["feeds.opml"].clone()).unwrap();
    let mut reader = quick_xml::Reader::from_str(&opml);
    let mut listed = BTreeSet::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)
                if e.name().as_ref() == b"outline" =>
            {
                if let Some(url) = e.try_get_attribute("xmlUrl").unwrap() {
                    listed.insert(
                        url.decoded_and_normalized_value(
                            quick_xml::XmlVersion::Explicit1_0,
                            reader.decoder(),
                        )
                        .unwrap()
                        .into_owned(),
                    );
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(listed, rss);
    assert!(
        opml.contains("<outline text=\"Topics\"") && opml.contains("<outline text=\"Providers\"")
    );
}
