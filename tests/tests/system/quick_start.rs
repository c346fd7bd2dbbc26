//! The README's quick start, as a new user runs it: `cors_runtime::check()?` in `main` with a
//! bad `ALLOWED_ORIGINS` stops the cold start and prints exactly what the README shows (the
//! messages, one per line; no `Debug` dump of fields, no tracing subscriber needed).
//!
//! The binary `quick-start` is the README's snippet word for word (checked here too), started
//! as a Lambda cold start starts it: a fresh process with the variable from the README's
//! example command.

use std::process::Command;

use cors_dev::workspace::workspace_root;

fn readme() -> String {
    std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md")
}

/// The first fenced block of `readme` whose opening line is `fence` and whose text contains
/// `containing`.
fn block(readme: &str, fence: &str, containing: &str) -> String {
    let opening = format!("\n{fence}\n");
    let mut blocks = readme.split(&opening).skip(1);
    blocks
        .find_map(|rest| {
            let text = &rest[..rest.find("\n```").expect("a closed block")];
            text.contains(containing).then(|| text.to_owned())
        })
        .unwrap_or_else(|| panic!("no {fence} block with {containing:?} in README.md"))
}

#[test]
fn the_binary_is_the_readme_s_quick_start() {
    let snippet = block(&readme(), "```rust,no_run", "cors_runtime::check()?");
    let source =
        std::fs::read_to_string(workspace_root().join("tests/src/bin/quick-start.rs")).unwrap();
    let code = &source[source.find("\nuse ").expect("the code after the header")..];
    // Line breaks aside: the binary is formatted by rustfmt, the README's lines are longer.
    let without_spaces = |code: &str| code.split_whitespace().collect::<String>();
    assert_eq!(without_spaces(code), without_spaces(&snippet), "{code}");
}

#[test]
fn a_bad_variable_stops_the_cold_start_with_the_readme_s_messages() {
    let shown = block(&readme(), "```text", "$ ALLOWED_ORIGINS=");
    let (command, expected) = shown.split_once('\n').unwrap();
    let value = command
        .strip_prefix("$ ALLOWED_ORIGINS=\"")
        .and_then(|rest| rest.strip_suffix("\" ./bootstrap"))
        .expect("`$ ALLOWED_ORIGINS=\"…\" ./bootstrap`");
    let output = Command::new(env!("CARGO_BIN_EXE_quick-start"))
        .env("ALLOWED_ORIGINS", value)
        .env_remove("RUST_LOG")
        .output()
        .expect("quick-start runs");
    assert_eq!(output.status.code(), Some(1), "main returned the error");
    assert_eq!(String::from_utf8_lossy(&output.stderr).trim_end(), expected);
    assert!(output.stdout.is_empty());
}
