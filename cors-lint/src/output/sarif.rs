//! SARIF 2.1.0, for code scanning (GitHub, GitLab, ...): one run, the rules with their
//! descriptions, each finding a result at its file and line; suppressed findings carry an
//! `inSource` suppression with its reason.

use serde_json::{Value, json};

use crate::rules::{Finding, Rule, Severity};

pub(super) fn render(findings: &[Finding]) -> String {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id(),
                "name": rule.id(),
                "shortDescription": { "text": rule.summary() },
                "helpUri": format!("https://docs.rs/crate/cors-lint/latest#{}", rule.id()),
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let mut region = json!({});
            if let Some(line) = f.place.line {
                region = json!({ "startLine": line });
            }
            let logical = if f.place.path.is_empty() {
                f.place.resource.clone()
            } else {
                format!("{}.{}", f.place.resource, f.place.path)
            };
            let mut result = json!({
                "ruleId": f.rule.id(),
                "ruleIndex": Rule::ALL.iter().position(|r| *r == f.rule),
                "level": level(f.severity),
                "message": { "text": format!("{} Fix: {}", f.message, f.fix) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&f.place.file) },
                        "region": region,
                    },
                    "logicalLocations": [{ "fullyQualifiedName": logical }],
                }],
            });
            if let Some(reason) = &f.suppressed {
                result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            result
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cors-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://docs.rs/crate/cors-lint/latest",
                    "rules": rules,
                }
            },
            "results": results,
        }]
    });
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A relative URI (forward slashes, percent-encoded spaces), as code scanning expects.
fn uri(file: &str) -> String {
    let file = file.strip_prefix("./").unwrap_or(file).replace('\\', "/");
    file.replace('%', "%25").replace(' ', "%20")
}
