//! What a browser concludes from a server's answers: the CORS parts of the WHATWG Fetch
//! standard (<https://fetch.spec.whatwg.org/>), written again here, step by step, as an
//! oracle that tests hand real responses to.
//!
//! A test describes what a page asks for ([`CorsRequest`]: its origin, the method and headers
//! it passes to `fetch`, the credentials mode), runs a [`Fetch`] (which says which requests
//! the browser sends: a CORS-preflight request when one is needed, then the request itself),
//! answers each with the response the server gave ([`HttpResponse`]), and reads the
//! [`Outcome`]: either the `TypeError` a page would see ([`Blocked`], naming the step of the
//! standard that failed), or the response as the page sees it, with only the headers it may
//! read.
//!
//! ```
//! use cors_tests::fetch::{CorsRequest, Credentials, Fetch, HttpResponse};
//!
//! let request = CorsRequest::new("https://app.example.com", "PUT")
//!     .header("Authorization", "Bearer t")
//!     .credentials(Credentials::Include);
//! let outcome = Fetch::new(&request).run(|sent| {
//!     assert_eq!(sent.method, if sent.is_preflight { "OPTIONS" } else { "PUT" });
//!     HttpResponse::new(204)
//!         .header("Access-Control-Allow-Origin", "https://app.example.com")
//!         .header("Access-Control-Allow-Credentials", "true")
//!         .header("Access-Control-Allow-Methods", "PUT")
//!         .header("Access-Control-Allow-Headers", "authorization")
//! });
//! assert!(outcome.is_readable());
//! ```
//!
//! What is left out, because no test here needs it: redirects, the CORS-preflight cache (every
//! [`Fetch`] starts with an empty one, as a fresh URL does in a browser), opaque (`null`)
//! origins, service workers, `no-cors` and `same-origin` modes, and forbidden request headers
//! (a page cannot set them; [`CorsRequest::header`] does not filter them out, so a test must not
//! pass them). Where the standard leaves room, the oracle follows RFC 9110 for list syntax:
//! empty list elements are ignored, as Chromium does.

use std::collections::BTreeSet;
use std::fmt;

/// The request's credentials mode (`fetch(url, {credentials})`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Credentials {
    /// `"omit"`.
    Omit,
    /// `"same-origin"`, the default: for a cross-origin request, the same as `Omit` here.
    SameOrigin,
    /// `"include"`: cookies go along, and the answer must allow credentials.
    Include,
}

/// What a page asks `fetch` for, cross-origin, in `cors` mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsRequest {
    /// The page's origin, byte-serialized (`https://app.example.com`): what the browser sends
    /// as `Origin`.
    pub origin: String,
    /// The request's method, normalized as `fetch` does (see [`normalize_method`]).
    pub method: String,
    /// The headers the page sets, in order (the request's author header list).
    pub headers: Vec<(String, String)>,
    /// The credentials mode.
    pub credentials: Credentials,
}

impl CorsRequest {
    /// A request from a page on `origin` with `method` (normalized) and no headers, credentials
    /// mode `"same-origin"` (the default of `fetch`).
    pub fn new(origin: impl Into<String>, method: &str) -> Self {
        CorsRequest {
            origin: origin.into(),
            method: normalize_method(method),
            headers: Vec::new(),
            credentials: Credentials::SameOrigin,
        }
    }

    /// Adds a header the page sets (`fetch(url, {headers})`).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the credentials mode.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    fn includes_credentials(&self) -> bool {
        self.credentials == Credentials::Include
    }

    /// The "CORS-unsafe request-header names" of the request's header list: lowercase, sorted,
    /// without duplicates.
    pub fn unsafe_header_names(&self) -> Vec<String> {
        cors_unsafe_request_header_names(&self.headers)
    }

    /// Whether the browser sends a CORS-preflight request first (HTTP fetch, step 4.1 of the
    /// `makeCORSPreflight` branch, with an empty preflight cache): the method is not
    /// CORS-safelisted, or some header is CORS-unsafe.
    pub fn needs_preflight(&self) -> bool {
        !is_cors_safelisted_method(&self.method) || !self.unsafe_header_names().is_empty()
    }

    /// The CORS-preflight request the browser sends (CORS-preflight fetch, steps 1 to 5):
    /// `OPTIONS` with `Origin`, `Accept: */*`, `Access-Control-Request-Method` and, when some
    /// header is CORS-unsafe, `Access-Control-Request-Headers`: the unsafe names joined by a
    /// bare `,` (the standard notes that browsers never put a space after it).
    pub fn preflight(&self) -> Sent {
        let mut headers = vec![
            ("Origin".to_owned(), self.origin.clone()),
            ("Accept".to_owned(), "*/*".to_owned()),
            (
                "Access-Control-Request-Method".to_owned(),
                self.method.clone(),
            ),
        ];
        let unsafe_names = self.unsafe_header_names();
        if !unsafe_names.is_empty() {
            headers.push((
                "Access-Control-Request-Headers".to_owned(),
                unsafe_names.join(","),
            ));
        }
        Sent {
            is_preflight: true,
            method: "OPTIONS".to_owned(),
            headers,
        }
    }

    /// The request itself: its method, `Origin` (cors mode always sends it: "append a request
    /// `Origin` header"), and the page's headers.
    pub fn actual(&self) -> Sent {
        let mut headers = vec![("Origin".to_owned(), self.origin.clone())];
        headers.extend(self.headers.iter().cloned());
        Sent {
            is_preflight: false,
            method: self.method.clone(),
            headers,
        }
    }
}

/// A request the browser sends to the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sent {
    /// Whether this is the CORS-preflight request.
    pub is_preflight: bool,
    /// Its method.
    pub method: String,
    /// Its headers, in order (only those the CORS protocol puts there, and the page's own).
    pub headers: Vec<(String, String)>,
}

/// A response as the browser receives it: a status and a header list (names in any case, one
/// entry per header line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The header lines, in order.
    pub headers: Vec<(String, String)>,
}

impl HttpResponse {
    /// A response with `status` and no headers.
    pub fn new(status: u16) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
        }
    }

    /// A response with `status` and `headers` (one entry per header line).
    pub fn with_headers(status: u16, headers: Vec<(String, String)>) -> Self {
        HttpResponse { status, headers }
    }

    /// Adds a header line.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Why the browser refused: the step of the standard that failed. The page sees only a
/// `TypeError` ("Failed to fetch"); the console says more.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Blocked {
    /// CORS-preflight fetch, step 7: the preflight response failed the CORS check.
    PreflightCorsCheck(CorsCheckFailure),
    /// CORS-preflight fetch, step 7: the preflight response's status is not an ok status
    /// (200 to 299).
    PreflightStatus(u16),
    /// CORS-preflight fetch, step 7.3: `Access-Control-Allow-Methods` is not a list of methods.
    AllowMethodsUnparsable,
    /// CORS-preflight fetch, step 7.3: `Access-Control-Allow-Headers` is not a list of header
    /// names.
    AllowHeadersUnparsable,
    /// CORS-preflight fetch, step 7.5: the method is neither safelisted, nor listed, nor
    /// covered by a `*` the credentials mode lets count.
    MethodNotAllowed(String),
    /// CORS-preflight fetch, step 7.6: the page sends `Authorization` (the "CORS non-wildcard
    /// request-header name") and the answer does not list it; `*` never covers it.
    NonWildcardHeaderNotListed(String),
    /// CORS-preflight fetch, step 7.7: a CORS-unsafe header is neither listed nor covered by a
    /// `*` the credentials mode lets count.
    HeaderNotAllowed(String),
    /// HTTP fetch: the response to the request itself failed the CORS check.
    CorsCheck(CorsCheckFailure),
}

/// Which step of the CORS check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CorsCheckFailure {
    /// Step 2: no `Access-Control-Allow-Origin`.
    NoAllowOrigin,
    /// Step 4: `Access-Control-Allow-Origin` (all its lines, combined) is not the request's
    /// serialized origin (and not a `*` that counts).
    OriginMismatch,
    /// Step 7: credentials mode `"include"` and `Access-Control-Allow-Credentials` is not
    /// exactly `true`.
    CredentialsNotAllowed,
}

/// What the page gets from `fetch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `fetch` rejects with a `TypeError`.
    Blocked(Blocked),
    /// `fetch` resolves with a response of type `cors`.
    Readable {
        /// Its status.
        status: u16,
        /// The headers the page can read (the CORS filtered response's header list), names
        /// lowercase: what `response.headers` holds.
        headers: Vec<(String, String)>,
    },
}

impl Outcome {
    /// Whether `fetch` resolved.
    pub fn is_readable(&self) -> bool {
        matches!(self, Outcome::Readable { .. })
    }

    /// Whether `response.headers.get(name)` is not `null`.
    pub fn can_read(&self, name: &str) -> bool {
        match self {
            Outcome::Blocked(_) => false,
            Outcome::Readable { headers, .. } => headers
                .iter()
                .any(|(own, _)| own.eq_ignore_ascii_case(name)),
        }
    }

    /// The lowercase names among `names` the page can read.
    pub fn readable_among<'n>(&self, names: &[&'n str]) -> BTreeSet<&'n str> {
        names
            .iter()
            .copied()
            .filter(|name| self.can_read(name))
            .collect()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Blocked(why) => write!(f, "blocked ({why:?})"),
            Outcome::Readable { status, headers } => {
                let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
                write!(f, "readable ({status}, headers {names:?})")
            }
        }
    }
}

/// One `fetch`, step by step: [`Fetch::next`] says which request the browser sends now,
/// [`Fetch::receive`] hands it the server's answer, and [`Fetch::outcome`] is the result once
/// nothing more is sent. [`Fetch::run`] does the loop with a synchronous server.
#[derive(Debug)]
pub struct Fetch<'r> {
    request: &'r CorsRequest,
    state: State,
}

#[derive(Debug)]
enum State {
    Preflight,
    Actual,
    Done(Outcome),
}

impl<'r> Fetch<'r> {
    /// A fetch of `request`, with an empty CORS-preflight cache.
    pub fn new(request: &'r CorsRequest) -> Self {
        let state = if request.needs_preflight() {
            State::Preflight
        } else {
            State::Actual
        };
        Fetch { request, state }
    }

    /// The request the browser sends now, or `None` once the outcome is known.
    pub fn next(&self) -> Option<Sent> {
        match self.state {
            State::Preflight => Some(self.request.preflight()),
            State::Actual => Some(self.request.actual()),
            State::Done(_) => None,
        }
    }

    /// The server's answer to the request [`Fetch::next`] gave.
    ///
    /// # Panics
    ///
    /// If the outcome is already known.
    pub fn receive(&mut self, response: &HttpResponse) {
        self.state = match self.state {
            State::Preflight => match preflight_check(self.request, response) {
                Ok(()) => State::Actual,
                Err(blocked) => State::Done(Outcome::Blocked(blocked)),
            },
            State::Actual => State::Done(actual_outcome(self.request, response)),
            State::Done(_) => panic!("the fetch is over: nothing more was sent"),
        };
    }

    /// The outcome, once [`Fetch::next`] is `None`.
    ///
    /// # Panics
    ///
    /// If a request is still to be answered.
    pub fn outcome(self) -> Outcome {
        match self.state {
            State::Done(outcome) => outcome,
            _ => panic!("the fetch is not over: answer Fetch::next first"),
        }
    }

    /// Runs the whole fetch, answering each request with `server`.
    pub fn run(mut self, mut server: impl FnMut(&Sent) -> HttpResponse) -> Outcome {
        while let Some(sent) = self.next() {
            let response = server(&sent);
            self.receive(&response);
        }
        self.outcome()
    }
}

/// The CORS check (Fetch, "CORS check"), for `request` and `response`.
pub fn cors_check(request: &CorsRequest, response: &HttpResponse) -> Result<(), CorsCheckFailure> {
    // Step 1: "get" `Access-Control-Allow-Origin`: every line, combined with ", ".
    // Step 2: null (absent) is a failure (`null` the string is not null).
    let Some(origin) = get(&response.headers, "access-control-allow-origin") else {
        return Err(CorsCheckFailure::NoAllowOrigin);
    };
    // Step 3: without credentials, `*` is enough.
    if !request.includes_credentials() && origin == "*" {
        return Ok(());
    }
    // Step 4: otherwise it must be the request's serialized origin, byte for byte.
    if origin != request.origin {
        return Err(CorsCheckFailure::OriginMismatch);
    }
    // Step 5: without credentials that is enough.
    if !request.includes_credentials() {
        return Ok(());
    }
    // Steps 6 to 8: with credentials, `Access-Control-Allow-Credentials` must be exactly
    // `true` (case-sensitive; several lines combine into something else).
    match get(&response.headers, "access-control-allow-credentials") {
        Some(credentials) if credentials == "true" => Ok(()),
        _ => Err(CorsCheckFailure::CredentialsNotAllowed),
    }
}

/// The checks of a CORS-preflight fetch (its step 7) on the preflight `response`, for the
/// request that will follow.
pub fn preflight_check(request: &CorsRequest, response: &HttpResponse) -> Result<(), Blocked> {
    // Step 7: the CORS check is done for the request (its credentials mode), not for the
    // preflight; and the status must be an ok status. Otherwise (step 8): a network error.
    cors_check(request, response).map_err(Blocked::PreflightCorsCheck)?;
    if !(200..=299).contains(&response.status) {
        return Err(Blocked::PreflightStatus(response.status));
    }
    // Steps 7.1 to 7.3: extract both lists; a parse failure is a network error.
    let methods = extract_list(&response.headers, "access-control-allow-methods", is_token)
        .map_err(|()| Blocked::AllowMethodsUnparsable)?;
    let header_names = extract_list(&response.headers, "access-control-allow-headers", is_token)
        .map_err(|()| Blocked::AllowHeadersUnparsable)?;
    // Step 7.4 (the use-CORS-preflight flag) is never set by `fetch` without upload listeners.
    let methods = methods.unwrap_or_default();
    let header_names = header_names.unwrap_or_default();
    let star_counts = !request.includes_credentials();

    // Step 7.5: the method is in `methods` (byte for byte), or CORS-safelisted, or `*` is
    // listed and the credentials mode is not "include".
    let method_allowed = methods.contains(&request.method)
        || is_cors_safelisted_method(&request.method)
        || (star_counts && methods.iter().any(|m| m == "*"));
    if !method_allowed {
        return Err(Blocked::MethodNotAllowed(request.method.clone()));
    }

    let listed = |name: &str| header_names.iter().any(|h| h.eq_ignore_ascii_case(name));
    // Step 7.6: a CORS non-wildcard request-header name (`Authorization`) among the request's
    // header names must be listed by name, whatever `*` says.
    for (name, _) in &request.headers {
        if is_cors_non_wildcard_request_header_name(name) && !listed(name) {
            return Err(Blocked::NonWildcardHeaderNotListed(
                name.to_ascii_lowercase(),
            ));
        }
    }
    // Step 7.7: every CORS-unsafe request-header name must be listed (byte-case-insensitively),
    // unless `*` is listed and the credentials mode is not "include".
    let star_header = header_names.iter().any(|h| h == "*");
    for unsafe_name in request.unsafe_header_names() {
        let allowed = listed(&unsafe_name) || (star_counts && star_header);
        if !allowed {
            return Err(Blocked::HeaderNotAllowed(unsafe_name));
        }
    }
    // Steps 7.8 to 7.16 fill the preflight cache; step 7.17 returns the response.
    Ok(())
}

/// What the page gets for the response to the request itself: HTTP fetch's CORS check, then
/// main fetch's CORS-exposed header-name list and the CORS filtered response.
pub fn actual_outcome(request: &CorsRequest, response: &HttpResponse) -> Outcome {
    if let Err(failure) = cors_check(request, response) {
        return Outcome::Blocked(Blocked::CorsCheck(failure));
    }
    let exposed = cors_exposed_header_names(request, response);
    let headers = response
        .headers
        .iter()
        .filter(|(name, _)| is_cors_safelisted_response_header_name(name, &exposed))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
        .collect();
    Outcome::Readable {
        status: response.status,
        headers,
    }
}

/// The response's CORS-exposed header-name list (main fetch, "if request's response tainting
/// is cors").
pub fn cors_exposed_header_names(request: &CorsRequest, response: &HttpResponse) -> Vec<String> {
    // Step 1: extract `Access-Control-Expose-Headers` as a list of header names.
    let names = extract_list(&response.headers, "access-control-expose-headers", is_token);
    match names {
        // Step 2: without credentials, `*` exposes every header name the response has.
        Ok(Some(names)) if !request.includes_credentials() && names.iter().any(|n| n == "*") => {
            let mut all: Vec<String> = Vec::new();
            for (name, _) in &response.headers {
                if !all.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    all.push(name.clone());
                }
            }
            all
        }
        // Step 3: otherwise the names as listed (a `*` among them is a header named `*`).
        Ok(Some(names)) => names,
        // Absent or unparsable: the list stays empty.
        Ok(None) | Err(()) => Vec::new(),
    }
}

/// "CORS-safelisted response-header name", given the exposed names `list`: one of the seven
/// safelisted names, or a listed name that is not a forbidden response-header name.
pub fn is_cors_safelisted_response_header_name(name: &str, list: &[String]) -> bool {
    const SAFELISTED: [&str; 7] = [
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    ];
    SAFELISTED.iter().any(|s| s.eq_ignore_ascii_case(name))
        || (!is_forbidden_response_header_name(name)
            && list.iter().any(|item| item.eq_ignore_ascii_case(name)))
}

/// "Forbidden response-header name": `Set-Cookie` and `Set-Cookie2`, which no page reads.
pub fn is_forbidden_response_header_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

/// "CORS non-wildcard request-header name": `Authorization`, which `*` never covers.
pub fn is_cors_non_wildcard_request_header_name(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// "CORS-safelisted method": `GET`, `HEAD` or `POST` (byte for byte).
pub fn is_cors_safelisted_method(method: &str) -> bool {
    matches!(method, "GET" | "HEAD" | "POST")
}

/// "Normalize" a method, as `fetch` does: the six methods HTTP has always had are uppercased
/// whatever their case; any other (`patch`, `Purge`) is sent as written.
pub fn normalize_method(method: &str) -> String {
    let upper = method.to_ascii_uppercase();
    if ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].contains(&upper.as_str()) {
        upper
    } else {
        method.to_owned()
    }
}

/// "CORS-unsafe request-header names" of a header list.
pub fn cors_unsafe_request_header_names(headers: &[(String, String)]) -> Vec<String> {
    // Steps 1 to 3.
    let mut unsafe_names: Vec<&str> = Vec::new();
    let mut potentially_unsafe_names: Vec<&str> = Vec::new();
    let mut safelist_value_size = 0;
    // Step 4: a header that is not CORS-safelisted is unsafe; the others count towards a
    // total size.
    for (name, value) in headers {
        if is_cors_safelisted_request_header(name, value.as_bytes()) {
            potentially_unsafe_names.push(name);
            safelist_value_size += value.len();
        } else {
            unsafe_names.push(name);
        }
    }
    // Step 5: more than 1,024 bytes of safelisted values make them all unsafe.
    if safelist_value_size > 1024 {
        unsafe_names.extend(potentially_unsafe_names);
    }
    // Step 6: "convert header names to a sorted-lowercase set".
    let set: BTreeSet<String> = unsafe_names
        .iter()
        .map(|name| name.to_ascii_lowercase())
        .collect();
    set.into_iter().collect()
}

/// "CORS-safelisted request-header" (`name`, `value`).
pub fn is_cors_safelisted_request_header(name: &str, value: &[u8]) -> bool {
    // Step 1: no value longer than 128 bytes.
    if value.len() > 128 {
        return false;
    }
    // Step 2: by lowercase name.
    match name.to_ascii_lowercase().as_str() {
        "accept" => !value.iter().any(|&b| is_cors_unsafe_request_header_byte(b)),
        "accept-language" | "content-language" => value
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b" *,-.;=".contains(&b)),
        "content-type" => {
            if value.iter().any(|&b| is_cors_unsafe_request_header_byte(b)) {
                return false;
            }
            // The strict MIME type parser, not "extract a MIME type".
            matches!(
                mime_essence(value).as_deref(),
                Some("application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain")
            )
        }
        // A single range with a start (`bytes=0-`, `bytes=5-9`); suffix ranges are not
        // safelisted.
        "range" => matches!(parse_single_range(value), Some((Some(_), _))),
        _ => false,
    }
    // Step 3: true (each arm above).
}

/// "CORS-unsafe request-header byte".
fn is_cors_unsafe_request_header_byte(b: u8) -> bool {
    (b < 0x20 && b != 0x09)
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7F
        )
}

/// The essence (`type/subtype`, lowercase) of `value` by the MIME Sniffing standard's "parse a
/// MIME type"; `None` on failure. Parameters never make the parse fail, so they are skipped.
fn mime_essence(value: &[u8]) -> Option<String> {
    let http_whitespace = |b: &u8| matches!(b, b'\t' | b'\n' | b'\r' | b' ');
    // Step 1: strip leading and trailing HTTP whitespace.
    let start = value.iter().position(|b| !http_whitespace(b))?;
    let end = value.iter().rposition(|b| !http_whitespace(b))? + 1;
    let input = &value[start..end];
    // Steps 3 to 6: the type, up to `/`, a non-empty token; a `/` must follow.
    let slash = input.iter().position(|&b| b == b'/')?;
    let (kind, rest) = (&input[..slash], &input[slash + 1..]);
    if kind.is_empty() || !kind.iter().all(|&b| is_token_byte(b)) {
        return None;
    }
    // Steps 7 to 9: the subtype, up to `;`, trailing whitespace removed, a non-empty token.
    let subtype = rest.split(|&b| b == b';').next().unwrap_or_default();
    let subtype_end = subtype
        .iter()
        .rposition(|b| !http_whitespace(b))
        .map_or(0, |i| i + 1);
    let subtype = &subtype[..subtype_end];
    if subtype.is_empty() || !subtype.iter().all(|&b| is_token_byte(b)) {
        return None;
    }
    // Step 10: lowercase both.
    Some(format!(
        "{}/{}",
        String::from_utf8_lossy(kind).to_ascii_lowercase(),
        String::from_utf8_lossy(subtype).to_ascii_lowercase()
    ))
}

/// "Parse a single range header value" with `allowWhitespace` false: `(start, end)`.
fn parse_single_range(value: &[u8]) -> Option<(Option<u64>, Option<u64>)> {
    // Steps 1 to 6: `bytes=` (case-sensitive: "starts with").
    let rest = value.strip_prefix(b"bytes=")?;
    // Steps 8 and 9: the start, digits, maybe none.
    let start_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (start, rest) = rest.split_at(start_len);
    // Steps 11 and 12: a `-`.
    let rest = rest.strip_prefix(b"-")?;
    // Steps 14 and 15: the end, digits, maybe none.
    let end_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (end, rest) = rest.split_at(end_len);
    // Step 16: nothing may follow.
    if !rest.is_empty() {
        return None;
    }
    let number = |digits: &[u8]| -> Option<Option<u64>> {
        if digits.is_empty() {
            Some(None)
        } else {
            std::str::from_utf8(digits).ok()?.parse().ok().map(Some)
        }
    };
    let (start, end) = (number(start)?, number(end)?);
    // Steps 17 and 18: not both omitted, not backwards.
    match (start, end) {
        (None, None) => None,
        (Some(s), Some(e)) if s > e => None,
        range => Some(range),
    }
}

/// A token character (RFC 9110, section 5.6.2).
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `s` is a token: what `method` and `field-name` are.
fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_token_byte)
}

/// "Get" `name` from a header list: `None` if absent, else every value combined with ", ".
pub fn get(headers: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .iter()
        .filter(|(own, _)| own.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// "Extract header list values" for a header whose ABNF is `#element`: `Ok(None)` if absent,
/// `Err(())` if some line is not such a list, else every element of every line, in order.
/// Empty elements (`a, , b`) are allowed and skipped, as RFC 9110 section 5.6.1 tells
/// recipients to do; surrounding spaces and tabs are optional whitespace.
fn extract_list(
    headers: &[(String, String)],
    name: &str,
    element: fn(&str) -> bool,
) -> Result<Option<Vec<String>>, ()> {
    // Step 1: absent is null.
    if !headers
        .iter()
        .any(|(own, _)| own.eq_ignore_ascii_case(name))
    {
        return Ok(None);
    }
    // Step 2 does not apply: these ABNFs are lists. Steps 3 to 5: each line, parsed.
    let mut values = Vec::new();
    for (_, value) in headers
        .iter()
        .filter(|(own, _)| own.eq_ignore_ascii_case(name))
    {
        for item in value.split(',') {
            let item = item.trim_matches([' ', '\t']);
            if item.is_empty() {
                continue;
            }
            if !element(item) {
                return Err(());
            }
            values.push(item.to_owned());
        }
    }
    Ok(Some(values))
}
