//! What cargo compiles in a build: every package with the features cargo turns on in it, as
//! `cargo tree` reports them. Two builds share a compiled dependency only where both turn on
//! the same features in it (with the same profile and target directory).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::LazyLock;

use cors_dev::workspace::{cargo, workspace_root};

/// Every package of the build that `args` select (run in `dir`), as `name version`, with its
/// features.
pub fn features(dir: &Path, args: &[&str]) -> BTreeMap<String, Vec<String>> {
    let output = Command::new(cargo())
        .current_dir(dir)
        .args([
            "tree",
            "--offline",
            "--prefix",
            "none",
            "--format",
            "{p}|{f}",
        ])
        .args(args)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree {args:?} in {} failed:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter_map(|line| {
            let (package, features) = line.split_once('|')?;
            // `(*)`: printed before; `(proc-macro)`, `(/path)`: not part of the name.
            let package = package.split(" (").next().unwrap_or(package).trim();
            // `{f}` ends before a ` (*)` too.
            let features = features.split(" (").next().unwrap_or(features).trim();
            let features = features
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_owned)
                .collect();
            Some((package.to_owned(), features))
        })
        .collect()
}

/// What `cargo test --workspace` compiles (dev-dependencies included): asked of cargo once, for
/// every test that compares a build with it.
pub fn test_build() -> &'static BTreeMap<String, Vec<String>> {
    static TEST_BUILD: LazyLock<BTreeMap<String, Vec<String>>> = LazyLock::new(|| {
        features(
            &workspace_root(),
            &["--locked", "--workspace", "--edges", "normal,build,dev"],
        )
    });
    &TEST_BUILD
}
