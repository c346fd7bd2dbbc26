// Doc comments, visibility and other attributes stay on the handler: `deny(warnings)` turns a
// lost `#[allow(dead_code)]` into a failure.
#![deny(warnings)]

mod api {
    use cors_runtime::cors;
    use lambda_http::{Body, Error, Request, Response};

    /// Answers with an empty body.
    ///
    /// Documented, `pub(crate)`, `#[must_use]`, `#[inline]`.
    #[cors(origins = ["https://app.example.com"])]
    #[must_use]
    #[inline]
    pub(crate) async fn handler(_event: Request) -> Result<Response<Body>, Error> {
        Ok(Response::default())
    }

    /// Never called: without its `#[allow(dead_code)]` this would not compile.
    #[cors(origins = ["https://app.example.com"])]
    #[allow(dead_code)]
    pub(crate) async fn unused(_event: Request) -> Result<Response<Body>, Error> {
        Ok(Response::default())
    }

    /// Attributes above `#[cors]` are kept too.
    #[allow(dead_code)]
    #[cors(origins = ["https://app.example.com"])]
    async fn unused_private(_event: Request) -> Result<Response<Body>, Error> {
        Ok(Response::default())
    }
}

pub fn main() {
    drop(api::handler(lambda_http::Request::default()));
}
