// A concrete success type other than `Response<Body>` goes through `IntoResponse`.
use cors_runtime::cors;
use lambda_http::{Error, Request, service_fn};

#[cors(origins = ["https://app.example.com"])]
async fn text(_event: Request) -> Result<&'static str, Error> {
    Ok("hello")
}

#[cors(origins = ["https://app.example.com"])]
async fn owned_text(_event: Request) -> Result<String, Error> {
    Ok(String::from("hello"))
}

#[cors(origins = ["https://app.example.com"])]
async fn json(_event: Request) -> Result<serde_json::Value, Error> {
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
