use cors_runtime::{Origin, cors};
use lambda_http::{Body, Error, Request, Response};

fn is_allowed(origin: Origin) -> bool {
    origin.host() == "app.example.com"
}

#[cors(origins_fn = is_allowed)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
