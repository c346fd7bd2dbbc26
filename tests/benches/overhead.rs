//! What CORS adds to each request: one handler without CORS (baseline), with hand-written CORS
//! (the floor), with `#[cors]`, and wrapped in tower-http's `CorsLayer`, called the way
//! `lambda_http` calls it (see `cases/mod.rs`), over the scenarios of `cases::SCENARIOS` and the
//! handler shapes of `cases::SHAPE_SCENARIOS`; and the same handler in an axum `Router`, bare,
//! under `Identity`, `cors_layer!` and tower-http's `CorsLayer` (`Shape::Router`), over
//! `cases::SCENARIOS`.
//!
//! `cargo bench -p cors-tests --bench overhead` measures, for every case:
//!
//! 1. time per call, with criterion (median; short runs, as the machine is shared);
//! 2. instructions per call, with valgrind's callgrind (if `valgrind` is on `PATH`): the bench
//!    starts itself once per case under `valgrind --tool=callgrind`, collecting only inside
//!    `measured_calls` ([`CALLS`] calls after a warm-up), so the count is the handler call
//!    alone and does not vary from run to run;
//! 3. heap allocations per call, with a counting global allocator (after a warm-up, so one-off
//!    work such as building the policy is not counted);
//!
//! then prints a Markdown table of each figure and its difference from the baseline (also
//! written to `target/cors-bench/overhead.md`) and whether each target of `BENCHMARKS.md` is met.
//!
//! Environment: `CORS_BENCH_SKIP=criterion` (or `callgrind`) skips that part; criterion's own
//! arguments (a filter, `--measurement-time`) are honoured. Run without `--bench` (as
//! `cargo test --benches` does), every case is called once as a smoke test.

mod cases;

use std::collections::HashMap;
use std::env;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use cases::{Case, Policy, Run, Shape, Variant};
use criterion::{BatchSize, Criterion};
use lambda_http::{Body, Request, Response};

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

/// Set in the child processes that run under callgrind: the id of the case to run.
const CALLGRIND_CASE_VAR: &str = "CORS_BENCH_CALLGRIND_CASE";
/// Calls measured per case under callgrind (and for allocations).
const CALLS: usize = 200;

fn main() {
    set_origins_variable();
    if let Some(id) = env::var_os(CALLGRIND_CASE_VAR) {
        callgrind_child(&id.to_string_lossy());
        return;
    }
    let mut cases = cases::cases(|_| true);
    if !env::args().any(|arg| arg == "--bench") {
        for case in &mut cases {
            let response = (case.run)(case.request.build());
            assert!(response.status().is_success(), "{}", case.id);
        }
        println!(
            "{} overhead cases ran once (run with --bench to measure)",
            cases.len()
        );
        return;
    }
    let skip = env::var("CORS_BENCH_SKIP").unwrap_or_default();
    let target = cors_dev::workspace::target_dir();

    let mut nanos = HashMap::new();
    if !skip.contains("criterion") {
        nanos = time(&mut cases, &target.join("criterion"));
    }
    let allocations: HashMap<String, f64> = cases
        .iter_mut()
        .map(|case| (case.id.clone(), allocations_per_call(case)))
        .collect();
    let mut instructions = HashMap::new();
    if !skip.contains("callgrind") {
        instructions = callgrind(&cases, &target.join("cors-bench"));
    }

    let report = report(&cases, &nanos, &instructions, &allocations);
    println!("\n{report}");
    let dir = target.join("cors-bench");
    std::fs::create_dir_all(&dir).expect("create target/cors-bench");
    std::fs::write(dir.join("overhead.md"), &report).expect("write target/cors-bench/overhead.md");
    println!("(written to {})", dir.join("overhead.md").display());
}

/// Sets the 1,000-entry whitelists' variables, as a deployment's environment would, before the
/// first request (and before any thread exists).
#[allow(unsafe_code)]
fn set_origins_variable() {
    for (variable, value) in [
        (
            cases::ORIGINS_1000_VAR,
            cases::origins_1000 as fn() -> String,
        ),
        (cases::PATTERNS_1000_VAR, cases::patterns_1000),
    ] {
        if env::var_os(variable).is_none() {
            // SAFETY: called first thing in `main`, before this process starts any thread, so
            // no other thread can read or write the environment at the same time.
            unsafe { env::set_var(variable, value()) };
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Time.

fn time(cases: &mut [Case], output: &Path) -> HashMap<String, f64> {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30)
        .nresamples(10_000)
        .without_plots()
        .output_directory(output)
        .configure_from_args();
    for chunk in cases.chunk_by_mut(|a, b| a.shape == b.shape && a.scenario.key == b.scenario.key) {
        let group_name = group_name(&chunk[0]);
        let mut group = criterion.benchmark_group(&group_name);
        for case in chunk {
            let Case { run, request, .. } = case;
            group.bench_function(case.variant.name(), |b| {
                b.iter_batched(|| request.build(), &mut *run, BatchSize::SmallInput);
            });
        }
        group.finish();
    }
    criterion.final_summary();

    // criterion keeps its estimates in `<output>/<group>/<function>/new/estimates.json`.
    let mut nanos = HashMap::new();
    for case in cases.iter() {
        let path = output
            .join(group_name(case))
            .join(case.variant.name())
            .join("new/estimates.json");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let estimates: serde_json::Value =
            serde_json::from_str(&text).expect("criterion's estimates are JSON");
        if let Some(median) = estimates["median"]["point_estimate"].as_f64() {
            nanos.insert(case.id.clone(), median);
        }
    }
    nanos
}

fn group_name(case: &Case) -> String {
    format!("{}-{}", case.shape.name(), case.scenario.key)
}

// ---------------------------------------------------------------------------------------------
// Allocations.

#[allow(unsafe_code)]
mod counting {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

    static COUNTING: AtomicBool = AtomicBool::new(false);
    static COUNT: AtomicU64 = AtomicU64::new(0);

    /// The system allocator, counting allocations (and reallocations) while [`measure`] runs.
    /// Outside it the cost is one relaxed load per allocation, so timings are not skewed.
    pub struct Counting;

    fn count() {
        if COUNTING.load(Relaxed) {
            COUNT.fetch_add(1, Relaxed);
        }
    }

    // SAFETY: every method forwards its arguments unchanged to `System`, which upholds the
    // `GlobalAlloc` contract; counting only touches two atomics and never allocates.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            count();
            // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which is `System`'s.
            unsafe { System.alloc(layout) }
        }

        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            count();
            // SAFETY: as for `alloc`.
            unsafe { System.alloc_zeroed(layout) }
        }

        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            count();
            // SAFETY: `ptr` was allocated by `System` (every allocation goes through this
            // type) with `layout`, as the caller guarantees.
            unsafe { System.realloc(ptr, layout, new_size) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // SAFETY: as for `realloc`.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    /// The allocations `f` makes (on any thread; the bench is single-threaded when measuring).
    pub fn measure(f: impl FnOnce()) -> u64 {
        COUNT.store(0, Relaxed);
        COUNTING.store(true, Relaxed);
        f();
        COUNTING.store(false, Relaxed);
        COUNT.load(Relaxed)
    }
}

fn allocations_per_call(case: &mut Case) -> f64 {
    for _ in 0..3 {
        drop((case.run)(case.request.build()));
    }
    let requests: Vec<Request> = (0..CALLS).map(|_| case.request.build()).collect();
    let mut responses = Vec::with_capacity(CALLS);
    let count = counting::measure(|| measured_calls(&mut case.run, requests, &mut responses));
    drop(responses);
    count as f64 / CALLS as f64
}

// ---------------------------------------------------------------------------------------------
// Instructions.

/// The only function callgrind collects in: [`CALLS`] calls of the handler.
#[inline(never)]
fn measured_calls(run: &mut Run, requests: Vec<Request>, responses: &mut Vec<Response<Body>>) {
    for request in requests {
        responses.push(run(request));
    }
}

fn callgrind_child(id: &str) {
    let mut case = cases::case_of_id(id).unwrap_or_else(|| panic!("no case {id}"));
    for _ in 0..10 {
        drop((case.run)(case.request.build()));
    }
    let requests: Vec<Request> = (0..CALLS).map(|_| case.request.build()).collect();
    let mut responses = Vec::with_capacity(CALLS);
    measured_calls(&mut case.run, requests, &mut responses);
    drop(responses);
}

/// Instructions per call of each case, two cases at a time (the count does not depend on load).
fn callgrind(cases: &[Case], dir: &Path) -> HashMap<String, f64> {
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!("valgrind not found: no instruction counts");
        return HashMap::new();
    }
    std::fs::create_dir_all(dir).expect("create target/cors-bench");
    let exe = env::current_exe().expect("current_exe");
    // `Case` holds handlers that are not `Sync`: the threads get the ids only.
    let ids: Vec<&str> = cases.iter().map(|case| case.id.as_str()).collect();
    let next = AtomicUsize::new(0);
    let results = Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&id) = ids.get(index) else { break };
                    let out = dir.join(format!("callgrind.{index}.out"));
                    let status = Command::new("valgrind")
                        .arg("--tool=callgrind")
                        .arg("--toggle-collect=*measured_calls*")
                        .arg(format!("--callgrind-out-file={}", out.display()))
                        .arg(&exe)
                        .env(CALLGRIND_CASE_VAR, id)
                        .stdout(std::process::Stdio::null())
                        .stderr(std::process::Stdio::null())
                        .status()
                        .expect("run valgrind");
                    assert!(status.success(), "callgrind failed on {id}");
                    let text = std::fs::read_to_string(&out).expect("callgrind output");
                    let total: u64 = text
                        .lines()
                        .find_map(|line| line.strip_prefix("totals:"))
                        .and_then(|total| total.trim().parse().ok())
                        .expect("callgrind totals");
                    eprintln!("callgrind {:>3}/{}: {id}", index + 1, ids.len());
                    results
                        .lock()
                        .unwrap()
                        .insert(id.to_owned(), total as f64 / CALLS as f64);
                }
            });
        }
    });
    results.into_inner().unwrap()
}

// ---------------------------------------------------------------------------------------------
// The report.

struct Figures<'a> {
    nanos: &'a HashMap<String, f64>,
    instructions: &'a HashMap<String, f64>,
    allocations: &'a HashMap<String, f64>,
}

impl Figures<'_> {
    fn baseline_id(case: &Case) -> String {
        format!(
            "{}-{}/{}",
            case.shape.name(),
            case.scenario.key,
            Variant::Baseline.name()
        )
    }

    /// `(value, value minus the baseline's)` of one figure.
    fn get(map: &HashMap<String, f64>, case: &Case) -> Option<(f64, f64)> {
        let value = *map.get(&case.id)?;
        let baseline = *map.get(&Self::baseline_id(case))?;
        Some((value, value - baseline))
    }

    fn over(
        map: &HashMap<String, f64>,
        cases: &[Case],
        shape: Shape,
        key: &str,
        variant: Variant,
    ) -> Option<f64> {
        let case = cases
            .iter()
            .find(|c| c.shape == shape && c.scenario.key == key && c.variant == variant)?;
        Self::get(map, case).map(|(_, over)| over)
    }
}

fn cell(figure: Option<(f64, f64)>, baseline: bool, decimals: usize) -> (String, String) {
    match figure {
        None => ("–".into(), "–".into()),
        Some((value, _)) if baseline => (format!("{value:.decimals$}"), "".into()),
        Some((value, over)) => (format!("{value:.decimals$}"), format!("{over:+.decimals$}")),
    }
}

fn report(
    cases: &[Case],
    nanos: &HashMap<String, f64>,
    instructions: &HashMap<String, f64>,
    allocations: &HashMap<String, f64>,
) -> String {
    let figures = Figures {
        nanos,
        instructions,
        allocations,
    };
    let mut out = String::new();
    let mut shape = None;
    for case in cases {
        if shape != Some(case.shape) {
            shape = Some(case.shape);
            out.push_str(match case.shape {
                Shape::Json => "\n### Handler `Result<Response<Body>, E>` (JSON, with `content-type`)\n\n",
                Shape::Bare => "\n### Handler `Result<Response<Body>, E>` without any header (the README's quick start)\n\n",
                Shape::Value => "\n### Handler `Result<impl IntoResponse, E>` (a `serde_json::Value`)\n\n",
                Shape::Router => "\n### axum `Router` as `lambda_http::run(router)` gets it (each variant applied with `Router::layer`; over the bare router)\n\n",
                Shape::RouterWithState => "\n### axum `Router` with `.with_state(())` (as `axum::serve` serves it; over the bare router)\n\n",
            });
            out.push_str("| scenario | variant | ns/call | ns over baseline | instructions/call | instructions over baseline | allocations/call | allocations over baseline |\n");
            out.push_str("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        }
        let baseline = case.variant == Variant::Baseline;
        let (ns, ns_over) = cell(Figures::get(figures.nanos, case), baseline, 0);
        let (ir, ir_over) = cell(Figures::get(figures.instructions, case), baseline, 0);
        let (al, al_over) = cell(Figures::get(figures.allocations, case), baseline, 0);
        let router = matches!(case.shape, Shape::Router | Shape::RouterWithState);
        let variant = match (router, case.variant) {
            (true, Variant::Cors) => "`cors_layer!`",
            (true, Variant::Identity) => "`Identity`",
            (_, Variant::Cors) => "`#[cors]`",
            (_, Variant::HandWrittenSameJob) => "hand-written, same job",
            (_, other) => other.name(),
        };
        out.push_str(&format!(
            "| {} | {variant} | {ns} | {ns_over} | {ir} | {ir_over} | {al} | {al_over} |\n",
            case.scenario.name
        ));
    }
    out.push_str(&targets(cases, &figures));
    out
}

/// Each target, checked on instruction counts (the figures of record) and allocation counts.
fn targets(cases: &[Case], figures: &Figures<'_>) -> String {
    let ir =
        |shape, key: &str, variant| Figures::over(figures.instructions, cases, shape, key, variant);
    let allocs =
        |shape, key: &str, variant| Figures::over(figures.allocations, cases, shape, key, variant);
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let mut out =
        String::from("\n### Targets (instructions over baseline; allocations over baseline)\n\n");
    out.push_str("| scenario | `#[cors]` | hand-written | hand-written, same job | tower-http | `#[cors]` / hand-written (no target: the floor) | `#[cors]` / same job (≤ 1.2) | `#[cors]` − hand-written (≤ 300) | `#[cors]` / tower-http (≤ 0.5 with a whitelist, else ≤ 1) |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |\n");
    for scenario in cases::SCENARIOS {
        let key = scenario.key;
        let (Some(cors), Some(hand), Some(same), Some(tower)) = (
            ir(Shape::Json, key, Variant::Cors),
            ir(Shape::Json, key, Variant::HandWritten),
            ir(Shape::Json, key, Variant::HandWrittenSameJob),
            ir(Shape::Json, key, Variant::TowerHttp),
        ) else {
            continue;
        };
        let limit = if scenario.policy == Policy::Any {
            1.0
        } else {
            0.5
        };
        // With a negative or zero floor (a preflight answered without running the handler is
        // cheaper than the baseline, which runs it), compare the excess over the floor instead.
        // The minimal hand-written variant skips work `#[cors]` must do (merging `Vary`,
        // replacing the handler's CORS headers): its target is the excess below, not a ratio.
        let vs_hand = if hand > 0.0 {
            format!("{:.2}", cors / hand)
        } else {
            format!("{:+.0} over the floor", cors - hand)
        };
        let vs_same = if same > 0.0 {
            format!("{:.2}: {}", cors / same, mark(cors <= 1.2 * same))
        } else {
            format!(
                "{:+.0} over the floor: {}",
                cors - same,
                mark(cors <= same + 0.2 * same.abs())
            )
        };
        let excess = format!("{:+.0}: {}", cors - hand, mark(cors - hand <= 300.0));
        let vs_tower = if tower > 0.0 {
            format!("{:.2}: {}", cors / tower, mark(cors <= limit * tower))
        } else {
            format!(
                "{:+.0} vs tower-http: {}",
                cors - tower,
                mark(cors <= tower)
            )
        };
        out.push_str(&format!(
            "| {} | {cors:+.0} | {hand:+.0} | {same:+.0} | {tower:+.0} | {vs_hand} | {vs_same} | {excess} | {vs_tower} |\n",
            scenario.name
        ));
    }
    out.push_str(&preflight_targets(cases, figures));
    out.push('\n');
    for (three_key, thousand_key, what) in [
        ("allowed-3", "allowed-1000", "1,000 entries vs 3"),
        (
            "allowed-3",
            "allowed-1000-patterns",
            "1,000 entries with patterns vs 3, exact origin",
        ),
        (
            "deep",
            "deep-1000-patterns",
            "1,000 entries with patterns vs 3, `**.` match",
        ),
    ] {
        if let (Some(three), Some(thousand)) = (
            ir(Shape::Json, three_key, Variant::Cors),
            ir(Shape::Json, thousand_key, Variant::Cors),
        ) {
            out.push_str(&format!(
                "- `#[cors]`, {what} (overhead): {thousand:+.0} vs {three:+.0} instructions = {:.2}x (≤ 1.2): {}\n",
                thousand / three,
                mark(thousand <= 1.2 * three)
            ));
        }
    }
    // What a handler pays for returning `impl IntoResponse` rather than `Response<Body>`:
    // `#[cors]`'s overhead on the one minus its overhead on the other.
    for key in ["allowed", "disallowed", "no-origin"] {
        let json_key = if key == "allowed" { "allowed-3" } else { key };
        if let (Some(value), Some(response), Some(value_allocs), Some(response_allocs)) = (
            ir(Shape::Value, key, Variant::Cors),
            ir(Shape::Json, json_key, Variant::Cors),
            allocs(Shape::Value, key, Variant::Cors),
            allocs(Shape::Json, json_key, Variant::Cors),
        ) {
            let instructions = value - response;
            let allocations = value_allocs - response_allocs;
            out.push_str(&format!(
                "- `impl IntoResponse` conversion penalty, {key}: {instructions:+.0} instructions, {allocations:+} allocations (≤ 500, ≤ 1): {}\n",
                mark(instructions <= 500.0 && allocations <= 1.0)
            ));
        }
    }
    for shape in [Shape::Json, Shape::Bare, Shape::Value] {
        let scenarios: &[&str] = if shape == Shape::Json {
            &[
                "allowed-3",
                "disallowed",
                "no-origin",
                "credentials",
                "allowed-1000",
                "pattern",
                "any",
                "deep",
                "any-port",
                "allowed-1000-patterns",
                "deep-1000-patterns",
                "deep-rules-below",
            ]
        } else {
            &["allowed", "disallowed", "no-origin"]
        };
        let mut parts = Vec::new();
        let mut ok = true;
        for key in scenarios {
            let Some(over) = allocs(shape, key, Variant::Cors) else {
                continue;
            };
            // An `impl IntoResponse` handler pays one allocation on every request: the boxed
            // future that converts its value once and then sets the headers.
            let limit = if shape == Shape::Value
                || key.starts_with("allowed")
                || key.starts_with("deep")
                || ["credentials", "pattern", "any", "any-port"].contains(key)
            {
                1.0
            } else {
                0.0
            };
            ok &= over <= limit;
            parts.push(format!("{key} {over:+}"));
        }
        out.push_str(&format!(
            "- `#[cors]` allocations over baseline, handler `{}`: {} (0 refused/no Origin, ≤ 1 allowed): {}\n",
            shape.name(),
            parts.join(", "),
            mark(ok)
        ));
    }
    out.push_str(&router_targets(
        cases,
        figures,
        Shape::Router,
        &cases::SCENARIOS,
    ));
    out.push_str(&router_targets(
        cases,
        figures,
        Shape::RouterWithState,
        &cases::SHAPE_SCENARIOS,
    ));
    out
}

/// A preflight's target, on the whole call: a preflight never runs the handler, so its cost is
/// the call's, and the floor is the hand-written preflight sending the same fixed lists. The
/// over-baseline figures (the baseline runs the handler) and the times of the same run beside.
fn preflight_targets(cases: &[Case], figures: &Figures<'_>) -> String {
    let value = |map: &HashMap<String, f64>, key: &str, variant: Variant| {
        let case = cases
            .iter()
            .find(|c| c.shape == Shape::Json && c.scenario.key == key && c.variant == variant)?;
        Figures::get(map, case)
    };
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let mut out = String::from(
        "\n### Preflights, whole call (`#[cors]` / hand-written sending the same lists)\n\n",
    );
    out.push_str("| scenario | instructions/call: `#[cors]` | hand-written | `#[cors]` / hand-written | over baseline: `#[cors]` | hand-written | `#[cors]` / hand-written | ns/call: `#[cors]` | hand-written | `#[cors]` / hand-written (ns) |\n");
    out.push_str("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for scenario in cases::SCENARIOS.iter().filter(|s| s.request.preflight) {
        let key = scenario.key;
        let Some(((cors, cors_over), (hand, hand_over))) = value(
            figures.instructions,
            key,
            Variant::Cors,
        )
        .zip(value(figures.instructions, key, Variant::HandWritten)) else {
            continue;
        };
        // Mirror mode must read the request's list: the fixed-list preflight is the target's.
        let ratio = if scenario.policy == Policy::Listed {
            format!("{:.2} (≤ 1.2): {}", cors / hand, mark(cors <= 1.2 * hand))
        } else {
            format!("{:.2}", cors / hand)
        };
        let over_ratio = if hand_over > 0.0 {
            format!("{:.2}", cors_over / hand_over)
        } else {
            "–".to_owned()
        };
        let (ns_cors, ns_hand, ns_ratio) = match value(figures.nanos, key, Variant::Cors)
            .zip(value(figures.nanos, key, Variant::HandWritten))
        {
            Some(((cors, _), (hand, _))) => (
                format!("{cors:.0}"),
                format!("{hand:.0}"),
                format!("{:.2}", cors / hand),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        out.push_str(&format!(
            "| {} | {cors:.0} | {hand:.0} | {ratio} | {cors_over:+.0} | {hand_over:+.0} | {over_ratio} | {ns_cors} | {ns_hand} | {ns_ratio} |\n",
            scenario.name
        ));
    }
    out
}

/// The router's targets: what `cors_layer!` and tower-http's `CorsLayer` add over the router
/// under `Identity` (axum boxes the routes of any layered router: the fair baseline of a layer).
fn router_targets(
    cases: &[Case],
    figures: &Figures<'_>,
    shape: Shape,
    scenarios: &[cases::Scenario],
) -> String {
    let value = |map: &HashMap<String, f64>, key: &str, variant: Variant| {
        let case = cases
            .iter()
            .find(|c| c.shape == shape && c.scenario.key == key && c.variant == variant)?;
        map.get(&case.id).copied()
    };
    let over_identity = |map: &HashMap<String, f64>, key: &str, variant: Variant| {
        Some(value(map, key, variant)? - value(map, key, Variant::Identity)?)
    };
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let mut out = format!(
        "\n### Targets, `{}` (over the router under `Identity`: instructions; allocations)\n\n",
        shape.name()
    );
    out.push_str("| scenario | `Identity` over bare | `cors_layer!` | tower-http | `cors_layer!` / tower-http (≤ 0.5 with a whitelist) | `cors_layer!` allocations | tower-http allocations |\n");
    out.push_str("| --- | ---: | ---: | ---: | --- | ---: | ---: |\n");
    let mut allocations_ok = true;
    for scenario in scenarios {
        let key = scenario.key;
        let ir = |variant| over_identity(figures.instructions, key, variant);
        let allocs = |variant| over_identity(figures.allocations, key, variant);
        let fmt = |figure: Option<f64>| figure.map_or("–".to_owned(), |f| format!("{f:+.0}"));
        let identity = match (
            value(figures.instructions, key, Variant::Identity),
            value(figures.instructions, key, Variant::Baseline),
        ) {
            (Some(identity), Some(bare)) => Some(identity - bare),
            _ => None,
        };
        let ratio = match (ir(Variant::Cors), ir(Variant::TowerHttp)) {
            (Some(cors), Some(tower)) if tower > 0.0 => {
                let limit = if scenario.policy == Policy::Any {
                    1.0
                } else {
                    0.5
                };
                format!("{:.2}: {}", cors / tower, mark(cors <= limit * tower))
            }
            (Some(cors), Some(tower)) => format!(
                "{:+.0} vs tower-http: {}",
                cors - tower,
                mark(cors <= tower)
            ),
            _ => "–".to_owned(),
        };
        if ["disallowed", "no-origin"].contains(&key) {
            allocations_ok &= allocs(Variant::Cors) == Some(0.0);
        }
        out.push_str(&format!(
            "| {} | {} | {} | {} | {ratio} | {} | {} |\n",
            scenario.name,
            fmt(identity),
            fmt(ir(Variant::Cors)),
            fmt(ir(Variant::TowerHttp)),
            fmt(allocs(Variant::Cors)),
            fmt(allocs(Variant::TowerHttp)),
        ));
    }
    out.push_str(&format!(
        "\n- `cors_layer!` allocations over `Identity`, refused and no Origin (0): {}\n",
        mark(allocations_ok)
    ));
    out
}
