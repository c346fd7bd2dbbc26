//! What the README of a published crate must be, read from its unpacked package: what the
//! registry and docs.rs show.
//!
//! - it is the package's own file (the manifest's `readme` names a file inside the package,
//!   not the workspace's README, which cargo would copy in under the same name);
//! - every relative link and image it uses is a file of the package;
//! - it names no command that only works in this workspace (`-p cors-examples`, `--workspace`);
//! - its dependency line for `cors-runtime` asks for this version;
//! - its Rust snippets are whole programs ([`Readme::snippets`]), which the caller compiles in a
//!   project that depends on the packaged crates.

use std::fs;
use std::path::{Component, Path};

/// A README as found in a package.
#[derive(Debug)]
pub struct Readme {
    /// What is wrong with it, one message per problem (empty: nothing).
    pub problems: Vec<String>,
    /// Its ```` ```rust ```` blocks (`ignore`d ones left out), each a program with a `main`.
    pub snippets: Vec<String>,
}

/// Reads the README of the unpacked package `name` in `package`. `workspace_only`: the packages
/// that are not published; `major_minor`: the version a user writes (`0.1`).
pub fn read(name: &str, package: &Path, workspace_only: &[String], major_minor: &str) -> Readme {
    let mut problems = Vec::new();
    let file = match readme_file(package) {
        Ok(file) => file,
        Err(problem) => {
            return Readme {
                problems: vec![format!("{name}: {problem}")],
                snippets: Vec::new(),
            };
        }
    };
    let text = fs::read_to_string(package.join(&file)).unwrap_or_default();
    let mut problem = |what: String| problems.push(format!("{name}'s {file}: {what}"));

    for target in link_targets(&text) {
        let path = target.split(['#', '?']).next().unwrap_or_default();
        if is_relative(target) && !path.is_empty() && !inside(package, path) {
            problem(format!(
                "links `{target}`, which is not in the package (link to docs.rs, or to a file \
                 of the package)"
            ));
        }
    }
    for command in workspace_commands(workspace_only) {
        for line in text.lines().filter(|line| line.contains(&command)) {
            problem(format!(
                "names `{command}`, which only works in this repository: `{}`",
                line.trim()
            ));
        }
    }

    let mut snippets = Vec::new();
    for block in code_blocks(&text) {
        let attributes: Vec<&str> = block.info.split(',').map(str::trim).collect();
        if attributes.first() == Some(&"toml") {
            for line in block.code.lines() {
                let Some(requirement) = line.trim().strip_prefix("cors-runtime = ") else {
                    continue;
                };
                if requirement != format!("\"{major_minor}\"") {
                    problem(format!(
                        "asks for `cors-runtime = {requirement}`; this version is \
                         `\"{major_minor}\"`"
                    ));
                }
            }
        }
        if attributes.first() != Some(&"rust") || attributes.contains(&"ignore") {
            continue;
        }
        if block.code.contains("fn main") {
            snippets.push(block.code);
        } else {
            problem(format!(
                "a ```rust block without `fn main` cannot be compiled as a program; give it a \
                 `main` or mark it `rust,ignore`:\n{}",
                block.code
            ));
        }
    }
    Readme { problems, snippets }
}

/// The `readme` of the package's own manifest (`Cargo.toml.orig`: cargo rewrites `readme` in
/// the published `Cargo.toml` to the copy it put in the package).
fn readme_file(package: &Path) -> Result<String, String> {
    let manifest = fs::read_to_string(package.join("Cargo.toml.orig"))
        .map_err(|e| format!("no Cargo.toml.orig in the package ({e})"))?;
    let file = manifest
        .lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("readme")?
                .trim()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or("the manifest names no `readme`: set `readme = \"README.md\"`")?;
    if !inside(package, &file) {
        return Err(format!(
            "`readme = \"{file}\"` is not a file of the package (the workspace's README would be \
             published under the crate's name): give the crate a README of its own"
        ));
    }
    Ok(file)
}

/// Whether `path` (relative, `/`-separated) names a file of the package, without leaving it.
fn inside(package: &Path, path: &str) -> bool {
    let path = Path::new(path);
    path.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && package.join(path).is_file()
}

fn is_relative(target: &str) -> bool {
    !(target.contains("://") || target.starts_with("mailto:") || target.starts_with('#'))
}

/// The targets of inline links and images (`[text](target)`, `![alt](target "title")`),
/// reference definitions (`[name]: target`) and HTML `src`/`href` attributes.
fn link_targets(text: &str) -> Vec<&str> {
    let mut targets = Vec::new();
    for (at, _) in text.match_indices("](") {
        let rest = &text[at + 2..];
        let end = rest.find(')').unwrap_or(rest.len());
        targets.extend(rest[..end].split_whitespace().next());
    }
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('[')
            && let Some((_, target)) = line.split_once("]: ")
        {
            targets.extend(target.split_whitespace().next());
        }
    }
    for attribute in ["src=\"", "href=\""] {
        for (at, _) in text.match_indices(attribute) {
            let rest = &text[at + attribute.len()..];
            targets.push(&rest[..rest.find('"').unwrap_or(rest.len())]);
        }
    }
    targets
}

/// `-p <package>` and `--package <package>` for every package that is not published, and
/// `--workspace`.
fn workspace_commands(workspace_only: &[String]) -> Vec<String> {
    let mut commands = vec!["--workspace".to_owned()];
    for package in workspace_only {
        commands.push(format!("-p {package}"));
        commands.push(format!("--package {package}"));
    }
    commands
}

/// A fenced code block: its info string (`rust,no_run`) and its lines.
#[derive(Debug)]
struct CodeBlock {
    info: String,
    code: String,
}

fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<CodeBlock> = None;
    for line in text.lines() {
        let fence = line.trim_start().strip_prefix("```");
        match (&mut open, fence) {
            (None, Some(info)) => {
                open = Some(CodeBlock {
                    info: info.trim().to_owned(),
                    code: String::new(),
                });
            }
            (Some(_), Some(_)) => blocks.extend(open.take()),
            (Some(block), None) => {
                block.code.push_str(line);
                block.code.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn what_the_readme_checks_find() {
    let text = "# x\n\n![demo](docs/demo.png) [ok](LICENSE-MIT) [docs](https://docs.rs/x) \
                [here](#install)\n[ref]: ../BENCHMARKS.md\n<img src=\"logo.svg\">\n\n\
                cargo run -p cors-examples --bin demo\n\n```rust\nlet x = 1;\n```\n\n\
                ```rust,no_run\nfn main() {}\n```\n\n```rust,ignore\nlet y = 2;\n```\n\n\
                ```toml\ncors-runtime = \"0.2\"\n```\n";
    let package = std::env::temp_dir().join(format!("readme-check-{}", std::process::id()));
    fs::create_dir_all(&package).unwrap();
    fs::write(package.join("README.md"), text).unwrap();
    fs::write(package.join("LICENSE-MIT"), "").unwrap();
    fs::write(
        package.join("Cargo.toml.orig"),
        "[package]\nreadme = \"README.md\"\n",
    )
    .unwrap();
    let readme = read("x", &package, &["cors-examples".to_owned()], "0.1");
    let problems = readme.problems.join("\n");
    for expected in [
        "`docs/demo.png`",
        "`../BENCHMARKS.md`",
        "`logo.svg`",
        "`-p cors-examples`",
        "without `fn main`",
        "`cors-runtime = \"0.2\"`",
    ] {
        assert!(problems.contains(expected), "{expected} in:\n{problems}");
    }
    assert_eq!(readme.problems.len(), 6, "{problems}");
    assert_eq!(readme.snippets, ["fn main() {}\n"]);

    fs::write(
        package.join("Cargo.toml.orig"),
        "[package]\nreadme = \"../README.md\"\n",
    )
    .unwrap();
    let readme = read("x", &package, &[], "0.1");
    assert!(
        readme.problems[0].contains("of its own"),
        "{:?}",
        readme.problems
    );
    fs::remove_dir_all(&package).unwrap();
}
