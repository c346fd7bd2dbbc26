//! One JSON array of findings, for scripts.

use serde_json::{Value, json};

use crate::rules::Finding;

pub(super) fn render(findings: &[Finding]) -> String {
    let array: Vec<Value> = findings
        .iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| {
            json!({
                "rule": f.rule.id(),
                "severity": f.severity.name(),
                "file": f.place.file,
                "resource": f.place.resource,
                "path": f.place.path,
                "line": f.place.line,
                "message": f.message,
                "fix": f.fix,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&Value::Array(array)).unwrap_or_default();
    out.push('\n');
    out
}
