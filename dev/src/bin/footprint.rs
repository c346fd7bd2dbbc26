//! The library's footprint on a Lambda function: how much `#[cors]` adds to the binary and to
//! a clean build.
//!
//! ```text
//! cargo run -p cors-dev --release --bin footprint -- size  [--checkout <path>]
//! cargo run -p cors-dev --release --bin footprint -- build [--checkout <path>] [--rounds 3]
//! ```
//!
//! The budget being checked: the stripped release binary of a one-handler function grows by at
//! most 200 KB over the same function without `#[cors]`, and a clean release build takes at
//! most 20 s more summed unit time (`cargo build --timings`, median of 3 rounds), the macro
//! crate's own time stated.
//!
//! Three standalone projects (each detached with an empty `[workspace]`, with the release
//! profile of a deployed function: `strip = true`, `lto = "thin"`, `codegen-units = 1`) run the
//! same handler, which reads a header of the event and answers a small JSON body:
//!
//! - `plain`: `lambda_http::run(service_fn(handler))`, no CORS;
//! - `with-cors`: the same handler under `#[cors(origins_env = "ALLOWED_ORIGINS",
//!   credentials)]`, with `cors_runtime::check()?` in `main`;
//! - `tower-http`: `plain` wrapped in tower-http's `CorsLayer`, configured the same way (the
//!   origins of `ALLOWED_ORIGINS` read at start-up, credentials, request headers mirrored, the
//!   default methods, a ten-minute max age).
//!
//! They depend on the measured checkout's `cors-runtime` by path, and on `lambda_http`, `tokio`
//! and `tower-http` with the requirements and features that the checkout's own packages use
//! (read with `cargo metadata`). Each starts from a copy of the checkout's `Cargo.lock`, so the
//! versions are the repository's (resolved offline, or online once when that fails, which the
//! report then says). The projects and their target directories live under `target/footprint/`
//! of the workspace this tool is built from, whatever checkout is measured; `--checkout`
//! defaults to that workspace.
//!
//! - `size` builds the three and compares the stripped binaries: their sizes, and the ELF
//!   sections that differ (data, such as a table of the Public Suffix List, is in `.rodata`,
//!   which `cargo bloat` does not attribute to crates). Then, when `cargo bloat` is installed, the `.text` bytes
//!   per crate of `plain` and `with-cors`, built again with their symbols in another target
//!   directory. The report goes to standard output and `target/footprint/size.md`.
//! - `build` builds `plain` and `with-cors` from an empty target directory with `--timings`,
//!   alternately (plain, with-cors, plain, ...) so that the machine's noise falls on both, and
//!   compares the summed time of the compilation units: what the budget is stated in. A unit's
//!   time is its wall time, which grows when other processes take the cores; so the report also
//!   gives the CPU time of the build's processes (Linux: from `/proc/self/stat`), less sensitive
//!   to a busy machine, and the load average at the end of each build. The crates only
//!   `with-cors` builds, or builds twice (for the host, under the `cors-macro` proc macro, and
//!   for the binary), are listed with their times. The report goes to standard output and
//!   `target/footprint/build.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use cors_dev::local::{cargo, workspace_root};
use cors_dev::tools::target_dir;
use serde_json::Value;

const USAGE: &str = "usage: footprint size [--checkout <path>]\n       \
                     footprint build [--checkout <path>] [--rounds <n>]";

/// Errors are messages: what went wrong, and what to do about it.
type Result<T, E = String> = std::result::Result<T, E>;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("footprint: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What to measure, from the command line.
#[derive(Debug)]
struct Options {
    build: bool,
    checkout: PathBuf,
    rounds: usize,
}

fn parse_args(args: Vec<String>) -> Result<Options> {
    let mut args = args.into_iter();
    let build = match args.next().as_deref() {
        Some("size") => false,
        Some("build") => true,
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
        None => return Err(format!("no command given\n{USAGE}")),
    };
    let mut options = Options {
        build,
        checkout: workspace_root(),
        rounds: 3,
    };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("`{arg}` needs a value\n{USAGE}"));
        match arg.as_str() {
            "--checkout" => options.checkout = PathBuf::from(value()?),
            "--rounds" if build => {
                options.rounds = match value()?.parse() {
                    Ok(n) if n > 0 => n,
                    _ => return Err("`--rounds` takes a whole number of at least 1".to_owned()),
                }
            }
            _ => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn run(args: Vec<String>) -> Result<()> {
    if matches!(args.first().map(String::as_str), Some("-h" | "--help")) {
        println!("{USAGE}");
        return Ok(());
    }
    let options = parse_args(args)?;
    let checkout = Checkout::open(&options.checkout)?;
    let out = target_dir().join("footprint");
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let (report, file) = if options.build {
        (build(&checkout, &out, options.rounds)?, "build.md")
    } else {
        (size(&checkout, &out)?, "size.md")
    };
    print!("{report}");
    let path = out.join(file);
    fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("footprint: written to {}", path.display());
    Ok(())
}

/// The checkout being measured, and the dependency lines its packages imply.
#[derive(Debug)]
struct Checkout {
    root: PathBuf,
    /// The commit when the measurement started ([`Checkout::describe`]).
    commit: String,
    /// `lambda_http` as `cors-runtime` depends on it.
    lambda_http: String,
    /// `tokio` as `cors-runtime`'s tests depend on it.
    tokio: String,
    /// `tower-http` as the `tests/` package's dev-dependencies have it.
    tower_http: String,
}

impl Checkout {
    fn open(path: &Path) -> Result<Checkout> {
        let root = path.canonicalize().map_err(|e| {
            format!(
                "checkout {} not found ({e}); give --checkout the root of a cors-runtime workspace",
                path.display()
            )
        })?;
        for file in ["Cargo.toml", "Cargo.lock", "cors-runtime/Cargo.toml"] {
            if !root.join(file).is_file() {
                return Err(format!(
                    "{} has no {file}: --checkout must be the root of a cors-runtime workspace \
                     (with its Cargo.lock)",
                    root.display()
                ));
            }
        }
        let manifest = root.join("Cargo.toml");
        let output = Command::new(cargo())
            .args([
                "metadata",
                "--no-deps",
                "--offline",
                "--format-version",
                "1",
            ])
            .arg("--manifest-path")
            .arg(&manifest)
            .output()
            .map_err(|e| format!("cannot run `{}`: {e}", cargo()))?;
        if !output.status.success() {
            return Err(format!(
                "`cargo metadata` failed on {}:\n{}",
                manifest.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let metadata: Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("`cargo metadata` printed no JSON ({e})"))?;
        let dependency = |package, kind, name| dependency_line(&metadata, package, kind, name);
        let mut checkout = Checkout {
            lambda_http: dependency("cors-runtime", None, "lambda_http")?,
            tokio: dependency("cors-runtime", Some("dev"), "tokio")?,
            tower_http: dependency("cors-tests", Some("dev"), "tower-http")?,
            root,
            commit: String::new(),
        };
        checkout.commit = checkout.describe();
        Ok(checkout)
    }

    /// The report's first lines: the commit measured, and whether it changed meanwhile (then
    /// the builds may have seen either, and the measurement is to be run again).
    fn header(&self) -> String {
        let now = self.describe();
        let mut header = format!("Checkout: {}\n", self.commit);
        if now != self.commit {
            let _ = writeln!(
                header,
                "\n**The checkout changed during the measurement** (now {now}): run it again."
            );
        }
        header
    }

    /// The commit, and `(+ uncommitted changes)` when the work tree differs from it.
    fn describe(&self) -> String {
        let git = |args: &[&str]| {
            let output = Command::new("git")
                .arg("-C")
                .arg(&self.root)
                .args(args)
                .output()
                .ok()?;
            output
                .status
                .success()
                .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
        };
        match (
            git(&["log", "-1", "--format=%h %s"]),
            git(&["status", "--porcelain"]),
        ) {
            (Some(commit), Some(status)) => {
                let changes = if status.trim().is_empty() {
                    ""
                } else {
                    " (+ uncommitted changes)"
                };
                format!("{}{changes}", commit.trim())
            }
            _ => "(not a git checkout)".to_owned(),
        }
    }
}

/// `name = { version = ..., default-features = ..., features = [...] }`, from the dependency
/// `name` of `package` (of `kind`: `None` for a normal dependency, `Some("dev")`).
fn dependency_line(
    metadata: &Value,
    package: &str,
    kind: Option<&str>,
    name: &str,
) -> Result<String> {
    let dependency = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == package)
        .flat_map(|p| p["dependencies"].as_array().into_iter().flatten())
        .find(|d| d["name"] == name && d["kind"].as_str() == kind)
        .ok_or_else(|| {
            format!(
                "the checkout's package `{package}` has no {}dependency `{name}`; this tool \
                 reads the version to use from there, so it needs updating along with that \
                 Cargo.toml",
                kind.map(|k| format!("{k}-")).unwrap_or_default()
            )
        })?;
    Ok(format!(
        "{name} = {{ version = {}, default-features = {}, features = {} }}",
        dependency["req"], dependency["uses_default_features"], dependency["features"]
    ))
}

/// One of the measured projects.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Project {
    Plain,
    WithCors,
    TowerHttp,
}

/// The handler every project runs: it reads a header, so the event is not optimized away.
const HANDLER: &str = r##"async fn handler(event: Request) -> Result<Response<Body>, Error> {
    let agent = event.headers().get("user-agent").map_or(0, |value| value.len());
    let body = format!(r#"{{"ok":true,"agent":{agent}}}"#);
    Ok(Response::builder()
        .header("content-type", "application/json")
        .body(Body::from(body))?)
}
"##;

/// `main`'s set-up of tower-http's `CorsLayer`, the policy of `with-cors`'s `#[cors]`: the
/// origins of `ALLOWED_ORIGINS` (separated by spaces or commas), credentials, the request's
/// headers mirrored, the default methods (`cors_runtime::DEFAULT_METHODS`), and ten minutes of
/// max age (`cors_runtime::DEFAULT_MAX_AGE`).
const TOWER_HTTP_LAYER: &str = r#"    let origins = std::env::var("ALLOWED_ORIGINS")?;
    let origins = origins
        .split([' ', ','])
        .filter(|origin| !origin.is_empty())
        .map(HeaderValue::from_str)
        .collect::<Result<Vec<_>, _>>()?;
    let methods = [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_headers(AllowHeaders::mirror_request())
        .allow_methods(methods)
        .max_age(Duration::from_secs(600));
"#;

impl Project {
    fn name(self) -> &'static str {
        match self {
            Project::Plain => "plain",
            Project::WithCors => "with-cors",
            Project::TowerHttp => "tower-http",
        }
    }

    /// The package (and binary) name: the project's name, prefixed so that it names no
    /// dependency.
    fn package(self) -> String {
        format!("fn-{}", self.name())
    }

    fn manifest(self, checkout: &Checkout) -> Result<String> {
        let mut dependencies = vec![checkout.lambda_http.clone(), checkout.tokio.clone()];
        match self {
            Project::Plain => {}
            Project::WithCors => {
                let path = checkout.root.join("cors-runtime");
                let path = path.to_str().ok_or(format!(
                    "{} is not valid UTF-8, which a Cargo.toml cannot name; move the checkout",
                    path.display()
                ))?;
                dependencies.push(format!("cors-runtime = {{ path = {} }}", Value::from(path)));
            }
            Project::TowerHttp => dependencies.push(checkout.tower_http.clone()),
        }
        Ok(format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             # Not a member of the workspace whose target directory holds it.\n[workspace]\n\n\
             [dependencies]\n{}\n\n\
             [profile.release]\nstrip = true\nlto = \"thin\"\ncodegen-units = 1\n",
            self.package(),
            dependencies.join("\n")
        ))
    }

    fn main_rs(self) -> String {
        let (imports, attribute, check, service) = match self {
            Project::Plain => ("", "", "", "service_fn(handler)"),
            Project::WithCors => (
                "use cors_runtime::cors;\n",
                "#[cors(origins_env = \"ALLOWED_ORIGINS\", credentials)]\n",
                "    cors_runtime::check()?;\n",
                "service_fn(handler)",
            ),
            Project::TowerHttp => (
                "use lambda_http::http::{HeaderValue, Method};\n\
                 use lambda_http::tower::Layer;\n\
                 use std::time::Duration;\n\
                 use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};\n",
                "",
                TOWER_HTTP_LAYER,
                "cors.layer(service_fn(handler))",
            ),
        };
        format!(
            "use lambda_http::{{Body, Error, Request, Response, service_fn}};\n{imports}\n\
             {attribute}{HANDLER}\n\
             #[tokio::main]\nasync fn main() -> Result<(), Error> {{\n{check}    \
             lambda_http::run({service}).await\n}}\n"
        )
    }

    /// Writes the project under `out` (files only when they changed, so that a `size` run
    /// rebuilds only what differs) with the checkout's `Cargo.lock`, and resolves it.
    fn set_up(self, checkout: &Checkout, out: &Path, notes: &mut String) -> Result<PathBuf> {
        let dir = out.join(self.name());
        let src = dir.join("src");
        fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
        for (path, text) in [
            (dir.join("Cargo.toml"), self.manifest(checkout)?),
            (src.join("main.rs"), self.main_rs()),
        ] {
            if fs::read_to_string(&path).ok().as_ref() != Some(&text) {
                fs::write(&path, text)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
        }
        let lock = dir.join("Cargo.lock");
        fs::copy(checkout.root.join("Cargo.lock"), &lock).map_err(|e| {
            format!(
                "cannot copy the checkout's Cargo.lock to {}: {e}",
                lock.display()
            )
        })?;
        // Resolve (and check that every crate is here) offline; online once if that fails.
        if cargo_in(&dir)
            .args(["fetch", "--offline"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Ok(dir);
        }
        let note = format!(
            "{}: resolving the dependencies offline failed, so they were resolved online",
            self.name()
        );
        eprintln!("footprint: {note}");
        let _ = writeln!(notes, "\nNote: {note}.");
        run_cargo(
            cargo_in(&dir).arg("fetch"),
            &format!("resolving {}", self.name()),
        )?;
        Ok(dir)
    }
}

/// `cargo` in `dir`, with the environment's target directory settings removed.
fn cargo_in(dir: &Path) -> Command {
    let mut command = Command::new(cargo());
    command
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    command
}

/// Runs `command`, returning its standard output; on failure, the end of its standard error.
fn run_cargo(command: &mut Command, what: &str) -> Result<String> {
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

fn size(checkout: &Checkout, out: &Path) -> Result<String> {
    let projects = [Project::Plain, Project::WithCors, Project::TowerHttp];
    let target = out.join("target-size");
    let mut notes = String::new();
    let mut binaries = Vec::new();
    for project in projects {
        let dir = project.set_up(checkout, out, &mut notes)?;
        let build = ["build", "--release", "--offline", "--target-dir"];
        let what = format!("building {}", project.name());
        run_cargo(cargo_in(&dir).args(build).arg(&target), &what)?;
        let binary = target.join("release").join(project.package());
        let bytes = fs::read(&binary)
            .map_err(|e| format!("no binary at {} after the build: {e}", binary.display()))?;
        binaries.push(bytes);
    }
    let mut report = format!(
        "# Footprint: binary size\n\n{}{notes}\n\
         | project | stripped binary (bytes) | Δ vs plain (bytes) | Δ (KiB) | Δ (%) |\n\
         |---|---:|---:|---:|---:|\n",
        checkout.header()
    );
    let plain = binaries[0].len() as f64;
    for (project, binary) in projects.iter().zip(&binaries) {
        let delta = binary.len() as f64 - plain;
        let (kib, percent) = (delta / 1024.0, 100.0 * delta / plain);
        let name = project.name();
        let _ = writeln!(
            report,
            "| {name} | {} | {delta:+} | {kib:+.1} | {percent:+.1} |",
            binary.len()
        );
    }

    // Where the bytes are: the sections that differ (ELF only).
    let sections: Option<Vec<BTreeMap<String, u64>>> =
        binaries.iter().map(|b| elf_sections(b)).collect();
    if let Some(sections) = sections {
        let names: BTreeSet<&String> = sections.iter().flat_map(|s| s.keys()).collect();
        let size = |p: usize, name: &String| sections[p].get(name).copied().unwrap_or(0) as i64;
        let mut rows: Vec<(&String, [i64; 3])> = names
            .into_iter()
            .map(|name| (name, [0, 1, 2].map(|p| size(p, name))))
            .filter(|(_, [plain, cors, tower])| plain != cors || plain != tower)
            .collect();
        rows.sort_by_key(|&(name, [plain, cors, _])| (plain - cors, name));
        report.push_str(
            "\n## Sections that differ (stripped binaries, bytes)\n\n\
             | section | plain | with-cors | Δ | tower-http | Δ |\n|---|---:|---:|---:|---:|---:|\n",
        );
        for (name, [plain, cors, tower]) in rows {
            let (d_cors, d_tower) = (cors - plain, tower - plain);
            let _ = writeln!(
                report,
                "| {name} | {plain} | {cors} | {d_cors:+} | {tower} | {d_tower:+} |"
            );
        }
    }

    let has_bloat = Command::new(cargo()).args(["bloat", "--version"]).output();
    if !has_bloat.is_ok_and(|o| o.status.success()) {
        report.push_str(
            "\n`cargo bloat` is not installed (`cargo install cargo-bloat`): no sizes per crate.\n",
        );
        return Ok(report);
    }
    let bloat_target = out.join("target-bloat");
    let mut crates = Vec::new();
    for project in [Project::Plain, Project::WithCors] {
        let json = run_cargo(
            cargo_in(&out.join(project.name()))
                .args([
                    "bloat",
                    "--release",
                    "--crates",
                    "-n",
                    "0",
                    "--message-format",
                    "json",
                ])
                .arg("--target-dir")
                .arg(&bloat_target)
                // bloat reads the symbol table: the same build, not stripped.
                .env("CARGO_PROFILE_RELEASE_STRIP", "false")
                .env("CARGO_NET_OFFLINE", "true"),
            &format!("cargo bloat on {}", project.name()),
        )?;
        crates.push(bloat_crates(&json, &project.package().replace('-', "_"))?);
    }
    report.push_str(&bloat_table(&crates[0], &crates[1]));
    Ok(report)
}

/// The file bytes of each section of a 64-bit little-endian ELF file (`None` for another
/// format, or a file too short for its headers): `.bss`-like sections take none.
fn elf_sections(file: &[u8]) -> Option<BTreeMap<String, u64>> {
    let bytes = |at: usize, n: usize| file.get(at..at.checked_add(n)?);
    let u16_at = |at| Some(u16::from_le_bytes(bytes(at, 2)?.try_into().ok()?) as usize);
    let u32_at = |at| Some(u32::from_le_bytes(bytes(at, 4)?.try_into().ok()?));
    let u64_at = |at| Some(u64::from_le_bytes(bytes(at, 8)?.try_into().ok()?));
    if bytes(0, 6)? != b"\x7fELF\x02\x01" {
        return None;
    }
    let (offset, entry, count) = (
        usize::try_from(u64_at(0x28)?).ok()?,
        u16_at(0x3a)?,
        u16_at(0x3c)?,
    );
    // A header's place, within the file (so that adding a field's offset cannot overflow).
    let header = |i: usize| {
        let at = offset.checked_add(i.checked_mul(entry)?)?;
        (at < file.len()).then_some(at)
    };
    let names = usize::try_from(u64_at(header(u16_at(0x3e)?)? + 0x18)?).ok()?;
    let mut sections = BTreeMap::new();
    for i in 1..count {
        let at = header(i)?;
        const SHT_NOBITS: u32 = 8;
        if u32_at(at + 4)? == SHT_NOBITS {
            continue;
        }
        let name_at = names.checked_add(u32_at(at)? as usize)?;
        let name = file.get(name_at..)?.split(|&b| b == 0).next()?;
        *sections
            .entry(String::from_utf8_lossy(name).into_owned())
            .or_default() += u64_at(at + 0x20)?;
    }
    Some(sections)
}

/// The `.text` bytes per crate from `cargo bloat --crates --message-format json`, the
/// project's own crate renamed `(the function)` so that the projects compare.
fn bloat_crates(json: &str, own_crate: &str) -> Result<BTreeMap<String, i64>> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| format!("`cargo bloat` printed no JSON ({e}): is it an old version?"))?;
    let mut crates = BTreeMap::new();
    for entry in value["crates"].as_array().into_iter().flatten() {
        let (Some(name), Some(size)) = (entry["name"].as_str(), entry["size"].as_i64()) else {
            return Err(format!("unexpected entry in `cargo bloat`'s JSON: {entry}"));
        };
        let name = if name == own_crate {
            "(the function)"
        } else {
            name
        };
        *crates.entry(name.to_owned()).or_default() += size;
    }
    let total = value["text-section-size"].as_i64().unwrap_or_default();
    crates.insert(TEXT_TOTAL.to_owned(), total);
    Ok(crates)
}

/// The key of [`bloat_crates`]'s `.text` size.
const TEXT_TOTAL: &str = "**.text, in all**";

/// The crates side by side: those that differ by decreasing difference, then the others by
/// size; 30 rows at most, the rest summed up.
fn bloat_table(plain: &BTreeMap<String, i64>, cors: &BTreeMap<String, i64>) -> String {
    let names: BTreeSet<&String> = plain.keys().chain(cors.keys()).collect();
    let size = |map: &BTreeMap<String, i64>, name: &str| map.get(name).copied().unwrap_or(0);
    let mut rows: Vec<(String, i64, i64)> = names
        .into_iter()
        .filter(|name| *name != TEXT_TOTAL)
        .map(|name| (name.clone(), size(plain, name), size(cors, name)))
        .collect();
    rows.sort_by_key(|(name, plain, cors)| (cors == plain, plain - cors, -plain, name.clone()));
    if rows.len() > 30 {
        let rest = rows.split_off(29);
        let (plain, cors) = rest
            .iter()
            .fold((0, 0), |(p, c), row| (p + row.1, c + row.2));
        rows.push((format!("{} more crates", rest.len()), plain, cors));
    }
    rows.push((
        TEXT_TOTAL.to_owned(),
        size(plain, TEXT_TOTAL),
        size(cors, TEXT_TOTAL),
    ));
    let mut table = "\n## Size per crate (`cargo bloat --crates`: `.text` only, symbols kept)\n\n\
                     | crate | plain (bytes) | with-cors (bytes) | Δ (bytes) |\n|---|---:|---:|---:|\n"
        .to_owned();
    for (name, plain, cors) in rows {
        let _ = writeln!(table, "| {name} | {plain} | {cors} | {:+} |", cors - plain);
    }
    table
}

/// The units of `cargo-timing.html`: its script's `const UNIT_DATA = [...]` array, whose
/// entries have `name`, `version`, `target` (`""` for a library, ` name "bin"`, ` build
/// script`, ...) and `duration` (seconds). The project's own binary is renamed `(the function)`.
fn timing_units(html: &str, own_package: &str) -> Result<Vec<(String, f64)>> {
    let start = html
        .find("const UNIT_DATA = ")
        .ok_or("no `const UNIT_DATA = ` in the timing report: has cargo changed its format?")?;
    let json = &html[start + "const UNIT_DATA = ".len()..];
    let units: Vec<Value> = serde_json::Deserializer::from_str(json)
        .into_iter()
        .next()
        .ok_or("an empty UNIT_DATA in the timing report")?
        .map_err(|e| format!("UNIT_DATA in the timing report is not JSON: {e}"))?;
    units
        .iter()
        .map(|unit| {
            let (Some(name), Some(version), Some(target), Some(seconds)) = (
                unit["name"].as_str(),
                unit["version"].as_str(),
                unit["target"].as_str(),
                unit["duration"].as_f64(),
            ) else {
                return Err(format!("unexpected unit in the timing report: {unit}"));
            };
            let label = if name == own_package {
                "(the function)".to_owned()
            } else {
                format!("{name} v{version}{target}")
            };
            Ok((label, seconds))
        })
        .collect()
}

/// One clean build's figures.
#[derive(Debug)]
struct Round {
    wall: Duration,
    /// The CPU time (user and system) of the build's processes, when known.
    cpu: Option<f64>,
    /// The 1-minute load average when the build ended, when known.
    load: Option<f64>,
    /// Per unit name: how many units have it, and their time added up. A crate can be built
    /// twice: for the host, as a dependency of a proc macro or build script (with the
    /// `build-override` profile), and for the binary.
    units: BTreeMap<String, (usize, f64)>,
}

impl Round {
    fn summed(&self) -> f64 {
        self.units.values().map(|unit| unit.1).sum()
    }
}

fn clean_build(project: Project, dir: &Path, round: usize, rounds: usize) -> Result<Round> {
    let target = dir.join("target");
    if target.exists() {
        fs::remove_dir_all(&target)
            .map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
    }
    let (started, cpu_before) = (Instant::now(), children_cpu_time());
    run_cargo(
        cargo_in(dir)
            .args([
                "build",
                "--release",
                "--offline",
                "--timings",
                "--target-dir",
            ])
            .arg(&target),
        &format!("clean build of {} (round {round}/{rounds})", project.name()),
    )?;
    let wall = started.elapsed();
    let cpu = Option::zip(children_cpu_time(), cpu_before).map(|(after, before)| after - before);
    let html_path = target.join("cargo-timings/cargo-timing.html");
    let html = fs::read_to_string(&html_path)
        .map_err(|e| format!("cannot read the timing report {}: {e}", html_path.display()))?;
    let mut units = BTreeMap::<String, (usize, f64)>::new();
    for (label, seconds) in timing_units(&html, &project.package())? {
        let entry = units.entry(label).or_default();
        *entry = (entry.0 + 1, entry.1 + seconds);
    }
    let load = fs::read_to_string("/proc/loadavg").ok();
    let load = load.and_then(|l| l.split_whitespace().next()?.parse().ok());
    Ok(Round {
        wall,
        cpu,
        load,
        units,
    })
}

/// The CPU time (user and system, in seconds) of this process's finished children and their
/// own finished children: `cutime` and `cstime` of `/proc/self/stat`, in clock ticks
/// (`getconf CLK_TCK`). `None` where there is no `/proc` (not Linux).
fn children_cpu_time() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (in parentheses, which may hold spaces), from the
    // third: `cutime` and `cstime` are the 16th and 17th.
    let fields: Vec<&str> = stat
        .get(stat.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    let per_second = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<f64>()
                .ok()
        })
        .unwrap_or(100.0);
    Some(ticks / per_second)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// One unit name's time in every round of `plain` (`[0]`) and `with-cors` (`[1]`), `None` in
/// a round without it.
#[derive(Debug)]
struct UnitTimes<'a> {
    label: &'a str,
    times: [Vec<Option<f64>>; 2],
    /// How many units have the name, at most, in each project.
    counts: [usize; 2],
}

impl UnitTimes<'_> {
    /// The label, with `×2` for a crate built twice (`×1 → ×2` where only with-cors builds it
    /// twice).
    fn name(&self) -> String {
        match self.counts {
            [0 | 1, 0 | 1] => self.label.to_owned(),
            [plain, cors] if plain == cors || plain == 0 => format!("{} ×{cors}", self.label),
            [plain, cors] => format!("{} ×{plain} → ×{cors}", self.label),
        }
    }

    /// Whether with-cors builds it and plain does not, or builds it more often.
    fn added(&self) -> bool {
        self.counts[1] > self.counts[0]
    }

    /// The median over the rounds that have the unit.
    fn median(&self, project: usize) -> Option<f64> {
        let present: Vec<f64> = self.times[project].iter().flatten().copied().collect();
        (!present.is_empty()).then(|| median(present))
    }

    /// with-cors − plain, of the medians.
    fn delta(&self) -> f64 {
        self.median(1).unwrap_or(0.0) - self.median(0).unwrap_or(0.0)
    }
}

fn seconds(time: Option<f64>) -> String {
    time.map_or("—".to_owned(), |t| format!("{t:.2}"))
}

fn build(checkout: &Checkout, out: &Path, rounds: usize) -> Result<String> {
    let mut notes = String::new();
    let projects = [Project::Plain, Project::WithCors];
    let dirs = projects
        .iter()
        .map(|project| project.set_up(checkout, out, &mut notes))
        .collect::<Result<Vec<_>>>()?;
    let started = Instant::now();
    // results[p][r]: the rounds alternate between the projects, so that the machine's noise
    // falls on both.
    let mut results: [Vec<Round>; 2] = [Vec::new(), Vec::new()];
    for round in 1..=rounds {
        for (p, project) in projects.iter().enumerate() {
            results[p].push(clean_build(*project, &dirs[p], round, rounds)?);
        }
    }
    let header = format!(
        "# Footprint: clean release build\n\n{}{notes}\n{rounds} rounds, {:.0} s \
         in all. Summed unit time: the durations of every unit of `cargo build --timings` added \
         up.\n\n",
        checkout.header(),
        started.elapsed().as_secs_f64()
    );
    Ok(build_report(header, &results))
}

/// The report of `build` after `header`, from `results[p][r]` (`p`: plain, with-cors; `r`: the
/// round).
fn build_report(mut report: String, results: &[Vec<Round>; 2]) -> String {
    report.push_str(
        "| round | project | summed unit time (s) | CPU time (s) | wall (s) | units | load |\n\
         |---|---|---:|---:|---:|---:|---:|\n",
    );
    for (round, pair) in results[0].iter().zip(&results[1]).enumerate() {
        for (project, r) in [("plain", pair.0), ("with-cors", pair.1)] {
            let (summed, cpu, wall) = (r.summed(), seconds(r.cpu), r.wall.as_secs_f64());
            let units: usize = r.units.values().map(|unit| unit.0).sum();
            let load = r.load.map_or("—".to_owned(), |l| format!("{l:.1}"));
            let _ = writeln!(
                report,
                "| {} | {project} | {summed:.1} | {cpu} | {wall:.1} | {units} | {load} |",
                round + 1
            );
        }
    }
    report.push_str(
        "\n## Medians\n\n| | plain | with-cors | with-cors − plain |\n|---|---:|---:|---:|\n",
    );
    type Metric = fn(&Round) -> Option<f64>;
    let metrics: [(&str, Metric); 3] = [
        ("summed unit time (s)", |r| Some(r.summed())),
        ("CPU time (s)", |r| r.cpu),
        ("wall (s)", |r| Some(r.wall.as_secs_f64())),
    ];
    for (name, metric) in metrics {
        let [plain, cors] = [0, 1].map(|p| {
            let values: Vec<f64> = results[p].iter().filter_map(metric).collect();
            (!values.is_empty()).then(|| median(values))
        });
        let delta = Option::zip(cors, plain).map(|(cors, plain)| cors - plain);
        let (plain, cors) = (seconds(plain), seconds(cors));
        let delta = delta.map_or("—".to_owned(), |d| format!("{d:+.2}"));
        let _ = writeln!(report, "| {name} | {plain} | {cors} | {delta} |");
    }

    let labels: BTreeSet<&String> = results
        .iter()
        .flatten()
        .flat_map(|r| r.units.keys())
        .collect();
    let mut units: Vec<UnitTimes<'_>> = labels
        .into_iter()
        .map(|label| {
            let unit = |p: usize| results[p].iter().map(|r| r.units.get(label).copied());
            UnitTimes {
                label,
                times: [0, 1].map(|p| unit(p).map(|u| Some(u?.1)).collect()),
                counts: [0, 1].map(|p| unit(p).map(|u| u.map_or(0, |u| u.0)).max().unwrap_or(0)),
            }
        })
        .collect();
    units.sort_by(|a, b| b.delta().total_cmp(&a.delta()).then(a.label.cmp(b.label)));

    let row = |report: &mut String, unit: &UnitTimes<'_>| {
        let (plain, cors) = (seconds(unit.median(0)), seconds(unit.median(1)));
        let (name, delta) = (unit.name(), unit.delta());
        let _ = writeln!(report, "| {name} | {plain} | {cors} | {delta:+.2} |");
    };
    report.push_str(
        "\n## What with-cors adds: the units only it builds, or builds more often (medians)\n\n\
         `×2`: built twice, for the host (under a proc macro or build script) and for the binary; \
         the times added.\n\n| unit | plain (s) | with-cors (s) | Δ (s) |\n|---|---:|---:|---:|\n",
    );
    let added: Vec<&UnitTimes<'_>> = units.iter().filter(|u| u.added()).collect();
    for unit in &added {
        row(&mut report, unit);
    }
    let total: f64 = added.iter().map(|u| u.delta()).sum();
    let _ = writeln!(report, "| **in all** | | | {total:+.2} |");
    report.push_str(
        "\nThe units both build, slower in with-cors by over 0.5 s and 10 % (medians; mostly \
         noise when the machine is busy):\n\n\
         | unit | plain (s) | with-cors (s) | Δ (s) |\n|---|---:|---:|---:|\n",
    );
    let slower = |u: &&UnitTimes<'_>| {
        !u.added() && u.delta() > 0.5 && u.delta() > 0.1 * u.median(0).unwrap_or(0.0)
    };
    for unit in units.iter().filter(slower) {
        row(&mut report, unit);
    }
    report.push_str("\nThe library's own units (medians, with-cors):\n\n");
    for package in ["cors-macro", "cors-grammar", "cors-runtime"] {
        let own: Vec<&UnitTimes<'_>> = units
            .iter()
            .filter(|u| u.label.starts_with(&format!("{package} v")))
            .collect();
        let total: f64 = own.iter().filter_map(|u| u.median(1)).sum();
        let names: Vec<String> = own.iter().map(|u| u.name()).collect();
        let _ = writeln!(report, "- `{package}`: {total:.2} s ({})", names.join(", "));
    }

    report.push_str(
        "\n## Every unit, per round (s: round 1 / 2 / ...; — when absent)\n\n\
         | unit | plain | with-cors | Δ of medians |\n|---|---|---|---:|\n",
    );
    for unit in &units {
        let [plain, cors] = &unit.times.each_ref().map(|times| {
            times
                .iter()
                .map(|&t| seconds(t))
                .collect::<Vec<_>>()
                .join(" / ")
        });
        let _ = writeln!(
            report,
            "| {} | {plain} | {cors} | {:+.2} |",
            unit.name(),
            unit.delta()
        );
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn arguments() {
        let options = parse_args(args("build --rounds 5 --checkout x")).unwrap();
        assert!(options.build);
        assert_eq!((options.rounds, options.checkout), (5, PathBuf::from("x")));
        assert_eq!(parse_args(args("size")).unwrap().checkout, workspace_root());
        for bad in [
            "",
            "sizes",
            "size --rounds 2",
            "build --rounds 0",
            "build --checkout",
        ] {
            assert!(parse_args(args(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn units_of_a_timing_report() {
        let html = r#"<script>
DURATION = 1;
const UNIT_DATA = [
  {"i": 0, "name": "itoa", "version": "1.0.19", "mode": "todo", "target": "",
   "start": 0.11, "duration": 0.2, "sections": [["frontend", {"start": 0.0, "end": 0.12}]]},
  {"i": 1, "name": "fn-plain", "version": "0.1.0", "mode": "todo",
   "target": " fn-plain \"bin\"", "start": 0.31, "duration": 0.12, "sections": null}
];
const CONCURRENCY_DATA = [];"#;
        let units = timing_units(html, "fn-plain").unwrap();
        let units: Vec<_> = units
            .iter()
            .map(|(label, time)| (label.as_str(), *time))
            .collect();
        assert_eq!(units, [("itoa v1.0.19", 0.2), ("(the function)", 0.12)]);
        assert!(timing_units("<html></html>", "fn-plain").is_err());
        assert!(timing_units("const UNIT_DATA = [{\"name\": 1}];", "fn-plain").is_err());
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0]), 2.5);
    }

    #[test]
    fn a_build_report() {
        let round = |macro_time: Option<f64>| Round {
            wall: Duration::from_secs(60),
            cpu: None,
            load: Some(2.0),
            units: [
                ("tokio v1.0.0", Some(10.0)),
                ("cors-macro v0.1.0", macro_time),
            ]
            .into_iter()
            .filter_map(|(label, time)| Some((label.to_owned(), (1, time?))))
            .collect(),
        };
        let results = [
            vec![round(None), round(None)],
            vec![round(Some(2.0)), round(Some(4.0))],
        ];
        let report = build_report(String::new(), &results);
        assert!(
            report.contains("| summed unit time (s) | 10.00 | 13.00 | +3.00 |"),
            "{report}"
        );
        assert!(
            report.contains("| cors-macro v0.1.0 | — | 3.00 | +3.00 |"),
            "{report}"
        );
        assert!(
            report.contains("- `cors-macro`: 3.00 s (cors-macro v0.1.0)"),
            "{report}"
        );
    }

    #[test]
    fn sections_of_an_elf_file() {
        assert_eq!(elf_sections(b"\x7fELF\x02\x01 too short"), None);
        assert_eq!(elf_sections(b"MZ not an ELF file"), None);
        #[cfg(all(
            target_os = "linux",
            target_pointer_width = "64",
            target_endian = "little"
        ))]
        {
            let exe = fs::read(std::env::current_exe().unwrap()).unwrap();
            let sections = elf_sections(&exe).unwrap();
            assert!(sections[".text"] > 0, "{sections:?}");
            assert!(!sections.contains_key(".bss"), "{sections:?}");
        }
    }
}
