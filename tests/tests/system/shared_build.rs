//! The example APIs reuse the test build's dependencies.
//!
//! The browser tests run the examples under `cargo lambda watch`, which builds `cors-examples`
//! on its own: cargo then turns on only the features the examples ask for. Wherever that set
//! differs from the one `cargo test --workspace` compiled, cargo compiles the crate again, and
//! every crate above it: on a cold target directory, most of the dependency tree a second time.
//! `cors-dev` asks for the features the tests add (see its `Cargo.toml`); this test keeps it
//! that way, with cargo's own view of both builds.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Every package of a build with the features cargo turns on in it (`name version [features]`).
fn packages_with_features(selection: &[&str], edges: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["tree", "--locked", "--offline", "--prefix", "none"])
        .args(["--format", "{p} [{f}]", "--edges", edges])
        .args(selection)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree {selection:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter(|line| !line.is_empty())
        // `(*)`: printed before; `(proc-macro)`, `(/path)`: not part of what is compiled.
        .map(|line| {
            line.split(" (")
                .next()
                .unwrap_or(line)
                .trim_end()
                .to_owned()
        })
        .collect()
}

#[test]
fn the_examples_need_no_dependency_the_test_build_has_not_compiled() {
    let tested = packages_with_features(&["--workspace"], "normal,build,dev");
    let examples = packages_with_features(&["--package", "cors-examples"], "normal,build");
    let missing: Vec<&String> = examples.difference(&tested).collect();
    assert!(
        missing.is_empty(),
        "`cargo lambda watch -p cors-examples` would compile these again, with other features \
         than `cargo test --workspace` (turn the test build's features on in cors-dev's \
         Cargo.toml):\n{missing:#?}"
    );
    // What the comparison covers: the examples' tree, and the test build's bigger one.
    assert!(examples.iter().any(|p| p.starts_with("lambda_http ")));
    assert!(tested.len() > examples.len());
}
