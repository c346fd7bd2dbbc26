//! Where things are: the workspace root, the target directory this program was built in, and
//! the `cargo` that runs it. A leaf: every other module may use it, it uses none.

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this `dev` package).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the dev package lives in the workspace")
        .to_path_buf()
}

/// The `cargo` that runs this program (`CARGO`, set by `cargo run` and `cargo test`), or
/// `cargo` from `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The target directory this program was built in: the nearest directory above the running
/// executable that holds Cargo's `CACHEDIR.TAG` (`target/debug/deps/x` and `target/debug/x`
/// both lead to `target`), else `CARGO_TARGET_DIR`, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    if let Ok(exe) = std::env::current_exe()
        && let Some(dir) = exe
            .ancestors()
            .skip(1)
            .find(|dir| dir.join("CACHEDIR.TAG").is_file())
    {
        return dir.to_path_buf();
    }
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}
