//! What the command-line tests share: the `hanse` binary with a clean
//! environment, its output as text, and a running `hanse serve`.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};

/// The `hanse` binary run in `directory`, with no `HANSE_*` setting of the
/// environment the tests run in but a quiet log level.
pub fn hanse(directory: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hanse"));
    command
        .current_dir(directory)
        .env_remove("HANSE_DATABASE_URL")
        .env("HANSE_LOG_LEVEL", "warn");
    for (key, _) in std::env::vars() {
        if key.starts_with("HANSE_") && key != "HANSE_LOG_LEVEL" {
            command.env_remove(key);
        }
    }
    command
}

/// Standard output and standard error.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `hanse ARGS` in `directory`; panics with its error output unless it
/// succeeds, and answers its standard output.
pub fn succeeds(directory: &Path, args: &[&str]) -> String {
    let output = hanse(directory).args(args).output().unwrap();
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "hanse {args:?} failed:\n{stderr}");
    stdout
}

/// Runs `hanse ARGS` in `directory`; panics unless it fails, and answers
/// its error output.
pub fn fails(directory: &Path, args: &[&str]) -> String {
    let output = hanse(directory).args(args).output().unwrap();
    let (stdout, stderr) = text(&output);
    assert!(
        !output.status.success(),
        "hanse {args:?} should have failed:\n{stdout}"
    );
    stderr
}

/// `hanse serve` on port 0, running until stopped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

impl Server {
    /// Starts `hanse serve --listen 127.0.0.1:0 ARGS` in `directory` and waits
    /// for its `listening on` line.
    pub fn start(directory: &Path, args: &[&str]) -> Server {
        let mut child = hanse(directory)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The rest of its output is drained, so that printing the demo's
        // sign-ins does not fail on a closed pipe.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = lines.next().and_then(Result::ok).unwrap_or_default();
        std::thread::spawn(move || lines.for_each(drop));
        let address = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_owned();
        Server { child, address }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Stops it with SIGTERM, as an init system would, and waits.
    pub fn stop(mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    /// A failed test still leaves no server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
