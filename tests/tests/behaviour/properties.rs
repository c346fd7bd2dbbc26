//! Properties of the per-request path under arbitrary configurations and requests.
//!
//! Each case builds a policy with `Policy::build` from an arbitrary `Spec` (origin entries
//! well-formed or not, arbitrary method and header lists, credentials or not) and an arbitrary
//! environment value (any bytes, as an `OsStr`), then runs an arbitrary request (method,
//! zero to three `Origin` values of any header bytes, preflight headers, other headers) through
//! `before_with` and `After::finish` over a handler response that sets CORS and `Vary` headers
//! of its own: exactly what `#[cors]` expands to. Whatever the input:
//!
//! - nothing panics;
//! - `Access-Control-Allow-Origin` is either the request's single `Origin` value, byte for
//!   byte, and only when that value is listed (an entry, or one DNS label under a `*.`
//!   entry), or `*` under an any-origin policy without credentials; never `null`;
//! - `Access-Control-Allow-Credentials` is only ever `true`, only with credentials, and never
//!   beside `*`;
//! - every CORS header has at most one value, and nothing but `Vary` reaches a refused origin;
//! - `Vary` is one line, naming `Origin` whenever the answer depends on it;
//! - exactly the preflights are answered without the handler.
//!
//! A second property checks the other direction: with well-formed entries, every listed origin
//! (and every one-label match of a listed pattern) is allowed.

use cors_tests::reference;
use std::ffi::OsStr;
#[cfg(unix)]
use std::os::unix::ffi::OsStrExt;
use std::sync::Arc;

use cors_runtime::__for_tests::{Before, Policy, Spec, attribute_source, before as before_with};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderName, HeaderValue, Method, Request, Response};
use proptest::collection::vec;
use proptest::prelude::*;

/// The environment variable of the spec, as the policy sees it.
#[derive(Debug, Clone)]
enum Env {
    /// The spec has no `origins_env`.
    NoVariable,
    /// `origins_env` is given but the variable is not set.
    Unset,
    /// The variable's bytes (an `OsStr` on unix, any bytes).
    Value(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Config {
    literals: Vec<String>,
    env: Env,
    credentials: bool,
    allow_insecure_http: bool,
    methods: Option<Vec<String>>,
    headers: Option<Vec<String>>,
    expose_headers: Vec<String>,
    max_age: Option<u64>,
    preflight: bool,
}

#[derive(Debug, Clone)]
struct Req {
    method: String,
    origins: Vec<Vec<u8>>,
    request_method: Option<Vec<u8>>,
    request_headers: Option<Vec<u8>>,
    other_headers: Vec<(String, Vec<u8>)>,
    /// Headers the handler's own response carries (CORS ones and `Vary` included).
    handler_headers: Vec<(String, Vec<u8>)>,
}

fn leak(strings: &[String]) -> &'static [&'static str] {
    let leaked: Vec<&'static str> = strings
        .iter()
        .map(|s| &*Box::leak(s.clone().into_boxed_str()))
        .collect();
    Box::leak(leaked.into_boxed_slice())
}

impl Config {
    /// The spec, its strings leaked (a few hundred small cases per run).
    fn spec(&self) -> Spec<'static> {
        Spec {
            source: attribute_source("property", file!(), line!()),
            origins_fn: None,
            origins: leak(&self.literals),
            origins_env: match self.env {
                Env::NoVariable => None,
                _ => Some("ALLOWED_ORIGINS"),
            },
            credentials: self.credentials,
            allow_insecure_http: self.allow_insecure_http,
            methods: self.methods.as_deref().map(leak),
            headers: self.headers.as_deref().map(leak),
            expose_headers: leak(&self.expose_headers),
            max_age: self.max_age,
            preflight: self.preflight,
        }
    }

    fn policy(&self) -> Arc<Policy> {
        let spec = self.spec();
        match &self.env {
            Env::NoVariable => Arc::new(Policy::build(&spec, None)),
            Env::Unset => Arc::new(Policy::build(&spec, Some(None))),
            Env::Value(bytes) => Arc::new(Policy::build(&spec, Some(Some(os_str(bytes))))),
        }
    }

    /// Every entry the configuration names: the literals and the variable's entries (split on
    /// commas and whitespace, as the README says). The library may refuse some of them; it may
    /// allow nothing else.
    fn entries(&self) -> Vec<String> {
        let mut entries = self.literals.clone();
        if let Env::Value(bytes) = &self.env
            && let Ok(text) = std::str::from_utf8(bytes)
        {
            entries.extend(reference::entries(text).map(str::to_owned));
        }
        entries
    }

    /// Whether the README's any-origin policy (`*`, without credentials) applies.
    fn any_origin(&self) -> bool {
        let env_is_star = match &self.env {
            Env::Value(bytes) => std::str::from_utf8(bytes).is_ok_and(reference::is_star),
            _ => false,
        };
        !self.credentials && (self.literals.iter().any(|l| l == "*") || env_is_star)
    }

    /// Whether `origin` is an entry, or one DNS label under a `scheme://*.parent` entry.
    fn names(&self, origin: &str) -> bool {
        reference::names(self.entries().iter().map(String::as_str), origin)
    }
}

#[cfg(unix)]
fn os_str(bytes: &[u8]) -> &OsStr {
    OsStr::from_bytes(bytes)
}

#[cfg(not(unix))]
fn os_str(bytes: &[u8]) -> &OsStr {
    OsStr::new(std::str::from_utf8(bytes).unwrap_or("\u{fffd}"))
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9]{0,6}",
        "[a-z]{1,3}-[a-z0-9]{1,3}",
        Just("www".to_owned()),
        Just("app".to_owned()),
    ]
}

fn host() -> impl Strategy<Value = String> {
    (vec(label(), 0..3), "[a-z]{2,4}").prop_map(|(labels, tld)| {
        let mut host = labels;
        host.push(tld);
        host.join(".")
    })
}

/// A canonical origin, as browsers send it.
fn canonical_origin() -> impl Strategy<Value = String> {
    let port = prop_oneof![
        3 => Just(None),
        1 => (1u16..=65535).prop_filter("not a default port", |p| *p != 80 && *p != 443).prop_map(Some),
    ];
    let host = prop_oneof![
        4 => host(),
        1 => Just("localhost".to_owned()),
        1 => Just("127.0.0.1".to_owned()),
    ];
    (prop_oneof![Just("https"), Just("http")], host, port).prop_map(|(scheme, host, port)| {
        match port {
            Some(port) => format!("{scheme}://{host}:{port}"),
            None => format!("{scheme}://{host}"),
        }
    })
}

/// A `*.` pattern over a parent of at least two labels.
fn pattern() -> impl Strategy<Value = String> {
    (prop_oneof![Just("https"), Just("http")], label(), host())
        .prop_map(|(scheme, first, rest)| format!("{scheme}://*.{first}.{rest}"))
}

/// An `https` origin.
pub(crate) fn secure_origin() -> impl Strategy<Value = String> {
    canonical_origin().prop_map(|origin| match origin.split_once("://") {
        Some((_, rest)) => format!("https://{rest}"),
        None => origin,
    })
}

/// An `https` pattern under a registrable domain (not directly under a public suffix, which
/// the grammar refuses).
pub(crate) fn secure_pattern() -> impl Strategy<Value = String> {
    (
        vec(label(), 0..2),
        prop_oneof![Just("example.com"), Just("example.org")],
    )
        .prop_map(|(labels, domain)| {
            let mut parent = labels;
            parent.push(domain.to_owned());
            format!("https://*.{}", parent.join("."))
        })
}

/// Any origin entry: canonical, pattern, `*`, `null`, a near miss, or any text.
pub(crate) fn entry() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => canonical_origin(),
        2 => pattern(),
        1 => Just("*".to_owned()),
        1 => Just("null".to_owned()),
        2 => canonical_origin().prop_map(|o| format!("{o}/")),
        1 => canonical_origin().prop_map(|o| o.to_ascii_uppercase()),
        1 => canonical_origin().prop_map(|o| format!("{o}:443")),
        2 => any::<String>(),
        1 => "[ -~]{0,30}",
    ]
}

fn env() -> impl Strategy<Value = Env> {
    let separator = prop_oneof![Just(" "), Just(","), Just(", "), Just("\n"), Just("\t,")];
    prop_oneof![
        1 => Just(Env::NoVariable),
        1 => Just(Env::Unset),
        3 => (vec(entry(), 0..4), separator).prop_map(|(entries, sep)| Env::Value(entries.join(sep).into_bytes())),
        2 => vec(any::<u8>(), 0..48).prop_map(Env::Value),
    ]
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}"
}

pub(crate) fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("content-type".to_owned()),
        Just("x-request-id".to_owned()),
        Just("Authorization".to_owned()),
        Just("*".to_owned()),
        token(),
        any::<String>(),
    ]
}

pub(crate) fn method_entry() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GET".to_owned()),
        Just("PUT".to_owned()),
        Just("DELETE".to_owned()),
        Just("*".to_owned()),
        Just("get".to_owned()),
        token(),
        any::<String>(),
    ]
}

fn config() -> impl Strategy<Value = Config> {
    (
        vec(entry(), 0..4),
        env(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(vec(method_entry(), 0..4)),
        proptest::option::of(vec(header_name(), 0..4)),
        vec(header_name(), 0..3),
        proptest::option::of(0u64..200_000),
        prop::bool::weighted(0.8),
    )
        .prop_map(
            |(
                literals,
                env,
                credentials,
                allow_insecure_http,
                methods,
                headers,
                expose_headers,
                max_age,
                preflight,
            )| Config {
                literals,
                env,
                credentials,
                allow_insecure_http,
                methods,
                headers,
                expose_headers,
                max_age,
                preflight,
            },
        )
}

/// Bytes `HeaderValue::from_bytes` accepts: visible ASCII, space, tab and obs-text.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(
        prop_oneof![6 => 0x20u8..0x7f, 1 => Just(b'\t'), 2 => 0x80u8..=0xff],
        0..40,
    )
}

/// An `Origin` value: often one the configuration names (a `*.` filled in with a label),
/// otherwise a canonical origin, `null`, or any header bytes.
fn origin_value(mut entries: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    // An entry of arbitrary text may be no header value at all.
    entries.retain(|entry| HeaderValue::from_str(entry).is_ok());
    let named = if entries.is_empty() {
        Just(vec!["https://app.example.com".to_owned()]).boxed()
    } else {
        Just(entries).boxed()
    };
    prop_oneof![
        4 => (named, any::<prop::sample::Index>(), label()).prop_map(|(entries, index, label)| {
            index.get(&entries).replacen('*', &label, 1).into_bytes()
        }),
        2 => canonical_origin().prop_map(String::into_bytes),
        1 => Just(b"null".to_vec()),
        2 => header_bytes(),
    ]
}

/// Any other request header (the ones the case sets itself excluded).
fn other_header_name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}".prop_filter("set by the case itself", |name| {
        !matches!(
            name.as_str(),
            "origin" | "access-control-request-method" | "access-control-request-headers"
        )
    })
}

fn request(config: &Config) -> impl Strategy<Value = Req> + use<> {
    let method = prop_oneof![
        3 => Just("OPTIONS".to_owned()),
        2 => Just("GET".to_owned()),
        1 => Just("POST".to_owned()),
        1 => Just("PUT".to_owned()),
        1 => token(),
    ];
    let origins = prop_oneof![
        1 => Just(Vec::new()),
        6 => vec(origin_value(config.entries()), 1..=1),
        1 => vec(origin_value(config.entries()), 2..=3),
    ];
    let request_method = proptest::option::weighted(
        0.7,
        prop_oneof![
            Just(b"PUT".to_vec()),
            Just(b"GET".to_vec()),
            Just(b"put".to_vec()),
            header_bytes()
        ],
    );
    let request_headers = proptest::option::of(prop_oneof![
        Just(b"content-type,x-request-id".to_vec()),
        Just(b"authorization".to_vec()),
        header_bytes(),
    ]);
    let handler_header = prop_oneof![
        Just("access-control-allow-origin".to_owned()),
        Just("access-control-allow-credentials".to_owned()),
        Just("access-control-expose-headers".to_owned()),
        Just("vary".to_owned()),
        Just("x-other".to_owned()),
    ];
    (
        method,
        origins,
        request_method,
        request_headers,
        vec((other_header_name(), header_bytes()), 0..3),
        vec((handler_header, header_bytes()), 0..4),
    )
        .prop_map(
            |(method, origins, request_method, request_headers, other_headers, handler_headers)| {
                Req {
                    method,
                    origins,
                    request_method,
                    request_headers,
                    other_headers,
                    handler_headers,
                }
            },
        )
}

fn case() -> impl Strategy<Value = (Config, Req)> {
    config().prop_flat_map(|config| {
        let request = request(&config);
        (Just(config), request)
    })
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

fn build_request(req: &Req) -> Request<()> {
    let mut request = Request::new(());
    *request.method_mut() = Method::from_bytes(req.method.as_bytes()).expect("a token");
    let headers = request.headers_mut();
    for (name, value) in &req.other_headers {
        headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_bytes(value).expect("header bytes"),
        );
    }
    for origin in &req.origins {
        headers.append(
            ORIGIN,
            HeaderValue::from_bytes(origin).expect("header bytes"),
        );
    }
    if let Some(value) = &req.request_method {
        headers.insert(
            ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_bytes(value).expect("header bytes"),
        );
    }
    if let Some(value) = &req.request_headers {
        headers.insert(
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_bytes(value).expect("header bytes"),
        );
    }
    request
}

fn handler_response(req: &Req) -> Response<()> {
    let mut response = Response::new(());
    for (name, value) in &req.handler_headers {
        response.headers_mut().append(
            HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
            HeaderValue::from_bytes(value).expect("header bytes"),
        );
    }
    response
}

const CORS_RESPONSE_HEADERS: [HeaderName; 6] = [
    ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_EXPOSE_HEADERS,
];

/// Runs the case and checks every invariant; `Err` names the broken one.
fn check(config: &Config, req: &Req) -> Result<(), TestCaseError> {
    let policy = config.policy();
    // Every problem is a value that can be shown.
    let _ = policy.errors().to_string();
    let request = build_request(req);
    let is_preflight = config.preflight
        && req.method == "OPTIONS"
        && !req.origins.is_empty()
        && req.request_method.is_some();
    let (response, ran) = match before_with::<(), ()>(&policy, &request) {
        Before::Respond(response) => (response, false),
        Before::Continue(after) => (after.finish(handler_response(req)), true),
    };
    prop_assert_eq!(ran, !is_preflight, "handler ran");
    let headers = response.headers();

    for name in &CORS_RESPONSE_HEADERS {
        let count = headers.get_all(name).iter().count();
        prop_assert!(count <= 1, "{} {} values", name, count);
    }

    let acao = headers.get(ACCESS_CONTROL_ALLOW_ORIGIN);
    let acac = headers.get(ACCESS_CONTROL_ALLOW_CREDENTIALS);
    match acao {
        Some(acao) if acao == "*" => {
            prop_assert!(config.any_origin(), "`*` without an any-origin policy");
            prop_assert!(!config.credentials, "`*` with credentials");
            prop_assert!(acac.is_none(), "credentials beside `*`");
        }
        Some(acao) => {
            prop_assert_eq!(
                req.origins.len(),
                1,
                "allow-origin for several Origin values"
            );
            prop_assert_eq!(
                acao.as_bytes(),
                &req.origins[0][..],
                "not the request's Origin"
            );
            let origin = std::str::from_utf8(acao.as_bytes()).expect("allowed origins are text");
            prop_assert!(origin != "null", "`null` allowed");
            prop_assert!(config.names(origin), "{} is not listed", origin);
        }
        None => {
            let cors: Vec<_> = headers
                .keys()
                .filter(|name| name.as_str().starts_with("access-control-"))
                .collect();
            prop_assert!(
                cors.is_empty(),
                "CORS headers without allow-origin: {:?}",
                cors
            );
        }
    }
    if let Some(acac) = acac {
        prop_assert_eq!(acac, "true");
        prop_assert!(config.credentials, "allow-credentials without credentials");
    }
    if ran {
        for name in [
            ACCESS_CONTROL_ALLOW_METHODS,
            ACCESS_CONTROL_ALLOW_HEADERS,
            ACCESS_CONTROL_MAX_AGE,
        ] {
            prop_assert!(
                !headers.contains_key(&name),
                "{} on an actual response",
                name
            );
        }
    } else {
        prop_assert!(
            !headers.contains_key(ACCESS_CONTROL_EXPOSE_HEADERS),
            "expose-headers on a preflight"
        );
    }

    let vary: Vec<&HeaderValue> = headers.get_all(VARY).iter().collect();
    let handler_vary_lines = req
        .handler_headers
        .iter()
        .filter(|(name, _)| name == "vary")
        .count();
    if !config.any_origin() {
        prop_assert_eq!(vary.len(), 1, "Vary lines: {:?}", vary);
        let names_origin = vary[0]
            .as_bytes()
            .split(|b| *b == b',')
            .map(<[u8]>::trim_ascii)
            .any(|name| name.eq_ignore_ascii_case(b"origin") || name == b"*");
        prop_assert!(names_origin, "Vary {:?} does not name Origin", vary[0]);
    } else if !ran || handler_vary_lines <= 1 {
        prop_assert!(vary.len() <= 1, "Vary lines: {:?}", vary);
    }
    Ok(())
}

/// Regression (found by `no_input_widens_the_whitelist`): an entry with whitespace inside it,
/// not only around it, made `Origin::parse` call itself forever on the trimmed entry: a stack
/// overflow that aborts the process (and, for `#[cors(origins = ["https://app .example.com"])]`,
/// crashes rustc) instead of the error "contains whitespace".
#[test]
fn an_entry_with_whitespace_inside_is_an_error() {
    for entry in [
        "https://app .example.com",
        " https://app .example.com ",
        "a\tb",
    ] {
        let config = Config {
            literals: vec![entry.to_owned()],
            env: Env::NoVariable,
            credentials: false,
            allow_insecure_http: false,
            methods: None,
            headers: None,
            expose_headers: Vec::new(),
            max_age: None,
            preflight: true,
        };
        let errors = config.policy().errors().to_string();
        assert!(
            errors.contains("contains whitespace"),
            "{entry:?}: {errors}"
        );
    }
}

proptest! {
    // Failures are minimised and printed; the cases that found bugs are kept above as tests.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_input_widens_the_whitelist((config, req) in case()) {
        check(&config, &req)?;
    }

    #[test]
    fn any_environment_bytes_build_a_policy(bytes in vec(any::<u8>(), 0..256), credentials in any::<bool>()) {
        let config = Config {
            literals: Vec::new(),
            env: Env::Value(bytes),
            credentials,
            allow_insecure_http: false,
            methods: None,
            headers: None,
            expose_headers: Vec::new(),
            max_age: None,
            preflight: true,
        };
        let req = Req {
            method: "GET".to_owned(),
            origins: vec![b"https://app.example.com".to_vec()],
            request_method: None,
            request_headers: None,
            other_headers: Vec::new(),
            handler_headers: Vec::new(),
        };
        check(&config, &req)?;
    }

    /// The other direction: with well-formed, secure entries, what is listed is allowed, byte for
    /// byte, on actual requests and preflights.
    #[test]
    fn listed_origins_are_allowed(
        exact in vec(secure_origin(), 1..4),
        patterns in vec(secure_pattern(), 0..3),
        in_env in any::<bool>(),
        credentials in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        label in label(),
        preflight in any::<bool>(),
    ) {
        // A listed origin repeated is a configuration error of its own (`listed twice`).
        let mut entries = exact.clone();
        entries.extend(patterns.iter().cloned());
        let mut seen = std::collections::HashSet::new();
        entries.retain(|entry| seen.insert(entry.clone()));
        let config = Config {
            literals: if in_env { Vec::new() } else { entries.clone() },
            env: if in_env { Env::Value(entries.join(", ").into_bytes()) } else { Env::NoVariable },
            credentials,
            allow_insecure_http: false,
            methods: None,
            headers: None,
            expose_headers: Vec::new(),
            max_age: None,
            preflight: true,
        };
        let policy = config.policy();
        prop_assert!(policy.errors().is_empty(), "{}", policy.errors());
        let origin = pick.get(&entries).replacen('*', &label, 1);
        let req = Req {
            method: if preflight { "OPTIONS" } else { "GET" }.to_owned(),
            origins: vec![origin.clone().into_bytes()],
            request_method: preflight.then(|| b"PUT".to_vec()),
            request_headers: None,
            other_headers: Vec::new(),
            handler_headers: Vec::new(),
        };
        check(&config, &req)?;
        let (response, _) = match before_with::<(), ()>(&policy, &build_request(&req)) {
            Before::Respond(response) => (response, false),
            Before::Continue(after) => (after.finish(Response::new(())), true),
        };
        let acao = response.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN);
        prop_assert_eq!(acao.map(HeaderValue::as_bytes), Some(origin.as_bytes()));
        let acac = response.headers().get(ACCESS_CONTROL_ALLOW_CREDENTIALS);
        prop_assert_eq!(acac.is_some(), credentials);
    }
}
