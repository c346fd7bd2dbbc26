//! Chromium and ChromeDriver: the tools of the browser tests that only root can install
//! (`apt-get install chromium chromium-driver`).
//!
//! The build script of this package (`tests/build.rs`) includes this file too: for each tool
//! that is missing it sets a `cfg` (`missing_chromium`, `missing_chromedriver`), with which the
//! browser tests are marked `#[ignore = "needs chromium and chromium-driver: …"]`, so that
//! `cargo test` reports them as ignored rather than passed. With `CI` set ([`in_ci`]) it sets
//! no such `cfg`: the tests run and fail on the missing tool ([`RootTool::require`]).

use std::path::{Path, PathBuf};

/// What `ignore` says, and what a missing tool's error says.
pub const INSTALL_HINT: &str =
    "needs chromium and chromium-driver: apt-get install chromium chromium-driver (as root)";

/// A program found at a fixed path, an override, or on `PATH`.
#[derive(Debug, Clone, Copy)]
pub struct RootTool {
    /// The command name looked up on `PATH`.
    pub command: &'static str,
    /// The environment variable that overrides its path.
    pub env_var: &'static str,
    /// Where Debian's package installs it.
    pub default: &'static str,
    /// The `cfg` the build script sets when it is missing.
    pub cfg: &'static str,
}

/// Debian's `chromium` (override with `CORS_TESTS_CHROMIUM`).
pub const CHROMIUM: RootTool = RootTool {
    command: "chromium",
    env_var: "CORS_TESTS_CHROMIUM",
    default: "/usr/bin/chromium",
    cfg: "missing_chromium",
};

/// Debian's `chromium-driver` (override with `CORS_TESTS_CHROMEDRIVER`).
pub const CHROMEDRIVER: RootTool = RootTool {
    command: "chromedriver",
    env_var: "CORS_TESTS_CHROMEDRIVER",
    default: "/usr/bin/chromedriver",
    cfg: "missing_chromedriver",
};

impl RootTool {
    /// The path to run: the override if set (even if nothing is there), else the default if it
    /// exists, else the command found on `PATH`, else the default.
    pub fn path(&self) -> PathBuf {
        if let Some(path) = std::env::var_os(self.env_var) {
            return PathBuf::from(path);
        }
        if Path::new(self.default).is_file() {
            return PathBuf::from(self.default);
        }
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join(self.command))
            .find(|path| path.is_file())
            .unwrap_or_else(|| PathBuf::from(self.default))
    }

    /// Whether [`RootTool::path`] is a file.
    pub fn is_installed(&self) -> bool {
        self.path().is_file()
    }

    /// Panics, saying how to install it, when the tool is missing: for a test that runs
    /// although the build script saw the tool missing (`CI` set, or `--include-ignored`).
    pub fn require(&self) {
        if !self.is_installed() {
            let ci = if in_ci() {
                "; CI is set, so a browser test fails instead of being ignored"
            } else {
                ""
            };
            panic!(
                "{} is missing ({} not found; {} overrides the path): this test {INSTALL_HINT}{ci}",
                self.command,
                self.path().display(),
                self.env_var
            );
        }
    }
}

/// Whether the environment variable `CI` is set to something other than empty, `0` or
/// `false`: then a test may not be skipped for a missing tool.
pub fn in_ci() -> bool {
    let ci = std::env::var("CI").unwrap_or_default();
    !ci.is_empty() && ci != "0" && !ci.eq_ignore_ascii_case("false")
}
