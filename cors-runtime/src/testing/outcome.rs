//! Reading the CORS headers of a response the way a browser reads them.

use std::fmt;

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, VARY,
};
use http::{HeaderMap, HeaderName, StatusCode};

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
