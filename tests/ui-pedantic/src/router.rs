//! `cors_layer!` on an axum router, and around a `lambda_http` handler.

use axum::Router;
use axum::routing::get;
use cors_runtime::{CorsLayer, cors_layer};

use crate::handlers::is_tenant;

async fn read() -> &'static str {
    "a note"
}

/// A router under a layer with every argument the layer takes.
pub fn router() -> Router {
    Router::new()
        .route("/notes/{id}", get(read))
        .layer(cors_layer!(
            origins = ["https://app.example.com"],
            origins_env = "ALLOWED_ORIGINS",
            origins_fn = is_tenant,
            credentials,
            methods = ["GET", "PUT"],
            headers = ["content-type"],
            expose_headers = ["x-note-version"],
            max_age = 600,
        ))
        .with_state(())
}

/// A layer for any origin, kept as a value.
pub fn public_layer() -> CorsLayer {
    cors_layer!(origins = "*")
}
