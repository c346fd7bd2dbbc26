//! `allowed-origins-entry`: a function's literal `ALLOWED_ORIGINS` (or a variable named with
//! `--origins-env`) checked with the grammar `origins_env` applies at cold start, in the same
//! words: an entry it refuses is left out (or stops the function, with `cors_runtime::check()`).
//!
//! This is the only module that calls `cors-grammar`. What it calls, exactly as the runtime's
//! `read_env` does today: `cors_grammar::split_origin_list` on the value (an empty result is
//! the "is empty" error), then `cors_grammar::rules::check_origin_entries` with `Settings`
//! whose `credentials` is what the template cannot say; so it runs twice, without and with
//! credentials. Problems in both runs hold either way (errors); those only in the run with
//! credentials (`*`, plain `http://`) are notes unless `--credentials` says which.
//!
//! A value with deploy-time parts (`!Sub "https://${Domain} https://b.example.com"`,
//! `"https://${var.domain}"`) is checked on the entries that are literal as a whole; the others
//! are unknown, never guessed.

use cors_grammar::rules::{Problem, Settings, check_origin_entries};

use super::{Context, Finding, Rule, Severity};
use crate::model::{Dialect, EnvVar, Piece, Text};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for function in &cx.model.functions {
        if !cx.selected_function(&function.id) {
            continue;
        }
        for var in &function.env {
            let named = var.name == "ALLOWED_ORIGINS" || cx.options.origins_env.contains(&var.name);
            if named {
                check_variable(cx, var, out);
            }
        }
    }
}

fn check_variable(cx: &Context<'_>, var: &EnvVar, out: &mut Vec<Finding>) {
    let (entries, whole) = match &var.value {
        Text::Literal(value) => (
            cors_grammar::split_origin_list(value).collect(),
            Some(value),
        ),
        Text::Template(pieces) => (literal_entries(pieces), None),
        Text::Unknown => return,
    };
    if entries.is_empty() {
        if whole.is_some() {
            // The runtime's words for an empty variable (`read_env`).
            let message = format!(
                "{} is empty, so no origin is allowed (beyond any `origins` listed in the \
                 attribute); set it to the allowed origins, separated by spaces or commas, e.g. \
                 `https://app.example.com https://admin.example.com`",
                var.name
            );
            let fix = assignment(
                cx.model.dialect,
                &var.name,
                "https://app.example.com https://admin.example.com",
            );
            out.push(cx.finding(
                Rule::AllowedOriginsEntry,
                Severity::Error,
                &var.at,
                message,
                fix,
            ));
        }
        return;
    }
    let tagged: Vec<(usize, &str)> = entries.iter().copied().enumerate().collect();
    let mut either_way = Vec::new();
    check_origin_entries(&tagged, Settings::default(), &mut either_way);
    let mut with_credentials = Vec::new();
    let credentials = Settings {
        credentials: true,
        ..Settings::default()
    };
    check_origin_entries(&tagged, credentials, &mut with_credentials);
    let only_with_credentials: Vec<(usize, Problem)> = with_credentials
        .into_iter()
        .filter(|(at, _)| !either_way.iter().any(|(other, _)| other == at))
        .collect();

    let mut replaced: Vec<Option<String>> = entries.iter().map(|e| Some((*e).to_owned())).collect();
    for (at, problem) in &either_way {
        replaced[*at] = problem.fix().map(str::to_owned);
    }
    for (at, problem) in &either_way {
        let fix = match (problem.fix(), whole) {
            (Some(_), Some(_)) | (None, Some(_)) => {
                let value: Vec<&str> = replaced.iter().flatten().map(String::as_str).collect();
                assignment(cx.model.dialect, &var.name, &value.join(" "))
            }
            (Some(fix), None) => format!("write `{fix}` instead of `{}`", entries[*at]),
            (None, None) => format!("remove `{}`", entries[*at]),
        };
        let message = format!("{}: {problem}", var.name);
        out.push(cx.finding(
            Rule::AllowedOriginsEntry,
            Severity::Error,
            &var.at,
            message,
            fix,
        ));
    }
    let severity = match cx.options.credentials {
        Some(false) => return,
        Some(true) => Severity::Error,
        None => Severity::Note,
    };
    for (_, problem) in &only_with_credentials {
        // The runtime's own fixes for these two (`ConfigError::problem`).
        let fix = match problem {
            Problem::AnyOriginWithCredentials => {
                format!(
                    "list the origins that may send cookies in {} instead",
                    var.name
                )
            }
            _ => "use `https://`".to_owned(),
        };
        let condition = if severity == Severity::Note {
            "if the function's policy allows `credentials`: "
        } else {
            ""
        };
        let message = format!("{condition}{}: {problem}; {fix}", var.name);
        out.push(cx.finding(Rule::AllowedOriginsEntry, severity, &var.at, message, fix));
    }
}

/// The entries of a template that are literal as a whole: separated from every hole by a
/// separator (a hole may expand to one entry, several, or part of one).
fn literal_entries(pieces: &[Piece]) -> Vec<&str> {
    let is_separator = |c: char| c == ',' || c.is_whitespace();
    let mut out = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        let Piece::Literal(text) = piece else {
            continue;
        };
        let mut entries: Vec<&str> = cors_grammar::split_origin_list(text).collect();
        let hole_after = i + 1 < pieces.len();
        let hole_before = i > 0;
        if hole_after && !text.ends_with(is_separator) {
            entries.pop();
        }
        if hole_before && !text.starts_with(is_separator) && !entries.is_empty() {
            entries.remove(0);
        }
        out.extend(entries);
    }
    out
}

/// `NAME: "value"` in the input's own syntax.
fn assignment(dialect: Dialect, name: &str, value: &str) -> String {
    match dialect {
        Dialect::Terraform | Dialect::TerraformPlan => format!("set `{name} = \"{value}\"`"),
        Dialect::Cdk => format!("set `environment: {{ {name}: '{value}' }}` on the function"),
        _ => format!("set `{name}: \"{value}\"`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{InputKind, read_text};
    use crate::rules::{Options, check};

    fn found(value: &str, credentials: Option<bool>) -> Vec<(Severity, String, String)> {
        let template = format!(
            "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      \
             Environment:\n        Variables:\n          ALLOWED_ORIGINS: {value}\n"
        );
        let model = read_text(&template, "t.yaml", InputKind::Auto).unwrap();
        let options = Options {
            credentials,
            ..Options::default()
        };
        check(&model, &options)
            .into_iter()
            .map(|f| (f.severity, f.message, f.fix))
            .collect()
    }

    #[test]
    fn entries_fail_with_the_runtimes_words_and_fix() {
        let found = found("'https://App.example.com/ https://b.example.com'", None);
        assert_eq!(found.len(), 1, "{found:?}");
        let (severity, message, fix) = &found[0];
        assert_eq!(*severity, Severity::Error);
        assert_eq!(
            message,
            "ALLOWED_ORIGINS: origin `https://App.example.com/` ends with `/`: browsers send \
             the origin without a trailing slash, and browsers compare origins byte for byte; \
             write `https://app.example.com`"
        );
        assert_eq!(
            fix,
            "set `ALLOWED_ORIGINS: \"https://app.example.com https://b.example.com\"`"
        );
    }

    #[test]
    fn near_misses_canonical_entries_and_unknown_values() {
        assert_eq!(
            found("'https://a.example.com,https://b.example.com'", None),
            []
        );
        assert_eq!(found("!Ref Origins", None), []);
        assert_eq!(
            found(
                "!Sub 'https://${Dist.DomainName} https://b.example.com'",
                None
            ),
            []
        );
        let partial = found(
            "!Sub 'https://${Dist.DomainName} https://B.example.com'",
            None,
        );
        assert_eq!(partial.len(), 1, "{partial:?}");
        assert!(
            partial[0].2.contains("write `https://b.example.com`"),
            "{partial:?}"
        );
    }

    #[test]
    fn credentials_decide_the_severity_of_star_and_http() {
        let notes = found("'*'", None);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].0, Severity::Note);
        assert!(
            notes[0]
                .1
                .starts_with("if the function's policy allows `credentials`")
        );
        assert_eq!(found("'*'", Some(false)), []);
        assert_eq!(
            found("http://app.example.com", Some(true))[0].0,
            Severity::Error
        );
        let empty = found("''", None);
        assert_eq!(empty[0].0, Severity::Error);
        assert!(
            empty[0].1.starts_with("ALLOWED_ORIGINS is empty"),
            "{empty:?}"
        );
    }

    #[test]
    fn literal_entries_of_templates() {
        let pieces = [
            Piece::Literal("https://a.example.com https://x".into()),
            Piece::Hole("${Domain}".into()),
            Piece::Literal(" https://c.example.com,".into()),
            Piece::Hole("${More}".into()),
        ];
        assert_eq!(
            literal_entries(&pieces),
            ["https://a.example.com", "https://c.example.com"]
        );
    }
}
