//! `hanse backup DIR`: a consistent copy of the data directory while
//! `hanse serve` runs and writes: one snapshot of the SQLite database, then
//! the images and the mailbox, then a manifest that lists every file with its
//! SHA-256. The search index is not copied; it is rebuilt from the database.

pub mod files;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;
use kernel::{Clock as _, Db, Engine, SystemClock};
use secrecy::ExposeSecret as _;

use crate::config::Config;
use crate::layout;
use manifest::{FOLDERS, FileEntry, MANIFEST_FILE, Manifest, SearchIndexNote};

/// Recorded image hashes read per query when the copy is checked.
const IMAGES_PER_QUERY: u32 = 1_000;
/// Missing images named in the warning; the rest are counted.
const MISSING_SHOWN_MAX: usize = 10;

pub async fn run(config: &Config, target: &Path) -> anyhow::Result<()> {
    let database = embedded_database(
        config,
        "backup",
        "Back up PostgreSQL with its own tool, e.g. `pg_dump --format=custom --file hanse.dump \
         \"$DATABASE_URL\"`, and the data directory's images/ and mailbox/ with your file backup.",
    )?;
    anyhow::ensure!(
        database.is_file(),
        "there is no database at {}: nothing to back up (is --data-dir right?)",
        database.display()
    );
    refuse_inside_data_dir(config, target)?;
    let created = prepare_empty(target)?;
    let started = Instant::now();
    match write(config, target).await {
        Ok(copied) => {
            copied.print(config, target, started);
            Ok(())
        }
        Err(error) => {
            // The directory was empty or new, so everything in it is ours.
            let discarded = if created {
                std::fs::remove_dir_all(target)
            } else {
                empty(target)
            };
            let kept = match discarded {
                Ok(()) => "nothing was kept",
                Err(_) => "remove what is left of it by hand",
            };
            Err(error.context(format!(
                "the backup into {} failed; {kept}",
                target.display()
            )))
        }
    }
}

/// The SQLite file of the data directory, which `backup` and `restore` work
/// on; an error that names the tool to use when the data is in PostgreSQL.
pub fn embedded_database(config: &Config, command: &str, advice: &str) -> anyhow::Result<PathBuf> {
    match &config.database_url {
        None => Ok(config.data_dir.join(layout::DATABASE)),
        Some(url) => match Engine::from_url(url.expose_secret())? {
            Engine::Postgres => anyhow::bail!(
                "`hanse {command}` copies the embedded SQLite database, and this configuration \
                 keeps the data in PostgreSQL (database_url); nothing was copied. {advice}"
            ),
            Engine::Sqlite => anyhow::bail!(
                "`hanse {command}` works on the SQLite file of the data directory; give \
                 --data-dir instead of a sqlite: database_url"
            ),
        },
    }
}

/// A backup inside the folders it copies would copy itself.
fn refuse_inside_data_dir(config: &Config, target: &Path) -> anyhow::Result<()> {
    let target = std::path::absolute(target)?;
    let data_dir = std::path::absolute(&config.data_dir)?;
    for folder in FOLDERS.iter().chain(&[layout::SEARCH]) {
        anyhow::ensure!(
            !target.starts_with(data_dir.join(folder)),
            "{} is inside the data directory's {folder}/ folder; choose a directory outside it",
            target.display()
        );
    }
    Ok(())
}

/// Makes sure `target` is a new or empty directory, so a backup never mixes
/// with other files and a restore finds only what the manifest lists; true
/// when it had to be created.
fn prepare_empty(target: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(target) {
        Ok(mut entries) => {
            anyhow::ensure!(
                entries.next().is_none(),
                "{} is not empty: a backup goes into a new or empty directory; nothing was copied",
                target.display()
            );
            Ok(false)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(target)
                .with_context(|| format!("cannot create {}", target.display()))?;
            Ok(true)
        }
        Err(error) => {
            Err(error).with_context(|| format!("cannot back up into {}", target.display()))
        }
    }
}

fn empty(folder: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
        } else {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}

/// What a backup copied, for the summary.
struct Copied {
    manifest: Manifest,
    snapshot_seconds: f64,
    images: ImageCheck,
}

/// How many images the database copy records, and how many of them lack a
/// file in the backup.
struct ImageCheck {
    recorded: u64,
    missing: usize,
}

async fn write(config: &Config, target: &Path) -> anyhow::Result<Copied> {
    let copy_path = target.join(layout::DATABASE);
    let created_at = SystemClock.now();
    let snapshot_started = Instant::now();
    let source = Db::connect(&config.database_options()?)
        .await
        .context("cannot open the database")?;
    let snapshot = source.snapshot_into(&copy_path).await;
    source.close().await;
    snapshot.context("cannot copy the database")?;
    let snapshot_seconds = snapshot_started.elapsed().as_secs_f64();

    // Images and mail are copied after the snapshot: every image file is
    // written before its record commits and never removed, so the copy has
    // every image the snapshot names (checked below), and perhaps a few
    // newer ones that nothing names yet.
    let copy = Db::open_sqlite_read_only(&copy_path).await?;
    let migrations = kernel::migrate::applied_migrations(&copy).await?;
    let tables = copy.row_counts().await?;
    let (data_dir, backup_dir) = (config.data_dir.clone(), target.to_owned());
    let mut entries = tokio::task::spawn_blocking(move || copy_folders(&data_dir, &backup_dir))
        .await
        .context("the copying thread failed")??;
    let images = check_images(&copy, &target.join(layout::IMAGES)).await;
    copy.close().await;
    let images = images?;

    let database =
        files::hash(&copy_path).with_context(|| format!("cannot read {}", copy_path.display()))?;
    entries.insert(0, FileEntry::new(Path::new(layout::DATABASE), database));
    files::sync_folders(target)
        .with_context(|| format!("cannot make {} durable", target.display()))?;
    let manifest = Manifest {
        format: manifest::FORMAT.to_owned(),
        hanse_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at,
        engine: Engine::Sqlite.name().to_owned(),
        migrations,
        tables,
        search_index: SearchIndexNote::not_copied(),
        files: entries,
    };
    manifest.write(target)?;
    Ok(Copied {
        manifest,
        snapshot_seconds,
        images,
    })
}

/// Copies the images and the mailbox into the backup, listing each file.
fn copy_folders(data_dir: &Path, target: &Path) -> anyhow::Result<Vec<FileEntry>> {
    let mut entries = Vec::new();
    for folder in FOLDERS {
        let from = data_dir.join(folder);
        for relative in
            files::list(&from).with_context(|| format!("cannot list {}", from.display()))?
        {
            let source = from.join(&relative);
            let hashed = match files::copy(&source, &target.join(folder).join(&relative)) {
                Ok(hashed) => hashed,
                // Mail is never removed by Hanse, nor are images; a file
                // someone deleted meanwhile is simply not in the backup.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
                Err(error) => {
                    return Err(error).with_context(|| format!("cannot copy {}", source.display()));
                }
            };
            entries.push(FileEntry::new(&Path::new(folder).join(relative), hashed));
        }
    }
    Ok(entries)
}

/// Asserts the reasoning above: each image the database copy records has
/// its original and thumbnails in the copied folder. A missing file is warned
/// about, not fatal: it was missing from the data directory already, and
/// refusing to back up the rest would help no one.
async fn check_images(copy: &Db, images: &Path) -> anyhow::Result<ImageCheck> {
    let store = market::ImageStore::new(images);
    let sizes = [
        market::ImageSize::Original,
        market::ImageSize::Medium,
        market::ImageSize::Thumbnail,
    ];
    let (mut recorded, mut missing) = (0_u64, Vec::new());
    let mut after = String::new();
    loop {
        let hashes = market::recorded_image_hashes(copy, &after, IMAGES_PER_QUERY).await?;
        let Some(last) = hashes.last() else { break };
        after.clone_from(last);
        recorded += hashes.len() as u64;
        for hash in &hashes {
            let complete = sizes.iter().all(|size| {
                store
                    .file(hash, *size)
                    .is_some_and(|(path, _)| path.is_file())
            });
            if !complete {
                missing.push(hash.clone());
            }
        }
    }
    let check = ImageCheck {
        recorded,
        missing: missing.len(),
    };
    if check.missing > 0 {
        missing.truncate(MISSING_SHOWN_MAX);
        eprintln!(
            "warning: {} recorded images lack a file in the data directory, so the backup lacks it too: {}",
            check.missing,
            missing.join(", ")
        );
    }
    Ok(check)
}

impl Copied {
    fn print(&self, config: &Config, target: &Path, started: Instant) {
        let manifest = &self.manifest;
        let database = manifest.database().map_or(0, |entry| entry.size_bytes);
        println!(
            "backup of {} written to {} in {:.1} s",
            config.data_dir.display(),
            target.display(),
            started.elapsed().as_secs_f64()
        );
        println!(
            "  database  {}: {}, {} tables, {} rows, {} migrations (one snapshot, {:.1} s)",
            layout::DATABASE,
            human_bytes(database),
            manifest.tables.len(),
            manifest.rows(),
            manifest.migrations.len(),
            self.snapshot_seconds
        );
        for folder in FOLDERS {
            let (count, bytes) = manifest
                .files_in(folder)
                .fold((0, 0), |(count, bytes), entry| {
                    (count + 1, bytes + entry.size_bytes)
                });
            let note = if folder == layout::IMAGES {
                format!(
                    "; {} of the {} recorded images complete",
                    self.images.recorded - self.images.missing as u64,
                    self.images.recorded
                )
            } else {
                String::new()
            };
            println!("  {folder:<8}  {count} files, {}{note}", human_bytes(bytes));
        }
        println!("  search    not copied; `hanse restore` rebuilds it from the database");
        println!("  manifest  {}", target.join(MANIFEST_FILE).display());
    }
}

/// `12.3 MB`: decimal units, one decimal.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
