//! The catalogue of bad `ALLOWED_ORIGINS` values: each gives one clear error naming the
//! variable, the entry and the fix; nothing panics; and no origin is allowed that the value did
//! not list validly (fail closed).
//!
//! Policies are built the way a cold start builds them (`Policy::build` with the variable's
//! value, including values no environment can carry: a 1 MB value exceeds what `execve` passes),
//! and every probe goes through the per-request path the attribute calls.

use std::ffi::OsStr;
use std::sync::Arc;

use cors_runtime::__for_tests::{Before, Policy, Spec, attribute_source, before as before_with};
use lambda_http::{Body, Request, Response};

const VARIABLE: &str = "ALLOWED_ORIGINS";

fn spec(credentials: bool) -> Spec<'static> {
    Spec {
        origins_env: Some(VARIABLE),
        credentials,
        ..Spec::new(attribute_source("handler", file!(), line!()))
    }
}

fn build(value: Option<&OsStr>, credentials: bool) -> Arc<Policy> {
    Arc::new(Policy::build(&spec(credentials), Some(value)))
}

/// The `Access-Control-Allow-Origin` the policy answers `origin` with, if any.
fn answer(policy: &Arc<Policy>, origin: &str) -> Option<String> {
    let mut request = Request::new(Body::Empty);
    request.headers_mut().insert("origin", origin.parse().ok()?);
    let Before::Continue(after) = before_with::<Body, _>(policy, &request) else {
        panic!("a GET is no preflight");
    };
    let response = after.finish(Response::new(Body::Empty));
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// Probes every origin that the value mentions (valid or not), plus attackers.
fn probes(value: &str) -> Vec<String> {
    let mut probes: Vec<String> = value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|e| !e.is_empty() && e.len() < 1000)
        .map(str::to_owned)
        .collect();
    for extra in [
        "https://app.example.com",
        "https://evil.example",
        "null",
        "http://app.example.com",
        "https://pages.github.io",
        "https://xn--bcher-kva.example",
    ] {
        probes.push(extra.to_owned());
    }
    probes
}

struct Case {
    name: &'static str,
    value: Option<String>,
    credentials: bool,
    /// Substrings the (single) error must contain, besides the variable's name.
    error: &'static [&'static str],
    /// The origins that stay allowed.
    allowed: &'static [&'static str],
}

fn case(
    name: &'static str,
    value: &str,
    credentials: bool,
    error: &'static [&'static str],
    allowed: &'static [&'static str],
) -> Case {
    Case {
        name,
        value: Some(value.to_owned()),
        credentials,
        error,
        allowed,
    }
}

fn catalogue() -> Vec<Case> {
    const APP: &[&str] = &["https://app.example.com"];
    vec![
        Case {
            name: "missing",
            value: None,
            credentials: true,
            error: &[
                "is not set",
                "no origin is allowed",
                "e.g. `https://app.example.com",
            ],
            allowed: &[],
        },
        case("empty", "", true, &["is empty", "e.g. `"], &[]),
        case("separators only", " ,\n\t, ,", true, &["is empty"], &[]),
        case(
            "star with credentials",
            "*",
            true,
            &[
                "`*` (any origin) cannot go with credentials",
                "browsers refuse",
                "list the origins that may send cookies in ALLOWED_ORIGINS",
            ],
            &[],
        ),
        case(
            "star beside entries",
            "* https://app.example.com",
            false,
            &[
                "`*` (any origin) stands beside other origins",
                "keep `*` alone",
            ],
            APP,
        ),
        case(
            "null",
            "null https://app.example.com",
            true,
            &["`null`", "any page can claim it"],
            APP,
        ),
        case(
            "path",
            "https://app.example.com/api",
            true,
            &[
                "`https://app.example.com/api` has a path",
                "write `https://app.example.com`",
            ],
            &[],
        ),
        case(
            "trailing slash",
            "https://app.example.com/",
            true,
            &["ends with `/`", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "uppercase",
            "https://App.Example.com",
            true,
            &["uppercase", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "default port",
            "https://app.example.com:443",
            true,
            &["default port 443", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "unicode host",
            "https://bücher.example",
            true,
            &[
                "non-ASCII host",
                "punycode",
                "write `https://xn--bcher-kva.example`",
            ],
            &[],
        ),
        case(
            "missing scheme",
            "app.example.com",
            true,
            &["no scheme", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "plain http with credentials",
            "http://app.example.com",
            true,
            &["plain http", "use `https://`"],
            &[],
        ),
        case(
            "other scheme",
            "ftp://app.example.com",
            true,
            &["`ftp` scheme"],
            &[],
        ),
        case(
            "pattern under a public suffix",
            "https://*.github.io",
            true,
            &["public suffix"],
            &[],
        ),
        case(
            "pattern too broad",
            "https://*.com",
            true,
            &["two labels"],
            &[],
        ),
        case(
            "misplaced star",
            "https://app.*.example.com",
            true,
            &["whole leftmost label"],
            &[],
        ),
        case(
            "trailing dot",
            "https://app.example.com.",
            true,
            &["dot", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "query",
            "https://app.example.com?x=1",
            true,
            &["query", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "userinfo",
            "https://user@app.example.com",
            true,
            &["user name or password", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "semicolons",
            "https://app.example.com;https://admin.example.com",
            true,
            &[
                "`https://app.example.com;https://admin.example.com` uses `;` as a separator",
                "separated by whitespace and/or commas",
                "write `https://app.example.com https://admin.example.com`",
            ],
            &[],
        ),
        case(
            "pipes",
            "https://app.example.com|https://admin.example.com",
            true,
            &[
                "uses `|` as a separator",
                "write `https://app.example.com https://admin.example.com`",
            ],
            &[],
        ),
        case(
            "JSON array",
            r#"["https://app.example.com", "https://admin.example.com"]"#,
            true,
            &[
                "is a JSON array",
                "without brackets or quotes",
                "write `https://app.example.com https://admin.example.com`",
            ],
            &[],
        ),
        case(
            "quoted",
            "\"https://app.example.com\"",
            true,
            &["is in quotes", "write `https://app.example.com`"],
            &[],
        ),
        case(
            "repeated",
            "https://app.example.com, https://app.example.com",
            true,
            &["origin `https://app.example.com` is listed twice; remove one"],
            APP,
        ),
    ]
}

/// The whole message, the kind and the fix of each way of writing the variable wrongly: what
/// was seen, the separators that are accepted, and a value that passes the same check.
#[test]
fn wrong_shapes_are_named_with_the_value_to_write() {
    use cors_runtime::ConfigErrorKind::{
        DuplicateOrigin, EnvVariableEmpty, InvalidOrigin, MalformedOriginList,
    };
    let separated = "separated by whitespace and/or commas";
    let both = "https://app.example.com https://admin.example.com";
    let cases = [
        (
            "https://app.example.com;https://admin.example.com",
            format!(
                "`https://app.example.com;https://admin.example.com` uses `;` as a separator: \
                 the entries of an origins variable are {separated}; write `{both}`"
            ),
            MalformedOriginList,
            Some(both),
        ),
        (
            r#"["https://app.example.com","https://admin.example.com"]"#,
            format!(
                "`[\"https://app.example.com\",\"https://admin.example.com\"]` is a JSON array: \
                 an origins variable is a plain list, its entries {separated}, without brackets \
                 or quotes; write `{both}`"
            ),
            MalformedOriginList,
            Some(both),
        ),
        (
            "'https://app.example.com'",
            format!(
                "`'https://app.example.com'` is in quotes, which are part of the value here: an \
                 origins variable is a plain list, its entries {separated}, without quotes; write \
                 `https://app.example.com`"
            ),
            MalformedOriginList,
            Some("https://app.example.com"),
        ),
        (
            "app.example.com",
            "origin `app.example.com` has no scheme: an origin is `scheme://host[:port]`, and \
             the scheme is part of it; write `https://app.example.com`"
                .to_owned(),
            InvalidOrigin,
            Some("https://app.example.com"),
        ),
        (
            "https://app.example.com/app",
            "origin `https://app.example.com/app` has a path: an origin is only \
             `scheme://host[:port]`; write `https://app.example.com`"
                .to_owned(),
            InvalidOrigin,
            Some("https://app.example.com"),
        ),
        (
            "https://app.example.com https://app.example.com",
            "origin `https://app.example.com` is listed twice; remove one".to_owned(),
            DuplicateOrigin,
            None,
        ),
        (
            " , ",
            format!(
                "the value is empty (or only separators), so it allows no origin: list the \
                 allowed origins, {separated}, e.g. `{both}`"
            ),
            EnvVariableEmpty,
            None,
        ),
    ];
    for (value, message, kind, fix) in cases {
        let policy = build(Some(OsStr::new(value)), true);
        let errors: Vec<_> = policy.errors().iter().collect();
        assert_eq!(errors.len(), 1, "{value}: {:#?}", policy.errors());
        let error = errors[0];
        assert_eq!(
            error.to_string(),
            format!("#[cors] on `handler`: {VARIABLE}: {message}"),
            "{value}"
        );
        assert_eq!(error.kind(), kind, "{value}");
        assert_eq!(error.fix(), fix, "{value}");
        assert_eq!(error.env_variable(), Some(VARIABLE), "{value}");
        // The fix, set as the variable, passes.
        if let Some(fix) = fix {
            let fixed = build(Some(OsStr::new(fix)), true);
            assert!(fixed.errors().is_empty(), "{fix}: {}", fixed.errors());
        }
    }
}

/// A repeated entry is reported once per repetition, in the words of the compile-time error for
/// the same repetition in `origins = [...]`, and the policy still allows it.
#[test]
fn a_repeated_entry_is_reported_in_the_compile_time_words_and_still_allowed() {
    let compile_time = include_str!("../../ui/tests/fail/origin-listed-twice.stderr");
    let words = compile_time
        .lines()
        .next()
        .and_then(|line| line.strip_prefix("error: "))
        .expect("the compile error's first line");
    let value = "https://app.example.com https://admin.example.com,https://app.example.com \
                 https://app.example.com";
    let policy = build(Some(OsStr::new(value)), true);
    let errors: Vec<String> = policy.errors().iter().map(ToString::to_string).collect();
    let want = format!("#[cors] on `handler`: {VARIABLE}: {words}");
    assert_eq!(errors, [want.clone(), want], "{}", policy.errors());
    assert_eq!(
        answer(&policy, "https://app.example.com").as_deref(),
        Some("https://app.example.com")
    );
    assert_eq!(
        answer(&policy, "https://admin.example.com").as_deref(),
        Some("https://admin.example.com")
    );
}

#[test]
fn every_bad_value_gives_one_clear_error_and_allows_nothing_unlisted() {
    for case in catalogue() {
        let value = case.value.as_deref().map(OsStr::new);
        let policy = build(value, case.credentials);
        let errors: Vec<String> = policy.errors().iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 1, "{}: {errors:#?}", case.name);
        let error = &errors[0];
        assert!(
            error.contains(VARIABLE),
            "{}: names the variable: {error}",
            case.name
        );
        for needle in case.error {
            assert!(
                error.contains(needle),
                "{}: {needle:?} not in {error}",
                case.name
            );
        }
        let mut allowed: Vec<String> = probes(case.value.as_deref().unwrap_or(""))
            .into_iter()
            .filter(|origin| answer(&policy, origin).is_some())
            .collect();
        allowed.sort();
        allowed.dedup();
        let mut want: Vec<String> = case.allowed.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(allowed, want, "{}", case.name);
    }
}

#[test]
fn a_thousand_entries_are_all_allowed_and_nothing_else() {
    let entries: Vec<String> = (0..1000)
        .map(|i| format!("https://app{i}.example.com"))
        .collect();
    let policy = build(Some(OsStr::new(&entries.join(" "))), true);
    assert!(policy.errors().is_empty(), "{}", policy.errors());
    for entry in [&entries[0], &entries[499], &entries[999]] {
        assert_eq!(answer(&policy, entry).as_deref(), Some(entry.as_str()));
    }
    assert_eq!(answer(&policy, "https://app1000.example.com"), None);
    assert_eq!(answer(&policy, "https://app.example.com"), None);
}

#[test]
fn one_bad_entry_among_a_thousand_is_the_only_error() {
    let mut entries: Vec<String> = (0..1000)
        .map(|i| format!("https://app{i}.example.com"))
        .collect();
    entries[500] = "https://App500.example.com/".to_owned();
    let policy = build(Some(OsStr::new(&entries.join(","))), true);
    let errors = policy.errors().to_string();
    assert_eq!(policy.errors().len(), 1, "{errors}");
    assert!(
        errors.contains("write `https://app500.example.com`"),
        "{errors}"
    );
    assert_eq!(answer(&policy, "https://app500.example.com"), None);
    assert!(answer(&policy, "https://app999.example.com").is_some());
}

#[test]
fn a_megabyte_value_is_refused_with_a_short_message() {
    let garbage = format!("https://{}", "x/".repeat(512 * 1024));
    let policy = build(Some(OsStr::new(&garbage)), true);
    let errors = policy.errors().to_string();
    assert_eq!(policy.errors().len(), 1);
    assert!(
        errors.len() < 1000,
        "the message stays readable: {} bytes",
        errors.len()
    );
    assert!(
        errors.contains("(1048584 bytes)"),
        "{}",
        &errors[..errors.len().min(300)]
    );
    assert_eq!(answer(&policy, "https://x"), None);

    // A megabyte of valid entries is simply a long list.
    let many: Vec<String> = (0..40_000)
        .map(|i| format!("https://a{i}.example.com"))
        .collect();
    let value = many.join(" ");
    assert!(value.len() > 1_000_000);
    let policy = build(Some(OsStr::new(&value)), true);
    assert!(policy.errors().is_empty());
    assert!(answer(&policy, "https://a39999.example.com").is_some());
}

#[cfg(unix)]
#[test]
fn invalid_utf8_allows_nothing_from_the_variable() {
    use std::os::unix::ffi::OsStrExt;
    let policy = build(
        Some(OsStr::from_bytes(b"https://app.example.com \xff\xfe")),
        true,
    );
    let errors = policy.errors().to_string();
    assert_eq!(policy.errors().len(), 1, "{errors}");
    assert!(
        errors.contains("ALLOWED_ORIGINS is not valid UTF-8"),
        "{errors}"
    );
    assert_eq!(answer(&policy, "https://app.example.com"), None);
}
