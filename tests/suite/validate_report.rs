//! What `newswire validate` prints: its findings on stdout, in every format (human, JSON
//! lines, GitHub annotations, SARIF 2.1.0), the summary on stderr; `--explain` for every
//! message. The SARIF log is checked against the SARIF 2.1.0 JSON schema when the schema is
//! at hand (`SARIF_SCHEMA`; `.ci/run` fetches it from the `@microsoft/jest-sarif` npm package,
//! which ships it).

use std::fs;
use std::process::{Command, Stdio};

use newswire_validate::Message;

use crate::util::{Run, newswire};

const NOW: &str = "2026-01-01T00:00:00Z";

/// An RSS feed with an error (`ttl`) and a warning (no self link).
const BROKEN: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Example News</title>
    <link>https://example.org/</link>
    <description>All the news.</description>
    <ttl>soon</ttl>
    <item>
      <title>First story</title>
      <guid>https://example.org/1</guid>
    </item>
  </channel>
</rss>
"#;

fn broken_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("my rss.xml"), BROKEN).expect("write");
    dir
}

fn run(args: &[&str]) -> Run {
    let mut command = newswire();
    command.args(args);
    Run::of(command, args)
}

fn validate(dir: &tempfile::TempDir, format: &str) -> Run {
    let path = dir.path().to_str().expect("utf-8");
    run(&["validate", "--now", NOW, "--format", format, path])
}

#[test]
fn findings_go_to_stdout_and_the_summary_to_stderr() {
    let dir = broken_folder();
    let human = validate(&dir, "human");
    human.expect_code(1);
    let lines: Vec<&str> = human.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", human.describe());
    assert!(
        lines[0].contains("my rss.xml:3:3: warning[MissingAtomSelfLink]"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains("my rss.xml:7:5: error[InvalidPositiveInteger]"),
        "{lines:?}"
    );
    assert_eq!(
        human.stderr,
        "newswire: validated 1 feeds (1 RSS, 0 Atom, 0 JSON Feed): 1 errors, 1 warnings\n"
    );
    let github = validate(&dir, "github");
    assert!(
        github.stdout.starts_with("::warning file="),
        "{}",
        github.describe()
    );
    assert_eq!(github.stderr, "");
}

/// `newswire validate --format json out | jq`: the stream is JSON on stdout, one finding per
/// line, read here through a real pipe.
#[test]
fn json_findings_can_be_piped() {
    let dir = broken_folder();
    let mut child = newswire()
        .args(["validate", "--now", NOW, "--format", "json"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let stream =
        serde_json::Deserializer::from_reader(&mut stdout).into_iter::<serde_json::Value>();
    let findings: Vec<serde_json::Value> = stream.map(|v| v.expect("JSON on stdout")).collect();
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes, ["MissingAtomSelfLink", "InvalidPositiveInteger"]);
    assert_eq!(findings[1]["severity"], "error");
    assert_eq!(
        (findings[1]["line"].as_u64(), findings[1]["col"].as_u64()),
        (Some(7), Some(5))
    );
    assert!(
        findings[1]["path"]
            .as_str()
            .expect("path")
            .ends_with("my rss.xml")
    );
}

#[test]
fn sarif_is_one_log_with_rules_and_results() {
    let dir = broken_folder();
    let sarif = validate(&dir, "sarif");
    sarif.expect_code(1);
    assert_eq!(sarif.stderr, "", "{}", sarif.describe());
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).expect("one JSON document");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), Message::ALL.len());
    let results = run["results"].as_array().expect("results");
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or(""),
                r["level"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("MissingAtomSelfLink", "warning"),
            ("InvalidPositiveInteger", "error")
        ]
    );
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        let place = &r["locations"][0]["physicalLocation"];
        assert!(
            place["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
                .ends_with("my%20rss.xml")
        );
        assert!(place["region"]["startLine"].as_u64().expect("line") >= 3);
    }
}

/// Needs the SARIF 2.1.0 schema (`SARIF_SCHEMA`, a path) and a Python with `jsonschema`
/// (`SARIF_PYTHON`, default `python3`), so it runs only when asked for; `.ci/run` does, after
/// fetching the schema.
#[test]
#[ignore = "needs the SARIF 2.1.0 schema (SARIF_SCHEMA) and Python's jsonschema: .ci/run fetches the schema and runs it with --ignored"]
fn sarif_passes_the_sarif_2_1_0_schema() {
    let schema =
        std::env::var("SARIF_SCHEMA").expect("SARIF_SCHEMA: the path of sarif-2.1.0 schema");
    let schema_text = fs::read_to_string(&schema).expect("schema");
    assert!(
        schema_text.contains("2.1.0"),
        "{schema} is not the SARIF 2.1.0 schema"
    );
    let dir = broken_folder();
    let sarif = validate(&dir, "sarif");
    let log = dir.path().join("log.sarif");
    fs::write(&log, &sarif.stdout).expect("write");
    // A clean run's log (no results) must pass as well.
    let clean = tempfile::tempdir().expect("tempdir");
    fs::write(
        clean.path().join("rss.xml"),
        BROKEN.replace("<ttl>soon</ttl>", ""),
    )
    .expect("write");
    let empty = dir.path().join("empty.sarif");
    fs::write(&empty, validate(&clean, "sarif").stdout).expect("write");
    let python = std::env::var("SARIF_PYTHON").unwrap_or_else(|_| "python3".into());
    for log in [&log, &empty] {
        let output = Command::new(&python)
            .args([
                "-c",
                "import json, sys, jsonschema\n\
                 schema = json.load(open(sys.argv[1]))\n\
                 log = json.load(open(sys.argv[2]))\n\
                 jsonschema.validators.validator_for(schema)(schema).validate(log)\n\
                 print('valid')",
            ])
            .arg(&schema)
            .arg(log)
            .output()
            .expect("run python");
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && said.trim() == "valid",
            "{} fails the schema:\n{}{}",
            log.display(),
            said,
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn every_message_listed_can_be_explained() {
    let listed = run(&["validate", "--messages"]);
    listed.expect_code(0);
    let names: Vec<&str> = listed
        .stdout
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(names.len(), Message::ALL.len());
    for name in names {
        let explained = run(&["validate", "--explain", name]);
        explained.expect_code(0);
        let text = &explained.stdout;
        assert!(
            text.starts_with(&format!("{name} (")),
            "{}",
            explained.describe()
        );
        // The meaning, then at least a paragraph of explanation.
        assert!(
            text.split("\n\n").count() >= 3 && text.len() > 120,
            "{name}: {text}"
        );
    }
}

#[test]
fn an_unknown_message_is_exit_2_with_a_suggestion() {
    // Case does not matter for a known name…
    run(&["validate", "--explain", "MissingGUID"]).expect_code(0);
    // …and a name that is none gets the nearest.
    let typo = run(&["validate", "--explain", "MisingGuid"]);
    typo.expect_code(2);
    assert!(
        typo.stderr
            .contains("no message is named `MisingGuid`; did you mean `MissingGuid`"),
        "{}",
        typo.describe()
    );
    assert_eq!(typo.stdout, "");
}
