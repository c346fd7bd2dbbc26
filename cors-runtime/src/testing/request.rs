//! Requests a browser would send, as `lambda_http` requests, and sending them to a handler.

use std::future::Future;

use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use http::{HeaderName, HeaderValue, Method, Uri};
use lambda_http::{Body, Request};

use super::CorsOutcome;

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
