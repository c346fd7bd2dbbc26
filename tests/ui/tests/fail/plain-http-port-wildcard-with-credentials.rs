use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

// `:*` widens only the port: the host is still plain http on the network.
#[cors(origins = ["http://app.example.com:*"], credentials)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn main() {}
