// Shared state before the request, borrowed by the closure given to `service_fn`.
use cors_runtime::cors;
use lambda_http::{Error, Request, service_fn};

struct State {
    greeting: String,
}

#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]
async fn handler(state: &State, event: Request) -> Result<String, Error> {
    let _ = event;
    Ok(state.greeting.clone())
}

/// Parameters bound by patterns, on both sides of the request.
#[cors(origins_env = "ALLOWED_ORIGINS")]
async fn destructured(
    (greeting, _): (&str, u8),
    event: Request,
    State { greeting: other }: State,
) -> Result<String, Error> {
    let _ = event;
    Ok(format!("{greeting} {other}"))
}

/// The usual `main`, never called: serving needs the Lambda runtime API.
#[allow(dead_code)]
async fn serve() -> Result<(), Error> {
    let state = State {
        greeting: String::from("hello"),
    };
    lambda_http::run(service_fn(|event| handler(&state, event))).await?;
    lambda_http::run(service_fn(|event| {
        let state = State {
            greeting: String::new(),
        };
        destructured(("hello", 0), event, state)
    }))
    .await
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    let state = State {
        greeting: String::from("hello"),
    };
    // Futures built and never polled.
    assert_send(handler(&state, Request::default()));
    assert_send(destructured(("hello", 0), Request::default(), state));
}
