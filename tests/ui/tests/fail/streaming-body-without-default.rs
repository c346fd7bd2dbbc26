use cors_runtime::cors;
use lambda_http::{Error, Request, Response};

/// A body with no empty value: `#[cors(streaming)]` could not answer a preflight with it.
struct NoDefault(Vec<u8>);

#[cors(origins = ["https://app.example.com"], streaming)]
async fn handler(_event: Request) -> Result<Response<NoDefault>, Error> {
    Ok(Response::new(NoDefault(Vec::new())))
}

fn main() {}
