//! Configuration from the environment: read once per cold start, every problem reported with
//! its fix, bad entries left out (fail closed), literal origins kept when the variable is bad.
//!
//! Each case starts the `env-probe` binary (a fresh process, as a Lambda cold start is) with a
//! chosen environment.

use std::ffi::OsStr;
use std::process::Command;

use serde_json::Value;

const LISTED: &str = "https://app.example.com";
const LITERAL: &str = "https://literal.example.com";
const OTHER: &str = "https://other.example.com";
const PROBES: &[&str] = &[
    LISTED,
    LITERAL,
    OTHER,
    "https://pr-1.preview.example.com",
    "null",
];

/// Starts a cold start with `TEST_ALLOWED_ORIGINS` set to `value` (unset for `None`).
fn cold_start(value: Option<&OsStr>, public: Option<&str>) -> Value {
    let mut command = Command::new(env!("CARGO_BIN_EXE_env-probe"));
    command.args(PROBES);
    command
        .env_remove("TEST_ALLOWED_ORIGINS")
        .env_remove("TEST_PUBLIC_ORIGINS");
    if let Some(value) = value {
        command.env("TEST_ALLOWED_ORIGINS", value);
    }
    if let Some(public) = public {
        command.env("TEST_PUBLIC_ORIGINS", public);
    }
    let output = command.output().expect("env-probe runs");
    assert!(
        output.status.success(),
        "env-probe failed (a panic?): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("env-probe prints JSON")
}

fn allowed(report: &Value, phase: &str, handler: &str) -> Vec<String> {
    report[phase][handler]
        .as_object()
        .map(|answers| answers.keys().cloned().collect())
        .unwrap_or_default()
}

fn errors(report: &Value) -> Vec<String> {
    report["check"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn listed_origins_are_allowed_and_reflected() {
    let report = cold_start(
        Some(OsStr::new(
            "https://app.example.com, https://*.preview.example.com",
        )),
        Some("*"),
    );
    let public_errors: Vec<_> = errors(&report);
    assert!(public_errors.is_empty(), "{public_errors:#?}");
    assert_eq!(
        allowed(&report, "before", "from_env"),
        [
            "https://app.example.com",
            "https://pr-1.preview.example.com"
        ]
    );
    assert_eq!(report["before"]["from_env"][LISTED], LISTED);
    assert_eq!(
        allowed(&report, "before", "with_literal"),
        [LISTED, LITERAL, "https://pr-1.preview.example.com"]
    );
    // `*` alone, without credentials: any origin gets `*` (null included: it is no secret).
    assert_eq!(report["before"]["public_from_env"][OTHER], "*");
}

#[test]
fn the_variable_is_read_once_per_cold_start() {
    // After start-up the process sets the variable to allow every probe; a policy read per
    // request would then allow OTHER.
    let report = cold_start(Some(OsStr::new(LISTED)), Some("*"));
    assert_eq!(allowed(&report, "after", "from_env"), [LISTED]);
    assert_eq!(allowed(&report, "after", "with_literal"), [LISTED, LITERAL]);
}

#[test]
fn a_missing_variable_is_an_error_and_allows_only_the_literals() {
    let report = cold_start(None, Some("*"));
    let errors = errors(&report);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for error in &errors {
        assert!(error.contains("TEST_ALLOWED_ORIGINS is not set"), "{error}");
        assert!(error.contains("e.g. `https://app.example.com"), "{error}");
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`from_env`") && e.contains("no origin is allowed"))
    );
    assert!(
        errors.iter().any(|e| e.contains("`with_literal`")
            && e.contains("only the origins listed in the attribute"))
    );
    assert!(allowed(&report, "before", "from_env").is_empty());
    assert_eq!(allowed(&report, "before", "with_literal"), [LITERAL]);
}

#[test]
fn bad_entries_are_named_with_their_fix_and_left_out() {
    let value =
        "https://app.example.com https://Other.example.com/ null * http://plain.example.com";
    let report = cold_start(Some(OsStr::new(value)), Some("*"));
    let errors = errors(&report).join("\n");
    for needle in [
        "#[cors] on `from_env`: TEST_ALLOWED_ORIGINS: origin `https://Other.example.com/`",
        "write `https://other.example.com`",
        "`null` is the opaque origin",
        "`*` (any origin) cannot go with credentials",
        "`http://plain.example.com` is plain http",
    ] {
        assert!(errors.contains(needle), "{needle:?} not in:\n{errors}");
    }
    assert_eq!(allowed(&report, "before", "from_env"), [LISTED]);
    assert_eq!(
        allowed(&report, "before", "with_literal"),
        [LISTED, LITERAL]
    );
}

#[test]
fn star_with_credentials_allows_nothing() {
    let report = cold_start(Some(OsStr::new("*")), Some("*"));
    let errors = errors(&report).join("\n");
    assert!(errors.contains("browsers refuse"), "{errors}");
    assert!(allowed(&report, "before", "from_env").is_empty());
    assert_eq!(allowed(&report, "before", "with_literal"), [LITERAL]);
}

#[cfg(unix)]
#[test]
fn invalid_utf8_allows_nothing_from_the_variable() {
    use std::os::unix::ffi::OsStrExt;
    let report = cold_start(
        Some(OsStr::from_bytes(b"https://app.example.com \xff")),
        Some("*"),
    );
    let errors = errors(&report).join("\n");
    assert!(
        errors.contains("TEST_ALLOWED_ORIGINS is not valid UTF-8"),
        "{errors}"
    );
    assert!(allowed(&report, "before", "from_env").is_empty());
}

#[test]
fn other_separators_json_arrays_and_quotes_are_named_with_the_value_to_write() {
    let fix = "write `https://app.example.com https://other.example.com`";
    for (value, seen) in [
        (
            "https://app.example.com;https://other.example.com",
            "`https://app.example.com;https://other.example.com` uses `;` as a separator",
        ),
        (
            r#"["https://app.example.com", "https://other.example.com"]"#,
            r#"`["https://app.example.com", "https://other.example.com"]` is a JSON array"#,
        ),
        (
            "\"https://app.example.com https://other.example.com\"",
            "`\"https://app.example.com https://other.example.com\"` is in quotes",
        ),
    ] {
        let report = cold_start(Some(OsStr::new(value)), Some("*"));
        let errors = errors(&report);
        // One per policy that reads the variable.
        assert_eq!(errors.len(), 2, "{value}: {errors:#?}");
        for (error, handler) in errors.iter().zip(["from_env", "with_literal"]) {
            let start = format!("#[cors] on `{handler}`: TEST_ALLOWED_ORIGINS: {seen}");
            assert!(
                error.starts_with(&start),
                "{start:?} is not the start of {error}"
            );
            assert!(
                error.contains("separated by whitespace and/or commas"),
                "{error}"
            );
            assert!(error.ends_with(fix), "{error}");
        }
        assert!(allowed(&report, "before", "from_env").is_empty(), "{value}");
        assert_eq!(allowed(&report, "before", "with_literal"), [LITERAL]);
    }
}

#[test]
fn a_repeated_entry_is_reported_and_still_allowed() {
    let report = cold_start(
        Some(OsStr::new(
            "https://app.example.com, https://app.example.com",
        )),
        Some("*"),
    );
    assert_eq!(
        errors(&report),
        [
            "#[cors] on `from_env`: TEST_ALLOWED_ORIGINS: origin `https://app.example.com` is \
             listed twice; remove one",
            "#[cors] on `with_literal`: TEST_ALLOWED_ORIGINS: origin `https://app.example.com` \
             is listed twice; remove one",
        ]
    );
    assert_eq!(allowed(&report, "before", "from_env"), [LISTED]);
    assert_eq!(
        allowed(&report, "before", "with_literal"),
        [LISTED, LITERAL]
    );
}
