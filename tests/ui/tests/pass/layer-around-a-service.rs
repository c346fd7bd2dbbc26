// `cors_layer!` makes a `CorsLayer` that wraps any tower HTTP service: here a `lambda_http`
// handler, run by `lambda_http::run`, directly and through `ServiceBuilder`.
use cors_runtime::{CorsLayer, cors_layer};
use lambda_http::tower::{Layer, ServiceBuilder};
use lambda_http::{Body, Error, Request, Response, service_fn};

async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

fn assert_clone_send_sync<T: Clone + Send + Sync>(_: &T) {}

#[allow(dead_code)]
async fn serve() -> Result<(), Error> {
    let layer: CorsLayer = cors_layer!(
        origins_env = "ALLOWED_ORIGINS",
        credentials,
        expose_headers = ["x-request-id"],
    );
    let service = layer.layer(service_fn(handler));
    assert_clone_send_sync(&service);
    lambda_http::run(service).await
}

#[allow(dead_code)]
async fn serve_built() -> Result<(), Error> {
    let service = ServiceBuilder::new()
        .layer(cors_layer!(origins = "*", crate = "::cors_runtime"))
        .service(service_fn(handler));
    lambda_http::run(service).await
}

pub fn main() {}
