//! The catalogue of compile errors in the `#[cors]` reference (the page
//! `cors_runtime::reference::compile_errors`, `cors-runtime/docs/reference/compile_errors.md`) is
//! exactly what the UI tests (`tests/ui/tests/fail/*.stderr`) show users get: every message users
//! can see is in the catalogue, every error message any reference page shows is one they can see,
//! and the catalogue is the `.stderr` files themselves, rendered.
//!
//! After a UI test is added or its `.stderr` changes, regenerate the section with
//! `DOCS=overwrite cargo test -p cors-ui-tests --test docs_catalogue` and read the diff.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The catalogue's page, under `cors-runtime/docs/`.
const CATALOGUE_PAGE: &str = "reference/compile_errors.md";
const BEGIN: &str = "<!-- catalogue:";
const END: &str = "<!-- end of catalogue -->";
const REGISTRY_COPY: &str = concat!(
    "~/.cargo/registry/src/index.crates.io-…/cors-runtime-",
    env!("CARGO_PKG_VERSION"),
    "/"
);

/// A section's title, and whether a UI case (by file stem) belongs in it.
type Section = (&'static str, fn(&str) -> bool);

/// The sections of the catalogue, in order. A case goes in the first section whose rule
/// matches; the last one takes whatever no other rule does.
const SECTIONS: &[Section] = &[
    ("Arguments and flags", |name| {
        [
            "unknown-argument",
            "repeated-",
            "flag-",
            "list-",
            "crate-",
            "no-arguments",
            "preflight-",
            "allow-insecure-http-",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
            || name.ends_with("-without-preflight")
    }),
    ("Origins", |name| {
        [
            "origin",
            "wildcard-origin",
            "wildcard-in-origin",
            "wildcard-before",
            "wildcard-beside",
        ]
        .iter()
        .chain(&[
            "wildcard-not-",
            "wildcard-inside",
            "wildcard-under",
            "deep-wildcard-",
            "port-wildcard-",
            "plain-http-",
            "no-origins",
        ])
        .any(|prefix| name.starts_with(prefix))
    }),
    ("Methods", |name| {
        name.starts_with("method-") || name.starts_with("wildcard-methods")
    }),
    ("Headers", |name| {
        [
            "header-",
            "expose-header",
            "wildcard-headers",
            "wildcard-expose-headers",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
    }),
    ("`max_age`", |name| name.starts_with("max-age-")),
    ("The annotated function", |name| {
        name.starts_with("handler-") || name == "not-a-function"
    }),
    ("`cors_layer!`", |name| name.starts_with("layer-")),
    ("Several mistakes at once", |name| name.contains("mistakes")),
    ("Other mistakes", |_| true),
];

struct Case {
    name: String,
    stderr: String,
}

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fail")
}

/// The reference's pages: the attribute's own, and one per module of `cors_runtime::reference`.
fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cors-runtime/docs")
}

/// The page that holds the catalogue.
fn docs_path() -> PathBuf {
    docs_dir().join(CATALOGUE_PAGE)
}

/// Every compile-fail case with its expected output, by file name.
fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = fs::read_dir(ui_dir())
        .expect("tests/ui/tests/fail exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "stderr"))
        .map(|path| Case {
            name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            stderr: fs::read_to_string(&path).expect("readable .stderr"),
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        !cases.is_empty(),
        "no .stderr files in {}",
        ui_dir().display()
    );
    cases
}

/// The catalogue section: each case's output as the user sees it, under its section.
fn render(cases: &[Case]) -> String {
    let mut out = String::new();
    for (index, (section, _)) in SECTIONS.iter().enumerate() {
        let members: Vec<&Case> = cases
            .iter()
            .filter(|case| section_of(&case.name) == index)
            .collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!("\n# {section}\n"));
        for case in members {
            // Paths as a user of the published crate sees them.
            let stderr = case
                .stderr
                .replace(&format!("tests/fail/{}.rs", case.name), "src/main.rs")
                .replace("$WORKSPACE/cors-runtime/", REGISTRY_COPY);
            let stderr: Vec<&str> = stderr.lines().map(str::trim_end).collect();
            out.push_str(&format!(
                "\n{}:\n\n```text\n{}\n```\n",
                title(&case.name),
                stderr.join("\n").trim_end()
            ));
        }
    }
    out.push('\n');
    out
}

fn section_of(name: &str) -> usize {
    SECTIONS
        .iter()
        .position(|(_, belongs)| belongs(name))
        .expect("the last section takes every case")
}

/// `origin-with-trailing-slash` → `Origin with trailing slash`.
fn title(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// `docs` with the catalogue section replaced by `catalogue`.
fn with_catalogue(docs: &str, catalogue: &str) -> String {
    let (head, after_begin) = split_catalogue(docs);
    let begin_end = after_begin.find("-->").expect("the begin marker is closed") + "-->".len();
    let end = after_begin.find(END).expect("end marker");
    format!(
        "{head}{}\n{catalogue}{}",
        &after_begin[..begin_end],
        &after_begin[end..]
    )
}

/// The text before the catalogue's begin marker, and from it on.
fn split_catalogue(docs: &str) -> (&str, &str) {
    let begin = docs.find(BEGIN).unwrap_or_else(|| {
        panic!("{CATALOGUE_PAGE} has no `{BEGIN}` marker for the catalogue of compile errors")
    });
    assert!(
        docs[begin..].contains(END),
        "{CATALOGUE_PAGE} has no `{END}` marker"
    );
    docs.split_at(begin)
}

/// The catalogue's page, regenerated first when `DOCS=overwrite`.
fn docs() -> &'static str {
    static DOCS: OnceLock<String> = OnceLock::new();
    DOCS.get_or_init(|| {
        let path = docs_path();
        let docs = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if std::env::var_os("DOCS").is_some_and(|mode| mode == "overwrite") {
            let updated = with_catalogue(&docs, &render(&cases()));
            if updated != docs {
                fs::write(&path, &updated).expect("the catalogue's page is writable");
                eprintln!("updated the catalogue in {}", path.display());
            }
            return updated;
        }
        docs
    })
}

/// The `error:` and `error[E…]:` lines of `text`, as the compiler prints them.
fn error_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim_end)
        .filter(|line| line.starts_with("error:") || line.starts_with("error["))
}

/// The error messages shown in the ```` ```text ```` blocks of the docs.
fn documented_messages(docs: &str) -> BTreeSet<&str> {
    let mut messages = BTreeSet::new();
    let mut in_text_block = false;
    for line in docs.lines() {
        let trimmed = line.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            in_text_block = !in_text_block && info == "text";
            continue;
        }
        if in_text_block {
            messages.extend(error_lines(line));
        }
    }
    messages
}

fn stderr_messages(cases: &[Case]) -> BTreeSet<String> {
    cases
        .iter()
        .flat_map(|case| error_lines(&case.stderr).map(str::to_owned))
        .collect()
}

/// Every page of the reference except the catalogue's, by path under `cors-runtime/docs/`.
fn other_pages() -> Vec<(String, String)> {
    fn walk(dir: &Path, pages: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).expect("readable docs directory") {
            let path = entry.expect("readable directory").path();
            if path.is_dir() {
                walk(&path, pages);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                let name = path.strip_prefix(docs_dir()).expect("under docs/");
                let name = name.to_string_lossy().replace('\\', "/");
                if name != CATALOGUE_PAGE {
                    let text = fs::read_to_string(&path).expect("readable page");
                    pages.push((name, text));
                }
            }
        }
    }
    let mut pages = Vec::new();
    walk(&docs_dir(), &mut pages);
    pages.sort();
    assert!(
        pages.iter().any(|(name, _)| name == "cors.md"),
        "cors-runtime/docs/cors.md (the attribute's page) is missing"
    );
    pages
}

#[test]
fn every_error_users_see_is_documented() {
    let documented = documented_messages(docs());
    let missing: Vec<String> = stderr_messages(&cases())
        .into_iter()
        .filter(|message| !documented.contains(message.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "these compile errors are in tests/ui/tests/fail/*.stderr but not in \
         cors-runtime/docs/{CATALOGUE_PAGE} (regenerate with \
         `DOCS=overwrite cargo test -p cors-ui-tests --test docs_catalogue`):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_documented_error_is_one_users_see() {
    let seen = stderr_messages(&cases());
    let mut stale: Vec<String> = documented_messages(docs())
        .into_iter()
        .filter(|message| !seen.contains(*message))
        .map(|message| format!("{CATALOGUE_PAGE}: {message}"))
        .collect();
    // The other pages quote no catalogue of their own, but any compile error they show must be
    // one users get (they are not regenerated: fix them by hand).
    for (name, text) in other_pages() {
        stale.extend(
            documented_messages(&text)
                .into_iter()
                .filter(|message| !seen.contains(*message))
                .map(|message| format!("{name}: {message}")),
        );
    }
    assert!(
        stale.is_empty(),
        "cors-runtime/docs/ shows compile errors that no tests/ui/tests/fail/*.stderr has \
         (regenerate the catalogue with \
         `DOCS=overwrite cargo test -p cors-ui-tests --test docs_catalogue`):\n{}",
        stale.join("\n")
    );
}

#[test]
fn the_catalogue_is_the_stderr_files_rendered() {
    let docs = docs();
    let expected = with_catalogue(docs, &render(&cases()));
    if expected != docs {
        let (_, ours) = split_catalogue(docs);
        let (_, theirs) = split_catalogue(&expected);
        let difference = ours
            .lines()
            .zip(theirs.lines())
            .find(|(ours, theirs)| ours != theirs)
            .map_or_else(
                || "one is a prefix of the other".to_owned(),
                |(ours, theirs)| format!("docs:     {ours}\nexpected: {theirs}"),
            );
        panic!(
            "the catalogue in cors-runtime/docs/{CATALOGUE_PAGE} is out of date; regenerate it \
             with `DOCS=overwrite cargo test -p cors-ui-tests --test docs_catalogue`; first \
             difference:\n{difference}"
        );
    }
}

#[test]
fn every_case_has_a_section_and_a_message() {
    for case in cases() {
        assert!(
            error_lines(&case.stderr).next().is_some(),
            "{}.stderr has no `error` line",
            case.name
        );
    }
    assert_eq!(
        title("origin-with-trailing-slash"),
        "Origin with trailing slash"
    );
    assert_eq!(
        SECTIONS[section_of("wildcard-headers-with-credentials")].0,
        "Headers"
    );
    assert_eq!(
        SECTIONS[section_of("wildcard-beside-other-origins")].0,
        "Origins"
    );
    assert_eq!(
        SECTIONS[section_of("max-age-without-preflight")].0,
        "Arguments and flags"
    );
    assert_eq!(SECTIONS[section_of("max-age-huge")].0, "`max_age`");
    for pattern_case in [
        "wildcard-under-a-public-suffix",
        "wildcard-inside-a-label",
        "deep-wildcard-under-a-public-suffix",
        "port-wildcard-not-the-whole-port",
    ] {
        assert_eq!(
            SECTIONS[section_of(pattern_case)].0,
            "Origins",
            "{pattern_case}"
        );
    }
}
