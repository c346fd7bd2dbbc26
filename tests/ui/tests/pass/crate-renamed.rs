// `crate = "..."` names the runtime crate where it is not `::cors_runtime`.
use cors_runtime as cors_rt;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors_rt::cors(origins = ["https://app.example.com"], crate = "cors_rt")]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::default())
}

mod nested {
    use lambda_http::{Error, Request};

    // A re-export path, from inside a module.
    #[crate::cors_rt::cors(origins = "*", crate = "crate::cors_rt")]
    pub async fn handler(_event: Request) -> Result<String, Error> {
        Ok(String::from("hello"))
    }
}

fn assert_send<T: Send>(_: T) {}

fn main() {
    // Futures built and never polled: serving needs the Lambda runtime API.
    assert_send(handler(Request::default()));
    drop(lambda_http::run(service_fn(handler)));
    assert_send(nested::handler(Request::default()));
    drop(lambda_http::run(service_fn(nested::handler)));
}
