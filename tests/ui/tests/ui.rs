//! The compile-time half of `#[cors]`: every configuration that cannot work in a browser is a
//! compile error at the offending token, with a message that says how to fix it
//! (`tests/fail`, each with its expected `.stderr`), and every accepted handler shape
//! compiles (`tests/pass`).
//!
//! After a deliberate change to a message, regenerate the expected output with
//! `TRYBUILD=overwrite cargo test -p cors-ui-tests --test ui` and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/pass/*.rs");
    cases.compile_fail("tests/fail/*.rs");
}
