//! The checks of the `decide` fuzz target (`fuzz_targets/decide.rs`), in a file of their own so
//! that the tests of the workspace run them too, over every input of the seed corpus
//! (`corpus/decide/`, see `tests/tests/behaviour/fuzz_seeds.rs`).
//!
//! [`check`] takes the per-request decision: arbitrary bytes become a policy (origin entries, an
//! environment value of any bytes, credentials, method and header lists) and a request (method,
//! `Origin` values of any header bytes, preflight headers, other headers) plus the handler's own
//! response headers, run exactly as `#[cors]` expands to (`Policy::build`, `before_with`,
//! `After::finish`). The same invariants as `tests/tests/behaviour/properties.rs` are asserted:
//!
//! - `Access-Control-Allow-Origin` is the request's single `Origin` value, byte for byte, and
//!   only when the configuration names it (an entry, one DNS label under a `*.` entry, one or
//!   more under `**.`, any port or none under `:*`), or
//!   `*` under an any-origin policy without credentials; never `null`;
//! - `Access-Control-Allow-Credentials` is only `true`, only with credentials, never beside `*`;
//! - at most one value of each CORS header; no CORS header without allow-origin;
//! - `Vary` is one line naming `Origin` whenever the answer depends on the origin;
//! - exactly the preflights are answered without the handler.
//!
//! The attribute's literals and lists come from fixed tables (a `Spec` holds `&'static` data,
//! and leaking per input would grow without bound); the origin entries that vary without limit
//! come through the environment value, which is any bytes.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

/// The workspace tests' reference answers (`cors_tests::reference`, written independently of
/// the library), the same file.
#[path = "../../../tests/src/reference.rs"]
mod reference;

use arbitrary::Arbitrary;
use cors_runtime::__for_tests::{Before, Policy, Spec, attribute_source, before as before_with};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderName, HeaderValue, Method, Request, Response};

const LITERALS: &[&[&str]] = &[
    &[],
    &["https://app.example.com"],
    &[
        "https://app.example.com",
        "https://*.preview.example.com",
        "http://localhost:3000",
    ],
    &["*"],
    &["*", "https://app.example.com"],
    &[
        "null",
        "https://App.example.com/",
        "http://plain.example.com",
    ],
    &["https://*.example.com", "http://*.dev.example.com:8080"],
    &[
        "https://xn--bcher-kva.example",
        "http://[::1]:8080",
        "http://127.0.0.1",
    ],
    &["https://app .example.com", " https://app.example.com "],
    &[
        "https://*.com",
        "https://*.co.uk",
        "https://*.*.example.com",
        "https://a*.example.com",
    ],
    &[
        "https://**.example.com",
        "http://localhost:*",
        "http://127.0.0.1:*",
        "https://**.amazonaws.com:*",
    ],
];
const METHODS: &[Option<&[&str]>] = &[
    None,
    Some(&["GET", "PUT", "DELETE"]),
    Some(&["*"]),
    Some(&["get", "PUT"]),
    Some(&[]),
];
const HEADERS: &[Option<&[&str]>] = &[
    None,
    Some(&["content-type", "x-request-id"]),
    Some(&["*"]),
    Some(&["Authorization", "*"]),
    Some(&["bad header"]),
];
const EXPOSE: &[&[&str]] = &[&[], &["x-request-id"], &["*"], &["x-a", "x-b"]];
const HANDLER_HEADERS: &[&str] = &[
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "vary",
    "x-other",
];
const METHOD_NAMES: &[&str] = &["OPTIONS", "GET", "POST", "PUT", "DELETE"];

/// Where the origin entries of the environment come from.
#[derive(Arbitrary, Debug)]
pub enum Env<'a> {
    NoVariable,
    Unset,
    Value(&'a [u8]),
    /// Entries joined with a separator, to reach the parser more often than raw bytes do.
    Entries(Vec<&'a str>, u8),
}

/// One input: a configuration, a request, and the handler's own response headers.
#[derive(Arbitrary, Debug)]
pub struct Input<'a> {
    pub literals: u8,
    pub env: Env<'a>,
    pub credentials: bool,
    pub allow_insecure_http: bool,
    pub methods: u8,
    pub headers: u8,
    pub expose_headers: u8,
    pub max_age: Option<u64>,
    pub preflight: bool,
    pub method: Result<u8, &'a [u8]>,
    pub origins: Vec<Result<u8, &'a [u8]>>,
    pub request_method: Option<&'a [u8]>,
    pub request_headers: Option<&'a [u8]>,
    pub other_headers: Vec<(&'a [u8], &'a [u8])>,
    pub handler_headers: Vec<(u8, &'a [u8])>,
}

fn pick<T: Copy>(table: &[T], index: u8) -> T {
    table[usize::from(index) % table.len()]
}

/// Runs `input` through the decision and asserts the invariants above; panics on a violation.
pub fn check(input: Input<'_>) {
    let literals = pick(LITERALS, input.literals);
    let joined;
    let env_bytes: Option<Option<&[u8]>> = match &input.env {
        Env::NoVariable => None,
        Env::Unset => Some(None),
        Env::Value(bytes) => Some(Some(bytes)),
        Env::Entries(entries, separator) => {
            let separator = pick(&[" ", ",", ", ", "\n", "\t,"], *separator);
            joined = entries.join(separator);
            Some(Some(joined.as_bytes()))
        }
    };
    let spec = Spec {
        source: attribute_source("decide", file!(), line!()),
        origins_fn: None,
        origins: literals,
        origins_env: env_bytes.map(|_| "ALLOWED_ORIGINS"),
        credentials: input.credentials,
        allow_insecure_http: input.allow_insecure_http,
        methods: pick(METHODS, input.methods),
        headers: pick(HEADERS, input.headers),
        expose_headers: pick(EXPOSE, input.expose_headers),
        max_age: input.max_age,
        preflight: input.preflight,
    };
    let policy = Arc::new(Policy::build(
        &spec,
        env_bytes.map(|v| v.map(OsStr::from_bytes)),
    ));
    let _ = policy.errors().to_string();

    // What the configuration names, and whether it is the any-origin policy.
    let env_text = env_bytes
        .flatten()
        .and_then(|b| std::str::from_utf8(b).ok());
    let mut entries: Vec<&str> = literals.to_vec();
    entries.extend(env_text.map(reference::entries).into_iter().flatten());
    let env_is_star = env_text.is_some_and(reference::is_star);
    let any_origin = !input.credentials && (literals.contains(&"*") || env_is_star);
    let names = |origin: &str| reference::names(entries.iter().copied(), origin);

    // The request.
    let method = match input.method {
        Ok(index) => Method::from_bytes(pick(METHOD_NAMES, index).as_bytes()).ok(),
        Err(bytes) => Method::from_bytes(bytes).ok(),
    }
    .unwrap_or(Method::GET);
    let mut request = Request::new(());
    *request.method_mut() = method.clone();
    let headers = request.headers_mut();
    for (name, value) in &input.other_headers {
        let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value))
        else {
            continue;
        };
        if [
            ORIGIN,
            ACCESS_CONTROL_REQUEST_METHOD,
            ACCESS_CONTROL_REQUEST_HEADERS,
        ]
        .contains(&name)
        {
            continue;
        }
        headers.append(name, value);
    }
    let mut origins: Vec<Vec<u8>> = Vec::new();
    for origin in input.origins.iter().take(3) {
        let bytes: Vec<u8> = match origin {
            // Often an entry of the configuration, a `*` filled in with a label.
            Ok(index) if !entries.is_empty() => entries[usize::from(*index) % entries.len()]
                .replacen('*', "pr-1", 1)
                .into_bytes(),
            Ok(_) => b"https://app.example.com".to_vec(),
            Err(bytes) => bytes.to_vec(),
        };
        if let Ok(value) = HeaderValue::from_bytes(&bytes) {
            headers.append(ORIGIN, value);
            origins.push(bytes);
        }
    }
    let mut has_request_method = false;
    if let Some(Ok(value)) = input.request_method.map(HeaderValue::from_bytes) {
        headers.insert(ACCESS_CONTROL_REQUEST_METHOD, value);
        has_request_method = true;
    }
    if let Some(Ok(value)) = input.request_headers.map(HeaderValue::from_bytes) {
        headers.insert(ACCESS_CONTROL_REQUEST_HEADERS, value);
    }
    let mut handler_response = Response::new(());
    let mut handler_vary_lines = 0;
    for (name, value) in &input.handler_headers {
        let Ok(value) = HeaderValue::from_bytes(value) else {
            continue;
        };
        let name = pick(HANDLER_HEADERS, *name);
        handler_vary_lines += usize::from(name == "vary");
        handler_response
            .headers_mut()
            .append(HeaderName::from_static(name), value);
    }

    // The decision, as `#[cors]` expands to.
    let is_preflight =
        spec.preflight && method == Method::OPTIONS && !origins.is_empty() && has_request_method;
    let (response, ran) = match before_with::<(), ()>(&policy, &request) {
        Before::Respond(response) => (response, false),
        Before::Continue(after) => (after.finish(handler_response), true),
    };
    assert_eq!(ran, !is_preflight, "handler ran");
    let headers = response.headers();

    for name in [
        ACCESS_CONTROL_ALLOW_ORIGIN,
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        ACCESS_CONTROL_ALLOW_METHODS,
        ACCESS_CONTROL_ALLOW_HEADERS,
        ACCESS_CONTROL_MAX_AGE,
        ACCESS_CONTROL_EXPOSE_HEADERS,
    ] {
        assert!(headers.get_all(&name).iter().count() <= 1, "several {name}");
    }
    let acac = headers.get(ACCESS_CONTROL_ALLOW_CREDENTIALS);
    match headers.get(ACCESS_CONTROL_ALLOW_ORIGIN) {
        Some(acao) if acao == "*" => {
            assert!(any_origin, "`*` without an any-origin policy");
            assert!(acac.is_none(), "credentials beside `*`");
        }
        Some(acao) => {
            assert_eq!(origins.len(), 1, "allow-origin for several Origin values");
            assert_eq!(acao.as_bytes(), &origins[0][..], "not the request's Origin");
            let origin = std::str::from_utf8(acao.as_bytes()).expect("allowed origins are text");
            assert_ne!(origin, "null");
            assert!(names(origin), "{origin:?} is not listed");
        }
        None => assert!(
            !headers
                .keys()
                .any(|name| name.as_str().starts_with("access-control-")),
            "CORS headers without allow-origin: {headers:?}"
        ),
    }
    if let Some(acac) = acac {
        assert_eq!(acac, "true");
        assert!(input.credentials, "allow-credentials without credentials");
    }
    if ran {
        for name in [
            ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_HEADERS,
            ACCESS_CONTROL_MAX_AGE,
        ] {
            assert!(!headers.contains_key(&name), "{name} on an actual response");
        }
    } else {
        assert!(!headers.contains_key(ACCESS_CONTROL_EXPOSE_HEADERS));
    }
    let vary: Vec<&HeaderValue> = headers.get_all(VARY).iter().collect();
    if !any_origin {
        assert_eq!(vary.len(), 1, "Vary lines: {vary:?}");
        assert!(
            vary[0]
                .as_bytes()
                .split(|b| *b == b',')
                .map(<[u8]>::trim_ascii)
                .any(|name| name.eq_ignore_ascii_case(b"origin") || name == b"*"),
            "Vary {:?} does not name Origin",
            vary[0]
        );
    } else if !ran || handler_vary_lines <= 1 {
        assert!(vary.len() <= 1, "Vary lines: {vary:?}");
    }
}
