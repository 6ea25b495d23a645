//! This machine's serial durable commit rate, measured in the same run as the
//! orders: 4 KiB written and `fdatasync`ed again and again, one after another,
//! in the directory the database lives in. A database that commits every
//! request in series cannot beat it; the orders figure is read against it.

use std::io::{Seek, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;

/// How long the measurement runs.
const MEASURE_FOR: Duration = Duration::from_secs(2);
const BLOCK_BYTES: usize = 4096;
const WRAP_BLOCKS: u64 = 1024;

/// Durable 4 KiB writes per second, in series, in `directory`.
pub fn serial_commits_per_second(directory: &Path) -> anyhow::Result<f64> {
    let path = directory.join("hanse-bench-fsync.probe");
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let block = vec![0x5a_u8; BLOCK_BYTES];
    let started = Instant::now();
    let mut commits = 0_u64;
    while started.elapsed() < MEASURE_FOR {
        // Appended, as SQLite appends frames to its WAL, and back to the
        // start after 4 MiB, as the WAL is reused after a checkpoint.
        if commits.is_multiple_of(WRAP_BLOCKS) {
            file.seek(std::io::SeekFrom::Start(0))?;
        }
        file.write_all(&block)?;
        file.sync_data()?;
        commits += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(file);
    let _ = std::fs::remove_file(&path);
    Ok(commits as f64 / elapsed)
}
