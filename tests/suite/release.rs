//! `install.sh`, as a user runs it: against releases served on 127.0.0.1 (a folder laid out as
//! GitHub lays out release downloads), it picks this platform's asset, checks its SHA-256 and
//! installs a binary that runs; a wrong checksum installs nothing.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The Rust target install.sh should pick here (as the release workflow names its assets).
fn this_target() -> Option<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Some("x86_64-unknown-linux-musl"),
        ("linux", "aarch64") => Some("aarch64-unknown-linux-musl"),
        ("macos", "x86_64") => Some("x86_64-apple-darwin"),
        ("macos", "aarch64") => Some("aarch64-apple-darwin"),
        _ => None,
    }
}

/// Serves the files under `root` on 127.0.0.1 until dropped; also logs the paths asked for.
struct Releases {
    url: String,
    asked: Arc<std::sync::Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Releases {
    fn serve(root: &Path) -> Releases {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let (asked, stop) = (Arc::default(), Arc::new(AtomicBool::new(false)));
        let thread = {
            let (server, asked, stop) =
                (Arc::clone(&server), Arc::clone(&asked), Arc::clone(&stop));
            let root = root.to_path_buf();
            std::thread::spawn(move || {
                let asked: &std::sync::Mutex<Vec<String>> = &asked;
                while let Ok(request) = server.recv() {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let path = request.url().trim_start_matches('/').to_string();
                    asked.lock().unwrap().push(path.clone());
                    let answer = match fs::read(root.join(&path)) {
                        Ok(bytes) => tiny_http::Response::from_data(bytes).with_status_code(200),
                        Err(_) => tiny_http::Response::from_data(Vec::new()).with_status_code(404),
                    };
                    let _ = request.respond(answer);
                }
            })
        };
        Releases {
            url: format!("http://127.0.0.1:{port}/releases"),
            asked,
            stop,
            server,
            thread: Some(thread),
        }
    }
}

impl Drop for Releases {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Lays out a release for `target` in `dir` (as `releases/download/<tag>/` and
/// `releases/latest/download/`), packed as the release workflow packs it:
/// `newswire-<target>.tar.gz` and its `.sha256`. The "binary" is a small script that answers
/// `--version` (a debug build of newswire is large, and which binary it is does not matter to
/// install.sh).
fn lay_out_release(dir: &Path, target: &str) {
    let stage = dir.join("stage");
    fs::create_dir_all(&stage).unwrap();
    fs::write(stage.join("newswire"), "#!/bin/sh\necho 'newswire 9.9.9'\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(stage.join("newswire"), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let asset = format!("newswire-{target}.tar.gz");
    for folder in ["releases/download/v9.9.9", "releases/latest/download"] {
        let folder = dir.join(folder);
        fs::create_dir_all(&folder).unwrap();
        let packed = Command::new("tar")
            .args(["-czf"])
            .arg(folder.join(&asset))
            .arg("-C")
            .arg(&stage)
            .arg("newswire")
            .status()
            .unwrap();
        assert!(packed.success());
        let digest = Command::new("sha256sum")
            .arg(&asset)
            .current_dir(&folder)
            .output()
            .unwrap();
        assert!(digest.status.success());
        fs::write(folder.join(format!("{asset}.sha256")), digest.stdout).unwrap();
    }
}

fn install(releases: &Releases, dir: &Path, version: Option<&str>) -> std::process::Output {
    let mut command = Command::new("bash");
    command
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/install.sh"))
        .env("NEWSWIRE_RELEASES", &releases.url)
        .env("NEWSWIRE_INSTALL_DIR", dir)
        .env_remove("NEWSWIRE_TARGET")
        .env_remove("NEWSWIRE_VERSION");
    if let Some(version) = version {
        command.env("NEWSWIRE_VERSION", version);
    }
    command.output().unwrap()
}

#[test]
fn install_sh_picks_this_platforms_asset_and_checks_its_checksum() {
    let Some(target) = this_target() else {
        eprintln!("no release target for this platform: install.sh refuses it (nothing to test)");
        return;
    };
    if Command::new("sha256sum").arg("--version").output().is_err() {
        eprintln!("sha256sum is not installed: skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    lay_out_release(dir.path(), target);
    let releases = Releases::serve(dir.path());
    let asset = format!("newswire-{target}.tar.gz");

    // The latest release, by default.
    let bin = dir.path().join("bin");
    let run = install(&releases, &bin, None);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains(target), "{stderr}");
    let version = Command::new(bin.join("newswire"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert_eq!(String::from_utf8_lossy(&version.stdout), "newswire 9.9.9\n");
    assert!(stderr.contains("installed newswire 9.9.9"), "{stderr}");
    assert_eq!(
        *releases.asked.lock().unwrap(),
        [
            format!("releases/latest/download/{asset}"),
            format!("releases/latest/download/{asset}.sha256")
        ]
    );

    // A pinned version, with or without its `v`.
    for pinned in ["v9.9.9", "9.9.9"] {
        releases.asked.lock().unwrap().clear();
        let run = install(&releases, &dir.path().join(pinned), Some(pinned));
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let asked = releases.asked.lock().unwrap();
        assert_eq!(asked[0], format!("releases/download/v9.9.9/{asset}"));
    }

    // A checksum that does not match: refused, nothing installed.
    let sums = dir
        .path()
        .join(format!("releases/latest/download/{asset}.sha256"));
    fs::write(&sums, format!("{}  {asset}\n", "0".repeat(64))).unwrap();
    let tampered = dir.path().join("tampered");
    let run = install(&releases, &tampered, None);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(!tampered.join("newswire").exists());

    // A release without this platform's asset: a clear failure naming it.
    fs::remove_file(dir.path().join(format!("releases/download/v9.9.9/{asset}"))).unwrap();
    let run = install(&releases, &dir.path().join("none"), Some("v9.9.9"));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.contains("cannot download") && stderr.contains(&asset),
        "{stderr}"
    );
}
