// The request type under the names users give it: `lambda_http`'s alias, the `http` type it
// stands for, and aliases of their own. Each is `lambda_http::Request`, so none is mistaken for
// another framework's request.
use cors_runtime::cors;
use lambda_http::http;
use lambda_http::{Body, Error, Response, service_fn};

mod app {
    pub type Request = lambda_http::Request;
}

type Request = http::Request<Body>;

#[cors(origins = ["https://app.example.com"])]
async fn http_type(event: http::Request<Body>) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn alias_in_a_module(event: app::Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn local_alias(event: Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn fully_qualified(event: lambda_http::http::Request<lambda_http::Body>) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(http_type(Request::default()));
    drop(lambda_http::run(service_fn(http_type)));
    assert_send(alias_in_a_module(Request::default()));
    drop(lambda_http::run(service_fn(alias_in_a_module)));
    assert_send(local_alias(Request::default()));
    drop(lambda_http::run(service_fn(local_alias)));
    assert_send(fully_qualified(Request::default()));
    drop(lambda_http::run(service_fn(fully_qualified)));
}
