//! Real Lambda HTTP events, run through `lambda_http`'s own event handling.
//!
//! A test builds the JSON event that API Gateway, an Application Load Balancer, a Lambda
//! Function URL or VPC Lattice would send to the function ([`EventKind`], [`EventBuilder`]),
//! hands it with a handler to [`invoke`], and asserts on the JSON proxy response that the
//! function would return to that service ([`Invocation`]). Between the two, only
//! `lambda_http` code runs, exactly as under `lambda_http::run`:
//!
//! 1. the event text is deserialized into `lambda_http::request::LambdaRequest` (the
//!    untagged "which service is this?" guess that `lambda_http` makes at run time);
//! 2. it is wrapped in `LambdaEvent::new(payload, Context::default())` and passed to
//!    `lambda_http::Adapter::from(service)`, which turns it into a `lambda_http::Request`,
//!    calls the handler, and converts the handler's [`IntoResponse`] into the
//!    service-specific `LambdaResponse`;
//! 3. that response is serialized with `serde_json`, as `lambda_runtime` does before posting
//!    it to the Runtime API.
//!
//! [`Invocation`] then reads that JSON the way the *service* reads it, so
//! [`Invocation::header_values`] answers "what would the browser receive?", not "what did
//! the handler return?". The two differ: for example, `lambda_http` 1.3 keeps only the first
//! value of a repeated response header for HTTP API (payload 2.0), Function URLs, VPC Lattice
//! and ALB target groups without multi-value headers (`tests/tests/behaviour/harness.rs` pins this).
//!
//! ```no_run
//! use cors_tests::events::{EventKind, invoke};
//! use lambda_http::{Request, service_fn};
//!
//! # async fn example() {
//! async fn handler(_req: Request) -> Result<&'static str, std::convert::Infallible> {
//!     Ok("hello")
//! }
//!
//! for kind in EventKind::ALL {
//!     let event = kind
//!         .event()
//!         .method("OPTIONS")
//!         .header("Origin", "https://app.example.com")
//!         .header("Access-Control-Request-Method", "PUT");
//!     let response = invoke(service_fn(handler), &event).await.unwrap();
//!     assert_eq!(response.status(), 200, "{kind}");
//!     assert_eq!(response.header("access-control-allow-origin"), None, "{kind}");
//! }
//! # }
//! ```
//!
//! The fixtures in `tests/fixtures/events/` are our own, modelled on the formats in the AWS
//! documentation (account `123456789012`, documentation IP ranges, `example.com` hosts).
//!
//! What this harness cannot reproduce: the service's own behaviour around the function
//! (API Gateway's CORS configuration, authorizers, gateway responses, header size limits,
//! which request headers a service drops or rewrites), and request header bytes that are not
//! valid JSON string content (see [`EventBuilder::header`]).

use std::fmt;
use std::future::poll_fn;

use lambda_http::request::{LambdaRequest, RequestOrigin};
use lambda_http::{Adapter, Body, Context, IntoResponse, LambdaEvent, Request, Service};
use serde_json::{Map, Value};

/// The services that invoke a Lambda function with an HTTP request, one per event format.
///
/// Each kind has a fixture in `tests/fixtures/events/` ([`EventKind::fixture_name`]) that
/// [`EventBuilder`] uses as its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// API Gateway REST API, Lambda proxy integration (payload format 1.0). The event has
    /// both `headers` (last value of each header) and `multiValueHeaders` (all values);
    /// `lambda_http` 1.3 lets `headers` replace `multiValueHeaders` name by name, so a
    /// handler sees only the LAST value of a repeated request header. The stage is `prod`,
    /// so `lambda_http` hands the handler the path `/prod/...`.
    RestV1,
    /// API Gateway HTTP API (payload format 2.0). Repeated request headers arrive joined
    /// with `,` in `headers`; cookies arrive in `cookies`. Stage `$default`.
    HttpV2,
    /// Application Load Balancer target group with `lambda.multi_value_headers.enabled =
    /// true`: the event (and the response the ALB reads) uses only `multiValueHeaders`.
    AlbMultiValue,
    /// Application Load Balancer target group with multi-value headers disabled (the
    /// default): the event (and the response the ALB reads) uses only `headers`, and a
    /// repeated request header arrives as its last value.
    AlbSingleValue,
    /// Lambda Function URL. Same shape as [`EventKind::HttpV2`]; recognised by its
    /// `requestContext.domainName` (`<url-id>.lambda-url.<region>.on.aws`).
    FunctionUrl,
    /// VPC Lattice target group with Lambda event structure version 2: `headers` is a map
    /// of arrays, so repeated request headers arrive as separate values.
    VpcLatticeV2,
}

impl EventKind {
    /// Every kind, in declaration order; iterate over it to test a handler behind each
    /// service.
    pub const ALL: [EventKind; 6] = [
        EventKind::RestV1,
        EventKind::HttpV2,
        EventKind::AlbMultiValue,
        EventKind::AlbSingleValue,
        EventKind::FunctionUrl,
        EventKind::VpcLatticeV2,
    ];

    /// The file name of this kind's fixture in `tests/fixtures/events/`.
    pub const fn fixture_name(self) -> &'static str {
        match self {
            EventKind::RestV1 => "apigw-rest-v1.json",
            EventKind::HttpV2 => "apigw-http-v2.json",
            EventKind::AlbMultiValue => "alb-multi-value.json",
            EventKind::AlbSingleValue => "alb-single-value.json",
            EventKind::FunctionUrl => "function-url.json",
            EventKind::VpcLatticeV2 => "vpc-lattice-v2.json",
        }
    }

    /// The text of this kind's fixture (embedded at compile time): a `GET /items` request
    /// without an `Origin` header.
    pub const fn fixture(self) -> &'static str {
        match self {
            EventKind::RestV1 => include_str!("../fixtures/events/apigw-rest-v1.json"),
            EventKind::HttpV2 => include_str!("../fixtures/events/apigw-http-v2.json"),
            EventKind::AlbMultiValue => include_str!("../fixtures/events/alb-multi-value.json"),
            EventKind::AlbSingleValue => include_str!("../fixtures/events/alb-single-value.json"),
            EventKind::FunctionUrl => include_str!("../fixtures/events/function-url.json"),
            EventKind::VpcLatticeV2 => include_str!("../fixtures/events/vpc-lattice-v2.json"),
        }
    }

    /// This kind's fixture parsed as JSON.
    ///
    /// # Panics
    ///
    /// If the fixture is not valid JSON.
    pub fn template(self) -> Value {
        serde_json::from_str(self.fixture()).unwrap_or_else(|err| {
            panic!(
                "fixture tests/fixtures/events/{} is not valid JSON: {err}",
                self.fixture_name()
            )
        })
    }

    /// Starts an [`EventBuilder`] for this kind (same as [`EventBuilder::new`]).
    pub fn event(self) -> EventBuilder {
        EventBuilder::new(self)
    }

    /// Whether a header that the handler's `http::Response` repeats (two `Vary` values,
    /// say) still reaches the browser as several values once `lambda_http` 1.3 has
    /// serialized the response for this service.
    ///
    /// `true` only for [`EventKind::RestV1`] and [`EventKind::AlbMultiValue`], whose
    /// responses carry `multiValueHeaders`. The other kinds read a `headers` map of single
    /// strings, into which `lambda_http` writes only the *first* value of each header (for
    /// HTTP API and Function URLs, `set-cookie` values move to `cookies` and all survive).
    /// Observed with `lambda_http` 1.3.2 and pinned by `tests/tests/behaviour/harness.rs`; this is why
    /// a handler must merge values such as `Vary` into one header line itself.
    pub const fn keeps_repeated_response_headers(self) -> bool {
        matches!(self, EventKind::RestV1 | EventKind::AlbMultiValue)
    }

    /// Recognises which kind of event `event` is, from the fields the services set:
    /// `requestContext.elb` (ALB; multi-value if the event has `multiValueHeaders`),
    /// `requestContext.serviceNetworkArn` (VPC Lattice), `requestContext.http` (payload 2.0;
    /// a Function URL if `requestContext.domainName` contains `.lambda-url.`), or
    /// `httpMethod` with `requestContext.httpMethod` (REST API). `None` for anything else.
    pub fn detect(event: &Value) -> Option<EventKind> {
        let context = event.get("requestContext")?;
        if context.get("elb").is_some() {
            return Some(if event.get("multiValueHeaders").is_some() {
                EventKind::AlbMultiValue
            } else {
                EventKind::AlbSingleValue
            });
        }
        if context.get("serviceNetworkArn").is_some() {
            return Some(EventKind::VpcLatticeV2);
        }
        if context.get("http").is_some() {
            let domain = context
                .get("domainName")
                .and_then(Value::as_str)
                .unwrap_or("");
            return Some(if domain.contains(".lambda-url.") {
                EventKind::FunctionUrl
            } else {
                EventKind::HttpV2
            });
        }
        if event.get("httpMethod").is_some() && context.get("httpMethod").is_some() {
            return Some(EventKind::RestV1);
        }
        None
    }

    /// Whether `lambda_http` routing the event through `origin` is right for this kind.
    fn matches_origin(self, origin: &RequestOrigin) -> bool {
        match origin {
            RequestOrigin::ApiGatewayV1 => self == EventKind::RestV1,
            RequestOrigin::ApiGatewayV2 => {
                matches!(self, EventKind::HttpV2 | EventKind::FunctionUrl)
            }
            RequestOrigin::Alb => {
                matches!(self, EventKind::AlbMultiValue | EventKind::AlbSingleValue)
            }
            RequestOrigin::VpcLatticeV2 => self == EventKind::VpcLatticeV2,
            _ => false,
        }
    }

    /// Whether the service sends header names in lower case (all but the REST API, which
    /// passes on the client's spelling).
    const fn lowercases_header_names(self) -> bool {
        !matches!(self, EventKind::RestV1)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EventKind::RestV1 => "API Gateway REST (payload 1.0)",
            EventKind::HttpV2 => "API Gateway HTTP API (payload 2.0)",
            EventKind::AlbMultiValue => "ALB (multi-value headers)",
            EventKind::AlbSingleValue => "ALB (single-value headers)",
            EventKind::FunctionUrl => "Lambda Function URL",
            EventKind::VpcLatticeV2 => "VPC Lattice (v2)",
        })
    }
}

/// Builds the event of one [`EventKind`] for a chosen method, path, request headers and
/// body, starting from the kind's fixture.
///
/// Each request header is placed where that service puts it:
///
/// | kind | where request headers go |
/// |---|---|
/// | [`RestV1`](EventKind::RestV1) | `multiValueHeaders` (all values) and `headers` (last value); names keep their spelling |
/// | [`HttpV2`](EventKind::HttpV2), [`FunctionUrl`](EventKind::FunctionUrl) | `headers`, repeated values joined with `,`; `Cookie` split on `;` into `cookies` |
/// | [`AlbMultiValue`](EventKind::AlbMultiValue) | `multiValueHeaders` only (all values) |
/// | [`AlbSingleValue`](EventKind::AlbSingleValue) | `headers` only (last value) |
/// | [`VpcLatticeV2`](EventKind::VpcLatticeV2) | `headers`, a map of arrays (all values) |
///
/// Except for the REST API, header names are lower-cased, as those services send them.
/// The fixture's own headers (`host`, `user-agent`, `x-forwarded-*`, ...) are kept unless
/// the test sets a header of the same name (compared case-insensitively), which replaces
/// all of the fixture's values, or calls [`EventBuilder::without_fixture_headers`].
///
/// The builder writes JSON and does not validate: an event that `lambda_http` cannot
/// deserialize makes [`invoke`] panic with `lambda_http`'s error.
#[derive(Debug, Clone)]
#[must_use = "an EventBuilder does nothing until built or passed to `invoke`"]
pub struct EventBuilder {
    kind: EventKind,
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    fixture_headers: bool,
    body: Option<String>,
}

impl EventBuilder {
    /// A `GET /items` event of `kind` with the fixture's headers and no body.
    pub fn new(kind: EventKind) -> Self {
        EventBuilder {
            kind,
            method: "GET".to_owned(),
            path: "/items".to_owned(),
            headers: Vec::new(),
            fixture_headers: true,
            body: None,
        }
    }

    /// The kind of event this builds.
    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// Sets the HTTP method, e.g. `"OPTIONS"` or `http::Method::OPTIONS` (upper-cased).
    pub fn method(mut self, method: impl AsRef<str>) -> Self {
        self.method = method.as_ref().to_ascii_uppercase();
        self
    }

    /// Sets the request path, which must start with `/`. It is placed verbatim (no
    /// percent-decoding) in every path field of the event; for [`EventKind::RestV1`] the
    /// `prod` stage is prefixed where API Gateway prefixes it (`requestContext.path`).
    ///
    /// # Panics
    ///
    /// If `path` does not start with `/` or contains `?`: query strings are not supported,
    /// because each service encodes and splits them differently.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        assert!(
            path.starts_with('/'),
            "event path must start with '/', got {path:?}"
        );
        assert!(
            !path.contains('?'),
            "event path {path:?} has a query string, which EventBuilder does not support"
        );
        self.path = path;
        self
    }

    /// Adds one request header. Call it again with the same name (in any case) to send the
    /// header several times, e.g. two `Origin` headers; values are kept in order.
    ///
    /// Lambda events are JSON, so a header value can only be a JSON string: a client's raw
    /// header bytes (obs-text bytes >= 0x80 that are not UTF-8) cannot be represented, and
    /// how a service would encode them is not reproduced here. Values are written as given:
    /// non-ASCII text reaches the handler as its UTF-8 bytes (on which
    /// `HeaderValue::to_str` fails), and a control character makes `lambda_http` 1.3 reject
    /// the whole event, so [`invoke`] panics.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds several request headers in order, as with [`EventBuilder::header`].
    pub fn headers<N, V>(mut self, headers: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: Into<String>,
        V: Into<String>,
    {
        self.headers.extend(
            headers
                .into_iter()
                .map(|(name, value)| (name.into(), value.into())),
        );
        self
    }

    /// Drops the fixture's headers (and, for payload 2.0, its cookies): the event carries
    /// only the headers added with [`EventBuilder::header`].
    pub fn without_fixture_headers(mut self) -> Self {
        self.fixture_headers = false;
        self
    }

    /// Sets a text request body (sent with `isBase64Encoded: false`).
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The event JSON.
    pub fn build(&self) -> Value {
        let kind = self.kind;
        let mut event = kind.template();
        let headers = self.request_headers(&event);
        let obj = object_mut(&mut event, "event");
        match kind {
            EventKind::RestV1 => self.build_rest_v1(obj, &headers),
            EventKind::HttpV2 | EventKind::FunctionUrl => self.build_payload_v2(obj, &headers),
            EventKind::AlbMultiValue | EventKind::AlbSingleValue => {
                self.build_alb(obj, &headers, kind == EventKind::AlbMultiValue);
            }
            EventKind::VpcLatticeV2 => self.build_vpc_lattice_v2(obj, &headers),
        }
        event
    }

    /// The request headers to send, grouped by name (first spelling kept, or lower-cased),
    /// values in order: the fixture's, minus those the test overrides, then the test's.
    fn request_headers(&self, template: &Value) -> Vec<(String, Vec<String>)> {
        let mut all = Vec::new();
        if self.fixture_headers {
            all.extend(
                fixture_headers(self.kind, template)
                    .into_iter()
                    .filter(|(name, _)| {
                        !self
                            .headers
                            .iter()
                            .any(|(own, _)| own.eq_ignore_ascii_case(name))
                    }),
            );
        }
        all.extend(self.headers.iter().cloned());
        group(all, self.kind.lowercases_header_names())
    }

    fn build_rest_v1(&self, obj: &mut Map<String, Value>, headers: &[(String, Vec<String>)]) {
        let mut single = Map::new();
        let mut multi = Map::new();
        for (name, values) in headers {
            let last = values.last().cloned().unwrap_or_default();
            single.insert(name.clone(), Value::String(last));
            multi.insert(name.clone(), string_array(values));
        }
        // API Gateway sends `null`, not `{}`, for a request without headers.
        let null_if_empty = |map: Map<String, Value>| {
            if map.is_empty() {
                Value::Null
            } else {
                Value::Object(map)
            }
        };
        obj.insert("headers".into(), null_if_empty(single));
        obj.insert("multiValueHeaders".into(), null_if_empty(multi));

        let method = Value::String(self.method.clone());
        obj.insert("httpMethod".into(), method.clone());
        obj.insert("path".into(), Value::String(self.path.clone()));
        let (resource, path_parameters) = if self.path == "/" {
            ("/", Value::Null)
        } else {
            let mut proxy = Map::new();
            proxy.insert("proxy".into(), Value::String(self.path[1..].to_owned()));
            ("/{proxy+}", Value::Object(proxy))
        };
        obj.insert("resource".into(), Value::String(resource.into()));
        obj.insert("pathParameters".into(), path_parameters);
        insert_body(obj, self.body.as_deref(), Value::Null);

        let context = object_mut(
            obj.entry("requestContext").or_insert(Value::Null),
            "requestContext",
        );
        let stage = context
            .get("stage")
            .and_then(Value::as_str)
            .unwrap_or("prod")
            .to_owned();
        context.insert("httpMethod".into(), method);
        context.insert(
            "path".into(),
            Value::String(format!("/{stage}{}", self.path)),
        );
        context.insert("resourcePath".into(), Value::String(resource.into()));
    }

    fn build_payload_v2(&self, obj: &mut Map<String, Value>, headers: &[(String, Vec<String>)]) {
        let mut map = Map::new();
        let mut cookies = Vec::new();
        let mut user_agent = None;
        for (name, values) in headers {
            if name == "cookie" {
                cookies.extend(
                    values
                        .iter()
                        .flat_map(|value| value.split(';'))
                        .map(str::trim)
                        .filter(|cookie| !cookie.is_empty())
                        .map(|cookie| Value::String(cookie.to_owned())),
                );
                continue;
            }
            let joined = values.join(",");
            if name == "user-agent" {
                user_agent = Some(joined.clone());
            }
            map.insert(name.clone(), Value::String(joined));
        }
        obj.insert("headers".into(), Value::Object(map));
        if cookies.is_empty() {
            obj.remove("cookies");
        } else {
            obj.insert("cookies".into(), Value::Array(cookies));
        }
        obj.insert("rawPath".into(), Value::String(self.path.clone()));
        match &self.body {
            Some(body) => {
                obj.insert("body".into(), Value::String(body.clone()));
            }
            None => {
                obj.remove("body");
            }
        }
        obj.insert("isBase64Encoded".into(), Value::Bool(false));

        let context = object_mut(
            obj.entry("requestContext").or_insert(Value::Null),
            "requestContext",
        );
        let http = object_mut(
            context.entry("http").or_insert(Value::Null),
            "requestContext.http",
        );
        http.insert("method".into(), Value::String(self.method.clone()));
        http.insert("path".into(), Value::String(self.path.clone()));
        match user_agent {
            Some(user_agent) => {
                http.insert("userAgent".into(), Value::String(user_agent));
            }
            None => {
                http.remove("userAgent");
            }
        }
    }

    fn build_alb(
        &self,
        obj: &mut Map<String, Value>,
        headers: &[(String, Vec<String>)],
        multi_value: bool,
    ) {
        let mut map = Map::new();
        for (name, values) in headers {
            let value = if multi_value {
                string_array(values)
            } else {
                Value::String(values.last().cloned().unwrap_or_default())
            };
            map.insert(name.clone(), value);
        }
        let (field, other) = if multi_value {
            ("multiValueHeaders", "headers")
        } else {
            ("headers", "multiValueHeaders")
        };
        obj.remove(other);
        obj.insert(field.into(), Value::Object(map));
        obj.insert("httpMethod".into(), Value::String(self.method.clone()));
        obj.insert("path".into(), Value::String(self.path.clone()));
        // An ALB sends `"body": ""` for a request without a body.
        insert_body(obj, self.body.as_deref(), Value::String(String::new()));
    }

    fn build_vpc_lattice_v2(
        &self,
        obj: &mut Map<String, Value>,
        headers: &[(String, Vec<String>)],
    ) {
        let map = headers
            .iter()
            .map(|(name, values)| (name.clone(), string_array(values)))
            .collect();
        obj.insert("headers".into(), Value::Object(map));
        obj.insert("method".into(), Value::String(self.method.clone()));
        obj.insert("path".into(), Value::String(self.path.clone()));
        insert_body(obj, self.body.as_deref(), Value::Null);
    }
}

/// An event that [`invoke`] accepts: JSON text, a parsed [`Value`], or an [`EventBuilder`].
pub trait EventJson {
    /// The event as JSON text.
    fn event_json(&self) -> String;
}

impl EventJson for str {
    fn event_json(&self) -> String {
        self.to_owned()
    }
}

impl EventJson for String {
    fn event_json(&self) -> String {
        self.clone()
    }
}

impl EventJson for Value {
    fn event_json(&self) -> String {
        self.to_string()
    }
}

impl EventJson for EventBuilder {
    fn event_json(&self) -> String {
        self.build().to_string()
    }
}

/// Runs one event through `lambda_http`'s own event handling and `service`, and returns the
/// serialized proxy response.
///
/// `service` is any `tower::Service<lambda_http::Request>` that `lambda_http::run` accepts:
/// `lambda_http::service_fn(handler)`, or a closure borrowing test state (its future only has
/// to live as long as the borrow). The event is deserialized into
/// `lambda_http::request::LambdaRequest`, wrapped in
/// `LambdaEvent::new(payload, Context::default())` (so no X-Ray trace header is added), and
/// passed to `lambda_http::Adapter::from(service)`; the `LambdaResponse` it produces is
/// serialized with `serde_json`.
///
/// # Errors
///
/// The handler's error, unchanged (`lambda_runtime` would report it as a function error,
/// which the services turn into a 502).
///
/// # Panics
///
/// If the event is not JSON, is not one of the [`EventKind`]s, cannot be deserialized by
/// `lambda_http`, or is taken by `lambda_http` for a different service than
/// [`EventKind::detect`] says (a fixture bug that would silently change the response shape).
pub async fn invoke<S, R, E, T>(service: S, event: &T) -> Result<Invocation, E>
where
    S: Service<Request, Response = R, Error = E>,
    S::Future: Send,
    R: IntoResponse,
    T: EventJson + ?Sized,
{
    let text = event.event_json();
    let event: Value = serde_json::from_str(&text)
        .unwrap_or_else(|err| panic!("the event is not valid JSON: {err}\n{text}"));
    let kind = EventKind::detect(&event)
        .unwrap_or_else(|| panic!("the event is none of the EventKinds:\n{text}"));
    // `lambda_runtime` deserializes the invocation payload from bytes; do the same.
    let payload: LambdaRequest = serde_json::from_slice(text.as_bytes()).unwrap_or_else(|err| {
        panic!("lambda_http cannot deserialize this {kind} event: {err}\n{text}")
    });
    let origin = payload.request_origin();
    assert!(
        kind.matches_origin(&origin),
        "lambda_http took this {kind} event for {origin:?}, so its response would have the wrong shape:\n{text}"
    );

    let mut adapter: Adapter<'_, R, S> = Adapter::from(service);
    poll_fn(|cx| adapter.poll_ready(cx)).await?;
    let response = adapter
        .call(LambdaEvent::new(payload, Context::default()))
        .await?;
    let bytes = serde_json::to_vec(&response).expect("lambda_http's LambdaResponse serializes");
    let raw = serde_json::from_slice(&bytes).expect("serialized LambdaResponse is JSON");
    Ok(Invocation { kind, event, raw })
}

/// The proxy response JSON that the function returned for one event, read the way the
/// invoking service reads it.
///
/// Header names are compared case-insensitively and reported in lower case. Which response
/// fields count depends on the [`EventKind`] of the request:
///
/// * [`RestV1`](EventKind::RestV1): API Gateway merges `multiValueHeaders` and `headers`;
///   a `headers` value is added unless the same name and value are already in
///   `multiValueHeaders` (AWS: "If the same key-value pair is specified in both, only the
///   values from multiValueHeaders will appear"). `lambda_http` leaves `headers` empty.
/// * [`HttpV2`](EventKind::HttpV2), [`FunctionUrl`](EventKind::FunctionUrl): `headers` (one
///   string per name; payload 2.0 has no `multiValueHeaders`, so `lambda_http`'s empty one
///   is ignored), plus one `set-cookie` header per entry of `cookies`.
/// * [`AlbMultiValue`](EventKind::AlbMultiValue): only `multiValueHeaders`, and
///   [`AlbSingleValue`](EventKind::AlbSingleValue): only `headers` — an ALB reads the field
///   that matches its target group setting, which is the field its events use, so the
///   request's shape decides. `lambda_http` fills both.
/// * [`VpcLatticeV2`](EventKind::VpcLatticeV2): `headers`.
#[derive(Debug, Clone)]
pub struct Invocation {
    kind: EventKind,
    event: Value,
    raw: Value,
}

impl Invocation {
    /// Reads a proxy response JSON that did not come from [`invoke`] (to check how a
    /// hand-written response would be read for `kind`); [`Invocation::event`] is `null`.
    pub fn from_response(kind: EventKind, raw: Value) -> Invocation {
        Invocation {
            kind,
            event: Value::Null,
            raw,
        }
    }

    /// The kind of the event that was invoked.
    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// The event JSON that was sent.
    pub fn event(&self) -> &Value {
        &self.event
    }

    /// The serialized response exactly as `lambda_http` produced it.
    pub fn raw(&self) -> &Value {
        &self.raw
    }

    /// The response's `statusCode`.
    ///
    /// # Panics
    ///
    /// If the response has no numeric `statusCode` in `0..=65535`.
    pub fn status(&self) -> u16 {
        self.raw
            .get("statusCode")
            .and_then(Value::as_u64)
            .and_then(|code| u16::try_from(code).ok())
            .unwrap_or_else(|| panic!("response has no valid statusCode: {}", self.raw))
    }

    /// Every response header the browser would receive, in order: lower-case name and
    /// value, one pair per header line (see the type documentation for which fields count).
    pub fn headers(&self) -> Vec<(String, String)> {
        let raw = &self.raw;
        let lowercase = |headers: Vec<(String, String)>| {
            headers
                .into_iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value))
                .collect::<Vec<_>>()
        };
        match self.kind {
            EventKind::RestV1 => {
                let mut headers = lowercase(field_headers(raw, "multiValueHeaders"));
                for (name, value) in lowercase(field_headers(raw, "headers")) {
                    if !headers.contains(&(name.clone(), value.clone())) {
                        headers.push((name, value));
                    }
                }
                headers
            }
            EventKind::HttpV2 | EventKind::FunctionUrl => {
                let mut headers = lowercase(field_headers(raw, "headers"));
                if let Some(cookies) = raw.get("cookies").and_then(Value::as_array) {
                    headers.extend(
                        cookies.iter().map(|cookie| {
                            ("set-cookie".to_owned(), json_string(cookie, "cookies"))
                        }),
                    );
                }
                headers
            }
            EventKind::AlbMultiValue => lowercase(field_headers(raw, "multiValueHeaders")),
            EventKind::AlbSingleValue | EventKind::VpcLatticeV2 => {
                lowercase(field_headers(raw, "headers"))
            }
        }
    }

    /// The values of response header `name` (any case) that the browser would receive, one
    /// per header line, in order; empty if absent.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers()
            .into_iter()
            .filter(|(own, _)| own.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
            .collect()
    }

    /// The value of response header `name` (any case), if the browser would receive it.
    ///
    /// # Panics
    ///
    /// If the header would arrive more than once: for CORS headers that is a bug, since
    /// browsers combine the lines into one list value and then reject it (e.g. two
    /// `Access-Control-Allow-Origin` values). Use [`Invocation::header_values`] for headers
    /// that may legitimately repeat.
    pub fn header(&self, name: &str) -> Option<String> {
        let mut values = self.header_values(name);
        assert!(
            values.len() <= 1,
            "response header {name:?} would reach the browser {} times ({values:?}) through {}; \
             browsers treat that as one comma-joined value. Response: {}",
            values.len(),
            self.kind,
            self.raw,
        );
        values.pop()
    }

    /// The response body as text (base64-decoded if `isBase64Encoded`, invalid UTF-8
    /// replaced); empty if there is no body.
    pub fn body(&self) -> String {
        String::from_utf8_lossy(&self.body_bytes()).into_owned()
    }

    /// The response body as bytes (base64-decoded if `isBase64Encoded`); empty if there is
    /// no body.
    ///
    /// # Panics
    ///
    /// If `isBase64Encoded` is true and the body is not valid base64.
    pub fn body_bytes(&self) -> Vec<u8> {
        let Some(body) = self.raw.get("body").and_then(Value::as_str) else {
            return Vec::new();
        };
        let base64 = self
            .raw
            .get("isBase64Encoded")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        match Body::from_maybe_encoded(base64, body) {
            Body::Empty => Vec::new(),
            Body::Text(text) => text.into_bytes(),
            Body::Binary(bytes) => bytes,
            other => panic!("unexpected body {other:?}"),
        }
    }
}

/// The request headers of a fixture, read from the field(s) the kind uses, with payload 2.0
/// `cookies` turned back into one `cookie` header.
fn fixture_headers(kind: EventKind, template: &Value) -> Vec<(String, String)> {
    match kind {
        EventKind::RestV1 | EventKind::AlbMultiValue => {
            field_headers(template, "multiValueHeaders")
        }
        EventKind::AlbSingleValue | EventKind::VpcLatticeV2 => field_headers(template, "headers"),
        EventKind::HttpV2 | EventKind::FunctionUrl => {
            let mut headers = field_headers(template, "headers");
            if let Some(cookies) = template.get("cookies").and_then(Value::as_array) {
                let cookies: Vec<String> = cookies
                    .iter()
                    .map(|cookie| json_string(cookie, "cookies"))
                    .collect();
                if !cookies.is_empty() {
                    headers.push(("cookie".to_owned(), cookies.join("; ")));
                }
            }
            headers
        }
    }
}

/// The `(name, value)` pairs of a header map field whose values are strings or arrays of
/// strings, names as spelled in the JSON. A missing or `null` field has no headers.
fn field_headers(json: &Value, field: &str) -> Vec<(String, String)> {
    let Some(map) = json.get(field).and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut headers = Vec::new();
    for (name, value) in map {
        match value {
            Value::Array(values) => headers.extend(
                values
                    .iter()
                    .map(|value| (name.clone(), json_string(value, field))),
            ),
            value => headers.push((name.clone(), json_string(value, field))),
        }
    }
    headers
}

/// Groups headers by case-insensitive name in first-seen order, keeping the first spelling
/// of each name (or lower-casing it) and every value in order.
fn group(headers: Vec<(String, String)>, lowercase: bool) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (name, value) in headers {
        match groups
            .iter_mut()
            .find(|(own, _)| own.eq_ignore_ascii_case(&name))
        {
            Some((_, values)) => values.push(value),
            None => {
                let name = if lowercase {
                    name.to_ascii_lowercase()
                } else {
                    name
                };
                groups.push((name, vec![value]));
            }
        }
    }
    groups
}

fn json_string(value: &Value, field: &str) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string in {field}, got {value}"))
        .to_owned()
}

fn string_array(values: &[String]) -> Value {
    Value::Array(values.iter().cloned().map(Value::String).collect())
}

fn insert_body(obj: &mut Map<String, Value>, body: Option<&str>, none: Value) {
    obj.insert(
        "body".into(),
        body.map_or(none, |body| Value::String(body.to_owned())),
    );
    obj.insert("isBase64Encoded".into(), Value::Bool(false));
}

fn object_mut<'v>(value: &'v mut Value, what: &str) -> &'v mut Map<String, Value> {
    if value.is_null() {
        *value = Value::Object(Map::new());
    }
    match value {
        Value::Object(map) => map,
        other => panic!("expected a JSON object for {what}, got {other}"),
    }
}
