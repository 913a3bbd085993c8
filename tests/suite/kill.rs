//! A build killed at any moment (SIGKILL) leaves every file in the output folder either its old
//! or its new complete version, and the next build repairs the rest.
//!
//! CI runs 25 kills; `NEWSWIRE_KILL_ROUNDS=500 cargo test --release --test suite kill` is the
//! long run.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::util::{BASE_URL, NOW, Site, article, newswire, read_tree};

fn write_corpus(site: &Site, version: &str) {
    for i in 0..240 {
        site.write(
            &format!("{i:03}.md"),
            article(
                &format!("Story {i} ({version})"),
                &format!("https://p{}.example/{i}", i % 20),
                &format!("2023-05-{:02}T10:00:00Z", 1 + i % 28),
                &format!(
                    "topics: [AI, Topic {}]\nprovider: {{name: P{}, domain: p{}.example}}\n",
                    i % 60,
                    i % 20,
                    i % 20
                ),
            ),
        );
    }
}

fn build_args(out: &str) -> Vec<String> {
    [
        "build",
        "--input",
        "articles",
        "--output",
        out,
        "--base-url",
        BASE_URL,
        "--now",
        NOW,
        "--quiet",
    ]
    .map(String::from)
    .to_vec()
}

fn reference(version: &str) -> BTreeMap<String, Vec<u8>> {
    let site = Site::new();
    write_corpus(&site, version);
    site.build(&["--quiet"]).expect_code(0);
    site.outputs()
}

#[test]
fn killed_builds_never_leave_a_torn_file() {
    let rounds: usize = std::env::var("NEWSWIRE_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(25);
    let old = reference("old");
    let new = reference("new");

    let site = Site::new();
    write_corpus(&site, "old");
    // How long a whole build takes, to spread the kills over it.
    let started = Instant::now();
    site.build(&["--quiet"]).expect_code(0);
    let span = started.elapsed().as_micros().max(1000) as u64;
    assert_eq!(site.outputs(), old);

    // Kill after a pseudo-random delay within the span of a build; when a build finished
    // before its kill, the span shrinks, so kills keep landing mid-build on any machine.
    let mut span = span;
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let (mut interrupted, mut attempts, mut mid_write) = (0, 0, 0);
    while interrupted < rounds && attempts < rounds * 8 {
        attempts += 1;
        // Flip the input each time, so every build has files to replace.
        write_corpus(&site, if attempts % 2 == 1 { "new" } else { "old" });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = Duration::from_micros(seed % span);
        let mut child = newswire()
            .current_dir(site.root())
            .args(build_args("out"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        } else {
            span = (span * 3 / 4).max(1000);
        }
        let _ = child.kill();
        let _ = child.wait();

        let (mut olds, mut news) = (0, 0);
        for (path, bytes) in read_tree(&site.out()) {
            let name = path.rsplit('/').next().unwrap();
            if (name.starts_with('.') && name.ends_with(".tmp")) || name == ".newswire.writing" {
                continue; // an abandoned temporary file or mark; the next build removes it
            }
            let is_old = old.get(&path) == Some(&bytes);
            let is_new = new.get(&path) == Some(&bytes);
            assert!(
                is_old || is_new,
                "attempt {attempts} (kill after {delay:?}): {path} is neither old nor new"
            );
            olds += usize::from(is_old && !is_new);
            news += usize::from(is_new && !is_old);
        }
        mid_write += usize::from(olds > 0 && news > 0);
    }
    println!(
        "{interrupted} kills interrupted a running build ({attempts} attempts, {mid_write} left old and new files side by side)"
    );
    assert_eq!(interrupted, rounds, "too few kills landed mid-build");

    write_corpus(&site, "new");
    site.build(&["--quiet"]).expect_code(0);
    assert_eq!(site.outputs(), new, "the next build repairs everything");
}
