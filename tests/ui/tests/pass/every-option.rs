// Every argument at once.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(
    origins = ["https://app.example.com", "https://*.preview.example.com", "http://localhost:3000"],
    origins_env = "EXTRA_ALLOWED_ORIGINS",
    credentials,
    methods = ["GET", "PUT", "DELETE", "PURGE"],
    headers = ["Content-Type", "Authorization", "X-Request-Id"],
    expose_headers = ["X-Request-Id", "ETag"],
    max_age = 600,
    preflight = true,
    crate = "::cors_runtime"
)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

#[cors(origins = "*", methods = ["*"], headers = ["*"], expose_headers = ["*"], max_age = 86400)]
async fn public(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"], max_age = 0)]
async fn no_cache(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
    assert_send(public(Request::default()));
    drop(lambda_http::run(service_fn(public)));
    assert_send(no_cache(Request::default()));
    drop(lambda_http::run(service_fn(no_cache)));
}
