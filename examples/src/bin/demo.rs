//! `cargo run -p cors-examples --bin demo [-- --port N]`: the example APIs under
//! `cargo lambda watch --disable-cors` on `127.0.0.1`, and a page on a second local origin
//! (`examples/frontend/`) that calls them with `fetch` and shows what the browser allowed.
//!
//! Runs until Ctrl-C, then stops every process it started. `--port N` (or `DEMO_PORT=N`) puts
//! the page on `http://127.0.0.1:N`. The orchestration (starting the processes, installing
//! `cargo-lambda` into `target/tools-venv` when it is missing) is dev tooling, in the
//! `cors-dev` crate (`dev/src/demo.rs`); the handlers it runs are the other binaries here.

fn main() -> std::process::ExitCode {
    cors_dev::demo::main()
}
