//! The files of a backup: folders listed in name order, and each file
//! streamed once through SHA-256, while it is copied or when it is checked.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A bound on the files of one folder tree; images take three files per
/// upload, so this is millions of uploads.
const FILES_MAX: usize = 10_000_000;
const BUFFER_BYTES: usize = 256 * 1024;

/// What a file holds, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    pub size_bytes: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// The size and SHA-256 of the file at `path`.
pub fn hash(path: &Path) -> io::Result<Hashed> {
    stream(File::open(path)?, None)
}

/// Copies `from` to `to`, creating its folder, and makes the copy durable;
/// answers the size and SHA-256 of the bytes written.
pub fn copy(from: &Path, to: &Path) -> io::Result<Hashed> {
    if let Some(folder) = to.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let mut target = File::create(to)?;
    let hashed = stream(File::open(from)?, Some(&mut target))?;
    target.sync_all()?;
    Ok(hashed)
}

fn stream(mut source: File, mut target: Option<&mut File>) -> io::Result<Hashed> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; BUFFER_BYTES];
    let mut size_bytes = 0_u64;
    loop {
        let read = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        hasher.update(&buffer[..read]);
        if let Some(target) = target.as_mut() {
            target.write_all(&buffer[..read])?;
        }
        size_bytes += read as u64;
    }
    Ok(Hashed {
        size_bytes,
        sha256: format!("{:x}", hasher.finalize()),
    })
}

/// The regular files under `root`, relative to it, in name order; a missing
/// root has none. Names that start with a dot are left out: they are
/// writers' temporary files (the image store writes `.NAME.PID.tmp` and
/// renames it), which vanish or become a real file a moment later.
pub fn list(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut folders = vec![PathBuf::new()];
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(root.join(&folder)) {
            Ok(entries) => entries,
            Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            let relative = folder.join(entry.file_name());
            if kind.is_dir() {
                folders.push(relative);
            } else if kind.is_file() {
                files.push(relative);
            }
        }
        if files.len() > FILES_MAX {
            return Err(io::Error::other(format!(
                "more than {FILES_MAX} files under {}",
                root.display()
            )));
        }
    }
    files.sort();
    Ok(files)
}

/// Makes the entries of `root` and of every folder below it durable, after
/// files were created in them.
pub fn sync_folders(root: &Path) -> io::Result<()> {
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                folders.push(entry.path());
            }
        }
        File::open(&folder)?.sync_all()?;
    }
    Ok(())
}
