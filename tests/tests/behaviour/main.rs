//! The behaviour of `#[cors]`, in process: real Lambda event JSON through `lambda_http`'s own
//! event handling, the per-request path under arbitrary and hostile input, `tracing` output,
//! streaming and concurrency. One test binary (one link) for all of them; each module is one
//! subject, and its tests are named `<module>::<test>`.
//!
//! Nothing here changes process-wide state: no environment variable is set (policies that
//! read one are built from a given value), logs are captured with a thread-local `tracing`
//! subscriber on a current-thread runtime (`cors_tests::logs::capture`), and the global
//! allocator is the system's (`tests/allocations.rs`, which counts allocations, is a binary of
//! its own for that reason).

mod attack_corpus;
mod attack_corpus_forms;
mod browser_helpers;
mod concurrency;
mod env_catalogue;
mod event_kinds;
mod failure_paths;
mod fetch_oracle;
mod fuzz_seeds;
mod harness;
mod layer_builder;
mod layer_composition;
mod layer_event_kinds;
mod layer_service;
mod properties;
mod refusal_logs;
mod star_matrix;
mod streaming;
mod testing_env;
mod testing_helper;
mod tracing_span;
