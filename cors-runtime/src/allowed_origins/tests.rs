use cors_grammar::OriginEntry;
use http::HeaderValue;

use super::*;

/// A request's headers with these `Origin` values.
fn origin_headers<const N: usize>(values: [&HeaderValue; N]) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for value in values {
        headers.append(http::header::ORIGIN, value.clone());
    }
    headers
}

fn list(entries: &[&str]) -> AllowedOrigins {
    let mut list = OriginList::default();
    for entry in entries {
        list.insert(OriginEntry::parse(entry).unwrap());
    }
    AllowedOrigins::List(list)
}

fn allowed(origins: &AllowedOrigins, origin: &str) -> bool {
    let value = HeaderValue::from_str(origin).unwrap();
    matches!(
        origins.check(&origin_headers([&value])),
        OriginMatch::Allowed(v) if v == origin
    )
}

#[test]
fn exact_entries_match_byte_for_byte() {
    let origins = list(&["https://app.example.com", "http://localhost:3000"]);
    for origin in ["https://app.example.com", "http://localhost:3000"] {
        assert!(allowed(&origins, origin), "{origin}");
    }
    for origin in [
        "https://app.example.com.evil.com",
        "https://evilapp.example.com",
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://APP.example.com",
        "https://app.example.com/",
        "https://app.example.com.",
        "https://evil.app.example.com",
        "https://app.example.co",
        "http://localhost:3001",
        "http://localhost",
        "null",
        "",
    ] {
        assert!(!allowed(&origins, origin), "{origin}");
    }
}

#[test]
fn patterns_match_exactly_one_label_same_scheme_and_port() {
    let origins = list(&[
        "https://*.preview.example.com",
        "http://*.dev.example.com:8080",
    ]);
    for origin in [
        "https://pr-1.preview.example.com",
        "https://xn--bcher-kva.preview.example.com",
        "http://a.dev.example.com:8080",
    ] {
        assert!(allowed(&origins, origin), "{origin}");
    }
    for origin in [
        "https://preview.example.com",
        "https://.preview.example.com",
        "https://a.b.preview.example.com",
        "http://pr-1.preview.example.com",
        "https://pr-1.preview.example.com:8443",
        "https://pr-1.preview.example.com.evil.com",
        "https://pr-1.preview.example.com/",
        "https://PR-1.preview.example.com",
        "https://-pr.preview.example.com",
        "https://pr_1.preview.example.com",
        "https://evil.com/.preview.example.com",
        "https://evilpreview.example.com",
        "http://a.dev.example.com",
        "https://a.dev.example.com:8080",
    ] {
        assert!(!allowed(&origins, origin), "{origin}");
    }
}

#[test]
fn several_origin_values_are_refused() {
    let origins = list(&["https://app.example.com"]);
    let value = HeaderValue::from_static("https://app.example.com");
    assert!(matches!(
        origins.check(&origin_headers([&value, &value])),
        OriginMatch::Refused(Refusal::Multiple)
    ));
    assert!(matches!(
        origins.check(&origin_headers([])),
        OriginMatch::Absent
    ));
}

#[test]
fn refusals_are_explained_as_before() {
    let exact = list(&["https://app.example.com"]);
    let with_pattern = list(&["https://app.example.com", "https://*.preview.example.com"]);
    for (origin, want) in [
        (&b"https://evil.example.com"[..], Refusal::NotListed),
        (b"null", Refusal::Null),
        (b"https://caf\xc3\xa9.example.com", Refusal::NotText),
        (b"", Refusal::NotListed),
    ] {
        let value = HeaderValue::from_bytes(origin).unwrap();
        for origins in [&exact, &with_pattern] {
            let OriginMatch::Refused(refusal) = origins.check(&origin_headers([&value])) else {
                panic!("{origin:?} allowed");
            };
            assert_eq!(refusal.explained(Some(&value)), want, "{origin:?}");
        }
    }
}

#[test]
fn any_answers_star_with_or_without_an_origin() {
    assert!(matches!(
        AllowedOrigins::Any.check(&origin_headers([&HeaderValue::from_static("https://x.example")])),
        OriginMatch::Allowed(v) if v == "*"
    ));
    assert!(matches!(
        AllowedOrigins::Any.check(&origin_headers([])),
        OriginMatch::Allowed(v) if v == "*"
    ));
}

#[test]
fn closest_names_the_entry_a_user_meant() {
    let AllowedOrigins::List(origins) = list(&["https://app.example.com"]) else {
        unreachable!()
    };
    for near in [
        "http://app.example.com",
        "https://app.example.com:8443",
        "https://APP.example.com",
        "https://app.example.com/",
    ] {
        assert_eq!(
            origins.closest(near),
            Some("https://app.example.com"),
            "{near}"
        );
    }
    assert_eq!(origins.closest("https://evil.example.com"), None);
}

/// Asserts `allowed` are allowed and `refused` refused by a list of `entries`.
fn check_list(entries: &[&str], allowed_origins: &[&str], refused: &[&str]) {
    let origins = list(entries);
    for origin in allowed_origins {
        assert!(allowed(&origins, origin), "{origin} refused by {entries:?}");
    }
    for origin in refused {
        assert!(
            !HeaderValue::from_str(origin).is_ok_and(|value| matches!(
                origins.check(&origin_headers([&value])),
                OriginMatch::Allowed(_)
            )),
            "{origin} allowed by {entries:?}"
        );
    }
}

#[test]
fn port_wildcard_matches_every_port_of_that_host_only() {
    check_list(
        &[
            "http://localhost:*",
            "http://127.0.0.1:*",
            "http://[::1]:*",
            "https://app.example.com:*",
        ],
        &[
            // No port: the scheme's default, which browsers leave out.
            "http://localhost",
            "http://localhost:3000",
            "http://localhost:5173",
            "http://localhost:1",
            "http://localhost:0",
            "http://localhost:443",
            "http://localhost:65535",
            "http://127.0.0.1",
            "http://127.0.0.1:8080",
            "http://[::1]",
            "http://[::1]:3000",
            "https://app.example.com",
            "https://app.example.com:8443",
            "https://app.example.com:80",
        ],
        &[
            "https://localhost:3000",
            "http://app.example.com:8443",
            // Port confusion.
            "http://localhost:3000.evil.com",
            "http://localhost:03000",
            "http://localhost:00",
            "http://localhost:80",
            "https://app.example.com:443",
            "http://localhost:65536",
            "http://localhost:99999",
            "http://localhost:100000",
            "http://localhost:",
            "http://localhost::3000",
            "http://localhost:3000:3000",
            "http://localhost:+3000",
            "http://localhost:-1",
            "http://localhost: 3000",
            "http://localhost:3%30",
            "http://localhost%3a3000",
            "http://localhost:3000/",
            "http://localhost:3000/app",
            "http://localhost:3000?",
            "http://localhost:3000#",
            "http://localhost:3000@evil.com",
            "http://user@localhost:3000",
            // Host confusion.
            "http://localhost.evil.com:3000",
            "http://evil.localhost:3000",
            "http://evillocalhost:3000",
            "http://LOCALHOST:3000",
            "http://localhost.:3000",
            "http://127.1:3000",
            "http://127.0.1:3000",
            "http://2130706433:3000",
            "http://0x7f.0.0.1:3000",
            "http://0177.0.0.1:3000",
            "http://127.0.0.1.:3000",
            "http://127.0.0.2:3000",
            "http://[0:0:0:0:0:0:0:1]:3000",
            "http://[::0:1]:3000",
            "http://[::1]:03000",
            "http://[::1]:",
            "http://[::1]x:3000",
            "http://[::1]]:3000",
            "http://[::ffff:127.0.0.1]:3000",
            "http://app.example.com",
            "null",
            "",
        ],
    );
}

#[test]
fn deep_wildcard_matches_one_or_more_labels_under_the_same_public_suffix() {
    let label63 = "a".repeat(63);
    let label64 = "a".repeat(64);
    check_list(
        &[
            "https://**.example.com",
            "http://**.localhost:*",
            "https://**.amazonaws.com",
            "https://**.example.co.uk:8443",
        ],
        &[
            "https://a.example.com",
            "https://a.b.example.com",
            "https://a.b.c.d.e.example.com",
            "https://1.example.com",
            "https://a-b.example.com",
            "https://a--b.example.com",
            "https://xn--bcher-kva.example.com",
            &format!("https://{label63}.example.com"),
            &format!("https://{label63}.{label63}.example.com"),
            "http://a.localhost",
            "http://a.b.localhost:3000",
            "https://www.amazonaws.com",
            "https://a.example.co.uk:8443",
            "https://a.b.example.co.uk:8443",
        ],
        &[
            // Never the base itself.
            "https://example.com",
            "http://localhost:3000",
            "https://amazonaws.com",
            // Other schemes and ports.
            "http://a.example.com",
            "https://a.localhost",
            "https://a.example.com:8443",
            "https://a.example.com:443",
            "https://a.example.co.uk",
            "https://a.example.co.uk:443",
            // Suffix and prefix tricks.
            "https://evil-example.com",
            "https://evilexample.com",
            "https://example.com.evil.com",
            "https://a.example.com.evil.com",
            "https://a.example.comm",
            "https://a.example.co",
            "https://a.xexample.com",
            // Not as browsers send it.
            "https://a.example.com.",
            "https://a.example.com/",
            "https://a.example.com/x",
            "https://a.example.com:",
            "https://A.example.com",
            "https://a.B.example.com",
            "https://a.Example.com",
            "https://a..example.com",
            "https://.example.com",
            "https://..example.com",
            "https://-a.example.com",
            "https://a-.example.com",
            "https://a.-b.example.com",
            "https://a_b.example.com",
            "https://a b.example.com",
            &format!("https://{label64}.example.com"),
            "https://a%2eexample.com",
            "https://a.example%2ecom",
            "https://%61.example.com",
            "https://a.example.com@evil.com",
            "https://evil.com@a.example.com",
            "https://evil.com#.example.com",
            "https://evil.com/.example.com",
            "https://evil.com?.example.com",
            "https://a.example.com\\@evil.com",
            // Below a public suffix under the base: anyone can create an S3 bucket.
            "https://bucket.s3.amazonaws.com",
            "https://a.bucket.s3.amazonaws.com",
            "https://x.execute-api.eu-west-1.amazonaws.com",
            "https://evil.eu-west-1.compute.amazonaws.com",
        ],
    );
}

#[test]
fn one_label_patterns_keep_their_meaning_with_any_port() {
    check_list(
        &["https://*.example.com:*", "http://*.localhost"],
        &[
            "https://a.example.com",
            "https://a.example.com:8443",
            "http://a.localhost",
        ],
        &[
            "https://example.com",
            "https://a.b.example.com",
            "https://a.b.example.com:8443",
            "https://a.example.com:443",
            "https://a.example.com:08443",
            "http://a.b.localhost",
            "http://a.localhost:3000",
            "http://localhost",
        ],
    );
}

#[test]
fn one_label_stops_at_a_public_suffix_too() {
    // `s3.amazonaws.com` is a public suffix (path-style buckets serve anyone's pages from
    // it): a one-label match must have the base's suffix as well.
    check_list(
        &["https://*.amazonaws.com"],
        &["https://www.amazonaws.com", "https://console.amazonaws.com"],
        &[
            "https://s3.amazonaws.com",
            "https://bucket.s3.amazonaws.com",
            "https://amazonaws.com",
        ],
    );
}

#[test]
fn one_base_can_have_both_depths_and_several_ports() {
    check_list(
        &[
            "https://*.example.com",
            "https://*.example.com:8443",
            "https://*.example.com:9443",
            "https://**.example.com:7443",
            "https://**.a.example.com",
        ],
        &[
            "https://a.example.com",
            "https://b.example.com:8443",
            "https://c.example.com:9443",
            "https://a.b.example.com:7443",
            "https://a.example.com:7443",
            "https://b.a.example.com",
            "https://c.b.a.example.com",
        ],
        &[
            "https://a.b.example.com",
            "https://a.example.com:10443",
            "https://b.c.example.com:8443",
            "https://a.example.com:443",
        ],
    );
}

#[test]
fn a_deep_match_is_tried_at_every_listed_depth() {
    // `**.amazonaws.com` matches first and is refused for its public suffix; the deeper base
    // (not a public suffix itself: its own suffix is `s3.amazonaws.com`) then allows it.
    check_list(
        &[
            "https://**.amazonaws.com",
            "https://**.my-bucket.s3.amazonaws.com",
        ],
        &[
            "https://a.my-bucket.s3.amazonaws.com",
            "https://b.a.my-bucket.s3.amazonaws.com",
            "https://www.amazonaws.com",
        ],
        &[
            "https://other-bucket.s3.amazonaws.com",
            "https://my-bucket.s3.amazonaws.com",
            "https://a.other.s3.amazonaws.com",
        ],
    );
    // Many bases of many depths: each request still looks up only the tails of the listed
    // depths.
    let mut entries: Vec<String> = (0..300)
        .map(|i| {
            let labels = ["a"].repeat(i % 5).join(".");
            match labels.is_empty() {
                true => format!("https://**.site-{i}.example.com"),
                false => format!("https://**.{labels}.site-{i}.example.com"),
            }
        })
        .collect();
    entries.push("https://*.one.example.com".into());
    let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
    check_list(
        &entries,
        &[
            "https://x.site-0.example.com",
            "https://x.y.a.site-1.example.com",
            "https://x.a.a.a.a.site-299.example.com",
            "https://x.one.example.com",
        ],
        &[
            "https://site-0.example.com",
            "https://x.site-1.example.com",
            "https://x.a.site-2.example.com",
            "https://x.y.one.example.com",
        ],
    );
}

#[test]
fn matching_allocates_nothing() {
    let origins = list(&[
        "https://app.example.com",
        "https://*.preview.example.com",
        "https://**.example.org",
        "http://localhost:*",
    ]);
    for origin in [
        "https://app.example.com",
        "https://pr-1.preview.example.com",
        "https://a.b.example.org",
        "http://localhost:3000",
        "https://evil.example.net",
        "https://a.b.preview.example.com",
        "http://localhost:03000",
    ] {
        let value = HeaderValue::from_str(origin).unwrap();
        // The first clone of a header value shares its bytes (one allocation, once per
        // request value and once per process for a listed one): do it before counting, so
        // what is counted is the matching itself.
        let headers = origin_headers([&value]);
        drop(origins.check(&headers));
        let mut answer = None;
        let counted = allocation_counter::measure(|| {
            answer = Some(origins.check(&headers));
        });
        assert_eq!(counted.count_total, 0, "{origin}");
        drop(answer);
    }
}

#[test]
fn closest_names_the_pattern_a_user_meant() {
    let AllowedOrigins::List(origins) = list(&[
        "http://localhost:*",
        "https://*.example.com",
        "https://**.example.org",
        "https://**.amazonaws.com",
    ]) else {
        unreachable!()
    };
    for (near, want) in [
        ("https://localhost:3000", "http://localhost:*"),
        ("http://LOCALHOST:3000", "http://localhost:*"),
        ("http://localhost:3000/", "http://localhost:*"),
        ("http://a.example.com", "https://*.example.com"),
        ("https://A.example.com", "https://*.example.com"),
        ("https://a.example.com:443", "https://*.example.com"),
        ("http://a.b.example.org:8080", "https://**.example.org"),
    ] {
        assert_eq!(origins.closest(near), Some(want), "{near}");
    }
    for far in [
        "https://a.b.example.com",
        "https://a_b.example.com",
        "https://example.org",
        "https://bucket.s3.amazonaws.com",
        "http://localhost.evil.com:3000",
    ] {
        assert_eq!(origins.closest(far), None, "{far}");
    }
}

/// The matcher against a reference written plainly, on generated lists and origins.
mod reference {
    use proptest::prelude::*;
    use proptest::sample::{Index, select, subsequence};
    use url::Url;

    use super::*;

    /// Every entry form, valid: lists are drawn from these.
    const ENTRIES: &[&str] = &[
        "https://app.example.com",
        "http://localhost:3000",
        "https://*.example.com",
        "https://*.example.com:8443",
        "https://**.example.com",
        "https://**.example.com:*",
        "https://**.a.example.org:*",
        "https://app.example.org:*",
        "http://localhost:*",
        "http://127.0.0.1:*",
        "http://[::1]:*",
        "http://*.localhost",
        "http://**.localhost:*",
        "https://**.amazonaws.com",
        "https://*.amazonaws.com",
        "https://**.bucket.s3.amazonaws.com",
        "https://*.example.co.uk",
        "https://**.xn--bcher-kva.example",
    ];

    /// Whether `origin` is allowed by `entries`, worked out from the WHATWG URL parser (the
    /// origin must be what it serializes, so canonical) and the Public Suffix List, entry
    /// by entry.
    fn reference(entries: &[&str], origin: &str) -> bool {
        let Ok(url) = Url::parse(origin) else {
            return false;
        };
        if url.origin().ascii_serialization() != origin {
            return false;
        }
        let host = url.host_str().unwrap_or_default();
        let dns_labels = |labels: &str| {
            labels.split('.').all(|label| {
                (1..=63).contains(&label.len())
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            })
        };
        entries.iter().any(|entry| {
            if *entry == origin {
                return true;
            }
            let (scheme, rest) = entry.split_once("://").unwrap();
            let (host_part, port_part) = match rest.rsplit_once(':') {
                Some((host, port)) if !port.contains(']') => (host, Some(port)),
                _ => (rest, None),
            };
            let port_matches = match port_part {
                Some("*") => true,
                Some(port) => url.port() == port.parse().ok(),
                None => url.port().is_none(),
            };
            let before = |base: &str| {
                host.strip_suffix(base)
                    .and_then(|labels| labels.strip_suffix('.'))
                    .filter(|labels| dns_labels(labels))
            };
            let host_matches = if let Some(base) = host_part.strip_prefix("**.") {
                before(base).is_some() && psl::suffix_str(host) == psl::suffix_str(base)
            } else if let Some(base) = host_part.strip_prefix("*.") {
                before(base).is_some_and(|label| !label.contains('.'))
                    && psl::suffix_str(host) == psl::suffix_str(base)
            } else {
                host == host_part
            };
            scheme == url.scheme() && port_matches && host_matches
        })
    }

    /// Labels, as browsers send them and not.
    fn label() -> impl Strategy<Value = String> {
        prop_oneof![
            // Random DNS-ish labels (not `xn--`: the matcher does not decode punycode,
            // which browsers only send valid; the WHATWG parser refuses the rest).
            4 => "[a-z0-9][a-z0-9-]{0,5}".prop_filter("no punycode", |l| !l.starts_with("xn--")),
            3 => select(vec![
                "a", "b", "app", "www", "s3", "bucket", "example", "com", "org", "localhost",
                "amazonaws", "execute-api", "eu-west-1", "compute", "co", "uk", "xn--bcher-kva",
            ])
            .prop_map(str::to_owned),
            1 => select(vec!["A", "Www", "a_b", "-a", "a-", "", "a%2e", "1", "0x7f"])
                .prop_map(str::to_owned),
        ]
    }

    fn port(https: bool) -> impl Strategy<Value = String> {
        let default = if https { "443" } else { "80" };
        prop_oneof![
            3 => Just(String::new()),
            3 => (0u32..=65535).prop_map(|p| format!(":{p}")),
            1 => select(vec![":8443", ":3000", ":03000", ":", ":65536", ":99999", ":*"])
                .prop_map(str::to_owned),
            1 => Just(format!(":{default}")),
        ]
    }

    /// An origin made from one of `entries`, its wildcards filled in.
    fn from_entry(entries: Vec<&'static str>) -> impl Strategy<Value = String> {
        (
            select(entries),
            prop::collection::vec(label(), 1..4),
            select(vec!["https", "http"]),
            any::<bool>(),
        )
            .prop_flat_map(|(entry, labels, other_scheme, switch_scheme)| {
                let (scheme, rest) = entry.split_once("://").unwrap();
                let scheme = if switch_scheme { other_scheme } else { scheme };
                let (host_part, listed_port) = match rest.rsplit_once(':') {
                    Some((host, port)) if !port.contains(']') => (host, Some(port)),
                    _ => (rest, None),
                };
                let host = if let Some(base) = host_part.strip_prefix("**.") {
                    format!("{}.{base}", labels.join("."))
                } else if let Some(base) = host_part.strip_prefix("*.") {
                    format!("{}.{base}", labels[0])
                } else {
                    host_part.to_owned()
                };
                let scheme = scheme.to_owned();
                let listed = listed_port.filter(|p| *p != "*").map(|p| format!(":{p}"));
                let port = match listed {
                    Some(port) => prop_oneof![3 => Just(port), 1 => port_of(&scheme)].boxed(),
                    None => port_of(&scheme).boxed(),
                };
                port.prop_map(move |port| format!("{scheme}://{host}{port}"))
            })
    }

    fn port_of(scheme: &str) -> BoxedStrategy<String> {
        port(scheme == "https").boxed()
    }

    /// A way to spoil an origin, or none.
    fn spoil(origin: String, how: usize, at: Index) -> String {
        let (scheme, rest) = origin.split_once("://").unwrap();
        match how {
            0 => {
                let i = at.index(origin.len());
                let mut spoiled = origin.clone();
                if spoiled.is_char_boundary(i) && spoiled.is_char_boundary(i + 1) {
                    spoiled[i..=i].make_ascii_uppercase();
                }
                spoiled
            }
            1 => format!("{origin}/"),
            2 => format!("{origin}."),
            3 => format!("{scheme}://evil-{rest}"),
            4 => format!("{scheme}://{rest}.evil.com"),
            5 => format!("{scheme}://a@{rest}"),
            6 => format!("{origin}@evil.com"),
            7 => origin.replacen('.', "..", 1),
            8 => origin.replacen('.', "%2e", 1),
            9 => format!("{scheme}://{}", rest.replacen('.', ".-", 1)),
            _ => origin,
        }
    }

    fn origin(entries: Vec<&'static str>) -> impl Strategy<Value = String> {
        prop_oneof![
            6 => (from_entry(entries), 0..16usize, any::<Index>())
                .prop_map(|(origin, how, at)| spoil(origin, how, at)),
            1 => "(https?://)?[a-z0-9.:\\[\\]@*-]{0,24}",
        ]
    }

    /// A list drawn from [`ENTRIES`], and origins made mostly from its own entries.
    fn list_and_origins() -> impl Strategy<Value = (Vec<&'static str>, Vec<String>)> {
        subsequence(ENTRIES, 1..=ENTRIES.len()).prop_flat_map(|entries| {
            let origins = prop::collection::vec(origin(entries.clone()), 1..8);
            (Just(entries), origins)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn the_matcher_agrees_with_the_reference((entries, origins) in list_and_origins()) {
            let matcher = list(&entries);
            for origin in &origins {
                let Ok(value) = HeaderValue::from_str(origin) else { continue };
                let got = match matcher.check(&origin_headers([&value])) {
                    OriginMatch::Allowed(answer) => {
                        prop_assert_eq!(&answer, origin.as_str());
                        true
                    }
                    _ => false,
                };
                prop_assert_eq!(got, reference(&entries, origin), "{} with {:?}", origin, entries);
            }
        }
    }
}
