//! Running cargo in a measured project.

use std::path::Path;
use std::process::Command;

use cors_dev::workspace::cargo;

/// Errors are messages: what went wrong, and what to do about it.
pub(crate) type Result<T, E = String> = std::result::Result<T, E>;

/// `cargo` in `dir`, with the environment's target directory settings removed.
pub(crate) fn cargo_in(dir: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    command
}

/// Runs `command`, returning its standard output; on failure, the end of its standard error.
pub(crate) fn run_cargo(command: &mut Command, what: &str) -> Result<String> {
    eprintln!("footprint: {what}");
    let output = command
        .output()
        .map_err(|e| format!("{what}: cannot run `{}`: {e}", cargo()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.lines().collect();
        return Err(format!(
            "{what} failed ({command:?}, {}):\n{}",
            output.status,
            lines[lines.len().saturating_sub(40)..].join("\n")
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
