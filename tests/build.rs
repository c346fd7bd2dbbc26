//! Sets `cfg(missing_chromium)` / `cfg(missing_chromedriver)` for each root-only tool of the
//! browser tests that is not installed, unless `CI` is set; the tests then carry
//! `#[cfg_attr(any(missing_chromium, missing_chromedriver), ignore = "…")]`, and `cargo test`
//! reports them as ignored, with the command that installs the tools. See `src/root_tools.rs`.

#[path = "src/root_tools.rs"]
#[allow(dead_code)]
mod root_tools;

use std::path::Path;

use root_tools::{CHROMEDRIVER, CHROMIUM, in_ci};

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/root_tools.rs");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    for tool in [CHROMIUM, CHROMEDRIVER] {
        println!("cargo::rustc-check-cfg=cfg({})", tool.cfg);
        println!("cargo::rerun-if-env-changed={}", tool.env_var);
        let path = tool.path();
        if tool.is_installed() {
            // Run again if it goes away.
            println!("cargo::rerun-if-changed={}", path.display());
            continue;
        }
        // Run again when it appears: installing it changes the directory it goes into. (Not
        // for an override naming a missing file: a change of the variable reruns this.)
        if std::env::var_os(tool.env_var).is_none()
            && let Some(dir) = Path::new(tool.default).parent()
            && dir.is_dir()
        {
            println!("cargo::rerun-if-changed={}", dir.display());
        }
        if !in_ci() {
            println!("cargo::rustc-cfg={}", tool.cfg);
            println!(
                "cargo::warning=browser tests will be ignored: {} not found ({})",
                tool.command,
                root_tools::INSTALL_HINT
            );
        }
    }
}
