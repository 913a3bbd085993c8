//! Determinism: the same articles always give the same bytes — built twice, built from files
//! created in the opposite order, and built from files renamed (and moved into subfolders) so
//! that they sort differently.

use std::collections::BTreeMap;
use std::fs;

use crate::util::{self, Article, Site, assert_same_tree, read_tree};

/// The `basic` fixture's articles, plus a generated set that exercises every ordering rule:
/// items published in the same instant (ties by id, millisecond-apart `updated`), one topic in
/// several spellings, one provider under two names, related coverage between articles,
/// duplicate links with different dates, and an unpublished and a rejected file.
fn articles() -> Vec<(String, String)> {
    let basic = util::fixture("sites/basic/articles");
    let mut files: Vec<(String, String)> = fs::read_dir(&basic)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    let spellings = ["AI", "ai", " AI ", "Robots", "robots", "Chips"];
    for i in 0..24 {
        let day = 1 + i % 5; // five publication instants shared by many items
        let mut article = Article::new(
            &format!("Story {i:02}"),
            &format!("https://news{}.example/story/{i}", i % 3),
            &format!("2023-06-0{day}T12:00:00Z"),
        )
        .topics(&[spellings[i % 6], spellings[(i + 1) % 6]])
        .raw("quality", &(i % 4).to_string());
        if i % 4 != 3 {
            let name = if i % 2 == 0 {
                "News Zero"
            } else {
                "News Zero Inc."
            };
            article = article.provider(name, &format!("news{}.example", i % 3));
        }
        if i % 6 == 0 {
            let other = (i + 7) % 24;
            article = article.raw(
                "related",
                &format!(
                    "\n  - title: \"Story {other:02}\"\n    webUrl: \"https://news{}.example/story/{other}\"",
                    other % 3
                ),
            );
        }
        files.push((format!("gen-{i:02}.md"), article.render()));
    }
    // Same link, different dates: the newer copy wins whatever the names.
    let dup = |date: &str, title: &str| {
        Article::new(title, "https://dup.example/same#frag", date)
            .topics(&["Duplicates"])
            .render()
    };
    files.push(("dup-a.md".into(), dup("2023-06-02T00:00:00Z", "Older copy")));
    files.push(("dup-b.md".into(), dup("2023-06-03T00:00:00Z", "Newer copy")));
    files.push((
        "unpublished.md".into(),
        Article::new("Hidden", "https://hidden.example/", "2023-06-04T00:00:00Z")
            .raw("published", "false")
            .render(),
    ));
    files.push((
        "broken.md".into(),
        Article::new("Broken", "ftp://broken.example/", "2023-06-04T00:00:00Z").render(),
    ));
    files
}

fn build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let run = site.build(&[]);
    run.expect_code(1);
    // 5 basic + 24 generated + 2 duplicates + 1 unpublished + 1 broken files.
    assert!(
        run.summary().contains(
            "33 articles read: 29 published, 2 unpublished, 0 held back, 1 rejected; 1 warnings"
        ),
        "{}",
        run.describe()
    );
    read_tree(&site.out())
}

#[test]
fn building_twice_gives_the_same_bytes() {
    let site = Site::new();
    for (name, text) in articles() {
        site.write(&name, &text);
    }
    let first = build(&site);
    site.build_into("again", &[]).expect_code(1);
    let second = read_tree(&site.root().join("again"));
    assert_same_tree("second build", &first, &second, "");
    assert!(first.contains_key("manifest.json"));
}

#[test]
fn file_creation_order_and_names_do_not_show_in_the_output() {
    let files = articles();
    let forward = Site::new();
    for (name, text) in &files {
        forward.write(name, text);
    }
    let expected = build(&forward);

    // Created in reverse order.
    let reversed = Site::new();
    for (name, text) in files.iter().rev() {
        reversed.write(name, text);
    }
    assert_same_tree("reversed creation order", &expected, &build(&reversed), "");

    // Renamed so the sort order is reversed, half of them moved into a subfolder, and
    // created in a shuffled order.
    let renamed = Site::new();
    let n = files.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (i * 7919) % n);
    for i in order {
        let (name, text) = &files[i];
        let folder = if i % 2 == 0 { "nested/" } else { "" };
        renamed.write(
            &format!("{folder}{:03}-{}", n - i, name.replace("-", "_")),
            text,
        );
    }
    let actual = build(&renamed);
    assert_same_tree("renamed and shuffled", &expected, &actual, "");
}
