//! The one path every request takes, under `#[cors]` and under a layer alike: categorise it,
//! answer a preflight, or decide the CORS headers of the actual response before the handler
//! runs and put them on its response when it is ready ([`After::finish`], the one door).
//!
//! The settings answer for themselves (`allowed_origins`, `allow_methods`, `allow_headers`,
//! `vary`); this module holds the recipe of a preflight's answer, what an actual response gets,
//! and the debug log of refusals.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};

use crate::allowed_origins::{AllowedOrigins, OriginMatch, Refusal};
use crate::policy::{Policy, PolicyRef};
use crate::policy_source::PolicySource;
use crate::vary::{self, Vary};

// Made at compile time: `HeaderValue::from_static` outside a const context checks every byte
// again on each call. Each use moves a fresh copy out (never a borrow of the const).
#[allow(clippy::declare_interior_mutable_const)]
const TRUE: HeaderValue = HeaderValue::from_static("true");

/// What to do with a request before the handler runs.
#[derive(Debug)]
pub enum Before<B> {
    /// A preflight, answered without calling the handler.
    Respond(Response<B>),
    /// Call the handler, then pass its response to [`After::finish`].
    Continue(After),
}

/// The CORS headers an actual response gets, decided before the handler ran, and the policy
/// that decided them.
#[derive(Debug)]
#[must_use = "the handler's response must go through `After::finish`"]
pub struct After {
    policy: PolicyRef,
    allow_origin: Option<HeaderValue>,
}

/// Categorises `request` under `policy`: a preflight is answered here, anything else goes to
/// the handler.
#[inline(always)]
pub(crate) fn before<B: Default, T>(policy: PolicyRef, request: &Request<T>) -> Before<B> {
    let headers = request.headers();
    let origin = check_origin(&policy, headers);
    let is_preflight = policy.preflight
        && request.method() == Method::OPTIONS
        && has_origin(&policy, headers, &origin)
        && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    if is_preflight {
        Before::Respond(preflight(&policy, headers, origin))
    } else {
        Before::Continue(after(policy, headers, origin))
    }
}

/// The decision for a request that is not a preflight. A policy with `preflight = false` uses
/// only this, so the handler's body type never needs an empty value.
#[inline(always)]
pub(crate) fn actual<T>(policy: PolicyRef, request: &Request<T>) -> After {
    let headers = request.headers();
    let origin = check_origin(&policy, headers);
    after(policy, headers, origin)
}

/// Whether the request has an `Origin`: a list's answer already says (no second lookup on a
/// preflight); `*` answers without looking.
#[inline(always)]
fn has_origin(policy: &Policy, headers: &HeaderMap, origin: &OriginMatch) -> bool {
    match origin {
        OriginMatch::Absent => false,
        _ if policy.origins.vary_by_origin() => true,
        _ => headers.contains_key(ORIGIN),
    }
}

/// The request's `Origin` against the lists, then, for one value no entry matched, the
/// predicate (at most once per request).
#[inline(always)]
fn check_origin(policy: &Policy, headers: &HeaderMap) -> OriginMatch {
    let origin = policy.origins.check(headers);
    match (&policy.predicate, origin) {
        (Some(predicate), OriginMatch::Refused(Refusal::NotListed | Refusal::Unexplained)) => {
            match headers.get(ORIGIN) {
                Some(value) => predicate.ask(value, policy.credentials, policy.allow_insecure_http),
                None => OriginMatch::Absent,
            }
        }
        (_, origin) => origin,
    }
}

#[inline(always)]
fn after(policy: PolicyRef, headers: &HeaderMap, origin: OriginMatch) -> After {
    let allow_origin = match origin {
        OriginMatch::Allowed(value) => Some(value),
        OriginMatch::Absent => None,
        OriginMatch::Refused(refusal) => {
            log_refused_origin(&policy, headers, refusal);
            None
        }
    };
    After {
        policy,
        allow_origin,
    }
}

impl After {
    /// Sets the CORS headers on the handler's response: the policy's decision replaces any
    /// CORS header the handler set itself, and `Vary` is merged, never clobbered.
    #[inline]
    pub fn finish<B>(self, mut response: Response<B>) -> Response<B> {
        apply(self, response.headers_mut());
        response
    }

    /// Where the policy was written, for logs.
    pub(crate) fn source(&self) -> PolicySource {
        self.policy.source
    }
}

/// [`After::finish`], on the response's headers in place (a response moved in and out costs
/// copies). It takes the decision whole and stays out of line, so that `finish` is a call
/// with nothing to drop after it: inlined into the future's `poll`, it then moves the
/// response not at all.
#[inline(never)]
fn apply(after: After, headers: &mut HeaderMap) {
    let After {
        policy: reference,
        allow_origin,
    } = after;
    let policy: &Policy = &reference;
    // `insert` replaces every value the handler set; what is not inserted is removed if the
    // handler set it. One pass over the handler's (few) header names tells which of ours it
    // set: cheaper than a hashed `remove` or lookup per header, and handlers seldom set
    // them.
    let had = HandlerHeaders::of(headers);
    let allowed = allow_origin.is_some();
    match allow_origin {
        Some(origin) => {
            headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        None if had.allow_origin => {
            headers.remove(ACCESS_CONTROL_ALLOW_ORIGIN);
        }
        None => {}
    }
    if allowed && policy.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    } else if had.allow_credentials {
        headers.remove(ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }
    match &policy.expose_headers {
        Some(expose) if allowed => {
            headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, expose.clone());
        }
        _ if had.expose_headers => {
            headers.remove(ACCESS_CONTROL_EXPOSE_HEADERS);
        }
        _ => {}
    }
    if had.preflight_only && policy.preflight {
        // The policy answers preflights; the handler's own preflight headers on an actual
        // response would only contradict it.
        headers.remove(ACCESS_CONTROL_ALLOW_METHODS);
        headers.remove(ACCESS_CONTROL_ALLOW_HEADERS);
        headers.remove(ACCESS_CONTROL_MAX_AGE);
    }
    if policy.origins.vary_by_origin() {
        vary::add(headers, Vary::Origin, had.vary);
    }
}

/// Which of the headers [`After::finish`] sets the handler's response already has.
#[derive(Default)]
struct HandlerHeaders {
    allow_origin: bool,
    allow_credentials: bool,
    expose_headers: bool,
    /// `Access-Control-Allow-Methods`, `-Allow-Headers` or `-Max-Age`.
    preflight_only: bool,
    vary: bool,
}

impl HandlerHeaders {
    #[inline]
    fn of(headers: &HeaderMap) -> Self {
        let mut had = HandlerHeaders::default();
        for name in headers.keys() {
            if *name == VARY {
                had.vary = true;
            } else if *name == ACCESS_CONTROL_ALLOW_ORIGIN {
                had.allow_origin = true;
            } else if *name == ACCESS_CONTROL_ALLOW_CREDENTIALS {
                had.allow_credentials = true;
            } else if *name == ACCESS_CONTROL_EXPOSE_HEADERS {
                had.expose_headers = true;
            } else if *name == ACCESS_CONTROL_ALLOW_METHODS
                || *name == ACCESS_CONTROL_ALLOW_HEADERS
                || *name == ACCESS_CONTROL_MAX_AGE
            {
                had.preflight_only = true;
            }
        }
        had
    }
}

/// The answer to a preflight: `204`, and for an allowed origin every setting's header. Out
/// of line: inlined, it would grow the frame of every request's path for the few preflights.
#[inline(never)]
fn preflight<B: Default>(policy: &Policy, request: &HeaderMap, origin: OriginMatch) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    if let Some(vary) = Vary::of(policy.origins.vary_by_origin(), policy.headers.mirrors()) {
        vary::add(headers, vary, false);
    }
    let allow_origin = match origin {
        OriginMatch::Allowed(value) => value,
        OriginMatch::Refused(refusal) => {
            log_refused_origin(policy, request, refusal);
            return response;
        }
        OriginMatch::Absent => return response,
    };

    // Even when the method or headers are not allowed, the origin is: answering with the
    // allowed lists lets the browser's console name the real cause.
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin);
    if policy.credentials {
        headers.insert(ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
    }
    policy.methods.answer(headers);
    let malformed = policy.headers.answer(request, headers);
    if let Some(max_age) = &policy.max_age {
        headers.insert(ACCESS_CONTROL_MAX_AGE, max_age.clone());
    }
    // The answer is complete. Whether the browser will accept the method and headers asked
    // for is worked out only for the log, and only when it is on.
    if logging() {
        if let Some(reason) = policy.methods.refusal(request) {
            log_refused(policy, request, reason, None);
        }
        if let Some((reason, name)) = malformed.or_else(|| policy.headers.refusal(request)) {
            log_refused(policy, request, reason, name.as_deref());
        }
    }
    response
}

/// Whether refusals are logged: a debug event of target `cors_runtime` would be recorded.
#[inline]
fn logging() -> bool {
    tracing::enabled!(target: "cors_runtime", tracing::Level::DEBUG)
}

fn log_refused_origin(policy: &Policy, request: &HeaderMap, refusal: Refusal) {
    if !logging() {
        return;
    }
    let refusal = refusal.explained(request.get(ORIGIN));
    let closest = match (&policy.origins, refusal) {
        (AllowedOrigins::List(list), Refusal::NotListed) => request
            .get(ORIGIN)
            .and_then(|origin| origin.to_str().ok())
            .and_then(|origin| list.closest(origin)),
        _ => None,
    };
    match closest {
        Some(closest) => log_refused(
            policy,
            request,
            "origin not listed; this listed origin differs from it only in scheme, port, \
             letter case or a trailing slash or dot",
            Some(closest),
        ),
        None => log_refused(policy, request, refusal.reason(), None),
    }
}

fn log_refused(policy: &Policy, request: &HeaderMap, reason: &str, detail: Option<&str>) {
    let origin = request
        .get(ORIGIN)
        .map(|o| String::from_utf8_lossy(o.as_bytes()));
    match detail {
        Some(detail) => tracing::debug!(
            target: "cors_runtime",
            policy = %policy.source,
            origin = ?origin,
            "CORS refused: {reason}: `{detail}`"
        ),
        None => tracing::debug!(
            target: "cors_runtime",
            policy = %policy.source,
            origin = ?origin,
            "CORS refused: {reason}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
    use http::{Method, Request, StatusCode};

    use super::*;
    use crate::policy::Spec;

    fn policy(origins: &'static [&'static str]) -> PolicyRef {
        let spec = Spec {
            origins,
            ..Spec::new(PolicySource::attribute("handler", "src/main.rs", 1))
        };
        PolicyRef::Shared(Arc::new(Policy::build(&spec, None)))
    }

    /// The status of the answer to `OPTIONS` with `Access-Control-Request-Method` and
    /// `origin`, if answered as a preflight (`None`: the handler runs).
    fn preflight_status(origins: &'static [&'static str], origin: Option<&str>) -> Option<u16> {
        let mut request = Request::builder()
            .method(Method::OPTIONS)
            .header(ACCESS_CONTROL_REQUEST_METHOD, "PUT");
        if let Some(origin) = origin {
            request = request.header(ORIGIN, origin);
        }
        match before::<(), ()>(policy(origins), &request.body(()).unwrap()) {
            Before::Respond(response) => Some(response.status().as_u16()),
            Before::Continue(_) => None,
        }
    }

    #[test]
    fn a_preflight_has_an_origin_under_a_list_and_under_any() {
        let no_content = Some(StatusCode::NO_CONTENT.as_u16());
        for origins in [&["*"][..], &["https://app.example.com"]] {
            let status = |origin| preflight_status(origins, origin);
            assert_eq!(status(Some("https://app.example.com")), no_content);
            // A refused origin is answered too (without CORS headers), not by the handler.
            assert_eq!(status(Some("https://evil.example.com")), no_content);
            assert_eq!(
                status(None),
                None,
                "{origins:?}: no Origin, the handler answers"
            );
        }
    }
}
