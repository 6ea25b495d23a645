//! A backup's manifest: from which Hanse and schema it was made, how many
//! rows each table of the copy holds, how to rebuild the search index, and
//! every file with its size and SHA-256, so that a restore proves the copy
//! whole before it changes anything. It is written last: a backup cut short
//! has none, and no restore takes it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use kernel::Timestamp;
use kernel::migrate::AppliedMigration;
use serde::{Deserialize, Serialize};

use crate::backup::files::{self, Hashed};
use crate::layout;

pub const MANIFEST_FILE: &str = "manifest.json";
/// Changes when the layout of a backup changes; a restore takes only this one.
pub const FORMAT: &str = "hanse-backup/1";
/// The folders of a data directory a backup holds besides the database.
pub const FOLDERS: [&str; 2] = [layout::IMAGES, layout::MAILBOX];
/// A manifest lists about 150 bytes per file; this admits millions of files.
const MANIFEST_BYTES_MAX: u64 = 1 << 30;
/// Problems listed when a backup does not match its manifest; the rest are counted.
const PROBLEMS_SHOWN_MAX: usize = 20;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub hanse_version: String,
    pub created_at: Timestamp,
    /// Always `sqlite`: PostgreSQL is backed up with `pg_dump`.
    pub engine: String,
    /// The migrations the database copy has applied.
    pub migrations: Vec<AppliedMigration>,
    /// The rows of each table in the database copy.
    pub tables: BTreeMap<String, i64>,
    pub search_index: SearchIndexNote,
    pub files: Vec<FileEntry>,
}

/// Why the search index is not in the backup, and how it comes back.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchIndexNote {
    pub copied: bool,
    pub rebuild: String,
}

impl SearchIndexNote {
    pub fn not_copied() -> SearchIndexNote {
        SearchIndexNote {
            copied: false,
            rebuild: "The search index is not copied: a live index cannot be copied consistently, \
                      and it is rebuilt from the database. `hanse restore` rebuilds it; after \
                      copying the files back by hand, run `hanse reindex --data-dir DATA_DIR` \
                      before `hanse serve`."
                .to_owned(),
        }
    }
}

/// One file of the backup, its path relative to the backup (and to the data
/// directory it came from), with `/` between folders.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub path: String,
    pub size_bytes: u64,
    pub sha256: String,
}

impl FileEntry {
    pub fn new(relative: &Path, hashed: Hashed) -> FileEntry {
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        FileEntry {
            path: parts.join("/"),
            size_bytes: hashed.size_bytes,
            sha256: hashed.sha256,
        }
    }

    /// The path, once shown to be the database or a file inside one of
    /// [`FOLDERS`]: a manifest is read from outside, and a path such as
    /// `../../etc/passwd` or an absolute path must not lead a restore anywhere else.
    pub fn relative_path(&self) -> anyhow::Result<PathBuf> {
        let parts: Vec<&str> = self.path.split('/').collect();
        let safe = parts.iter().all(|part| {
            !part.is_empty()
                && !part.contains(['\\', '\0'])
                && matches!(
                    Path::new(part).components().next(),
                    Some(Component::Normal(_))
                )
                && Path::new(part).components().count() == 1
        });
        let placed = match parts.as_slice() {
            [only] => *only == layout::DATABASE,
            [folder, _, ..] => FOLDERS.contains(folder),
            [] => false,
        };
        anyhow::ensure!(
            safe && placed,
            "the manifest lists `{}`, which is not a file a backup holds",
            self.path
        );
        Ok(parts.iter().collect())
    }

    fn matches(&self, hashed: &Hashed) -> bool {
        self.size_bytes == hashed.size_bytes && self.sha256 == hashed.sha256
    }

    /// Errors unless `hashed` is what the manifest says this file holds.
    pub fn check(&self, hashed: &Hashed) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.matches(hashed),
            "{}: {} bytes with SHA-256 {}, the manifest says {} bytes with SHA-256 {}",
            self.path,
            hashed.size_bytes,
            hashed.sha256,
            self.size_bytes,
            self.sha256
        );
        Ok(())
    }
}

impl Manifest {
    /// Writes the manifest into `dir` through a temporary file and a rename,
    /// so it is there whole or not at all.
    pub fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let text = serde_json::to_vec_pretty(self).context("cannot encode the manifest")?;
        let temporary = dir.join(format!(".{MANIFEST_FILE}.tmp"));
        std::fs::write(&temporary, text)
            .and_then(|()| std::fs::File::open(&temporary)?.sync_all())
            .and_then(|()| std::fs::rename(&temporary, dir.join(MANIFEST_FILE)))
            .and_then(|()| std::fs::File::open(dir)?.sync_all())
            .with_context(|| format!("cannot write {}", dir.join(MANIFEST_FILE).display()))
    }

    /// Reads and checks the manifest of the backup in `dir`: its format and
    /// engine, and that every file it lists is one a backup holds, once.
    pub fn read(dir: &Path) -> anyhow::Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        let not_a_backup = || {
            format!(
                "{} is not a Hanse backup: it has no readable {MANIFEST_FILE} (a backup that \
                 was cut short has none, since the manifest is written last)",
                dir.display()
            )
        };
        let mut text = String::new();
        std::fs::File::open(&path)
            .with_context(not_a_backup)?
            .take(MANIFEST_BYTES_MAX + 1)
            .read_to_string(&mut text)
            .with_context(not_a_backup)?;
        anyhow::ensure!(
            text.len() as u64 <= MANIFEST_BYTES_MAX,
            "{} is larger than {MANIFEST_BYTES_MAX} bytes",
            path.display()
        );
        let manifest: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a valid backup manifest", path.display()))?;
        anyhow::ensure!(
            manifest.format == FORMAT,
            "{} has the format `{}`; this Hanse restores `{FORMAT}`",
            path.display(),
            manifest.format
        );
        anyhow::ensure!(
            manifest.engine == kernel::Engine::Sqlite.name(),
            "{} is a backup of the `{}` engine; `hanse restore` restores SQLite backups",
            path.display(),
            manifest.engine
        );
        let mut seen = BTreeSet::new();
        for entry in &manifest.files {
            entry.relative_path()?;
            // An image's name is its SHA-256, so the image store's check fits.
            anyhow::ensure!(
                market::image_store::is_image_hash(&entry.sha256),
                "the manifest gives `{}` the malformed SHA-256 `{}`",
                entry.path,
                entry.sha256
            );
            anyhow::ensure!(
                seen.insert(entry.path.as_str()),
                "the manifest lists `{}` twice",
                entry.path
            );
        }
        anyhow::ensure!(
            seen.contains(layout::DATABASE),
            "the manifest lists no `{}`",
            layout::DATABASE
        );
        Ok(manifest)
    }

    /// Reads every file the manifest lists from `dir` and compares its size
    /// and SHA-256; answers the bytes read. Every problem is gathered, so a
    /// damaged backup is described at once.
    pub fn verify(&self, dir: &Path) -> anyhow::Result<u64> {
        let mut problems = Vec::new();
        let mut bytes = 0_u64;
        for entry in &self.files {
            let path = dir.join(entry.relative_path()?);
            match files::hash(&path) {
                Ok(hashed) => {
                    bytes += hashed.size_bytes;
                    if let Err(problem) = entry.check(&hashed) {
                        problems.push(problem.to_string());
                    }
                }
                Err(error) => problems.push(format!("{}: {error}", entry.path)),
            }
        }
        if problems.is_empty() {
            return Ok(bytes);
        }
        let count = problems.len();
        problems.truncate(PROBLEMS_SHOWN_MAX);
        anyhow::bail!(
            "the backup in {} does not match its manifest ({count} of {} files):\n  {}",
            dir.display(),
            self.files.len(),
            problems.join("\n  ")
        )
    }

    /// The entry of the database file (`read` made sure there is one).
    pub fn database(&self) -> anyhow::Result<&FileEntry> {
        self.files
            .iter()
            .find(|entry| entry.path == layout::DATABASE)
            .context("the manifest lists no database")
    }

    /// The files inside `folder`, one of [`FOLDERS`].
    pub fn files_in<'a>(&'a self, folder: &'a str) -> impl Iterator<Item = &'a FileEntry> + 'a {
        self.files.iter().filter(move |entry| {
            entry
                .path
                .strip_prefix(folder)
                .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// All rows of all tables.
    pub fn rows(&self) -> i64 {
        self.tables.values().sum()
    }
}
