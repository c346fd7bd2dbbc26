//! cors-lint's integration tests, one binary: the corpus of public templates (`corpus`), the
//! project's own deploy templates and broken copies of them (`examples`), the command line
//! (`cli`), and the readers on arbitrary input (`readers`).

mod cli;
mod corpus;
mod examples;
mod readers;

use std::path::PathBuf;

/// The workspace root.
fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cors-lint is a workspace member")
        .to_path_buf()
}
