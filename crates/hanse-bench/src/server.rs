//! The `hanse serve` process under test: started on a port of its own choosing,
//! awaited until it prints `listening on`, and killed with SIGKILL, as a power
//! cut or the OOM killer would.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;

/// How long a start may take before the run gives up: migrations on a fresh
/// database and opening the search index take well under this.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// How to start the server, the same every cycle.
#[derive(Debug, Clone)]
pub struct ServerCommand {
    pub binary: PathBuf,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub sandbox_secret: String,
}

/// A running server.
pub struct Server {
    child: Child,
    pub base_url: String,
    pub started_in: Duration,
}

impl ServerCommand {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(&self.data_dir)
            // Only what this run sets: no hanse.toml, no HANSE_* from outside.
            .current_dir(&self.data_dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HANSE_LOG_LEVEL", "error")
            .env("HANSE_PAYMENT_PROVIDERS", "sandbox")
            .env("HANSE_SANDBOX_WEBHOOK_SECRET", &self.sandbox_secret)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(url) = &self.database_url {
            command.args(["--database-url", url]);
        }
        command
    }

    /// `hanse operator create`, the password on stdin.
    pub fn create_operator(&self, email: &str, password: &str) -> anyhow::Result<()> {
        let mut command = Command::new(&self.binary);
        command
            .args(["operator", "create", "--email", email, "--data-dir"])
            .arg(&self.data_dir)
            .current_dir(&self.data_dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HANSE_LOG_LEVEL", "error")
            .stdin(Stdio::piped())
            .stdout(Stdio::null());
        if let Some(url) = &self.database_url {
            command.args(["--database-url", url]);
        }
        let mut child = command
            .spawn()
            .context("cannot run hanse operator create")?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            writeln!(stdin, "{password}")?;
        }
        let status = child.wait()?;
        anyhow::ensure!(status.success(), "hanse operator create failed: {status}");
        Ok(())
    }

    /// Starts the server and waits for its address.
    pub fn start(&self) -> anyhow::Result<Server> {
        let started = Instant::now();
        let mut child = self
            .command()
            .spawn()
            .with_context(|| format!("cannot start {}", self.binary.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let (address_tx, address_rx) = mpsc::channel();
        // The reader keeps draining stdout after the address, so the server
        // never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && let Some(address) = line.strip_prefix("listening on ") {
                    let _ = address_tx.send(address.trim().to_owned());
                    sent = true;
                }
            }
        });
        match address_rx.recv_timeout(START_TIMEOUT) {
            Ok(base_url) => Ok(Server {
                child,
                base_url,
                started_in: started.elapsed(),
            }),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait()?;
                anyhow::bail!(
                    "hanse serve did not print its address within {START_TIMEOUT:?} ({status})"
                )
            }
        }
    }
}

impl Server {
    /// SIGKILL: no shutdown, no flush, no goodbye.
    pub fn kill(mut self) -> anyhow::Result<()> {
        self.child.kill().context("cannot kill the server")?;
        self.child.wait()?;
        Ok(())
    }

    /// A clean stop (SIGTERM), at the end of the run.
    pub fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status()?;
        anyhow::ensure!(status.success(), "cannot send SIGTERM to {pid}");
        self.child.wait()?;
        Ok(())
    }
}

/// A run that stops on an error leaves no server behind: its data directory
/// is about to be removed.
impl Drop for Server {
    fn drop(&mut self) {
        // Killed or stopped already: both answer without a signal.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `hanse` binary beside this `hanse-bench`, as `cargo build` puts them.
pub fn sibling_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(dir.join("hanse"))
}
