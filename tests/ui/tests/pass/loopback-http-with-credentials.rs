// Plain http is trustworthy on loopback hosts, so credentials are fine there.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(
    origins = [
        "http://localhost:3000",
        "http://app.localhost:3000",
        "http://127.0.0.1:8080",
        "http://[::1]:9000",
    ],
    credentials
)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
}
