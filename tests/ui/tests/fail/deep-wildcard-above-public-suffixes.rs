use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// Every `<region>.compute.amazonaws.com` is a public suffix: anyone gets an EC2 host name below.
#[cors(origins = ["https://**.compute.amazonaws.com"])]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
