//! The library's footprint on a Lambda function: how much `#[cors]` adds to the binary and to
//! a clean build.
//!
//! ```text
//! cargo run -p cors-dev --release --bin footprint -- size  [--checkout <path>]
//! cargo run -p cors-dev --release --bin footprint -- build [--checkout <path>] [--rounds 3]
//! ```
//!
//! The budget being checked: the stripped release binary of a one-handler function grows by at
//! most 200 KB over the same function without `#[cors]`, and a clean release build takes at
//! most 20 s more summed unit time (`cargo build --timings`, median of 3 rounds), the macro
//! crate's own time stated.
//!
//! Three standalone projects (each detached with an empty `[workspace]`, with the release
//! profile of a deployed function: `strip = true`, `lto = "thin"`, `codegen-units = 1`) run the
//! same handler, which reads a header of the event and answers a small JSON body:
//!
//! - `plain`: `lambda_http::run(service_fn(handler))`, no CORS;
//! - `with-cors`: the same handler under `#[cors(origins_env = "ALLOWED_ORIGINS",
//!   credentials)]`, with `cors_runtime::check()?` in `main`;
//! - `tower-http`: `plain` wrapped in tower-http's `CorsLayer`, configured the same way (the
//!   origins of `ALLOWED_ORIGINS` read at start-up, credentials, request headers mirrored, the
//!   default methods, a ten-minute max age).
//!
//! They depend on the measured checkout's `cors-runtime` by path, and on `lambda_http`, `tokio`
//! and `tower-http` with the requirements and features that the checkout's own packages use
//! (read with `cargo metadata`). Each starts from a copy of the checkout's `Cargo.lock`, so the
//! versions are the repository's (resolved offline, or online once when that fails, which the
//! report then says). The projects and their target directories live under `target/footprint/`
//! of the workspace this tool is built from, whatever checkout is measured; `--checkout`
//! defaults to that workspace.
//!
//! - `size` builds the three and compares the stripped binaries: their sizes, and the ELF
//!   sections that differ (data, such as a table of the Public Suffix List, is in `.rodata`,
//!   which `cargo bloat` does not attribute to crates). Then, when `cargo bloat` is installed, the `.text` bytes
//!   per crate of `plain` and `with-cors`, built again with their symbols in another target
//!   directory. The report goes to standard output and `target/footprint/size.md`.
//! - `build` builds `plain` and `with-cors` from an empty target directory with `--timings`,
//!   alternately (plain, with-cors, plain, ...) so that the machine's noise falls on both, and
//!   compares the summed time of the compilation units: what the budget is stated in. A unit's
//!   time is its wall time, which grows when other processes take the cores; so the report also
//!   gives the CPU time of the build's processes (Linux: from `/proc/self/stat`), less sensitive
//!   to a busy machine, and the load average at the end of each build. The crates only
//!   `with-cors` builds, or builds twice (for the host, under the `cors-macro` proc macro, and
//!   for the binary), are listed with their times. The report goes to standard output and
//!   `target/footprint/build.md`.

mod binary_size;
mod build_time;
mod checkout;
mod command;
mod project;

use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

use cors_dev::workspace::{target_dir, workspace_root};

use crate::checkout::Checkout;
use crate::command::Result;

const USAGE: &str = "usage: footprint size [--checkout <path>]\n       \
                     footprint build [--checkout <path>] [--rounds <n>]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("footprint: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What to measure, from the command line.
#[derive(Debug)]
struct Options {
    build: bool,
    checkout: PathBuf,
    rounds: usize,
}

fn parse_args(args: Vec<String>) -> Result<Options> {
    let mut args = args.into_iter();
    let build = match args.next().as_deref() {
        Some("size") => false,
        Some("build") => true,
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
        None => return Err(format!("no command given\n{USAGE}")),
    };
    let mut options = Options {
        build,
        checkout: workspace_root(),
        rounds: 3,
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("`{arg}` needs a value\n{USAGE}"));
        match arg.as_str() {
            "--checkout" => options.checkout = PathBuf::from(value()?),
            "--rounds" if build => {
                options.rounds = match value()?.parse() {
                    Ok(n) if n > 0 => n,
                    _ => return Err("`--rounds` takes a whole number of at least 1".to_owned()),
                }
            }
            _ => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn run(args: Vec<String>) -> Result<()> {
    if matches!(args.first().map(String::as_str), Some("-h" | "--help")) {
        println!("{USAGE}");
        return Ok(());
    }
    let options = parse_args(args)?;
    let checkout = Checkout::open(&options.checkout)?;
    let out = target_dir().join("footprint");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let (report, file) = if options.build {
        (
            build_time::build(&checkout, &out, options.rounds)?,
            "build.md",
        )
    } else {
        (binary_size::size(&checkout, &out)?, "size.md")
    };
    print!("{report}");
    let path = out.join(file);
    fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("footprint: written to {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn arguments() {
        let options = parse_args(args("build --rounds 5 --checkout x")).unwrap();
        assert!(options.build);
        assert_eq!((options.rounds, options.checkout), (5, PathBuf::from("x")));
        assert_eq!(parse_args(args("size")).unwrap().checkout, workspace_root());
        for bad in [
            "",
            "sizes",
            "size --rounds 2",
            "build --rounds 0",
            "build --checkout",
        ] {
            assert!(parse_args(args(bad)).is_err(), "{bad}");
        }
    }
}
