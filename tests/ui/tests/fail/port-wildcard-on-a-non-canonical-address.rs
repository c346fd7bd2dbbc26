use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// `127.1` is `127.0.0.1` to the URL parser, but browsers send `127.0.0.1`.
#[cors(origins = ["http://127.1:*"])]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
