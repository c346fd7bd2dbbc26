// The plain shape: `Result<Response<Body>, Error>`, served by `lambda_http::run`.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["https://app.example.com"], credentials)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::new(Body::from("hello")))
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
}
