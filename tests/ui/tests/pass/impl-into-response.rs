// `Result<impl IntoResponse, Error>` with each kind of value `lambda_http` turns into a response.
use cors_runtime::cors;
use lambda_http::{Error, IntoResponse, Request, service_fn};

#[cors(origins = "*")]
async fn text(_event: Request) -> Result<impl IntoResponse, Error> {
    Ok("hello")
}

#[cors(origins = "*")]
async fn owned_text(_event: Request) -> Result<impl IntoResponse, Error> {
    Ok(String::from("hello"))
}

#[cors(origins = "*")]
async fn json(_event: Request) -> Result<impl IntoResponse, Error> {
    Ok(serde_json::json!({ "hello": "world" }))
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(text(Request::default()));
    drop(lambda_http::run(service_fn(text)));
    assert_send(owned_text(Request::default()));
    drop(lambda_http::run(service_fn(owned_text)));
    assert_send(json(Request::default()));
    drop(lambda_http::run(service_fn(json)));
}
