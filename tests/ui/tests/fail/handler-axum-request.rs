use std::convert::Infallible;

use cors_runtime::cors;

#[cors(origins = ["https://app.example.com"])]
async fn read(_r: axum::extract::Request) -> Result<axum::response::Response, Infallible> {
    Ok(axum::response::Response::default())
}

fn main() {
    let _app: axum::Router = axum::Router::new().route("/", axum::routing::get(read));
}
