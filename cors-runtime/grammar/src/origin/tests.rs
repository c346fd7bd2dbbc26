use url::Url;

use super::host::is_loopback_host;
use super::*;

fn problem(entry: &str) -> (OriginEntryProblem, Option<String>) {
    let err = OriginEntry::parse(entry).expect_err(entry);
    (err.problem, err.fix)
}

#[test]
fn accepts_canonical_origins() {
    for entry in [
        "https://app.example.com",
        "http://localhost:3000",
        "http://127.0.0.1:8080",
        "http://[::1]:9000",
        "https://xn--bcher-kva.example",
        "https://app.example.com:8443",
    ] {
        assert_eq!(
            OriginEntry::parse(entry),
            Ok(OriginEntry::Exact(entry.into())),
            "{entry}"
        );
    }
}

fn pattern(scheme: Scheme, host: HostPattern, port: PortPattern) -> OriginEntry {
    OriginEntry::Pattern(OriginPattern { scheme, host, port })
}

#[test]
fn accepts_patterns_in_their_canonical_form() {
    use HostPattern::{AnyLabels, Exact, OneLabel};
    use Scheme::{Http, Https};
    let cases: &[(&str, Scheme, HostPattern, PortPattern)] = &[
        (
            "https://*.me.github.io",
            Https,
            OneLabel("me.github.io".into()),
            PortPattern::Default,
        ),
        (
            "https://*.example.co.uk",
            Https,
            OneLabel("example.co.uk".into()),
            PortPattern::Default,
        ),
        (
            "https://*.example.internal",
            Https,
            OneLabel("example.internal".into()),
            PortPattern::Default,
        ),
        (
            "https://*.preview.example.com:8443",
            Https,
            OneLabel("preview.example.com".into()),
            PortPattern::Port(8443),
        ),
        (
            "http://*.example.com",
            Http,
            OneLabel("example.com".into()),
            PortPattern::Default,
        ),
        (
            "https://*.example.com:80",
            Https,
            OneLabel("example.com".into()),
            PortPattern::Port(80),
        ),
        (
            "https://**.example.com",
            Https,
            AnyLabels("example.com".into()),
            PortPattern::Default,
        ),
        (
            "https://**.example.com:*",
            Https,
            AnyLabels("example.com".into()),
            PortPattern::Any,
        ),
        (
            "https://**.example.com:8443",
            Https,
            AnyLabels("example.com".into()),
            PortPattern::Port(8443),
        ),
        (
            "https://**.xn--bcher-kva.example",
            Https,
            AnyLabels("xn--bcher-kva.example".into()),
            PortPattern::Default,
        ),
        // Not a public suffix itself: the runtime keeps a match below `s3.amazonaws.com`
        // out (`HostPattern::AnyLabels`).
        (
            "https://**.amazonaws.com",
            Https,
            AnyLabels("amazonaws.com".into()),
            PortPattern::Default,
        ),
        (
            "http://*.localhost",
            Http,
            OneLabel("localhost".into()),
            PortPattern::Default,
        ),
        (
            "http://**.localhost",
            Http,
            AnyLabels("localhost".into()),
            PortPattern::Default,
        ),
        (
            "http://**.localhost:*",
            Http,
            AnyLabels("localhost".into()),
            PortPattern::Any,
        ),
        (
            "http://*.dev.localhost:3000",
            Http,
            OneLabel("dev.localhost".into()),
            PortPattern::Port(3000),
        ),
        (
            "http://localhost:*",
            Http,
            Exact("localhost".into()),
            PortPattern::Any,
        ),
        (
            "http://127.0.0.1:*",
            Http,
            Exact("127.0.0.1".into()),
            PortPattern::Any,
        ),
        (
            "http://[::1]:*",
            Http,
            Exact("[::1]".into()),
            PortPattern::Any,
        ),
        (
            "https://app.example.com:*",
            Https,
            Exact("app.example.com".into()),
            PortPattern::Any,
        ),
        (
            "http://10.0.0.1:*",
            Http,
            Exact("10.0.0.1".into()),
            PortPattern::Any,
        ),
    ];
    for (entry, scheme, host, port) in cases {
        let parsed = OriginEntry::parse(entry);
        assert_eq!(parsed, Ok(pattern(*scheme, host.clone(), *port)), "{entry}");
        assert_eq!(parsed.unwrap().to_string(), *entry);
    }
}

#[test]
fn refuses_non_canonical_patterns_with_their_canonical_form() {
    let cases: &[(&str, OriginEntryProblem, &str)] = &[
        (
            "https://**.Example.com:443",
            OriginEntryProblem::Uppercase,
            "https://**.example.com",
        ),
        (
            "https://**.example.com:443",
            OriginEntryProblem::DefaultPort(443),
            "https://**.example.com",
        ),
        (
            "http://*.localhost:80",
            OriginEntryProblem::DefaultPort(80),
            "http://*.localhost",
        ),
        (
            "HTTP://LOCALHOST:*",
            OriginEntryProblem::Uppercase,
            "http://localhost:*",
        ),
        (
            "http://127.1:*",
            OriginEntryProblem::NonCanonical,
            "http://127.0.0.1:*",
        ),
        (
            "http://2130706433:*",
            OriginEntryProblem::NonCanonical,
            "http://127.0.0.1:*",
        ),
        (
            "http://[0:0:0:0:0:0:0:1]:*",
            OriginEntryProblem::NonCanonical,
            "http://[::1]:*",
        ),
        (
            "https://*.example.com:08443",
            OriginEntryProblem::NonCanonical,
            "https://*.example.com:8443",
        ),
        (
            "https://**.example.com/",
            OriginEntryProblem::TrailingSlash,
            "https://**.example.com",
        ),
        (
            "http://localhost:*/",
            OriginEntryProblem::TrailingSlash,
            "http://localhost:*",
        ),
        (
            "https://**.example.com/app",
            OriginEntryProblem::Path,
            "https://**.example.com",
        ),
        (
            "https://**.example.com:*?x=1",
            OriginEntryProblem::Query,
            "https://**.example.com:*",
        ),
        (
            "https://**.example.com#top",
            OriginEntryProblem::Fragment,
            "https://**.example.com",
        ),
        (
            "https://user@**.example.com",
            OriginEntryProblem::Userinfo,
            "https://**.example.com",
        ),
        (
            "https://**.example.com.:*",
            OriginEntryProblem::TrailingDot,
            "https://**.example.com:*",
        ),
        (
            "https://**.bücher.example",
            OriginEntryProblem::NonAscii,
            "https://**.xn--bcher-kva.example",
        ),
        (
            "**.example.com",
            OriginEntryProblem::MissingScheme,
            "https://**.example.com",
        ),
        (
            "localhost:*",
            OriginEntryProblem::MissingScheme,
            "http://localhost:*",
        ),
        (
            " http://**.localhost:* ",
            OriginEntryProblem::Whitespace,
            "http://**.localhost:*",
        ),
    ];
    for (entry, want, fix) in cases {
        let (got, got_fix) = problem(entry);
        assert_eq!(&got, want, "{entry}");
        assert_eq!(got_fix.as_deref(), Some(*fix), "{entry}");
        assert_eq!(
            OriginEntry::parse(fix).map(|o| o.to_string()).as_deref(),
            Ok(*fix),
            "the fix of {entry} is itself canonical"
        );
    }
}

#[test]
fn refuses_wildcards_that_are_no_pattern() {
    let cases: &[(&str, OriginEntryProblem)] = &[
        (
            "https://pr-*.example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://*-preview.example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://*example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://a*b.example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://a.pr-*.example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://*.pr-*.example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://**a.example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://app.*.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://app.**.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://*.*.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://**.*.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://*.**.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://***.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        ("https://example.*", OriginEntryProblem::MisplacedWildcard),
        ("https://*", OriginEntryProblem::MisplacedWildcard),
        ("https://**", OriginEntryProblem::MisplacedWildcard),
        ("https://*.", OriginEntryProblem::MisplacedWildcard),
        ("https://**:*", OriginEntryProblem::MisplacedWildcard),
        (
            "https://example.com/*",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://example.com?*",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://*@example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "http://localhost:3*",
            OriginEntryProblem::MisplacedPortWildcard,
        ),
        (
            "http://localhost:*3",
            OriginEntryProblem::MisplacedPortWildcard,
        ),
        (
            "http://localhost:**",
            OriginEntryProblem::MisplacedPortWildcard,
        ),
        (
            "http://localhost:*:*",
            OriginEntryProblem::MisplacedPortWildcard,
        ),
        ("http://[::1]:3*", OriginEntryProblem::MisplacedPortWildcard),
        ("https://*.com", OriginEntryProblem::WildcardTooBroad),
        ("https://**.com", OriginEntryProblem::WildcardTooBroad),
        (
            "https://**.internal:*",
            OriginEntryProblem::WildcardTooBroad,
        ),
        ("https://*.1.2.3", OriginEntryProblem::WildcardOnIp),
        ("https://**.0.0.1:*", OriginEntryProblem::WildcardOnIp),
        ("http://[*::1]:3000", OriginEntryProblem::WildcardOnIp),
        (
            "https://**.github.io",
            OriginEntryProblem::WildcardUnderPublicSuffix("github.io".into()),
        ),
        (
            "https://**.vercel.app:*",
            OriginEntryProblem::WildcardUnderPublicSuffix("vercel.app".into()),
        ),
        (
            "https://**.co.uk",
            OriginEntryProblem::WildcardUnderPublicSuffix("co.uk".into()),
        ),
        (
            "https://**.s3.amazonaws.com",
            OriginEntryProblem::WildcardUnderPublicSuffix("s3.amazonaws.com".into()),
        ),
        (
            "https://*.sch.uk",
            OriginEntryProblem::WildcardAbovePublicSuffixes("sch.uk".into()),
        ),
        (
            "https://**.compute.amazonaws.com",
            OriginEntryProblem::WildcardAbovePublicSuffixes("compute.amazonaws.com".into()),
        ),
    ];
    for (entry, want) in cases {
        let (got, fix) = problem(entry);
        assert_eq!(&got, want, "{entry}");
        assert_eq!(fix, None, "{entry}");
    }
    for entry in [
        "https://*..example.com",
        "https://**.example..com",
        &format!("https://**.{}.example.com", "a.".repeat(120)),
    ] {
        assert!(
            matches!(problem(entry).0, OriginEntryProblem::Invalid(_)),
            "{entry}"
        );
    }
}

#[test]
fn a_fix_is_canonical_in_one_step() {
    // Found by `fixes_are_canonical_and_accepted_entries_display_as_themselves`: a fix kept
    // the host's trailing dot, or was `https://` for a host of dots only.
    for (entry, problem_want, fix) in [
        ("https://a.?", OriginEntryProblem::Query, Some("https://a")),
        (
            "https://a../",
            OriginEntryProblem::TrailingSlash,
            Some("https://a"),
        ),
        (
            "https://a..",
            OriginEntryProblem::TrailingDot,
            Some("https://a"),
        ),
        (
            "https://*.example.com./",
            OriginEntryProblem::TrailingSlash,
            Some("https://*.example.com"),
        ),
        ("https://.?", OriginEntryProblem::Query, None),
        ("https://.", OriginEntryProblem::TrailingDot, None),
    ] {
        assert_eq!(
            problem(entry),
            (problem_want, fix.map(str::to_owned)),
            "{entry}"
        );
    }
}

#[test]
fn a_wildcard_inside_a_label_says_why_and_what_to_do() {
    let message = OriginEntry::parse("https://pr-*.example.com")
        .unwrap_err()
        .to_string();
    for needle in [
        "`https://pr-*.example.com` has a `*` inside a label",
        "anyone can register",
        "`https://pr-evil.vercel.app`",
        "list the origins",
        "`*.` or `**.` under a domain you own",
        "a predicate (`origins_fn`)",
    ] {
        assert!(message.contains(needle), "{needle} not in {message}");
    }
}

#[test]
fn refuses_non_canonical_entries_with_their_canonical_form() {
    let cases: &[(&str, OriginEntryProblem, Option<&str>)] = &[
        (
            "https://app.example.com/",
            OriginEntryProblem::TrailingSlash,
            Some("https://app.example.com"),
        ),
        (
            "https://app.example.com/api",
            OriginEntryProblem::Path,
            Some("https://app.example.com"),
        ),
        (
            "https://app.example.com?x=1",
            OriginEntryProblem::Query,
            Some("https://app.example.com"),
        ),
        (
            "https://app.example.com#top",
            OriginEntryProblem::Fragment,
            Some("https://app.example.com"),
        ),
        (
            "https://user:pw@app.example.com",
            OriginEntryProblem::Userinfo,
            Some("https://app.example.com"),
        ),
        (
            "https://app.example.com:443",
            OriginEntryProblem::DefaultPort(443),
            Some("https://app.example.com"),
        ),
        (
            "http://app.example.com:80",
            OriginEntryProblem::DefaultPort(80),
            Some("http://app.example.com"),
        ),
        (
            "https://App.Example.com",
            OriginEntryProblem::Uppercase,
            Some("https://app.example.com"),
        ),
        (
            "HTTPS://app.example.com",
            OriginEntryProblem::Uppercase,
            Some("https://app.example.com"),
        ),
        (
            "https://bücher.example",
            OriginEntryProblem::NonAscii,
            Some("https://xn--bcher-kva.example"),
        ),
        (
            "https://app.example.com.",
            OriginEntryProblem::TrailingDot,
            Some("https://app.example.com"),
        ),
        (
            " https://app.example.com",
            OriginEntryProblem::Whitespace,
            Some("https://app.example.com"),
        ),
        (
            "app.example.com",
            OriginEntryProblem::MissingScheme,
            Some("https://app.example.com"),
        ),
        (
            "localhost:3000",
            OriginEntryProblem::MissingScheme,
            Some("http://localhost:3000"),
        ),
        (
            "LOCALHOST:3000",
            OriginEntryProblem::MissingScheme,
            Some("http://localhost:3000"),
        ),
        (
            "127.0.0.1:8080",
            OriginEntryProblem::MissingScheme,
            Some("http://127.0.0.1:8080"),
        ),
        (
            "127.1:8080",
            OriginEntryProblem::MissingScheme,
            Some("http://127.0.0.1:8080"),
        ),
        (
            "[::1]:3000",
            OriginEntryProblem::MissingScheme,
            Some("http://[::1]:3000"),
        ),
        (
            "*.localhost",
            OriginEntryProblem::MissingScheme,
            Some("http://*.localhost"),
        ),
        (
            "app.localhost:*",
            OriginEntryProblem::MissingScheme,
            Some("http://app.localhost:*"),
        ),
        (
            "localhost.example.com",
            OriginEntryProblem::MissingScheme,
            Some("https://localhost.example.com"),
        ),
        (
            "https://*.Preview.example.com",
            OriginEntryProblem::Uppercase,
            Some("https://*.preview.example.com"),
        ),
        (
            "https://*.example.com:443",
            OriginEntryProblem::DefaultPort(443),
            Some("https://*.example.com"),
        ),
        (
            "http://0x7f.0.0.1",
            OriginEntryProblem::NonCanonical,
            Some("http://127.0.0.1"),
        ),
    ];
    for (entry, want, fix) in cases {
        let (got, got_fix) = problem(entry);
        assert_eq!(&got, want, "{entry}");
        assert_eq!(got_fix.as_deref(), *fix, "{entry}");
    }
}

#[test]
fn refuses_what_is_no_origin() {
    let cases: &[(&str, OriginEntryProblem)] = &[
        ("", OriginEntryProblem::Empty),
        ("https://app .example.com", OriginEntryProblem::Whitespace),
        (" https://a pp.example.com ", OriginEntryProblem::Whitespace),
        (
            "https://app.example.com\u{a0}",
            OriginEntryProblem::Whitespace,
        ),
        ("null", OriginEntryProblem::Null),
        ("NULL", OriginEntryProblem::Null),
        (
            "ftp://files.example.com",
            OriginEntryProblem::UnsupportedScheme("ftp".into()),
        ),
        ("https://", OriginEntryProblem::NoHost),
        (
            "https://*example.com",
            OriginEntryProblem::WildcardInsideLabel,
        ),
        (
            "https://app.*.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        (
            "https://*.*.example.com",
            OriginEntryProblem::MisplacedWildcard,
        ),
        ("*.example.com", OriginEntryProblem::MissingScheme),
        ("https://*.com", OriginEntryProblem::WildcardTooBroad),
        ("https://*.1.2.3", OriginEntryProblem::WildcardOnIp),
        (
            "https://*.github.io",
            OriginEntryProblem::WildcardUnderPublicSuffix("github.io".into()),
        ),
        (
            "https://*.co.uk",
            OriginEntryProblem::WildcardUnderPublicSuffix("co.uk".into()),
        ),
        (
            "https://*.cloudfront.net",
            OriginEntryProblem::WildcardUnderPublicSuffix("cloudfront.net".into()),
        ),
        (
            "https://*.execute-api.eu-west-1.amazonaws.com",
            OriginEntryProblem::WildcardUnderPublicSuffix(
                "execute-api.eu-west-1.amazonaws.com".into(),
            ),
        ),
    ];
    for (entry, want) in cases {
        assert_eq!(&problem(entry).0, want, "{entry}");
    }
    assert!(matches!(
        problem("https://app.example.com:99999").0,
        OriginEntryProblem::Invalid(_)
    ));
}

/// The WHATWG parser accepts these hosts, and serializes them as written; DNS cannot resolve
/// them, so no browser ever sends them: refused, without a fix.
#[test]
fn refuses_hosts_no_browser_can_reach() {
    let long_label = format!("https://{}.example.com", "a".repeat(64));
    let long_name = format!("https://{}example.com", "abcdefghi.".repeat(25));
    for (entry, reason) in [
        (
            "https://a..example.com",
            "the host has an empty label (`..`)",
        ),
        ("https://.example.com", "the host has an empty label (`..`)"),
        (
            "https://.example.com.",
            "the host has an empty label (`..`)",
        ),
        (
            "https://A..example.com/",
            "the host has an empty label (`..`)",
        ),
        (
            "http://**.a..localhost:*",
            "the host has an empty label (`..`)",
        ),
        (
            "https://a,b.example.com",
            "the host has `,`, which no domain name has: its labels are letters, digits, `-` and \
             `_`",
        ),
        ("https://a;b.example.com", "the host has `;`"),
        ("https://a$b.example.com", "the host has `$`"),
        ("https://a\"b.example.com", "the host has `\\\"`"),
        ("https://*.a!b.example.com", "the host has `!`"),
        (
            &long_label,
            "a label of the host is longer than 63 characters",
        ),
        (
            &long_name,
            "the host is longer than a domain name can be (253 characters)",
        ),
    ] {
        let err = OriginEntry::parse(entry).expect_err(entry);
        let OriginEntryProblem::Invalid(got) = err.problem() else {
            panic!("{entry}: {err}");
        };
        assert!(got.starts_with(reason), "{entry}: {got}");
        assert_eq!(err.fix(), None, "{entry}");
    }
    // An underscore is in names browsers reach.
    assert!(OriginEntry::parse("https://a_b.example.com").is_ok());
}

#[test]
fn messages_name_the_entry_and_the_fix() {
    let err = OriginEntry::parse("https://App.example.com/").unwrap_err();
    assert_eq!(
        err.to_string(),
        "origin `https://App.example.com/` ends with `/`: browsers send the origin without a \
         trailing slash, and browsers compare origins byte for byte; write \
         `https://app.example.com`"
    );
}

#[test]
fn trustworthy_is_https_or_loopback() {
    for (entry, want) in [
        ("https://app.example.com", true),
        ("http://localhost:3000", true),
        ("http://dev.localhost", true),
        ("http://127.0.0.1:8080", true),
        ("http://[::1]:8080", true),
        ("http://app.example.com", false),
        ("http://10.0.0.1", false),
        ("http://*.example.com", false),
        ("https://*.example.com", true),
        ("https://**.example.com", true),
        ("http://**.example.com", false),
        ("http://*.localhost", true),
        ("http://**.localhost:*", true),
        ("http://**.dev.localhost", true),
        ("http://localhost:*", true),
        ("http://app.localhost:*", true),
        ("http://127.0.0.1:*", true),
        ("http://127.9.9.9:*", true),
        ("http://[::1]:*", true),
        ("http://10.0.0.1:*", false),
        ("http://app.example.com:*", false),
        ("https://app.example.com:*", true),
        ("http://localhost.example.com:*", false),
        ("http://*.localhost.example.com", false),
    ] {
        assert_eq!(
            OriginEntry::parse(entry).unwrap().is_trustworthy(),
            want,
            "{entry}"
        );
    }
}

/// Generated entries: every canonical pattern is accepted and is its own display, every
/// simple misspelling of one is refused with it as the fix, and whatever the input, a fix is
/// canonical and an accepted entry displays as itself.
mod properties {
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    /// A DNS label as browsers send it (not `xn--`: punycode labels are checked by the
    /// WHATWG parser).
    fn label() -> impl Strategy<Value = String> {
        "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?".prop_filter("not punycode", |l| !l.starts_with("xn--"))
    }

    /// A domain a pattern may sit under: registrable domains, names under them, and
    /// `localhost`.
    fn base() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(label(), 0..3),
            select(vec![
                "example.com",
                "example.org",
                "example.co.uk",
                "me.github.io",
                "amazonaws.com",
                "example.internal",
                "xn--bcher-kva.example",
                "localhost",
            ]),
        )
            .prop_map(|(mut labels, domain)| {
                labels.push(domain.to_owned());
                labels.join(".")
            })
    }

    fn scheme() -> impl Strategy<Value = Scheme> {
        prop_oneof![Just(Scheme::Http), Just(Scheme::Https)]
    }

    fn port(scheme: Scheme) -> impl Strategy<Value = PortPattern> {
        prop_oneof![
            Just(PortPattern::Default),
            Just(PortPattern::Any),
            (0u16..=65535)
                .prop_filter("not the default port", move |p| *p != scheme.default_port())
                .prop_map(PortPattern::Port),
        ]
    }

    /// A canonical pattern entry, and what it parses to.
    fn canonical_pattern() -> impl Strategy<Value = (String, OriginPattern)> {
        scheme().prop_flat_map(|scheme| {
            let host = prop_oneof![
                base().prop_map(HostPattern::OneLabel),
                base().prop_map(HostPattern::AnyLabels),
                base().prop_map(HostPattern::Exact),
                select(vec!["127.0.0.1", "10.1.2.3", "[::1]", "[2001:db8::1]"])
                    .prop_map(|host| HostPattern::Exact(host.to_owned())),
            ];
            (host, port(scheme)).prop_map(move |(host, port)| {
                // A pattern without wildcard in its host has `:*` for its port.
                let port = match host {
                    HostPattern::Exact(_) => PortPattern::Any,
                    _ => port,
                };
                let pattern = OriginPattern { scheme, host, port };
                (pattern.to_string(), pattern)
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn canonical_patterns_are_accepted_as_written((entry, pattern) in canonical_pattern()) {
            let parsed = OriginEntry::parse(&entry);
            prop_assert_eq!(&parsed, &Ok(OriginEntry::Pattern(pattern)), "{}", entry);
            prop_assert_eq!(parsed.unwrap().to_string(), entry);
        }

        #[test]
        fn misspelled_patterns_are_refused_with_the_canonical_form(
            (entry, pattern) in canonical_pattern(),
            which in any::<prop::sample::Index>(),
            at in any::<prop::sample::Index>(),
        ) {
            let (scheme, rest) = entry.split_once("://").unwrap();
            let (host, port) = match rest.rfind(':') {
                Some(colon) if !rest[colon..].contains(']') => rest.split_at(colon),
                _ => (rest, ""),
            };
            let mut misspellings = vec![
                (format!("{entry}/"), OriginEntryProblem::TrailingSlash),
                (format!("{entry}/app"), OriginEntryProblem::Path),
                (format!("{entry}?q"), OriginEntryProblem::Query),
            ];
            let letters: Vec<usize> = host
                .char_indices()
                .filter(|(_, c)| c.is_ascii_lowercase())
                .map(|(i, _)| i)
                .collect();
            if !letters.is_empty() {
                let i = letters[at.index(letters.len())];
                let mut host = host.to_owned();
                host[i..=i].make_ascii_uppercase();
                misspellings.push((format!("{scheme}://{host}{port}"), OriginEntryProblem::Uppercase));
            }
            if pattern.port() == PortPattern::Default {
                let default = pattern.scheme().default_port();
                misspellings.push((format!("{entry}:{default}"), OriginEntryProblem::DefaultPort(default)));
            }
            if !matches!(pattern.host(), HostPattern::Exact(host) if !host.ends_with(|c: char| c.is_ascii_lowercase())) {
                misspellings.push((format!("{scheme}://{host}.{port}"), OriginEntryProblem::TrailingDot));
            }
            let (misspelled, want) = &misspellings[which.index(misspellings.len())];
            let err = OriginEntry::parse(misspelled).unwrap_err();
            prop_assert_eq!(err.problem(), want, "{}", misspelled);
            prop_assert_eq!(err.fix(), Some(entry.as_str()), "{}", misspelled);
        }

        #[test]
        fn fixes_are_canonical_and_accepted_entries_display_as_themselves(
            scheme in select(vec!["https://", "http://", "HTTP://", ""]),
            rest in "[a-zA-Z0-9*.:/@?#\\[\\]-]{0,24}",
        ) {
            let entry = format!("{scheme}{rest}");
            match OriginEntry::parse(&entry) {
                Ok(origin) => {
                    let shown = origin.to_string();
                    prop_assert_eq!(&shown, &entry);
                    prop_assert_eq!(OriginEntry::parse(&shown), Ok(origin));
                }
                Err(err) => {
                    if let Some(fix) = err.fix() {
                        prop_assert_ne!(fix, entry.as_str());
                        match OriginEntry::parse(fix) {
                            Ok(origin) => prop_assert_eq!(origin.to_string(), fix),
                            // Canonical, but refused for another reason (a pattern under a
                            // public suffix): nothing left to rewrite.
                            Err(again) => prop_assert_eq!(again.fix(), None, "{}", fix),
                        }
                    }
                }
            }
        }
    }
}

/// The fast path of the common shapes (`fast.rs`) against the WHATWG parser: the same
/// answer (the origin, or the problem and the fix) on every input.
mod fast_path {
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    /// `is_trustworthy` as it was, by the WHATWG parser alone.
    fn trustworthy_by_url(origin: &OriginEntry) -> bool {
        match origin {
            OriginEntry::Exact(origin) => Url::parse(origin).is_ok_and(|url| {
                url.scheme() == "https" || url.host_str().is_some_and(is_loopback_host)
            }),
            other => other.is_trustworthy(),
        }
    }

    fn same_answer(entry: &str) -> Result<(), TestCaseError> {
        let fast = OriginEntry::parse(entry);
        let reference = OriginEntry::parse_with_url(entry);
        prop_assert_eq!(&fast, &reference, "{:?}", entry);
        if let Ok(origin) = &fast {
            prop_assert_eq!(
                origin.is_trustworthy(),
                trustworthy_by_url(origin),
                "{:?}",
                entry
            );
        }
        Ok(())
    }

    /// A label near the fast path's: lowercase, digits, hyphens, sometimes uppercase,
    /// punycode, all digits, hexadecimal, empty, percent-encoded, with a tab or a character
    /// that no domain name has.
    fn label() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => "[a-z0-9][a-z0-9-]{0,6}[a-z0-9]",
            2 => "[a-z0-9-]{0,4}",
            1 => "[a-zA-Z0-9-]{1,5}",
            1 => "xn--[a-z0-9-]{0,8}",
            1 => "[0-9]{1,3}",
            1 => "0x[0-9a-f]{0,3}",
            1 => "[a-z]{1,3}-{2}[a-z]{1,3}",
            1 => "[a-z]{0,2}[_,;*$!~'%\\t\\\\][a-z]{0,2}",
            1 => "[a-z]{1,3}%(2e|2E|41|61|00)[a-z]{0,3}",
            1 => select(vec![
                "localhost", "example", "com", "co", "uk", "github", "io", "amazonaws",
                "s3", "sch", "kawasaki", "jp", "internal", "a".repeat(63).leak(),
                "a".repeat(64).leak(), "\u{e9}t\u{e9}", "\u{ff41}", "a\u{3002}b", "a\u{ad}b",
            ]).prop_map(str::to_owned),
        ]
    }

    /// A host near the fast path's: labels, or an IP address in one of its spellings.
    fn host() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => prop::collection::vec(label(), 1..5).prop_map(|labels| labels.join(".")),
            1 => select(vec![
                "127.0.0.1", "127.1", "127.0.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433",
                "127.000.0.1", "10.0.0.1", "1.2.3.4.5", "256.0.0.1", "[::1]", "[0:0:0:0:0:0:0:1]",
                "[::0001]", "[0::1]", "[::1%25eth0]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
                "[2001:db8::1]", "[2001:DB8::1]", "[2001:0db8::1]", "[2001:db8:0:0:0:0:0:1]",
                "[::]", "[::1", "::1",
            ]).prop_map(str::to_owned),
        ]
    }

    /// An entry or a request origin near the canonical shapes: the common shapes, and each
    /// way of writing one that browsers never send (case, a default or zero-padded port,
    /// user-info, a path, a query, a fragment, a backslash, percent-encoding, dots before,
    /// between or after the labels, whitespace, IPv4 shorthands and IPv6 spellings).
    pub(super) fn near_canonical() -> impl Strategy<Value = String> {
        (
            select(vec![
                "https://",
                "http://",
                "HTTP://",
                "https:/",
                "https:\\\\",
                "https:",
                "ftp://",
                "",
                " https://",
                "https://u@",
                "https://u:p@",
                "https://@",
            ]),
            select(vec![
                "", "", "", "*.", "**.", "*", "***.", "x*.", ".", "..", "*.*.",
            ]),
            host(),
            select(vec!["", "", "", ".", ".."]),
            prop_oneof![
                3 => select(vec![
                    "", "", "", ":", ":0", ":80", ":443", ":8080", ":08080", ":65535",
                    ":65536", ":99999", ":*", ":**", ":1*", ":+1", ":1a", ":0443", ":00",
                    ":%38%30",
                ]).prop_map(str::to_owned),
                1 => (0u32..70_000).prop_map(|port| format!(":{port}")),
            ],
            select(vec![
                "", "", "", "/", "/path", "?q", "#f", "@x", " ", "\t", "\n", "\\", "\\x", "/.",
                "?", "#", "%20", "%2f",
            ]),
        )
            .prop_map(|(scheme, wildcard, host, dot, port, tail)| {
                format!("{scheme}{wildcard}{host}{dot}{port}{tail}")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn near_canonical_entries(entry in near_canonical()) {
            same_answer(&entry)?;
        }

        #[test]
        fn arbitrary_entries(
            scheme in select(vec!["https://", "http://", ""]),
            rest in "[a-z0-9*.:/@?#\\[\\]A-Z%-]{0,30}",
        ) {
            same_answer(&format!("{scheme}{rest}"))?;
        }

        #[test]
        fn arbitrary_text(entry in "\\PC{0,40}") {
            same_answer(&entry)?;
        }

        /// The common shapes do take the fast path.
        #[test]
        fn canonical_entries_take_the_fast_path(
            scheme in select(vec!["https://", "http://"]),
            wildcard in select(vec!["", "*.", "**."]),
            labels in prop::collection::vec("[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?", 0..3),
            domain in select(vec!["example.com", "example.co.uk", "localhost", "example.internal"]),
            port in select(vec!["", ":8443", ":3000", ":*"]),
        ) {
            prop_assume!(labels.iter().all(|label| !label.contains("--")));
            let mut labels = labels;
            labels.push(domain.to_owned());
            let entry = format!("{scheme}{wildcard}{}{port}", labels.join("."));
            prop_assert!(fast::parse(&entry).is_some(), "{}", entry);
            same_answer(&entry)?;
        }
    }
}

/// A request's `Origin` value (`request.rs`): what browsers send is read, every other spelling
/// refused, as the WHATWG URL parser and DNS's rules for a name decide.
mod request_origin {
    use proptest::prelude::*;
    use proptest::sample::select;
    use url::Host;

    use super::fast_path::near_canonical;
    use super::*;

    /// What [`CanonicalOrigin::parse`] gives for `value`, worked out independently: `value` is
    /// exactly the WHATWG serialization of an `http` or `https` origin, and its host an IP
    /// address or a domain whose labels are 1 to 63 letters, digits, `-` and `_` (so no empty
    /// label, no trailing dot), 253 characters at most.
    fn reference(value: &str) -> Option<CanonicalOrigin> {
        let url = Url::parse(value).ok()?;
        let scheme = match url.scheme() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            _ => return None,
        };
        if url.origin().ascii_serialization() != value {
            return None;
        }
        let loopback = match url.host()? {
            Host::Domain(domain) => {
                let reachable = domain.len() <= 253
                    && domain.split('.').all(|label| {
                        (1..=63).contains(&label.len())
                            && label.bytes().all(|b| {
                                b.is_ascii_lowercase()
                                    || b.is_ascii_digit()
                                    || b == b'-'
                                    || b == b'_'
                            })
                    });
                if !reachable {
                    return None;
                }
                domain == "localhost" || domain.ends_with(".localhost")
            }
            Host::Ipv4(ip) => ip.is_loopback(),
            Host::Ipv6(ip) => ip.is_loopback(),
        };
        let start = value.find("://")? + "://".len();
        Some(CanonicalOrigin {
            scheme,
            host: start..start + url.host_str()?.len(),
            port: url.port(),
            trustworthy: scheme == Scheme::Https || loopback,
        })
    }

    #[test]
    fn reads_what_browsers_send() {
        for (value, host, port, trustworthy) in [
            ("https://app.example.com", "app.example.com", None, true),
            (
                "http://app.example.com:8080",
                "app.example.com",
                Some(8080),
                false,
            ),
            (
                "http://app.example.com:443",
                "app.example.com",
                Some(443),
                false,
            ),
            (
                "https://tenant.example.com:8443",
                "tenant.example.com",
                Some(8443),
                true,
            ),
            ("http://localhost:3000", "localhost", Some(3000), true),
            ("http://localhost:0", "localhost", Some(0), true),
            ("http://dev.localhost", "dev.localhost", None, true),
            (
                "http://localhost.example.com",
                "localhost.example.com",
                None,
                false,
            ),
            ("http://127.0.0.1:8080", "127.0.0.1", Some(8080), true),
            ("http://127.9.9.9", "127.9.9.9", None, true),
            ("http://10.0.0.1", "10.0.0.1", None, false),
            ("http://[::1]:9000", "[::1]", Some(9000), true),
            ("http://[::ffff:7f00:1]", "[::ffff:7f00:1]", None, false),
            ("http://[2001:db8::1]", "[2001:db8::1]", None, false),
            (
                "https://xn--bcher-kva.example",
                "xn--bcher-kva.example",
                None,
                true,
            ),
            ("https://a--b.example.com", "a--b.example.com", None, true),
            ("https://a_b.example.com", "a_b.example.com", None, true),
            ("https://1.example.com", "1.example.com", None, true),
            ("https://localhost", "localhost", None, true),
        ] {
            let origin = CanonicalOrigin::parse(value).unwrap_or_else(|| panic!("{value}"));
            assert_eq!(&value[origin.host.clone()], host, "{value}");
            assert_eq!(origin.port, port, "{value}");
            assert_eq!(origin.trustworthy, trustworthy, "{value}");
            assert_eq!(Some(origin), reference(value), "{value}");
        }
    }

    #[test]
    fn refuses_every_spelling_a_browser_never_sends() {
        let long_label = format!("https://{}.example.com", "a".repeat(64));
        let long_name = format!("https://{}example.com", "abcdefghi.".repeat(25));
        #[rustfmt::skip]
        let spellings = [
            // Dots: after the name, doubled, before it, alone.
            "https://example.org.", "https://example.org..", "http://localhost.:3000",
            "https://app.example.org.:8443", "https://a..example.org", "https://example..org",
            "https://.a.example.org", "https://.", "https://..", "http://127.0.0.1.",
            // Case.
            "https://Example.org", "HTTPS://example.org", "https://EXAMPLE.ORG", "Https://example.org",
            // Ports: the default one, zero-padded, empty, too large, signed, percent-encoded.
            "https://example.org:443", "http://example.org:80", "https://example.org:08443",
            "https://example.org:0443", "http://localhost:03000", "https://example.org:",
            "https://example.org:65536", "https://example.org:+443", "https://example.org:%34%34",
            // User-info.
            "https://user@example.org", "https://user:pw@example.org", "https://@example.org",
            "https://example.org@evil.example",
            // Path, query, fragment.
            "https://example.org/", "https://example.org/app", "https://example.org/.",
            "https://example.org?", "https://example.org?q", "https://example.org#",
            "https://example.org#f",
            // Backslashes, percent-encoding.
            "https:\\\\example.org", "https:\\example.org", "https://example.org\\",
            "https://ex%61mple.org", "https://example%2eorg", "https://example.org%2f",
            // IPv4 shorthands and other spellings of an address.
            "http://127.1", "http://127.0.1", "http://0x7f.0.0.1", "http://2130706433",
            "http://0177.0.0.1", "http://127.000.0.1", "http://0x7f000001",
            // IPv6 spellings.
            "http://[0:0:0:0:0:0:0:1]", "http://[::0001]", "http://[0::1]", "http://[::1%25eth0]",
            "http://[::FFFF:127.0.0.1]", "http://[::ffff:127.0.0.1]", "http://[2001:DB8::1]",
            "http://[2001:0db8::1]", "http://[2001:db8:0:0:0:0:0:1]", "http://::1",
            // Whitespace.
            " https://example.org", "https://example.org ", "https://exam\tple.org",
            "https://example.org\n", "https://example.org\u{a0}",
            // Characters no domain name has.
            "https://*.example.org", "https://a,b.example.org", "https://a;b.example.org",
            "https://a$b.example.org", "https://a~b.example.org", "https://a'b.example.org",
            "https://a!b.example.org", "https://a+b.example.org",
            // Labels and names longer than DNS carries.
            &long_label, &long_name,
            // Unicode, other schemes, no scheme, `null`.
            "https://b\u{fc}cher.example", "https://\u{ff41}.example.org",
            "https://a\u{3002}example.org", "example.org", "//example.org", "https:example.org",
            "https:/example.org", "ws://example.org", "file://", "null", "", "https://",
        ];
        for value in spellings {
            assert_eq!(CanonicalOrigin::parse(value), None, "{value:?}");
        }
        assert!(long_name.len() > 253 + "https://".len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn near_canonical_request_origins(value in near_canonical()) {
            prop_assert_eq!(CanonicalOrigin::parse(&value), reference(&value), "{:?}", value);
        }

        #[test]
        fn canonical_request_origins(
            scheme in select(vec!["https://", "http://"]),
            labels in prop::collection::vec("[a-z0-9_]([a-z0-9_-]{0,6}[a-z0-9_])?", 0..3),
            domain in select(vec!["example.com", "localhost", "xn--bcher-kva.example", "a--b.io"]),
            port in select(vec!["", ":8443", ":3000", ":1", ":65535", ":443", ":80"]),
        ) {
            let mut labels = labels;
            labels.push(domain.to_owned());
            let value = format!("{scheme}{}{port}", labels.join("."));
            let want = reference(&value);
            prop_assume!(want.is_some());
            prop_assert_eq!(CanonicalOrigin::parse(&value), want, "{:?}", value);
        }

        #[test]
        fn arbitrary_request_origins(
            scheme in select(vec!["https://", "http://", ""]),
            rest in "[a-z0-9*.:/@?#\\[\\]A-Z%_,;\\\\ -]{0,30}",
        ) {
            let value = format!("{scheme}{rest}");
            prop_assert_eq!(CanonicalOrigin::parse(&value), reference(&value), "{:?}", value);
        }

        #[test]
        fn arbitrary_request_text(value in "\\PC{0,40}") {
            prop_assert_eq!(CanonicalOrigin::parse(&value), reference(&value), "{:?}", value);
        }
    }
}

mod split {
    use proptest::prelude::*;

    use crate::split_origin_list;

    proptest! {
        /// The entries are what splitting on commas and whitespace (`char::is_whitespace`)
        /// and dropping empty pieces gives.
        #[test]
        fn entries_are_what_is_between_commas_and_whitespace(
            value in "[a-z:/,. \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}\u{e9}\u{1f600}-]{0,40}",
        ) {
            let want: Vec<&str> = value
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|entry| !entry.is_empty())
                .collect();
            let got: Vec<&str> = split_origin_list(&value).collect();
            prop_assert_eq!(got, want);
        }
    }
}
