//! `cargo run -p cors-examples --bin demo [-- --port N]`: the example APIs under
//! `cargo lambda watch --disable-cors` on `127.0.0.1`, and a page on a second local origin
//! (`examples/frontend/`) that calls them with `fetch` and shows what the browser allowed.
//!
//! Installs `cargo-lambda` first when it is missing (`python3 -m pip install cargo-lambda`).
//! Runs until Ctrl-C, then stops every process it started.
//!
//! `--port N` (or `DEMO_PORT=N`) puts the page on `http://127.0.0.1:N`; by default a free
//! port is picked. The APIs always get free ports.

use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use cors_examples::demo::{APIS, Demo, DemoOptions};
use cors_examples::local::cargo;
use tokio::signal::unix::{SignalKind, signal};

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(Some(options)) => options,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!(
                "demo: {message}\nusage: cargo run -p cors-examples --bin demo [-- --port N]"
            );
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("demo: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("demo: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `--port N` / `DEMO_PORT`; `None` after `--help`.
fn parse_args() -> Result<Option<DemoOptions>, String> {
    let mut options = DemoOptions::default();
    let parse_port = |value: &str| {
        value
            .parse::<u16>()
            .map_err(|_| format!("not a port number: `{value}`"))
    };
    if let Ok(port) = std::env::var("DEMO_PORT") {
        options.frontend_port = Some(parse_port(&port)?);
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" | "-p" => {
                let value = args.next().ok_or("`--port` needs a value")?;
                options.frontend_port = Some(parse_port(&value)?);
            }
            "--help" | "-h" => {
                println!(
                    "cargo run -p cors-examples --bin demo [-- --port N]\n\n\
                     Runs the example APIs under `cargo lambda watch --disable-cors` and a page\n\
                     on another local origin (port N, or DEMO_PORT, or a free one) that calls\n\
                     them. Ctrl-C stops everything."
                );
                return Ok(None);
            }
            other => {
                if let Some(value) = other.strip_prefix("--port=") {
                    options.frontend_port = Some(parse_port(value)?);
                } else {
                    return Err(format!("unknown argument `{other}`"));
                }
            }
        }
    }
    Ok(Some(options))
}

async fn run(mut options: DemoOptions) -> Result<(), String> {
    let mut stop = Stop::new().map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
    options.env.extend(ensure_cargo_lambda()?);

    let names: Vec<&str> = APIS.iter().map(|(_, bin)| *bin).collect();
    println!(
        "Starting {} under `cargo lambda watch --disable-cors` (the first run builds them; \
         this can take a few minutes)...",
        names.join(", ")
    );
    let cancel = Arc::new(AtomicBool::new(false));
    let mut starting = tokio::task::spawn_blocking({
        let cancel = cancel.clone();
        move || Demo::start_cancellable(&options, &cancel)
    });
    let started = tokio::select! {
        started = &mut starting => started,
        signal = stop.wait() => {
            println!("\n{signal}: stopping what was started...");
            cancel.store(true, Ordering::SeqCst);
            let _ = starting.await;
            println!("Stopped.");
            return Ok(());
        }
    };
    let demo = started
        .map_err(|e| format!("starting the demo failed: {e}"))?
        .map_err(|e| format!("starting the demo failed: {e}"))?;

    println!();
    print!("{}", demo.summary());
    println!();
    println!(
        "Open {} in a browser: the page calls the APIs with fetch",
        demo.page_url()
    );
    println!("and shows, call by call, what the browser let it read.");
    println!("Press Ctrl-C to stop.");

    let signal = stop.wait().await;
    println!("\n{signal}: stopping cargo lambda watch and the frontend server...");
    drop(demo);
    println!("Stopped.");
    Ok(())
}

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed).
struct Stop {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
}

impl Stop {
    fn new() -> std::io::Result<Stop> {
        Ok(Stop {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for one of the signals; returns its name.
    async fn wait(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "Ctrl-C",
            _ = self.terminate.recv() => "SIGTERM",
            _ = self.hangup.recv() => "SIGHUP",
        }
    }
}

/// Whether `cargo lambda --version` works, with `PATH` replaced by `path` if given.
fn cargo_lambda_works(path: Option<&str>) -> bool {
    let mut command = Command::new(cargo());
    command
        .args(["lambda", "--version"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.status().is_ok_and(|status| status.success())
}

/// Installs `cargo-lambda` if `cargo lambda` does not run; returns the environment the
/// APIs need to find it (a longer `PATH` for a `pip --user` install, else nothing).
fn ensure_cargo_lambda() -> Result<Vec<(String, String)>, String> {
    if cargo_lambda_works(None) {
        return Ok(Vec::new());
    }
    println!(
        "cargo-lambda is not installed: installing it with `python3 -m pip install cargo-lambda`..."
    );
    let installed = Command::new("python3")
        .args(["-m", "pip", "install", "cargo-lambda"])
        .stdin(Stdio::null())
        .status();
    if !installed.is_ok_and(|status| status.success()) {
        return Err(
            "`python3 -m pip install cargo-lambda` failed; install cargo-lambda yourself \
             (see https://www.cargo-lambda.info) and run the demo again"
                .to_owned(),
        );
    }
    let has_pyenv = Command::new("pyenv")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if has_pyenv {
        println!("Running `pyenv rehash` so that pyenv's shims include cargo-lambda...");
        let _ = Command::new("pyenv").arg("rehash").status();
    }
    if cargo_lambda_works(None) {
        println!("cargo-lambda installed.");
        return Ok(Vec::new());
    }
    // pip puts the `cargo-lambda` command in Python's scripts directory (or, for a
    // `--user` install, the user base's `bin`), which may not be on PATH.
    let python = |code: &str| {
        Command::new("python3")
            .args(["-c", code])
            .output()
            .ok()
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .filter(|dir| !dir.is_empty())
    };
    let candidates = [
        python("import sysconfig; print(sysconfig.get_path('scripts'))"),
        python("import site; print(site.getuserbase() + '/bin')"),
    ];
    for dir in candidates.into_iter().flatten() {
        let path = format!("{dir}:{}", std::env::var("PATH").unwrap_or_default());
        if cargo_lambda_works(Some(&path)) {
            println!("cargo-lambda installed in {dir} (added to PATH for the demo).");
            return Ok(vec![("PATH".to_owned(), path)]);
        }
    }
    Err(
        "cargo-lambda was installed but `cargo lambda` still does not run; \
         put pip's `bin` directory on PATH and run the demo again"
            .to_owned(),
    )
}
