use cors_runtime::cors;
use lambda_http::{Body, Error, Response};

#[cors(origins = ["https://app.example.com"])]
async fn handler(_body: String) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
