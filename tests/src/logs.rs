//! What the library logs through `tracing`, captured for a test.

use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Runs `future` on this thread with a subscriber recording every event at `level` or above,
/// and returns its output with the formatted log.
///
/// The subscriber is the thread's default only while `future` runs, so use a current-thread
/// runtime (`#[tokio::test(flavor = "current_thread")]`).
pub async fn capture<F: Future>(level: tracing::Level, future: F) -> (F::Output, String) {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let output = future.await;
    let log = String::from_utf8_lossy(&buffer.0.lock().expect("log buffer")).into_owned();
    (output, log)
}
