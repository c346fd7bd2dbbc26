//! The compile-time half of `#[cors]`: every configuration that cannot work in a browser is a
//! compile error at the offending token, with a message that says how to fix it
//! (`tests/fail`, each with its expected `.stderr`). The accepted handler shapes
//! (`tests/pass`) are compiled by `tests/pass.rs`: with no pass case, trybuild only checks
//! (`cargo check`), with no code generation.
//!
//! After a deliberate change to a message, regenerate the expected output with
//! `TRYBUILD=overwrite cargo test -p cors-ui-tests --test ui` and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/fail/*.rs");
}
