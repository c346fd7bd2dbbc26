// `**.` (one or more labels) and `:*` (any port), alone and together, with credentials (every
// entry https or loopback) and without (plain http on any host).
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(
    origins = [
        "https://**.example.com",
        "https://**.example.org:*",
        "https://*.preview.example.net:*",
        "https://app.example.net:*",
        "http://localhost:*",
        "http://127.0.0.1:*",
        "http://[::1]:*",
        "http://*.localhost",
        "http://**.localhost:*",
    ],
    credentials
)]
async fn with_credentials(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

#[cors(origins = ["http://**.example.com", "http://app.example.org:*", "https://**.amazonaws.com"])]
async fn without_credentials(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(with_credentials(Request::default()));
    assert_send(without_credentials(Request::default()));
    drop(lambda_http::run(service_fn(with_credentials)));
}
