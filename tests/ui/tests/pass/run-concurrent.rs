// `lambda_http::run_concurrent` (feature `concurrency-tokio`) with state in an `Arc`.
use std::sync::Arc;

use cors_runtime::cors;
use lambda_http::{Error, IntoResponse, Request, service_fn};

struct State {
    greeting: String,
}

#[cors(origins = ["https://app.example.com"], credentials)]
async fn handler(state: Arc<State>, _event: Request) -> Result<impl IntoResponse, Error> {
    Ok(state.greeting.clone())
}

/// The usual `main`, never called: serving needs the Lambda runtime API.
#[allow(dead_code)]
async fn serve() -> Result<(), Error> {
    let state = Arc::new(State {
        greeting: String::from("hello"),
    });
    lambda_http::run_concurrent(service_fn(move |event| handler(Arc::clone(&state), event))).await
}

fn assert_send_static<T: Send + 'static>(_: T) {}

pub fn main() {
    let state = Arc::new(State {
        greeting: String::from("hello"),
    });
    // A future built and never polled.
    assert_send_static(handler(state, Request::default()));
}
