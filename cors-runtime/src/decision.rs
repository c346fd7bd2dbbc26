//! The per-request path: categorise the request, answer preflights, decorate responses.

use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, AUTHORIZATION, ORIGIN, VARY,
};
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode};

use crate::allowed_origins::{ANY, AllowedOrigins, OriginMatch, Refusal};
use crate::policy::{AllowedHeaders, AllowedMethods, Policy};
use crate::vary::{self, Vary};

// Made at compile time: `HeaderValue::from_static` outside a const context checks every byte
// again on each call. Each use moves a fresh copy out (never a borrow of the const).
#[allow(clippy::declare_interior_mutable_const)]
const TRUE: HeaderValue = HeaderValue::from_static("true");

/// What to do with a request before the handler runs.
#[derive(Debug)]
pub enum Before<'p, B> {
    /// A preflight, answered without calling the handler.
    Respond(Response<B>),
    /// Call the handler, then pass its response to [`After::finish`].
    Continue(After<'p>),
}

/// The CORS headers an actual response gets, decided before the handler ran.
#[derive(Debug)]
#[must_use = "the handler's response must go through `After::finish`"]
pub struct After<'p> {
    policy: &'p Policy,
    allow_origin: Option<HeaderValue>,
}

/// Categorises `request` under `policy`: a preflight is answered here, anything else goes to
/// the handler.
#[inline(always)]
pub fn before<'p, B: Default, T>(policy: &'p Policy, request: &Request<T>) -> Before<'p, B> {
    let headers = request.headers();
    let is_preflight = policy.preflight
        && request.method() == Method::OPTIONS
        && headers.contains_key(ORIGIN)
        && headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    let origin = check_origin(policy, headers);
    if is_preflight {
        Before::Respond(preflight(policy, headers, origin))
    } else {
        Before::Continue(after(policy, headers, origin))
    }
}

/// The decision for a request that is not a preflight. A policy with `preflight = false` uses
/// only this, so the handler's body type never needs an empty value.
#[inline(always)]
pub fn actual<'p, T>(policy: &'p Policy, request: &Request<T>) -> After<'p> {
    let headers = request.headers();
    after(policy, headers, check_origin(policy, headers))
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
fn after<'p>(policy: &'p Policy, headers: &HeaderMap, origin: OriginMatch) -> After<'p> {
    let allow_origin = match origin {
        OriginMatch::Allowed(value) => Some(value),
        OriginMatch::Absent => None,
        OriginMatch::Refused(refusal) => {
            log_refused_origin(policy, headers, refusal);
            None
        }
    };
    After {
        policy,
        allow_origin,
    }
}

impl After<'_> {
    /// Sets the CORS headers on the handler's response: the policy's decision replaces any
    /// CORS header the handler set itself, and `Vary` is merged, never clobbered.
    #[inline]
    pub fn finish<B>(self, mut response: Response<B>) -> Response<B> {
        apply(self.policy, self.allow_origin, response.headers_mut());
        response
    }

    /// Where the policy was written, for logs.
    pub(crate) fn source(&self) -> crate::error::PolicySource {
        self.policy.source
    }

    /// The decision alone, for a caller that holds the policy another way (the layer's future).
    pub(crate) fn into_allow_origin(self) -> Option<HeaderValue> {
        self.allow_origin
    }
}

/// [`After::finish`], for `policy` and its decision `allow_origin`, on the response's headers
/// in place (a response moved in and out costs copies).
pub(crate) fn apply(policy: &Policy, allow_origin: Option<HeaderValue>, headers: &mut HeaderMap) {
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

fn preflight<B: Default>(policy: &Policy, request: &HeaderMap, origin: OriginMatch) -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    let mirrors = matches!(policy.headers, AllowedHeaders::Mirror);
    if let Some(vary) = Vary::of(policy.origins.vary_by_origin(), mirrors) {
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
    let requested_method = request.get(ACCESS_CONTROL_REQUEST_METHOD);
    match &policy.methods {
        AllowedMethods::Any => {
            headers.insert(ACCESS_CONTROL_ALLOW_METHODS, ANY);
        }
        AllowedMethods::List { methods, value } => {
            headers.insert(ACCESS_CONTROL_ALLOW_METHODS, value.clone());
            let allowed = requested_method.is_some_and(|requested| {
                let requested = requested.as_bytes();
                matches!(requested, b"GET" | b"HEAD" | b"POST")
                    || methods.iter().any(|m| m.as_str().as_bytes() == requested)
            });
            if !allowed {
                log_refused(policy, request, "method not allowed", None);
            }
        }
    }
    let mut requested_headers = request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
    match &policy.headers {
        AllowedHeaders::Mirror => {
            let first = requested_headers.next();
            let mirrored = match (first, requested_headers.next()) {
                (None, _) => None,
                (Some(only), None) => mirror(only),
                // Several lines (REST and ALB events keep them apart) are one list.
                (Some(_), Some(_)) => {
                    let lines = request.get_all(ACCESS_CONTROL_REQUEST_HEADERS).iter();
                    let joined: Vec<&[u8]> = lines.map(HeaderValue::as_bytes).collect();
                    HeaderValue::from_bytes(&joined.join(&b","[..]))
                        .ok()
                        .and_then(|joined| mirror(&joined))
                }
            };
            match mirrored {
                Some(Ok(value)) => {
                    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, value);
                }
                Some(Err(())) => log_refused(
                    policy,
                    request,
                    "malformed Access-Control-Request-Headers",
                    None,
                ),
                None => {}
            }
        }
        AllowedHeaders::Any {
            value,
            authorization,
        } => {
            headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, value.clone());
            if !authorization
                && requested_names(request)
                    .any(|name| name.eq_ignore_ascii_case(AUTHORIZATION.as_str().as_bytes()))
            {
                log_refused(
                    policy,
                    request,
                    "header not allowed: `*` never covers `authorization`; list it in `headers`",
                    None,
                );
            }
        }
        AllowedHeaders::List { names, value } => {
            if !value.is_empty() {
                headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, value.clone());
            }
            let missing = requested_names(request).find(|requested| {
                !names
                    .iter()
                    .any(|name| name.as_str().as_bytes().eq_ignore_ascii_case(requested))
            });
            if let Some(missing) = missing {
                let missing = String::from_utf8_lossy(missing);
                log_refused(policy, request, "header not allowed", Some(&missing));
            }
        }
    }
    if let Some(max_age) = &policy.max_age {
        headers.insert(ACCESS_CONTROL_MAX_AGE, max_age.clone());
    }
    response
}

/// Every name the preflight asks for, over all its `Access-Control-Request-Headers` lines.
fn requested_names(request: &HeaderMap) -> impl Iterator<Item = &[u8]> {
    request
        .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .flat_map(|line| vary::names(line.as_bytes()))
}

/// The `Access-Control-Allow-Headers` value that mirrors `requested`: the value itself when it
/// is a clean list of names; the names alone when it has empty elements (`a, , b`, which RFC
/// 9110 section 5.6.1 says to ignore); `None` when it names nothing; `Err` when some element is
/// not a header name.
fn mirror(requested: &HeaderValue) -> Option<Result<HeaderValue, ()>> {
    match header_list(requested.as_bytes()) {
        HeaderList::Names => Some(Ok(requested.clone())),
        HeaderList::NamesAndEmpties => {
            let names: Vec<&[u8]> = vary::names(requested.as_bytes()).collect();
            Some(HeaderValue::from_bytes(&names.join(&b", "[..])).map_err(|_| ()))
        }
        HeaderList::Empty => None,
        HeaderList::Malformed => Some(Err(())),
    }
}

/// The shape of a comma-separated list of header names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HeaderList {
    /// Names only, each trimmed of ASCII whitespace what `http::HeaderName::from_bytes`
    /// accepts (1 to 65,535 token characters).
    Names,
    /// Such names, and empty elements.
    NamesAndEmpties,
    /// Empty elements only (or nothing at all).
    Empty,
    /// An element that is not a header name.
    Malformed,
}

/// Classifies `list` in one pass over its bytes, without building a `HeaderName` (which
/// allocates for every name that is not a standard header).
fn header_list(list: &[u8]) -> HeaderList {
    // The current name's length so far, whether a space followed it, and whether an empty
    // element or a name was seen.
    let (mut len, mut spaced, mut empties, mut named) = (0_usize, false, false, false);
    for &b in list {
        match BYTE_CLASS[usize::from(b)] {
            TOKEN if !spaced => len += 1,
            SPACE => spaced = len > 0,
            COMMA if len == 0 => empties = true,
            COMMA if len <= 0xFFFF => (len, spaced, named) = (0, false, true),
            // A space inside a name, a too long name, or a byte no name has.
            _ => return HeaderList::Malformed,
        }
    }
    match len {
        // The last element is empty (or there was none).
        0 => empties = true,
        1..=0xFFFF => named = true,
        _ => return HeaderList::Malformed,
    }
    match (named, empties) {
        (true, false) => HeaderList::Names,
        (true, true) => HeaderList::NamesAndEmpties,
        (false, _) => HeaderList::Empty,
    }
}

const OTHER: u8 = 0;
/// A token character (RFC 9110, section 5.6.2): what `HeaderName::from_bytes` accepts.
const TOKEN: u8 = 1;
/// What `<[u8]>::trim_ascii` trims.
const SPACE: u8 = 2;
const COMMA: u8 = 3;

const BYTE_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        class[i] = if b.is_ascii_alphanumeric() {
            TOKEN
        } else if b.is_ascii_whitespace() {
            SPACE
        } else {
            match b {
                b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^'
                | b'_' | b'`' | b'|' | b'~' => TOKEN,
                b',' => COMMA,
                _ => OTHER,
            }
        };
        i += 1;
    }
    class
};

fn log_refused_origin(policy: &Policy, request: &HeaderMap, refusal: Refusal) {
    if !tracing::enabled!(target: "cors_runtime", tracing::Level::DEBUG) {
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
    use super::*;

    /// The reference: every element, trimmed, is empty or what `HeaderName::from_bytes` takes.
    fn header_list_by_header_name(list: &[u8]) -> HeaderList {
        let elements: Vec<&[u8]> = list.split(|b| *b == b',').map(<[u8]>::trim_ascii).collect();
        let named = elements.iter().any(|e| !e.is_empty());
        let empties = elements.iter().any(|e| e.is_empty());
        if elements
            .iter()
            .any(|e| !e.is_empty() && http::HeaderName::from_bytes(e).is_err())
        {
            HeaderList::Malformed
        } else if !named {
            HeaderList::Empty
        } else if empties {
            HeaderList::NamesAndEmpties
        } else {
            HeaderList::Names
        }
    }

    #[test]
    fn header_lists_are_classified_as_header_name_would() {
        let mut lists: Vec<Vec<u8>> = [
            &b"content-type"[..],
            b"content-type, x-request-id",
            b"Content-Type,X-Request-Id",
            b" a , b ",
            b"",
            b",",
            b"a,,b",
            b"a, ",
            b"x y",
            b"a;b",
            b"\"a\"",
            b"a ,b",
            b" a",
            b"a\t",
            b",a",
            b"a b,c",
            b"a,\x0cb\r",
            b"  ",
            b"a, ,b",
            b"content-type, , x-a",
        ]
        .map(<[u8]>::to_vec)
        .to_vec();
        for byte in 0..=u8::MAX {
            lists.push(vec![byte]);
            lists.push([b"x-", &[byte][..], b"-y"].concat());
            lists.push([b"content-type, ", &[byte][..]].concat());
        }
        for len in [64, 65, 0xFFFF, 0x1_0000] {
            lists.push(vec![b'a'; len]);
            lists.push([&b"b, "[..], &vec![b'a'; len], b" ,c"].concat());
        }
        for list in &lists {
            assert_eq!(
                header_list(list),
                header_list_by_header_name(list),
                "{:?}",
                String::from_utf8_lossy(list)
            );
        }
    }

    #[test]
    fn empty_elements_are_dropped_from_the_mirror() {
        let mirrored = |list: &'static str| {
            mirror(&HeaderValue::from_static(list))
                .map(|v| v.map(|v| v.to_str().unwrap().to_owned()))
        };
        assert_eq!(
            mirrored("content-type,x-a"),
            Some(Ok("content-type,x-a".into()))
        );
        assert_eq!(
            mirrored("content-type, , x-a"),
            Some(Ok("content-type, x-a".into()))
        );
        assert_eq!(mirrored(",x-a,"), Some(Ok("x-a".into())));
        assert_eq!(mirrored(" , "), None);
        assert_eq!(mirrored("x a"), Some(Err(())));
    }
}
