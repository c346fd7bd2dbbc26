//! The Fetch-standard oracle (`cors_tests::fetch`) against the standard's own examples and
//! notes, each test naming the section it comes from
//! (<https://fetch.spec.whatwg.org/>, read at commit 586cd2a of whatwg/fetch).

use cors_tests::fetch::{
    Blocked, CorsCheckFailure, CorsRequest, Credentials, Fetch, HttpResponse, Outcome, cors_check,
    cors_unsafe_request_header_names, is_cors_safelisted_request_header, normalize_method,
    preflight_check,
};

const FOO: &str = "https://foo.invalid";

fn response(headers: &[(&str, &str)]) -> HttpResponse {
    headers
        .iter()
        .fold(HttpResponse::new(200), |r, (n, v)| r.header(*n, *v))
}

/// "CORS protocol and credentials": the table of legal and illegal combinations for a request
/// from `https://rabbit.invalid`.
#[test]
fn the_credentials_table() {
    const RABBIT: &str = "https://rabbit.invalid";
    let rows: [(Credentials, &str, Option<&str>, bool); 7] = [
        (Credentials::Omit, "*", None, true),
        // Without "include", `Access-Control-Allow-Credentials` is ignored.
        (Credentials::Omit, "*", Some("true"), true),
        // A serialized origin has no trailing slash.
        (Credentials::Omit, "https://rabbit.invalid/", None, false),
        (Credentials::Omit, "https://rabbit.invalid", None, true),
        // With "include", `Access-Control-Allow-Origin` cannot be `*`.
        (Credentials::Include, "*", Some("true"), false),
        (
            Credentials::Include,
            "https://rabbit.invalid",
            Some("true"),
            true,
        ),
        // `true` is (byte) case-sensitive.
        (
            Credentials::Include,
            "https://rabbit.invalid",
            Some("True"),
            false,
        ),
    ];
    for (credentials, allow_origin, allow_credentials, shared) in rows {
        let request = CorsRequest::new(RABBIT, "GET").credentials(credentials);
        let mut answer = response(&[("Access-Control-Allow-Origin", allow_origin)]);
        if let Some(value) = allow_credentials {
            answer = answer.header("Access-Control-Allow-Credentials", value);
        }
        let outcome = Fetch::new(&request).run(|_| answer.clone());
        assert_eq!(
            outcome.is_readable(),
            shared,
            "{credentials:?} {allow_origin} {allow_credentials:?}: {outcome}"
        );
    }
}

/// "Examples" (example-simple-cors): `fetch(url)` from `https://foo.invalid` succeeds if
/// `Access-Control-Allow-Origin` is `https://foo.invalid` or `*`, fails for any other value or
/// none.
#[test]
fn a_simple_cross_origin_fetch() {
    let request = CorsRequest::new(FOO, "GET");
    assert!(!request.needs_preflight());
    // The request carries `Origin: https://foo.invalid`.
    let sent = request.actual();
    assert!(
        sent.headers
            .contains(&("Origin".to_owned(), FOO.to_owned()))
    );
    for (allow_origin, success) in [
        (Some("https://foo.invalid"), true),
        (Some("*"), true),
        (Some("https://bar.invalid"), false),
        (Some("null"), false),
        (Some("https://FOO.invalid"), false),
        (None, false),
    ] {
        let answer = match allow_origin {
            Some(value) => response(&[("Access-Control-Allow-Origin", value)]),
            None => HttpResponse::new(200),
        };
        assert_eq!(
            cors_check(&request, &answer).is_ok(),
            success,
            "{allow_origin:?}"
        );
    }
    // Null is not `null`: no header at all is its own failure.
    assert_eq!(
        cors_check(&request, &HttpResponse::new(200)),
        Err(CorsCheckFailure::NoAllowOrigin)
    );
    // Two lines are "got" combined (`a, b`), which is no origin.
    let twice = response(&[
        ("Access-Control-Allow-Origin", FOO),
        ("Access-Control-Allow-Origin", FOO),
    ]);
    assert_eq!(
        cors_check(&request, &twice),
        Err(CorsCheckFailure::OriginMismatch)
    );
}

/// "Examples" (example-cors-with-response-header): only the headers listed in
/// `Access-Control-Expose-Headers` (and the safelisted ones) can be read; `*` shares all of them
/// without credentials, and is a mere name with them.
#[test]
fn reading_response_headers() {
    let csp = ("Content-Security-Policy", "default-src 'self'");
    let hsts = (
        "Strict-Transport-Security",
        "max-age=31536000; includeSubdomains; preload",
    );
    let read = |credentials, expose: &str| {
        let request = CorsRequest::new(FOO, "GET").credentials(credentials);
        let answer = response(&[
            ("Access-Control-Allow-Origin", FOO),
            ("Access-Control-Allow-Credentials", "true"),
            ("Content-Type", "text/plain"),
            csp,
            hsts,
            ("Access-Control-Expose-Headers", expose),
        ]);
        let outcome = Fetch::new(&request).run(|_| answer.clone());
        (
            outcome.can_read("content-security-policy"),
            outcome.can_read("strict-transport-security"),
            outcome.can_read("content-type"),
        )
    };
    // hsts null, csp "default-src 'self'"; Content-Type is safelisted.
    assert_eq!(
        read(Credentials::SameOrigin, "Content-Security-Policy"),
        (true, false, true)
    );
    assert_eq!(read(Credentials::SameOrigin, "*"), (true, true, true));
    // With credentials the names must be listed: `*` is a header named `*`.
    assert_eq!(read(Credentials::Include, "*"), (false, false, true));
    assert_eq!(
        read(Credentials::Include, "content-security-policy, *"),
        (true, false, true)
    );
}

/// "CORS-safelisted response-header name" and "forbidden response-header name": `Set-Cookie`
/// is never readable, whatever `Access-Control-Expose-Headers` says.
#[test]
fn set_cookie_is_never_exposed() {
    let request = CorsRequest::new(FOO, "GET");
    for expose in ["Set-Cookie", "*", "set-cookie, *"] {
        let answer = response(&[
            ("Access-Control-Allow-Origin", "*"),
            ("Set-Cookie", "a=1"),
            ("X-A", "a"),
            ("Access-Control-Expose-Headers", expose),
        ]);
        let outcome = Fetch::new(&request).run(|_| answer.clone());
        assert!(!outcome.can_read("set-cookie"), "{expose}");
        assert_eq!(outcome.can_read("x-a"), expose.contains('*'), "{expose}");
    }
    // An unparsable list exposes nothing (and is no network error).
    let answer = response(&[
        ("Access-Control-Allow-Origin", "*"),
        ("X-A", "a"),
        ("Access-Control-Expose-Headers", "x-a, \"x-b\""),
    ]);
    let outcome = Fetch::new(&request).run(|_| answer.clone());
    assert!(outcome.is_readable() && !outcome.can_read("x-a"));
}

/// "Examples" (example-cors-with-credentials): with `credentials: "include"` the answer must
/// name the origin and carry `Access-Control-Allow-Credentials: true`.
#[test]
fn a_fetch_with_credentials() {
    let request = CorsRequest::new(FOO, "GET").credentials(Credentials::Include);
    let good = response(&[
        ("Access-Control-Allow-Origin", FOO),
        ("Access-Control-Allow-Credentials", "true"),
    ]);
    assert!(cors_check(&request, &good).is_ok());
    for bad in [
        response(&[("Access-Control-Allow-Origin", FOO)]),
        response(&[
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Allow-Credentials", "true"),
        ]),
        response(&[
            ("Access-Control-Allow-Origin", FOO),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Credentials", "true"),
        ]),
    ] {
        assert!(cors_check(&request, &bad).is_err(), "{bad:?}");
    }
}

/// "HTTP new-header syntax" (note) and "CORS protocol and credentials": `*` in
/// `Access-Control-Allow-Methods` and `-Allow-Headers` is a wildcard only without credentials;
/// with them, it matches only a method or header literally named `*`.
#[test]
fn star_counts_only_without_credentials() {
    let answer = |credentials: bool| {
        let mut r = response(&[
            ("Access-Control-Allow-Origin", FOO),
            ("Access-Control-Allow-Methods", "*"),
            ("Access-Control-Allow-Headers", "*"),
        ]);
        if credentials {
            r = r.header("Access-Control-Allow-Credentials", "true");
        }
        r
    };
    let put = CorsRequest::new(FOO, "PUT").header("X-Custom", "1");
    assert_eq!(preflight_check(&put, &answer(false)), Ok(()));
    let put = put.credentials(Credentials::Include);
    assert_eq!(
        preflight_check(&put, &answer(true)),
        Err(Blocked::MethodNotAllowed("PUT".to_owned()))
    );
    // A header named `*`, sent with credentials, matches `*` literally.
    let literal = CorsRequest::new(FOO, "GET")
        .header("*", "1")
        .credentials(Credentials::Include);
    assert_eq!(preflight_check(&literal, &answer(true)), Ok(()));
    let custom = CorsRequest::new(FOO, "GET")
        .header("X-Custom", "1")
        .credentials(Credentials::Include);
    assert_eq!(
        preflight_check(&custom, &answer(true)),
        Err(Blocked::HeaderNotAllowed("x-custom".to_owned()))
    );
}

/// "CORS non-wildcard request-header name" and CORS-preflight fetch step 7.6: `Authorization`
/// is never covered by `*`; it must be listed, in any case, beside it or alone.
#[test]
fn authorization_is_never_covered_by_star() {
    let request = CorsRequest::new(FOO, "GET").header("Authorization", "Bearer t");
    assert_eq!(request.unsafe_header_names(), ["authorization"]);
    for (allow_headers, allowed) in [
        ("*", false),
        ("*, x-other", false),
        ("*, authorization", true),
        ("Authorization, *", true),
        ("AUTHORIZATION", true),
        ("authorization", true),
        ("x-api-key", false),
    ] {
        let answer = response(&[
            ("Access-Control-Allow-Origin", FOO),
            ("Access-Control-Allow-Headers", allow_headers),
        ]);
        let result = preflight_check(&request, &answer);
        assert_eq!(result.is_ok(), allowed, "{allow_headers}: {result:?}");
        if !allowed && allow_headers.contains('*') {
            assert_eq!(
                result,
                Err(Blocked::NonWildcardHeaderNotListed(
                    "authorization".to_owned()
                ))
            );
        }
    }
}

/// CORS-preflight fetch steps 1 to 5: `OPTIONS`, the method, and the unsafe names, sorted,
/// lowercase, joined by `,` without a space ("not the way this was implemented").
#[test]
fn the_preflight_request() {
    let request = CorsRequest::new(FOO, "PUT")
        .header("X-Zeta", "1")
        .header("Content-Type", "application/json")
        .header("X-Alpha", "1")
        .header("x-alpha", "2")
        .header("Accept", "text/html");
    assert!(request.needs_preflight());
    let sent = request.preflight();
    assert!(sent.is_preflight);
    assert_eq!(sent.method, "OPTIONS");
    let get = |name: &str| {
        sent.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("Origin"), Some(FOO));
    assert_eq!(get("Accept"), Some("*/*"));
    assert_eq!(get("Access-Control-Request-Method"), Some("PUT"));
    assert_eq!(
        get("Access-Control-Request-Headers"),
        Some("content-type,x-alpha,x-zeta")
    );
    // A safelisted method with safelisted headers needs none.
    let simple = CorsRequest::new(FOO, "POST").header("Content-Type", "text/plain;charset=UTF-8");
    assert!(!simple.needs_preflight());
    // Without unsafe headers, no `Access-Control-Request-Headers`.
    assert_eq!(
        get_names(&CorsRequest::new(FOO, "DELETE")),
        ["Origin", "Accept", "Access-Control-Request-Method"]
    );
}

fn get_names(request: &CorsRequest) -> Vec<String> {
    request
        .preflight()
        .headers
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

/// CORS-preflight fetch steps 7 and 8: a preflight answer needs an ok status and a passing
/// CORS check (for the request's credentials mode).
#[test]
fn the_preflight_needs_an_ok_status_and_the_cors_check() {
    let request = CorsRequest::new(FOO, "PUT");
    let allowing = |status: u16| {
        HttpResponse::new(status)
            .header("Access-Control-Allow-Origin", FOO)
            .header("Access-Control-Allow-Methods", "PUT")
    };
    for status in [200, 204, 299] {
        assert_eq!(preflight_check(&request, &allowing(status)), Ok(()));
    }
    for status in [199, 300, 404, 500] {
        assert_eq!(
            preflight_check(&request, &allowing(status)),
            Err(Blocked::PreflightStatus(status))
        );
    }
    let with_credentials = request.clone().credentials(Credentials::Include);
    assert_eq!(
        preflight_check(&with_credentials, &allowing(204)),
        Err(Blocked::PreflightCorsCheck(
            CorsCheckFailure::CredentialsNotAllowed
        ))
    );
    // A failed preflight stops the fetch: the request itself is never sent.
    let mut sent = Vec::new();
    let outcome = Fetch::new(&request).run(|s| {
        sent.push(s.method.clone());
        allowing(404)
    });
    assert_eq!(sent, ["OPTIONS"]);
    assert_eq!(outcome, Outcome::Blocked(Blocked::PreflightStatus(404)));
}

/// CORS-preflight fetch step 7.3 ("extract header list values"): a list that does not parse
/// is a network error; empty list elements are allowed (RFC 9110, section 5.6.1).
#[test]
fn unparsable_allow_lists_are_network_errors() {
    let request = CorsRequest::new(FOO, "PUT").header("X-A", "1");
    let answer = |methods: &str, headers: &str| {
        response(&[
            ("Access-Control-Allow-Origin", FOO),
            ("Access-Control-Allow-Methods", methods),
            ("Access-Control-Allow-Headers", headers),
        ])
    };
    assert_eq!(preflight_check(&request, &answer("PUT", "x-a")), Ok(()));
    assert_eq!(
        preflight_check(&request, &answer(" , PUT,, ", ", x-a ,")),
        Ok(())
    );
    assert_eq!(
        preflight_check(&request, &answer("PUT DELETE", "x-a")),
        Err(Blocked::AllowMethodsUnparsable)
    );
    assert_eq!(
        preflight_check(&request, &answer("PUT", "x-a; x-b")),
        Err(Blocked::AllowHeadersUnparsable)
    );
    // Several lines are one list.
    let lines = response(&[
        ("Access-Control-Allow-Origin", FOO),
        ("Access-Control-Allow-Methods", "GET"),
        ("Access-Control-Allow-Methods", "PUT"),
        ("Access-Control-Allow-Headers", "x-a"),
    ]);
    assert_eq!(preflight_check(&request, &lines), Ok(()));
}

/// "Methods": safelisted methods never need listing; others match byte for byte, after
/// "normalize" (which uppercases only the six old methods: example-normalization, `patch`).
#[test]
fn methods_match_byte_for_byte_after_normalization() {
    assert_eq!(normalize_method("put"), "PUT");
    assert_eq!(normalize_method("delete"), "DELETE");
    assert_eq!(normalize_method("patch"), "patch");
    assert_eq!(normalize_method("Egg"), "Egg");
    let allows = |method: &str, allow_methods: &str| {
        let request = CorsRequest::new(FOO, method);
        let answer = response(&[
            ("Access-Control-Allow-Origin", FOO),
            ("Access-Control-Allow-Methods", allow_methods),
        ]);
        Fetch::new(&request).run(|_| answer.clone()).is_readable()
    };
    assert!(allows("put", "PUT"));
    assert!(!allows("patch", "PATCH"));
    assert!(allows("PATCH", "PATCH"));
    assert!(!allows("Egg", "EGG"));
    assert!(allows("eGg", "Egg, eGg"));
    // GET, HEAD and POST pass whatever the list says (the preflight, when headers make one,
    // still has to allow those headers).
    let request = CorsRequest::new(FOO, "POST").header("X-A", "1");
    let answer = response(&[
        ("Access-Control-Allow-Origin", FOO),
        ("Access-Control-Allow-Methods", "PUT"),
        ("Access-Control-Allow-Headers", "x-a"),
    ]);
    assert_eq!(preflight_check(&request, &answer), Ok(()));
}

/// "CORS-safelisted request-header", with the `Content-Type` example
/// (example-cors-safelisted-request-header-content-type): a JSON content type beside a plain
/// text one still makes the request preflighted.
#[test]
fn safelisted_request_headers() {
    let json_and_text = CorsRequest::new("https://attacker.invalid", "POST")
        .header("Content-Type", "application/json")
        .header("Content-Type", "text/plain")
        .credentials(Credentials::Include);
    assert!(json_and_text.needs_preflight());
    assert_eq!(json_and_text.unsafe_header_names(), ["content-type"]);

    let safe = |name: &str, value: &str| is_cors_safelisted_request_header(name, value.as_bytes());
    assert!(safe("Content-Type", "text/plain"));
    assert!(safe("content-type", " TEXT/Plain ; charset=utf-8"));
    assert!(safe("Content-Type", "multipart/form-data; boundary=x"));
    assert!(safe("Content-Type", "application/x-www-form-urlencoded"));
    assert!(!safe("Content-Type", "application/json"));
    assert!(
        !safe("Content-Type", "text/plain; a=\"b\""),
        "a `\"` is a CORS-unsafe byte"
    );
    assert!(!safe("Content-Type", "text/"));
    assert!(!safe("Content-Type", "text plain"));
    assert!(safe("Accept", "application/json"));
    assert!(!safe("Accept", "a(b)"));
    assert!(safe("Accept-Language", "en-US,en;q=0.9"));
    assert!(!safe("Content-Language", "en_US"));
    // Range: a single range with a start; suffix ranges are not safelisted.
    assert!(safe("Range", "bytes=0-"));
    assert!(safe("Range", "bytes=5-9"));
    assert!(!safe("Range", "bytes=-500"));
    assert!(!safe("Range", "bytes=9-5"));
    assert!(!safe("Range", "bytes=0-1,3-4"));
    assert!(!safe("Range", "bytes = 0-1"));
    assert!(!safe("X-Custom", "1"));
    // Values over 128 bytes are never safelisted.
    assert!(!safe("Accept", &"a".repeat(129)));
    assert!(safe("Accept", &"a".repeat(128)));
}

/// "CORS-unsafe request-header names": more than 1,024 bytes of safelisted values make them all
/// unsafe; names come back lowercase, sorted, once each.
#[test]
fn cors_unsafe_request_header_names_add_up_safelisted_values() {
    let headers = |count: usize| -> Vec<(String, String)> {
        (0..count)
            .map(|_| ("Accept".to_owned(), "a".repeat(128)))
            .chain([
                ("X-B".to_owned(), "1".to_owned()),
                ("x-a".to_owned(), "1".to_owned()),
            ])
            .collect()
    };
    assert_eq!(
        cors_unsafe_request_header_names(&headers(8)),
        ["x-a", "x-b"]
    );
    assert_eq!(
        cors_unsafe_request_header_names(&headers(9)),
        ["accept", "x-a", "x-b"]
    );
}
