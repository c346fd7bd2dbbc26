// `#[tracing::instrument]` on either side of `#[cors]`.
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response, service_fn};

struct State;

#[cors(origins = ["https://app.example.com"])]
#[tracing::instrument(skip_all)]
async fn below(_state: &State, _event: Request) -> Result<Response<Body>, Error> {
    tracing::info!("handling");
    Ok(Response::default())
}

#[tracing::instrument(skip(_state))]
#[cors(origins = ["https://app.example.com"])]
async fn above(_state: &State, event: Request) -> Result<Response<Body>, Error> {
    tracing::info!(method = %event.method(), "handling");
    Ok(Response::default())
}

#[cors(origins = ["https://app.example.com"])]
#[tracing::instrument(err)]
async fn recorded(event: Request) -> Result<String, Error> {
    Ok(event.uri().to_string())
}

/// The usual `main`, never called: serving needs the Lambda runtime API.
#[allow(dead_code)]
async fn serve() -> Result<(), Error> {
    let state = State;
    lambda_http::run(service_fn(|event| below(&state, event))).await?;
    lambda_http::run(service_fn(|event| above(&state, event))).await?;
    lambda_http::run(service_fn(recorded)).await
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled.
    assert_send(below(&State, Request::default()));
    assert_send(above(&State, Request::default()));
    assert_send(recorded(Request::default()));
}
