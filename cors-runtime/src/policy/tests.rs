use super::*;

/// A spec with every argument at its default (tests set the ones they need).
pub(crate) const SPEC: Spec<'static> =
    Spec::new(PolicySource::attribute("handler", "src/main.rs", 1));

fn env_policy(credentials: bool, value: Option<&str>) -> Policy {
    let spec = Spec {
        origins_env: Some("ALLOWED_ORIGINS"),
        credentials,
        ..SPEC
    };
    Policy::build(&spec, Some(value.map(OsStr::new)))
}

fn entries(policy: &Policy) -> Vec<String> {
    match &policy.origins {
        AllowedOrigins::Any => vec!["*".into()],
        AllowedOrigins::List(list) => {
            let mut entries: Vec<_> = list.entries().collect();
            entries.sort();
            entries
        }
    }
}

#[test]
fn env_entries_are_split_on_spaces_and_commas() {
    let policy = env_policy(
        true,
        Some("https://a.example.com, https://*.b.example.com\thttp://localhost:3000"),
    );
    assert!(policy.errors.is_empty(), "{}", policy.errors);
    assert_eq!(
        entries(&policy),
        [
            "http://localhost:3000",
            "https://*.b.example.com",
            "https://a.example.com"
        ]
    );
}

#[test]
fn bad_env_entries_are_reported_and_left_out() {
    let policy = env_policy(
        true,
        Some("https://a.example.com https://B.example.com/ null * http://c.example.com"),
    );
    assert_eq!(entries(&policy), ["https://a.example.com"]);
    let messages = policy.errors.to_string();
    for needle in [
        "ALLOWED_ORIGINS",
        "`https://B.example.com/`",
        "write `https://b.example.com`",
        "`null`",
        "`*` (any origin) cannot go with credentials",
        "`http://c.example.com` is plain http",
    ] {
        assert!(messages.contains(needle), "{needle} not in:\n{messages}");
    }
    assert_eq!(policy.errors.len(), 4, "{messages}");
}

#[test]
fn star_alone_is_any_without_credentials_only() {
    assert!(matches!(
        env_policy(false, Some("*")).origins,
        AllowedOrigins::Any
    ));
    let policy = env_policy(true, Some(" * "));
    assert!(entries(&policy).is_empty());
    assert!(
        policy.errors.to_string().contains("browsers refuse"),
        "{}",
        policy.errors
    );
}

#[test]
fn missing_empty_and_non_utf8_variables_fail_closed() {
    for value in [None, Some(""), Some(" ,\n, ")] {
        let policy = env_policy(true, value);
        assert!(entries(&policy).is_empty());
        assert_eq!(policy.errors.len(), 1, "{value:?}");
        assert!(policy.errors.to_string().contains("ALLOWED_ORIGINS"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let spec = Spec {
            origins_env: Some("ALLOWED_ORIGINS"),
            ..SPEC
        };
        let policy = Policy::build(
            &spec,
            Some(Some(OsStr::from_bytes(b"https://a.example.com \xff"))),
        );
        assert!(entries(&policy).is_empty());
        assert!(policy.errors.to_string().contains("UTF-8"));
    }
}

#[test]
fn literals_still_apply_when_the_variable_is_missing() {
    let spec = Spec {
        origins: &["https://app.example.com"],
        origins_env: Some("ALLOWED_ORIGINS"),
        ..SPEC
    };
    let policy = Policy::build(&spec, Some(None));
    assert_eq!(entries(&policy), ["https://app.example.com"]);
    assert_eq!(policy.errors.len(), 1);
}
