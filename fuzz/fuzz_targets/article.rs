//! Fuzz target: arbitrary bytes as an article file → front matter → item → every feed rendered.
//!
//! Run with a nightly toolchain: `cargo +nightly fuzz run article` (from the repository root).
//! It checks that no input panics, that every RSS and Atom feed is well-formed XML that the
//! `rss` and `atom_syndication` parsers read back with the same number of items, and that every
//! JSON Feed follows the JSON Feed 1.1 rules.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newswire::config::{Config, Overrides, Settings};
use newswire::model::FeedFormat;
use newswire::normalise::Outcome;
use newswire::{ingest, normalise, pipeline, render};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let overrides = Overrides {
        base_url: Some("https://feeds.example.org/".into()),
        now: chrono::DateTime::from_timestamp(1_900_000_000, 0),
        ..Overrides::default()
    };
    let Ok(settings) = Settings::merge(Config::default(), Path::new(""), overrides) else {
        return;
    };
    let Ok(parsed) = ingest::parse_text(Path::new("fuzz.md"), text) else {
        return;
    };
    let Outcome::Item(item) = normalise::normalise(&parsed, &settings.items).outcome else {
        return;
    };
    let (files, _) = pipeline::render_items(vec![item], &settings).expect("rendering never fails");
    for file in files {
        let Some(feed) = file.feed else {
            continue;
        };
        match feed.format {
            FeedFormat::Rss => {
                let channel = rss::Channel::read_from(&file.bytes[..]).expect("valid RSS");
                assert_eq!(channel.items().len(), feed.items);
            }
            FeedFormat::Atom => {
                let parsed = atom_syndication::Feed::read_from(&file.bytes[..]).expect("valid Atom");
                assert_eq!(parsed.entries().len(), feed.items);
            }
            FeedFormat::Json => {
                let doc: serde_json::Value = serde_json::from_slice(&file.bytes).expect("JSON");
                render::json::check(&doc).expect("JSON Feed 1.1");
            }
        }
    }
});
