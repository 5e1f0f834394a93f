//! A real SMTP server for tests: `smtp/sink.py` (aiosmtpd) on a port of the test's choosing,
//! writing each message it accepts to a directory the test reads.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

/// Where `scripts/test-services.sh` installs aiosmtpd.
fn tools_python() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/tools/python")
}

/// A free port on 127.0.0.1 for a server started later (the sink, or one started after a
/// test saw connections refused).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The SMTP sink, stopped when dropped. Recipients starting with `reject` get 550, those
/// starting with `tempfail` 451.
pub struct SmtpSink {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl SmtpSink {
    /// Starts the sink on `port`, writing into `dir`; returns once it listens. Fails the test
    /// with what to do when aiosmtpd is missing: the tests never skip it.
    pub fn start(port: u16, dir: &Path) -> Self {
        std::fs::create_dir_all(dir).expect("mail directory");
        let python_path = tools_python();
        let mut child = Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("smtp/sink.py"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .env("PYTHONPATH", &python_path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP sink");
        let mut ready = String::new();
        let stdout = child.stdout.take().expect("sink stdout");
        let _ = BufReader::new(stdout).read_line(&mut ready);
        if ready.trim() != "ready" {
            let mut err = String::new();
            if let Some(stderr) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut err);
            }
            let _ = child.kill();
            panic!(
                "the SMTP sink did not start on port {port}: {err}\n\
                 aiosmtpd is needed in {}: run scripts/test-services.sh (it runs \
                 `pip install --target target/tools/python aiosmtpd`)",
                python_path.display()
            );
        }
        Self {
            child,
            port,
            dir: dir.to_path_buf(),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every message received so far, as received (RFC 5322 bytes), oldest first.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        received(&self.dir)
    }

    /// Waits until at least `n` messages were received (10 s at most) and returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Vec<u8>> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the SMTP server received {} of {n} messages in 10 s",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The `.eml` files of `dir`, oldest first.
pub fn received(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    files.sort();
    files
        .into_iter()
        .filter_map(|(_, p)| std::fs::read(p).ok())
        .collect()
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
