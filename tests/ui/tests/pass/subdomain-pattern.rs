// A pattern matching one label: `https://*.preview.example.com`, with a port too.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["https://*.preview.example.com", "https://*.example.com:8443"], credentials)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
}
