//! Calling a `#[cors]` handler in a unit test, and reading what a browser would see.
//!
//! An annotated handler is an ordinary `async fn` taking a [`lambda_http::Request`], so a test
//! can call it directly: [`request`] and [`preflight`] build the request a browser would send
//! (without any Lambda event JSON), and [`CorsOutcome`] reads the CORS headers of the answer.
//! [`TestRequest::send_to`] does both in one call:
//!
//! ```
//! use cors_runtime::{cors, testing};
//! use lambda_http::http::Method;
//! use lambda_http::{Body, Error, Request, Response};
//!
//! #[cors(origins = ["https://app.example.com"], credentials, methods = ["GET", "PUT"])]
//! async fn handler(_event: Request) -> Result<Response<Body>, Error> {
//!     Ok(Response::new(Body::from("hello")))
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! // In your own tests: `#[tokio::test] async fn put_from_the_app() -> Result<(), Error> {`
//! let preflight = testing::preflight("https://app.example.com", Method::PUT)
//!     .request_headers(["content-type"])
//!     .send_to(handler)
//!     .await?;
//! assert_eq!(preflight.allowed_origin(), Some("https://app.example.com"));
//! assert!(preflight.allows_credentials());
//! assert_eq!(preflight.allowed_methods(), ["GET", "PUT"]);
//! assert_eq!(preflight.allowed_headers(), ["content-type"]);
//!
//! let put = testing::request(Method::PUT, "/notes/1")
//!     .origin("https://app.example.com")
//!     .send_to(handler)
//!     .await?;
//! assert_eq!(put.allowed_origin(), Some("https://app.example.com"));
//! assert!(put.varies_on_origin());
//!
//! let elsewhere = testing::request(Method::GET, "/")
//!     .origin("https://evil.example")
//!     .send_to(handler)
//!     .await?;
//! assert_eq!(elsewhere.allowed_origin(), None);
//! # Ok(())
//! # }
//! ```
//!
//! To check the body or status as well, call the handler with [`TestRequest::build`] and read
//! the response with [`CorsOutcome::of`].
//!
//! A policy with `origins_env` reads its variable once per process, on the handler's first
//! call, and the tests of one test binary share a process: set the variable before any test
//! calls the handler (or give the handler a fixed `origins` list for unit tests, and test the
//! variable in a separate test binary).
//!
//! The requests are what a browser sends, nothing more: no Lambda request context, no `Host`
//! header unless you add one with [`TestRequest::header`], and no parsed query string
//! (`lambda_http::RequestExt::with_query_string_parameters` on the built request adds one).
//! For the path through real API Gateway, ALB or Function URL events, run the function under
//! `cargo lambda watch --disable-cors`.

use std::fmt;
use std::future::Future;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use lambda_http::{Body, Request};

/// A request with `method` to `path` (or a full URI), with no `Origin` yet: add one with
/// [`TestRequest::origin`] to make it cross-origin.
///
/// ```
/// use cors_runtime::testing;
/// use lambda_http::http::Method;
///
/// let request = testing::request(Method::DELETE, "/notes/1?force=true")
///     .origin("https://app.example.com")
///     .build();
/// assert_eq!(request.method(), Method::DELETE);
/// assert_eq!(request.uri().path(), "/notes/1");
/// assert_eq!(request.headers()["origin"], "https://app.example.com");
/// ```
///
/// # Panics
///
/// If `path` is not a valid URI.
pub fn request(method: Method, path: &str) -> TestRequest {
    let mut request = Request::new(Body::Empty);
    *request.method_mut() = method;
    TestRequest(request).path(path)
}

/// The preflight a browser sends from `origin` before a request with `method`: `OPTIONS /`
/// with `Origin` and `Access-Control-Request-Method`. Add the request's non-safelisted
/// headers with [`TestRequest::request_headers`] and another path with [`TestRequest::path`].
///
/// ```
/// use cors_runtime::testing;
/// use lambda_http::http::Method;
///
/// let request = testing::preflight("https://app.example.com", Method::PUT)
///     .request_headers(["X-Custom", "content-type"])
///     .path("/notes/1")
///     .build();
/// assert_eq!(request.method(), Method::OPTIONS);
/// assert_eq!(request.uri(), "/notes/1");
/// assert_eq!(request.headers()["access-control-request-method"], "PUT");
/// assert_eq!(request.headers()["access-control-request-headers"], "content-type,x-custom");
/// ```
///
/// # Panics
///
/// If `origin` is not a valid header value.
pub fn preflight(origin: &str, method: Method) -> TestRequest {
    let method = header_value(ACCESS_CONTROL_REQUEST_METHOD.as_str(), method.as_str());
    request(Method::OPTIONS, "/")
        .origin(origin)
        .set(ACCESS_CONTROL_REQUEST_METHOD, method)
}

/// A request being built for a test: see [`request`] and [`preflight`].
///
/// Turn it into a [`lambda_http::Request`] with [`build`](Self::build) (or `.into()`), or
/// pass it to a handler and read the outcome in one step with [`send_to`](Self::send_to).
#[derive(Debug)]
#[must_use = "a `TestRequest` does nothing until it is built or sent to a handler"]
pub struct TestRequest(Request);

impl TestRequest {
    /// Sets the `Origin` header, replacing any earlier one, to `origin` as the browser would
    /// send it (`scheme://host[:port]`, or `null`).
    ///
    /// ```
    /// use cors_runtime::testing;
    /// use lambda_http::http::Method;
    ///
    /// let request = testing::request(Method::GET, "/").origin("null").build();
    /// assert_eq!(request.headers()["origin"], "null");
    /// ```
    ///
    /// # Panics
    ///
    /// If `origin` is not a valid header value.
    pub fn origin(self, origin: &str) -> Self {
        let value = header_value("origin", origin);
        self.set(ORIGIN, value)
    }

    /// Sets `Access-Control-Request-Headers` to `names` the way browsers write it: lowercase,
    /// sorted, joined by commas without spaces. With no names the header is removed, as
    /// browsers leave it out when every header of the request is safelisted.
    ///
    /// ```
    /// use cors_runtime::testing;
    /// use lambda_http::http::Method;
    ///
    /// let request = testing::preflight("https://app.example.com", Method::POST)
    ///     .request_headers(["X-Request-Id", "Authorization"])
    ///     .build();
    /// assert_eq!(
    ///     request.headers()["access-control-request-headers"],
    ///     "authorization,x-request-id",
    /// );
    /// ```
    ///
    /// # Panics
    ///
    /// If a name is not a valid header name.
    pub fn request_headers<I>(mut self, names: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut names: Vec<String> = names
            .into_iter()
            .map(|name| {
                let name = name.as_ref();
                match HeaderName::from_bytes(name.as_bytes()) {
                    Ok(name) => name.as_str().to_owned(),
                    Err(_) => panic!("`{name}` is not a valid header name"),
                }
            })
            .collect();
        if names.is_empty() {
            self.0.headers_mut().remove(ACCESS_CONTROL_REQUEST_HEADERS);
            return self;
        }
        names.sort();
        names.dedup();
        let value = header_value("access-control-request-headers", &names.join(","));
        self.set(ACCESS_CONTROL_REQUEST_HEADERS, value)
    }

    /// Adds a header (after any earlier value of the same name), such as `Host`, `Cookie` or
    /// `Authorization`.
    ///
    /// ```
    /// use cors_runtime::testing;
    /// use lambda_http::http::Method;
    ///
    /// let request = testing::request(Method::GET, "/me")
    ///     .header("cookie", "session=abc")
    ///     .build();
    /// assert_eq!(request.headers()["cookie"], "session=abc");
    /// ```
    ///
    /// # Panics
    ///
    /// If `name` is not a valid header name or `value` not a valid header value.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let Ok(header) = HeaderName::from_bytes(name.as_bytes()) else {
            panic!("`{name}` is not a valid header name");
        };
        let value = header_value(name, value);
        self.0.headers_mut().append(header, value);
        self
    }

    /// Sets the path (or a full URI), replacing the one given to [`request`] or `/` for
    /// [`preflight`].
    ///
    /// ```
    /// use cors_runtime::testing;
    /// use lambda_http::http::Method;
    ///
    /// let request = testing::request(Method::GET, "/").path("/notes?page=2").build();
    /// assert_eq!(request.uri().query(), Some("page=2"));
    /// ```
    ///
    /// # Panics
    ///
    /// If `path` is not a valid URI.
    pub fn path(mut self, path: &str) -> Self {
        match path.parse::<Uri>() {
            Ok(uri) => *self.0.uri_mut() = uri,
            Err(err) => panic!("`{path}` is not a valid path or URI: {err}"),
        }
        self
    }

    /// Sets the body.
    ///
    /// ```
    /// use cors_runtime::testing;
    /// use lambda_http::http::Method;
    /// use lambda_http::Body;
    ///
    /// let request = testing::request(Method::POST, "/notes").body("{}").build();
    /// assert_eq!(request.body(), &Body::from("{}"));
    /// ```
    pub fn body(mut self, body: impl Into<Body>) -> Self {
        *self.0.body_mut() = body.into();
        self
    }

    /// The request, to pass to a handler yourself.
    ///
    /// ```
    /// use cors_runtime::{cors, testing};
    /// use lambda_http::http::{Method, StatusCode};
    /// use lambda_http::{Body, Error, Request, Response};
    ///
    /// #[cors(origins = ["https://app.example.com"])]
    /// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    ///     Ok(Response::new(Body::from("hello")))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// let response = handler(testing::request(Method::GET, "/").build()).await?;
    /// assert_eq!(response.status(), StatusCode::OK);
    /// assert_eq!(response.body(), &Body::from("hello"));
    /// assert!(testing::CorsOutcome::of(&response).varies_on_origin());
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn build(self) -> Request {
        self.0
    }

    /// Calls `handler` with this request and reads the CORS headers of its response: the one
    /// call most tests need. A handler error is returned as it is.
    ///
    /// Any handler with one `Request` parameter fits; for one that takes shared state too,
    /// pass a closure, like `.send_to(|event| handler(&state, event))`.
    ///
    /// ```
    /// use cors_runtime::{cors, testing};
    /// use lambda_http::http::Method;
    /// use lambda_http::{Body, Error, Request, Response};
    ///
    /// struct State {
    ///     greeting: &'static str,
    /// }
    ///
    /// #[cors(origins = "*")]
    /// async fn handler(state: &State, _event: Request) -> Result<Response<Body>, Error> {
    ///     Ok(Response::new(Body::from(state.greeting)))
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// let state = State { greeting: "hello" };
    /// let outcome = testing::request(Method::GET, "/")
    ///     .origin("https://anywhere.example")
    ///     .send_to(|event| handler(&state, event))
    ///     .await?;
    /// assert_eq!(outcome.allowed_origin(), Some("*"));
    /// assert!(!outcome.varies_on_origin());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_to<H, F, R, E>(self, handler: H) -> Result<CorsOutcome, E>
    where
        H: FnOnce(Request) -> F,
        F: Future<Output = Result<R, E>>,
        R: Answer,
    {
        let answer = handler(self.0).await?;
        Ok(answer.outcome().await)
    }

    fn set(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.0.headers_mut().insert(name, value);
        self
    }
}

/// What a handler answers on success, as [`TestRequest::send_to`] reads it: a
/// `Response<B>` (a handler under `#[cors]` that returns `Response<…>` keeps that type), or the
/// [`CorsResponse`](crate::CorsResponse) of one that returns another `IntoResponse` value,
/// converted as `lambda_http` would.
pub trait Answer {
    /// The CORS outcome of the answer.
    fn outcome(self) -> impl Future<Output = CorsOutcome>;
}

impl<B> Answer for http::Response<B> {
    async fn outcome(self) -> CorsOutcome {
        CorsOutcome::of(&self)
    }
}

impl<T: lambda_http::IntoResponse> Answer for crate::CorsResponse<T> {
    async fn outcome(self) -> CorsOutcome {
        CorsOutcome::of(&self.into_response().await)
    }
}

impl From<TestRequest> for Request {
    fn from(request: TestRequest) -> Request {
        request.build()
    }
}

fn header_value(name: &str, value: &str) -> HeaderValue {
    match HeaderValue::from_str(value) {
        Ok(value) => value,
        Err(_) => panic!("`{value}` is not a valid value for the `{name}` header"),
    }
}

/// The CORS headers of a response, read the way a browser reads them.
///
/// Every accessor answers from the response's headers alone, so it works for any handler,
/// with or without `#[cors]`.
///
/// ```
/// use cors_runtime::testing::CorsOutcome;
/// use lambda_http::{Body, Response};
///
/// let response = Response::builder()
///     .status(204)
///     .header("access-control-allow-origin", "https://app.example.com")
///     .header("access-control-allow-credentials", "true")
///     .header("access-control-allow-methods", "GET, PUT")
///     .header("access-control-allow-headers", "content-type")
///     .header("access-control-max-age", "600")
///     .header("vary", "Origin, Access-Control-Request-Headers")
///     .body(Body::Empty)
///     .unwrap();
/// let outcome = CorsOutcome::of(&response);
/// assert_eq!(outcome.status(), 204);
/// assert_eq!(outcome.allowed_origin(), Some("https://app.example.com"));
/// assert!(outcome.allows_credentials());
/// assert_eq!(outcome.allowed_methods(), ["GET", "PUT"]);
/// assert_eq!(outcome.allowed_headers(), ["content-type"]);
/// assert_eq!(outcome.exposed_headers(), Vec::<&str>::new());
/// assert_eq!(outcome.max_age(), Some(600));
/// assert!(outcome.varies_on_origin());
/// assert!(outcome.varies_on("access-control-request-headers"));
/// ```
#[derive(Clone)]
#[must_use]
pub struct CorsOutcome {
    status: StatusCode,
    headers: HeaderMap,
}

impl CorsOutcome {
    /// Reads `response`'s status and headers (copied, so the response stays yours).
    ///
    /// ```
    /// use cors_runtime::testing::CorsOutcome;
    /// use lambda_http::{Body, Response};
    ///
    /// let response = Response::new(Body::from("no CORS here"));
    /// let outcome = CorsOutcome::of(&response);
    /// assert_eq!(outcome.allowed_origin(), None);
    /// assert!(!outcome.varies_on_origin());
    /// ```
    pub fn of<B>(response: &http::Response<B>) -> Self {
        Self {
            status: response.status(),
            headers: response.headers().clone(),
        }
    }

    /// The response's status: `204 No Content` for a preflight `#[cors]` answered.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// # let response = lambda_http::Response::new(lambda_http::Body::Empty);
    /// assert_eq!(CorsOutcome::of(&response).status(), 200);
    /// ```
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every header of the response.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("content-type", "text/plain")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert_eq!(CorsOutcome::of(&response).headers()["content-type"], "text/plain");
    /// ```
    #[must_use]
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `Access-Control-Allow-Origin`: the origin that may read the response, or `*`.
    ///
    /// `None` when the header is absent, and also when it appears more than once or is not
    /// visible ASCII, since browsers then refuse the response just the same.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let twice = lambda_http::Response::builder()
    ///     .header("access-control-allow-origin", "https://app.example.com")
    ///     .header("access-control-allow-origin", "https://app.example.com")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert_eq!(CorsOutcome::of(&twice).allowed_origin(), None);
    /// ```
    #[must_use]
    pub fn allowed_origin(&self) -> Option<&str> {
        let mut values = self.headers.get_all(ACCESS_CONTROL_ALLOW_ORIGIN).iter();
        let value = values.next()?;
        if values.next().is_some() {
            return None;
        }
        value.to_str().ok()
    }

    /// Whether `Access-Control-Allow-Credentials` is `true` (exactly, as browsers require),
    /// so that a request with cookies may read the response.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("access-control-allow-credentials", "TRUE")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert!(!CorsOutcome::of(&response).allows_credentials());
    /// ```
    #[must_use]
    pub fn allows_credentials(&self) -> bool {
        let mut values = self
            .headers
            .get_all(ACCESS_CONTROL_ALLOW_CREDENTIALS)
            .iter();
        values.next().is_some_and(|value| value == "true") && values.next().is_none()
    }

    /// `Access-Control-Allow-Methods`, one entry per method, in order (`["*"]` for any).
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("access-control-allow-methods", "GET, HEAD, POST, PUT, PATCH, DELETE")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert!(CorsOutcome::of(&response).allowed_methods().contains(&"PATCH"));
    /// ```
    #[must_use]
    pub fn allowed_methods(&self) -> Vec<&str> {
        self.list(&ACCESS_CONTROL_ALLOW_METHODS)
    }

    /// `Access-Control-Allow-Headers`, one entry per header name, as sent (`["*"]` for any).
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("access-control-allow-headers", "content-type,x-custom")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert_eq!(CorsOutcome::of(&response).allowed_headers(), ["content-type", "x-custom"]);
    /// ```
    #[must_use]
    pub fn allowed_headers(&self) -> Vec<&str> {
        self.list(&ACCESS_CONTROL_ALLOW_HEADERS)
    }

    /// `Access-Control-Expose-Headers`: the response headers a page's script may read beyond
    /// the safelisted ones.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("access-control-expose-headers", "x-request-id")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert_eq!(CorsOutcome::of(&response).exposed_headers(), ["x-request-id"]);
    /// ```
    #[must_use]
    pub fn exposed_headers(&self) -> Vec<&str> {
        self.list(&ACCESS_CONTROL_EXPOSE_HEADERS)
    }

    /// `Access-Control-Max-Age` in seconds, if present and a number.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// # let response = lambda_http::Response::new(lambda_http::Body::Empty);
    /// assert_eq!(CorsOutcome::of(&response).max_age(), None);
    /// ```
    #[must_use]
    pub fn max_age(&self) -> Option<u64> {
        self.headers
            .get(ACCESS_CONTROL_MAX_AGE)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The names in `Vary`, over every `Vary` line, as sent.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("vary", "Accept-Encoding, Origin")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert_eq!(CorsOutcome::of(&response).vary(), ["Accept-Encoding", "Origin"]);
    /// ```
    #[must_use]
    pub fn vary(&self) -> Vec<&str> {
        self.list(&VARY)
    }

    /// Whether `Vary` names `name` (in any letter case) or is `*`: whether a cache keeps
    /// answers apart by that request header.
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("vary", "*")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert!(CorsOutcome::of(&response).varies_on("accept-language"));
    /// ```
    #[must_use]
    pub fn varies_on(&self, name: &str) -> bool {
        self.vary()
            .iter()
            .any(|listed| *listed == "*" || listed.eq_ignore_ascii_case(name))
    }

    /// Whether `Vary` covers `Origin`, as every answer that depends on the request's origin
    /// must (or a cache serves one origin's answer to another).
    ///
    /// ```
    /// # use cors_runtime::testing::CorsOutcome;
    /// let response = lambda_http::Response::builder()
    ///     .header("vary", "origin")
    ///     .body(lambda_http::Body::Empty)
    ///     .unwrap();
    /// assert!(CorsOutcome::of(&response).varies_on_origin());
    /// ```
    #[must_use]
    pub fn varies_on_origin(&self) -> bool {
        self.varies_on("origin")
    }

    fn list(&self, name: &HeaderName) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .collect()
    }
}

impl fmt::Debug for CorsOutcome {
    /// The status and the CORS-related headers only, so a failed assertion shows what matters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut outcome = f.debug_struct("CorsOutcome");
        outcome.field("status", &self.status.as_u16());
        for (name, value) in &self.headers {
            if name.as_str().starts_with("access-control-") || name == VARY {
                outcome.field(name.as_str(), &String::from_utf8_lossy(value.as_bytes()));
            }
        }
        outcome.finish()
    }
}
