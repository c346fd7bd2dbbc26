//! The three measured projects (`plain`, `with-cors`, `tower-http`): their manifests, their
//! `main.rs`, and their set-up under the output directory.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::checkout::Checkout;
use crate::command::{Result, cargo_in, run_cargo};

/// One of the measured projects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Project {
    Plain,
    WithCors,
    TowerHttp,
}

/// The handler every project runs: it reads a header, so the event is not optimized away.
const HANDLER: &str = r##"async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let agent = event.headers().get("user-agent").map_or(0, |value| value.len());
    let body = format!(r#"{{"ok":true,"agent":{agent}}}"#);
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(body))?)
}
"##;

/// `main`'s set-up of tower-http's `CorsLayer`, the policy of `with-cors`'s `#[cors]`: the
/// origins of `ALLOWED_ORIGINS` (separated by spaces or commas), credentials, the request's
/// headers mirrored, the default methods (`cors_runtime::DEFAULT_METHODS`), and ten minutes of
/// max age (`cors_runtime::DEFAULT_MAX_AGE`).
const TOWER_HTTP_LAYER: &str = r#"    let origins = std::env::var("ALLOWED_ORIGINS")?;
    let origins = origins
        .split([' ', ','])
        .filter(|origin| !origin.is_empty())
        .map(HeaderValue::from_str)
        .collect::<Result<Vec<_>, _>>()?;
    let methods = [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods(methods)
        .max_age(Duration::from_secs(600));
"#;

impl Project {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Project::Plain => "plain",
            Project::WithCors => "with-cors",
            Project::TowerHttp => "tower-http",
        }
    }

    /// The package (and binary) name: the project's name, prefixed so that it names no
    /// dependency.
    pub(crate) fn package(self) -> String {
        format!("fn-{}", self.name())
    }

    fn manifest(self, checkout: &Checkout) -> Result<String> {
        let mut dependencies = vec![checkout.lambda_http.clone(), checkout.tokio.clone()];
        match self {
            Project::Plain => {}
            Project::WithCors => {
                let path = checkout.root.join("cors-runtime");
                let path = path.to_str().ok_or(format!(
                    "{} is not valid UTF-8, which a Cargo.toml cannot name; move the checkout",
                    path.display()
                ))?;
                dependencies.push(format!("cors-runtime = {{ path = {} }}", Value::from(path)));
            }
            Project::TowerHttp => dependencies.push(checkout.tower_http.clone()),
        }
        Ok(format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             # Not a member of the workspace whose target directory holds it.\n[workspace]\n\n\
             [dependencies]\n{}\n\n\
             [profile.release]\nstrip = true\nlto = \"thin\"\ncodegen-units = 1\n",
            self.package(),
            dependencies.join("\n")
        ))
    }

    fn main_rs(self) -> String {
        let (imports, attribute, check, service) = match self {
            Project::Plain => ("", "", "", "service_fn(handler)"),
            Project::WithCors => (
                "use cors_runtime::cors;\n",
                "#[cors(origins_env = \"ALLOWED_ORIGINS\", credentials)]\n",
                "    cors_runtime::check()?;\n",
                "service_fn(handler)",
            ),
            Project::TowerHttp => (
                "use lambda_http::http::{HeaderValue, Method};\n\
                 use lambda_http::tower::Layer;\n\
                 use std::time::Duration;\n\
                 use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};\n",
                "",
                TOWER_HTTP_LAYER,
                "cors.layer(service_fn(handler))",
            ),
        };
        format!(
            "use lambda_http::{{Body, Error, Request, Response, service_fn}};\n{imports}\n\
             {attribute}{HANDLER}\n\
             #[tokio::main]\nasync fn main() -> Result<(), Error> {{\n{check}    \
             lambda_http::run({service}).await\n}}\n"
        )
    }

    /// Writes the project under `out` (files only when they changed, so that a `size` run
    /// rebuilds only what differs) with the checkout's `Cargo.lock`, and resolves it.
    pub(crate) fn set_up(
        self,
        checkout: &Checkout,
        out: &Path,
        notes: &mut String,
    ) -> Result<PathBuf> {
        let dir = out.join(self.name());
        let src = dir.join("src");
        fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
        for (path, text) in [
            (dir.join("Cargo.toml"), self.manifest(checkout)?),
            (src.join("main.rs"), self.main_rs()),
        ] {
            if fs::read_to_string(&path).ok().as_ref() != Some(&text) {
                fs::write(&path, text)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
        let lock = dir.join("Cargo.lock");
        fs::copy(checkout.root.join("Cargo.lock"), &lock).map_err(|e| {
            format!(
                "cannot copy the checkout's Cargo.lock to {}: {e}",
                lock.display()
            )
        })?;
        // Resolve (and check that every crate is here) offline; online once if that fails.
        if cargo_in(&dir)
            .args(["fetch", "--offline"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Ok(dir);
        }
        let note = format!(
            "{}: resolving the dependencies offline failed, so they were resolved online",
            self.name()
        );
        eprintln!("footprint: {note}");
        let _ = writeln!(notes, "\nNote: {note}.");
        run_cargo(
            cargo_in(&dir).arg("fetch"),
            &format!("resolving {}", self.name()),
        )?;
        Ok(dir)
    }
}
