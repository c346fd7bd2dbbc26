use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// Anyone can publish a site on `<name>.github.io`.
#[cors(origins = ["https://*.github.io"], credentials)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
