//! `#[cors]` and `cors_layer!` in the shapes users write, under clippy's strictest groups: an
//! expansion must not warn in a crate that denies `clippy::pedantic` and `clippy::nursery`,
//! since its warnings would point at the user's own code. CI lints this crate with `-D warnings`.

#![deny(clippy::pedantic, clippy::nursery)]

pub mod handlers;
pub mod router;

#[cfg(test)]
mod tests {
    /// The README's quick start is `examples/quick_start.rs` but for line breaks (rustfmt's),
    /// so that CI's `cargo clippy --workspace --all-targets -- -D warnings` compiles it as
    /// users copy it.
    #[test]
    fn the_readme_quick_start_is_the_example_ci_lints() {
        let readme = include_str!("../../../README.md");
        let section = readme
            .split("\n## Quick start\n")
            .nth(1)
            .expect("the README has a Quick start section");
        let code = section
            .split("```rust,no_run\n")
            .nth(1)
            .and_then(|rest| rest.split("\n```").next())
            .expect("the Quick start has a ```rust,no_run block");
        let without_spaces = |code: &str| code.split_whitespace().collect::<String>();
        assert_eq!(
            without_spaces(code),
            without_spaces(include_str!("../examples/quick_start.rs")),
            "copy the README's quick start into tests/ui-pedantic/examples/quick_start.rs"
        );
    }
}
