use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, run, service_fn};

#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from(format!(
        "hello from {}",
        event.uri().path()
    ))))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?; // every #[cors] policy in the binary, checked at cold start
    run(service_fn(handler)).await
}
