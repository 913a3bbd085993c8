//! `newswire validate --format sarif`: the findings as one SARIF 2.1.0 log (OASIS Static
//! Analysis Results Interchange Format), the format GitHub code scanning uploads. Every W3C
//! message is a rule, with its meaning and its explanation as help; every finding a result
//! with its level, message and place (file or URL, line, column in characters).

use std::path::Path;

use newswire::diag::{Code, Diagnostic, Severity};
use newswire_validate::Message;
use serde_json::{Value, json};

/// The schema the log names (`$schema`).
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `diagnostics`, as pretty-printed JSON.
pub fn log(diagnostics: &[Diagnostic]) -> String {
    let rules: Vec<Value> = Message::ALL.iter().map(|&m| rule(m)).collect();
    let results: Vec<Value> = diagnostics.iter().map(result).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "newswire",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://validator.w3.org/feed/docs/",
                    "rules": rules,
                }
            },
            // Columns count characters, as newswire's positions do.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// A message as a rule: its name, meaning, explanation and default level.
fn rule(m: Message) -> Value {
    let help = m.explanation().unwrap_or(m.text());
    json!({
        "id": m.name(),
        "name": m.name(),
        "shortDescription": { "text": m.text() },
        "fullDescription": { "text": help },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(severity(m)) },
    })
}

/// A finding as a result.
fn result(d: &Diagnostic) -> Value {
    let mut result = json!({
        "ruleId": d.code.name(),
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&d.path) },
                "region": { "startLine": d.line.max(1), "startColumn": d.col.max(1) },
            }
        }],
    });
    if let Code::Feed(m) = d.code {
        result["ruleIndex"] = json!(m.index());
    }
    result
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A message's grading as a diagnostic severity.
fn severity(m: Message) -> Severity {
    match m.severity() {
        newswire_validate::Severity::Error => Severity::Error,
        newswire_validate::Severity::Warning => Severity::Warning,
    }
}

/// A file's place as a URI reference: a URL stays as it is; a relative path is percent-encoded
/// segment by segment (code scanning takes it as relative to the repository); an absolute one
/// is a `file:` URL.
fn uri(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text.contains("://") {
        return text.into_owned();
    }
    if path.is_absolute()
        && let Ok(url) = url::Url::from_file_path(path)
    {
        return url.to_string();
    }
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    path.components()
        .map(|c| {
            percent_encoding::utf8_percent_encode(&c.as_os_str().to_string_lossy(), SEGMENT)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_becomes_a_result_under_its_rule() {
        let d = Diagnostic::warning(
            Path::new("out/my feeds/rss.xml"),
            3,
            7,
            Code::Feed(Message::MissingGuid),
            "An item has no `guid`.".into(),
        );
        let log: Value = serde_json::from_str(&log(&[d])).unwrap();
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), Message::ALL.len());
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "MissingGuid");
        assert_eq!(result["level"], "warning");
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], "MissingGuid");
        assert!(rules[index]["help"]["text"].as_str().unwrap().len() > 40);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "out/my%20feeds/rss.xml"
        );
        assert_eq!(location["region"]["startLine"], 3);
        assert_eq!(location["region"]["startColumn"], 7);
        assert_eq!(
            uri(Path::new("https://example.org/a b.xml")),
            "https://example.org/a b.xml"
        );
        assert_eq!(uri(Path::new("/tmp/x.xml")), "file:///tmp/x.xml");
    }
}
