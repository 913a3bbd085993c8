//! Property tests over generated article files: the build never panics, everything it writes
//! is well-formed and reads back with the same item count, every rejected article has a
//! diagnostic, no `secured` value reaches the output, and every feed passes the built-in
//! validator.
//!
//! CI runs 64 cases per property; `PROPTEST_CASES=5000 cargo test --release --test suite props`
//! is the long run.

use proptest::prelude::*;

use crate::util::{BASE_URL, NOW, Site, manifest, parse_items};

const SECRET: &str = "UFJPUFRFU1QtU0VDUkVU";

/// Any text, including characters XML forbids and markup.
fn wild_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        any::<String>().prop_map(|s| s.chars().take(40).collect()),
        Just("<script>alert(1)</script>]]>&nbsp;&amp;#8217; AT&T".to_string()),
        Just("\u{0}\u{1b}\u{7f}\u{85}\u{feff}\u{200f}🎉".to_string()),
    ]
}

/// A YAML double-quoted scalar holding `s`.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u32..50).prop_map(|n| format!("https://site{}.example/a/{n}", n % 7)),
        Just("javascript:alert(1)".to_string()),
        Just("/relative".to_string()),
        "\\PC{0,20}",
    ]
}

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        (1985i32..2030, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}T10:00:00Z")),
        Just("2019-12-08T08:00:00-08:00".to_string()),
        "\\PC{0,12}",
    ]
}

fn structured_article() -> impl Strategy<Value = String> {
    (
        wild_text(),
        url(),
        date(),
        wild_text(),
        prop::collection::vec(wild_text(), 0..4),
        proptest::option::of(wild_text()),
        any::<bool>(),
    )
        .prop_map(|(title, link, date, excerpt, topics, provider, published)| {
            let mut s = format!(
                "---\ntitle: {}\nwebUrl: {}\npublishedDateTime: {}\nexcerpt: {}\npublished: {published}\nsecured: \"{SECRET};AAAA\"\n",
                quoted(&title),
                quoted(&link),
                quoted(&date),
                quoted(&excerpt)
            );
            s.push_str("topics:\n");
            for t in topics {
                s.push_str(&format!("  - {}\n", quoted(&t)));
            }
            if let Some(p) = provider {
                s.push_str(&format!("provider:\n  name: {}\n  domain: {}\n", quoted(&p), quoted(&p)));
            }
            s.push_str("---\n");
            s
        })
}

/// Random bytes shaped like front matter, to shake the YAML parser.
fn raw_article() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        "\\PC{0,200}".prop_map(|s| format!("---\n{s}\n---\n").into_bytes()),
        "[-:{}\\[\\],&*!|>'\"%@` \n\ta-z0-9]{0,120}"
            .prop_map(|s| format!("---\n{s}\n---\n").into_bytes()),
    ]
}

fn check_build(files: Vec<Vec<u8>>) -> Result<(), TestCaseError> {
    let site = Site::new();
    for (i, bytes) in files.iter().enumerate() {
        site.write(&format!("{i:02}.md"), bytes);
    }
    let run = site.build(&[]);
    prop_assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    prop_assert!(!run.stderr.contains("panicked"), "{}", run.stderr);

    let summary = run.stderr.lines().last().unwrap_or("");
    let rejected: usize = summary
        .split([',', ';'])
        .find_map(|part| {
            part.trim()
                .strip_suffix(" rejected")
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(usize::MAX);
    let files_with_errors: std::collections::BTreeSet<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains(": error["))
        .filter_map(|d| d.split(':').next())
        .collect();
    prop_assert_eq!(
        rejected,
        files_with_errors.len(),
        "every rejected article has an error"
    );

    let out = site.outputs();
    let manifest = manifest(&out);
    for entry in manifest["feeds"].as_array().unwrap() {
        let path = entry["path"].as_str().unwrap();
        let items = parse_items(path, &out[path]);
        prop_assert_eq!(items as u64, entry["items"].as_u64().unwrap());
        prop_assert_eq!(
            crate::util::feed_rs_items(path, &out[path]) as u64,
            entry["items"].as_u64().unwrap()
        );
        // Whatever the input, every feed passes the built-in validator (the W3C rules).
        let options = newswire_validate::Options {
            location: Some(format!("{BASE_URL}{path}")),
            now: Some(NOW.parse().unwrap()),
        };
        let findings = newswire_validate::validate(&out[path], &options).findings;
        prop_assert!(findings.is_empty(), "{}: {:?}", path, findings);
    }
    for (path, bytes) in &out {
        prop_assert!(
            !String::from_utf8_lossy(bytes).contains(SECRET),
            "secured value in {}",
            path
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_articles_build_to_valid_feeds(articles in prop::collection::vec(structured_article(), 1..6)) {
        check_build(articles.into_iter().map(String::into_bytes).collect())?;
    }

    #[test]
    fn random_bytes_never_break_the_build(articles in prop::collection::vec(raw_article(), 1..5)) {
        check_build(articles)?;
    }
}
