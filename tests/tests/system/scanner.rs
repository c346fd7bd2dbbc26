//! A real CORS scanner, CORScanner (PyPI `corscanner`), against the examples run locally under
//! `cargo lambda watch --disable-cors`.
//!
//! CORScanner derives its attack origins from the scanned URL's host name (reflection of
//! `evil.com`, `null`, prefix, suffix, substring and unescaped-dot look-alikes, special
//! characters after the host, any subdomain, third-party hosting sites) and reports each one
//! that a response reflects. It has no proxy option but honours `HTTP_PROXY`, and
//! `cargo lambda watch` answers absolute-form requests, so with
//! `HTTP_PROXY=http://127.0.0.1:PORT` it scans `http://www.example.com/lambda-url/<bin>/...` on
//! the loopback API as if the API were that host. (Only `http` URLs: an `https` URL would need
//! a TLS-terminating proxy; so its "https trusts http" check does not run.)
//!
//! - `cookie-api` (`#[cors(origins_env = "ALLOWED_ORIGINS", credentials)]`), whitelisting the
//!   scanned hosts' own origins (`http://www.example.localhost`, a loopback name the credentials
//!   policy accepts over plain http, and `https://www.example.com`): no misconfiguration may be
//!   reported, and the handler's invocation counter (`GET /count`) must have grown by exactly
//!   the number of origins the scanner says it tried, so the scan did reach the handler.
//! - `reflecting-api` (`examples/src/bin/reflecting-api.rs`, deliberately broken): the scanner
//!   must flag its reflecting route (`reflect_origin`, with credentials) and its prefix-matching
//!   route (`prefix_match` with `http://www.example.com.evil.com`), which shows that the
//!   scanner's derived origins reach a handler through this set-up.
//!
//! CORScanner is taken from `PATH` when it runs there, otherwise installed into
//! `target/tools-venv` (`cors_dev::tools`); if that fails, the test fails with the command to
//! run.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::process::Stdio;
use std::thread;
use std::time::{Duration, Instant};

use cors_dev::http_client::http_request;
use cors_dev::local_api::LocalApi;
use cors_dev::temp_dir::TempDir;
use cors_dev::tools::{self, Tool};
use serde_json::Value;

/// How long one scan may take (it sends a few dozen requests to a local API).
const SCAN_TIMEOUT: Duration = Duration::from_secs(300);

/// The scanner's checks that run for an `http://` URL.
const HTTP_CHECKS: [&str; 9] = [
    "reflect_origin",
    "prefix_match",
    "suffix_match",
    "trust_null",
    "include_match",
    "not_escape_dot",
    "custom_third_parties",
    "special_characters_bypass",
    "trust_any_subdomain",
];

/// CORScanner, from `PATH` or installed into `target/tools-venv`.
fn corscanner() -> Tool {
    tools::ensure(&tools::CORSCANNER).unwrap_or_else(|e| panic!("CORScanner: {e}"))
}

/// What one scan reported.
#[derive(Debug)]
struct Scan {
    /// `(check, origin)` for every origin the scanner tried and found nothing on.
    clean: Vec<(String, String)>,
    /// The misconfigurations it reported (its `-o` JSON).
    findings: Vec<Value>,
    /// How many requests it says it sent (one per origin tried).
    requests: usize,
    stdout: String,
    stderr: String,
}

/// Scans `url` through `api` as an HTTP proxy.
fn scan(command: &Tool, api: &LocalApi, url: &str) -> Scan {
    let dir = TempDir::new("corscanner").expect("a temporary directory");
    let output = dir.path().join("findings.json");
    let mut child = command
        .command()
        .args(["-u", url, "-t", "1", "-v", "1", "-o"])
        .arg(&output)
        .current_dir(dir.path())
        .env("HTTP_PROXY", api.origin())
        .env("http_proxy", api.origin())
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        // tldextract's public-suffix cache: a fresh one, so the run does not depend on (or
        // write to) the user's. Offline, its download fails (a traceback on stderr) and it
        // falls back to the list bundled with it.
        .env("TLDEXTRACT_CACHE", dir.path().join("tldextract"))
        .env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("CORScanner starts");
    let mut stdout_pipe = child.stdout.take().expect("piped");
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let stdout_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout_pipe.read_to_string(&mut text);
        text
    });
    let stderr_reader = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + SCAN_TIMEOUT;
    loop {
        if child
            .try_wait()
            .expect("CORScanner can be waited for")
            .is_some()
        {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("CORScanner did not finish within {SCAN_TIMEOUT:?}");
        }
        thread::sleep(Duration::from_millis(100));
    }
    let stdout = stdout_reader.join().expect("stdout reader");
    let stderr = stderr_reader.join().expect("stderr reader");
    let findings: Vec<Value> = fs::read_to_string(&output)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_else(|| {
            panic!("CORScanner wrote no JSON report; stdout:\n{stdout}\nstderr:\n{stderr}")
        });
    let clean: Vec<(String, String)> = stdout
        .lines()
        .filter_map(|line| {
            line.split_once("nothing found for {url: ")
                .map(|(_, rest)| rest)
        })
        .filter_map(|rest| {
            let rest = rest.trim_end().strip_suffix('}')?;
            let (rest, check) = rest.rsplit_once(", type: ")?;
            let (_, origin) = rest.rsplit_once(", origin: ")?;
            Some((check.to_owned(), origin.to_owned()))
        })
        .collect();
    let found = stdout.matches("Found misconfiguration!").count();
    Scan {
        requests: clean.len() + found,
        clean,
        findings,
        stdout,
        stderr,
    }
}

/// The handler's invocation counter (`GET /count`): invocations before this one.
fn count(api: &LocalApi) -> u64 {
    let response = api.get("/count").expect("GET /count answers");
    let body: Value = serde_json::from_slice(&response.body).expect("/count answers JSON");
    body["invocations"]
        .as_u64()
        .unwrap_or_else(|| panic!("no invocation count in {body}"))
}

fn allow_origin(api: &LocalApi, path: &str, origin: &str) -> Option<String> {
    let response = http_request(
        "GET",
        &api.url(path),
        &[("Origin", origin)],
        None,
        Duration::from_secs(60),
    )
    .expect("the API answers");
    response
        .header("access-control-allow-origin")
        .map(str::to_owned)
}

#[test]
fn corscanner_finds_nothing_in_a_cors_handler() {
    let command = corscanner();
    let api = LocalApi::start(
        "cookie-api",
        &[(
            "ALLOWED_ORIGINS",
            "http://www.example.localhost https://www.example.com",
        )],
    )
    .expect("cookie-api starts under cargo lambda watch");

    for (host, listed) in [
        ("www.example.localhost", "http://www.example.localhost"),
        ("www.example.com", "https://www.example.com"),
    ] {
        // The scanned host's own origin is listed: every attack is a near miss of it.
        assert_eq!(
            allow_origin(&api, "/whoami", listed).as_deref(),
            Some(listed),
            "{listed} is not allowed, so the scan would prove little"
        );
        let url = format!("http://{host}/lambda-url/cookie-api/whoami");
        let before = count(&api);
        let scan = scan(&command, &api, &url);
        // `before` counted every invocation before that `/count`; `after` adds that one.
        let reached = count(&api) - before - 1;
        assert!(
            scan.findings.is_empty(),
            "CORScanner reports a misconfiguration of {url}: {:#?}\nstdout:\n{}",
            scan.findings,
            scan.stdout
        );
        assert_eq!(
            usize::try_from(reached).expect("a small count"),
            scan.requests,
            "the handler ran {reached} times for the scanner's {} origins: the scan did not \
             (only) reach the API\nstdout:\n{}\nstderr:\n{}",
            scan.requests,
            scan.stdout,
            scan.stderr
        );
        let checks: BTreeSet<&str> = scan.clean.iter().map(|(check, _)| check.as_str()).collect();
        for check in HTTP_CHECKS {
            assert!(
                checks.contains(check),
                "{url}: the scanner ran no `{check}` check:\n{}",
                scan.stdout
            );
        }
        let origins: BTreeSet<&str> = scan
            .clean
            .iter()
            .map(|(_, origin)| origin.as_str())
            .collect();
        for origin in [
            format!("http://{host}.evil.com"),
            format!("http://evil.{host}"),
            format!("http://{host}_.evil.com"),
            format!("http://{host}%60.evil.com"),
            "http://evil.com".to_owned(),
            "null".to_owned(),
        ] {
            assert!(
                origins.contains(origin.as_str()),
                "{url}: the scanner did not try {origin}:\n{}",
                scan.stdout
            );
        }
        assert!(scan.requests >= 30, "only {} origins tried", scan.requests);
        if host == "www.example.com" {
            // With the public-suffix list (bundled, offline), the registered domain is
            // example.com: the suffix, substring and unescaped-dot look-alikes are real ones.
            for origin in [
                "http://evilexample.com",
                "http://xample.com",
                "http://www.exampleacom",
            ] {
                assert!(
                    origins.contains(origin),
                    "the scanner did not try {origin}:\n{}",
                    scan.stdout
                );
            }
        }
    }
}

#[test]
fn corscanner_flags_the_deliberately_reflecting_control() {
    let command = corscanner();
    let api = LocalApi::start(
        "reflecting-api",
        &[("TRUSTED_ORIGIN", "http://www.example.com")],
    )
    .expect("reflecting-api starts under cargo lambda watch");

    for (route, check, origin) in [
        ("reflect", "reflect_origin", "http://evil.com"),
        ("prefix", "prefix_match", "http://www.example.com.evil.com"),
    ] {
        let url = format!("http://www.example.com/lambda-url/reflecting-api/{route}");
        let before = count(&api);
        let scan = scan(&command, &api, &url);
        let reached = count(&api) - before - 1;
        assert_eq!(
            scan.findings.len(),
            1,
            "CORScanner did not flag {url}: {:#?}\nstdout:\n{}\nstderr:\n{}",
            scan.findings,
            scan.stdout,
            scan.stderr
        );
        let finding = &scan.findings[0];
        assert_eq!(finding["type"], check, "{finding}");
        assert_eq!(finding["origin"], origin, "{finding}");
        assert_eq!(finding["credentials"], "true", "{finding}");
        assert_eq!(finding["url"], url.as_str(), "{finding}");
        assert_eq!(
            usize::try_from(reached).expect("a small count"),
            scan.requests,
            "{url}: the handler ran {reached} times for {} scanner requests",
            scan.requests
        );
    }
}
