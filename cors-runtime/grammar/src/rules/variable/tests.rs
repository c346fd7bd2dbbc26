use super::*;
use crate::rules::check;
use crate::rules::tests::arguments;

const CREDENTIALS: Settings = Settings {
    credentials: true,
    allow_insecure_http: false,
    origins_fn: false,
};

/// Each problem's message, and the entries kept, as displayed.
fn checked(value: &str, settings: Settings) -> (Vec<String>, Vec<String>) {
    let (kept, problems) = check_origins_variable(value, settings);
    (
        kept.iter().map(ToString::to_string).collect(),
        problems.iter().map(ToString::to_string).collect(),
    )
}

#[test]
fn each_shape_is_named_as_written_with_what_to_write() {
    let separator = |text: &str, c: char, fix: &str| {
        format!(
            "`{text}` uses `{c}` as a separator: the entries of an origins variable are \
             separated by whitespace and/or commas; write `{fix}`"
        )
    };
    let json = |text: &str, fix: Option<&str>| {
        format!(
            "`{text}` is a JSON array: an origins variable is a plain list, its entries separated \
             by whitespace and/or commas, without brackets or quotes{}",
            fix.map(|fix| format!("; write `{fix}`"))
                .unwrap_or_default()
        )
    };
    let quoted = |text: &str, fix: Option<&str>| {
        format!(
            "`{text}` is in quotes, which are part of the value here: an origins variable is a \
             plain list, its entries separated by whitespace and/or commas, without quotes{}",
            fix.map(|fix| format!("; write `{fix}`"))
                .unwrap_or_default()
        )
    };
    const A: &str = "https://a.example.com";
    const B: &str = "https://b.example.com";
    let (a, b) = (A, B);
    let both = "https://a.example.com https://b.example.com";
    let cases: Vec<(&str, Settings, Vec<String>, &[&str])> = vec![
        (
            "https://a.example.com;https://b.example.com",
            CREDENTIALS,
            vec![separator(
                "https://a.example.com;https://b.example.com",
                ';',
                both,
            )],
            &[],
        ),
        (
            "https://a.example.com|https://b.example.com",
            CREDENTIALS,
            vec![separator(
                "https://a.example.com|https://b.example.com",
                '|',
                both,
            )],
            &[],
        ),
        // Only the piece with `;` is refused; what is well separated stays.
        (
            "https://a.example.com; https://b.example.com",
            CREDENTIALS,
            vec![separator("https://a.example.com;", ';', a)],
            &[B],
        ),
        (
            "https://a.example.com;https://B.example.com/",
            CREDENTIALS,
            vec![separator(
                "https://a.example.com;https://B.example.com/",
                ';',
                both,
            )],
            &[],
        ),
        (
            r#"["https://a.example.com","https://b.example.com"]"#,
            CREDENTIALS,
            vec![json(
                r#"["https://a.example.com","https://b.example.com"]"#,
                Some(both),
            )],
            &[],
        ),
        (
            "  ['https://a.example.com', 'https://b.example.com']\n",
            CREDENTIALS,
            vec![json(
                "['https://a.example.com', 'https://b.example.com']",
                Some(both),
            )],
            &[],
        ),
        (
            r#"["https://App.example.com/", "localhost:3000"]"#,
            CREDENTIALS,
            vec![json(
                r#"["https://App.example.com/", "localhost:3000"]"#,
                Some("https://app.example.com http://localhost:3000"),
            )],
            &[],
        ),
        (
            r#"["http://[::1]:3000"]"#,
            CREDENTIALS,
            vec![json(r#"["http://[::1]:3000"]"#, Some("http://[::1]:3000"))],
            &[],
        ),
        // The entries as written would be refused: no fix is offered.
        (
            r#"["http://a.example.com"]"#,
            CREDENTIALS,
            vec![json(r#"["http://a.example.com"]"#, None)],
            &[],
        ),
        (
            r#"["*", "https://a.example.com"]"#,
            Settings::default(),
            vec![json(r#"["*", "https://a.example.com"]"#, None)],
            &[],
        ),
        (
            r#"["https://a.example.com", "https://a.example.com"]"#,
            Settings::default(),
            vec![json(
                r#"["https://a.example.com", "https://a.example.com"]"#,
                None,
            )],
            &[],
        ),
        ("[]", CREDENTIALS, vec![json("[]", None)], &[]),
        (
            "[https://a.example.com, http://[::1]:3000]",
            CREDENTIALS,
            vec![json(
                "[https://a.example.com, http://[::1]:3000]",
                Some("https://a.example.com http://[::1]:3000"),
            )],
            &[],
        ),
        // A JSON array among well-written entries: its pieces.
        (
            r#"https://c.example.com ["https://a.example.com","https://b.example.com"]"#,
            CREDENTIALS,
            vec![
                json(r#"["https://a.example.com""#, Some(a)),
                json(r#""https://b.example.com"]"#, Some(b)),
            ],
            &["https://c.example.com"],
        ),
        (
            r#""https://a.example.com""#,
            CREDENTIALS,
            vec![quoted(r#""https://a.example.com""#, Some(a))],
            &[],
        ),
        (
            "'https://a.example.com https://b.example.com'",
            CREDENTIALS,
            vec![quoted(
                "'https://a.example.com https://b.example.com'",
                Some(both),
            )],
            &[],
        ),
        (
            r#""https://a.example.com", "https://b.example.com""#,
            CREDENTIALS,
            vec![quoted(
                r#""https://a.example.com", "https://b.example.com""#,
                Some(both),
            )],
            &[],
        ),
        (
            "\u{201c}https://a.example.com\u{201d}",
            CREDENTIALS,
            vec![quoted("\u{201c}https://a.example.com\u{201d}", Some(a))],
            &[],
        ),
        (
            r#"https://c.example.com "https://a.example.com""#,
            CREDENTIALS,
            vec![quoted(r#""https://a.example.com""#, Some(a))],
            &["https://c.example.com"],
        ),
        (r#""""#, CREDENTIALS, vec![quoted(r#""""#, None)], &[]),
        // An entry's own mistakes keep their words.
        (
            "app.example.com",
            CREDENTIALS,
            vec![
                "origin `app.example.com` has no scheme: an origin is `scheme://host[:port]`, \
                 and the scheme is part of it; write `https://app.example.com`"
                    .to_owned(),
            ],
            &[],
        ),
        (
            "https://app.example.com/api",
            CREDENTIALS,
            vec![
                "origin `https://app.example.com/api` has a path: an origin is only \
                 `scheme://host[:port]`; write `https://app.example.com`"
                    .to_owned(),
            ],
            &[],
        ),
        // A bracketed IPv6 address without a scheme is no JSON array.
        (
            "[::1]:3000",
            CREDENTIALS,
            vec![
                "origin `[::1]:3000` has no scheme: an origin is `scheme://host[:port]`, and \
                 the scheme is part of it; write `http://[::1]:3000`"
                    .to_owned(),
            ],
            &[],
        ),
        // The canonical form of an entry that the rules still refuse is no fix.
        (
            "HTTP://App.example.com",
            CREDENTIALS,
            vec![
                "origin `HTTP://App.example.com` has uppercase letters: browsers send scheme \
                 and host in lowercase, and browsers compare origins byte for byte"
                    .to_owned(),
            ],
            &[],
        ),
    ];
    for (value, settings, want, kept) in cases {
        let (got_kept, got) = checked(value, settings);
        assert_eq!(got, want, "{value}");
        assert_eq!(got_kept, kept, "{value}");
    }
}

#[test]
fn an_empty_value_allows_nothing_and_says_what_to_write() {
    for value in ["", " ", ",", " ,\n\t, ,", "\u{a0}"] {
        let (kept, problems) = check_origins_variable(value, CREDENTIALS);
        assert!(kept.is_empty(), "{value:?}");
        assert_eq!(problems, [Problem::EmptyOriginsVariable], "{value:?}");
        assert_eq!(
            problems[0].to_string(),
            "the value is empty (or only separators), so it allows no origin: list the allowed \
             origins, separated by whitespace and/or commas, e.g. `https://app.example.com \
             https://admin.example.com`"
        );
    }
}

#[test]
fn a_repeated_entry_is_reported_per_repetition_and_kept_once() {
    let (kept, problems) = checked(
        "https://a.example.com https://b.example.com,https://a.example.com \
         https://*.example.org https://a.example.com https://*.example.org",
        CREDENTIALS,
    );
    assert_eq!(
        kept,
        [
            "https://a.example.com",
            "https://b.example.com",
            "https://*.example.org"
        ]
    );
    assert_eq!(
        problems,
        [
            "origin `https://a.example.com` is listed twice; remove one",
            "origin `https://a.example.com` is listed twice; remove one",
            "origin `https://*.example.org` is listed twice; remove one",
        ]
    );
    // In the words of the compile-time error for the same repetition in `origins = [...]`.
    let attribute = arguments(&["https://a.example.com", "https://a.example.com"]);
    let (_, compile_time) = check(&attribute);
    let (_, variable) = check_origins_variable(
        "https://a.example.com https://a.example.com",
        Settings::default(),
    );
    assert_eq!(
        variable,
        compile_time.into_iter().map(|(_, p)| p).collect::<Vec<_>>()
    );
}

#[test]
fn problems_come_in_the_order_written() {
    let (kept, problems) = checked(
        "https://a.example.com \"https://b.example.com\" http://c.example.com \
         https://a.example.com https://d.example.com;x *",
        CREDENTIALS,
    );
    assert_eq!(kept, ["https://a.example.com"]);
    let starts: Vec<&str> = problems
        .iter()
        .map(|p| p.split_whitespace().next().unwrap_or_default())
        .collect();
    assert_eq!(
        starts,
        [
            "`\"https://b.example.com\"`",
            "origin",
            "origin",
            "`https://d.example.com;x`",
            "`*`"
        ],
        "{problems:#?}"
    );
    assert!(problems[1].contains("plain http"), "{}", problems[1]);
    assert!(problems[2].contains("listed twice"), "{}", problems[2]);
}

#[test]
fn star_beside_a_refused_piece_still_stands_beside_another_entry() {
    let (kept, problems) =
        check_origins_variable("* \"https://a.example.com\"", Settings::default());
    assert!(kept.is_empty());
    assert!(
        problems.contains(&Problem::AnyOriginBesideOthers),
        "{problems:?}"
    );
    let (kept, problems) = check_origins_variable("*", Settings::default());
    assert_eq!(kept, [OriginEntry::Any]);
    assert!(problems.is_empty());
}

/// Mangled values, made from lists that pass the check: every fix offered passes the same
/// check under the same settings, and the common shapes always get one.
mod properties {
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    fn label() -> impl Strategy<Value = String> {
        "[a-z][a-z0-9]{0,5}"
    }

    /// An entry that passes the check under any settings but with `allow_insecure_http`
    /// (plain http on a non-loopback host) or without credentials (`*`).
    fn entry() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => label().prop_map(|l| format!("https://{l}.example.com")),
            1 => (label(), 1u16..9999).prop_map(|(l, p)| format!("https://{l}.example.org:{p}")),
            1 => (1u16..9999).prop_map(|p| format!("http://localhost:{p}")),
            1 => label().prop_map(|l| format!("https://*.{l}.example.net")),
            1 => label().prop_map(|l| format!("https://**.{l}.example.net:*")),
            1 => select(vec!["http://127.0.0.1:*", "http://[::1]:8080", "http://app.example.com"])
                .prop_map(str::to_owned),
        ]
    }

    fn settings() -> impl Strategy<Value = Settings> {
        (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(
            |(credentials, allow_insecure_http, origins_fn)| Settings {
                credentials,
                allow_insecure_http,
                origins_fn,
            },
        )
    }

    /// One entry written wrongly: without its scheme, with a trailing slash or a path, in
    /// uppercase, in uppercase and plain http (whose canonical form is refused with
    /// credentials), or as it is.
    fn damage(entry: &str, how: usize) -> String {
        match how % 6 {
            0 => entry
                .split_once("://")
                .map_or(entry, |(_, rest)| rest)
                .to_owned(),
            1 => format!("{entry}/"),
            2 => format!("{entry}/app"),
            3 => entry.replacen("https", "HTTPS", 1),
            4 => entry.replacen("https://", "HTTP://", 1),
            _ => entry.to_owned(),
        }
    }

    /// The list written in one of the wrong shapes (the damaged entries for some, or only
    /// damaged), and whether the fix must be the list itself.
    fn mangle(entries: &[String], shape: usize, damaged: &[String]) -> (String, bool) {
        let quoted = |q: &str, list: &[String]| {
            list.iter()
                .map(|e| format!("{q}{e}{q}"))
                .collect::<Vec<_>>()
        };
        // Another separator between the entries, or after a single one.
        let separated = |separator: &str, list: &[String]| match list {
            [one] => format!("{one}{separator}"),
            _ => list.join(separator),
        };
        match shape % 11 {
            0 => (separated(";", entries), true),
            1 => (separated("|", entries), true),
            2 => (separated(";", damaged), false),
            3 => (format!("[{}]", quoted("\"", entries).join(",")), true),
            4 => (format!("[{}]", quoted("'", damaged).join(", ")), false),
            5 => (format!("\"{}\"", entries.join(" ")), true),
            6 => (format!("'{}'", damaged.join(", ")), false),
            7 => (quoted("\"", entries).join(" "), true),
            8 => (format!("[{}]", quoted("\"", damaged).join(", ")), false),
            9 => (format!("[{}]", entries.join(", ")), true),
            _ => (damaged.join(" "), false),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn every_fix_passes_the_same_check(
            entries in prop::collection::vec(entry(), 1..5),
            settings in settings(),
            shape in any::<usize>(),
            how in prop::collection::vec(any::<usize>(), 5),
            noise in prop::collection::vec((any::<prop::sample::Index>(), select(vec![
                ";", "|", "\"", "'", "[", "]", " ", ",", "/", ":", "*", ".", "A", "\u{201c}",
            ])), 0..3),
        ) {
            let mut seen = std::collections::HashSet::new();
            let entries: Vec<String> =
                entries.into_iter().filter(|e| seen.insert(e.clone())).collect();
            let valid = entries.join(" ");
            let (kept, problems) = check_origins_variable(&valid, settings);
            prop_assume!(problems.is_empty());
            prop_assert_eq!(kept.len(), entries.len());

            let damaged: Vec<String> =
                entries.iter().zip(&how).map(|(e, how)| damage(e, *how)).collect();
            let (mangled, fixed_to_the_list) = mangle(&entries, shape, &damaged);
            let mut noisy = mangled.clone();
            for (at, text) in &noise {
                let mut at = at.index(noisy.len() + 1);
                while !noisy.is_char_boundary(at) {
                    at -= 1;
                }
                noisy.insert_str(at, text);
            }

            for value in [&mangled, &noisy] {
                let (_, problems) = check_origins_variable(value, settings);
                for problem in &problems {
                    if let Some(fix) = problem.fix() {
                        let (_, again) = check_origins_variable(fix, settings);
                        prop_assert!(
                            again.is_empty(),
                            "{:?}: the fix {:?} of {} is refused: {:?}", value, fix, problem, again
                        );
                    }
                }
            }
            // The shapes of a valid list are always fixed, to the list itself.
            if fixed_to_the_list {
                let (_, problems) = check_origins_variable(&mangled, settings);
                let fixes: Vec<_> = problems.iter().map(Problem::fix).collect();
                prop_assert_eq!(fixes, [Some(valid.as_str())], "{:?}", mangled);
            }
        }
    }
}
