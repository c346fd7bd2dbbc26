// With `preflight = false` the handler answers preflights itself, so its streaming body type
// needs no empty value (`Default`).
use cors_runtime::cors;
use lambda_http::{Error, Request, Response};

struct NoDefault;

#[cors(origins = ["https://app.example.com"], streaming, preflight = false)]
async fn handler(_event: Request) -> Result<Response<NoDefault>, Error> {
    Ok(Response::new(NoDefault))
}

pub fn main() {
    drop(handler(Request::default()));
}
