use cors_runtime::cors;
use lambda_http::lambda_runtime::streaming::{Body, channel};
use lambda_http::{Error, Request, Response, run_with_streaming_response, service_fn};

#[cors(origins_env = "ALLOWED_ORIGINS", credentials, streaming, catch_errors)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    let (_sender, body) = channel();
    Ok(Response::new(body))
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    assert_send(handler(Request::default()));
    drop(async { run_with_streaming_response(service_fn(handler)).await });
}
