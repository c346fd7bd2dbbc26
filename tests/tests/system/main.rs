//! System tests: each starts other processes. Headless Chromium against the example APIs
//! under `cargo lambda watch` (`browser`, `browser_smoke`, `browser_origin_forms`,
//! `browser_star_matrix`, and the axum server without the `lambda` feature:
//! `browser_axum_server`), the axum example invoked with every kind of event, REST API stage
//! included (`axum_api_events`), a real CORS scanner (`scanner`), cfn-lint on the deployment
//! templates (`deploy_templates`), the SAM transform against cors-lint's reading of SAM
//! (`sam_transform`), the README's quick start (`quick_start`), fresh cold starts of a probe
//! binary (`env_config`,
//! `origin_patterns`), and cargo itself packaging and building the crates (`packaged`) and
//! comparing the examples' build with the tests' (`shared_build`). One
//! test binary for all of them; tests are named `<module>::<test>`.
//!
//! What they need:
//! - Chromium and ChromeDriver, which only root can install (`apt-get install chromium
//!   chromium-driver`): when the build script finds one missing, the browser tests are
//!   reported as ignored, with that command, unless `CI` is set (then they fail);
//! - `cargo-lambda`, CORScanner and cfn-lint, from PyPI: taken from `PATH` when they run
//!   there, otherwise installed by the tests themselves into `target/tools-venv` (see
//!   `cors_dev::tools`); a failed install fails the test with the command to run.

mod axum_api_events;
mod browser;
mod browser_axum_server;
mod browser_origin_forms;
mod browser_smoke;
mod browser_star_matrix;
mod cargo_tree;
mod deploy_templates;
mod env_config;
mod origin_patterns;
mod packaged;
mod quick_start;
mod sam_transform;
mod scanner;
mod shared_build;
