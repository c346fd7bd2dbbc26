// `allow_insecure_http` accepts the risk of a plain-http origin with credentials.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["http://intranet.example.com", "https://app.example.com"], credentials, allow_insecure_http)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
}
