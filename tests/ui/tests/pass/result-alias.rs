// An `anyhow`-style alias with the error built in: `-> Result<T>`.
use cors_runtime::cors;
use lambda_http::{Request, service_fn};

mod app {
    pub type Result<T> = std::result::Result<T, lambda_http::Error>;
}

type Result<T> = std::result::Result<T, lambda_http::Error>;

#[cors(origins = ["https://app.example.com"])]
async fn local(_event: Request) -> Result<String> {
    Ok(String::from("hello"))
}

#[cors(origins = ["https://app.example.com"])]
async fn qualified(_event: Request) -> app::Result<impl lambda_http::IntoResponse> {
    Ok("hello")
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(local(Request::default()));
    drop(lambda_http::run(service_fn(local)));
    assert_send(qualified(Request::default()));
    drop(lambda_http::run(service_fn(qualified)));
}
