//! `hanse reindex`: rebuilds this node's search index from the database,
//! for a new node, after an index format change, or when the index was lost.

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use kernel::Db;

use crate::config::Config;
use crate::{layout, services};

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let db = services::open_database(config).await?;
    let indexed = rebuild(config, &db).await?;
    println!("search index rebuilt: {indexed} published products");
    db.close().await;
    Ok(())
}

/// Removes the index and rebuilds it from `db` with a progress bar; answers
/// how many products it indexed. Also the last step of `hanse restore`.
pub async fn rebuild(config: &Config, db: &Db) -> anyhow::Result<u64> {
    // A fresh index: the old one is removed first, so nothing stale survives.
    let dir = config.data_dir.join(layout::SEARCH);
    // Opening it first takes the index's lock: a running server keeps it,
    // and its index must not be removed under it.
    drop(services::open_search_index(config).context(SERVER_RUNNING_HINT)?);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("cannot remove the old index in {}", dir.display()))?;
    }
    let indexes = services::open_search_index(config)?;
    let feed = market::search_feed::SearchFeed::new(db.clone(), indexes);
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} products ({per_sec}, {eta} left)")
            .context("progress bar template")?,
    );
    let indexed = feed
        .rebuild(|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .context("cannot rebuild the search index")?;
    bar.finish();
    Ok(indexed)
}

/// Why the index cannot be opened, nearly always.
pub const SERVER_RUNNING_HINT: &str = "is `hanse serve` running on this data directory?";
