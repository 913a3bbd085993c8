//! Puts the commit into `newswire --version` when built from a git checkout, sets
//! `cfg(corpus)` when the shared article corpus (`../shared/corpus`) is beside the repo, and
//! `cfg(git)` when a `git` binary runs, and `cfg(flask_websub)` when `python3` has Flask-WebSub
//! and celery, so the tests that need any of them are reported as ignored (with the reason)
//! instead of passing unseen.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    version();
    corpus();
    git();
    flask_websub();
}

/// `cfg(git)` when `git --version` runs: the tests that date articles from a real history need
/// it. (Installing git later needs a `touch build.rs`, as for the corpus.)
fn git() {
    println!("cargo::rustc-check-cfg=cfg(git)");
    let runs = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if runs {
        println!("cargo::rustc-cfg=git");
    }
}

/// `NEWSWIRE_VERSION`: the package version, plus the commit when git knows one.
fn version() {
    let version = env!("CARGO_PKG_VERSION");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let full = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_string(),
    };
    println!("cargo::rustc-env=NEWSWIRE_VERSION={full}");
    // Ask git where HEAD and the branch heads are: in a worktree `.git` is a file, and a path
    // that does not exist would make cargo rerun this script (and rebuild the crate) every time.
    if let Some(paths) = git(&[
        "rev-parse",
        "--git-path",
        "HEAD",
        "--git-path",
        "refs/heads",
    ]) {
        for path in paths.lines().filter(|p| Path::new(p).exists()) {
            println!("cargo::rerun-if-changed={path}");
        }
    }
}

/// `cfg(corpus)` when `../shared/corpus/everyday-ai` (the folder the corpus tests read) exists.
///
/// Cargo reruns this script when a watched path changes or goes missing, so the folder is
/// watched when present (its removal is noticed) and `../shared` when only that exists (the
/// corpus appearing in it is noticed). Nothing is watched when `../shared` is absent too, as on
/// a user's machine: a missing path would make every build rerun this script and rebuild the
/// crate; there, `touch build.rs` after putting the corpus in place.
fn corpus() {
    println!("cargo::rustc-check-cfg=cfg(corpus)");
    let shared = Path::new("../shared");
    let corpus = shared.join("corpus");
    if corpus.join("everyday-ai").is_dir() {
        println!("cargo::rustc-cfg=corpus");
        println!("cargo::rerun-if-changed={}", corpus.display());
    } else if shared.is_dir() {
        println!("cargo::rerun-if-changed={}", shared.display());
    }
}

/// `cfg(flask_websub)` when `python3` imports Flask-WebSub and celery: the end-to-end test with
/// a real WebSub hub needs them (`.ci/run` installs them; installing them later needs a
/// `touch build.rs`, as for the corpus).
fn flask_websub() {
    println!("cargo::rustc-check-cfg=cfg(flask_websub)");
    let imports = Command::new("python3")
        .args([
            "-c",
            "import flask_websub.hub, flask_websub.subscriber, celery",
        ])
        .output()
        .is_ok_and(|o| o.status.success());
    if imports {
        println!("cargo::rustc-cfg=flask_websub");
    }
}
