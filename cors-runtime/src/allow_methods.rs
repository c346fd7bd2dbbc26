//! `Access-Control-Allow-Methods`: the `methods` setting, built from its entries, and its answer
//! to a preflight.

use cors_grammar::MethodEntry;
use http::header::{ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_REQUEST_METHOD};
use http::{HeaderMap, HeaderValue, Method};

use crate::comma_list;

/// Methods allowed when `methods` is not given. GET, HEAD and POST never need listing; the
/// others are what REST APIs use.
///
/// ```
/// use cors_runtime::{DEFAULT_METHODS, cors, testing};
/// use lambda_http::http::Method;
/// use lambda_http::{Body, Error, Request, Response};
///
/// #[cors(origins = ["https://app.example.com"])]
/// async fn handler(_event: Request) -> Result<Response<Body>, Error> {
///     Ok(Response::new(Body::Empty))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let preflight = testing::preflight("https://app.example.com", Method::PATCH)
///     .send_to(handler)
///     .await?;
/// assert_eq!(preflight.headers()["access-control-allow-methods"], DEFAULT_METHODS);
/// # Ok(())
/// # }
/// ```
pub const DEFAULT_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";

/// The methods a preflight may ask for.
#[derive(Debug)]
pub(crate) enum AllowedMethods {
    /// `*`: any method (never with credentials).
    Any,
    /// The listed methods, and the header value that lists them.
    List {
        methods: Vec<Method>,
        value: HeaderValue,
    },
}

impl AllowedMethods {
    /// The setting of the checked `methods` entries; `None` when `methods` is not given.
    pub(crate) fn new(entries: Option<Vec<MethodEntry>>) -> Self {
        let Some(entries) = entries else {
            let methods = DEFAULT_METHODS
                .split(", ")
                .filter_map(|m| Method::from_bytes(m.as_bytes()).ok())
                .collect();
            return AllowedMethods::List {
                methods,
                value: HeaderValue::from_static(DEFAULT_METHODS),
            };
        };
        let mut methods = Vec::new();
        for entry in entries {
            match entry {
                // Without credentials (the rules refuse `*` with them) `*` covers every method.
                MethodEntry::Any => return AllowedMethods::Any,
                MethodEntry::Method(method) => methods.push(method),
            }
        }
        AllowedMethods::List {
            value: comma_list::join(methods.iter().map(Method::as_str)),
            methods,
        }
    }

    /// Puts the setting on a preflight's answer. The answer is the same whatever the preflight
    /// asks for: the browser compares the requested method with the list.
    #[inline]
    pub(crate) fn answer(&self, answer: &mut HeaderMap) {
        // Made at compile time (`from_static` at run time checks every byte again).
        #[allow(clippy::declare_interior_mutable_const)]
        const ANY: HeaderValue = HeaderValue::from_static("*");
        let value = match self {
            AllowedMethods::Any => ANY,
            AllowedMethods::List { value, .. } => value.clone(),
        };
        answer.insert(ACCESS_CONTROL_ALLOW_METHODS, value);
    }

    /// Why the browser will refuse the method `request` asks for, if it will: only for the
    /// debug log, since the answer does not depend on it.
    pub(crate) fn refusal(&self, request: &HeaderMap) -> Option<&'static str> {
        let AllowedMethods::List { methods, .. } = self else {
            return None;
        };
        let allowed = request
            .get(ACCESS_CONTROL_REQUEST_METHOD)
            .is_some_and(|requested| {
                let requested = requested.as_bytes();
                matches!(requested, b"GET" | b"HEAD" | b"POST")
                    || methods.iter().any(|m| m.as_str().as_bytes() == requested)
            });
        (!allowed).then_some("method not allowed")
    }
}
