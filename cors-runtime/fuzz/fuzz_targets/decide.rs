//! Fuzzes the per-request decision: arbitrary bytes become a policy and a request, run exactly
//! as `#[cors]` expands to, and the result is held to the invariants in `checks/decide.rs`
//! (shared with the workspace's tests, which run every input of `corpus/decide/` through the
//! same checks).

#![no_main]

#[path = "../checks/decide.rs"]
mod decide;

libfuzzer_sys::fuzz_target!(|input: decide::Input<'_>| decide::check(input));
