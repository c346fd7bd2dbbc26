//! One `#[cors]` handler invoked by thousands of concurrent tasks on a multi-thread runtime,
//! with different origins (listed, unlisted, look-alikes, none; actual requests and
//! preflights): every response carries exactly its own request's origin, or none, never another
//! task's. The first invocations race to build the policy (`LazyPolicy`), and the handler yields
//! in the middle so that invocations interleave across worker threads; the test checks that they
//! really did run in parallel (several threads, several in flight at once).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::ThreadId;

use cors_runtime::cors;
use cors_tests::events::{EventKind, invoke};
use lambda_http::{Body, Error, Request, Response, service_fn};
use tokio::task::JoinHandle;

const TASKS: usize = 4000;
const EVENT_TASKS: usize = 600;

/// What the handlers saw, to prove that the invocations overlapped.
struct Overlap {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    threads: Mutex<Vec<ThreadId>>,
}

impl Overlap {
    const fn new() -> Self {
        Overlap {
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            threads: Mutex::new(Vec::new()),
        }
    }

    fn saw(&self, thread: ThreadId) {
        let mut threads = self.threads.lock().unwrap_or_else(|e| e.into_inner());
        if !threads.contains(&thread) {
            threads.push(thread);
        }
    }

    fn threads(&self) -> usize {
        self.threads.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

static DIRECT: Overlap = Overlap::new();
static EVENTS: Overlap = Overlap::new();

/// The business logic: echoes the request's task number and Origin, yielding in between so
/// that other invocations run meanwhile (possibly moving to another worker thread).
async fn business(event: &Request, overlap: &Overlap) -> Response<Body> {
    let now = overlap.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    overlap.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let task = header(event, "x-task");
    let yields = task.parse::<usize>().unwrap_or(0) % 7;
    for _ in 0..yields {
        overlap.saw(std::thread::current().id());
        tokio::task::yield_now().await;
    }
    let origin = header(event, "origin");
    overlap.in_flight.fetch_sub(1, Ordering::SeqCst);
    Response::builder()
        .header("x-task", task)
        .header("x-seen-origin", origin)
        .header("vary", "Accept-Encoding")
        .body(Body::Empty)
        .expect("a valid response")
}

fn header(event: &Request, name: &str) -> String {
    event.headers().get(name).map_or_else(
        || "(none)".to_owned(),
        |v| String::from_utf8_lossy(v.as_bytes()).into_owned(),
    )
}

#[cors(
    origins = ["https://app.example.com", "https://*.allowed.example.com"],
    credentials,
    expose_headers = ["x-task"]
)]
async fn direct(event: Request) -> Result<Response<Body>, Error> {
    Ok(business(&event, &DIRECT).await)
}

#[cors(
    origins = ["https://app.example.com", "https://*.allowed.example.com"],
    credentials,
    expose_headers = ["x-task"]
)]
async fn via_events(event: Request) -> Result<Response<Body>, Error> {
    Ok(business(&event, &EVENTS).await)
}

/// Task `i`'s request: its origin (if any), whether that origin is allowed, and whether it is a
/// preflight.
fn plan(i: usize) -> (Option<String>, bool, bool) {
    match i % 6 {
        0 => (
            Some(format!("https://t{i}.allowed.example.com")),
            true,
            false,
        ),
        1 => (
            Some(format!("https://t{i}.refused.example.net")),
            false,
            false,
        ),
        2 => (
            Some(format!("https://t{i}.allowed.example.com.evil.com")),
            false,
            false,
        ),
        3 => (
            Some(format!("https://p{i}.allowed.example.com")),
            true,
            true,
        ),
        4 => (
            Some(format!("https://p{i}.refused.example.net")),
            false,
            true,
        ),
        _ => (None, false, false),
    }
}

/// Checks one response (as header lines) against task `i`'s plan.
fn check(i: usize, headers: &[(String, String)], status: u16) -> Result<(), String> {
    let (origin, allowed, preflight) = plan(i);
    let values = |name: &str| -> Vec<&str> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let acao = values("access-control-allow-origin");
    let acac = values("access-control-allow-credentials");
    let want: Vec<&str> = match (&origin, allowed) {
        (Some(origin), true) => vec![origin.as_str()],
        _ => Vec::new(),
    };
    if acao != want {
        return Err(format!("task {i}: allow-origin {acao:?}, want {want:?}"));
    }
    let want_credentials: &[&str] = if allowed { &["true"] } else { &[] };
    if acac != want_credentials {
        return Err(format!("task {i}: allow-credentials {acac:?}"));
    }
    if preflight {
        if status != 204 || !values("x-task").is_empty() {
            return Err(format!(
                "task {i}: preflight reached the handler ({status})"
            ));
        }
    } else {
        let task = i.to_string();
        let seen = origin.as_deref().unwrap_or("(none)");
        if values("x-task") != [task.as_str()] || values("x-seen-origin") != [seen] {
            return Err(format!(
                "task {i}: answered with another request's data: x-task {:?}, x-seen-origin {:?}",
                values("x-task"),
                values("x-seen-origin")
            ));
        }
        let expose = values("access-control-expose-headers");
        if expose != (if allowed { vec!["x-task"] } else { Vec::new() }) {
            return Err(format!("task {i}: expose-headers {expose:?}"));
        }
    }
    Ok(())
}

fn lines(response: &Response<Body>) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Holds every task until all are spawned, so that the first invocations (and the policy's
/// construction) race.
async fn wait_for(gate: &AtomicBool) {
    while !gate.load(Ordering::Acquire) {
        tokio::task::yield_now().await;
    }
}

/// Opens `gate` to the spawned `tasks` (each checks its own response), waits for them all, and
/// asserts that every response was right and that the invocations, as `overlap` saw them, ran in
/// parallel (several in flight at once, on several threads).
async fn open_and_check(
    gate: &AtomicBool,
    tasks: Vec<JoinHandle<Result<(), String>>>,
    overlap: &Overlap,
) {
    gate.store(true, Ordering::Release);
    let total = tasks.len();
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(problem) = task.await.expect("no task panics") {
            failures.push(problem);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} responses wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let (max, threads) = (
        overlap.max_in_flight.load(Ordering::SeqCst),
        overlap.threads(),
    );
    assert!(
        max > 1 && threads > 1,
        "the invocations did not overlap (at most {max} in flight, on {threads} threads): \
         this test would prove nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_invocations_never_cross_talk() {
    static GO: AtomicBool = AtomicBool::new(false);
    let mut tasks = Vec::with_capacity(TASKS);
    for i in 0..TASKS {
        tasks.push(tokio::spawn(async move {
            let (origin, _, preflight) = plan(i);
            let mut request = Request::new(Body::Empty);
            let headers = request.headers_mut();
            headers.insert("x-task", i.into());
            if let Some(origin) = &origin {
                headers.insert("origin", origin.parse().expect("a header value"));
            }
            if preflight {
                *request.method_mut() = http::Method::OPTIONS;
                request.headers_mut().insert(
                    "access-control-request-method",
                    "PUT".parse().expect("text"),
                );
            }
            wait_for(&GO).await;
            let response = direct(request).await.expect("the handler never fails");
            check(i, &lines(&response), response.status().as_u16())
        }));
    }
    open_and_check(&GO, tasks, &DIRECT).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_events_never_cross_talk() {
    static GO: AtomicBool = AtomicBool::new(false);
    let mut tasks = Vec::with_capacity(EVENT_TASKS);
    for i in 0..EVENT_TASKS {
        tasks.push(tokio::spawn(async move {
            let kind = EventKind::ALL[i % EventKind::ALL.len()];
            let (origin, _, preflight) = plan(i);
            let mut event = kind.event().header("x-task", i.to_string());
            if let Some(origin) = origin {
                event = event.header("origin", origin);
            }
            if preflight {
                event = event
                    .method("OPTIONS")
                    .header("access-control-request-method", "PUT");
            }
            wait_for(&GO).await;
            let invocation = invoke(service_fn(via_events), &event)
                .await
                .expect("the handler never fails");
            check(i, &invocation.headers(), invocation.status())
                .map_err(|problem| format!("{kind}: {problem}"))
        }));
    }
    open_and_check(&GO, tasks, &EVENTS).await;
}
