use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// Anyone can deploy a site on `<name>.vercel.app`, and below it.
#[cors(origins = ["https://**.vercel.app"], credentials)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
