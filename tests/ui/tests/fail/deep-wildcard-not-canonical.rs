use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// Browsers send lowercase hosts and leave the default port out.
#[cors(origins = ["https://**.Example.com:443"])]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
