//! `*` beside named entries in `methods`, `headers` and `expose_headers`: does the browser
//! conclude what the user wrote?
//!
//! The issue: `headers = ["Authorization", "X-Api-Key", "*"]` used to answer a preflight with
//! `Access-Control-Allow-Headers: *` alone, and the Fetch standard never lets `*` cover
//! `Authorization`, so browsers refused a request the user had allowed by name. Here every
//! combination of `*` and names ([`cors_tests::star_matrix`]: 1,584 policies, of which the
//! rules accept 837) meets 196 requests, and for each row the conclusion the Fetch standard
//! draws from the real responses ([`cors_tests::fetch`]) must equal what the user meant
//! ([`intent`]). No assertion here compares header strings: they compare conclusions.
//!
//! - With `credentials`, the rules refuse every `*` (`ConfigErrorKind::WildcardWithCredentials`
//!   from the builder; the attribute's compile errors are the UI cases
//!   `tests/ui/tests/fail/wildcard-{methods,headers,expose-headers}-with-credentials.rs`), and
//!   nothing else about `*` beside names is an error.
//! - The whole table runs through `CorsLayer::builder()` layers around a handler, as HTTP API
//!   (payload 2.0) events through `lambda_http`'s own event handling; a representative subset
//!   runs as `#[cors]` handlers (made by `attribute_cases!`) on every event kind.
//! - Controls, over the same answers rewritten: the old answer (`Access-Control-Allow-Headers: *`
//!   alone whenever `*` is listed) fails exactly the rows where a page sends `Authorization` to a
//!   policy naming it beside `*`; answers listing the policy's names without its `*` fail
//!   exactly the rows that read a header, or use a method, only `*` allows. The table can fail,
//!   in each of its `*` columns.
//! - Mirror mode (no `headers`): an `Access-Control-Request-Headers` with empty list elements,
//!   or in several lines one of them empty, is mirrored as its names on every event kind: the
//!   browser allows exactly the names that reach the function (every line for multi-value ALB
//!   and VPC Lattice, the lines joined with commas for HTTP API and Function URLs, only the last
//!   line for REST and single-value ALB, where `lambda_http` 1.3 and the ALB keep only that one,
//!   as `harness.rs` pins). A hand-written mirror as `#[cors]` had it (first line only, nothing
//!   when an element is empty) fails there on every kind.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use std::time::Instant;

use cors_runtime::{ConfigErrorKind, cors};
use cors_tests::events::{EventKind, invoke};
use cors_tests::fetch::{Blocked, CorsRequest, Credentials, Fetch, HttpResponse, Outcome, Sent};
use cors_tests::star_matrix::{Conclusion, Origins, PolicyCase, RequestCase, intent};
use http::HeaderValue;
use http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_HEADERS, ORIGIN,
};
use lambda_http::tower::util::BoxCloneService;
use lambda_http::tower::{Layer, ServiceExt};
use lambda_http::{Body, Error, Request, Response, service_fn};

/// The origin the table's policies list.
const LISTED: &str = "https://app.example.com";
/// Another origin, in no list.
const OTHER: &str = "https://other.example";

type Svc = BoxCloneService<Request, Response<Body>, Error>;

/// The business logic: every header a page tries to read ([`cors_tests::star_matrix::PROBED`]).
async fn business(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .header("content-type", "text/plain")
        .header("x-a", "a")
        .header("x-b", "b")
        .header("set-cookie", "star=1; Path=/")
        .body(Body::from("ok"))?)
}

/// The layer of `policy` (which the rules accept) around [`business`].
fn layered(policy: &PolicyCase) -> Svc {
    let layer = policy
        .builder(LISTED)
        .build()
        .unwrap_or_else(|errors| panic!("{policy}: {errors}"));
    BoxCloneService::new(layer.layer(service_fn(business)))
}

/// A server behind `lambda_http`: each request the browser sends becomes an event of `kind`,
/// answered by `service`; the same request gets the same (remembered) answer.
struct Server {
    kind: EventKind,
    service: Svc,
    answers: HashMap<Sent, HttpResponse>,
    invocations: usize,
}

impl Server {
    fn new(kind: EventKind, service: Svc) -> Self {
        Server {
            kind,
            service,
            answers: HashMap::new(),
            invocations: 0,
        }
    }

    async fn answer(&mut self, sent: &Sent) -> HttpResponse {
        if let Some(answer) = self.answers.get(sent) {
            return answer.clone();
        }
        let event = self
            .kind
            .event()
            .method(&sent.method)
            .path("/items")
            .headers(sent.headers.iter().cloned());
        let invocation = invoke(self.service.clone(), &event)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.kind));
        self.invocations += 1;
        let answer = HttpResponse::with_headers(invocation.status(), invocation.headers());
        self.answers.insert(sent.clone(), answer.clone());
        answer
    }

    /// What the browser concludes for `request`, by the Fetch standard.
    async fn browse(&mut self, request: &CorsRequest) -> Outcome {
        self.browse_with(request, HttpResponse::clone).await
    }

    /// [`Server::browse`] with each answer passed through `variant` first.
    async fn browse_with(
        &mut self,
        request: &CorsRequest,
        variant: impl Fn(&HttpResponse) -> HttpResponse,
    ) -> Outcome {
        let mut fetch = Fetch::new(request);
        while let Some(sent) = fetch.next() {
            let answer = variant(&self.answer(&sent).await);
            fetch.receive(&answer);
        }
        fetch.outcome()
    }
}

/// A row whose browser conclusion differs from the user's intent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Mismatch {
    policy: String,
    request: String,
    intended: String,
    concluded: String,
}

/// Runs every request of the table against `server` under `policy`; returns the rows that
/// disagree with the intent.
async fn rows(server: &mut Server, policy: &PolicyCase, requests: &[RequestCase]) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    for request in requests {
        let outcome = server.browse(&request.to_fetch(LISTED, OTHER)).await;
        let concluded = Conclusion::of(&outcome);
        let intended = intent(policy, request);
        if concluded != intended {
            mismatches.push(Mismatch {
                policy: format!("{policy} [{}]", server.kind),
                request: request.to_string(),
                intended: intended.to_string(),
                concluded: format!("{concluded} ({outcome})"),
            });
        }
    }
    mismatches
}

fn report(what: &str, mismatches: &[Mismatch]) -> String {
    let mut text = format!("{what}: {} rows differ from the intent\n", mismatches.len());
    for m in mismatches.iter().take(30) {
        text.push_str(&format!(
            "  {}\n    {}: the user meant {}, the browser concludes {}\n",
            m.policy, m.request, m.intended, m.concluded
        ));
    }
    text
}

#[test]
fn the_rules_refuse_every_star_with_credentials_and_nothing_else_about_stars() {
    let (mut refused, mut accepted) = (0, 0);
    for policy in PolicyCase::all() {
        let built = policy.builder(LISTED).build();
        let mut expected = Vec::new();
        if policy.credentials {
            if policy.origins == Origins::Any {
                expected.push(ConfigErrorKind::AnyOriginWithCredentials);
            }
            expected.extend(std::iter::repeat_n(
                ConfigErrorKind::WildcardWithCredentials,
                policy.stars(),
            ));
        }
        match built {
            Ok(_) => {
                assert!(
                    expected.is_empty(),
                    "{policy}: built, expected {expected:?}"
                );
                assert!(policy.is_valid(), "{policy}");
                accepted += 1;
            }
            Err(errors) => {
                let mut kinds: Vec<ConfigErrorKind> = errors.iter().map(|e| e.kind()).collect();
                kinds.sort_by_key(|k| format!("{k:?}"));
                expected.sort_by_key(|k| format!("{k:?}"));
                assert_eq!(kinds, expected, "{policy}: {errors}");
                assert!(!policy.is_valid(), "{policy}");
                refused += 1;
            }
        }
    }
    assert_eq!((accepted, refused), (837, 747));

    // The attribute refuses the same at compile time, each `*` at its token: the UI cases.
    for (case, argument) in [
        (
            include_str!("../../ui/tests/fail/wildcard-methods-with-credentials.rs"),
            "methods = [\"*\"]",
        ),
        (
            include_str!("../../ui/tests/fail/wildcard-headers-with-credentials.rs"),
            "headers = [\"*\"]",
        ),
        (
            include_str!("../../ui/tests/fail/wildcard-expose-headers-with-credentials.rs"),
            "expose_headers = [\"*\"]",
        ),
    ] {
        assert!(
            case.contains("credentials") && case.contains(argument),
            "{case}"
        );
    }
    for stderr in [
        include_str!("../../ui/tests/fail/wildcard-methods-with-credentials.stderr"),
        include_str!("../../ui/tests/fail/wildcard-headers-with-credentials.stderr"),
        include_str!("../../ui/tests/fail/wildcard-expose-headers-with-credentials.stderr"),
    ] {
        assert!(stderr.contains("error"), "{stderr}");
        assert!(stderr.contains("credentials"), "{stderr}");
    }
}

/// A hand-written variant of an answer, for the controls: the real answer with one header
/// rewritten, as a wrapper around the handler would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Control {
    /// The old answer: `Access-Control-Allow-Headers: *` alone whenever it holds `*`.
    StarAlone,
    /// `Access-Control-Expose-Headers` with the policy's names only, `*` forgotten.
    ExposeNamesOnly,
    /// `Access-Control-Allow-Methods` with the policy's names only, `*` forgotten.
    MethodsNamesOnly,
}

const CONTROLS: [Control; 3] = [
    Control::StarAlone,
    Control::ExposeNamesOnly,
    Control::MethodsNamesOnly,
];

impl Control {
    fn rewrite(self, policy: &PolicyCase, answer: &HttpResponse) -> HttpResponse {
        let has_star = |value: &str| value.split(',').any(|e| e.trim() == "*");
        let names = |list: &[&str]| -> Option<String> {
            let names: Vec<&str> = list.iter().copied().filter(|e| *e != "*").collect();
            (!names.is_empty()).then(|| names.join(", "))
        };
        let (header, replacement) = match self {
            Control::StarAlone => ("access-control-allow-headers", Some("*".to_owned())),
            Control::ExposeNamesOnly => ("access-control-expose-headers", names(&policy.expose)),
            Control::MethodsNamesOnly => (
                "access-control-allow-methods",
                names(policy.methods.as_deref().unwrap_or_default()),
            ),
        };
        let mut rewritten = HttpResponse::new(answer.status);
        for (name, value) in &answer.headers {
            if !name.eq_ignore_ascii_case(header) || !has_star(value) {
                rewritten.headers.push((name.clone(), value.clone()));
            } else if let Some(replacement) = &replacement {
                rewritten.headers.push((name.clone(), replacement.clone()));
            }
        }
        rewritten
    }

    /// Whether the row must fail under this control, said plainly: it is meant to be readable
    /// and relies on what the control forgets.
    fn must_fail(self, policy: &PolicyCase, request: &RequestCase) -> bool {
        let meant = intent(policy, request);
        if !meant.readable {
            return false;
        }
        match self {
            // Authorization sent to a policy listing `*` (which, since the row is readable,
            // names Authorization beside it).
            Control::StarAlone => {
                policy.headers.as_ref().is_some_and(|h| h.contains(&"*"))
                    && request
                        .headers
                        .iter()
                        .any(|(name, _)| name.eq_ignore_ascii_case("authorization"))
            }
            // A header the page reads only thanks to `*`.
            Control::ExposeNamesOnly => {
                policy.expose.contains(&"*")
                    && ["x-a", "x-b"]
                        .iter()
                        .any(|n| !policy.expose.iter().any(|e| e.eq_ignore_ascii_case(n)))
            }
            // A method allowed only thanks to `*`.
            Control::MethodsNamesOnly => policy.methods.as_ref().is_some_and(|methods| {
                methods.contains(&"*")
                    && !["GET", "HEAD", "POST"].contains(&request.method)
                    && !methods.contains(&request.method)
            }),
        }
    }
}

/// The whole builder table on HTTP API events, and the controls over the same answers.
#[derive(Debug)]
struct TableRun {
    policies: usize,
    rows: usize,
    invocations: usize,
    elapsed: std::time::Duration,
    mismatches: Vec<Mismatch>,
    /// Per control: the rows that failed, and the rows that must fail.
    controls: Vec<(Control, Vec<String>, Vec<String>)>,
}

/// Run once, on first use, for the two tests that read it. The policies are shared out between
/// as many threads as there are cores (each with its own runtime and servers), and the results
/// put back in the table's order: the table is most of this binary's run time, and by the time
/// it runs the other tests are done.
static BUILDER_TABLE: LazyLock<TableRun> = LazyLock::new(|| {
    let started = Instant::now();
    let policies: Vec<PolicyCase> = PolicyCase::all()
        .into_iter()
        .filter(PolicyCase::is_valid)
        .collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    let share = policies.len().div_ceil(threads);
    let parts: Vec<TableRun> = std::thread::scope(|scope| {
        let workers: Vec<_> = policies
            .chunks(share)
            .map(|chunk| {
                scope.spawn(move || {
                    tokio::runtime::Builder::new_current_thread()
                        .build()
                        .expect("a runtime")
                        .block_on(builder_table(chunk))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("a share of the table panicked"))
            .collect()
    });
    let mut run = TableRun::empty();
    for part in parts {
        run.policies += part.policies;
        run.rows += part.rows;
        run.invocations += part.invocations;
        run.mismatches.extend(part.mismatches);
        for (all, part) in run.controls.iter_mut().zip(part.controls) {
            all.1.extend(part.1);
            all.2.extend(part.2);
        }
    }
    run.elapsed = started.elapsed();
    run
});

impl TableRun {
    fn empty() -> Self {
        TableRun {
            policies: 0,
            rows: 0,
            invocations: 0,
            elapsed: Default::default(),
            mismatches: Vec::new(),
            controls: CONTROLS.map(|c| (c, Vec::new(), Vec::new())).to_vec(),
        }
    }
}

/// The rows of `policies` (which the rules accept), each policy behind its own server.
async fn builder_table(policies: &[PolicyCase]) -> TableRun {
    let requests = RequestCase::all();
    let mut run = TableRun::empty();
    for policy in policies {
        let mut server = Server::new(EventKind::HttpV2, layered(policy));
        run.mismatches
            .extend(rows(&mut server, policy, &requests).await);
        for request in &requests {
            let row = || format!("{policy} | {request}");
            let page = request.to_fetch(LISTED, OTHER);
            for (control, failed, must_fail) in &mut run.controls {
                // The same (remembered) real answers, rewritten: no new invocation.
                let outcome = server
                    .browse_with(&page, |answer| control.rewrite(policy, answer))
                    .await;
                if Conclusion::of(&outcome) != intent(policy, request) {
                    failed.push(row());
                }
                if control.must_fail(policy, request) {
                    must_fail.push(row());
                }
            }
        }
        run.policies += 1;
        run.rows += requests.len();
        run.invocations += server.invocations;
    }
    run
}

#[test]
fn every_builder_policy_on_http_api_events_means_what_the_user_wrote() {
    let run = &*BUILDER_TABLE;
    eprintln!(
        "star_matrix (builder, {}): {} policies x {} requests = {} rows, {} invocations, {:?}",
        EventKind::HttpV2,
        run.policies,
        RequestCase::all().len(),
        run.rows,
        run.invocations,
        run.elapsed
    );
    assert_eq!((run.policies, run.rows), (837, 837 * 196));
    assert!(
        run.mismatches.is_empty(),
        "{}",
        report("builder table", &run.mismatches)
    );
}

#[test]
fn the_controls_fail_exactly_the_rows_that_rely_on_what_they_forget() {
    let run = &*BUILDER_TABLE;
    for (control, failed, must_fail) in &run.controls {
        eprintln!(
            "star_matrix control {control:?}: {} of {} rows fail, {} must",
            failed.len(),
            run.rows,
            must_fail.len()
        );
        assert!(!must_fail.is_empty(), "{control:?}");
        let (failed, must_fail): (HashSet<&String>, HashSet<&String>) =
            (failed.iter().collect(), must_fail.iter().collect());
        let unexpected: Vec<&&String> = failed.difference(&must_fail).collect();
        let missed: Vec<&&String> = must_fail.difference(&failed).collect();
        assert!(
            unexpected.is_empty() && missed.is_empty(),
            "{control:?}: failed but should not ({}): {:#?}\nshould fail but did not ({}): {:#?}",
            unexpected.len(),
            &unexpected[..unexpected.len().min(10)],
            missed.len(),
            &missed[..missed.len().min(10)],
        );
    }
}

/// The description of a `#[cors]` attribute's arguments, read from the same tokens.
macro_rules! policy_of {
    (@ $p:ident ;) => {};
    (@ $p:ident ; origins = "*" $(, $($rest:tt)*)?) => {
        $p.origins = Origins::Any;
        policy_of!(@ $p ; $($($rest)*)?);
    };
    (@ $p:ident ; origins = [$($origin:literal),*] $(, $($rest:tt)*)?) => {
        $(assert_eq!($origin, LISTED);)*
        $p.origins = Origins::Listed;
        policy_of!(@ $p ; $($($rest)*)?);
    };
    (@ $p:ident ; credentials $(, $($rest:tt)*)?) => {
        $p.credentials = true;
        policy_of!(@ $p ; $($($rest)*)?);
    };
    (@ $p:ident ; methods = [$($method:literal),*] $(, $($rest:tt)*)?) => {
        $p.methods = Some(vec![$($method),*]);
        policy_of!(@ $p ; $($($rest)*)?);
    };
    (@ $p:ident ; headers = [$($header:literal),*] $(, $($rest:tt)*)?) => {
        $p.headers = Some(vec![$($header),*]);
        policy_of!(@ $p ; $($($rest)*)?);
    };
    (@ $p:ident ; expose_headers = [$($header:literal),*] $(, $($rest:tt)*)?) => {
        $p.expose = vec![$($header),*];
        policy_of!(@ $p ; $($($rest)*)?);
    };
    ($($args:tt)*) => {{
        let mut policy = PolicyCase {
            origins: Origins::Listed,
            credentials: false,
            methods: None,
            headers: None,
            expose: Vec::new(),
        };
        policy_of!(@ policy ; $($args)*);
        policy
    }};
}

/// One `#[cors]` handler per line, around [`business`], and `attribute_cases()` listing each
/// with its policy (from the same tokens) and its service.
macro_rules! attribute_cases {
    ($($name:ident: ($($args:tt)*);)*) => {
        $(
            #[cors($($args)*)]
            async fn $name(event: Request) -> Result<Response<Body>, Error> {
                business(event).await
            }
        )*

        fn attribute_cases() -> Vec<(&'static str, PolicyCase, Svc)> {
            vec![$((
                stringify!($name),
                policy_of!($($args)*),
                BoxCloneService::new(service_fn($name)),
            )),*]
        }
    };
}

attribute_cases! {
    issue: (origins = ["https://app.example.com"], headers = ["Authorization", "X-Api-Key", "*"]);
    star_headers: (origins = ["https://app.example.com"], headers = ["*"]);
    star_before_name: (origins = ["https://app.example.com"], headers = ["*", "x-api-key"]);
    star_before_authorization: (origins = ["https://app.example.com"], headers = ["*", "authorization"]);
    mixed_case_authorization: (origins = ["https://app.example.com"], headers = ["aUtHoRiZaTiOn", "*", "X-OTHER"]);
    named_with_credentials: (origins = ["https://app.example.com"], credentials, headers = ["Authorization", "X-Api-Key"]);
    named_mixed_case: (origins = ["https://app.example.com"], headers = ["x-API-key", "Content-Type"]);
    mirror_with_credentials: (origins = ["https://app.example.com"], credentials);
    no_headers: (origins = ["https://app.example.com"], headers = []);
    star_methods: (origins = ["https://app.example.com"], methods = ["*"]);
    star_everywhere: (origins = ["https://app.example.com"], methods = ["*", "PUT"], headers = ["*"], expose_headers = ["*"]);
    star_after_names: (origins = ["https://app.example.com"], methods = ["PURGE", "*"], headers = ["X-Api-Key", "*"], expose_headers = ["x-B", "*"]);
    named_only_with_credentials: (origins = ["https://app.example.com"], credentials, methods = ["Purge", "DELETE"], expose_headers = ["x-a", "X-B"]);
    any_origin_issue: (origins = "*", methods = ["*"], headers = ["Authorization", "X-Api-Key", "*"], expose_headers = ["*", "x-a"]);
    any_origin_defaults: (origins = "*");
    star_expose: (origins = ["https://app.example.com"], expose_headers = ["*"]);
    named_expose_with_credentials: (origins = ["https://app.example.com"], credentials, methods = ["PUT", "PURGE"], headers = ["X-Api-Key"], expose_headers = ["X-A"]);
}

#[tokio::test(flavor = "current_thread")]
async fn cors_handlers_on_every_event_kind_mean_what_the_user_wrote() {
    let started = Instant::now();
    let requests = RequestCase::all();
    let cases = attribute_cases();
    let mut mismatches = Vec::new();
    let mut rows_run = 0;
    for (name, policy, service) in &cases {
        assert!(policy.is_valid(), "{name}: {policy}");
        // The same policy through the builder is part of the full table.
        assert!(PolicyCase::all().contains(policy), "{name}: {policy}");
        for kind in EventKind::ALL {
            let mut server = Server::new(kind, service.clone());
            mismatches.extend(rows(&mut server, policy, &requests).await);
            rows_run += requests.len();
        }
    }
    eprintln!(
        "star_matrix (#[cors]): {} handlers x {} event kinds x {} requests = {rows_run} rows, {:?}",
        cases.len(),
        EventKind::ALL.len(),
        requests.len(),
        started.elapsed()
    );
    assert!(
        mismatches.is_empty(),
        "{}",
        report("#[cors] handlers", &mismatches)
    );
}

/// The old answer, written by hand around the real one: `Access-Control-Allow-Headers: *`
/// alone whenever the policy lists `*` (names beside it dropped).
fn star_alone(inner: Svc) -> Svc {
    BoxCloneService::new(service_fn(move |request: Request| {
        let inner = inner.clone();
        async move {
            let mut response = inner.oneshot(request).await?;
            let headers = response.headers_mut();
            if let Some(value) = headers.get(ACCESS_CONTROL_ALLOW_HEADERS)
                && value
                    .as_bytes()
                    .split(|b| *b == b',')
                    .any(|e| e.trim_ascii() == b"*")
            {
                headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("*"));
            }
            Ok(response)
        }
    }))
}

/// The issue's own policy, word for word: the browser now lets a page send `Authorization`
/// (and any other header), and the old answer would not.
#[cors(origins = ["http://example.com"], headers = ["Authorization", "X-Api-Key", "*"])]
async fn issue_as_written(event: Request) -> Result<Response<Body>, Error> {
    business(event).await
}

#[tokio::test(flavor = "current_thread")]
async fn the_issues_policy_lets_a_page_send_authorization_on_every_event_kind() {
    let page = |headers: &[(&str, &str)]| {
        let mut request = CorsRequest::new("http://example.com", "PUT");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request
    };
    for kind in EventKind::ALL {
        let fixed = BoxCloneService::new(service_fn(issue_as_written));
        for headers in [
            &[("Authorization", "Bearer t")][..],
            &[("authorization", "Bearer t"), ("x-anything", "1")],
            &[("X-Api-Key", "k"), ("X-Other", "o")],
        ] {
            let outcome = Server::new(kind, fixed.clone())
                .browse(&page(headers))
                .await;
            assert!(outcome.is_readable(), "{kind} {headers:?}: {outcome}");
        }
        let old = Server::new(kind, star_alone(fixed))
            .browse(&page(&[("Authorization", "Bearer t")]))
            .await;
        assert_eq!(
            old,
            Outcome::Blocked(Blocked::NonWildcardHeaderNotListed(
                "authorization".to_owned()
            )),
            "{kind}"
        );
    }
}

// Mirror mode: `headers` not given.

#[cors(origins = ["https://app.example.com"], credentials)]
async fn mirror(event: Request) -> Result<Response<Body>, Error> {
    business(event).await
}

/// The `Access-Control-Request-Headers` lines that reach the function for `kind` when a client
/// sends `lines`: what `lambda_http` 1.3 hands the handler (pinned in `harness.rs`).
fn lines_reaching_the_function(kind: EventKind, lines: &[&str]) -> Vec<String> {
    match kind {
        // API Gateway's `headers` holds the last line and lambda_http lets it replace the
        // `multiValueHeaders` ones; an ALB without multi-value headers keeps the last line.
        EventKind::RestV1 | EventKind::AlbSingleValue => {
            lines.last().map(|l| (*l).to_owned()).into_iter().collect()
        }
        // Payload 2.0 joins repeated headers with commas.
        EventKind::HttpV2 | EventKind::FunctionUrl => vec![lines.join(",")],
        EventKind::AlbMultiValue | EventKind::VpcLatticeV2 => {
            lines.iter().map(|l| (*l).to_owned()).collect()
        }
    }
}

/// The names in `lines`, lowercase, empty elements dropped.
fn names(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|line| line.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

/// A hand-written mirror as `#[cors]` had it before: the first line only, copied as is, and
/// nothing when it has an empty element.
async fn old_mirror(event: Request) -> Result<Response<Body>, Error> {
    let headers = event.headers().clone();
    let mut response = business(event).await?;
    if headers.get(ORIGIN).is_some_and(|o| o == LISTED) {
        let out = response.headers_mut();
        out.insert(
            ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static(LISTED),
        );
        out.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
        out.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("PUT"),
        );
        if let Some(first) = headers.get(ACCESS_CONTROL_REQUEST_HEADERS)
            && !first
                .as_bytes()
                .split(|b| *b == b',')
                .any(|e| e.trim_ascii().is_empty())
        {
            out.insert(ACCESS_CONTROL_ALLOW_HEADERS, first.clone());
        }
    }
    Ok(response)
}

#[tokio::test(flavor = "current_thread")]
async fn mirror_mode_names_the_asked_headers_without_empty_elements_on_every_event_kind() {
    let layered_mirror = layered(&mirror_policy());
    let attribute_mirror: Svc = BoxCloneService::new(service_fn(mirror));
    let control: Svc = BoxCloneService::new(service_fn(old_mirror));
    // Requests a page might make after such a preflight: `content-type: application/json`
    // and `x-a` were asked for; `x-b` was not.
    let pages: Vec<(Vec<&str>, CorsRequest)> = [
        vec!["content-type", "x-a"],
        vec!["content-type"],
        vec!["x-a"],
        vec!["x-b"],
    ]
    .into_iter()
    .flat_map(|names| {
        [Credentials::SameOrigin, Credentials::Include].map(|credentials| {
            let mut request = CorsRequest::new(LISTED, "PUT").credentials(credentials);
            for name in &names {
                let value = if *name == "content-type" {
                    "application/json"
                } else {
                    "1"
                };
                request = request.header(*name, value);
            }
            (names.clone(), request)
        })
    })
    .collect();
    let cases: [&[&str]; 8] = [
        &["content-type, , x-a"],
        &[",content-type,,x-a,"],
        &["  content-type ,  , x-a  "],
        &["content-type,x-a"],
        &["content-type", "", "x-a"],
        &["", "content-type, x-a"],
        &["content-type", " , x-a"],
        &["content-type, x-a", ""],
    ];
    let mut control_failures: HashMap<EventKind, usize> = HashMap::new();
    let mut checked = 0;
    for kind in EventKind::ALL {
        for lines in cases {
            let arriving = names(&lines_reaching_the_function(kind, lines));
            let mut sent = CorsRequest::new(LISTED, "PUT").preflight();
            sent.headers
                .retain(|(name, _)| name != "Access-Control-Request-Headers");
            for line in lines {
                sent.headers.push((
                    "Access-Control-Request-Headers".to_owned(),
                    (*line).to_owned(),
                ));
            }
            for (what, service) in [("builder", &layered_mirror), ("#[cors]", &attribute_mirror)] {
                let answer = Server::new(kind, service.clone()).answer(&sent).await;
                for (asked, page) in &pages {
                    let allowed = asked.iter().all(|name| arriving.iter().any(|a| a == name));
                    let result = cors_tests::fetch::preflight_check(page, &answer);
                    assert_eq!(
                        result.is_ok(),
                        allowed,
                        "{what} [{kind}] lines {lines:?} (the function sees {arriving:?}), a page \
                         sending {asked:?} with {:?}: {result:?}",
                        page.credentials
                    );
                    checked += 1;
                }
            }
            let answer = Server::new(kind, control.clone()).answer(&sent).await;
            for (asked, page) in &pages {
                let allowed = asked.iter().all(|name| arriving.iter().any(|a| a == name));
                if cors_tests::fetch::preflight_check(page, &answer).is_ok() != allowed {
                    *control_failures.entry(kind).or_default() += 1;
                }
            }
        }
    }
    eprintln!("star_matrix mirror: {checked} checks; the old mirror fails {control_failures:?}");
    // The old mirror fails on every kind (the single lines with empty elements at least).
    for kind in EventKind::ALL {
        assert!(
            control_failures.get(&kind).is_some_and(|n| *n > 0),
            "{kind}"
        );
    }
}

/// The builder table's mirror policy: no `headers`, credentials.
fn mirror_policy() -> PolicyCase {
    PolicyCase {
        origins: Origins::Listed,
        credentials: true,
        methods: None,
        headers: None,
        expose: Vec::new(),
    }
}
