use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["https://app.example.com"], credentials, catch_errors)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    if event.uri().path() == "/fail" {
        return Err("boom".into());
    }
    Ok(Response::new(Body::from("ok")))
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    assert_send(handler(Request::default()));
    drop(async { lambda_http::run(service_fn(handler)).await });
}
