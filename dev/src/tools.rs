//! The command-line tools that the tests and the demo run and that install without root, all
//! from PyPI: `cargo-lambda` ([`CARGO_LAMBDA`]), CORScanner ([`CORSCANNER`]) and cfn-lint
//! ([`CFN_LINT`]).
//!
//! [`ensure`] takes a tool from `PATH` when it runs there; otherwise it installs it, once, into
//! a Python virtual environment in the target directory, `target/tools-venv` ([`venv_dir`],
//! created with `python3 -m venv`), never into the user's own Python environment. Several test
//! binaries and threads may ask at the same time: a file lock (`target/tools-venv.lock`) lets
//! one of them install while the others wait. When an install fails, the error names the
//! command to run by hand.

use std::ffi::OsString;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use crate::workspace::target_dir;

/// A tool installed with `pip`.
#[derive(Debug)]
pub struct PythonTool {
    /// What `pip install` is given (a requirement specifier).
    pub requirement: &'static str,
    /// The command it installs.
    pub command: &'static str,
    /// Arguments with which the command prints its version (or help) and exits 0.
    pub probe: &'static [&'static str],
    /// Whether the probe's standard output shows a usable version (for a tool found on
    /// `PATH`; the virtual environment has what `requirement` asked for).
    pub accepts: fn(&str) -> bool,
}

/// `cargo-lambda`, the cargo subcommand behind `cargo lambda watch`. `cargo` finds it on
/// `PATH`: give the processes that run `cargo lambda` [`Tool::path_env`].
pub const CARGO_LAMBDA: PythonTool = PythonTool {
    requirement: "cargo-lambda",
    command: "cargo-lambda",
    // How `cargo lambda --version` calls it.
    probe: &["lambda", "--version"],
    accepts: any_version,
};

/// CORScanner (PyPI `corscanner`), a CORS misconfiguration scanner.
pub const CORSCANNER: PythonTool = PythonTool {
    requirement: "corscanner",
    command: "corscanner",
    probe: &["--help"],
    accepts: any_version,
};

/// cfn-lint 1.x (1.51 or later), the CloudFormation (and SAM) linter.
pub const CFN_LINT: PythonTool = PythonTool {
    requirement: "cfn-lint~=1.51",
    command: "cfn-lint",
    probe: &["--version"],
    accepts: cfn_lint_version,
};

fn any_version(_: &str) -> bool {
    true
}

/// `cfn-lint 1.51.0` or a later 1.x.
fn cfn_lint_version(output: &str) -> bool {
    let version = output.split_whitespace().last().unwrap_or_default();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    matches!(
        (parts.next(), parts.next()),
        (Some(Some(1)), Some(Some(minor))) if minor >= 51
    )
}

/// A tool that runs: from `PATH`, or from the virtual environment.
#[derive(Debug, Clone)]
pub struct Tool {
    program: PathBuf,
    /// The virtual environment's `bin` directory, when the tool is installed there.
    bin_dir: Option<PathBuf>,
}

impl Tool {
    /// The program (a path into the virtual environment, or the bare command name).
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Where it comes from, for messages: `PATH`, or the virtual environment's directory.
    pub fn origin(&self) -> String {
        match &self.bin_dir {
            Some(dir) => dir.display().to_string(),
            None => "PATH".to_owned(),
        }
    }

    /// A `PATH` with the virtual environment's `bin` directory first, for processes that look
    /// the tool up by name (`cargo lambda` runs `cargo-lambda` from `PATH`); `None` when the
    /// tool is on `PATH` already.
    pub fn path_env(&self) -> Option<OsString> {
        let dir = self.bin_dir.as_ref()?;
        let mut dirs = vec![dir.clone()];
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).ok()
    }

    /// A command running the tool, with [`Tool::path_env`] set.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        if let Some(path) = self.path_env() {
            command.env("PATH", path);
        }
        command
    }
}

/// The virtual environment the tools are installed into: `<target dir>/tools-venv`.
pub fn venv_dir() -> PathBuf {
    target_dir().join("tools-venv")
}

/// `tool`, ready to run: from the virtual environment if it is installed there, else from
/// `PATH` if it runs there (and [`PythonTool::accepts`] its version), else installed into the
/// virtual environment now. The answer is remembered for the rest of the process.
///
/// The error says what failed and which command installs the tool by hand.
pub fn ensure(tool: &PythonTool) -> Result<Tool, String> {
    static FOUND: Mutex<Vec<(&'static str, Result<Tool, String>)>> = Mutex::new(Vec::new());
    // Held while installing, so that the threads of one process ask pip once.
    let mut found = FOUND.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, result)) = found.iter().find(|(command, _)| *command == tool.command) {
        return result.clone();
    }
    let result = find_or_install(tool);
    found.push((tool.command, result.clone()));
    result
}

fn find_or_install(tool: &PythonTool) -> Result<Tool, String> {
    let venv = venv_dir();
    let bin_dir = venv.join("bin");
    let in_venv = Tool {
        program: bin_dir.join(tool.command),
        bin_dir: Some(bin_dir.clone()),
    };
    if in_venv.program.is_file() && runs(tool, &in_venv) {
        return Ok(in_venv);
    }
    let on_path = Tool {
        program: PathBuf::from(tool.command),
        bin_dir: None,
    };
    if runs(tool, &on_path) {
        return Ok(on_path);
    }

    // Another process may be installing into the same environment: wait for it, then look
    // again.
    let manual = format!(
        "python3 -m venv {venv} && {venv}/bin/python -m pip install '{requirement}'",
        venv = venv.display(),
        requirement = tool.requirement
    );
    fs::create_dir_all(target_dir())
        .map_err(|e| format!("cannot create {}: {e}", target_dir().display()))?;
    let lock_path = target_dir().join("tools-venv.lock");
    let lock = File::create(&lock_path)
        .and_then(|file| file.lock().map(|()| file))
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    if in_venv.program.is_file() && runs(tool, &in_venv) {
        return Ok(in_venv);
    }
    eprintln!(
        "{} is not installed: installing `{}` into {} (once per target directory)...",
        tool.command,
        tool.requirement,
        venv.display()
    );
    let python = bin_dir.join("python");
    if !python.is_file() {
        run(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            &manual,
            "`python3 -m venv` needs Python 3 with its `venv` module (on Debian and Ubuntu: \
             apt-get install python3-venv, as root)",
        )?;
    }
    run(
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            tool.requirement,
        ]),
        &manual,
        "pip needs to reach PyPI",
    )?;
    drop(lock);
    if runs(tool, &in_venv) {
        eprintln!("{} installed in {}.", tool.command, bin_dir.display());
        Ok(in_venv)
    } else {
        Err(format!(
            "{} was installed into {} but `{} {}` fails; run `{manual}` and look at its output",
            tool.command,
            venv.display(),
            in_venv.program.display(),
            tool.probe.join(" ")
        ))
    }
}

/// Whether `tool` runs as `found` and prints a version it accepts.
fn runs(tool: &PythonTool, found: &Tool) -> bool {
    found
        .command()
        .args(tool.probe)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|output| {
            output.status.success() && (tool.accepts)(&String::from_utf8_lossy(&output.stdout))
        })
}

/// Runs an install step; on failure, an error with its output, `hint` and the `manual` command.
fn run(command: &mut Command, manual: &str, hint: &str) -> Result<(), String> {
    let output = command.stdin(Stdio::null()).output().map_err(|e| {
        format!("cannot run {command:?} ({e}); {hint}. To install by hand: {manual}")
    })?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{command:?} failed ({}); {hint}. To install by hand: {manual}\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

#[cfg(test)]
mod tests {
    use super::cfn_lint_version;

    #[test]
    fn reads_cfn_lint_versions() {
        assert!(cfn_lint_version("cfn-lint 1.51.0\n"));
        assert!(cfn_lint_version("cfn-lint 1.60.2"));
        assert!(!cfn_lint_version("cfn-lint 1.38.0"));
        assert!(!cfn_lint_version("cfn-lint 0.87.7"));
        assert!(!cfn_lint_version("cfn-lint 2.0.0"));
        assert!(!cfn_lint_version(""));
    }
}
