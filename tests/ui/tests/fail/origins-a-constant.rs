use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

const ORIGINS: [&str; 2] = ["https://app.example.com", "https://admin.example.com"];

#[cors(origins = ORIGINS)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {
    let _ = ORIGINS;
}
