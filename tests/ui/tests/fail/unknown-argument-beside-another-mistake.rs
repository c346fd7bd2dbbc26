use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

#[cors(origins = ["https://app.example.com/"], credentails)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
