//! The benchmark baseline: reads every article file under DIR and parses its front matter
//! into a generic `serde_yaml::Value`, on one core. Prints the seconds it took.
//!
//! `cargo run --release --bench parse_floor -- DIR` (used by `scripts/bench`).

use std::time::Instant;

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        // `cargo test --all-targets` runs benches with no arguments: nothing to do.
        println!("parse_floor: usage: parse_floor DIR (see scripts/bench)");
        return;
    };
    let started = Instant::now();
    let mut paths: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    paths.sort();
    let (mut parsed, mut failed) = (0usize, 0usize);
    for path in &paths {
        let Ok(text) = std::fs::read_to_string(path) else {
            failed += 1;
            continue;
        };
        let front = text
            .strip_prefix("---\n")
            .and_then(|rest| rest.split_once("\n---").map(|(fm, _)| fm));
        match front.map(serde_yaml::from_str::<serde_yaml::Value>) {
            Some(Ok(_)) => parsed += 1,
            _ => failed += 1,
        }
    }
    println!(
        "{:.3} s to read and parse {parsed} front matters on one core ({failed} failed)",
        started.elapsed().as_secs_f64()
    );
}
