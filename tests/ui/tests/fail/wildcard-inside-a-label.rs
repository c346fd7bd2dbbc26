use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// Under a shared suffix such as `vercel.app`, anyone can deploy `pr-evil.vercel.app`.
#[cors(origins = ["https://pr-*.example.com"])]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
