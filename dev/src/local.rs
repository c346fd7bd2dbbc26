//! Real local HTTP servers: what `cargo run -p cors-examples --bin demo` and the system tests
//! in `tests/` (browser, scanner) run.
//!
//! - [`LocalApi`] runs a binary of the `cors-examples` package (`examples/src/bin/`) as a
//!   local HTTP API under `cargo lambda watch --disable-cors`, the way a developer runs a
//!   Lambda function URL locally. `cargo lambda watch` maps
//!   `http://127.0.0.1:PORT/lambda-url/<bin>/<path>` to an API Gateway v2 (function URL)
//!   event with `rawPath = /<path>` for the function `<bin>` ([`LocalApi::base_url`]).
//!   Without `--disable-cors` it would wrap every function in its own permissive CORS layer
//!   (it echoes any `Origin` with credentials and answers preflights itself), which would
//!   hide the handler's CORS behaviour from the browser; this module always disables it.
//!   `cargo-lambda` comes from `PATH` or from `target/tools-venv` ([`crate::tools`]).
//! - [`StaticServer`] serves pages from memory (or a directory) on another free port: the
//!   "frontend" origin whose pages call the API cross-origin.
//! - [`http_request`] is a minimal blocking HTTP/1.1 client for talking to those servers
//!   directly, without a browser (and without an `Origin` header unless given one).
//!
//! Every process started here is stopped, with its children, when its owner is dropped.
//! Everything listens on `127.0.0.1` only.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::os::unix::process::CommandExt;
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::tools;

/// How long [`LocalApi::start`] waits for the function to answer its first request. The
/// first request makes `cargo lambda watch` build the binary, which on a cold target
/// directory (or behind another build holding Cargo's lock) takes minutes.
pub const API_START_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// The workspace package whose binaries [`LocalApi`] runs.
pub const EXAMPLES_PACKAGE: &str = "cors-examples";

/// A handler binary of `cors-examples` running as a local HTTP API under
/// `cargo lambda watch --disable-cors --ignore-changes` on `127.0.0.1:<free port>`.
///
/// `cargo lambda watch` (and so the handler) is stopped with all its child processes when
/// this value is dropped.
#[derive(Debug)]
pub struct LocalApi {
    child: Child,
    origin: String,
    bin: String,
    log_path: PathBuf,
    _dir: TempDir,
}

impl LocalApi {
    /// Starts `cargo lambda watch` for the binary `bin` of `cors-examples`, with the
    /// environment variables `env` set for the handler (e.g. `ALLOWED_ORIGINS`), and waits
    /// until the handler has answered one request (`GET <base_url>/`, which also makes
    /// `cargo lambda` build the binary; the handler sees it as an ordinary request).
    ///
    /// Fails, with the captured `cargo lambda` output, if the build fails, the process
    /// exits, or nothing answers within [`API_START_TIMEOUT`].
    pub fn start(bin: &str, env: &[(&str, &str)]) -> io::Result<LocalApi> {
        Self::start_cancellable(bin, env, &AtomicBool::new(false))
    }

    /// [`LocalApi::start`] that gives up, stopping what it started, as soon as `cancel` is
    /// set (with an error of kind [`io::ErrorKind::Interrupted`]): for a Ctrl-C during the
    /// first build.
    pub fn start_cancellable(
        bin: &str,
        env: &[(&str, &str)],
        cancel: &AtomicBool,
    ) -> io::Result<LocalApi> {
        let mut last_error = None;
        // The port is picked free and then released, so another process may take it before
        // `cargo lambda` binds it: retry with a new port in that case.
        for _ in 0..3 {
            match Self::start_once(bin, env, cancel) {
                Ok(api) => return Ok(api),
                Err(StartError::PortTaken(e)) => last_error = Some(e),
                Err(StartError::Fatal(e)) => return Err(e),
            }
        }
        Err(last_error.unwrap_or_else(|| io::Error::other("could not start cargo lambda watch")))
    }

    fn start_once(
        bin: &str,
        env: &[(&str, &str)],
        cancel: &AtomicBool,
    ) -> Result<LocalApi, StartError> {
        let dir = TempDir::new("api").map_err(StartError::Fatal)?;
        let log_path = dir.path().join("cargo-lambda.log");
        let log = fs::File::create(&log_path).map_err(StartError::Fatal)?;
        let port = free_port().map_err(StartError::Fatal)?;
        let cargo_lambda = tools::ensure(&tools::CARGO_LAMBDA)
            .map_err(|e| StartError::Fatal(io::Error::other(e)))?;

        let mut command = Command::new(cargo());
        if let Some(path) = cargo_lambda.path_env() {
            // `cargo lambda` runs the `cargo-lambda` it finds on PATH.
            command.env("PATH", path);
        }
        command
            .current_dir(workspace_root())
            .args(["lambda", "watch", "--disable-cors", "--ignore-changes"])
            .args(["--invoke-address", "127.0.0.1"])
            .args(["--invoke-port", &port.to_string()])
            .args(["--package", EXAMPLES_PACKAGE, "--bin", bin])
            // The function process inherits cargo lambda's environment (values may hold
            // spaces or commas, which `--env-var` would split).
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(StartError::Fatal)?)
            .stderr(log)
            // Own process group, so that Drop can stop cargo and everything it started.
            .process_group(0);
        let child = command.spawn().map_err(|e| {
            StartError::Fatal(io::Error::new(
                e.kind(),
                format!("could not run `{} lambda watch`: {e}", cargo()),
            ))
        })?;
        let api = LocalApi {
            child,
            origin: format!("http://127.0.0.1:{port}"),
            bin: bin.to_owned(),
            log_path,
            _dir: dir,
        };
        api.wait_until_ready(port, cancel)?;
        Ok(api)
    }

    fn wait_until_ready(&self, port: u16, cancel: &AtomicBool) -> Result<(), StartError> {
        let cancelled = || {
            cancel.load(Ordering::SeqCst).then(|| {
                StartError::Fatal(io::Error::new(
                    io::ErrorKind::Interrupted,
                    format!("starting `{}` was cancelled", self.bin),
                ))
            })
        };
        let deadline = Instant::now() + API_START_TIMEOUT;
        let fail = |what: &str, api: &LocalApi| {
            io::Error::other(format!(
                "cargo lambda watch for `{}` {what}; its output:\n{}",
                api.bin,
                api.log()
            ))
        };
        // 1. The invoke server listens. The port was only free a moment ago: it must be
        // cargo lambda that listens on it (cargo lambda exits, with status 0, when the
        // address is taken).
        loop {
            if listening_in_tree(self.child.id(), port) {
                break;
            }
            if let Some(e) = cancelled() {
                return Err(e);
            }
            if self.exited() {
                return Err(StartError::PortTaken(fail("exited before listening", self)));
            }
            if Instant::now() > deadline {
                return Err(StartError::Fatal(fail("did not listen in time", self)));
            }
            thread::sleep(Duration::from_millis(50));
        }
        // 2. The function answers (the first request builds it). A failed build leaves the
        // request hanging, so the log is watched meanwhile.
        let url = format!("{}/", self.base_url());
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(http_request("GET", &url, &[], None, API_START_TIMEOUT));
        });
        loop {
            match rx.recv_timeout(Duration::from_millis(250)) {
                Ok(Ok(_)) => return Ok(()),
                Ok(Err(e)) => {
                    return Err(StartError::Fatal(fail(
                        &format!("did not answer its first request ({e})"),
                        self,
                    )));
                }
                Err(_) => {}
            }
            if let Some(e) = cancelled() {
                return Err(e);
            }
            let log = self.log();
            if log.contains("error: could not compile") || log.contains("ERROR command exited") {
                return Err(StartError::Fatal(fail(
                    "failed to build or run the function",
                    self,
                )));
            }
            if self.exited() {
                return Err(StartError::Fatal(fail("exited", self)));
            }
            if Instant::now() > deadline {
                return Err(StartError::Fatal(fail("did not answer in time", self)));
            }
        }
    }

    fn exited(&self) -> bool {
        // `try_wait` needs `&mut`; `/proc` tells liveness (an unreaped exit is a zombie).
        !process_alive(self.child.id())
    }

    /// The API's origin, e.g. `http://127.0.0.1:39123`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The function's base URL, `http://127.0.0.1:PORT/lambda-url/<bin>`: the handler sees
    /// `<base_url>/whoami` as a request for the path `/whoami`.
    pub fn base_url(&self) -> String {
        format!("{}/lambda-url/{}", self.origin, self.bin)
    }

    /// `<base_url><path>`; `path` starts with `/` (and may carry a query string).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Sends `GET <base_url><path>` directly (no browser, no `Origin` header).
    pub fn get(&self, path: &str) -> io::Result<HttpResponse> {
        http_request("GET", &self.url(path), &[], None, Duration::from_secs(60))
    }

    /// Everything `cargo lambda watch` and the handler printed so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

impl Drop for LocalApi {
    fn drop(&mut self) {
        // SIGTERM lets cargo lambda stop the function it runs in its own session; the
        // process tree is swept afterwards in any case.
        stop_process_tree(&mut self.child, Duration::from_secs(5));
    }
}

enum StartError {
    /// Worth another try on another port.
    PortTaken(io::Error),
    Fatal(io::Error),
}

/// A small static HTTP server on `127.0.0.1:<free port>`: the "frontend" origin.
///
/// It serves what was added with [`StaticServer::add`] / [`StaticServer::add_html`] and,
/// if created with [`StaticServer::with_dir`], files below that directory. Query strings
/// are ignored; unknown paths get `404`, `/favicon.ico` an empty `204`. Responses are
/// never cached. The server stops when dropped.
#[derive(Debug)]
pub struct StaticServer {
    origin: String,
    addr: SocketAddr,
    pages: Pages,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

type Pages = Arc<Mutex<HashMap<String, (String, Arc<Vec<u8>>)>>>;

impl StaticServer {
    /// Starts a server that serves only what is added to it.
    pub fn start() -> io::Result<StaticServer> {
        Self::serve(None)
    }

    /// Starts a server that also serves the files below `dir` (`/a/b.html` is
    /// `dir/a/b.html`; `/` is `dir/index.html`). Added pages take precedence.
    pub fn with_dir(dir: impl Into<PathBuf>) -> io::Result<StaticServer> {
        Self::serve(Some(dir.into()))
    }

    /// Like [`StaticServer::with_dir`], on `127.0.0.1:port` (`0`: a free port).
    pub fn with_dir_on_port(dir: impl Into<PathBuf>, port: u16) -> io::Result<StaticServer> {
        Self::serve_on(Some(dir.into()), port)
    }

    fn serve(dir: Option<PathBuf>) -> io::Result<StaticServer> {
        Self::serve_on(dir, 0)
    }

    fn serve_on(dir: Option<PathBuf>, port: u16) -> io::Result<StaticServer> {
        let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot listen on 127.0.0.1:{port}: {e}"))
        })?;
        let addr = listener.local_addr()?;
        let pages: Pages = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (pages, stop) = (pages.clone(), stop.clone());
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (pages, dir) = (pages.clone(), dir.clone());
                    thread::spawn(move || {
                        let _ = serve_connection(stream, &pages, dir.as_deref());
                    });
                }
            })
        };
        Ok(StaticServer {
            origin: format!("http://127.0.0.1:{}", addr.port()),
            addr,
            pages,
            stop,
            thread: Some(thread),
        })
    }

    /// Serves `body` with `content_type` at `path` (which starts with `/`), replacing what
    /// was there.
    pub fn add(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        let mut pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        pages.insert(
            path.to_owned(),
            (content_type.to_owned(), Arc::new(body.into())),
        );
    }

    /// Serves `html` as `text/html; charset=utf-8` at `path`.
    pub fn add_html(&self, path: &str, html: impl Into<String>) {
        self.add(path, "text/html; charset=utf-8", html.into());
    }

    /// The server's origin, e.g. `http://127.0.0.1:40111`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `<origin><path>`; `path` starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop up so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve_connection(stream: TcpStream, pages: &Pages, dir: Option<&Path>) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers; pages are only fetched with GET/HEAD, without a body.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");

    let found = if method != "GET" && method != "HEAD" {
        None
    } else {
        let page = pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned();
        page.or_else(|| dir.and_then(|dir| read_file_below(dir, path)))
    };
    let (status, content_type, body) = match found {
        Some((content_type, body)) => ("200 OK", content_type, body),
        None if path == "/favicon.ico" => ("204 No Content", String::new(), Arc::default()),
        None if method != "GET" && method != "HEAD" => (
            "405 Method Not Allowed",
            "text/plain".to_owned(),
            Arc::new(b"method not allowed".to_vec()),
        ),
        None => (
            "404 Not Found",
            "text/plain".to_owned(),
            Arc::new(b"not found".to_vec()),
        ),
    };
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if !content_type.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(&body)?;
    }
    out.flush()?;
    let _ = out.shutdown(Shutdown::Write);
    Ok(())
}

fn read_file_below(dir: &Path, path: &str) -> Option<(String, Arc<Vec<u8>>)> {
    let relative = Path::new(path.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = dir.join(relative);
    if path.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    let body = fs::read(&file).ok()?;
    let content_type = match file.extension().and_then(|e| e.to_str()) {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    };
    Some((content_type.to_owned(), Arc::new(body)))
}

/// A response read by [`http_request`].
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers in the order received; names are lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body (chunked transfer coding already removed).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as (lossy) UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one HTTP/1.1 request to a plain `http://host:port/path` URL and reads the whole
/// response (one connection per request, `Connection: close`). `headers` are sent as given,
/// after `Host`; a `Content-Length` is added when `body` is given. `timeout` bounds
/// connecting and each read or write.
pub fn http_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
    timeout: Duration,
) -> io::Result<HttpResponse> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not an http URL: {url}"),
        )
    })?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = authority
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no address"))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;

    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body)?;
    }
    stream.flush()?;

    read_response(BufReader::new(stream))
}

/// Reads one response: the head, then a body delimited by `Content-Length`, by chunked
/// transfer coding, or by the end of the connection (some servers, ChromeDriver among
/// them, keep the connection open despite `Connection: close`).
fn read_response(mut reader: impl BufRead) -> io::Result<HttpResponse> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("bad HTTP status line"))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err(invalid("incomplete HTTP response head"));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let mut response = HttpResponse {
        status,
        headers,
        body: Vec::new(),
    };
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"));
    let length = response
        .header("content-length")
        .and_then(|l| l.parse::<usize>().ok());
    if chunked {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line)?;
            let size = size_line.split(';').next().map(str::trim).unwrap_or("");
            let size = usize::from_str_radix(size, 16).map_err(|_| invalid("bad chunk size"))?;
            if size == 0 {
                break;
            }
            let start = response.body.len();
            response.body.resize(start + size, 0);
            reader.read_exact(&mut response.body[start..])?;
            let mut crlf = [0; 2];
            reader.read_exact(&mut crlf)?;
        }
    } else if let Some(length) = length {
        response.body.resize(length, 0);
        reader.read_exact(&mut response.body)?;
    } else if status >= 200 && status != 204 && status != 304 {
        reader.read_to_end(&mut response.body)?;
    }
    Ok(response)
}

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

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// A directory under the system temp dir, removed (with its contents) on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> io::Result<TempDir> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "cors-local-{prefix}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        fs::create_dir(&path)?;
        Ok(TempDir(path))
    }

    /// The directory `name` under the system temp dir, emptied first: the same path on every
    /// run, for what must keep its path from one run to the next.
    pub fn named(name: &str) -> io::Result<TempDir> {
        let path = std::env::temp_dir().join(name);
        match fs::remove_dir_all(&path) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
        fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Whether `127.0.0.1:port` is listened on by process `root` or one of its descendants
/// (from `/proc/net/tcp` and the processes' file descriptors).
pub fn listening_in_tree(root: u32, port: u16) -> bool {
    let Ok(table) = fs::read_to_string("/proc/net/tcp") else {
        return false;
    };
    let local = format!("0100007F:{port:04X}");
    // Columns: sl local_address rem_address st ... inode (the 10th).
    let inodes: Vec<String> = table
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .filter(|cols| cols.len() > 9 && cols[1] == local && cols[3] == "0A")
        .map(|cols| format!("socket:[{}]", cols[9]))
        .collect();
    if inodes.is_empty() {
        return false;
    }
    std::iter::once(root).chain(descendants(root)).any(|pid| {
        fs::read_dir(format!("/proc/{pid}/fd")).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                fs::read_link(fd.path())
                    .is_ok_and(|target| inodes.iter().any(|i| target.as_os_str() == i.as_str()))
            })
        })
    })
}

/// Whether process `pid` exists and is not a zombie.
fn process_alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X"),
        Err(_) => false,
    }
}

/// All descendants of `root` (children, their children, ...), from `/proc`.
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(entries) = fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parent_of.push((pid, ppid));
            }
        }
    }
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parent_of
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        i += 1;
    }
    found.remove(0);
    found
}

fn send_signal(signal: &str, targets: &[String]) {
    if targets.is_empty() {
        return;
    }
    let _ = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg("--")
        .args(targets)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Stops `child` (started with `process_group(0)`), its process group and every
/// descendant, including those that moved to a session of their own: `SIGTERM` first, then
/// `SIGKILL` for whatever is still alive after `grace`. Reaps `child`.
pub fn stop_process_tree(child: &mut Child, grace: Duration) {
    let pid = child.id();
    if let Ok(Some(_)) = child.try_wait() {
        // Already gone; its group may still hold processes.
        send_signal("KILL", &[format!("-{pid}")]);
        return;
    }
    let tree = descendants(pid);
    let mut targets = vec![format!("-{pid}"), pid.to_string()];
    targets.extend(tree.iter().map(u32::to_string));
    send_signal("TERM", &targets);

    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        let child_done = matches!(child.try_wait(), Ok(Some(_)));
        if child_done && !tree.iter().any(|p| process_alive(*p)) {
            send_signal("KILL", &[format!("-{pid}")]);
            return;
        }
        thread::sleep(Duration::from_millis(50));
    }
    let mut leftovers = vec![format!("-{pid}"), pid.to_string()];
    leftovers.extend(
        tree.iter()
            .filter(|p| process_alive(**p))
            .map(u32::to_string),
    );
    send_signal("KILL", &leftovers);
    let _ = child.wait();
}
