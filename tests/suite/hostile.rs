//! Failures around the build: dangerous output folders, unwritable or full disks, symlinks,
//! two builds at once. In every case: a clear fatal error, exit 2, nothing published lost.

use std::fs;
use std::process::Command;

use crate::util::{BASE, NOW, Site, article, newswire, read_tree};

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

fn build_into(site: &Site, output: &str) -> crate::util::Run {
    site.run(&[
        "build",
        "--input",
        "articles",
        "--output",
        output,
        "--base-url",
        BASE,
        "--now",
        NOW,
    ])
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = good_site();
    fs::write(site.path("a-file"), "precious").unwrap();
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for output in ["/", home.as_str(), "articles", "articles/out", "a-file"] {
        let run = build_into(&site, output);
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
    let run = build_into(&site, "/proc/newswire-test-out");
    run.expect_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
}

#[test]
fn a_full_disk_loses_nothing_published() {
    // A real small tmpfs, where the machine lets us mount one (root, CI); skipped otherwise.
    let site = good_site();
    let mount = site.path("small");
    fs::create_dir_all(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=48k", "tmpfs"])
        .arg(&mount)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        println!("skipping: cannot mount a tmpfs here (needs root)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.clone());
    let out = mount.join("out");
    let out_arg = out.to_str().unwrap();
    build_into(&site, out_arg).expect_code(0);
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
    let run = build_into(&site, out_arg);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot write"), "{}", run.stderr);
    let after = read_tree(&out);
    for (path, bytes) in &published {
        let now = after.get(path).unwrap_or_else(|| panic!("{path} lost"));
        if now != bytes {
            // Replaced: then by a complete new version, which parses.
            crate::util::parse_items(path, now);
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
    build_into(&site, "out").expect_code(0);
    assert!(
        !site.read("rss.xml").contains("Outside"),
        "input walk followed a link out"
    );

    // A link inside the output folder is never written through.
    let elsewhere = site.path("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::remove_dir_all(site.out().join("topics")).unwrap();
    symlink(&elsewhere, site.out().join("topics")).unwrap();
    let run = build_into(&site, "out");
    run.expect_code(2);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn a_second_build_waits_for_the_first() {
    // Hold the lock the way a running build does, from another process: `flock` from util-linux.
    let site = good_site();
    build_into(&site, "out").expect_code(0);
    let Ok(mut holder) = Command::new("flock")
        .arg(site.out())
        .args(["sleep", "1.5"])
        .spawn()
    else {
        println!("skipping: flock(1) not installed");
        return;
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let started = std::time::Instant::now();
    let run = newswire()
        .current_dir(site.dir.path())
        .args([
            "build",
            "--input",
            "articles",
            "--output",
            "out",
            "--base-url",
            BASE,
            "--now",
            NOW,
        ])
        .output()
        .unwrap();
    holder.wait().unwrap();
    assert!(run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("waiting for another build"),
        "the second build did not wait"
    );
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
}
