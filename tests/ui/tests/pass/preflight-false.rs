// `preflight = false`: the handler answers preflights itself.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["https://app.example.com"], credentials, expose_headers = ["X-Request-Id"], preflight = false)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
}
