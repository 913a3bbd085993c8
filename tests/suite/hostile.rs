//! Failures around the build: dangerous output folders, unwritable or full disks, symlinks,
//! two builds at once. In every case: a clear fatal error, exit 2, nothing published lost.

use std::fs;
use std::process::Command;

use crate::util::{Site, article, read_tree};

fn good_site() -> Site {
    let site = Site::new();
    for i in 0..5 {
        site.write(
            &format!("{i}.md"),
            article(
                &format!("Story {i}"),
                &format!("https://s.example/{i}"),
                "2023-05-01T10:00:00Z",
                "topics: [AI]\n",
            ),
        );
    }
    site
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = good_site();
    fs::write(site.path("a-file"), "precious").unwrap();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for output in ["/", home.as_str(), "articles", "articles/out", "a-file"] {
        let run = site.build_into(output, &[]);
        run.expect_code(2);
        assert!(
            run.stderr.contains("refusing to write"),
            "{output}: {}",
            run.stderr
        );
    }
    assert_eq!(fs::read_to_string(site.path("a-file")).unwrap(), "precious");
    assert_eq!(
        fs::read_dir(site.articles()).unwrap().count(),
        5,
        "nothing written into the input"
    );
}

#[test]
fn an_unwritable_output_is_fatal() {
    // /proc refuses new files even to root.
    let site = good_site();
    let run = site.build_into("/proc/newswire-test-out", &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

/// A real small tmpfs: mounting one needs root, so this runs only when asked for
/// (`cargo test --test suite -- --ignored full_disk`, as `.ci/run` does as root), and then a
/// failed mount fails the test. (`src/write.rs` has a unit test of the same with an injected
/// write error.)
#[test]
#[ignore = "mounts a tmpfs: needs root (.ci/run runs it with --ignored)"]
fn a_full_disk_loses_nothing_published() {
    let site = good_site();
    let mount = site.path("small");
    fs::create_dir_all(&mount).unwrap();
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=160k", "tmpfs"])
        .arg(&mount)
        .status();
    assert!(
        status.as_ref().is_ok_and(|s| s.success()),
        "cannot mount a tmpfs at {} ({status:?}): run as root",
        mount.display()
    );
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let out = mount.join("out");
    let out_arg = out.to_str().unwrap();
    site.build_into(out_arg, &[]).expect_code(0);
    let published = read_tree(&out);

    // Many long articles no longer fit: the build fails, the old feeds stay whole.
    for i in 0..40 {
        let long = "word ".repeat(180);
        site.write(
            &format!("big{i}.md"),
            format!(
                "---\ntitle: \"Big {i}\"\nwebUrl: https://big.example/{i}\npublishedDateTime: 2023-06-01T00:00:00Z\nexcerpt: \"{long}\"\ntopics: [AI, Big {i}]\n---\n"
            ),
        );
    }
    let run = site.build_into(out_arg, &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    let after = read_tree(&out);
    for (path, bytes) in &published {
        let now = after.get(path).unwrap_or_else(|| panic!("{path} lost"));
        if now != bytes {
            // Replaced: then by a complete new version, which parses (the OPML list and the
            // index page are written first, so they may be new; whole, they end as such).
            let text = String::from_utf8_lossy(now);
            match path.rsplit_once('.').map(|(_, ext)| ext) {
                Some("opml") => assert!(text.trim_end().ends_with("</opml>"), "{path} torn"),
                Some("html") => assert!(text.trim_end().ends_with("</html>"), "{path} torn"),
                _ => {
                    crate::util::parse_items(path, now);
                }
            }
        }
    }
    assert_eq!(
        after["manifest.json"], published["manifest.json"],
        "manifest is the old one"
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_out_of_input_or_output() {
    use std::os::unix::fs::symlink;
    let site = good_site();
    let outside = Site::new();
    outside.write(
        "secret.md",
        article(
            "Outside",
            "https://outside.example/",
            "2023-05-01T00:00:00Z",
            "",
        ),
    );
    symlink(outside.articles(), site.articles().join("linked")).unwrap();
    symlink(
        outside.articles().join("secret.md"),
        site.articles().join("secret.md"),
    )
    .unwrap();
    site.build_into("out", &[]).expect_code(0);
    assert!(
        !site.read("rss.xml").contains("Outside"),
        "input walk followed a link out"
    );

    // A link inside the output folder is never written through.
    let elsewhere = site.path("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::remove_dir_all(site.out().join("topics")).unwrap();
    symlink(&elsewhere, site.out().join("topics")).unwrap();
    let run = site.build_into("out", &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "holds the output lock with flock(1) from util-linux"
)]
fn a_second_build_waits_for_the_first() {
    // Hold the lock the way a running build does, from another process: `flock` from util-linux
    // (essential on Debian, so its absence is a failure, not a skip).
    let site = good_site();
    site.build_into("out", &[]).expect_code(0);
    let mut holder = Command::new("flock")
        .arg(site.out())
        .args(["sleep", "1.5"])
        .spawn()
        .expect("flock(1) from util-linux");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let run = site.build(&[]);
    holder.wait().unwrap();
    run.expect_code(0);
    assert!(
        run.stderr.contains("waiting for another build"),
        "the second build did not wait"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
}
