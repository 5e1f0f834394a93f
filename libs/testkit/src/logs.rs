//! Log capture: tests assert that personal data never reaches a log line.

use std::{
    io::Write,
    sync::{Mutex, OnceLock},
};

use tracing_subscriber::{EnvFilter, fmt::MakeWriter};

static CAPTURED: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();

fn buffer() -> &'static Mutex<Vec<u8>> {
    CAPTURED.get_or_init(|| Mutex::new(Vec::new()))
}

#[derive(Clone, Copy)]
struct Capture {
    echo: bool,
}

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        buffer()
            .lock()
            .expect("log buffer")
            .extend_from_slice(bytes);
        if self.echo {
            let _ = std::io::stderr().write_all(bytes);
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        *self
    }
}

pub(crate) fn init() {
    let echo = std::env::var_os("TEST_LOG").is_some();
    // Everything down to debug, with span fields, so a leak anywhere shows up.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(
            "debug,h2=info,hyper=info,tower=info,sqlx=warn",
        ))
        .with_writer(Capture { echo })
        .with_ansi(false)
        .try_init();
}

/// Every log line captured so far in this test binary.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&buffer().lock().expect("log buffer")).into_owned()
}
