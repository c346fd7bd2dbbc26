//! Text for people: each finding on a few lines, then a count.

use std::fmt::Write;

use crate::rules::{Finding, Severity};

pub(super) fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    let shown: Vec<&Finding> = findings.iter().filter(|f| f.suppressed.is_none()).collect();
    for finding in &shown {
        let place = &finding.place;
        let _ = write!(out, "{}", place.file);
        if let Some(line) = place.line {
            let _ = write!(out, ":{line}");
        }
        let _ = write!(
            out,
            ": {}[{}] {}",
            finding.severity.name(),
            finding.rule.id(),
            place.resource
        );
        if !place.path.is_empty() {
            let _ = write!(out, " ({})", place.path);
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "  {}", finding.message);
        let _ = writeln!(out, "  fix: {}", finding.fix);
        let _ = writeln!(out);
    }
    let count = |severity| shown.iter().filter(|f| f.severity == severity).count();
    let suppressed = findings.len() - shown.len();
    if shown.is_empty() {
        let _ = write!(out, "no findings");
    } else {
        let _ = write!(
            out,
            "{} finding{}: {} error{}, {} warning{}, {} note{}",
            shown.len(),
            plural(shown.len()),
            count(Severity::Error),
            plural(count(Severity::Error)),
            count(Severity::Warning),
            plural(count(Severity::Warning)),
            count(Severity::Note),
            plural(count(Severity::Note)),
        );
    }
    if suppressed > 0 {
        let _ = write!(out, " ({suppressed} suppressed)");
    }
    out.push('\n');
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
