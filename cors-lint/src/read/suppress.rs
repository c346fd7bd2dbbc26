//! `cors-lint-ignore` comments (YAML `#`, HCL `#` and `//`): a comment on a finding's line, or
//! on the comment lines just above it, suppresses that finding:
//!
//! ```yaml
//! # cors-lint-ignore gateway-cors-config: this API serves a public, credential-free page
//! CorsConfiguration: true
//! ```

use crate::model::{Suppression, SuppressionScope};

/// The comment's keyword.
pub const KEYWORD: &str = "cors-lint-ignore";

/// Every `cors-lint-ignore RULE: reason` comment of `text`, with the line it covers.
pub fn from_comments(text: &str, file: &str) -> Vec<Suppression> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find(KEYWORD) else {
            continue;
        };
        let before = line[..at].trim_end();
        let Some(code) = before
            .strip_suffix('#')
            .or_else(|| before.strip_suffix("//"))
        else {
            continue;
        };
        // Inside a quoted string, not a comment.
        if code.matches('"').count() % 2 == 1 || code.matches('\'').count() % 2 == 1 {
            continue;
        }
        let rest = line[at + KEYWORD.len()..].trim();
        let (rule, reason) = match rest.split_once(':') {
            Some((rule, reason)) => (rule.trim(), reason.trim()),
            None => (rest, ""),
        };
        // A comment alone on its line covers the next line that is not a comment.
        let covered = if code.trim().is_empty() {
            lines[i + 1..]
                .iter()
                .position(|l| !is_comment_or_blank(l))
                .map_or(i + 1, |offset| i + 1 + offset)
        } else {
            i
        };
        out.push(Suppression {
            rule: rule.to_owned(),
            reason: reason.to_owned(),
            file: file.to_owned(),
            scope: SuppressionScope::Line(covered as u32 + 1),
        });
    }
    out
}

fn is_comment_or_blank(line: &str) -> bool {
    let line = line.trim_start();
    line.is_empty() || line.starts_with('#') || line.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_above_and_beside() {
        let text = "a:\n  # cors-lint-ignore gateway-cors-config: public API, no cookies\n  \
                    # another comment\n  b: 1\n  c: 2 # cors-lint-ignore preflight-unrouted: \
                    the page never sends PUT\n  d: 3 # cors-lint-ignore preflight-authorized\n\
                    e: \"# cors-lint-ignore not-a-comment: x\"\n";
        let found: Vec<(String, String, SuppressionScope)> = from_comments(text, "t.yaml")
            .into_iter()
            .map(|s| (s.rule, s.reason, s.scope))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "gateway-cors-config".into(),
                    "public API, no cookies".into(),
                    SuppressionScope::Line(4)
                ),
                (
                    "preflight-unrouted".into(),
                    "the page never sends PUT".into(),
                    SuppressionScope::Line(5)
                ),
                (
                    "preflight-authorized".into(),
                    String::new(),
                    SuppressionScope::Line(6)
                ),
            ]
        );
    }
}
