//! The example APIs reuse the test build's dependencies.
//!
//! The browser tests run the examples under `cargo lambda watch`, which builds `cors-examples`
//! on its own: cargo then turns on only the features the examples ask for. Wherever that set
//! differs from the one `cargo test --workspace` compiled, cargo compiles the crate again, and
//! every crate above it: on a cold target directory, most of the dependency tree a second time.
//! `cors-dev` asks for the features the tests add (see its `Cargo.toml`); this test keeps it
//! that way, with cargo's own view of both builds.

use cors_dev::workspace::workspace_root;

use crate::cargo_tree;

#[test]
fn the_examples_need_no_dependency_the_test_build_has_not_compiled() {
    let tested = cargo_tree::test_build();
    let examples = cargo_tree::features(
        &workspace_root(),
        &[
            "--locked",
            "--package",
            "cors-examples",
            "--edges",
            "normal,build",
        ],
    );
    let differ: Vec<String> = examples
        .iter()
        .filter(|(package, features)| tested.get(*package) != Some(features))
        .map(|(package, features)| format!("{package} [{}]", features.join(",")))
        .collect();
    assert!(
        differ.is_empty(),
        "`cargo lambda watch -p cors-examples` would compile these again, with other features \
         than `cargo test --workspace` (turn the test build's features on in cors-dev's \
         Cargo.toml):\n{differ:#?}"
    );
    // What the comparison covers: the examples' tree, and the test build's bigger one.
    assert!(examples.keys().any(|p| p.starts_with("lambda_http ")));
    assert!(tested.len() > examples.len());
}
