//! Any bytes as a feed file → the built-in validator: it must never panic, and whatever it
//! reports must point inside the document (line ≥ 1, col ≥ 1).
//!
//! `cargo +nightly fuzz run feed` (seed the corpus with feeds from `out/`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use newswire_validate::{Options, validate};

fuzz_target!(|data: &[u8]| {
    let options = Options {
        location: Some("https://example.org/feeds/rss.xml".into()),
        now: Some(chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()),
    };
    let outcome = validate(data, &options);
    let lines = 1 + data.iter().filter(|&&b| b == b'\n').count();
    for finding in &outcome.findings {
        assert!(finding.pos.line >= 1 && finding.pos.col >= 1, "{finding:?}");
        assert!(finding.pos.line <= lines + 1, "{finding:?} beyond {lines} lines");
    }
});
