//! What `benches/overhead.rs` times and `tests/allocations.rs` counts: one handler in four
//! variants (no CORS, hand-written CORS, `#[cors]`, tower-http's `CorsLayer`), a policy per
//! scenario, and requests as `lambda_http` builds them from an API Gateway HTTP API event; and
//! the same handler in an axum `Router` ([`Shape::Router`]), bare, under `Identity`, under
//! `cors_layer!` and under tower-http's `CorsLayer`, each applied with `Router::layer`.
//!
//! Every variant is called the way `lambda_http::run` calls a handler ([`invoke`]): `poll_ready`,
//! `call` with a `lambda_http::Request`, the future boxed and polled, then
//! `lambda_http::IntoResponse::into_response` on its output and that future polled, giving the
//! `Response<Body>` that `lambda_http` would serialize. The conversion is included for every
//! variant because `lambda_http` runs it on every handler's output, CORS or not: for a handler
//! returning `Response<Body>` it is the same call in all four variants (its cost grows with
//! the headers CORS adds, which is part of what CORS costs); for one returning
//! `impl IntoResponse` the baseline converts its value once, and `#[cors]`, which must return
//! `Response<Body>`, converts the value inside the handler and `lambda_http` converts the
//! resulting `Response<Body>` again: that second conversion is a real per-request cost of the
//! expansion and is measured as such.
//!
//! Not measured (the same for every variant): parsing the event JSON into the `Request` and
//! serializing the `LambdaResponse`.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::routing::get;
use cors_runtime::{cors, cors_layer};
use cors_tests::events::EventKind;
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, ORIGIN, VARY,
};
use http::{HeaderName, HeaderValue, Method, StatusCode, Uri};
use lambda_http::tower::Layer;
use lambda_http::{Body, Error, IntoResponse, Request, Response, Service, service_fn};
use tower::layer::util::Identity;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

/// The variable the 1,000-entry whitelist comes from (`#[cors(origins_env = ...)]`); the bench
/// sets it at start-up, before the first request, as a deployment would.
pub const ORIGINS_1000_VAR: &str = "CORS_BENCH_ORIGINS_1000";

/// The allowed origin of every whitelist scenario: the last entry of each list.
pub const ALLOWED: &str = "https://app.example.com";
/// An origin no scenario lists.
pub const REFUSED: &str = "https://evil.example.com";
/// An origin that only the `*.` pattern allows (and the `**.` one).
pub const PREVIEW: &str = "https://pr-1234.preview.example.com";
/// An origin that only the `**.` pattern under `amazonaws.com` allows (the public-suffix check
/// of `#[cors]` runs on it: the list has rules below `amazonaws.com`).
pub const PREVIEW_AWS: &str = "https://pr-1234.preview.amazonaws.com";
/// An origin that only the `:*` pattern allows.
pub const LOCAL_DEV: &str = "http://localhost:5173";
/// The variable the 1,000-entry whitelist with patterns comes from.
pub const PATTERNS_1000_VAR: &str = "CORS_BENCH_PATTERNS_1000";

const LIST3: [&str; 3] = [
    "https://admin.example.com",
    "https://docs.example.com",
    "https://app.example.com",
];
const PATTERN3: [&str; 3] = [
    "https://admin.example.com",
    "https://docs.example.com",
    "https://*.preview.example.com",
];
const DEEP3: [&str; 3] = [
    "https://admin.example.com",
    "https://docs.example.com",
    "https://**.preview.example.com",
];
const DEEP_RULES_BELOW3: [&str; 3] = [
    "https://admin.example.com",
    "https://docs.example.com",
    "https://**.amazonaws.com",
];
const ANY_PORT3: [&str; 3] = [
    "https://admin.example.com",
    "https://docs.example.com",
    "http://localhost:*",
];

/// The value of [`ORIGINS_1000_VAR`]: 999 other origins, then [`ALLOWED`].
pub fn origins_1000() -> String {
    let mut list: Vec<String> = (0..999)
        .map(|i| format!("https://app-{i:03}.example.com"))
        .collect();
    list.push(ALLOWED.to_owned());
    list.join(" ")
}

/// The value of [`PATTERNS_1000_VAR`]: 333 exact origins, 333 `*.` patterns, 332 `**.` patterns
/// over bases of three and four labels, then `https://**.preview.example.com` (which [`PREVIEW`]
/// matches) and [`ALLOWED`].
pub fn patterns_1000() -> String {
    let mut list: Vec<String> = (0..333)
        .map(|i| format!("https://app-{i:03}.example.com"))
        .chain((0..333).map(|i| format!("https://*.pr-{i:03}.example.com")))
        .chain((0..332).map(|i| match i % 2 {
            0 => format!("https://**.env-{i:03}.example.org"),
            _ => format!("https://**.eu.env-{i:03}.example.org"),
        }))
        .collect();
    list.push("https://**.preview.example.com".to_owned());
    list.push(ALLOWED.to_owned());
    list.join(" ")
}

// ---------------------------------------------------------------------------------------------
// The handler, without CORS (the baseline) and in the other response shapes. Every variant
// runs the same body, written inline in its handler as a user would.

/// The handler's work: a small JSON answer, as an API's handler gives.
pub fn json_response() -> Response<Body> {
    let mut response = Response::new(Body::from(r#"{"ok":true}"#));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The README's quick-start answer: a `Response<Body>` without any header.
pub fn bare_response() -> Response<Body> {
    Response::new(Body::from("hello"))
}

/// An `impl IntoResponse` answer: a `serde_json::Value`, turned into a JSON response by
/// `lambda_http`.
pub fn json_value() -> serde_json::Value {
    serde_json::json!({ "ok": true })
}

/// The baseline: the handler without CORS.
pub async fn app(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

/// The baseline of the quick-start shape.
pub async fn app_bare(_event: Request) -> Result<Response<Body>, Error> {
    Ok(bare_response())
}

/// The baseline of the `impl IntoResponse` shape.
pub async fn app_value(_event: Request) -> Result<impl IntoResponse, Error> {
    Ok(json_value())
}

/// The handler's work in an axum app: the same small JSON answer, axum's body.
pub async fn router_handler() -> axum::response::Response {
    let mut response = axum::response::Response::new(axum::body::Body::from(r#"{"ok":true}"#));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// An API's router, the handler on every route. `/items` also answers `OPTIONS`, so the bare
/// router runs the handler for a preflight, as the baseline handler of the other tables does.
pub fn router() -> axum::Router {
    axum::Router::new()
        .route(
            "/items",
            get(router_handler)
                .put(router_handler)
                .options(router_handler),
        )
        .route(
            "/items/{id}",
            get(router_handler)
                .put(router_handler)
                .delete(router_handler),
        )
        .route("/health", get(router_handler))
}

// ---------------------------------------------------------------------------------------------
// `#[cors]`: one handler per policy.

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "https://app.example.com"])]
pub async fn cors_list3(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(
    origins = ["https://admin.example.com", "https://docs.example.com", "https://app.example.com"],
    credentials
)]
pub async fn cors_credentials(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins_env = "CORS_BENCH_ORIGINS_1000")]
pub async fn cors_list1000(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(
    origins = ["https://admin.example.com", "https://docs.example.com", "https://app.example.com"],
    methods = ["GET", "POST", "PUT", "DELETE"],
    headers = ["content-type", "x-request-id"]
)]
pub async fn cors_listed(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "https://*.preview.example.com"])]
pub async fn cors_pattern(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "https://**.preview.example.com"])]
pub async fn cors_deep(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "https://**.amazonaws.com"])]
pub async fn cors_deep_rules_below(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "http://localhost:*"])]
pub async fn cors_any_port(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins_env = "CORS_BENCH_PATTERNS_1000")]
pub async fn cors_patterns1000(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins = "*")]
pub async fn cors_any(_event: Request) -> Result<Response<Body>, Error> {
    Ok(json_response())
}

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "https://app.example.com"])]
pub async fn cors_bare(_event: Request) -> Result<Response<Body>, Error> {
    Ok(bare_response())
}

#[cors(origins = ["https://admin.example.com", "https://docs.example.com", "https://app.example.com"])]
pub async fn cors_value(_event: Request) -> Result<impl IntoResponse, Error> {
    Ok(json_value())
}

// ---------------------------------------------------------------------------------------------
// Hand-written: the usual hand-written way (the article the README names), done well: whitelist
// parsed once into a `HashSet`, static header values, preflights answered, `Vary` set, inline in
// the handler.

/// A hand-written policy, built once per process.
#[derive(Debug)]
pub struct HandWritten {
    any: bool,
    exact: HashSet<String>,
    /// `(scheme + "://", "." + parent)` of each `*.` pattern.
    patterns: Vec<(String, String)>,
    /// `(scheme + "://", "." + parent)` of each `**.` pattern (without the public-suffix check
    /// `#[cors]` makes: hand-written code would seldom have one).
    deep_patterns: Vec<(String, String)>,
    /// `scheme://host` of each `scheme://host:*` pattern.
    any_port: Vec<String>,
    credentials: bool,
    /// Whether a preflight is answered with [`Policy::Listed`]'s fixed lists of methods and
    /// headers rather than the default methods and the request's headers reflected.
    fixed_lists: bool,
}

impl HandWritten {
    fn new(entries: &[String], credentials: bool, fixed_lists: bool) -> Self {
        let mut policy = HandWritten {
            any: false,
            exact: HashSet::new(),
            patterns: Vec::new(),
            deep_patterns: Vec::new(),
            any_port: Vec::new(),
            credentials,
            fixed_lists,
        };
        for entry in entries {
            if entry == "*" {
                policy.any = true;
            } else if let Some((scheme, parent)) = entry.split_once("://**.") {
                policy
                    .deep_patterns
                    .push((format!("{scheme}://"), format!(".{parent}")));
            } else if let Some(host) = entry.strip_suffix(":*") {
                policy.any_port.push(host.to_owned());
            } else if let Some((scheme, parent)) = entry.split_once("://*.") {
                policy
                    .patterns
                    .push((format!("{scheme}://"), format!(".{parent}")));
            } else {
                policy.exact.insert(entry.clone());
            }
        }
        policy
    }

    fn allows(&self, origin: &HeaderValue) -> bool {
        let Ok(origin) = origin.to_str() else {
            return false;
        };
        self.exact.contains(origin)
            || self.patterns.iter().any(|(scheme, parent)| {
                origin
                    .strip_prefix(scheme.as_str())
                    .and_then(|rest| rest.strip_suffix(parent.as_str()))
                    .is_some_and(is_dns_label)
            })
            || self.deep_patterns.iter().any(|(scheme, parent)| {
                origin
                    .strip_prefix(scheme.as_str())
                    .and_then(|rest| rest.strip_suffix(parent.as_str()))
                    .is_some_and(|labels| labels.split('.').all(is_dns_label))
            })
            || self.any_port.iter().any(|host| {
                origin.strip_prefix(host.as_str()).is_some_and(|port| {
                    port.is_empty()
                        || port.strip_prefix(':').is_some_and(|digits| {
                            !digits.starts_with('0')
                                && digits.parse::<u16>().is_ok_and(|p| p != 80 && p != 443)
                        })
                })
            })
    }

    /// The `Access-Control-Allow-Origin` value for this request's origin, if it is allowed.
    fn allow_origin(&self, request: &Request) -> Option<HeaderValue> {
        if self.any {
            return Some(HeaderValue::from_static("*"));
        }
        let origin = request.headers().get(ORIGIN)?;
        self.allows(origin).then(|| origin.clone())
    }

    fn preflight(&self, request: &Request) -> Option<Response<Body>> {
        let headers = request.headers();
        if request.method() != Method::OPTIONS
            || !headers.contains_key(ORIGIN)
            || !headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
        {
            return None;
        }
        let mut response = Response::new(Body::Empty);
        *response.status_mut() = StatusCode::NO_CONTENT;
        let out = response.headers_mut();
        // Literals in each call, as a hand-written answer has them: the compiler checks their
        // bytes once, at build time.
        let vary = match (self.any, self.fixed_lists) {
            (true, false) => Some(HeaderValue::from_static("Access-Control-Request-Headers")),
            (false, false) => Some(HeaderValue::from_static(
                "Origin, Access-Control-Request-Headers",
            )),
            (false, true) => Some(HeaderValue::from_static("Origin")),
            (true, true) => None,
        };
        if let Some(vary) = vary {
            out.insert(VARY, vary);
        }
        if let Some(origin) = self.allow_origin(request) {
            out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                out.insert(
                    ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
            if self.fixed_lists {
                out.insert(
                    ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, POST, PUT, DELETE"),
                );
                out.insert(
                    ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("content-type, x-request-id"),
                );
            } else {
                out.insert(
                    ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE"),
                );
                if let Some(requested) = headers.get(ACCESS_CONTROL_REQUEST_HEADERS) {
                    out.insert(ACCESS_CONTROL_ALLOW_HEADERS, requested.clone());
                }
            }
            out.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
        Some(response)
    }

    /// [`HandWritten::decorate`] doing all that `#[cors]` does to a response: the handler's own
    /// CORS headers are replaced (never sent to a refused origin, never twice), and `Vary` is
    /// merged into the handler's as one value (HTTP APIs and Function URLs keep only the first of
    /// two lines).
    fn decorate_fully(&self, allow_origin: Option<HeaderValue>, response: &mut Response<Body>) {
        let headers = response.headers_mut();
        headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN);
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
        headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
        if let Some(origin) = allow_origin {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                headers.insert(
                    ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
        }
        if self.any {
            return;
        }
        let merged = match headers.get(VARY).map(HeaderValue::to_str) {
            None => HeaderValue::from_static("Origin"),
            Some(Ok(vary))
                if vary
                    .split(',')
                    .map(str::trim)
                    .any(|name| name == "*" || name.eq_ignore_ascii_case("origin")) =>
            {
                return;
            }
            Some(Ok(vary)) => match HeaderValue::from_str(&format!("{vary}, Origin")) {
                Ok(merged) => merged,
                Err(_) => return,
            },
            Some(Err(_)) => return,
        };
        headers.insert(VARY, merged);
    }

    fn decorate(&self, allow_origin: Option<HeaderValue>, response: &mut Response<Body>) {
        let headers = response.headers_mut();
        if let Some(origin) = allow_origin {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            if self.credentials {
                headers.insert(
                    ACCESS_CONTROL_ALLOW_CREDENTIALS,
                    HeaderValue::from_static("true"),
                );
            }
        }
        if !self.any {
            headers.append(VARY, HeaderValue::from_static("Origin"));
        }
    }
}

fn is_dns_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
}

/// [`app`] (or [`app_bare`], by `respond`) with hand-written CORS.
pub async fn hand_written(
    policy: &HandWritten,
    event: Request,
    respond: impl FnOnce() -> Response<Body>,
) -> Result<Response<Body>, Error> {
    if let Some(preflight) = policy.preflight(&event) {
        return Ok(preflight);
    }
    let allow_origin = policy.allow_origin(&event);
    let mut response = respond();
    policy.decorate(allow_origin, &mut response);
    Ok(response)
}

/// [`app`] (or [`app_bare`]) with hand-written CORS doing the same job as `#[cors]`
/// ([`HandWritten::decorate_fully`]).
pub async fn hand_written_same_job(
    policy: &HandWritten,
    event: Request,
    respond: impl FnOnce() -> Response<Body>,
) -> Result<Response<Body>, Error> {
    if let Some(preflight) = policy.preflight(&event) {
        return Ok(preflight);
    }
    let allow_origin = policy.allow_origin(&event);
    let mut response = respond();
    policy.decorate_fully(allow_origin, &mut response);
    Ok(response)
}

/// [`app_value`] with hand-written CORS: the value must become a `Response<Body>` to carry
/// headers, as in `#[cors]`.
pub async fn hand_written_value(
    policy: &HandWritten,
    event: Request,
) -> Result<Response<Body>, Error> {
    if let Some(preflight) = policy.preflight(&event) {
        return Ok(preflight);
    }
    let allow_origin = policy.allow_origin(&event);
    let mut response = json_value().into_response().await;
    policy.decorate(allow_origin, &mut response);
    Ok(response)
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

/// A CORS configuration, the same in every variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Three listed origins.
    List3,
    /// Three listed origins, with credentials.
    Credentials,
    /// Three listed origins, with fixed lists of methods (`GET, POST, PUT, DELETE`) and headers
    /// (`content-type, x-request-id`) instead of the default methods and the request's headers
    /// reflected.
    Listed,
    /// 1,000 listed origins, from [`ORIGINS_1000_VAR`].
    List1000,
    /// Two listed origins and `https://*.preview.example.com`.
    Pattern,
    /// `*`.
    Any,
    /// Two listed origins and `https://**.preview.example.com`.
    DeepPattern,
    /// Two listed origins and `http://localhost:*`.
    AnyPort,
    /// Two listed origins and `https://**.amazonaws.com` (a base with public-suffix rules
    /// below it).
    DeepRulesBelow,
    /// 1,000 entries, exact and patterns of both depths, from [`PATTERNS_1000_VAR`].
    Patterns1000,
}

impl Policy {
    /// The whitelist, as every variant is configured with it.
    pub fn entries(self) -> Vec<String> {
        match self {
            Policy::List3 | Policy::Credentials | Policy::Listed => {
                LIST3.map(str::to_owned).to_vec()
            }
            Policy::Pattern => PATTERN3.map(str::to_owned).to_vec(),
            Policy::DeepPattern => DEEP3.map(str::to_owned).to_vec(),
            Policy::AnyPort => ANY_PORT3.map(str::to_owned).to_vec(),
            Policy::DeepRulesBelow => DEEP_RULES_BELOW3.map(str::to_owned).to_vec(),
            // The list itself (the variable `#[cors]` reads is set to the same by the bench).
            Policy::Patterns1000 => patterns_1000()
                .split_ascii_whitespace()
                .map(str::to_owned)
                .collect(),
            Policy::Any => vec!["*".to_owned()],
            Policy::List1000 => std::env::var(ORIGINS_1000_VAR)
                .unwrap_or_else(|_| panic!("{ORIGINS_1000_VAR} is set before the first request"))
                .split_ascii_whitespace()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn credentials(self) -> bool {
        self == Policy::Credentials
    }

    /// The hand-written policy, built once per process (as a `static` `LazyLock` would be).
    fn hand_written(self) -> &'static HandWritten {
        static POLICIES: [OnceLock<HandWritten>; 10] = [const { OnceLock::new() }; 10];
        POLICIES[self as usize].get_or_init(|| {
            HandWritten::new(&self.entries(), self.credentials(), self == Policy::Listed)
        })
    }

    /// `cors_layer!` with the `#[cors]` handlers' arguments.
    fn cors_layer(self) -> cors_runtime::CorsLayer {
        match self {
            Policy::List3 => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "https://app.example.com"
                ]
            ),
            Policy::Credentials => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "https://app.example.com"
                ],
                credentials
            ),
            Policy::Listed => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "https://app.example.com"
                ],
                methods = ["GET", "POST", "PUT", "DELETE"],
                headers = ["content-type", "x-request-id"]
            ),
            Policy::List1000 => cors_layer!(origins_env = "CORS_BENCH_ORIGINS_1000"),
            Policy::Pattern => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "https://*.preview.example.com"
                ]
            ),
            Policy::Any => cors_layer!(origins = "*"),
            Policy::DeepPattern => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "https://**.preview.example.com"
                ]
            ),
            Policy::AnyPort => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "http://localhost:*"
                ]
            ),
            Policy::DeepRulesBelow => cors_layer!(
                origins = [
                    "https://admin.example.com",
                    "https://docs.example.com",
                    "https://**.amazonaws.com"
                ]
            ),
            Policy::Patterns1000 => cors_layer!(origins_env = "CORS_BENCH_PATTERNS_1000"),
        }
    }

    /// tower-http's `CorsLayer`, configured as the other variants are.
    fn tower_layer(self) -> CorsLayer {
        let origins = match self {
            Policy::Any => AllowOrigin::any(),
            Policy::Pattern
            | Policy::DeepPattern
            | Policy::AnyPort
            | Policy::Patterns1000
            | Policy::DeepRulesBelow => {
                let policy = self.hand_written();
                AllowOrigin::predicate(move |origin, _| policy.allows(origin))
            }
            _ => AllowOrigin::list(
                self.entries()
                    .iter()
                    .map(|origin| HeaderValue::from_str(origin).expect("valid origin")),
            ),
        };
        let layer = CorsLayer::new().allow_origin(origins);
        let layer = match self {
            Policy::Listed => layer
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers([CONTENT_TYPE, HeaderName::from_static("x-request-id")]),
            _ => layer
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_headers(AllowHeaders::mirror_request()),
        };
        layer
            .allow_credentials(self.credentials())
            .max_age(Duration::from_secs(600))
    }
}

/// The request of a scenario.
#[derive(Debug, Clone, Copy)]
pub struct RequestSpec {
    /// `Origin`, if any.
    pub origin: Option<&'static str>,
    /// Whether it is a preflight (`OPTIONS` with `Access-Control-Request-Method: PUT` and
    /// `Access-Control-Request-Headers: content-type, x-request-id`).
    pub preflight: bool,
}

/// One scenario: a policy and a request.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// A short id, for benchmark names and child processes.
    pub key: &'static str,
    /// Its name in the table.
    pub name: &'static str,
    /// The CORS configuration.
    pub policy: Policy,
    /// The request.
    pub request: RequestSpec,
}

const fn scenario(
    key: &'static str,
    name: &'static str,
    policy: Policy,
    origin: Option<&'static str>,
    preflight: bool,
) -> Scenario {
    Scenario {
        key,
        name,
        policy,
        request: RequestSpec { origin, preflight },
    }
}

/// The scenarios of the main table (handler [`app`]).
pub const SCENARIOS: [Scenario; 15] = [
    scenario(
        "allowed-3",
        "allowed (3 entries)",
        Policy::List3,
        Some(ALLOWED),
        false,
    ),
    scenario(
        "disallowed",
        "disallowed",
        Policy::List3,
        Some(REFUSED),
        false,
    ),
    scenario("no-origin", "no Origin", Policy::List3, None, false),
    scenario(
        "preflight-allowed",
        "preflight allowed",
        Policy::List3,
        Some(ALLOWED),
        true,
    ),
    scenario(
        "preflight-listed",
        "preflight allowed, listed methods and headers",
        Policy::Listed,
        Some(ALLOWED),
        true,
    ),
    scenario(
        "preflight-refused",
        "preflight disallowed",
        Policy::List3,
        Some(REFUSED),
        true,
    ),
    scenario(
        "credentials",
        "credentials",
        Policy::Credentials,
        Some(ALLOWED),
        false,
    ),
    scenario(
        "allowed-1000",
        "allowed (1,000 entries)",
        Policy::List1000,
        Some(ALLOWED),
        false,
    ),
    scenario(
        "pattern",
        "`*.` pattern",
        Policy::Pattern,
        Some(PREVIEW),
        false,
    ),
    scenario(
        "any",
        "`origins = \"*\"`",
        Policy::Any,
        Some(ALLOWED),
        false,
    ),
    scenario(
        "deep",
        "`**.` pattern",
        Policy::DeepPattern,
        Some(PREVIEW),
        false,
    ),
    scenario(
        "any-port",
        "`:*` pattern",
        Policy::AnyPort,
        Some(LOCAL_DEV),
        false,
    ),
    scenario(
        "allowed-1000-patterns",
        "allowed (1,000 entries with patterns)",
        Policy::Patterns1000,
        Some(ALLOWED),
        false,
    ),
    scenario(
        "deep-1000-patterns",
        "`**.` pattern (1,000 entries with patterns)",
        Policy::Patterns1000,
        Some(PREVIEW),
        false,
    ),
    scenario(
        "deep-rules-below",
        "`**.` pattern under `amazonaws.com` (public-suffix check)",
        Policy::DeepRulesBelow,
        Some(PREVIEW_AWS),
        false,
    ),
];

/// The scenarios of the handler-shape table.
pub const SHAPE_SCENARIOS: [Scenario; 3] = [
    scenario("allowed", "allowed", Policy::List3, Some(ALLOWED), false),
    scenario(
        "disallowed",
        "disallowed",
        Policy::List3,
        Some(REFUSED),
        false,
    ),
    scenario("no-origin", "no Origin", Policy::List3, None, false),
];

/// How a variant does CORS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// No CORS (for [`Shape::Router`], the bare router).
    Baseline,
    /// [`HandWritten`], the floor: it sets the headers and appends `Vary`, nothing more (not
    /// in a router).
    HandWritten,
    /// [`HandWritten`] doing the same job as `#[cors]` ([`hand_written_same_job`]; not in a
    /// router).
    HandWrittenSameJob,
    /// For [`Shape::Router`] only: `Router::layer(Identity::new())`, a layer that does nothing.
    /// axum boxes every route of a layered router, so this is the fair baseline of a layer.
    Identity,
    /// `#[cors]`; for [`Shape::Router`], `cors_layer!`.
    Cors,
    /// tower-http's `CorsLayer`.
    TowerHttp,
}

impl Variant {
    /// All six, in table order.
    pub const ALL: [Variant; 6] = [
        Variant::Baseline,
        Variant::HandWritten,
        Variant::HandWrittenSameJob,
        Variant::Identity,
        Variant::Cors,
        Variant::TowerHttp,
    ];

    /// Its name in the table and in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Baseline => "baseline",
            Variant::HandWritten => "hand-written",
            Variant::HandWrittenSameJob => "hand-written-same-job",
            Variant::Identity => "identity",
            Variant::Cors => "cors",
            Variant::TowerHttp => "tower-http",
        }
    }
}

/// What the handler returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// [`app`]: `Result<Response<Body>, E>` with a `content-type`.
    Json,
    /// [`app_bare`]: `Result<Response<Body>, E>` without any header.
    Bare,
    /// [`app_value`]: `Result<impl IntoResponse, E>`.
    Value,
    /// [`router`]: an axum `Router` of [`router_handler`]s, the variant applied with
    /// `Router::layer`, the request through the router as a tower service: what
    /// `lambda_http::run(router)` calls. Such a `Router<()>` builds each handler's route, its
    /// layers included, again for every request (the layer is cloned into a box each time).
    Router,
    /// [`Shape::Router`] with `.with_state(())` after the layer, as `axum::serve` serves a
    /// router and as axum advises for a router used as a service: the routes are built once.
    RouterWithState,
}

impl Shape {
    /// Its name in the table and in benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Json => "json",
            Shape::Bare => "bare",
            Shape::Value => "value",
            Shape::Router => "router",
            Shape::RouterWithState => "router-with-state",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Calling a handler as `lambda_http` does.

/// A handler ready to be called, as [`invoke`] calls it.
pub type Run = Box<dyn FnMut(Request) -> Response<Body>>;

/// Calls `service` with `request` the way `lambda_http::run` does (its `Adapter` and
/// `TransformResponse`): `poll_ready`, `call`, the future boxed and polled, then
/// `IntoResponse::into_response` on the output and that future polled. Every handler here
/// completes without waiting, so each future is polled once, with a no-op waker.
///
/// # Panics
///
/// If the service is not ready, a future is pending, or the handler fails.
pub fn invoke<S, R>(service: &mut S, request: Request) -> Response<Body>
where
    S: Service<Request, Response = R>,
    S::Future: Send + 'static,
    R: IntoResponse,
{
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(Ok(())) = service.poll_ready(&mut cx) else {
        panic!("the service is not ready");
    };
    let mut future: Pin<Box<dyn Future<Output = Result<R, S::Error>> + Send>> =
        Box::pin(service.call(request));
    let Poll::Ready(Ok(value)) = future.as_mut().poll(&mut cx) else {
        panic!("the handler did not answer at once");
    };
    let mut response = value.into_response();
    let Poll::Ready(response) = response.as_mut().poll(&mut cx) else {
        panic!("the response conversion did not complete at once");
    };
    response
}

fn run<S, R>(mut service: S) -> Run
where
    S: Service<Request, Response = R> + 'static,
    S::Future: Send + 'static,
    R: IntoResponse,
{
    Box::new(move |request| invoke(&mut service, request))
}

/// One variant of one scenario: the handler to call and the request to call it with.
pub struct Case {
    /// The variant.
    pub variant: Variant,
    /// The handler shape.
    pub shape: Shape,
    /// The scenario.
    pub scenario: Scenario,
    /// A stable id (`shape-scenario/variant`), for benchmark names and child processes.
    pub id: String,
    /// The handler, ready to call.
    pub run: Run,
    /// The scenario's request, rebuilt per call.
    pub request: PreparedRequest,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Case").field("id", &self.id).finish()
    }
}

fn case(variant: Variant, shape: Shape, scenario: Scenario) -> Option<Case> {
    let policy = scenario.policy;
    let hand = || policy.hand_written();
    let run = match (shape, variant, policy) {
        (Shape::Json, Variant::Baseline, _) => run(service_fn(app)),
        (Shape::Json, Variant::HandWritten, _) => {
            let hand = hand();
            run(service_fn(move |event| {
                hand_written(hand, event, json_response)
            }))
        }
        (Shape::Json, Variant::HandWrittenSameJob, _) => {
            let hand = hand();
            run(service_fn(move |event| {
                hand_written_same_job(hand, event, json_response)
            }))
        }
        (Shape::Json, Variant::Cors, Policy::List3) => run(service_fn(cors_list3)),
        (Shape::Json, Variant::Cors, Policy::Credentials) => run(service_fn(cors_credentials)),
        (Shape::Json, Variant::Cors, Policy::Listed) => run(service_fn(cors_listed)),
        (Shape::Json, Variant::Cors, Policy::List1000) => run(service_fn(cors_list1000)),
        (Shape::Json, Variant::Cors, Policy::Pattern) => run(service_fn(cors_pattern)),
        (Shape::Json, Variant::Cors, Policy::Any) => run(service_fn(cors_any)),
        (Shape::Json, Variant::Cors, Policy::DeepPattern) => run(service_fn(cors_deep)),
        (Shape::Json, Variant::Cors, Policy::AnyPort) => run(service_fn(cors_any_port)),
        (Shape::Json, Variant::Cors, Policy::DeepRulesBelow) => {
            run(service_fn(cors_deep_rules_below))
        }
        (Shape::Json, Variant::Cors, Policy::Patterns1000) => run(service_fn(cors_patterns1000)),
        (Shape::Json, Variant::TowerHttp, _) => run(policy.tower_layer().layer(service_fn(app))),
        (Shape::Bare, Variant::Baseline, _) => run(service_fn(app_bare)),
        (Shape::Bare, Variant::HandWritten, Policy::List3) => {
            let hand = hand();
            run(service_fn(move |event| {
                hand_written(hand, event, bare_response)
            }))
        }
        (Shape::Bare, Variant::HandWrittenSameJob, Policy::List3) => {
            let hand = hand();
            run(service_fn(move |event| {
                hand_written_same_job(hand, event, bare_response)
            }))
        }
        (Shape::Bare, Variant::Cors, Policy::List3) => run(service_fn(cors_bare)),
        (Shape::Bare, Variant::TowerHttp, Policy::List3) => {
            run(policy.tower_layer().layer(service_fn(app_bare)))
        }
        (Shape::Value, Variant::Baseline, _) => run(service_fn(app_value)),
        (Shape::Value, Variant::HandWritten, Policy::List3) => {
            let hand = hand();
            run(service_fn(move |event| hand_written_value(hand, event)))
        }
        (Shape::Value, Variant::Cors, Policy::List3) => run(service_fn(cors_value)),
        // tower-http's layer needs a service answering `Response<B>`; the same-job variant
        // would be the hand-written one (it converts the value itself, as `#[cors]` did).
        (Shape::Value, Variant::TowerHttp | Variant::HandWrittenSameJob, _) => return None,
        (Shape::Router, Variant::Baseline, _) => run(router()),
        (Shape::Router, Variant::Identity, _) => run(router().layer(Identity::new())),
        (Shape::Router, Variant::Cors, _) => run(router().layer(policy.cors_layer())),
        (Shape::Router, Variant::TowerHttp, _) => run(router().layer(policy.tower_layer())),
        (Shape::RouterWithState, Variant::Baseline, _) => run(router().with_state::<()>(())),
        (Shape::RouterWithState, Variant::Identity, _) => {
            run(router().layer(Identity::new()).with_state::<()>(()))
        }
        (Shape::RouterWithState, Variant::Cors, _) => {
            run(router().layer(policy.cors_layer()).with_state::<()>(()))
        }
        (Shape::RouterWithState, Variant::TowerHttp, _) => {
            run(router().layer(policy.tower_layer()).with_state::<()>(()))
        }
        // A router is not hand-written CORS; a handler is not layered with `Identity`.
        (
            Shape::Router | Shape::RouterWithState,
            Variant::HandWritten | Variant::HandWrittenSameJob,
            _,
        )
        | (_, Variant::Identity, _) => return None,
        _ => unreachable!("no {variant:?} handler of shape {shape:?} for {policy:?}"),
    };
    Some(Case {
        variant,
        shape,
        scenario,
        id: format!("{}-{}/{}", shape.name(), scenario.key, variant.name()),
        run,
        request: PreparedRequest::new(scenario.request),
    })
}

/// Every case: the main table ([`SCENARIOS`] with [`Shape::Json`]), the handler shapes
/// ([`SHAPE_SCENARIOS`] with [`Shape::Bare`] and [`Shape::Value`]), then the router tables
/// ([`SCENARIOS`] with [`Shape::Router`], [`SHAPE_SCENARIOS`] with
/// [`Shape::RouterWithState`]), each scenario in [`Variant::ALL`] order. `include`
/// chooses the scenarios (the allocation test leaves out the one that needs
/// [`ORIGINS_1000_VAR`]).
pub fn cases(include: impl Fn(&Scenario) -> bool) -> Vec<Case> {
    every_case()
        .filter(|(_, scenario, _)| include(scenario))
        .filter_map(|(shape, scenario, variant)| case(variant, shape, scenario))
        .collect()
}

/// The case of id `id` alone, without making the others: what a callgrind child measures, so
/// that the heap it measures in does not depend on how many other cases there are.
pub fn case_of_id(id: &str) -> Option<Case> {
    every_case()
        .filter(|(shape, scenario, variant)| {
            id == format!("{}-{}/{}", shape.name(), scenario.key, variant.name())
        })
        .find_map(|(shape, scenario, variant)| case(variant, shape, scenario))
}

/// Every `(shape, scenario, variant)`, in table order, whether the variant exists or not.
fn every_case() -> impl Iterator<Item = (Shape, Scenario, Variant)> {
    let main = SCENARIOS.iter().map(|s| (Shape::Json, *s));
    let shapes = [Shape::Bare, Shape::Value]
        .into_iter()
        .flat_map(|shape| SHAPE_SCENARIOS.iter().map(move |s| (shape, *s)));
    let routers = SCENARIOS
        .iter()
        .map(|s| (Shape::Router, *s))
        .chain(SHAPE_SCENARIOS.iter().map(|s| (Shape::RouterWithState, *s)));
    main.chain(shapes)
        .chain(routers)
        .flat_map(|(shape, scenario)| {
            Variant::ALL
                .into_iter()
                .map(move |variant| (shape, scenario, variant))
        })
}

/// A request's parts as `lambda_http` made them from the scenario's API Gateway HTTP API event,
/// to rebuild it per call.
#[derive(Debug)]
pub struct PreparedRequest {
    method: Method,
    uri: Uri,
    headers: Vec<(HeaderName, Vec<u8>)>,
}

impl PreparedRequest {
    fn new(spec: RequestSpec) -> Self {
        let mut event = EventKind::HttpV2.event().path("/items");
        if spec.preflight {
            event = event.method("OPTIONS");
        }
        if let Some(origin) = spec.origin {
            event = event.header("origin", origin);
        }
        if spec.preflight {
            event = event.header("access-control-request-method", "PUT").header(
                "access-control-request-headers",
                "content-type, x-request-id",
            );
        }
        let request = lambda_http::request::from_str(&event.build().to_string())
            .expect("lambda_http reads the event");
        PreparedRequest {
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.clone(), value.as_bytes().to_vec()))
                .collect(),
        }
    }

    /// A fresh request: what `lambda_http` hands the handler for the event (each header value
    /// in a buffer of its own, as `lambda_http` makes it).
    pub fn build(&self) -> Request {
        let mut request = Request::new(Body::Empty);
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        let headers = request.headers_mut();
        headers.reserve(self.headers.len());
        for (name, value) in &self.headers {
            // `from_bytes` copies into a buffer of its own, as `lambda_http`'s event parsing does.
            headers.append(
                name.clone(),
                HeaderValue::from_bytes(value).expect("valid header value"),
            );
        }
        request
    }
}
