use cors_runtime::cors;
use lambda_http::{Error, Request};

#[cors(origins = ["https://app.example.com"])]
async fn handler(_event: Request) -> Result<i32, Error> {
    Ok(42)
}

fn main() {}
