//! The crates as published work from a fresh project outside this workspace.
//!
//! The test packages `cors-grammar`, `cors-macro` and `cors-runtime` afresh (`cargo package
//! --no-verify`, under a second of work, so it never tests stale `.crate` files; the full
//! verification is `.ci/package-check`), unpacks the three `.crate` files into a temporary
//! directory, and builds and runs there a new binary crate that depends on `cors-runtime = "0.1"`
//! as a user would, with `[patch.crates-io]` pointing the three names at the unpacked packages.
//! The binary declares an annotated handler, checks its policy, and runs requests through it.
//!
//! Everything is offline. The build uses its own target directory, `target/packaged-test/`,
//! which persists between runs, so only the three crates and the binary are rebuilt each time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};
use std::{env, fs};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const CRATES: [&str; 3] = ["cors-grammar", "cors-macro", "cors-runtime"];

const MAIN: &str = r#"
use cors_runtime::{cors, testing};
use lambda_http::http::Method;
use lambda_http::{Body, Error, Request, Response, service_fn};

#[cors(origins = ["https://app.example.com"], credentials, expose_headers = ["x-request-id"])]
async fn handler(event: Request) -> Result<Response<Body>, Error> {
    Ok(Response::builder()
        .header("x-request-id", "7")
        .body(Body::from(format!("packaged: {}", event.uri().path())))?)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    cors_runtime::check()?;
    // What `lambda_http::run` is given in a real function.
    let _service = service_fn(handler);

    let response = handler(
        testing::request(Method::GET, "/notes")
            .origin("https://app.example.com")
            .build(),
    )
    .await?;
    assert_eq!(response.body(), &Body::from("packaged: /notes"));
    let read = testing::CorsOutcome::of(&response);
    assert_eq!(read.allowed_origin(), Some("https://app.example.com"));
    assert!(read.allows_credentials());
    assert_eq!(read.exposed_headers(), ["x-request-id"]);
    assert!(read.varies_on_origin());

    let preflight = testing::preflight("https://app.example.com", Method::PUT)
        .send_to(handler)
        .await?;
    assert_eq!(preflight.status(), 204);
    assert!(preflight.allowed_methods().contains(&"PUT"));

    let refused = testing::request(Method::GET, "/")
        .origin("https://evil.example")
        .send_to(handler)
        .await?;
    assert_eq!(refused.allowed_origin(), None);

    println!("packaged cors-runtime {} works", env!("CARGO_PKG_NAME"));
    Ok(())
}
"#;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    let root = workspace_root();
    match env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn cargo() -> Command {
    let mut command = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // Set by the `cargo test` that runs this file; the inner commands choose their own.
    command.env_remove("CARGO_TARGET_DIR");
    command
}

fn run(command: &mut Command, what: &str) -> String {
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("{what}: cannot run {command:?}: {err}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{command:?}\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A directory of its own under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = env::temp_dir().join(format!(
            "cors-runtime-packaged-{}-{nanos}",
            std::process::id()
        ));
        fs::create_dir_all(&dir).expect("temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn packaged_crates_build_and_run_in_a_fresh_project() {
    let cache = target_dir().join("packaged-test");
    let packages = cache.join("package");

    let mut package = cargo();
    package
        .current_dir(workspace_root())
        .args(["package", "--offline", "--no-verify", "--allow-dirty"])
        .args(CRATES.iter().flat_map(|name| ["-p", name]))
        .arg("--target-dir")
        .arg(&cache);
    run(&mut package, "cargo package");

    let temp = TempDir::new();
    let unpacked = temp.0.join("crates");
    fs::create_dir_all(&unpacked).unwrap();
    let mut patches = String::new();
    for name in CRATES {
        let file = packages.join(format!("{name}-{VERSION}.crate"));
        assert!(file.is_file(), "{} was not packaged", file.display());
        run(
            Command::new("tar")
                .arg("-xzf")
                .arg(&file)
                .arg("-C")
                .arg(&unpacked),
            "unpacking",
        );
        let dir = unpacked.join(format!("{name}-{VERSION}"));
        patches.push_str(&format!(
            "{name} = {{ path = {:?} }}\n",
            dir.display().to_string()
        ));
    }

    let project = temp.0.join("fresh-project");
    fs::create_dir_all(project.join("src")).unwrap();
    fs::write(
        project.join("Cargo.toml"),
        format!(
            r#"[package]
name = "fresh-project"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
cors-runtime = "{major_minor}"
lambda_http = {{ version = "1", default-features = false, features = ["apigw_http"] }}
tokio = {{ version = "1", features = ["macros", "rt"] }}

[patch.crates-io]
{patches}
[profile.dev]
debug = false

# Not part of any workspace around the temporary directory.
[workspace]
"#,
            major_minor = &VERSION[..VERSION.rfind('.').unwrap()],
        ),
    )
    .unwrap();
    fs::write(project.join("src/main.rs"), MAIN).unwrap();
    // The versions this workspace was tested with, all in the local registry cache.
    fs::copy(
        workspace_root().join("Cargo.lock"),
        project.join("Cargo.lock"),
    )
    .unwrap();

    let mut build = cargo();
    build
        .current_dir(&project)
        .args(["run", "--offline", "--quiet"])
        .env("CARGO_TARGET_DIR", cache.join("target"));
    let stdout = run(&mut build, "building and running the fresh project");
    assert!(
        stdout.contains("packaged cors-runtime fresh-project works"),
        "{stdout}"
    );
}
