//! What a `#[cors]` handler that returns another `IntoResponse` than `Response<B>` returns.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use lambda_http::{Body, IntoResponse, Response};

use crate::decision::After;

/// What a handler under `#[cors]` that does not return `Response<…>` returns on success: its
/// own value (`impl IntoResponse`) and the CORS headers to put on the response `lambda_http`
/// makes of it. It implements [`lambda_http::IntoResponse`], so `lambda_http::run` converts the
/// value once, as it would without `#[cors]`.
///
/// In a test that calls the handler directly, [`into_response`](CorsResponse::into_response)
/// gives that response (or use [`testing`](crate::testing), which does it for you).
///
/// ```
/// use cors_runtime::cors;
/// use lambda_http::{Error, IntoResponse, Request};
///
/// #[cors(origins = ["https://app.example.com"])]
/// async fn handler(_event: Request) -> Result<impl IntoResponse, Error> {
///     Ok(String::from("hello"))
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// let event = cors_runtime::testing::request(lambda_http::http::Method::GET, "/")
///     .origin("https://app.example.com")
///     .build();
/// let response = handler(event).await?.into_response().await;
/// assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.com");
/// assert_eq!(response.headers()["vary"], "Origin");
/// # Ok(())
/// # }
/// ```
pub struct CorsResponse<T>(Inner<T>);

enum Inner<T> {
    /// A preflight's answer, or a caught failure's: headers already set.
    Ready(Response<Body>),
    /// The handler's value and the decision for its response.
    Later(T, After),
}

impl<T> fmt::Debug for CorsResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorsResponse").finish_non_exhaustive()
    }
}

impl<T> CorsResponse<T> {
    /// A preflight's answer, or a caught failure's, with its headers already set.
    pub(crate) fn ready(response: Response<Body>) -> Self {
        CorsResponse(Inner::Ready(response))
    }

    /// The handler's value, and the decision for the response `lambda_http` makes of it.
    pub(crate) fn later(value: T, after: After) -> Self {
        CorsResponse(Inner::Later(value, after))
    }
}

impl<T: IntoResponse> CorsResponse<T> {
    /// The response `lambda_http` would send: the value converted, with the CORS headers.
    pub async fn into_response(self) -> Response<Body> {
        IntoResponse::into_response(self).await
    }
}

impl<T: IntoResponse> IntoResponse for CorsResponse<T> {
    fn into_response(self) -> Pin<Box<dyn Future<Output = Response<Body>> + Send>> {
        match self.0 {
            Inner::Ready(response) => Box::pin(std::future::ready(response)),
            Inner::Later(value, after) => {
                let response = value.into_response();
                Box::pin(async move { after.finish(response.await) })
            }
        }
    }
}
