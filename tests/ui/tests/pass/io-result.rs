// `std::io::Result<T>`: `lambda_http::run` accepts `std::io::Error` as a handler error.
use cors_runtime::cors;
use lambda_http::{Request, service_fn};

#[cors(origins = ["https://app.example.com"])]
async fn handler(_event: Request) -> std::io::Result<String> {
    Ok(String::from("hello"))
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
}
