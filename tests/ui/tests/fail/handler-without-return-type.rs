use cors_runtime::cors;
use lambda_http::Request;

#[cors(origins = ["https://app.example.com"])]
async fn handler(_event: Request) {}

fn main() {}
