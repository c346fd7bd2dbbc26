//! The checkout being measured: its root, its commit, and the dependency lines (`lambda_http`,
//! `tokio`, `tower-http`) that the measured projects copy from its packages.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use cors_dev::workspace::cargo;
use serde_json::Value;

use crate::command::Result;

/// The checkout being measured, and the dependency lines its packages imply.
#[derive(Debug)]
pub(crate) struct Checkout {
    pub(crate) root: PathBuf,
    /// The commit when the measurement started ([`Checkout::describe`]).
    commit: String,
    /// `lambda_http` as `cors-runtime` depends on it.
    pub(crate) lambda_http: String,
    /// `tokio` as `cors-runtime`'s tests depend on it.
    pub(crate) tokio: String,
    /// `tower-http` as the `tests/` package's dev-dependencies have it.
    pub(crate) tower_http: String,
}

impl Checkout {
    pub(crate) fn open(path: &Path) -> Result<Checkout> {
        let root = path.canonicalize().map_err(|e| {
            format!(
                "checkout {} not found ({e}); give --checkout the root of a cors-runtime workspace",
                path.display()
            )
        })?;
        for file in ["Cargo.toml", "Cargo.lock", "cors-runtime/Cargo.toml"] {
            if !root.join(file).is_file() {
                return Err(format!(
                    "{} has no {file}: --checkout must be the root of a cors-runtime workspace \
                     (with its Cargo.lock)",
                    root.display()
                ));
            }
        }
        let manifest = root.join("Cargo.toml");
        let output = Command::new(cargo())
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", cargo()))?;
        if !output.status.success() {
            return Err(format!(
                "`cargo metadata` failed on {}:\n{}",
                manifest.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let metadata: Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("`cargo metadata` printed no JSON ({e})"))?;
        let dependency = |package, kind, name| dependency_line(&metadata, package, kind, name);
        let mut checkout = Checkout {
            lambda_http: dependency("cors-runtime", None, "lambda_http")?,
            tokio: dependency("cors-runtime", Some("dev"), "tokio")?,
            tower_http: dependency("cors-tests", Some("dev"), "tower-http")?,
            root,
            commit: String::new(),
        };
        checkout.commit = checkout.describe();
        Ok(checkout)
    }

    /// The report's first lines: the commit measured, and whether it changed meanwhile (then
    /// the builds may have seen either, and the measurement is to be run again).
    pub(crate) fn header(&self) -> String {
        let now = self.describe();
        let mut header = format!("Checkout: {}\n", self.commit);
        if now != self.commit {
            let _ = writeln!(
                header,
                "\n**The checkout changed during the measurement** (now {now}): run it again."
            );
        }
        header
    }

    /// The commit, and `(+ uncommitted changes)` when the work tree differs from it.
    fn describe(&self) -> String {
        let git = |args: &[&str]| {
            let output = Command::new("git")
                .arg("-C")
                .arg(&self.root)
                .args(args)
                .output()
                .ok()?;
            output
                .status
                .success()
                .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
        };
        match (
            git(&["log", "-1", "--format=%h %s"]),
            git(&["status", "--porcelain"]),
        ) {
            (Some(commit), Some(status)) => {
                let changes = if status.trim().is_empty() {
                    ""
                } else {
                    " (+ uncommitted changes)"
                };
                format!("{}{changes}", commit.trim())
            }
            _ => "(not a git checkout)".to_owned(),
        }
    }
}

/// `name = { version = ..., default-features = ..., features = [...] }`, from the dependency
/// `name` of `package` (of `kind`: `None` for a normal dependency, `Some("dev")`).
fn dependency_line(
    metadata: &Value,
    package: &str,
    kind: Option<&str>,
    name: &str,
) -> Result<String> {
    let dependency = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == package)
        .flat_map(|p| p["dependencies"].as_array().into_iter().flatten())
        .find(|d| d["name"] == name && d["kind"].as_str() == kind)
        .ok_or_else(|| {
            format!(
                "the checkout's package `{package}` has no {}dependency `{name}`; this tool \
                 reads the version to use from there, so it needs updating along with that \
                 Cargo.toml",
                kind.map(|k| format!("{k}-")).unwrap_or_default()
            )
        })?;
    Ok(format!(
        "{name} = {{ version = {}, default-features = {}, features = {} }}",
        dependency["req"], dependency["uses_default_features"], dependency["features"]
    ))
}
