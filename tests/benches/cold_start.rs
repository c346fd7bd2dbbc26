//! What a cold start pays for a policy: the first `Policy::build` of a process, from an
//! `origins_env` variable of 3 and of 500 entries, and `cors_runtime::check()` (which builds
//! every `#[cors]` policy of the binary: here one, `#[cors(origins_env = ..., credentials)]`).
//!
//! ```sh
//! cargo bench -p cors-tests --bench cold_start
//! ```
//!
//! Each figure is the median of 20 fresh processes (this bench starts itself once per process
//! and scenario): a process builds one policy, the first of its life, and reports how long it
//! took (`Instant` around the call, nothing else in it), then builds it again (the same work
//! with warm caches and a warm allocator, shown beside it). `COLD_START_RUNS` changes the
//! number of processes. Run without `--bench` (as `cargo test --benches` does), every scenario
//! runs once in this process as a smoke test.
//!
//! The 500 entries are a mix as a real deployment could have: 300 exact `https` origins on a
//! few kinds of domains (some with a port), 20 `http://localhost:<port>` origins, 100 `*.`
//! patterns, 60 `**.` patterns under bases of three and four labels, 20 `:*` patterns. With
//! `credentials`, as `#[cors(origins_env = ..., credentials)]`: every entry is valid and kept.

use std::ffi::OsStr;
use std::process::Command;
use std::time::{Duration, Instant};

use cors_runtime::__for_tests::{Policy, Spec, attribute_source};
use cors_runtime::cors;
use lambda_http::{Body, Error, Request, Response};

/// The variable of every scenario's whitelist (the bench's own `#[cors]` handler reads it).
const VARIABLE: &str = "COLD_START_ORIGINS";
/// Set in the child processes: the scenario to run.
const SCENARIO_VAR: &str = "COLD_START_SCENARIO";

/// The handler whose policy `cors_runtime::check()` builds.
#[cors(origins_env = "COLD_START_ORIGINS", credentials)]
async fn handler(_event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::new(Body::Empty))
}

/// `#[cors(origins_env = "COLD_START_ORIGINS", credentials)]`, as the attribute expands it.
fn spec() -> Spec<'static> {
    Spec {
        origins_env: Some(VARIABLE),
        credentials: true,
        ..Spec::new(attribute_source("handler", "benches/cold_start.rs", 1))
    }
}

/// 3 exact origins.
fn entries_3() -> String {
    "https://app.example.com https://admin.example.com https://docs.example.com".to_owned()
}

/// The 500-entry mix (see the module's documentation).
fn entries_500() -> String {
    let exact = (0..300).map(|i| match i % 6 {
        0 => format!("https://app-{i:03}.example.com"),
        1 => format!("https://tenant-{i:03}.customers.example.net"),
        2 => format!("https://www.shop-{i:03}.co.uk"),
        3 => format!("https://dashboard.brand-{i:03}.io"),
        4 => format!("https://staging-{i:03}.example.com:8443"),
        _ => format!("https://d{i:03}abcdefgh.cloudfront.net"),
    });
    let local = (0..20).map(|i| format!("http://localhost:{}", 3000 + i));
    let one_label = (0..100).map(|i| format!("https://*.pr-{i:03}.preview.example.com"));
    let any_labels = (0..60).map(|i| match i % 2 {
        0 => format!("https://**.env-{i:03}.example.org"),
        _ => format!("https://**.eu.env-{i:03}.example.org"),
    });
    let any_port = (0..20).map(|i| format!("https://review-{i:03}.example.com:*"));
    let list: Vec<String> = exact
        .chain(local)
        .chain(one_label)
        .chain(any_labels)
        .chain(any_port)
        .collect();
    assert_eq!(list.len(), 500);
    list.join(" ")
}

/// A scenario: its name, its entries, whether `check()` is timed (else `Policy::build`).
type Scenario = (&'static str, fn() -> String, bool);

/// The scenarios.
const SCENARIOS: &[Scenario] = &[
    ("`Policy::build`, 3 entries", entries_3, false),
    ("`Policy::build`, 500 entries", entries_500, false),
    ("`cors_runtime::check()`, 3 entries", entries_3, true),
    ("`cors_runtime::check()`, 500 entries", entries_500, true),
];

/// Runs scenario `index` in this process: the first build's time and a second build's.
fn run(index: usize) -> (Duration, Duration) {
    let (_, _, check) = SCENARIOS[index];
    if check {
        let start = Instant::now();
        let result = cors_runtime::check();
        let first = start.elapsed();
        assert!(result.is_ok(), "{}", result.unwrap_err());
        // `check()` builds each policy once per process: time the same build again directly.
        let value = std::env::var_os(VARIABLE);
        let spec = spec();
        let start = Instant::now();
        let policy = Policy::build(&spec, Some(value.as_deref()));
        let again = start.elapsed();
        assert!(policy.errors().is_empty(), "{}", policy.errors());
        return (first, again);
    }
    let value = std::env::var_os(VARIABLE);
    let spec = spec();
    let build = |value: Option<&OsStr>| {
        let start = Instant::now();
        let policy = Policy::build(&spec, Some(value));
        let elapsed = start.elapsed();
        assert!(policy.errors().is_empty(), "{}", policy.errors());
        // Dropped outside the timed part.
        drop(policy);
        elapsed
    };
    let first = build(value.as_deref());
    let again = build(value.as_deref());
    (first, again)
}

fn main() {
    // Registered by the attribute for `check()`, never called.
    let _ = handler;
    if let Ok(index) = std::env::var(SCENARIO_VAR) {
        let (first, again) = run(index.parse().expect("a scenario index"));
        println!("{} {}", first.as_nanos(), again.as_nanos());
        return;
    }
    if !std::env::args().any(|arg| arg == "--bench") {
        // A smoke test, in this process: `check()` builds the policy once, so it goes last.
        for (index, (name, entries, _)) in SCENARIOS.iter().enumerate() {
            // SAFETY: no other thread runs (and none reads the environment) in this bench.
            #[allow(unsafe_code)]
            unsafe {
                std::env::set_var(VARIABLE, entries())
            };
            let (first, _) = run(index);
            println!("{name}: {} µs (once, not a measurement)", first.as_micros());
        }
        return;
    }

    let runs: usize = std::env::var("COLD_START_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(20);
    let exe = std::env::current_exe().expect("the bench's path");
    println!(
        "| scenario | first build, median of {runs} processes | min | max | again, same process (median) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (index, (name, entries, _)) in SCENARIOS.iter().enumerate() {
        let value = entries();
        let mut firsts = Vec::with_capacity(runs);
        let mut agains = Vec::with_capacity(runs);
        for _ in 0..runs {
            let output = Command::new(&exe)
                .env(SCENARIO_VAR, index.to_string())
                .env(VARIABLE, &value)
                .output()
                .expect("run the bench's child process");
            assert!(
                output.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let text = String::from_utf8(output.stdout).expect("UTF-8");
            let mut figures = text
                .split_whitespace()
                .map(|n| n.parse::<u64>().expect("nanoseconds"));
            firsts.push(figures.next().expect("first"));
            agains.push(figures.next().expect("again"));
        }
        firsts.sort_unstable();
        agains.sort_unstable();
        let us = |ns: u64| format!("{:.1} µs", ns as f64 / 1000.0);
        println!(
            "| {name} | {} | {} | {} | {} |",
            us(median(&firsts)),
            us(firsts[0]),
            us(firsts[runs - 1]),
            us(median(&agains)),
        );
    }
}

/// The median of sorted figures.
fn median(sorted: &[u64]) -> u64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
