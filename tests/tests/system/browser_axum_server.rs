//! `cors-runtime` without its `lambda` feature: an axum router served by `axum::serve` under
//! `cors_layer!` (the `cors-example-axum-server` package, which turns the feature off).
//!
//! - Nothing of Lambda is in its dependency tree, nor in the runtime's without the feature
//!   (`cargo tree -e normal`); the runtime with the feature (its default) is the control.
//! - Built on its own (`cargo build -p cors-example-axum-server`, so cargo resolves the
//!   features of that package alone, without the rest of the workspace turning `lambda` on), it
//!   serves a page on another origin in headless Chromium: a credentialed login and read, a
//!   preflighted `PUT` with JSON and an exposed header, and the same calls refused from an origin
//!   not listed.
//! - `#[cors]` in a crate that turned the feature off is a compile error that names the feature
//!   to turn on and points to `cors_layer!`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use cors_dev::static_server::StaticServer;
use cors_dev::temp_dir::TempDir;
use cors_dev::workspace::{cargo, workspace_root};
use cors_tests::browser::{self, Browser, assert_readable_status, assert_refused, js, page};

/// The packages of Lambda's own tree.
const LAMBDA: [&str; 3] = ["lambda_http", "lambda_runtime", "aws_lambda_events"];

/// The package names in `cargo tree -e normal` of `args`.
fn tree(args: &[&str]) -> Vec<String> {
    let output = Command::new(cargo())
        .current_dir(workspace_root())
        .args([
            "tree", "--locked", "-e", "normal", "--prefix", "none", "--format", "{p}",
        ])
        .args(args)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree {args:?}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
        .collect()
}

fn lambda_in(tree: &[String]) -> Vec<&String> {
    tree.iter()
        .filter(|package| LAMBDA.contains(&package.as_str()))
        .collect()
}

#[test]
fn without_the_lambda_feature_nothing_of_lambda_is_built() {
    // The control: with its default features the runtime has lambda_http.
    let default = tree(&["-p", "cors-runtime"]);
    assert!(!lambda_in(&default).is_empty(), "{default:?}");

    let core = tree(&["-p", "cors-runtime", "--no-default-features"]);
    assert!(core.iter().any(|p| p == "tower-layer"), "{core:?}");
    assert_eq!(lambda_in(&core), Vec::<&String>::new());
    let server = tree(&["-p", "cors-example-axum-server"]);
    assert!(server.iter().any(|p| p == "axum"), "{server:?}");
    assert_eq!(lambda_in(&server), Vec::<&String>::new());
}

/// The example's server, built on its own and listening on a free port of 127.0.0.1.
struct Server {
    child: Child,
    origin: String,
}

impl Server {
    fn start(allowed_origins: &str) -> Server {
        let build = Command::new(cargo())
            .current_dir(workspace_root())
            .args(["build", "--locked", "-p", "cors-example-axum-server"])
            .status()
            .expect("cargo build runs");
        assert!(build.success(), "cargo build -p cors-example-axum-server");
        let program = cors_dev::workspace::target_dir().join("debug/axum-server");
        let mut child = Command::new(program)
            .env("ALLOWED_ORIGINS", allowed_origins)
            .env("BIND", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .spawn()
            .expect("axum-server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("axum-server says where it listens");
        let origin = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Server { child, origin }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[cfg_attr(
    any(missing_chromium, missing_chromedriver),
    ignore = "needs chromium and chromium-driver: apt-get install chromium chromium-driver (as root)"
)]
fn browser_axum_server_without_lambda() {
    browser::require();
    let frontend = StaticServer::start().expect("frontend server");
    let elsewhere = StaticServer::start().expect("an origin not listed");
    let server = Server::start(frontend.origin());
    let browser = Browser::start().expect("headless chromium");

    let (session, note) = (js(&server.url("/session")), js(&server.url("/notes/1")));
    let script = format!(
        "const login = await probe({session} + '?user=bob', {{method: 'POST', credentials: 'include'}});
         const whoami = await probe({session}, {{credentials: 'include'}});
         const put = await probe({note}, {{
           method: 'PUT', credentials: 'include',
           headers: {{'content-type': 'application/json'}},
           body: JSON.stringify({{text: 'hello'}}),
         }});
         return {{origin: self.origin, login, whoami, put}};"
    );

    let allowed = browser
        .run_page(&frontend, &page(&script))
        .expect("page on the listed origin");
    assert_eq!(allowed["origin"], frontend.origin());
    assert_readable_status(&allowed["login"], 200, "credentialed POST");
    assert_readable_status(&allowed["whoami"], 200, "credentialed GET with the cookie");
    assert_eq!(
        allowed["whoami"]["body"], r#"{"user":"bob"}"#,
        "the cookie reached the server: {allowed}"
    );
    assert_readable_status(&allowed["put"], 200, "preflighted PUT with JSON");
    assert_eq!(
        allowed["put"]["headers"]["x-note-version"], "1",
        "the exposed header is readable: {allowed}"
    );

    let refused = browser
        .run_page(&elsewhere, &page(&script))
        .expect("page on an origin not listed");
    for call in ["login", "whoami", "put"] {
        assert_refused(&refused[call], call);
    }
}

#[test]
fn the_attribute_without_the_feature_says_which_to_turn_on() {
    let temp = TempDir::named("cors-runtime-without-lambda").expect("temporary directory");
    let project = temp.path();
    std::fs::create_dir_all(project.join("src")).unwrap();
    let runtime = workspace_root().join("cors-runtime");
    std::fs::write(
        project.join("Cargo.toml"),
        format!(
            r#"[package]
name = "without-lambda"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
cors-runtime = {{ path = {runtime:?}, default-features = false }}

[workspace]
"#
        ),
    )
    .unwrap();
    std::fs::write(
        project.join("src/lib.rs"),
        "#[cors_runtime::cors(origins = [\"https://app.example.com\"])]\n\
         pub async fn handler(request: String) -> Result<String, String> {\n\
         \u{20}   Ok(request)\n\
         }\n",
    )
    .unwrap();
    // The versions this workspace was tested with.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        project.join("Cargo.lock"),
    )
    .unwrap();
    let output = Command::new(cargo())
        .current_dir(project)
        .args(["build", "--offline", "--quiet", "--config"])
        .arg(workspace_root().join(".cargo/config.toml"))
        .env("CARGO_TARGET_DIR", cors_dev::workspace::target_dir())
        .output()
        .expect("cargo build runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "#[cors] compiled without lambda_http"
    );
    for needle in [
        "`#[cors]` wraps a `lambda_http` handler and needs cors-runtime's `lambda` feature",
        "default-features = false",
        "cors_layer!",
        "src/lib.rs:1:",
    ] {
        assert!(stderr.contains(needle), "{needle:?} not in:\n{stderr}");
    }
    // One error, not a cascade about the handler's body.
    assert!(stderr.contains("due to 1 previous error"), "{stderr}");
}
