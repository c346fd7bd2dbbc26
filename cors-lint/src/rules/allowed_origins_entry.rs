//! `allowed-origins-entry`: a function's literal `ALLOWED_ORIGINS` (or a variable named with
//! `--origins-env`) checked with the grammar `origins_env` applies at cold start, in the same
//! words: an entry it refuses is left out (or stops the function, with `cors_runtime::check()`).
//!
//! This is the only module that calls `cors-grammar`. A literal value goes through
//! `cors_grammar::rules::check_origins_variable`, the function the runtime calls at cold start
//! (its shape, each entry, repetitions, emptiness), with `Settings` whose `credentials` is what
//! the template cannot say; so it runs twice, without and with credentials. Problems in both
//! runs hold either way (errors); those only in the run with credentials (`*`, plain
//! `http://`) are notes unless `--credentials` says which.
//!
//! A value with deploy-time parts (`!Sub "https://${Domain} https://b.example.com"`,
//! `"https://${var.domain}"`) is checked on the entries that are literal as a whole; the others
//! are unknown, never guessed.

use cors_grammar::rules::{Problem, Settings, check_origin_entries, check_origins_variable};

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
    let (either_way, only_with_credentials, fixed) = match &var.value {
        Text::Literal(value) => whole_value(value),
        Text::Template(pieces) => literal_pieces(&literal_entries(pieces)),
        Text::Unknown => return,
    };
    for problem in &either_way {
        let fix = match (&var.value, &fixed, problem.entry(), problem.fix()) {
            (Text::Literal(_), Some(value), _, _) => assignment(cx.model.dialect, &var.name, value),
            (_, _, Some(entry), Some(fix)) => format!("write `{fix}` instead of `{entry}`"),
            (_, _, Some(entry), None) => format!("remove `{entry}`"),
            (_, _, None, _) => assignment(
                cx.model.dialect,
                &var.name,
                "https://app.example.com https://admin.example.com",
            ),
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
    for problem in &only_with_credentials {
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

/// What the template cannot say: whether the policy has `credentials`. The problems that hold
/// either way, those that hold only with credentials, and (for a whole value) the value to
/// write instead, if one passes the same check.
type Checked = (Vec<Problem>, Vec<Problem>, Option<String>);

fn without_and_with_credentials(
    check: impl Fn(Settings) -> Vec<Problem>,
) -> (Vec<Problem>, Vec<Problem>) {
    let either_way = check(Settings::default());
    let with_credentials = check(Settings {
        credentials: true,
        ..Settings::default()
    });
    let only_with_credentials = with_credentials
        .into_iter()
        .filter(|problem| !either_way.contains(problem))
        .collect();
    (either_way, only_with_credentials)
}

/// A literal value, checked whole by the function the runtime calls at cold start
/// (`check_origins_variable`): its shape, each entry, repetitions, emptiness.
fn whole_value(value: &str) -> Checked {
    let (either_way, only_with_credentials) =
        without_and_with_credentials(|settings| check_origins_variable(value, settings).1);
    if either_way.is_empty() {
        return (either_way, only_with_credentials, None);
    }
    // The value to write: the whole value's own fix when its shape is wrong; otherwise the
    // entries kept (each once), then each refused entry's fix. Offered only if it passes.
    let whole_fix = either_way
        .iter()
        .find(|problem| problem.entry().is_none())
        .and_then(Problem::fix);
    let fixed = match whole_fix {
        Some(fix) => fix.to_owned(),
        None => {
            // In the order written: a refused entry replaced by its fix or left out, each
            // entry once.
            let mut entries: Vec<&str> = Vec::new();
            for entry in cors_grammar::split_origin_list(value) {
                let refused = either_way.iter().find(|problem| {
                    problem.entry() == Some(entry)
                        && !matches!(problem, Problem::DuplicateOrigin(_))
                });
                let written = match refused {
                    Some(problem) => problem.fix(),
                    None => Some(entry),
                };
                if let Some(written) = written.filter(|written| !entries.contains(written)) {
                    entries.push(written);
                }
            }
            entries.join(" ")
        }
    };
    let passes = check_origins_variable(&fixed, Settings::default())
        .1
        .is_empty();
    (either_way, only_with_credentials, passes.then_some(fixed))
}

/// The entries of a value with deploy-time parts that are literal as a whole, checked one by
/// one (the value as a whole is unknown).
fn literal_pieces(entries: &[&str]) -> Checked {
    let tagged: Vec<((), &str)> = entries.iter().map(|entry| ((), *entry)).collect();
    let (either_way, only_with_credentials) = without_and_with_credentials(|settings| {
        let mut problems = Vec::new();
        check_origin_entries(&tagged, settings, &mut problems);
        problems.into_iter().map(|((), problem)| problem).collect()
    });
    (either_way, only_with_credentials, None)
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
            empty[0]
                .1
                .starts_with("ALLOWED_ORIGINS: the value is empty (or only separators)"),
            "{empty:?}"
        );
    }

    /// The shapes the runtime recognises at cold start, with the runtime's words, and a value
    /// to write that passes the same check.
    #[test]
    fn other_separators_arrays_and_repetitions_get_a_value_that_passes() {
        let separated = found("'https://a.example.com;https://b.example.com'", None);
        assert_eq!(separated.len(), 1, "{separated:?}");
        assert!(
            separated[0].1.contains("uses `;` as a separator"),
            "{separated:?}"
        );
        assert_eq!(
            separated[0].2,
            "set `ALLOWED_ORIGINS: \"https://a.example.com https://b.example.com\"`"
        );

        let array = found("'[\"https://a.example.com\"]'", None);
        assert_eq!(array.len(), 1, "{array:?}");
        assert!(array[0].1.contains("is a JSON array"), "{array:?}");
        assert_eq!(
            array[0].2,
            "set `ALLOWED_ORIGINS: \"https://a.example.com\"`"
        );

        let repeated = found(
            "'https://a.example.com https://B.example.com https://a.example.com'",
            None,
        );
        assert_eq!(repeated.len(), 2, "{repeated:?}");
        for (_, _, fix) in &repeated {
            assert_eq!(
                fix,
                "set `ALLOWED_ORIGINS: \"https://a.example.com https://b.example.com\"`"
            );
        }
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
