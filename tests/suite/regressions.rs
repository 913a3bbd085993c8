//! Regression tests, each named after a bug it pins (all three found by the test-suite review
//! and fixed in `src/`).

use crate::util::{Article, Site};

/// `KeyLines::scan` (src/ingest/front_matter.rs) takes every column-1 line containing `:` for a
/// top-level key. A double- or single-quoted scalar may continue on column 1, so scraped text
/// with a colon in its second line becomes a phantom key: an `unknown-key` warning (exit 1 with
/// `--strict`), and when the phantom is named like a real key, that key's diagnostics point at
/// the wrong line.
#[test]
fn quoted_scalar_continuation_lines_are_not_keys() {
    let site = Site::new();
    site.write(
        "wrapped-excerpt.md",
        "---\ntitle: Wrapped\nexcerpt: \"Scraped text that wraps\nonto a line: with a colon\"\nwebUrl: https://a.example/\npublishedDateTime: 2023-01-01T00:00:00Z\n---\n",
    );
    let strict = site.build(&["--strict"]);
    assert_eq!(
        strict.lines_with_code("unknown-key"),
        Vec::<&str>::new(),
        "valid YAML, known keys only"
    );
    strict.expect_code(0);

    let site = Site::new();
    site.write(
        "wrapped-title.md",
        "---\ntitle: \"A title that\nwebUrl: wraps\"\nwebUrl: javascript:alert(1)\npublishedDateTime: 2023-01-01T00:00:00Z\n---\n",
    );
    let run = site.build(&[]);
    run.expect_code(1);
    let lines = run.lines_with_code("invalid-link");
    assert_eq!(lines.len(), 1, "{}", run.describe());
    assert!(
        lines[0].starts_with("articles/wrapped-title.md:4:"),
        "the real `webUrl` is on line 4: {}",
        lines[0]
    );
}

/// `pipeline::check` never calls `write::check_output`, so `check` passes (exit 0) with an
/// output folder that `build` refuses (exit 2): inside the input folder, or an existing file.
#[test]
fn check_refuses_the_output_folders_build_refuses() {
    let site = Site::new();
    site.article(
        "a.md",
        &Article::new("A", "https://a.example/", "2023-01-01T00:00:00Z"),
    );
    site.write_file("a-file", "not a folder");
    for output in ["articles/out", "a-file"] {
        let build = site.build(&["--output", output]);
        let check = site.check(&["--output", output]);
        build.expect_code(2);
        assert_eq!(
            check.code,
            build.code,
            "--output {output}: check\n{}\nbuild\n{}",
            check.describe(),
            build.describe()
        );
    }
}

/// `Diagnostic::render(Format::Json)` serialises the `PathBuf` with serde, which fails for a
/// file name that is not UTF-8; `unwrap_or_default()` then prints an empty line instead of the
/// diagnostic (human and GitHub formats print the name lossily).
#[cfg(unix)]
#[test]
fn json_diagnostics_survive_a_file_name_that_is_not_utf8() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;

    let site = Site::new();
    let name = OsStr::from_bytes(b"caf\xe9.md");
    std::fs::write(
        site.articles().join(name),
        "---\ntitle: Bad date\nwebUrl: https://a.example/\npublishedDateTime: someday\n---\n",
    )
    .unwrap();
    let run = site.build(&["--format", "json"]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.describe());
    let object: serde_json::Value = serde_json::from_str(lines[0])
        .unwrap_or_else(|e| panic!("not a JSON object: {:?} ({e})", lines[0]));
    assert_eq!(object["code"], "invalid-date");
    assert_eq!(object["line"], 4);
    assert!(
        object["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("articles/caf")),
        "{object}"
    );
}
