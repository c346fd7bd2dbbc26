// Generic handlers: over the state, and over the success type.
use cors_runtime::cors;
use lambda_http::{Error, IntoResponse, Request, service_fn};

trait Greeter {
    fn greeting(&self) -> String;
}

struct English;

impl Greeter for English {
    fn greeting(&self) -> String {
        String::from("hello")
    }
}

#[cors(origins = ["https://app.example.com"])]
async fn handler<G: Greeter + Sync>(greeter: &G, _event: Request) -> Result<String, Error> {
    Ok(greeter.greeting())
}

#[cors(origins = ["https://app.example.com"])]
async fn with_impl_param(
    greeter: &(impl Greeter + Sync),
    _event: Request,
) -> Result<String, Error> {
    Ok(greeter.greeting())
}

#[cors(origins = ["https://app.example.com"])]
async fn any_output<T>(_event: Request, value: T) -> Result<T, Error>
where
    T: IntoResponse + Send,
{
    Ok(value)
}

/// The usual `main`, never called: serving needs the Lambda runtime API.
#[allow(dead_code)]
async fn serve() -> Result<(), Error> {
    lambda_http::run(service_fn(|event| handler(&English, event))).await?;
    lambda_http::run(service_fn(|event| with_impl_param(&English, event))).await?;
    lambda_http::run(service_fn(|event| any_output(event, "hello"))).await
}

fn assert_send<T: Send>(_: T) {}

pub fn main() {
    // Futures built and never polled.
    assert_send(handler(&English, Request::default()));
    assert_send(with_impl_param(&English, Request::default()));
    assert_send(any_output(Request::default(), String::from("hello")));
}
