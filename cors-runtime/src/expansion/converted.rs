//! A handler that returns another `IntoResponse` value than `Response<B>`: `lambda_http`
//! converts it once, as without `#[cors]`, and the headers go onto the result.

use std::future::Future;

use lambda_http::{Body, IntoResponse, Response};

use crate::cors_response::CorsResponse;
use crate::decision::After;
use crate::future::{CorsFuture, HandlerResult, Shape};

/// The handler returns another `IntoResponse` value: it is converted once, by `lambda_http`,
/// and the headers go onto the result.
#[derive(Debug)]
pub struct Converted;

impl<T> Shape<T, Body> for Converted {
    type Output = CorsResponse<T>;

    fn response(response: Response<Body>) -> CorsResponse<T> {
        CorsResponse::ready(response)
    }

    fn finish(value: T, after: After) -> CorsResponse<T> {
        CorsResponse::later(value, after)
    }
}

/// What a buffered handler may return on success.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a response: a `#[cors]` handler returns `Result<T, E>` with `T: lambda_http::IntoResponse`",
    label = "`{Self}` does not implement `lambda_http::IntoResponse`",
    note = "return `Response<Body>`, `String`, `&'static str`, `serde_json::Value` or another `IntoResponse` type; for a streaming body, add `streaming` to `#[cors(...)]`"
)]
pub trait HandlerOutput: IntoResponse {}

impl<T: IntoResponse> HandlerOutput for T {}

/// [`CorsFuture::handler`] for a handler whose success value is not a `Response<…>`: its type is
/// checked here, where a mistake reads best.
#[inline]
pub fn converted<F, C>(future: F, after: After) -> CorsFuture<F, Body, Converted, C>
where
    F: Future,
    F::Output: HandlerResult,
    <F::Output as HandlerResult>::Ok: HandlerOutput,
{
    CorsFuture::handler(future, after)
}
