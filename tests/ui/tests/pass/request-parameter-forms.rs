// Every way of writing the request parameter: qualified, as `http::Request<Body>`, `mut`,
// underscore-named, a wildcard, a raw identifier.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["https://app.example.com"])]
async fn qualified(event: lambda_http::Request) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn http_request(event: lambda_http::http::Request<Body>) -> Result<Response<Body>, Error> {
    let _ = event;
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn mutable(mut event: lambda_http::Request) -> Result<Response<Body>, Error> {
    event.headers_mut().clear();
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn underscore(_event: lambda_http::Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn wildcard(_: lambda_http::Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
async fn raw_identifier(r#ref: lambda_http::Request) -> Result<Response<Body>, Error> {
    let _ = r#ref;
    Ok(Response::default())
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(qualified(Request::default()));
    drop(lambda_http::run(service_fn(qualified)));
    assert_send(http_request(Request::default()));
    drop(lambda_http::run(service_fn(http_request)));
    assert_send(mutable(Request::default()));
    drop(lambda_http::run(service_fn(mutable)));
    assert_send(underscore(Request::default()));
    drop(lambda_http::run(service_fn(underscore)));
    assert_send(wildcard(Request::default()));
    drop(lambda_http::run(service_fn(wildcard)));
    assert_send(raw_identifier(Request::default()));
    drop(lambda_http::run(service_fn(raw_identifier)));
}
