//! A small static HTTP server on another local port: the "frontend" origin whose pages call
//! the APIs cross-origin ([`StaticServer`]). It listens on `127.0.0.1` only.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

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
