//! What a build leaves on disk across builds: unchanged files are not touched (their mtime is
//! kept), a changed article rewrites exactly the feeds that carry it, and pruning removes only
//! the stale files the previous `manifest.json` lists — never a file the user put there.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::util::{Article, NOW, Site, assert_same_tree, read_tree};

/// An mtime no build could produce, so "unchanged" is visible without sleeping.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

fn age_every_file(dir: &Path) {
    for path in read_tree(dir).keys() {
        fs::File::options()
            .write(true)
            .open(dir.join(path))
            .unwrap()
            .set_modified(long_ago())
            .unwrap();
    }
}

/// The files under `dir` whose mtime is no longer [`long_ago`].
fn touched(dir: &Path) -> BTreeSet<String> {
    read_tree(dir)
        .into_keys()
        .filter(|path| fs::metadata(dir.join(path)).unwrap().modified().unwrap() != long_ago())
        .collect()
}

fn article(letter: &str, topics: &[&str]) -> Article {
    Article::new(
        &format!("Article {letter}"),
        &format!("https://{letter}.example/story"),
        "2023-03-01T12:00:00Z",
    )
    .provider(&format!("Outlet {letter}"), &format!("{letter}.example"))
    .topics(topics)
}

#[test]
fn unchanged_files_keep_their_mtime_and_a_change_rewrites_only_its_feeds() {
    let site = Site::new();
    site.article("a.md", &article("a", &["Alpha"]));
    site.article("b.md", &article("b", &["Beta"]));
    site.article("c.md", &article("c", &["Beta", "Gamma"]));
    let first = site.build(&[]);
    first.expect_code(0);
    let files = read_tree(&site.out());
    let planned = files.len() - 1; // everything but the manifest
    assert_eq!(first.write_counts(), (planned, 0, 0), "{}", first.summary());

    age_every_file(&site.out());
    let second = site.build(&[]);
    second.expect_code(0);
    assert_eq!(
        second.write_counts(),
        (0, planned, 0),
        "{}",
        second.summary()
    );
    assert!(
        second.summary().contains(" 0 written"),
        "{}",
        second.summary()
    );
    assert_eq!(
        touched(&site.out()),
        BTreeSet::new(),
        "no file was rewritten"
    );
    assert_eq!(read_tree(&site.out()), files);

    // A new title for `a`: its feeds (everything, topic Alpha, provider a) and the manifest
    // change; Beta, Gamma, the other providers, the OPML list and the index page do not.
    site.article(
        "a.md",
        &article("a", &["Alpha"]).text("title", "Article a, revised"),
    );
    let third = site.build(&[]);
    third.expect_code(0);
    // (`Outlet a` on a.example is a provider of its own there: see the README's Providers.)
    let mut want: BTreeSet<String> = [
        "",
        "topics/alpha/",
        "providers/a-example-outlet-a/",
        "kinds/article/",
    ]
    .iter()
    .flat_map(|dir| ["rss.xml", "atom.xml", "feed.json"].map(|f| format!("{dir}{f}")))
    .collect();
    assert_eq!(third.write_counts(), (want.len(), planned - want.len(), 0));
    want.insert("manifest.json".into());
    assert_eq!(touched(&site.out()), want);
    let now = read_tree(&site.out());
    let changed: BTreeSet<String> = files
        .iter()
        .filter(|(path, bytes)| now.get(*path) != Some(bytes))
        .map(|(path, _)| path.clone())
        .collect();
    assert_eq!(changed, want, "exactly the touched files have new bytes");
}

#[test]
fn the_index_page_and_opml_list_follow_every_change_to_the_feeds() {
    // A rebuild skips the site files when nothing they show changed; each change here alters
    // what they show, and after each the tree must be exactly a cold build's.
    let site = Site::new();
    site.article("a.md", &article("a", &["Alpha"]));
    site.article("b.md", &article("b", &["Beta"]));
    site.build(&[]).expect_code(0);
    type Change<'a> = (&'a str, &'a dyn Fn(&Site));
    let changes: [Change<'_>; 4] = [
        ("a feed's newest date", &|s| {
            s.article(
                "a.md",
                &article("a", &["Alpha"]).raw("publishedDateTime", "2023-04-01T12:00:00Z"),
            );
        }),
        ("a new feed", &|s| {
            s.article("c.md", &article("c", &["Gamma"]));
        }),
        ("a feed gone", &|s| s.remove_article("b.md")),
        ("a provider renamed", &|s| {
            s.article(
                "c.md",
                &article("c", &["Gamma"]).provider("Outlet C, renamed", "c.example"),
            );
        }),
    ];
    for (n, (what, change)) in changes.iter().enumerate() {
        change(&site);
        let rebuild = site.build(&[]);
        rebuild.expect_code(0);
        let cold = format!("cold-{n}");
        site.build_into(&cold, &["--no-cache"]).expect_code(0);
        assert_same_tree(
            &format!("after {what}"),
            &read_tree(&site.root().join(&cold)),
            &read_tree(&site.out()),
            "the rebuild differs from a cold build",
        );
        let index = fs::read(site.out().join("index.html")).unwrap();
        assert!(
            !index.is_empty() && rebuild.write_counts().0 > 0,
            "{what}: {}",
            rebuild.summary()
        );
    }
}

#[test]
fn a_file_edited_behind_newswires_back_is_repaired() {
    let site = Site::new();
    site.article("a.md", &article("a", &["Alpha"]));
    site.build(&[]).expect_code(0);
    let before = read_tree(&site.out());
    fs::write(site.out().join("topics/alpha/rss.xml"), "tampered").unwrap();
    let run = site.build(&[]);
    run.expect_code(0);
    assert_eq!(run.write_counts().0, 1, "{}", run.summary());
    assert_eq!(read_tree(&site.out()), before);
}

#[test]
fn stale_feeds_are_pruned_and_foreign_files_survive() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep", "Ephemeral", "Fleeting"]));
    site.article("y.md", &article("y", &["Keep"]));
    site.build(&[]).expect_code(0);
    let out = site.out();
    assert!(out.join("topics/ephemeral/rss.xml").is_file());
    assert!(out.join("topics/fleeting/atom.xml").is_file());

    let foreign = [
        ("notes.txt", "the user's notes"),
        ("topics/README.txt", "the user's readme"),
        ("topics/fleeting/mine.txt", "kept beside a stale feed"),
        (
            "topics/handmade/rss.xml",
            "<rss>hand-made, never listed</rss>",
        ),
        (".htaccess", "Options -Indexes"),
    ];
    for (path, text) in foreign {
        fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        fs::write(out.join(path), text).unwrap();
    }

    site.article("x.md", &article("x", &["Keep"]));
    let run = site.build(&[]);
    run.expect_code(0);
    assert_eq!(run.write_counts().2, 6, "{}", run.summary());
    assert!(
        !out.join("topics/ephemeral").exists(),
        "emptied folder removed"
    );
    for file in ["rss.xml", "atom.xml", "feed.json"] {
        assert!(!out.join("topics/fleeting").join(file).exists());
    }
    for (path, text) in foreign {
        assert_eq!(fs::read_to_string(out.join(path)).unwrap(), text, "{path}");
    }
    assert!(out.join("topics/keep/rss.xml").is_file());
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("ephemeral") && !manifest.contains("fleeting"));
}

#[test]
fn a_removed_article_takes_its_provider_feeds_with_it() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep"]));
    site.article("y.md", &article("y", &["Keep"]));
    site.build(&[]).expect_code(0);
    assert!(
        site.out()
            .join("providers/y-example-outlet-y/feed.json")
            .is_file()
    );
    site.remove_article("y.md");
    let run = site.build(&[]);
    run.expect_code(0);
    assert_eq!(run.write_counts().2, 3, "{}", run.summary());
    assert!(!site.out().join("providers/y-example-outlet-y").exists());
    assert!(
        site.out()
            .join("providers/x-example-outlet-x/rss.xml")
            .is_file()
    );
}

#[test]
fn files_the_previous_manifest_does_not_list_are_never_deleted() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep", "Ephemeral"]));
    site.build(&[]).expect_code(0);
    let out = site.out();

    // Without a previous manifest, nothing is known to be ours: the build refuses to
    // overwrite the feeds (see the test after this one), and with --force it overwrites them but prunes
    // nothing.
    fs::remove_file(out.join("manifest.json")).unwrap();
    site.article("x.md", &article("x", &["Keep"]));
    site.build(&[]).expect_code(2);
    let run = site.build(&["--force"]);
    run.expect_code(0);
    assert_eq!(run.write_counts().2, 0, "{}", run.summary());
    assert!(out.join("topics/ephemeral/rss.xml").is_file());

    // A manifest that lists paths outside the output folder is not obeyed.
    let victim = site.root().join("victim.txt");
    fs::write(&victim, "outside").unwrap();
    let absolute = victim.to_str().unwrap();
    let hostile = serde_json::json!({
        "generator": "newswire",
        "feeds": [
            {"path": "../victim.txt", "format": "rss", "title": "x", "items": 0,
             "newest": null, "xxh3": "00"},
            {"path": absolute, "format": "rss", "title": "x", "items": 0,
             "newest": null, "xxh3": "00"}
        ],
        "files": [{"path": "topics/../../victim.txt", "xxh3": "00"}]
    });
    fs::write(out.join("manifest.json"), hostile.to_string()).unwrap();
    site.build(&["--force"]).expect_code(0);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "outside");
}

#[test]
fn a_foreign_index_page_is_refused_and_force_overwrites_it() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep"]));
    let out = site.out();
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "<p>my own page</p>").unwrap();
    fs::write(out.join("CNAME"), "feeds.example.org").unwrap();

    // Refused before anything is written: the page and the folder are as they were.
    let run = site.build(&[]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("refusing to overwrite") && run.stderr.contains("index.html"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    let left: Vec<String> = read_tree(&out).into_keys().collect();
    assert_eq!(left, ["CNAME", "index.html"], "nothing written");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "<p>my own page</p>"
    );
    // `check` predicts the refusal (and writes nothing either).
    site.check(&[]).expect_code(2);

    // --force overwrites it; from then on it is newswire's, and a file it never writes
    // (CNAME) is still untouched.
    site.build(&["--force"]).expect_code(0);
    let page = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    site.build(&[]).expect_code(0);
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "feeds.example.org"
    );
}

#[test]
fn the_headers_file_is_written_with_the_option_and_pruned_without_it() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep"]));
    let config =
        |headers: &str| format!("base_url: https://example.org/feeds/\ninput: articles\n{headers}");
    site.write_file("newswire.yaml", config("headers: netlify\n"));
    site.run(&["build", "--now", NOW]).expect_code(0);
    let out = site.out();
    let headers = fs::read_to_string(out.join("_headers")).unwrap();
    assert!(headers.contains("/*rss.xml\n  Content-Type: application/rss+xml; charset=utf-8\n"));
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"path\": \"_headers\""), "{manifest}");

    // A rebuild leaves it alone; without the option it is pruned, and nothing else is.
    let run = site.run(&["build", "--now", NOW]);
    assert_eq!(run.write_counts().0, 0, "{}", run.summary());
    site.write_file("newswire.yaml", config(""));
    let run = site.run(&["build", "--now", NOW]);
    run.expect_code(0);
    assert_eq!(
        run.write_counts(),
        (0, run.write_counts().1, 1),
        "{}",
        run.summary()
    );
    assert!(!out.join("_headers").exists());

    // Any other value is refused, naming the key.
    site.write_file("newswire.yaml", config("headers: apache\n"));
    let run = site.run(&["build", "--now", NOW]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("`headers`") && run.stderr.contains("apache"),
        "{}",
        run.stderr
    );
}

#[test]
fn turning_the_stylesheet_off_prunes_it() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep"]));
    let config = |stylesheet: bool| {
        format!("base_url: https://example.org/feeds/\ninput: articles\nstylesheet: {stylesheet}\n")
    };
    site.write_file("newswire.yaml", config(true));
    site.run(&["build", "--now", NOW]).expect_code(0);
    let out = site.out();
    assert!(out.join("feed.xsl").is_file());
    let rss = fs::read_to_string(out.join("topics/keep/rss.xml")).unwrap();
    assert!(rss.contains("<?xml-stylesheet type=\"text/xsl\" href=\"../../feed.xsl\"?>"));

    site.write_file("newswire.yaml", config(false));
    let run = site.run(&["build", "--now", NOW]);
    run.expect_code(0);
    assert_eq!(run.write_counts().2, 1, "{}", run.summary());
    assert!(!out.join("feed.xsl").exists());
    let rss = fs::read_to_string(out.join("topics/keep/rss.xml")).unwrap();
    assert!(!rss.contains("xml-stylesheet"));
}

#[test]
fn formats_choose_the_files_and_a_format_turned_off_is_pruned() {
    let site = Site::new();
    site.article("x.md", &article("x", &["Keep"]));
    let config = |formats: &str| {
        format!("base_url: https://example.org/feeds/\ninput: articles\nformats: {formats}\n")
    };
    let feeds = |out: &Path| -> BTreeSet<String> {
        read_tree(out)
            .keys()
            .filter(|p| p.ends_with(".xml") || p.ends_with(".json"))
            .filter(|p| *p != "manifest.json")
            .cloned()
            .collect()
    };
    let out = site.out();

    // On the command line, in any order and with repeats: written in the usual order.
    site.write_file("newswire.yaml", config("[rss, atom, json]"));
    site.run(&["build", "--formats", "atom,rss,atom", "--now", NOW])
        .expect_code(0);
    let want: BTreeSet<String> = [
        "",
        "topics/keep/",
        "providers/x-example-outlet-x/",
        "kinds/article/",
    ]
    .iter()
    .flat_map(|dir| ["rss.xml", "atom.xml"].map(|f| format!("{dir}{f}")))
    .collect();
    assert_eq!(feeds(&out), want);
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        !index.contains("feed+json") && !index.contains("feed.json"),
        "{index}"
    );
    assert!(index.contains("application/atom+xml"));
    let opml = fs::read_to_string(out.join("feeds.opml")).unwrap();
    assert!(
        opml.contains("xmlUrl=\"https://example.org/feeds/rss.xml\""),
        "{opml}"
    );

    // JSON alone, from the config file: the XML feeds go, and the OPML points at JSON.
    site.write_file("newswire.yaml", config("[json]"));
    let run = site.run(&["build", "--now", NOW]);
    run.expect_code(0);
    // Two formats of four feeds: everything, the topic, the provider, the articles.
    assert_eq!(run.write_counts().2, 8, "{}", run.summary());
    let want: BTreeSet<String> = [
        "",
        "topics/keep/",
        "providers/x-example-outlet-x/",
        "kinds/article/",
    ]
    .iter()
    .map(|dir| format!("{dir}feed.json"))
    .collect();
    assert_eq!(feeds(&out), want);
    let opml = fs::read_to_string(out.join("feeds.opml")).unwrap();
    assert!(
        opml.contains("xmlUrl=\"https://example.org/feeds/feed.json\""),
        "{opml}"
    );

    // None at all, or a name that is not a format, is a fatal error naming the setting.
    site.write_file("newswire.yaml", config("[]"));
    let run = site.run(&["build", "--now", NOW]);
    run.expect_code(2);
    assert!(run.describe().contains("formats"), "{}", run.describe());
    let run = site.run(&["build", "--formats", "rss,html"]);
    run.expect_code(2);
    assert!(run.describe().contains("html"), "{}", run.describe());
}

#[test]
fn a_manifest_from_before_xxh3_still_prunes_and_is_brought_up_to_date() {
    let site = Site::new();
    site.article("a.md", &article("a", &["Keep"]));
    site.build(&[]).expect_code(0);
    let out = site.out();
    // The manifest as builds wrote it before: `sha256` where `xxh3` is now, and a file this
    // build no longer produces.
    fs::create_dir_all(out.join("topics/old")).unwrap();
    fs::write(out.join("topics/old/rss.xml"), "stale").unwrap();
    let text = fs::read_to_string(out.join("manifest.json")).unwrap();
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    for list in ["feeds", "files"] {
        for entry in old[list].as_array_mut().unwrap() {
            let entry = entry.as_object_mut().unwrap();
            assert!(entry.remove("xxh3").is_some());
            entry.insert("sha256".into(), "ab".repeat(32).into());
        }
    }
    old["files"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"path": "topics/old/rss.xml", "sha256": "00"}));
    fs::write(out.join("manifest.json"), old.to_string()).unwrap();
    age_every_file(&out);

    let run = site.build(&[]);
    run.expect_code(0);
    assert_eq!(run.write_counts().2, 1, "{}", run.summary());
    assert!(!out.join("topics/old/rss.xml").exists());
    // Every feed compared by its bytes, none rewritten; only the manifest is new.
    assert_eq!(touched(&out), BTreeSet::from(["manifest.json".to_string()]));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    for list in ["feeds", "files"] {
        for entry in manifest[list].as_array().unwrap() {
            let hash = entry["xxh3"].as_str().unwrap_or_default();
            assert_eq!(hash.len(), 32, "{entry}");
            assert!(entry.get("sha256").is_none(), "{entry}");
        }
    }
}
