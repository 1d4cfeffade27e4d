//! The real `permissions-server` binary as a child process: started on a
//! free local port (`--listen 127.0.0.1:0`, the address read from its first
//! line of stdout), logs to a file, killed on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:port`, no trailing slash.
    pub base: String,
    pub log: PathBuf,
}

impl ServerProcess {
    /// Starts `permissions-server --demo` on `database_url`, its stderr in
    /// `log_dir/<name>.log`; returns once it listens.
    pub fn start(database_url: &str, log_dir: &Path, name: &str) -> ServerProcess {
        let log = log_dir.join(format!("{name}.log"));
        let stderr = std::fs::File::create(&log).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_permissions-server"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--database-url",
                database_url,
                "--demo",
            ])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("permissions-server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // Drains stdout for the process's life (the demo tokens follow).
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|e| {
                let _ = child.kill();
                panic!(
                    "{name} did not start ({e}): {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                )
            });
        let base = first
            .strip_prefix("permissions-server listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .trim_end_matches('/')
            .to_string();
        ServerProcess { child, base, log }
    }

    /// The process's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
