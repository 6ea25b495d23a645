//! `hanse restore DIR`, with the server stopped: proves the backup whole
//! against its manifest, puts the database, images and mailbox back, then
//! migrates, checks the whole ledger and rebuilds the search index.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use kernel::{Clock as _, SystemClock};

use crate::backup::files;
use crate::backup::manifest::{FOLDERS, FileEntry, Manifest};
use crate::backup::{embedded_database, human_bytes};
use crate::config::Config;
use crate::{layout, reindex, services};

/// Where the database goes while it is copied, so that `hanse.db` is the old
/// file or the whole new one, never half of it.
const STAGED_SUFFIX: &str = ".restoring";

pub async fn run(config: &Config, source: &Path, force: bool) -> anyhow::Result<()> {
    let database = embedded_database(
        config,
        "restore",
        "Restore PostgreSQL with its own tool, e.g. `pg_restore --dbname \"$DATABASE_URL\" \
         hanse.dump`, then run `hanse reindex`.",
    )?;
    // Everything that can refuse comes first, and reads only.
    let manifest = Manifest::read(source)?;
    kernel::migrate::check_applied(&web::migrations(), &manifest.migrations).with_context(
        || {
            format!(
                "this backup (Hanse {}) has a schema this build cannot run; nothing was restored",
                manifest.hanse_version
            )
        },
    )?;
    let verified_bytes = manifest.verify(source).context("nothing was restored")?;
    refuse_running_server(config)?;
    let existing: Vec<PathBuf> = std::iter::once(database.clone())
        .chain(layout::database_companions(&config.data_dir))
        .filter(|path| path.exists())
        .collect();
    anyhow::ensure!(
        existing.is_empty() || force,
        "{} already holds a database; nothing was restored. Restore into a new data directory, \
         or give --force to move the present database aside and restore over it",
        config.data_dir.display()
    );

    // Held until the search index is rebuilt, so no server starts on a
    // half-restored directory.
    let held_index = services::open_search_index(config).context(reindex::SERVER_RUNNING_HINT)?;
    let staged = config
        .data_dir
        .join(format!("{}{STAGED_SUFFIX}", layout::DATABASE));
    let (folders, moved_aside) =
        match put_files_back(&manifest, source, config, &staged, &database, &existing) {
            Ok(done) => done,
            Err(error) => {
                // Images and mail copied so far are harmless extras.
                let _ = std::fs::remove_file(&staged);
                return Err(error.context("the database was not restored"));
            }
        };

    println!(
        "restored {} (Hanse {}, made {}) into {}",
        source.display(),
        manifest.hanse_version,
        manifest.created_at,
        config.data_dir.display()
    );
    println!(
        "  checked   {} files, {}, against the manifest's SHA-256",
        manifest.files.len(),
        human_bytes(verified_bytes)
    );
    if let Some(folder) = &moved_aside {
        println!("  previous  database moved to {}", folder.display());
    }
    println!(
        "  database  {}: {} tables, {} rows",
        layout::DATABASE,
        manifest.tables.len(),
        manifest.rows()
    );
    for (folder, (copied, present)) in folders {
        println!("  {folder:<8}  {copied} files copied, {present} already there");
    }
    let to_migrate = web::migrations().len() - manifest.migrations.len();
    let (db, services) = services::open_for_command(config)
        .await
        .context("the files are back, but the database cannot be opened or migrated")?;
    println!("  migrated  {to_migrate} migrations applied, the schema is current");
    let check = services.pay.check_ledger().await?;
    print_ledger(&check);
    drop(held_index);
    let indexed = reindex::rebuild(config, &db).await?;
    println!("  search    index rebuilt: {indexed} published products");
    db.close().await;
    anyhow::ensure!(
        check.balanced(),
        "restored, but the ledger check found {} violations (listed above)",
        check.violations.len()
    );
    Ok(())
}

/// What `put_files_back` did: per folder (copied, already there), and where
/// the previous database went.
type PutBack = (Vec<(&'static str, (u64, u64))>, Option<PathBuf>);

/// The images and mail first, then the database: copied beside its place,
/// checked, and renamed into it, after the previous one (if any) moved aside.
fn put_files_back(
    manifest: &Manifest,
    source: &Path,
    config: &Config,
    staged: &Path,
    database: &Path,
    existing: &[PathBuf],
) -> anyhow::Result<PutBack> {
    copy_checked(manifest.database()?, source, staged)?;
    let mut folders = Vec::new();
    for folder in FOLDERS {
        folders.push((
            folder,
            put_back(manifest, folder, source, &config.data_dir)?,
        ));
    }
    let moved_aside = if existing.is_empty() {
        None
    } else {
        Some(move_aside(&config.data_dir, existing)?)
    };
    std::fs::rename(staged, database)
        .and_then(|()| std::fs::File::open(&config.data_dir)?.sync_all())
        .with_context(|| format!("cannot move {} into place", staged.display()))?;
    Ok((folders, moved_aside))
}

/// `hanse serve` holds the search index's lock for as long as it runs (and
/// the operating system drops it when the process dies, however it dies), so
/// an index that cannot be opened means a server, or a reindex, is at work.
/// A directory without an index has had no server yet; opening one there
/// would create it, which a refused restore must not do.
fn refuse_running_server(config: &Config) -> anyhow::Result<()> {
    if !config.data_dir.join(layout::SEARCH).exists() {
        return Ok(());
    }
    drop(services::open_search_index(config).with_context(|| {
        format!(
            "{} is in use: stop `hanse serve` (or `hanse reindex`) on it first; nothing was \
             restored",
            config.data_dir.display()
        )
    })?);
    Ok(())
}

/// Copies one file of the backup, checking what was written against the
/// manifest (the backup could have changed since it was verified).
fn copy_checked(entry: &FileEntry, source: &Path, target: &Path) -> anyhow::Result<()> {
    let from = source.join(entry.relative_path()?);
    let written =
        files::copy(&from, target).with_context(|| format!("cannot copy {}", from.display()))?;
    entry.check(&written)
}

/// Copies the files of `folder` back into the data directory; a file that is
/// there already with the same size is kept (images are named by their
/// SHA-256, mail by a unique id). Answers (copied, already there).
fn put_back(
    manifest: &Manifest,
    folder: &str,
    source: &Path,
    data_dir: &Path,
) -> anyhow::Result<(u64, u64)> {
    let (mut copied, mut present) = (0, 0);
    for entry in manifest.files_in(folder) {
        let target = data_dir.join(entry.relative_path()?);
        match std::fs::metadata(&target) {
            Ok(metadata) if metadata.len() == entry.size_bytes => present += 1,
            _ => {
                copy_checked(entry, source, &target)?;
                copied += 1;
            }
        }
    }
    if data_dir.join(folder).exists() {
        files::sync_folders(&data_dir.join(folder))?;
    }
    Ok((copied, present))
}

/// Moves the present database, with its WAL files, into a folder of its own,
/// where SQLite can still open it.
fn move_aside(data_dir: &Path, existing: &[PathBuf]) -> anyhow::Result<PathBuf> {
    let stamp = SystemClock.now().to_string().replace(':', "");
    let folder = data_dir.join(format!("replaced-{stamp}"));
    std::fs::create_dir(&folder).with_context(|| format!("cannot create {}", folder.display()))?;
    for path in existing {
        let name = path.file_name().context("a database file has a name")?;
        std::fs::rename(path, folder.join(name))
            .with_context(|| format!("cannot move {} aside", path.display()))?;
    }
    Ok(folder)
}

fn print_ledger(check: &ledger::LedgerCheck) {
    let verdict = if check.balanced() {
        "balanced"
    } else {
        "NOT balanced"
    };
    println!(
        "  ledger    {verdict} (whole-ledger check, {} currencies)",
        check.totals.len()
    );
    for totals in &check.totals {
        let posted = match pay::currency_of_ledger(totals.ledger) {
            Some(currency) => kernel::Money::new(totals.credits_posted, currency).to_string(),
            None => format!("{} in ledger {}", totals.credits_posted, totals.ledger),
        };
        println!("            {posted} posted, {} accounts", totals.accounts);
    }
    for violation in &check.violations {
        println!("            {violation}");
    }
}
