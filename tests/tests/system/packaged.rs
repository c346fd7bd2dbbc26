//! The crates as published work from a fresh project outside this workspace.
//!
//! The test packages every published crate afresh (`cargo package --no-verify`, under a second
//! of work, so it never tests stale `.crate` files; the full verification is
//! `.ci/package-check`), unpacks the `.crate` files into a temporary directory, and builds and
//! runs there a new binary crate that depends on `cors-runtime = "0.1"` as a user would, with
//! `[patch.crates-io]` pointing `cors-grammar`, `cors-macro` and `cors-runtime` at the unpacked
//! packages. The binary declares an annotated handler, checks its policy, and runs requests
//! through it.
//!
//! Each package's README is read from the unpacked package ([`readme`]: its own file, every
//! relative link in the package, no command that only works in this workspace), and its Rust
//! snippets are built as further binaries of the same project, which must compile without a
//! warning, as a user copying them would see them.
//!
//! Everything is offline. The build uses the workspace's target directory and dev profile, and
//! the project also asks for the features `cargo test --workspace` turned on in the crates both
//! builds use (found with `cargo tree`; those pins change nothing in the three crates): so it
//! reuses every compiled dependency of the test build, and only the three crates and the
//! binary are built each time.

mod readme;

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::{env, fs};

use cors_dev::temp_dir::TempDir;
use cors_dev::workspace::{cargo, target_dir, workspace_root};

use crate::cargo_tree;

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The published crates the fresh project builds (every published crate's README is checked).
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

#[test]
fn packaged_crates_build_and_run_in_a_fresh_project() {
    let cache = target_dir().join("packaged-test");
    let packages = cache.join("package");

    let (published, workspace_only) = workspace_packages();
    let mut package = Command::new(cargo());
    package
        .current_dir(workspace_root())
        .args(["package", "--offline", "--no-verify", "--allow-dirty"])
        .args(published.iter().flat_map(|name| ["-p", name]))
        .arg("--target-dir")
        .arg(&cache);
    run(&mut package, "cargo package");

    // The same directory on every run from one target directory: the unpacked crates keep
    // their paths, so cargo keeps recognising their compiled units instead of adding three new
    // ones to the shared target directory on every run.
    let mut hasher = DefaultHasher::new();
    target_dir().hash(&mut hasher);
    let temp = TempDir::named(&format!("cors-runtime-packaged-{:016x}", hasher.finish()))
        .expect("temporary directory");
    let unpacked = temp.path().join("crates");
    fs::create_dir_all(&unpacked).unwrap();
    let mut patches = String::new();
    let (mut problems, mut snippets) = (Vec::new(), Vec::new());
    let major_minor = &VERSION[..VERSION.rfind('.').unwrap()];
    for name in &published {
        let file = packages.join(format!("{name}-{VERSION}.crate"));
        assert!(file.is_file(), "{} was not packaged", file.display());
        run(
            Command::new("tar")
                // `-m`: the files get the time of unpacking, not the fixed time `cargo package`
                // gives them, so that cargo sees them as changed and builds them again.
                .arg("-xzmf")
                .arg(&file)
                .arg("-C")
                .arg(&unpacked),
            "unpacking",
        );
        let dir = unpacked.join(format!("{name}-{VERSION}"));
        let found = readme::read(name, &dir, &workspace_only, major_minor);
        problems.extend(found.problems);
        snippets.extend(found.snippets.into_iter().map(|code| (name, code)));
        if CRATES.contains(&name.as_str()) {
            patches.push_str(&format!(
                "{name} = {{ path = {:?} }}\n",
                dir.display().to_string()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the packaged READMEs:\n{}",
        problems.join("\n")
    );

    let project = temp.path().join("fresh-project");
    fs::create_dir_all(project.join("src")).unwrap();
    let manifest = |pins: &BTreeMap<String, Vec<String>>| {
        format!(
            r#"[package]
name = "fresh-project"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
cors-runtime = "{major_minor}"
{dependencies}
[build-dependencies]
{build_dependencies}
[patch.crates-io]
{patches}
# Not part of any workspace around the temporary directory.
[workspace]
"#,
            major_minor = major_minor,
            dependencies = dependencies(DEPENDENCIES, pins),
            build_dependencies = dependencies(&[], pins),
        )
    };
    fs::write(project.join("Cargo.toml"), manifest(&BTreeMap::new())).unwrap();
    fs::write(project.join("src/main.rs"), MAIN).unwrap();
    fs::create_dir_all(project.join("src/bin")).unwrap();
    for (number, (name, code)) in snippets.iter().enumerate() {
        fs::write(
            project.join(format!("src/bin/readme-{name}-{number}.rs")),
            code,
        )
        .unwrap();
    }
    // The versions this workspace was tested with, all in the local registry cache.
    fs::copy(
        workspace_root().join("Cargo.lock"),
        project.join("Cargo.lock"),
    )
    .unwrap();
    fs::write(
        project.join("Cargo.toml"),
        manifest(&test_build_features(&project)),
    )
    .unwrap();

    let cargo_in_project = |args: &[&str]| {
        let mut command = Command::new(cargo());
        command
            .current_dir(&project)
            .args(args)
            .args(["--offline", "--config"])
            // The workspace's dev profile.
            .arg(workspace_root().join(".cargo/config.toml"))
            .env("CARGO_TARGET_DIR", target_dir());
        command
    };
    // The README snippets and `main`: built without a warning of the project's own.
    let output = cargo_in_project(&["build", "--bins", "--message-format", "json"])
        .output()
        .expect("cargo build runs");
    let diagnostics = own_diagnostics(&output.stdout, &project.join("Cargo.toml"));
    assert!(
        output.status.success() && diagnostics.is_empty(),
        "building the fresh project and the README snippets ({}):\n{}\n{}",
        output.status,
        diagnostics.join("\n"),
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = run(
        &mut cargo_in_project(&["run", "--quiet", "--bin", "fresh-project"]),
        "running the fresh project",
    );
    assert!(
        stdout.contains("packaged cors-runtime fresh-project works"),
        "{stdout}"
    );
}

/// The project's own dependencies besides `cors-runtime`, as a user would write them (axum for
/// the README's router): name, requirement, whether with default features, features.
const DEPENDENCIES: &[(&str, &str, bool, &[&str])] = &[
    ("lambda_http", "1", false, &["apigw_http"]),
    ("tokio", "1", true, &["macros", "rt"]),
    ("axum", "0.8", false, &["tokio", "http1"]),
];

/// The packages of this workspace that are published, and those that are not.
fn workspace_packages() -> (Vec<String>, Vec<String>) {
    let output = Command::new(cargo())
        .current_dir(workspace_root())
        .args([
            "metadata",
            "--offline",
            "--no-deps",
            "--format-version",
            "1",
        ])
        .output()
        .expect("cargo metadata runs");
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");
    let (published, workspace_only): (Vec<_>, Vec<_>) = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .partition(|package| package["publish"] != serde_json::json!([]));
    let names = |packages: Vec<&serde_json::Value>| {
        packages
            .into_iter()
            .filter_map(|package| Some(package["name"].as_str()?.to_owned()))
            .collect()
    };
    (names(published), names(workspace_only))
}

/// The warnings and errors rustc gave about the code of the project whose manifest is
/// `manifest`, from cargo's JSON messages (those of the unpacked crates, path dependencies too,
/// are left to their own builds).
fn own_diagnostics(json_lines: &[u8], manifest: &Path) -> Vec<String> {
    String::from_utf8_lossy(json_lines)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-message"
                && message["manifest_path"].as_str().map(Path::new) == Some(manifest)
        })
        .filter_map(|message| Some(message["message"]["rendered"].as_str()?.to_owned()))
        .collect()
}

/// For every crate the project's build shares with `cargo test --workspace` where the two turn
/// on different features: `name vX.Y.Z` and the features of the test build.
fn test_build_features(project: &Path) -> BTreeMap<String, Vec<String>> {
    let tested = cargo_tree::test_build();
    cargo_tree::features(project, &[])
        .into_iter()
        .filter_map(|(package, features)| {
            let wanted = tested.get(&package)?;
            let name = package.split(' ').next()?;
            (*wanted != features && !CRATES.contains(&name)).then(|| (package, wanted.clone()))
        })
        .collect()
}

/// A `[dependencies]` table: `own` (with the pinned features added), then a dependency on
/// each other pinned crate with exactly the test build's features. The same pins go into
/// `[build-dependencies]` (with no `own`), for crates built for proc macros: the test build
/// has one set of features per crate for both.
fn dependencies(
    own: &[(&str, &str, bool, &[&str])],
    pins: &BTreeMap<String, Vec<String>>,
) -> String {
    let entry = |name: &str, version: &str, default: bool, features: &[String]| {
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        format!(
            "{name} = {{ version = {version:?}, default-features = {default}, features = [{}] }}\n",
            features.join(", ")
        )
    };
    let mut table = String::new();
    for (name, requirement, default, features) in own {
        let pinned = pins
            .iter()
            .find(|(p, _)| p.split(' ').next() == Some(*name));
        let mut features: Vec<String> = features.iter().map(|f| f.to_string()).collect();
        let mut default = *default;
        if let Some((_, wanted)) = pinned {
            default |= wanted.iter().any(|f| f == "default");
            features.extend(wanted.iter().filter(|f| *f != "default").cloned());
        }
        table.push_str(&entry(name, requirement, default, &features));
    }
    for (package, wanted) in pins {
        let (name, version) = package.split_once(" v").expect("`name vX.Y.Z`");
        if own.iter().any(|(own, ..)| *own == name) {
            continue;
        }
        let default = wanted.iter().any(|f| f == "default");
        let features: Vec<String> = wanted.iter().filter(|f| *f != "default").cloned().collect();
        table.push_str(&entry(name, &format!("={version}"), default, &features));
    }
    table
}
