//! Heap allocations per request that CORS adds over the same handler without it, counted with a
//! counting global allocator (`allocation-counter`, per thread, so tests may run in parallel).
//!
//! The cases are the benchmark's (`benches/cases/mod.rs`): one handler, without CORS (baseline),
//! with hand-written CORS, with `#[cors]` and under tower-http's `CorsLayer`, each called as
//! `lambda_http::run` calls it (`IntoResponse` conversion included); and the handler in an axum
//! `Router`, bare, under `Identity`, `cors_layer!` and tower-http's `CorsLayer`. A case is called
//! a few times first, so that one-off work (building the policy, sharing a listed origin's
//! bytes) is not counted; after that the count is the same on every call.
//!
//! The 1,000-entry scenario is left out: it needs its variable set before the first request,
//! which a multi-threaded test process cannot do safely; `benches/overhead.rs` counts it (its
//! counts equal the 3-entry scenario's).

#[allow(dead_code)]
#[path = "../benches/cases/mod.rs"]
mod cases;

use std::collections::HashMap;

use cases::{Case, Policy, Shape, Variant};

/// Allocations of one call of each case, after a warm-up, by `(shape, scenario key, variant)`.
fn allocations() -> HashMap<(Shape, &'static str, Variant), u64> {
    let mut counts = HashMap::new();
    for mut case in cases::cases(|scenario| scenario.policy != Policy::List1000) {
        counts.insert(
            (case.shape, case.scenario.key, case.variant),
            allocations_per_call(&mut case),
        );
    }
    counts
}

fn allocations_per_call(case: &mut Case) -> u64 {
    for _ in 0..3 {
        let response = (case.run)(case.request.build());
        assert!(response.status().is_success(), "{}", case.id);
    }
    let mut counts = Vec::new();
    for _ in 0..3 {
        let request = case.request.build();
        let mut response = None;
        let info = allocation_counter::measure(|| response = Some((case.run)(request)));
        drop(response);
        counts.push(info.count_total);
    }
    assert!(
        counts.windows(2).all(|w| w[0] == w[1]),
        "{}: allocations differ from call to call: {counts:?}",
        case.id
    );
    counts[0]
}

/// `variant`'s allocations minus those of `base` (the handler without CORS, or the router under
/// `Identity`), per scenario key.
fn over(
    counts: &HashMap<(Shape, &'static str, Variant), u64>,
    shape: Shape,
    variant: Variant,
    base: Variant,
    keys: &[&'static str],
) -> Vec<(&'static str, i64)> {
    keys.iter()
        .map(|&key| {
            let count = |variant| {
                let count = counts.get(&(shape, key, variant));
                *count.unwrap_or_else(|| panic!("no case {shape:?} {key} {variant:?}")) as i64
            };
            (key, count(variant) - count(base))
        })
        .collect()
}

/// Asserts that `variant`'s allocations over `base` are `expected`, per scenario key.
#[track_caller]
fn assert_over(
    counts: &HashMap<(Shape, &'static str, Variant), u64>,
    shape: Shape,
    (variant, base): (Variant, Variant),
    expected: &[(&'static str, i64)],
) {
    let keys: Vec<&'static str> = expected.iter().map(|(key, _)| *key).collect();
    assert_eq!(
        over(counts, shape, variant, base, &keys),
        expected,
        "{shape:?}: {variant:?} over {base:?}"
    );
}

#[test]
fn cors_adds_no_allocation_to_refused_or_origin_less_requests_and_none_to_listed_ones() {
    let counts = allocations();
    // `Result<Response<Body>, E>` with a header of its own, as an API's handler answers: CORS
    // headers go into the map the handler already allocated, and a listed origin's value is
    // shared, not copied. A `*.` match reflects the request's own `Origin`: one copy.
    assert_over(
        &counts,
        Shape::Json,
        (Variant::Cors, Variant::Baseline),
        &[
            ("allowed-3", 0),
            ("disallowed", 0),
            ("no-origin", 0),
            ("credentials", 0),
            ("pattern", 1),
            ("any", 0),
        ],
    );
    // A preflight is answered without running the handler: fewer allocations than the
    // handler's own answer.
    for (key, over) in over(
        &counts,
        Shape::Json,
        Variant::Cors,
        Variant::Baseline,
        &["preflight-allowed", "preflight-listed", "preflight-refused"],
    ) {
        assert!(over < 0, "{key}: {over:+}");
    }
}

#[test]
fn cors_allocates_no_more_than_hand_written_cors_and_less_than_tower_http() {
    let counts = allocations();
    for scenario in cases::SCENARIOS
        .iter()
        .filter(|s| s.policy != Policy::List1000)
    {
        let count = |variant| counts[&(Shape::Json, scenario.key, variant)];
        let (cors, hand, tower) = (
            count(Variant::Cors),
            count(Variant::HandWritten),
            count(Variant::TowerHttp),
        );
        assert!(
            cors <= hand,
            "{}: #[cors] {cors}, hand-written {hand}",
            scenario.key
        );
        assert!(
            cors < tower,
            "{}: #[cors] {cors}, tower-http {tower}",
            scenario.key
        );
    }
}

#[test]
fn other_handler_shapes_allocate_what_any_cors_must() {
    let counts = allocations();
    // A `Response<Body>` without any header: the `Vary: Origin` every answer needs creates the
    // header map (2 allocations), and `lambda_http`'s conversion of the response then clones a
    // non-empty map (2 more). Hand-written CORS pays the same, plus one copy of the origin.
    assert_over(
        &counts,
        Shape::Bare,
        (Variant::Cors, Variant::Baseline),
        &[("allowed", 4), ("disallowed", 4), ("no-origin", 4)],
    );
    assert_over(
        &counts,
        Shape::Bare,
        (Variant::HandWritten, Variant::Baseline),
        &[("allowed", 5), ("disallowed", 4), ("no-origin", 4)],
    );
    // `impl IntoResponse`: `#[cors]` returns a `CorsResponse` that `lambda_http` converts
    // once, as it converts the baseline's value; the headers are set in one more boxed future
    // (1 allocation). Hand-written CORS, which must turn the value into a `Response<Body>`
    // itself to set headers, has it converted twice (9 or 10 more).
    assert_over(
        &counts,
        Shape::Value,
        (Variant::Cors, Variant::Baseline),
        &[("allowed", 1), ("disallowed", 1), ("no-origin", 1)],
    );
    assert_over(
        &counts,
        Shape::Value,
        (Variant::HandWritten, Variant::Baseline),
        &[("allowed", 10), ("disallowed", 9), ("no-origin", 9)],
    );
}

#[test]
fn cors_layer_adds_no_allocation_over_a_layered_router_to_refused_or_origin_less_requests() {
    let counts = allocations();
    // The same handler in an axum `Router`, each layer applied with `Router::layer`, compared
    // with the router under `Identity` (axum boxes every route of a layered router, whatever
    // the layer). Served as axum serves it (`.with_state(())`, which builds the routes once):
    // nothing more for refused, Origin-less and listed origins (the listed value is shared).
    assert_over(
        &counts,
        Shape::RouterWithState,
        (Variant::Cors, Variant::Identity),
        &[("allowed", 0), ("disallowed", 0), ("no-origin", 0)],
    );
    // Called as `lambda_http::run(router)` calls it, a `Router<()>` without `.with_state(())`
    // builds each handler's layered route again for every request, and clones the layer into a
    // box to do so: one allocation for any layer that is not zero-sized (`Identity` is), on
    // every request. Beyond it, the same as above; a pattern match reflects the request's own
    // `Origin` (one copy).
    assert_over(
        &counts,
        Shape::Router,
        (Variant::Cors, Variant::Identity),
        &[
            ("allowed-3", 1),
            ("disallowed", 1),
            ("no-origin", 1),
            ("credentials", 1),
            ("pattern", 2),
            ("any", 1),
            ("deep", 2),
            ("any-port", 2),
        ],
    );
    // A preflight is answered without calling the router's handler: fewer than the handler's
    // own answer. tower-http allocates more in every scenario.
    for scenario in cases::SCENARIOS
        .iter()
        .filter(|s| s.policy != Policy::List1000)
    {
        let count = |variant| counts[&(Shape::Router, scenario.key, variant)];
        let (identity, cors, tower) = (
            count(Variant::Identity),
            count(Variant::Cors),
            count(Variant::TowerHttp),
        );
        if scenario.request.preflight {
            assert!(cors < identity, "{}: {cors} vs {identity}", scenario.key);
        }
        assert!(
            cors < tower,
            "{}: cors_layer! {cors}, tower-http {tower}",
            scenario.key
        );
    }
    for key in ["allowed", "disallowed", "no-origin"] {
        let count = |variant| counts[&(Shape::RouterWithState, key, variant)];
        assert!(count(Variant::Cors) < count(Variant::TowerHttp), "{key}");
    }
}
