use cors_runtime::cors;
use lambda_http::{Body, Request, Response};

#[cors(origins = ["https://app.example.com"])]
async fn handler(_event: Request) -> Response<Body> {
    Response::new(Body::Empty)
}

fn main() {}
