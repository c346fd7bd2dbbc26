//! `#[cors]` in an edition-2021 crate. The attribute turns a handler into a plain function that
//! returns `impl Future`, which in edition 2021 captures no lifetime unless told to: these
//! handlers borrow their state with every spelling of an elided lifetime, and compile only
//! because the expansion names those lifetimes and captures them.

use std::borrow::Cow;
use std::fmt::Display;

use cors_runtime::cors;
use lambda_http::{Body, Error, IntoResponse, Request, Response};

/// Shared state, borrowed by the handlers.
#[derive(Debug)]
pub struct State {
    /// What the handlers answer.
    pub greeting: String,
}

/// `&State`: an elided reference lifetime.
#[cors(origins = ["https://app.example.com"])]
pub async fn borrowed(state: &State, _event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::from(state.greeting.clone())))
}

/// `&'_ State` and a path with `'_`, answering another `IntoResponse` value.
#[cors(origins = ["https://app.example.com"], credentials)]
pub async fn anonymous(
    state: &'_ State,
    suffix: Cow<'_, str>,
    _event: Request,
) -> Result<impl IntoResponse, Error> {
    Ok(format!("{}{suffix}", state.greeting))
}

/// A named lifetime, a generic parameter and an `impl Trait` parameter.
#[cors(origins = "*")]
pub async fn generic<'a, T: Display + Sync>(
    state: &'a State,
    extra: &T,
    label: impl Display + Send,
    _event: Request,
) -> Result<String, Error> {
    Ok(format!("{} {extra} {label}", state.greeting))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_runtime::testing;
    use lambda_http::http::Method;

    fn state() -> State {
        State {
            greeting: "hello".to_owned(),
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn borrowed_state_works_in_edition_2021() -> Result<(), Error> {
        let state = state();
        let outcome = testing::request(Method::GET, "/")
            .origin("https://app.example.com")
            .send_to(|event| borrowed(&state, event))
            .await?;
        assert_eq!(outcome.allowed_origin(), Some("https://app.example.com"));

        let suffix = String::from("!");
        let outcome = testing::request(Method::GET, "/")
            .origin("https://app.example.com")
            .send_to(|event| anonymous(&state, Cow::Borrowed(&suffix), event))
            .await?;
        assert!(outcome.allows_credentials());

        let outcome = testing::request(Method::GET, "/")
            .origin("https://elsewhere.example")
            .send_to(|event| generic(&state, &42, "label", event))
            .await?;
        assert_eq!(outcome.allowed_origin(), Some("*"));

        let preflight = testing::preflight("https://app.example.com", Method::PUT)
            .send_to(|event| borrowed(&state, event))
            .await?;
        assert_eq!(preflight.status(), 204);
        Ok(())
    }
}
